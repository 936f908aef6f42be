/** POST /api/classify as `serve` runs it: classification on a worker thread, JSON made there. */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assembleServices, createNoteCoachPort, findFreshBuiltinModel, startClassifierWorkers, type Services } from '../../src/app/index.js';
import { classify } from '../../src/classifier/index.js';
import { buildApp } from '../../src/http/index.js';
import { SYSTEM_ACTOR, createToken, createUser } from '../../src/tracker/index.js';
import { createTestDb, makeTaxonomy } from '../factories.js';

const model = findFreshBuiltinModel();

describe.skipIf(!model)('POST /api/classify with classifier worker threads', () => {
  let services: Services;
  let app: FastifyInstance;
  let token: string;

  beforeAll(async () => {
    const classifier = await startClassifierWorkers({ model: model!, classify: (text, options) => ({ ...classify(model!, text, options) }) }, 1);
    services = assembleServices({ db: await createTestDb('sqlite'), taxonomy: makeTaxonomy(), classifier, noteCoach: createNoteCoachPort(classifier) });
    const user = await createUser(services.tracker, SYSTEM_ACTOR, { email: 'viewer@workers.test', name: 'Viewer', role: 'admin' });
    token = (await createToken(services.tracker, SYSTEM_ACTOR, { name: 'test', userId: user.id })).token;
    app = await buildApp(services, { webDir: null });
  });
  afterAll(async () => {
    await app?.close();
    await services?.close();
  });

  it('answers exactly what classifying on the HTTP thread answers', async () => {
    for (const [text, top] of [['The proxy cuts every connection to the cloud and nobody owns fixing it.', 3], ['Customer went silent after the kickoff call.', 1], ['x', 2]] as const) {
      const res = await app.inject({ method: 'POST', url: '/api/classify', headers: { authorization: `Bearer ${token}` }, payload: { text, top } });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.json()).toEqual(JSON.parse(JSON.stringify(classify(model!, text, { top }))));
    }
  });

  it('still validates the request and authenticates the caller', async () => {
    expect((await app.inject({ method: 'POST', url: '/api/classify', headers: { authorization: `Bearer ${token}` }, payload: { text: 42 } })).json().error.code).toBe('VALIDATION_FAILED');
    expect((await app.inject({ method: 'POST', url: '/api/classify', payload: { text: 'hello there' } })).statusCode).toBe(401);
  });
});
