import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assembleServices, type Services } from '../../src/app/index.js';
import { countEntitlements, reportAgeing, reportFlow, reportForecast, reportNoteQuality } from '../../src/reports/index.js';
import { SYSTEM_ACTOR, createCustomer, createPartner, listEntitlements, markCustomerDuplicateInvalid, updateStatus, type Actor, type TrackerContext } from '../../src/tracker/index.js';
import { createTestDb, ENGINES, fakeNoteCoach, fixedClock, makeTaxonomy } from '../factories.js';

const LEGAL = 'Works council has to approve the rollout under local labour law; hearing set for March.';
const APPS = 'Their claims add-in does not load in the new client and the vendor has no certified build yet.';

describe.each(ENGINES)('reports on %s', (engine) => {
  let services: Services;
  let ctx: TrackerContext;
  let north: Actor;
  let northId: number;
  const at = (iso: string): TrackerContext => ({ ...services.tracker, clock: fixedClock(iso) });

  beforeAll(async () => {
    services = assembleServices({ db: await createTestDb(engine), taxonomy: makeTaxonomy(), clock: fixedClock('2026-03-02T10:00:00.000Z'), noteCoach: fakeNoteCoach });
    ctx = services.tracker;
    const t0 = at('2026-01-05T09:00:00.000Z');
    northId = (await createPartner(t0, SYSTEM_ACTOR, { name: 'North' })).id;
    const southId = (await createPartner(t0, SYSTEM_ACTOR, { name: 'South' })).id;
    north = { userId: null, name: 'n', role: 'manager', partnerId: northId };
    const a = await createCustomer(t0, SYSTEM_ACTOR, { tenantId: 'a', name: 'A', partnerId: northId, workloads: ['teams', 'intune', 'exchange-online'] });
    await createCustomer(t0, SYSTEM_ACTOR, { tenantId: 'b', name: 'B', partnerId: northId, workloads: ['teams'] });
    await createCustomer(t0, SYSTEM_ACTOR, { tenantId: 'c', name: 'C', partnerId: southId, workloads: ['teams'] });
    const d = await createCustomer(t0, SYSTEM_ACTOR, { tenantId: 'd', name: 'D', partnerId: southId, workloads: ['teams'] });
    const items = (await listEntitlements(ctx, SYSTEM_ACTOR, { customerId: a.id })).items;
    const teams = items.find((e) => e.workload === 'teams')!;
    const intune = items.find((e) => e.workload === 'intune')!;
    const t1 = at('2026-01-10T09:00:00.000Z');
    await updateStatus(t1, SYSTEM_ACTOR, teams.id, 1, { code: 'blocked/legal-regulatory', note: LEGAL, projectedUnblockDate: '2026-03-10', owner: 'Maya' });
    await updateStatus(t1, SYSTEM_ACTOR, intune.id, 1, { code: 'blocked/app-compatibility', note: APPS, projectedUnblockDate: '2026-02-20', owner: 'Maya' });
    await updateStatus(at('2026-02-09T09:00:00.000Z'), SYSTEM_ACTOR, intune.id, 2, { code: 'in-progress/migration', note: 'Add-in fixed; moving mailboxes in weekly batches now.', targetDate: '2026-06-01' });
    await markCustomerDuplicateInvalid(at('2026-02-15T09:00:00.000Z'), SYSTEM_ACTOR, d.id, { note: 'Test tenant of customer C.' });
  });
  afterAll(async () => services?.close());

  it('counts by L1, L2, workload, partner and owner, leaving out Duplicate/Invalid and other partners', async () => {
    const l1 = await countEntitlements(ctx, SYSTEM_ACTOR, 'l1');
    expect(l1.rows.map((r) => [r.label, r.count])).toEqual([['Status Unknown', 3], ['Blocked', 1], ['In Progress', 1]]);
    expect((await countEntitlements(ctx, north, 'l1')).rows.map((r) => [r.label, r.count])).toEqual([['Status Unknown', 2], ['Blocked', 1], ['In Progress', 1]]);
    expect((await countEntitlements(ctx, north, 'l2')).rows.find((r) => r.key === 'blocked/legal-regulatory')).toMatchObject({ l1: 'Blocked', count: 1 });
    expect((await countEntitlements(ctx, SYSTEM_ACTOR, 'workload')).rows[0]).toMatchObject({ key: 'teams', count: 3 });
    expect((await countEntitlements(ctx, SYSTEM_ACTOR, 'partner')).rows.map((r) => [r.label, r.count])).toEqual([['North', 4], ['South', 1]]);
    expect((await countEntitlements(ctx, north, 'owner')).rows.map((r) => [r.label, r.count])).toEqual([['(no owner)', 2], ['Maya', 2]]);
  });

  it('buckets Blocked entitlements by days in status', async () => {
    const ageing = await reportAgeing(ctx, north);
    expect(ageing.buckets.find((b) => b.count > 0)).toMatchObject({ label: '31-60 days', count: 1 });
    expect(ageing.byL2).toEqual([{ code: 'blocked/legal-regulatory', l2: 'Legal/Regulatory', total: 1, counts: [0, 0, 0, 1, 0, 0, 0] }]);
  });

  it('forecasts unblocks by week from projected dates and historical time to clear', async () => {
    const f = await reportForecast(ctx, north, { weeks: 4 });
    expect(f.weeks.map((w) => w.weekStart)).toEqual(['2026-03-02', '2026-03-09', '2026-03-16', '2026-03-23']);
    expect(f.weeks.map((w) => w.projected)).toEqual([0, 1, 0, 0]);
    expect(f.timeToClear).toEqual([{ code: 'blocked/app-compatibility', cleared: 1, averageDays: 30 }]);
    expect(f.weeks.map((w) => w.expected)).toEqual([1, 0, 0, 0]);
    expect(f.overdue).toBe(0);
    expect((await reportForecast(at('2026-03-12T00:00:00.000Z'), north, { weeks: 2 })).overdue).toBe(1);
  });

  it('reports the flow between codes and L1s in a period', async () => {
    const flow = await reportFlow(ctx, SYSTEM_ACTOR, { from: '2026-01-01', to: '2026-03-02', level: 'l1' });
    expect(flow.rows).toEqual([
      { from: 'status-unknown', to: 'blocked', count: 2 },
      { from: 'blocked', to: 'in-progress', count: 1 },
      { from: 'status-unknown', to: 'duplicate-invalid', count: 1 },
    ]);
    const feb = await reportFlow(ctx, north, { from: '2026-02-01', to: '2026-02-28' });
    expect(feb.rows).toEqual([{ from: 'blocked/app-compatibility', to: 'in-progress/migration', count: 1 }]);
  });

  it('reports note quality per month', async () => {
    const q = await reportNoteQuality(ctx, north, { from: '2026-01-01', to: '2026-03-02' });
    expect(q.months.map((m) => [m.month, m.changes, m.graded, m.grades])).toEqual([
      ['2026-01', 2, 2, { great: 2 }],
      ['2026-02', 1, 1, { great: 1 }],
    ]);
    expect(q.months[0]!.averageScore).toBeCloseTo(0.95);
  });
});
