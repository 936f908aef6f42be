/**
 * A known path asked with a method it does not take answers 405 METHOD_NOT_ALLOWED with an `Allow`
 * header listing the methods it takes (RFC 9110 15.5.6), not 404 "No route": a client that sent
 * DELETE /api/entitlements or PUT for PATCH learns the path is right and what to send instead. A path
 * no route has stays 404. Like the 404 it replaces, it needs no credentials (the OpenAPI document,
 * which lists every route, is public too).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/index.js';
import { useApiWorld } from './api-world.js';

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

// With the web app served (as `serve` does), whose catch-all route takes GET on every path, and without.
describe.each([['without', false], ['with', true]] as const)('a method a path does not take, %s the web app', (_label, withWeb) => {
  const world = useApiWorld('sqlite');
  const webDir = mkdtempSync(join(tmpdir(), 'unblock-405-web-'));
  mkdirSync(join(webDir, 'assets'));
  writeFileSync(join(webDir, 'index.html'), '<!doctype html><title>app</title>');
  let app: FastifyInstance;
  beforeAll(async () => {
    app = withWeb ? await buildApp(world.world.services, { webDir }) : world.app;
  });
  afterAll(async () => {
    if (withWeb) await app.close();
    rmSync(webDir, { recursive: true, force: true });
  });
  const api = {
    get app() {
      return app;
    },
    get world() {
      return world.world;
    },
  };

  it.each([
    ['DELETE', '/api/entitlements'],
    ['PUT', '/api/entitlements/1'],
    ['POST', '/api/reports/counts'],
    ['PATCH', '/api/classify'],
    ['GET', '/api/import/entitlements'],
    ['DELETE', '/api/entitlements/1/history/'],
    ['POST', '/api/openapi.json'],
  ] as const)('%s %s answers 405 with the methods the path takes', async (method, url) => {
    const res = await api.app.inject({ method, url, headers: auth(api.world.tokens.admin) });
    expect(res.statusCode, res.body).toBe(405);
    const allow = String(res.headers.allow).split(', ');
    expect(allow.length).toBeGreaterThan(0);
    expect(allow).not.toContain(method);
    const error = res.json().error;
    expect(error.code).toBe('METHOD_NOT_ALLOWED');
    expect(error.details).toEqual({ method, allow });
    expect(error.message).toContain(`${method} is not allowed on ${url.replace(/\/$/, '')}`);
    // Each method it names is one the path takes: none answers 405 or "No route".
    for (const other of allow.filter((m) => m !== 'HEAD')) {
      const again = await api.app.inject({ method: other as 'GET', url, headers: auth(api.world.tokens.admin), ...(other === 'GET' || other === 'DELETE' ? {} : { payload: {} }) });
      expect([other, again.statusCode]).not.toEqual([other, 405]);
      expect(again.json().error?.message ?? '').not.toMatch(/^No route/);
    }
  });

  it('names only the methods of the route the router would pick: a fixed path before a parametric one', async () => {
    const res = await api.app.inject({ method: 'PUT', url: '/api/entitlements/bulk-status', headers: auth(api.world.tokens.admin) });
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe('POST');
  });

  it('keeps 404 for a path no route has, whatever the method', async () => {
    for (const method of ['GET', 'DELETE', 'PATCH'] as const) {
      const res = await api.app.inject({ method, url: '/api/entitlementz', headers: auth(api.world.tokens.admin) });
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('NOT_FOUND');
      expect(res.headers.allow).toBeUndefined();
    }
  });
});
