/**
 * The L1, L2 and code filters of the list, the CSV export and the reports answer 400 UNKNOWN_CODE,
 * naming the field and the valid values, for a value neither the playbook nor the stored rows in the
 * user's scope have (they used to answer an empty page or report without saying why). Labels match in
 * any case and spacing; a label of an older playbook that stored rows still carry keeps filtering.
 */
import { parse } from 'csv-parse/sync';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../factories.js';
import { useApiWorld } from './api-world.js';

interface Item {
  id: number;
  version: number;
  tenantId: string;
  l1: string;
  l2: string | null;
  code: string;
}

describe.each(ENGINES)('L1, L2 and code filters on %s', (engine) => {
  const api = useApiWorld(engine);
  const as = (token: 'northManager' | 'admin') => ({ authorization: `Bearer ${api.world.tokens[token]}` });
  const get = (url: string, token: 'northManager' | 'admin' = 'northManager') => api.app.inject({ url, headers: as(token) });
  /** The tenant ids of the list's items for `query`, sorted. */
  const tenants = async (query: string, token: 'northManager' | 'admin' = 'northManager') => {
    const res = await get(`/api/entitlements?${query}`, token);
    expect([query, res.statusCode]).toEqual([query, 200]);
    return (res.json().items as Item[]).map((e) => e.tenantId).sort();
  };
  const exported = async (query: string) => {
    const res = await get(`/api/export/entitlements.csv?${query}`);
    expect([query, res.statusCode]).toEqual([query, 200]);
    return (parse(res.body, { bom: true, columns: true }) as { tenant_id: string }[]).map((r) => r.tenant_id).sort();
  };

  beforeAll(async () => {
    // North: one Blocked (Legal/Regulatory), one In Progress (Migration), one filed under an older
    // playbook's "Waiting / On Hold", one left at the initial status. South: one under an older "Parked".
    for (const [token, tenantId] of [['northManager', 'n-legal'], ['northManager', 'n-migration'], ['northManager', 'n-waiting'], ['northManager', 'n-new'], ['admin', 's-parked']] as const) {
      const payload = { tenantId, name: `Customer ${tenantId}`, workloads: ['teams'], ...(token === 'admin' ? { partnerId: api.world.partners.south } : {}) };
      const res = await api.app.inject({ method: 'POST', url: '/api/customers', headers: as(token), payload });
      expect([tenantId, res.statusCode]).toEqual([tenantId, 201]);
    }
    const items = (await get('/api/entitlements?pageSize=500', 'admin')).json().items as Item[];
    const byTenant = new Map(items.map((e) => [e.tenantId, e]));
    const change = async (tenantId: string, code: string, note: string) => {
      const e = byTenant.get(tenantId)!;
      const res = await api.app.inject({ method: 'PUT', url: `/api/entitlements/${e.id}/status`, headers: as('admin'), payload: { version: e.version, code, note, targetDate: '2026-06-30', projectedUnblockDate: '2026-05-01' } });
      expect([tenantId, res.statusCode, res.statusCode === 200 ? '' : res.body]).toEqual([tenantId, 200, '']);
    };
    await change('n-legal', 'blocked/legal-regulatory', 'Blocked: the works council must approve recording before Teams calls go live; meeting set for April.');
    await change('n-migration', 'in-progress/migration', 'Moving the chat history in three waves, pilot group first, done by June.');
    // Codes of an older playbook version, as rows filed under it keep them.
    const older = async (tenantId: string, l1: string, l2: string, code: string) => {
      await sql`update entitlements set l1 = ${l1}, l2 = ${l2}, code = ${code}, taxonomy_version = ${'older-playbook'} where id = ${byTenant.get(tenantId)!.id}`.execute(api.world.services.db.kysely);
    };
    await older('n-waiting', 'Waiting', 'On Hold', 'waiting/on-hold');
    await older('s-parked', 'Parked', 'Old Reason', 'parked/old-reason');
  });

  describe('answer 400 UNKNOWN_CODE naming the field and the valid values', () => {
    const LIST_AND_EXPORT = ['/api/entitlements', '/api/export/entitlements.csv'];

    it.each(LIST_AND_EXPORT)('for an unknown l1, l2 or code on %s', async (path) => {
      const cases = [
        { query: 'l1=Blokced', field: 'l1', value: 'Blokced', valid: ['Blocked', 'In Progress', 'Waiting'], message: /Unknown L1 "Blokced"\. Valid L1s: .*Blocked.*Waiting/ },
        { query: 'l2=Legal', field: 'l2', value: 'Legal', valid: ['Legal/Regulatory', 'Migration', 'On Hold'], message: /Unknown L2 "Legal"\. Valid: .*Legal\/Regulatory/ },
        { query: 'code=blocked/legal', field: 'code', value: 'blocked/legal', valid: ['blocked/legal-regulatory', 'waiting/on-hold'], message: /Unknown code "blocked\/legal".*blocked\/legal-regulatory/ },
        // A known L1 does not make an unknown L2 known, nor the other way round.
        { query: 'l1=Blocked&l2=Legall', field: 'l2', value: 'Legall', valid: ['Legal/Regulatory'], message: /Unknown L2 "Legall"/ },
        { query: 'l1=Blokced&l2=Migration', field: 'l1', value: 'Blokced', valid: ['Blocked'], message: /Unknown L1 "Blokced"/ },
      ];
      for (const c of cases) {
        const res = await get(`${path}?${c.query}`);
        expect([c.query, res.statusCode]).toEqual([c.query, 400]);
        const error = res.json().error as { code: string; message: string; details: Record<string, unknown> & { field: string; valid: string[] } };
        expect(error.code).toBe('UNKNOWN_CODE');
        expect(error.message).toMatch(c.message);
        expect(error.details).toMatchObject({ field: c.field, [c.field]: c.value });
        expect(error.details.valid).toEqual(expect.arrayContaining(c.valid));
        // Another partner's older labels are not offered.
        expect(error.details.valid.some((v) => /parked/i.test(v) || v === 'Old Reason')).toBe(false);
      }
    });

    it('for an unknown l1 on the counts and ageing reports', async () => {
      for (const url of ['/api/reports/counts?by=l1&l1=Blokced', '/api/reports/counts?by=l2&l1=Blokced', '/api/reports/counts?by=owner&l1=Blokced', '/api/reports/ageing?l1=Blokced']) {
        const res = await get(url);
        expect([url, res.statusCode]).toEqual([url, 400]);
        expect(res.json().error).toMatchObject({ code: 'UNKNOWN_CODE', message: expect.stringMatching(/Unknown L1 "Blokced"/), details: { field: 'l1', l1: 'Blokced', valid: expect.arrayContaining(['Blocked', 'Waiting']) } });
      }
    });

    it('for a label only another partner\'s rows carry', async () => {
      const res = await get('/api/entitlements?l1=Parked');
      expect(res.statusCode).toBe(400);
      expect(res.json().error.details).toMatchObject({ field: 'l1', l1: 'Parked' });
      expect((await get('/api/reports/counts?by=l2&l1=Parked')).statusCode).toBe(400);
      // Those who can see them filter by it.
      expect(await tenants('l1=Parked', 'admin')).toEqual(['s-parked']);
      expect(await tenants('code=parked/old-reason', 'admin')).toEqual(['s-parked']);
    });
  });

  it('match a known label in any case and spacing, an L1 id, an L2 slug and a code id', async () => {
    expect(await tenants('l1=bLoCkEd')).toEqual(['n-legal']);
    expect(await tenants('l1=in-progress')).toEqual(['n-migration']);
    expect(await tenants('l1=%20in%20%20PROGRESS%20')).toEqual(['n-migration']);
    expect(await tenants('l2=legal%2Fregulatory')).toEqual(['n-legal']);
    expect(await tenants('l2=legal-regulatory')).toEqual(['n-legal']);
    expect(await tenants('code=blocked/legal-regulatory')).toEqual(['n-legal']);
    expect(await tenants('code=Blocked/Legal-Regulatory')).toEqual(['n-legal']);
    // A known L1 and L2 of different L1s match nothing, as before: no error.
    expect(await tenants('l1=Blocked&l2=Migration')).toEqual([]);
    // Empty parameters (form fields left blank) filter nothing.
    expect(await tenants('l1=&l2=&code=')).toEqual(['n-legal', 'n-migration', 'n-new', 'n-waiting']);
    expect(await exported('l1=BLOCKED')).toEqual(['n-legal']);
    const counts = await get('/api/reports/counts?by=l2&l1=blocked');
    expect(counts.statusCode).toBe(200);
    expect(counts.json().rows).toEqual([{ key: 'blocked/legal-regulatory', label: 'Legal/Regulatory', l1: 'Blocked', count: 1 }]);
    const ageing = await get('/api/reports/ageing?l1=in%20progress');
    expect(ageing.statusCode).toBe(200);
    expect(ageing.json()).toMatchObject({ l1: 'In Progress', byL2: [{ code: 'in-progress/migration', total: 1 }] });
  });

  it('keep filtering by a label or code of an older playbook that stored rows in scope carry', async () => {
    expect(await tenants('l1=Waiting')).toEqual(['n-waiting']);
    expect(await tenants('l1=waiting')).toEqual(['n-waiting']);
    expect(await tenants('l2=on%20hold')).toEqual(['n-waiting']);
    expect(await tenants('l2=on-hold')).toEqual(['n-waiting']);
    expect(await tenants('code=waiting/on-hold')).toEqual(['n-waiting']);
    expect(await tenants('l1=Waiting&l2=On%20Hold')).toEqual(['n-waiting']);
    expect(await tenants('l1=Waiting&code=blocked/legal-regulatory')).toEqual([]);
    expect(await exported('l1=Waiting')).toEqual(['n-waiting']);
    expect(await exported('code=waiting/on-hold')).toEqual(['n-waiting']);
    const counts = await get('/api/reports/counts?by=l2&l1=waiting');
    expect(counts.statusCode).toBe(200);
    expect(counts.json().rows).toEqual([{ key: 'waiting/on-hold', label: 'On Hold', l1: 'Waiting', count: 1 }]);
    const ageing = await get('/api/reports/ageing?l1=Waiting');
    expect(ageing.statusCode).toBe(200);
    expect(ageing.json()).toMatchObject({ l1: 'Waiting', byL2: [{ code: 'waiting/on-hold', l2: 'On Hold', total: 1 }] });
  });
});
