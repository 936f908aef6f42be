/**
 * Set-based writes of many entitlement status changes and history rows, for imports and bulk changes.
 * SQLite: better-sqlite3 prepared statements run directly on the connection (inside the caller's
 * Kysely transaction: SQLite has one connection), each UPDATE setting only the columns that change,
 * so indexes over unchanged columns are left alone, and writing the full-text entries of changed
 * notes and owners itself, in rowid order, instead of through the update trigger (migration 008).
 * PostgreSQL: one `UPDATE ... FROM json_to_recordset(json)` and one `INSERT ... SELECT FROM
 * json_to_recordset(json)` per 20,000 rows, with the update trigger standing aside and the search
 * entries of changed notes and owners rewritten by one more UPDATE (migration 009).
 */
import type SQLite from 'better-sqlite3';
import { SqliteAdapter, sql, type CompiledQuery, type Kysely } from 'kysely';
import type { Database, NewHistoryRow } from './schema.js';

/** Status columns of `entitlements` a change may set. */
export const ENTITLEMENT_STATUS_COLUMNS = [
  'code', 'l1', 'l2', 'l3', 'taxonomy_version', 'note', 'target_date', 'engagement_start_date', 'business_reason', 'owner',
  'next_action', 'next_action_date', 'projected_unblock_date', 'note_grade', 'since',
] as const;
export type EntitlementStatusColumn = (typeof ENTITLEMENT_STATUS_COLUMNS)[number];
export type EntitlementStatusValues = Record<EntitlementStatusColumn, string | null>;

/** One entitlement to update: written only while its stored version is still `version`. */
export interface EntitlementStatusUpdate {
  id: number;
  version: number;
  /** The stored values the change was planned against (only columns that differ are written). */
  old: EntitlementStatusValues;
  values: EntitlementStatusValues;
  /** The entitlement's customer (its name is part of the search entry). */
  customerId: number;
}

export interface BulkWriter {
  /**
   * Sets the status columns of each entitlement, its version + 1, `updated_by` and `updated_at`, in the
   * order given; returns how many rows were written (fewer than given when a version moved on: the
   * caller rolls back). On SQLite the search entries of changed notes and owners are written by
   * {@link BulkWriter.finish}.
   */
  updateEntitlementStatuses(rows: readonly EntitlementStatusUpdate[], meta: { updatedBy: number | null; updatedAt: string }): Promise<number>;
  /** Appends history rows. */
  insertHistory(rows: readonly NewHistoryRow[]): Promise<void>;
  /** Writes what the updates left pending (SQLite: the search entries); call once, after the last update, inside the same transaction. */
  finish(): Promise<void>;
}

const HISTORY_COLUMNS = [
  'entitlement_id', 'partner_id', 'kind', 'changed_by', 'changed_by_name', 'changed_at', 'from_code', 'to_code', 'days_in_previous',
  'before_json', 'after_json', 'note_grade', 'note_score', 'suggestion_json', 'suggested_code',
] as const satisfies readonly (keyof NewHistoryRow)[];

const HISTORY_PG_TYPES: Record<(typeof HISTORY_COLUMNS)[number], string> = {
  entitlement_id: 'integer', partner_id: 'integer', kind: 'text', changed_by: 'integer', changed_by_name: 'text', changed_at: 'text', from_code: 'text',
  to_code: 'text', days_in_previous: 'integer', before_json: 'text', after_json: 'text', note_grade: 'text', note_score: 'real', suggestion_json: 'text', suggested_code: 'text',
};

/**
 * better-sqlite3 handles of open SQLite databases, by their Kysely SQL adapter: a Kysely instance and
 * every transaction begun from it share one adapter object, so a transaction finds its raw connection.
 */
const sqliteHandles = new WeakMap<object, SQLite.Database>();

/** Remembers the raw connection behind a SQLite Kysely handle (see connect.ts), for {@link bulkWriter}. */
export function registerSqliteHandle(kysely: Kysely<Database>, handle: SQLite.Database): void {
  sqliteHandles.set(kysely.getExecutor().adapter, handle);
}

/** A bulk writer working inside `trx`, a transaction of a database opened by `openDatabase`. */
export function bulkWriter(trx: Kysely<Database>): BulkWriter {
  const adapter = trx.getExecutor().adapter;
  if (!(adapter instanceof SqliteAdapter)) return postgresWriter(trx);
  const handle = sqliteHandles.get(adapter);
  if (!handle) throw new Error('bulkWriter: this SQLite database was not opened with openDatabase');
  return sqliteWriter(handle);
}

/**
 * Runs `query` on SQLite's raw connection and makes each row with `fromValues` (its column values as
 * an array, in the query's column order); null on PostgreSQL (run the query through Kysely there).
 * Building a row object costs better-sqlite3 a V8 call per column: for 50,000 rows of 26 columns
 * about 1 s here, against 0.4 s for arrays turned into objects with one literal as they come (each
 * array is garbage at once, so it never survives a scavenge).
 */
export function sqliteRows<T>(db: Kysely<Database>, query: CompiledQuery, fromValues: (values: unknown[]) => T): T[] | null {
  const adapter = db.getExecutor().adapter;
  if (!(adapter instanceof SqliteAdapter)) return null;
  const handle = sqliteHandles.get(adapter);
  if (!handle) return null;
  const rows: T[] = [];
  for (const values of handle.prepare(query.sql).raw(true).iterate(...(query.parameters as unknown[]))) rows.push(fromValues(values as unknown[]));
  return rows;
}

function changedColumns(row: EntitlementStatusUpdate): EntitlementStatusColumn[] {
  return ENTITLEMENT_STATUS_COLUMNS.filter((c) => row.values[c] !== row.old[c]);
}

interface SqliteStatements {
  updates: Map<string, SQLite.Statement>;
  history: SQLite.Statement;
  defer: SQLite.Statement;
  customerNames: SQLite.Statement;
  searchDelete: SQLite.Statement;
  searchInsert: SQLite.Statement;
}
const sqliteStatements = new WeakMap<SQLite.Database, SqliteStatements>();

function statementsOf(handle: SQLite.Database): SqliteStatements {
  let s = sqliteStatements.get(handle);
  if (!s) {
    s = {
      updates: new Map(),
      history: handle.prepare(`insert into status_history (${HISTORY_COLUMNS.join(', ')}) values (${HISTORY_COLUMNS.map(() => '?').join(', ')})`),
      defer: handle.prepare('update entitlement_search_deferred set deferred = ?'),
      customerNames: handle.prepare('select c.id, c.name from json_each(?) j cross join customers c on c.id = j.value'),
      searchDelete: handle.prepare(`insert into entitlement_search (entitlement_search, rowid, note, owner, customer) values ('delete', ?, ?, ?, ?)`),
      searchInsert: handle.prepare('insert into entitlement_search (rowid, note, owner, customer) values (?, ?, ?, ?)'),
    };
    sqliteStatements.set(handle, s);
  }
  return s;
}

/** A changed note or owner whose search entry {@link BulkWriter.finish} rewrites. */
interface PendingSearchEntry {
  id: number;
  customerId: number;
  oldNote: string | null;
  oldOwner: string | null;
  note: string | null;
  owner: string | null;
}

function sqliteWriter(handle: SQLite.Database): BulkWriter {
  const statements = statementsOf(handle);
  // FTS5 writes cost three times as much from the update trigger as run directly (migration 008): the
  // trigger stands aside while the updates run, and the search entries of changed notes and owners are
  // rewritten by finish(), all together and in rowid order: FTS5 flushes its pending terms to a new
  // segment whenever a rowid is lower than the one before (five times slower in file order at 1M rows).
  // So the caller may run the updates in any order, for instance in the order of a report index.
  const pending: PendingSearchEntry[] = [];
  return {
    updateEntitlementStatuses(rows, meta) {
      let written = 0;
      for (const row of rows) {
        if (row.values.note !== row.old.note || row.values.owner !== row.old.owner) {
          pending.push({ id: row.id, customerId: row.customerId, oldNote: row.old.note, oldOwner: row.old.owner, note: row.values.note, owner: row.values.owner });
        }
      }
      statements.defer.run(1);
      try {
        for (const row of rows) {
          const columns = changedColumns(row);
          const key = columns.join(',');
          let statement = statements.updates.get(key);
          if (!statement) {
            const sets = columns.map((c) => `${c} = ?, `).join('');
            statement = handle.prepare(`update entitlements set ${sets}version = version + 1, updated_by = ?, updated_at = ? where id = ? and version = ?`);
            statements.updates.set(key, statement);
          }
          const params: unknown[] = columns.map((c) => row.values[c]);
          params.push(meta.updatedBy, meta.updatedAt, row.id, row.version);
          written += statement.run(params).changes;
        }
      } finally {
        statements.defer.run(0);
      }
      return Promise.resolve(written);
    },
    insertHistory(rows) {
      const insert = statements.history;
      for (const r of rows) {
        insert.run(
          r.entitlement_id, r.partner_id, r.kind, r.changed_by ?? null, r.changed_by_name, r.changed_at, r.from_code ?? null, r.to_code, r.days_in_previous ?? null,
          r.before_json ?? null, r.after_json, r.note_grade ?? null, r.note_score ?? null, r.suggestion_json ?? null, r.suggested_code ?? null,
        );
      }
      return Promise.resolve();
    },
    finish() {
      // FTS5's 'delete' needs exactly the indexed values: the old note and owner are the stored ones
      // (every update matched its version, or the caller rolled back without calling this), and customer
      // names are read here, inside the transaction, as a rename since the caller's read re-indexed them.
      // An entitlement updated twice keeps its first old values and its last new ones.
      const byId = new Map<number, PendingSearchEntry>();
      for (const entry of pending) {
        const first = byId.get(entry.id);
        byId.set(entry.id, first ? { ...entry, oldNote: first.oldNote, oldOwner: first.oldOwner } : entry);
      }
      pending.length = 0;
      const entries = [...byId.values()].sort((a, b) => a.id - b.id);
      if (entries.length === 0) return Promise.resolve();
      const names = new Map<number, string>();
      const ids = JSON.stringify([...new Set(entries.map((e) => e.customerId))]);
      for (const c of statements.customerNames.all(ids) as { id: number; name: string }[]) names.set(c.id, c.name);
      for (const e of entries) statements.searchDelete.run(e.id, e.oldNote, e.oldOwner ?? '', names.get(e.customerId) ?? '');
      for (const e of entries) statements.searchInsert.run(e.id, e.note, e.owner ?? '', names.get(e.customerId) ?? '');
      return Promise.resolve();
    },
  };
}

/** Rows per PostgreSQL statement: bounds the size of the one JSON parameter each statement carries. */
const PG_CHUNK = 20_000;

/** `name type, ...` for json_to_recordset. */
function recordType(columns: readonly string[], types: (c: string) => string) {
  return sql.join(columns.map((c) => sql`${sql.ref(c)} ${sql.raw(types(c))}`));
}

function postgresWriter(trx: Kysely<Database>): BulkWriter {
  return {
    async updateEntitlementStatuses(rows, meta) {
      let written = 0;
      // Id order: neighbouring rows share pages, and concurrent bulk writes lock rows in the same order.
      const sorted = [...rows].sort((a, b) => a.id - b.id);
      // The update trigger stands aside for these statements (migration 009): its plan over the
      // transition tables cost more than the UPDATE itself. The setting is transaction-local, so an
      // error (the caller rolls back) cannot leave it on.
      await sql`select set_config('unblock.search_deferred', 'on', true)`.execute(trx);
      for (let i = 0; i < sorted.length; i += PG_CHUNK) {
        const chunk = sorted.slice(i, i + PG_CHUNK);
        // One JSON parameter for all rows: cheaper to build and to parse than an array per column, and
        // json_to_recordset's small row estimate makes the planner reach each row through the primary key.
        const json = JSON.stringify(chunk.map((r) => ({ ...r.values, id: r.id, version: r.version })));
        const result = await sql`update entitlements as e set
            ${sql.join(ENTITLEMENT_STATUS_COLUMNS.map((c) => sql`${sql.ref(c)} = v.${sql.ref(c)}`))},
            version = e.version + 1, updated_by = ${meta.updatedBy}::integer, updated_at = ${meta.updatedAt}
          from json_to_recordset(${json}::json) as v(id integer, version integer, ${recordType(ENTITLEMENT_STATUS_COLUMNS, () => 'text')})
          where e.id = v.id and e.version = v.version`.execute(trx);
        written += Number(result.numAffectedRows ?? 0);
      }
      // The search entries of changed notes and owners, from the new values and the stored customer
      // name (what the trigger would write). Rows whose version moved on are rewritten too; the caller
      // rolls everything back then.
      const searchRows = sorted.filter((r) => r.values.note !== r.old.note || r.values.owner !== r.old.owner);
      for (let i = 0; i < searchRows.length; i += PG_CHUNK) {
        const json = JSON.stringify(searchRows.slice(i, i + PG_CHUNK).map((r) => ({ id: r.id, note: r.values.note, owner: r.values.owner, customer_id: r.customerId })));
        await sql`update entitlement_search as s set doc = entitlement_search_doc(v.note, v.owner, c.name)
          from json_to_recordset(${json}::json) as v(id integer, note text, owner text, customer_id integer) join customers c on c.id = v.customer_id
          where s.entitlement_id = v.id`.execute(trx);
      }
      await sql`select set_config('unblock.search_deferred', 'off', true)`.execute(trx);
      return written;
    },
    async insertHistory(rows) {
      for (let i = 0; i < rows.length; i += PG_CHUNK) {
        const json = JSON.stringify(rows.slice(i, i + PG_CHUNK));
        const columns = sql.join(HISTORY_COLUMNS.map((c) => sql.ref(c)));
        await sql`insert into status_history (${columns})
          select ${columns} from json_to_recordset(${json}::json) as v(${recordType(HISTORY_COLUMNS, (c) => HISTORY_PG_TYPES[c as (typeof HISTORY_COLUMNS)[number]])})`.execute(trx);
      }
    },
    finish: () => Promise.resolve(),
  };
}
