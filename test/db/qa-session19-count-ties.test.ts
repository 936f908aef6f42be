/**
 * Rows of the counts report with equal counts come in code point order of their labels, as every other
 * list sorts text (SQLite's order, PostgreSQL's "C" collation, web/src/lib/server-order.ts).
 * localeCompare put "alice" before "Bob" and "iPad" before "IT".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/index.js';
import { compareCodePoints } from '../../src/lib/index.js';
import { countEntitlements } from '../../src/reports/index.js';
import { SYSTEM_ACTOR, createCustomer, createPartner, listEntitlements, updateStatus, type TrackerContext } from '../../src/tracker/index.js';
import { createTestDb, ENGINES, fixedClock, makeTaxonomy } from '../factories.js';

const LABELS = ['iPad', 'alice', 'IT', 'Bob'];

describe.each(ENGINES)('counts report ties on %s', (engine) => {
  let db: Db;
  let ctx: TrackerContext;

  beforeAll(async () => {
    db = await createTestDb(engine);
    const taxonomy = makeTaxonomy();
    ctx = { db, taxonomy: () => taxonomy, clock: fixedClock(), advisor: {} };
    for (const [i, label] of LABELS.entries()) {
      const partner = await createPartner(ctx, SYSTEM_ACTOR, { name: label });
      const customer = await createCustomer(ctx, SYSTEM_ACTOR, { tenantId: `ties-${i}`, name: `Ties ${i}`, partnerId: partner.id, workloads: ['teams'] });
      const [e] = (await listEntitlements(ctx, SYSTEM_ACTOR, { customerId: customer.id })).items;
      await updateStatus(ctx, SYSTEM_ACTOR, e!.id, e!.version, { owner: label });
    }
  });
  afterAll(async () => db?.close());

  it('orders equal counts by label in code point order (owners and partners)', async () => {
    const expected = [...LABELS].sort(compareCodePoints);
    // The order asked for is not the locale's, so this test can tell them apart.
    expect(expected).toEqual(['Bob', 'IT', 'alice', 'iPad']);
    expect(expected).not.toEqual([...LABELS].sort((a, b) => a.localeCompare(b)));
    for (const by of ['owner', 'partner'] as const) {
      const report = await countEntitlements(ctx, SYSTEM_ACTOR, by);
      expect(report.rows.map((r) => [r.label, r.count])).toEqual(expected.map((l) => [l, 1]));
    }
  });
});
