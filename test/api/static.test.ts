import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/index.js';
import { createTestWorld, type TestWorld } from '../factories.js';

const root = join(import.meta.dirname, '..', '..');
/** What a browser sends when it opens a page. */
const PAGE = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8' };

describe('serving the web app', () => {
  let dir: string;
  let world: TestWorld;
  let app: FastifyInstance;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'unblock-web-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Unblock</title>');
    writeFileSync(join(dir, 'app.js'), 'console.log(1)');
    // As the build copies it from web/public.
    writeFileSync(join(dir, 'favicon.svg'), readFileSync(join(root, 'web', 'public', 'favicon.svg')));
    world = await createTestWorld('sqlite');
    app = await buildApp(world.services, { webDir: dir });
  });

  afterAll(async () => {
    await app.close();
    await world.services.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves index.html for the app and its page addresses, files as they are, and JSON 404s under /api', async () => {
    expect((await app.inject({ url: '/' })).body).toContain('<title>Unblock</title>');
    for (const headers of [PAGE, { accept: '*/*' }, {}]) {
      const page = await app.inject({ url: '/customers/42', headers });
      expect([page.statusCode, page.headers['content-type']]).toEqual([200, 'text/html; charset=utf-8']);
      expect(page.body).toContain('<title>Unblock</title>');
    }
    expect((await app.inject({ url: '/portfolio?l1=Blocked', headers: PAGE })).body).toContain('<title>Unblock</title>');
    expect((await app.inject({ method: 'HEAD', url: '/triage', headers: PAGE })).statusCode).toBe(200);
    expect((await app.inject({ url: '/app.js' })).body).toBe('console.log(1)');
    const api = await app.inject({ url: '/api/nope', headers: PAGE });
    expect([api.statusCode, api.json().error.code]).toEqual([404, 'NOT_FOUND']);
  });

  it('answers 404 for a file that is not there, rather than the app under its name', async () => {
    for (const url of ['/favicon.ico', '/robots.txt', '/missing.js', '/assets/gone-1234.css', '/.well-known/security.txt', '/favicon.ico?v=2']) {
      const res = await app.inject({ url, headers: PAGE });
      expect([url, res.statusCode, res.headers['content-type']]).toEqual([url, 404, 'application/json; charset=utf-8']);
      expect(res.json().error.code).toBe('NOT_FOUND');
      expect(res.body).not.toContain('<title>');
    }
  });

  it('answers 404 to a request for a page address that does not take HTML, or that is not a GET', async () => {
    const json = await app.inject({ url: '/customers/42', headers: { accept: 'application/json' } });
    expect([json.statusCode, json.json().error.code]).toEqual([404, 'NOT_FOUND']);
    const image = await app.inject({ url: '/logo', headers: { accept: 'image/avif,image/webp,image/*' } });
    expect(image.statusCode).toBe(404);
    const post = await app.inject({ method: 'POST', url: '/customers/42', headers: PAGE });
    expect(post.statusCode).toBe(404);
  });

  it('serves the favicon', async () => {
    const icon = await app.inject({ url: '/favicon.svg' });
    expect([icon.statusCode, icon.headers['content-type']]).toEqual([200, 'image/svg+xml']);
    expect(icon.body).toMatch(/^<svg [^>]*viewBox="0 0 32 32"/);
  });

  it('links the favicon from the page, so that browsers do not ask for /favicon.ico', () => {
    expect(readFileSync(join(root, 'web', 'index.html'), 'utf8')).toContain('<link rel="icon" type="image/svg+xml" href="/favicon.svg" />');
  });
});
