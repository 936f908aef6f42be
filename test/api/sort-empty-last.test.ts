/**
 * Through the API: a list or an export sorted by a field that can be empty puts the empty values
 * last in both directions, the same on SQLite and PostgreSQL (docs/API.md, Sorting).
 */
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../factories.js';
import { useApiWorld } from './api-world.js';

describe.each(ENGINES)('empty values last in the list and the export on %s', (engine) => {
  const t = useApiWorld(engine);
  const headers = () => ({ authorization: `Bearer ${t.world.tokens.northManager}`, 'content-type': 'application/json' });

  beforeAll(async () => {
    const { app } = t;
    const res = await app.inject({ method: 'POST', url: '/api/customers', headers: headers(), payload: { tenantId: 'o-1', name: 'Owners Co', workloads: ['teams', 'intune', 'windows', 'defender', 'onedrive'] } });
    expect(res.statusCode, res.body).toBe(201);
    const items = (await app.inject({ url: '/api/entitlements?sort=id', headers: headers() })).json().items as { id: number; version: number }[];
    // Owners by id: none, bo, none, ana, bo.
    for (const [i, owner] of ([null, 'bo', null, 'ana', 'bo'] as const).entries()) {
      if (owner === null) continue;
      const put = await app.inject({ method: 'PUT', url: `/api/entitlements/${items[i]!.id}/status`, headers: headers(), payload: { version: items[i]!.version, owner } });
      expect(put.statusCode, put.body).toBe(200);
    }
  });

  it('answers the owners in order and then the empty ones, ascending and descending', async () => {
    const { app } = t;
    const ids = (await app.inject({ url: '/api/entitlements?sort=id', headers: headers() })).json().items.map((e: { id: number }) => e.id) as number[];
    const expected = {
      asc: [ids[3], ids[1], ids[4], ids[0], ids[2]],
      desc: [ids[4], ids[1], ids[3], ids[2], ids[0]],
    };
    for (const order of ['asc', 'desc'] as const) {
      const list = (await app.inject({ url: `/api/entitlements?sort=owner&order=${order}`, headers: headers() })).json().items as { id: number; owner: string | null }[];
      expect(list.map((e) => e.id), order).toEqual(expected[order]);
      expect(list.slice(3).map((e) => e.owner)).toEqual([null, null]);
      const pageTwo = (await app.inject({ url: `/api/entitlements?sort=owner&order=${order}&page=2&pageSize=2`, headers: headers() })).json().items as { id: number }[];
      expect(pageTwo.map((e) => e.id), order).toEqual(expected[order].slice(2, 4));
      const csv = await app.inject({ url: `/api/export/entitlements.csv?sort=owner&order=${order}`, headers: headers() });
      expect(csv.statusCode).toBe(200);
      const rows = parse(csv.body, { bom: true, columns: true }) as Record<string, string>[];
      expect(rows.map((r) => Number(r.id)), order).toEqual(expected[order]);
      expect(rows.map((r) => r.owner)).toEqual(order === 'asc' ? ['ana', 'bo', 'bo', '', ''] : ['bo', 'bo', 'ana', '', '']);
    }
  });
});
