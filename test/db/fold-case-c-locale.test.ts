/**
 * The import matches a file's tenant ids and parts to stored ones by keys folded in JavaScript, which
 * must fold as the database's lower() does. PostgreSQL's lower() follows the database's LC_CTYPE: a
 * database created with the C (or POSIX) locale, a common setup on servers and in containers without
 * locales, folds A-Z only, like SQLite. Folding every letter there, as on a UTF-8 database, made an
 * import of a tenant id written exactly as stored ("ÉCOLE-42") miss its customer (422: "customer is
 * required to create the new customer").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { foldCaseOf, migrateToLatest, openDatabase, type Db } from '../../src/db/index.js';
import { SYSTEM_ACTOR, createCustomer, createPartner, importEntitlements, listEntitlements, type TrackerContext } from '../../src/tracker/index.js';
import { createTestDb, fixedClock, makeTaxonomy } from '../factories.js';
import { runOnServer, urlOf } from '../pg-databases.js';

const SAMPLES = ['Contoso-EU', 'ÉCOLE-42', 'École-42', 'ΟΔΟΣ-7', 'Straße', 'ÀÉÎÕÜ', 'ЖУК-9', 'plain'];
const C_DATABASE = `qa_fold_c_${process.pid}_${randomBytes(3).toString('hex')}`;

type Setup = 'sqlite' | 'postgres' | 'postgres, LC_CTYPE C';

async function open(setup: Setup): Promise<Db> {
  if (setup !== 'postgres, LC_CTYPE C') return createTestDb(setup);
  await runOnServer(`create database ${C_DATABASE} template template0 locale 'C'`);
  const db = await openDatabase({ url: urlOf(C_DATABASE), poolSize: 2 });
  await migrateToLatest(db.kysely, 'postgres');
  return db;
}

describe.each<Setup>(['sqlite', 'postgres', 'postgres, LC_CTYPE C'])('case folding on %s', (setup) => {
  let db: Db;
  beforeAll(async () => {
    db = await open(setup);
  });
  afterAll(async () => {
    await db?.close();
    if (setup === 'postgres, LC_CTYPE C') await runOnServer(`drop database if exists ${C_DATABASE}`);
  });

  it("folds as the database's lower() does", async () => {
    for (const text of SAMPLES) {
      const { rows } = await sql<{ l: string }>`select lower(${text}) as l`.execute(db.kysely);
      expect([text, foldCaseOf(db, text)]).toEqual([text, rows[0]!.l]);
    }
  });

  it('lets an import find a tenant id and a part written as stored', async () => {
    const taxonomy = makeTaxonomy();
    const ctx: TrackerContext = { db, taxonomy: () => taxonomy, clock: fixedClock(), advisor: {} };
    const partner = await createPartner(ctx, SYSTEM_ACTOR, { name: 'Fold C' });
    await createCustomer(ctx, SYSTEM_ACTOR, { tenantId: 'ÉCOLE-42', name: 'École Quarante-Deux', partnerId: partner.id, workloads: ['teams'] });
    const created = await importEntitlements(ctx, SYSTEM_ACTOR, [{ line: 2, cells: { tenant_id: 'ÉCOLE-42', workload: 'exchange-online', part: 'ÎLE-DE-FRANCE', owner: 'Zoé' } }], { advise: false });
    expect(created).toMatchObject({ customersCreated: 0, entitlementsCreated: 1 });
    const summary = await importEntitlements(ctx, SYSTEM_ACTOR, [
      { line: 2, cells: { tenant_id: 'ÉCOLE-42', workload: 'teams', owner: 'Anaïs' } },
      { line: 3, cells: { tenant_id: 'ÉCOLE-42', workload: 'exchange-online', part: 'ÎLE-DE-FRANCE', owner: 'Élodie' } },
    ], { advise: false });
    expect(summary).toMatchObject({ customersCreated: 0, entitlementsCreated: 0, entitlementsUpdated: 2 });
    const rows = (await listEntitlements(ctx, SYSTEM_ACTOR, { sort: 'id' })).items.map((e) => [e.tenantId, e.workload, e.part, e.owner]);
    expect(rows).toEqual([
      ['ÉCOLE-42', 'teams', '', 'Anaïs'],
      ['ÉCOLE-42', 'exchange-online', 'ÎLE-DE-FRANCE', 'Élodie'],
    ]);
  });
});
