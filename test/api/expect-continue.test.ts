/**
 * `Expect: 100-continue` (curl's default for large bodies): a body whose Content-Length is over the
 * route's limit is refused with the route's usual 413 JSON and `Connection: close` before any
 * `100 Continue`, so the client never starts sending it (it used to get 100, start sending, and see
 * "broken pipe" when the server refused and closed). A body within the limit gets its 100, then its
 * usual answer. Driven over a raw socket, to see exactly what the server writes and when.
 */
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { buildApp } from '../../src/http/index.js';
import { createTestWorld, type TestWorld } from '../factories.js';

const BODY_LIMIT = 64 * 1024;
const IMPORT_LIMIT = 128 * 1024;

interface Exchange {
  /** Everything the server wrote, in order. */
  raw: string;
  /** The final (non-1xx) answer: status, lower-cased headers and body. */
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Whether the server closed the connection (within a second of its answer). */
  closed: boolean;
}

/**
 * Sends `head` (request line and headers, no body) on a new connection and reads the answer; with
 * `body`, sends it once (and only if) the server answers `100 Continue`.
 */
function exchange(port: number, head: string, body?: string): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let raw = '';
    let sent = false;
    let answer: Omit<Exchange, 'closed' | 'raw'> | undefined;
    let closed = false;
    const finish = () => resolve({ raw, ...answer!, closed });
    const timer = setTimeout(() => (answer ? finish() : reject(new Error(`no answer within 10 s; got ${JSON.stringify(raw)}`))), 10_000);
    socket.setEncoding('latin1');
    socket.on('error', () => undefined);
    socket.on('close', () => {
      closed = true;
      clearTimeout(timer);
      if (answer) finish();
      else reject(new Error(`closed without an answer; got ${JSON.stringify(raw)}`));
    });
    socket.on('data', (chunk: string) => {
      raw += chunk;
      if (body !== undefined && !sent && raw.startsWith('HTTP/1.1 100 Continue\r\n\r\n')) {
        sent = true;
        socket.write(body);
      }
      if (answer) return;
      // The final answer: past any 1xx, complete once its Content-Length bytes are in.
      const final = raw.replace(/^(HTTP\/1\.1 1\d\d [^\r]*\r\n\r\n)+/, '');
      const end = final.indexOf('\r\n\r\n');
      if (!final.startsWith('HTTP/1.1 ') || final.startsWith('HTTP/1.1 1') || end < 0) return;
      const [statusLine, ...lines] = final.slice(0, end).split('\r\n');
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      const text = Buffer.from(final.slice(end + 4), 'latin1').toString('utf8');
      if (Buffer.byteLength(text) < Number(headers['content-length'] ?? 0)) return;
      answer = { status: Number(statusLine!.split(' ')[1]), headers, body: text };
      // Give the server a moment to close the connection, or not.
      setTimeout(() => (closed ? undefined : (clearTimeout(timer), finish(), socket.destroy())), 1000);
    });
    socket.write(head);
  });
}

describe('Expect: 100-continue', () => {
  let world: TestWorld;
  let app: FastifyInstance;
  let port: number;
  const head = (method: string, path: string, headers: Record<string, string | number>) =>
    `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
  const manager = () => ({ authorization: `Bearer ${world.tokens.northManager}` });

  beforeAll(async () => {
    world = await createTestWorld('sqlite');
    app = await buildApp({ ...world.services, config: { ...loadConfig({}), bodyLimitBytes: BODY_LIMIT, importLimitBytes: IMPORT_LIMIT } }, { webDir: null });
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await app?.close();
    await world?.services.close();
  });

  it('answers a JSON body over the limit 413, as without Expect, before any 100 Continue, and closes', async () => {
    const big = JSON.stringify({ tenantId: 'too-big', name: 'x'.repeat(BODY_LIMIT + 10) });
    // The answer the same body gets when sent whole (Fastify's own refusal).
    const whole = await app.inject({ method: 'POST', url: '/api/customers', headers: { ...manager(), 'content-type': 'application/json' }, payload: big });
    expect(whole.statusCode).toBe(413);

    const res = await exchange(port, head('POST', '/api/customers', { ...manager(), 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(big), Expect: '100-continue' }));
    expect(res.raw).toMatch(/^HTTP\/1\.1 413 /);
    expect(res.raw).not.toContain('100 Continue');
    expect(res.status).toBe(413);
    expect(res.headers.connection).toBe('close');
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(res.body)).toEqual(whole.json());
    expect(JSON.parse(res.body).error).toEqual({ code: 'PAYLOAD_TOO_LARGE', message: 'The request body is larger than 64 KiB, the limit (BODY_LIMIT_BYTES).', details: { limitBytes: BODY_LIMIT } });
    expect(res.closed).toBe(true);
  });

  it('answers a CSV file over the import limit with the import\'s own 413, before any 100 Continue', async () => {
    const res = await exchange(port, head('POST', '/api/import/entitlements', { ...manager(), 'Content-Type': 'text/csv', 'Content-Length': IMPORT_LIMIT + 1, Expect: '100-continue' }));
    expect(res.raw).toMatch(/^HTTP\/1\.1 413 /);
    expect(res.headers.connection).toBe('close');
    expect(JSON.parse(res.body).error).toEqual({ code: 'PAYLOAD_TOO_LARGE', message: 'The CSV file is larger than 128 KiB; split it into smaller files.', details: null });
    // The import's limit, not the JSON one: a file between the two gets its 100.
    const within = await exchange(port, head('POST', '/api/import/entitlements?dryRun=true', { ...manager(), 'Content-Type': 'text/csv', 'Content-Length': 3, Expect: '100-continue' }), 'a\r\n');
    expect(within.raw).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 422 /);
  });

  it('sends 100 Continue for a body within the limit, then answers it as usual on a connection kept open', async () => {
    const body = JSON.stringify({ tenantId: 'expect-ok', name: 'Expect Co', workloads: ['teams'] });
    const res = await exchange(port, head('POST', '/api/customers', { ...manager(), 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), Expect: '100-continue' }), body);
    expect(res.raw).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 201 /);
    expect(JSON.parse(res.body)).toMatchObject({ tenantId: 'expect-ok', entitlementCount: 1 });
    expect(res.closed).toBe(false);
  });

  it('refuses a request it would refuse anyway (no credential) without a 100 Continue, and closes', async () => {
    const res = await exchange(port, head('POST', '/api/customers', { 'Content-Type': 'application/json', 'Content-Length': 10, Expect: '100-continue' }));
    expect(res.raw).toMatch(/^HTTP\/1\.1 401 /);
    expect(JSON.parse(res.body).error.code).toBe('UNAUTHENTICATED');
    expect(res.closed).toBe(true);
  });
});
