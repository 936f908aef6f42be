import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Migrator, sql } from 'kysely';
import { ENTITLEMENT_STATUS_COLUMNS, bulkWriter, createMigrationProvider, migrateToLatest, openDatabase, type Db, type Engine, type EntitlementStatusValues } from '../../src/db/index.js';
import { BROAD_SEARCH } from '../../src/tracker/search.js';
import { insertNewEntitlements } from '../../src/tracker/customers.js';
import {
  SYSTEM_ACTOR, bulkUpdateStatus, createCustomer, createPartner, createUser, deleteCustomer, listEntitlements, parseSearch, updateCustomer, updateStatus,
  type Actor, type TrackerContext,
} from '../../src/tracker/index.js';
import { createTestDb, ENGINES, fixedClock, makeTaxonomy, TEST_DATABASE_URL, expectCode, expectSearchInStep } from '../factories.js';

const BLOCKER = 'Their outbound proxy drops the sign-in redirect; the network team has to add an exception before pilots start.';

describe('parseSearch', () => {
  it('splits into lower-cased words of letters and digits, the last a prefix unless followed by a space', () => {
    expect(parseSearch('  Proxy, modern-AUTH  ')).toEqual({ words: ['proxy', 'modern', 'auth'], prefix: false, tenantId: 'Proxy, modern-AUTH' });
    expect(parseSearch('Zürich firew')).toEqual({ words: ['zürich', 'firew'], prefix: true, tenantId: 'Zürich firew' });
    expect(parseSearch('"*) OR (').words).toEqual(['or']);
    expect(parseSearch('%_').words).toEqual([]);
  });
});

describe.each(ENGINES)('search and customer upkeep on %s', (engine) => {
  let db: Db;
  let ctx: TrackerContext;
  let alice: Actor;
  let bob: Actor;
  let northManager: Actor;
  let contosoId: number;
  let tailspinId: number;
  const ids = async (actor: Actor, q: string) => (await listEntitlements(ctx, actor, { q, sort: 'id' })).items.map((e) => e.id);

  beforeAll(async () => {
    db = await createTestDb(engine);
    const taxonomy = makeTaxonomy();
    ctx = { db, taxonomy: () => taxonomy, clock: fixedClock(), advisor: {} };
    const p1 = await createPartner(ctx, SYSTEM_ACTOR, { name: 'Northwind Partners' });
    const p2 = await createPartner(ctx, SYSTEM_ACTOR, { name: 'Fabrikam Consulting' });
    const u1 = await createUser(ctx, SYSTEM_ACTOR, { email: 'alice@nw.test', name: 'Alice', role: 'editor', partnerId: p1.id });
    const u2 = await createUser(ctx, SYSTEM_ACTOR, { email: 'bob@fab.test', name: 'Bob', role: 'manager', partnerId: p2.id });
    const u3 = await createUser(ctx, SYSTEM_ACTOR, { email: 'nina@nw.test', name: 'Nina', role: 'manager', partnerId: p1.id });
    alice = { userId: u1.id, name: u1.name, role: 'editor', partnerId: p1.id };
    bob = { userId: u2.id, name: u2.name, role: 'manager', partnerId: p2.id };
    northManager = { userId: u3.id, name: u3.name, role: 'manager', partnerId: p1.id };
    contosoId = (await createCustomer(ctx, northManager, { tenantId: '7F3C9A2E-contoso', name: 'Contoso Pharma', workloads: ['teams', 'intune'] })).id;
    tailspinId = (await createCustomer(ctx, bob, { tenantId: 'tailspin-01', name: 'Tailspin Toys', workloads: ['teams'] })).id;
  });
  afterAll(async () => db?.close());

  it('finds by words of the note in any order, by prefix, by customer name, owner and exact tenant id', async () => {
    const [teams, intune] = (await listEntitlements(ctx, alice, { customerId: contosoId, sort: 'id' })).items;
    await updateStatus(ctx, alice, teams!.id, teams!.version, { l1: 'Blocked', l2: 'Customer IT Infrastructure and Remediation', note: BLOCKER, projectedUnblockDate: '2026-04-15', owner: 'Maya Lindqvist' });
    expect(await ids(alice, 'proxy')).toEqual([teams!.id]);
    expect(await ids(alice, 'NETWORK outbound')).toEqual([teams!.id]);
    expect(await ids(alice, 'outbound prox')).toEqual([teams!.id]);
    expect(await ids(alice, 'prox ')).toEqual([]);
    expect(await ids(alice, 'sign in redirect')).toEqual([teams!.id]);
    expect(await ids(alice, 'proxy firewall')).toEqual([]);
    expect(await ids(alice, 'contoso')).toEqual([teams!.id, intune!.id]);
    expect(await ids(alice, 'pharma proxy')).toEqual([teams!.id]);
    expect(await ids(alice, 'lindqvist')).toEqual([teams!.id]);
    expect(await ids(alice, '7f3c9a2e-contoso')).toEqual([teams!.id, intune!.id]);
    expect(await ids(alice, ' 7F3C9A2E-contoso ')).toEqual([teams!.id, intune!.id]);
    expect(await ids(alice, '%_')).toEqual([]);
    expect(await ids(alice, '"*) OR (')).toEqual([]);
  });

  it("keeps partner scope: another partner's words and tenant ids find nothing", async () => {
    expect(await ids(alice, 'tailspin')).toEqual([]);
    expect(await ids(alice, 'tailspin-01')).toEqual([]);
    expect(await ids(bob, 'proxy')).toEqual([]);
    expect(await ids(bob, 'tailspin')).toHaveLength(1);
    // A workload's name is searched too (test/db/qa-session19-search-workload.test.ts): Contoso's and Tailspin's Teams.
    expect(await ids(SYSTEM_ACTOR, 'teams')).toHaveLength(2);
    expect(await ids(bob, 'teams')).toHaveLength(1);
    expect((await ids(SYSTEM_ACTOR, 'toys')).length + (await ids(SYSTEM_ACTOR, 'contoso')).length).toBe(3);
  });

  it('follows status updates (single and bulk) that change the note, and customer renames', async () => {
    const teams = (await listEntitlements(ctx, alice, { customerId: contosoId, workload: 'teams' })).items[0]!;
    await updateStatus(ctx, alice, teams.id, teams.version, { l1: 'In Progress', l2: 'Migration', note: 'Moving mailboxes in weekly waves.', targetDate: '2026-06-30' });
    expect(await ids(alice, 'proxy')).toEqual([]);
    expect(await ids(alice, 'weekly waves')).toEqual([teams.id]);
    const after = (await listEntitlements(ctx, alice, { customerId: contosoId, workload: 'teams' })).items[0]!;
    await bulkUpdateStatus(ctx, alice, [{ id: after.id, version: after.version, note: 'Firewall rules approved; cut-over next week.' }]);
    expect(await ids(alice, 'weekly')).toEqual([]);
    expect(await ids(alice, 'firewall cut')).toEqual([teams.id]);
    await updateCustomer(ctx, northManager, contosoId, { name: 'Contoso Life Sciences' });
    expect(await ids(alice, 'pharma')).toEqual([]);
    expect(await ids(alice, 'life sciences')).toHaveLength(2);
  });

  it('updates customers within the partner, keeping tenant ids unique', async () => {
    const updated = await updateCustomer(ctx, northManager, contosoId, { managed: true, region: 'EMEA', tenantId: 'contoso-new' });
    expect(updated).toMatchObject({ id: contosoId, managed: true, region: 'EMEA', tenantId: 'contoso-new', name: 'Contoso Life Sciences', entitlementCount: 2 });
    expect(updated.updatedAt).toBe(fixedClock().now().toISOString());
    expect(await ids(alice, 'contoso-new')).toHaveLength(2);
    await expectCode(updateCustomer(ctx, northManager, contosoId, { tenantId: 'tailspin-01' }), 'CONFLICT');
    await expectCode(updateCustomer(ctx, bob, contosoId, { name: 'Mine now' }), 'NOT_FOUND');
    await expectCode(updateCustomer(ctx, alice, contosoId, { name: 'Editors cannot' }), 'FORBIDDEN');
    expect((await updateCustomer(ctx, SYSTEM_ACTOR, contosoId, { region: null })).region).toBeNull();
  });

  it('deletes a never-worked-on customer with an audit row, and refuses one with history', async () => {
    const fresh = await createCustomer(ctx, northManager, { tenantId: 'typo-tenant', name: 'Typo Customer', workloads: ['teams', 'onedrive'] });
    const rollupBefore = await db.kysely.selectFrom('history_daily').select(['n']).execute();
    await expectCode(deleteCustomer(ctx, alice, fresh.id), 'FORBIDDEN');
    await expectCode(deleteCustomer(ctx, bob, fresh.id), 'NOT_FOUND');
    const gone = await deleteCustomer(ctx, northManager, fresh.id, { reason: 'Created with the wrong tenant id.' });
    expect(gone).toMatchObject({ customer: { id: fresh.id, tenantId: 'typo-tenant' }, entitlementsDeleted: 2 });
    expect(await ids(alice, 'typo')).toEqual([]);
    expect(await db.kysely.selectFrom('customers').select('id').where('id', '=', fresh.id).execute()).toEqual([]);
    const audit = await db.kysely.selectFrom('audit_log').selectAll().where('id', '=', gone.auditId).executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ action: 'customer.delete', entity_id: fresh.id, actor_id: northManager.userId, actor_name: 'Nina' });
    expect(JSON.parse(audit.details_json)).toMatchObject({ reason: 'Created with the wrong tenant id.', entitlements: [{ workload: 'teams' }, { workload: 'onedrive' }] });
    const sum = (rows: { n: number }[]) => rows.reduce((s, r) => s + Number(r.n), 0);
    expect(sum(await db.kysely.selectFrom('history_daily').select(['n']).execute())).toBe(sum(rollupBefore) - 2);

    const refused = await expectCode(deleteCustomer(ctx, northManager, contosoId), 'CONFLICT');
    expect(refused.details).toMatchObject({ entitlements: 2 });
    expect((await listEntitlements(ctx, alice, { customerId: contosoId })).total).toBe(2);
    const empty = await createCustomer(ctx, SYSTEM_ACTOR, { tenantId: 'empty-1', name: 'Empty', partnerId: bob.partnerId! });
    expect((await deleteCustomer(ctx, SYSTEM_ACTOR, empty.id)).entitlementsDeleted).toBe(0);
    void tailspinId;
  });

  it('counts totals exactly past the former cap of 1,000', async () => {
    const now = fixedClock().now().toISOString();
    const partner = await createPartner(ctx, SYSTEM_ACTOR, { name: 'Bulk Partner' });
    const customers = await db.kysely
      .insertInto('customers')
      .values(Array.from({ length: 70 }, (_, i) => ({ partner_id: partner.id, tenant_id: `bulk-${i}`, name: `Bulk ${i}`, name_key: `bulk ${i}`, managed: 0, region: null, created_at: now, updated_at: now })))
      .returning('id')
      .execute();
    const rows = customers.flatMap((c) => Array.from({ length: 16 }, (_, w) => ({
      customer_id: c.id, partner_id: partner.id, workload_id: w + 1, l1: 'Status Unknown', l2: 'New Subscription or Workload', code: 'status-unknown/new-subscription-or-workload',
      taxonomy_version: 'v', note: `bulk note ${c.id}`, updated_at: now, since: now, created_at: now,
    })));
    for (let i = 0; i < rows.length; i += 100) await db.kysely.insertInto('entitlements').values(rows.slice(i, i + 100)).execute();
    const page = await listEntitlements(ctx, SYSTEM_ACTOR, { partnerId: partner.id, pageSize: 5 });
    expect([page.total, page.totalCapped, page.items.length]).toEqual([1120, false, 5]);
    expect((await listEntitlements(ctx, SYSTEM_ACTOR, { q: 'bulk note', pageSize: 5 })).total).toBe(1120);
    expect((await listEntitlements(ctx, SYSTEM_ACTOR, { code: 'status-unknown/new-subscription-or-workload', partnerId: partner.id })).total).toBe(1120);
  });
});

describe.each(ENGINES)('broad text searches on %s', (engine) => {
  it('count up to BROAD_SEARCH (totalCapped) and still page in order, within scope', async () => {
    const db = await createTestDb(engine);
    try {
      const taxonomy = makeTaxonomy();
      const ctx: TrackerContext = { db, taxonomy: () => taxonomy, clock: fixedClock(), advisor: {} };
      const p1 = await createPartner(ctx, SYSTEM_ACTOR, { name: 'Wide' });
      const p2 = await createPartner(ctx, SYSTEM_ACTOR, { name: 'Other' });
      const wide = await createCustomer(ctx, SYSTEM_ACTOR, { tenantId: 'wide-1', name: 'Wide Co', partnerId: p1.id });
      // Another partner's customer whose tenant id is the broad word itself.
      const other = await createCustomer(ctx, SYSTEM_ACTOR, { tenantId: 'Widespread', name: 'Other Co', partnerId: p2.id, workloads: ['teams'] });
      const n = BROAD_SEARCH + 50;
      const series = engine === 'postgres' ? sql`select generate_series(1, ${sql.lit(n)}) as i` : sql`with recursive s(i) as (select 1 union all select i + 1 from s where i < ${sql.lit(n)}) select i from s`;
      const now = fixedClock().now().toISOString();
      await sql`insert into entitlements (customer_id, partner_id, workload_id, part, l1, l2, code, taxonomy_version, note, updated_at, since, created_at)
        select ${wide.id}, ${p1.id}, 1, 'part ' || i, 'Status Unknown', 'New Subscription or Workload', 'status-unknown/new-subscription-or-workload', 'v',
          'A widespread remark, number ' || i, ${now}, ${now}, ${now} from (${series}) s`.execute(db.kysely);
      const page = await listEntitlements(ctx, SYSTEM_ACTOR, { q: 'widespread', pageSize: 3 });
      expect([page.total, page.totalCapped]).toEqual([BROAD_SEARCH, true]);
      // In id order: the other customer's entitlement (its tenant id is the word), then Wide's.
      const first = await listEntitlements(ctx, SYSTEM_ACTOR, { customerId: wide.id, sort: 'id', pageSize: 2 });
      expect(page.items.map((e) => e.customerId)).toEqual([other.id, wide.id, wide.id]);
      expect(page.items.slice(1).map((e) => e.id)).toEqual(first.items.map((e) => e.id));
      const last = await listEntitlements(ctx, SYSTEM_ACTOR, { q: 'widesp', order: 'desc', pageSize: 1 });
      expect(last.items[0]!.note).toBe(`A widespread remark, number ${n}`);
      const outsider: Actor = { userId: null, name: 'o', role: 'viewer', partnerId: p2.id };
      // Broad words, but in this scope only the tenant id matches.
      const outside = await listEntitlements(ctx, outsider, { q: 'widespread' });
      expect([outside.total, outside.totalCapped, outside.items.map((e) => e.customerId)]).toEqual([1, false, [other.id]]);
      expect(await listEntitlements(ctx, outsider, { q: 'widespread number' })).toMatchObject({ total: 0, items: [] });
      expect((await listEntitlements(ctx, SYSTEM_ACTOR, { q: 'widespread', l1: 'Blocked' })).total).toBe(0);
      // A tenant id with narrower words: exact, each entitlement counted once.
      expect(await listEntitlements(ctx, SYSTEM_ACTOR, { q: 'wide-1' })).toMatchObject({ total: n, totalCapped: false });
    } finally {
      await db.close();
    }
  });
});

/**
 * Runs `test` on a fresh database (its own PostgreSQL schema) migrated up to the migration before
 * `migration`, with a tracker context over it; drops the schema afterwards.
 */
async function beforeMigration(engine: Engine, migration: string, test: (db: Db, ctx: TrackerContext) => Promise<void>): Promise<void> {
  const schema = `t_${process.pid}_m${migration.slice(0, 3)}_${Date.now() % 100000}`;
  const db = await openDatabase(engine === 'sqlite' ? { sqlitePath: ':memory:' } : { url: TEST_DATABASE_URL, schema, poolSize: 2 });
  try {
    const provider = createMigrationProvider(engine);
    const names = Object.keys(await provider.getMigrations()).sort();
    const migrator = new Migrator({ db: db.kysely, provider, ...(engine === 'postgres' ? { migrationTableSchema: schema } : {}) });
    expect((await migrator.migrateTo(names[names.indexOf(migration) - 1]!)).error).toBeUndefined();
    const taxonomy = makeTaxonomy();
    await test(db, { db, taxonomy: () => taxonomy, clock: fixedClock(), advisor: {} });
  } finally {
    if (engine === 'postgres') await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(db.kysely);
    await db.close();
  }
}

/**
 * A customer with entitlements on the given workloads, written as the schema before migration 016 takes
 * it (no name key): createCustomer writes the columns of the latest schema.
 */
async function createOldCustomer(ctx: TrackerContext, input: { tenantId: string; name: string; partnerId: number; workloads: string[] }): Promise<{ id: number }> {
  const now = ctx.clock.now();
  const workloads = await ctx.db.kysely.selectFrom('workloads').select(['id', 'slug']).where('slug', 'in', input.workloads).orderBy('id').execute();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const row = (await sql<{ id: number }>`insert into customers (partner_id, tenant_id, name, managed, region, created_at, updated_at)
      values (${input.partnerId}, ${input.tenantId}, ${input.name}, 0, null, ${now.toISOString()}, ${now.toISOString()}) returning id`.execute(trx)).rows[0]!;
    await insertNewEntitlements(trx, ctx.taxonomy(), SYSTEM_ACTOR, now, workloads.map((w) => ({ customerId: row.id, partnerId: input.partnerId, workloadId: w.id, part: '' })));
    return { id: row.id };
  });
}

describe.each(ENGINES)('migration 008 on %s', (engine) => {
  it('keeps finding what was indexed before it, and follows later changes', async () => {
    await beforeMigration(engine, '008_search_without_tombstones', async (db, c2) => {
      const p = await createPartner(c2, SYSTEM_ACTOR, { name: 'Before' });
      const customer = await createOldCustomer(c2, { tenantId: 'old-8', name: 'Larchmont Freight', partnerId: p.id, workloads: ['teams', 'intune'] });
      const [teams] = (await listEntitlements(c2, SYSTEM_ACTOR, { customerId: customer.id, sort: 'id' })).items;
      await updateStatus(c2, SYSTEM_ACTOR, teams!.id, teams!.version, { note: BLOCKER });
      expect(await migrateToLatest(db.kysely, engine, db.schema)).toContain('008_search_without_tombstones');
      expect((await listEntitlements(c2, SYSTEM_ACTOR, { q: 'larchmont' })).total).toBe(2);
      expect((await listEntitlements(c2, SYSTEM_ACTOR, { q: 'outbound proxy' })).items.map((e) => e.id)).toEqual([teams!.id]);
      await updateStatus(c2, SYSTEM_ACTOR, teams!.id, teams!.version + 1, { note: 'Pilot group is live.' });
      await updateCustomer(c2, SYSTEM_ACTOR, customer.id, { name: 'Birchwood Freight' });
      expect((await listEntitlements(c2, SYSTEM_ACTOR, { q: 'outbound proxy' })).total).toBe(0);
      expect((await listEntitlements(c2, SYSTEM_ACTOR, { q: 'larchmont' })).total).toBe(0);
      expect((await listEntitlements(c2, SYSTEM_ACTOR, { q: 'birchwood pilot' })).items.map((e) => e.id)).toEqual([teams!.id]);
      await expectSearchInStep(db);
    });
  });
});

describe.each(ENGINES)('migration 009 on %s', (engine) => {
  it('keeps an existing index in step: bulk writes write their own entries, the trigger resumes after them in the same transaction', async () => {
    await beforeMigration(engine, '009_search_deferred_postgres', async (db, c2) => {
      const p = await createPartner(c2, SYSTEM_ACTOR, { name: 'Before' });
      const customer = await createOldCustomer(c2, { tenantId: 'old-9', name: 'Quarry Lane Bakeries', partnerId: p.id, workloads: ['teams', 'intune'] });
      const [teams, intune] = (await listEntitlements(c2, SYSTEM_ACTOR, { customerId: customer.id, sort: 'id' })).items;
      await updateStatus(c2, SYSTEM_ACTOR, teams!.id, teams!.version, { note: BLOCKER });
      expect(await migrateToLatest(db.kysely, engine, db.schema)).toContain('009_search_deferred_postgres');
      const found = async (q: string) => (await listEntitlements(c2, SYSTEM_ACTOR, { q, sort: 'id' })).items.map((e) => e.id);
      expect(await found('outbound proxy')).toEqual([teams!.id]);

      // A bulk write, then a plain UPDATE of another note in the same transaction: both reach the index.
      const stored = await db.kysely.selectFrom('entitlements').selectAll().where('id', 'in', [teams!.id, intune!.id]).orderBy('id').execute();
      const old = (row: (typeof stored)[number]) => Object.fromEntries(ENTITLEMENT_STATUS_COLUMNS.map((c) => [c, row[c]])) as EntitlementStatusValues;
      await db.kysely.transaction().execute(async (trx) => {
        const s = stored[0]!;
        const writer = bulkWriter(trx);
        const written = await writer.updateEntitlementStatuses(
          [{ id: s.id, version: s.version, old: old(s), values: { ...old(s), note: 'Walrus pilot booked for the service desk.', owner: 'Nadia Okafor' }, customerId: customer.id }],
          { updatedBy: null, updatedAt: '2026-03-02T10:00:00.000Z' },
        );
        expect(written).toBe(1);
        await writer.finish();
        await trx.updateTable('entitlements').set({ note: 'Narwhal licences arrive in May.', version: stored[1]!.version + 1 }).where('id', '=', intune!.id).execute();
      });
      expect(await found('outbound proxy')).toEqual([]);
      expect(await found('walrus nadia')).toEqual([teams!.id]);
      expect(await found('narwhal')).toEqual([intune!.id]);
      expect(await found('quarry lane')).toEqual([teams!.id, intune!.id]);
      // Later single updates go through the trigger as before.
      await updateStatus(c2, SYSTEM_ACTOR, teams!.id, teams!.version + 2, { note: 'Pilot group is live.' });
      expect(await found('walrus')).toEqual([]);
      expect(await found('pilot group')).toEqual([teams!.id]);
      await expectSearchInStep(db);
    });
  });
});

describe.each(ENGINES)('migration 005 on %s', (engine) => {
  it('indexes the entitlements that exist when it runs', async () => {
    await beforeMigration(engine, '005_search', async (db, c2) => {
      const p = await createPartner(c2, SYSTEM_ACTOR, { name: 'Before' });
      await createOldCustomer(c2, { tenantId: 'old-1', name: 'Oldfield Mining', partnerId: p.id, workloads: ['teams', 'intune'] });
      expect(await migrateToLatest(db.kysely, engine, db.schema)).toContain('005_search');
      expect((await listEntitlements(c2, SYSTEM_ACTOR, { q: 'oldfield' })).total).toBe(2);
      expect((await listEntitlements(c2, SYSTEM_ACTOR, { q: 'OLD-1' })).total).toBe(2);
    });
  });
});

describe.each(ENGINES)('bulk writes on %s', (engine) => {
  it('keep the index in step when the same entitlement is written twice, out of id order, before finish()', async () => {
    const db = await createTestDb(engine);
    try {
      const taxonomy = makeTaxonomy();
      const ctx: TrackerContext = { db, taxonomy: () => taxonomy, clock: fixedClock(), advisor: {} };
      const p = await createPartner(ctx, SYSTEM_ACTOR, { name: 'Twice' });
      const customer = await createCustomer(ctx, SYSTEM_ACTOR, { tenantId: 'twice-1', name: 'Marlow Ferries', partnerId: p.id, workloads: ['teams', 'intune'] });
      const [teams, intune] = (await listEntitlements(ctx, SYSTEM_ACTOR, { customerId: customer.id, sort: 'id' })).items;
      await updateStatus(ctx, SYSTEM_ACTOR, teams!.id, teams!.version, { note: BLOCKER, owner: 'Owen Pike' });
      const stored = await db.kysely.selectFrom('entitlements').selectAll().where('id', 'in', [teams!.id, intune!.id]).orderBy('id').execute();
      const old = (row: (typeof stored)[number]) => Object.fromEntries(ENTITLEMENT_STATUS_COLUMNS.map((c) => [c, row[c]])) as EntitlementStatusValues;
      const [t, i] = stored as [(typeof stored)[number], (typeof stored)[number]];
      const meta = { updatedBy: null, updatedAt: '2026-03-02T10:00:00.000Z' };
      await db.kysely.transaction().execute(async (trx) => {
        const writer = bulkWriter(trx);
        const first = { ...old(t), note: 'Walrus pilot booked for the service desk.', owner: 'Nadia Okafor' };
        // The later entitlement first, then the earlier one twice: its second write's `old` is its first write's values.
        expect(await writer.updateEntitlementStatuses([{ id: i.id, version: i.version, old: old(i), values: { ...old(i), note: 'Narwhal licences arrive in May.' }, customerId: customer.id }], meta)).toBe(1);
        expect(await writer.updateEntitlementStatuses([{ id: t.id, version: t.version, old: old(t), values: first, customerId: customer.id }], meta)).toBe(1);
        expect(await writer.updateEntitlementStatuses([{ id: t.id, version: t.version + 1, old: first, values: { ...first, note: 'Pilot group is live.', owner: 'Ravi Menon' }, customerId: customer.id }], meta)).toBe(1);
        await writer.finish();
      });
      const found = async (q: string) => (await listEntitlements(ctx, SYSTEM_ACTOR, { q, sort: 'id' })).items.map((e) => e.id);
      expect(await found('outbound proxy')).toEqual([]);
      expect(await found('owen')).toEqual([]);
      expect(await found('walrus')).toEqual([]);
      expect(await found('nadia')).toEqual([]);
      expect(await found('pilot group ravi')).toEqual([t.id]);
      expect(await found('narwhal')).toEqual([i.id]);
      expect(await found('marlow ferries')).toEqual([t.id, i.id]);
      await expectSearchInStep(db);
      // Later single updates (through the trigger) find the entries the writer left.
      await updateStatus(ctx, SYSTEM_ACTOR, t.id, t.version + 2, { note: 'Champions trained.' });
      expect(await found('pilot')).toEqual([]);
      expect(await found('champions')).toEqual([t.id]);
      await expectSearchInStep(db);
    } finally {
      await db.close();
    }
  });
});
