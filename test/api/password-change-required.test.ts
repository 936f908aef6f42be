/**
 * A password a manager or admin chose must be changed at the first sign-in: until then the user's login
 * session may only read GET /api/me, change the password and sign out (403 PASSWORD_CHANGE_REQUIRED for
 * everything else), and no token is issued to them. The tracker's side is in test/db/password-change.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { ENGINES } from '../factories.js';
import { useApiWorld } from './api-world.js';

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

describe.each(ENGINES)('a password chosen by someone else, on %s', (engine) => {
  const api = useApiWorld(engine);
  let ip = 0;
  /** Signs in from an address of its own (the sign-in throttle stays out of the way); returns the answer and its cookie. */
  const login = async (email: string, password: string) => {
    const res = await api.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'x-forwarded-for': `10.20.0.${++ip}` }, payload: { email, password } });
    return { res, cookie: String(res.headers['set-cookie']).split(';')[0]! };
  };
  const listed = async (email: string) =>
    ((await api.app.inject({ url: '/api/users', headers: auth(api.world.tokens.northManager) })).json().items as { email: string; mustChangePassword: boolean }[]).find((u) => u.email === email);

  it('is flagged when a manager creates the user, holds the session to /api/me and the change, and is cleared by the change', async () => {
    const created = await api.app.inject({ method: 'POST', url: '/api/users', headers: auth(api.world.tokens.northManager), payload: { email: 'temp@north.test', name: 'Temp', role: 'editor' } });
    expect(created.statusCode).toBe(201);
    const { password } = created.json() as { password: string; mustChangePassword: boolean };
    expect(created.json().mustChangePassword).toBe(true);
    expect(await listed('temp@north.test')).toMatchObject({ mustChangePassword: true });

    const { res, cookie } = await login('temp@north.test', password);
    expect(res.statusCode).toBe(200);
    expect(res.json().user).toMatchObject({ email: 'temp@north.test', mustChangePassword: true });
    const me = await api.app.inject({ url: '/api/me', headers: { cookie } });
    expect([me.statusCode, me.json().mustChangePassword]).toEqual([200, true]);
    expect((await api.app.inject({ method: 'HEAD', url: '/api/me', headers: { cookie } })).statusCode).toBe(200);
    expect((await api.app.inject({ method: 'HEAD', url: '/api/entitlements', headers: { cookie } })).statusCode).toBe(403);

    // Everything else answers 403 PASSWORD_CHANGE_REQUIRED, saying what to do: reads, writes (before the body is
    // read, so an invalid one gets the same answer), routes above the user's role, and issuing a token.
    for (const request of [
      { method: 'GET', url: '/api/entitlements' },
      { method: 'GET', url: '/api/users' },
      { method: 'GET', url: '/api/tokens' },
      { method: 'POST', url: '/api/tokens', payload: { name: 'sneaky' } },
      { method: 'POST', url: '/api/customers', payload: { not: 'valid' } },
      { method: 'POST', url: '/api/partners', payload: { name: 'Mine' } },
      { method: 'POST', url: '/api/classify', payload: { text: 'firewall' } },
    ] as const) {
      const refused = await api.app.inject({ ...request, headers: { cookie } });
      expect([refused.statusCode, refused.json().error.code], `${request.method} ${request.url}`).toEqual([403, 'PASSWORD_CHANGE_REQUIRED']);
      expect(refused.json().error.message).toMatch(/choose your own.*PUT \/api\/me\/password/);
    }

    // A wrong current password is still refused as before, and so is the given one sent again as the new one
    // (the manager knows it); a new one of the user's own lifts the hold, and the session stays.
    const change = (currentPassword: string, newPassword = 'temp-own-choice') => api.app.inject({ method: 'PUT', url: '/api/me/password', headers: { cookie }, payload: { currentPassword, newPassword } });
    expect((await change('not-the-given-one')).json().error.code).toBe('FORBIDDEN');
    const same = await change(password, password);
    expect([same.statusCode, same.json().error.code, same.json().error.details]).toEqual([400, 'VALIDATION_FAILED', [{ where: 'body', path: '/newPassword', message: 'must differ from the current password' }]]);
    expect((await api.app.inject({ url: '/api/me', headers: { cookie } })).json().mustChangePassword).toBe(true);
    expect((await change(password)).statusCode).toBe(204);
    expect((await api.app.inject({ url: '/api/me', headers: { cookie } })).json().mustChangePassword).toBe(false);
    expect((await api.app.inject({ url: '/api/entitlements', headers: { cookie } })).statusCode).toBe(200);
    expect((await api.app.inject({ method: 'POST', url: '/api/tokens', headers: { cookie }, payload: { name: 'mine' } })).statusCode).toBe(201);
    expect(await listed('temp@north.test')).toMatchObject({ mustChangePassword: false });
    expect((await login('temp@north.test', 'temp-own-choice')).res.json().user.mustChangePassword).toBe(false);
  });

  it('is flagged again when a manager sets the password, and a session can still sign out', async () => {
    const users = (await api.app.inject({ url: '/api/users', headers: auth(api.world.tokens.northManager) })).json().items as { id: number; email: string }[];
    const viewer = users.find((u) => u.email === 'viewer@north.test')!;
    expect(await listed('viewer@north.test')).toMatchObject({ mustChangePassword: false });
    expect((await api.app.inject({ method: 'PUT', url: `/api/users/${viewer.id}/password`, headers: auth(api.world.tokens.northManager), payload: { password: 'viewer-given-1' } })).statusCode).toBe(204);
    expect(await listed('viewer@north.test')).toMatchObject({ mustChangePassword: true });
    const { cookie } = await login('viewer@north.test', 'viewer-given-1');
    expect((await api.app.inject({ url: '/api/customers', headers: { cookie } })).json().error.code).toBe('PASSWORD_CHANGE_REQUIRED');
    expect((await api.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } })).statusCode).toBe(204);
    expect((await api.app.inject({ url: '/api/me', headers: { cookie } })).statusCode).toBe(401);
  });

  it("keeps the user's API tokens working, but issues no new token to them until the change", async () => {
    const users = (await api.app.inject({ url: '/api/users', headers: auth(api.world.tokens.admin) })).json().items as { id: number; email: string }[];
    const southEditor = users.find((u) => u.email === 'editor@south.test')!;
    expect((await api.app.inject({ method: 'PUT', url: `/api/users/${southEditor.id}/password`, headers: auth(api.world.tokens.admin), payload: { password: 'south-given-1' } })).statusCode).toBe(204);
    const token = api.world.tokens.southEditor;
    // Issued before (by the user or an admin), unknown to whoever chose the password: it keeps working.
    expect((await api.app.inject({ url: '/api/entitlements', headers: auth(token) })).statusCode).toBe(200);
    expect((await api.app.inject({ url: '/api/me', headers: auth(token) })).json().mustChangePassword).toBe(true);
    const issued = await api.app.inject({ method: 'POST', url: '/api/tokens', headers: auth(token), payload: { name: 'another' } });
    expect([issued.statusCode, issued.json().error.code]).toEqual([403, 'PASSWORD_CHANGE_REQUIRED']);
    // An admin may still issue one for them (to hand over), as the CLI may.
    const forThem = await api.app.inject({ method: 'POST', url: '/api/tokens', headers: auth(api.world.tokens.admin), payload: { name: 'handed over', userId: southEditor.id } });
    expect([forThem.statusCode, forThem.json().info.userId]).toEqual([201, southEditor.id]);
    // The change can be made with the token too; tokens are then issued again.
    expect((await api.app.inject({ method: 'PUT', url: '/api/me/password', headers: auth(token), payload: { currentPassword: 'south-given-1', newPassword: 'south-own-1' } })).statusCode).toBe(204);
    expect((await api.app.inject({ method: 'POST', url: '/api/tokens', headers: auth(token), payload: { name: 'another' } })).statusCode).toBe(201);
  });

  it('does not hold back users whose password the system actor set (the demo seed, the CLI)', async () => {
    const { email, password } = api.world.users.northEditor;
    const { res, cookie } = await login(email, password);
    expect(res.json().user.mustChangePassword).toBe(false);
    expect((await api.app.inject({ url: '/api/entitlements', headers: { cookie } })).statusCode).toBe(200);
  });

  it.runIf(engine === 'sqlite')('documents the code on the 403 of every route it can answer, and the field', async () => {
    type Op = { responses: Record<string, { description: string }>; description?: string };
    const doc = (await api.app.inject({ url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, Op>>; components?: unknown };
    const paths = doc.paths;
    expect(paths['/api/entitlements']!.get!.responses['403']!.description).toMatch(/PASSWORD_CHANGE_REQUIRED/);
    expect(paths['/api/entitlements']!.get!.responses['403']!.description).not.toMatch(/role/);
    expect(paths['/api/customers']!.post!.responses['403']!.description).toMatch(/manager role.*PASSWORD_CHANGE_REQUIRED/);
    expect(paths['/api/tokens']!.post!.responses['403']!.description).toMatch(/PASSWORD_CHANGE_REQUIRED.*API token/);
    expect(paths['/api/me']!.get!.responses['403']).toBeUndefined();
    expect(paths['/api/me/password']!.put!.responses['403']!.description).not.toMatch(/PASSWORD_CHANGE_REQUIRED/);
    expect(paths['/api/health']!.get!.responses['403']).toBeUndefined();
    expect(JSON.stringify(paths['/api/me']!.get!.responses['200'])).toMatch(/mustChangePassword/);
    expect(JSON.stringify(paths['/api/users']!.get!.responses['200'])).toMatch(/mustChangePassword/);
  });
});
