/** Rewrite templates: the shape of a great note per L1, with placeholders in braces. */
import { normalizeLabel } from '../lib/index.js';

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
