/**
 * The list's `q` finds words of the entitlement's workload name too, as it finds the note's, the
 * owner's and the customer's: every word must occur in one of the four, mixed as you like ("teams
 * proxy"), the last word also as a prefix ("sharep"). Before, `teams` found only notes that said it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { Db } from '../../src/db/index.js';
import { BROAD_SEARCH } from '../../src/tracker/search.js';
import {
  SYSTEM_ACTOR, createCustomer, createPartner, iterateEntitlements, listEntitlements, updateStatus, type Actor, type TrackerContext,
} from '../../src/tracker/index.js';
import { createTestDb, ENGINES, fixedClock, makeTaxonomy } from '../factories.js';

describe.each(ENGINES)('search by workload name on %s', (engine) => {
  let db: Db;
  let ctx: TrackerContext;
  let north: Actor;
  const byWorkload = new Map<string, number>();
  const ids = async (actor: Actor, q: string, extra: { customerId?: number } = {}) => (await listEntitlements(ctx, actor, { q, sort: 'id', pageSize: 500, ...extra })).items.map((e) => e.id);
  const of = (...slugs: string[]) => slugs.map((s) => byWorkload.get(s)!).sort((a, b) => a - b);

  beforeAll(async () => {
    db = await createTestDb(engine);
    const taxonomy = makeTaxonomy();
    ctx = { db, taxonomy: () => taxonomy, clock: fixedClock(), advisor: {} };
    const p1 = await createPartner(ctx, SYSTEM_ACTOR, { name: 'Northwind' });
    const p2 = await createPartner(ctx, SYSTEM_ACTOR, { name: 'Fabrikam' });
    north = { userId: null, name: 'North', role: 'manager', partnerId: p1.id };
    const contoso = await createCustomer(ctx, SYSTEM_ACTOR, { tenantId: 'contoso-1', name: 'Contoso', partnerId: p1.id, workloads: ['teams', 'intune', 'sharepoint-online', 'exchange-online', 'microsoft-365-apps'] });
    await createCustomer(ctx, SYSTEM_ACTOR, { tenantId: 'tailspin-1', name: 'Tailspin', partnerId: p2.id, workloads: ['teams'] });
    for (const e of (await listEntitlements(ctx, SYSTEM_ACTOR, { customerId: contoso.id })).items) byWorkload.set(e.workload, e.id);
    const note = async (slug: string, text: string) => updateStatus(ctx, SYSTEM_ACTOR, byWorkload.get(slug)!, 1, { note: text });
    await note('teams', 'Their outbound proxy drops the sign-in redirect.');
    await note('intune', 'The proxy blocks enrolment; Teams rooms wait for it too.');
    await note('sharepoint-online', 'Waiting on the records policy.');
  });
  afterAll(async () => db?.close());

  it('finds the words of the workload name, alone, together with other words, and as a prefix', async () => {
    // "teams" is Teams's name, and a word of the Intune note.
    expect(await ids(north, 'teams')).toEqual(of('teams', 'intune'));
    expect(await ids(north, 'TEAMS proxy')).toEqual(of('teams', 'intune'));
    expect(await ids(north, 'proxy teams redirect')).toEqual(of('teams'));
    expect(await ids(north, 'online')).toEqual(of('sharepoint-online', 'exchange-online'));
    expect(await ids(north, 'online exchange contoso')).toEqual(of('exchange-online'));
    expect(await ids(north, 'sharep')).toEqual(of('sharepoint-online'));
    expect(await ids(north, 'sharep ')).toEqual([]);
    expect(await ids(north, 'records sharepoint onl')).toEqual(of('sharepoint-online'));
    expect(await ids(north, 'microsoft 365 apps')).toEqual(of('microsoft-365-apps'));
    expect(await ids(north, 'exchange sharepoint')).toEqual([]);
    expect(await ids(north, 'intune redirect')).toEqual([]);
    // Only a name's whole words, or a prefix of one by the last word of `q`.
    expect(await ids(north, 'point')).toEqual([]);
    expect(await ids(north, 'eams')).toEqual([]);
  });

  it("keeps partner scope and the other filters, and the export agrees", async () => {
    expect(await ids(north, 'teams tailspin')).toEqual([]);
    expect(await ids(SYSTEM_ACTOR, 'teams tailspin')).toHaveLength(1);
    expect(await ids(SYSTEM_ACTOR, 'teams')).toHaveLength(3);
    expect((await listEntitlements(ctx, north, { q: 'online', workload: 'exchange-online' })).items.map((e) => e.id)).toEqual(of('exchange-online'));
    const exported: number[] = [];
    for await (const e of iterateEntitlements(ctx, north, { q: 'teams proxy' })) exported.push(e.id);
    expect(exported.sort((a, b) => a - b)).toEqual(of('teams', 'intune'));
  });

  it('counts a broad workload search up to the cap, and a narrow one exactly', async () => {
    const partner = await createPartner(ctx, SYSTEM_ACTOR, { name: 'Broad' });
    const now = fixedClock().now().toISOString();
    const customer = await createCustomer(ctx, SYSTEM_ACTOR, { tenantId: 'broad-1', name: 'Broad Customer', partnerId: partner.id });
    const teamsId = (await db.kysely.selectFrom('workloads').select('id').where('slug', '=', 'teams').executeTakeFirstOrThrow()).id;
    const rows = Array.from({ length: BROAD_SEARCH + 50 }, (_, i) => ({
      customer_id: customer.id, partner_id: partner.id, workload_id: teamsId, part: `part ${i}`, l1: 'Status Unknown', l2: 'New Subscription or Workload',
      code: 'status-unknown/new-subscription-or-workload', taxonomy_version: 'v', note: i % 2 === 0 ? 'even row' : 'odd row', updated_at: now, since: now, created_at: now,
    }));
    for (let i = 0; i < rows.length; i += 500) await db.kysely.insertInto('entitlements').values(rows.slice(i, i + 500)).execute();
    if (engine === 'postgres') await sql`analyze entitlements`.execute(db.kysely);
    const broad = await listEntitlements(ctx, SYSTEM_ACTOR, { q: 'teams', pageSize: 5 });
    expect([broad.total, broad.totalCapped, broad.items.length]).toEqual([BROAD_SEARCH, true, 5]);
    // Broad words, few matches in scope: exact.
    const scoped = await listEntitlements(ctx, north, { q: 'teams', pageSize: 5 });
    expect([scoped.total, scoped.totalCapped]).toEqual([2, false]);
    const mixed = await listEntitlements(ctx, SYSTEM_ACTOR, { q: 'teams odd', pageSize: 5 });
    expect([mixed.total, mixed.totalCapped]).toEqual([(BROAD_SEARCH + 50) / 2, false]);
    // Broad through a workload word and another word of the index.
    expect((await listEntitlements(ctx, SYSTEM_ACTOR, { q: 'teams row', partnerId: partner.id, pageSize: 5 })).totalCapped).toBe(true);
    expect((await listEntitlements(ctx, north, { q: 'teams row', pageSize: 5 })).total).toBe(0);
    // The tenant id half still adds the customer's other entitlements, in a broad search too: a
    // customer whose tenant id is "teams" has its Teams entitlement found by the name, its Intune
    // and Windows ones by the tenant id, and Contoso's Teams and Intune ones are found as before.
    const tenant = await listEntitlements(ctx, north, { q: 'contoso-1', pageSize: 5 });
    expect(tenant.total).toBe(5);
    await createCustomer(ctx, SYSTEM_ACTOR, { tenantId: 'teams', name: 'Lakeshore', partnerId: north.partnerId!, workloads: ['teams', 'intune', 'windows'] });
    const named = await listEntitlements(ctx, north, { q: 'teams', pageSize: 500 });
    expect([named.total, named.totalCapped, named.items.map((e) => `${e.customerName} ${e.workload}`).sort()]).toEqual([
      5, false, ['Contoso intune', 'Contoso teams', 'Lakeshore intune', 'Lakeshore teams', 'Lakeshore windows'],
    ]);
  }, 60_000);
});
