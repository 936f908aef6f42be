/**
 * A customer playbook's own L1s that follow the rules of one of the five (front matter `rules:` on the
 * L1 page): status changes, imports and the blocked reports treat them as that L1, on both engines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/index.js';
import { reportAgeing, reportForecast } from '../../src/reports/index.js';
import {
  SYSTEM_ACTOR, createCustomer, createPartner, createUser, importEntitlements, listEntitlements, updateStatus,
  type Actor, type TrackerContext,
} from '../../src/tracker/index.js';
import { createTestDb, ENGINES, expectCode, fixedClock } from '../factories.js';
import { ownL1Taxonomy } from '../own-l1-taxonomy.js';

const BLOCKER = 'Two engineers left in spring and the backfills are not approved, so the rollout is paused.';
const violationsOf = (details: unknown) => (details as { violations: { rule: string; field: string; message: string }[] }).violations;

describe.each(ENGINES)('an L1 of the playbook\'s own that follows the rules of one of the five, on %s', (engine) => {
  let db: Db;
  let ctx: TrackerContext;
  let editor: Actor;
  const clock = fixedClock('2026-03-02T10:00:00.000Z');

  beforeAll(async () => {
    db = await createTestDb(engine);
    const taxonomy = ownL1Taxonomy();
    ctx = { db, taxonomy: () => taxonomy, clock, advisor: {} };
    const partner = await createPartner(ctx, SYSTEM_ACTOR, { name: 'Harbor' });
    const user = await createUser(ctx, SYSTEM_ACTOR, { email: 'ed@harbor.test', name: 'Ed', role: 'editor', partnerId: partner.id });
    editor = { userId: user.id, role: 'editor', partnerId: partner.id, name: 'Ed' };
    await createCustomer(ctx, SYSTEM_ACTOR, { tenantId: 'h1', name: 'Harbor One', partnerId: partner.id, workloads: ['teams', 'intune', 'exchange-online'] });
  });
  afterAll(async () => db?.close());

  const entitlement = async (workload: string) => (await listEntitlements(ctx, editor, { sort: 'id' })).items.find((e) => e.workload === workload)!;

  it('carries the kind in the taxonomy', () => {
    const kinds = Object.fromEntries(ctx.taxonomy().l1s.map((n) => [n.name, n.kind]));
    expect(kinds).toEqual({ 'Status Unknown': 'status-unknown', 'In Progress': 'in-progress', 'No Intent': 'no-intent', Blocked: 'blocked', 'Duplicate/Invalid': 'duplicate-invalid', Active: 'in-progress', Stalled: 'blocked' });
  });

  it('refuses a change to Stalled (rules: Blocked) without a projected unblock date, as Blocked is refused', async () => {
    const e = await entitlement('teams');
    const err = await expectCode(updateStatus(ctx, editor, e.id, e.version, { code: 'stalled/staffing-gap', note: BLOCKER }), 'RULE_VIOLATION');
    const violations = violationsOf(err.details);
    expect(violations.map((v) => v.rule)).toEqual(['BLOCKED_UNBLOCK_DATE']);
    expect(violations[0]!.message).toMatch(/^Stalled \(which follows the Blocked rules\) needs a projected unblock date/);
    const blocked = await expectCode(updateStatus(ctx, editor, e.id, e.version, { code: 'blocked/service-reliability', note: BLOCKER }), 'RULE_VIOLATION');
    expect(violationsOf(blocked.details).map((v) => v.rule)).toEqual(['BLOCKED_UNBLOCK_DATE']);
    const short = await expectCode(updateStatus(ctx, editor, e.id, e.version, { code: 'stalled/staffing-gap', note: 'stalled', projectedUnblockDate: '2026-02-01' }), 'RULE_VIOLATION');
    expect(violationsOf(short.details).map((v) => v.rule)).toEqual(['BLOCKED_NOTE', 'BLOCKED_UNBLOCK_DATE']);
  });

  it('accepts it with a projected unblock date, and keeps that date', async () => {
    const e = await entitlement('teams');
    const done = await updateStatus(ctx, editor, e.id, e.version, { code: 'stalled/staffing-gap', note: BLOCKER, projectedUnblockDate: '2026-04-15' });
    expect(done.entitlement).toMatchObject({ code: 'stalled/staffing-gap', l1: 'Stalled', projectedUnblockDate: '2026-04-15' });
  });

  it('asks a future target date of Active (rules: In Progress)', async () => {
    const e = await entitlement('intune');
    const err = await expectCode(updateStatus(ctx, editor, e.id, e.version, { code: 'active/rolling-out', note: 'Rolling out to the second site.' }), 'RULE_VIOLATION');
    expect(violationsOf(err.details).map((v) => v.rule)).toEqual(['IN_PROGRESS_TARGET_DATE']);
    const done = await updateStatus(ctx, editor, e.id, e.version, { code: 'active/rolling-out', note: 'Rolling out to the second site.', targetDate: '2026-06-30' });
    expect(done.entitlement).toMatchObject({ code: 'active/rolling-out', targetDate: '2026-06-30' });
  });

  it('refuses an import row to Stalled without a projected unblock date, and takes one with it', async () => {
    const before = await entitlement('exchange-online');
    const err = await expectCode(importEntitlements(ctx, editor, [{ line: 2, cells: { tenant_id: 'h1', workload: 'exchange-online', code: 'stalled/network-constraints', note: BLOCKER } }], { advise: false }), 'CSV_INVALID');
    const rows = (err.details as { rows: { line: number; errors: { field: string; message: string }[] }[] }).rows;
    expect(rows).toEqual([{ line: 2, errors: [{ field: 'projected_unblock_date', message: expect.stringMatching(/needs a projected unblock date/) }] }]);
    expect((await entitlement('exchange-online')).version).toBe(before.version);
    const summary = await importEntitlements(ctx, editor, [{ line: 2, cells: { tenant_id: 'h1', workload: 'exchange-online', code: 'stalled/network-constraints', note: BLOCKER, projected_unblock_date: '2026-03-20' } }], { advise: false });
    expect(summary.entitlementsUpdated).toBe(1);
    expect(await entitlement('exchange-online')).toMatchObject({ code: 'stalled/network-constraints', projectedUnblockDate: '2026-03-20' });
  });

  it('counts Stalled entitlements in the blocked ageing (its default) and the unblock forecast', async () => {
    const ageing = await reportAgeing(ctx, editor);
    expect(ageing.buckets[0]!.count).toBe(2);
    expect(ageing.byL2.map((r) => [r.code, r.total]).sort()).toEqual([['stalled/network-constraints', 1], ['stalled/staffing-gap', 1]]);
    for (const strategy of ['ranges', 'grouped'] as const) {
      const forecast = await reportForecast(ctx, editor, { weeks: 8, strategy });
      expect(forecast.total).toBe(2);
      expect(forecast.overdue).toBe(0);
      expect(forecast.weeks.reduce((s, w) => s + w.projected, 0)).toBe(2);
      expect(forecast.weeks.find((w) => w.weekStart === '2026-03-16')?.projected).toBe(1);
      expect(forecast.weeks.find((w) => w.weekStart === '2026-04-13')?.projected).toBe(1);
    }
  });
});
