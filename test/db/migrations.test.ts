import { describe, expect, it } from 'vitest';
import { migrateToLatest, WORKLOAD_CATALOGUE } from '../../src/db/index.js';
import { createTestDb, ENGINES } from '../factories.js';

describe.each(ENGINES)('migrations on %s', (engine) => {
  it('creates every table, seeds the workload catalogue, and is idempotent', async () => {
    const db = await createTestDb(engine);
    try {
      const workloads = await db.kysely.selectFrom('workloads').select(['slug', 'name']).orderBy('id').execute();
      expect(workloads).toEqual(WORKLOAD_CATALOGUE.map((w) => ({ slug: w.slug, name: w.name })));
      expect(await migrateToLatest(db.kysely, engine, db.schema)).toEqual([]);
      for (const table of ['partners', 'users', 'api_tokens', 'sessions', 'customers', 'entitlements', 'status_history'] as const) {
        const rows = await db.kysely.selectFrom(table).selectAll().execute();
        expect(rows, table).toEqual([]);
      }
    } finally {
      await db.close();
    }
  });

  it('rejects a second entitlement for the same customer, workload and part', async () => {
    const db = await createTestDb(engine);
    try {
      const now = new Date().toISOString();
      const partner = await db.kysely.insertInto('partners').values({ name: 'P', created_at: now }).returning('id').executeTakeFirstOrThrow();
      const customer = await db.kysely
        .insertInto('customers')
        .values({ partner_id: partner.id, tenant_id: 't1', name: 'C', managed: 1, region: null, created_at: now, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      const row = {
        customer_id: customer.id, partner_id: partner.id, workload_id: 1, part: '', l1: 'Status Unknown', l2: 'New Subscription or Workload', l3: null,
        code: 'status-unknown/new-subscription-or-workload', taxonomy_version: 'v', note: '', updated_at: now, since: now, created_at: now,
      };
      await db.kysely.insertInto('entitlements').values(row).execute();
      await expect(db.kysely.insertInto('entitlements').values(row).execute()).rejects.toThrow();
      await db.kysely.insertInto('entitlements').values({ ...row, part: 'EMEA' }).execute();
    } finally {
      await db.close();
    }
  });
});
