/**
 * An import refused for its size while the client is still uploading: the answer must reach the client
 * before its upload ends (browsers wait for the upload otherwise), and the connection is closed after.
 */
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { buildApp } from '../../src/http/index.js';
import { formatSize } from '../../src/http/csv.js';
import { createTestWorld } from '../factories.js';

describe('a CSV upload over the import limit', () => {
  // Without the fix the answer never comes: fail in seconds, not at vitest's timeout.
  it('gets its 413 while still uploading, with Connection: close, and the server stays up', async () => {
    const world = await createTestWorld('sqlite');
    const app = await buildApp({ ...world.services, config: { ...loadConfig({}), importLimitBytes: 64 * 1024 } }, { webDir: null });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    try {
      const chunk = `${'tenant_id,workload,note\n'}${'t-1,teams,'.padEnd(1023, 'x')}\n`;
      const answer = await new Promise<{ status: number; connection: string | undefined; body: string; sentKiB: number }>((resolve, reject) => {
        let sent = 0;
        let stop = false;
        const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/api/import/entitlements', headers: { authorization: `Bearer ${world.tokens.northManager}`, 'content-type': 'text/csv' } }, (res) => {
          stop = true;
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => (body += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body, sentKiB: sent / 1024 }));
        });
        req.on('error', (error) => (stop ? undefined : reject(error)));
        // Keep uploading (up to 64 MiB, far past the limit) until the answer comes; never end the body first.
        const pump = () => {
          while (!stop && sent < 64 * 1048576) {
            sent += chunk.length;
            if (!req.write(chunk)) return void req.once('drain', pump);
          }
          if (!stop) reject(new Error('no answer before 64 MiB were sent'));
        };
        setTimeout(() => (stop ? undefined : reject(new Error('no answer within 15 s'))), 15_000).unref();
        pump();
      });
      expect(answer.status).toBe(413);
      expect(answer.connection).toBe('close');
      expect(JSON.parse(answer.body).error.message).toMatch(/larger than 64 KiB/);
      const health = await fetch(`http://127.0.0.1:${port}/api/health`);
      expect(health.status).toBe(200);
    } finally {
      await app.close();
      await world.services.close();
    }
  });

  it('states limits in readable units', () => {
    expect([formatSize(100 * 1048576), formatSize(1.5 * 1048576), formatSize(200 * 1024), formatSize(200)]).toEqual(['100 MiB', '1.5 MiB', '200 KiB', '200 bytes']);
  });
});
