/**
 * The reports leave Duplicate/Invalid out (they are not customer rollouts): asking a report for that
 * L1 is refused with 400 BAD_ARGUMENTS naming the field, instead of answering an empty report as if
 * there were none. The entitlement list and the CSV export still find them.
 */
import { describe, expect, it } from 'vitest';
import { ENGINES } from '../factories.js';
import { useApiWorld } from './api-world.js';

describe.each(ENGINES)('reports asked for Duplicate/Invalid on %s', (engine) => {
  const api = useApiWorld(engine);
  const get = (url: string) => api.app.inject({ url, headers: { authorization: `Bearer ${api.world.tokens.northManager}` } });

  it('answer 400 BAD_ARGUMENTS with details naming l1, in any spelling of the L1', async () => {
    const urls = ['/api/reports/counts?by=l1&l1=Duplicate%2FInvalid', '/api/reports/counts?by=l2&l1=duplicate-invalid', '/api/reports/counts?by=owner&l1=duplicate%2Finvalid', '/api/reports/ageing?l1=Duplicate%2FInvalid'];
    for (const url of urls) {
      const res = await get(url);
      expect([url, res.statusCode]).toEqual([url, 400]);
      const { error } = res.json() as { error: { code: string; message: string; details: { field: string; l1: string; reason: string } } };
      expect(error.code).toBe('BAD_ARGUMENTS');
      expect(error.message).toMatch(/^Reports leave Duplicate\/Invalid out: .*GET \/api\/entitlements\?l1=Duplicate%2FInvalid/);
      expect(error.details).toEqual({ field: 'l1', l1: 'Duplicate/Invalid', reason: 'left-out-of-reports' });
    }
    // Other L1s still answer.
    expect((await get('/api/reports/counts?by=l2&l1=Blocked')).statusCode).toBe(200);
    expect((await get('/api/reports/ageing')).statusCode).toBe(200);
    expect((await get('/api/entitlements?l1=Duplicate%2FInvalid')).statusCode).toBe(200);
  });
});
