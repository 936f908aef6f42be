import { collapseWhitespace, normalizeLabel } from '../lib/text.js';
import type { Resolution, Taxonomy, TaxonomyCode } from './types.js';

interface Index {
  byId: Map<string, TaxonomyCode>;
  labels: Map<string, string[]>;
}

const INDEXES = new WeakMap<Taxonomy, Index>();

/** The taxonomy's labels, plus every code's own names (so a hand-built taxonomy with no labels still resolves). */
function indexOf(taxonomy: Taxonomy): Index {
  let index = INDEXES.get(taxonomy);
  if (!index) {
    const labels = new Map<string, Set<string>>();
    const add = (label: string, id: string) => {
      const key = normalizeLabel(label);
      if (key === '') return;
      let ids = labels.get(key);
      if (!ids) labels.set(key, (ids = new Set()));
      ids.add(id);
    };
    for (const [key, ids] of Object.entries(taxonomy.labels ?? {})) for (const id of ids) add(key, id);
    for (const code of taxonomy.codes) {
      if (code.l2 === null) add(code.l1, code.id);
      else {
        add(code.l2, code.id);
        add(`${code.l1} ${code.l2}`, code.id);
        add(code.l1, code.id);
      }
    }
    index = { byId: new Map(taxonomy.codes.map((c) => [c.id, c])), labels: new Map([...labels].map(([k, v]) => [k, [...v]])) };
    INDEXES.set(taxonomy, index);
  }
  return index;
}

/** Code ids whose names equal `key`, or failing that start with `key` as whole words. */
function idsFor(index: Index, key: string): string[] {
  if (key === '') return [];
  const exact = index.labels.get(key);
  if (exact && exact.length > 0) return exact;
  const ids = new Set<string>();
  const prefix = `${key} `;
  for (const [candidate, candidateIds] of index.labels) {
    if (candidate.startsWith(prefix)) for (const id of candidateIds) ids.add(id);
  }
  return [...ids];
}

/** Separators people put between an L1 and an L2 ("Blocked - X", "Blocked: X", "Blocked > X"). */
const L1_SEPARATOR = /\s+[-\u2013\u2014\u2212>»|]\s+|\s*[:：]\s+|\s+[-\u2013\u2014]|[\u2013\u2014]\s+/g;

function tailAfterSeparator(label: string): string | null {
  let last: RegExpExecArray | null = null;
  for (const match of label.matchAll(L1_SEPARATOR)) last = match as RegExpExecArray;
  if (!last) return null;
  const tail = label.slice(last.index + last[0].length).trim();
  return tail === '' ? null : tail;
}

/**
 * Maps a label as people write it to one code: normalised exact match on L2 names,
 * "L1 - L2", aliases and headings; then a unique whole-word prefix ("Technical Onboarding");
 * then the part after an "L1 -" style separator. A label naming two or more codes is
 * `ambiguous` (with the candidates), never a guess. Never throws.
 */
export function resolveLabel(taxonomy: Taxonomy, label: string): Resolution {
  const index = indexOf(taxonomy);
  const text = collapseWhitespace(String(label ?? ''));
  const attempts = [text];
  const tail = tailAfterSeparator(text);
  if (tail !== null) attempts.push(tail);
  let ambiguous: string[] | null = null;
  for (const attempt of attempts) {
    const ids = idsFor(index, normalizeLabel(attempt));
    if (ids.length === 1) {
      const code = index.byId.get(ids[0] ?? '');
      if (code) return { ok: true, code };
    }
    if (ids.length > 1 && ambiguous === null) ambiguous = ids;
  }
  if (ambiguous) {
    return { ok: false, reason: 'ambiguous', candidates: ambiguous.map((id) => index.byId.get(id)).filter((c): c is TaxonomyCode => c !== undefined) };
  }
  return { ok: false, reason: 'unknown', candidates: [] };
}
