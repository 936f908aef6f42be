/**
 * Requests refused before any route sees them still answer in the API's error shape
 * (`{"error": {"code", "message", "details"}}`): a URL whose percent escapes are not UTF-8, an
 * over-long path segment, and what Node's HTTP parser refuses (raw non-ASCII bytes in the URL,
 * headers over the size limit).
 */
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/index.js';
import { createTestWorld, type TestWorld } from '../factories.js';
import type { FastifyInstance } from 'fastify';

let world: TestWorld;
let app: FastifyInstance;
let port: number;

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

/** Sends `raw` bytes on a new connection and returns the whole answer, split into status, headers and body. */
function rawRequest(raw: Buffer): Promise<{ status: number; head: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head, body] = [text.slice(0, text.indexOf('\r\n\r\n')), text.slice(text.indexOf('\r\n\r\n') + 4)];
      resolve({ status: Number(/^HTTP\/1\.1 (\d+)/.exec(head)?.[1]), head, body });
    });
    socket.end(raw);
  });
}

describe('unreadable requests', () => {
  const auth = () => ({ authorization: `Bearer ${world.tokens.northEditor}` });

  it('answers a URL whose escapes are not UTF-8 with 400 BAD_ARGUMENTS', async () => {
    for (const url of ['/api/entitlements/%E0%A4', '/api/customers/%ZZ']) {
      const res = await app.inject({ url, headers: auth() });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({ error: { code: 'BAD_ARGUMENTS', message: expect.stringContaining('%25'), details: { code: 'FST_ERR_BAD_URL' } } });
    }
  });

  it('answers an over-long path segment with 400 BAD_ARGUMENTS', async () => {
    const res = await app.inject({ url: `/api/entitlements/${'9'.repeat(150)}`, headers: auth() });
    expect([res.statusCode, res.json().error.code]).toEqual([400, 'BAD_ARGUMENTS']);
  });

  it('answers raw non-ASCII bytes in the URL in the error shape, and closes the connection', async () => {
    const res = await rawRequest(Buffer.concat([Buffer.from('GET /api/entitlements?owner='), Buffer.from('Zoë', 'utf8'), Buffer.from(' HTTP/1.1\r\nHost: x\r\n\r\n')]));
    expect(res.status).toBe(400);
    expect(res.head).toMatch(/content-type: application\/json/i);
    expect(JSON.parse(res.body)).toEqual({ error: { code: 'BAD_ARGUMENTS', message: expect.stringContaining('percent-encode'), details: null } });
  });

  it('answers headers over the size limit with 431 in the error shape', async () => {
    const res = await rawRequest(Buffer.from(`GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`));
    expect(res.status).toBe(431);
    expect(JSON.parse(res.body).error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: expect.stringContaining('headers') });
  });
});
