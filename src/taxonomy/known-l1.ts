import { normalizeLabel } from '../lib/text.js';

/** The five L1 states of the domain, in reporting order. These names are facts of the domain, not page content. */
export const KNOWN_L1_NAMES = ['Status Unknown', 'In Progress', 'No Intent', 'Blocked', 'Duplicate/Invalid'] as const;

export type KnownL1Name = (typeof KNOWN_L1_NAMES)[number];

const BY_NORMAL = new Map<string, KnownL1Name>(KNOWN_L1_NAMES.map((name) => [normalizeLabel(name), name]));

/** The canonical L1 name that `text` spells (any case, spacing or punctuation), or undefined. Never throws. */
export function findKnownL1(text: string): KnownL1Name | undefined {
  return BY_NORMAL.get(normalizeLabel(text));
}

/** Sort key of an L1 name: known L1s in domain order, others after them. */
export function rankL1(name: string): number {
  const known = findKnownL1(name);
  return known === undefined ? KNOWN_L1_NAMES.length : KNOWN_L1_NAMES.indexOf(known);
}
