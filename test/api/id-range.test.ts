/**
 * Ids and versions beyond what PostgreSQL's integer columns hold are refused as input (400) on both
 * engines, instead of reaching the database (PostgreSQL answered 500 for them).
 */
import { describe, expect, it } from 'vitest';
import { ENGINES } from '../factories.js';
import { useApiWorld } from './api-world.js';

const BIG = 2_147_483_648;

describe.each(ENGINES)('ids out of range on %s', (engine) => {
  const api = useApiWorld(engine);
  const as = (token: string) => ({ authorization: `Bearer ${token}` });

  it('answers 400 VALIDATION_FAILED for every route that takes an id, never 500', async () => {
    const admin = as(api.world.tokens.admin);
    const requests: { method: 'GET' | 'PATCH' | 'PUT' | 'DELETE' | 'POST'; url: string; payload?: object }[] = [
      { method: 'GET', url: `/api/entitlements/${BIG}` },
      { method: 'GET', url: `/api/entitlements/${BIG}/history` },
      { method: 'GET', url: `/api/customers/${BIG}` },
      { method: 'GET', url: `/api/entitlements?customerId=${BIG}` },
      { method: 'GET', url: `/api/entitlements?partnerId=${BIG}` },
      { method: 'GET', url: `/api/customers?partnerId=${BIG}` },
      { method: 'GET', url: `/api/reports/counts?partnerId=${BIG}` },
      { method: 'GET', url: `/api/export/entitlements.csv?customerId=${BIG}` },
      { method: 'PATCH', url: `/api/users/${BIG}`, payload: { name: 'x' } },
      { method: 'PUT', url: `/api/users/${BIG}/password`, payload: { password: 'long enough pass' } },
      { method: 'DELETE', url: `/api/tokens/${BIG}` },
      { method: 'DELETE', url: `/api/customers/${BIG}` },
      { method: 'PATCH', url: `/api/customers/${BIG}`, payload: { name: 'x' } },
      { method: 'PUT', url: `/api/entitlements/${BIG}/status`, payload: { version: 1, note: 'x' } },
      { method: 'POST', url: '/api/entitlements/bulk-status', payload: { items: [{ id: BIG, version: 1, note: 'x' }] } },
      { method: 'POST', url: '/api/tokens', payload: { name: 'x', userId: BIG } },
    ];
    for (const r of requests) {
      const res = await api.app.inject({ method: r.method, url: r.url, headers: admin, ...(r.payload ? { payload: r.payload } : {}) });
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(400);
      expect(res.json().error.code, `${r.method} ${r.url}`).toBe('VALIDATION_FAILED');
    }
    // A version beyond the range, on an entitlement that exists.
    await api.app.inject({ method: 'POST', url: '/api/customers', headers: as(api.world.tokens.northManager), payload: { tenantId: 'range-1', name: 'Range', workloads: ['teams'] } });
    const e = (await api.app.inject({ url: '/api/entitlements?pageSize=1', headers: admin })).json().items[0] as { id: number };
    const stale = await api.app.inject({ method: 'PUT', url: `/api/entitlements/${e.id}/status`, headers: admin, payload: { version: BIG, note: 'x' } });
    expect(stale.statusCode).toBe(400);
    // The largest id is still an id: not found, not refused.
    expect((await api.app.inject({ url: `/api/entitlements/${BIG - 1}`, headers: admin })).statusCode).toBe(404);
  });

  it('takes ids written in decimal digits only (QA round 6: 0x10 read as 16)', async () => {
    const admin = as(api.world.tokens.admin);
    const e = (await api.app.inject({ url: '/api/entitlements?pageSize=1', headers: admin })).json().items[0] as { id: number; customerId: number };
    expect((await api.app.inject({ url: `/api/entitlements/${e.id}`, headers: admin })).statusCode).toBe(200);
    for (const url of [`/api/entitlements/0x${e.id.toString(16)}`, `/api/entitlements/${e.id}e0`, `/api/entitlements?customerId=0x${e.customerId.toString(16)}`, '/api/entitlements?customerId=-1', '/api/customers/1.0']) {
      const res = await api.app.inject({ url, headers: admin });
      expect([url, res.statusCode, res.json().error.code]).toEqual([url, 400, 'VALIDATION_FAILED']);
    }
  });
});
