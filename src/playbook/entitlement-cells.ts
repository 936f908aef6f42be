/**
 * The L1 and L2 cells of a page's Entitlement Scenarios table, checked against the page set's taxonomy
 * (then a reference one): an L1 that is no L1, an L2 that names no code, or an L2 written under another
 * L1 than its own. Warnings, at the cell. Pure.
 */
import { normalizeLabel } from '../lib/text.js';
import { findKnownL1, KNOWN_L1_NAMES, resolveLabel } from '../taxonomy/index.js';
import type { Taxonomy, TaxonomyCode } from '../taxonomy/index.js';
import { nearestCodeName, nearestName } from './nearest-name.js';
import { PROBLEM_CODES, problemOf } from './problems.js';
import type { PlaybookPage, Problem } from './types.js';

/** Cells that set no value: a dash, "None", "N/A", "Unchanged", "Any" (normalised). */
const PLACEHOLDER = new Set(['', 'none', 'n a', 'na', 'tbd', 'tbc', 'unchanged', 'no change', 'same', 'same as before', 'any', 'keep', 'leave empty', 'empty', 'blank', 'not applicable', 'as is', 'current', 'previous', 'varies']);
/** First words of a cell that describes the value rather than naming it ("Matching In Progress L2", "Any reason of No Intent"). */
const DESCRIBING = new Set(['matching', 'any', 'appropriate', 'relevant', 'corresponding', 'applicable', 'previous', 'current', 'existing', 'same', 'keep', 'depends', 'according', 'per', 'see', 'whichever', 'unchanged']);

/**
 * True when a cell that names nothing is a placeholder, not a misspelt name: empty or a dash, a word such
 * as "None" or "Unchanged", a description that says "L1" or "L2" ("Matching In Progress L2"), or one that
 * opens with a describing word ("Matching", "Any", "Appropriate").
 */
export function isPlaceholderCell(cell: string): boolean {
  const key = normalizeLabel(cell);
  if (PLACEHOLDER.has(key)) return true;
  const words = key.split(' ');
  return words.some((w) => /^l[123]s?$/.test(w)) || DESCRIBING.has(words[0] ?? '');
}

/** The column of the table whose header is `name` ("L1", "L2"; also "L1 Status", "Set L2"), or -1. */
function columnOf(headers: readonly string[], name: 'l1' | 'l2'): number {
  const keys = headers.map(normalizeLabel);
  const exact = keys.indexOf(name);
  if (exact >= 0) return exact;
  return keys.findIndex((k) => k.split(' ').includes(name) && !k.split(' ').some((w) => /^l[123]$/.test(w) && w !== name));
}

/** The L1 a cell names: one of the five, an L1 of a taxonomy, or a name (a translated heading) that names all of one L1's codes. */
function resolveL1(cell: string, taxonomies: readonly Taxonomy[]): string | undefined {
  const known = findKnownL1(cell);
  if (known !== undefined) return known;
  const key = normalizeLabel(cell);
  for (const taxonomy of taxonomies) {
    const node = taxonomy.l1s.find((n) => normalizeLabel(n.name) === key);
    if (node) return node.name;
    const ids = taxonomy.labels?.[key] ?? [];
    const named = taxonomy.l1s.find((n) => n.codes.length === ids.length && n.codes.every((id) => ids.includes(id)));
    if (ids.length > 0 && named) return named.name;
  }
  return undefined;
}

type L2Answer = { ok: true; code: TaxonomyCode } | { ok: false; candidates: TaxonomyCode[] };

/** The code an L2 cell names, read under `l1` when the row names one (so an L2 name two L1s share resolves). */
function resolveL2(cell: string, l1: string | undefined, taxonomies: readonly Taxonomy[]): L2Answer {
  let ambiguous: TaxonomyCode[] | null = null;
  for (const taxonomy of taxonomies) {
    if (l1 !== undefined) {
      const under = resolveLabel(taxonomy, `${l1} - ${cell}`);
      if (under.ok && normalizeLabel(under.code.l1) === normalizeLabel(l1)) return under;
    }
    const alone = resolveLabel(taxonomy, cell);
    if (alone.ok) return alone;
    if (alone.reason === 'ambiguous' && ambiguous === null) ambiguous = alone.candidates;
  }
  return { ok: false, candidates: ambiguous ?? [] };
}

const describe = (code: TaxonomyCode): string => (code.l2 === null ? code.l1 : `${code.l1} - ${code.l2}`);

/** Problems of the L1 and L2 cells of `page`'s Entitlement Scenarios table (none when it has no L1 or L2 column). */
export function checkEntitlementCells(page: PlaybookPage, taxonomies: readonly Taxonomy[]): Problem[] {
  const table = page.entitlementScenarios;
  if (!table) return [];
  const l1At = columnOf(table.headers, 'l1');
  const l2At = columnOf(table.headers, 'l2');
  if (l1At < 0 && l2At < 0) return [];
  const out: Problem[] = [];
  const l1Names = [...new Set([...KNOWN_L1_NAMES, ...taxonomies.flatMap((t) => t.l1s.map((n) => n.name))])];
  table.rows.forEach((row, i) => {
    const line = table.rowLines?.[i] ?? 1;
    const report = (at: number, message: string) => out.push(problemOf(page.file, 'warning', PROBLEM_CODES.ENTITLEMENT_STATUS_UNKNOWN, message, line, table.cellColumns?.[i]?.[at] ?? 1));
    const l1Cell = l1At < 0 ? '' : (row[l1At] ?? '').trim();
    const l2Cell = l2At < 0 ? '' : (row[l2At] ?? '').trim();
    let l1: string | undefined;
    if (l1Cell !== '') {
      l1 = resolveL1(l1Cell, taxonomies);
      if (l1 === undefined && !isPlaceholderCell(l1Cell)) {
        const near = nearestName(l1Cell, l1Names);
        report(l1At, `This entitlement scenario sets the L1 "${l1Cell}", which is not an L1 of this playbook (${l1Names.join(', ')}).${near === undefined ? '' : ` Did you mean "${near}"?`}`);
      }
    }
    if (l2Cell === '') return;
    const l2 = resolveL2(l2Cell, l1, taxonomies);
    if (l2.ok) {
      if (l1 !== undefined && normalizeLabel(l2.code.l1) !== normalizeLabel(l1)) {
        report(l2At, `"${l2Cell}" is an L2 of ${l2.code.l1}, not of ${l1}: fix the L1 or the L2 of this entitlement scenario.`);
      }
      return;
    }
    if (l2.candidates.length > 0) {
      report(l2At, `The L2 "${l2Cell}" of this entitlement scenario could name ${l2.candidates.map(describe).join(' or ')}; write its L1 in the L1 cell, or the code in full ("L1 - L2").`);
      return;
    }
    if (isPlaceholderCell(l2Cell)) return;
    const near = nearestCodeName(l2Cell, taxonomies);
    report(l2At, `This entitlement scenario sets the L2 "${l2Cell}", which names no code of this playbook; write an L2 name (or "L1 - L2"), or declare it in a page's \`aliases:\`.${near === undefined ? '' : ` Did you mean "${near}"?`}`);
  });
  return out;
}
