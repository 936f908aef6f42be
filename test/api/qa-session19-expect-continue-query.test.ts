/**
 * QA session 19: with `Expect: 100-continue`, a request whose query string (or path) its route refuses
 * got `100 Continue` first, so the client sent its whole body (a large CSV file) only to be told 400
 * about a misspelt `?dryrun`. Now such a request is refused before any 100, as a body over the limit is
 * (expect-continue.ts): the client never sends the body. Driven over a raw socket, to see exactly what
 * the server writes and in which order.
 */
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/index.js';
import { createTestWorld, type TestWorld } from '../factories.js';

/**
 * Sends `head` (request line and headers, no body) and reads until the final (non-1xx) answer is
 * complete; sends `body` only if (and once) the server answers `100 Continue`.
 */
function exchange(port: number, head: string, body: string): Promise<{ raw: string; status: number; body: string; bodySent: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let raw = '';
    let bodySent = false;
    let done = false;
    const timer = setTimeout(() => reject(new Error(`no answer within 10 s; got ${JSON.stringify(raw)}`)), 10_000);
    socket.setEncoding('latin1');
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      if (!done) reject(new Error(`closed without an answer; got ${JSON.stringify(raw)}`));
    });
    socket.on('data', (chunk: string) => {
      raw += chunk;
      if (!bodySent && raw.startsWith('HTTP/1.1 100 Continue\r\n\r\n')) {
        bodySent = true;
        socket.write(body);
      }
      const final = raw.replace(/^(HTTP\/1\.1 1\d\d [^\r]*\r\n\r\n)+/, '');
      const end = final.indexOf('\r\n\r\n');
      if (done || !final.startsWith('HTTP/1.1 ') || final.startsWith('HTTP/1.1 1') || end < 0) return;
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(final.slice(0, end))?.[1] ?? 0);
      const text = final.slice(end + 4);
      if (Buffer.byteLength(text, 'latin1') < length) return;
      done = true;
      clearTimeout(timer);
      resolve({ raw, status: Number(final.split(' ')[1]), body: Buffer.from(text, 'latin1').toString('utf8'), bodySent });
      socket.destroy();
    });
    socket.write(head);
  });
}

describe('Expect: 100-continue with a query string or path the route refuses', () => {
  let world: TestWorld;
  let app: FastifyInstance;
  let port: number;
  const FILE = `tenant_id,workload,note\r\n${'expect-q,teams,A note long enough to be a real one.\r\n'.repeat(2000)}`;
  const head = (method: string, path: string, headers: Record<string, string | number>) =>
    `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
  const manager = () => ({ authorization: `Bearer ${world.tokens.northManager}` });

  beforeAll(async () => {
    world = await createTestWorld('sqlite');
    app = await buildApp(world.services, { webDir: null });
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await app?.close();
    await world?.services.close();
  });

  it('answers a misspelt or bare import flag 400 before any 100 Continue, as without Expect', async () => {
    for (const query of ['?dryrun=true', '?dryRun', '?advise=maybe']) {
      const whole = await app.inject({ method: 'POST', url: `/api/import/entitlements${query}`, headers: { ...manager(), 'content-type': 'text/csv' }, payload: FILE });
      expect(whole.statusCode, whole.body).toBe(400);
      const res = await exchange(port, head('POST', `/api/import/entitlements${query}`, { ...manager(), 'Content-Type': 'text/csv', 'Content-Length': Buffer.byteLength(FILE), Expect: '100-continue' }), FILE);
      expect(res.raw, query).toMatch(/^HTTP\/1\.1 400 /);
      expect(res.raw, query).not.toContain('100 Continue');
      expect(res.bodySent, query).toBe(false);
      expect(JSON.parse(res.body), query).toEqual(whole.json());
    }
  });

  it('answers a path parameter its route refuses 400 before any 100 Continue', async () => {
    const body = JSON.stringify({ workload: 'teams' });
    const res = await exchange(port, head('POST', '/api/customers/abc/entitlements', { ...manager(), 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), Expect: '100-continue' }), body);
    expect(res.raw).toMatch(/^HTTP\/1\.1 400 /);
    expect(res.bodySent).toBe(false);
    expect(JSON.parse(res.body).error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ where: 'params', path: '/id' }] });
  });

  it('still sends 100 Continue for a good query string, and imports the body', async () => {
    const res = await exchange(port, head('POST', '/api/import/entitlements?dryRun=true&advise=false', { ...manager(), 'Content-Type': 'text/csv', 'Content-Length': 47, Expect: '100-continue' }), 'tenant_id,workload,owner\r\nexpect-q,teams,Maya\r\n'.padEnd(47, ' '));
    expect(res.raw).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 (200|422) /);
    expect(res.bodySent).toBe(true);
  });
});
