/**
 * Reports leave out every L1 of the Duplicate/Invalid kind: Duplicate/Invalid itself and an L1 of the
 * playbook's own whose page says `rules: Duplicate/Invalid` (Excluded here). Counts, ageing and forecast
 * leave its entitlements out, countDuplicateInvalid counts them, and a report asked for it is refused
 * as one asked for Duplicate/Invalid is, on both engines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/index.js';
import { countDuplicateInvalid, countDuplicateInvalidByL1, countEntitlements, duplicateInvalidL1s, reportAgeing, reportForecast } from '../../src/reports/index.js';
import { SYSTEM_ACTOR, createCustomer, createPartner, listEntitlements, type TrackerContext } from '../../src/tracker/index.js';
import { createTestDb, ENGINES, expectCode, fixedClock, makeTaxonomy } from '../factories.js';
import { ownInvalidTaxonomy } from '../own-invalid-taxonomy.js';

describe.each(ENGINES)('reports on a playbook with an L1 of its own that follows the Duplicate/Invalid rules, on %s', (engine) => {
  let db: Db;
  let ctx: TrackerContext;
  const clock = fixedClock('2026-03-02T10:00:00.000Z');

  beforeAll(async () => {
    db = await createTestDb(engine);
    const taxonomy = ownInvalidTaxonomy();
    ctx = { db, taxonomy: () => taxonomy, clock, advisor: {} };
    const partner = await createPartner(ctx, SYSTEM_ACTOR, { name: 'Harbor' });
    const workloads = ['teams', 'intune', 'exchange-online'];
    const one = await createCustomer(ctx, SYSTEM_ACTOR, { tenantId: 'h1', name: 'Harbor One', partnerId: partner.id, workloads });
    const two = await createCustomer(ctx, SYSTEM_ACTOR, { tenantId: 'h2', name: 'Harbor Two', partnerId: partner.id, workloads });
    const rows = async (customerId: number) => (await listEntitlements(ctx, SYSTEM_ACTOR, { customerId, sort: 'id' })).items;
    const [a, b, c] = await rows(one.id);
    const [d, e, f] = await rows(two.id);
    const set = (id: number, values: { l1: string; l2: string | null; code: string; owner: string; projected_unblock_date?: string | null }) =>
      db.kysely.updateTable('entitlements').set(values).where('id', '=', id).execute();
    await set(a!.id, { l1: 'Blocked', l2: 'Legal/Regulatory', code: 'blocked/legal-regulatory', owner: 'Ann', projected_unblock_date: '2026-03-20' });
    await set(b!.id, { l1: 'Stalled', l2: 'Staffing Gap', code: 'stalled/staffing-gap', owner: 'Ann', projected_unblock_date: '2026-04-15' });
    await set(c!.id, { l1: 'Excluded', l2: 'Test Tenant', code: 'excluded/test-tenant', owner: 'Ann' });
    await set(d!.id, { l1: 'Excluded', l2: 'Second Copy', code: 'excluded/second-copy', owner: 'Bo' });
    await set(e!.id, { l1: 'Duplicate/Invalid', l2: null, code: 'duplicate-invalid', owner: 'Bo' });
    await set(f!.id, { l1: 'Status Unknown', l2: 'New Subscription or Workload', code: 'status-unknown/new-subscription-or-workload', owner: 'Bo' });
  });
  afterAll(async () => db?.close());

  it('finds Duplicate/Invalid and Excluded by their kind, and Duplicate/Invalid alone in the built-in playbook', () => {
    expect(duplicateInvalidL1s(ctx.taxonomy())).toEqual(['Duplicate/Invalid', 'Excluded']);
    expect(duplicateInvalidL1s(makeTaxonomy())).toEqual(['Duplicate/Invalid']);
    // A playbook without Duplicate/Invalid still leaves out the rows an older playbook left under it.
    const own = ctx.taxonomy();
    expect(duplicateInvalidL1s({ ...own, l1s: own.l1s.filter((n) => n.name !== 'Duplicate/Invalid') })).toEqual(['Duplicate/Invalid', 'Excluded']);
  });

  it('leaves Excluded out of the counts by every dimension, as Duplicate/Invalid', async () => {
    const byL1 = await countEntitlements(ctx, SYSTEM_ACTOR, 'l1');
    expect(byL1.rows.map((r) => [r.label, r.count]).sort()).toEqual([['Blocked', 1], ['Stalled', 1], ['Status Unknown', 1]]);
    expect(byL1.total).toBe(3);
    const byL2 = await countEntitlements(ctx, SYSTEM_ACTOR, 'l2');
    expect(byL2.rows.map((r) => r.l1).sort()).toEqual(['Blocked', 'Stalled', 'Status Unknown']);
    for (const by of ['workload', 'partner', 'owner'] as const) expect([by, (await countEntitlements(ctx, SYSTEM_ACTOR, by)).total]).toEqual([by, 3]);
    expect((await countEntitlements(ctx, SYSTEM_ACTOR, 'owner')).rows.map((r) => [r.label, r.count])).toEqual([['Ann', 2], ['Bo', 1]]);
    expect((await countEntitlements(ctx, SYSTEM_ACTOR, 'workload', { workload: 'exchange-online' })).total).toBe(1);
  });

  it('counts what it leaves out, per L1 and in all', async () => {
    expect(await countDuplicateInvalidByL1(ctx, SYSTEM_ACTOR)).toEqual([{ l1: 'Duplicate/Invalid', count: 1 }, { l1: 'Excluded', count: 2 }]);
    expect(await countDuplicateInvalid(ctx, SYSTEM_ACTOR)).toBe(3);
    expect(await countDuplicateInvalid(ctx, SYSTEM_ACTOR, { workload: 'teams' })).toBe(1);
  });

  it('keeps Excluded out of the ageing and the forecast', async () => {
    const ageing = await reportAgeing(ctx, SYSTEM_ACTOR);
    expect(ageing.l1s).toEqual(['Blocked', 'Stalled']);
    expect(ageing.buckets.reduce((s, b) => s + b.count, 0)).toBe(2);
    for (const strategy of ['ranges', 'grouped'] as const) {
      const forecast = await reportForecast(ctx, SYSTEM_ACTOR, { weeks: 8, strategy });
      expect(forecast.total).toBe(2);
      expect(forecast.weeks.reduce((s, w) => s + w.projected, 0)).toBe(2);
    }
  });

  it('refuses a counts or ageing report asked for Excluded, in any spelling, as for Duplicate/Invalid', async () => {
    for (const l1 of ['Excluded', 'excluded', ' EXCLUDED ']) {
      for (const report of [countEntitlements(ctx, SYSTEM_ACTOR, 'l1', { l1 }), countEntitlements(ctx, SYSTEM_ACTOR, 'owner', { l1 }), reportAgeing(ctx, SYSTEM_ACTOR, { l1 })]) {
        const err = await expectCode(report, 'BAD_ARGUMENTS');
        expect(err.details).toEqual({ field: 'l1', l1: 'Excluded', reason: 'left-out-of-reports' });
        expect(err.message).toBe(
          'Reports leave Excluded, which follows the Duplicate/Invalid rules, out: those entitlements are not customer rollouts. List them with GET /api/entitlements?l1=Excluded (or the CSV export with the same filter).',
        );
      }
    }
    const builtIn = await expectCode(countEntitlements(ctx, SYSTEM_ACTOR, 'l2', { l1: 'duplicate-invalid' }), 'BAD_ARGUMENTS');
    expect(builtIn.message).toBe('Reports leave Duplicate/Invalid out: those entitlements are not customer rollouts. List them with GET /api/entitlements?l1=Duplicate%2FInvalid (or the CSV export with the same filter).');
    expect((await countEntitlements(ctx, SYSTEM_ACTOR, 'l2', { l1: 'Stalled' })).total).toBe(1);
  });
});
