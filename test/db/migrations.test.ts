import { randomBytes } from 'node:crypto';
import { Migrator, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createMigrationProvider, migrateToLatest, openDatabase, WORKLOAD_CATALOGUE, type Db, type Engine } from '../../src/db/index.js';
import type { AppError } from '../../src/lib/index.js';
import { createTestDb, ENGINES, TEST_DATABASE_URL } from '../factories.js';

/** A database migrated only up to `last`; closing a PostgreSQL one drops its schema. */
async function openAt(engine: Engine, last: string): Promise<Db> {
  const schema = engine === 'postgres' ? `t_${process.pid}_${randomBytes(4).toString('hex')}` : undefined;
  const db = await openDatabase(engine === 'postgres' ? { url: TEST_DATABASE_URL, schema, poolSize: 2 } : { sqlitePath: ':memory:' });
  const result = await new Migrator({ db: db.kysely, provider: createMigrationProvider(engine), ...(schema ? { migrationTableSchema: schema } : {}) }).migrateTo(last);
  if (result.error) throw result.error;
  return {
    ...db,
    async close() {
      if (schema) await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(db.kysely);
      await db.close();
    },
  };
}

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

  it('indexes status_history by entitlement only: the reports read the daily roll-up', async () => {
    const db = await createTestDb(engine);
    try {
      const names =
        engine === 'postgres'
          ? (await sql<{ name: string }>`select indexname as name from pg_indexes where schemaname = current_schema() and tablename = 'status_history'`.execute(db.kysely)).rows
          : (await sql<{ name: string }>`select name from sqlite_master where type = 'index' and tbl_name = 'status_history'`.execute(db.kysely)).rows;
      expect(names.map((n) => n.name).filter((n) => !/pkey|autoindex/.test(n)).sort()).toEqual(['history_entitlement']);
    } finally {
      await db.close();
    }
  });

  it.runIf(engine === 'postgres')('leaves room on entitlement pages, so a note-only change needs no index entry', async () => {
    const db = await createTestDb(engine);
    try {
      const { rows } = await sql<{ options: string[] | null }>`select reloptions as options from pg_class where oid = 'entitlements'::regclass`.execute(db.kysely);
      expect(rows[0]?.options).toContain('fillfactor=80');
    } finally {
      await db.close();
    }
  });

  it('adds the users\' password-change flag, unset for the users who were there before', async () => {
    const db = await openAt(engine, '014_entitlements_fillfactor');
    try {
      const now = new Date().toISOString();
      await db.kysely.insertInto('users').values({ email: 'before@example.test', name: 'Before', role: 'admin', partner_id: null, password_hash: null, created_at: now }).execute();
      expect(await migrateToLatest(db.kysely, engine, db.schema)).toEqual(['015_password_change_required', '016_customer_name_key', '017_login_failures', '018_code_point_order', '019_search_unicode_words', '020_users_email_code_point', '021_time_to_clear']);
      await db.kysely.insertInto('users').values({ email: 'after@example.test', name: 'After', role: 'admin', partner_id: null, password_hash: null, created_at: now }).execute();
      await db.kysely.insertInto('users').values({ email: 'flagged@example.test', name: 'Flagged', role: 'admin', partner_id: null, password_hash: null, created_at: now, must_change_password: 1 }).execute();
      expect(await db.kysely.selectFrom('users').select(['email', 'must_change_password']).orderBy('id').execute()).toEqual([
        { email: 'before@example.test', must_change_password: 0 },
        { email: 'after@example.test', must_change_password: 0 },
        { email: 'flagged@example.test', must_change_password: 1 },
      ]);
      await expect(db.kysely.updateTable('users').set({ must_change_password: null as unknown as number }).execute()).rejects.toThrow();
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
        .values({ partner_id: partner.id, tenant_id: 't1', name: 'C', name_key: 'c', managed: 1, region: null, created_at: now, updated_at: now })
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

  it('gives every customer stored before it the key its name sorts and is searched by', async () => {
    const db = await openAt(engine, '015_password_change_required');
    try {
      const now = new Date().toISOString();
      const partner = await db.kysely.insertInto('partners').values({ name: 'P', created_at: now }).returning('id').executeTakeFirstOrThrow();
      const names = ['Zeta Corp', 'adatum', 'Émile  Ltd', 'MÜLLER AG'];
      // More rows than one batch of the migration, so the batches are walked.
      const many = Array.from({ length: 2_100 }, (_, i) => `Bulk ${i}`);
      const rows = [...names, ...many].map((name, i) => ({ partner_id: partner.id, tenant_id: `t${i}`, name, managed: 0, region: null, created_at: now, updated_at: now }));
      for (let i = 0; i < rows.length; i += 500) await db.kysely.insertInto('customers').values(rows.slice(i, i + 500) as never).execute();
      expect(await migrateToLatest(db.kysely, engine, db.schema)).toEqual(['016_customer_name_key', '017_login_failures', '018_code_point_order', '019_search_unicode_words', '020_users_email_code_point', '021_time_to_clear']);
      const keys = await db.kysely.selectFrom('customers').select(['name', 'name_key']).orderBy('id').execute();
      expect(keys.slice(0, 4)).toEqual([
        { name: 'Zeta Corp', name_key: 'zeta corp' },
        { name: 'adatum', name_key: 'adatum' },
        { name: 'Émile  Ltd', name_key: 'emile ltd' },
        { name: 'MÜLLER AG', name_key: 'muller ag' },
      ]);
      expect(keys.filter((k) => k.name_key === '')).toEqual([]);
      expect(keys.at(-1)).toEqual({ name: 'Bulk 2099', name_key: 'bulk 2099' });
    } finally {
      await db.close();
    }
  });

  it('makes tenant ids and parts unique ignoring case, and stops naming the rows that already clash', async () => {
    const db = await openAt(engine, '010_partner_list_index');
    try {
      const now = new Date().toISOString();
      const partner = await db.kysely.insertInto('partners').values({ name: 'P', created_at: now }).returning('id').executeTakeFirstOrThrow();
      // Rows as the schema of migration 010 takes them (no name_key yet).
      const customer = (tenantId: string) => ({ partner_id: partner.id, tenant_id: tenantId, name: 'C', managed: 0, region: null, created_at: now, updated_at: now }) as never;
      const [upper, lower] = await db.kysely.insertInto('customers').values([customer('T-Case'), customer('t-case')]).returning('id').execute();
      const entitlement = (part: string) => ({
        customer_id: upper!.id, partner_id: partner.id, workload_id: 1, part, l1: 'Status Unknown', l2: 'New Subscription or Workload', l3: null,
        code: 'status-unknown/new-subscription-or-workload', taxonomy_version: 'v', note: '', updated_at: now, since: now, created_at: now,
      });
      await db.kysely.insertInto('entitlements').values([entitlement('EMEA'), entitlement('emea')]).execute();

      const failed = await migrateToLatest(db.kysely, engine, db.schema).then(() => null, (error: unknown) => error as AppError);
      expect(failed?.code).toBe('MIGRATION_FAILED');
      expect(failed?.details).toEqual({ migration: '011_case_insensitive_keys' });
      expect(failed?.message).toMatch(/^Database migration 011_case_insensitive_keys failed: /);
      expect(failed?.message).toMatch(/"T-Case" \(customer \d+\), "t-case" \(customer \d+\).*part "EMEA".*part "emea"/);
      // Nothing was changed: the migration is not recorded, both rows are still there.
      expect(await db.kysely.selectFrom('customers').select('tenant_id').orderBy('id').execute()).toEqual([{ tenant_id: 'T-Case' }, { tenant_id: 't-case' }]);

      // The message gives the SQL that fixes the rows, and it runs as given on either engine.
      const fixes = failed!.message.match(/UPDATE [^;]+;/g)!;
      expect(fixes).toEqual([`UPDATE customers SET tenant_id = 't-case-2' WHERE id = ${lower!.id};`, expect.stringMatching(/^UPDATE entitlements SET part = 'emea-2' WHERE id = \d+;$/)]);
      for (const fix of fixes) await sql.raw(fix).execute(db.kysely);
      expect(await migrateToLatest(db.kysely, engine, db.schema)).toEqual(['011_case_insensitive_keys', '012_token_parent', '013_drop_unused_history_indexes', '014_entitlements_fillfactor', '015_password_change_required', '016_customer_name_key', '017_login_failures', '018_code_point_order', '019_search_unicode_words', '020_users_email_code_point', '021_time_to_clear']);
      await expect(db.kysely.insertInto('customers').values(customer('T-CASE-2')).execute()).rejects.toThrow();
      await expect(db.kysely.insertInto('entitlements').values(entitlement('Emea')).execute()).rejects.toThrow();
      await db.kysely.insertInto('entitlements').values(entitlement('APAC')).execute();
    } finally {
      await db.close();
    }
  });
});
