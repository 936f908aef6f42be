import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NoteCoachPort } from '../../src/app/index.js';
import { buildApp } from '../../src/http/index.js';
import { describeJsonSyntax } from '../../src/lib/index.js';
import { findControlCharacters } from '../../src/http/input.js';
import { createTestWorld, ENGINES, fakeNoteCoach, type TestWorld } from '../factories.js';

describe('describeJsonSyntax', () => {
  it.each([
    ['{"version":1,', 'it ends inside an object (after character 13)'],
    ['{"a":"b', 'it ends inside a text value (after character 7)'],
    ['[1,2  ', 'it ends inside a list (after character 4)'],
    ['{"a":}', 'it has "}" at character 6 where a value should be'],
    ['{a:1}', 'it has "a" at character 2 where a field name in double quotes should be'],
    ["{'a':1}", 'it has "\'" at character 2 where a field name in double quotes should be (JSON writes text in double quotes)'],
    ['{"a":1,}', 'it has a comma before "}" at character 8: leave the comma out'],
    ['[1,]', 'it has a comma before "]" at character 4: leave the comma out'],
    ['{"a":1 "b":2}', 'it has a double quote at character 8 where a comma or "}" should be'],
    ['{"a" 1}', 'it has "1" at character 6 where a colon should be'],
    ['{"a":tru}', 'it has "tru" at character 6 where a value should be'],
    ['{"a":01}', 'it has "01" at character 6, which is not a number as JSON writes them'],
    ['{"a":1}x', 'it goes on after the JSON value, at character 8'],
    ['"a\\qb"', 'it has the unknown escape "\\q" at character 3'],
    ['{"a":"line\none"}', 'it has a line break or other control character inside a text value at character 11: write it escaped, such as \\n'],
    ['{\n  "a": 1,\n  "b": }', 'it has "}" at line 3, column 8 where a value should be'],
    ['{"a":[1,{"b":null}],"c":true}', null],
    ['  -1.5e+3 ', null],
  ])('%j', (text, expected) => {
    expect(describeJsonSyntax(text)).toBe(expected);
  });

  it('walks a deeply nested body without overflowing the stack', () => {
    expect(describeJsonSyntax('['.repeat(200_000))).toBe('it ends inside a list (after character 200000)');
  });
});

describe('findControlCharacters', () => {
  it.each([
    ['plain text', { note: 'Line one\nline two\ttabbed\r\n' }, []],
    ['NUL in a value', { note: 'a\u0000b' }, ['/note']],
    ['bell deep in an array', { items: [{ note: 'ok' }, { owner: 'x\u0007' }] }, ['/items/1/owner']],
    ['a control character in a key', { 'a\u0001': 'x' }, ['/a\u0001']],
    ['a key with a slash', { 'a/b': '\u001f' }, ['/a~1b']],
    ['a bare string', '\u000b', ['/']],
    ['numbers, booleans and null', { n: 1, b: true, z: null }, []],
    ['an unpaired high surrogate', { name: 'a\ud800b' }, ['/name']],
    ['an unpaired low surrogate at the end', { name: 'ab\udc00' }, ['/name']],
    ['surrogates in the wrong order', { name: '\udc00\ud800' }, ['/name']],
    ['a pair (an emoji)', { name: 'Emoji \ud83d\ude00 Co' }, []],
  ])('%s', (_name, value, paths) => {
    expect(findControlCharacters(value, 'body').map((p) => p.path)).toEqual(paths);
  });

  it('survives deep nesting and names at most 20 fields', () => {
    let deep: unknown = 'x\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findControlCharacters(deep, 'body')).toHaveLength(1);
    expect(findControlCharacters(Array.from({ length: 50 }, () => '\u0000'), 'body')).toHaveLength(20);
  });
});

describe.each(ENGINES)('HTTP input checks on %s', (engine) => {
  let world: TestWorld;
  let app: FastifyInstance;
  let entitlement: { id: number; version: number };
  const graded: { l1?: string | null; l2?: string | null }[] = [];
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    world = await createTestWorld(engine);
    const spyCoach: NoteCoachPort = {
      grade(text, context) {
        graded.push({ l1: context.l1, l2: context.l2 });
        return fakeNoteCoach.grade(text, context);
      },
    };
    app = await buildApp({ ...world.services, noteCoach: spyCoach }, { webDir: null });
    const created = await app.inject({ method: 'POST', url: '/api/customers', headers: auth(world.tokens.northManager), payload: { tenantId: 'input-001', name: 'Input Test Co', workloads: ['teams'] } });
    expect(created.statusCode).toBe(201);
    entitlement = (await app.inject({ url: `/api/entitlements?customerId=${created.json().id}`, headers: auth(world.tokens.northEditor) })).json().items[0];
  });
  afterAll(async () => {
    await app?.close();
    await world?.services.close();
  });

  it('rejects NUL and other control characters in bodies, queries and parameters with 400 VALIDATION_FAILED naming the field', async () => {
    const editor = auth(world.tokens.northEditor);
    const manager = auth(world.tokens.northManager);
    const cases: [string, string, Record<string, string>, unknown, string, string][] = [
      ['POST', '/api/auth/login', {}, { email: 'editor@north.test\u0000', password: 'x' }, 'body', '/email'],
      ['POST', '/api/customers', manager, { tenantId: 'nul-1', name: 'Nul\u0000 Co' }, 'body', '/name'],
      ['POST', '/api/customers', manager, { tenantId: 'nul\u0000-2', name: 'Nul Co' }, 'body', '/tenantId'],
      ['PUT', `/api/entitlements/${entitlement.id}/status`, editor, { version: entitlement.version, note: 'Waiting\u0000 for the vendor.' }, 'body', '/note'],
      ['PUT', `/api/entitlements/${entitlement.id}/status`, editor, { version: entitlement.version, owner: 'Bell\u0007' }, 'body', '/owner'],
      ['POST', '/api/entitlements/bulk-status', editor, { items: [{ id: entitlement.id, version: entitlement.version, nextAction: 'x\u001b[31m' }] }, 'body', '/items/0/nextAction'],
      ['POST', '/api/tokens', editor, { name: 'script\u0000' }, 'body', '/name'],
      ['POST', '/api/notes/grade', editor, { text: 'Vertical\u000btab' }, 'body', '/text'],
      ['GET', '/api/entitlements?q=%00', editor, undefined, 'querystring', '/q'],
      ['GET', '/api/entitlements?owner=%00', editor, undefined, 'querystring', '/owner'],
      ['GET', '/api/entitlements?l1=%00', editor, undefined, 'querystring', '/l1'],
      ['GET', '/api/customers?q=%00', editor, undefined, 'querystring', '/q'],
      ['GET', '/api/export/entitlements.csv?q=a%01', editor, undefined, 'querystring', '/q'],
      ['GET', '/api/entitlements/1%00', editor, undefined, 'params', '/id'],
    ];
    for (const [method, url, headers, payload, where, path] of cases) {
      const res = await app.inject({ method: method as 'GET', url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
      const label = `${method} ${url} ${JSON.stringify(payload) ?? ''}`;
      expect([res.statusCode, res.json().error.code], label).toEqual([400, 'VALIDATION_FAILED']);
      expect(res.json().error.details, label).toEqual([expect.objectContaining({ where, path })]);
      expect(res.json().error.message, label).toMatch(/control character U\+00/);
    }
    const customers = (await app.inject({ url: '/api/customers', headers: manager })).json();
    expect(customers.total).toBe(1);
    expect((await app.inject({ url: `/api/entitlements/${entitlement.id}`, headers: editor })).json().version).toBe(entitlement.version);
  });

  it('refuses an unpaired surrogate (JSON `\\ud800`) with 400 VALIDATION_FAILED, and stores emoji as sent', async () => {
    const manager = { ...auth(world.tokens.northManager), 'content-type': 'application/json' };
    const before = (await app.inject({ url: '/api/customers', headers: manager })).json().total;
    for (const payload of ['{"tenantId":"lone-1","name":"Lone \\ud800 Co"}', '{"tenantId":"lone-\\udfff","name":"Lone Co"}']) {
      const res = await app.inject({ method: 'POST', url: '/api/customers', headers: manager, payload });
      expect([res.statusCode, res.json().error.code], payload).toEqual([400, 'VALIDATION_FAILED']);
      expect(res.json().error.message).toMatch(/unpaired surrogate U\+D[89A-F]/);
    }
    expect((await app.inject({ url: '/api/customers', headers: manager })).json().total).toBe(before);
    const emoji = await app.inject({ method: 'POST', url: '/api/customers', headers: manager, payload: '{"tenantId":"emoji-\\ud83d\\ude00","name":"Emoji \\ud83d\\ude00 Co"}' });
    expect(emoji.statusCode).toBe(201);
    expect(emoji.json()).toMatchObject({ tenantId: 'emoji-\u{1F600}', name: 'Emoji \u{1F600} Co' });
    expect((await app.inject({ method: 'DELETE', url: `/api/customers/${emoji.json().id}`, headers: manager })).statusCode).toBe(200);
  });

  it('keeps tabs and line breaks in text', async () => {
    const note = 'Moving chat history in three waves:\n\tfirst the pilot group,\r\nthen the rest.';
    const res = await app.inject({ method: 'PUT', url: `/api/entitlements/${entitlement.id}/status`, headers: auth(world.tokens.northEditor), payload: { version: entitlement.version, code: 'in-progress/migration', note, targetDate: '2026-06-30' } });
    expect(res.statusCode).toBe(200);
    expect(res.json().entitlement.note).toBe(note);
    entitlement = res.json().entitlement;
  });

  it('answers 415 UNSUPPORTED_MEDIA_TYPE to a JSON body sent as another media type', async () => {
    const body = JSON.stringify({ tenantId: 'plain-1', name: 'Plain Co' });
    for (const type of ['text/plain', 'text/plain; charset=utf-8', 'text/csv', 'application/x-www-form-urlencoded']) {
      const res = await app.inject({ method: 'POST', url: '/api/customers', headers: { ...auth(world.tokens.northManager), 'content-type': type }, payload: body });
      expect([res.statusCode, res.json().error.code], type).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
      expect(res.json().error.message).toMatch(/application\/json/);
    }
    const put = await app.inject({ method: 'PUT', url: `/api/entitlements/${entitlement.id}/status`, headers: { ...auth(world.tokens.northEditor), 'content-type': 'text/plain' }, payload: JSON.stringify({ version: entitlement.version, owner: 'Maya' }) });
    expect([put.statusCode, put.json().error.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'text/plain' }, payload: JSON.stringify(world.users.northEditor) });
    expect([login.statusCode, login.json().error.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    expect((await app.inject({ url: '/api/customers?q=plain', headers: auth(world.tokens.northManager) })).json().total).toBe(0);
    const json = await app.inject({ method: 'POST', url: '/api/customers', headers: { ...auth(world.tokens.northManager), 'content-type': 'application/json; charset=utf-8' }, payload: body });
    expect(json.statusCode).toBe(201);
    // A body-less POST is not refused for its (absent) media type.
    expect((await app.inject({ method: 'POST', url: '/api/auth/logout' })).statusCode).toBe(204);
  });

  it('grades notes only for codes the playbook has, resolved as a status change resolves them', async () => {
    const grade = (payload: object) => app.inject({ method: 'POST', url: '/api/notes/grade', headers: auth(world.tokens.northViewer), payload });
    const text = 'The vendor has no certified build of their label printer app yet.';
    const cases: [object, number, string][] = [
      [{ text, l1: 'Bogus', l2: 'Nope' }, 400, 'UNKNOWN_CODE'],
      [{ text, l1: 'Bogus' }, 400, 'UNKNOWN_CODE'],
      [{ text, l1: 'Blocked', l2: 'Nope' }, 400, 'UNKNOWN_CODE'],
      [{ text, l2: 'Nope' }, 400, 'UNKNOWN_CODE'],
      [{ text, l1: 'Blocked', l2: 'Migration' }, 422, 'RULE_VIOLATION'],
    ];
    for (const [payload, status, code] of cases) {
      const res = await grade(payload);
      expect([res.statusCode, res.json().error?.code], JSON.stringify(payload)).toEqual([status, code]);
    }
    const mismatch = await grade({ text, l1: 'Blocked', l2: 'Migration' });
    expect(mismatch.json().error.details.violations.map((v: { rule: string }) => v.rule)).toEqual(['L2_BELONGS_TO_L1']);
    expect(graded).toEqual([]);

    const ok: [object, { l1?: string | null; l2?: string | null }][] = [
      [{ text, l1: 'blocked', l2: 'app compatibility' }, { l1: 'Blocked', l2: 'App Compatibility' }],
      [{ text, l1: 'blocked' }, { l1: 'Blocked' }],
      [{ text, l2: 'Migration' }, { l1: 'In Progress', l2: 'Migration' }],
      [{ text, l1: null, l2: '' }, {}],
    ];
    for (const [payload, context] of ok) {
      graded.length = 0;
      const res = await grade(payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(200);
      expect(graded, JSON.stringify(payload)).toEqual([context]);
    }
  });

  it('answers a tenant id another partner has with a 409 naming nobody; one of your own (or, to an admin, anyone\'s) names the customer that has it', async () => {
    const admin = auth(world.tokens.admin);
    const manager = auth(world.tokens.northManager);
    const south = await app.inject({ method: 'POST', url: '/api/customers', headers: admin, payload: { tenantId: 'south-secret-1', name: 'Southern Secret Ltd', partnerId: world.partners.south } });
    expect(south.statusCode).toBe(201);
    const foreign = await app.inject({ method: 'POST', url: '/api/customers', headers: manager, payload: { tenantId: 'south-secret-1', name: 'Mine Now' } });
    const own = await app.inject({ method: 'POST', url: '/api/customers', headers: manager, payload: { tenantId: 'INPUT-001', name: 'Again' } });
    const byAdmin = await app.inject({ method: 'POST', url: '/api/customers', headers: admin, payload: { tenantId: 'south-secret-1', name: 'Twice', partnerId: world.partners.north } });
    const southName = (await app.inject({ url: '/api/partners', headers: admin })).json().items.find((p: { id: number }) => p.id === world.partners.south).name;
    for (const res of [foreign, own, byAdmin]) {
      expect([res.statusCode, res.json().error.code]).toEqual([409, 'CONFLICT']);
      expect(res.json().error.message).toMatch(/already registered.*; tenant ids are unique across all partners/);
    }
    // Another partner's: the same words for any tenant id, no customer, no partner.
    expect(foreign.json().error.details).toEqual({ field: 'tenantId' });
    expect(foreign.json().error.message).not.toMatch(/South|Southern|partner \d|customer \d/);
    expect(foreign.json().error.message).toBe('Tenant id "south-secret-1" is already registered; tenant ids are unique across all partners. If none of your customers has it, check the id or ask an administrator.');
    // One's own: which customer has it (the manager could find it by searching anyway).
    const input001 = (await app.inject({ method: 'GET', url: '/api/customers?q=input-001', headers: manager })).json().items[0];
    expect(own.json().error.details).toEqual({ field: 'tenantId', customerId: input001.id });
    expect(own.json().error.message).toBe(`Tenant id "INPUT-001" is already registered to your customer ${input001.name} (customer ${input001.id}); tenant ids are unique across all partners.`);
    expect(byAdmin.json().error.details).toEqual({ field: 'tenantId', customerId: south.json().id });
    expect(byAdmin.json().error.message).toBe(`Tenant id "south-secret-1" is already registered to the customer Southern Secret Ltd (customer ${south.json().id} of ${southName}); tenant ids are unique across all partners.`);
  });

  it('refuses a tenant id with a space or control character inside, on create, on change and for a new customer in an import', async () => {
    const manager = auth(world.tokens.northManager);
    for (const [tenantId, said] of [['contoso .onmicrosoft.com', 'a space at character 8'], ['contoso\t2', 'a tab at character 8'], ['two\nlines', 'a line break at character 4'], ['zero\u200bwidth', 'an invisible character at character 5']]) {
      // (Other control characters never get this far: the input guard refuses them in any text field.)
      const res = await app.inject({ method: 'POST', url: '/api/customers', headers: manager, payload: { tenantId, name: 'Pasted Badly' } });
      expect([res.statusCode, res.json().error.code], tenantId).toEqual([400, 'VALIDATION_FAILED']);
      expect(res.json().error.details).toEqual([{ where: 'body', path: '/tenantId', message: `has ${said}; a tenant id is one word, such as contoso.onmicrosoft.com or a GUID` }]);
      expect(res.json().error.message).toBe(`The tenant id "${tenantId}" has ${said}; a tenant id is one word, such as contoso.onmicrosoft.com or a GUID.`);
    }
    const created = await app.inject({ method: 'POST', url: '/api/customers', headers: manager, payload: { tenantId: '  one-word.example  ', name: 'Trimmed Fine' } });
    expect([created.statusCode, created.json().tenantId]).toEqual([201, 'one-word.example']);
    const changed = await app.inject({ method: 'PATCH', url: `/api/customers/${created.json().id}`, headers: manager, payload: { tenantId: 'one word.example' } });
    expect([changed.statusCode, changed.json().error.code, changed.json().error.message]).toEqual([400, 'VALIDATION_FAILED', 'The tenant id "one word.example" has a space at character 4; a tenant id is one word, such as contoso.onmicrosoft.com or a GUID.']);
    const csv = 'tenant_id,customer,workload\nbad tenant.example,Bad Tenant,teams\n';
    const imported = await app.inject({ method: 'POST', url: '/api/import/entitlements', headers: { ...manager, 'content-type': 'text/csv' }, payload: csv });
    expect([imported.statusCode, imported.json().error.code]).toEqual([422, 'CSV_INVALID']);
    expect(JSON.stringify(imported.json().error.details)).toMatch(/"line":2.*"tenant_id".*has a space at character 4/);
    const left = await app.inject({ method: 'GET', url: '/api/customers?q=tenant.example', headers: manager });
    expect(left.json().items.map((c: { tenantId: string }) => c.tenantId)).not.toContain('bad tenant.example');
  });
});

describe('docs/API.md', () => {
  it('lists GET /api/playbook and the BAD_ARGUMENTS code the reports answer with', async () => {
    const { readFile } = await import('node:fs/promises');
    const doc = await readFile(new URL('../../docs/API.md', import.meta.url), 'utf8');
    const rows = doc.split('\n').filter((line) => line.startsWith('| `'));
    expect(rows.some((line) => line.startsWith('| `GET /api/playbook`'))).toBe(true);
    expect(doc).toMatch(/`BAD_ARGUMENTS`[^\n]*\(400\)/);
    const world = await createTestWorld('sqlite');
    const app = await buildApp(world.services, { webDir: null });
    try {
      const spec = (await app.inject({ url: '/api/openapi.json' })).json() as { paths: Record<string, unknown> };
      expect(Object.keys(spec.paths)).toContain('/api/playbook');
      const period = await app.inject({ url: '/api/reports/note-quality?from=2026-05-01&to=2026-01-01', headers: { authorization: `Bearer ${world.tokens.northViewer}` } });
      expect([period.statusCode, period.json().error.code]).toEqual([400, 'BAD_ARGUMENTS']);
    } finally {
      await app.close();
      await world.services.close();
    }
  });
});
