/**
 * Emails are unique across the installation, so a manager creating a user with a taken email gets a
 * 409; the answer is the same whoever has the address and does not echo it back as "exists" (QA round 6).
 */
import { describe, expect, it } from 'vitest';
import { ENGINES } from '../factories.js';
import { useApiWorld } from './api-world.js';

describe.each(ENGINES)('a taken email on %s', (engine) => {
  const api = useApiWorld(engine);
  const create = (email: string) =>
    api.app.inject({ method: 'POST', url: '/api/users', headers: { authorization: `Bearer ${api.world.tokens.northManager}` }, payload: { email, name: 'Probe', role: 'viewer' } });

  it('answers 409 with the same words for another partner, the admin and the own partner', async () => {
    const answers = [];
    for (const email of ['editor@south.test', 'admin@test.local', 'viewer@north.test']) {
      const res = await create(email);
      expect(res.statusCode).toBe(409);
      expect(res.json().error.code).toBe('CONFLICT');
      expect(res.json().error.message).not.toContain(email);
      answers.push(res.json().error.message);
    }
    expect(new Set(answers).size).toBe(1);
    expect((await create('new.person@north.test')).statusCode).toBe(201);
  });
});

describe.each(ENGINES)('an admin creating users on %s', (engine) => {
  const api = useApiWorld(engine);
  const create = (payload: object) => api.app.inject({ method: 'POST', url: '/api/users', headers: { authorization: `Bearer ${api.world.tokens.admin}` }, payload });
  const emails = async () => ((await api.app.inject({ url: '/api/users', headers: { authorization: `Bearer ${api.world.tokens.admin}` } })).json().items as { email: string }[]).map((u) => u.email);

  it('refuses a partnerId with the admin role (an admin belongs to no partner) instead of dropping it', async () => {
    const res = await create({ email: 'second.admin@test.local', name: 'Second', role: 'admin', partnerId: api.world.partners.north });
    expect([res.statusCode, res.json().error.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(res.json().error.details).toEqual([{ where: 'body', path: '/partnerId', message: expect.stringContaining('admin') }]);
    expect(await emails()).not.toContain('second.admin@test.local');
    const ok = await create({ email: 'second.admin@test.local', name: 'Second', role: 'admin', partnerId: null });
    expect([ok.statusCode, ok.json().partnerId]).toEqual([201, null]);
  });

  it('names partnerId when a non-admin role comes without one', async () => {
    const res = await create({ email: 'lost.editor@test.local', name: 'Lost', role: 'editor' });
    expect([res.statusCode, res.json().error.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(res.json().error.details).toEqual([{ where: 'body', path: '/partnerId', message: expect.any(String) }]);
    expect(await emails()).not.toContain('lost.editor@test.local');
  });
});
