/**
 * Row types of every table. Timestamps are ISO-8601 UTC strings (`2026-01-31T09:00:00.000Z`), calendar
 * dates are `YYYY-MM-DD` strings, booleans are 0/1 integers: the same representation on SQLite and
 * PostgreSQL, and ISO strings sort and compare correctly as text on both.
 */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

type Id = Generated<number>;

export interface PartnersTable {
  id: Id;
  name: string;
  created_at: string;
}

export type Role = 'admin' | 'manager' | 'editor' | 'viewer';

export interface UsersTable {
  id: Id;
  email: string;
  name: string;
  role: Role;
  /** Null only for admins, who belong to no partner and see all of them. */
  partner_id: number | null;
  password_hash: string | null;
  disabled: ColumnType<number, number | undefined, number>;
  created_at: string;
  /**
   * 1 while the password is one someone else chose (a manager or admin created the user with it, or set
   * it): the user's sessions may then only read who they are, change the password and sign out.
   */
  must_change_password: ColumnType<number, number | undefined, number>;
}

export interface ApiTokensTable {
  id: Id;
  user_id: number;
  name: string;
  /** sha256 hex of the secret; the secret itself is shown once and never stored. */
  token_hash: string;
  /** First characters of the secret, to tell tokens apart in lists. */
  prefix: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
  /** The token this one was issued with (null when issued from a login session or the CLI). */
  parent_token_id: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface SessionsTable {
  /** sha256 hex of the cookie secret. */
  id: string;
  user_id: number;
  created_at: string;
  expires_at: string;
}

export interface CustomersTable {
  id: Id;
  partner_id: number;
  tenant_id: string;
  name: string;
  /** The name's sort and search key (src/lib nameKey): written with the name by every write. */
  name_key: string;
  managed: number;
  region: string | null;
  created_at: string;
  updated_at: string;
}

export interface WorkloadsTable {
  id: Id;
  slug: string;
  name: string;
}

export interface EntitlementsTable {
  id: Id;
  customer_id: number;
  /** Copy of the customer's partner, so tenancy filters and reports need no join. */
  partner_id: number;
  workload_id: number;
  /** Name of a split part (a region, a subsidiary), or '' for the whole entitlement. */
  part: ColumnType<string, string | undefined, string>;
  l1: string;
  l2: string | null;
  l3: string | null;
  /** Taxonomy code id (`slug(l1)/slug(l2)`). */
  code: string;
  taxonomy_version: string;
  note: string;
  target_date: string | null;
  engagement_start_date: string | null;
  business_reason: string | null;
  owner: string | null;
  next_action: string | null;
  next_action_date: string | null;
  projected_unblock_date: string | null;
  /** Latest note grade (A..F) or null when the note coach was not available. */
  note_grade: string | null;
  version: ColumnType<number, number | undefined, number>;
  updated_by: number | null;
  updated_at: string;
  /** When the entitlement entered its current code. */
  since: string;
  created_at: string;
}

export type HistoryKind = 'create' | 'update' | 'bulk' | 'duplicate-invalid' | 'import';

export interface StatusHistoryTable {
  id: Id;
  entitlement_id: number;
  partner_id: number;
  kind: HistoryKind;
  changed_by: number | null;
  changed_by_name: string;
  changed_at: string;
  /** Code before the change, or null for a creation. */
  from_code: string | null;
  to_code: string;
  /** Whole days spent in `from_code` before this change (0 when the code did not change). */
  days_in_previous: number | null;
  /** JSON of the status before the change, or null for a creation. */
  before_json: string | null;
  after_json: string;
  note_grade: string | null;
  note_score: number | null;
  /** JSON of the classifier's suggestion at the time, or null when unavailable. */
  suggestion_json: string | null;
  suggested_code: string | null;
}

/** Per day, partner, code move and note grade: how many history rows, and their note scores. */
export interface HistoryDailyTable {
  /** `YYYY-MM-DD` of `changed_at`. */
  day: string;
  partner_id: number;
  /** '' for a creation. */
  from_code: string;
  to_code: string;
  /** '' when the note was not graded. */
  grade: string;
  n: number;
  score_sum: number;
  score_n: number;
  /** Sum and count of `days_in_previous` over the rows that left `from_code`. */
  days_sum: ColumnType<number, number | undefined, number>;
  days_n: ColumnType<number, number | undefined, number>;
}

/**
 * Per partner, workload and code: every move out of the code in the history (rows with
 * `days_in_previous`), counted and their days summed, for the forecast's time to clear by workload.
 */
export interface TimeToClearTable {
  partner_id: number;
  /** The workload of the entitlement that moved. */
  workload_id: number;
  /** The code left ('' for a history row without one, as in history_daily). */
  from_code: string;
  /** How many history rows left the code, and their days_in_previous summed. */
  n: number;
  days_sum: number;
}

/** Deletions and other administrative acts worth keeping after the rows they touched are gone. */
export interface AuditLogTable {
  id: Id;
  /** The partner the entity belonged to (null for partner-less entities). */
  partner_id: number | null;
  /** `customer.delete`. */
  action: string;
  entity_id: number;
  actor_id: number | null;
  actor_name: string;
  at: string;
  /** JSON of what the act removed or changed. */
  details_json: string;
}

/** One failed sign-in (or wrong current password) per key it counts against; see src/http/login-throttle.ts. */
export interface LoginFailuresTable {
  /** `e:email|address`, `e:email`, `a:address` or `u:userId`. */
  key: string;
  /** Epoch milliseconds; PostgreSQL returns a bigint as a string, hence the read type. */
  at: ColumnType<string | number, number, number>;
}

export interface Database {
  audit_log: AuditLogTable;
  login_failures: LoginFailuresTable;
  history_daily: HistoryDailyTable;
  time_to_clear: TimeToClearTable;
  partners: PartnersTable;
  users: UsersTable;
  api_tokens: ApiTokensTable;
  sessions: SessionsTable;
  customers: CustomersTable;
  workloads: WorkloadsTable;
  entitlements: EntitlementsTable;
  status_history: StatusHistoryTable;
}

export type Partner = Selectable<PartnersTable>;
export type User = Selectable<UsersTable>;
export type ApiToken = Selectable<ApiTokensTable>;
export type Customer = Selectable<CustomersTable>;
export type NewCustomer = Insertable<CustomersTable>;
export type Workload = Selectable<WorkloadsTable>;
export type Entitlement = Selectable<EntitlementsTable>;
export type NewEntitlement = Insertable<EntitlementsTable>;
export type EntitlementUpdate = Updateable<EntitlementsTable>;
export type HistoryRow = Selectable<StatusHistoryTable>;
export type NewHistoryRow = Insertable<StatusHistoryTable>;
