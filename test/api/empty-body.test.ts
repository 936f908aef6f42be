/**
 * Routes that take no body accept an empty one sent with `Content-Type: application/json` (browsers'
 * fetch wrappers and many HTTP clients set the header on every request); routes that take a body
 * still refuse an empty or malformed one. Both engines.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/index.js';
import { createTestWorld, ENGINES, type TestWorld } from '../factories.js';

describe.each(ENGINES)('empty JSON bodies on %s', (engine) => {
  let world: TestWorld;
  let app: FastifyInstance;
  const json = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });

  beforeAll(async () => {
    world = await createTestWorld(engine);
    app = await buildApp(world.services, { webDir: null });
  });
  afterAll(async () => {
    await app?.close();
    await world?.services.close();
  });

  const newToken = async () => {
    const res = await app.inject({ method: 'POST', url: '/api/tokens', headers: json(world.tokens.northEditor), payload: { name: 'script' } });
    expect(res.statusCode).toBe(201);
    return res.json().info.id as number;
  };

  it('revokes a token with DELETE sent as JSON without a body, with or without Content-Length: 0', async () => {
    const id = await newToken();
    const res = await app.inject({ method: 'DELETE', url: `/api/tokens/${id}`, headers: json(world.tokens.northEditor) });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id, revokedAt: expect.any(String) });
    const other = await newToken();
    const zero = await app.inject({ method: 'DELETE', url: `/api/tokens/${other}`, headers: { ...json(world.tokens.northEditor), 'content-length': '0' }, payload: '' });
    expect(zero.statusCode, zero.body).toBe(200);
    const spaces = await app.inject({ method: 'DELETE', url: `/api/tokens/${await newToken()}`, headers: json(world.tokens.northEditor), payload: ' \n' });
    expect(spaces.statusCode, spaces.body).toBe(200);
  });

  it('deletes a customer and signs out with an empty JSON body', async () => {
    const created = await app.inject({ method: 'POST', url: '/api/customers', headers: json(world.tokens.northManager), payload: { tenantId: 'empty-body-1', name: 'Empty Body Co' } });
    expect(created.statusCode).toBe(201);
    const deleted = await app.inject({ method: 'DELETE', url: `/api/customers/${created.json().id}?reason=test`, headers: json(world.tokens.northManager) });
    expect(deleted.statusCode, deleted.body).toBe(200);
    const logout = await app.inject({ method: 'POST', url: '/api/auth/logout', headers: { 'content-type': 'application/json' } });
    expect(logout.statusCode, logout.body).toBe(204);
  });

  it('still refuses malformed JSON on a route without a body, and an empty body where one is needed', async () => {
    const id = await newToken();
    const broken = await app.inject({ method: 'DELETE', url: `/api/tokens/${id}`, headers: json(world.tokens.northEditor), payload: '{"a":' });
    expect([broken.statusCode, broken.json().error.code]).toEqual([400, 'INVALID_JSON']);
    // In our words, with where the body goes wrong: never Fastify's own "content-type is set to" text.
    expect(broken.json().error.message).toBe('The body is not valid JSON: it ends inside an object (after character 5).');
    const empty = await app.inject({ method: 'POST', url: '/api/tokens', headers: json(world.tokens.northEditor) });
    expect([empty.statusCode, empty.json().error.code]).toEqual([400, 'INVALID_JSON']);
    expect(empty.json().error.message).toBe('The body is empty; this request takes a JSON body.');
    const poisoned = await app.inject({ method: 'POST', url: '/api/tokens', headers: json(world.tokens.northEditor), payload: '{"name":"x","__proto__":{"admin":true}}' });
    expect([poisoned.statusCode, poisoned.json().error.code]).toEqual([400, 'INVALID_JSON']);
    expect(poisoned.json().error.message).toMatch(/^The body is not valid JSON: .*"__proto__"/);
    for (const res of [broken, empty, poisoned]) expect(res.json().error.message).not.toMatch(/content-type is set|Body is not valid JSON but/);
    // The token was not revoked by the refused request.
    const tokens = (await app.inject({ url: '/api/tokens', headers: json(world.tokens.northEditor) })).json().items as { id: number; revokedAt: string | null }[];
    expect(tokens.find((t) => t.id === id)?.revokedAt).toBeNull();
  });
});
