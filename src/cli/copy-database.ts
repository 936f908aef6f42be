/**
 * `unblock admin copy-database`: every row of one Unblock database into another that holds no data yet,
 * ids included, so that a team moves from the SQLite default to a shared PostgreSQL server (or back)
 * with its history, times in status, users, passwords and API tokens as they were.
 */
import { sql, type Kysely } from 'kysely';
import { migrateToLatest, openDatabase, sqliteRows, type Database, type Db } from '../db/index.js';
import { AppError } from '../lib/index.js';

/**
 * Tables in an order in which every row's references are already copied. The search index is written by
 * the target's triggers (SQLite), or rebuilt in one statement after the entitlements (PostgreSQL).
 */
export const COPIED_TABLES = ['partners', 'users', 'api_tokens', 'sessions', 'customers', 'entitlements', 'status_history', 'history_daily', 'time_to_clear', 'audit_log'] as const;
type CopiedTable = (typeof COPIED_TABLES)[number];

/** Each table's key, for reading it in pages in a stable order. */
const KEYS: Record<CopiedTable, readonly string[]> = {
  partners: ['id'], users: ['id'], api_tokens: ['id'], sessions: ['id'], customers: ['id'], entitlements: ['id'], status_history: ['id'], audit_log: ['id'],
  history_daily: ['day', 'partner_id', 'from_code', 'to_code', 'grade'], time_to_clear: ['partner_id', 'workload_id', 'from_code'],
};

/** Tables whose `id` is generated (a PostgreSQL sequence to move past the copied ids). */
const SERIAL: readonly CopiedTable[] = ['partners', 'users', 'api_tokens', 'customers', 'entitlements', 'status_history', 'audit_log'];

/**
 * Rows read from the source at a time, by target. Into PostgreSQL a page is one statement: fewer round
 * trips and statements to plan, at a few megabytes per page (10,000 history rows are about 4 MB). SQLite
 * statements stay bounded by its parameter limit whatever the page, so its pages stay as they were.
 */
const PAGE = { postgres: 10_000, sqlite: 2000 } as const;
/** Bound parameters per insert statement into SQLite (it allows 32,766). */
const MAX_PARAMETERS = 30_000;

export interface Endpoint {
  url: string | null;
  sqlitePath: string;
  /** For messages: the URL without its password, or the file. */
  label: string;
}

async function open(endpoint: Endpoint): Promise<Db> {
  const db = await openDatabase({ url: endpoint.url, sqlitePath: endpoint.sqlitePath, poolSize: 2 });
  try {
    await migrateToLatest(db.kysely, db.engine, db.schema);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}

async function count(db: Kysely<Database>, table: CopiedTable): Promise<number> {
  const row = await db.selectFrom(table).select(sql<string | number>`count(*)`.as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Copies every row of `from` into `to`, in one transaction on `to`: all or nothing. Refuses (exit 2) a
 * target that holds partners, users or customers (the demo's or anyone's), and one whose workload
 * catalogue differs. Answers the rows copied per table.
 */
export async function copyDatabase(from: Endpoint, to: Endpoint): Promise<Record<CopiedTable, number>> {
  const source = await open(from);
  try {
    const target = await open(to);
    try {
      for (const table of ['partners', 'users', 'customers', 'entitlements'] as const) {
        const n = await count(target.kysely, table);
        if (n > 0) {
          throw new AppError('BAD_ARGUMENTS', `${to.label} already holds data (${n} ${table}); copy-database only fills an empty database. Give --to a new database.`);
        }
      }
      const catalogue = async (db: Db) => JSON.stringify(await db.kysely.selectFrom('workloads').select(['id', 'slug']).orderBy('id').execute());
      if ((await catalogue(source)) !== (await catalogue(target))) {
        throw new AppError('BAD_ARGUMENTS', `The workload catalogues of ${from.label} and ${to.label} differ; both must be migrated by the same version of Unblock.`);
      }
      const copied = {} as Record<CopiedTable, number>;
      await target.kysely.transaction().execute(async (trx) => {
        const postgres = target.engine === 'postgres';
        // PostgreSQL: the insert trigger would write the search entries of each page of entitlements as it
        // goes in; with it off for this transaction they are written afterwards in one statement.
        const searchAside = postgres && (await setSearchTriggerAside(trx));
        for (const table of COPIED_TABLES) copied[table] = await copyTable(source.kysely, trx, table, postgres);
        if (searchAside) await rebuildSearchEntries(trx);
        for (const table of SERIAL) {
          // The next generated id comes after the copied ones and after every id the source ever gave
          // out (rows deleted there included), so no id is handed out a second time.
          const issued = await lastIssuedId(source, table);
          if (target.engine === 'postgres') {
            await sql`select setval(pg_get_serial_sequence(${table}, 'id'), greatest(coalesce(max(id), 1), ${issued}::bigint), max(id) is not null or ${issued}::bigint > 0) from ${sql.table(table)}`.execute(trx);
          } else if (issued > 0) {
            // Inserting the rows set sqlite_sequence to their largest id (no entry when there were none).
            await sql`insert into sqlite_sequence (name, seq) select ${table}, 0 where not exists (select 1 from sqlite_sequence where name = ${table})`.execute(trx);
            await sql`update sqlite_sequence set seq = max(seq, cast(${issued} as integer)) where name = ${table}`.execute(trx);
          }
        }
        // The target's planner statistics describe the empty tables the migrations analysed: describe the rows now there.
        if (target.engine === 'postgres') {
          await sql`analyze ${sql.join([...COPIED_TABLES, 'entitlement_search'].map((table) => sql.table(table)))}`.execute(trx);
        } else {
          await sql`analyze`.execute(trx);
        }
      });
      return copied;
    } finally {
      await target.close();
    }
  } finally {
    await source.close();
  }
}

/** The largest id the source's generator has handed out for `table` (0 when none). */
async function lastIssuedId(db: Db, table: CopiedTable): Promise<number> {
  const row = db.engine === 'postgres'
    ? (await sql<{ n: string | number | null }>`select pg_sequence_last_value(pg_get_serial_sequence(${table}, 'id')::regclass) as n`.execute(db.kysely)).rows[0]
    : (await sql<{ n: string | number | null }>`select seq as n from sqlite_sequence where name = ${table}`.execute(db.kysely)).rows[0];
  return Number(row?.n ?? 0);
}

/**
 * Turns the PostgreSQL insert trigger of the search index off until `rebuildSearchEntries` turns it on
 * again, in the same transaction: the change is invisible to other sessions, and an error (the
 * transaction rolls back) cannot leave it off. Migration 009's transaction-local setting turns aside
 * the update trigger only, not this one. Altering a table takes its owner; for a role that does not
 * own it the trigger stays on and writes the entries as the rows go in, as before (answers false).
 */
async function setSearchTriggerAside(trx: Kysely<Database>): Promise<boolean> {
  const owner = await sql<{ owns: boolean }>`select pg_has_role(relowner, 'USAGE') as owns from pg_class where oid = 'entitlements'::regclass`.execute(trx);
  if (owner.rows[0]?.owns !== true) return false;
  await sql`alter table entitlements disable trigger entitlement_search_insert`.execute(trx);
  return true;
}

/** The search entry of every entitlement, as the insert trigger (migration 005) would have written it; then the trigger back on. */
async function rebuildSearchEntries(trx: Kysely<Database>): Promise<void> {
  await sql`insert into entitlement_search (entitlement_id, doc)
    select e.id, entitlement_search_doc(e.note, e.owner, c.name) from entitlements e join customers c on c.id = e.customer_id`.execute(trx);
  await sql`alter table entitlements enable trigger entitlement_search_insert`.execute(trx);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the same columns on both ends, read and written untyped
type Untyped = Kysely<any>;

/** Where one table's rows go: the columns read (null: all, as objects), and how a page is written. */
interface Writer {
  columns: readonly string[] | null;
  write(rows: unknown[]): Promise<void>;
}

/** A table's columns and their types on PostgreSQL, in the table's order. */
async function postgresColumns(target: Kysely<Database>, table: CopiedTable): Promise<{ name: string; type: string }[]> {
  const { rows } = await sql<{ name: string; type: string }>`select attname as name, format_type(atttypid, atttypmod) as type from pg_attribute
    where attrelid = ${table}::regclass and attnum > 0 and not attisdropped order by attnum`.execute(target);
  return rows;
}

/**
 * PostgreSQL: each page is one statement with an array parameter per column (unnest), rows read as value
 * arrays. A statement of bound values takes at most 30,000 of them (about 1,900 history rows) and costs
 * the client much of its time to build; one JSON parameter per page is cheap to build but the server
 * reads typed arrays about three times faster (measured: 0.35 s against 1.2 s per 100,000 history rows).
 */
async function postgresWriter(target: Kysely<Database>, table: CopiedTable): Promise<Writer> {
  const columns = await postgresColumns(target, table);
  // Type names come from the catalogue; checked all the same before they are written into the statement.
  const bad = columns.find((c) => !/^[a-z][a-z0-9 ]*$/.test(c.type));
  if (bad) throw new Error(`copy-database cannot copy ${table}.${bad.name} of type ${bad.type}`);
  const names = sql.join(columns.map((c) => sql.ref(c.name)));
  return {
    columns: columns.map((c) => c.name),
    async write(rows) {
      const values = rows as unknown[][];
      const arrays = columns.map((c, i) => sql`${values.map((row) => row[i])}::${sql.raw(c.type)}[]`);
      await sql`insert into ${sql.table(table)} (${names}) select * from unnest(${sql.join(arrays)})`.execute(target);
    },
  };
}

/** SQLite: multi-row inserts of row objects, as many rows to a statement as its parameter limit allows. */
function sqliteWriter(target: Kysely<Database>, table: CopiedTable): Writer {
  return {
    columns: null,
    async write(rows) {
      const objects = rows as Record<string, unknown>[];
      const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / Object.keys(objects[0]!).length));
      for (let i = 0; i < objects.length; i += perStatement) await (target as unknown as Untyped).insertInto(table).values(objects.slice(i, i + perStatement)).execute();
    },
  };
}

/**
 * A page of `table` from the source, in key order after `after` (the last row's key): row objects of all
 * columns when `columns` is null, else value arrays of those columns (straight from better-sqlite3 on a
 * SQLite source: no object per row to build and collect).
 */
async function readPage(source: Kysely<Database>, table: CopiedTable, page: number, columns: readonly string[] | null, after: Record<string, unknown> | null): Promise<unknown[]> {
  const keys = KEYS[table];
  const from = (source as unknown as Untyped).selectFrom(table);
  let query = columns === null ? from.selectAll() : from.select(columns.map((c) => sql.ref(c).as(c)));
  if (after !== null) {
    // Keyset paging: rows whose key sorts after the last one read, (a, b) > (x, y) spelled out.
    query = query.where((eb) => eb.or(keys.map((key, i) => eb.and([...keys.slice(0, i).map((k) => eb(k, '=', after[k])), eb(key, '>', after[key])]))));
  }
  for (const key of keys) query = query.orderBy(key);
  query = query.limit(page);
  if (columns === null) return query.execute();
  return sqliteRows(source, query.compile(), (values) => values) ?? (await query.execute()).map((row: Record<string, unknown>) => columns.map((c) => row[c]));
}

async function copyTable(source: Kysely<Database>, target: Kysely<Database>, table: CopiedTable, postgres: boolean): Promise<number> {
  const writer = postgres ? await postgresWriter(target, table) : sqliteWriter(target, table);
  const { columns } = writer;
  const page = PAGE[postgres ? 'postgres' : 'sqlite'];
  const keyOf = (row: unknown): Record<string, unknown> =>
    columns === null ? (row as Record<string, unknown>) : Object.fromEntries(KEYS[table].map((k) => [k, (row as unknown[])[columns.indexOf(k)]]));
  let copied = 0;
  let after: Record<string, unknown> | null = null;
  // The page being written while the next one is read: the source is read while the target works.
  let writing: Promise<void> = Promise.resolve();
  try {
    for (;;) {
      const rows = await readPage(source, table, page, columns, after);
      await writing;
      if (rows.length === 0) break;
      writing = writer.write(rows);
      // Marked handled while the next page is read; the await above (or below) still throws its error.
      writing.catch(() => undefined);
      copied += rows.length;
      after = keyOf(rows[rows.length - 1]);
      if (rows.length < page) break;
    }
  } finally {
    // Settled before the caller goes on (or rolls back), whether or not reading failed meanwhile.
    await writing.catch(() => undefined);
  }
  await writing;
  return copied;
}
