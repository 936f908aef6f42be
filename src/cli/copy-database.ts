/**
 * `unblock admin copy-database`: every row of one Unblock database into another that holds no data yet,
 * ids included, so that a team moves from the SQLite default to a shared PostgreSQL server (or back)
 * with its history, times in status, users, passwords and API tokens as they were.
 */
import { sql, type Kysely } from 'kysely';
import { migrateToLatest, openDatabase, type Database, type Db } from '../db/index.js';
import { AppError } from '../lib/index.js';

/** Tables in an order in which every row's references are already copied. The search index is rebuilt by the target's triggers. */
export const COPIED_TABLES = ['partners', 'users', 'api_tokens', 'sessions', 'customers', 'entitlements', 'status_history', 'history_daily', 'audit_log'] as const;
type CopiedTable = (typeof COPIED_TABLES)[number];

/** Each table's key, for reading it in pages in a stable order. */
const KEYS: Record<CopiedTable, readonly string[]> = {
  partners: ['id'], users: ['id'], api_tokens: ['id'], sessions: ['id'], customers: ['id'], entitlements: ['id'], status_history: ['id'], audit_log: ['id'],
  history_daily: ['day', 'partner_id', 'from_code', 'to_code', 'grade'],
};

/** Tables whose `id` is generated (a PostgreSQL sequence to move past the copied ids). */
const SERIAL: readonly CopiedTable[] = ['partners', 'users', 'api_tokens', 'customers', 'entitlements', 'status_history', 'audit_log'];

/** Rows read from the source at a time. */
const PAGE = 2000;
/** Bound parameters per insert statement (PostgreSQL allows 65,535; SQLite 32,766). */
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
        for (const table of COPIED_TABLES) copied[table] = await copyTable(source.kysely, trx, table);
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

async function copyTable(source: Kysely<Database>, target: Kysely<Database>, table: CopiedTable): Promise<number> {
  const keys = KEYS[table];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the same columns on both ends, read and written untyped
  const untypedSource = source as unknown as Kysely<any>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const untypedTarget = target as unknown as Kysely<any>;
  let copied = 0;
  let last: Record<string, unknown> | null = null;
  for (;;) {
    let query = untypedSource.selectFrom(table).selectAll();
    if (last !== null) {
      const after = last;
      // Keyset paging: rows whose key sorts after the last one read, (a, b) > (x, y) spelled out.
      query = query.where((eb) => eb.or(keys.map((key, i) => eb.and([...keys.slice(0, i).map((k) => eb(k, '=', after[k])), eb(key, '>', after[key])]))));
    }
    for (const key of keys) query = query.orderBy(key);
    const rows = (await query.limit(PAGE).execute()) as Record<string, unknown>[];
    if (rows.length === 0) break;
    const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / Object.keys(rows[0]!).length));
    for (let i = 0; i < rows.length; i += perStatement) await untypedTarget.insertInto(table).values(rows.slice(i, i + perStatement)).execute();
    copied += rows.length;
    last = rows[rows.length - 1]!;
    if (rows.length < PAGE) break;
  }
  return copied;
}
