/**
 * The one set of migrations, for SQLite and PostgreSQL alike, provided in code (no files to find at
 * run time). Only the id column type differs between engines; everything else is portable SQL.
 */
import { Migrator, sql, type CreateTableBuilder, type Kysely, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
import { AppError } from '../lib/index.js';
import type { Engine } from './connect.js';
import { WORKLOAD_CATALOGUE } from './workloads.js';

// Migrations run before the typed schema exists, so they use an untyped handle.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

function withId<T extends string>(table: CreateTableBuilder<T, never>, engine: Engine): CreateTableBuilder<T, 'id'> {
  return engine === 'postgres'
    ? table.addColumn('id', 'serial', (c) => c.primaryKey())
    : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}

function createMigrations(engine: Engine): Record<string, Migration> {
  return {
    '001_initial': {
      async up(db: AnyDb) {
        await withId(db.schema.createTable('partners'), engine)
          .addColumn('name', 'text', (c) => c.notNull().unique())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();

        await withId(db.schema.createTable('users'), engine)
          .addColumn('email', 'text', (c) => c.notNull().unique())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin', 'manager', 'editor', 'viewer')`))
          .addColumn('partner_id', 'integer', (c) => c.references('partners.id'))
          .addColumn('password_hash', 'text')
          .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();

        await withId(db.schema.createTable('api_tokens'), engine)
          .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('token_hash', 'text', (c) => c.notNull().unique())
          .addColumn('prefix', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'text')
          .addColumn('revoked_at', 'text')
          .addColumn('last_used_at', 'text')
          .execute();
        await db.schema.createIndex('api_tokens_user').on('api_tokens').column('user_id').execute();

        await db.schema
          .createTable('sessions')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'text', (c) => c.notNull())
          .execute();

        await withId(db.schema.createTable('customers'), engine)
          .addColumn('partner_id', 'integer', (c) => c.notNull().references('partners.id'))
          .addColumn('tenant_id', 'text', (c) => c.notNull().unique())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('managed', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('region', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('customers_partner_name').on('customers').columns(['partner_id', 'name']).execute();

        await withId(db.schema.createTable('workloads'), engine)
          .addColumn('slug', 'text', (c) => c.notNull().unique())
          .addColumn('name', 'text', (c) => c.notNull())
          .execute();
        await db.insertInto('workloads').values(WORKLOAD_CATALOGUE.map((w) => ({ slug: w.slug, name: w.name }))).execute();

        await withId(db.schema.createTable('entitlements'), engine)
          .addColumn('customer_id', 'integer', (c) => c.notNull().references('customers.id'))
          .addColumn('partner_id', 'integer', (c) => c.notNull().references('partners.id'))
          .addColumn('workload_id', 'integer', (c) => c.notNull().references('workloads.id'))
          .addColumn('part', 'text', (c) => c.notNull().defaultTo(''))
          .addColumn('l1', 'text', (c) => c.notNull())
          .addColumn('l2', 'text')
          .addColumn('l3', 'text')
          .addColumn('code', 'text', (c) => c.notNull())
          .addColumn('taxonomy_version', 'text', (c) => c.notNull())
          .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
          .addColumn('target_date', 'text')
          .addColumn('engagement_start_date', 'text')
          .addColumn('business_reason', 'text')
          .addColumn('owner', 'text')
          .addColumn('next_action', 'text')
          .addColumn('next_action_date', 'text')
          .addColumn('projected_unblock_date', 'text')
          .addColumn('note_grade', 'text')
          .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
          .addColumn('updated_by', 'integer', (c) => c.references('users.id'))
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addColumn('since', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addUniqueConstraint('entitlements_customer_workload_part', ['customer_id', 'workload_id', 'part'])
          .execute();
        // Report and filter indexes: each leads with the column a report groups or filters by.
        await db.schema.createIndex('entitlements_code').on('entitlements').columns(['l1', 'l2', 'since']).execute();
        await db.schema.createIndex('entitlements_partner_code').on('entitlements').columns(['partner_id', 'l1', 'l2']).execute();
        await db.schema.createIndex('entitlements_workload').on('entitlements').columns(['workload_id', 'l1']).execute();
        await db.schema.createIndex('entitlements_owner').on('entitlements').columns(['owner']).execute();
        await db.schema.createIndex('entitlements_since').on('entitlements').columns(['since']).execute();
        await db.schema.createIndex('entitlements_projected').on('entitlements').columns(['projected_unblock_date']).execute();

        await withId(db.schema.createTable('status_history'), engine)
          .addColumn('entitlement_id', 'integer', (c) => c.notNull().references('entitlements.id'))
          .addColumn('partner_id', 'integer', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('changed_by', 'integer')
          .addColumn('changed_by_name', 'text', (c) => c.notNull())
          .addColumn('changed_at', 'text', (c) => c.notNull())
          .addColumn('from_code', 'text')
          .addColumn('to_code', 'text', (c) => c.notNull())
          .addColumn('days_in_previous', 'integer')
          .addColumn('before_json', 'text')
          .addColumn('after_json', 'text', (c) => c.notNull())
          .addColumn('note_grade', 'text')
          .addColumn('note_score', 'real')
          .addColumn('suggestion_json', 'text')
          .addColumn('suggested_code', 'text')
          .execute();
        await db.schema.createIndex('history_entitlement').on('status_history').columns(['entitlement_id', 'id']).execute();
        await db.schema.createIndex('history_changed_at').on('status_history').columns(['changed_at']).execute();
        await db.schema.createIndex('history_from_code').on('status_history').columns(['from_code', 'days_in_previous']).execute();
      },
    },
    '002_history_rollup': {
      async up(db: AnyDb) {
        // Daily roll-up of status_history kept in step by every write, so quality and flow reports
        // read a few thousand rows instead of millions.
        await db.schema
          .createTable('history_daily')
          .addColumn('day', 'text', (c) => c.notNull())
          .addColumn('partner_id', 'integer', (c) => c.notNull())
          .addColumn('from_code', 'text', (c) => c.notNull())
          .addColumn('to_code', 'text', (c) => c.notNull())
          .addColumn('grade', 'text', (c) => c.notNull())
          .addColumn('n', 'integer', (c) => c.notNull())
          .addColumn('score_sum', 'real', (c) => c.notNull())
          .addColumn('score_n', 'integer', (c) => c.notNull())
          .addPrimaryKeyConstraint('history_daily_pk', ['day', 'partner_id', 'from_code', 'to_code', 'grade'])
          .execute();
        await db.schema.createIndex('entitlements_blocked_forecast').on('entitlements').columns(['l1', 'projected_unblock_date']).execute();
        await db.schema.createIndex('history_cleared').on('status_history').columns(['from_code', 'days_in_previous', 'partner_id']).execute();
        await db.schema.dropIndex('history_from_code').execute();
        await db.schema.dropIndex('entitlements_projected').execute();
        await db.schema.dropIndex('entitlements_workload').execute();
        await db.schema.dropIndex('entitlements_owner').execute();
        await db.schema.createIndex('entitlements_owner_code').on('entitlements').columns(['owner', 'l1']).execute();
        await db.schema.createIndex('entitlements_workload_code').on('entitlements').columns(['workload_id', 'l1', 'since']).execute();
      },
    },
    '003_rollup_time_to_clear': {
      async up(db: AnyDb) {
        // Time spent in a code before leaving it, summed per roll-up row, for the unblock forecast.
        await db.schema.alterTable('history_daily').addColumn('days_sum', 'real', (c) => c.notNull().defaultTo(0)).execute();
        await db.schema.alterTable('history_daily').addColumn('days_n', 'integer', (c) => c.notNull().defaultTo(0)).execute();
        await db.deleteFrom('history_daily').execute();
        await sql`insert into history_daily (day, partner_id, from_code, to_code, grade, n, score_sum, score_n, days_sum, days_n)
          select substr(changed_at, 1, 10), partner_id, coalesce(from_code, ''), to_code, coalesce(note_grade, ''), count(*), coalesce(sum(note_score), 0), count(note_score),
            coalesce(sum(days_in_previous), 0), count(days_in_previous)
          from status_history group by substr(changed_at, 1, 10), partner_id, coalesce(from_code, ''), to_code, coalesce(note_grade, '')`.execute(db);
      },
    },
  };
}

/** Kysely migration provider holding the migrations in code. */
export function createMigrationProvider(engine: Engine): MigrationProvider {
  return { getMigrations: () => Promise.resolve(createMigrations(engine)) };
}

/**
 * Brings the schema to the latest version; returns the names of the migrations applied now. Throws
 * INTERNAL on failure. `schema` (PostgreSQL) keeps the migration bookkeeping in that schema.
 */
export async function migrateToLatest(db: AnyDb, engine: Engine, schema?: string | null): Promise<string[]> {
  const migrator = new Migrator({ db, provider: createMigrationProvider(engine), ...(engine === 'postgres' && schema ? { migrationTableSchema: schema } : {}) });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error) {
    const message = result.error instanceof Error ? result.error.message : String(result.error);
    throw new AppError('INTERNAL', `Database migration failed: ${message}`);
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
