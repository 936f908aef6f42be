/**
 * The portfolio sorts a list it has loaded whole in the browser (web/src/lib/server-order.ts) and
 * exports it through the server's sort (Export CSV): both must give one order. Checked against the
 * server's own order on both engines, over names and owners where the orders could part: accents,
 * case, names with one key, empty owners, and equal values that only the id orders.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/index.js';
import { SYSTEM_ACTOR, createCustomer, createPartner, listEntitlements, updateStatus, type TrackerContext } from '../../src/tracker/index.js';
import { SERVER_SORT, compareCodePoints, serverOrder, type PortfolioSortKey } from '../../web/src/lib/server-order.js';
import type { Entitlement } from '../../web/src/api/types.js';
import { createTestDb, ENGINES, makeTaxonomy } from '../factories.js';

const KEYS: PortfolioSortKey[] = ['customer', 'workload', 'status', 'owner', 'days', 'updated'];

describe('compareCodePoints', () => {
  it('orders by code point, as UTF-8 bytes compare, where UTF-16 units and locales disagree', () => {
    // U+FF5E (fullwidth tilde) is one UTF-16 unit above the surrogates of U+1F600, but below it by code point.
    expect(compareCodePoints('\uff5e', '\u{1f600}')).toBeLessThan(0);
    expect('\uff5e' < '\u{1f600}').toBe(false);
    expect(compareCodePoints('Zed', 'adatum')).toBeLessThan(0);
    expect(compareCodePoints('ab', 'abc')).toBeLessThan(0);
    expect(compareCodePoints('same', 'same')).toBe(0);
  });
});

describe.each(ENGINES)('the portfolio sorted in the browser, against the server, on %s', (engine) => {
  let db: Db;
  let ctx: TrackerContext;
  let now = Date.parse('2026-03-02T10:00:00.000Z');

  beforeAll(async () => {
    db = await createTestDb(engine);
    const taxonomy = makeTaxonomy();
    // Each change a minute after the last, so `since` and `updatedAt` differ between rows (and some are equal).
    ctx = { db, taxonomy: () => taxonomy, clock: { now: () => new Date(now) }, advisor: {} };
    const partner = await createPartner(ctx, SYSTEM_ACTOR, { name: 'Order Partner' });
    const names = ['Émile Conseil', 'emile conseil', 'Zeta Labs', 'adatum', 'Ærø Shipping', 'Bob & Co', 'bob & co', 'Łukasz Tools', 'Straße Nord'];
    const owners = [null, 'Bob', 'bob', 'Émile', 'émile', 'Zed', 'aaron', 'Ängel', null, 'Łukasz'];
    let n = 0;
    for (const [i, name] of names.entries()) {
      await createCustomer(ctx, SYSTEM_ACTOR, { tenantId: `order-${i}`, name, partnerId: partner.id, workloads: i % 2 === 0 ? ['teams', 'intune'] : ['exchange-online', 'teams'] });
    }
    const all = (await listEntitlements(ctx, SYSTEM_ACTOR, { sort: 'id', pageSize: 100 })).items;
    for (const e of all) {
      n += 1;
      if (n % 3 !== 0) now += 60_000;
      const owner = owners[n % owners.length] ?? null;
      const moved = n % 4 === 0 ? { l1: 'In Progress', l2: 'Technical Onboarding and Deployment', targetDate: '2026-06-30' } : {};
      if (owner !== null || n % 4 === 0) await updateStatus(ctx, SYSTEM_ACTOR, e.id, e.version, { ...moved, owner });
    }
  });

  afterAll(async () => db.close());

  it.each(KEYS.flatMap((key) => [[key, false], [key, true]] as const))('sorts by %s (descending: %s) as the server does', async (key, desc) => {
    const { sort, order } = SERVER_SORT[key](desc);
    const served = (await listEntitlements(ctx, SYSTEM_ACTOR, { sort, order, pageSize: 100 })).items as unknown as Entitlement[];
    expect(served.length).toBeGreaterThan(15);
    // The browser's rows arrive in another order (here: by id, reversed).
    const local = [...served].sort((a, b) => b.id - a.id).sort(serverOrder(key, desc));
    expect(local.map((e) => e.id)).toEqual(served.map((e) => e.id));
  });
});
