import type { Entitlement, StatusFields, Taxonomy } from '../api/types.js';
import { normalizeLabel } from '../../../src/lib/text.js';
import { KNOWN_L1_BY_KIND, KNOWN_L1_NAMES } from '../../../src/taxonomy/known-l1.js';

/** A problem with a status before it is saved; `error` blocks saving, `warning` does not. */
export interface StatusIssue {
  field: keyof StatusFields;
  severity: 'error' | 'warning';
  code: string;
  message: string;
}

const MIN_EXPLAINING_WORDS = 5;

/**
 * The L1 of the five whose status rules `l1` follows, as the server judges it: the taxonomy's `kind` for
 * the L1 (an L1 of a playbook's own may follow one, front matter `rules:`), else the L1 itself when it is
 * one of the five; null for an L1 that follows none. The five and their kinds are the server's table.
 */
export function rulesL1Of(l1: string, taxonomy: Taxonomy | undefined): string | null {
  const kind = taxonomy?.l1s.find((n) => n.name === l1)?.kind;
  if (kind !== undefined) return kind === null ? null : (KNOWN_L1_BY_KIND.get(kind) ?? null);
  return (KNOWN_L1_NAMES as readonly string[]).includes(l1) ? l1 : null;
}

/** How a hint names the L1: itself, or "Stalled (which follows the Blocked rules)" for an L1 that follows another's. */
function ruleSubject(l1: string, rules: string): string {
  return l1 === rules ? l1 : `${l1} (which follows the ${rules} rules)`;
}

/** True when the note says more than the status label: at least five words beyond the L1/L2 names (the server's rule). */
export function isExplainingNote(note: string, l1: string, l2: string | null): boolean {
  const labelWords = new Set(normalizeLabel(`${l1} ${l2 ?? ''}`).split(' '));
  return normalizeLabel(note).split(' ').filter((w) => w.length > 0 && !labelWords.has(w)).length >= MIN_EXPLAINING_WORDS;
}

/**
 * What a bulk change knows about the selected entitlements: in bulk, a note or date left empty keeps
 * each entitlement's own, so an empty one is not an error in itself. The note is then checked by the
 * server on each row (its per-row refusals name them); a date is required here only when some of the
 * selected entitlements have none of their own to keep.
 */
export interface BulkContext {
  /** How many of the selected entitlements have no target date of their own. */
  withoutTargetDate: number;
  /** How many of the selected entitlements have no projected unblock date of their own. */
  withoutUnblockDate: number;
}

/**
 * The playbook's rules, checked in the browser before a save so the user can fix them inline.
 * The server checks the same rules again; this is a convenience, not the authority.
 * `today` is `YYYY-MM-DD`. With `bulk`, empty notes and dates keep each entitlement's own (see {@link BulkContext}).
 */
export function checkStatus(fields: StatusFields, taxonomy: Taxonomy | undefined, today: string, bulk?: BulkContext): StatusIssue[] {
  const issues = checkSingleStatus(fields, taxonomy, today);
  if (!bulk) return issues;
  const keepsOwnNote = fields.note.trim() === '';
  const out: StatusIssue[] = [];
  for (const issue of issues) {
    if (keepsOwnNote && (issue.code === 'BLOCKED_NOTE' || issue.code === 'NO_INTENT_NOTE')) {
      out.push({ ...issue, severity: 'warning', message: `Each entitlement keeps its own note, and ${fields.l1} needs one that gives the reason: the server checks each note and names any that does not.` });
    } else if (issue.code === 'TARGET_DATE_REQUIRED') {
      if (bulk.withoutTargetDate > 0) out.push({ ...issue, message: `${withoutOwn(bulk.withoutTargetDate)} no target date of ${bulk.withoutTargetDate === 1 ? 'its' : 'their'} own: give one here.` });
    } else if (issue.code === 'UNBLOCK_DATE_REQUIRED') {
      if (bulk.withoutUnblockDate > 0) out.push({ ...issue, message: `${withoutOwn(bulk.withoutUnblockDate)} no projected unblock date of ${bulk.withoutUnblockDate === 1 ? 'its' : 'their'} own: give one here.` });
    } else out.push(issue);
  }
  return out;
}

/** "1 selected entitlement has" / "3 selected entitlements have". */
function withoutOwn(n: number): string {
  return n === 1 ? '1 selected entitlement has' : `${n.toLocaleString('en')} selected entitlements have`;
}

function checkSingleStatus(fields: StatusFields, taxonomy: Taxonomy | undefined, today: string): StatusIssue[] {
  const issues: StatusIssue[] = [];
  const l1 = fields.l1.trim();
  const note = fields.note.trim();
  if (!l1) issues.push({ field: 'l1', severity: 'error', code: 'L1_REQUIRED', message: 'Choose an L1 status.' });
  if (taxonomy && l1) {
    const node = taxonomy.l1s.find((n) => n.name === l1);
    const codes = taxonomy.codes.filter((c) => c.l1 === l1);
    const hasL2s = codes.some((c) => c.l2 !== null);
    if (!node) issues.push({ field: 'l1', severity: 'error', code: 'UNKNOWN_L1', message: `"${l1}" is not an L1 of the playbook.` });
    else if (hasL2s && !fields.l2) issues.push({ field: 'l2', severity: 'error', code: 'L2_REQUIRED', message: `${l1} needs a reason (L2).` });
    else if (fields.l2 && !codes.some((c) => c.l2 === fields.l2))
      issues.push({ field: 'l2', severity: 'error', code: 'L2_NOT_IN_L1', message: `"${fields.l2}" is not a reason under ${l1}; pick one of its own L2s.` });
  }
  const rules = l1 ? rulesL1Of(l1, taxonomy) : null;
  const subject = rules === null ? l1 : ruleSubject(l1, rules);
  if (rules === 'In Progress') {
    if (!fields.targetDate) issues.push({ field: 'targetDate', severity: 'error', code: 'TARGET_DATE_REQUIRED', message: `${subject} needs a target date.` });
    else if (fields.targetDate <= today) issues.push({ field: 'targetDate', severity: 'error', code: 'TARGET_DATE_NOT_FUTURE', message: `The target date must be in the future: after today, ${today} (UTC, the server's calendar).` });
  }
  if (rules === 'Blocked') {
    if (!isExplainingNote(note, l1, fields.l2))
      issues.push({ field: 'note', severity: 'error', code: 'BLOCKED_NOTE', message: `${subject} needs a note that explains the blocker: what stops the customer and what help is needed (at least ${MIN_EXPLAINING_WORDS} words beyond the status name).` });
    if (!fields.projectedUnblockDate)
      issues.push({ field: 'projectedUnblockDate', severity: 'error', code: 'UNBLOCK_DATE_REQUIRED', message: `${subject} needs a projected unblock date.` });
    else if (fields.projectedUnblockDate < today)
      issues.push({ field: 'projectedUnblockDate', severity: 'error', code: 'BLOCKED_UNBLOCK_DATE', message: `The projected unblock date is in the past; give today (${today}) or later.` });
  }
  if (rules === 'No Intent' && !isExplainingNote(note, l1, fields.l2))
    issues.push({ field: 'note', severity: 'error', code: 'NO_INTENT_NOTE', message: `${subject} needs a note giving the reason the customer does not mean to use the service (at least ${MIN_EXPLAINING_WORDS} words beyond the status name).` });
  if (rules === 'Duplicate/Invalid')
    issues.push({ field: 'l1', severity: 'error', code: 'DUPLICATE_INVALID_WHOLE_CUSTOMER', message: l1 !== rules ? `${subject} is set on every entitlement of the customer at once, as Duplicate/Invalid is: use "Mark customer Duplicate/Invalid" on the customer page.` : 'Duplicate/Invalid is set on every entitlement of the customer at once: use "Mark customer Duplicate/Invalid" on the customer page.' });
  if (fields.nextActionDate && fields.nextActionDate < today)
    issues.push({ field: 'nextActionDate', severity: 'warning', code: 'DATE_NOT_PAST', message: `The next action date is in the past; the server accepts it only when it is unchanged.` });
  issues.push(...checkLengths(fields));
  return issues;
}

/**
 * The server's length limits of the typed status fields, in characters: `TEXT_LIMITS` of
 * src/tracker/limits.ts (the web app may not import the tracker; test/e2e/qa7-pages-lib.test.ts checks
 * that these stay equal).
 */
export const STATUS_TEXT_LIMITS = { note: 4000, owner: 200, nextAction: 1000 } as const;

/** The server's length limits of a customer's fields and of a split part (`TEXT_LIMITS` too; the same test checks them). */
export const CUSTOMER_TEXT_LIMITS = { tenantId: 200, name: 300, region: 100, part: 200 } as const;

/** The server's length limit of a partner's name (`TEXT_LIMITS.partnerName`; the same test checks it). */
export const PARTNER_TEXT_LIMITS = { name: 200 } as const;

/** The typed fields the server limits in length, with the form's name for each. */
const LIMITED_FIELDS = [
  ['note', STATUS_TEXT_LIMITS.note, 'The note'],
  ['owner', STATUS_TEXT_LIMITS.owner, 'The owner'],
  ['nextAction', STATUS_TEXT_LIMITS.nextAction, 'The next action'],
] as const;

/**
 * Text longer than the server stores (it refuses the whole save, naming the field by its JSON path).
 * Said under the field with its length, rather than cut by `maxLength`: a pasted e-mail thread
 * would otherwise lose its end without a word.
 */
export function checkLengths(fields: Pick<StatusFields, 'note' | 'owner' | 'nextAction'>): StatusIssue[] {
  const issues: StatusIssue[] = [];
  for (const [field, max, name] of LIMITED_FIELDS) {
    const length = (fields[field] ?? '').length;
    if (length > max)
      issues.push({ field, severity: 'error', code: 'TOO_LONG', message: `${name} is ${length.toLocaleString('en')} characters long; the server keeps at most ${max.toLocaleString('en')}: shorten it by ${(length - max).toLocaleString('en')}.` });
  }
  return issues;
}

/**
 * The body of a single status change from the form: every field (null clears), except the dates that
 * belong to one L1: the projected unblock date goes as null once the L1 is no longer Blocked, and the
 * target date once it is no longer In Progress, so a date left over from an earlier status is not
 * sent (the form hides those fields then, and the server clears them). An L1 that follows the Blocked or
 * In Progress rules in `taxonomy` keeps its date as they do.
 */
export function toStatusChange(fields: StatusFields, taxonomy?: Taxonomy): StatusFields {
  const rules = rulesL1Of(fields.l1, taxonomy);
  const out = rules === 'Blocked' ? fields : { ...fields, projectedUnblockDate: null };
  return rules === 'In Progress' ? out : { ...out, targetDate: null };
}

/**
 * The fields a bulk change sends for every selected entitlement: the status (L1 and L2) always; the
 * note, target date and projected unblock date (while Blocked) only when filled in. Every other field
 * is left out, and the API keeps an omitted field's value on each entitlement (null would clear it),
 * so a bulk change never wipes the rows' own notes, owners or dates.
 */
export function toBulkChange(fields: StatusFields, taxonomy?: Taxonomy): Partial<StatusFields> {
  const change: Partial<StatusFields> = { l1: fields.l1, l2: fields.l2 };
  const rules = rulesL1Of(fields.l1, taxonomy);
  if (fields.note.trim()) change.note = fields.note;
  if (rules === 'In Progress' && fields.targetDate) change.targetDate = fields.targetDate;
  if (rules === 'Blocked' && fields.projectedUnblockDate) change.projectedUnblockDate = fields.projectedUnblockDate;
  return change;
}

/**
 * The status form's one-line summary of the rules, naming only the L1s the playbook has (a partner's
 * own playbook may have no Blocked or In Progress, and the line listed them anyway), with the playbook's
 * own L1s that follow their rules ("Blocked and Stalled need ...").
 */
export function describeStatusRules(taxonomy: Taxonomy | undefined): string {
  const following = (name: string): string[] => (taxonomy ? taxonomy.l1s.filter((n) => rulesL1Of(n.name, taxonomy) === name).map((n) => n.name) : [name]);
  const rule = (name: string, what: string): string | null => {
    const names = following(name);
    if (names.length === 0) return null;
    return `${names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`} ${names.length === 1 ? 'needs' : 'need'} ${what}`;
  };
  const rules = [
    'the L2 belongs to the L1',
    rule('In Progress', 'a future target date'),
    rule('Blocked', 'a note explaining the blocker and a projected unblock date'),
    rule('No Intent', 'a note with the reason'),
  ].filter((r): r is string => r !== null);
  return `Rules: ${rules.join('; ')}.`;
}

/** L2 names under an L1 in playbook order; empty for an L1-only code or an unknown L1. */
export function listL2s(taxonomy: Taxonomy | undefined, l1: string): string[] {
  if (!taxonomy) return [];
  return taxonomy.codes.filter((c) => c.l1 === l1 && c.l2 !== null).map((c) => c.l2 as string);
}

/**
 * The date rules as the server applies them to a change of the stored entitlement (src/tracker/rules.ts
 * judges a change against the stored status): a projected unblock date or a next action date kept as
 * stored may be past, only a changed one may not; In Progress needs a target date after today on every
 * save, even one that keeps the stored date, so a lapsed one says what to do (as does an L1 that follows
 * the In Progress rules in `taxonomy`).
 */
export function checkStoredDates(issues: StatusIssue[], fields: StatusFields, stored: Entitlement | undefined, today: string, taxonomy?: Taxonomy): StatusIssue[] {
  if (!stored) return issues;
  const out: StatusIssue[] = [];
  for (const issue of issues) {
    if (issue.code === 'BLOCKED_UNBLOCK_DATE' && fields.projectedUnblockDate === stored.projectedUnblockDate) {
      out.push({
        ...issue,
        severity: 'warning',
        message: `The projected unblock date ${stored.projectedUnblockDate} has passed. Saving keeps it; give a new date once you know when the blocker clears.`,
      });
    } else if (issue.code === 'DATE_NOT_PAST' && fields.nextActionDate !== null) {
      out.push(
        fields.nextActionDate === stored.nextActionDate
          ? { ...issue, message: `The next action date ${fields.nextActionDate} has passed. Saving keeps it; give a new one when the next action is planned.` }
          : { ...issue, severity: 'error', message: `The next action date is in the past; give today (${today}) or later.` },
      );
    } else if (issue.code === 'TARGET_DATE_NOT_FUTURE' && rulesL1Of(stored.l1, taxonomy) === 'In Progress' && fields.targetDate === stored.targetDate) {
      out.push({ ...issue, message: lapsedTargetMessage(fields.targetDate, today) });
    } else out.push(issue);
  }
  return out;
}

/** What to do about an In Progress entitlement whose target date has passed: the server refuses any save that keeps it. */
export function lapsedTargetMessage(date: string | null, today: string): string {
  return `The target date ${date ?? ''} has passed. In Progress needs a target date after today (${today}) for every save, even one that changes only the owner or the note: set a new target date, or choose another status if the work has stalled.`;
}
