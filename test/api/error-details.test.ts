/**
 * Every error body has the documented shape `{"error": {"code", "message", "details"}}`: `details` is
 * there even when the error has nothing to add (null), and keeps its content when it has. Both engines.
 */
import { describe, expect, it } from 'vitest';
import { ENGINES } from '../factories.js';
import { useApiWorld } from './api-world.js';

describe.each(ENGINES)('error bodies on %s', (engine) => {
  const t = useApiWorld(engine);
  const auth = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });

  const errorOf = (res: { statusCode: number; body: string; json(): unknown }, status: number, code: string) => {
    expect(res.statusCode, res.body).toBe(status);
    const error = (res.json() as { error: Record<string, unknown> }).error;
    expect(Object.keys(error), res.body).toEqual(['code', 'message', 'details']);
    expect(error.code).toBe(code);
    expect(typeof error.message).toBe('string');
    return error.details;
  };

  it('carries details: null when there is nothing to add', async () => {
    const { app, world } = t;
    expect(errorOf(await app.inject({ url: '/api/entitlements/999999', headers: auth(world.tokens.admin) }), 404, 'NOT_FOUND')).toBeNull();
    expect(errorOf(await app.inject({ url: '/api/no-such-route', headers: auth(world.tokens.admin) }), 404, 'NOT_FOUND')).toBeNull();
    expect(errorOf(await app.inject({ url: '/api/entitlements' }), 401, 'UNAUTHENTICATED')).toBeNull();
    const forbidden = await app.inject({ method: 'POST', url: '/api/customers', headers: auth(world.tokens.northViewer), payload: { tenantId: 'v-1', name: 'V', workloads: [] } });
    expect(errorOf(forbidden, 403, 'FORBIDDEN')).toBeNull();
    const period = await app.inject({ url: '/api/reports/note-quality?from=2026-05-01&to=2026-01-01', headers: auth(world.tokens.admin) });
    expect(errorOf(period, 400, 'BAD_ARGUMENTS')).toBeNull();
    const empty = await app.inject({ method: 'POST', url: '/api/customers', headers: auth(world.tokens.northManager), payload: '' });
    expect(errorOf(empty, 400, 'INVALID_JSON')).toBeNull();
  });

  it('keeps the details an error has', async () => {
    const { app, world } = t;
    const created = await app.inject({ method: 'POST', url: '/api/customers', headers: auth(world.tokens.northManager), payload: { tenantId: 'd-1', name: 'Details Co', workloads: ['teams'] } });
    expect(created.statusCode, created.body).toBe(201);
    const invalid = await app.inject({ url: '/api/entitlements?pageSize=0', headers: auth(world.tokens.admin) });
    expect(errorOf(invalid, 400, 'VALIDATION_FAILED')).toEqual([expect.objectContaining({ where: 'querystring', path: expect.any(String) })]);
    const taken = await app.inject({ method: 'POST', url: '/api/customers', headers: auth(world.tokens.northManager), payload: { tenantId: 'D-1', name: 'Again', workloads: [] } });
    expect(errorOf(taken, 409, 'CONFLICT')).toEqual({ field: 'tenantId', customerId: created.json().id });
    const plain = await app.inject({ method: 'POST', url: '/api/customers', headers: { ...auth(world.tokens.northManager), 'content-type': 'text/plain' }, payload: 'x' });
    expect(errorOf(plain, 415, 'UNSUPPORTED_MEDIA_TYPE')).toEqual({ contentType: 'text/plain' });
  });
});
