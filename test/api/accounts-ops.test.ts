/** Operations around accounts: server-error logging, login throttling, security headers, passwords. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, serverLogging } from '../../src/http/index.js';
import { createUser, setUserPassword, SYSTEM_ACTOR } from '../../src/tracker/index.js';
import { createTestWorld, ENGINES, expectCode, type TestWorld } from '../factories.js';

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

describe('server error logging', () => {
  it('logs a 5xx with its stack at the default level, without per-request lines, and never sends the stack', async () => {
    const lines: string[] = [];
    const world = await createTestWorld('sqlite');
    const app = await buildApp(world.services, { webDir: null, ...serverLogging('info', { write: (line) => void lines.push(line) }) });
    app.get('/api/test-explode', { config: { public: true } }, async () => {
      throw new Error('database exploded at line 42');
    });
    try {
      expect((await app.inject({ url: '/api/health' })).statusCode).toBe(200);
      expect(lines).toEqual([]);
      const res = await app.inject({ url: '/api/test-explode' });
      expect(res.statusCode).toBe(500);
      expect(res.json().error).toEqual({ code: 'INTERNAL', message: expect.stringMatching(/logged/), details: null });
      expect(res.body).not.toMatch(/exploded|at .*\.ts/);
      expect(lines).toHaveLength(1);
      const entry = JSON.parse(lines[0]!) as { level: number; msg: string; err: { message: string; stack: string } };
      expect(entry.level).toBe(50);
      expect(entry.err.message).toBe('database exploded at line 42');
      expect(entry.err.stack).toMatch(/accounts-ops\.test\.ts/);
      expect((await app.inject({ url: '/api/me' })).statusCode).toBe(401);
      expect(lines).toHaveLength(1);
    } finally {
      await app.close();
      await world.services.close();
    }
  });

  it('adds a line per request at debug, and nothing at silent', () => {
    expect(serverLogging('debug').disableRequestLogging).toBe(false);
    expect(serverLogging('info').disableRequestLogging).toBe(true);
    expect(serverLogging('silent').logger.level).toBe('silent');
  });
});

describe('security headers', () => {
  it('sends CSP, X-Frame-Options and X-Content-Type-Options with the web app, the API docs and the API', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'unblock-web-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Unblock</title>');
    const world = await createTestWorld('sqlite');
    const app = await buildApp(world.services, { webDir: dir });
    try {
      for (const url of ['/', '/customers/1', '/api/docs/', '/api/health']) {
        const res = await app.inject({ url });
        expect(res.statusCode, url).toBe(200);
        const csp = String(res.headers['content-security-policy']);
        expect(csp, url).toMatch(/default-src 'self'/);
        expect(csp, url).toMatch(/script-src 'self';/);
        expect(csp, url).toMatch(/frame-ancestors 'none'/);
        expect(csp, url).not.toMatch(/upgrade-insecure-requests/);
        expect(res.headers['x-frame-options'], url).toBe('DENY');
        expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      }
    } finally {
      await app.close();
      await world.services.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.each(ENGINES)('accounts on %s', (engine) => {
  let world: TestWorld;
  let app: FastifyInstance;

  beforeAll(async () => {
    world = await createTestWorld(engine);
    // Behind a proxy (TRUST_PROXY) so that X-Forwarded-For gives each simulated client its address.
    app = await buildApp(world.services, { webDir: null, trustProxy: true });
  });
  afterAll(async () => {
    await app?.close();
    await world?.services.close();
  });

  const login = (email: string, password: string, ip = '10.0.0.1') => app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'x-forwarded-for': ip }, payload: { email, password } });

  it('throttles failed sign-ins per email and address: the 11th attempt answers 429 with Retry-After even with the right password, but not from another address', async () => {
    const email = 'throttled@north.test';
    const password = 'throttled-pass';
    const created = await app.inject({ method: 'POST', url: '/api/users', headers: auth(world.tokens.admin), payload: { email, name: 'Throttled', role: 'viewer', partnerId: world.partners.north, password } });
    expect(created.statusCode).toBe(201);
    for (let i = 0; i < 10; i++) expect((await login(email, `wrong-${i}`, '10.1.0.1')).statusCode).toBe(401);
    const limited = await login(email, password, '10.1.0.1');
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(800);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(900);
    // Someone guessing at this email does not lock its owner out: from their own address they sign in.
    expect((await login(email, password, '10.1.0.2')).statusCode).toBe(200);
    // Guessing spread over many addresses (100 failures in all) locks the email everywhere.
    for (let i = 0; i < 90; i++) expect((await login(email, `wrong-${i}`, `10.1.1.${i}`)).statusCode).toBe(401);
    expect((await login(email, password, '10.1.0.3')).statusCode).toBe(429);
    // Another account from another address is not affected.
    expect((await login('manager@north.test', 'whatever-1', '10.2.0.1')).statusCode).toBe(401);
  });

  it('throttles per client address across emails, and a success clears the email count', async () => {
    const user = await app.inject({ method: 'POST', url: '/api/users', headers: auth(world.tokens.admin), payload: { email: 'fresh@north.test', name: 'Fresh', role: 'viewer', partnerId: world.partners.north, password: 'fresh-pass-1' } });
    expect(user.statusCode).toBe(201);
    for (let i = 0; i < 9; i++) expect((await login('fresh@north.test', 'nope-nope', '10.3.0.1')).statusCode).toBe(401);
    expect((await login('fresh@north.test', 'fresh-pass-1', '10.3.0.2')).statusCode).toBe(200);
    for (let i = 0; i < 9; i++) expect((await login('fresh@north.test', 'nope-nope', '10.3.0.3')).statusCode).toBe(401);
    expect((await login('fresh@north.test', 'fresh-pass-1', '10.3.0.4')).statusCode).toBe(200);
    for (let i = 0; i < 30; i++) expect((await login(`nobody-${i}@north.test`, 'nope-nope', '10.4.0.1')).statusCode).toBe(401);
    expect((await login('fresh@north.test', 'fresh-pass-1', '10.4.0.1')).statusCode).toBe(429);
  });

  it('ignores X-Forwarded-For unless TRUST_PROXY is set, so a client cannot forge its way past the address limit', async () => {
    const direct = await buildApp(world.services, { webDir: null });
    try {
      for (let i = 0; i < 30; i++) {
        const res = await direct.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: '10.9.0.1', headers: { 'x-forwarded-for': `10.8.0.${i}` }, payload: { email: `forger-${i}@north.test`, password: 'nope-nope' } });
        expect(res.statusCode).toBe(401);
      }
      const refused = await direct.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: '10.9.0.1', headers: { 'x-forwarded-for': '10.8.1.1' }, payload: { email: 'forger-x@north.test', password: 'nope-nope' } });
      expect(refused.statusCode).toBe(429);
    } finally {
      await direct.close();
    }
  });

  it('returns a generated password once when a user is created without one, and it signs in', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/users', headers: auth(world.tokens.northManager), payload: { email: 'nopass@north.test', name: 'No Pass', role: 'editor' } });
    expect(res.statusCode).toBe(201);
    const body = res.json() as { id: number; password: string };
    expect(body.password).toMatch(/^\S{16}$/);
    expect((await login('nopass@north.test', body.password, '10.5.0.1')).statusCode).toBe(200);
    const listed = (await app.inject({ url: '/api/users', headers: auth(world.tokens.northManager) })).json().items as Record<string, unknown>[];
    expect(listed.every((u) => !('password' in u))).toBe(true);
    const given = await app.inject({ method: 'POST', url: '/api/users', headers: auth(world.tokens.northManager), payload: { email: 'given@north.test', name: 'Given', role: 'viewer', password: 'given-pass-1' } });
    expect(given.statusCode).toBe(201);
    expect('password' in given.json()).toBe(false);
  });

  it("lets a manager set a password for their own partner's users, ending that user's sessions", async () => {
    const users = (await app.inject({ url: '/api/users', headers: auth(world.tokens.admin) })).json().items as { id: number; email: string }[];
    const viewer = users.find((u) => u.email === 'viewer@north.test')!;
    const southEditor = users.find((u) => u.email === 'editor@south.test')!;
    const manager = users.find((u) => u.email === 'manager@north.test')!;
    const set = (token: string, id: number, password: string) => app.inject({ method: 'PUT', url: `/api/users/${id}/password`, headers: auth(token), payload: { password } });
    expect((await set(world.tokens.northManager, viewer.id, 'viewer-new-pass')).statusCode).toBe(204);
    const session = await login('viewer@north.test', 'viewer-new-pass', '10.6.0.1');
    expect(session.statusCode).toBe(200);
    const cookie = String(session.headers['set-cookie']).split(';')[0]!;
    expect((await set(world.tokens.admin, viewer.id, 'viewer-newer-pass')).statusCode).toBe(204);
    expect((await app.inject({ url: '/api/me', headers: { cookie } })).statusCode).toBe(401);
    expect((await login('viewer@north.test', 'viewer-newer-pass', '10.6.0.2')).statusCode).toBe(200);
    const other = await set(world.tokens.northManager, southEditor.id, 'south-new-pass');
    expect([other.statusCode, other.json().error.code]).toEqual([404, 'NOT_FOUND']);
    const editor = await set(world.tokens.northEditor, viewer.id, 'viewer-x-pass');
    expect([editor.statusCode, editor.json().error.code]).toEqual([403, 'FORBIDDEN']);
    const self = await set(world.tokens.northManager, manager.id, 'manager-x-pass');
    expect([self.statusCode, self.json().error.code]).toEqual([403, 'FORBIDDEN']);
    const short = await set(world.tokens.admin, viewer.id, 'short');
    expect([short.statusCode, short.json().error.code]).toEqual([400, 'VALIDATION_FAILED']);
  });

  it('refuses a password of only spaces on every path that sets one, and in the tracker', async () => {
    const blank = '          ';
    const users = (await app.inject({ url: '/api/users', headers: auth(world.tokens.admin) })).json().items as { id: number; email: string }[];
    const viewer = users.find((u) => u.email === 'viewer@north.test')!;
    const set = await app.inject({ method: 'PUT', url: `/api/users/${viewer.id}/password`, headers: auth(world.tokens.admin), payload: { password: blank } });
    expect([set.statusCode, set.json().error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const created = await app.inject({ method: 'POST', url: '/api/users', headers: auth(world.tokens.admin), payload: { email: 'blank@north.test', name: 'Blank', role: 'viewer', partnerId: world.partners.north, password: '\t \n      ' } });
    expect([created.statusCode, created.json().error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const own = await app.inject({ method: 'PUT', url: '/api/me/password', headers: { authorization: `Bearer ${world.tokens.northManager}` }, payload: { currentPassword: 'whatever-it-is', newPassword: blank } });
    expect([own.statusCode, own.json().error.code]).toEqual([400, 'VALIDATION_FAILED']);
    // Callers that skip the HTTP schema (the CLI, scripts) meet the same rule.
    await expectCode(createUser(world.services.tracker, SYSTEM_ACTOR, { email: 'blank2@north.test', name: 'Blank', role: 'viewer', partnerId: world.partners.north, password: blank }), 'VALIDATION_FAILED');
    await expectCode(setUserPassword(world.services.tracker, SYSTEM_ACTOR, viewer.id, blank), 'VALIDATION_FAILED');
  });

  it('throttles wrong current passwords on PUT /api/me/password per user: 429 with Retry-After, even with the right one', async () => {
    const email = 'changer@north.test';
    const password = 'changer-pass-1';
    const created = await app.inject({ method: 'POST', url: '/api/users', headers: auth(world.tokens.admin), payload: { email, name: 'Changer', role: 'viewer', partnerId: world.partners.north, password } });
    expect(created.statusCode).toBe(201);
    const cookie = String((await login(email, password, '10.7.2.1')).headers['set-cookie']).split(';')[0]!;
    // A different address per attempt: the per-user count alone stops the guessing.
    const change = (currentPassword: string, i: number) =>
      app.inject({ method: 'PUT', url: '/api/me/password', headers: { cookie, 'x-forwarded-for': `10.7.3.${i}` }, payload: { currentPassword, newPassword: 'changer-pass-2' } });
    for (let i = 0; i < 10; i++) expect((await change(`guess-${i}-wrong`, i)).statusCode).toBe(403);
    const limited = await change(password, 20);
    expect([limited.statusCode, limited.json().error.code]).toEqual([429, 'RATE_LIMITED']);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // The password did not change.
    expect((await login(email, password, '10.7.2.2')).statusCode).toBe(200);
  });

  it('lets a user change their own password with the current one, keeping this session and ending the others', async () => {
    const { email, password } = world.users.northEditor;
    const first = await login(email, password, '10.7.0.1');
    const second = await login(email, password, '10.7.0.2');
    expect([first.statusCode, second.statusCode]).toEqual([200, 200]);
    const cookie1 = String(first.headers['set-cookie']).split(';')[0]!;
    const cookie2 = String(second.headers['set-cookie']).split(';')[0]!;
    const change = (cookie: string, currentPassword: string, newPassword: string) => app.inject({ method: 'PUT', url: '/api/me/password', headers: { cookie }, payload: { currentPassword, newPassword } });
    const wrong = await change(cookie1, 'not-my-password', 'north-editor-new');
    expect([wrong.statusCode, wrong.json().error.code]).toEqual([403, 'FORBIDDEN']);
    expect((await change(cookie1, password, 'north-editor-new')).statusCode).toBe(204);
    expect((await app.inject({ url: '/api/me', headers: { cookie: cookie1 } })).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/me', headers: { cookie: cookie2 } })).statusCode).toBe(401);
    expect((await login(email, password, '10.7.0.3')).statusCode).toBe(401);
    expect((await login(email, 'north-editor-new', '10.7.0.4')).statusCode).toBe(200);
  });
});
