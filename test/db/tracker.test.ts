import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/index.js';
import {
  SYSTEM_ACTOR, bulkUpdateStatus, createCustomer, createPartner, createToken, createUser, getEntitlement, listEntitlements, listHistory,
  markCustomerDuplicateInvalid, resolveToken, revokeToken, updateStatus, type Actor, type TrackerContext,
} from '../../src/tracker/index.js';
import { createTestDb, ENGINES, fixedClock, makeTaxonomy, expectCode } from '../factories.js';

const BLOCKER = 'Their outbound proxy drops the sign-in redirect; the network team has to add an exception before pilots start.';

describe.each(ENGINES)('tracker on %s', (engine) => {
  let db: Db;
  let ctx: TrackerContext;
  let alice: Actor;
  let bob: Actor;
  let customerId: number;
  let otherCustomerId: number;
  const clock = fixedClock();

  beforeAll(async () => {
    db = await createTestDb(engine);
    const taxonomy = makeTaxonomy();
    ctx = {
      db,
      taxonomy: () => taxonomy,
      clock,
      advisor: {
        grade: (note) => ({ grade: note.length < 40 ? 'F' : 'B', score: note.length < 40 ? 0.1 : 0.8, findings: note.length < 40 ? [{ code: 'SHORT', message: 'Too short.' }] : [] }),
        suggest: (note) => (/proxy|firewall/i.test(note) ? { code: 'blocked/customer-it-infrastructure-and-remediation', l1: 'Blocked', l2: 'Customer IT Infrastructure and Remediation', confidence: 0.9, abstained: false } : null),
      },
    };
    const p1 = await createPartner(ctx, SYSTEM_ACTOR, { name: 'Northwind Partners' });
    const p2 = await createPartner(ctx, SYSTEM_ACTOR, { name: 'Fabrikam Consulting' });
    const u1 = await createUser(ctx, SYSTEM_ACTOR, { email: 'alice@nw.test', name: 'Alice', role: 'editor', partnerId: p1.id });
    const u2 = await createUser(ctx, SYSTEM_ACTOR, { email: 'bob@fab.test', name: 'Bob', role: 'manager', partnerId: p2.id });
    alice = { userId: u1.id, name: u1.name, role: 'editor', partnerId: p1.id };
    bob = { userId: u2.id, name: u2.name, role: 'manager', partnerId: p2.id };
    const c = await createCustomer(ctx, SYSTEM_ACTOR, { tenantId: 'tenant-a', name: 'Contoso Ltd', partnerId: p1.id, managed: true, workloads: ['teams', 'intune', 'exchange-online'] });
    customerId = c.id;
    otherCustomerId = (await createCustomer(ctx, bob, { tenantId: 'tenant-b', name: 'Tailspin', workloads: ['teams'] })).id;
  });
  afterAll(async () => db?.close());

  it('creates entitlements at Status Unknown / New Subscription or Workload with a history row', async () => {
    const page = await listEntitlements(ctx, alice, { customerId });
    expect(page.total).toBe(3);
    for (const e of page.items) {
      expect([e.l1, e.l2, e.version]).toEqual(['Status Unknown', 'New Subscription or Workload', 1]);
      const history = await listHistory(ctx, alice, e.id);
      expect(history.map((h) => h.kind)).toEqual(['create']);
    }
  });

  it('keeps partners apart in the data layer', async () => {
    expect((await listEntitlements(ctx, bob, {})).items.every((e) => e.customerId === otherCustomerId)).toBe(true);
    const mine = (await listEntitlements(ctx, alice, { customerId, workload: 'teams' })).items[0]!;
    await expectCode(getEntitlement(ctx, bob, mine.id), 'NOT_FOUND');
    await expectCode(updateStatus(ctx, bob, mine.id, mine.version, { note: 'x' }), 'NOT_FOUND');
    await expectCode(createCustomer(ctx, alice, { tenantId: 'z', name: 'Z' }), 'FORBIDDEN');
  });

  it('enforces rules, versions and records history with grade and suggestion', async () => {
    const e = (await listEntitlements(ctx, alice, { customerId, workload: 'intune' })).items[0]!;
    const violation = await expectCode(updateStatus(ctx, alice, e.id, e.version, { l1: 'Blocked', l2: 'Customer IT Infrastructure and Remediation', note: BLOCKER }), 'RULE_VIOLATION');
    expect((violation.details as { violations: { rule: string }[] }).violations.map((v) => v.rule)).toEqual(['BLOCKED_UNBLOCK_DATE']);
    expect((await getEntitlement(ctx, alice, e.id)).version).toBe(1);

    const ok = await updateStatus(ctx, alice, e.id, e.version, { l1: 'Blocked', l2: 'App Compatibility', note: BLOCKER, projectedUnblockDate: '2026-04-15' });
    expect(ok.entitlement).toMatchObject({ code: 'blocked/app-compatibility', version: 2, projectedUnblockDate: '2026-04-15', noteGrade: 'B', since: clock.now().toISOString() });
    expect(ok.warnings.map((w) => w.code)).toEqual(['NOTE_READS_AS_OTHER_CODE']);

    const stale = await expectCode(updateStatus(ctx, alice, e.id, 1, { owner: 'Dana' }), 'VERSION_CONFLICT');
    expect((stale.details as { current: { version: number } }).current.version).toBe(2);

    const weak = await updateStatus(ctx, alice, e.id, 2, { l1: 'In Progress', l2: 'Migration', note: 'Moving now.', targetDate: '2026-06-30' });
    expect(weak.warnings.map((w) => w.code)).toEqual(['WEAK_NOTE']);
    const history = await listHistory(ctx, alice, e.id);
    expect(history.map((h) => [h.kind, h.fromCode, h.toCode])).toEqual([
      ['create', null, 'status-unknown/new-subscription-or-workload'],
      ['update', 'status-unknown/new-subscription-or-workload', 'blocked/app-compatibility'],
      ['update', 'blocked/app-compatibility', 'in-progress/migration'],
    ]);
    expect(history[1]!.suggestion?.code).toBe('blocked/customer-it-infrastructure-and-remediation');
    expect(history[2]!.before?.note).toBe(BLOCKER);
    expect(history[2]!.noteGrade).toBe('F');
  });

  it('applies bulk changes all-or-nothing', async () => {
    const items = (await listEntitlements(ctx, alice, { customerId, sort: 'id' })).items;
    const [a, b] = [items[0]!, items[2]!];
    const err = await expectCode(
      bulkUpdateStatus(ctx, alice, [
        { id: a.id, version: a.version, l1: 'In Progress', l2: 'Technical Onboarding and Deployment', targetDate: '2026-09-01' },
        { id: b.id, version: b.version, l1: 'No Intent', l2: 'Using Competitive Solution', note: 'nope' },
      ]),
      'RULE_VIOLATION',
    );
    expect((err.details as { items: { id: number }[] }).items.map((i) => i.id)).toEqual([b.id]);
    expect((await getEntitlement(ctx, alice, a.id)).version).toBe(a.version);
    const done = await bulkUpdateStatus(ctx, alice, [
      { id: a.id, version: a.version, l1: 'In Progress', l2: 'Technical Onboarding and Deployment', targetDate: '2026-09-01' },
      { id: b.id, version: b.version, l1: 'No Intent', l2: 'Using Competitive Solution', note: 'They standardised on a rival chat suite last year and see no gap.' },
    ]);
    expect(done.map((d) => d.entitlement.l1)).toEqual(['In Progress', 'No Intent']);
  });

  it('sets Duplicate/Invalid only on the whole customer', async () => {
    const e = (await listEntitlements(ctx, bob, { customerId: otherCustomerId })).items[0]!;
    await expectCode(updateStatus(ctx, bob, e.id, e.version, { code: 'duplicate-invalid' }), 'RULE_VIOLATION');
    const results = await markCustomerDuplicateInvalid(ctx, bob, otherCustomerId, { note: 'Same tenant as an existing customer.' });
    expect(results.map((r) => r.entitlement.code)).toEqual(['duplicate-invalid']);
    await expectCode(markCustomerDuplicateInvalid(ctx, alice, otherCustomerId, { note: 'x' }), 'NOT_FOUND');
  });

  it('filters by days in status and text', async () => {
    const later = { ...ctx, clock: fixedClock('2026-03-20T10:00:00.000Z') };
    const all = await listEntitlements(later, alice, {});
    const old = await listEntitlements(later, alice, { minDays: 18 });
    expect(old.total).toBe(all.items.filter((e) => e.daysInStatus >= 18).length);
    expect(old.items.every((e) => e.daysInStatus >= 18)).toBe(true);
    expect((await listEntitlements(later, alice, { maxDays: 17 })).items.every((e) => e.daysInStatus <= 17)).toBe(true);
    expect((await listEntitlements(ctx, alice, { q: 'CONTOSO' })).total).toBe(3);
    expect((await listEntitlements(ctx, alice, { q: '100%_' })).total).toBe(0);
  });

  it('issues, resolves and revokes hashed tokens', async () => {
    const { token, info } = await createToken(ctx, alice, { name: 'ci', expiresInDays: 1 });
    expect(token.startsWith(info.prefix)).toBe(true);
    const stored = await db.kysely.selectFrom('api_tokens').select('token_hash').where('id', '=', info.id).executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(token.slice(3));
    expect((await resolveToken(ctx, token))?.userId).toBe(alice.userId);
    expect(await resolveToken({ ...ctx, clock: fixedClock('2026-03-04T10:00:00.000Z') }, token)).toBeUndefined();
    await expectCode(revokeToken(ctx, bob, info.id), 'NOT_FOUND');
    await revokeToken(ctx, alice, info.id);
    expect(await resolveToken(ctx, token)).toBeUndefined();
  });
});
