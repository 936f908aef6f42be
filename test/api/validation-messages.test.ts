/**
 * A field that fails its schema is answered 400 VALIDATION_FAILED in words a user can act on, the
 * same way on every route: `details` keeps `{where, path, message}` (message: what is wrong, without
 * the field's name), and the error's message names each field in a sentence. zod's own wording
 * ("Too big: expected string to have <=200 characters") is never shown.
 */
import { describe, expect, it } from 'vitest';
import { ENGINES } from '../factories.js';
import { useApiWorld } from './api-world.js';

type Refusal = { code: string; message: string; details: { where: string; path: string; message: string }[] };

describe.each(ENGINES)('validation messages on %s', (engine) => {
  const api = useApiWorld(engine);
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const send = async (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: unknown, token = api.world.tokens.admin): Promise<Refusal> => {
    const res = await api.app.inject({ method, url, headers: auth(token), ...(payload === undefined ? {} : { payload: payload as object }) });
    expect(res.statusCode, res.body).toBe(400);
    const error = res.json().error as Refusal;
    expect(error.code).toBe('VALIDATION_FAILED');
    // The wording is ours on every route: none of zod's phrases, no bare JSON pointers in the message.
    for (const text of [error.message, ...error.details.map((d) => d.message)]) {
      expect(text).not.toMatch(/Too big|Too small|Invalid input|Invalid option|expected (string|number|int|object|array)|<=|>=/);
    }
    expect(error.message).not.toMatch(/(^|\s)\/\w/);
    return error;
  };
  let entitlement: { id: number; version: number };
  const customer = async () => {
    if (entitlement) return entitlement;
    const created = await api.app.inject({ method: 'POST', url: '/api/customers', headers: auth(api.world.tokens.northManager), payload: { tenantId: 'words-1', name: 'Words Co', workloads: ['teams'] } });
    expect(created.statusCode, created.body).toBe(201);
    entitlement = (await api.app.inject({ url: `/api/entitlements?customerId=${created.json().id}`, headers: auth(api.world.tokens.northManager) })).json().items[0];
    return entitlement;
  };

  it('says how long a too-long field is, what is allowed and by how much to shorten it, on every route alike', async () => {
    const { id } = await customer();
    const status = await send('PUT', `/api/entitlements/${id}/status`, { version: 99, owner: 'x'.repeat(400) }, api.world.tokens.northEditor);
    expect(status).toEqual({
      code: 'VALIDATION_FAILED',
      message: 'owner is 400 characters long; at most 200 are allowed: shorten it by 200.',
      details: [{ where: 'body', path: '/owner', message: 'is 400 characters long; at most 200 are allowed: shorten it by 200' }],
    });
    const user = await send('POST', '/api/users', { email: 'long@north.test', name: 'n'.repeat(300), role: 'viewer', partnerId: api.world.partners.north });
    expect(user.message).toBe('name is 300 characters long; at most 200 are allowed: shorten it by 100.');
    expect(user.details).toEqual([{ where: 'body', path: '/name', message: 'is 300 characters long; at most 200 are allowed: shorten it by 100' }]);
    // A trimmed field counts what is kept: surrounding spaces do not count against the limit.
    const customerName = await send('POST', '/api/customers', { tenantId: 'words-2', name: `  ${'c'.repeat(301)}  ` }, api.world.tokens.northManager);
    expect(customerName.message).toBe('name is 301 characters long; at most 300 are allowed: shorten it by 1.');
    const token = await send('POST', '/api/tokens', { name: 't'.repeat(250) });
    expect(token.details).toEqual([{ where: 'body', path: '/name', message: 'is 250 characters long; at most 200 are allowed: shorten it by 50' }]);
  });

  it('names a nested field by where it sits and tells several problems as one sentence each', async () => {
    const { id } = await customer();
    const bulk = await send('POST', '/api/entitlements/bulk-status', { items: [{ id, version: 1, note: 'n'.repeat(4100) }, { id, version: 0, owner: 7 }] }, api.world.tokens.northEditor);
    expect(bulk.details).toEqual([
      { where: 'body', path: '/items/0/note', message: 'is 4100 characters long; at most 4000 are allowed: shorten it by 100' },
      { where: 'body', path: '/items/1/owner', message: 'must be text, not the number 7' },
      { where: 'body', path: '/items/1/version', message: 'must be at least 1, not 0' },
    ]);
    expect(bulk.message).toBe('items[0].note is 4100 characters long; at most 4000 are allowed: shorten it by 100. items[1].owner must be text, not the number 7. items[1].version must be at least 1, not 0.');
  });

  it('says what is wrong with a missing, empty, blank, mistyped or out-of-range field', async () => {
    const { id } = await customer();
    const editor = api.world.tokens.northEditor;
    expect((await send('PUT', `/api/entitlements/${id}/status`, { owner: 'Maya' }, editor)).message).toBe('version is required.');
    expect((await send('PUT', `/api/entitlements/${id}/status`, { version: 99_999_999_999 }, editor)).details).toEqual([
      { where: 'body', path: '/version', message: 'must be at most 2147483647, not 99999999999' },
    ]);
    expect((await send('POST', '/api/tokens', { name: '' })).details).toEqual([{ where: 'body', path: '/name', message: 'must not be empty' }]);
    expect((await send('POST', '/api/tokens', { name: '   ' })).details).toEqual([{ where: 'body', path: '/name', message: 'must not be only spaces' }]);
    expect((await send('POST', '/api/tokens', { name: 'x', expiresInDays: 1.5 })).message).toBe('expiresInDays must be a whole number, not the number 1.5.');
    const user = await send('POST', '/api/users', { email: 'not-an-address', name: 'Nia', role: 'boss' });
    expect(user.details).toEqual([
      { where: 'body', path: '/email', message: 'must be an email address, such as name@example.com' },
      { where: 'body', path: '/role', message: 'must be one of admin, manager, editor or viewer' },
    ]);
    expect((await send('POST', '/api/users', [1, 2])).message).toBe('The request body must be an object, not a list.');
  });

  it('names query and path parameters as such', async () => {
    const list = await send('GET', '/api/entitlements?pageSize=900&page=0');
    expect(list.details).toEqual([
      { where: 'querystring', path: '/page', message: 'must be at least 1, not 0' },
      { where: 'querystring', path: '/pageSize', message: 'must be at most 500, not 900' },
    ]);
    expect(list.message).toBe('Query parameter page must be at least 1, not 0. Query parameter pageSize must be at most 500, not 900.');
    const path = await send('GET', '/api/entitlements/99999999999');
    expect(path.message).toBe('Path parameter id must be at most 2147483647, not 99999999999.');
  });

  it('keeps the words a schema gives itself, and answers a control character in the same style', async () => {
    const customerId = (await api.app.inject({ url: '/api/customers', headers: auth(api.world.tokens.northManager) })).json().items[0].id as number;
    const empty = await send('PATCH', `/api/customers/${customerId}`, {}, api.world.tokens.northManager);
    expect(empty.details).toEqual([{ where: 'body', path: '/', message: 'is empty: send at least one of name, managed, region, tenantId' }]);
    expect(empty.message).toBe('The request body is empty: send at least one of name, managed, region, tenantId.');
    const { id, version } = await customer();
    const date = await send('PUT', `/api/entitlements/${id}/status`, { version, targetDate: '2026-02-30' }, api.world.tokens.northEditor);
    expect(date.details).toEqual([{ where: 'body', path: '/targetDate', message: 'must be a real calendar date' }]);
    expect(date.message).toBe('targetDate must be a real calendar date.');
    // A date not written YYYY-MM-DD is one mistake, told once (not also "must be a real calendar date").
    const written = await send('PUT', `/api/entitlements/${id}/status`, { version, projectedUnblockDate: '15/01/2027' }, api.world.tokens.northEditor);
    expect(written.details).toEqual([{ where: 'body', path: '/projectedUnblockDate', message: 'must be a date written YYYY-MM-DD, such as 2027-01-15, not "15/01/2027"' }]);
    expect(written.message).toBe('projectedUnblockDate must be a date written YYYY-MM-DD, such as 2027-01-15, not "15/01/2027".');
    for (const field of ['targetDate', 'engagementStartDate', 'nextActionDate', 'projectedUnblockDate']) {
      const each = await send('PUT', `/api/entitlements/${id}/status`, { version, [field]: '2027-1-5' }, api.world.tokens.northEditor);
      expect(each.details, field).toEqual([{ where: 'body', path: `/${field}`, message: 'must be a date written YYYY-MM-DD, such as 2027-01-15, not "2027-1-5"' }]);
      const impossible = await send('PUT', `/api/entitlements/${id}/status`, { version, [field]: '2027-02-30' }, api.world.tokens.northEditor);
      expect(impossible.details, field).toEqual([{ where: 'body', path: `/${field}`, message: 'must be a real calendar date' }]);
    }
    const period = await send('GET', '/api/reports/note-quality?from=15/01/2027&to=2027-02-30');
    expect(period.details).toEqual([
      { where: 'querystring', path: '/from', message: 'must be a date written YYYY-MM-DD, such as 2027-01-15, not "15/01/2027"' },
      { where: 'querystring', path: '/to', message: 'must be a real calendar date' },
    ]);
    const control = await send('PUT', `/api/entitlements/${id}/status`, { version, owner: 'Ma\u0000ya' }, api.world.tokens.northEditor);
    expect(control.details).toEqual([{ where: 'body', path: '/owner', message: expect.stringMatching(/^contains the control character U\+0000;/) }]);
    expect(control.message).toMatch(/^owner contains the control character U\+0000; .*\.$/);
  });

  it('tells the first five of many problems and points to details for the rest', async () => {
    const { id } = await customer();
    const items = Array.from({ length: 8 }, () => ({ id, version: 1, owner: 'o'.repeat(201) }));
    const many = await send('POST', '/api/entitlements/bulk-status', { items }, api.world.tokens.northEditor);
    expect(many.details).toHaveLength(8);
    expect(many.message.match(/is 201 characters long/g)).toHaveLength(5);
    expect(many.message).toMatch(/ And 3 more fields: see details\.$/);
  });
});
