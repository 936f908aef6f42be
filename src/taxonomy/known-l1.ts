import { normalizeLabel } from '../lib/text.js';

/** The five L1 states of the domain, in reporting order. These names are facts of the domain, not page content. */
export const KNOWN_L1_NAMES = ['Status Unknown', 'In Progress', 'No Intent', 'Blocked', 'Duplicate/Invalid'] as const;

export type KnownL1Name = (typeof KNOWN_L1_NAMES)[number];

/**
 * The kind of each of the five L1s: the slug of its name, which the status rules go by. An L1 of a
 * customer playbook's own may follow one of them (front matter `rules:` on its L1 page).
 */
export const KNOWN_L1_KINDS = {
  'Status Unknown': 'status-unknown',
  'In Progress': 'in-progress',
  'No Intent': 'no-intent',
  Blocked: 'blocked',
  'Duplicate/Invalid': 'duplicate-invalid',
} as const satisfies Record<KnownL1Name, string>;

export type L1Kind = (typeof KNOWN_L1_KINDS)[KnownL1Name];

/** The L1 of the five whose kind each kind is (`blocked` -> `Blocked`). */
export const KNOWN_L1_BY_KIND: ReadonlyMap<string, KnownL1Name> = new Map(KNOWN_L1_NAMES.map((name) => [KNOWN_L1_KINDS[name], name]));

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

/**
 * The kind of status rules an L1 node follows: its `kind`, or, when a taxonomy built by hand leaves it
 * out, the kind of the known L1 its name spells (null for any other). Never throws.
 */
export function kindOfL1Node(node: { name: string; kind?: L1Kind | null }): L1Kind | null {
  if (node.kind !== undefined) return node.kind;
  const known = findKnownL1(node.name);
  return known === undefined ? null : KNOWN_L1_KINDS[known];
}
