import { normalizeLabel } from '../lib/text.js';
import { codeIdOf, findNearestCodeId, KNOWN_L1_NAMES } from '../taxonomy/index.js';
import { PROBLEM_CODES, problemOf, sortProblems } from './problems.js';
import { countQuestions } from './questions.js';
import type { Playbook, PlaybookPage, Problem } from './types.js';

/** Scenario counts below which an L2 page is reported (warnings). */
export const MIN_VALID_SCENARIOS = 15;
export const MIN_INVALID_SCENARIOS = 6;

function sameCode(page: PlaybookPage, l1: string | null, l2: string | null): boolean {
  return l1 !== null && normalizeLabel(l1) === normalizeLabel(page.l1 ?? '') && normalizeLabel(l2 ?? '') === normalizeLabel(page.l2 ?? '');
}

function lintPage(page: PlaybookPage): Problem[] {
  const out: Problem[] = [];
  const report = (severity: Problem['severity'], code: string, message: string, line = 1) => out.push(problemOf(page.file, severity, code, message, line, 1));
  if (page.kind === 'unknown') return out;
  const name = page.kind === 'l2' ? `${page.l1} - ${page.l2}` : `${page.l1}`;
  if (page.kind === 'l2') {
    if (page.definition === null) report('error', PROBLEM_CODES.NO_DEFINITION, `The page for "${name}" has no definition: add a \`> [!IMPORTANT]\` callout saying what the code means and where its borders run.`);
    if (page.valid.length === 0) {
      report('error', PROBLEM_CODES.NO_VALID_SCENARIOS, `The page for "${name}" has no valid example scenarios: add a two-column table (scenario | status) of situations that belong to this code.`);
    } else if (page.valid.length < MIN_VALID_SCENARIOS) {
      report('warning', PROBLEM_CODES.FEW_VALID_SCENARIOS, `Only ${page.valid.length} valid example scenarios; write at least ${MIN_VALID_SCENARIOS} covering the different situations the code spans.`, page.valid[0]?.line);
    }
    if (page.invalid.length < MIN_INVALID_SCENARIOS) {
      report('warning', PROBLEM_CODES.FEW_INVALID_SCENARIOS, `Only ${page.invalid.length} invalid example scenarios; write at least ${MIN_INVALID_SCENARIOS} look-alikes, each naming the code it really belongs to.`, page.invalid[0]?.line);
    }
    for (const scenario of page.valid) {
      if (scenario.l1 !== null && !sameCode(page, scenario.l1, scenario.l2)) {
        report('warning', PROBLEM_CODES.VALID_NAMES_OTHER_CODE, `This valid example is labelled "${scenario.label}", not this page's code "${name}": move it to the invalid table or fix the label.`, scenario.line);
      }
    }
  } else {
    if (page.definition === null) report('warning', PROBLEM_CODES.NO_DEFINITION, `The L1 page "${name}" has no definition: add a \`> [!IMPORTANT]\` callout.`);
    for (const scenario of page.valid) {
      if (scenario.l1 !== null && normalizeLabel(scenario.l1) !== normalizeLabel(page.l1 ?? '')) {
        report('warning', PROBLEM_CODES.VALID_NAMES_OTHER_CODE, `This example on the "${name}" page is labelled "${scenario.label}", which is under ${scenario.l1}.`, scenario.line);
      }
    }
  }
  for (const scenario of page.invalid) {
    const own = page.kind === 'l2' ? sameCode(page, scenario.l1, scenario.l2) : scenario.l1 !== null && scenario.l2 === null && normalizeLabel(scenario.l1) === normalizeLabel(page.l1 ?? '');
    if (own) {
      report('error', PROBLEM_CODES.INVALID_NAMES_OWN_CODE, `This invalid example is labelled with the page's own code "${name}": name the code it really belongs to, or move it to the valid table.`, scenario.line);
    }
  }
  if (countQuestions(page.questions) === 0) {
    report('warning', PROBLEM_CODES.NO_QUESTIONS, `The page for "${name}" has no confirmation questions: add a \`> [!TIP]\` callout with a numbered list of questions to ask the customer.`);
  }
  if (page.history.length === 0) {
    report('info', PROBLEM_CODES.NO_HISTORY, 'The page has no refresh history: add a "Refresh Summary" table (Date | Who Changed | What Changed).');
  }
  return out;
}

export interface LintOptions {
  /**
   * Code ids of a previous taxonomy version (e.g. the built-in playbook's, or those stored
   * entitlements use): a page code that is not among them but spelled close to one is named with it.
   */
  knownCodes?: readonly string[];
}

const L1_SLUGS = new Set(KNOWN_L1_NAMES.map((name) => codeIdOf(name)));

/** The code id a file name stands for under the `l1--l2.md` (or `l1.md`) convention, when it follows it. */
export function codeIdOfFileName(file: string): string | undefined {
  const base = (file.split(/[\\/]/).pop() ?? '').replace(/\.(md|markdown|txt)$/i, '').toLowerCase();
  const [l1, l2, ...rest] = base.split('--');
  if (l1 === undefined || !L1_SLUGS.has(l1) || rest.length > 0) return undefined;
  return l2 === undefined ? l1 : l2 === '' ? undefined : `${l1}/${l2}`;
}

/** A page whose code disagrees with its file name, or is new but spelled like a known code. */
function lintCodeName(page: PlaybookPage, known: readonly string[] | undefined): Problem[] {
  if (page.kind === 'unknown' || page.l1 === null) return [];
  const id = page.kind === 'l2' ? codeIdOf(page.l1, page.l2) : codeIdOf(page.l1);
  const fromFile = codeIdOfFileName(page.file);
  const near = known ? findNearestCodeId(id, known) : undefined;
  const hint = near !== undefined ? ` Did you mean ${near}, a code of the previous taxonomy?` : '';
  if (fromFile !== undefined && fromFile !== id) {
    return [
      problemOf(
        page.file,
        'warning',
        PROBLEM_CODES.CODE_FILE_MISMATCH,
        `The title makes this page define ${id}, but its file name stands for ${fromFile}; a typo in the title changes the code every status is filed under.${hint || ' Fix the title or rename the file.'}`,
      ),
    ];
  }
  if (near !== undefined) {
    return [problemOf(page.file, 'warning', PROBLEM_CODES.CODE_NOT_KNOWN, `This page defines a new code ${id}, spelled close to an existing one.${hint}`)];
  }
  return [];
}

function lintDuplicates(pages: readonly PlaybookPage[]): Problem[] {
  const out: Problem[] = [];
  const seen = new Map<string, { file: string; line: number }>();
  for (const page of pages) {
    for (const scenario of [...page.valid, ...page.invalid]) {
      const key = normalizeLabel(scenario.text);
      if (key === '') continue;
      const first = seen.get(key);
      if (!first) {
        seen.set(key, { file: page.file, line: scenario.line });
      } else if (first.file !== page.file) {
        out.push(problemOf(page.file, 'warning', PROBLEM_CODES.DUPLICATE_SCENARIO, `The same scenario is already written in ${first.file}:${first.line}; examples teach more when each page has its own.`, scenario.line, 1));
      }
    }
  }
  return out;
}

/** Only the code-name checks of {@link lintPlaybook} (file name, closeness to `options.knownCodes`). Never throws. */
export function lintCodeNames(playbook: Playbook, options: LintOptions = {}): Problem[] {
  return sortProblems(playbook.pages.flatMap((page) => lintCodeName(page, options.knownCodes)));
}

/**
 * Every problem of a parsed playbook (parsing, label resolution, taxonomy) plus content
 * checks: definitions, scenario counts, questions, invalid examples naming their own code,
 * duplicate scenarios across pages, missing history, a code that disagrees with its file name
 * (`l1--l2.md`) or is spelled close to one of `options.knownCodes`. Sorted by file, line, column. Never throws.
 */
export function lintPlaybook(playbook: Playbook, options: LintOptions = {}): Problem[] {
  const pages = [...playbook.pages].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const codeNames = pages.flatMap((page) => lintCodeName(page, options.knownCodes));
  return sortProblems([...playbook.problems, ...pages.flatMap(lintPage), ...codeNames, ...lintDuplicates(pages)]);
}

/** True when any problem is an error. */
export function hasErrors(problems: readonly Problem[]): boolean {
  return problems.some((p) => p.severity === 'error');
}
