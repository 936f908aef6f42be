/**
 * Duplicate/Invalid through the REST API, on both engines: a whole customer goes in with one change,
 * each of its entitlements may then be edited alone while it stays Duplicate/Invalid, and the customer
 * comes out again (is restored) only with every entitlement in one all-or-nothing bulk change.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/index.js';
import { createTestWorld, ENGINES, type TestWorld } from '../factories.js';

interface Row {
  id: number;
  version: number;
  code: string;
  note: string;
  owner: string | null;
}

const REASON = 'Second record for tenant contoso-001; the customer works in that one.';

describe.each(ENGINES)('Duplicate/Invalid customers over the API on %s', (engine) => {
  let world: TestWorld;
  let app: FastifyInstance;
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const editor = () => auth(world.tokens.northEditor);

  beforeAll(async () => {
    world = await createTestWorld(engine);
    app = await buildApp(world.services, { webDir: null });
  });
  afterAll(async () => {
    await app?.close();
    await world?.services.close();
  });

  async function newCustomer(tenantId: string, workloads: string[]): Promise<number> {
    const res = await app.inject({ method: 'POST', url: '/api/customers', headers: auth(world.tokens.northManager), payload: { tenantId, name: `Customer ${tenantId}`, workloads } });
    expect(res.statusCode).toBe(201);
    return res.json().id as number;
  }
  async function rowsOf(customerId: number): Promise<Row[]> {
    return (await app.inject({ url: `/api/entitlements?customerId=${customerId}&sort=id`, headers: editor() })).json().items as Row[];
  }
  async function markDuplicate(customerId: number): Promise<Row[]> {
    const res = await app.inject({ method: 'POST', url: `/api/customers/${customerId}/duplicate-invalid`, headers: editor(), payload: { note: REASON } });
    expect(res.statusCode).toBe(200);
    return rowsOf(customerId);
  }
  const historyKinds = async (id: number) => ((await app.inject({ url: `/api/entitlements/${id}/history`, headers: editor() })).json().items as { kind: string }[]).map((h) => h.kind);

  it('refuses a blank reason (it would replace every note) and a customer with no entitlements, changing nothing', async () => {
    const customerId = await newCustomer('dup-blank', ['teams', 'intune']);
    const before = await rowsOf(customerId);
    const blank = await app.inject({ method: 'POST', url: `/api/customers/${customerId}/duplicate-invalid`, headers: editor(), payload: { note: '   ' } });
    expect([blank.statusCode, blank.json().error.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(await rowsOf(customerId)).toEqual(before);
    const empty = await newCustomer('dup-empty', []);
    const none = await app.inject({ method: 'POST', url: `/api/customers/${empty}/duplicate-invalid`, headers: editor(), payload: { note: REASON } });
    expect([none.statusCode, none.json().error.code]).toEqual([409, 'CONFLICT']);
  });

  it('edits the note and owner of one entitlement that stays Duplicate/Invalid', async () => {
    const [a, b] = await markDuplicate(await newCustomer('dup-edit', ['teams', 'intune']));
    const res = await app.inject({ method: 'PUT', url: `/api/entitlements/${a!.id}/status`, headers: editor(), payload: { version: a!.version, note: 'Second record for contoso-001; keep the older one.', owner: 'Maya Lindqvist' } });
    expect(res.statusCode).toBe(200);
    expect(res.json().entitlement).toMatchObject({ code: 'duplicate-invalid', note: 'Second record for contoso-001; keep the older one.', owner: 'Maya Lindqvist', version: a!.version + 1 });
    expect(await historyKinds(a!.id)).toEqual(['create', 'duplicate-invalid', 'update']);
    // The sibling is left alone.
    expect((await app.inject({ url: `/api/entitlements/${b!.id}`, headers: editor() })).json()).toMatchObject({ version: b!.version, note: REASON, owner: null });

    // The web form sends the labels with every other field; naming the same code is no change of code.
    const again = await app.inject({ method: 'PUT', url: `/api/entitlements/${b!.id}/status`, headers: editor(), payload: { version: b!.version, l1: 'Duplicate/Invalid', l2: null, note: REASON, nextAction: 'Ask the account team to close it' } });
    expect(again.statusCode).toBe(200);
    expect(again.json().entitlement).toMatchObject({ code: 'duplicate-invalid', nextAction: 'Ask the account team to close it' });
  });

  it('edits the notes of several Duplicate/Invalid entitlements in one bulk change', async () => {
    const customerId = await newCustomer('dup-bulk-edit', ['teams', 'onedrive', 'defender']);
    const rows = await markDuplicate(customerId);
    const res = await app.inject({ method: 'POST', url: '/api/entitlements/bulk-status', headers: editor(), payload: { items: rows.slice(0, 2).map((r) => ({ id: r.id, version: r.version, owner: 'Account team' })) } });
    expect(res.statusCode).toBe(200);
    expect((await rowsOf(customerId)).map((r) => [r.code, r.owner])).toEqual([['duplicate-invalid', 'Account team'], ['duplicate-invalid', 'Account team'], ['duplicate-invalid', null]]);
  });

  it('still refuses one entitlement entering or leaving Duplicate/Invalid alone', async () => {
    const plain = await rowsOf(await newCustomer('dup-enter', ['teams', 'intune']));
    const enter = await app.inject({ method: 'PUT', url: `/api/entitlements/${plain[0]!.id}/status`, headers: editor(), payload: { version: plain[0]!.version, code: 'duplicate-invalid', note: REASON } });
    expect([enter.statusCode, enter.json().error.code]).toEqual([422, 'RULE_VIOLATION']);
    expect(enter.json().error.details.violations.map((v: { rule: string }) => v.rule)).toEqual(['DUPLICATE_INVALID_WHOLE_CUSTOMER']);
    const bulkEnter = await app.inject({ method: 'POST', url: '/api/entitlements/bulk-status', headers: editor(), payload: { items: plain.map((r) => ({ id: r.id, version: r.version, code: 'duplicate-invalid' })) } });
    expect([bulkEnter.statusCode, bulkEnter.json().error.code]).toEqual([422, 'RULE_VIOLATION']);

    const [a] = await markDuplicate(await newCustomer('dup-leave', ['teams', 'intune']));
    const leave = await app.inject({ method: 'PUT', url: `/api/entitlements/${a!.id}/status`, headers: editor(), payload: { version: a!.version, l1: 'Status Unknown', l2: 'New Subscription or Workload' } });
    expect([leave.statusCode, leave.json().error.code]).toEqual([422, 'RULE_VIOLATION']);
    expect(leave.json().error.details.violations.map((v: { rule: string }) => v.rule)).toEqual(['DUPLICATE_INVALID_WHOLE_CUSTOMER']);
  });

  it('restores a customer: every entitlement in one bulk change, all or nothing, version-checked', async () => {
    const customerId = await newCustomer('dup-restore', ['teams', 'intune', 'exchange-online']);
    const rows = await markDuplicate(customerId);
    const restore = (items: Row[], version = (r: Row) => r.version) => app.inject({
      method: 'POST', url: '/api/entitlements/bulk-status', headers: editor(),
      payload: { restoreDuplicateInvalid: true, items: items.map((r) => ({ id: r.id, version: version(r), l1: 'Status Unknown', l2: 'New Subscription or Workload', note: 'Not a duplicate after all: this is the production tenant.' })) },
    });

    const part = await restore(rows.slice(0, 2));
    expect([part.statusCode, part.json().error.code]).toEqual([422, 'RULE_VIOLATION']);
    expect(part.json().error.details.items.map((i: { violations: { rule: string }[] }) => i.violations[0]!.rule)).toEqual(['DUPLICATE_INVALID_WHOLE_CUSTOMER', 'DUPLICATE_INVALID_WHOLE_CUSTOMER']);

    const stale = await restore(rows, (r) => (r.id === rows[1]!.id ? r.version - 1 : r.version));
    expect([stale.statusCode, stale.json().error.code]).toEqual([409, 'VERSION_CONFLICT']);
    expect(stale.json().error.details.conflicts.map((c: { id: number }) => c.id)).toEqual([rows[1]!.id]);
    expect((await rowsOf(customerId)).map((r) => [r.code, r.version])).toEqual(rows.map((r) => ['duplicate-invalid', r.version]));

    const done = await restore(rows);
    expect(done.statusCode).toBe(200);
    expect((await rowsOf(customerId)).map((r) => [r.code, r.note])).toEqual(rows.map(() => ['status-unknown/new-subscription-or-workload', 'Not a duplicate after all: this is the production tenant.']));
    expect(await historyKinds(rows[0]!.id)).toEqual(['create', 'duplicate-invalid', 'bulk']);
  });

  it('restores a customer through the bulk change only with restoreDuplicateInvalid: true, naming the customers otherwise', async () => {
    // A "select all" bulk change: a plain customer's entitlements and every entitlement of a Duplicate/Invalid one.
    const plainId = await newCustomer('dup-select-plain', ['teams']);
    const dupId = await newCustomer('dup-select-all', ['teams', 'intune']);
    const duplicates = await markDuplicate(dupId);
    const selected = [...(await rowsOf(plainId)), ...duplicates];
    const change = (extra: Record<string, unknown>) => app.inject({
      method: 'POST', url: '/api/entitlements/bulk-status', headers: editor(),
      payload: { ...extra, items: selected.map((r) => ({ id: r.id, version: r.version, l1: 'Status Unknown', l2: 'Customer Unresponsive' })) },
    });
    const rows = async () => [...(await rowsOf(plainId)), ...(await rowsOf(dupId))];
    const before = await rows();

    for (const extra of [{}, { restoreDuplicateInvalid: false }]) {
      const refused = await change(extra);
      expect([refused.statusCode, refused.json().error.code]).toEqual([422, 'RESTORE_NOT_CONFIRMED']);
      expect(refused.json().error.message).toMatch(/Customer dup-select-all \(tenant dup-select-all\)/);
      expect(refused.json().error.message).toMatch(/restoreDuplicateInvalid/);
      expect(refused.json().error.details).toEqual({
        customers: [{ customerId: dupId, tenantId: 'dup-select-all', customerName: 'Customer dup-select-all', entitlementIds: duplicates.map((r) => r.id) }],
        flag: 'restoreDuplicateInvalid',
      });
      expect(await rows()).toEqual(before);
    }
    // The flag must be a boolean.
    const text = await change({ restoreDuplicateInvalid: 'yes' });
    expect([text.statusCode, text.json().error.code]).toEqual([400, 'VALIDATION_FAILED']);

    const done = await change({ restoreDuplicateInvalid: true });
    expect(done.statusCode).toBe(200);
    expect((await rows()).map((r) => r.code)).toEqual(['status-unknown/customer-unresponsive', 'status-unknown/customer-unresponsive', 'status-unknown/customer-unresponsive']);
  });

  it('lets only roles that change statuses do it, and only on their own partner', async () => {
    const customerId = await newCustomer('dup-roles', ['teams']);
    const viewer = await app.inject({ method: 'POST', url: `/api/customers/${customerId}/duplicate-invalid`, headers: auth(world.tokens.northViewer), payload: { note: REASON } });
    expect([viewer.statusCode, viewer.json().error.code]).toEqual([403, 'FORBIDDEN']);
    const [a] = await markDuplicate(customerId);
    const viewerEdit = await app.inject({ method: 'PUT', url: `/api/entitlements/${a!.id}/status`, headers: auth(world.tokens.northViewer), payload: { version: a!.version, owner: 'Vera' } });
    expect(viewerEdit.statusCode).toBe(403);
    const otherPartner = await app.inject({ method: 'PUT', url: `/api/entitlements/${a!.id}/status`, headers: auth(world.tokens.southEditor), payload: { version: a!.version, owner: 'Sam' } });
    expect(otherPartner.statusCode).toBe(404);
  });
});
