import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/index.js';
import {
  SYSTEM_ACTOR, createCustomer, createPartner, createUser, importEntitlements, listEntitlements, listHistory, rebuildRollup, updateCustomer, updateStatus,
  type Actor, type ImportRecord, type TrackerContext,
} from '../../src/tracker/index.js';
import { WORKLOAD_CATALOGUE } from '../../src/db/index.js';
import { createTestDb, ENGINES, fixedClock, makeTaxonomy, expectCode, expectSearchInStep } from '../factories.js';

const NOTE = 'Usage is at forty percent of seats; the champions programme starts next month.';
const BLOCKER = 'Their outbound proxy drops the sign-in redirect; the network team has to add an exception first.';

let line = 1;
const rows = (...cells: ImportRecord['cells'][]): ImportRecord[] => cells.map((c) => ({ line: ++line, cells: c }));

describe.each(ENGINES)('CSV import (tracker) on %s', (engine) => {
  let db: Db;
  let ctx: TrackerContext;
  let editor: Actor;
  let manager: Actor;
  let otherEditor: Actor;
  /** Set by a test to run inside the advisor, after the import has planned and before it writes. */
  let duringAdvice: (() => Promise<void>) | null = null;
  const clock = fixedClock();

  const snapshot = async () => ({
    entitlements: await db.kysely.selectFrom('entitlements').selectAll().orderBy('id').execute(),
    history: await db.kysely.selectFrom('status_history').selectAll().orderBy('id').execute(),
    rollup: await db.kysely.selectFrom('history_daily').selectAll().orderBy('day').orderBy('partner_id').orderBy('from_code').orderBy('to_code').orderBy('grade').execute(),
  });

  beforeAll(async () => {
    db = await createTestDb(engine);
    const taxonomy = makeTaxonomy();
    ctx = {
      db,
      taxonomy: () => taxonomy,
      clock,
      advisor: {
        grade: async () => {
          if (duringAdvice) {
            const run = duringAdvice;
            duringAdvice = null;
            await run();
          }
          return { grade: 'B', score: 0.8, findings: [] };
        },
        suggest: (note) => (/proxy/i.test(note) ? { code: 'blocked/customer-it-infrastructure-and-remediation', l1: 'Blocked', l2: 'Customer IT Infrastructure and Remediation', confidence: 0.9, abstained: false } : null),
      },
    };
    const north = await createPartner(ctx, SYSTEM_ACTOR, { name: 'North' });
    const south = await createPartner(ctx, SYSTEM_ACTOR, { name: 'South' });
    const mk = async (email: string, role: 'editor' | 'manager', partnerId: number): Promise<Actor> => {
      const u = await createUser(ctx, SYSTEM_ACTOR, { email, name: email.split('@')[0]!, role, partnerId });
      return { userId: u.id, name: u.name, role, partnerId };
    };
    editor = await mk('ed@north.test', 'editor', north.id);
    manager = await mk('mgr@north.test', 'manager', north.id);
    otherEditor = await mk('ed@south.test', 'editor', south.id);
    await createCustomer(ctx, SYSTEM_ACTOR, { tenantId: 'tn-1', name: 'Alder', partnerId: north.id, workloads: ['teams', 'intune', 'exchange-online'] });
    await createCustomer(ctx, SYSTEM_ACTOR, { tenantId: 'tn-2', name: 'Birch', partnerId: north.id, workloads: ['teams', 'intune'] });
    await createCustomer(ctx, SYSTEM_ACTOR, { tenantId: 'ts-1', name: 'Cedar', partnerId: south.id, workloads: ['teams'] });
  });
  afterAll(async () => db?.close());

  it('writes complete history rows, only what changed, and keeps the roll-up exact', async () => {
    const before = (await listEntitlements(ctx, editor, { customerId: undefined, sort: 'id' })).items;
    const teams = before.find((e) => e.tenantId === 'tn-1' && e.workload === 'teams')!;
    const intune = before.find((e) => e.tenantId === 'tn-1' && e.workload === 'intune')!;
    const summary = await importEntitlements(ctx, editor, rows(
      { tenant_id: 'tn-1', workload: 'teams', code: 'in-progress/solution-or-user-adoption', note: NOTE, target_date: '2026-09-30', version: String(teams.version) },
      { tenant_id: 'tn-1', workload: 'intune', owner: 'Maya' },
      { tenant_id: 'tn-1', workload: 'exchange-online' },
    ), { advise: false });
    expect(summary).toEqual({ rows: 3, customersCreated: 0, entitlementsCreated: 0, entitlementsUpdated: 2, unchanged: 1, warnings: [], warningCount: 0, dryRun: false });

    const after = (await listEntitlements(ctx, editor, { sort: 'id' })).items;
    const teamsAfter = after.find((e) => e.id === teams.id)!;
    expect(teamsAfter).toMatchObject({ code: 'in-progress/solution-or-user-adoption', note: NOTE, targetDate: '2026-09-30', version: teams.version + 1, since: clock.now().toISOString(), updatedBy: editor.userId });
    const intuneAfter = after.find((e) => e.id === intune.id)!;
    // Only the owner changed: the code and the time in status stay.
    expect(intuneAfter).toMatchObject({ code: intune.code, owner: 'Maya', since: intune.since, version: intune.version + 1 });

    const history = await listHistory(ctx, editor, teams.id);
    expect(history.map((h) => h.kind)).toEqual(['create', 'import']);
    const h = history[1]!;
    expect(h).toMatchObject({ changedBy: editor.userId, changedByName: editor.name, changedAt: clock.now().toISOString(), fromCode: teams.code, toCode: 'in-progress/solution-or-user-adoption', daysInPrevious: 0, noteGrade: null, suggestion: null });
    expect(h.before).toMatchObject({ code: teams.code, note: '' });
    expect(h.after).toMatchObject({ code: 'in-progress/solution-or-user-adoption', note: NOTE, targetDate: '2026-09-30' });
    expect((await listHistory(ctx, editor, intune.id))[1]).toMatchObject({ kind: 'import', fromCode: intune.code, toCode: intune.code, daysInPrevious: null });

    const { rollup } = await snapshot();
    await rebuildRollup(db.kysely);
    expect((await snapshot()).rollup).toEqual(rollup);
  });

  it('keeps the search index in step with imported notes and owners, in any row order', async () => {
    const search = async (q: string) => (await listEntitlements(ctx, editor, { q, sort: 'id' })).items.map((e) => e.id);
    const mine = (await listEntitlements(ctx, editor, { sort: 'id' })).items.filter((e) => e.tenantId.startsWith('tn-'));
    const [first, second] = [mine[0]!, mine[1]!];
    await importEntitlements(ctx, editor, rows(
      { tenant_id: first.tenantId, workload: first.workload, note: 'Waiting on the zeppelin licence transfer before the pilot.', owner: 'Quentin Marsh' },
      { tenant_id: second.tenantId, workload: second.workload, note: 'Waiting on the zeppelin licence transfer too.' },
    ), { advise: false });
    expect(await search('zeppelin licence')).toEqual([first.id, second.id]);
    expect(await search('quentin')).toEqual([first.id]);
    // The later entitlement first in the file: the search writes must not depend on file order.
    await importEntitlements(ctx, editor, rows(
      { tenant_id: second.tenantId, workload: second.workload, note: 'Gondola rollout planned for the spring wave.', owner: 'Rita Vale' },
      { tenant_id: first.tenantId, workload: first.workload, note: 'Gondola rollout planned after the audit.' },
    ), { advise: false });
    expect(await search('zeppelin')).toEqual([]);
    expect(await search('quentin')).toEqual([first.id]);
    expect(await search('gondola rollout')).toEqual([first.id, second.id]);
    expect(await search('rita vale')).toEqual([second.id]);
    // Single updates go through the trigger again once the import has committed.
    const current = (await listEntitlements(ctx, editor, { sort: 'id' })).items.find((e) => e.id === second.id)!;
    await updateStatus(ctx, editor, second.id, current.version, { note: 'Hovercraft pilot moved to June.' });
    expect(await search('hovercraft')).toEqual([second.id]);
    expect(await search('gondola')).toEqual([first.id]);
    const customer = (await listEntitlements(ctx, editor, { sort: 'id' })).items.find((e) => e.id === first.id)!.customerName;
    expect(await search(customer)).toContain(first.id);
    // A renamed customer: the import's search entries carry the stored name, not one read before.
    await updateCustomer(ctx, SYSTEM_ACTOR, first.customerId, { name: 'Zebrafish Holdings' });
    await importEntitlements(ctx, editor, rows({ tenant_id: first.tenantId, workload: first.workload, note: 'Kayak training booked for the service desk.' }), { advise: false });
    expect(await search('zebrafish kayak')).toEqual([first.id]);
    expect(await search(`${customer} kayak`)).toEqual([]);
    await expectSearchInStep(db);
    const { rollup } = await snapshot();
    await rebuildRollup(db.kysely);
    expect((await snapshot()).rollup).toEqual(rollup);
  });

  it('rejects a stale version in the file and writes nothing', async () => {
    const state = await snapshot();
    const err = await expectCode(importEntitlements(ctx, editor, rows(
      { tenant_id: 'tn-2', workload: 'teams', owner: 'Tom' },
      { tenant_id: 'tn-1', workload: 'teams', owner: 'Tom', version: '1' },
    )), 'CSV_INVALID');
    const problems = (err.details as { rows: { line: number; errors: { field: string; message: string }[] }[] }).rows;
    expect(problems.map((r) => r.errors[0]!.field)).toEqual(['version']);
    expect(problems[0]!.errors[0]!.message).toMatch(/export it again/);
    expect(await snapshot()).toEqual(state);
  });

  it('counts a row with a stale version as unchanged when it matches what is stored (the same file imported twice)', async () => {
    const [intune] = (await listEntitlements(ctx, editor, { sort: 'id' })).items.filter((e) => e.tenantId === 'tn-1' && e.workload === 'intune');
    const file = () => rows({ tenant_id: 'tn-1', workload: 'intune', owner: 'Twice Tom', version: String(intune!.version) });
    expect((await importEntitlements(ctx, editor, file(), { advise: false })).entitlementsUpdated).toBe(1);
    const state = await snapshot();
    expect(await importEntitlements(ctx, editor, file(), { advise: false })).toMatchObject({ entitlementsUpdated: 0, unchanged: 1 });
    expect(await snapshot()).toEqual(state);
    // Stale and different is still refused.
    const changed = await expectCode(importEntitlements(ctx, editor, rows({ tenant_id: 'tn-1', workload: 'intune', owner: 'Other Olga', version: String(intune!.version) })), 'CSV_INVALID');
    expect(JSON.stringify(changed.details)).toMatch(/changed since version/);
    expect(await snapshot()).toEqual(state);
  });

  it('answers VERSION_CONFLICT and writes nothing when an entitlement changes while importing', async () => {
    const target = (await listEntitlements(ctx, editor, { sort: 'id' })).items.find((e) => e.tenantId === 'tn-2' && e.workload === 'intune')!;
    duringAdvice = async () => {
      await db.kysely.updateTable('entitlements').set({ version: target.version + 1 }).where('id', '=', target.id).execute();
    };
    const state = await snapshot();
    const file = rows(
      { tenant_id: 'tn-2', workload: 'teams', note: 'Pilot group of forty users is live on the new client.' },
      { tenant_id: 'tn-2', workload: 'intune', note: 'Enrolment of the first hundred devices is planned for May.', version: String(target.version) },
    );
    const err = await expectCode(importEntitlements(ctx, editor, file), 'VERSION_CONFLICT');
    // The error names the row that conflicts: its line, the entitlement, the version the file carried and the one stored now.
    expect(err.message).toMatch(/^1 of 2 row\(s\)/);
    expect(err.details).toEqual({
      rows: [{ line: file[1]!.line, id: target.id, fileVersion: target.version, readVersion: target.version, currentVersion: target.version + 1 }],
      conflictingRows: 1,
      truncated: false,
    });
    const now = await snapshot();
    expect(now.history).toEqual(state.history);
    expect(now.rollup).toEqual(state.rollup);
    expect(now.entitlements.map((e) => ({ ...e, version: e.id === target.id ? e.version - 1 : e.version }))).toEqual(state.entitlements);
  });

  it('grades notes and stores the suggestion with advise on', async () => {
    const e = (await listEntitlements(ctx, editor, { sort: 'id' })).items.find((x) => x.tenantId === 'tn-2' && x.workload === 'teams')!;
    const file = rows(
      { tenant_id: 'tn-2', workload: 'teams', code: 'blocked/app-compatibility', note: BLOCKER, projected_unblock_date: '2026-05-01' },
      { tenant_id: 'tn-2', workload: 'intune', owner: 'Kit' },
    );
    const summary = await importEntitlements(ctx, editor, file);
    // The classifier reads the proxy note as another code: the row's line is named; the owner-only row is not advised.
    expect(summary.warningCount).toBe(1);
    expect(summary.warnings).toEqual([{ line: file[0]!.line, code: 'NOTE_READS_AS_OTHER_CODE', message: expect.stringContaining('Customer IT Infrastructure and Remediation') }]);
    const h = (await listHistory(ctx, editor, e.id)).at(-1)!;
    expect(h).toMatchObject({ kind: 'import', noteGrade: 'B', noteScore: 0.8 });
    expect(h.suggestion?.code).toBe('blocked/customer-it-infrastructure-and-remediation');
    const stored = await db.kysely.selectFrom('entitlements').select(['note_grade']).where('id', '=', e.id).executeTakeFirstOrThrow();
    expect(stored.note_grade).toBe('B');
  });

  it('keeps the stored grade when a row leaves the note and code alone, with advise on and off', async () => {
    const e = (await listEntitlements(ctx, editor, { sort: 'id' })).items.find((x) => x.tenantId === 'tn-2' && x.workload === 'teams')!;
    expect(e.noteGrade).toBe('B');
    for (const advise of [false, true]) {
      await importEntitlements(ctx, editor, rows({ tenant_id: 'tn-2', workload: 'teams', next_action: `Chase the network team (${advise})` }), { advise });
      const stored = await db.kysely.selectFrom('entitlements').select(['note_grade', 'next_action']).where('id', '=', e.id).executeTakeFirstOrThrow();
      expect(stored).toEqual({ note_grade: 'B', next_action: `Chase the network team (${advise})` });
      expect((await listHistory(ctx, editor, e.id)).at(-1)).toMatchObject({ kind: 'import', noteGrade: 'B' });
    }
    // A new note is graded again; without advice it has no grade.
    await importEntitlements(ctx, editor, rows({ tenant_id: 'tn-2', workload: 'teams', note: `${BLOCKER} Exception requested on Monday.` }), { advise: false });
    const after = await db.kysely.selectFrom('entitlements').select(['note_grade']).where('id', '=', e.id).executeTakeFirstOrThrow();
    expect(after.note_grade).toBeNull();
    expect((await listHistory(ctx, editor, e.id)).at(-1)).toMatchObject({ kind: 'import', noteGrade: null });
    await expectSearchInStep(db);
  });

  it('checks the rules per row and Duplicate/Invalid over the whole customer', async () => {
    const state = await snapshot();
    const err = await expectCode(importEntitlements(ctx, editor, rows(
      { tenant_id: 'tn-1', workload: 'teams', code: 'duplicate-invalid' },
      { tenant_id: 'tn-1', workload: 'intune', code: 'blocked/app-compatibility', note: 'short' },
    )), 'CSV_INVALID');
    const details = err.details as { rows: { line: number; errors: { field: string; message: string }[] }[] };
    expect(details.rows).toHaveLength(2);
    expect(details.rows[0]!.errors[0]!.message).toMatch(/every entitlement of tenant "tn-1"/);
    // Every error names the column by its CSV name, also those the status rules find.
    expect(details.rows[1]!.errors.map((x) => x.field).sort()).toEqual(['note', 'projected_unblock_date']);
    expect(await snapshot()).toEqual(state);

    await importEntitlements(ctx, editor, rows(
      { tenant_id: 'tn-1', workload: 'teams', code: 'duplicate-invalid', note: 'Same tenant as Alder Foods.' },
      { tenant_id: 'tn-1', workload: 'intune', code: 'duplicate-invalid', note: 'Same tenant as Alder Foods.' },
      { tenant_id: 'tn-1', workload: 'exchange-online', code: 'duplicate-invalid', note: 'Same tenant as Alder Foods.' },
    ), { advise: false });
    const codes = (await listEntitlements(ctx, editor, { sort: 'id' })).items.filter((e) => e.tenantId === 'tn-1').map((e) => e.code);
    expect(codes).toEqual(['duplicate-invalid', 'duplicate-invalid', 'duplicate-invalid']);
  });

  it('keeps partners apart and needs a manager to create', async () => {
    const state = await snapshot();
    // Another partner's tenant reads to an editor as any tenant they do not have, and names no partner.
    const foreign = await expectCode(importEntitlements(ctx, otherEditor, rows({ tenant_id: 'tn-2', workload: 'teams', owner: 'Eve' })), 'CSV_INVALID');
    const unknown = await expectCode(importEntitlements(ctx, otherEditor, rows({ tenant_id: 'tn-nowhere', workload: 'teams', owner: 'Eve' })), 'CSV_INVALID');
    expect(JSON.stringify(foreign.details)).not.toMatch(/partner|Birch|North/i);
    const errorsOf = (e: { details: unknown }, tenant: string) => JSON.stringify((e.details as { rows: { errors: unknown[] }[] }).rows[0]!.errors).replaceAll(tenant, 'T');
    expect(errorsOf(foreign, 'tn-2')).toBe(errorsOf(unknown, 'tn-nowhere'));
    const create = await expectCode(importEntitlements(ctx, editor, rows({ tenant_id: 'tn-2', workload: 'sharepoint-online' })), 'CSV_INVALID');
    expect(JSON.stringify(create.details)).toMatch(/manager/);
    expect(await snapshot()).toEqual(state);

    const summary = await importEntitlements(ctx, manager, rows(
      { tenant_id: 'tn-2', workload: 'sharepoint-online', owner: 'Ana' },
      { tenant_id: 'tn-9', customer: 'Dogwood', workload: 'teams', code: 'in-progress/migration', note: NOTE, target_date: '2026-10-01' },
    ), { advise: false });
    expect(summary).toEqual({ rows: 2, customersCreated: 1, entitlementsCreated: 2, entitlementsUpdated: 0, unchanged: 0, warnings: [], warningCount: 0, dryRun: false });
    const created = (await listEntitlements(ctx, manager, { q: 'Dogwood' })).items;
    expect(created.map((e) => [e.code, e.version])).toEqual([['in-progress/migration', 2]]);
    expect((await listHistory(ctx, manager, created[0]!.id)).map((h) => [h.kind, h.fromCode, h.toCode])).toEqual([
      ['create', null, 'status-unknown/new-subscription-or-workload'],
      ['import', 'status-unknown/new-subscription-or-workload', 'in-progress/migration'],
    ]);
    const { rollup } = await snapshot();
    await rebuildRollup(db.kysely);
    expect((await snapshot()).rollup).toEqual(rollup);
  });

  it('stores an entitlement it creates with a status as creating it and then changing its status would', async () => {
    const status = { code: 'blocked/customer-it-infrastructure-and-remediation', note: BLOCKER, projectedUnblockDate: '2026-05-01', owner: 'Ana' };
    // The same entitlement made the long way: created in the starting status, then changed.
    const byHand = await createCustomer(ctx, manager, { tenantId: 'tn-hand', name: 'Hazel', workloads: ['teams'] });
    const [handRow] = (await listEntitlements(ctx, manager, { customerId: byHand.id })).items;
    await updateStatus(ctx, manager, handRow!.id, handRow!.version, status);
    // And by an import row that creates the customer and sets the status (advice on, as by default).
    const summary = await importEntitlements(ctx, manager, rows({
      tenant_id: 'tn-file', customer: 'Hazel', workload: 'teams', code: status.code, note: status.note, projected_unblock_date: status.projectedUnblockDate, owner: status.owner,
    }));
    expect(summary).toMatchObject({ customersCreated: 1, entitlementsCreated: 1, entitlementsUpdated: 0, unchanged: 0 });
    const [fileRow] = (await listEntitlements(ctx, manager, { q: 'tn-file' })).items;

    const stored = async (id: number) => {
      const { id: _id, customer_id: _customer, ...row } = await db.kysely.selectFrom('entitlements').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      const history = (await db.kysely.selectFrom('status_history').selectAll().where('entitlement_id', '=', id).orderBy('id').execute()).map(({ id: _h, entitlement_id: _e, kind, ...h }) => ({ ...h, kind: kind === 'import' ? 'update' : kind }));
      return { row, history };
    };
    const hand = await stored(handRow!.id);
    const file = await stored(fileRow!.id);
    expect(file.row).toMatchObject({ version: 2, l1: 'Blocked', note_grade: 'B' });
    expect(file.history.map((h) => [h.kind, h.from_code, h.to_code, h.suggested_code])).toEqual([
      ['create', null, 'status-unknown/new-subscription-or-workload', null],
      ['update', 'status-unknown/new-subscription-or-workload', status.code, 'blocked/customer-it-infrastructure-and-remediation'],
    ]);
    expect(file).toEqual(hand);
    // Found by the words of its note, as any stored note is.
    expect((await listEntitlements(ctx, manager, { q: 'outbound proxy exception' })).items.map((e) => e.id)).toEqual(expect.arrayContaining([handRow!.id, fileRow!.id]));
    const { rollup } = await snapshot();
    await rebuildRollup(db.kysely);
    expect((await snapshot()).rollup).toEqual(rollup);
  });

  it('refuses a partner cell that is not the customer\'s partner: imports never move customers', async () => {
    const state = await snapshot();
    const err = await expectCode(importEntitlements(ctx, manager, rows(
      { tenant_id: 'tn-1', partner: 'North', workload: 'teams', owner: 'Ana' },
      { tenant_id: 'tn-1', partner: 'South', workload: 'intune', owner: 'Ana' },
      { tenant_id: 'tn-new-p', customer: 'Elm', partner: 'south', workload: 'teams' },
      { tenant_id: 'tn-new-p', customer: 'Elm', partner: 'North', workload: 'intune' },
    ), { advise: false }), 'CSV_INVALID');
    const problems = (err.details as { rows: { line: number; errors: { field: string; message: string }[] }[] }).rows;
    expect(problems.map((r) => [r.line - line, r.errors.map((e) => e.field)])).toEqual([[-2, ['partner']], [-1, ['partner']]]);
    expect(problems[0]!.errors[0]!.message).toMatch(/belongs to partner "North"; an import does not move customers/);
    expect(problems[1]!.errors[0]!.message).toMatch(/your own partner "North" only/);
    expect(await snapshot()).toEqual(state);
    // An admin's file names the partner of each new customer, and the stored one for an existing customer.
    const admin = { ...SYSTEM_ACTOR };
    const moved = await expectCode(importEntitlements(ctx, admin, rows({ tenant_id: 'ts-1', partner: 'North', workload: 'teams', owner: 'Ana' }), { advise: false }), 'CSV_INVALID');
    expect(JSON.stringify(moved.details)).toMatch(/belongs to partner \\"South\\"/);
    expect(await snapshot()).toEqual(state);
  });

  it('trims the cells that name things, quoted or not, as the JSON API does (QA round 6)', async () => {
    const entitlementsOf = async (tenantId: string) => (await listEntitlements(ctx, manager, { q: tenantId, sort: 'id' })).items;
    await createCustomer(ctx, manager, { tenantId: 'trim-1', name: 'Trim', workloads: [] });
    const first = await importEntitlements(ctx, manager, rows({ tenant_id: 'trim-1', workload: 'teams', part: 'EMEA' }), { advise: false });
    expect(first.entitlementsCreated).toBe(1);
    // The same entitlement with spaces around its tenant id, workload and part: no new customer, no second entitlement.
    const again = await importEntitlements(ctx, manager, rows({ tenant_id: ' trim-1 ', workload: ' teams ', part: ' EMEA ', owner: 'Tess' }), { advise: false });
    expect(again).toMatchObject({ customersCreated: 0, entitlementsCreated: 0, entitlementsUpdated: 1 });
    expect((await entitlementsOf('trim-1')).map((e) => [e.part, e.owner])).toEqual([['EMEA', 'Tess']]);
    // A part of only spaces is no part; a tenant id of only spaces is missing.
    const blankPart = await importEntitlements(ctx, manager, rows({ tenant_id: 'trim-1', workload: 'intune', part: '   ' }), { advise: false });
    expect(blankPart.entitlementsCreated).toBe(1);
    expect((await entitlementsOf('trim-1')).map((e) => e.part).sort()).toEqual(['', 'EMEA']);
    const missing = await expectCode(importEntitlements(ctx, manager, rows({ tenant_id: '  ', workload: 'teams' })), 'CSV_INVALID');
    expect(JSON.stringify(missing.details)).toMatch(/"tenant_id".*is required/);
  });

  it('tells an admin which row gave a new customer its partner when another row names another', async () => {
    const err = await expectCode(importEntitlements(ctx, SYSTEM_ACTOR, rows(
      { tenant_id: 'two-partners', customer: 'Twin', partner: 'North', workload: 'teams' },
      { tenant_id: 'two-partners', customer: 'Twin', partner: 'South', workload: 'intune' },
    ), { advise: false }), 'CSV_INVALID');
    const message = JSON.stringify(err.details);
    expect(message).toMatch(/an earlier row of this file creates tenant \\"two-partners\\" for partner \\"North\\"/);
    expect(message).not.toMatch(/your own partner/);
  });

  it('writes a file of many write chunks in any row order: every row, its history, its search entry and the roll-up', async () => {
    // 300 customers x 15 workloads = 4,500 rows: more than one chunk of the SQLite writer (2,000).
    const slugs = WORKLOAD_CATALOGUE.slice(0, 15).map((w) => w.slug);
    const cells = (note: (t: number, w: number) => string): ImportRecord['cells'][] => {
      const out: ImportRecord['cells'][] = [];
      for (let t = 0; t < 300; t++) for (let w = 0; w < slugs.length; w++) out.push({ tenant_id: `bulk-${t}`, customer: `Bulk ${t}`, workload: slugs[w]!, note: note(t, w) });
      return out;
    };
    const created = await importEntitlements(ctx, manager, rows(...cells(() => '')), { advise: false });
    expect(created).toMatchObject({ rows: 4500, customersCreated: 300, entitlementsCreated: 4500 });
    const historyBefore = (await snapshot()).history.length;
    // Shuffled (a fixed permutation), so the file's order is not the entitlements' id order.
    const shuffled = cells((t, w) => `Pilot wave ${t}-${w} is live; the walrus rollout follows next month.`).map((c, i) => ({ c, k: (i * 7919) % 4500 })).sort((a, b) => a.k - b.k).map((x) => x.c);
    const summary = await importEntitlements(ctx, manager, rows(...shuffled), { advise: false });
    expect(summary).toEqual({ rows: 4500, customersCreated: 0, entitlementsCreated: 0, entitlementsUpdated: 4500, unchanged: 0, warnings: [], warningCount: 0, dryRun: false });
    const state = await snapshot();
    const bulk = state.entitlements.filter((e) => e.note.includes('walrus'));
    expect(bulk).toHaveLength(4500);
    expect(bulk.every((e) => e.version === 2)).toBe(true);
    const written = state.history.slice(historyBefore);
    expect(written).toHaveLength(4500);
    expect(new Set(written.map((h) => h.entitlement_id))).toEqual(new Set(bulk.map((e) => e.id)));
    for (const h of written) expect(JSON.parse(h.after_json).note).toBe(bulk.find((e) => e.id === h.entitlement_id)!.note);
    const found = await listEntitlements(ctx, manager, { q: 'walrus', pageSize: 10 });
    expect(found.total).toBe(4500);
    await expectSearchInStep(db);
    await rebuildRollup(db.kysely);
    expect((await snapshot()).rollup).toEqual(state.rollup);
  });

  it('names at most 100 conflicting rows, in file order, and counts them all', async () => {
    const parts = Array.from({ length: 120 }, (_, i) => `site-${String(i + 1).padStart(3, '0')}`);
    await importEntitlements(ctx, manager, rows(...parts.map((part) => ({ tenant_id: 'tn-many', customer: 'Many Sites', workload: 'teams', part }))), { advise: false });
    const created = await db.kysely.selectFrom('entitlements as e').innerJoin('customers as c', 'c.id', 'e.customer_id').select(['e.id', 'e.part', 'e.version']).where('c.tenant_id', '=', 'tn-many').execute();
    expect(created).toHaveLength(120);
    const ids = created.map((e) => e.id);
    duringAdvice = async () => {
      await db.kysely.updateTable('entitlements').set((eb) => ({ version: eb('version', '+', 1) })).where('id', 'in', ids).execute();
    };
    // The file lists the parts backwards, so the report's order (by line) differs from the id order.
    const file = rows(...[...parts].reverse().map((part) => ({ tenant_id: 'tn-many', workload: 'teams', part, note: `Licences for ${part} are assigned; training starts next week.` })));
    const err = await expectCode(importEntitlements(ctx, manager, file), 'VERSION_CONFLICT');
    const details = err.details as { rows: { line: number; id: number; fileVersion: number | null; readVersion: number; currentVersion: number | null }[]; conflictingRows: number; truncated: boolean };
    expect(err.message).toMatch(/^120 of 120 row\(s\)/);
    expect(details.conflictingRows).toBe(120);
    expect(details.truncated).toBe(true);
    expect(details.rows).toHaveLength(100);
    expect(details.rows.map((r) => r.line)).toEqual(file.slice(0, 100).map((r) => r.line));
    const byPart = new Map(created.map((e) => [e.part, e]));
    expect(details.rows[0]).toEqual({ line: file[0]!.line, id: byPart.get(parts[119]!)!.id, fileVersion: null, readVersion: byPart.get(parts[119]!)!.version, currentVersion: byPart.get(parts[119]!)!.version + 1 });
  });
  it('reads a row with only an l2 as a reason under the entitlement\'s current L1, and refuses one of another L1 with its line', async () => {
    await createCustomer(ctx, manager, { tenantId: 'tn-lone', name: 'Lone Reason', workloads: ['intune'] });
    await importEntitlements(ctx, editor, rows({ tenant_id: 'tn-lone', workload: 'intune', l1: 'In Progress', l2: 'Migration', note: NOTE, target_date: '2026-09-01' }));
    const alone = await importEntitlements(ctx, editor, rows({ tenant_id: 'tn-lone', workload: 'intune', l2: 'Solution or User Adoption' }));
    expect(alone.entitlementsUpdated).toBe(1);
    const intune = (await listEntitlements(ctx, editor, { q: 'tn-lone' })).items.find((e) => e.workload === 'intune')!;
    expect([intune.code, intune.note]).toEqual(['in-progress/solution-or-user-adoption', NOTE]);
    const bad = rows({ tenant_id: 'tn-lone', workload: 'intune', l2: 'Legal/Regulatory', note: BLOCKER });
    const err = await expectCode(importEntitlements(ctx, editor, bad), 'CSV_INVALID');
    expect(JSON.stringify(err.details)).toMatch(new RegExp(`"line":${bad[0]!.line}.*"field":"l2".*is a reason under Blocked, not In Progress`));
    const after = (await listEntitlements(ctx, editor, { q: 'tn-lone' })).items.find((e) => e.workload === 'intune')!;
    expect([after.version, after.note]).toEqual([intune.version, NOTE]);
  });
});

describe.each(ENGINES)('CSV import rules on %s', (engine) => {
  let db: Db;
  let ctx: TrackerContext;
  let manager: Actor;
  const clock = fixedClock();
  type Rows = { rows: { line: number; errors: { field: string; message: string }[] }[] };
  const entitlementsOf = async (tenantId: string) => (await listEntitlements(ctx, manager, { q: tenantId, sort: 'id' })).items;

  beforeAll(async () => {
    db = await createTestDb(engine);
    const taxonomy = makeTaxonomy();
    ctx = { db, taxonomy: () => taxonomy, clock, advisor: {} };
    const partner = await createPartner(ctx, SYSTEM_ACTOR, { name: 'West' });
    const u = await createUser(ctx, SYSTEM_ACTOR, { email: 'mgr@west.test', name: 'mgr', role: 'manager', partnerId: partner.id });
    manager = { userId: u.id, name: u.name, role: 'manager', partnerId: partner.id };
  });
  afterAll(async () => db?.close());

  it('holds text to the JSON API limits, row by row, and writes nothing', async () => {
    const err = await expectCode(importEntitlements(ctx, manager, rows(
      { tenant_id: 'len-1', customer: 'Len', workload: 'teams', note: 'x'.repeat(15_000), owner: 'o'.repeat(500) },
      { tenant_id: 't'.repeat(5000), customer: 'c'.repeat(5000), workload: 'teams' },
      { tenant_id: 'len-2', customer: 'Fine', workload: 'teams', note: 'n'.repeat(4000), owner: 'o'.repeat(200) },
    )), 'CSV_INVALID');
    const found = (err.details as Rows).rows.map((r) => r.errors.map((e) => `${e.field}: ${e.message}`));
    expect(found).toEqual([
      ['note: is 15000 characters long; at most 4000 are allowed', 'owner: is 500 characters long; at most 200 are allowed'],
      ['tenant_id: is 5000 characters long; at most 200 are allowed', 'customer: is 5000 characters long; at most 300 are allowed'],
    ]);
    expect((await listEntitlements(ctx, manager, {})).total).toBe(0);
  });

  it('counts each row once', async () => {
    expect(await importEntitlements(ctx, manager, rows({ tenant_id: 'count-1', customer: 'Count', workload: 'teams' }), { advise: false }))
      .toEqual({ rows: 1, customersCreated: 1, entitlementsCreated: 1, entitlementsUpdated: 0, unchanged: 0, warnings: [], warningCount: 0, dryRun: false });
    expect(await importEntitlements(ctx, manager, rows({ tenant_id: 'count-1', workload: 'teams' }), { advise: false }))
      .toEqual({ rows: 1, customersCreated: 0, entitlementsCreated: 0, entitlementsUpdated: 0, unchanged: 1, warnings: [], warningCount: 0, dryRun: false });
  });

  it('matches tenant ids and parts ignoring case', async () => {
    await createCustomer(ctx, manager, { tenantId: 'Case-Tenant', name: 'Case', workloads: ['teams'] });
    const summary = await importEntitlements(ctx, manager, rows(
      { tenant_id: 'CASE-TENANT', workload: 'teams', owner: 'Ana' },
      { tenant_id: 'case-tenant', workload: 'intune', part: 'EMEA' },
      { tenant_id: 'New-Tenant', customer: 'New', workload: 'teams' },
      { tenant_id: 'new-tenant', workload: 'intune' },
    ), { advise: false });
    expect(summary).toEqual({ rows: 4, customersCreated: 1, entitlementsCreated: 3, entitlementsUpdated: 1, unchanged: 0, warnings: [], warningCount: 0, dryRun: false });
    expect((await entitlementsOf('case-tenant')).map((e) => [e.tenantId, e.workload, e.part, e.owner])).toEqual([
      ['Case-Tenant', 'teams', '', 'Ana'], ['Case-Tenant', 'intune', 'EMEA', null],
    ]);
    expect((await entitlementsOf('new-tenant')).map((e) => e.tenantId)).toEqual(['New-Tenant', 'New-Tenant']);
    const twice = await expectCode(importEntitlements(ctx, manager, rows(
      { tenant_id: 'case-tenant', workload: 'intune', part: 'emea', owner: 'Bo' },
      { tenant_id: 'Case-Tenant', workload: 'intune', part: 'Emea', owner: 'Cy' },
    )), 'CSV_INVALID');
    expect((twice.details as Rows).rows[0]!.errors[0]!.message).toMatch(/already on line/);
    expect(await importEntitlements(ctx, manager, rows({ tenant_id: 'case-tenant', workload: 'intune', part: 'emea', owner: 'Bo' }), { advise: false }))
      .toMatchObject({ entitlementsCreated: 0, entitlementsUpdated: 1 });
  });

  it('rejects a code that its l1/l2 contradict', async () => {
    const err = await expectCode(importEntitlements(ctx, manager, rows(
      { tenant_id: 'count-1', workload: 'teams', code: 'in-progress/migration', l1: 'Blocked', l2: 'Legal/Regulatory', target_date: '2026-09-01' },
    )), 'CSV_INVALID');
    expect((err.details as Rows).rows[0]!.errors).toEqual([{ field: 'code', message: expect.stringMatching(/in-progress\/migration.*Blocked \/ Legal\/Regulatory/) }]);
    const ok = await importEntitlements(ctx, manager, rows(
      { tenant_id: 'count-1', workload: 'teams', code: 'in-progress/migration', l1: 'In Progress', l2: 'Migration', target_date: '2026-09-01' },
    ), { advise: false });
    expect(ok.entitlementsUpdated).toBe(1);
  });

  it('refuses Duplicate/Invalid on some of a customer\'s entitlements, however many the file names', async () => {
    await createCustomer(ctx, manager, { tenantId: 'dup-part', name: 'DupPart', workloads: ['teams', 'intune', 'exchange-online'] });
    const before = await entitlementsOf('dup-part');
    const dup = { code: 'duplicate-invalid', note: 'Same tenant as Birch Mills.' };
    const err = await expectCode(importEntitlements(ctx, manager, rows({ tenant_id: 'dup-part', workload: 'teams', ...dup }, { tenant_id: 'dup-part', workload: 'intune', ...dup }), { advise: false }), 'CSV_INVALID');
    const problems = (err.details as Rows).rows;
    expect(problems.map((r) => r.line)).toEqual([line - 1, line]);
    expect(problems[0]!.errors[0]!.message).toMatch(/every entitlement of tenant "dup-part".*\(1 other\(s\) are not\)/);
    expect(await entitlementsOf('dup-part')).toEqual(before);
  });

  it('keeps Duplicate/Invalid on the whole customer: new entitlements join it, one alone cannot leave', async () => {
    await createCustomer(ctx, manager, { tenantId: 'dup-imp', name: 'DupImp', workloads: ['teams', 'intune'] });
    await importEntitlements(ctx, manager, rows(
      { tenant_id: 'dup-imp', workload: 'teams', code: 'duplicate-invalid', note: 'Same as Case.' },
      { tenant_id: 'dup-imp', workload: 'intune', code: 'duplicate-invalid', note: 'Same as Case.' },
    ), { advise: false });
    const added = await importEntitlements(ctx, manager, rows({ tenant_id: 'dup-imp', workload: 'exchange-online' }), { advise: false });
    expect(added).toEqual({ rows: 1, customersCreated: 0, entitlementsCreated: 1, entitlementsUpdated: 0, unchanged: 0, warnings: [], warningCount: 0, dryRun: false });
    expect((await entitlementsOf('dup-imp')).map((e) => e.code)).toEqual(['duplicate-invalid', 'duplicate-invalid', 'duplicate-invalid']);

    const out = { code: 'in-progress/migration', target_date: '2026-09-01' };
    const restore = { advise: false, restoreDuplicateInvalid: true };
    const alone = await expectCode(importEntitlements(ctx, manager, rows({ tenant_id: 'dup-imp', workload: 'teams', ...out }), restore), 'CSV_INVALID');
    expect((alone.details as Rows).rows[0]!.errors[0]!.message).toMatch(/2 other entitlement\(s\)/);
    const fresh = await expectCode(importEntitlements(ctx, manager, rows({ tenant_id: 'dup-imp', workload: 'sharepoint-online', ...out }), restore), 'CSV_INVALID');
    expect((fresh.details as Rows).rows[0]!.errors[0]!.message).toMatch(/3 other entitlement\(s\)/);
    const whole = () => rows({ tenant_id: 'dup-imp', workload: 'teams', ...out }, { tenant_id: 'dup-imp', workload: 'intune', ...out }, { tenant_id: 'dup-imp', workload: 'exchange-online', ...out });

    // The whole customer in the file still restores it only when the import says so (?restoreDuplicateInvalid=true).
    const before = await entitlementsOf('dup-imp');
    const unconfirmed = await expectCode(importEntitlements(ctx, manager, whole(), { advise: false }), 'CSV_INVALID');
    expect(unconfirmed.message).toMatch(/restoreDuplicateInvalid=true/);
    const problems = (unconfirmed.details as { rows: { errors: { field: string; code?: string; message: string }[] }[] }).rows;
    expect(problems).toHaveLength(3);
    expect(problems.map((r) => r.errors.map((e) => [e.field, e.code]))).toEqual([[['code', 'RESTORE_NOT_CONFIRMED']], [['code', 'RESTORE_NOT_CONFIRMED']], [['code', 'RESTORE_NOT_CONFIRMED']]]);
    expect(problems[0]!.errors[0]!.message).toMatch(/tenant "dup-imp"/);
    expect(await entitlementsOf('dup-imp')).toEqual(before);

    const all = await importEntitlements(ctx, manager, whole(), restore);
    expect(all.entitlementsUpdated).toBe(3);
  });

});
