import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/index.js';
import { sql } from 'kysely';
import {
  SYSTEM_ACTOR, addEntitlement, bulkUpdateStatus, createCustomer, createPartner, createToken, createUser, getEntitlement, listEntitlements, listHistory, listPartners,
  markCustomerDuplicateInvalid, resolveToken, revokeToken, updateCustomer, updateStatus, type Actor, type TrackerContext,
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

  it('refuses a partner name that is taken in any letter case, naming the partner that has it', async () => {
    const err = await expectCode(createPartner(ctx, SYSTEM_ACTOR, { name: '  northwind PARTNERS ' }), 'CONFLICT');
    expect(err.message).toBe('A partner named "Northwind Partners" already exists.');
    expect((await listPartners(ctx, SYSTEM_ACTOR)).map((p) => p.name).sort()).toEqual(['Fabrikam Consulting', 'Northwind Partners']);
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
    // An item whose labels give no status is named with its rule, among the others (it stopped the change
    // with the first such item's message, naming no item).
    const [c] = [items[1]!];
    const now = await Promise.all([a, b, c].map((e) => getEntitlement(ctx, alice, e.id)));
    const unreadable = await expectCode(
      bulkUpdateStatus(ctx, alice, [
        { id: now[0]!.id, version: now[0]!.version, owner: 'Kim' },
        { id: now[1]!.id, version: now[1]!.version, l1: 'Blocked', l2: 'Migration', note: BLOCKER, projectedUnblockDate: '2026-05-01' },
        { id: now[2]!.id, version: now[2]!.version, l1: 'In Progress', targetDate: '2026-09-01' },
      ]),
      'RULE_VIOLATION',
    );
    const listed = (unreadable.details as { items: { id: number; violations: { rule: string }[] }[] }).items;
    expect(listed.map((i) => [i.id, i.violations.map((v) => v.rule)])).toEqual([[now[1]!.id, ['L2_BELONGS_TO_L1']], [now[2]!.id, ['L2_REQUIRED']]]);
    expect((await getEntitlement(ctx, alice, now[0]!.id)).owner).toBe(now[0]!.owner);
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

describe.each(ENGINES)('tracker rules on %s', (engine) => {
  let db: Db;
  let ctx: TrackerContext;
  let manager: Actor;
  const clock = fixedClock();
  const rulesOf = (error: { details: unknown }) => ((error.details as { violations?: { rule: string }[]; items?: { violations: { rule: string }[] }[] }).violations ?? []).map((v) => v.rule);

  beforeAll(async () => {
    db = await createTestDb(engine);
    const taxonomy = makeTaxonomy();
    ctx = { db, taxonomy: () => taxonomy, clock, advisor: {} };
    const partner = await createPartner(ctx, SYSTEM_ACTOR, { name: 'Northwind' });
    const u = await createUser(ctx, SYSTEM_ACTOR, { email: 'mia@nw.test', name: 'Mia', role: 'manager', partnerId: partner.id });
    manager = { userId: u.id, name: u.name, role: 'manager', partnerId: partner.id };
  });
  afterAll(async () => db?.close());

  it('keeps tenant ids and split parts unique whatever their case', async () => {
    const first = await createCustomer(ctx, manager, { tenantId: 'T-Case', name: 'Upper', workloads: ['teams'] });
    await expectCode(createCustomer(ctx, manager, { tenantId: 't-case', name: 'Lower' }), 'CONFLICT');
    const other = await createCustomer(ctx, manager, { tenantId: '7f3c9a2e-contoso', name: 'Contoso' });
    await expectCode(updateCustomer(ctx, manager, first.id, { tenantId: '7F3C9A2E-CONTOSO' }), 'CONFLICT');
    // A customer may change the case of its own tenant id.
    expect((await updateCustomer(ctx, manager, other.id, { tenantId: '7F3C9A2E-Contoso' })).tenantId).toBe('7F3C9A2E-Contoso');
    await addEntitlement(ctx, manager, { customerId: first.id, workload: 'intune', part: 'EMEA' });
    const again = await expectCode(addEntitlement(ctx, manager, { customerId: first.id, workload: 'intune', part: 'emea' }), 'CONFLICT');
    // In the words of the customer's page: its name, the workload's name, the part as stored.
    expect([again.message, again.details]).toEqual([`Upper (customer ${first.id}) already has a part "EMEA" of Intune.`, { field: 'part', part: 'EMEA' }]);
    const whole = await expectCode(addEntitlement(ctx, manager, { customerId: first.id, workload: 'Teams' }), 'CONFLICT');
    expect([whole.message, whole.details]).toEqual([`Upper (customer ${first.id}) already has Teams as a whole workload.`, { field: 'workload' }]);
    expect((await listEntitlements(ctx, manager, { q: 't-case' })).total).toBe(2);
  });

  it('keeps Duplicate/Invalid on every entitlement of the customer, on the way out too', async () => {
    const c = await createCustomer(ctx, manager, { tenantId: 'dup-1', name: 'Dupe', workloads: ['teams', 'intune'] });
    await markCustomerDuplicateInvalid(ctx, manager, c.id, { note: 'Same tenant as Upper.' });
    const [a] = (await listEntitlements(ctx, manager, { customerId: c.id, sort: 'id' })).items;
    const out = { l1: 'In Progress', l2: 'Migration', targetDate: '2026-09-01' };
    const single = await expectCode(updateStatus(ctx, manager, a!.id, a!.version, out), 'RULE_VIOLATION');
    expect(rulesOf(single)).toEqual(['DUPLICATE_INVALID_WHOLE_CUSTOMER']);
    const half = await expectCode(bulkUpdateStatus(ctx, manager, [{ id: a!.id, version: a!.version, ...out }], { restoreDuplicateInvalid: true }), 'RULE_VIOLATION');
    expect((half.details as { items: { id: number; violations: { rule: string }[] }[] }).items).toMatchObject([{ id: a!.id, violations: [{ rule: 'DUPLICATE_INVALID_WHOLE_CUSTOMER' }] }]);
    expect((await getEntitlement(ctx, manager, a!.id)).code).toBe('duplicate-invalid');

    // A new entitlement of a Duplicate/Invalid customer starts Duplicate/Invalid, with the reason.
    const added = await addEntitlement(ctx, manager, { customerId: c.id, workload: 'exchange-online' });
    expect(added).toMatchObject({ code: 'duplicate-invalid', l1: 'Duplicate/Invalid', note: 'Same tenant as Upper.' });
    expect((await listHistory(ctx, manager, added.id)).map((h) => [h.kind, h.toCode])).toEqual([['create', 'duplicate-invalid']]);

    // All of them at once may leave, when the change says it means to restore the customer.
    const all = (await listEntitlements(ctx, manager, { customerId: c.id, sort: 'id' })).items;
    const unconfirmed = await expectCode(bulkUpdateStatus(ctx, manager, all.map((e) => ({ id: e.id, version: e.version, ...out }))), 'RESTORE_NOT_CONFIRMED');
    expect(unconfirmed.details).toEqual({ customers: [{ customerId: c.id, tenantId: 'dup-1', customerName: 'Dupe', entitlementIds: all.map((e) => e.id) }], flag: 'restoreDuplicateInvalid' });
    expect((await listEntitlements(ctx, manager, { customerId: c.id, sort: 'id' })).items).toEqual(all);
    const done = await bulkUpdateStatus(ctx, manager, all.map((e) => ({ id: e.id, version: e.version, ...out })), { restoreDuplicateInvalid: true });
    expect(done.map((d) => d.entitlement.code)).toEqual(['in-progress/migration', 'in-progress/migration', 'in-progress/migration']);
  });

  it('writes nothing for a change that changes nothing', async () => {
    const c = await createCustomer(ctx, manager, { tenantId: 'noop-1', name: 'Noop', workloads: ['teams'] });
    const e = (await listEntitlements(ctx, manager, { customerId: c.id })).items[0]!;
    const set = await updateStatus(ctx, manager, e.id, e.version, { l1: 'In Progress', l2: 'Migration', targetDate: '2026-09-01', owner: 'Maya Patel' });
    const again = await updateStatus(ctx, manager, e.id, set.entitlement.version, { l1: 'In Progress', l2: 'Migration' });
    expect(again.entitlement).toEqual(set.entitlement);
    const bulk = await bulkUpdateStatus(ctx, manager, [{ id: e.id, version: set.entitlement.version, code: 'in-progress/migration', owner: 'Maya Patel' }]);
    expect(bulk[0]!.entitlement.version).toBe(set.entitlement.version);
    expect((await listHistory(ctx, manager, e.id)).map((h) => h.kind)).toEqual(['create', 'update']);

    await markCustomerDuplicateInvalid(ctx, manager, c.id, { note: 'Test tenant created by mistake.' });
    const versions = (await listEntitlements(ctx, manager, { customerId: c.id })).items.map((x) => x.version);
    const repeated = await markCustomerDuplicateInvalid(ctx, manager, c.id, { note: 'Test tenant created by mistake.' });
    expect(repeated.map((r) => r.entitlement.version)).toEqual(versions);
    expect((await listHistory(ctx, manager, e.id)).map((h) => h.kind)).toEqual(['create', 'update', 'duplicate-invalid']);
  });

  it('clears the projected unblock date when the status leaves Blocked, keeping it in history', async () => {
    const c = await createCustomer(ctx, manager, { tenantId: 'unblock-1', name: 'Unblock', workloads: ['teams'] });
    const e = (await listEntitlements(ctx, manager, { customerId: c.id })).items[0]!;
    const blocked = await updateStatus(ctx, manager, e.id, e.version, { l1: 'Blocked', l2: 'Legal/Regulatory', note: 'The regulator has not yet approved storing patient records abroad.', projectedUnblockDate: '2026-05-01' });
    const moved = await updateStatus(ctx, manager, e.id, blocked.entitlement.version, { l1: 'In Progress', l2: 'Migration', targetDate: '2026-09-01' });
    expect(moved.entitlement.projectedUnblockDate).toBeNull();
    const last = (await listHistory(ctx, manager, e.id)).at(-1)!;
    expect([last.before?.projectedUnblockDate, last.after.projectedUnblockDate]).toEqual(['2026-05-01', null]);
  });

  it('rejects a code that its l1/l2 contradict and saves nothing', async () => {
    const c = await createCustomer(ctx, manager, { tenantId: 'conflict-1', name: 'Conflict', workloads: ['teams'] });
    const e = (await listEntitlements(ctx, manager, { customerId: c.id })).items[0]!;
    const err = await expectCode(updateStatus(ctx, manager, e.id, e.version, { code: 'in-progress/migration', l1: 'Blocked', l2: 'Legal/Regulatory', targetDate: '2026-09-01' }), 'RULE_VIOLATION');
    expect(rulesOf(err)).toEqual(['CODE_MATCHES_LABELS']);
    // One label with the code, which the code's other label does not fit: the same rule (it read as an
    // L2 under the wrong L1).
    for (const labels of [{ l1: 'Blocked' }, { l2: 'Legal/Regulatory' }]) {
      const one = await expectCode(updateStatus(ctx, manager, e.id, e.version, { code: 'in-progress/migration', ...labels, targetDate: '2026-09-01' }), 'RULE_VIOLATION');
      expect(rulesOf(one), JSON.stringify(labels)).toEqual(['CODE_MATCHES_LABELS']);
    }
    expect((await getEntitlement(ctx, manager, e.id)).version).toBe(e.version);
    const ok = await updateStatus(ctx, manager, e.id, e.version, { code: 'in-progress/migration', l1: 'In Progress', l2: 'Migration', targetDate: '2026-09-01' });
    expect(ok.entitlement.code).toBe('in-progress/migration');
  });

  it('takes an L2 given alone as a reason under the current L1, and refuses one of another L1 instead of dropping it', async () => {
    const c = await createCustomer(ctx, manager, { tenantId: 'lone-l2', name: 'Lone L2', workloads: ['teams'] });
    const e = (await listEntitlements(ctx, manager, { customerId: c.id })).items[0]!;
    const moved = await updateStatus(ctx, manager, e.id, e.version, { l1: 'In Progress', l2: 'Migration', targetDate: '2026-09-01' });
    // Only the L2: another In Progress reason.
    const alone = await updateStatus(ctx, manager, e.id, moved.entitlement.version, { l2: 'technical onboarding and deployment' });
    expect([alone.entitlement.code, alone.entitlement.l1, alone.entitlement.targetDate]).toEqual(['in-progress/technical-onboarding-and-deployment', 'In Progress', '2026-09-01']);
    // A reason of another L1 is refused with the rule, and nothing is saved (it was dropped and the note saved).
    const other = await expectCode(updateStatus(ctx, manager, e.id, alone.entitlement.version, { l2: 'Legal/Regulatory', note: 'Waiting for the legal review.' }), 'RULE_VIOLATION');
    expect(rulesOf(other)).toEqual(['L2_BELONGS_TO_L1']);
    await expectCode(updateStatus(ctx, manager, e.id, alone.entitlement.version, { l2: 'No Such Reason' }), 'UNKNOWN_CODE');
    const after = await getEntitlement(ctx, manager, e.id);
    expect([after.version, after.code]).toEqual([alone.entitlement.version, 'in-progress/technical-onboarding-and-deployment']);
  });

  it('filters by owner ignoring case, through the lower(owner) index', async () => {
    const c = await createCustomer(ctx, manager, { tenantId: 'owner-1', name: 'Owners', workloads: ['teams', 'intune'] });
    const [a] = (await listEntitlements(ctx, manager, { customerId: c.id, sort: 'id' })).items;
    await updateStatus(ctx, manager, a!.id, a!.version, { owner: 'Maya Ortiz' });
    for (const owner of ['maya ortiz', 'MAYA ORTIZ', 'Maya Ortiz']) expect((await listEntitlements(ctx, manager, { owner })).items.map((e) => e.id)).toEqual([a!.id]);
    expect((await listEntitlements(ctx, manager, { owner: 'maya' })).total).toBe(0);
    const query = sql`select count(*) from entitlements e where lower(e.owner) = lower(${'maya ortiz'}) and e.partner_id = ${manager.partnerId}`;
    let plan: string;
    if (engine === 'sqlite') {
      plan = JSON.stringify((await sql`explain query plan ${query}`.execute(db.kysely)).rows);
    } else {
      plan = await db.kysely.transaction().execute(async (trx) => {
        await sql`set local enable_seqscan = off`.execute(trx);
        return JSON.stringify((await sql`explain ${query}`.execute(trx)).rows);
      });
    }
    expect(plan).toContain('entitlements_owner_lower');
  });
});
