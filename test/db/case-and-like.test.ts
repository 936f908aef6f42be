/**
 * Searches that ignore case fold it the engine's way on both sides of the comparison (SQLite A-Z
 * only, PostgreSQL every letter), so a value always finds itself as written; the customer search
 * takes `%`, `_` and `\` literally.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/index.js';
import {
  SYSTEM_ACTOR, createCustomer, createPartner, createUser, importEntitlements, iterateEntitlements, listCustomers, listEntitlements, listPartners, updateCustomer, type Actor, type TrackerContext,
} from '../../src/tracker/index.js';
import { BROAD_SEARCH } from '../../src/tracker/search.js';
import { createTestDb, ENGINES, fixedClock, makeTaxonomy } from '../factories.js';

describe.each(ENGINES)('case folding and literal customer search on %s', (engine) => {
  let db: Db;
  let ctx: TrackerContext;
  let viewer: Actor;
  let northId: number;
  let southId: number;

  beforeAll(async () => {
    db = await createTestDb(engine);
    const taxonomy = makeTaxonomy();
    ctx = { db, taxonomy: () => taxonomy, clock: fixedClock(), advisor: { grade: () => ({ grade: 'B', score: 0.8, findings: [] }), suggest: () => null } };
    northId = (await createPartner(ctx, SYSTEM_ACTOR, { name: 'North' })).id;
    southId = (await createPartner(ctx, SYSTEM_ACTOR, { name: 'South' })).id;
    const user = await createUser(ctx, SYSTEM_ACTOR, { email: 'viewer@north.test', name: 'Viewer', role: 'viewer', partnerId: northId });
    viewer = { userId: user.id, name: user.name, role: 'viewer', partnerId: northId };
    for (const [tenantId, name] of [
      ['ÉCOLE-42', 'Schoolhouse Kappa'],
      ['ΟΔΟΣ-7', 'Greek Street'],
      ['cot-1', '100% Cotton'],
      ['ab-1', 'a_b Ltd'],
      ['axb-1', 'aXb Ltd'],
      ['bs-1', 'Back\\slash Inc'],
      ['em-1', 'Émile Co'],
      ['plain-1', 'Plain Traders'],
    ]) {
      await createCustomer(ctx, SYSTEM_ACTOR, { tenantId: tenantId!, name: name!, partnerId: northId, workloads: ['teams', 'intune'] });
    }
  });
  afterAll(async () => db?.close());

  const names = async (q: string) => (await listCustomers(ctx, viewer, { q, pageSize: 500 })).items.map((c) => c.name).sort();

  it('takes %, _ and \\ in the customer search literally', async () => {
    expect(await names('%')).toEqual(['100% Cotton']);
    expect(await names('_')).toEqual(['a_b Ltd']);
    expect(await names('a_b')).toEqual(['a_b Ltd']);
    expect(await names('\\')).toEqual(['Back\\slash Inc']);
    expect(await names('0% c')).toEqual(['100% Cotton']);
    expect(await names('%%')).toEqual([]);
    // Still a substring search that ignores ASCII case, over names and tenant ids.
    expect(await names('LTD')).toEqual(['aXb Ltd', 'a_b Ltd']);
    expect(await names('COT-')).toEqual(['100% Cotton']);
    expect((await listCustomers(ctx, viewer, { q: '_', pageSize: 1 })).total).toBe(1);
  });

  it('finds a non-ASCII customer name and tenant id as written; other cases as the engine folds them', async () => {
    expect(await names('Émile')).toEqual(['Émile Co']);
    expect(await names('ÉCOLE')).toEqual(['Schoolhouse Kappa']);
    expect(await names('ΟΔΟΣ-7')).toEqual(['Greek Street']);
    // Names match by their key on both engines: any case, with or without accents.
    for (const q of ['émile', 'EMILE', 'emile co', 'Emile  Co']) expect([q, await names(q)]).toEqual([q, ['Émile Co']]);
    // Tenant ids: SQLite's lower() folds A-Z only (docs/API.md, Case); PostgreSQL folds every letter.
    expect(await names('école-42')).toEqual(engine === 'postgres' ? ['Schoolhouse Kappa'] : []);
  });

  it('lists customers, entitlements by customer and partners A-Z ignoring case and accents', async () => {
    const partnerId = (await createPartner(ctx, SYSTEM_ACTOR, { name: 'alpha sorting' })).id;
    for (const [tenantId, name] of [['srt-1', 'Zeta Corp'], ['srt-2', 'adatum'], ['srt-3', 'Ärzte Verbund'], ['srt-4', 'Émile Sort'], ['srt-5', 'bravo']]) {
      await createCustomer(ctx, SYSTEM_ACTOR, { tenantId: tenantId!, name: name!, partnerId, workloads: ['teams'] });
    }
    const expected = ['adatum', 'Ärzte Verbund', 'bravo', 'Émile Sort', 'Zeta Corp'];
    expect((await listCustomers(ctx, SYSTEM_ACTOR, { partnerId })).items.map((c) => c.name)).toEqual(expected);
    const byCustomer = await listEntitlements(ctx, SYSTEM_ACTOR, { partnerId, sort: 'customer', order: 'asc' });
    expect(byCustomer.items.map((e) => e.customerName)).toEqual(expected);
    const reversed = await listEntitlements(ctx, SYSTEM_ACTOR, { partnerId, sort: 'customer', order: 'desc' });
    expect(reversed.items.map((e) => e.customerName)).toEqual([...expected].reverse());
    // A rename moves the customer to its new place and makes it findable by the new name.
    const zeta = (await listCustomers(ctx, SYSTEM_ACTOR, { partnerId, q: 'zeta' })).items[0]!;
    await updateCustomer(ctx, SYSTEM_ACTOR, zeta.id, { name: 'aaron Zeta' });
    expect((await listCustomers(ctx, SYSTEM_ACTOR, { partnerId })).items.map((c) => c.name)[0]).toBe('aaron Zeta');
    expect((await listCustomers(ctx, SYSTEM_ACTOR, { partnerId, q: 'AARON' })).items.map((c) => c.id)).toEqual([zeta.id]);
    // A customer an import creates is keyed as well.
    await importEntitlements(ctx, SYSTEM_ACTOR, [{ line: 2, cells: { tenant_id: 'srt-6', customer: 'Œuvre Éditions', partner: 'alpha sorting', workload: 'teams' } }]);
    expect((await listCustomers(ctx, SYSTEM_ACTOR, { partnerId, q: 'oeuvre editions' })).items.map((c) => c.name)).toEqual(['Œuvre Éditions']);
    // Partners: 'alpha sorting' (lower case) comes before 'North' and 'South'.
    expect((await listPartners(ctx, SYSTEM_ACTOR)).map((p) => p.name).slice(0, 3)).toEqual(['alpha sorting', 'North', 'South']);
  });

  it('finds a tenant id given exactly as `q` in the list and the export', async () => {
    for (const q of ['ÉCOLE-42', ' ÉCOLE-42 ', 'École-42', 'ΟΔΟΣ-7']) {
      const page = await listEntitlements(ctx, viewer, { q });
      expect(page.total, q).toBe(2);
      expect(new Set(page.items.map((e) => e.tenantId)).size, q).toBe(1);
      const exported: number[] = [];
      for await (const e of iterateEntitlements(ctx, viewer, { q })) exported.push(e.id);
      expect(exported.sort(), q).toEqual(page.items.map((e) => e.id).sort());
    }
    expect((await listEntitlements(ctx, viewer, { q: 'école-42' })).total).toBe(engine === 'postgres' ? 2 : 0);
  });

  it('counts the tenant id of a broad search (the words match more than the cap elsewhere)', async () => {
    // Another partner's customer whose notes all hold the words of the tenant id: a broad search.
    const other = await createCustomer(ctx, SYSTEM_ACTOR, { tenantId: 'south-big', name: 'South Big', partnerId: southId, workloads: [] });
    const n = BROAD_SEARCH + 5;
    const series = engine === 'postgres' ? sql`select generate_series(1, ${sql.lit(n)}) as i` : sql`with recursive c(i) as (select 1 union all select i + 1 from c where i < ${sql.lit(n)}) select i from c`;
    const now = ctx.clock.now().toISOString();
    const teams = await db.kysely.selectFrom('workloads').select('id').where('slug', '=', 'teams').executeTakeFirstOrThrow();
    await sql`insert into entitlements (customer_id, partner_id, workload_id, part, l1, l2, code, taxonomy_version, note, version, updated_at, since, created_at)
      select ${other.id}, ${southId}, ${teams.id}, 'p' || i, 'Status Unknown', 'New Subscription or Workload', 'status-unknown/new-subscription-or-workload', 'test',
        'rentrée école 42, οδος 7', 1, ${now}, ${now}, ${now} from (${series}) s`.execute(db.kysely);
    for (const q of ['ÉCOLE-42', 'ΟΔΟΣ-7']) {
      const admin = await listEntitlements(ctx, SYSTEM_ACTOR, { q });
      expect(admin.totalCapped, q).toBe(true);
      // The viewer sees none of the words' matches, only the tenant's two entitlements: counted too.
      const page = await listEntitlements(ctx, viewer, { q });
      expect(page.items.map((e) => e.tenantId), q).toEqual([q, q]);
      expect([page.total, page.totalCapped], q).toEqual([2, false]);
    }
  });
});

describe.each(ENGINES)('note search with letters that fold specially on %s', (engine) => {
  it('finds İ as written and in capitals (QA round 6)', async () => {
    const db = await createTestDb(engine);
    try {
      const taxonomy = makeTaxonomy();
      const ctx: TrackerContext = { db, taxonomy: () => taxonomy, clock: fixedClock(), advisor: {} };
      const partnerId = (await createPartner(ctx, SYSTEM_ACTOR, { name: 'Fold' })).id;
      const customer = await createCustomer(ctx, SYSTEM_ACTOR, { tenantId: 'fold-1', name: 'Fold Co', partnerId, workloads: ['teams'] });
      const [e] = (await listEntitlements(ctx, SYSTEM_ACTOR, { customerId: customer.id })).items;
      await sql`update entitlements set note = ${'Pilot office in İstanbul waits for the tenant merge.'}, version = version + 1 where id = ${e!.id}`.execute(db.kysely);
      const found = async (q: string) => (await listEntitlements(ctx, SYSTEM_ACTOR, { q })).items.map((x) => x.id);
      for (const q of ['İstanbul', 'İSTANBUL', 'İstan', 'pilot İSTANBUL']) expect([q, await found(q)]).toEqual([q, [e!.id]]);
      // PostgreSQL's index folds İ to i; SQLite's keeps İ, so there the dotless spelling finds nothing.
      expect(await found('istanbul')).toEqual(engine === 'postgres' ? [e!.id] : []);
    } finally {
      await db.close();
    }
  });
});
