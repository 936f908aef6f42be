/**
 * QA session 18 (API, second pass): an unknown workload in a customer's `workloads` (POST /api/customers)
 * or in `workload` (POST /api/customers/:id/entitlements) was named bare in the message, so a blank one
 * read "Unknown workload(s):   . Valid: ..." and a script could not tell which value was meant; nor did
 * `details` name the field, as the list, the reports and notes/grade do (`details.field`). Each unknown
 * value is now quoted as sent, the message says how to write one, and `details.field` names the field
 * (`details.unknown` and `details.valid` stay as they were). Nothing is written.
 */
import { describe, expect, it } from 'vitest';
import { ENGINES } from '../factories.js';
import { useApiWorld } from './api-world.js';

const auth = (token: string) => ({ authorization: `Bearer ${token}` });
type Refusal = { code: string; message: string; details: { field: string; unknown: string[]; valid: string[] } };

describe.each(ENGINES)('unknown workloads of a customer on %s', (engine) => {
  const api = useApiWorld(engine);
  const post = (url: string, payload: unknown) => api.app.inject({ method: 'POST', url, headers: auth(api.world.tokens.northManager), payload: payload as Record<string, unknown> });

  it('creating a customer quotes each unknown workload, blank ones included, and names the field', async () => {
    const res = await post('/api/customers', { tenantId: 'wl-1.example', name: 'Workload Co', workloads: ['teams', '  ', 'Teems'] });
    expect(res.statusCode).toBe(400);
    const error = (res.json() as { error: Refusal }).error;
    expect(error.code).toBe('UNKNOWN_CODE');
    expect(error.message).toMatch(/^Unknown workloads " {2}" and "Teems" in workloads: give each as its slug or name, such as exchange-online or "Exchange Online"\. Valid: exchange-online, .*teams/);
    expect(error.details).toMatchObject({ field: 'workloads', unknown: ['  ', 'Teems'] });
    expect(error.details.valid).toContain('teams');
    // Nothing was written: the tenant id is still free.
    const list = await api.app.inject({ url: '/api/customers?q=wl-1.example', headers: auth(api.world.tokens.northManager) });
    expect(list.json().total).toBe(0);
  });

  it('adding an entitlement quotes the unknown workload and names the field', async () => {
    const created = await post('/api/customers', { tenantId: 'wl-2.example', name: 'Workload Two', workloads: ['teams'] });
    expect(created.statusCode, created.body).toBe(201);
    for (const [workload, shown] of [['   ', '"   "'], ['bogus', '"bogus"']] as const) {
      const res = await post(`/api/customers/${created.json().id}/entitlements`, { workload });
      expect(res.statusCode).toBe(400);
      const error = (res.json() as { error: Refusal }).error;
      expect(error.code).toBe('UNKNOWN_CODE');
      expect(error.message.startsWith(`Unknown workload ${shown} in workload: give its slug or name, such as exchange-online or "Exchange Online". Valid: `)).toBe(true);
      expect(error.details).toMatchObject({ field: 'workload', unknown: [workload] });
    }
    const customer = await api.app.inject({ url: `/api/customers/${created.json().id}`, headers: auth(api.world.tokens.northManager) });
    expect(customer.json().entitlementCount).toBe(1);
  });
});
