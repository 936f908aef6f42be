/**
 * One import run names every independent problem of a row (QA: a row's errors came one batch at a
 * time): field format errors, unknown statuses and the playbook rules that can still be judged, without
 * the noise a failed cell would cause. And an administrator's file that creates customers without a
 * partner column is refused once, for the file, rather than on every row.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/index.js';
import { SYSTEM_ACTOR, createCustomer, createPartner, createUser, importEntitlements, listEntitlements, type Actor, type ImportRecord, type TrackerContext } from '../../src/tracker/index.js';
import { createTestDb, fixedClock, makeTaxonomy, expectCode } from '../factories.js';

const BLOCKER = 'Their outbound proxy drops the sign-in redirect; the network team has to add an exception first.';

interface Rows {
  rows: { line: number; errors: { field: string; message: string }[] }[];
}

let line = 1;
const rows = (...cells: ImportRecord['cells'][]): ImportRecord[] => cells.map((c) => ({ line: ++line, cells: c }));
const problems = (error: { details: unknown }) => (error.details as Rows).rows.map((r) => r.errors.map((e) => `${e.field}: ${e.message}`));

describe('CSV import names every problem of a row at once', () => {
  let db: Db;
  let ctx: TrackerContext;
  let manager: Actor;

  beforeAll(async () => {
    db = await createTestDb('sqlite');
    const taxonomy = makeTaxonomy();
    ctx = { db, taxonomy: () => taxonomy, clock: fixedClock(), advisor: { grade: async () => ({ grade: 'B', score: 0.8, findings: [] }), suggest: () => null } };
    const north = await createPartner(ctx, SYSTEM_ACTOR, { name: 'North' });
    const u = await createUser(ctx, SYSTEM_ACTOR, { email: 'mgr@north.test', name: 'mgr', role: 'manager', partnerId: north.id });
    manager = { userId: u.id, name: u.name, role: 'manager', partnerId: north.id };
    await createCustomer(ctx, SYSTEM_ACTOR, { tenantId: 'tn-1', name: 'Alder', partnerId: north.id, workloads: ['teams', 'intune'] });
  });
  afterAll(async () => db?.close());

  it('lists an unknown L1 beside a date that cannot be read', async () => {
    const err = await expectCode(importEntitlements(ctx, manager, rows({ tenant_id: 'tn-1', workload: 'teams', l1: 'Blokced', note: BLOCKER, projected_unblock_date: '2027-13-45' })), 'CSV_INVALID');
    const [found] = problems(err);
    expect(found).toHaveLength(2);
    expect(found![0]).toBe('projected_unblock_date: must be a date written YYYY-MM-DD, got "2027-13-45"');
    expect(found![1]).toMatch(/^l1: Unknown L1 "Blokced"/);
  });

  it('judges the rules a row with another error still allows, and none that needs the cell that failed', async () => {
    const err = await expectCode(importEntitlements(ctx, manager, rows(
      // Blocked with a short note and a date that cannot be read: the note rule, not the date rule.
      { tenant_id: 'tn-1', workload: 'teams', code: 'blocked/app-compatibility', note: 'short', projected_unblock_date: '2027-13-45' },
      // An unknown workload: the entitlement is unknown, so only the status labels are judged.
      { tenant_id: 'tn-1', workload: 'nowhere', l1: 'Blokced', note: 'short' },
      // A bad version cell next to In Progress without a target date.
      { tenant_id: 'tn-1', workload: 'intune', code: 'in-progress/migration', note: BLOCKER, version: 'x' },
      // A status that cannot be read: no rule is judged on it.
      { tenant_id: 'tn-1', workload: 'intune', part: 'EMEA', code: 'nope', managed: 'maybe' },
    )), 'CSV_INVALID');
    const found = problems(err);
    expect(found[0]).toEqual([
      'projected_unblock_date: must be a date written YYYY-MM-DD, got "2027-13-45"',
      expect.stringMatching(/^note: Blocked needs a note that explains the blocker/),
    ]);
    expect(found[1]).toEqual(['workload: unknown workload "nowhere"', expect.stringMatching(/^l1: Unknown L1 "Blokced"/)]);
    expect(found[2]).toEqual([expect.stringMatching(/^version: must be a version number/), expect.stringMatching(/^target_date: In Progress needs a target date/)]);
    expect(found[3]).toEqual([expect.stringMatching(/^managed: must be yes or no/), expect.stringMatching(/^code: Unknown status code "nope"/)]);
    expect((await listEntitlements(ctx, manager, {})).items.map((e) => e.code)).toEqual(['status-unknown/new-subscription-or-workload', 'status-unknown/new-subscription-or-workload']);
  });

  it('refuses an administrator\'s file that creates customers without a partner column, once for the file', async () => {
    const header = { tenant_id: 'tenant_id', customer: 'customer', workload: 'workload', note: 'note' };
    const err = await expectCode(importEntitlements(ctx, SYSTEM_ACTOR, rows(
      { tenant_id: 'new-1', customer: 'Elm', workload: 'teams' },
      { tenant_id: 'new-2', customer: 'Fir', workload: 'teams' },
    ), { header }), 'CSV_INVALID');
    expect(err.message).toMatch(/partner column/);
    expect(err.details).toMatchObject({ missingColumns: ['partner'] });
    expect((err.details as Partial<Rows>).rows).toBeUndefined();
    // A file that only updates needs no partner column; a blank partner cell stays a row error.
    await importEntitlements(ctx, SYSTEM_ACTOR, rows({ tenant_id: 'tn-1', workload: 'teams', owner: 'Ana' }), { header: { ...header, owner: 'owner' }, advise: false });
    const blank = await expectCode(importEntitlements(ctx, SYSTEM_ACTOR, rows({ tenant_id: 'new-3', customer: 'Elm', workload: 'teams' }), { header: { ...header, partner: 'partner' } }), 'CSV_INVALID');
    expect(problems(blank)).toEqual([[expect.stringMatching(/^partner: is required/)]]);
  });
});
