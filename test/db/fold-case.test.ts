/**
 * foldCase builds in JavaScript the keys SQL compares with lower(): the import matches the tenant ids
 * and parts of a file to stored ones by them, so the two must agree on every engine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { foldCase, type Db } from '../../src/db/index.js';
import { SYSTEM_ACTOR, createCustomer, createPartner, importEntitlements, listEntitlements, type TrackerContext } from '../../src/tracker/index.js';
import { createTestDb, ENGINES, fixedClock, makeTaxonomy } from '../factories.js';

const SAMPLES = ['Contoso-EU', 'ÉCOLE-42', 'ΟΔΟΣ-7', 'ΟΔΟΣ ΣΑΣ', 'İSTANBUL-1', 'Straße', 'ǅemal', 'ÀÉÎÕÜ', 'ЖУК-9', 'plain'];

describe.each(ENGINES)('foldCase on %s', (engine) => {
  let db: Db;
  beforeAll(async () => {
    db = await createTestDb(engine);
  });
  afterAll(async () => db?.close());

  it("agrees with the engine's lower()", async () => {
    for (const text of SAMPLES) {
      const { rows } = await sql<{ l: string }>`select lower(${text}) as l`.execute(db.kysely);
      expect([text, foldCase(engine, text)]).toEqual([text, rows[0]!.l]);
    }
  });

  it('lets an import find a tenant id written as stored, whatever its letters', async () => {
    const taxonomy = makeTaxonomy();
    const ctx: TrackerContext = { db, taxonomy: () => taxonomy, clock: fixedClock(), advisor: {} };
    const partner = await createPartner(ctx, SYSTEM_ACTOR, { name: 'Fold' });
    for (const tenantId of ['ΟΔΟΣ-7', 'İSTANBUL-1']) await createCustomer(ctx, SYSTEM_ACTOR, { tenantId, name: `Customer ${tenantId}`, partnerId: partner.id, workloads: ['teams'] });
    const summary = await importEntitlements(ctx, SYSTEM_ACTOR, [
      { line: 2, cells: { tenant_id: 'ΟΔΟΣ-7', workload: 'teams', owner: 'Eleni' } },
      { line: 3, cells: { tenant_id: 'İSTANBUL-1', workload: 'teams', owner: 'Deniz' } },
    ], { advise: false });
    expect(summary).toMatchObject({ customersCreated: 0, entitlementsCreated: 0, entitlementsUpdated: 2 });
    const owners = (await listEntitlements(ctx, SYSTEM_ACTOR, { sort: 'id' })).items.map((e) => [e.tenantId, e.owner]);
    expect(owners).toEqual([['ΟΔΟΣ-7', 'Eleni'], ['İSTANBUL-1', 'Deniz']]);
  });
});
