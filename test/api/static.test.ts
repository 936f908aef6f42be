import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/index.js';
import { createTestWorld } from '../factories.js';

describe('serving the web app', () => {
  it('serves index.html for unknown non-API paths and JSON 404s under /api', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'unblock-web-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Unblock</title>');
    writeFileSync(join(dir, 'app.js'), 'console.log(1)');
    const world = await createTestWorld('sqlite');
    const app = await buildApp(world.services, { webDir: dir });
    try {
      expect((await app.inject({ url: '/' })).body).toContain('<title>Unblock</title>');
      expect((await app.inject({ url: '/customers/42' })).body).toContain('<title>Unblock</title>');
      expect((await app.inject({ url: '/app.js' })).body).toBe('console.log(1)');
      const api = await app.inject({ url: '/api/nope' });
      expect([api.statusCode, api.json().error.code]).toEqual([404, 'NOT_FOUND']);
    } finally {
      await app.close();
      await world.services.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
