/**
 * The workload filter of lists, exports and reports takes a workload by slug or by name, and answers
 * 400 for one the catalogue lacks (a list used to answer an empty page, reports a 400: QA round 6).
 */
import { describe, expect, it } from 'vitest';
import { ENGINES } from '../factories.js';
import { useApiWorld } from './api-world.js';

describe.each(ENGINES)('workload filters on %s', (engine) => {
  const api = useApiWorld(engine);
  const get = (url: string) => api.app.inject({ url, headers: { authorization: `Bearer ${api.world.tokens.northManager}` } });

  it('take a slug or a name, in any case, and agree', async () => {
    const created = await api.app.inject({
      method: 'POST', url: '/api/customers', headers: { authorization: `Bearer ${api.world.tokens.northManager}` },
      payload: { tenantId: 'wl-1', name: 'Willow Labs', workloads: ['exchange-online', 'teams', 'intune'] },
    });
    expect(created.statusCode).toBe(201);
    const ids = async (workload: string) => (await get(`/api/entitlements?workload=${encodeURIComponent(workload)}`)).json().items.map((e: { workload: string }) => e.workload);
    expect(await ids('exchange-online')).toEqual(['exchange-online']);
    expect(await ids('Exchange Online')).toEqual(['exchange-online']);
    expect(await ids('TEAMS')).toEqual(['teams']);
    // An empty parameter (a form field left blank) filters nothing.
    expect((await ids('')).sort()).toEqual(['exchange-online', 'intune', 'teams']);
    expect((await get('/api/reports/counts?by=workload&workload=')).statusCode).toBe(200);
    const exported = await get('/api/export/entitlements.csv?workload=Intune');
    // Named with the day it was taken (the test clock's), so exports of different days do not overwrite each other.
    expect(exported.headers['content-disposition']).toBe('attachment; filename="unblock-entitlements-2026-03-02.csv"');
    const csv = exported.body.trim().split('\n');
    expect(csv).toHaveLength(2);
    expect(csv[1]).toContain('intune');
    const counts = await get('/api/reports/counts?by=workload&workload=Exchange%20Online');
    expect(counts.statusCode).toBe(200);
    expect(JSON.stringify(counts.json())).toContain('exchange-online');
  });

  it('answer 400 UNKNOWN_CODE for a workload the catalogue lacks, naming it', async () => {
    for (const url of ['/api/entitlements?workload=fax', '/api/export/entitlements.csv?workload=fax', '/api/reports/counts?by=l1&workload=fax']) {
      const res = await get(url);
      expect([url, res.statusCode]).toEqual([url, 400]);
      expect(res.json().error).toMatchObject({ code: 'UNKNOWN_CODE', message: expect.stringContaining('"fax"') });
    }
  });
});
