/**
 * POST /api/notes/grade writes the note template for the workload it is given, as `unblock notes
 * grade --workload` does: a catalogue workload by slug or name comes out as the catalogue names it.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNoteCoachPort } from '../../src/app/index.js';
import { buildApp } from '../../src/http/index.js';
import { REWRITE_TEMPLATES } from '../../src/notes/index.js';
import { createTestWorld, type TestWorld } from '../factories.js';

describe('POST /api/notes/grade with a workload', () => {
  let world: TestWorld;
  let app: FastifyInstance;

  beforeAll(async () => {
    world = await createTestWorld('sqlite');
    app = await buildApp({ ...world.services, noteCoach: createNoteCoachPort(null) }, { webDir: null });
  });
  afterAll(async () => {
    await app?.close();
    await world?.services.close();
  });

  const grade = (payload: object) => app.inject({ method: 'POST', url: '/api/notes/grade', headers: { authorization: `Bearer ${world.tokens.northViewer}` }, payload });

  it('fills {workload} in the template and the fixes with the catalogue name, given by slug or name', async () => {
    for (const workload of ['exchange-online', 'Exchange Online']) {
      const res = await grade({ text: 'Blocked.', l1: 'Blocked', workload });
      expect(res.statusCode).toBe(200);
      const body = res.json() as { template: string; findings: { fix: string }[] };
      expect(body.template).toBe(REWRITE_TEMPLATES.Blocked.replace('{workload}', 'Exchange Online'));
      expect(JSON.stringify(body)).not.toContain('{workload}');
    }
  });

  it('refuses a workload the catalogue lacks (400 UNKNOWN_CODE), and keeps the placeholder without one', async () => {
    const other = await grade({ text: 'Blocked.', l1: 'Blocked', workload: 'Dynamics 365' });
    expect([other.statusCode, other.json().error.code]).toEqual([400, 'UNKNOWN_CODE']);
    expect((await grade({ text: 'Blocked.', l1: 'Blocked', workload: null })).json().template).toBe(REWRITE_TEMPLATES.Blocked);
    expect((await grade({ text: 'Blocked.', l1: 'Blocked' })).json().template).toBe(REWRITE_TEMPLATES.Blocked);
  });

});
