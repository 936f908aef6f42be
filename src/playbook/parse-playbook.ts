import { buildTaxonomy, resolveLabel } from '../taxonomy/index.js';
import type { Taxonomy } from '../taxonomy/index.js';
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
    return problemOf(file, 'error', PROBLEM_CODES.LABEL_AMBIGUOUS, `The status "${scenario.label}" could name ${ambiguous.join(' or ')}; write the full code name.`, scenario.line, scenario.column ?? 1);
  }
  return problemOf(file, 'error', PROBLEM_CODES.LABEL_UNKNOWN, `The status "${scenario.label}" names no code of this playbook; use an L2 name (or "L1 - L2"), or declare it in a page's \`aliases:\`.`, scenario.line, scenario.column ?? 1);
}

/** Resolves every scenario label of already-parsed pages against their own taxonomy (then `reference`). Pure; mutates only copies. */
export function assemblePlaybook(parsed: readonly PlaybookPage[], options: ParsePlaybookOptions = {}): Playbook {
  const { taxonomy, problems: taxonomyProblems } = buildTaxonomy(parsed);
  const taxonomies = options.reference ? [taxonomy, options.reference] : [taxonomy];
  const pages = parsed.map((page) => {
    const copy: PlaybookPage = {
      ...page,
      valid: page.valid.map((s) => ({ ...s })),
      invalid: page.invalid.map((s) => ({ ...s })),
      problems: page.problems.filter((p) => p.code !== PROBLEM_CODES.LABEL_UNKNOWN && p.code !== PROBLEM_CODES.LABEL_AMBIGUOUS),
    };
    for (const scenario of [...copy.valid, ...copy.invalid]) {
      const problem = resolveScenario(scenario, taxonomies, copy.file);
      if (problem) copy.problems.push(problem);
    }
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
