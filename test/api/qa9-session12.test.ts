/**
 * QA of a password someone else chose, through the API: an API token of such a user is refused only a
 * new token, and the refusal says so. It said "Until then only that, GET /api/me and signing out are
 * open", the login session's words, while every other request of the token kept working.
 */
import { describe, expect, it } from 'vitest';
import { ENGINES } from '../factories.js';
import { useApiWorld } from './api-world.js';

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

describe.each(ENGINES)('a token of a user who must choose their own password, on %s', (engine) => {
  const api = useApiWorld(engine);

  it('is refused a new token in words for a token, while its other requests go on', async () => {
    const users = (await api.app.inject({ url: '/api/users', headers: auth(api.world.tokens.northManager) })).json().items as { id: number; email: string }[];
    const editor = users.find((u) => u.email === 'editor@north.test')!;
    const set = await api.app.inject({ method: 'PUT', url: `/api/users/${editor.id}/password`, headers: auth(api.world.tokens.northManager), payload: { password: 'north-given-1' } });
    expect(set.statusCode).toBe(204);
    const token = api.world.tokens.northEditor;
    expect((await api.app.inject({ url: '/api/entitlements', headers: auth(token) })).statusCode).toBe(200);

    const issued = await api.app.inject({ method: 'POST', url: '/api/tokens', headers: auth(token), payload: { name: 'another' } });
    expect([issued.statusCode, issued.json().error.code, issued.json().error.details]).toEqual([403, 'PASSWORD_CHANGE_REQUIRED', { changeWith: 'PUT /api/me/password' }]);
    const message = issued.json().error.message as string;
    expect(message).toMatch(/choose your own before issuing yourself a token: send PUT \/api\/me\/password/);
    // Not the login session's words: to this token, more than the change and GET /api/me is open.
    expect(message).not.toMatch(/only that|signing out/);
  });
});
