import { normalizeLabel } from '../lib/text.js';
import { buildTaxonomy, findKnownL1, resolveLabel } from '../taxonomy/index.js';
import { checkEntitlementCells } from './entitlement-cells.js';
import { nearestCodeName } from './nearest-name.js';
import type { Taxonomy } from '../taxonomy/index.js';
import { kindUnknownMessage, pageAliases, unknownL1Message } from './page-code.js';
import { parsePage } from './parse-page.js';
import { PROBLEM_CODES, problemOf, sortProblems } from './problems.js';
import type { Playbook, PlaybookPage, Problem, Scenario } from './types.js';

export interface ParsePlaybookOptions {
  /**
   * A taxonomy to fall back on for labels the page set itself does not define (for
   * example the built-in playbook when reading one customer page). The returned
   * taxonomy is still built from the given pages only.
   */
  reference?: Taxonomy;
}

function describe(code: { l1: string; l2: string | null }): string {
  return code.l2 === null ? code.l1 : `${code.l1} - ${code.l2}`;
}

function resolveScenario(scenario: Scenario, taxonomies: readonly Taxonomy[], file: string): Problem | null {
  scenario.l1 = null;
  scenario.l2 = null;
  if (scenario.label === '') return null;
  let ambiguous: string[] | null = null;
  for (const taxonomy of taxonomies) {
    const resolution = resolveLabel(taxonomy, scenario.label);
    if (resolution.ok) {
      scenario.l1 = resolution.code.l1;
      scenario.l2 = resolution.code.l2;
      return null;
    }
    if (resolution.reason === 'ambiguous' && ambiguous === null) ambiguous = resolution.candidates.map(describe);
  }
  if (ambiguous) {
    return problemOf(file, 'error', PROBLEM_CODES.LABEL_AMBIGUOUS, `The status "${scenario.label}" could name ${ambiguous.join(' or ')}; write the full code name.`, scenario.line, scenario.labelColumn ?? scenario.column ?? 1);
  }
  const near = nearestCodeName(scenario.label, taxonomies);
  const hint = near === undefined ? '' : ` Did you mean "${near}"?`;
  return problemOf(file, 'error', PROBLEM_CODES.LABEL_UNKNOWN, `The status "${scenario.label}" names no code of this playbook; use an L2 name (or "L1 - L2"), or declare it in a page's \`aliases:\`.${hint}`, scenario.line, scenario.labelColumn ?? scenario.column ?? 1);
}

/** The L1s of their own (not one of the five) that the set's "L1 - L2" pages use: normalised name -> the first page's spelling (by file). */
function ownL1sOf(pages: readonly PlaybookPage[]): Map<string, string> {
  const out = new Map<string, string>();
  const sorted = [...pages].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  for (const page of sorted) {
    if (page.kind !== 'l2' || page.l1 === null || findKnownL1(page.l1) !== undefined) continue;
    const key = normalizeLabel(page.l1);
    if (key !== '' && !out.has(key)) out.set(key, page.l1);
  }
  return out;
}

/**
 * A page whose code could not be told on its own, read with the whole set in view: a title (or, failing
 * that, a heading) that is exactly an L1 of the set's own "L1 - L2" pages makes it that L1's page, with
 * the warning those pages get for an L1 outside the five. Otherwise the error says which titles the set
 * accepts. Pages whose code is known are returned as they are.
 */
function readInSet(page: PlaybookPage, ownL1s: ReadonlyMap<string, string>): PlaybookPage {
  if (page.kind !== 'unknown') return page;
  const name = [page.title, page.heading].find((n): n is string => n !== null && ownL1s.has(normalizeLabel(n)));
  const l1 = name === undefined ? undefined : ownL1s.get(normalizeLabel(name));
  if (l1 !== undefined) {
    const code = { kind: 'l1' as const, l1, l2: null };
    const at = name === page.title ? page.positions?.code : page.positions?.heading;
    return {
      ...page,
      ...code,
      positions: { ...page.positions, ...(at === undefined ? {} : { code: at }) },
      aliases: pageAliases(page.frontMatter, page.heading, page.title, code),
      problems: sortProblems([...page.problems.filter((p) => p.code !== PROBLEM_CODES.KIND_UNKNOWN), problemOf(page.file, 'warning', PROBLEM_CODES.UNKNOWN_L1, unknownL1Message(l1), at?.line, at?.column)]),
    };
  }
  const message = kindUnknownMessage(page.title, page.heading, [...ownL1s.values()]);
  return { ...page, problems: page.problems.map((p) => (p.code === PROBLEM_CODES.KIND_UNKNOWN ? { ...p, message } : p)) };
}

/**
 * Labels a page that defines no code writes for itself: its examples name its own title or heading
 * ("Staffing Gap" on a page headed "# Staffing Gap"). They resolve once the page has a readable title,
 * so reporting each one would only repeat the page's own error.
 */
function ownNamesOfUnknownPage(page: PlaybookPage): Set<string> {
  if (page.kind !== 'unknown') return new Set();
  return new Set([page.title, page.heading].filter((n): n is string => n !== null).map(normalizeLabel).filter((n) => n !== ''));
}

/** Problems that depend on the whole page set (labels and Entitlement Scenarios cells): found again on every assembly. */
const SET_PROBLEMS = new Set<string>([PROBLEM_CODES.LABEL_UNKNOWN, PROBLEM_CODES.LABEL_AMBIGUOUS, PROBLEM_CODES.ENTITLEMENT_STATUS_UNKNOWN]);

/** Resolves every scenario label of already-parsed pages against their own taxonomy (then `reference`). Pure; mutates only copies. */
export function assemblePlaybook(parsed: readonly PlaybookPage[], options: ParsePlaybookOptions = {}): Playbook {
  const ownL1s = ownL1sOf(parsed);
  const read = parsed.map((page) => readInSet(page, ownL1s));
  const { taxonomy, problems: taxonomyProblems } = buildTaxonomy(read);
  const taxonomies = options.reference ? [taxonomy, options.reference] : [taxonomy];
  const pages = read.map((page) => {
    const copy: PlaybookPage = {
      ...page,
      valid: page.valid.map((s) => ({ ...s })),
      invalid: page.invalid.map((s) => ({ ...s })),
      problems: page.problems.filter((p) => !SET_PROBLEMS.has(p.code)),
    };
    const ownNames = ownNamesOfUnknownPage(copy);
    for (const scenario of [...copy.valid, ...copy.invalid]) {
      const problem = resolveScenario(scenario, taxonomies, copy.file);
      if (problem && !(problem.code === PROBLEM_CODES.LABEL_UNKNOWN && ownNames.has(normalizeLabel(scenario.label)))) copy.problems.push(problem);
    }
    copy.problems.push(...checkEntitlementCells(copy, taxonomies));
    copy.problems = sortProblems(copy.problems);
    return copy;
  });
  return { pages, taxonomy, problems: sortProblems([...pages.flatMap((p) => p.problems), ...taxonomyProblems]) };
}

/**
 * Parses a page set: every page, the taxonomy they define, every scenario label resolved
 * (l1/l2 filled in; unknown or ambiguous labels reported at the row's line). Never throws.
 */
export function parsePlaybook(sources: readonly { file: string; text: string }[], options: ParsePlaybookOptions = {}): Playbook {
  const list = Array.isArray(sources) ? sources : [];
  return assemblePlaybook(
    list.map((s) => parsePage(s?.text, s?.file)),
    options,
  );
}
