import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/index.js';
import { createTestWorld, ENGINES, type TestWorld } from '../factories.js';

const BLOCKER = 'Their outbound proxy rewrites sign-in traffic; the network team must add an exception before the pilot.';

describe.each(ENGINES)('REST API on %s', (engine) => {
  let world: TestWorld;
  let app: FastifyInstance;
  let customerId: number;
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    world = await createTestWorld(engine);
    // As behind a TLS-terminating proxy (TRUST_PROXY): the login test sends X-Forwarded-Proto.
    app = await buildApp(world.services, { webDir: null, trustProxy: true });
    const res = await app.inject({ method: 'POST', url: '/api/customers', headers: auth(world.tokens.northManager), payload: { tenantId: 'contoso-001', name: 'Contoso Pharma', managed: true, region: 'EMEA', workloads: ['exchange-online', 'teams', 'intune'] } });
    expect(res.statusCode).toBe(201);
    customerId = res.json().id;
  });
  afterAll(async () => {
    await app?.close();
    await world?.services.close();
  });

  async function firstEntitlement(workload: string, token = world.tokens.northEditor) {
    const res = await app.inject({ url: `/api/entitlements?customerId=${customerId}&workload=${workload}`, headers: auth(token) });
    return res.json().items[0] as { id: number; version: number; l1: string };
  }

  it('serves health without auth and refuses everything else without it', async () => {
    expect((await app.inject({ url: '/api/health' })).json()).toMatchObject({ ok: true, engine });
    const res = await app.inject({ url: '/api/me' });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('UNAUTHENTICATED');
    expect((await app.inject({ url: '/api/me', headers: { authorization: 'Bearer ub_nope' } })).statusCode).toBe(401);
    expect((await app.inject({ url: '/api/me', headers: { authorization: 'Basic abc' } })).statusCode).toBe(401);
  });

  it('logs in with a secure, httpOnly session cookie and logs out', async () => {
    const bad = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: world.users.northEditor.email, password: 'wrong' } });
    expect(bad.statusCode).toBe(401);
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'x-forwarded-proto': 'https' }, payload: world.users.northEditor });
    expect(login.statusCode).toBe(200);
    expect(login.json().user).toMatchObject({ email: world.users.northEditor.email, role: 'editor' });
    const setCookie = String(login.headers['set-cookie']);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).toMatch(/Secure/);
    const cookie = setCookie.split(';')[0]!;
    const me = await app.inject({ url: '/api/me', headers: { cookie } });
    expect(me.json()).toMatchObject({ role: 'editor', partnerId: world.partners.north, email: world.users.northEditor.email });
    expect((await app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } })).statusCode).toBe(204);
    expect((await app.inject({ url: '/api/me', headers: { cookie } })).statusCode).toBe(401);
  });

  it('tells the caller who they are, email included, for a token as for a session', async () => {
    const me = await app.inject({ url: '/api/me', headers: auth(world.tokens.admin) });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toEqual({ id: expect.any(Number), name: 'admin', email: 'admin@test.local', role: 'admin', partnerId: null, mustChangePassword: false });
    const manager = await app.inject({ url: '/api/me', headers: auth(world.tokens.northManager) });
    expect(manager.json()).toMatchObject({ email: 'manager@north.test', role: 'manager', partnerId: world.partners.north });
  });

  it('walks the Blocked flow: rejected without an unblock date, fixed, and recorded in history', async () => {
    const e = await firstEntitlement('exchange-online');
    expect(e.l1).toBe('Status Unknown');
    const rejected = await app.inject({ method: 'PUT', url: `/api/entitlements/${e.id}/status`, headers: auth(world.tokens.northEditor), payload: { version: e.version, l1: 'Blocked', l2: 'Customer IT Infrastructure and Remediation', note: BLOCKER } });
    expect(rejected.statusCode).toBe(422);
    expect(rejected.json().error.code).toBe('RULE_VIOLATION');
    expect(rejected.json().error.details.violations.map((v: { rule: string }) => v.rule)).toEqual(['BLOCKED_UNBLOCK_DATE']);

    const ok = await app.inject({ method: 'PUT', url: `/api/entitlements/${e.id}/status`, headers: auth(world.tokens.northEditor), payload: { version: e.version, l1: 'Blocked', l2: 'Customer IT Infrastructure and Remediation', note: BLOCKER, projectedUnblockDate: '2026-05-01' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().entitlement).toMatchObject({ version: 2, code: 'blocked/customer-it-infrastructure-and-remediation', noteGrade: 'great' });
    expect(ok.json().warnings).toEqual([]);

    const stale = await app.inject({ method: 'PUT', url: `/api/entitlements/${e.id}/status`, headers: auth(world.tokens.northEditor), payload: { version: 1, owner: 'Someone' } });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({ code: 'VERSION_CONFLICT', details: { current: { version: 2 } } });

    const history = await app.inject({ url: `/api/entitlements/${e.id}/history`, headers: auth(world.tokens.northViewer) });
    expect(history.json().items.map((h: { kind: string; toCode: string }) => `${h.kind}:${h.toCode}`)).toEqual([
      'create:status-unknown/new-subscription-or-workload',
      'update:blocked/customer-it-infrastructure-and-remediation',
    ]);
    expect(history.json().items[1].suggestion.code).toBe('blocked/customer-it-infrastructure-and-remediation');
  });

  it('warns (without refusing) about weak notes and notes that read as another code', async () => {
    const e = await firstEntitlement('teams');
    const res = await app.inject({ method: 'PUT', url: `/api/entitlements/${e.id}/status`, headers: auth(world.tokens.northEditor), payload: { version: e.version, code: 'in-progress/technical-onboarding-and-deployment', note: 'Migrating now.', targetDate: '2026-08-01' } });
    expect(res.statusCode).toBe(200);
    expect(res.json().warnings.map((w: { code: string }) => w.code).sort()).toEqual(['NOTE_READS_AS_OTHER_CODE', 'WEAK_NOTE']);
  });

  it('turns bad input into 4xx errors with stable codes and writes nothing', async () => {
    const e = await firstEntitlement('intune');
    const put = (payload: unknown, headers: Record<string, string> = {}) =>
      app.inject({ method: 'PUT', url: `/api/entitlements/${e.id}/status`, headers: { ...auth(world.tokens.northEditor), ...headers }, payload: payload as string });
    const cases: [unknown, Record<string, string>, number, string][] = [
      ['{"version": 1, "l1": ', { 'content-type': 'application/json' }, 400, 'INVALID_JSON'],
      [{ version: 'one', l1: 'Blocked' }, {}, 400, 'VALIDATION_FAILED'],
      [{ version: 1, l1: 'Paused' }, {}, 400, 'UNKNOWN_CODE'],
      [{ version: 1, l1: 'Blocked', l2: 'Migration' }, {}, 422, 'RULE_VIOLATION'],
      [{ version: 1, l1: 'In Progress', l2: 'Migration', targetDate: '2026-01-15' }, {}, 422, 'RULE_VIOLATION'],
      [{ version: 1, l1: 'In Progress', l2: 'Migration', targetDate: '2026-02-31' }, {}, 400, 'VALIDATION_FAILED'],
      [{ version: 1, note: 'x'.repeat(11 * 1024 * 1024) }, {}, 413, 'PAYLOAD_TOO_LARGE'],
      ['version=1', { 'content-type': 'application/x-www-form-urlencoded' }, 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ];
    for (const [payload, headers, status, code] of cases) {
      const res = await put(payload, headers);
      expect([res.statusCode, res.json().error.code], JSON.stringify(payload).slice(0, 60)).toEqual([status, code]);
    }
    expect((await app.inject({ url: `/api/entitlements/${e.id}`, headers: auth(world.tokens.northEditor) })).json().version).toBe(1);
    expect((await app.inject({ url: '/api/entitlements/abc', headers: auth(world.tokens.northEditor) })).statusCode).toBe(400);
    expect((await app.inject({ url: '/api/entitlements?pageSize=100000', headers: auth(world.tokens.northEditor) })).json().error.code).toBe('VALIDATION_FAILED');
    expect((await app.inject({ url: '/api/nothing-here', headers: auth(world.tokens.northEditor) })).json().error.code).toBe('NOT_FOUND');
  });

  it("hides another partner's data and enforces roles", async () => {
    const e = await firstEntitlement('intune');
    const south = auth(world.tokens.southEditor);
    expect((await app.inject({ url: `/api/entitlements/${e.id}`, headers: south })).statusCode).toBe(404);
    expect((await app.inject({ url: `/api/customers/${customerId}`, headers: south })).statusCode).toBe(404);
    expect((await app.inject({ method: 'PUT', url: `/api/entitlements/${e.id}/status`, headers: south, payload: { version: 1, note: 'hello there' } })).statusCode).toBe(404);
    expect((await app.inject({ url: '/api/entitlements', headers: south })).json().total).toBe(0);
    const viewer = await app.inject({ method: 'PUT', url: `/api/entitlements/${e.id}/status`, headers: auth(world.tokens.northViewer), payload: { version: 1, owner: 'me' } });
    expect([viewer.statusCode, viewer.json().error.code]).toEqual([403, 'FORBIDDEN']);
    const editorCreates = await app.inject({ method: 'POST', url: '/api/customers', headers: auth(world.tokens.northEditor), payload: { tenantId: 'x1', name: 'X' } });
    expect(editorCreates.statusCode).toBe(403);
    expect((await app.inject({ url: '/api/entitlements', headers: auth(world.tokens.admin) })).json().total).toBe(3);
  });

  it('lists with filters, sorting and pagination', async () => {
    const h = auth(world.tokens.northViewer);
    const page1 = (await app.inject({ url: '/api/entitlements?pageSize=2&sort=workload&order=desc', headers: h })).json();
    expect(page1).toMatchObject({ total: 3, page: 1, pageSize: 2 });
    expect(page1.items.map((i: { workload: string }) => i.workload)).toEqual(['teams', 'intune']);
    const page2 = (await app.inject({ url: '/api/entitlements?pageSize=2&page=2&sort=workload&order=desc', headers: h })).json();
    expect(page2.items.map((i: { workload: string }) => i.workload)).toEqual(['exchange-online']);
    expect((await app.inject({ url: '/api/entitlements?l1=blocked', headers: h })).json().total).toBe(1);
    expect((await app.inject({ url: `/api/entitlements?l2=${encodeURIComponent('Customer IT Infrastructure and Remediation')}`, headers: h })).json().total).toBe(1);
    expect((await app.inject({ url: '/api/entitlements?q=proxy', headers: h })).json().total).toBe(1);
    expect((await app.inject({ url: `/api/entitlements?partnerId=${world.partners.south}`, headers: h })).json().total).toBe(0);
    expect((await app.inject({ url: '/api/entitlements?minDays=1', headers: h })).json().total).toBe(0);
  });

  it('changes statuses in bulk all-or-nothing and marks a whole customer Duplicate/Invalid', async () => {
    const h = auth(world.tokens.northManager);
    const created = await app.inject({ method: 'POST', url: '/api/customers', headers: h, payload: { tenantId: 'dup-9', name: 'Contoso Pharma (again)', workloads: ['teams', 'onedrive'] } });
    const id = created.json().id;
    const items = (await app.inject({ url: `/api/entitlements?customerId=${id}`, headers: h })).json().items as { id: number; version: number }[];
    const bad = await app.inject({ method: 'POST', url: '/api/entitlements/bulk-status', headers: h, payload: { items: [{ id: items[0]!.id, version: 1, code: 'in-progress/migration', targetDate: '2026-09-01' }, { id: items[1]!.id, version: 1, code: 'no-intent/executive-sponsorship' }] } });
    expect([bad.statusCode, bad.json().error.code]).toEqual([422, 'RULE_VIOLATION']);
    expect((await app.inject({ url: `/api/entitlements/${items[0]!.id}`, headers: h })).json().version).toBe(1);
    const single = await app.inject({ method: 'PUT', url: `/api/entitlements/${items[0]!.id}/status`, headers: h, payload: { version: 1, code: 'duplicate-invalid' } });
    expect(single.json().error.details.violations[0].rule).toBe('DUPLICATE_INVALID_WHOLE_CUSTOMER');
    const dup = await app.inject({ method: 'POST', url: `/api/customers/${id}/duplicate-invalid`, headers: h, payload: { note: 'Second record for tenant contoso-001.' } });
    expect(dup.statusCode).toBe(200);
    expect(dup.json().items.map((r: { entitlement: { code: string } }) => r.entitlement.code)).toEqual(['duplicate-invalid', 'duplicate-invalid']);
  });

  it('manages tokens: shown once, listed without secrets, revocable', async () => {
    const created = await app.inject({ method: 'POST', url: '/api/tokens', headers: auth(world.tokens.northEditor), payload: { name: 'script', expiresInDays: 30 } });
    expect(created.statusCode).toBe(201);
    const { token, info } = created.json();
    expect((await app.inject({ url: '/api/me', headers: auth(token) })).statusCode).toBe(200);
    const list = await app.inject({ url: '/api/tokens', headers: auth(world.tokens.northEditor) });
    expect(JSON.stringify(list.json())).not.toContain(token);
    expect((await app.inject({ method: 'DELETE', url: `/api/tokens/${info.id}`, headers: auth(world.tokens.southEditor) })).statusCode).toBe(404);
    expect((await app.inject({ method: 'DELETE', url: `/api/tokens/${info.id}`, headers: auth(world.tokens.northEditor) })).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/me', headers: auth(token) })).statusCode).toBe(401);
  });

  it('classifies and grades notes, and describes itself in OpenAPI', async () => {
    const h = auth(world.tokens.northViewer);
    const c = await app.inject({ method: 'POST', url: '/api/classify', headers: h, payload: { text: 'Data residency law forbids storing mail abroad.' } });
    expect(c.json()).toMatchObject({ code: 'blocked/legal-regulatory', abstained: false });
    const g = await app.inject({ method: 'POST', url: '/api/notes/grade', headers: h, payload: { text: 'In progress' } });
    expect(g.json().grade).toBe('poor');
    expect((await app.inject({ method: 'POST', url: '/api/classify', headers: h, payload: { text: 42 } })).statusCode).toBe(400);
    const spec = (await app.inject({ url: '/api/openapi.json' })).json();
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/api/entitlements', '/api/entitlements/{id}/status', '/api/customers/{id}/duplicate-invalid']));
    expect((await app.inject({ url: '/api/docs/' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/taxonomy', headers: h })).json().codes.length).toBe(19);
  });

  it('serves the reports, scoped to the caller', async () => {
    const north = auth(world.tokens.northViewer);
    const counts = (await app.inject({ url: '/api/reports/counts?by=l1', headers: north })).json();
    expect(counts.rows.find((r: { key: string }) => r.key === 'blocked')).toMatchObject({ label: 'Blocked', count: 1 });
    expect((await app.inject({ url: '/api/reports/counts?by=l1', headers: auth(world.tokens.southEditor) })).json().total).toBe(0);
    expect((await app.inject({ url: '/api/reports/counts?by=colour', headers: north })).json().error.code).toBe('VALIDATION_FAILED');
    const ageing = (await app.inject({ url: '/api/reports/ageing', headers: north })).json();
    expect(ageing.buckets[0]).toMatchObject({ label: '0-7 days', count: 1 });
    const forecast = (await app.inject({ url: '/api/reports/forecast?weeks=10', headers: north })).json();
    expect(forecast.weeks.reduce((s: number, w: { projected: number }) => s + w.projected, 0)).toBe(1);
    const flow = (await app.inject({ url: '/api/reports/flow?level=l1', headers: north })).json();
    expect(flow.rows).toEqual(expect.arrayContaining([{ from: 'status-unknown', to: 'blocked', count: 1 }]));
    expect((await app.inject({ url: '/api/reports/note-quality', headers: north })).json().months.length).toBe(1);
    expect((await app.inject({ url: '/api/reports/flow?from=2026-05-01&to=2026-01-01', headers: north })).statusCode).toBe(400);
  });
});
