/**
 * QA session 15, the API's answers to odd input: a blank query parameter is the same as none on every
 * route (it matched nothing, meant no filter, or answered 400, by parameter); the grader refuses a
 * workload the catalogue lacks as the filters do; validation sentences name what was sent (a number,
 * a repeated parameter, a number too large, an empty body); `order` in any case; the 413 names the
 * limit; the import's unknown-column refusal says the export's read-only columns are accepted too.
 */
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNoteCoachPort } from '../../src/app/index.js';
import { buildApp } from '../../src/http/index.js';
import { readImportCsv } from '../../src/http/csv.js';
import { describeIssue } from '../../src/http/validation.js';
import { IGNORED_COLUMNS } from '../../src/lib/import-header.js';
import { createTestWorld, ENGINES, type TestWorld } from '../factories.js';
import { useApiWorld } from './api-world.js';

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

describe.each(ENGINES)('QA session 15 on %s', (engine) => {
  const api = useApiWorld(engine);
  const get = (url: string, token = api.world.tokens.northManager) => api.app.inject({ url, headers: auth(token) });
  let made = false;
  const customers = async () => {
    if (made) return;
    for (const [tenantId, name] of [['qa15-a', 'Alpha QA'], ['qa15-b', 'Beta QA']] as const) {
      const created = await api.app.inject({ method: 'POST', url: '/api/customers', headers: auth(api.world.tokens.northManager), payload: { tenantId, name, workloads: ['teams', 'exchange-online'] } });
      expect(created.statusCode, created.body).toBe(201);
    }
    made = true;
  };
  const refusal = (res: { statusCode: number; body: string; json(): unknown }) => {
    expect(res.statusCode, res.body).toBe(400);
    return (res.json() as { error: { code: string; message: string; details: { where: string; path: string; message: string }[] } }).error;
  };

  it('takes a blank query parameter as no filter, on the list, the export and the reports', async () => {
    await customers();
    const all = (await get('/api/entitlements')).json().total as number;
    expect(all).toBe(4);
    for (const key of ['owner', 'partnerId', 'customerId', 'l1', 'l2', 'code', 'workload', 'q', 'minDays', 'maxDays', 'sort', 'order', 'page', 'pageSize']) {
      const res = await get(`/api/entitlements?${key}=`);
      expect(res.statusCode, `${key}: ${res.body}`).toBe(200);
      expect(res.json().total, key).toBe(all);
    }
    expect((await get('/api/entitlements?owner=&partnerId=&customerId=&minDays=')).json().total).toBe(all);
    const csv = await get('/api/export/entitlements.csv?owner=&partnerId=');
    expect(csv.statusCode, csv.body).toBe(200);
    expect(csv.body.trim().split('\n')).toHaveLength(all + 1);
    const forecast = await get('/api/reports/forecast?weeks=');
    expect(forecast.statusCode, forecast.body).toBe(200);
    expect(forecast.json().weeks).toEqual((await get('/api/reports/forecast')).json().weeks);
    for (const url of ['/api/reports/counts?by=&partnerId=', '/api/reports/ageing?partnerId=&workload=', '/api/reports/note-quality?from=&to=&partnerId=', '/api/reports/flow?level=&from=']) {
      expect((await get(url)).statusCode, url).toBe(200);
    }
  });

  it('never ends a sentence on "not." for an empty value', () => {
    const issue = { code: 'too_small', origin: 'number', minimum: 1, inclusive: true, input: 0, path: ['weeks'] } as unknown as Parameters<typeof describeIssue>[0];
    expect(describeIssue(issue, '')).toBe('must be at least 1; it is empty');
    const big = { code: 'too_big', origin: 'number', maximum: 5, inclusive: true, input: 9, path: ['weeks'] } as unknown as Parameters<typeof describeIssue>[0];
    expect(describeIssue(big, '')).toBe('must be at most 5; it is empty');
  });

  it('names what was sent: a fraction, a repeated parameter, a number too large, an id below 1, an empty change', async () => {
    // Since QA session 18 every form of page that is not decimal digits gets one message (qa-session18-numbers.test.ts).
    const fraction = refusal(await get('/api/entitlements?page=1.5'));
    expect(fraction.details).toEqual([{ where: 'querystring', path: '/page', message: 'must be a whole number written in decimal digits, such as 2, not 1.5' }]);
    expect(fraction.message).toBe('Query parameter page must be a whole number written in decimal digits, such as 2, not 1.5.');
    expect(refusal(await get('/api/entitlements?page=abc')).details[0]!.message).toBe('must be a whole number written in decimal digits, such as 2, not "abc"');
    expect(refusal(await get('/api/entitlements?page=1e400')).details[0]!.message).toBe('must be a whole number written in decimal digits, such as 2, not 1e400');
    const twice = refusal(await get('/api/entitlements?page=1&page=2'));
    expect(twice.details).toEqual([{ where: 'querystring', path: '/page', message: 'is given more than once; give it once' }]);
    expect(refusal(await get('/api/entitlements?order=asc&order=desc')).details[0]!.message).toBe('is given more than once; give it once');
    expect(refusal(await get('/api/entitlements?owner=a&owner=b')).details[0]!.message).toBe('is given more than once; give it once');
    const huge = await api.app.inject({ method: 'POST', url: '/api/tokens', headers: { ...auth(api.world.tokens.admin), 'content-type': 'application/json' }, payload: '{"name":"x","expiresInDays":1e400}' });
    expect(refusal(huge).details).toEqual([{ where: 'body', path: '/expiresInDays', message: 'must be a number, not a number too large' }]);
    const minus = refusal(await get('/api/entitlements/-1'));
    expect(minus.message).toBe('Path parameter id must be a positive whole number written in decimal digits, such as 42.');
    const users = (await get('/api/users', api.world.tokens.admin)).json().items as { id: number }[];
    const empty = refusal(await api.app.inject({ method: 'PATCH', url: `/api/users/${users[0]!.id}`, headers: auth(api.world.tokens.admin), payload: {} }));
    expect(empty.message).toBe('The request body is empty: send at least one of name, role, disabled.');
    expect(empty.details).toEqual([{ where: 'body', path: '/', message: 'is empty: send at least one of name, role, disabled' }]);
  });

  it('takes order in any case', async () => {
    await customers();
    const ids = async (order: string) => ((await get(`/api/entitlements?sort=id&order=${order}`)).json().items as { id: number }[]).map((e) => e.id);
    const desc = await ids('desc');
    expect(desc.length).toBe(4);
    expect(await ids('DESC')).toEqual(desc);
    expect(await ids('Asc')).toEqual([...desc].reverse());
    const csv = await get('/api/export/entitlements.csv?sort=id&order=DESC');
    expect(csv.statusCode, csv.body).toBe(200);
    expect(refusal(await get('/api/entitlements?order=down')).details[0]!.message).toBe('must be one of asc or desc');
  });

  it('answers a body over the limit with the limit and the setting that sets it', async () => {
    const res = await api.app.inject({ method: 'POST', url: '/api/tokens', headers: auth(api.world.tokens.admin), payload: { name: 'x'.repeat(1024 * 1024 + 10) } });
    expect(res.statusCode).toBe(413);
    expect(res.json().error).toEqual({ code: 'PAYLOAD_TOO_LARGE', message: 'The request body is larger than 1 MiB, the limit (BODY_LIMIT_BYTES).', details: { limitBytes: 1024 * 1024 } });
  });
});

describe('POST /api/notes/grade with a workload the catalogue lacks', () => {
  let world: TestWorld;
  let app: FastifyInstance;
  beforeAll(async () => {
    world = await createTestWorld('sqlite');
    app = await buildApp({ ...world.services, noteCoach: createNoteCoachPort(null) }, { webDir: null });
  });
  afterAll(async () => {
    await app?.close();
    await world?.services.close();
  });
  const grade = (payload: object) => app.inject({ method: 'POST', url: '/api/notes/grade', headers: auth(world.tokens.northViewer), payload });

  it('answers 400 UNKNOWN_CODE listing the catalogue, and never echoes the text into a template', async () => {
    for (const workload of ['nope', '<script>alert(1)</script>']) {
      const res = await grade({ text: 'x', l1: 'Blocked', workload });
      expect(res.statusCode, res.body).toBe(400);
      const error = res.json().error as { code: string; message: string; details: { field: string; value: string; valid: string[] } };
      expect(error.code).toBe('UNKNOWN_CODE');
      expect(error.details).toMatchObject({ field: 'workload', value: workload });
      expect(error.details.valid).toContain('exchange-online');
      expect(error.message).toMatch(/^Unknown workload ".*": give its slug or name, such as exchange-online or "Exchange Online"\. Valid: .*teams/);
      expect(res.body).not.toContain('template');
    }
  });

  it('still takes a catalogue workload by slug or name, and a blank or null one as none', async () => {
    expect((await grade({ text: 'Blocked.', l1: 'Blocked', workload: 'Exchange Online' })).json().template).toMatch(/Exchange Online/);
    for (const workload of ['', '  ', null]) expect((await grade({ text: 'Blocked.', l1: 'Blocked', workload })).statusCode).toBe(200);
  });
});

describe('the import refusing an unknown column', () => {
  it('says the export\'s read-only columns are accepted and ignored', async () => {
    const error = await readImportCsv(Readable.from([Buffer.from('tenant_id,workload,colour\nt1,teams,red\n')]), 1024 * 1024).then(
      () => undefined,
      (e: unknown) => e as { code: string; message: string; details: Record<string, unknown> },
    );
    expect(error?.code).toBe('CSV_INVALID');
    expect(error?.message).toMatch(/^Unknown column\(s\): colour\. Known columns: tenant_id, .*\. /);
    expect(error?.message).toContain(`The export's read-only columns (${IGNORED_COLUMNS.join(', ')}) are accepted too, and ignored.`);
    expect(error?.details).toMatchObject({ unknown: ['colour'], ignored: [...IGNORED_COLUMNS] });
  });
});

describe('a URL too long for the HTTP parser', () => {
  it('answers 431 saying the URL and headers are too large together, with the limit', async () => {
    const world = await createTestWorld('sqlite');
    const app = await buildApp(world.services, { webDir: null });
    try {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = app.server.address() as AddressInfo;
      const query = Array.from({ length: 2000 }, (_, i) => `param${i}=value`).join('&');
      const res = await fetch(`http://127.0.0.1:${port}/api/entitlements?${query}`);
      expect(res.status).toBe(431);
      const error = ((await res.json()) as { error: { code: string; message: string } }).error;
      expect(error.code).toBe('PAYLOAD_TOO_LARGE');
      expect(error.message).toBe("The URL and headers of the request are too large: together they may hold at most 16 KiB. Shorten the URL's query string, or send fewer or shorter headers.");
    } finally {
      await app.close();
      await world.services.close();
    }
  });
});
