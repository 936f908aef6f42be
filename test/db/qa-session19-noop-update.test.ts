/**
 * A change that changes nothing writes nothing: a customer PATCH whose values are the stored ones
 * (after the trimming every write does) keeps its `updatedAt`; an entitlement status update keeps its
 * version, `updatedAt` and history. A real change still moves them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/index.js';
import { SYSTEM_ACTOR, createCustomer, createPartner, getCustomer, listEntitlements, updateCustomer, updateStatus, type TrackerContext } from '../../src/tracker/index.js';
import { createTestDb, ENGINES, fixedClock, makeTaxonomy } from '../factories.js';

const T0 = '2026-03-02T10:00:00.000Z';
const T1 = '2026-03-05T16:30:00.000Z';
const T2 = '2026-03-09T08:15:00.000Z';

describe.each(ENGINES)('updates that change nothing on %s', (engine) => {
  let db: Db;
  let ctx: TrackerContext;
  const at = (iso: string): TrackerContext => ({ ...ctx, clock: fixedClock(iso) });

  beforeAll(async () => {
    db = await createTestDb(engine);
    const taxonomy = makeTaxonomy();
    ctx = { db, taxonomy: () => taxonomy, clock: fixedClock(T0), advisor: {} };
  });
  afterAll(async () => db?.close());

  it('keeps a customer untouched by a PATCH of its own values', async () => {
    const partner = await createPartner(ctx, SYSTEM_ACTOR, { name: 'No-op' });
    const created = await createCustomer(ctx, SYSTEM_ACTOR, { tenantId: 'noop-1', name: 'Contoso', partnerId: partner.id, managed: true, region: 'EMEA', workloads: ['teams'] });
    expect(created.updatedAt).toBe(T0);
    const same = await updateCustomer(at(T1), SYSTEM_ACTOR, created.id, { name: ' Contoso ', managed: true, region: 'EMEA ', tenantId: 'noop-1' });
    expect(same).toEqual(created);
    expect(await updateCustomer(at(T1), SYSTEM_ACTOR, created.id, {})).toEqual(created);
    expect(await updateCustomer(at(T1), SYSTEM_ACTOR, created.id, { region: 'EMEA' })).toEqual(created);
    expect((await getCustomer(ctx, SYSTEM_ACTOR, created.id)).updatedAt).toBe(T0);

    // A real change moves it, and only the changed field changes.
    const renamed = await updateCustomer(at(T1), SYSTEM_ACTOR, created.id, { name: 'Contoso', region: 'APAC' });
    expect(renamed).toEqual({ ...created, region: 'APAC', updatedAt: T1 });
    // A tenant id that differs only in case is a change (it is stored as written).
    expect((await updateCustomer(at(T2), SYSTEM_ACTOR, created.id, { tenantId: 'NOOP-1' })).updatedAt).toBe(T2);
    // Clearing a region that is already empty is no change.
    const cleared = await updateCustomer(at(T2), SYSTEM_ACTOR, created.id, { region: null });
    expect(await updateCustomer(at('2026-03-10T00:00:00.000Z'), SYSTEM_ACTOR, created.id, { region: '  ' })).toEqual(cleared);
  });

  it('keeps an entitlement untouched by a status update of its own values (version, updatedAt, history)', async () => {
    const partner = await createPartner(ctx, SYSTEM_ACTOR, { name: 'No-op status' });
    const customer = await createCustomer(ctx, SYSTEM_ACTOR, { tenantId: 'noop-2', name: 'Fabrikam', partnerId: partner.id, workloads: ['intune'] });
    const [e] = (await listEntitlements(ctx, SYSTEM_ACTOR, { customerId: customer.id })).items;
    const first = (await updateStatus(at(T1), SYSTEM_ACTOR, e!.id, e!.version, { l1: 'In Progress', l2: 'Migration', note: 'Moving devices in weekly waves.', targetDate: '2026-06-30', owner: 'Maya' })).entitlement;
    const history = async () => db.kysely.selectFrom('status_history').select('id').where('entitlement_id', '=', e!.id).execute();
    const before = await history();
    const again = (await updateStatus(at(T2), SYSTEM_ACTOR, e!.id, first.version, { l1: 'In Progress', l2: 'Migration', note: ' Moving devices in weekly waves. ', targetDate: '2026-06-30', owner: 'Maya' })).entitlement;
    // daysInStatus is counted to the clock's now, so it alone may differ.
    expect({ ...again, daysInStatus: first.daysInStatus }).toEqual(first);
    expect([again.version, again.updatedAt]).toEqual([first.version, T1]);
    expect(await history()).toEqual(before);
  });
});
