/** GET /api/taxonomy names the status rules each L1 follows; a change to an L1 of the playbook's own that follows Blocked is judged as Blocked. */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assembleServices, type Services } from '../../src/app/index.js';
import { buildApp } from '../../src/http/index.js';
import { createTestWorld, ENGINES, fakeClassifier, fakeNoteCoach, fixedClock } from '../factories.js';
import { ownL1Taxonomy } from '../own-l1-taxonomy.js';

describe.each(ENGINES)('L1 kinds over the API, on %s', (engine) => {
  let services: Services;
  let app: FastifyInstance;
  let token: string;
  let managerToken: string;
  let builtIn: Services;

  beforeAll(async () => {
    const world = await createTestWorld(engine);
    builtIn = world.services;
    token = world.tokens.northEditor;
    managerToken = world.tokens.northManager;
    // Same database and tokens, with a playbook that has L1s of its own.
    services = assembleServices({ db: world.services.db, taxonomy: ownL1Taxonomy(), clock: fixedClock(), classifier: fakeClassifier, noteCoach: fakeNoteCoach });
    app = await buildApp(services, { webDir: null });
  });
  afterAll(async () => {
    await app?.close();
    await services?.close();
  });

  const headers = () => ({ authorization: `Bearer ${token}` });

  it('lists each L1 with the kind of rules it follows', async () => {
    const res = await app.inject({ url: '/api/taxonomy', headers: headers() });
    expect(res.statusCode).toBe(200);
    const l1s = (res.json() as { l1s: { name: string; kind: string | null }[] }).l1s;
    expect(l1s.map((n) => [n.name, n.kind])).toEqual([
      ['Status Unknown', 'status-unknown'], ['In Progress', 'in-progress'], ['No Intent', 'no-intent'], ['Blocked', 'blocked'], ['Duplicate/Invalid', 'duplicate-invalid'], ['Active', 'in-progress'], ['Stalled', 'blocked'],
    ]);
    const spec = (await app.inject({ url: '/api/openapi.json' })).json();
    expect(JSON.stringify(spec.paths['/api/taxonomy'])).toContain('"kind"');
  });

  it('gives the five L1s their own kinds for a hand-built taxonomy too', async () => {
    const other = await buildApp(builtIn, { webDir: null });
    try {
      const l1s = ((await other.inject({ url: '/api/taxonomy', headers: headers() })).json() as { l1s: { id: string; kind: string | null }[] }).l1s;
      expect(l1s.every((n) => n.kind === n.id)).toBe(true);
    } finally {
      await other.close();
    }
  });

  it('refuses a change to Stalled without a projected unblock date (rule BLOCKED_UNBLOCK_DATE) and takes it with one', async () => {
    const created = await app.inject({ method: 'POST', url: '/api/customers', headers: { authorization: `Bearer ${managerToken}` }, payload: { tenantId: `own-${engine}`, name: 'Own L1 Customer', workloads: ['teams'] } });
    expect(created.statusCode).toBe(201);
    const row = (await app.inject({ url: `/api/entitlements?customerId=${created.json().id}`, headers: headers() })).json().items[0] as { id: number; version: number };
    const note = 'Two engineers left in spring and the backfills are not approved, so the rollout is paused.';
    const refused = await app.inject({ method: 'PUT', url: `/api/entitlements/${row.id}/status`, headers: headers(), payload: { version: row.version, code: 'stalled/staffing-gap', note } });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error).toMatchObject({ code: 'RULE_VIOLATION', details: { violations: [{ rule: 'BLOCKED_UNBLOCK_DATE', field: 'projectedUnblockDate' }] } });
    const taken = await app.inject({ method: 'PUT', url: `/api/entitlements/${row.id}/status`, headers: headers(), payload: { version: row.version, code: 'stalled/staffing-gap', note, projectedUnblockDate: '2026-04-01' } });
    expect(taken.statusCode).toBe(200);
    expect(taken.json().entitlement).toMatchObject({ l1: 'Stalled', projectedUnblockDate: '2026-04-01' });
  });
});
