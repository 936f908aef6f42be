/**
 * GET /api/health says whether the database holds the demo data of `serve --demo` (`npm start`), so the
 * sign-in page points to the printed demo logins only when they exist.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { assembleServices, seedDemoData, type Services } from '../../src/app/index.js';
import { buildApp } from '../../src/http/index.js';
import { SYSTEM_ACTOR, createUser } from '../../src/tracker/index.js';
import { createTestDb, createTestWorld, ENGINES, fakeClassifier, fakeNoteCoach, fixedClock, makeTaxonomy } from '../factories.js';

describe.each(ENGINES)('GET /api/health demoData on %s', (engine) => {
  let services: Services | undefined;
  let app: FastifyInstance | undefined;

  afterEach(async () => {
    await app?.close();
    await services?.close();
    app = undefined;
    services = undefined;
  });

  it('is false for a database without the demo data, also when it has other users', async () => {
    services = (await createTestWorld(engine)).services;
    app = await buildApp(services, { webDir: null });
    const res = await app.inject({ url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ok: true, demoData: false });
  });

  it('is true once the demo data is seeded', async () => {
    services = assembleServices({ db: await createTestDb(engine), taxonomy: makeTaxonomy(), clock: fixedClock(), classifier: fakeClassifier, noteCoach: fakeNoteCoach });
    app = await buildApp(services, { webDir: null });
    expect((await app.inject({ url: '/api/health' })).json().demoData).toBe(false);
    // Another team's own admin does not count as demo data.
    await createUser(services.tracker, SYSTEM_ACTOR, { email: 'admin@example.org', name: 'Admin', role: 'admin', partnerId: null, password: 'a-long-password-1' });
    expect((await app.inject({ url: '/api/health' })).json().demoData).toBe(false);
    await services.db.kysely.deleteFrom('users').execute();

    const seed = await seedDemoData(services, { customersPerPartner: 1 });
    expect(seed.state).toBe('seeded');
    const res = await app.inject({ url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ok: true, demoData: true });
  });
});
