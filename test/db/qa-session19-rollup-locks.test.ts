/**
 * Lock order of the roll-ups (src/tracker/rollup.ts) on PostgreSQL. A transaction that wrote in several
 * steps (an import's created rows, then its chunks; Duplicate/Invalid, one entitlement after another)
 * upserted history_daily and time_to_clear after each step and went on to lock more entitlements, so a
 * status change holding one of them and waiting for the same roll-up row deadlocked with it (40P01,
 * answered 500). The roll-up of such a transaction is now written once, at its end: every writer locks
 * entitlements, then history_daily, then time_to_clear, each in key order.
 *
 * The interleavings are made certain with a third session that holds the roll-up rows for a moment
 * (any concurrent writer of those keys does the same): the first writer queues behind it, the second
 * writer is then started, and the third session lets go. Before the change each case deadlocked.
 *
 * Also: migration 021 runs again after an interruption. Kysely's SQLite migrator uses no transaction, so
 * a fill cut short left the table behind unrecorded, and every later start failed "table time_to_clear
 * already exists".
 */
import { sql } from 'kysely';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateToLatest, type Db } from '../../src/db/index.js';
import {
  SYSTEM_ACTOR, addEntitlement, createCustomer, createPartner, importEntitlements, listEntitlements, markCustomerDuplicateInvalid, updateStatus,
  type ImportRecord, type TrackerContext,
} from '../../src/tracker/index.js';
import { createTestDb, ENGINES, makeTaxonomy, TEST_DATABASE_URL } from '../factories.js';

const BLOCKER = 'Their outbound proxy drops the sign-in redirect; the network team has to add an exception before the pilot.';
const MOVING = 'Mailboxes move in waves of two hundred, the first wave next week.';
const DUPLICATE = 'Same tenant as Harbor North, bought twice by mistake through another reseller.';
const AT = new Date('2026-01-05T09:00:00.000Z');

type Outcome = { ok: true } | { ok: false; code: string; message: string };
const outcome = (p: Promise<unknown>): Promise<Outcome> =>
  p.then(
    () => ({ ok: true }) as const,
    (e: unknown) => ({ ok: false, code: String((e as { code?: unknown }).code ?? ''), message: String((e as Error).message) }) as const,
  );

/** A clean answer: success, or the given AppError code; never a deadlock (40P01) or any other error. */
function expectClean(o: Outcome, allowed: string[]): void {
  if (o.ok) return;
  expect(o.code, o.message).not.toBe('40P01');
  expect(allowed, `${o.code}: ${o.message}`).toContain(o.code);
}

const sortRows = (rows: Record<string, unknown>[]) => rows.map((r) => JSON.stringify(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' && k !== 'day' && k !== 'from_code' && k !== 'to_code' && k !== 'grade' ? Number(v) : v])))).sort();

/** history_daily and time_to_clear as stored, and as the history says they should be. */
async function rollups(db: Db) {
  const daily = await sql<Record<string, unknown>>`select day, partner_id, from_code, to_code, grade, n, score_sum, score_n, days_sum, days_n from history_daily`.execute(db.kysely);
  const dailyFresh = await sql<Record<string, unknown>>`select substr(changed_at, 1, 10) as day, partner_id, coalesce(from_code, '') as from_code, to_code, coalesce(note_grade, '') as grade,
      count(*) as n, coalesce(sum(note_score), 0) as score_sum, count(note_score) as score_n, coalesce(sum(days_in_previous), 0) as days_sum, count(days_in_previous) as days_n
    from status_history group by substr(changed_at, 1, 10), partner_id, coalesce(from_code, ''), to_code, coalesce(note_grade, '')`.execute(db.kysely);
  const clear = await sql<Record<string, unknown>>`select partner_id, workload_id, from_code, n, days_sum from time_to_clear`.execute(db.kysely);
  const clearFresh = await sql<Record<string, unknown>>`select h.partner_id, e.workload_id, coalesce(h.from_code, '') as from_code, count(*) as n, sum(h.days_in_previous) as days_sum
    from status_history h join entitlements e on e.id = h.entitlement_id where h.days_in_previous is not null group by h.partner_id, e.workload_id, coalesce(h.from_code, '')`.execute(db.kysely);
  return { daily: sortRows(daily.rows), dailyFresh: sortRows(dailyFresh.rows), clear: sortRows(clear.rows), clearFresh: sortRows(clearFresh.rows) };
}

async function expectRollupsInStep(db: Db): Promise<void> {
  const r = await rollups(db);
  expect(r.clear.length).toBeGreaterThan(0);
  expect(r.clear).toEqual(r.clearFresh);
  expect(r.daily).toEqual(r.dailyFresh);
}

describe('roll-up lock order on postgres', () => {
  let db: Db;
  let ctx: TrackerContext;
  let holder: pg.Client;
  let watcher: pg.Client;
  let holderPid: number;
  let partnerId: number;

  beforeEach(async () => {
    db = await createTestDb('postgres');
    const taxonomy = makeTaxonomy();
    ctx = { db, taxonomy: () => taxonomy, clock: { now: () => AT }, advisor: {} };
    holder = new pg.Client({ connectionString: TEST_DATABASE_URL });
    watcher = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await holder.connect();
    await watcher.connect();
    await holder.query(`set search_path to "${db.schema}"`);
    holderPid = (await holder.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
    partnerId = (await createPartner(ctx, SYSTEM_ACTOR, { name: 'Harbor' })).id;
    // A first move out of the initial status: the time_to_clear row (Harbor, teams, initial) exists.
    const c0 = await createCustomer(ctx, SYSTEM_ACTOR, { tenantId: 't-0', name: 'Harbor North', partnerId, workloads: ['teams'] });
    const e0 = (await listEntitlements(ctx, SYSTEM_ACTOR, { customerId: c0.id })).items[0]!;
    await updateStatus(ctx, SYSTEM_ACTOR, e0.id, e0.version, { code: 'blocked/legal-regulatory', note: BLOCKER, projectedUnblockDate: '2026-06-01' });
  });

  afterEach(async () => {
    await holder.query('rollback').catch(() => undefined);
    await holder.end();
    await watcher.end();
    await db.close();
  });

  /** Sessions waiting, directly or through another waiter, for the holder's locks. */
  async function waitForWaiters(n: number): Promise<void> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const r = await watcher.query<{ n: number }>(
        `with recursive w(pid) as (
           select pid from pg_stat_activity where $1 = any(pg_blocking_pids(pid))
           union select a.pid from pg_stat_activity a join w on w.pid = any(pg_blocking_pids(a.pid)))
         select count(*)::int as n from w`,
        [holderPid],
      );
      if (r.rows[0]!.n >= n) return;
      if (Date.now() > deadline) throw new Error(`expected ${n} session(s) waiting for the holder, found ${r.rows[0]!.n}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Holds the partner's rows of `table` until {@link release}. */
  async function hold(table: 'time_to_clear' | 'history_daily'): Promise<void> {
    await holder.query('begin');
    const held = await holder.query(`select * from ${table} where partner_id = $1 for update`, [partnerId]);
    expect(held.rowCount).toBeGreaterThan(0);
  }
  const release = () => holder.query('commit');

  it('an import that creates rows and changes another, against a status change of that other', async () => {
    const c = await createCustomer(ctx, SYSTEM_ACTOR, { tenantId: 't-1', name: 'Harbor South', partnerId, workloads: ['teams'] });
    const last = (await listEntitlements(ctx, SYSTEM_ACTOR, { customerId: c.id })).items[0]!;
    await hold('time_to_clear');
    // Before: the created row's roll-up was written first, and queued here holding nothing the change needs.
    const imported = outcome(importEntitlements(ctx, SYSTEM_ACTOR, [
      { line: 2, cells: { tenant_id: 't-1', workload: 'teams', part: 'brand-new', code: 'in-progress/migration', note: MOVING, target_date: '2026-06-01' } },
      { line: 3, cells: { tenant_id: 't-1', workload: 'teams', part: '', code: 'in-progress/migration', note: MOVING, target_date: '2026-06-01' } },
    ], { advise: false }));
    await waitForWaiters(1);
    const patched = outcome(updateStatus(ctx, SYSTEM_ACTOR, last.id, last.version, { code: 'blocked/legal-regulatory', note: BLOCKER, projectedUnblockDate: '2026-06-01' }));
    await waitForWaiters(2);
    await release();
    const [a, b] = await Promise.all([imported, patched]);
    expectClean(a, ['VERSION_CONFLICT']);
    expectClean(b, ['VERSION_CONFLICT']);
    expect(a.ok || b.ok).toBe(true);
    await expectRollupsInStep(db);
  });

  it('an import in two chunks against a status change of another entitlement', { timeout: 120_000 }, async () => {
    // PostgreSQL writes 20,000 rows a chunk: the 20,001st row is in the second.
    const N = 20_001;
    const rows = (f: (i: number) => ImportRecord['cells']): ImportRecord[] => Array.from({ length: N }, (_, i) => ({ line: i + 2, cells: f(i) }));
    await importEntitlements(ctx, SYSTEM_ACTOR, rows((i) => ({ tenant_id: `t-${1 + (i % 50)}`, customer: `C ${i % 50}`, partner: 'Harbor', workload: 'teams', part: `p${i}` })), { advise: false });
    const other = await createCustomer(ctx, SYSTEM_ACTOR, { tenantId: 't-other', name: 'Harbor West', partnerId, workloads: ['teams'] });
    const patchedRow = (await listEntitlements(ctx, SYSTEM_ACTOR, { customerId: other.id })).items[0]!;
    await hold('time_to_clear');
    // Chunk one moves to In Progress, chunk two (the last row) to Blocked, as the status change does.
    const imported = outcome(importEntitlements(ctx, SYSTEM_ACTOR, rows((i) => (i < N - 1
      ? { tenant_id: `t-${1 + (i % 50)}`, workload: 'teams', part: `p${i}`, code: 'in-progress/migration', note: MOVING, target_date: '2026-06-01' }
      : { tenant_id: `t-${1 + (i % 50)}`, workload: 'teams', part: `p${i}`, code: 'blocked/legal-regulatory', note: BLOCKER, projected_unblock_date: '2026-06-01' })), { advise: false }));
    await waitForWaiters(1);
    const patched = outcome(updateStatus(ctx, SYSTEM_ACTOR, patchedRow.id, patchedRow.version, { code: 'blocked/legal-regulatory', note: BLOCKER, projectedUnblockDate: '2026-06-01' }));
    await waitForWaiters(2);
    await release();
    const [a, b] = await Promise.all([imported, patched]);
    // Nothing they share but the roll-up rows: both go through.
    expectClean(a, []);
    expectClean(b, []);
    await expectRollupsInStep(db);
    const counted = await db.kysely.selectFrom('time_to_clear').select(['n']).where('partner_id', '=', partnerId).execute();
    expect(counted.reduce((sum, r) => sum + Number(r.n), 0)).toBe(1 + N + 1);
  });

  it('Duplicate/Invalid against a status change of the customer\'s second entitlement', async () => {
    const c = await createCustomer(ctx, SYSTEM_ACTOR, { tenantId: 't-1', name: 'Harbor South', partnerId, workloads: ['teams'] });
    await addEntitlement(ctx, SYSTEM_ACTOR, { customerId: c.id, workload: 'teams', part: 'b' });
    const [, second] = (await listEntitlements(ctx, SYSTEM_ACTOR, { customerId: c.id, sort: 'id' })).items;
    await hold('time_to_clear');
    // Before: the first entitlement's roll-up was written before the second entitlement was locked.
    const marked = outcome(markCustomerDuplicateInvalid(ctx, SYSTEM_ACTOR, c.id, { note: DUPLICATE }));
    await waitForWaiters(1);
    const patched = outcome(updateStatus(ctx, SYSTEM_ACTOR, second!.id, second!.version, { code: 'blocked/legal-regulatory', note: BLOCKER, projectedUnblockDate: '2026-06-01' }));
    await waitForWaiters(2);
    await release();
    const [a, b] = await Promise.all([marked, patched]);
    expectClean(a, ['VERSION_CONFLICT']);
    expectClean(b, ['VERSION_CONFLICT']);
    expect(a.ok || b.ok).toBe(true);
    await expectRollupsInStep(db);
  });

  it('an import creating more than 200 entitlements against adding one of them by hand', async () => {
    const c = await createCustomer(ctx, SYSTEM_ACTOR, { tenantId: 't-1', name: 'Harbor South', partnerId, workloads: ['teams'] });
    await hold('history_daily');
    // Entitlements are inserted 200 at a time; before, the creation rows' roll-up was written after each 200.
    const file: ImportRecord[] = Array.from({ length: 201 }, (_, i) => ({ line: i + 2, cells: { tenant_id: 't-1', workload: 'teams', part: i === 200 ? 'x' : `p${i}` } }));
    const imported = outcome(importEntitlements(ctx, SYSTEM_ACTOR, file, { advise: false }));
    await waitForWaiters(1);
    const added = outcome(addEntitlement(ctx, SYSTEM_ACTOR, { customerId: c.id, workload: 'teams', part: 'x' }));
    await waitForWaiters(2);
    await release();
    const [a, b] = await Promise.all([imported, added]);
    expectClean(a, ['CONFLICT']);
    expectClean(b, ['CONFLICT']);
    expect(a.ok || b.ok).toBe(true);
    await expectRollupsInStep(db);
  });
});

describe.each(ENGINES)('migration 021 on %s', (engine) => {
  it('runs again over a table an interrupted run left behind, and fills it from the history', async () => {
    const db = await createTestDb(engine);
    try {
      const taxonomy = makeTaxonomy();
      const ctx: TrackerContext = { db, taxonomy: () => taxonomy, clock: { now: () => AT }, advisor: {} };
      const partnerId = (await createPartner(ctx, SYSTEM_ACTOR, { name: 'Harbor' })).id;
      const c = await createCustomer(ctx, SYSTEM_ACTOR, { tenantId: 't-0', name: 'Harbor North', partnerId, workloads: ['teams', 'intune'] });
      for (const e of (await listEntitlements(ctx, SYSTEM_ACTOR, { customerId: c.id })).items) {
        await updateStatus(ctx, SYSTEM_ACTOR, e.id, e.version, { code: 'blocked/legal-regulatory', note: BLOCKER, projectedUnblockDate: '2026-06-01' });
      }
      // As an interrupted run leaves it: the table there, part filled (here with a wrong row), the migration unrecorded.
      await db.kysely.deleteFrom('time_to_clear').execute();
      await db.kysely.insertInto('time_to_clear').values({ partner_id: partnerId, workload_id: 999, from_code: 'x', n: 5, days_sum: 5 }).execute();
      await sql`delete from kysely_migration where name = '021_time_to_clear'`.execute(db.kysely);
      expect(await migrateToLatest(db.kysely, engine, db.schema ?? null)).toEqual(['021_time_to_clear']);
      const r = await rollups(db);
      expect(r.clear).toHaveLength(2);
      expect(r.clear).toEqual(r.clearFresh);
    } finally {
      await db.close();
    }
  });
});
