import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
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
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'assets', 'index-AAAA1111.js'), 'console.log("first build")');
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
    for (const url of ['/favicon.ico', '/robots.txt', '/missing.js', '/assets/gone-1234.css', '/.well-known/security.txt', '/favicon.ico?v=2', '//favicon.svg', '/assets//index-AAAA1111.js']) {
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

  it('serves what a rebuild of the web app wrote after start-up: new hashed assets and the new index.html', async () => {
    // As `node dist/scripts/build-web.js` does while the server runs: new asset names, index.html replaced by rename.
    writeFileSync(join(dir, 'assets', 'index-BBBB2222.js'), 'console.log("second build")');
    writeFileSync(join(dir, 'index.html.tmp'), '<!doctype html><title>Unblock</title><script type="module" src="/assets/index-BBBB2222.js"></script>');
    renameSync(join(dir, 'index.html.tmp'), join(dir, 'index.html'));
    try {
      const asset = await app.inject({ url: '/assets/index-BBBB2222.js' });
      expect([asset.statusCode, asset.headers['content-type'], asset.body]).toEqual([200, 'application/javascript; charset=utf-8', 'console.log("second build")']);
      expect((await app.inject({ method: 'HEAD', url: '/assets/index-BBBB2222.js' })).statusCode).toBe(200);
      for (const url of ['/', '/index.html', '/customers/42']) {
        const page = await app.inject({ url, headers: PAGE });
        expect([url, page.statusCode]).toEqual([url, 200]);
        expect(page.body).toContain('/assets/index-BBBB2222.js');
      }
      // A file the rebuild removed is gone at once, too.
      rmSync(join(dir, 'app.js'));
      expect((await app.inject({ url: '/app.js' })).statusCode).toBe(404);
    } finally {
      writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Unblock</title>');
      writeFileSync(join(dir, 'app.js'), 'console.log(1)');
    }
  });

  it('lets browsers keep hashed assets for good, and makes them ask again for index.html', async () => {
    for (const method of ['GET', 'HEAD'] as const) {
      const asset = await app.inject({ method, url: '/assets/index-AAAA1111.js' });
      expect([method, asset.statusCode, asset.headers['cache-control']]).toEqual([method, 200, 'public, max-age=31536000, immutable']);
      for (const url of ['/', '/index.html', '/portfolio?l1=Blocked']) {
        const page = await app.inject({ method, url, headers: PAGE });
        expect([method, url, page.statusCode, page.headers['cache-control']]).toEqual([method, url, 200, 'no-cache']);
      }
    }
    // Files outside assets/ keep their names across builds: asked again each time, answered 304 while unchanged.
    const icon = await app.inject({ url: '/favicon.svg' });
    expect(icon.headers['cache-control']).toBe('public, max-age=0');
    expect((await app.inject({ url: '/favicon.svg', headers: { 'if-none-match': String(icon.headers.etag) } })).statusCode).toBe(304);
  });

  it('keeps /api to the API: no web file, no index.html, a JSON 404 for an unknown path, with or without signing in', async () => {
    mkdirSync(join(dir, 'api'), { recursive: true });
    writeFileSync(join(dir, 'api', 'secret.txt'), 'not for the API');
    try {
      for (const url of ['/api/secret.txt', '/api/nope', '/api/nope/', '/api/assets/index-AAAA1111.js', '/api', '/api//nope', '/%61pi/secret.txt']) {
        for (const [method, headers] of [['GET', PAGE], ['HEAD', PAGE], ['GET', { ...PAGE, authorization: `Bearer ${world.tokens.northViewer}` }]] as const) {
          const res = await app.inject({ method, url, headers });
          expect([method, url, res.statusCode, res.headers['content-type']]).toEqual([method, url, 404, 'application/json; charset=utf-8']);
          if (method === 'GET') expect(res.json().error.code).toBe('NOT_FOUND');
        }
      }
    } finally {
      rmSync(join(dir, 'api'), { recursive: true, force: true });
    }
  });

  it('sends the security headers with web files and the app page', async () => {
    for (const url of ['/assets/index-AAAA1111.js', '/customers/42', '/']) {
      const res = await app.inject({ url, headers: PAGE });
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect([url, res.headers['x-frame-options'], res.headers['x-content-type-options']]).toEqual([url, 'DENY', 'nosniff']);
    }
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
