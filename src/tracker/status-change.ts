/** Preparing a status change (merge, rules, advice) and writing it with its history row. */
import { AppError } from '../lib/index.js';
import { bulkWriter, type BulkWriter, type Database, type EntitlementStatusValues, type HistoryKind, type NewHistoryRow } from '../db/index.js';
import { addToRollup, type RollupBatch } from './rollup.js';
import type { Kysely } from 'kysely';
import type { Taxonomy } from '../taxonomy/types.js';
import { checkStatusRules, isDuplicateInvalid, kindOf, L1_KIND, l1KindsOf, resolveStatusCode, toIsoDate, type L1Kinds } from './rules.js';
import { daysBetween, snapshotColumns, statusColumnValues, type EntitlementJoinedRow } from './views.js';
import type { Actor, CodeSuggestion, NoteAdvice, NoteAdvisor, NoteGrade, NoteToAdvise, RuleViolation, StatusInput, StatusSnapshot, Warning } from './types.js';

/** A change checked against the rules and ready to write. */
export interface PreparedChange {
  before: StatusSnapshot;
  after: StatusSnapshot;
  violations: RuleViolation[];
  warnings: Warning[];
  grade: NoteGrade | null;
  suggestion: CodeSuggestion | null;
}

/** Note coach scores below this make a note weak (a warning, never an error). */
const WEAK_SCORE = 0.5;
/** Minimum classifier confidence before a disagreeing reading is worth a warning. */
const DISAGREEMENT_CONFIDENCE = 0.6;

function pick<T>(value: T | undefined, fallback: T): T {
  return value === undefined ? fallback : value;
}

/** A short free-text field as given, trimmed; all spaces (or null) is empty, null. Stored values are left as they are. */
function pickText(value: string | null | undefined, fallback: string | null): string | null {
  if (value === undefined) return fallback;
  const trimmed = value === null ? '' : value.trim();
  return trimmed === '' ? null : trimmed;
}

/**
 * Merges `input` over `before`: omitted fields keep their value, null clears; an `l2` without `code` or
 * `l1` is a reason under the current L1; given text is trimmed
 * (an all-space l3, business reason, owner or next action clears it). The taxonomy version
 * moves only with a new code; the projected unblock date is kept only while Blocked; the target date,
 * which belongs to In Progress, is cleared when the change leaves In Progress without giving one. Throws
 * UNKNOWN_CODE for unknown labels, RULE_VIOLATION for an L2 outside its L1 or a `code` that l1/l2 contradict.
 */
export function mergeStatus(taxonomy: Taxonomy, before: StatusSnapshot, input: StatusInput): StatusSnapshot {
  // An L2 alone is another reason under the current L1 (it was dropped without a word, keeping the old
  // code): resolved as l1 + l2, so one of another L1 is refused (L2_BELONGS_TO_L1), never a silent L1 move.
  const l2Alone = input.code === undefined && input.l1 === undefined && typeof input.l2 === 'string' && input.l2.trim() !== '';
  const codeGiven = input.code !== undefined || input.l1 !== undefined || l2Alone;
  const code = codeGiven ? resolveStatusCode(taxonomy, l2Alone ? { l1: before.l1, l2: input.l2 } : input) : null;
  const l1 = code ? code.l1 : before.l1;
  const projectedUnblockDate = pick(input.projectedUnblockDate, before.projectedUnblockDate);
  const kinds = l1KindsOf(taxonomy);
  const kind = kindOf({ l1 }, kinds);
  const leavesInProgress = kindOf(before, kinds) === L1_KIND.inProgress && kind !== L1_KIND.inProgress;
  return {
    code: code ? code.id : before.code,
    l1,
    l2: code ? code.l2 : before.l2,
    l3: pickText(input.l3, codeGiven ? null : before.l3),
    taxonomyVersion: code && code.id !== before.code ? taxonomy.version : before.taxonomyVersion,
    note: pick(input.note, before.note).trim(),
    targetDate: pick(input.targetDate, leavesInProgress ? null : before.targetDate),
    engagementStartDate: pick(input.engagementStartDate, before.engagementStartDate),
    businessReason: pickText(input.businessReason, before.businessReason),
    owner: pickText(input.owner, before.owner),
    nextAction: pickText(input.nextAction, before.nextAction),
    nextActionDate: pick(input.nextActionDate, before.nextActionDate),
    projectedUnblockDate: kind === L1_KIND.blocked ? projectedUnblockDate : null,
  };
}

const SNAPSHOT_FIELDS = [
  'code', 'l1', 'l2', 'l3', 'taxonomyVersion', 'note', 'targetDate', 'engagementStartDate', 'businessReason', 'owner', 'nextAction', 'nextActionDate', 'projectedUnblockDate',
] as const satisfies readonly (keyof StatusSnapshot)[];

/** True when the two statuses hold the same values: a change from one to the other changes nothing. */
export function isSameStatus(a: StatusSnapshot, b: StatusSnapshot): boolean {
  return SNAPSHOT_FIELDS.every((f) => a[f] === b[f]);
}

/** An entitlement of a customer, as the whole-customer Duplicate/Invalid check needs it. */
export interface SiblingRow {
  id: number;
  customerId: number;
  l1: string;
}

/**
 * The rule that Duplicate/Invalid covers a whole customer, on the way out: an entitlement may leave
 * Duplicate/Invalid only when every other Duplicate/Invalid entitlement of its customer leaves in the
 * same change. `siblings` are the stored entitlements of the customers concerned; `changes` the
 * statuses after the change, by entitlement id; `kinds` the taxonomy's L1 kinds ({@link l1KindsOf}), so an
 * L1 of the playbook's own that follows Duplicate/Invalid counts as one. Returns the violation per
 * entitlement id. Never throws.
 */
export function checkDuplicateInvalidExit(siblings: SiblingRow[], changes: Map<number, { before: StatusSnapshot; after: StatusSnapshot }>, kinds?: L1Kinds): Map<number, RuleViolation> {
  const out = new Map<number, RuleViolation>();
  const staying = new Map<number, number>();
  for (const s of siblings) {
    const change = changes.get(s.id);
    const stays = change ? isDuplicateInvalid(change.after, kinds) : isDuplicateInvalid(s, kinds);
    if (stays) staying.set(s.customerId, (staying.get(s.customerId) ?? 0) + 1);
  }
  const customerOf = new Map(siblings.map((s) => [s.id, s.customerId]));
  for (const [id, { before, after }] of changes) {
    if (!isDuplicateInvalid(before, kinds) || isDuplicateInvalid(after, kinds)) continue;
    const others = staying.get(customerOf.get(id) ?? -1) ?? 0;
    if (others === 0) continue;
    out.set(id, {
      rule: 'DUPLICATE_INVALID_WHOLE_CUSTOMER',
      field: 'code',
      message: `The customer is Duplicate/Invalid and ${others} other entitlement(s) of it stay so; Duplicate/Invalid covers every entitlement of a customer, so move them all out in the same change (one bulk change or one import).`,
    });
  }
  return out;
}

/**
 * The status a new entitlement of a customer starts with: Duplicate/Invalid (with the same code and
 * note) when every existing entitlement of the customer is (by `kinds`, the taxonomy's L1 kinds), else
 * `initial`. Never throws.
 */
export function startingStatus(initial: StatusSnapshot, siblings: StatusSnapshot[], kinds?: L1Kinds): StatusSnapshot {
  const first = siblings[0];
  if (!first || !siblings.every((s) => isDuplicateInvalid(s, kinds))) return initial;
  return { ...initial, code: first.code, l1: first.l1, l2: first.l2, l3: first.l3, taxonomyVersion: first.taxonomyVersion, note: first.note };
}

/** What the advice on one changed status comes to: the grade, the classifier's reading, and the warnings they raise. */
export interface StatusAdvice extends NoteAdvice {
  warnings: Warning[];
}

/** The warnings a note's advice raises against the status it is filed under. Pure. */
function adviceWarnings(after: StatusSnapshot, { grade, suggestion }: NoteAdvice): Warning[] {
  const warnings: Warning[] = [];
  if (grade && grade.score < WEAK_SCORE) {
    warnings.push({ code: 'WEAK_NOTE', message: `The note grades ${grade.grade}: ${grade.findings.map((f) => f.message).join(' ') || 'it does not state intent and reason clearly.'}`, details: grade });
  }
  if (suggestion && !suggestion.abstained && suggestion.code !== after.code && suggestion.confidence >= DISAGREEMENT_CONFIDENCE) {
    warnings.push({
      code: 'NOTE_READS_AS_OTHER_CODE',
      message: `The note reads as ${suggestion.l1}${suggestion.l2 ? ` / ${suggestion.l2}` : ''} (confidence ${suggestion.confidence.toFixed(2)}), not ${after.l1}${after.l2 ? ` / ${after.l2}` : ''}. Check the code or make the note say why.`,
      details: suggestion,
    });
  }
  return warnings;
}

/** One note's advice through the advisor's single-note calls; nulls where it lacks one or one fails. */
async function adviseOne(advisor: NoteAdvisor, item: NoteToAdvise): Promise<NoteAdvice> {
  let grade: NoteGrade | null = null;
  let suggestion: CodeSuggestion | null = null;
  try {
    grade = advisor.grade ? await advisor.grade(item.note, { l1: item.l1, l2: item.l2 }) : null;
  } catch {
    grade = null;
  }
  try {
    suggestion = advisor.suggest ? await advisor.suggest(item.note) : null;
  } catch {
    suggestion = null;
  }
  return { grade, suggestion };
}

/**
 * Grades the notes of `afters` and asks the classifier for their readings, in input order; nulls where
 * the advisor lacks either, and no advice for an empty note. A note filed under the same code twice is
 * advised once (an import often repeats a note). Never throws.
 */
export async function adviseOnNotes(advisor: NoteAdvisor, afters: readonly StatusSnapshot[]): Promise<StatusAdvice[]> {
  const none: NoteAdvice = { grade: null, suggestion: null };
  const index = new Map<string, number>();
  const unique: NoteToAdvise[] = [];
  const slot = afters.map((after) => {
    if (after.note === '') return -1;
    const key = `${after.l1}\u0000${after.l2 ?? ''}\u0000${after.note}`;
    let i = index.get(key);
    if (i === undefined) index.set(key, (i = unique.push({ note: after.note, l1: after.l1, l2: after.l2 }) - 1));
    return i;
  });
  let advice: NoteAdvice[];
  if (advisor.adviseMany && unique.length > 0) {
    try {
      advice = await advisor.adviseMany(unique);
    } catch {
      advice = unique.map(() => none);
    }
  } else {
    advice = [];
    for (const item of unique) advice.push(await adviseOne(advisor, item));
  }
  return afters.map((after, i) => {
    const found = slot[i] === -1 ? none : (advice[slot[i]!] ?? none);
    return { ...found, warnings: adviceWarnings(after, found) };
  });
}

/** Grades the note and asks the classifier for its reading; nulls when the advisor lacks either. Never throws. */
export async function adviseOnNote(advisor: NoteAdvisor, after: StatusSnapshot): Promise<StatusAdvice> {
  return (await adviseOnNotes(advisor, [after]))[0]!;
}

/** Merges, checks rules and gathers advice for one change; never writes. */
export async function prepareChange(
  taxonomy: Taxonomy,
  advisor: NoteAdvisor,
  now: Date,
  before: StatusSnapshot,
  input: StatusInput,
  options: { wholeCustomer?: boolean; advise?: boolean } = {},
): Promise<PreparedChange> {
  return (await prepareChanges(taxonomy, advisor, now, [{ before, input }], options))[0]!;
}

/**
 * {@link prepareChange} for several changes, in input order, with the advice on all their notes asked
 * for at once (so the advisor can spread it over its worker threads). Never writes.
 */
export async function prepareChanges(
  taxonomy: Taxonomy,
  advisor: NoteAdvisor,
  now: Date,
  changes: readonly { before: StatusSnapshot; input: StatusInput }[],
  options: { wholeCustomer?: boolean; advise?: boolean } = {},
): Promise<PreparedChange[]> {
  const today = toIsoDate(now);
  const kinds = l1KindsOf(taxonomy);
  const checked = changes.map(({ before, input }) => {
    const after = mergeStatus(taxonomy, before, input);
    return { before, after, violations: checkStatusRules(after, { today, before, wholeCustomer: options.wholeCustomer ?? false, kinds }) };
  });
  const advisable = options.advise === false ? [] : checked.filter((c) => c.violations.length === 0);
  const advice = new Map(advisable.map((c, i) => [c, i]));
  const given = await adviseOnNotes(advisor, advisable.map((c) => c.after));
  return checked.map((c) => {
    const i = advice.get(c);
    const found = i === undefined ? { grade: null, suggestion: null, warnings: [] } : given[i]!;
    // The grade and the classifier's reading are kept for the history either way, but warnings about the
    // note are for whoever writes it: a change of owner or dates that leaves note and code alone gets none.
    if (c.after.note === c.before.note && c.after.code === c.before.code) return { ...c, ...found, warnings: [] };
    return { ...c, ...found };
  });
}

/**
 * The grade to store with a change: the advice's grade when there is one; else, when neither the note
 * nor the code changes, the stored grade (an import without advice, or one that leaves the note alone,
 * keeps it; the history row then carries the grade without a score); else none. Never throws.
 */
export function gradeToStore(change: PreparedChange, row: { note: string; code: string; note_grade: string | null }): { note_grade: string | null; note_score: number | null } {
  if (change.grade) return { note_grade: change.grade.grade, note_score: change.grade.score };
  if (change.after.note === row.note && change.after.code === row.code) return { note_grade: row.note_grade, note_score: null };
  return { note_grade: null, note_score: null };
}

/** Throws VERSION_CONFLICT with the current state when `expected` is not the stored version. */
export function assertVersion(current: { id: number; version: number }, expected: number, currentView: unknown): void {
  if (current.version !== expected) {
    throw new AppError('VERSION_CONFLICT', `Entitlement ${current.id} changed since you read it (you have version ${expected}, it is now ${current.version}). Reload and apply your change again.`, { current: currentView });
  }
}

/**
 * Writes a prepared change and its history row inside `trx`. Returns false when the stored version is no
 * longer `expectedVersion` (someone else wrote first); the caller then rolls back. `meta.rollup`: a
 * transaction that writes several changes gathers their roll-up there and writes it after the last
 * (see {@link RollupBatch}); without it, the roll-up is written here.
 */
export async function writeChange(
  trx: Kysely<Database>,
  row: Pick<EntitlementJoinedRow, 'id' | 'partner_id' | 'since' | 'code' | 'note' | 'note_grade'>,
  expectedVersion: number,
  change: PreparedChange,
  meta: { actor: Actor; now: Date; kind: HistoryKind; rollup?: RollupBatch },
): Promise<boolean> {
  const nowIso = meta.now.toISOString();
  const codeChanged = change.after.code !== row.code;
  const grade = gradeToStore(change, row);
  const result = await trx
    .updateTable('entitlements')
    .set({
      ...snapshotColumns(change.after),
      note_grade: grade.note_grade,
      version: expectedVersion + 1,
      updated_by: meta.actor.userId,
      updated_at: nowIso,
      since: codeChanged ? nowIso : row.since,
    })
    .where('id', '=', row.id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return false;
  const history = historyRowOf(row, change, meta);
  await trx.insertInto('status_history').values(history).execute();
  if (meta.rollup) await meta.rollup.add(trx, [history]);
  else await addToRollup(trx, [history]);
  return true;
}

/**
 * The history row of `change` applied to the stored `row` by `meta.actor` at `meta.now`. `json` carries
 * the before/after JSON when the caller has it already.
 */
export function historyRowOf(
  row: Pick<EntitlementJoinedRow, 'id' | 'partner_id' | 'since' | 'code' | 'note' | 'note_grade'>,
  change: PreparedChange,
  meta: { actor: Actor; now: Date; kind: HistoryKind; nowIso?: string },
  json?: { before: string; after: string },
): NewHistoryRow {
  const codeChanged = change.after.code !== row.code;
  return {
    entitlement_id: row.id, partner_id: row.partner_id, kind: meta.kind, changed_by: meta.actor.userId, changed_by_name: meta.actor.name, changed_at: meta.nowIso ?? meta.now.toISOString(),
    from_code: row.code, to_code: change.after.code, days_in_previous: codeChanged ? daysBetween(row.since, meta.now) : null,
    before_json: json?.before ?? JSON.stringify(change.before), after_json: json?.after ?? JSON.stringify(change.after), ...gradeToStore(change, row),
    suggestion_json: change.suggestion ? JSON.stringify(change.suggestion) : null, suggested_code: change.suggestion?.code ?? null,
  };
}

/** The stored columns a bulk write compares against: only the ones that change are written. */
export type WritableRow = Pick<
  EntitlementJoinedRow,
  'id' | 'partner_id' | 'customer_id' | 'since' | 'code' | 'l1' | 'l2' | 'l3' | 'taxonomy_version' | 'note' | 'target_date' | 'engagement_start_date' | 'business_reason' | 'owner' | 'next_action' | 'next_action_date' | 'projected_unblock_date' | 'note_grade'
>;

/**
 * Writes many prepared changes with set-based statements (see db/bulk.ts) inside `trx`, with their
 * history rows and roll-up, in the order given. Returns false when any entitlement's version moved on
 * (the caller rolls back). `json` carries the before/after JSON when the caller has it already.
 * `meta.writer`: a caller writing in several calls passes one writer to all of them and calls its
 * `finish()` after the last; without it, this call makes its own and finishes it. `meta.workloads`
 * (entitlement id to workload id, when the caller holds them) spares the roll-up reading them.
 * `meta.rollup`: such a caller also gathers the roll-up there and writes it after its last write (see
 * {@link RollupBatch}); without it, the roll-up is written here.
 */
export async function writeChanges(
  trx: Kysely<Database>,
  items: { row: WritableRow; version: number; change: PreparedChange; json?: { before: string; after: string } }[],
  meta: { actor: Actor; now: Date; kind: HistoryKind; writer?: BulkWriter; workloads?: ReadonlyMap<number, number>; rollup?: RollupBatch },
): Promise<boolean> {
  if (items.length === 0) return true;
  const nowIso = meta.now.toISOString();
  const writer = meta.writer ?? bulkWriter(trx);
  const updates = items.map(({ row, version, change }) => ({
    id: row.id,
    version,
    old: row satisfies EntitlementStatusValues,
    customerId: row.customer_id,
    values: statusColumnValues(change.after, gradeToStore(change, row).note_grade, change.after.code !== row.code ? nowIso : row.since),
  }));
  if ((await writer.updateEntitlementStatuses(updates, { updatedBy: meta.actor.userId, updatedAt: nowIso })) !== items.length) return false;
  const historyMeta = { ...meta, nowIso };
  const history: NewHistoryRow[] = items.map(({ row, change, json }) => historyRowOf(row, change, historyMeta, json));
  await writer.insertHistory(history);
  if (meta.rollup) await meta.rollup.add(trx, history, meta.workloads);
  else await addToRollup(trx, history, meta.workloads);
  if (!meta.writer) await writer.finish();
  return true;
}
