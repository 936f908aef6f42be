/**
 * QA session 18: a number in a query string (page, pageSize, minDays, maxDays, weeks) is a whole number
 * written in decimal digits, nothing else. A plain coercion read `page=0x10` as 16, `minDays=1e2` as 100,
 * `+5`, ` 5`, `5.0` and `0b11` as 5, 5, 5 and 3, so a request no user means answered 200 with another
 * page or filter than the one written. Each such form is now refused with 400 VALIDATION_FAILED, in one
 * message that names the value as sent; in-range decimal numbers (leading zeros too) keep working, and
 * the range messages (`must be at least 0, not -1`) stay as they were.
 */
import { describe, expect, it } from 'vitest';
import { ENGINES } from '../factories.js';
import { useApiWorld } from './api-world.js';

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

type Refusal = { code: string; message: string; details: { where: string; path: string; message: string }[] };

/** Forms that a Number() coercion reads but no user means as the number it gives. */
const NOT_DECIMAL: [sent: string, shown: string][] = [
  ['0x10', '0x10'],
  ['1e2', '1e2'],
  ['%2B5', '+5'],
  ['%205', '" 5"'],
  ['5%20', '"5 "'],
  ['5.0', '5.0'],
  ['0b11', '0b11'],
  ['0o7', '0o7'],
  ['1e400', '1e400'],
  ['Infinity', 'Infinity'],
  ['1.5', '1.5'],
  ['abc', '"abc"'],
  ['1_000', '"1_000"'],
];

describe.each(ENGINES)('integer query parameters on %s', (engine) => {
  const api = useApiWorld(engine);
  const get = (url: string) => api.app.inject({ url, headers: auth(api.world.tokens.northManager) });
  const refusal = async (url: string): Promise<Refusal> => {
    const res = await get(url);
    expect(res.statusCode, `${url}: ${res.body}`).toBe(400);
    return (res.json() as { error: Refusal }).error;
  };

  const ROUTES: { param: string; url: (value: string) => string; noun: string; example: string }[] = [
    { param: 'page', url: (v) => `/api/entitlements?page=${v}`, noun: 'a whole number', example: '2' },
    { param: 'pageSize', url: (v) => `/api/entitlements?pageSize=${v}`, noun: 'a whole number', example: '50' },
    { param: 'page', url: (v) => `/api/customers?page=${v}`, noun: 'a whole number', example: '2' },
    { param: 'pageSize', url: (v) => `/api/customers?pageSize=${v}`, noun: 'a whole number', example: '50' },
    { param: 'minDays', url: (v) => `/api/entitlements?minDays=${v}`, noun: 'a whole number of days', example: '30' },
    { param: 'maxDays', url: (v) => `/api/entitlements?maxDays=${v}`, noun: 'a whole number of days', example: '30' },
    { param: 'minDays', url: (v) => `/api/export/entitlements.csv?minDays=${v}`, noun: 'a whole number of days', example: '30' },
    { param: 'maxDays', url: (v) => `/api/export/entitlements.csv?maxDays=${v}`, noun: 'a whole number of days', example: '30' },
    { param: 'weeks', url: (v) => `/api/reports/forecast?weeks=${v}`, noun: 'a whole number of weeks', example: '12' },
  ];

  it('refuses every form that is not decimal digits, in one message naming the value as sent', async () => {
    for (const route of ROUTES) {
      for (const [sent, shown] of NOT_DECIMAL) {
        const url = route.url(sent);
        const error = await refusal(url);
        const message = `must be ${route.noun} written in decimal digits, such as ${route.example}, not ${shown}`;
        expect(error.code, url).toBe('VALIDATION_FAILED');
        expect(error.details, url).toEqual([{ where: 'querystring', path: `/${route.param}`, message }]);
        expect(error.message, url).toBe(`Query parameter ${route.param} ${message}.`);
      }
    }
  });

  it('still reads decimal digits, leading zeros included, and keeps the range messages', async () => {
    const list = await get('/api/entitlements?page=007&pageSize=10');
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json()).toMatchObject({ page: 7, pageSize: 10 });
    for (const url of ['/api/entitlements?minDays=0&maxDays=100000', '/api/export/entitlements.csv?minDays=030', '/api/reports/forecast?weeks=104', '/api/customers?page=1&pageSize=500']) {
      expect((await get(url)).statusCode, url).toBe(200);
    }
    expect((await get('/api/reports/forecast?weeks=08')).json().weeks).toHaveLength(8);
    expect((await refusal('/api/entitlements?minDays=-1')).details[0]!.message).toBe('must be at least 0, not -1');
    // -0 is no form anyone means either; it is below the range as written, as -1 is.
    expect((await refusal('/api/entitlements?minDays=-0')).details[0]!.message).toBe('must be at least 0, not -0');
    expect((await refusal('/api/entitlements?page=0')).details[0]!.message).toBe('must be at least 1, not 0');
    expect((await refusal('/api/entitlements?pageSize=900')).details[0]!.message).toBe('must be at most 500, not 900');
    expect((await refusal('/api/reports/forecast?weeks=105')).details[0]!.message).toBe('must be at most 104, not 105');
    // A number of digits beyond any double is out of range, named as sent but cut short.
    const long = '9'.repeat(400);
    expect((await refusal(`/api/entitlements?page=${long}`)).details[0]!.message).toBe(`must be at most 100000, not ${'9'.repeat(40)}...`);
  });

  it('refuses a number of only spaces as empty, and a repeated one as repeated', async () => {
    expect((await refusal('/api/entitlements?page=%20')).details).toEqual([{ where: 'querystring', path: '/page', message: 'must be a whole number; it is empty' }]);
    expect((await refusal('/api/reports/forecast?weeks=%20%20')).details).toEqual([{ where: 'querystring', path: '/weeks', message: 'must be a whole number of weeks; it is empty' }]);
    expect((await refusal('/api/entitlements?maxDays=%20')).details).toEqual([{ where: 'querystring', path: '/maxDays', message: 'must be a whole number of days; it is empty' }]);
    expect((await refusal('/api/entitlements?pageSize=5&pageSize=6')).details).toEqual([{ where: 'querystring', path: '/pageSize', message: 'is given more than once; give it once' }]);
  });

  it('describes them in the OpenAPI document as decimal digits', async () => {
    const doc = (await api.app.inject({ url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, { parameters: { name: string; schema: Record<string, unknown>; description?: string }[] }>> };
    const parameter = (path: string, name: string) => doc.paths[path]!.get!.parameters.find((p) => p.name === name)!;
    for (const [path, name] of [['/api/entitlements', 'page'], ['/api/entitlements', 'pageSize'], ['/api/entitlements', 'minDays'], ['/api/export/entitlements.csv', 'maxDays'], ['/api/customers', 'page'], ['/api/reports/forecast', 'weeks']] as const) {
      const p = parameter(path, name);
      expect(p.schema, `${path} ${name}`).toMatchObject({ type: 'string', pattern: '^\\d+$' });
      expect(p.description ?? '', `${path} ${name}`).toMatch(/whole number .*from \d+ to [\d,]+/);
    }
  });
});
