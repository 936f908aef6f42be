/**
 * The counts by owner group owners as the list's `owner` filter matches them, ignoring case the
 * database's way (every letter on PostgreSQL, A-Z on SQLite): a row of the report followed to the
 * portfolio (`owner=<key>`) lists as many entitlements as the row counts. Grouped as written, "Bob"
 * (2) and "bob" (1) were two rows, while `owner=Bob` listed all 3.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/index.js';
import { countEntitlements } from '../../src/reports/index.js';
import { SYSTEM_ACTOR, createCustomer, createPartner, listEntitlements, updateStatus, type TrackerContext } from '../../src/tracker/index.js';
import { createTestDb, ENGINES, fixedClock, makeTaxonomy } from '../factories.js';

describe.each(ENGINES)('counts by owner on %s', (engine) => {
  let db: Db;
  let ctx: TrackerContext;

  beforeAll(async () => {
    db = await createTestDb(engine);
    const taxonomy = makeTaxonomy();
    ctx = { db, taxonomy: () => taxonomy, clock: fixedClock(), advisor: {} };
    const partner = await createPartner(ctx, SYSTEM_ACTOR, { name: 'Owners' });
    const owners = ['Bob', 'bob', 'Bob', 'BOB', 'Émile', 'émile', 'Ana', null];
    for (const [i, owner] of owners.entries()) {
      const customer = await createCustomer(ctx, SYSTEM_ACTOR, { tenantId: `owner-${i}`, name: `Owner ${i}`, partnerId: partner.id, workloads: ['teams'] });
      const [e] = (await listEntitlements(ctx, SYSTEM_ACTOR, { customerId: customer.id })).items;
      if (owner !== null) await updateStatus(ctx, SYSTEM_ACTOR, e!.id, e!.version, { owner });
    }
  });

  afterAll(async () => db.close());

  it('counts each row as many entitlements as the owner filter on its key lists', async () => {
    const report = await countEntitlements(ctx, SYSTEM_ACTOR, 'owner');
    expect(report.total).toBe(8);
    for (const row of report.rows) {
      const listed = await listEntitlements(ctx, SYSTEM_ACTOR, row.key === '' ? {} : { owner: row.key });
      const expected = row.key === '' ? listed.items.filter((e) => e.owner === null).length : listed.total;
      expect([row.key, row.count]).toEqual([row.key, expected]);
    }
    expect(report.rows.reduce((n, r) => n + r.count, 0)).toBe(8);
  });

  it('names a merged row by its most common spelling and says which others it holds', async () => {
    const rows = (await countEntitlements(ctx, SYSTEM_ACTOR, 'owner')).rows.map((r) => [r.key, r.label, r.count]);
    expect(rows[0]).toEqual(['Bob', 'Bob (also BOB, bob)', 4]);
    // PostgreSQL folds É as its filter does; SQLite's lower() folds A-Z only, so there they stay two owners.
    if (engine === 'postgres') expect(rows).toContainEqual(['Émile', 'Émile (also émile)', 2]);
    else expect(rows).toEqual(expect.arrayContaining([['Émile', 'Émile', 1], ['émile', 'émile', 1]]));
    expect(rows).toContainEqual(['', '(no owner)', 1]);
  });
});
