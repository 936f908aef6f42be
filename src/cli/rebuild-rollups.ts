/**
 * `unblock admin rebuild-rollups`: both roll-ups (`history_daily`, `time_to_clear`) rebuilt from
 * `status_history` in one transaction, for a database whose roll-ups a writer left short (a server of a
 * version before migration 021 writing beside a newer one, a set-based load that bypassed the tracker).
 *
 * Concurrent writers (PostgreSQL): every tracker writer locks its entitlements, then history_daily rows,
 * then time_to_clear rows (src/tracker/rollup.ts). The rebuild first takes both roll-up tables in
 * EXCLUSIVE mode, in that same order, and locks nothing else (it only reads status_history and
 * entitlements), so it cannot be part of a wait cycle. A writer that already wrote roll-up rows is
 * waited for, and its history rows are then read by the rebuild; a writer that comes later waits for
 * the rebuild to commit and then adds its rows to the rebuilt sums: no row is counted twice or lost.
 * Reports (plain reads) go on meanwhile, seeing the old sums until the commit. On SQLite the
 * transaction holds the write lock (`begin immediate`) from start to commit: a server's write waits for
 * it at most its busy timeout (5 s, src/db/connect.ts) and then fails, so a rebuild of a long history
 * (1.6 million rows took 25-28 s) is for a quiet time. A rebuild that cannot get the lock within that
 * time (a server holding it) fails with a message that says so (CONFLICT, exit 1) and changes nothing.
 */
import { sql, type Kysely } from 'kysely';
import type { Database, Db } from '../db/index.js';
import { AppError } from '../lib/index.js';
import { rebuildRollup } from '../tracker/index.js';

/** What one roll-up table holds: its rows, and the history rows (moves, for time_to_clear) they count. */
export interface RollupSize {
  rows: number;
  counted: number;
}

export interface RollupRebuild {
  before: { historyDaily: RollupSize; timeToClear: RollupSize };
  after: { historyDaily: RollupSize; timeToClear: RollupSize };
  /** status_history rows read. */
  historyRows: number;
  /** Milliseconds from asking for the locks to the commit. */
  ms: number;
}

export interface RebuildOptions {
  /** Runs once the roll-ups are locked, before they are read (tests start a concurrent writer here). */
  afterLock?: () => Promise<void>;
}

async function sizeOf(trx: Kysely<Database>, table: 'history_daily' | 'time_to_clear'): Promise<RollupSize> {
  const r = await trx.selectFrom(table).select((eb) => [eb.fn.countAll<number | string>().as('rows'), eb.fn.coalesce(eb.fn.sum<number | string>('n'), sql<number>`0`).as('counted')]).executeTakeFirstOrThrow();
  return { rows: Number(r.rows), counted: Number(r.counted) };
}

async function sizes(trx: Kysely<Database>): Promise<RollupRebuild['before']> {
  return { historyDaily: await sizeOf(trx, 'history_daily'), timeToClear: await sizeOf(trx, 'time_to_clear') };
}

/** Rebuilds both roll-ups of `db` from its history in one transaction (see the module comment for concurrent writers). */
export async function rebuildRollups(db: Db, options: RebuildOptions = {}): Promise<RollupRebuild> {
  const started = performance.now();
  let rebuilt: Omit<RollupRebuild, 'ms'>;
  try {
    rebuilt = await rebuildInTransaction(db, options);
  } catch (error) {
    // better-sqlite3's SQLITE_BUSY (and its extended codes): the write lock was not free within the busy timeout.
    const code = (error as { code?: unknown } | null)?.code;
    if (db.engine === 'sqlite' && typeof code === 'string' && code.startsWith('SQLITE_BUSY')) {
      throw new AppError('CONFLICT', 'The database is busy (a server is writing): the roll-ups were not rebuilt. Run again, at a quiet time if it keeps happening.', { sqlite: code });
    }
    throw error;
  }
  // After the commit: the time the writers were kept out.
  return { ...rebuilt, ms: performance.now() - started };
}

function rebuildInTransaction(db: Db, options: RebuildOptions): Promise<Omit<RollupRebuild, 'ms'>> {
  return db.kysely.transaction().execute(async (trx) => {
    // First statement of the transaction: at REPEATABLE READ too, what follows reads the history as of after the lock.
    if (db.engine === 'postgres') await sql`lock table history_daily, time_to_clear in exclusive mode`.execute(trx);
    await options.afterLock?.();
    const before = await sizes(trx);
    await rebuildRollup(trx);
    const after = await sizes(trx);
    const history = await trx.selectFrom('status_history').select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
    return { before, after, historyRows: Number(history.n) };
  });
}

const count = (n: number) => n.toLocaleString('en-US');
const plural = (n: number, one: string, many = `${one}s`) => `${count(n)} ${n === 1 ? one : many}`;

/** The lines `admin rebuild-rollups` prints about a rebuild of `where`. */
export function formatRebuild(r: RollupRebuild, where: string): string {
  const table = (name: string, before: RollupSize, after: RollupSize, what: string) => {
    return `  ${name.padEnd(14)} ${plural(after.rows, 'row')} counting ${plural(after.counted, what)} (before: ${plural(before.rows, 'row')} counting ${count(before.counted)})`;
  };
  return [
    `Rebuilt the roll-ups of ${where} from ${plural(r.historyRows, 'history row')} in ${(r.ms / 1000).toFixed(2)} s (one transaction):`,
    table('history_daily', r.before.historyDaily, r.after.historyDaily, 'history row'),
    table('time_to_clear', r.before.timeToClear, r.after.timeToClear, 'move'),
  ].join('\n');
}
