/**
 * A user's active API tokens have different names (case and surrounding spaces ignored), so the list
 * can be told apart and the right one revoked: a taken name answers 409 TOKEN_NAME_TAKEN, its details
 * as before (`details.reason` TOKEN_NAME_TAKEN). A revoked or expired token's name is free again, another user's
 * names are no concern, and two requests at once cannot both take a name.
 */
import { describe, expect, it } from 'vitest';
import { ENGINES } from '../factories.js';
import { useApiWorld } from './api-world.js';

const START = Date.parse('2026-03-02T10:00:00.000Z');
const clock = { at: START, now: () => new Date(clock.at) };

describe.each(ENGINES)('token names on %s', (engine) => {
  const api = useApiWorld(engine, clock);
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const issue = (token: string, payload: object) => api.app.inject({ method: 'POST', url: '/api/tokens', headers: auth(token), payload });
  const count = async (token: string, name: string) =>
    ((await api.app.inject({ url: '/api/tokens', headers: auth(token) })).json().items as { name: string; revokedAt: string | null }[]).filter((t) => t.name.toLowerCase() === name.toLowerCase() && t.revokedAt === null).length;

  it('refuses a second active token of the same name for the same user, ignoring case and spaces', async () => {
    const editor = api.world.tokens.northEditor;
    const first = await issue(editor, { name: 'Nightly sync' });
    expect(first.statusCode).toBe(201);
    for (const name of ['Nightly sync', 'nightly SYNC', '  Nightly sync  ']) {
      const again = await issue(editor, { name });
      expect(again.statusCode).toBe(409);
      expect(again.json().error).toEqual({ code: 'TOKEN_NAME_TAKEN', message: expect.any(String), details: { field: 'name', reason: 'TOKEN_NAME_TAKEN', tokenId: first.json().info.id } });
      expect(again.json().error.message).toMatch(/already have an active API token named "Nightly sync"/);
    }
    expect(await count(editor, 'nightly sync')).toBe(1);
    // Another user may use the name; so may a name that differs by more than case.
    expect((await issue(api.world.tokens.southEditor, { name: 'Nightly sync' })).statusCode).toBe(201);
    expect((await issue(editor, { name: 'Nightly sync 2' })).statusCode).toBe(201);
  });

  it('holds a token issued with a token, and an admin issuing for a user, to the same rule', async () => {
    const parent = (await issue(api.world.tokens.northManager, { name: 'deploy' })).json();
    const child = await issue(parent.token, { name: 'DEPLOY' });
    expect([child.statusCode, child.json().error.code, child.json().error.details.reason]).toEqual([409, 'TOKEN_NAME_TAKEN', 'TOKEN_NAME_TAKEN']);
    const forManager = await issue(api.world.tokens.admin, { name: 'deploy', userId: parent.info.userId });
    expect([forManager.statusCode, forManager.json().error.code]).toEqual([409, 'TOKEN_NAME_TAKEN']);
    // Named by id and email: an admin reading "User 7" alone would have to look the id up.
    const managerEmail = ((await api.app.inject({ url: '/api/users', headers: auth(api.world.tokens.admin) })).json().items as { id: number; email: string }[]).find((u) => u.id === parent.info.userId)!.email;
    expect(forManager.json().error.message).toContain(`User ${parent.info.userId} (${managerEmail}) already has an active API token named "deploy"`);
  });

  it('frees the name of a revoked or expired token', async () => {
    const viewer = api.world.tokens.northViewer;
    const first = (await issue(viewer, { name: 'laptop', expiresInDays: 1 })).json();
    expect((await issue(viewer, { name: 'laptop' })).statusCode).toBe(409);
    expect((await api.app.inject({ method: 'DELETE', url: `/api/tokens/${first.info.id}`, headers: auth(viewer) })).statusCode).toBe(200);
    const second = await issue(viewer, { name: 'laptop', expiresInDays: 1 });
    expect(second.statusCode).toBe(201);
    expect((await issue(viewer, { name: 'laptop' })).statusCode).toBe(409);
    clock.at = START + 2 * 86_400_000;
    try {
      expect((await issue(viewer, { name: 'laptop' })).statusCode).toBe(201);
    } finally {
      clock.at = START;
    }
  });

  it('lets one of several requests at once take a name', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, () => issue(api.world.tokens.northManager, { name: 'race' })));
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, ...Array<number>(9).fill(409)]);
    expect(results.filter((r) => r.statusCode === 409).map((r) => r.json().error.code)).toEqual(Array<string>(9).fill('TOKEN_NAME_TAKEN'));
    expect(await count(api.world.tokens.northManager, 'race')).toBe(1);
  });
});
