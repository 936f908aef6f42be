/**
 * The CSV import's `version` cell holds a version number: a whole number from 1 to 2,147,483,647
 * (PostgreSQL's `integer`; the JSON API answers a larger one 400 VALIDATION_FAILED). A cell out of
 * that range is answered as what it is, a number that cannot be a version, once, and never as an
 * entitlement that "changed since version 99999999999": no entitlement ever had that version, so
 * telling the user to export again sends them the wrong way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/index.js';
import { SYSTEM_ACTOR, createCustomer, createPartner, createUser, importEntitlements, listEntitlements, type Actor, type ImportRecord, type TrackerContext } from '../../src/tracker/index.js';
import { createTestDb, ENGINES, expectCode, fixedClock, makeTaxonomy } from '../factories.js';

type Rows = { rows: { line: number; errors: { field: string; message: string }[] }[] };

/** The row error the import gives a version cell that is no version number. */
const notAVersion = (cell: string) => `must be a version number: a whole number from 1 to 2147483647, got "${cell}"`;

describe.each(ENGINES)('CSV import version cells out of range on %s', (engine) => {
  let db: Db;
  let ctx: TrackerContext;
  let editor: Actor;
  let line = 1;
  const rows = (...cells: ImportRecord['cells'][]): ImportRecord[] => cells.map((c) => ({ line: ++line, cells: c }));
  const snapshot = async () => ({
    entitlements: await db.kysely.selectFrom('entitlements').selectAll().orderBy('id').execute(),
    history: await db.kysely.selectFrom('status_history').selectAll().orderBy('id').execute(),
  });
  /** The row errors of the import of `file`, which must be refused (CSV_INVALID), as `field: message`. */
  const refusal = async (file: ImportRecord[]) => {
    const err = await expectCode(importEntitlements(ctx, editor, file, { advise: false }), 'CSV_INVALID');
    return (err.details as Rows).rows.map((r) => ({ line: r.line, errors: r.errors.map((e) => `${e.field}: ${e.message}`) }));
  };

  beforeAll(async () => {
    db = await createTestDb(engine);
    const taxonomy = makeTaxonomy();
    ctx = { db, taxonomy: () => taxonomy, clock: fixedClock(), advisor: {} };
    const partner = await createPartner(ctx, SYSTEM_ACTOR, { name: 'Range Partner' });
    const u = await createUser(ctx, SYSTEM_ACTOR, { email: 'ed@range.test', name: 'ed', role: 'editor', partnerId: partner.id });
    editor = { userId: u.id, name: u.name, role: 'editor', partnerId: partner.id };
    await createCustomer(ctx, SYSTEM_ACTOR, { tenantId: 'range-1', name: 'Range Co', partnerId: partner.id, workloads: ['teams', 'intune'] });
  });
  afterAll(async () => db?.close());

  it('answers a version over 2,147,483,647 as no version number, not as a changed entitlement, and writes nothing', async () => {
    const state = await snapshot();
    const file = rows(
      { tenant_id: 'range-1', workload: 'teams', owner: 'Maya', version: '99999999999' },
      { tenant_id: 'range-1', workload: 'intune', owner: 'Maya', version: '2147483648' },
    );
    expect(await refusal(file)).toEqual([
      { line: file[0]!.line, errors: [`version: ${notAVersion('99999999999')}`] },
      { line: file[1]!.line, errors: [`version: ${notAVersion('2147483648')}`] },
    ]);
    expect(await snapshot()).toEqual(state);
  });

  it('still answers the largest version, 2,147,483,647, as a version the entitlement has moved on from', async () => {
    const [teams] = (await listEntitlements(ctx, editor, { sort: 'id' })).items.filter((e) => e.workload === 'teams');
    const file = rows({ tenant_id: 'range-1', workload: 'teams', owner: 'Maya', version: '2147483647' });
    expect(await refusal(file)).toEqual([
      { line: file[0]!.line, errors: [`version: entitlement changed since version 2147483647 (now ${teams!.version}); export it again to see the change, or empty the version cell to overwrite it`] },
    ]);
  });

  it('answers an out-of-range version once, beside the row\'s other errors', async () => {
    const file = rows({ tenant_id: 'range-1', workload: 'teams', target_date: '2026-02-30', version: '99999999999' });
    const [row] = await refusal(file);
    expect(row!.errors.filter((e) => e.startsWith('version:'))).toEqual([`version: ${notAVersion('99999999999')}`]);
    expect(row!.errors.some((e) => e.startsWith('target_date:'))).toBe(true);
  });
  it('reads a version cell as decimal digits only, as ids and versions are read everywhere else', async () => {
    const state = await snapshot();
    const file = rows(
      { tenant_id: 'range-1', workload: 'teams', owner: 'Maya', version: '0x1' },
      { tenant_id: 'range-1', workload: 'intune', owner: 'Maya', version: '1e0' },
    );
    expect(await refusal(file)).toEqual([
      { line: file[0]!.line, errors: [`version: ${notAVersion('0x1')}`] },
      { line: file[1]!.line, errors: [`version: ${notAVersion('1e0')}`] },
    ]);
    expect(await snapshot()).toEqual(state);
  });
});
