/**
 * The portfolio sorts a list it has loaded whole in the browser (web/src/lib/server-order.ts) and
 * exports it through the server's sort (Export CSV): both must give one order. Checked against the
 * server's own order on both engines, over names and owners where the orders could part: accents,
 * case, names with one key, empty owners, and equal values that only the id orders.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/index.js';
import { SYSTEM_ACTOR, createCustomer, createPartner, listEntitlements, updateStatus, type TrackerContext } from '../../src/tracker/index.js';
import { SERVER_SORT, serverOrder, type PortfolioSortKey } from '../../web/src/lib/server-order.js';
import { compareCodePoints } from '../../src/lib/text.js';
import type { Entitlement } from '../../web/src/api/types.js';
import { sql } from 'kysely';
import { randomBytes } from 'node:crypto';
import { createTestDb, makeTaxonomy } from '../factories.js';
import { runOnServer, urlOf } from '../pg-databases.js';

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

// PostgreSQL compares text in its database's collation unless told otherwise: on one created with an
// en_US locale (here ICU's) "alice" comes before "Bob" and "fox-hound" before "fox&hound", where code
// point order has them the other way round.
const ICU_DATABASE = `qa_order_icu_${process.pid}_${randomBytes(3).toString('hex')}`;
const CASES = [
  { name: 'sqlite', engine: 'sqlite' as const, icu: false },
  { name: 'postgres', engine: 'postgres' as const, icu: false },
  { name: 'postgres with an en-US collation', engine: 'postgres' as const, icu: true },
];

describe.each(CASES)('the portfolio sorted in the browser, against the server, on $name', ({ engine, icu }) => {
  let db: Db;
  let ctx: TrackerContext;
  let now = Date.parse('2026-03-02T10:00:00.000Z');

  beforeAll(async () => {
    if (icu) await runOnServer(`create database ${ICU_DATABASE} template template0 encoding 'UTF8' locale_provider icu icu_locale 'en-US' locale 'C.UTF-8'`);
    db = await createTestDb(engine, icu ? { url: urlOf(ICU_DATABASE) } : {});
    const taxonomy = makeTaxonomy();
    // Each change a minute after the last, so `since` and `updatedAt` differ between rows (and some are equal).
    ctx = { db, taxonomy: () => taxonomy, clock: { now: () => new Date(now) }, advisor: {} };
    const partner = await createPartner(ctx, SYSTEM_ACTOR, { name: 'Order Partner' });
    const names = ['Émile Conseil', 'emile conseil', 'Zeta Labs', 'adatum', 'Ærø Shipping', 'Bob & Co', 'bob & co', 'Łukasz Tools', 'Straße Nord', 'Fox&Hound', 'Fox-Hound'];
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
    // Labels of a partner's own playbook, where a locale's order and code points part ("iPad" before
    // "Identity" by locale, after it by code point), written as stored rows carry them.
    const labels = ['iPad Rollout', 'Identity Gaps', 'IT Freeze', 'it-freeze', 'Zeta'];
    for (const [i, e] of all.slice(0, labels.length * 2).entries()) {
      await sql`update entitlements set l1 = ${labels[i % labels.length]!}, l2 = ${labels[(i + 2) % labels.length]!} where id = ${e.id}`.execute(db.kysely);
    }
  });

  afterAll(async () => {
    await db?.close();
    if (icu) await runOnServer(`drop database if exists ${ICU_DATABASE}`);
  });

  it.each(KEYS.flatMap((key) => [[key, false], [key, true]] as const))('sorts by %s (descending: %s) as the server does', async (key, desc) => {
    const { sort, order } = SERVER_SORT[key](desc);
    const served = (await listEntitlements(ctx, SYSTEM_ACTOR, { sort, order, pageSize: 100 })).items as unknown as Entitlement[];
    expect(served.length).toBeGreaterThan(15);
    // The browser's rows arrive in another order (here: by id, reversed).
    const local = [...served].sort((a, b) => b.id - a.id).sort(serverOrder(key, desc));
    expect(local.map((e) => e.id)).toEqual(served.map((e) => e.id));
  });

  it.each([['l1', 'asc'], ['l1', 'desc'], ['l2', 'asc'], ['l2', 'desc']] as const)('sorts the API list by %s (%s) in code point order, empty last', async (sort, order) => {
    const served = (await listEntitlements(ctx, SYSTEM_ACTOR, { sort, order, pageSize: 100 })).items;
    const sign = order === 'asc' ? 1 : -1;
    const expected = [...served].sort((a, b) => {
      const x = a[sort];
      const y = b[sort];
      if (x === null || y === null) return x === y ? sign * (a.id - b.id) : x === null ? 1 : -1;
      return sign * (compareCodePoints(x, y) || a.id - b.id);
    });
    expect(served.map((e) => e.id)).toEqual(expected.map((e) => e.id));
  });
});
