/**
 * Sorting by a field that can be empty (null) gives one order on both engines: values in the requested
 * direction, then the empty ones, ties by id in the same direction; for every page (PostgreSQL reads a
 * descending page in two parts) and for the export.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/index.js';
import {
  SYSTEM_ACTOR, createCustomer, createPartner, createUser, iterateEntitlements, listEntitlements, type Actor, type TrackerContext,
} from '../../src/tracker/index.js';
import type { SortField } from '../../src/tracker/entitlements.js';
import { createTestDb, ENGINES, fixedClock, makeTaxonomy } from '../factories.js';

type Row = { id: number; owner: string | null; l2: string | null; target_date: string | null; projected_unblock_date: string | null };

const NULLABLE: [SortField, keyof Row][] = [
  ['owner', 'owner'],
  ['l2', 'l2'],
  ['targetDate', 'target_date'],
  ['projectedUnblockDate', 'projected_unblock_date'],
];

/** The documented order: values in `order`, then the empty ones; ties (and the empty ones) by id in `order`. */
function expectedOrder(rows: Row[], column: keyof Row, order: 'asc' | 'desc'): number[] {
  const sign = order === 'asc' ? 1 : -1;
  return [...rows]
    .sort((a, b) => {
      const [x, y] = [a[column], b[column]];
      if (x === null && y !== null) return 1;
      if (x !== null && y === null) return -1;
      if (x !== null && y !== null && x !== y) return (x < y ? -1 : 1) * sign;
      return (a.id - b.id) * sign;
    })
    .map((r) => r.id);
}

describe.each(ENGINES)('sorting by a field that can be empty on %s', (engine) => {
  let db: Db;
  let ctx: TrackerContext;
  let viewer: Actor;
  let mine: Row[];

  beforeAll(async () => {
    db = await createTestDb(engine);
    const taxonomy = makeTaxonomy();
    ctx = { db, taxonomy: () => taxonomy, clock: fixedClock(), advisor: { grade: () => ({ grade: 'B', score: 0.8, findings: [] }), suggest: () => null } };
    const north = await createPartner(ctx, SYSTEM_ACTOR, { name: 'North' });
    const south = await createPartner(ctx, SYSTEM_ACTOR, { name: 'South' });
    const user = await createUser(ctx, SYSTEM_ACTOR, { email: 'viewer@north.test', name: 'Viewer', role: 'viewer', partnerId: north.id });
    viewer = { userId: user.id, name: user.name, role: 'viewer', partnerId: north.id };
    const workloads = ['exchange-online', 'sharepoint-online', 'teams', 'intune', 'windows', 'defender', 'onedrive'];
    await createCustomer(ctx, SYSTEM_ACTOR, { tenantId: 'n-1', name: 'North One', partnerId: north.id, workloads });
    await createCustomer(ctx, SYSTEM_ACTOR, { tenantId: 's-1', name: 'South One', partnerId: south.id, workloads: ['teams', 'intune'] });
    await createCustomer(ctx, SYSTEM_ACTOR, { tenantId: 'n-2', name: 'North Two', partnerId: north.id, workloads });
    // Set the sortable columns directly (only their order matters here): empty values spread over the
    // ids, repeated values, and lower-case ASCII text so that every collation orders it alike.
    const ids = (await db.kysely.selectFrom('entitlements').select(['id', 'partner_id']).orderBy('id').execute());
    const owners = ['maya', 'bo', 'ana', 'zed'];
    const dates = ['2026-05-01', '2026-03-15', '2026-05-01', '2026-09-30', '2026-01-02'];
    for (const [i, { id }] of ids.entries()) {
      await db.kysely
        .updateTable('entitlements')
        .set({
          owner: i % 3 === 0 ? null : owners[i % 4]!,
          l2: i % 5 === 1 ? null : ['Migration', 'App Compatibility'][i % 2]!,
          target_date: i % 2 === 0 ? null : dates[i % 5]!,
          projected_unblock_date: i % 4 === 1 || i % 4 === 2 ? null : dates[(i + 2) % 5]!,
        })
        .where('id', '=', id)
        .execute();
    }
    // The other partner's rows are empty everywhere: none may slip into the viewer's empty part.
    const southIds = ids.filter((r) => r.partner_id === south.id).map((r) => r.id);
    await db.kysely.updateTable('entitlements').set({ owner: null, l2: null, target_date: null, projected_unblock_date: null }).where('id', 'in', southIds).execute();
    mine = await db.kysely.selectFrom('entitlements').select(['id', 'owner', 'l2', 'target_date', 'projected_unblock_date']).where('partner_id', '=', north.id).execute();
    expect(mine).toHaveLength(14);
  });
  afterAll(async () => db?.close());

  for (const [sort, column] of NULLABLE) {
    for (const order of ['asc', 'desc'] as const) {
      it(`sort=${sort}&order=${order}: values in order, the empty ones last, on one page and over pages`, async () => {
        const expected = expectedOrder(mine, column, order);
        // The data really has empty values and values on both sides of them in id order.
        expect(mine.filter((r) => r[column] === null).length).toBeGreaterThanOrEqual(3);
        const whole = await listEntitlements(ctx, viewer, { sort, order, pageSize: 500 });
        expect(whole.total).toBe(14);
        expect(whole.items.map((e) => e.id)).toEqual(expected);
        // Pages of 4 (and of 1): a page that starts among the values and ends among the empty ones,
        // and pages that lie wholly among the empty ones.
        for (const pageSize of [4, 1]) {
          const paged: number[] = [];
          for (let page = 1; page <= Math.ceil(14 / pageSize); page++) {
            const items = (await listEntitlements(ctx, viewer, { sort, order, page, pageSize })).items;
            expect(items.length).toBe(Math.min(pageSize, 14 - (page - 1) * pageSize));
            paged.push(...items.map((e) => e.id));
          }
          expect(paged).toEqual(expected);
          expect((await listEntitlements(ctx, viewer, { sort, order, page: Math.ceil(14 / pageSize) + 1, pageSize })).items).toEqual([]);
        }
        // The export (batches of 3) in the same order.
        const exported: number[] = [];
        for await (const e of iterateEntitlements(ctx, viewer, { sort, order }, 3)) exported.push(e.id);
        expect(exported).toEqual(expected);
      });
    }
  }

  it('orders the same for an admin over both partners and with a filter, page by page', async () => {
    const all = await db.kysely.selectFrom('entitlements').select(['id', 'owner', 'l2', 'target_date', 'projected_unblock_date']).execute();
    expect(all).toHaveLength(16);
    const teamsIds = new Set((await listEntitlements(ctx, SYSTEM_ACTOR, { workload: 'teams', pageSize: 500 })).items.map((e) => e.id));
    expect(teamsIds.size).toBe(3);
    for (const order of ['asc', 'desc'] as const) {
      for (const [sort, column] of NULLABLE) {
        const everyone: number[] = [];
        for (let page = 1; page <= 5; page++) everyone.push(...(await listEntitlements(ctx, SYSTEM_ACTOR, { sort, order, page, pageSize: 4 })).items.map((e) => e.id));
        expect(everyone).toEqual(expectedOrder(all, column, order));
        const teams: number[] = [];
        for (let page = 1; page <= 3; page++) teams.push(...(await listEntitlements(ctx, SYSTEM_ACTOR, { sort, order, workload: 'teams', page, pageSize: 1 })).items.map((e) => e.id));
        expect(teams).toEqual(expectedOrder(all.filter((r) => teamsIds.has(r.id)), column, order));
      }
    }
  });
});
