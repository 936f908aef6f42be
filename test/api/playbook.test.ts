import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assembleServices, type Services, loadPlaybook } from '../../src/app/index.js';
import { buildApp } from '../../src/http/index.js';
import { createTestWorld, fakeClassifier, fakeNoteCoach, fixedClock } from '../factories.js';

describe('GET /api/playbook', () => {
  let services: Services;
  let app: FastifyInstance;
  let token: string;

  beforeAll(async () => {
    const world = await createTestWorld('sqlite');
    token = world.tokens.northViewer;
    const playbook = await loadPlaybook(['test/fixtures/untidy'], { reference: false });
    // Same database and tokens, but the services now carry a real (untidy) page set.
    services = assembleServices({ db: world.services.db, taxonomy: playbook.taxonomy, clock: fixedClock(), classifier: fakeClassifier, noteCoach: fakeNoteCoach, playbookPages: playbook.pages, playbookProblems: playbook.problems });
    app = await buildApp(services, { webDir: null });
  });
  afterAll(async () => {
    await app?.close();
    await services?.close();
  });

  it('returns every page with its examples and questions, and the lint problems with line numbers', async () => {
    const res = await app.inject({ url: '/api/playbook', headers: { authorization: `Bearer ${token}` } });
    expect(res.statusCode).toBe(200);
    const body = res.json() as { version: string; pages: { file: string; valid: unknown[]; questions: unknown[] }[]; problems: { code: string; line: number; severity: string }[] };
    expect(body.version).toBe(services.taxonomy().version);
    expect(body.pages.length).toBeGreaterThan(1);
    expect(body.pages.some((p) => p.valid.length > 0 && p.questions.length > 0)).toBe(true);
    const unknownLabel = body.problems.find((p) => p.code === 'PLAYBOOK_LABEL_UNKNOWN');
    expect(unknownLabel?.line).toBeGreaterThan(0);
  });

  it('needs a signed-in caller', async () => {
    expect((await app.inject({ url: '/api/playbook' })).statusCode).toBe(401);
  });
});
