/** API-facing shapes of tracker rows (camelCase, parsed JSON) and the mappers that build them. */
import type { EntitlementStatusValues, HistoryKind, HistoryRow } from '../db/index.js';
import type { CodeSuggestion, StatusSnapshot } from './types.js';

const DAY_MS = 86_400_000;

export interface EntitlementView extends StatusSnapshot {
  id: number;
  customerId: number;
  customerName: string;
  tenantId: string;
  partnerId: number;
  workload: string;
  workloadName: string;
  part: string;
  noteGrade: string | null;
  version: number;
  updatedBy: number | null;
  updatedAt: string;
  since: string;
  /** Whole days since the entitlement entered its current code. */
  daysInStatus: number;
}

export interface HistoryView {
  id: number;
  entitlementId: number;
  kind: HistoryKind;
  changedBy: number | null;
  changedByName: string;
  changedAt: string;
  fromCode: string | null;
  toCode: string;
  daysInPrevious: number | null;
  before: StatusSnapshot | null;
  after: StatusSnapshot;
  noteGrade: string | null;
  noteScore: number | null;
  suggestion: CodeSuggestion | null;
}

/** Columns selected for an entitlement view (entitlement `e`, customer `c`, workload `w`). */
export const ENTITLEMENT_COLUMNS = [
  'e.id', 'e.customer_id', 'c.name as customer_name', 'c.tenant_id', 'e.partner_id', 'w.slug as workload', 'w.name as workload_name', 'e.part',
  'e.code', 'e.l1', 'e.l2', 'e.l3', 'e.taxonomy_version', 'e.note', 'e.target_date', 'e.engagement_start_date', 'e.business_reason', 'e.owner',
  'e.next_action', 'e.next_action_date', 'e.projected_unblock_date', 'e.note_grade', 'e.version', 'e.updated_by', 'e.updated_at', 'e.since',
] as const;

export interface EntitlementJoinedRow {
  id: number;
  customer_id: number;
  customer_name: string;
  tenant_id: string;
  partner_id: number;
  workload: string;
  workload_name: string;
  part: string;
  code: string;
  l1: string;
  l2: string | null;
  l3: string | null;
  taxonomy_version: string;
  note: string;
  target_date: string | null;
  engagement_start_date: string | null;
  business_reason: string | null;
  owner: string | null;
  next_action: string | null;
  next_action_date: string | null;
  projected_unblock_date: string | null;
  note_grade: string | null;
  version: number;
  updated_by: number | null;
  updated_at: string;
  since: string;
}

/** An entitlement row from its values in {@link ENTITLEMENT_COLUMNS} order (a raw SQLite row). */
export function entitlementRowFromValues(v: readonly unknown[]): EntitlementJoinedRow {
  return {
    id: v[0], customer_id: v[1], customer_name: v[2], tenant_id: v[3], partner_id: v[4], workload: v[5], workload_name: v[6], part: v[7],
    code: v[8], l1: v[9], l2: v[10], l3: v[11], taxonomy_version: v[12], note: v[13], target_date: v[14], engagement_start_date: v[15], business_reason: v[16], owner: v[17],
    next_action: v[18], next_action_date: v[19], projected_unblock_date: v[20], note_grade: v[21], version: v[22], updated_by: v[23], updated_at: v[24], since: v[25],
  } as EntitlementJoinedRow;
}

/** The status part of an entitlement row. */
export function toSnapshot(row: Omit<EntitlementJoinedRow, 'id' | 'customer_id' | 'customer_name' | 'tenant_id' | 'partner_id' | 'workload' | 'workload_name' | 'part' | 'note_grade' | 'version' | 'updated_by' | 'updated_at' | 'since'>): StatusSnapshot {
  return {
    code: row.code,
    l1: row.l1,
    l2: row.l2,
    l3: row.l3,
    taxonomyVersion: row.taxonomy_version,
    note: row.note,
    targetDate: row.target_date,
    engagementStartDate: row.engagement_start_date,
    businessReason: row.business_reason,
    owner: row.owner,
    nextAction: row.next_action,
    nextActionDate: row.next_action_date,
    projectedUnblockDate: row.projected_unblock_date,
  };
}

/** Columns to write for a snapshot. */
export function snapshotColumns(s: StatusSnapshot) {
  return {
    code: s.code,
    l1: s.l1,
    l2: s.l2,
    l3: s.l3,
    taxonomy_version: s.taxonomyVersion,
    note: s.note,
    target_date: s.targetDate,
    engagement_start_date: s.engagementStartDate,
    business_reason: s.businessReason,
    owner: s.owner,
    next_action: s.nextAction,
    next_action_date: s.nextActionDate,
    projected_unblock_date: s.projectedUnblockDate,
  };
}

/**
 * Every status column of an entitlement, for a bulk write, as one object literal: spreading
 * {@link snapshotColumns} into a literal with two more keys made an object 10x slower to build
 * (0.5-0.8 s for 50,000 rows here) and slower to read.
 */
export function statusColumnValues(s: StatusSnapshot, noteGrade: string | null, since: string): EntitlementStatusValues {
  return {
    code: s.code, l1: s.l1, l2: s.l2, l3: s.l3, taxonomy_version: s.taxonomyVersion, note: s.note, target_date: s.targetDate, engagement_start_date: s.engagementStartDate,
    business_reason: s.businessReason, owner: s.owner, next_action: s.nextAction, next_action_date: s.nextActionDate, projected_unblock_date: s.projectedUnblockDate,
    note_grade: noteGrade, since,
  };
}

/** Whole days between `since` and `now` (0 when `since` is in the future). */
export function daysBetween(since: string, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - Date.parse(since)) / DAY_MS));
}

export function toEntitlementView(row: EntitlementJoinedRow, now: Date): EntitlementView {
  return {
    id: row.id,
    customerId: row.customer_id,
    customerName: row.customer_name,
    tenantId: row.tenant_id,
    partnerId: row.partner_id,
    workload: row.workload,
    workloadName: row.workload_name,
    part: row.part,
    ...toSnapshot(row),
    noteGrade: row.note_grade,
    version: row.version,
    updatedBy: row.updated_by,
    updatedAt: row.updated_at,
    since: row.since,
    daysInStatus: daysBetween(row.since, now),
  };
}

export function toHistoryView(row: HistoryRow): HistoryView {
  return {
    id: row.id,
    entitlementId: row.entitlement_id,
    kind: row.kind,
    changedBy: row.changed_by,
    changedByName: row.changed_by_name,
    changedAt: row.changed_at,
    fromCode: row.from_code,
    toCode: row.to_code,
    daysInPrevious: row.days_in_previous,
    before: row.before_json === null ? null : (JSON.parse(row.before_json) as StatusSnapshot),
    after: JSON.parse(row.after_json) as StatusSnapshot,
    noteGrade: row.note_grade,
    noteScore: row.note_score,
    suggestion: row.suggestion_json === null ? null : (JSON.parse(row.suggestion_json) as CodeSuggestion),
  };
}
