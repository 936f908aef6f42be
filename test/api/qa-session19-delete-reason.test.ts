/**
 * QA session 19: `DELETE /api/customers/:id?reason=` kept a reason of only spaces as spaces in the audit
 * log, and a reason with spaces around it with its spaces. The reason is optional, so it is now trimmed,
 * and one of only spaces is no reason (null), as an empty `?reason=` always was.
 */
import { describe, expect, it } from 'vitest';
import { ENGINES } from '../factories.js';
import { useApiWorld } from './api-world.js';

describe.each(ENGINES)('the reason of a customer deletion on %s', (engine) => {
  const api = useApiWorld(engine);
  const auth = () => ({ authorization: `Bearer ${api.world.tokens.northManager}` });
  const deleted = async (tenantId: string, query: string) => {
    const created = await api.app.inject({ method: 'POST', url: '/api/customers', headers: auth(), payload: { tenantId, name: tenantId, workloads: ['teams'] } });
    expect(created.statusCode, created.body).toBe(201);
    const res = await api.app.inject({ method: 'DELETE', url: `/api/customers/${created.json().id}${query}`, headers: auth() });
    expect(res.statusCode, res.body).toBe(200);
    const audit = await api.world.services.db.kysely.selectFrom('audit_log').select(['details_json']).where('id', '=', res.json().auditId).executeTakeFirstOrThrow();
    return (JSON.parse(audit.details_json) as { reason: string | null }).reason;
  };

  it('stores the reason trimmed, and one of only spaces as none', async () => {
    expect(await deleted('reason-spaces', '?reason=%20%20%20')).toBeNull();
    expect(await deleted('reason-tabs', '?reason=%09%20')).toBeNull();
    expect(await deleted('reason-padded', '?reason=%20%20Wrong%20tenant%20id%20')).toBe('Wrong tenant id');
    expect(await deleted('reason-empty', '?reason=')).toBeNull();
    expect(await deleted('reason-none', '')).toBeNull();
  });

  it('still refuses a reason over 1000 characters, counted without its surrounding spaces', async () => {
    expect(await deleted('reason-long-padded', `?reason=${'%20'.repeat(50)}${'x'.repeat(1000)}${'%20'.repeat(50)}`)).toBe('x'.repeat(1000));
    const created = await api.app.inject({ method: 'POST', url: '/api/customers', headers: auth(), payload: { tenantId: 'reason-long', name: 'Long', workloads: ['teams'] } });
    const res = await api.app.inject({ method: 'DELETE', url: `/api/customers/${created.json().id}?reason=${'x'.repeat(1001)}`, headers: auth() });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.details).toEqual([{ where: 'querystring', path: '/reason', message: 'is 1001 characters long; at most 1000 are allowed: shorten it by 1' }]);
  });
});
