/**
 * A token issued with another token is bound to it: it expires no later and is revoked with it, so a
 * leaked token cannot mint itself a longer life. A login session issues tokens of any life.
 */
import { describe, expect, it } from 'vitest';
import { ENGINES, fixedClock } from '../factories.js';
import { useApiWorld } from './api-world.js';

const NOW = '2026-03-02T10:00:00.000Z';
const inDays = (days: number) => new Date(Date.parse(NOW) + days * 86_400_000).toISOString();

describe.each(ENGINES)('tokens issued with tokens on %s', (engine) => {
  const api = useApiWorld(engine, fixedClock(NOW));
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const issue = (headers: Record<string, string>, payload: object) => api.app.inject({ method: 'POST', url: '/api/tokens', headers, payload });
  const me = async (token: string) => (await api.app.inject({ url: '/api/me', headers: auth(token) })).statusCode;


  it('expire no later than the token they were issued with', async () => {
    const parent = await issue(auth(api.world.tokens.northEditor), { name: 'parent', expiresInDays: 30 });
    expect(parent.statusCode).toBe(201);
    const p = parent.json();
    expect(p.info.expiresAt).toBe(inDays(30));

    // Without a life of its own, the child expires with its parent (not after the 90-day default).
    const child = await issue(auth(p.token), { name: 'child' });
    expect(child.statusCode).toBe(201);
    expect(child.json().info).toMatchObject({ expiresAt: inDays(30), parentTokenId: p.info.id });
    const shorter = await issue(auth(p.token), { name: 'short', expiresInDays: 10 });
    expect(shorter.json().info.expiresAt).toBe(inDays(10));

    for (const expiresInDays of [31, null]) {
      const refused = await issue(auth(p.token), { name: 'longer', expiresInDays });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ where: 'body', path: '/expiresInDays', parentExpiresAt: inDays(30), maxDays: 30 }] });
      expect(refused.json().error.message).toContain('sign in');
    }
  });

  it('are all revoked with the token they came from, generation by generation', async () => {
    const parent = (await issue(auth(api.world.tokens.northEditor), { name: 'ci' })).json();
    const child = (await issue(auth(parent.token), { name: 'ci child' })).json();
    const grandchild = (await issue(auth(child.token), { name: 'ci grandchild' })).json();
    const sibling = (await issue(auth(api.world.tokens.northEditor), { name: 'other' })).json();
    expect([await me(child.token), await me(grandchild.token)]).toEqual([200, 200]);

    const revoked = await api.app.inject({ method: 'DELETE', url: `/api/tokens/${parent.info.id}`, headers: auth(api.world.tokens.northEditor) });
    expect(revoked.statusCode).toBe(200);
    expect([await me(parent.token), await me(child.token), await me(grandchild.token)]).toEqual([401, 401, 401]);
    // The token it was issued with, and its other children, keep working.
    expect([await me(api.world.tokens.northEditor), await me(sibling.token)]).toEqual([200, 200]);
    const list = (await api.app.inject({ url: '/api/tokens', headers: auth(api.world.tokens.northEditor) })).json().items as { id: number; revokedAt: string | null }[];
    const revokedIds = list.filter((t) => t.revokedAt !== null).map((t) => t.id);
    expect(revokedIds).toEqual(expect.arrayContaining([parent.info.id, child.info.id, grandchild.info.id]));
    expect(revokedIds).not.toContain(sibling.info.id);
  });

  it('revoke only themselves and their own line: never the token they came from or its other tokens', async () => {
    const ci = (await issue(auth(api.world.tokens.northEditor), { name: 'ci', expiresInDays: 60 })).json();
    const daily = (await issue(auth(ci.token), { name: 'daily', expiresInDays: 1 })).json();
    const nightly = (await issue(auth(daily.token), { name: 'nightly', expiresInDays: 1 })).json();
    const beside = (await issue(auth(ci.token), { name: 'beside' })).json();
    const revoke = (id: number, token: string) => api.app.inject({ method: 'DELETE', url: `/api/tokens/${id}`, headers: auth(token) });

    for (const id of [ci.info.id, beside.info.id]) {
      const refused = await revoke(id, daily.token);
      expect(refused.statusCode).toBe(403);
      expect(refused.json().error).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('issued with it') });
    }
    // Another user's token reads as missing, as to any token.
    const all = (await api.app.inject({ url: '/api/tokens', headers: auth(api.world.tokens.admin) })).json().items as { id: number; userId: number }[];
    const foreign = all.find((t) => t.userId !== ci.info.userId)!;
    expect((await revoke(foreign.id, daily.token)).json().error.code).toBe('NOT_FOUND');
    expect([await me(ci.token), await me(beside.token)]).toEqual([200, 200]);
    // Its own descendants, then itself.
    expect((await revoke(nightly.info.id, daily.token)).statusCode).toBe(200);
    expect(await me(nightly.token)).toBe(401);
    expect((await revoke(daily.info.id, daily.token)).statusCode).toBe(200);
    expect([await me(daily.token), await me(ci.token), await me(beside.token)]).toEqual([401, 200, 200]);
    // A token issued from a login session (or by the factories, as an admin would) may revoke any of the user's.
    expect((await revoke(beside.info.id, api.world.tokens.northEditor)).statusCode).toBe(200);
  });

  it('from a login session: any life, bound to nothing', async () => {
    const login = await api.app.inject({ method: 'POST', url: '/api/auth/login', payload: api.world.users.northEditor });
    const cookie = String(login.headers['set-cookie']).split(';')[0]!;
    const forever = await issue({ cookie }, { name: 'forever', expiresInDays: null });
    expect(forever.statusCode).toBe(201);
    expect(forever.json().info).toMatchObject({ expiresAt: null, parentTokenId: null });
    // A token without expiry may issue tokens without expiry.
    const child = await issue(auth(forever.json().token), { name: 'also forever', expiresInDays: null });
    expect(child.json().info).toMatchObject({ expiresAt: null, parentTokenId: forever.json().info.id });
  });

  it('are not issued for a disabled user, whose tokens would be refused', async () => {
    const users = (await api.app.inject({ url: '/api/users', headers: auth(api.world.tokens.admin) })).json().items as { id: number; email: string }[];
    const viewer = users.find((u) => u.email === 'viewer@north.test')!;
    expect((await api.app.inject({ method: 'PATCH', url: `/api/users/${viewer.id}`, headers: auth(api.world.tokens.admin), payload: { disabled: true } })).statusCode).toBe(200);
    const refused = await issue(auth(api.world.tokens.admin), { name: 'for a disabled user', userId: viewer.id });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('disabled') });
    await api.app.inject({ method: 'PATCH', url: `/api/users/${viewer.id}`, headers: auth(api.world.tokens.admin), payload: { disabled: false } });
    expect((await issue(auth(api.world.tokens.admin), { name: 'enabled again', userId: viewer.id })).statusCode).toBe(201);
  });
});

describe.each(ENGINES)('a bound token asking for its parent\'s own life on %s', (engine) => {
  let now = Date.parse(NOW);
  const api = useApiWorld(engine, { now: () => new Date(now) });
  const issue = (token: string, payload: object) => api.app.inject({ method: 'POST', url: '/api/tokens', headers: { authorization: `Bearer ${token}` }, payload });

  it('gets it, expiring with the parent, a moment after the parent was issued (QA round 6)', async () => {
    const parent = (await issue(api.world.tokens.northEditor, { name: 'ten days', expiresInDays: 10 })).json();
    now += 3_600_000;
    const child = await issue(parent.token, { name: 'also ten days', expiresInDays: 10 });
    expect(child.statusCode).toBe(201);
    expect(child.json().info.expiresAt).toBe(parent.info.expiresAt);
    const longer = await issue(parent.token, { name: 'eleven days', expiresInDays: 11 });
    expect([longer.statusCode, longer.json().error.details[0].maxDays]).toEqual([400, 10]);
  });
});
