import { AppError } from '../lib/errors.js';
import { normalizeLabel } from '../lib/text.js';
import { resolveLabel } from './resolve-label.js';
import type { Taxonomy, TaxonomyCode } from './types.js';

/** Every leaf code, L1s in domain order. */
export function listCodes(taxonomy: Taxonomy): TaxonomyCode[] {
  return [...taxonomy.codes];
}

/** The code with this id, or the one code this name/label resolves to; undefined otherwise. Never throws. */
export function findCode(taxonomy: Taxonomy, idOrName: string): TaxonomyCode | undefined {
  const byId = taxonomy.codes.find((c) => c.id === idOrName || c.id === String(idOrName).trim().toLowerCase());
  if (byId) return byId;
  const resolution = resolveLabel(taxonomy, idOrName);
  return resolution.ok ? resolution.code : undefined;
}

function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? Math.max(a.length, b.length);
}

function similarity(query: string, name: string): number {
  if (query === '' || name === '') return 0;
  const q = new Set(query.split(' '));
  const n = new Set(name.split(' '));
  const shared = [...q].filter((w) => n.has(w) || [...n].some((x) => x.startsWith(w) && w.length >= 3)).length;
  const overlap = shared / Math.max(q.size, 1);
  const spelling = 1 - editDistance(query, name) / Math.max(query.length, name.length);
  return Math.max(overlap, spelling);
}

/** Up to `limit` codes whose names look like `text`, best first (for "did you mean" messages). Never throws. */
export function suggestCodes(taxonomy: Taxonomy, text: string, limit = 3): TaxonomyCode[] {
  const query = normalizeLabel(text);
  const scores = new Map<string, number>();
  for (const [label, ids] of Object.entries(taxonomy.labels)) {
    const score = similarity(query, label);
    for (const id of ids) scores.set(id, Math.max(scores.get(id) ?? 0, score));
  }
  for (const code of taxonomy.codes) scores.set(code.id, Math.max(scores.get(code.id) ?? 0, similarity(query, normalizeLabel(code.id))));
  return taxonomy.codes
    .map((code) => ({ code, score: scores.get(code.id) ?? 0 }))
    .filter((s) => s.score >= 0.4)
    .sort((a, b) => b.score - a.score)
    .slice(0, limit)
    .map((s) => s.code);
}

/**
 * The id among `candidates` closest in spelling to `id` (edit distance at most a quarter of the
 * longer id, at least 1), or undefined when none is that close or `id` is itself a candidate.
 * Ties go to the earlier candidate. Never throws.
 */
export function findNearestCodeId(id: string, candidates: readonly string[]): string | undefined {
  if (candidates.includes(id)) return undefined;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(id, candidate);
    if (d < bestDistance && d <= Math.max(1, Math.floor(Math.max(id.length, candidate.length) / 4))) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** The code with this id, or the one code this name resolves to; throws AppError UNKNOWN_CODE (with suggestions) otherwise. */
export function getCode(taxonomy: Taxonomy, idOrName: string): TaxonomyCode {
  const code = findCode(taxonomy, idOrName);
  if (code) return code;
  const resolution = resolveLabel(taxonomy, idOrName);
  const suggestions = resolution.ok ? [] : resolution.reason === 'ambiguous' ? resolution.candidates : suggestCodes(taxonomy, idOrName);
  const why = !resolution.ok && resolution.reason === 'ambiguous' ? 'names more than one code' : 'is not a code of this playbook';
  const hint = suggestions.length > 0 ? ` Did you mean: ${suggestions.map((c) => (c.l2 ? `"${c.l1} - ${c.l2}"` : `"${c.l1}"`)).join(', ')}?` : ' Run `unblock playbook parse` to list the codes.';
  throw new AppError('UNKNOWN_CODE', `"${idOrName}" ${why}.${hint}`, { suggestions: suggestions.map((c) => c.id) });
}
