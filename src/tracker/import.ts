/**
 * Entitlement import: rows keyed by tenant id, workload and part set the status of that entitlement,
 * creating the customer and entitlement when missing. All-or-nothing: every row is checked first
 * and any problem rejects the whole file with a row-by-row report.
 */
import { sql, type RawBuilder } from 'kysely';
import { AppError, nameKey, slugify, type ImportColumn } from '../lib/index.js';
import { bulkWriter, foldCaseOf, sqliteRows, type NewHistoryRow } from '../db/index.js';
import { lengthProblem, type LimitedField } from './limits.js';
import { checkStatusRules, isDuplicateInvalid, isIsoDate, l1KindsOf, toIsoDate } from './rules.js';
import { hasRole, scopeOf } from './scope.js';
import { insertNewEntitlements, listWorkloads, tenantIdProblem, tenantTakenMessage } from './customers.js';
import { initialStatus } from './entitlements.js';
import { adviseOnNotes, checkDuplicateInvalidExit, gradeToStore, historyRowOf, mergeStatus, startingStatus, writeChanges, type PreparedChange, type SiblingRow } from './status-change.js';
import { RollupBatch } from './rollup.js';
import { ENTITLEMENT_COLUMNS, entitlementRowFromValues, toSnapshot, type EntitlementJoinedRow } from './views.js';
import type { Actor, StatusInput, StatusSnapshot, TrackerContext } from './types.js';

export { IMPORT_COLUMNS, IGNORED_COLUMNS, type ImportColumn } from '../lib/index.js';

/** One data row: its 1-based line in the file and its cells by column (empty cells omitted). */
export interface ImportRecord {
  line: number;
  cells: Partial<Record<ImportColumn, string>>;
}

export interface RowError {
  line: number;
  /**
   * `field` is the CSV column the problem is in, written as the file's header writes it (a column the
   * file lacks, by its export name; `*` for the row as a whole); `code`, when present, is a stable code
   * shared with the JSON API (CONFLICT: a tenant id that is already registered).
   */
  errors: { field: string; message: string; code?: string }[];
}

/** Options of {@link importEntitlements}. */
export interface ImportOptions {
  /** Grade each changed note and ask the classifier (default true). */
  advise?: boolean;
  /**
   * True when the file is meant to take Duplicate/Invalid customers out of Duplicate/Invalid (restore
   * them); without it, each row that would is an error (the query parameter `restoreDuplicateInvalid=true`).
   */
  restoreDuplicateInvalid?: boolean;
  /** How the file's header writes each column it has, so row errors name columns as the file does. */
  header?: Partial<Record<ImportColumn, string>>;
  /**
   * Check the file and answer what the import would do (the same errors, warnings and counts) without
   * writing anything (the query parameter `dryRun=true`, `unblock import --dry-run`).
   */
  dryRun?: boolean;
  /**
   * Leave the `id` and `version` columns unread: each row names its entitlement by tenant id, workload
   * and part alone, and is not checked for changes since the export (the query parameter
   * `ignoreIds=true`, `unblock import --ignore-ids`), for a file exported from another database, whose
   * ids name other entitlements, or none, here, and whose versions count that database's changes.
   */
  ignoreIds?: boolean;
}

/** A warning about one row of an imported file: the note coach's, as a single status change gets them. */
export interface ImportWarning {
  /** The row's line in the file, numbered as CSV_INVALID's row report numbers them. */
  line: number;
  /** WEAK_NOTE or NOTE_READS_AS_OTHER_CODE, as on a single status change. */
  code: string;
  message: string;
}

export interface ImportSummary {
  rows: number;
  customersCreated: number;
  entitlementsCreated: number;
  entitlementsUpdated: number;
  unchanged: number;
  /**
   * Warnings about the imported notes, in file order (at most 500; `warningCount` counts them all).
   * Only rows whose note or code changed are advised, and none with `advise: false`.
   */
  warnings: ImportWarning[];
  warningCount: number;
  /** True when nothing was written: the counts say what the import would do. */
  dryRun: boolean;
  /**
   * Said about the file as a whole when there is something to say, else absent: a file with no data
   * rows (the export of a filter that matched nothing) imports as a change of nothing, and says so.
   */
  notice?: string;
}

const MAX_REPORTED_ROWS = 500;
/** Most warnings an import summary lists (`warningCount` counts them all). */
const MAX_REPORTED_WARNINGS = 500;
/** PostgreSQL imports writing at least this many entitlements vacuum the table afterwards. */
const VACUUM_AFTER_ROWS = 10_000;
/** The largest version a row can hold (a 32-bit integer column; the JSON API's bound too). */
const MAX_VERSION = 2_147_483_647;
/** The largest id a row can have (a 32-bit integer column; the JSON API's bound too). */
const MAX_ID = 2_147_483_647;
/** Most rows a VERSION_CONFLICT names (details.rows); details.conflictingRows counts them all. */
const MAX_CONFLICT_ROWS = 100;

/** A row of the file whose entitlement changed while the import ran (VERSION_CONFLICT's details.rows). */
export interface ConflictRow {
  /** The row's line in the file, numbered as CSV_INVALID's row report numbers them. */
  line: number;
  /** The entitlement the row names. */
  id: number;
  /** The row's `version` cell; null when the file has none. */
  fileVersion: number | null;
  /** The version the import read before planning its changes. */
  readVersion: number;
  /** The version stored now; null when the entitlement has been deleted since. */
  currentVersion: number | null;
}

/** Thrown inside the write transaction when a write finds a changed version; answered outside it, after the rollback. */
class WriteConflict extends Error {}

const TRUE = new Set(['true', 'yes', 'y', '1']);
const FALSE = new Set(['false', 'no', 'n', '0']);

const DATE_COLUMNS: [ImportColumn, keyof StatusInput][] = [
  ['target_date', 'targetDate'], ['engagement_start_date', 'engagementStartDate'], ['next_action_date', 'nextActionDate'], ['projected_unblock_date', 'projectedUnblockDate'],
];

/** Text columns and the limit (src/tracker/limits.ts) each must keep to, as the JSON API does. */
const LIMITED_COLUMNS: [ImportColumn, LimitedField][] = [
  ['tenant_id', 'tenantId'], ['customer', 'customerName'], ['partner', 'partnerName'], ['region', 'region'], ['workload', 'workload'], ['part', 'part'],
  ['code', 'code'], ['l1', 'l1'], ['l2', 'l2'], ['l3', 'l3'], ['note', 'note'], ['business_reason', 'businessReason'], ['owner', 'owner'], ['next_action', 'nextAction'],
];

/**
 * Cells that name things (tenant, customer, partner, workload, part, codes, dates, version) are read as
 * the JSON API reads them: trimmed, and a cell of only spaces is not given. A CSV reader trims unquoted
 * cells only, so a quoted " EMEA " part used to create a second entitlement beside EMEA. Text cells
 * (note, owner, ...) are left as they are: the status stores them trimmed, and a quoted " " clears one.
 */
const KEY_COLUMNS: readonly ImportColumn[] = [
  'tenant_id', 'customer', 'partner', 'managed', 'region', 'workload', 'part', 'code', 'l1', 'l2',
  'target_date', 'engagement_start_date', 'next_action_date', 'projected_unblock_date', 'version', 'id',
];

function trimKeyCells(cells: ImportRecord['cells']): ImportRecord['cells'] {
  let out = cells;
  for (const column of KEY_COLUMNS) {
    const value = cells[column];
    if (value === undefined) continue;
    const trimmed = value.trim();
    if (trimmed === value) continue;
    if (out === cells) out = { ...cells };
    if (trimmed === '') delete out[column];
    else out[column] = trimmed;
  }
  return out;
}

function toStatusInput(cells: ImportRecord['cells']): StatusInput {
  const input: StatusInput = {};
  // Both forms go through, so a code that its l1/l2 contradict is caught (mergeStatus); an empty l2
  // cell next to a code means "as the code says".
  if (cells.code !== undefined) input.code = cells.code;
  if (cells.l1 !== undefined) input.l1 = cells.l1;
  if (cells.l2 !== undefined) input.l2 = cells.l2;
  else if (cells.l1 !== undefined && cells.code === undefined) input.l2 = null;
  if (cells.l3 !== undefined) input.l3 = cells.l3;
  if (cells.note !== undefined) input.note = cells.note;
  for (const [column, field] of DATE_COLUMNS) if (cells[column] !== undefined) (input as Record<string, string>)[field] = cells[column]!;
  if (cells.business_reason !== undefined) input.businessReason = cells.business_reason;
  if (cells.owner !== undefined) input.owner = cells.owner;
  if (cells.next_action !== undefined) input.nextAction = cells.next_action;
  return input;
}

/** The import column of each status field a rule or the taxonomy names. */
const FIELD_COLUMNS: Record<string, ImportColumn> = {
  code: 'code', l1: 'l1', l2: 'l2', l3: 'l3', note: 'note', targetDate: 'target_date', engagementStartDate: 'engagement_start_date', businessReason: 'business_reason',
  owner: 'owner', nextAction: 'next_action', nextActionDate: 'next_action_date', projectedUnblockDate: 'projected_unblock_date',
};
/** The status can be given as `code` or as `l1` + `l2`: a problem with it names whichever the file has. */
const STATUS_COLUMNS: Partial<Record<ImportColumn, ImportColumn[]>> = { code: ['code', 'l1', 'l2'], l1: ['l1', 'code'], l2: ['l2', 'code', 'l1'] };

/**
 * The column a row error names: `field` (an import column, or a status field such as `targetDate`) as
 * the file's header writes it; a status problem names the status column the file has; a column the file
 * lacks goes by its export name. Without `header`, the row's own cells tell which columns the file has.
 */
function columnLabel(field: string, header: ImportOptions['header'], cells: ImportRecord['cells'] | undefined): string {
  const column = FIELD_COLUMNS[field] ?? (field as ImportColumn);
  const has = (c: ImportColumn) => (header ? header[c] !== undefined : cells?.[c] !== undefined);
  const chosen = (STATUS_COLUMNS[column] ?? [column]).find(has) ?? column;
  return header?.[chosen] ?? chosen;
}

/** The status column an UNKNOWN_CODE names, from its details (`code`, else `l2`, else `l1`). */
function unknownCodeField(details: unknown): string {
  const d = (details ?? {}) as Record<string, unknown>;
  return 'code' in d ? 'code' : 'l2' in d ? 'l2' : 'l1';
}

type FieldError = { field: string; message: string };

/** The row errors a failed status change stands for: its rule violations, or its unknown or contradictory status. Rethrows any other error. */
function statusErrorsOf(error: unknown): FieldError[] {
  if (!(error instanceof AppError)) throw error;
  const violations = (error.details as { violations?: FieldError[] } | undefined)?.violations;
  if (violations) return violations.map((v) => ({ field: v.field, message: v.message }));
  return [{ field: error.code === 'UNKNOWN_CODE' ? unknownCodeField(error.details) : 'code', message: error.message }];
}

/**
 * The status problems of a row that is refused for other reasons (`found`), so that one run names every
 * problem of the row: an unknown or contradictory status, and the playbook rules its status breaks.
 * Left out, as consequences rather than problems: every rule when the status cannot be read, and a rule
 * about a column that already has an error (a date that cannot be read is not judged "missing" too).
 * `before` is the entitlement's status; null when the row names none (no tenant id, an unknown
 * workload), and then only the labels are judged. Only refused rows come here, never a good one, so
 * the import's path for good rows costs nothing more.
 */
function statusProblems(taxonomy: ReturnType<TrackerContext['taxonomy']>, cells: ImportRecord['cells'], before: StatusSnapshot | null, today: string, found: readonly FieldError[]): FieldError[] {
  const failed = new Set(found.map((e) => e.field));
  // A status cell that failed (too long) is not read again; an l2 alone reads under the current L1, unknown without `before`.
  if (failed.has('code') || failed.has('l1') || failed.has('l2')) return [];
  if (!before && cells.code === undefined && cells.l1 === undefined) return [];
  let after: StatusSnapshot;
  const start = before ?? EMPTY_STATUS;
  try {
    after = mergeStatus(taxonomy, start, toStatusInput(cells));
  } catch (error) {
    return statusErrorsOf(error);
  }
  if (!before) return [];
  const kinds = l1KindsOf(taxonomy);
  return checkStatusRules(after, { today, before, wholeCustomer: isDuplicateInvalid(after, kinds), kinds })
    .filter((v) => !failed.has(FIELD_COLUMNS[v.field] ?? v.field))
    .map((v) => ({ field: v.field, message: v.message }));
}

/** A stand-in status to read a row's status labels against when the row names no entitlement (only the labels are used). */
const EMPTY_STATUS: StatusSnapshot = {
  code: '', l1: '', l2: null, l3: null, taxonomyVersion: '', note: '', targetDate: null, engagementStartDate: null,
  businessReason: null, owner: null, nextAction: null, nextActionDate: null, projectedUnblockDate: null,
};

/** An entitlement as a row error names it: `tenant "acme", workload teams, part "EMEA"`. */
interface NamedEntitlement {
  tenant_id: string;
  workload: string;
  part: string;
}

function entitlementWords(e: NamedEntitlement): string {
  return `tenant "${e.tenant_id}", workload ${e.workload}${e.part === '' ? '' : `, part "${e.part}"`}`;
}

/** How a row error ends that the id check raised: the ways out for a file of another database. */
const ID_WAYS_OUT = 'if this file comes from another database, import it with ignoreIds=true (unblock import --ignore-ids), or clear the id and version columns';

/** How many characters of a cell a row error quotes; a longer cell is cut, ending in `…`. */
const QUOTED_CELL = 40;

/** `cell` as a row error quotes it: as written, cut after {@link QUOTED_CELL} characters (whole code points). */
function quotedCell(cell: string): string {
  const chars = [...cell];
  return chars.length > QUOTED_CELL ? `${chars.slice(0, QUOTED_CELL).join('')}…` : cell;
}

/**
 * The problem of a row whose `id` cell (`id`, a number) is not the entitlement its tenant id, workload
 * and part name (`named`; `row` is that entitlement, or null when they name none and the row would
 * create one): `found` is the entitlement with that id among those the importer sees, if any (another
 * partner's is told as one that does not exist, as everywhere else). Null when they agree. Says what
 * each names, not why they differ: an edited row, or a file of another database, look alike here.
 */
function idProblem(id: number, named: NamedEntitlement, row: EntitlementJoinedRow | null, found: NamedEntitlement | undefined, partnerScoped: boolean): string | null {
  if (row !== null && row.id === id) return null;
  const idNames = found
    ? `entitlement ${id} (${entitlementWords(found)})`
    : `entitlement ${id}, which does not exist${partnerScoped ? ' among your partner\'s entitlements' : ''}`;
  const rowNames = `${entitlementWords(named)}, ${row ? `which is entitlement ${row.id}` : 'which has no entitlement yet (the row would create one)'}`;
  return `names ${idNames}, but this row names ${rowNames}; ${ID_WAYS_OUT}`;
}

function pushTo<T>(groups: Map<string, T[]>, key: string, value: T): void {
  const list = groups.get(key);
  if (list) list.push(value);
  else groups.set(key, [value]);
}

/**
 * Imports `records` for the actor. Editors update existing entitlements; creating customers or
 * entitlements needs a manager. Throws CSV_INVALID (details.rows: line-by-line errors) when any row
 * is wrong (a `version` cell that is already stale is one of those), VERSION_CONFLICT when an
 * entitlement changes while the import runs (details.rows: the rows concerned); nothing is written then.
 */
export async function importEntitlements(ctx: TrackerContext, actor: Actor, input: ImportRecord[], options: ImportOptions = {}): Promise<ImportSummary> {
  if (!hasRole(actor, 'editor')) throw new AppError('FORBIDDEN', 'Importing needs the editor role or higher.');
  if (input.length === 0) {
    // Only the export's header (readImportCsv refuses other files without rows): nothing to read or write.
    const dryRun = options.dryRun === true;
    return {
      rows: 0, customersCreated: 0, entitlementsCreated: 0, entitlementsUpdated: 0, unchanged: 0, warnings: [], warningCount: 0, dryRun,
      notice: `The file has the export's header and no data rows (an export of a filter that matched nothing): ${dryRun ? 'there is nothing to import, and nothing would change.' : 'there was nothing to import, and nothing changed.'}`,
    };
  }
  const records = input.map((r) => {
    const cells = trimKeyCells(r.cells);
    return cells === r.cells ? r : { line: r.line, cells };
  });
  const scope = scopeOf(actor);
  const db = ctx.db.kysely;
  const now = ctx.clock.now();
  const today = toIsoDate(now);
  const taxonomy = ctx.taxonomy();
  const kinds = l1KindsOf(taxonomy);
  const workloads = await listWorkloads(db);
  const workloadBySlug = new Map(workloads.map((w) => [w.slug, w]));
  /** A workload cell's workload, by slug or name. */
  const workloadOf = (cell: string | undefined) => (cell === undefined ? undefined : (workloadBySlug.get(cell) ?? workloadBySlug.get(slugify(cell))));
  const partners = await db.selectFrom('partners').select(['id', 'name']).execute();
  const partnerByName = new Map(partners.map((p) => [p.name.toLowerCase(), p.id]));
  const partnerNameById = new Map(partners.map((p) => [p.id, p.name]));

  // Every customer and entitlement the file names, with one set-based query each. Tenant ids and
  // parts match ignoring case (as the unique indexes of migration 011 compare them): maps are keyed
  // by the folded value, and SQL compares lower(...) through the expression indexes.
  const engine = ctx.db.engine;
  const fold = (text: string) => foldCaseOf(ctx.db, text);
  const tenantIds = [...new Set(records.map((r) => r.cells.tenant_id).filter((t): t is string => t !== undefined).map(fold))];
  const inFile = engine === 'postgres' ? sql<boolean>`lower(c.tenant_id) = any(${tenantIds}::text[])` : sql<boolean>`lower(c.tenant_id) in (select value from json_each(${JSON.stringify(tenantIds)}))`;
  const customers = new Map<string, { id: number; partner_id: number }>();
  for (const c of await db.selectFrom('customers as c').select(['c.id', 'c.partner_id', 'c.tenant_id']).where(inFile).execute()) customers.set(fold(c.tenant_id), c);
  // The stored entitlements the file names (by tenant, workload and part), with one query; every
  // entitlement of a tenant only where a rule needs the whole customer (see loadWholeTenants). Reading
  // whole customers for every row cost 3.5 s of a 14 s import of 50,000 rows spread over 50,000
  // customers at 1M entitlements, for rules that concern none of them.
  const existing = new Map<string, EntitlementJoinedRow>();
  const existingByTenant = new Map<string, EntitlementJoinedRow[]>();
  const entitlementKey = (row: EntitlementJoinedRow) => `${fold(row.tenant_id)}|${row.workload}|${fold(row.part)}`;
  const addExisting = (rows: EntitlementJoinedRow[]) => {
    for (const row of rows) {
      const key = entitlementKey(row);
      if (existing.has(key)) continue;
      existing.set(key, row);
      pushTo(existingByTenant, fold(row.tenant_id), row);
    }
  };
  const partnerOnly = scope.kind === 'partner' ? sql`and c.partner_id = ${scope.partnerId}` : sql``;
  const columns = sql.raw(ENTITLEMENT_COLUMNS.join(', '));
  // SQLite: raw value arrays, made into rows here (half the cost of better-sqlite3's row objects).
  const readEntitlements = async (query: RawBuilder<EntitlementJoinedRow>) => sqliteRows(db, query.compile(db), entitlementRowFromValues) ?? (await query.execute(db)).rows;
  const named = new Map<string, [string, number, string]>();
  for (const { cells } of records) {
    const workload = workloadOf(cells.workload);
    if (cells.tenant_id === undefined || !workload) continue;
    const key: [string, number, string] = [fold(cells.tenant_id), workload.id, fold(cells.part ?? '')];
    named.set(`${key[0]}|${workload.slug}|${key[2]}`, key);
  }
  const keys = [...named.values()];
  // SQLite: CROSS JOIN fixes the join order (file keys -> customer -> entitlement), whatever the
  // planner's statistics say about the report indexes; PostgreSQL plans this well on its own.
  addExisting(await readEntitlements(
    engine === 'postgres'
      ? sql<EntitlementJoinedRow>`select ${columns} from unnest(${keys.map((k) => k[0])}::text[], ${keys.map((k) => k[1])}::integer[], ${keys.map((k) => k[2])}::text[]) as j(tenant, workload_id, part)
          join customers c on lower(c.tenant_id) = j.tenant join entitlements e on e.customer_id = c.id and e.workload_id = j.workload_id and lower(e.part) = j.part
          join workloads w on w.id = e.workload_id where true ${partnerOnly}`
      : sql<EntitlementJoinedRow>`select ${columns} from json_each(${JSON.stringify(keys)}) j cross join customers c on lower(c.tenant_id) = j.value ->> 0
          cross join entitlements e on e.customer_id = c.id and e.workload_id = j.value ->> 1 and lower(e.part) = j.value ->> 2
          join workloads w on w.id = e.workload_id where true ${partnerOnly}`,
  ));
  /** Tenants whose every entitlement is in existingByTenant. */
  const wholeTenants = new Set<string>();
  const loadWholeTenants = async (tenantKeys: Iterable<string>) => {
    const wanted = [...new Set(tenantKeys)].filter((t) => !wholeTenants.has(t));
    if (wanted.length === 0) return;
    for (const t of wanted) wholeTenants.add(t);
    addExisting(await readEntitlements(
      engine === 'postgres'
        ? sql<EntitlementJoinedRow>`select ${columns} from customers c join entitlements e on e.customer_id = c.id join workloads w on w.id = e.workload_id
            where lower(c.tenant_id) = any(${wanted}::text[]) ${partnerOnly}`
        : sql<EntitlementJoinedRow>`select ${columns} from json_each(${JSON.stringify(wanted)}) j cross join customers c on lower(c.tenant_id) = j.value
            cross join entitlements e on e.customer_id = c.id join workloads w on w.id = e.workload_id where true ${partnerOnly}`,
    ));
  };
  // A created entitlement starts as its customer's others stand (startFor): whole customers for those.
  await loadWholeTenants([...named].filter(([key]) => !existing.has(key)).map(([, k]) => k[0]));

  // A row's `id` cell (the export's) must name the entitlement its tenant id, workload and part name,
  // so that an edited export whose row was moved to another customer is refused rather than changing
  // (or creating) that customer's entitlement. Only ids that do not match are read, to say which
  // entitlement each is: an export imported back reads nothing more.
  // With ignoreIds (a file of another database), the column is not read at all.
  const ignoreIds = options.ignoreIds === true;
  /** An id cell's id: decimal digits, from 1 to MAX_ID (a longer run of digits is no id, and Number() would round it). */
  const idCell = (cell: string | undefined) => {
    if (cell === undefined || !/^0*\d{1,10}$/.test(cell)) return undefined;
    const id = Number(cell);
    return id >= 1 && id <= MAX_ID ? id : undefined;
  };
  const mismatched = new Set<number>();
  for (const { cells } of ignoreIds ? [] : records) {
    const id = idCell(cells.id);
    const workload = workloadOf(cells.workload);
    if (id === undefined || cells.tenant_id === undefined || !workload) continue;
    if (existing.get(`${fold(cells.tenant_id)}|${workload.slug}|${fold(cells.part ?? '')}`)?.id !== id) mismatched.add(id);
  }
  const byId = new Map<number, NamedEntitlement>();
  const lookups = [...mismatched];
  for (let i = 0; i < lookups.length; i += 500) {
    let query = db
      .selectFrom('entitlements as e')
      .innerJoin('customers as c', 'c.id', 'e.customer_id')
      .innerJoin('workloads as w', 'w.id', 'e.workload_id')
      .select(['e.id', 'c.tenant_id', 'w.slug as workload', 'e.part'])
      .where('e.id', 'in', lookups.slice(i, i + 500));
    if (scope.kind === 'partner') query = query.where('e.partner_id', '=', scope.partnerId);
    for (const e of await query.execute()) byId.set(e.id, e);
  }

  // Fields here are import columns or status fields; columnLabel() names them as the file does at the end.
  const errors: RowError[] = [];
  const seen = new Map<string, number>();
  const newCustomers = new Map<string, { tenantId: string; name: string; partnerId: number; managed: boolean; region: string | null }>();
  interface Planned {
    line: number;
    key: string;
    tenantId: string;
    /** The tenant id folded to lower case: the key of `customers`, `newCustomers` and `existingByTenant`. */
    tenantKey: string;
    workloadId: number;
    part: string;
    row: EntitlementJoinedRow | null;
    input: StatusInput;
    version: number | null;
    change: PreparedChange | null;
  }
  const planned: Planned[] = [];
  const initial = initialStatus(taxonomy);
  // What a created entitlement starts as, per tenant (Duplicate/Invalid for a Duplicate/Invalid customer).
  const starts = new Map<string, StatusSnapshot>();
  const startFor = (tenantKey: string): StatusSnapshot => {
    let start = starts.get(tenantKey);
    if (!start) starts.set(tenantKey, (start = startingStatus(initial, (existingByTenant.get(tenantKey) ?? []).map(toSnapshot), kinds)));
    return start;
  };

  // An administrator's file that creates customers needs a partner column: without one, that is said
  // once for the file (below) rather than on every row that creates a customer.
  const noPartnerColumn = options.header !== undefined && options.header.partner === undefined;
  let partnerColumnNeeded = false;

  for (const record of records) {
    const rowErrors: RowError['errors'] = [];
    const fail = (field: string, message: string, code?: string) => rowErrors.push(code ? { field, message, code } : { field, message });
    const c = record.cells;
    for (const [column, field] of LIMITED_COLUMNS) {
      const problem = c[column] === undefined ? null : lengthProblem(field, c[column]!);
      if (problem) fail(column, problem);
    }
    const tenantId = c.tenant_id;
    if (tenantId === undefined) fail('tenant_id', 'is required');
    const workload = workloadOf(c.workload);
    if (c.workload === undefined) fail('workload', 'is required');
    else if (!workload) fail('workload', `unknown workload "${c.workload}"`);
    const part = c.part ?? '';
    let version: number | null = null;
    // With ignoreIds the version column is unread too: it counts the changes of the database the file comes from.
    if (c.version !== undefined && !ignoreIds) {
      // Decimal digits only, as ids and versions are everywhere else (Number() would read 0x10 and 1e3).
      version = /^\d+$/.test(c.version) ? Number(c.version) : NaN;
      if (!Number.isInteger(version) || version < 1 || version > MAX_VERSION) {
        fail('version', `must be a version number: a whole number from 1 to ${MAX_VERSION}, got "${quotedCell(c.version)}"`);
        version = null;
      }
    }
    const id = ignoreIds ? undefined : idCell(c.id);
    if (!ignoreIds && c.id !== undefined && id === undefined) fail('id', `must be an entitlement id: a whole number from 1 to ${MAX_ID}, as the export writes it, got "${quotedCell(c.id)}"`);
    for (const [column] of DATE_COLUMNS) if (c[column] !== undefined && !isIsoDate(c[column]!)) fail(column, `must be a date written YYYY-MM-DD, got "${quotedCell(c[column]!)}"`);
    if (c.managed !== undefined && !TRUE.has(c.managed.toLowerCase()) && !FALSE.has(c.managed.toLowerCase())) fail('managed', `must be yes or no, got "${quotedCell(c.managed)}"`);
    if (tenantId !== undefined && workload) {
      const tenantKey = fold(tenantId);
      const key = `${tenantKey}|${workload.slug}|${fold(part)}`;
      const previous = seen.get(key);
      if (previous !== undefined) fail('workload', `the same entitlement is already on line ${previous} (tenant ids and parts match ignoring case)`);
      seen.set(key, record.line);
      const customer = customers.get(tenantKey);
      // Another partner's tenant is answered as POST /api/customers answers it (the same words for any
      // partner, naming none); to a role that could not create the customer anyway, as an unknown tenant.
      const elsewhere = customer !== undefined && scope.kind === 'partner' && customer.partner_id !== scope.partnerId;
      if (elsewhere && hasRole(actor, 'manager')) fail('tenant_id', tenantTakenMessage(tenantId), 'CONFLICT');
      else if (elsewhere || (!customer && !newCustomers.has(tenantKey))) {
        if (!hasRole(actor, 'manager')) fail('tenant_id', `unknown tenant "${tenantId}"; creating customers needs the manager role`);
        if (c.customer === undefined) fail('customer', `is required to create the new customer "${tenantId}"`);
        const tenantProblem = elsewhere ? null : tenantIdProblem(tenantId);
        if (tenantProblem) fail('tenant_id', tenantProblem);
        let partnerId: number | undefined = actor.partnerId ?? undefined;
        if (actor.role === 'admin') {
          partnerId = c.partner === undefined ? undefined : partnerByName.get(c.partner.toLowerCase());
          if (partnerId === undefined) fail('partner', c.partner === undefined ? 'is required (admins import for any partner)' : `unknown partner "${c.partner}"`);
          if (c.partner === undefined && noPartnerColumn) partnerColumnNeeded = true;
        }
        if (rowErrors.length === 0 && partnerId !== undefined) {
          newCustomers.set(tenantKey, { tenantId, name: c.customer!, partnerId, managed: c.managed !== undefined && TRUE.has(c.managed.toLowerCase()), region: c.region ?? null });
        }
      }
      // A partner cell must name the customer's partner: an import never moves a customer, and only
      // admins import for other partners (before, a manager's file naming another partner was written
      // under the manager's own, without a word).
      const ownerId = elsewhere ? undefined : (customer?.partner_id ?? newCustomers.get(tenantKey)?.partnerId);
      if (c.partner !== undefined && ownerId !== undefined && partnerByName.get(c.partner.toLowerCase()) !== ownerId) {
        const ownerName = partnerNameById.get(ownerId) ?? String(ownerId);
        fail('partner', customer
          ? `names "${c.partner}", but tenant "${tenantId}" belongs to partner "${ownerName}"; an import does not move customers between partners`
          : actor.role === 'admin'
            ? `names "${c.partner}", but an earlier row of this file creates tenant "${tenantId}" for partner "${ownerName}"; give every row of a new customer the same partner`
            : `names "${c.partner}"; your imports create customers for your own partner "${ownerName}" only`);
      }
      const row = existing.get(key) ?? null;
      // The id cell names another entitlement than the row's tenant id, workload and part, or none.
      const wrongId = id !== undefined && !elsewhere ? idProblem(id, { tenant_id: tenantId, workload: workload.slug, part }, row, byId.get(id), scope.kind === 'partner') : null;
      if (wrongId) fail('id', wrongId);
      if (!row && !hasRole(actor, 'manager')) fail('workload', 'entitlement does not exist; creating entitlements needs the manager role');
      // A stale version cell is an error only for a row that would change something: the same file
      // imported twice (a double click, a retry) finds its rows stored as they are, and counts them
      // unchanged. Not for a row whose id names another entitlement: its version is that one's.
      const stale = row !== null && version !== null && row.version !== version && !wrongId;
      const staleMessage = () =>
        `entitlement changed since version ${version} (now ${row!.version}); export it again to see the change, or empty the version cell to overwrite it`;
      if (stale && rowErrors.length > 0) fail('version', staleMessage());
      if (rowErrors.length > 0) {
        // The row is refused already: name its status problems too, so one run lists them all.
        for (const e of statusProblems(taxonomy, c, row ? toSnapshot(row) : startFor(tenantKey), today, rowErrors)) fail(e.field, e.message);
      } else {
        const input = toStatusInput(c);
        try {
          const before = row ? toSnapshot(row) : startFor(tenantKey);
          const after = mergeStatus(taxonomy, before, input);
          // A stale row that would change something is refused, and judged as it would be applied all
          // the same (its rules here, the whole-customer rules below), so one run names every problem.
          if (stale && JSON.stringify(after) !== JSON.stringify(before)) fail('version', staleMessage());
          const wholeCustomer = isDuplicateInvalid(after, kinds);
          for (const v of checkStatusRules(after, { today, before, wholeCustomer, kinds })) fail(v.field, v.message);
          planned.push({ line: record.line, key, tenantId, tenantKey, workloadId: workload.id, part, row, input, version, change: { before, after, violations: [], warnings: [], grade: null, suggestion: null } });
        } catch (error) {
          // A status that cannot be read changes the row whatever it was meant to say: a stale version is named too.
          const problems = statusErrorsOf(error);
          if (stale) fail('version', staleMessage());
          for (const e of problems) fail(e.field, e.message);
        }
      }
    } else {
      // No entitlement named (the row lacks a tenant id or names an unknown workload), so its status
      // before is unknown: only the labels are judged.
      for (const e of statusProblems(taxonomy, c, null, today, rowErrors)) fail(e.field, e.message);
    }
    if (rowErrors.length > 0) errors.push({ line: record.line, errors: rowErrors });
  }

  // Duplicate/Invalid must cover every entitlement of a customer: on the way in ...
  const plannedByTenant = new Map<string, Planned[]>();
  for (const p of planned) pushTo(plannedByTenant, p.tenantKey, p);
  const dupTenants = new Set(planned.filter((p) => isDuplicateInvalid(p.change!.after, kinds)).map((p) => p.tenantKey));
  await loadWholeTenants(dupTenants);
  for (const tenantKey of dupTenants) {
    const inFile = new Map(plannedByTenant.get(tenantKey)!.map((p) => [p.key, p]));
    const notCovered = (existingByTenant.get(tenantKey) ?? []).filter((e) => !inFile.has(`${fold(e.tenant_id)}|${e.workload}|${fold(e.part)}`) && !isDuplicateInvalid(e, kinds));
    const uncovered = [...inFile.values()].filter((p) => !isDuplicateInvalid(p.change!.after, kinds));
    if (notCovered.length > 0 || uncovered.length > 0) {
      const tenantId = existingByTenant.get(tenantKey)?.[0]?.tenant_id ?? plannedByTenant.get(tenantKey)![0]!.tenantId;
      for (const p of inFile.values()) {
        if (isDuplicateInvalid(p.change!.after, kinds))
          errors.push({ line: p.line, errors: [{ field: 'code', message: `Duplicate/Invalid must be set on every entitlement of tenant "${tenantId}" in the same file (${notCovered.length + uncovered.length} other(s) are not).` }] });
      }
    }
  }
  // ... and on the way out (created entitlements take stand-in ids below zero). Only rows that leave
  // Duplicate/Invalid can break it, so a file without any skips gathering every sibling.
  const leaving = planned.filter((p) => isDuplicateInvalid(p.change!.before, kinds) && !isDuplicateInvalid(p.change!.after, kinds));
  if (leaving.length > 0 && options.restoreDuplicateInvalid !== true) {
    // Restoring a customer must be meant: an edited export whose status column was filled down must not do it.
    for (const p of leaving) {
      const tenantId = existingByTenant.get(p.tenantKey)?.[0]?.tenant_id ?? p.tenantId;
      errors.push({ line: p.line, errors: [{
        field: 'code',
        code: 'RESTORE_NOT_CONFIRMED',
        message: `takes tenant "${tenantId}" out of Duplicate/Invalid, which restores the customer; to do that, import with ?restoreDuplicateInvalid=true (every entitlement of the customer in the file), otherwise leave the row's status as it is`,
      }] });
    }
  }
  if (leaving.length > 0) {
    // Only the customers of rows that leave can break the rule: their other entitlements are read whole.
    await loadWholeTenants(leaving.map((p) => p.tenantKey));
    const siblings: SiblingRow[] = [];
    const changes = new Map<number, { before: StatusSnapshot; after: StatusSnapshot }>();
    const lineOf = new Map<number, number>();
    planned.forEach((p, i) => {
      const customer = customers.get(p.tenantKey);
      if (!customer) return;
      const id = p.row ? p.row.id : -(i + 1);
      if (!p.row) siblings.push({ id, customerId: customer.id, l1: p.change!.before.l1 });
      changes.set(id, p.change!);
      lineOf.set(id, p.line);
    });
    for (const rowsOfTenant of existingByTenant.values()) for (const e of rowsOfTenant) siblings.push({ id: e.id, customerId: e.customer_id, l1: e.l1 });
    for (const [id, violation] of checkDuplicateInvalidExit(siblings, changes, kinds)) errors.push({ line: lineOf.get(id)!, errors: [{ field: violation.field, message: violation.message }] });
  }

  if (partnerColumnNeeded) {
    throw new AppError(
      'CSV_INVALID',
      'Administrators import for every partner, so a file that creates customers needs a partner column naming the partner of each new customer; add one and import the file again. Nothing was imported.',
      { missingColumns: ['partner'] },
    );
  }
  if (errors.length > 0) {
    // One entry per line (the whole-customer checks add to lines the row checks may have named), in file order.
    const byLine = new Map<number, RowError>();
    for (const row of errors) {
      const entry = byLine.get(row.line);
      if (entry) entry.errors.push(...row.errors);
      else byLine.set(row.line, { line: row.line, errors: [...row.errors] });
    }
    const rows = [...byLine.values()].sort((a, b) => a.line - b.line);
    const reported = rows.slice(0, MAX_REPORTED_ROWS);
    const lines = new Set(reported.map((r) => r.line));
    const cellsOf = new Map(records.filter((r) => lines.has(r.line)).map((r) => [r.line, r.cells]));
    for (const row of reported) row.errors = row.errors.map((e) => ({ ...e, field: columnLabel(e.field, options.header, cellsOf.get(row.line)) }));
    const restores = rows.some((r) => r.errors.some((e) => e.code === 'RESTORE_NOT_CONFIRMED'));
    const restoreHint = restores ? ' Some rows take Duplicate/Invalid customers out of it: to restore them, import with ?restoreDuplicateInvalid=true.' : '';
    throw new AppError('CSV_INVALID', `${rows.length} of ${records.length} row(s) have problems; nothing was imported. Fix them and import the file again.${restoreHint}`, {
      rows: reported,
      rowsWithErrors: rows.length,
      truncated: rows.length > MAX_REPORTED_ROWS,
    });
  }

  const warnings: ImportWarning[] = [];
  if (options.advise !== false) {
    // Every changed note at once, so the advisor can spread them over its worker threads.
    const advised = planned.filter((p) => p.change!.after.note !== (p.row?.note ?? '') || p.change!.after.code !== (p.row?.code ?? initial.code));
    const advice = await adviseOnNotes(ctx.advisor, advised.map((p) => p.change!.after));
    advised.forEach((p, i) => {
      const { grade, suggestion, warnings: found } = advice[i]!;
      p.change = { ...p.change!, grade, suggestion };
      for (const w of found) warnings.push({ line: p.line, code: w.code, message: w.message });
    });
  }

  const summary: ImportSummary = {
    rows: records.length, customersCreated: newCustomers.size, entitlementsCreated: 0, entitlementsUpdated: 0, unchanged: 0,
    warnings: warnings.slice(0, MAX_REPORTED_WARNINGS), warningCount: warnings.length, dryRun: options.dryRun === true,
  };
  if (options.dryRun) {
    // What the writes below would count, from the same comparison, without a transaction.
    for (const p of planned) {
      if (!existing.has(p.key)) summary.entitlementsCreated++;
      else if (JSON.stringify(p.change!.before) === JSON.stringify(p.change!.after)) summary.unchanged++;
      else summary.entitlementsUpdated++;
    }
    return summary;
  }
  try {
    await db.transaction().execute(async (trx) => {
      const nowIso = now.toISOString();
      const newList = [...newCustomers.values()];
      for (let i = 0; i < newList.length; i += 200) {
        const inserted = await trx
          .insertInto('customers')
          .values(newList.slice(i, i + 200).map((c) => ({ partner_id: c.partnerId, tenant_id: c.tenantId, name: c.name, name_key: nameKey(c.name), managed: c.managed ? 1 : 0, region: c.region, created_at: nowIso, updated_at: nowIso })))
          .returning(['id', 'partner_id', 'tenant_id'])
          .execute();
        for (const c of inserted) customers.set(fold(c.tenant_id), c);
      }
      // Created entitlements whose row sets a status are inserted in that status at once (version 2),
      // and get both history rows: 'create' in the starting status, then this import's change. The
      // same rows and history as creating them and then updating them, without moving every report
      // index entry and search entry a second time, and without reading the created rows back (a
      // partner's first import, 50,000 rows creating 12,500 customers at 1M entitlements: about
      // 14,900 -> 21,100-24,700 rows/s, interleaved).
      const writer = bulkWriter(trx);
      // The roll-up of every row, written once after the last write (see RollupBatch): an import that
      // upserted it per step and then locked the next chunk's entitlements deadlocked with status changes.
      const rollup = new RollupBatch();
      const toCreate = planned.filter((p) => p.row === null).map((p) => {
        const change = p.change!;
        const customer = customers.get(p.tenantKey)!;
        const json = { before: JSON.stringify(change.before), after: JSON.stringify(change.after) };
        // The row as its creation stores it, which the file's change then applies to.
        const created = { partner_id: customer.partner_id, since: nowIso, code: change.before.code, note: change.before.note, note_grade: null };
        return { p, change, customer, json, created, changes: json.before !== json.after };
      });
      const ids = await insertNewEntitlements(trx, taxonomy, actor, now, toCreate.map(({ p, change, customer, created, changes }) => ({
        customerId: customer.id, partnerId: customer.partner_id, workloadId: p.workloadId, part: p.part, status: change.before,
        changed: changes ? { after: change.after, noteGrade: gradeToStore(change, created).note_grade } : undefined,
      })), rollup);
      summary.entitlementsCreated = ids.length;
      const historyMeta = { actor, now, kind: 'import' as const, nowIso };
      const createdHistory: NewHistoryRow[] = toCreate.flatMap(({ change, json, created, changes }, i) => (changes ? [historyRowOf({ ...created, id: ids[i]! }, change, historyMeta, json)] : []));
      if (createdHistory.length > 0) {
        await writer.insertHistory(createdHistory);
        await rollup.add(trx, createdHistory, new Map(toCreate.map(({ p }, i) => [ids[i]!, p.workloadId])));
      }
      // Written a chunk at a time: the objects and JSON of each chunk are garbage before the next (one
      // pass over all 50,000 rows kept them alive through every scavenge). PostgreSQL: in entitlement
      // id order (neighbouring rows share pages). SQLite: in the order of the widest report index
      // (entitlements_code: l1, l2, since), so that the entries a code change moves in the report
      // indexes are removed in runs rather than at random (about 40% less time at 1M entitlements);
      // the writer puts the search entries in rowid order itself (see db/bulk.ts).
      const ordered = planned.filter((p) => p.row !== null).sort(ctx.db.engine === 'postgres' ? (a, b) => a.row!.id - b.row!.id : (a, b) => reportIndexOrder(a.row!, b.row!));
      const chunk = ctx.db.engine === 'postgres' ? 20_000 : 2_000;
      // The workload of each row, which the time_to_clear roll-up would otherwise read back.
      const workloads = new Map(ordered.map((p) => [p.row!.id, p.workloadId]));
      for (let start = 0; start < ordered.length; start += chunk) {
        const writes = [];
        for (const p of ordered.slice(start, start + chunk)) {
          const row = p.row!;
          // The stored status is the change's `before` (toSnapshot of the same row).
          const before = JSON.stringify(p.change!.before);
          const after = JSON.stringify(p.change!.after);
          if (before === after) {
            summary.unchanged++;
            continue;
          }
          writes.push({ row, version: row.version, change: p.change!, json: { before, after } });
          summary.entitlementsUpdated++;
        }
        if (!(await writeChanges(trx, writes, { actor, now, kind: 'import', writer, workloads, rollup }))) throw new WriteConflict();
      }
      await writer.finish();
      await rollup.write(trx);
    });
  } catch (error) {
    if (!(error instanceof WriteConflict)) throw error;
    throw await conflictError(db, records.length, planned.filter((p) => existing.has(p.key)).map((p) => ({ line: p.line, id: p.row!.id, fileVersion: p.version, readVersion: p.row!.version })));
  }
  if (ctx.db.engine === 'postgres' && summary.entitlementsUpdated + summary.entitlementsCreated >= VACUUM_AFTER_ROWS) {
    // A large import leaves many dead row versions and clears the visibility map, so the reports'
    // index-only scans fall back to reading the table until autovacuum comes round. Vacuum now, in
    // the background: the import has answered already, and a failure only delays the speed-up.
    void sql`vacuum (analyze) entitlements, entitlement_search`.execute(db).catch(() => undefined);
  }
  return summary;
}

/** Orders stored rows as they sit in entitlements_code (l1, l2, since), then by id: the order the SQLite import writes in. */
export function reportIndexOrder(x: Pick<EntitlementJoinedRow, 'l1' | 'l2' | 'since' | 'id'>, y: Pick<EntitlementJoinedRow, 'l1' | 'l2' | 'since' | 'id'>): number {
  if (x.l1 !== y.l1) return x.l1 < y.l1 ? -1 : 1;
  if (x.l2 !== y.l2) {
    if (x.l2 === null) return -1; // SQLite orders nulls first
    if (y.l2 === null) return 1;
    return x.l2 < y.l2 ? -1 : 1;
  }
  if (x.since !== y.since) return x.since < y.since ? -1 : 1;
  return x.id - y.id;
}

/**
 * The VERSION_CONFLICT for an import whose writes found a changed entitlement: reads the versions
 * stored now (after the rollback, so the import's own writes are gone) and names every row of the
 * file whose entitlement moved on from the version the import read, in file order.
 */
async function conflictError(db: TrackerContext['db']['kysely'], fileRows: number, read: Omit<ConflictRow, 'currentVersion'>[]): Promise<AppError> {
  const current = new Map<number, number>();
  const ids = [...new Set(read.map((r) => r.id))];
  for (let i = 0; i < ids.length; i += 1_000) {
    for (const e of await db.selectFrom('entitlements').select(['id', 'version']).where('id', 'in', ids.slice(i, i + 1_000)).execute()) current.set(e.id, e.version);
  }
  const conflicts: ConflictRow[] = read
    .map((r) => ({ ...r, currentVersion: current.get(r.id) ?? null }))
    .filter((r) => r.currentVersion !== r.readVersion)
    .sort((a, b) => a.line - b.line);
  if (conflicts.length === 0) {
    // Every version is back to what was read (cannot happen while versions only grow): say what is known.
    return new AppError('VERSION_CONFLICT', 'Some entitlements changed during the import; nothing was imported. Import the file again.', { rows: [], conflictingRows: 0, truncated: false });
  }
  const lines = `line${conflicts.length > 1 ? 's' : ''} ${conflicts.slice(0, 5).map((c) => c.line).join(', ')}${conflicts.length > 5 ? ` and ${conflicts.length - 5} more` : ''}`;
  return new AppError(
    'VERSION_CONFLICT',
    `${conflicts.length} of ${fileRows} row(s) name entitlements that someone changed while the file was being imported (${lines}); nothing was imported. ` +
      'Check those entitlements (the file would overwrite the other change), then import again.',
    { rows: conflicts.slice(0, MAX_CONFLICT_ROWS), conflictingRows: conflicts.length, truncated: conflicts.length > MAX_CONFLICT_ROWS },
  );
}
