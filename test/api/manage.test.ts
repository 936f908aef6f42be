import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/index.js';
import { createTestWorld, ENGINES, type TestWorld } from '../factories.js';

describe.each(ENGINES)('customer and user upkeep, search and totals over the API on %s', (engine) => {
  let world: TestWorld;
  let app: FastifyInstance;
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    world = await createTestWorld(engine);
    app = await buildApp(world.services, { webDir: null });
  });
  afterAll(async () => {
    await app?.close();
    await world?.services.close();
  });

  async function createCustomer(tenantId: string, name: string, workloads: string[], token = world.tokens.northManager) {
    const res = await app.inject({ method: 'POST', url: '/api/customers', headers: auth(token), payload: { tenantId, name, workloads } });
    expect(res.statusCode).toBe(201);
    return res.json() as { id: number };
  }

  it('PATCH /api/customers/:id changes name, managed, region and a unique tenant id', async () => {
    const h = auth(world.tokens.northManager);
    const { id } = await createCustomer('fabrikam-1', 'Fabrikam', ['teams']);
    await createCustomer('woodgrove-1', 'Woodgrove Bank', []);
    const ok = await app.inject({ method: 'PATCH', url: `/api/customers/${id}`, headers: h, payload: { name: 'Fabrikam Inc', managed: true, region: 'APAC' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ id, name: 'Fabrikam Inc', managed: true, region: 'APAC', tenantId: 'fabrikam-1', entitlementCount: 1 });
    const taken = await app.inject({ method: 'PATCH', url: `/api/customers/${id}`, headers: h, payload: { tenantId: 'woodgrove-1' } });
    expect([taken.statusCode, taken.json().error.code]).toEqual([409, 'CONFLICT']);
    const empty = await app.inject({ method: 'PATCH', url: `/api/customers/${id}`, headers: h, payload: {} });
    expect([empty.statusCode, empty.json().error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const unknown = await app.inject({ method: 'PATCH', url: `/api/customers/${id}`, headers: h, payload: { partnerId: 2 } });
    expect(unknown.statusCode).toBe(400);
    const editor = await app.inject({ method: 'PATCH', url: `/api/customers/${id}`, headers: auth(world.tokens.northEditor), payload: { name: 'x' } });
    expect([editor.statusCode, editor.json().error.code]).toEqual([403, 'FORBIDDEN']);
    const other = await app.inject({ method: 'PATCH', url: `/api/customers/${id}`, headers: auth(world.tokens.southEditor), payload: { name: 'x' } });
    expect(other.statusCode).toBe(403);
    const admin = await app.inject({ method: 'PATCH', url: `/api/customers/${id}`, headers: auth(world.tokens.admin), payload: { tenantId: 'fabrikam-2', region: null } });
    expect(admin.json()).toMatchObject({ tenantId: 'fabrikam-2', region: null });
    const search = await app.inject({ url: '/api/entitlements?q=fabrikam%20in', headers: auth(world.tokens.northViewer) });
    expect(search.json().total).toBe(1);
    expect((await app.inject({ url: '/api/entitlements?q=FABRIKAM-2', headers: auth(world.tokens.northViewer) })).json().total).toBe(1);
    const csv = await app.inject({ url: '/api/export/entitlements.csv?q=fabrikam', headers: auth(world.tokens.northViewer) });
    expect(csv.statusCode).toBe(200);
    const lines = csv.body.trim().split(/\r?\n/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('fabrikam-2');
    const southCsv = await app.inject({ url: '/api/export/entitlements.csv?q=fabrikam', headers: auth(world.tokens.southEditor) });
    expect(southCsv.body.trim().split(/\r?\n/)).toHaveLength(1);
  });

  it('DELETE /api/customers/:id removes an untouched customer and refuses one with status changes', async () => {
    const h = auth(world.tokens.northManager);
    const { id } = await createCustomer('mistake-1', 'Mistake', ['teams', 'intune']);
    const south = await app.inject({ method: 'DELETE', url: `/api/customers/${id}`, headers: auth(world.tokens.southEditor) });
    expect(south.statusCode).toBe(403);
    const viewer = await app.inject({ method: 'DELETE', url: `/api/customers/${id}`, headers: auth(world.tokens.northViewer) });
    expect(viewer.statusCode).toBe(403);
    const gone = await app.inject({ method: 'DELETE', url: `/api/customers/${id}?reason=${encodeURIComponent('wrong tenant')}`, headers: h });
    expect(gone.statusCode).toBe(200);
    expect(gone.json()).toMatchObject({ customer: { id, tenantId: 'mistake-1' }, entitlementsDeleted: 2 });
    expect((await app.inject({ url: `/api/customers/${id}`, headers: h })).statusCode).toBe(404);
    expect((await app.inject({ method: 'DELETE', url: `/api/customers/${id}`, headers: h })).statusCode).toBe(404);

    const kept = await createCustomer('kept-1', 'Kept', ['teams']);
    const e = (await app.inject({ url: `/api/entitlements?customerId=${kept.id}`, headers: h })).json().items[0];
    const change = await app.inject({ method: 'PUT', url: `/api/entitlements/${e.id}/status`, headers: h, payload: { version: e.version, code: 'in-progress/migration', note: 'Moving the mailboxes in two waves.', targetDate: '2026-09-01' } });
    expect(change.statusCode).toBe(200);
    const refused = await app.inject({ method: 'DELETE', url: `/api/customers/${kept.id}`, headers: h });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({ code: 'CONFLICT', details: { statusChanges: 1, entitlements: 1 } });
    expect(refused.json().error.message).toMatch(/duplicate-invalid/);
    expect((await app.inject({ url: `/api/entitlements/${e.id}/history`, headers: h })).json().items).toHaveLength(2);
  });

  it('PATCH /api/users/:id disables a user: tokens, sessions and logins answer 401 ACCOUNT_DISABLED', async () => {
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: world.users.northEditor });
    const cookie = String(login.headers['set-cookie']).split(';')[0]!;
    expect((await app.inject({ url: '/api/me', headers: { cookie } })).statusCode).toBe(200);
    const users = (await app.inject({ url: '/api/users', headers: auth(world.tokens.northManager) })).json().items as { id: number; email: string }[];
    const editor = users.find((u) => u.email === world.users.northEditor.email)!;
    const manager = users.find((u) => u.email === 'manager@north.test')!;

    const south = await app.inject({ method: 'PATCH', url: `/api/users/${editor.id}`, headers: auth(world.tokens.southEditor), payload: { disabled: true } });
    expect(south.statusCode).toBe(403);
    const self = await app.inject({ method: 'PATCH', url: `/api/users/${manager.id}`, headers: auth(world.tokens.northManager), payload: { disabled: true } });
    expect([self.statusCode, self.json().error.code]).toEqual([403, 'FORBIDDEN']);
    const promote = await app.inject({ method: 'PATCH', url: `/api/users/${editor.id}`, headers: auth(world.tokens.northManager), payload: { role: 'admin' } });
    expect(promote.statusCode).toBe(400);

    const disabled = await app.inject({ method: 'PATCH', url: `/api/users/${editor.id}`, headers: auth(world.tokens.northManager), payload: { disabled: true, name: 'Editor (left)' } });
    expect(disabled.statusCode).toBe(200);
    expect(disabled.json()).toMatchObject({ id: editor.id, disabled: true, name: 'Editor (left)', role: 'editor' });
    const byToken = await app.inject({ url: '/api/me', headers: auth(world.tokens.northEditor) });
    expect([byToken.statusCode, byToken.json().error.code]).toEqual([401, 'ACCOUNT_DISABLED']);
    expect((await app.inject({ url: '/api/me', headers: { cookie } })).statusCode).toBe(401);
    const relogin = await app.inject({ method: 'POST', url: '/api/auth/login', payload: world.users.northEditor });
    expect([relogin.statusCode, relogin.json().error.code]).toEqual([401, 'ACCOUNT_DISABLED']);
    const wrong = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { ...world.users.northEditor, password: 'not-the-password' } });
    expect([wrong.statusCode, wrong.json().error.code]).toEqual([401, 'UNAUTHENTICATED']);

    const enabled = await app.inject({ method: 'PATCH', url: `/api/users/${editor.id}`, headers: auth(world.tokens.admin), payload: { disabled: false, role: 'viewer' } });
    expect(enabled.json()).toMatchObject({ disabled: false, role: 'viewer' });
    expect((await app.inject({ url: '/api/me', headers: auth(world.tokens.northEditor) })).json()).toMatchObject({ role: 'viewer' });
    expect((await app.inject({ method: 'POST', url: '/api/auth/login', payload: world.users.northEditor })).statusCode).toBe(200);
    await app.inject({ method: 'PATCH', url: `/api/users/${editor.id}`, headers: auth(world.tokens.admin), payload: { role: 'editor' } });
  });

  it('counts list totals exactly and describes the new endpoints in OpenAPI', async () => {
    const h = auth(world.tokens.northViewer);
    const all = (await app.inject({ url: '/api/entitlements?pageSize=1', headers: h })).json();
    expect(all).toMatchObject({ totalCapped: false });
    expect(all.total).toBe((await app.inject({ url: '/api/entitlements?pageSize=500', headers: h })).json().items.length);
    const spec = (await app.inject({ url: '/api/openapi.json' })).json();
    expect(Object.keys(spec.paths['/api/customers/{id}'])).toEqual(expect.arrayContaining(['get', 'patch', 'delete']));
    expect(Object.keys(spec.paths['/api/users/{id}'])).toEqual(['patch']);
  });
});
