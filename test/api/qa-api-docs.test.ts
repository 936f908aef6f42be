/**
 * What docs/API.md promises and a QA pass following it found the server not doing:
 * - a `%` in the query string that starts no UTF-8 escape (`?q=%E0%A4`, a bare `%`) answers 400
 *   BAD_ARGUMENTS, as the same escape in the path does, instead of being searched for as text;
 * - a blank Duplicate/Invalid note is refused as any field that fails its schema (details listing `/note`);
 * - the OpenAPI document lists the 404 of every route that answers one for an id it cannot find.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/index.js';
import { createTestWorld, ENGINES, type TestWorld } from '../factories.js';

describe.each(ENGINES)('docs/API.md as written, on %s', (engine) => {
  let world: TestWorld;
  let app: FastifyInstance;
  const auth = () => ({ authorization: `Bearer ${world.tokens.northManager}` });

  beforeAll(async () => {
    world = await createTestWorld(engine);
    app = await buildApp(world.services, { webDir: null });
    const created = await app.inject({ method: 'POST', url: '/api/customers', headers: auth(), payload: { tenantId: 'qa-docs-001', name: 'Café Émile 50% Co', workloads: ['teams'] } });
    expect(created.statusCode).toBe(201);
  });
  afterAll(async () => {
    await app?.close();
    await world?.services.close();
  });

  it.each([
    ['/api/entitlements?q=%E0%A4'],
    ['/api/entitlements?q=%'],
    ['/api/entitlements?q=50%&pageSize=5'],
    ['/api/entitlements?owner=%ZZ'],
    ['/api/customers?q=%E0%A4'],
    ['/api/export/entitlements.csv?q=%C3'],
    ['/api/reports/ageing?l1=%E0%A4'],
  ])('answers %s with 400 BAD_ARGUMENTS in the error shape', async (url) => {
    const res = await app.inject({ url, headers: auth() });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'BAD_ARGUMENTS', message: expect.stringContaining('%25') });
    // As for a bad escape in the path, the URL is refused before the credential is looked at.
    const anonymous = await app.inject({ url });
    expect([anonymous.statusCode, anonymous.json().error.code]).toEqual([400, 'BAD_ARGUMENTS']);
  });

  it('still reads well-formed escapes in the query, including %25 for a percent sign', async () => {
    const accented = await app.inject({ url: '/api/customers?q=caf%C3%A9', headers: auth() });
    expect(accented.statusCode).toBe(200);
    expect(accented.json().items.map((c: { tenantId: string }) => c.tenantId)).toEqual(['qa-docs-001']);
    const percent = await app.inject({ url: '/api/customers?q=50%25', headers: auth() });
    expect(percent.statusCode).toBe(200);
    expect(percent.json().items.map((c: { tenantId: string }) => c.tenantId)).toEqual(['qa-docs-001']);
    const plus = await app.inject({ url: '/api/customers?q=50%25+co', headers: auth() });
    expect(plus.statusCode).toBe(200);
  });

  it('answers a blank Duplicate/Invalid note as every schema failure is answered: a list naming /note', async () => {
    const created = await app.inject({ method: 'POST', url: '/api/customers', headers: auth(), payload: { tenantId: 'qa-docs-blank', name: 'Blank Note Co', workloads: ['teams'] } });
    for (const note of ['   ', '']) {
      const res = await app.inject({ method: 'POST', url: `/api/customers/${created.json().id}/duplicate-invalid`, headers: auth(), payload: { note } });
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: [{ where: 'body', path: '/note', message: note === '' ? 'must not be empty' : 'must not be only spaces' }],
      });
    }
    const entitlements = (await app.inject({ url: `/api/entitlements?customerId=${created.json().id}`, headers: auth() })).json().items;
    expect(entitlements.map((e: { version: number }) => e.version)).toEqual([1]);
  });

  it('lists 404 in the OpenAPI document for each route that answers it, and those routes do', async () => {
    const doc = (await app.inject({ url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    const cases: [string, string, () => Promise<{ statusCode: number; json(): { error: { code: string } } }>][] = [
      ['/api/customers/{id}', 'get', () => app.inject({ url: '/api/customers/999999', headers: auth() })],
      ['/api/entitlements/{id}/history', 'get', () => app.inject({ url: '/api/entitlements/999999/history', headers: auth() })],
      ['/api/tokens/{id}', 'delete', () => app.inject({ method: 'DELETE', url: '/api/tokens/999999', headers: auth() })],
      ['/api/entitlements/bulk-status', 'post', () => app.inject({
        method: 'POST', url: '/api/entitlements/bulk-status', headers: auth(),
        payload: { items: [{ id: 999999, version: 1, l1: 'No Intent', note: 'The customer has no plans for this workload this year.' }] },
      })],
    ];
    for (const [path, method, call] of cases) {
      const res = await call();
      expect([res.statusCode, res.json().error.code], `${method} ${path}`).toEqual([404, 'NOT_FOUND']);
      expect(Object.keys(doc.paths[path]![method]!.responses), `${method} ${path}`).toContain('404');
    }
  });
});
