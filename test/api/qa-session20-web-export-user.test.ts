/**
 * QA session 20 (web): the portfolio's "Export CSV" is a link whose click runs a request of the tab
 * naming its user in `X-Unblock-User`, but the browser's own "Save link as" (or opening the link in a
 * new tab) sends a plain GET with the cookie and no header: after another tab signed in as someone else,
 * that exported the other user's data. The export now reads the same name from its address, `?user=`,
 * and checks it exactly as the header: another user than the credential's (a token's as well as a
 * session's) is refused, 401 SESSION_CHANGED, before anything is read; without it the export answers as
 * before (curl, scripts). Only the export reads it: other routes' unknown parameters stay ignored.
 */
import { describe, expect, it } from 'vitest';
import { ENGINES } from '../factories.js';
import { useApiWorld } from './api-world.js';

type Parameter = { name: string; in: string; description?: string };
type Document = { paths: Record<string, Record<string, { parameters?: Parameter[]; responses: Record<string, { description: string }> }>> };

describe.each(ENGINES)('the CSV export naming its user in ?user=, on %s', (engine) => {
  const api = useApiWorld(engine);
  let ip = 0;
  const login = async (email: string, password: string) => {
    const res = await api.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'x-forwarded-for': `10.47.0.${++ip}` }, payload: { email, password } });
    expect(res.statusCode).toBe(200);
    return String(res.headers['set-cookie']).split(';')[0]!;
  };
  const EXPORT = '/api/export/entitlements.csv';
  let made = false;
  const customer = async () => {
    if (made) return;
    const created = await api.app.inject({ method: 'POST', url: '/api/customers', headers: { authorization: `Bearer ${api.world.tokens.northManager}` }, payload: { tenantId: 'export-user.example', name: 'Export User Co', workloads: ['teams'] } });
    expect(created.statusCode, created.body).toBe(201);
    made = true;
  };

  it('answers a session naming its own user as without the parameter, and refuses another user 401 SESSION_CHANGED', async () => {
    await customer();
    const cookie = await login(api.world.users.northEditor.email, api.world.users.northEditor.password);
    const myId = (await api.app.inject({ url: '/api/me', headers: { cookie } })).json().id as number;

    const plain = await api.app.inject({ url: EXPORT, headers: { cookie } });
    expect(plain.statusCode, plain.body).toBe(200);
    const own = await api.app.inject({ url: `${EXPORT}?sort=customer&user=${myId}`, headers: { cookie } });
    expect(own.statusCode, own.body).toBe(200);
    expect(own.body).toBe((await api.app.inject({ url: `${EXPORT}?sort=customer`, headers: { cookie } })).body);
    expect(own.body).toContain('export-user.example');

    // Another user's id, a value that is no id, an empty one, or two: refused, and no file is sent.
    for (const user of [String(myId + 1000), 'someone', '', `${myId}&user=${myId}`]) {
      const refused = await api.app.inject({ url: `${EXPORT}?user=${user}`, headers: { cookie } });
      expect([refused.statusCode, refused.json().error?.code], `user=${user}`).toEqual([401, 'SESSION_CHANGED']);
      expect(refused.headers['content-disposition']).toBeUndefined();
      // Another user's id is said to be another user's; a value that names no user says what is wrong with it.
      expect(refused.json().error.message).toMatch(user === String(myId + 1000) ? /another user/i : /is not a user id|is empty|more than once/);
    }
    // HEAD as the GET.
    const head = await api.app.inject({ method: 'HEAD', url: `${EXPORT}?user=${myId + 1000}`, headers: { cookie } });
    expect(head.statusCode).toBe(401);
    expect((await api.app.inject({ method: 'HEAD', url: `${EXPORT}?user=${myId}`, headers: { cookie } })).statusCode).toBe(200);

    // The header and the parameter are both checked: either naming another user refuses.
    const mixed = await api.app.inject({ url: `${EXPORT}?user=${myId + 1000}`, headers: { cookie, 'x-unblock-user': String(myId) } });
    expect([mixed.statusCode, mixed.json().error.code]).toEqual([401, 'SESSION_CHANGED']);
    const mixedOther = await api.app.inject({ url: `${EXPORT}?user=${myId}`, headers: { cookie, 'x-unblock-user': String(myId + 1000) } });
    expect(mixedOther.statusCode).toBe(401);
  });

  it('checks it for API tokens as the header is checked, and before a bad filter', async () => {
    const token = { authorization: `Bearer ${api.world.tokens.northViewer}` };
    const viewerId = (await api.app.inject({ url: '/api/me', headers: token })).json().id as number;
    expect((await api.app.inject({ url: `${EXPORT}?user=${viewerId}`, headers: token })).statusCode).toBe(200);
    const other = await api.app.inject({ url: `${EXPORT}?user=${viewerId + 1}`, headers: token });
    expect([other.statusCode, other.json().error.code]).toEqual([401, 'SESSION_CHANGED']);
    // The client must learn that it is not who it thinks before what is wrong with its filters.
    const badFilter = await api.app.inject({ url: `${EXPORT}?user=${viewerId + 1}&l1=nothing-such`, headers: token });
    expect([badFilter.statusCode, badFilter.json().error.code]).toEqual([401, 'SESSION_CHANGED']);
    // Without a credential it is still the sign-in that is missing.
    const anonymous = await api.app.inject({ url: `${EXPORT}?user=${viewerId}` });
    expect([anonymous.statusCode, anonymous.json().error.code]).toEqual([401, 'UNAUTHENTICATED']);
  });

  it('is read by the export only: other routes ignore an unknown `user` as before', async () => {
    const cookie = await login(api.world.users.northEditor.email, api.world.users.northEditor.password);
    const myId = (await api.app.inject({ url: '/api/me', headers: { cookie } })).json().id as number;
    const list = await api.app.inject({ url: `/api/entitlements?user=${myId + 1000}`, headers: { cookie } });
    expect(list.statusCode, list.body).toBe(200);
  });

  it('documents the parameter in the OpenAPI document of the export', async () => {
    const doc = (await api.app.inject({ url: '/api/openapi.json' })).json() as Document;
    const operation = doc.paths['/api/export/entitlements.csv']!.get!;
    const user = (operation.parameters ?? []).find((p) => p.name === 'user');
    expect(user?.in).toBe('query');
    expect(user?.description).toMatch(/SESSION_CHANGED/);
    expect(user?.description).toMatch(/X-Unblock-User/);
    expect(operation.responses['401']!.description).toMatch(/\buser\b.*parameter|parameter.*\buser\b/);
  });
});
