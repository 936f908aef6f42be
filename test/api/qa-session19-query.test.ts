/**
 * QA session 19: query strings.
 * - The import re-read its raw URL to find flags given without a value (`?dryRun`) and misspelt flags
 *   without one (`?dryrun`), because the shared validator drops blank parameters before the schema sees
 *   them; so such a flag was named only after the schema had passed, and never in the same answer as
 *   another bad parameter. The import's route now asks the shared validator to keep blank parameters,
 *   and its strict schema names them all at once, in the same words as before.
 * - A parameter without a name (`?=x`) was told as "The query string is an unknown field" (path `/`,
 *   the whole query string's), and ignored on the lists: it is now named as such, and refused on every
 *   route with query parameters. A JSON body's field without a name (`{"": 1}`) was "The request body
 *   is an unknown field": it is now "A field without a name".
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { validatorFor, validatorCompiler } from '../../src/http/validation.js';
import { ENGINES } from '../factories.js';
import { useApiWorld } from './api-world.js';

const auth = (token: string) => ({ authorization: `Bearer ${token}` });
const FILE = 'tenant_id,workload,owner\r\nquery-a,teams,Maya Lindqvist\r\n';

describe('the shared validator\'s keepBlankParameters option', () => {
  const schema = z.object({ a: z.string().optional(), b: z.string().optional() });
  it('keeps blank query parameters for the schema when asked, and drops them otherwise', () => {
    const keeping = validatorFor({ keepBlankParameters: true })({ schema, httpPart: 'querystring', method: 'POST', url: '/x' }) as (data: unknown) => { value?: unknown };
    const dropping = validatorCompiler({ schema, httpPart: 'querystring', method: 'POST', url: '/x' }) as (data: unknown) => { value?: unknown };
    expect(keeping({ a: '', b: 'x' }).value).toEqual({ a: '', b: 'x' });
    expect(dropping({ a: '', b: 'x' }).value).toEqual({ b: 'x' });
  });
});

describe.each(ENGINES)('query strings on %s', (engine) => {
  const api = useApiWorld(engine);
  const importCsv = (query: string) =>
    api.app.inject({ method: 'POST', url: `/api/import/entitlements${query}`, headers: { ...auth(api.world.tokens.northManager), 'content-type': 'text/csv' }, payload: FILE });
  const owner = async () => {
    const list = await api.app.inject({ url: '/api/entitlements?q=query-a', headers: auth(api.world.tokens.northEditor) });
    return (list.json().items as { owner: string | null }[])[0]?.owner;
  };
  // FILE changes this entitlement's owner: a request that imported it would be seen (owner no longer null).
  let created = false;
  const setUp = async () => {
    if (created) return;
    const res = await api.app.inject({ method: 'POST', url: '/api/customers', headers: auth(api.world.tokens.northManager), payload: { tenantId: 'query-a', name: 'Query A', workloads: ['teams'] } });
    expect(res.statusCode, res.body).toBe(201);
    created = true;
    expect(await owner()).toBeNull();
  };

  it('names a misspelt flag without a value and a bad value in one answer, and writes nothing', async () => {
    await setUp();
    const res = await importCsv('?dryrun&advise=maybe');
    expect(res.statusCode, res.body).toBe(400);
    const details = res.json().error.details as { path: string; message: string }[];
    expect(details.map((d) => d.path).sort()).toEqual(['/advise', '/dryrun']);
    expect(details.find((d) => d.path === '/advise')!.message).toBe('must be one of true or false');
    expect(details.find((d) => d.path === '/dryrun')!.message).toBe('is an unknown field; did you mean dryRun?');
    const both = await importCsv('?dryRun&advise=maybe');
    expect(both.statusCode, both.body).toBe(400);
    expect(both.json().error.details).toEqual(expect.arrayContaining([
      { where: 'querystring', path: '/dryRun', message: 'is given without a value; write dryRun=true or dryRun=false' },
      { where: 'querystring', path: '/advise', message: 'must be one of true or false' },
    ]));
    // A value of only spaces is no value either.
    const spaces = await importCsv('?dryRun=%20%20');
    expect(spaces.statusCode, spaces.body).toBe(400);
    expect(spaces.json().error.details).toEqual([{ where: 'querystring', path: '/dryRun', message: 'is given without a value; write dryRun=true or dryRun=false' }]);
    expect(await owner()).toBeNull();
  });

  it('names a parameter without a name as such, on the import and on a list', async () => {
    await setUp();
    const res = await importCsv('?=x&dryRun=true');
    expect(res.statusCode, res.body).toBe(400);
    const error = res.json().error;
    expect(error.message).toBe('A query parameter without a name is not accepted (its value is "x"); write name=value, or leave it out.');
    expect(error.details).toEqual([{ where: 'querystring', path: '/', message: 'is not accepted (its value is "x"); write name=value, or leave it out', reason: 'UNKNOWN_FIELD', field: '', suggestion: null }]);

    const list = await api.app.inject({ url: '/api/entitlements?=teams&pageSize=5', headers: auth(api.world.tokens.northEditor) });
    expect(list.statusCode, list.body).toBe(400);
    expect(list.json().error.message).toBe('A query parameter without a name is not accepted (its value is "teams"); write name=value, or leave it out.');
    expect(list.json().error.details[0]).toMatchObject({ where: 'querystring', path: '/', field: '' });
    // With another problem: both are told.
    const two = await api.app.inject({ url: '/api/customers?=a&=b&pageSize=0', headers: auth(api.world.tokens.northEditor) });
    expect(two.statusCode, two.body).toBe(400);
    expect(two.json().error.message).toBe('Query parameter pageSize must be at least 1, not 0. A query parameter without a name is not accepted (its values are "a" and "b"); write name=value, or leave it out.');
    // A JSON body's field without a name is named the same way (an unknown field of a strict body).
    const body = await api.app.inject({ method: 'POST', url: '/api/customers', headers: auth(api.world.tokens.northManager), payload: { '': 1, tenantId: 'nameless-field', name: 'Nameless' } });
    expect(body.statusCode, body.body).toBe(400);
    expect(body.json().error.message).toMatch(/^A field without a name is an unknown field; the known fields are tenantId, /);
    expect(body.json().error.details[0]).toMatchObject({ where: 'body', path: '/', field: '', reason: 'UNKNOWN_FIELD' });
    // A blank one is dropped as any blank parameter is.
    const blank = await api.app.inject({ url: '/api/entitlements?=&pageSize=5', headers: auth(api.world.tokens.northEditor) });
    expect(blank.statusCode, blank.body).toBe(200);
    expect(await owner()).toBeNull();
    // The same file without a refused parameter is imported, and seen: the checks above could fail.
    const real = await importCsv('?advise=false');
    expect(real.statusCode, real.body).toBe(200);
    expect(await owner()).toBe('Maya Lindqvist');
  });
});
