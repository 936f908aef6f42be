/**
 * The unblock forecast's time to clear, narrowed by workload: the `time_to_clear` roll-up (migration 021)
 * counts the moves out of each code per partner and workload, kept in step by every write of the history
 * (src/tracker/rollup.ts), so `?workload=` reads that workload's history and not every workload's.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, migrateToLatest, type Db } from '../../src/db/index.js';
import { assembleServices, seedDemoData } from '../../src/app/index.js';
import { reportForecast } from '../../src/reports/index.js';
import {
  SYSTEM_ACTOR, bulkUpdateStatus, createCustomer, createPartner, deleteCustomer, importEntitlements, listEntitlements, markCustomerDuplicateInvalid, rebuildRollup, updateStatus, addEntitlement,
  type ImportRecord, type TrackerContext,
} from '../../src/tracker/index.js';
import { removeFromRollup } from '../../src/tracker/rollup.js';
import { COPIED_TABLES, copyDatabase } from '../../src/cli/copy-database.js';
import { createTestDb, ENGINES, fakeNoteCoach, fixedClock, makeTaxonomy } from '../factories.js';
import { runOnServer, urlOf } from '../pg-databases.js';
import { sqliteWriteCeiling } from '../../scripts/storage-ceiling.js';

const DAY = 86_400_000;
const START = Date.parse('2026-01-05T09:00:00.000Z');
const BLOCKER = 'Their outbound proxy drops the sign-in redirect; the network team has to add an exception before the pilot.';
const MOVING = 'Mailboxes move in waves of two hundred, the first wave next week.';
const CODE = 'blocked/app-compatibility';

type ClearRow = { partner_id: number; workload_id: number; from_code: string; n: number; days_sum: number };
const normalise = (rows: Record<string, unknown>[]): ClearRow[] =>
  rows
    .map((r) => ({ partner_id: Number(r.partner_id), workload_id: Number(r.workload_id), from_code: String(r.from_code), n: Number(r.n), days_sum: Number(r.days_sum) }))
    .sort((a, b) => a.partner_id - b.partner_id || a.workload_id - b.workload_id || (a.from_code < b.from_code ? -1 : a.from_code > b.from_code ? 1 : 0));

/** The table as stored. */
async function stored(db: Db): Promise<ClearRow[]> {
  return normalise((await sql<Record<string, unknown>>`select partner_id, workload_id, from_code, n, days_sum from time_to_clear`.execute(db.kysely)).rows);
}

/** The table as the history says it should be, computed afresh. */
async function recomputed(db: Db): Promise<ClearRow[]> {
  return normalise(
    (await sql<Record<string, unknown>>`select h.partner_id, e.workload_id, coalesce(h.from_code, '') as from_code, count(*) as n, sum(h.days_in_previous) as days_sum
      from status_history h join entitlements e on e.id = h.entitlement_id where h.days_in_previous is not null
      group by h.partner_id, e.workload_id, coalesce(h.from_code, '')`.execute(db.kysely)).rows,
  );
}

/** The time to clear of each Blocked code, computed by hand from the history rows of one workload (all when none). */
async function handTimeToClear(db: Db, workload?: string) {
  const rows = await db.kysely
    .selectFrom('status_history as h')
    .innerJoin('entitlements as e', 'e.id', 'h.entitlement_id')
    .innerJoin('workloads as w', 'w.id', 'e.workload_id')
    .select(['h.from_code', 'h.days_in_previous', 'w.slug'])
    .where('h.days_in_previous', 'is not', null)
    .execute();
  const byCode = new Map<string, number[]>();
  for (const r of rows) {
    if (workload !== undefined && r.slug !== workload) continue;
    if (!r.from_code?.startsWith('blocked/')) continue;
    byCode.set(r.from_code, [...(byCode.get(r.from_code) ?? []), r.days_in_previous!]);
  }
  return [...byCode.entries()]
    .map(([code, days]) => ({ code, cleared: days.length, averageDays: Math.round((days.reduce((s, d) => s + d, 0) / days.length) * 10) / 10 }))
    .sort((a, b) => b.cleared - a.cleared || (a.code < b.code ? -1 : 1));
}

describe.each(ENGINES)('time to clear by workload on %s', (engine) => {
  let db: Db;
  let ctx: TrackerContext;
  let at = START;
  let partnerId: number;
  const dayOf = (n: number) => new Date(START + n * DAY).toISOString().slice(0, 10);

  const entitlementsOf = async (customerId: number) => (await listEntitlements(ctx, SYSTEM_ACTOR, { customerId, sort: 'id' })).items;
  const block = async (id: number, version: number) =>
    (await updateStatus(ctx, SYSTEM_ACTOR, id, version, { code: CODE, note: BLOCKER, projectedUnblockDate: dayOf(200) })).entitlement;
  const unblock = async (id: number, version: number) =>
    (await updateStatus(ctx, SYSTEM_ACTOR, id, version, { code: 'in-progress/migration', note: MOVING, targetDate: dayOf(300) })).entitlement;

  beforeAll(async () => {
    db = await createTestDb(engine);
    const taxonomy = makeTaxonomy();
    ctx = { db, taxonomy: () => taxonomy, clock: { now: () => new Date(at) }, advisor: {} };
    partnerId = (await createPartner(ctx, SYSTEM_ACTOR, { name: 'Harbor' })).id;
    // Teams clears app compatibility in 3 days, Intune in 30; customer 3's stay blocked.
    const customers = [];
    for (let i = 1; i <= 3; i++) customers.push(await createCustomer(ctx, SYSTEM_ACTOR, { tenantId: `h-${i}`, name: `Harbor ${i}`, partnerId, workloads: ['teams', 'intune'] }));
    const blocked: Awaited<ReturnType<typeof block>>[] = [];
    for (const c of customers) for (const e of await entitlementsOf(c.id)) blocked.push(await block(e.id, e.version));
    const unblockAfter = async (days: number, workload: string) => {
      at = START + days * DAY;
      for (const e of blocked.filter((b) => b.workload === workload && b.tenantId !== 'h-3')) await unblock(e.id, e.version);
    };
    await unblockAfter(3, 'teams');
    await unblockAfter(30, 'intune');
  });
  afterAll(async () => db?.close());

  it('narrows the time to clear by workload, as the history rows of that workload say', async () => {
    expect(await stored(db)).toEqual(await recomputed(db));
    // Asked on day 10: customer 3's Teams entitlement is expected back on day 3 (overdue), its Intune one on day 30.
    const asked: TrackerContext = { ...ctx, clock: { now: () => new Date(START + 10 * DAY) } };
    const teams = await reportForecast(asked, SYSTEM_ACTOR, { workload: 'teams' });
    const intune = await reportForecast(asked, SYSTEM_ACTOR, { workload: 'intune' });
    expect(teams.timeToClear).toEqual(await handTimeToClear(db, 'teams'));
    expect(intune.timeToClear).toEqual(await handTimeToClear(db, 'intune'));
    expect(teams.timeToClear).toEqual([{ code: CODE, cleared: 2, averageDays: 3 }]);
    expect(intune.timeToClear).toEqual([{ code: CODE, cleared: 2, averageDays: 30 }]);
    expect([teams.total, teams.expectedOverdue]).toEqual([1, 1]);
    expect([intune.total, intune.expectedOverdue]).toEqual([1, 0]);
    // Day 30 is in the window's fourth week (weeks from the Monday of day 10, 2026-01-12).
    expect(intune.weeks.map((w) => w.expected)).toEqual(intune.weeks.map((w) => (w.weekStart === '2026-02-02' ? 1 : 0)));
    // Both strategies agree with the workload given.
    for (const workload of ['teams', 'intune']) {
      const grouped = await reportForecast(asked, SYSTEM_ACTOR, { workload, strategy: 'grouped' });
      expect(await reportForecast(asked, SYSTEM_ACTOR, { workload, strategy: 'ranges' })).toEqual(grouped);
    }
    // Without a workload: every workload's history, as before.
    const all = await reportForecast(asked, SYSTEM_ACTOR, {});
    expect(all.timeToClear).toEqual(await handTimeToClear(db));
    expect(all.timeToClear).toEqual([{ code: CODE, cleared: 4, averageDays: 16.5 }]);
    // Another partner's view of a workload has none of this partner's history.
    const other = await createPartner(ctx, SYSTEM_ACTOR, { name: 'Elsewhere' });
    expect((await reportForecast(asked, SYSTEM_ACTOR, { workload: 'teams', partnerId: other.id })).timeToClear).toEqual([]);
    expect((await reportForecast(asked, { userId: null, name: 'v', role: 'viewer', partnerId }, { workload: 'intune' })).timeToClear).toEqual(intune.timeToClear);
  });

  it('stays equal to a recomputation after an import, a bulk change, a retired customer, an added entitlement and a deleted customer', async () => {
    at = START + 40 * DAY;
    const line = { n: 1 };
    const rows = (...cells: ImportRecord['cells'][]): ImportRecord[] => cells.map((c) => ({ line: ++line.n, cells: c }));
    // Moves customer 3 out of Blocked after 40 days, and creates a customer straight into Blocked.
    await importEntitlements(ctx, SYSTEM_ACTOR, rows(
      { tenant_id: 'h-3', workload: 'teams', code: 'in-progress/migration', note: MOVING, target_date: dayOf(300) },
      { tenant_id: 'h-4', customer: 'Harbor 4', partner: 'Harbor', workload: 'exchange-online', code: CODE, note: BLOCKER, projected_unblock_date: dayOf(200) },
    ), { advise: false });
    expect(await stored(db)).toEqual(await recomputed(db));

    at = START + 45 * DAY;
    const h3 = (await listEntitlements(ctx, SYSTEM_ACTOR, { sort: 'id' })).items.filter((e) => e.tenantId === 'h-3' || e.tenantId === 'h-4');
    await bulkUpdateStatus(ctx, SYSTEM_ACTOR, h3.map((e) => ({ id: e.id, version: e.version, code: 'blocked/legal-regulatory', note: BLOCKER, projectedUnblockDate: dayOf(200) })));
    expect(await stored(db)).toEqual(await recomputed(db));

    at = START + 47 * DAY;
    const h2 = (await listEntitlements(ctx, SYSTEM_ACTOR, { sort: 'id' })).items.find((e) => e.tenantId === 'h-2')!;
    await markCustomerDuplicateInvalid(ctx, SYSTEM_ACTOR, h2.customerId, { note: 'Same tenant as Harbor 1, bought twice by mistake through another reseller.' });
    expect(await stored(db)).toEqual(await recomputed(db));

    const fresh = await createCustomer(ctx, SYSTEM_ACTOR, { tenantId: 'h-5', name: 'Harbor 5', partnerId, workloads: ['teams'] });
    await addEntitlement(ctx, SYSTEM_ACTOR, { customerId: fresh.id, workload: 'intune' });
    await deleteCustomer(ctx, SYSTEM_ACTOR, fresh.id, { reason: 'Entered by mistake.' });
    expect(await stored(db)).toEqual(await recomputed(db));
    expect((await stored(db)).length).toBeGreaterThan(2);

    // Rows taken out (as a benchmark's clean-up does, before it deletes them) leave the table as the rest of the history says.
    const gone = (await listEntitlements(ctx, SYSTEM_ACTOR, { sort: 'id' })).items.find((e) => e.tenantId === 'h-4')!;
    await db.kysely.transaction().execute(async (trx) => {
      await removeFromRollup(trx, await trx.selectFrom('status_history').selectAll().where('entitlement_id', '=', gone.id).execute());
      await trx.deleteFrom('status_history').where('entitlement_id', '=', gone.id).execute();
      await trx.deleteFrom('entitlements').where('id', '=', gone.id).execute();
    });
    const after = await stored(db);
    expect(after).toEqual(await recomputed(db));
    // No row left with nothing in it.
    expect(after.filter((r) => r.n <= 0)).toEqual([]);

    const kept = await stored(db);
    await rebuildRollup(db.kysely);
    expect(await stored(db)).toEqual(kept);
  });

  it('fills the table from the history already there when migration 021 runs', async () => {
    const before = await stored(db);
    expect(before.length).toBeGreaterThan(0);
    // The database as it was before 021: no table, and 021 not recorded as run.
    await sql`drop table time_to_clear`.execute(db.kysely);
    await sql`delete from kysely_migration where name = '021_time_to_clear'`.execute(db.kysely);
    expect(await migrateToLatest(db.kysely, engine, db.schema)).toEqual(['021_time_to_clear']);
    expect(await stored(db)).toEqual(before);
    expect(await stored(db)).toEqual(await recomputed(db));
  });

  it('is filled by the demo seed as its history says', async () => {
    const services = assembleServices({ db: await createTestDb(engine), taxonomy: makeTaxonomy(), clock: fixedClock(), noteCoach: fakeNoteCoach });
    try {
      expect((await seedDemoData(services, { customersPerPartner: 4 })).state).toBe('seeded');
      const rows = await stored(services.db);
      expect(new Set(rows.map((r) => r.workload_id)).size).toBeGreaterThan(1);
      expect(rows).toEqual(await recomputed(services.db));
    } finally {
      await services.close();
    }
  });

  it('is copied by copy-database', async () => {
    expect(COPIED_TABLES).toContain('time_to_clear');
    const dir = mkdtempSync(join(tmpdir(), 'hg-ttc-'));
    const database = `hg_ttc_${process.pid}_${randomBytes(3).toString('hex')}`;
    try {
      // The source: a SQLite file with this history (made by the tracker, then copied from).
      const source = join(dir, 'source.sqlite');
      const file = await openDatabase({ sqlitePath: source });
      await migrateToLatest(file.kysely, 'sqlite');
      const taxonomy = makeTaxonomy();
      let now = START;
      const fctx: TrackerContext = { db: file, taxonomy: () => taxonomy, clock: { now: () => new Date(now) }, advisor: {} };
      const p = await createPartner(fctx, SYSTEM_ACTOR, { name: 'Copied' });
      const c = await createCustomer(fctx, SYSTEM_ACTOR, { tenantId: 'c-1', name: 'Copied 1', partnerId: p.id, workloads: ['teams', 'intune'] });
      for (const e of (await listEntitlements(fctx, SYSTEM_ACTOR, { customerId: c.id, sort: 'id' })).items) {
        const b = (await updateStatus(fctx, SYSTEM_ACTOR, e.id, e.version, { code: CODE, note: BLOCKER, projectedUnblockDate: dayOf(200) })).entitlement;
        now += 4 * DAY;
        await updateStatus(fctx, SYSTEM_ACTOR, b.id, b.version, { code: 'in-progress/migration', note: MOVING, targetDate: dayOf(300) });
      }
      const expected = await stored(file);
      // Out of the new status and out of Blocked, for each of the two workloads.
      expect(expected.map((r) => r.n)).toEqual([1, 1, 1, 1]);
      await file.close();

      let targetUrl: string | null = null;
      const targetPath = join(dir, 'target.sqlite');
      if (engine === 'postgres') {
        await runOnServer(`create database ${database}`);
        targetUrl = urlOf(database);
      }
      const copied = await copyDatabase({ url: null, sqlitePath: source, label: source }, { url: targetUrl, sqlitePath: targetPath, label: 'target' });
      expect(copied.time_to_clear).toBe(4);
      const target = await openDatabase({ url: targetUrl, sqlitePath: targetPath });
      try {
        expect(await stored(target)).toEqual(expected);
      } finally {
        await target.close();
      }
    } finally {
      if (engine === 'postgres') await runOnServer(`drop database if exists ${database} with (force)`);
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('the storage ceiling (bench-api) on a kept database', () => {
  it('counts its moves out of a code in time_to_clear, as the import does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hg-ttc-ceiling-'));
    try {
      const path = join(dir, 'ceiling.db');
      const db = await openDatabase({ sqlitePath: path });
      await migrateToLatest(db.kysely, 'sqlite');
      const taxonomy = makeTaxonomy();
      const ctx: TrackerContext = { db, taxonomy: () => taxonomy, clock: { now: () => new Date(START) }, advisor: {} };
      const partner = await createPartner(ctx, SYSTEM_ACTOR, { name: 'Ceiling' });
      for (let i = 0; i < 3; i++) await createCustomer(ctx, SYSTEM_ACTOR, { tenantId: `ceiling-${i}`, name: `Ceiling ${i}`, partnerId: partner.id, workloads: ['teams', 'intune'] });
      await db.close();
      const code = taxonomy.codes.find((c) => c.l1 === 'In Progress')!;
      expect(sqliteWriteCeiling(path, { fromId: 1, rows: 4, change: 'code-and-note', code, tag: 'ttc' }).rows).toBe(4);
      const again = await openDatabase({ sqlitePath: path });
      try {
        const rows = await stored(again);
        expect(rows.reduce((s, r) => s + r.n, 0)).toBe(4);
        expect(rows).toEqual(await recomputed(again));
      } finally {
        await again.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
