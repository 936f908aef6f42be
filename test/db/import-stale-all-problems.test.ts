/**
 * A row whose `version` cell is stale (the entitlement changed since the export) and that would
 * change something is refused for that, and one run names the row's other problems beside it: the
 * playbook rules the row breaks as it would be applied, an unknown status, and the whole-customer
 * Duplicate/Invalid rule. Before, the stale version was the only problem named, and the others
 * came one import later, once the version cell had been emptied.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/index.js';
import {
  SYSTEM_ACTOR, createCustomer, createPartner, createUser, importEntitlements, listEntitlements, updateStatus,
  type Actor, type ImportRecord, type TrackerContext,
} from '../../src/tracker/index.js';
import { createTestDb, ENGINES, expectCode, fixedClock, makeTaxonomy } from '../factories.js';

type Rows = { rows: { line: number; errors: { field: string; message: string; code?: string }[] }[]; rowsWithErrors: number; truncated: boolean };

const stale = (file: number, now: number) =>
  `version: entitlement changed since version ${file} (now ${now}); export it again to see the change, or empty the version cell to overwrite it`;

describe.each(ENGINES)('CSV import: a stale version beside the row\'s other problems on %s', (engine) => {
  let db: Db;
  let ctx: TrackerContext;
  let editor: Actor;
  let line = 1;
  const rows = (...cells: ImportRecord['cells'][]): ImportRecord[] => cells.map((c) => ({ line: ++line, cells: c }));
  const snapshot = async () => ({
    entitlements: await db.kysely.selectFrom('entitlements').selectAll().orderBy('id').execute(),
    history: await db.kysely.selectFrom('status_history').selectAll().orderBy('id').execute(),
  });
  const refusal = async (file: ImportRecord[]) => {
    const err = await expectCode(importEntitlements(ctx, editor, file, { advise: false }), 'CSV_INVALID');
    return (err.details as Rows).rows.map((r) => ({ line: r.line, errors: r.errors.map((e) => `${e.field}: ${e.message}`) }));
  };
  /** The entitlement of tenant `tenantId` and `workload`, as listed now. */
  const entitlement = async (tenantId: string, workload: string) =>
    (await listEntitlements(ctx, editor, { sort: 'id' })).items.find((e) => e.tenantId === tenantId && e.workload === workload)!;
  /** Moves the entitlement on by one version through an ordinary status change; answers the version read before. */
  const changeElsewhere = async (tenantId: string, workload: string, owner: string) => {
    const e = await entitlement(tenantId, workload);
    await updateStatus(ctx, editor, e.id, e.version, { owner });
    return e.version;
  };

  beforeAll(async () => {
    db = await createTestDb(engine);
    const taxonomy = makeTaxonomy();
    ctx = { db, taxonomy: () => taxonomy, clock: fixedClock(), advisor: {} };
    const partner = await createPartner(ctx, SYSTEM_ACTOR, { name: 'Stale Partner' });
    const u = await createUser(ctx, SYSTEM_ACTOR, { email: 'ed@stale.test', name: 'ed', role: 'editor', partnerId: partner.id });
    editor = { userId: u.id, name: u.name, role: 'editor', partnerId: partner.id };
    await createCustomer(ctx, SYSTEM_ACTOR, { tenantId: 'stale-1', name: 'Stale Co', partnerId: partner.id, workloads: ['teams', 'intune'] });
    await createCustomer(ctx, SYSTEM_ACTOR, { tenantId: 'stale-2', name: 'Second Co', partnerId: partner.id, workloads: ['teams', 'intune'] });
  });
  afterAll(async () => db?.close());

  it('names the stale version and the rule a Blocked row with a short note breaks, in one run, and writes nothing', async () => {
    const read = await changeElsewhere('stale-1', 'teams', 'Someone Else');
    const now = read + 1;
    const state = await snapshot();
    const file = rows(
      { tenant_id: 'stale-1', workload: 'intune', owner: 'Good Row' },
      { tenant_id: 'stale-1', workload: 'teams', l1: 'Blocked', l2: 'App Compatibility', note: 'short', version: String(read) },
    );
    const found = await refusal(file);
    expect(found).toHaveLength(1);
    expect(found[0]!.line).toBe(file[1]!.line);
    expect(found[0]!.errors[0]).toBe(stale(read, now));
    expect(found[0]!.errors.slice(1)).toEqual(expect.arrayContaining([expect.stringMatching(/^note: Blocked needs a note that explains the blocker/)]));
    // The same problems as the row gives with its version cell emptied, plus the version.
    const { version: _version, ...withoutVersion } = file[1]!.cells;
    const [unversioned] = await refusal(rows(withoutVersion));
    expect(found[0]!.errors.slice(1)).toEqual(unversioned!.errors);
    expect(await snapshot()).toEqual(state);
  });

  it('names the stale version beside every rule broken by a status given as a code', async () => {
    const read = await changeElsewhere('stale-1', 'intune', 'Another One');
    const file = rows({ tenant_id: 'stale-1', workload: 'intune', code: 'in-progress/migration', note: 'short', version: String(read) });
    const [row] = await refusal(file);
    expect(row!.errors[0]).toBe(stale(read, read + 1));
    expect(row!.errors).toEqual(expect.arrayContaining([expect.stringMatching(/^target_date: In Progress needs a target date/)]));
  });

  it('names the stale version beside a status that cannot be read', async () => {
    const e = await entitlement('stale-1', 'teams');
    const file = rows({ tenant_id: 'stale-1', workload: 'teams', code: 'nope', version: String(e.version - 1) });
    const [row] = await refusal(file);
    expect(row!.errors).toEqual([stale(e.version - 1, e.version), expect.stringMatching(/^code: Unknown status code "nope"/)]);
  });

  it('judges the whole-customer Duplicate/Invalid rule with the stale row as it would be applied', async () => {
    const read = await changeElsewhere('stale-2', 'teams', 'Moved On');
    const intune = await entitlement('stale-2', 'intune');
    const file = rows(
      { tenant_id: 'stale-2', workload: 'teams', code: 'duplicate-invalid', note: 'Same tenant as Stale Co, registered twice.', version: String(read) },
      { tenant_id: 'stale-2', workload: 'intune', code: 'duplicate-invalid', note: 'Same tenant as Stale Co, registered twice.', version: String(intune.version) },
    );
    const found = await refusal(file);
    // The stale row is named for its version only: both entitlements of the customer are in the file,
    // so the fresh row is not told that another entitlement of the tenant is left out.
    expect(found).toEqual([{ line: file[0]!.line, errors: [stale(read, read + 1)] }]);
  });

  it('still counts a stale row that changes nothing as unchanged', async () => {
    const e = await entitlement('stale-1', 'teams');
    const summary = await importEntitlements(ctx, editor, rows({ tenant_id: 'stale-1', workload: 'teams', owner: e.owner ?? '', version: String(e.version - 1) }), { advise: false });
    expect(summary).toMatchObject({ entitlementsUpdated: 0, unchanged: 1 });
  });
});
