/**
 * Pure helpers of the portfolio's bulk status change: which rows "select all" takes, when the change
 * needs a confirmation, what the confirmation says, and the server's warnings and per-row refusals
 * grouped into one line per distinct problem (with the entitlements it concerns).
 */
import type { Id, RuleIssue, StatusFields } from '../api/types.js';
import { formatStatus } from './format.js';

export const DUPLICATE_INVALID = 'Duplicate/Invalid';
/** Above this many selected entitlements, a bulk change asks for a confirmation first. */
export const BULK_CONFIRM_THRESHOLD = 20;
/** The most items one bulk change takes (POST /api/entitlements/bulk-status). */
export const BULK_LIMIT = 1000;

/** "1 entitlement" / "3 entitlements". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en')} ${count === 1 ? one : many}`;
}

/**
 * The rows "select all" ticks: every row shown except the Duplicate/Invalid ones (a Duplicate/Invalid
 * customer leaves that status as a whole, from its customer page), and how many were left out.
 */
export function selectAllShown<T extends { id: Id; l1: string }>(rows: readonly T[]): { ids: string[]; leftOut: number } {
  const ids: string[] = [];
  let leftOut = 0;
  for (const row of rows) {
    if (row.l1 === DUPLICATE_INVALID) leftOut++;
    else ids.push(String(row.id));
  }
  return { ids, leftOut };
}

/** The sentence shown when "select all" left Duplicate/Invalid rows out; undefined when none were. */
export function describeLeftOut(leftOut: number): string | undefined {
  if (leftOut === 0) return undefined;
  return `${plural(leftOut, 'Duplicate/Invalid entitlement')} left out: restore ${leftOut === 1 ? 'it' : 'them'} from ${leftOut === 1 ? 'its' : 'their'} customer page.`;
}

/** True when a change of `count` entitlements asks for a confirmation before it is sent. */
export function needsConfirmation(count: number): boolean {
  return count > BULK_CONFIRM_THRESHOLD;
}

/**
 * What a bulk change does, one line per field it touches, for the confirmation step: the status always,
 * the note and dates either as given or "each keeps its own", and a line saying the rest stays.
 */
export function describeBulkChange(fields: StatusFields): string[] {
  const lines = [`Status: ${formatStatus(fields.l1, fields.l2)}`];
  const note = fields.note.trim();
  lines.push(note ? `Note: "${note.length > 80 ? `${note.slice(0, 80)}…` : note}" on every one` : 'Note: each keeps its own');
  // Only In Progress sends a target date (toBulkChange); leaving In Progress clears it on the server.
  if (fields.l1 !== 'In Progress') lines.push('Target date: cleared where the entitlement leaves In Progress, else kept');
  else lines.push(fields.targetDate ? `Target date: ${fields.targetDate}` : 'Target date: each keeps its own');
  if (fields.l1 === 'Blocked') lines.push(fields.projectedUnblockDate ? `Projected unblock date: ${fields.projectedUnblockDate}` : 'Projected unblock date: each keeps its own');
  lines.push('Owner, next action and the other fields: not changed');
  return lines;
}

/** One entitlement a grouped warning or refusal concerns. */
export interface GroupedItem {
  id: Id;
  /** How the page names the entitlement, e.g. `Harbour Logistics · Teams`. */
  label: string;
  /** The full message for this entitlement (it may carry details the group line leaves out). */
  message: string;
}

/** One line per distinct problem: a summary with the count, and the entitlements it concerns. */
export interface IssueGroup {
  key: string;
  summary: string;
  items: GroupedItem[];
}

interface WarningLike {
  code?: string | undefined;
  message: string;
  details?: unknown;
}

/** The key and the summary (given the count) of one warning. */
function classifyWarning(warning: WarningLike): { key: string; summarize: (count: number) => string } {
  const details = (warning.details && typeof warning.details === 'object' ? warning.details : {}) as { grade?: unknown };
  if (warning.code === 'WEAK_NOTE') {
    const grade = typeof details.grade === 'string' ? details.grade : (/grades (\w+)/.exec(warning.message)?.[1] ?? 'weak');
    return { key: `WEAK_NOTE:${grade}`, summarize: (n) => `${plural(n, 'note')} grade${n === 1 ? 's' : ''} ${grade}` };
  }
  if (warning.code === 'NOTE_READS_AS_OTHER_CODE') {
    // One line whatever code each note reads as (each entitlement's line names it).
    return { key: 'NOTE_READS_AS_OTHER_CODE', summarize: (n) => `${plural(n, 'note')} read${n === 1 ? 's' : ''} as another code` };
  }
  return { key: `${warning.code ?? ''}:${warning.message}`, summarize: (n) => (n === 1 ? warning.message : `${n.toLocaleString('en')} entitlements: ${warning.message}`) };
}

/**
 * The warnings of a bulk change's results grouped into one line per distinct warning (a weak note by
 * its grade, every note that reads as another code together, anything else by its message), largest
 * group first; each group lists the entitlements it concerns.
 */
export function groupWarnings(results: readonly { id: Id; label: string; warnings: readonly WarningLike[] }[]): IssueGroup[] {
  const groups = new Map<string, { summarize: (n: number) => string; items: GroupedItem[] }>();
  for (const result of results) {
    for (const warning of result.warnings) {
      const { key, summarize } = classifyWarning(warning);
      const group = groups.get(key) ?? { summarize, items: [] };
      group.items.push({ id: result.id, label: result.label, message: warning.message });
      groups.set(key, group);
    }
  }
  return [...groups.entries()]
    .map(([key, g]) => ({ key, summary: g.summarize(g.items.length), items: g.items }))
    .sort((a, b) => b.items.length - a.items.length);
}

/**
 * A refused bulk change's per-row problems grouped like {@link groupWarnings}: one line per broken
 * rule and message (with how many entitlements break it), from RULE_VIOLATION's `details.items`, and
 * one line for the entitlements that changed meanwhile (VERSION_CONFLICT's `details.conflicts`).
 */
export function groupRowIssues(details: unknown, describe: (id: Id) => string): IssueGroup[] {
  if (!details || typeof details !== 'object') return [];
  const { items, conflicts } = details as { items?: { id: Id; violations?: RuleIssue[] }[]; conflicts?: { id: Id }[] };
  const groups = new Map<string, { message: string; items: GroupedItem[] }>();
  for (const item of Array.isArray(items) ? items : []) {
    for (const violation of item.violations ?? []) {
      const key = `${violation.rule ?? violation.code ?? ''}:${violation.message}`;
      const group = groups.get(key) ?? { message: violation.message, items: [] };
      group.items.push({ id: item.id, label: describe(item.id), message: violation.message });
      groups.set(key, group);
    }
  }
  const out: IssueGroup[] = [...groups.entries()].map(([key, g]) => ({ key, summary: `${plural(g.items.length, 'entitlement')}: ${g.message}`, items: g.items }));
  if (Array.isArray(conflicts) && conflicts.length > 0) {
    out.push({
      key: 'VERSION_CONFLICT',
      summary: `${plural(conflicts.length, 'entitlement')} changed since you loaded ${conflicts.length === 1 ? 'it' : 'them'}: reload the portfolio and try again.`,
      items: conflicts.map((c) => ({ id: c.id, label: describe(c.id), message: 'Changed since the portfolio loaded it.' })),
    });
  }
  return out.sort((a, b) => b.items.length - a.items.length);
}

/** The Duplicate/Invalid customers a refused change would have restored (422 RESTORE_NOT_CONFIRMED's `details.customers`). */
export function readRestoreRefusal(details: unknown): { customerId: Id; customerName: string; count: number }[] {
  if (!details || typeof details !== 'object') return [];
  const customers = (details as { customers?: { customerId: Id; customerName?: string; entitlementIds?: Id[] }[] }).customers;
  if (!Array.isArray(customers)) return [];
  return customers.map((c) => ({ customerId: c.customerId, customerName: c.customerName ?? `Customer ${c.customerId}`, count: c.entitlementIds?.length ?? 0 }));
}
