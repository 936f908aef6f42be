/**
 * minDays above maxDays can match nothing: the list and the CSV export refuse the pair with 400
 * BAD_ARGUMENTS (as the reports refuse a period that starts after it ends) instead of an
 * empty page or file, on both engines; equal bounds, one bound alone, and blank ones stay fine. A bound
 * of only spaces was read as 0 (`maxDays=%20`: only entitlements changed today) where `page=%20` is
 * refused as empty: it is refused the same way. (A bound with spaces around its digits, `%207%20`, was
 * read as 7 until QA session 18; it is refused now, as every form other than decimal digits is.)
 */
import { describe, expect, it } from 'vitest';
import { iterateEntitlements, listEntitlements, SYSTEM_ACTOR } from '../../src/tracker/index.js';
import { checkEntitlementFilter } from '../../src/tracker/entitlements.js';
import { ENGINES, expectCode } from '../factories.js';
import { useApiWorld } from './api-world.js';

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

describe.each(ENGINES)('minDays above maxDays on %s', (engine) => {
  const api = useApiWorld(engine);
  const get = (url: string) => api.app.inject({ url, headers: auth(api.world.tokens.northManager) });
  let made = false;
  const customer = async () => {
    if (made) return;
    const created = await api.app.inject({ method: 'POST', url: '/api/customers', headers: auth(api.world.tokens.northManager), payload: { tenantId: 'days-a', name: 'Days A', workloads: ['teams'] } });
    expect(created.statusCode, created.body).toBe(201);
    made = true;
  };

  const expected = {
    code: 'BAD_ARGUMENTS',
    message: 'The days in status start (minDays 30) above where they end (maxDays 10).',
    details: { field: 'minDays', minDays: 30, maxDays: 10 },
  };

  it('answers the list 400 BAD_ARGUMENTS naming both bounds', async () => {
    await customer();
    const res = await get('/api/entitlements?minDays=30&maxDays=10');
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json()).toEqual({ error: expected });
    // With other filters, sorting and paging too.
    const combined = await get('/api/entitlements?l1=Status%20Unknown&workload=teams&maxDays=10&minDays=30&sort=customer&order=desc&page=2&pageSize=10');
    expect(combined.statusCode, combined.body).toBe(400);
    expect(combined.json()).toEqual({ error: expected });
  });

  it('answers the export the same, before any row', async () => {
    await customer();
    const res = await get('/api/export/entitlements.csv?minDays=30&maxDays=10');
    expect(res.statusCode, res.body).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json()).toEqual({ error: expected });
  });

  it('still takes equal bounds, one bound alone and blank ones', async () => {
    await customer();
    for (const query of ['minDays=0&maxDays=0', 'minDays=10&maxDays=10', 'minDays=30', 'maxDays=10', 'minDays=30&maxDays=', 'minDays=&maxDays=10', 'minDays=0&maxDays=100000']) {
      const res = await get(`/api/entitlements?${query}`);
      expect(res.statusCode, `${query}: ${res.body}`).toBe(200);
      const csv = await get(`/api/export/entitlements.csv?${query}`);
      expect(csv.statusCode, `${query}: ${csv.body}`).toBe(200);
    }
    // The fixed clock puts every new entitlement at 0 days.
    expect((await get('/api/entitlements?minDays=0&maxDays=0')).json().total).toBe(1);
  });

  it('is refused by the tracker itself, for every caller', async () => {
    const ctx = api.world.services.tracker;
    const actor = SYSTEM_ACTOR;
    await expectCode(listEntitlements(ctx, actor, { minDays: 5, maxDays: 4 }), 'BAD_ARGUMENTS');
    await expectCode(checkEntitlementFilter(ctx, actor, { minDays: 5, maxDays: 4 }), 'BAD_ARGUMENTS');
    await expectCode((async () => {
      for await (const row of iterateEntitlements(ctx, actor, { minDays: 5, maxDays: 4 })) void row;
    })(), 'BAD_ARGUMENTS');
  });

  it('refuses a bound of only spaces as empty, where it was read as 0 days', async () => {
    await customer();
    for (const key of ['minDays', 'maxDays']) {
      for (const url of [`/api/entitlements?${key}=%20`, `/api/export/entitlements.csv?${key}=%20%20`]) {
        const res = await get(url);
        expect(res.statusCode, `${url}: ${res.body}`).toBe(400);
        expect(res.json().error.details).toEqual([{ where: 'querystring', path: `/${key}`, message: 'must be a whole number of days; it is empty' }]);
        expect(res.json().error.message).toBe(`Query parameter ${key} must be a whole number of days; it is empty.`);
      }
    }
    // Other values are read and refused as before; since QA session 18 anything but decimal digits
    // (a fraction, text, a number with spaces around it) gets one message (qa-session18-numbers.test.ts).
    expect((await get('/api/entitlements?maxDays=1.5')).json().error.details[0].message).toBe('must be a whole number of days written in decimal digits, such as 30, not 1.5');
    expect((await get('/api/entitlements?minDays=abc')).json().error.details[0].message).toBe('must be a whole number of days written in decimal digits, such as 30, not "abc"');
    expect((await get('/api/entitlements?minDays=-1')).json().error.details[0].message).toBe('must be at least 0, not -1');
    expect((await get('/api/entitlements?maxDays=100001')).json().error.details[0].message).toBe('must be at most 100000, not 100001');
    expect((await get('/api/entitlements?maxDays=%207%20')).json().error.details[0].message).toBe('must be a whole number of days written in decimal digits, such as 30, not " 7 "');
  });
});
