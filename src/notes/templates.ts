/** Rewrite templates: the shape of a great note per L1, with placeholders in braces. */
import { normalizeLabel } from '../lib/index.js';
import { findKnownL1, KNOWN_L1_BY_KIND, kindOfL1Node } from '../taxonomy/known-l1.js';
import type { Taxonomy } from '../taxonomy/types.js';

export const REWRITE_TEMPLATES = {
  'Status Unknown':
    'Intent unknown: {number} contact attempts since {date} ({channels}) with no reply; {managed account, escalated to {account team member} | unmanaged account, no account team}. For a new purchase instead: {workload} bought on {date}; intent not confirmed, first outreach to {contact} on {date}.',
  'In Progress':
    'Customer is {deploying | migrating | driving use of} {workload} for {scope: users, devices, mailboxes, sites}; {progress so far, e.g. 300 of 900 done}, finishing by {target date}.',
  'No Intent':
    'No intent to use {workload} because {the primary reason: the rival product they run, the on-premises product that does the job, or the decision that took intent away}.',
  Blocked:
    'Customer wants {workload} for {scope} but is blocked because {the specific blocker}; {who is removing it} by {projected unblock date}.',
  'Duplicate/Invalid':
    '{Duplicate of {tenant name or ID} | Invalid because {test, trial, created by mistake}}; exclude from reporting.',
} as const;

export type TemplateL1 = keyof typeof REWRITE_TEMPLATES;

/** The generic shape, used when the note's L1 is not known. */
export const GENERIC_TEMPLATE =
  'What the customer means to do with {workload} (or that it does not mean to), and why, concretely enough for another team to act on.';

const BY_LABEL = new Map<string, TemplateL1>(
  (Object.keys(REWRITE_TEMPLATES) as TemplateL1[]).map((l1) => [normalizeLabel(l1), l1]),
);

/** The template L1 named by `label` (case, spacing and punctuation ignored), or undefined. */
export function findTemplateL1(label: string | null | undefined): TemplateL1 | undefined {
  if (!label) return undefined;
  return BY_LABEL.get(normalizeLabel(label));
}

/**
 * The kind of status rules each L1 of `taxonomy`'s own follows, by name, for the note coach's `l1Kinds`:
 * every L1 that is not one of the five and whose kind is one of the five's (`Stalled: 'blocked'` for a
 * page that says `rules: Blocked`). Empty for the built-in playbook. Pure; build it once per playbook load.
 */
export function noteL1Kinds(taxonomy: Pick<Taxonomy, 'l1s'>): Record<string, string> {
  const kinds: Record<string, string> = {};
  for (const node of taxonomy.l1s) {
    const kind = kindOfL1Node(node);
    if (kind !== null && findKnownL1(node.name) === undefined) kinds[node.name] = kind;
  }
  return kinds;
}

/** The template L1 whose coaching a note filed under `label` gets, and the name its messages use for that L1. */
export interface CoachedL1 {
  /** One of the five: the L1 itself, or the one whose rules an L1 of the playbook's own follows. */
  rules: TemplateL1;
  /** The L1 as the note is filed: the built-in name, or the playbook's own L1 as `l1Kinds` spells it. */
  name: string;
}

/**
 * The coaching for a note filed under `label`: one of the five (case, spacing and punctuation ignored) is
 * coached as itself; an L1 of the playbook's own that `l1Kinds` (by name, see {@link noteL1Kinds}) says
 * follows the rules of one of the five is coached as that one. Undefined otherwise. Never throws.
 */
export function findCoachedL1(label: string | null | undefined, l1Kinds: Readonly<Record<string, string>> | undefined): CoachedL1 | undefined {
  const known = findTemplateL1(label);
  if (known) return { rules: known, name: known };
  if (!label || !l1Kinds) return undefined;
  const wanted = normalizeLabel(label);
  for (const [name, kind] of Object.entries(l1Kinds)) {
    if (typeof kind !== 'string' || normalizeLabel(name) !== wanted) continue;
    const rules = findTemplateL1(KNOWN_L1_BY_KIND.get(kind));
    if (rules) return { rules, name };
  }
  return undefined;
}

/** The template for `l1`, or the generic one when the L1 is unknown. Never throws. */
export function getTemplate(l1: string | null | undefined): string {
  const key = findTemplateL1(l1);
  return key ? REWRITE_TEMPLATES[key] : GENERIC_TEMPLATE;
}

/**
 * `text` (a template, or a fix that quotes one) with its `{workload}` placeholder filled in with
 * `workload` when one is given; unchanged otherwise, so the placeholder still says what to write.
 */
export function fillWorkload(text: string, workload: string | null | undefined): string {
  const name = workload?.trim();
  return name ? text.split('{workload}').join(name) : text;
}

/** The template of an L1 of the playbook's own: the playbook's name for it, and the text shown. */
export interface PlaybookTemplate {
  l1: string;
  template: string;
}

/**
 * The playbook's guidance for `label` when it names an L1 that is not one of the built-in five and
 * `guidance` holds non-empty text for it (keys matched with case, spacing and punctuation ignored);
 * undefined otherwise, so the built-in templates and the generic one stay as they are.
 */
export function findPlaybookTemplate(label: string | null | undefined, guidance: Readonly<Record<string, string>> | undefined): PlaybookTemplate | undefined {
  if (!label || !guidance || findTemplateL1(label)) return undefined;
  const wanted = normalizeLabel(label);
  for (const [l1, text] of Object.entries(guidance)) {
    if (typeof text !== 'string' || text.trim() === '' || normalizeLabel(l1) !== wanted) continue;
    return { l1, template: `Your playbook's guidance for ${l1} notes: ${text.trim()}` };
  }
  return undefined;
}
