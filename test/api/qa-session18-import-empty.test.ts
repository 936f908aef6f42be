/**
 * QA session 18: an export whose filter matches nothing is the export's header alone; importing that
 * file back answered 422 CSV_INVALID ("a header but no data rows"), so export, edit, re-import failed
 * for the one file that needs no edit. It is now a 200 that changes nothing: zero rows, zero counts and
 * a `notice` saying so (also for a dry run, and from `readImportCsv`, which `unblock import` shares). A
 * file with no header at all (0 bytes, a byte order mark, blank lines) keeps its refusal, and so does a
 * header-only file whose header is not the export's (a template whose rows were never added).
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readImportCsv, EXPORT_COLUMNS } from '../../src/http/csv.js';
import { ENGINES } from '../factories.js';
import { useApiWorld } from './api-world.js';

const auth = (token: string) => ({ authorization: `Bearer ${token}` });
const EMPTY_FILE = 'The file is empty; it needs a header row and at least one data row.';

describe.each(ENGINES)('importing an export of no rows on %s', (engine) => {
  const api = useApiWorld(engine);
  const importCsv = (payload: string | Buffer, query = '', token = api.world.tokens.northEditor) =>
    api.app.inject({ method: 'POST', url: `/api/import/entitlements${query}`, headers: { ...auth(token), 'content-type': 'text/csv' }, payload });
  let made = false;
  const customer = async () => {
    if (made) return;
    const created = await api.app.inject({ method: 'POST', url: '/api/customers', headers: auth(api.world.tokens.northManager), payload: { tenantId: 'empty-export-a', name: 'Empty Export A', workloads: ['teams'] } });
    expect(created.statusCode, created.body).toBe(201);
    made = true;
  };
  const state = async () => {
    const list = await api.app.inject({ url: '/api/entitlements?pageSize=500', headers: auth(api.world.tokens.northManager) });
    return (list.json().items as { id: number; version: number; updatedAt: string }[]).map((e) => [e.id, e.version, e.updatedAt]);
  };

  it('imports the export of a filter that matched nothing as a change of nothing, with a notice', async () => {
    await customer();
    const exported = await api.app.inject({ url: '/api/export/entitlements.csv?owner=nobody-owns-this', headers: auth(api.world.tokens.northEditor) });
    expect(exported.statusCode, exported.body).toBe(200);
    expect(exported.body).toBe(`\uFEFF${EXPORT_COLUMNS.join(',')}\n`);
    const before = await state();
    for (const query of ['', '?dryRun=true']) {
      const res = await importCsv(exported.rawPayload, query);
      expect(res.statusCode, `${query}: ${res.body}`).toBe(200);
      const dryRun = query !== '';
      expect(res.json()).toEqual({
        rows: 0, customersCreated: 0, entitlementsCreated: 0, entitlementsUpdated: 0, unchanged: 0, warnings: [], warningCount: 0, dryRun,
        notice: dryRun
          ? 'The file has the export\'s header and no data rows (an export of a filter that matched nothing): there is nothing to import, and nothing would change.'
          : 'The file has the export\'s header and no data rows (an export of a filter that matched nothing): there was nothing to import, and nothing changed.',
      });
    }
    expect(await state()).toEqual(before);
    // Saved again by a spreadsheet: no byte order mark, CRLF, a blank line at the end.
    const resaved = await importCsv(`${EXPORT_COLUMNS.join(',')}\r\n\r\n`);
    expect(resaved.statusCode, resaved.body).toBe(200);
    expect(resaved.json().rows).toBe(0);
  });

  it('still refuses a file with no header, and a header-only file that is not an export', async () => {
    for (const payload of ['', '\uFEFF', '\r\n\r\n']) {
      const res = await importCsv(payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(422);
      expect(res.json().error, JSON.stringify(payload)).toEqual({ code: 'CSV_INVALID', message: EMPTY_FILE, details: null });
    }
    for (const payload of ['tenant_id,workload\r\n', `${EXPORT_COLUMNS.filter((c) => c !== 'days_in_status').join(',')}\n`]) {
      const res = await importCsv(payload);
      expect(res.statusCode, payload).toBe(422);
      expect(res.json().error, payload).toEqual({ code: 'CSV_INVALID', message: 'The file has a header but no data rows.', details: null });
    }
  });

  it('lets readImportCsv, which unblock import shares, read the export\'s header alone as no rows', async () => {
    const file = await readImportCsv(Readable.from([Buffer.from(`\uFEFF${EXPORT_COLUMNS.join(',')}\n`)]), 1024 * 1024);
    expect(file.records).toEqual([]);
    expect(file.header).toMatchObject({ tenant_id: 'tenant_id', workload: 'workload' });
    await expect(readImportCsv(Readable.from([Buffer.from('')]), 1024)).rejects.toMatchObject({ code: 'CSV_INVALID', message: EMPTY_FILE });
  });
});
