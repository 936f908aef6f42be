import { normalizeLabel } from '../lib/text.js';
import { findNearestCodeId } from '../taxonomy/index.js';
import type { Taxonomy } from '../taxonomy/index.js';

/**
 * The name of the one code whose own name or alias is spelled closest to `label` (a typo's distance), or
 * undefined: the "Did you mean" of a status that names no code. Taxonomies are tried in order.
 */
export function nearestCodeName(label: string, taxonomies: readonly Taxonomy[]): string | undefined {
  const key = normalizeLabel(label);
  if (key === '') return undefined;
  for (const taxonomy of taxonomies) {
    const labels = Object.entries(taxonomy.labels ?? {}).filter(([, ids]) => ids.length === 1);
    const near = findNearestCodeId(key, labels.map(([name]) => name));
    const id = near === undefined ? undefined : labels.find(([name]) => name === near)?.[1][0];
    const code = id === undefined ? undefined : taxonomy.codes.find((c) => c.id === id);
    if (code) return code.l2 ?? code.l1;
  }
  return undefined;
}

/** Of `names` (as they are written), the one spelled closest to `label` (a typo's distance), or undefined. */
export function nearestName(label: string, names: readonly string[]): string | undefined {
  const key = normalizeLabel(label);
  if (key === '') return undefined;
  const keys = names.map(normalizeLabel);
  const near = findNearestCodeId(key, keys);
  return near === undefined ? undefined : names[keys.indexOf(near)];
}
