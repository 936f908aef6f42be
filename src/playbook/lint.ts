import { normalizeLabel } from '../lib/text.js';
import { PROBLEM_CODES, problemOf, sortProblems } from './problems.js';
import { countQuestions } from './questions.js';
import { l1SlugsOf, lintCodeName, type LintOptions } from './code-names.js';
import type { SourcePosition } from '../taxonomy/types.js';
import type { Playbook, PlaybookPage, Problem, Scenario } from './types.js';

/* The code-name checks live in code-names.ts (no Markdown parser); they are re-exported here for existing imports. */
export { codeIdOfFileName, lintCodeNames, type LintOptions } from './code-names.js';

/** Scenario counts below which an L2 page is reported (warnings). */
export const MIN_VALID_SCENARIOS = 15;
export const MIN_INVALID_SCENARIOS = 6;

/** "1 valid example scenario", "3 invalid example scenarios". */
const scenarios = (count: number, kind: 'valid' | 'invalid'): string => `${count} ${kind} example scenario${count === 1 ? '' : 's'}`;

function sameCode(page: PlaybookPage, l1: string | null, l2: string | null): boolean {
  return l1 !== null && normalizeLabel(l1) === normalizeLabel(page.l1 ?? '') && normalizeLabel(l2 ?? '') === normalizeLabel(page.l2 ?? '');
}

function lintPage(page: PlaybookPage): Problem[] {
  const out: Problem[] = [];
  const report = (severity: Problem['severity'], code: string, message: string, line = 1, column = 1) => out.push(problemOf(page.file, severity, code, message, line, column));
  // A problem about an example's status is at its status cell.
  const atLabel = (scenario: Scenario): [number, number] => [scenario.line, scenario.labelColumn ?? scenario.column ?? 1];
  // Too few examples is said at the first row (where it starts, past any quote marker or list indent).
  const atRow = (scenario: Scenario | undefined): [number | undefined, number | undefined] => [scenario?.line, scenario?.column];
  // A missing definition belongs right under the heading: reported there (at 1:1 on a page without one).
  const heading = page.positions?.heading;
  const underHeading = heading === undefined ? '' : ' under the heading';
  // A section that is missing goes under the page's heading (the title when it has none); one that is
  // written but holds nothing (a heading with no table under it, a TIP with no list) is reported there.
  const pageTop = heading ?? page.positions?.code;
  const section = (at: SourcePosition | undefined, named: string): { where: [number | undefined, number | undefined]; said: string } =>
    at !== undefined
      ? { where: [at.line, at.column], said: ` (the ${named} on line ${at.line} holds none)` }
      : { where: [pageTop?.line, pageTop?.column], said: '' };
  if (page.kind === 'unknown') return out;
  const name = page.kind === 'l2' ? `${page.l1} - ${page.l2}` : `${page.l1}`;
  if (page.kind === 'l2') {
    if (page.definition === null) report('error', PROBLEM_CODES.NO_DEFINITION, `The page for "${name}" has no definition: add a \`> [!IMPORTANT]\` callout${underHeading} saying what the code means and where its borders run.`, heading?.line, heading?.column);
    if (page.valid.length === 0) {
      const valid = section(page.positions?.valid, 'valid-example section');
      report('error', PROBLEM_CODES.NO_VALID_SCENARIOS, `The page for "${name}" has no valid example scenarios${valid.said}: add a two-column table (scenario | status) of situations that belong to this code.`, ...valid.where);
    } else if (page.valid.length < MIN_VALID_SCENARIOS) {
      report('warning', PROBLEM_CODES.FEW_VALID_SCENARIOS, `Only ${scenarios(page.valid.length, 'valid')}; write at least ${MIN_VALID_SCENARIOS} covering the different situations the code spans.`, ...atRow(page.valid[0]));
    }
    if (page.invalid.length < MIN_INVALID_SCENARIOS) {
      // With none at all there is no row to point at: said at the section that holds none, else under the heading.
      const invalid = page.invalid.length === 0 ? section(page.positions?.invalid, 'invalid-example section') : { where: atRow(page.invalid[0]), said: '' };
      report('warning', PROBLEM_CODES.FEW_INVALID_SCENARIOS, `Only ${scenarios(page.invalid.length, 'invalid')}${invalid.said}; write at least ${MIN_INVALID_SCENARIOS} look-alikes, each naming the code it really belongs to.`, ...invalid.where);
    }
    for (const scenario of page.valid) {
      if (scenario.l1 !== null && !sameCode(page, scenario.l1, scenario.l2)) {
        report('warning', PROBLEM_CODES.VALID_NAMES_OTHER_CODE, `This valid example is labelled "${scenario.label}", not this page's code "${name}": move it to the invalid table or fix the label.`, ...atLabel(scenario));
      }
    }
  } else {
    if (page.definition === null) report('warning', PROBLEM_CODES.NO_DEFINITION, `The L1 page "${name}" has no definition: add a \`> [!IMPORTANT]\` callout${underHeading}.`, heading?.line, heading?.column);
    for (const scenario of page.valid) {
      if (scenario.l1 !== null && normalizeLabel(scenario.l1) !== normalizeLabel(page.l1 ?? '')) {
        report('warning', PROBLEM_CODES.VALID_NAMES_OTHER_CODE, `This example on the "${name}" page is labelled "${scenario.label}", which is under ${scenario.l1}.`, ...atLabel(scenario));
      }
    }
  }
  for (const scenario of page.invalid) {
    const own = page.kind === 'l2' ? sameCode(page, scenario.l1, scenario.l2) : scenario.l1 !== null && scenario.l2 === null && normalizeLabel(scenario.l1) === normalizeLabel(page.l1 ?? '');
    if (own) {
      const ownNames = (page.kind === 'l2' ? [page.l2 ?? '', name] : [name]).map(normalizeLabel);
      const written = ownNames.includes(normalizeLabel(scenario.label)) ? 'with' : `"${scenario.label}", which names`;
      report('error', PROBLEM_CODES.INVALID_NAMES_OWN_CODE, `This invalid example is labelled ${written} the page's own code "${name}": name the code it really belongs to, or move it to the valid table.`, ...atLabel(scenario));
    }
  }
  if (countQuestions(page.questions) === 0) {
    const tip = section(page.positions?.questions, '`> [!TIP]` callout');
    const fix = tip.said === '' ? 'add a `> [!TIP]` callout with a numbered list of questions to ask the customer' : 'write the questions to ask the customer in it as a numbered list';
    report('warning', PROBLEM_CODES.NO_QUESTIONS, `The page for "${name}" has no confirmation questions${tip.said}: ${fix}.`, ...tip.where);
  }
  if (page.history.length === 0) {
    const history = section(page.positions?.history, 'refresh-history section');
    report('info', PROBLEM_CODES.NO_HISTORY, `The page has no refresh history${history.said}: add a "Refresh Summary" table (Date | Who Changed | What Changed).`, ...history.where);
  }
  return out;
}

function lintDuplicates(pages: readonly PlaybookPage[]): Problem[] {
  const out: Problem[] = [];
  const seen = new Map<string, { file: string; line: number; column: number }>();
  for (const page of pages) {
    for (const scenario of [...page.valid, ...page.invalid]) {
      const key = normalizeLabel(scenario.text);
      if (key === '') continue;
      const first = seen.get(key);
      // At the scenario cell's text (the row's start when that is not known).
      const column = scenario.textColumn ?? scenario.column ?? 1;
      if (!first) {
        seen.set(key, { file: page.file, line: scenario.line, column });
      } else if (first.file !== page.file) {
        out.push(problemOf(page.file, 'warning', PROBLEM_CODES.DUPLICATE_SCENARIO, `The same scenario is already written in ${first.file}:${first.line}:${first.column}; examples teach more when each page has its own.`, scenario.line, column));
      }
    }
  }
  return out;
}

/**
 * Every problem of a parsed playbook (parsing, label resolution, taxonomy) plus content
 * checks: definitions, scenario counts, questions, invalid examples naming their own code,
 * duplicate scenarios across pages, missing history, a code that disagrees with its file name
 * (`l1--l2.md`) or is spelled close to one of `options.knownCodes`. Sorted by file, line, column. Never throws.
 */
export function lintPlaybook(playbook: Playbook, options: LintOptions = {}): Problem[] {
  const pages = [...playbook.pages].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const l1Slugs = l1SlugsOf(pages);
  const codeNames = pages.flatMap((page) => lintCodeName(page, options.knownCodes, l1Slugs));
  return sortProblems([...playbook.problems, ...pages.flatMap(lintPage), ...codeNames, ...lintDuplicates(pages)]);
}

/** True when any problem is an error. */
export function hasErrors(problems: readonly Problem[]): boolean {
  return problems.some((p) => p.severity === 'error');
}
