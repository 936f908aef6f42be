/**
 * The one set of migrations, for SQLite and PostgreSQL alike, provided in code (no files to find at
 * run time). Only the id column type differs between engines; everything else is portable SQL.
 */
import { Migrator, sql, type CreateTableBuilder, type Kysely, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
import { AppError, nameKey } from '../lib/index.js';
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
    '005_search': {
      async up(db: AnyDb) {
        // Full-text search for the list filter `q` over each entitlement's note and owner and its
        // customer's name, kept in step by triggers (every write path, the bulk import included, goes
        // through them), then filled from the existing rows. Text is split into runs of letters and
        // digits on both engines, lower-cased, no stemming, no stop words (see searchTerms()).
        if (engine === 'sqlite') {
          await sql`create virtual table entitlement_search using fts5(note, owner, customer, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0')`.execute(db);
          await sql`insert into entitlement_search (rowid, note, owner, customer)
            select e.id, e.note, coalesce(e.owner, ''), c.name from entitlements e join customers c on c.id = e.customer_id`.execute(db);
          await sql`insert into entitlement_search (entitlement_search) values ('optimize')`.execute(db);
          await sql`create trigger entitlement_search_insert after insert on entitlements begin
            insert into entitlement_search (rowid, note, owner, customer) select new.id, new.note, coalesce(new.owner, ''), c.name from customers c where c.id = new.customer_id;
          end`.execute(db);
          await sql`create trigger entitlement_search_update after update of note, owner, customer_id on entitlements
            when new.note is not old.note or new.owner is not old.owner or new.customer_id is not old.customer_id begin
            insert or replace into entitlement_search (rowid, note, owner, customer) select new.id, new.note, coalesce(new.owner, ''), c.name from customers c where c.id = new.customer_id;
          end`.execute(db);
          await sql`create trigger entitlement_search_delete after delete on entitlements begin
            delete from entitlement_search where rowid = old.id;
          end`.execute(db);
          await sql`create trigger entitlement_search_customer after update of name on customers when new.name is not old.name begin
            insert or replace into entitlement_search (rowid, note, owner, customer) select e.id, e.note, coalesce(e.owner, ''), new.name from entitlements e where e.customer_id = new.id;
          end`.execute(db);
        } else {
          await sql`create function entitlement_search_doc(note text, owner text, customer text) returns tsvector language sql immutable parallel safe as $$
            select to_tsvector('simple', regexp_replace(coalesce(note, '') || ' ' || coalesce(owner, '') || ' ' || coalesce(customer, ''), '[^[:alnum:]]+', ' ', 'g'))
          $$`.execute(db);
          // No foreign key: its per-row check would double the cost of an insert; a trigger deletes instead.
          await sql`create table entitlement_search (entitlement_id integer primary key, doc tsvector not null)`.execute(db);
          await sql`insert into entitlement_search (entitlement_id, doc)
            select e.id, entitlement_search_doc(e.note, e.owner, c.name) from entitlements e join customers c on c.id = e.customer_id`.execute(db);
          await sql`create index entitlement_search_doc on entitlement_search using gin (doc)`.execute(db);
          // Statement-level triggers with transition tables: one set-based write per statement, so a
          // bulk import pays no per-row trigger call.
          await sql`create function entitlement_search_inserted() returns trigger language plpgsql as $$
            begin
              insert into entitlement_search (entitlement_id, doc)
                select n.id, entitlement_search_doc(n.note, n.owner, c.name) from new_rows n join customers c on c.id = n.customer_id;
              return null;
            end
          $$`.execute(db);
          await sql`create trigger entitlement_search_insert after insert on entitlements referencing new table as new_rows for each statement execute function entitlement_search_inserted()`.execute(db);
          await sql`create function entitlement_search_updated() returns trigger language plpgsql as $$
            begin
              update entitlement_search s set doc = entitlement_search_doc(n.note, n.owner, c.name)
                from new_rows n join old_rows o on o.id = n.id join customers c on c.id = n.customer_id
                where s.entitlement_id = n.id and (n.note is distinct from o.note or n.owner is distinct from o.owner or n.customer_id is distinct from o.customer_id);
              return null;
            end
          $$`.execute(db);
          await sql`create trigger entitlement_search_update after update on entitlements referencing old table as old_rows new table as new_rows for each statement execute function entitlement_search_updated()`.execute(db);
          await sql`create function entitlement_search_deleted() returns trigger language plpgsql as $$
            begin
              delete from entitlement_search where entitlement_id in (select id from old_rows);
              return null;
            end
          $$`.execute(db);
          await sql`create trigger entitlement_search_delete after delete on entitlements referencing old table as old_rows for each statement execute function entitlement_search_deleted()`.execute(db);
          await sql`create function entitlement_search_customer() returns trigger language plpgsql as $$
            begin
              if new.name is distinct from old.name then
                update entitlement_search s set doc = entitlement_search_doc(e.note, e.owner, new.name) from entitlements e where e.customer_id = new.id and s.entitlement_id = e.id;
              end if;
              return null;
            end
          $$`.execute(db);
          await sql`create trigger entitlement_search_customer after update of name on customers for each row execute function entitlement_search_customer()`.execute(db);
        }
        // The tenant id half of `q`: an exact, case-insensitive match.
        await sql`create index customers_tenant_lower on customers (lower(tenant_id))`.execute(db);
        // Planner statistics for the new table and the expression index, before the first search.
        if (engine === 'postgres') await sql`analyze entitlement_search`.execute(db);
        await sql`analyze customers`.execute(db);
        // Who deleted which customer, when, and what it held (customer deletion keeps this trail).
        await withId(db.schema.createTable('audit_log'), engine)
          .addColumn('partner_id', 'integer')
          .addColumn('action', 'text', (c) => c.notNull())
          .addColumn('entity_id', 'integer', (c) => c.notNull())
          .addColumn('actor_id', 'integer')
          .addColumn('actor_name', 'text', (c) => c.notNull())
          .addColumn('at', 'text', (c) => c.notNull())
          .addColumn('details_json', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('audit_log_partner').on('audit_log').columns(['partner_id', 'id']).execute();
      },
    },
    '006_reports': {
      async up(db: AnyDb) {
        // Ageing, forecast and the L1/L2 counts count index ranges of `since` per (l1, l2) and of the
        // projected unblock date per l1 (src/reports/ranges.ts); the other counts group over the
        // workload, partner and owner indexes. Every one of these indexes now carries the scope
        // columns at its end, so partner- and workload-filtered reports stay index-only (filtered
        // inside the index, no table reads), and the partner index gains `since` so a partner's
        // reports walk only its own rows. Each replaces an index that is a prefix of it, so every
        // query that used the old one still can.
        const replace = async (name: string, columns: string[]) => {
          await db.schema.dropIndex(name).execute();
          await db.schema.createIndex(name).on('entitlements').columns(columns).execute();
        };
        await replace('entitlements_code', ['l1', 'l2', 'since', 'partner_id', 'workload_id']);
        await replace('entitlements_blocked_forecast', ['l1', 'projected_unblock_date', 'partner_id', 'workload_id']);
        await replace('entitlements_partner_code', ['partner_id', 'l1', 'l2', 'since', 'workload_id']);
        await replace('entitlements_workload_code', ['workload_id', 'l1', 'since', 'l2', 'partner_id']);
        await replace('entitlements_owner_code', ['owner', 'l1', 'partner_id', 'workload_id']);
        // Recreated indexes lose SQLite's statistics; without them the planner may pick a scan.
        await sql`analyze entitlements`.execute(db);
      },
    },
    '007_search_trigger_plans': {
      async up(db: AnyDb) {
        if (engine !== 'postgres') return;
        // PL/pgSQL caches a statement's plan per connection. The update trigger's join of the old and
        // new transition tables was first planned for a one-row status change (a nested loop) and
        // that plan was then reused for a 20,000-row import: quadratic, minutes instead of a second.
        // EXECUTE plans it afresh for each statement, with the transition tables' real sizes.
        await sql`create or replace function entitlement_search_updated() returns trigger language plpgsql as $$
          begin
            execute 'update entitlement_search s set doc = entitlement_search_doc(n.note, n.owner, c.name)
              from new_rows n join old_rows o on o.id = n.id join customers c on c.id = n.customer_id
              where s.entitlement_id = n.id and (n.note is distinct from o.note or n.owner is distinct from o.owner or n.customer_id is distinct from o.customer_id)';
            return null;
          end
        $$`.execute(db);
        // Vacuum after 2% of the rows changed, not the default 20%: until then index-only report
        // scans read the table for every changed page (reports went from 60 to 350 ms at 1M rows).
        await sql`alter table entitlements set (autovacuum_vacuum_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.02)`.execute(db);
        await sql`alter table entitlement_search set (autovacuum_vacuum_scale_factor = 0.02)`.execute(db);
      },
    },
    '008_search_without_tombstones': {
      async up(db: AnyDb) {
        if (engine !== 'sqlite') return;
        // contentless_delete=1 records each replaced row in a per-segment tombstone array that FTS5
        // rewrites on every delete and rebuilds as it grows: 35-50 us per changed note at 1M rows,
        // most of an import's time, with multi-second spikes. A plain contentless table takes FTS5's
        // 'delete' command with the old values instead (the triggers have them), which costs about
        // as much as indexing the note again, about 5 us. The triggers must pass exactly the values
        // that were indexed: customer names come from the customer row, unchanged by these statements.
        // Even so, FTS5 writes from a trigger cost three times as much as the same statements run
        // directly (about 16 us against 5 us a row), so bulk writes (db/bulk.ts) set
        // `entitlement_search_deferred` inside their transaction, which turns the update trigger off,
        // and write the search entries themselves.
        for (const trigger of ['entitlement_search_insert', 'entitlement_search_update', 'entitlement_search_delete', 'entitlement_search_customer']) {
          await sql`drop trigger ${sql.id(trigger)}`.execute(db);
        }
        await sql`drop table entitlement_search`.execute(db);
        await sql`create virtual table entitlement_search using fts5(note, owner, customer, content='', tokenize='unicode61 remove_diacritics 0')`.execute(db);
        await sql`insert into entitlement_search (rowid, note, owner, customer)
          select e.id, e.note, coalesce(e.owner, ''), c.name from entitlements e join customers c on c.id = e.customer_id`.execute(db);
        await sql`insert into entitlement_search (entitlement_search) values ('optimize')`.execute(db);
        await sql`create trigger entitlement_search_insert after insert on entitlements begin
          insert into entitlement_search (rowid, note, owner, customer) select new.id, new.note, coalesce(new.owner, ''), c.name from customers c where c.id = new.customer_id;
        end`.execute(db);
        await sql`create table entitlement_search_deferred (deferred integer not null)`.execute(db);
        await sql`insert into entitlement_search_deferred (deferred) values (0)`.execute(db);
        await sql`create trigger entitlement_search_update after update of note, owner, customer_id on entitlements
          when (new.note is not old.note or new.owner is not old.owner or new.customer_id is not old.customer_id) and (select deferred from entitlement_search_deferred) = 0 begin
          insert into entitlement_search (entitlement_search, rowid, note, owner, customer) select 'delete', old.id, old.note, coalesce(old.owner, ''), c.name from customers c where c.id = old.customer_id;
          insert into entitlement_search (rowid, note, owner, customer) select new.id, new.note, coalesce(new.owner, ''), c.name from customers c where c.id = new.customer_id;
        end`.execute(db);
        await sql`create trigger entitlement_search_delete after delete on entitlements begin
          insert into entitlement_search (entitlement_search, rowid, note, owner, customer) select 'delete', old.id, old.note, coalesce(old.owner, ''), c.name from customers c where c.id = old.customer_id;
        end`.execute(db);
        await sql`create trigger entitlement_search_customer after update of name on customers when new.name is not old.name begin
          insert into entitlement_search (entitlement_search, rowid, note, owner, customer) select 'delete', e.id, e.note, coalesce(e.owner, ''), old.name from entitlements e where e.customer_id = new.id;
          insert into entitlement_search (rowid, note, owner, customer) select e.id, e.note, coalesce(e.owner, ''), new.name from entitlements e where e.customer_id = new.id;
        end`.execute(db);
      },
    },
    '009_search_deferred_postgres': {
      async up(db: AnyDb) {
        if (engine !== 'postgres') return;
        // The update trigger's join of the transition tables is estimated at rows x rows / 200 (they have
        // no statistics), so a 20,000-row import planned a hash join over all of entitlement_search plus
        // 0.2 s of JIT compilation: 0.7-0.95 s per 20,000 rows, a third of the import's database time. As on
        // SQLite (migration 008), bulk writes (db/bulk.ts) now set the transaction-local setting
        // `unblock.search_deferred` around their UPDATE, so the trigger stands aside, and rewrite the
        // changed entries themselves through the primary key (0.4 s per 20,000 rows, most of it
        // computing the tsvectors). Capturing the transition tables still costs little (measured).
        // Every other write keeps going through the trigger; the setting ends with the transaction.
        await sql`create or replace function entitlement_search_updated() returns trigger language plpgsql as $$
          begin
            if current_setting('unblock.search_deferred', true) = 'on' then
              return null;
            end if;
            execute 'update entitlement_search s set doc = entitlement_search_doc(n.note, n.owner, c.name)
              from new_rows n join old_rows o on o.id = n.id join customers c on c.id = n.customer_id
              where s.entitlement_id = n.id and (n.note is distinct from o.note or n.owner is distinct from o.owner or n.customer_id is distinct from o.customer_id)';
            return null;
          end
        $$`.execute(db);
      },
    },
    '010_partner_list_index': {
      async up(db: AnyDb) {
        if (engine !== 'sqlite') return;
        // A partner's list in id order (the default) read the partner's rows through the report index
        // (partner_id, l1, ...) and sorted them all: 240 ms for 250,000 rows at 1M. An index on
        // partner_id alone ends with the rowid, so its rows come in id order and the first page is
        // read directly (0.4 ms). partner_id never changes with a status, so status writes leave it
        // alone. PostgreSQL plans this list well without it.
        await sql`create index if not exists entitlements_partner on entitlements (partner_id)`.execute(db);
        await sql`analyze entitlements`.execute(db);
      },
    },
    '011_case_insensitive_keys': {
      async up(db: AnyDb) {
        // Tenant ids, and the parts of one entitlement, are unique whatever their case: "T-Case" and
        // "t-case" are one tenant. Rows that already differ only in case stop the upgrade, before any
        // change, with a message naming them; nothing is merged or renamed behind the user's back.
        const tenants = await sql<{ id: number; tenant_id: string }>`select id, tenant_id from customers
          where lower(tenant_id) in (select lower(tenant_id) from customers group by lower(tenant_id) having count(*) > 1)
          order by lower(tenant_id), id`.execute(db);
        const parts = await sql<{ id: number; tenant_id: string; slug: string; part: string }>`select e.id, c.tenant_id, w.slug, e.part from entitlements e
          join (select customer_id, workload_id, lower(part) as part_key from entitlements group by customer_id, workload_id, lower(part) having count(*) > 1) d
            on d.customer_id = e.customer_id and d.workload_id = e.workload_id and d.part_key = lower(e.part)
          join customers c on c.id = e.customer_id join workloads w on w.id = e.workload_id
          order by e.customer_id, e.workload_id, lower(e.part), e.id`.execute(db);
        if (tenants.rows.length > 0 || parts.rows.length > 0) {
          const list = (items: string[]) => (items.length > 20 ? `${items.slice(0, 20).join(', ')} and ${items.length - 20} more` : items.join(', '));
          const problems: string[] = [];
          if (tenants.rows.length > 0) {
            problems.push(`customers whose tenant ids differ only in case: ${list(tenants.rows.map((r) => `"${r.tenant_id}" (customer ${r.id})`))}; give each a distinct tenant id`);
          }
          if (parts.rows.length > 0) {
            problems.push(`split parts that differ only in case: ${list(parts.rows.map((r) => `tenant "${r.tenant_id}" ${r.slug} part "${r.part}" (entitlement ${r.id})`))}; give each a distinct part`);
          }
          // The fix, as SQL that runs on SQLite and PostgreSQL alike: rename every row of a group but its first.
          const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;
          const fixes: string[] = [];
          const renameTenant = tenants.rows.find((r, i) => i > 0 && r.tenant_id.toLowerCase() === tenants.rows[i - 1]!.tenant_id.toLowerCase());
          if (renameTenant) fixes.push(`UPDATE customers SET tenant_id = ${quote(`${renameTenant.tenant_id}-2`)} WHERE id = ${renameTenant.id};`);
          const renamePart = parts.rows.find((r, i) => i > 0 && r.part.toLowerCase() === parts.rows[i - 1]!.part.toLowerCase() && r.tenant_id === parts.rows[i - 1]!.tenant_id && r.slug === parts.rows[i - 1]!.slug);
          if (renamePart) fixes.push(`UPDATE entitlements SET part = ${quote(`${renamePart.part}-2`)} WHERE id = ${renamePart.id};`);
          throw new Error(
            `tenant ids and split parts must be unique ignoring case, and this database has ${problems.join('; and ')}. Nothing was changed. ` +
              `Rename all but one row of each group in the database (sqlite3 or psql; on PostgreSQL in the configured schema) and start again, e.g. ${fixes.join(' ')} ` +
              '(the same SQL works on SQLite and PostgreSQL; choose new values that clash with no other row).',
          );
        }
        await sql`drop index customers_tenant_lower`.execute(db);
        await sql`create unique index customers_tenant_lower on customers (lower(tenant_id))`.execute(db);
        await sql`create unique index entitlements_part_lower on entitlements (customer_id, workload_id, lower(part))`.execute(db);
        // The list's owner filter is exact but ignores case: lower(owner) = lower(?), then the partner.
        await sql`create index entitlements_owner_lower on entitlements (lower(owner), partner_id)`.execute(db);
        await sql`analyze customers`.execute(db);
        await sql`analyze entitlements`.execute(db);
      },
    },
    '012_token_parent': {
      async up(db: AnyDb) {
        // A token issued with another token is bound to it: it expires no later and is revoked with it
        // (src/tracker/accounts.ts), so a leaked token cannot mint itself a longer life.
        await sql`alter table api_tokens add column parent_token_id integer references api_tokens (id)`.execute(db);
        await sql`create index api_tokens_parent on api_tokens (parent_token_id)`.execute(db);
      },
    },
    '013_drop_unused_history_indexes': {
      async up(db: AnyDb) {
        // Since the reports read the daily roll-up (migration 002), nothing reads status_history by
        // time or by the code it left: it is read by entitlement (history_entitlement) and scanned
        // whole to rebuild the roll-up. These two indexes were kept up to date by every history row
        // written, two of its three index entries, and held 595 MB at 5M rows (dbstat: 242 + 353 MB).
        await db.schema.dropIndex('history_changed_at').execute();
        await db.schema.dropIndex('history_cleared').execute();
      },
    },
    '014_entitlements_fillfactor': {
      async up(db: AnyDb) {
        if (engine !== 'postgres') return;
        // A change that leaves every indexed column alone (a new note, owner's next action, dates that no
        // index holds) can be written as a heap-only tuple, with no index entry, but only when the row's
        // page has room for the new version. Full pages (the default fillfactor of 100) left 1.3% of
        // updates HOT, so each wrote all ten index entries. At 80, a note-only import of 50,000 rows at
        // 1M entitlements measured 6,795-8,338 -> 8,218-10,644 rows/s with half its updates HOT. Pages
        // written from now on keep the room; existing ones get it as rows move (or with VACUUM FULL).
        await sql`alter table entitlements set (fillfactor = 80)`.execute(db);
      },
    },
    '015_password_change_required': {
      async up(db: AnyDb) {
        // 1 while the user's password is one someone else chose (a manager or admin who created the user
        // or set the password, src/tracker/accounts.ts): the user must choose their own before using the
        // app (src/http/auth.ts). Existing users are not flagged: nothing records who chose their password.
        await db.schema.alterTable('users').addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      },
    },
    '016_customer_name_key': {
      async up(db: AnyDb) {
        // Customers sorted by name came out in byte order on both engines ("adatum" after "Zeta",
        // "Émile" after both), and a name search folded A-Z only on SQLite. Every write now stores the
        // name's key (src/lib nameKey: no accents, lower case), which lists sort and search by. The
        // key is computed in JavaScript, so existing rows are filled here a batch at a time.
        await db.schema.alterTable('customers').addColumn('name_key', 'text', (c) => c.notNull().defaultTo('')).execute();
        for (let after = 0; ; ) {
          const rows = await db.selectFrom('customers').select(['id', 'name']).where('id', '>', after).orderBy('id').limit(2_000).execute();
          if (rows.length === 0) break;
          after = rows[rows.length - 1]!.id;
          const ids = rows.map((r) => r.id);
          const keys = rows.map((r) => nameKey(r.name));
          if (engine === 'postgres') {
            await sql`update customers c set name_key = v.k from unnest(${ids}::integer[], ${keys}::text[]) as v(id, k) where c.id = v.id`.execute(db);
          } else {
            await sql`update customers set name_key = j.value ->> 1 from json_each(${JSON.stringify(ids.map((id, i) => [id, keys[i]]))}) j where customers.id = j.value ->> 0`.execute(db);
          }
        }
        await db.schema.dropIndex('customers_partner_name').execute();
        await db.schema.createIndex('customers_partner_name_key').on('customers').columns(['partner_id', 'name_key']).execute();
        await db.schema.createIndex('customers_name_key').on('customers').columns(['name_key']).execute();
        await sql`analyze customers`.execute(db);
      },
    },
    '017_login_failures': {
      async up(db: AnyDb) {
        // Failed sign-ins and wrong current passwords, one row per key they count against (src/http/
        // login-throttle.ts), so that servers sharing a database share the limits and a restart keeps
        // them. `at` is epoch milliseconds (bigint: past 32 bits). Rows older than the window are
        // deleted as keys are touched and in a periodic sweep by `at`, so the table stays small.
        await db.schema
          .createTable('login_failures')
          .addColumn('key', 'text', (c) => c.notNull())
          .addColumn('at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('login_failures_key_at').on('login_failures').columns(['key', 'at']).execute();
        await db.schema.createIndex('login_failures_at').on('login_failures').column('at').execute();
      },
    },
    '018_code_point_order': {
      async up(db: AnyDb) {
        if (engine !== 'postgres') return;
        // Lists sort text by code point, as SQLite compares it and as the web sorts a list it holds
        // whole (web/src/lib/server-order.ts). PostgreSQL sorts in the database's collation, which is
        // code point order only on a C locale: on an en_US database "alice" came before "Bob", "iPad"
        // before "IT" and "fox-hound" before "fox&hound", so a page asked for by owner or status could
        // differ from the same list on SQLite or in the browser. The columns lists sort by take the C
        // collation: the codes, the customer's name key and the workload's name (none is folded with
        // lower() or matched by a regular expression, which would fold or classify ASCII only). The
        // owner keeps the database's collation, because its filter folds case with lower() and the
        // search document's regular expression reads it; its index (which the counts by owner group
        // along) is built on the C order instead, and the list and the report ask for that order
        // explicitly (SORT_COLUMNS in src/tracker/entitlements.ts, countEntitlements in src/reports).
        await sql`alter table entitlements alter column l1 type text collate "C", alter column l2 type text collate "C"`.execute(db);
        await sql`alter table customers alter column name_key type text collate "C"`.execute(db);
        await sql`alter table workloads alter column name type text collate "C"`.execute(db);
        await sql`drop index entitlements_owner_code`.execute(db);
        await sql`create index entitlements_owner_code on entitlements ((owner collate "C"), l1, partner_id, workload_id)`.execute(db);
        await sql`analyze entitlements`.execute(db);
      },
    },
    '019_search_unicode_words': {
      async up(db: AnyDb) {
        if (engine !== 'postgres') return;
        // The search document (migration 005) splits text with a regular expression and folds it with
        // lower(), both in the database's collation. On a database created with the C or POSIX locale
        // both know ASCII only: "École" was indexed as "cole" and "MÜLLER" kept its Ü, so `q` found no
        // word with a letter outside A-Z there. Such a database builds the document in a collation that
        // knows Unicode, the first one of these the server has that works, and indexes every row again.
        // Anywhere else nothing changes; where none works the limit stays (docs/API.md says so). A
        // database not in UTF-8 (SQL_ASCII, LATIN1) is left alone: it cannot hold these probes, and
        // ICU's collations do not exist for its encoding.
        const encoding = await sql<{ name: string }>`select getdatabaseencoding() as name`.execute(db);
        if (encoding.rows[0]!.name !== 'UTF8') return;
        // Δ rather than Σ: lower() of a final capital sigma depends on the collation (ICU gives ς).
        const works = async (collate: string | null) => {
          const text = (value: string) => (collate === null ? sql`${value}::text` : sql`${value}::text collate ${sql.id(collate)}`);
          const { rows } = await sql<{ ok: boolean }>`select ${text('é')} ~ '^[[:alnum:]]$' and lower(${text('ÉΔ')}) = 'éδ' as ok`.execute(db);
          return rows[0]!.ok;
        };
        if (await works(null)) return;
        const { rows } = await sql<{ name: string }>`select collname as name from pg_catalog.pg_collation
          where collname in ('und-x-icu', 'C.utf8', 'C.UTF-8', 'en_US.utf8', 'en_US.UTF-8') and collencoding in (-1, pg_char_to_encoding('UTF8'))
          order by array_position(array['und-x-icu', 'C.utf8', 'C.UTF-8', 'en_US.utf8', 'en_US.UTF-8']::text[], collname::text)`.execute(db);
        let chosen: string | undefined;
        for (const { name } of rows) {
          if (await works(name)) {
            chosen = name;
            break;
          }
        }
        if (chosen === undefined) return;
        await sql`create or replace function entitlement_search_doc(note text, owner text, customer text) returns tsvector language sql immutable parallel safe as $$
          select to_tsvector('simple', regexp_replace(lower((coalesce(note, '') || ' ' || coalesce(owner, '') || ' ' || coalesce(customer, '')) collate ${sql.id(chosen)}), '[^[:alnum:]]+', ' ', 'g'))
        $$`.execute(db);
        await sql`update entitlement_search s set doc = entitlement_search_doc(e.note, e.owner, c.name)
          from entitlements e join customers c on c.id = e.customer_id where s.entitlement_id = e.id`.execute(db);
        await sql`analyze entitlement_search`.execute(db);
      },
    },
    '020_users_email_code_point': {
      async up(db: AnyDb) {
        if (engine !== 'postgres') return;
        // The users list sorts by email in code point order (src/tracker/accounts.ts), which it asked
        // for with `collate "C"`; the unique index on email was built in the database's collation, so
        // the list read every user and sorted them (26-31 ms at 50,000 users). The column takes the C
        // collation, which rebuilds that index (users_email_key, still unique) in code point order, and
        // the list walks it. Emails are lower-cased in JavaScript before every write and lookup and
        // compared with `=`, which means byte equality in any deterministic collation, so sign-in,
        // lookups and the uniqueness of emails are unchanged; nothing applies lower() or a pattern to them.
        await sql`alter table users alter column email type text collate "C"`.execute(db);
        await sql`analyze users`.execute(db);
      },
    },
    '021_time_to_clear': {
      async up(db: AnyDb) {
        // The forecast's time to clear came from the daily roll-up, which keeps partners but not
        // workloads, so `?workload=` could not narrow it. This roll-up keeps, per partner, workload and
        // code, how many history rows left the code and their days in it (days_in_previous), all time:
        // a few hundred rows. Filled once from the history here, then kept in step with it by the same
        // writes as history_daily (src/tracker/rollup.ts). days_sum is a double: PostgreSQL's `real` is
        // four bytes, exact to 16.7 million days only. Runs again over what an interrupted run left
        // (Kysely's SQLite migrator uses no transaction): the table kept if there, its rows filled afresh.
        await db.schema
          .createTable('time_to_clear')
          .ifNotExists()
          .addColumn('partner_id', 'integer', (c) => c.notNull())
          .addColumn('workload_id', 'integer', (c) => c.notNull())
          .addColumn('from_code', 'text', (c) => c.notNull())
          .addColumn('n', 'integer', (c) => c.notNull())
          .addColumn('days_sum', 'double precision', (c) => c.notNull())
          .addPrimaryKeyConstraint('time_to_clear_pk', ['partner_id', 'workload_id', 'from_code'])
          .execute();
        await db.deleteFrom('time_to_clear').execute();
        await sql`insert into time_to_clear (partner_id, workload_id, from_code, n, days_sum)
          select h.partner_id, e.workload_id, coalesce(h.from_code, ''), count(*), sum(h.days_in_previous)
          from status_history h join entitlements e on e.id = h.entitlement_id
          where h.days_in_previous is not null
          group by h.partner_id, e.workload_id, coalesce(h.from_code, '')`.execute(db);
        if (engine === 'postgres') await sql`analyze time_to_clear`.execute(db);
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
 * MIGRATION_FAILED (details.migration: the one that failed) on failure. `schema` (PostgreSQL) keeps the migration bookkeeping in that schema.
 */
export async function migrateToLatest(db: AnyDb, engine: Engine, schema?: string | null): Promise<string[]> {
  const migrator = new Migrator({ db, provider: createMigrationProvider(engine), ...(engine === 'postgres' && schema ? { migrationTableSchema: schema } : {}) });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error) {
    const message = result.error instanceof Error ? result.error.message : String(result.error);
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName;
    throw new AppError('MIGRATION_FAILED', `Database migration ${failed ?? ''}${failed ? ' ' : ''}failed: ${message}`, failed ? { migration: failed } : undefined);
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
