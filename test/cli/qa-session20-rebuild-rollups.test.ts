/**
 * `unblock admin rebuild-rollups`: both roll-ups rebuilt from status_history in one transaction. A
 * roll-up made wrong by hand (as a server of a version before migration 021, or a set-based load, leaves
 * it) is right afterwards on both engines; on PostgreSQL a status change running beside the rebuild,
 * before it or after it has locked the roll-ups, is counted once (no lost row, no deadlock).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rebuildRollups } from '../../src/cli/rebuild-rollups.js';
import { migrateToLatest, openDatabase, type Db, type Engine } from '../../src/db/index.js';
import { SYSTEM_ACTOR, createCustomer, createPartner, listEntitlements, updateStatus, type TrackerContext } from '../../src/tracker/index.js';
import { runUnblock } from '../cli-process.js';
import { createTestDb, ENGINES, makeTaxonomy, TEST_DATABASE_URL } from '../factories.js';
import { runOnServer, urlOf } from '../pg-databases.js';
import { expectRollupsRight, rollups } from './rollup-check.js';

const BLOCKER = 'Their outbound proxy drops the sign-in redirect; the network team has to add an exception before the pilot.';
const MOVING = 'Mailboxes move in waves of two hundred, the first wave next week.';

const work = mkdtempSync(join(tmpdir(), 'unblock-cli-rebuild-'));
const env = { ...process.env, DATA_DIR: join(work, 'data'), LOG_LEVEL: 'silent', UNBLOCK_DEBUG: '', DATABASE_URL: '', SQLITE_FILE: '', PLAYBOOK_DIR: '' };
const createdDatabases: string[] = [];

afterAll(async () => {
  for (const name of createdDatabases) await runOnServer(`drop database if exists ${name} with (force)`);
  rmSync(work, { recursive: true, force: true });
});

/** A tracker on `db` whose clock is moved by `at.now`. */
function trackerOn(db: Db, at: { now: Date }): TrackerContext {
  const taxonomy = makeTaxonomy();
  return { db, taxonomy: () => taxonomy, clock: { now: () => at.now }, advisor: {} };
}

/** Two partners, five entitlements, moves a few days apart (so the time to clear has days). */
async function fillHistory(ctx: TrackerContext, at: { now: Date }): Promise<void> {
  at.now = new Date('2026-01-05T09:00:00.000Z');
  for (const [p, name] of ['Harbor', 'Lantern'].entries()) {
    const partnerId = (await createPartner(ctx, SYSTEM_ACTOR, { name })).id;
    const c = await createCustomer(ctx, SYSTEM_ACTOR, { tenantId: `t-${p}`, name: `${name} North`, partnerId, workloads: p === 0 ? ['teams', 'intune', 'exchange-online'] : ['teams', 'intune'] });
    for (const e of (await listEntitlements(ctx, SYSTEM_ACTOR, { customerId: c.id })).items) {
      at.now = new Date(at.now.getTime() + 3 * 86_400_000);
      const moved = await updateStatus(ctx, SYSTEM_ACTOR, e.id, e.version, { code: 'blocked/legal-regulatory', note: BLOCKER, projectedUnblockDate: '2026-06-01' });
      at.now = new Date(at.now.getTime() + 5 * 86_400_000);
      await updateStatus(ctx, SYSTEM_ACTOR, e.id, moved.entitlement.version, { code: 'in-progress/migration', note: MOVING, targetDate: '2026-06-01' });
    }
  }
}

/** The roll-ups made wrong as a writer that bypassed them leaves them: rows missing, sums short. */
async function spoil(db: Db): Promise<void> {
  const one = await db.kysely.selectFrom('time_to_clear').select(['partner_id', 'workload_id', 'from_code']).orderBy('partner_id').orderBy('workload_id').orderBy('from_code').executeTakeFirstOrThrow();
  await db.kysely.deleteFrom('time_to_clear').where('partner_id', '=', one.partner_id).where('workload_id', '=', one.workload_id).where('from_code', '=', one.from_code).execute();
  await db.kysely.updateTable('time_to_clear').set({ n: 1, days_sum: 0 }).execute();
  await db.kysely.updateTable('history_daily').set((eb) => ({ n: eb('n', '+', 2), days_sum: 0 })).execute();
  await db.kysely.insertInto('history_daily').values({ day: '2025-12-31', partner_id: one.partner_id, from_code: '', to_code: 'x', grade: '', n: 4, score_sum: 0, score_n: 0, days_sum: 0, days_n: 0 }).execute();
  const r = await rollups(db);
  expect(r.clear).not.toEqual(r.clearFresh);
  expect(r.daily).not.toEqual(r.dailyFresh);
}

/** A database of its own that the CLI can be pointed at: a SQLite file, or a PostgreSQL database. */
async function cliDatabase(engine: Engine): Promise<{ db: Db; arg: string }> {
  if (engine === 'sqlite') {
    const file = join(work, `rebuild-${randomBytes(4).toString('hex')}.db`);
    const db = await openDatabase({ sqlitePath: file });
    await migrateToLatest(db.kysely, 'sqlite');
    return { db, arg: file };
  }
  const name = `unblock_cli_rebuild_${process.pid}_${randomBytes(4).toString('hex')}`;
  await runOnServer(`create database ${name}`);
  createdDatabases.push(name);
  const db = await openDatabase({ url: urlOf(name), poolSize: 2 });
  await migrateToLatest(db.kysely, 'postgres', null);
  return { db, arg: urlOf(name) };
}

describe.each(ENGINES)('unblock admin rebuild-rollups on %s', (engine) => {
  it('makes roll-ups spoiled by hand right again, and says what it did', async () => {
    const { db, arg } = await cliDatabase(engine);
    try {
      const at = { now: new Date() };
      await fillHistory(trackerOn(db, at), at);
      await expectRollupsRight(db);
      const history = Number((await db.kysely.selectFrom('status_history').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
      await spoil(db);
      const run = await runUnblock(['admin', 'rebuild-rollups', '--database', arg], { cwd: work, env });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      await expectRollupsRight(db);
      const after = await rollups(db);
      const lines = run.stdout.trimEnd().split('\n');
      expect(lines[0]).toMatch(new RegExp(`^Rebuilt the roll-ups of .+ from ${history} history rows in \\d+\\.\\d\\d s \\(one transaction\\):$`));
      expect(lines[1]).toMatch(new RegExp(`^  history_daily  ${after.daily.length} rows counting ${history} history rows \\(before: ${after.daily.length + 1} rows counting ${history + 2 * after.daily.length + 4}\\)$`));
      expect(lines[2]).toMatch(new RegExp(`^  time_to_clear  ${after.clear.length} rows counting \\d+ moves \\(before: ${after.clear.length - 1} rows counting ${after.clear.length - 1}\\)$`));
      // Run again on right roll-ups: nothing changes.
      const again = await runUnblock(['admin', 'rebuild-rollups', '--database', arg], { cwd: work, env });
      expect(again.status).toBe(0);
      expect(await rollups(db)).toEqual(after);
    } finally {
      await db.close();
    }
  });
});

describe('unblock admin rebuild-rollups: arguments', () => {
  it('refuses a database that is not there rather than creating one', async () => {
    const missing = join(work, 'nothing-here.db');
    const run = await runUnblock(['admin', 'rebuild-rollups', '--database', missing], { cwd: work, env });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`No database at ${missing}`);
  });

  it('is listed in `admin --help`', async () => {
    const run = await runUnblock(['admin', '--help'], { cwd: work, env });
    expect(run.stdout).toContain('rebuild-rollups');
  });
});

describe('rebuild-rollups beside a status change on postgres', () => {
  let db: Db;
  let ctx: TrackerContext;
  let watcher: pg.Client;
  let holder: pg.Client;
  const at = { now: new Date() };

  beforeEach(async () => {
    db = await createTestDb('postgres');
    ctx = trackerOn(db, at);
    watcher = new pg.Client({ connectionString: TEST_DATABASE_URL });
    holder = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await watcher.connect();
    await holder.connect();
    await holder.query(`set search_path to "${db.schema}"`);
    await fillHistory(ctx, at);
    await spoil(db);
  });

  afterEach(async () => {
    await holder.query('rollback').catch(() => undefined);
    await holder.end();
    await watcher.end();
    await db.close();
  });

  /** Waits until a session waits for a lock on `table` of this test's schema (or, with `blocker`, for that session). */
  async function waitForWaiter(condition: string, params: unknown[]): Promise<void> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const r = await watcher.query<{ n: number }>(`select count(*)::int as n from pg_stat_activity a where ${condition}`, params);
      if (r.rows[0]!.n > 0) return;
      if (Date.now() > deadline) throw new Error(`no session waits as expected (${condition})`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  const waitingOnTable = (table: string) =>
    waitForWaiter(`exists (select 1 from pg_locks l where l.pid = a.pid and not l.granted and l.relation = to_regclass($1))`, [`"${db.schema}".${table}`]);

  async function anEntitlement() {
    const listed = await listEntitlements(ctx, SYSTEM_ACTOR, { sort: 'id' });
    return listed.items[0]!;
  }

  it('a status change that comes while the rebuild holds the roll-ups is added to the rebuilt sums', async () => {
    const e = await anEntitlement();
    at.now = new Date(at.now.getTime() + 4 * 86_400_000);
    let patched: Promise<unknown> | undefined;
    const result = await rebuildRollups(db, {
      afterLock: async () => {
        patched = updateStatus(ctx, SYSTEM_ACTOR, e.id, e.version, { code: 'blocked/legal-regulatory', note: BLOCKER, projectedUnblockDate: '2026-06-01' });
        // The change has written its history row and waits for the roll-up the rebuild holds.
        await waitingOnTable('history_daily');
      },
    });
    await patched;
    await expectRollupsRight(db);
    // The rebuild did not see the change's history row (not committed yet): it was added afterwards.
    const history = Number((await db.kysely.selectFrom('status_history').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    expect(result.historyRows).toBe(history - 1);
  });

  it('a status change under way when the rebuild starts is waited for and counted', async () => {
    const e = await anEntitlement();
    at.now = new Date(at.now.getTime() + 4 * 86_400_000);
    // Another session holds time_to_clear (as a writer of it would): the change writes history_daily, then waits.
    await holder.query('begin');
    await holder.query('lock table time_to_clear in share mode');
    const holderPid = (await holder.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
    const patched = updateStatus(ctx, SYSTEM_ACTOR, e.id, e.version, { code: 'blocked/legal-regulatory', note: BLOCKER, projectedUnblockDate: '2026-06-01' });
    await waitForWaiter('$1 = any(pg_blocking_pids(a.pid))', [holderPid]);
    const rebuilt = rebuildRollups(db);
    // The rebuild waits for the change (which holds history_daily rows), not the other way round.
    await waitingOnTable('history_daily');
    await holder.query('commit');
    const [result] = await Promise.all([rebuilt, patched]);
    await expectRollupsRight(db);
    const history = Number((await db.kysely.selectFrom('status_history').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    expect(result.historyRows).toBe(history);
  });
});
