/**
 * The list's full-text `q` must find words with letters outside A-Z whatever the PostgreSQL database's
 * locale. A database created with the C (or POSIX) locale classifies and folds ASCII only: its regular
 * expressions took "é" for a separator (so "École" was indexed as "cole") and its lower() left "É"
 * as it was, so `q=école` found nothing there while SQLite and a UTF-8 database found the note.
 * Migration 019 builds the search document in a Unicode collation on such a database; rows stored
 * before it (here: written with the search function of migration 005) are indexed again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { Migrator, sql } from 'kysely';
import { createMigrationProvider, migrateToLatest, openDatabase, type Db } from '../../src/db/index.js';
import { SYSTEM_ACTOR, bulkUpdateStatus, createCustomer, createPartner, listEntitlements, updateStatus, type TrackerContext } from '../../src/tracker/index.js';
import { createTestDb, expectSearchInStep, fixedClock, makeTaxonomy } from '../factories.js';
import { runOnServer, urlOf } from '../pg-databases.js';

const C_DATABASE = `qa_search_c_${process.pid}_${randomBytes(3).toString('hex')}`;

type Setup = 'sqlite' | 'postgres' | 'postgres, locale C';

describe.each<Setup>(['sqlite', 'postgres', 'postgres, locale C'])('full-text search of words outside A-Z on %s', (setup) => {
  let db: Db;
  let ctx: TrackerContext;
  const found = async (q: string) => (await listEntitlements(ctx, SYSTEM_ACTOR, { q, sort: 'id' })).items.map((e) => e.customerName);

  beforeAll(async () => {
    const taxonomy = makeTaxonomy();
    if (setup === 'postgres, locale C') {
      await runOnServer(`create database ${C_DATABASE} template template0 encoding 'UTF8' locale 'C'`);
      db = await openDatabase({ url: urlOf(C_DATABASE), poolSize: 2 });
      // The rows of the first customer are written before the migration, as an existing database holds them.
      const migrator = new Migrator({ db: db.kysely, provider: createMigrationProvider('postgres') });
      const before = await migrator.migrateTo('018_code_point_order');
      expect(before.error).toBeUndefined();
      ctx = { db, taxonomy: () => taxonomy, clock: fixedClock(), advisor: {} };
      const partner = await createPartner(ctx, SYSTEM_ACTOR, { name: 'Partenaire' });
      await createCustomer(ctx, SYSTEM_ACTOR, { tenantId: 'ecole-1', name: 'École Quarante', partnerId: partner.id, workloads: ['teams'] });
      await migrateToLatest(db.kysely, 'postgres');
    } else {
      db = await createTestDb(setup);
      ctx = { db, taxonomy: () => taxonomy, clock: fixedClock(), advisor: {} };
      const partner = await createPartner(ctx, SYSTEM_ACTOR, { name: 'Partenaire' });
      await createCustomer(ctx, SYSTEM_ACTOR, { tenantId: 'ecole-1', name: 'École Quarante', partnerId: partner.id, workloads: ['teams'] });
    }
    const partnerId = (await ctx.db.kysely.selectFrom('partners').select('id').executeTakeFirstOrThrow()).id;
    await createCustomer(ctx, SYSTEM_ACTOR, { tenantId: 'muller-2', name: 'Müller Bau', partnerId, workloads: ['teams', 'intune'] });
    await createCustomer(ctx, SYSTEM_ACTOR, { tenantId: 'plain-3', name: 'Plain Corp', partnerId, workloads: ['teams'] });
    const rows = (await listEntitlements(ctx, SYSTEM_ACTOR, { sort: 'id' })).items;
    const plain = rows.find((e) => e.customerName === 'Plain Corp')!;
    await updateStatus(ctx, SYSTEM_ACTOR, plain.id, plain.version, { owner: 'Zoé Δήμου' });
    // A bulk change writes the search entries its own way (src/db/bulk.ts).
    const muller = rows.filter((e) => e.customerName === 'Müller Bau');
    const blocker = { l1: 'Blocked', l2: 'Legal/Regulatory', note: 'Waiting on the Datenschutz review of the Übertragung clause; legal signs off in March.', projectedUnblockDate: '2026-04-30' };
    await bulkUpdateStatus(ctx, SYSTEM_ACTOR, muller.map((e) => ({ id: e.id, version: e.version, ...blocker })));
  });

  afterAll(async () => {
    await db?.close();
    if (setup === 'postgres, locale C') await runOnServer(`drop database if exists ${C_DATABASE}`);
  });

  it('finds a customer name, an owner and a note by a word with accents, in any case', async () => {
    expect(await found('école')).toEqual(['École Quarante']);
    expect(await found('ÉCOLE quar')).toEqual(['École Quarante']);
    expect(await found('müller')).toEqual(['Müller Bau', 'Müller Bau']);
    expect(await found('übertragung')).toEqual(['Müller Bau', 'Müller Bau']);
    expect(await found('Zoé')).toEqual(['Plain Corp']);
    expect(await found('δήμου')).toEqual(['Plain Corp']);
    // Accents are not ignored: "ecole" is another word.
    expect(await found('ecole')).toEqual([]);
  });

  it('keeps every search entry as the search function writes it', async () => {
    await expectSearchInStep(db);
  });
});

describe('migration 019 elsewhere', () => {
  const open = async (name: string, options: string) => {
    await runOnServer(`create database ${name} template template0 ${options}`);
    return openDatabase({ url: urlOf(name), poolSize: 1 });
  };
  const searchFunction = async (db: Db) => (await sql<{ def: string }>`select pg_get_functiondef('entitlement_search_doc'::regproc) as def`.execute(db.kysely)).rows[0]!.def;

  it.each([
    ['SQL_ASCII', "encoding 'SQL_ASCII' locale 'C'"],
    ['LATIN1', "encoding 'LATIN1' locale 'C'"],
    ['ICU en-US', "encoding 'UTF8' locale_provider icu icu_locale 'en-US' locale 'C.UTF-8'"],
  ])('migrates a %s database with rows, and keeps its search function as it was', async (_name, options) => {
    const name = `qa_search_enc_${process.pid}_${randomBytes(3).toString('hex')}`;
    const db = await open(name, options);
    try {
      const migrator = new Migrator({ db: db.kysely, provider: createMigrationProvider('postgres') });
      expect((await migrator.migrateTo('018_code_point_order')).error).toBeUndefined();
      const before = await searchFunction(db);
      const taxonomy = makeTaxonomy();
      const ctx: TrackerContext = { db, taxonomy: () => taxonomy, clock: fixedClock(), advisor: {} };
      const partner = await createPartner(ctx, SYSTEM_ACTOR, { name: 'Encoded' });
      await createCustomer(ctx, SYSTEM_ACTOR, { tenantId: 'enc-1', name: 'Plain Corp', partnerId: partner.id, workloads: ['teams'] });
      expect(await migrateToLatest(db.kysely, 'postgres')).toContain('019_search_unicode_words');
      expect(await searchFunction(db)).toBe(before);
      expect((await listEntitlements(ctx, SYSTEM_ACTOR, { q: 'plain' })).total).toBe(1);
    } finally {
      await db.close();
      await runOnServer(`drop database if exists ${name}`);
    }
  });
});
