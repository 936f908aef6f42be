/** The one place that knows SQLite from PostgreSQL: opens a Kysely handle for either. */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, type SqliteDatabase } from 'kysely';
// The driver is loaded when a PostgreSQL URL is opened: SQLite runs (every CLI command) skip its ~70 ms.
import type pg from 'pg';
import { AppError, postgresUrl, redactUrl } from '../lib/index.js';
import type { Database } from './schema.js';
import { cachePreparedStatements } from './statement-cache.js';
import { registerSqliteHandle } from './bulk.js';
import { startCheckpointer } from './checkpointer.js';
import { SearchPathPostgresDialect } from './pg-introspector.js';

export { redactUrl };

export type Engine = 'sqlite' | 'postgres';

export interface DatabaseOptions {
  /** `postgres://...` (scheme in any case) for PostgreSQL; otherwise SQLite at `sqlitePath`. */
  url?: string | null;
  /** SQLite file path, or ':memory:'. Parent folders are created. */
  sqlitePath?: string;
  /** PostgreSQL schema to use (created when missing); tests use one per file. */
  schema?: string;
  /** PostgreSQL pool size (default 10). */
  poolSize?: number;
  /**
   * SQLite file: checkpoint the write-ahead log on a worker thread of its own (src/db/checkpointer.ts)
   * instead of in the commit that fills it. For long-running servers; a short CLI command would only
   * pay for starting the thread. Default false.
   */
  backgroundCheckpoints?: boolean;
}

/** An open database: the typed Kysely handle, its engine, and `close()` (idempotent). */
export interface Db {
  readonly kysely: Kysely<Database>;
  readonly engine: Engine;
  /** The PostgreSQL schema in use when one was named; null otherwise. */
  readonly schema: string | null;
  /**
   * Which letters the database's lower() folds: `ascii` (A-Z only: SQLite, and PostgreSQL when the
   * database's LC_CTYPE is C or POSIX) or `unicode` (PostgreSQL with a UTF-8 LC_CTYPE). Keys built in
   * JavaScript fold the same way (foldCaseOf). Absent: as the engine usually does (SQLite `ascii`,
   * PostgreSQL `unicode`).
   */
  readonly caseFolding?: 'ascii' | 'unicode';
  close(): Promise<void>;
}

/** Opens SQLite (WAL, foreign keys on) or a PostgreSQL pool. Throws CONFIG_INVALID when it cannot connect. */
export async function openDatabase(options: DatabaseOptions): Promise<Db> {
  if (options.url) return openPostgres(options.url, options.schema, options.poolSize ?? 10);
  return openSqlite(options.sqlitePath ?? ':memory:', options.backgroundCheckpoints ?? false);
}

/**
 * Kysely begins SQLite transactions with a plain (deferred) `begin`; this makes it `begin immediate`,
 * which takes the write lock at once, waiting up to busy_timeout. A deferred transaction that reads
 * first holds a snapshot of the log, and when the background checkpointer restarts the log before the
 * transaction's first write, that write fails at once with SQLITE_BUSY_SNAPSHOT, which no busy wait
 * retries: an import answered 500 this way in one benchmark run of four. Every Kysely transaction
 * here writes, and this process has one connection, so taking the lock early costs nothing.
 */
export function beginImmediately(database: SqliteDatabase): SqliteDatabase {
  return { close: () => database.close(), prepare: (sql: string) => database.prepare(sql === 'begin' ? 'begin immediate' : sql) };
}

function openSqlite(path: string, backgroundCheckpoints: boolean): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  let handle: SQLite.Database;
  try {
    handle = new SQLite(path);
  } catch (error) {
    throw new AppError('CONFIG_INVALID', `Cannot open the SQLite database at ${path}: ${(error as Error).message}`);
  }
  try {
    if (path !== ':memory:') handle.pragma('journal_mode = WAL');
  } catch (error) {
    handle.close();
    // The first statement reads the file's header: a CSV, a note or another program's file given as the database.
    if ((error as { code?: unknown }).code === 'SQLITE_NOTADB') {
      throw new AppError('CONFIG_INVALID', `${path} is not an SQLite database (it may be another kind of file given as the database); give the server's unblock.db (serve and admin also take a new path and create one there; report, import and export need an existing one).`, { sqlite: 'SQLITE_NOTADB', path });
    }
    throw new AppError('CONFIG_INVALID', `Cannot open the SQLite database at ${path}: ${(error as Error).message}`);
  }
  handle.pragma('synchronous = NORMAL');
  handle.pragma('foreign_keys = ON');
  handle.pragma('busy_timeout = 5000');
  // Statement journals in memory: every status update runs under a trigger, so SQLite keeps a journal
  // per statement to undo it alone, and past 64 KiB it spills that journal to a new temporary file.
  // With the file, a 50,000-row import at 1M entitlements spent a third of its write time creating
  // and writing those files (perf: pwrite under subjournalPageIfRequired); in memory it writes about
  // 1.7 times as many rows a second (scripts/storage-ceiling.ts). Temporary tables and sorts spilled
  // past the page cache stay in memory too, which is bounded by what one query sorts.
  handle.pragma('temp_store = MEMORY');
  // 64 MiB page cache and memory-mapped reads: reports and imports over a million rows stay in memory.
  handle.pragma('cache_size = -65536');
  if (path !== ':memory:') handle.pragma('mmap_size = 268435456');
  // Checkpoints run on a thread of their own, not in the commit of whichever request fills the log.
  const checkpointer = backgroundCheckpoints && path !== ':memory:' ? startCheckpointer(handle, path) : null;
  const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: beginImmediately(cachePreparedStatements(handle)) }) });
  registerSqliteHandle(kysely, handle);
  let closed = false;
  return {
    kysely,
    engine: 'sqlite',
    schema: null,
    caseFolding: 'ascii',
    async close() {
      if (closed) return;
      closed = true;
      // The worker's connection first, so that the main one closes last: SQLite then checkpoints the
      // whole log into the file and removes it.
      await checkpointer?.close();
      await kysely.destroy();
    },
  };
}

/** The sslmode values the pg driver (8.x) treats as verify-full, with a multi-line warning to stderr. */
const VERIFYING_ALIASES = new Set(['prefer', 'require', 'verify-ca']);

/**
 * The pg driver's settings for `url`: its scheme in lower case, and an sslmode of `require`, `prefer` or
 * `verify-ca` written as `verify-full`. pg 8 already connects with verify-full for those three (TLS, the
 * server's certificate checked against the trusted authorities and its host name checked) but prints
 * a SECURITY WARNING about it on every command, because pg 9 is to give them libpq's weaker meaning
 * (require: encrypted, certificate not checked). Saying verify-full keeps today's TLS exactly, without
 * the warning, and keeps it when the driver is upgraded: a URL that was checked is not silently
 * unchecked. A URL that asks for libpq's meaning (`uselibpqcompat=true`), or for `disable` or
 * `no-verify`, is passed on as it is; so is every other parameter.
 */
export function postgresClientConfig(url: string): pg.ClientConfig {
  const lowered = postgresUrl(url) ?? url;
  const query = /^([^?#]*)\?([^#]*)(.*)$/s.exec(lowered);
  if (!query) return { connectionString: lowered };
  const [, head, search, hash] = query as unknown as [string, string, string, string];
  const params = new URLSearchParams(search);
  // The driver reads the parameters in order, so the last sslmode given is the one it uses.
  const mode = params.getAll('sslmode').at(-1);
  if (mode === undefined || !VERIFYING_ALIASES.has(mode) || params.getAll('uselibpqcompat').at(-1) === 'true') return { connectionString: lowered };
  params.set('sslmode', 'verify-full');
  return { connectionString: `${head}?${params.toString()}${hash}` };
}

/** How long the first connection may take when the URL sets no `connect_timeout`. */
const DEFAULT_CONNECT_TIMEOUT_SECONDS = 10;

/**
 * The seconds a first connection may take: the URL's `connect_timeout` (libpq's parameter, which the pg
 * driver itself ignores; 0 waits without limit), else {@link DEFAULT_CONNECT_TIMEOUT_SECONDS}.
 */
export function connectTimeoutSeconds(url: string): number {
  let given: string | null = null;
  try {
    given = new URL(url).searchParams.get('connect_timeout');
  } catch {
    // A URL the WHATWG parser refuses: pg reads it its own way; the default applies.
  }
  return given !== null && /^\s*\d+\s*$/.test(given) ? Number(given) : DEFAULT_CONNECT_TIMEOUT_SECONDS;
}

/**
 * Runs `work` on a connection of its own, made within the URL's connect timeout, and closes it. Opening a
 * database connects this way first, before its pool: a host that takes the connection and never answers
 * (a firewall, another service on that port) would otherwise keep the command waiting with no word. The
 * pool itself gets no timeout, as pg-pool would apply it to waiting for a busy pool's free connection too.
 * Throws CONFIG_INVALID, naming the database (its password hidden), when it cannot connect.
 */
export async function onFirstConnection<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const seconds = connectTimeoutSeconds(url);
  const { default: driver } = await import('pg');
  let client: pg.Client;
  try {
    client = new driver.Client({ ...postgresClientConfig(url), connectionTimeoutMillis: seconds * 1000 });
  } catch (error) {
    // The driver's URL parser refused it, most often for a / ? or # in the password. Where the
    // password ends is then unclear, so everything between // and the last @ is hidden.
    const shown = url.replace(/\/\/.*@/, '//***@');
    throw new AppError('CONFIG_INVALID', `Cannot read the PostgreSQL URL ${shown} (${(error as Error).message}): in a user name or password, the characters @ : / ? # and % must be percent-encoded (@ as %40, / as %2F, ? as %3F, # as %23).`);
  }
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await work(client);
  } catch (error) {
    const timedOut = seconds > 0 && /timeout/i.test((error as Error).message);
    const reason = timedOut ? `no answer within ${seconds} s (connect_timeout=SECONDS in the URL waits longer)` : (error as Error).message;
    // The server's SQLSTATE (3D000: no such database, 28P01: wrong password, ...), for callers that tell a mistyped URL from an outage.
    const sqlstate = (error as { code?: unknown }).code;
    const details = typeof sqlstate === 'string' && /^[0-9A-Z]{5}$/.test(sqlstate) ? { sqlstate } : undefined;
    throw new AppError('CONFIG_INVALID', `Cannot connect to PostgreSQL (${redactUrl(url)}): ${reason}`, details);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function openPostgres(url: string, schema: string | undefined, poolSize: number): Promise<Db> {
  if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new AppError('CONFIG_INVALID', `Invalid PostgreSQL schema name: ${schema}`);
  // The schema name is checked above, so it can be written into the statement as it is.
  const caseFolding = await onFirstConnection(url, async (client) => {
    if (schema) await client.query(`create schema if not exists "${schema}"`);
    // lower() follows the database's LC_CTYPE: with C or POSIX (initdb --locale=C, or a server started
    // without locales) it folds A-Z only, as SQLite does; the import's keys must fold the same way.
    const { rows } = await client.query<{ ascii: boolean }>("select lower('\u00c9') = '\u00c9' as ascii");
    return rows[0]?.ascii === true ? 'ascii' : 'unicode';
  });
  const { default: driver } = await import('pg');
  const pool = new driver.Pool({ ...postgresClientConfig(url), max: poolSize, ...(schema ? { options: `-c search_path=${schema}` } : {}) });
  pool.on('error', () => undefined);
  const kysely = new Kysely<Database>({ dialect: new SearchPathPostgresDialect({ pool }) });
  let closed = false;
  return {
    kysely,
    engine: 'postgres',
    schema: schema ?? null,
    caseFolding,
    async close() {
      if (closed) return;
      closed = true;
      await kysely.destroy();
    },
  };
}
