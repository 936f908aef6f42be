/**
 * QA session 20 (review of the export's `user` parameter, helper "web2"):
 * - SESSION_CHANGED's message named "the export's `user` parameter" on every route (the customer list,
 *   signing out), where no such parameter is read. It now names the header when the header did not
 *   match, and the parameter only on the export, when the parameter was what did not match.
 * - `user` was capped at 40 characters before it was trimmed, so the user's own id followed by spaces
 *   answered 400 VALIDATION_FAILED, where the header (trimmed) was taken. The length is now checked on
 *   the trimmed value.
 */
import { describe, expect, it } from 'vitest';
import { ENGINES } from '../factories.js';
import { useApiWorld } from './api-world.js';

describe.each(ENGINES)('the export’s `user` parameter, reviewed, on %s', (engine) => {
  const api = useApiWorld(engine);
  let ip = 0;
  const login = async (email: string, password: string) => {
    const res = await api.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'x-forwarded-for': `10.48.0.${++ip}` }, payload: { email, password } });
    expect(res.statusCode).toBe(200);
    return String(res.headers['set-cookie']).split(';')[0]!;
  };
  const EXPORT = '/api/export/entitlements.csv';
  const editor = async () => {
    const cookie = await login(api.world.users.northEditor.email, api.world.users.northEditor.password);
    const id = (await api.app.inject({ url: '/api/me', headers: { cookie } })).json().id as number;
    return { cookie, id };
  };

  it('names only the header in SESSION_CHANGED on routes that read no `user` parameter', async () => {
    const { cookie, id } = await editor();
    const other = String(id + 1000);
    for (const [method, url] of [['GET', '/api/customers'], ['GET', '/api/entitlements'], ['POST', '/api/auth/logout']] as const) {
      const res = await api.app.inject({ method, url, headers: { cookie, 'x-unblock-user': other } });
      expect([res.statusCode, res.json().error.code], `${method} ${url}`).toEqual([401, 'SESSION_CHANGED']);
      const message = res.json().error.message as string;
      expect(message, `${method} ${url}`).toMatch(/X-Unblock-User/);
      expect(message, `${method} ${url}`).not.toMatch(/parameter|export/i);
    }
  });

  it('names the header or the parameter on the export, whichever did not match', async () => {
    const { cookie, id } = await editor();
    const other = String(id + 1000);
    const byHeader = await api.app.inject({ url: `${EXPORT}?user=${id}`, headers: { cookie, 'x-unblock-user': other } });
    expect(byHeader.statusCode).toBe(401);
    expect(byHeader.json().error.message).toMatch(/X-Unblock-User/);
    expect(byHeader.json().error.message).not.toMatch(/parameter/);

    const byParameter = await api.app.inject({ url: `${EXPORT}?user=${other}`, headers: { cookie, 'x-unblock-user': String(id) } });
    expect(byParameter.statusCode).toBe(401);
    expect(byParameter.json().error.message).toMatch(/`user` parameter/);
    expect(byParameter.json().error.message).not.toMatch(/X-Unblock-User/);

    const parameterAlone = await api.app.inject({ url: `${EXPORT}?user=${other}`, headers: { cookie } });
    expect(parameterAlone.json().error.message).toMatch(/`user` parameter/);
  });

  it('says the `user` parameter is empty, repeated or not an id, rather than naming another user', async () => {
    const { cookie, id } = await editor();
    const cases: Array<[string, RegExp]> = [
      [`${EXPORT}?user=`, /`user` parameter is empty/],
      [`${EXPORT}?user=%20%20`, /`user` parameter is empty/],
      [`${EXPORT}?user=${id}&user=${id}`, /`user` parameter is given more than once/],
      [`${EXPORT}?user=abc`, /`user` parameter is not a user id/],
    ];
    for (const [url, said] of cases) {
      const res = await api.app.inject({ url, headers: { cookie } });
      expect([res.statusCode, res.json().error.code], url).toEqual([401, 'SESSION_CHANGED']);
      const message = res.json().error.message as string;
      expect(message, url).toMatch(said);
      expect(message, url).not.toMatch(/another user/);
    }
    const header = await api.app.inject({ url: '/api/customers', headers: { cookie, 'x-unblock-user': ' ' } });
    expect(header.json().error.message).toMatch(/X-Unblock-User is empty/);
  });

  it('takes the user’s own id with spaces around it, as the header is taken, and checks the length once trimmed', async () => {
    const { cookie, id } = await editor();
    const padded = `${id}${' '.repeat(40)}`;
    const viaParameter = await api.app.inject({ url: `${EXPORT}?user=${encodeURIComponent(padded)}`, headers: { cookie } });
    expect(viaParameter.statusCode, viaParameter.body).toBe(200);
    const viaHeader = await api.app.inject({ url: EXPORT, headers: { cookie, 'x-unblock-user': padded } });
    expect(viaHeader.statusCode, viaHeader.body).toBe(200);
    expect(viaParameter.body).toBe(viaHeader.body);
    // HEAD as the GET.
    expect((await api.app.inject({ method: 'HEAD', url: `${EXPORT}?user=${encodeURIComponent(` ${id} `)}`, headers: { cookie } })).statusCode).toBe(200);
  });
});
