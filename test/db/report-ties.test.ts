/**
 * Rows with equal counts come back in one order on both engines (QA round 6 found the forecast's
 * time to clear and the flow ordered by each engine's grouping): by code, from and to, as text.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assembleServices, type Services } from '../../src/app/index.js';
import { reportFlow, reportForecast } from '../../src/reports/index.js';
import { SYSTEM_ACTOR, createCustomer, createPartner, listEntitlements, updateStatus, type TrackerContext } from '../../src/tracker/index.js';
import { createTestDb, ENGINES, fakeNoteCoach, fixedClock, makeTaxonomy } from '../factories.js';

const NOTE = 'The vendor has no certified build for the new client yet; their release is due next month.';

describe.each(ENGINES)('report ties on %s', (engine) => {
  let services: Services;
  let expectedClear: string[] = [];
  const taxonomy = makeTaxonomy();
  const at = (iso: string): TrackerContext => ({ ...services.tracker, clock: fixedClock(iso) });

  beforeAll(async () => {
    services = assembleServices({ db: await createTestDb(engine), taxonomy, clock: fixedClock('2026-03-02T10:00:00.000Z'), noteCoach: fakeNoteCoach });
    const t0 = at('2026-01-05T09:00:00.000Z');
    const partnerId = (await createPartner(t0, SYSTEM_ACTOR, { name: 'Ties' })).id;
    const workloads = ['teams', 'intune', 'exchange-online', 'windows', 'sharepoint-online', 'onedrive', 'yammer', 'defender', 'project-online', 'outlook-mobile', 'school-data-sync'];
    const customer = await createCustomer(t0, SYSTEM_ACTOR, { tenantId: 'ties', name: 'Ties', partnerId, workloads });
    const items = (await listEntitlements(t0, SYSTEM_ACTOR, { customerId: customer.id, sort: 'id' })).items;
    // Every Blocked code, written in reverse order so the order of writing cannot pass for the order
    // asked; each clears after the same 20 days (equal counts everywhere), to In Progress codes in turn.
    const blocked = taxonomy.codes.filter((c) => c.l1 === 'Blocked').map((c) => c.id).reverse();
    const inProgress = taxonomy.codes.filter((c) => c.l1 === 'In Progress').map((c) => c.id).reverse();
    for (const [i, code] of blocked.entries()) {
      await updateStatus(at('2026-01-10T09:00:00.000Z'), SYSTEM_ACTOR, items[i]!.id, 1, { code, note: NOTE, projectedUnblockDate: '2026-04-01' });
      await updateStatus(at('2026-01-30T09:00:00.000Z'), SYSTEM_ACTOR, items[i]!.id, 2, { code: inProgress[i % inProgress.length]!, note: 'Moving in weekly batches now.', targetDate: '2026-06-01' });
    }
    expectedClear = [...blocked].sort();
  });
  afterAll(async () => services?.close());

  it('orders the time to clear of equal counts by code', async () => {
    const f = await reportForecast(services.tracker, SYSTEM_ACTOR, { weeks: 4 });
    expect(f.timeToClear.map((t) => t.cleared)).toEqual(expectedClear.map(() => 1));
    expect(f.timeToClear.map((t) => t.code)).toEqual(expectedClear);
  });

  it('orders flow rows of equal counts by from, then to', async () => {
    const flow = await reportFlow(services.tracker, SYSTEM_ACTOR, { from: '2026-01-01', to: '2026-03-02' });
    const ones = flow.rows.filter((r) => r.count === 1).map((r) => `${r.from}>${r.to}`);
    expect(ones).toEqual([...ones].sort());
    expect(ones.length).toBe(2 * expectedClear.length);
    const l1 = await reportFlow(services.tracker, SYSTEM_ACTOR, { from: '2026-01-01', to: '2026-03-02', level: 'l1' });
    expect(l1.rows.map((r) => [r.from, r.to, r.count])).toEqual([['blocked', 'in-progress', 10], ['status-unknown', 'blocked', 10]]);
  });
});
