/**
 * A report asked for an L1 of the playbook's own that follows the Duplicate/Invalid rules (Excluded,
 * `rules: Duplicate/Invalid` on its page) answers 400 BAD_ARGUMENTS as one asked for Duplicate/Invalid
 * does, naming that L1, instead of a report of zeros; the entitlement list still finds them.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assembleServices, type Services } from '../../src/app/index.js';
import { buildApp } from '../../src/http/index.js';
import { createTestWorld, ENGINES, fakeClassifier, fakeNoteCoach, fixedClock } from '../factories.js';
import { ownInvalidTaxonomy } from '../own-invalid-taxonomy.js';

describe.each(ENGINES)('reports asked for an L1 that follows the Duplicate/Invalid rules, on %s', (engine) => {
  let services: Services;
  let builtIn: Services;
  let app: FastifyInstance;
  let token: string;

  beforeAll(async () => {
    const world = await createTestWorld(engine);
    builtIn = world.services;
    token = world.tokens.northManager;
    services = assembleServices({ db: world.services.db, taxonomy: ownInvalidTaxonomy(), clock: fixedClock(), classifier: fakeClassifier, noteCoach: fakeNoteCoach });
    app = await buildApp(services, { webDir: null });
  });
  afterAll(async () => {
    await app?.close();
    await builtIn?.close();
  });

  const get = (url: string) => app.inject({ url, headers: { authorization: `Bearer ${token}` } });

  it('answer 400 BAD_ARGUMENTS naming Excluded, in any spelling', async () => {
    for (const url of ['/api/reports/counts?by=l1&l1=Excluded', '/api/reports/counts?by=l2&l1=excluded', '/api/reports/counts?by=owner&l1=EXCLUDED', '/api/reports/ageing?l1=Excluded']) {
      const res = await get(url);
      expect([url, res.statusCode]).toEqual([url, 400]);
      const { error } = res.json() as { error: { code: string; message: string; details: unknown } };
      expect(error.code).toBe('BAD_ARGUMENTS');
      expect(error.message).toMatch(/^Reports leave Excluded, which follows the Duplicate\/Invalid rules, out: .*GET \/api\/entitlements\?l1=Excluded /);
      expect(error.details).toEqual({ field: 'l1', l1: 'Excluded', reason: 'left-out-of-reports' });
    }
  });

  it('still refuse Duplicate/Invalid in the same words as on the built-in playbook, and answer for the other L1s', async () => {
    const res = await get('/api/reports/counts?by=l1&l1=Duplicate%2FInvalid');
    expect(res.statusCode).toBe(400);
    expect((res.json() as { error: { message: string } }).error.message).toMatch(/^Reports leave Duplicate\/Invalid out: those entitlements are not customer rollouts\. /);
    for (const url of ['/api/reports/counts?by=l2&l1=Stalled', '/api/reports/ageing', '/api/reports/ageing?l1=Stalled', '/api/entitlements?l1=Excluded']) {
      expect([url, (await get(url)).statusCode]).toEqual([url, 200]);
    }
  });
});
