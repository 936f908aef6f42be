/**
 * The web app names the user it believes it acts as in `X-Unblock-User` on every API call. The tabs of
 * a browser share one session cookie, so a request sent just after another tab signed in as someone
 * else carries that other user's cookie: the server refuses it (401 SESSION_CHANGED, nothing done)
 * instead of acting as a user the tab never showed. Requests without the header (curl, the CLI, API
 * tokens) are answered as before.
 */
import { describe, expect, it } from 'vitest';
import { useApiWorld } from './api-world.js';

describe('X-Unblock-User: the user a request believes it acts as', () => {
  const api = useApiWorld('sqlite');
  let ip = 0;
  const login = async (email: string, password: string) => {
    const res = await api.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'x-forwarded-for': `10.30.0.${++ip}` }, payload: { email, password } });
    expect(res.statusCode).toBe(200);
    return String(res.headers['set-cookie']).split(';')[0]!;
  };
  const asManager = () => ({ authorization: `Bearer ${api.world.tokens.northManager}` });

  /** A fresh customer's one entitlement, as the north manager sees it. */
  const makeEntitlement = async (tenantId: string) => {
    const created = await api.app.inject({ method: 'POST', url: '/api/customers', headers: asManager(), payload: { tenantId, name: `Customer ${tenantId}`, workloads: ['teams'] } });
    expect(created.statusCode).toBe(201);
    const listed = await api.app.inject({ url: `/api/entitlements?customerId=${created.json().id}`, headers: asManager() });
    return (listed.json().items as { id: number; version: number }[])[0]!;
  };

  it('answers a session request naming its own user as before, and one naming another user 401 SESSION_CHANGED, writing nothing', async () => {
    const cookie = await login(api.world.users.northEditor.email, api.world.users.northEditor.password);
    const me = await api.app.inject({ url: '/api/me', headers: { cookie } });
    const myId = me.json().id as number;
    const e = await makeEntitlement('header-check.example');

    // The header naming the session's user: answered as without it.
    const mine = await api.app.inject({ url: '/api/me', headers: { cookie, 'x-unblock-user': String(myId) } });
    expect([mine.statusCode, mine.json().id]).toEqual([200, myId]);

    // Another user's id: refused before anything is read or written, saying what happened.
    const save = { l1: 'Status Unknown', l2: 'Customer Unresponsive', note: 'Four emails and a call to the IT lead over three weeks got no answer yet.' };
    const refused = await api.app.inject({ method: 'PUT', url: `/api/entitlements/${e.id}/status`, headers: { cookie, 'x-unblock-user': String(myId + 1000) }, payload: { version: e.version, ...save } });
    expect([refused.statusCode, refused.json().error.code]).toEqual([401, 'SESSION_CHANGED']);
    expect(refused.json().error.message).toMatch(/another user/i);
    const after = await api.app.inject({ url: `/api/entitlements/${e.id}`, headers: asManager() });
    expect(after.json().version).toBe(e.version);
    expect(after.json().note ?? '').not.toBe(save.note);

    // Reads too, and a value that is no user id at all.
    for (const header of [String(myId + 1000), 'someone', '']) {
      const read = await api.app.inject({ url: '/api/entitlements', headers: { cookie, 'x-unblock-user': header } });
      expect([read.statusCode, read.json().error?.code], `header ${JSON.stringify(header)}`).toEqual([401, 'SESSION_CHANGED']);
    }

    // Without the header the same cookie acts as before, and the save goes through.
    const plain = await api.app.inject({ method: 'PUT', url: `/api/entitlements/${e.id}/status`, headers: { cookie }, payload: { version: e.version, ...save } });
    expect(plain.statusCode).toBe(200);
  });

  it('refuses a mismatch before the route’s role and the password hold, and leaves public routes and tokens without the header as they were', async () => {
    const cookie = await login(api.world.users.northEditor.email, api.world.users.northEditor.password);
    const myId = (await api.app.inject({ url: '/api/me', headers: { cookie } })).json().id as number;
    // A route above the editor's role: the mismatch is what the client must learn, not the role of a user it never showed.
    const partners = await api.app.inject({ method: 'POST', url: '/api/partners', headers: { cookie, 'x-unblock-user': String(myId + 1) }, payload: { name: 'Never made' } });
    expect([partners.statusCode, partners.json().error.code]).toEqual([401, 'SESSION_CHANGED']);
    const own = await api.app.inject({ method: 'POST', url: '/api/partners', headers: { cookie, 'x-unblock-user': String(myId) }, payload: { name: 'Never made' } });
    expect([own.statusCode, own.json().error.code]).toEqual([403, 'FORBIDDEN']);

    // Public routes do not look at it.
    const health = await api.app.inject({ url: '/api/health', headers: { 'x-unblock-user': '424242' } });
    expect(health.statusCode).toBe(200);

    // A token with no header: as before; a token naming another user than its own: refused as well.
    const token = { authorization: `Bearer ${api.world.tokens.northViewer}` };
    expect((await api.app.inject({ url: '/api/entitlements', headers: token })).statusCode).toBe(200);
    const viewerId = (await api.app.inject({ url: '/api/me', headers: token })).json().id as number;
    expect((await api.app.inject({ url: '/api/entitlements', headers: { ...token, 'x-unblock-user': String(viewerId) } })).statusCode).toBe(200);
    const tokenMismatch = await api.app.inject({ url: '/api/entitlements', headers: { ...token, 'x-unblock-user': String(viewerId + 1) } });
    expect([tokenMismatch.statusCode, tokenMismatch.json().error.code]).toEqual([401, 'SESSION_CHANGED']);
  });
  it('refuses a sign-out naming another user than the session\'s, keeping that user signed in; one naming its own ends it', async () => {
    const cookie = await login(api.world.users.northEditor.email, api.world.users.northEditor.password);
    const myId = (await api.app.inject({ url: '/api/me', headers: { cookie } })).json().id as number;
    // A tab still showing another user signs out after this one signed in: this session must live on.
    const refused = await api.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie, 'x-unblock-user': String(myId + 1000) } });
    expect([refused.statusCode, refused.json().error.code]).toEqual([401, 'SESSION_CHANGED']);
    expect(refused.headers['set-cookie']).toBeUndefined();
    expect((await api.app.inject({ url: '/api/me', headers: { cookie } })).statusCode).toBe(200);
    const own = await api.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie, 'x-unblock-user': String(myId) } });
    expect(own.statusCode).toBe(204);
    expect((await api.app.inject({ url: '/api/me', headers: { cookie } })).statusCode).toBe(401);
  });
  it('ends a session whose user was disabled behind its back (by hand in the database) on sign-out, rather than failing', async () => {
    const cookie = await login(api.world.users.northEditor.email, api.world.users.northEditor.password);
    const myId = (await api.app.inject({ url: '/api/me', headers: { cookie } })).json().id as number;
    await api.world.services.db.kysely.updateTable('users').set({ disabled: 1 }).where('id', '=', myId).execute();
    try {
      const out = await api.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie, 'x-unblock-user': String(myId) } });
      expect(out.statusCode).toBe(204);
      expect(String(out.headers['set-cookie'])).toMatch(/unblock_session=;/);
    } finally {
      await api.world.services.db.kysely.updateTable('users').set({ disabled: 0 }).where('id', '=', myId).execute();
    }
  });
});
