/**
 * QA pass of the API as a demanding client, both engines: what it found and fixed.
 * - A CSV import sent as another media type (curl's `--data-binary` without a header sends
 *   application/x-www-form-urlencoded) was answered with Fastify's bare "Unsupported Media Type":
 *   it now says what to send and names the type it got, as the JSON routes do (`details.contentType`).
 *   A body sent to a route that takes none, as another type, is told the same way.
 * - A change of a customer or user holding only a misspelt field (`{"nme": "x"}`) was told the field is
 *   unknown and also that "the request body is empty", which it is not: now only the unknown field.
 * - The owner filter was compared as sent: `owner=Ana%20` (a name typed with a space after it) or
 *   `owner=%20` matched nothing, though owners are stored trimmed and every other text filter (l1,
 *   l2, code, workload, q) takes a value of only spaces as none. It is now trimmed, and one of only
 *   spaces filters nothing, in the list, the export and for any caller of the tracker.
 * - A header with an empty cell (a comma at the end, as spreadsheets save) was refused as
 *   "Unknown column(s): ." : the empty name is now told as such, with its column number.
 */
import { describe, expect, it } from 'vitest';
import { listEntitlements, SYSTEM_ACTOR } from '../../src/tracker/index.js';
import { ENGINES } from '../factories.js';
import { useApiWorld } from './api-world.js';

describe.each(ENGINES)('QA client pass on %s', (engine) => {
  const api = useApiWorld(engine);
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  let made = false;
  const customer = async () => {
    if (made) return;
    const created = await api.app.inject({ method: 'POST', url: '/api/customers', headers: auth(api.world.tokens.northManager), payload: { tenantId: 'qa-a', name: 'Alpha QA', workloads: ['teams'] } });
    expect(created.statusCode, created.body).toBe(201);
    made = true;
  };
  const importAs = (type: string | undefined, payload: string | Buffer) =>
    api.app.inject({ method: 'POST', url: '/api/import/entitlements?advise=false', headers: { ...auth(api.world.tokens.northManager), ...(type === undefined ? {} : { 'content-type': type }) }, payload });

  it('tells a CSV import sent as another media type what to send, and writes nothing', async () => {
    await customer();
    for (const type of ['application/json', 'application/x-www-form-urlencoded', 'application/octet-stream', 'application/vnd.ms-excel', 'multipart/form-data; boundary=x']) {
      const res = await importAs(type, 'tenant_id,workload,owner\nqa-a,teams,Someone\n');
      expect(res.statusCode, `${type}: ${res.body}`).toBe(415);
      const bare = type.split(';')[0]!;
      expect(res.json(), type).toEqual({ error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: `Send the file as the request body with \`Content-Type: text/csv\` (not ${bare}).`, details: { contentType: bare } } });
    }
    const owners = (await api.app.inject({ url: '/api/entitlements', headers: auth(api.world.tokens.northManager) })).json().items.map((e: { owner: string | null }) => e.owner);
    expect(owners).toEqual([null]);
    // text/csv in any case and with a charset is read.
    for (const type of ['Text/CSV', 'text/csv; charset=utf-8', 'application/csv']) {
      expect((await importAs(type, 'tenant_id,workload\nqa-a,teams\n')).statusCode, type).toBe(200);
    }
  });

  it('tells a body sent to a route that takes none, as another media type, the same way', async () => {
    const res = await api.app.inject({ method: 'DELETE', url: '/api/tokens/999', headers: { ...auth(api.world.tokens.northManager), 'content-type': 'application/xml' }, payload: '<x/>' });
    expect(res.statusCode, res.body).toBe(415);
    expect(res.json()).toEqual({ error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'This request takes no body: send none, or an empty one (not application/xml).', details: { contentType: 'application/xml' } } });
  });

  it('names an empty header cell as a column without a name, with its number', async () => {
    await customer();
    const res = await importAs('text/csv', 'tenant_id,workload,owner,\nqa-a,teams,T,\n');
    expect(res.statusCode, res.body).toBe(422);
    const error = res.json().error;
    expect(error.code).toBe('CSV_INVALID');
    expect(error.message).toMatch(/^Unknown column\(s\): a column with no name \(column 4; a comma at the end of the header makes one\)\. Known columns: tenant_id, /);
    expect(error.details.unknown).toEqual(['']);
    const two = await importAs('text/csv', 'tenant_id,,workload,colour,\nqa-a,,teams,blue,\n');
    expect(two.json().error.message).toMatch(/^Unknown column\(s\): a column with no name \(column 2\), colour, a column with no name \(column 5; a comma at the end of the header makes one\)\. /);
  });

  it('tells a change holding only a misspelt field that the field is unknown, not that the body is empty', async () => {
    await customer();
    const id = (await api.app.inject({ url: '/api/customers', headers: auth(api.world.tokens.northManager) })).json().items[0].id as number;
    const res = await api.app.inject({ method: 'PATCH', url: `/api/customers/${id}`, headers: auth(api.world.tokens.northManager), payload: { nme: 'Renamed' } });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error).toEqual({
      code: 'VALIDATION_FAILED',
      message: 'nme is an unknown field; did you mean name?',
      details: [{ where: 'body', path: '/nme', message: 'is an unknown field; did you mean name?', reason: 'UNKNOWN_FIELD', field: 'nme', suggestion: 'name' }],
    });
    const users = (await api.app.inject({ url: '/api/users', headers: auth(api.world.tokens.admin) })).json().items as { id: number; email: string }[];
    const editor = users.find((u) => u.email === 'editor@north.test')!;
    const user = await api.app.inject({ method: 'PATCH', url: `/api/users/${editor.id}`, headers: auth(api.world.tokens.admin), payload: { rol: 'viewer' } });
    expect(user.statusCode, user.body).toBe(400);
    expect(user.json().error.message).toBe('rol is an unknown field; did you mean role?');
    expect(user.json().error.details).toHaveLength(1);
    // An empty body is still told it is empty, and a known field still changes.
    const empty = await api.app.inject({ method: 'PATCH', url: `/api/customers/${id}`, headers: auth(api.world.tokens.northManager), payload: {} });
    expect(empty.json().error.message).toBe('The request body is empty: send at least one of name, managed, region, tenantId.');
    const renamed = await api.app.inject({ method: 'PATCH', url: `/api/customers/${id}`, headers: auth(api.world.tokens.northManager), payload: { name: 'Alpha QA' } });
    expect(renamed.statusCode, renamed.body).toBe(200);
  });

  it('checked and fine: a viewer or editor deleting a customer gets 403 whatever the id, and nothing is deleted', async () => {
    await customer();
    const before = (await api.app.inject({ url: '/api/customers', headers: auth(api.world.tokens.northManager) })).json().items as { id: number }[];
    for (const token of [api.world.tokens.northViewer, api.world.tokens.northEditor]) {
      for (const id of [before[0]!.id, 2_147_483_647]) {
        const res = await api.app.inject({ method: 'DELETE', url: `/api/customers/${id}?reason=oops`, headers: auth(token) });
        expect([res.statusCode, res.json().error.code]).toEqual([403, 'FORBIDDEN']);
      }
    }
    expect((await api.app.inject({ url: '/api/customers', headers: auth(api.world.tokens.northManager) })).json().items).toEqual(before);
  });

  it('checked and fine: for combined filters, sorts and pages, the pages add up to total and the export holds the same rows in the same order', async () => {
    await customer();
    const manager = auth(api.world.tokens.northManager);
    for (const [tenantId, name] of [['qa-f1', 'Fjord One'], ['qa-f2', 'fjord Two'], ['qa-f3', 'Élan Three']] as const) {
      const created = await api.app.inject({ method: 'POST', url: '/api/customers', headers: manager, payload: { tenantId, name, workloads: ['teams', 'exchange-online', 'intune'] } });
      expect(created.statusCode, created.body).toBe(201);
    }
    const all = (await api.app.inject({ url: '/api/entitlements?pageSize=500', headers: manager })).json().items as { id: number; version: number }[];
    const owners = ['Ana', 'ana', null, 'Bob', '=cmd', null];
    for (const [i, e] of all.entries()) {
      const change = i % 3 === 0
        ? { code: 'in-progress/migration', targetDate: '2026-06-30', note: `Moving mailboxes in waves, wave ${i}.` }
        : { owner: owners[i % owners.length] ?? null };
      const res = await api.app.inject({ method: 'PUT', url: `/api/entitlements/${e.id}/status`, headers: manager, payload: { version: e.version, ...change } });
      expect(res.statusCode, res.body).toBe(200);
    }
    // Days in status spread over 0-40 days.
    for (const [i, e] of all.entries()) {
      await api.world.services.db.kysely.updateTable('entitlements').set({ since: new Date(Date.parse('2026-03-02T10:00:00.000Z') - (i * 4) * 86_400_000).toISOString() }).where('id', '=', e.id).execute();
    }
    const queries = [
      'owner=ana', 'owner=ana&sort=customer&order=desc', 'l1=In%20Progress&minDays=8&maxDays=30', 'workload=teams&sort=owner', 'workload=Exchange%20Online&sort=owner&order=desc',
      'q=wave&sort=since', 'q=fjord&minDays=4', 'code=in-progress/migration&sort=targetDate&order=desc', 'l2=Migration&owner=Ana', 'minDays=12&maxDays=12', 'owner=%3Dcmd',
      'sort=l2&order=desc', 'sort=updatedAt', 'q=qa-f2', 'q=%C3%A9lan',
    ];
    const totals: number[] = [];
    for (const query of queries) {
      const full = (await api.app.inject({ url: `/api/entitlements?${query}&pageSize=500`, headers: manager })).json() as { items: { id: number }[]; total: number };
      expect(full.items.length, query).toBe(full.total);
      totals.push(full.total);
      const paged: number[] = [];
      for (let page = 1; page <= Math.max(1, Math.ceil(full.total / 2)) + 1; page++) {
        const res = (await api.app.inject({ url: `/api/entitlements?${query}&pageSize=2&page=${page}`, headers: manager })).json() as { items: { id: number }[]; total: number };
        expect(res.total, query).toBe(full.total);
        paged.push(...res.items.map((e) => e.id));
      }
      expect(paged, query).toEqual(full.items.map((e) => e.id));
      const csv = await api.app.inject({ url: `/api/export/entitlements.csv?${query}`, headers: manager });
      expect(csv.statusCode, `${query}: ${csv.body}`).toBe(200);
      expect(csv.body.startsWith('\uFEFFid,tenant_id,'), query).toBe(true);
      const ids = csv.body.slice(1).trim().split(/\r?\n/).slice(1).map((line) => Number(line.split(',')[0]));
      expect(ids, query).toEqual(full.items.map((e) => e.id));
    }
    // Most combinations match some rows (a test of empty lists would prove little).
    expect(totals.filter((n) => n > 0).length, String(totals)).toBeGreaterThanOrEqual(12);
    // The owner =cmd is exported quoted against formulas.
    const formula = await api.app.inject({ url: '/api/export/entitlements.csv?owner=%3Dcmd', headers: manager });
    expect(formula.body).toContain(",'=cmd,");
  });

  it('trims the owner filter, and takes one of only spaces as none, on the list, the export and in the tracker', async () => {
    await customer();
    const manager = auth(api.world.tokens.northManager);
    const created = await api.app.inject({ method: 'POST', url: '/api/customers', headers: manager, payload: { tenantId: 'qa-owner', name: 'Owner Co', workloads: ['teams', 'intune'] } });
    expect(created.statusCode, created.body).toBe(201);
    const items = (await api.app.inject({ url: `/api/entitlements?customerId=${created.json().id}`, headers: manager })).json().items as { id: number; version: number }[];
    const set = await api.app.inject({ method: 'PUT', url: `/api/entitlements/${items[0]!.id}/status`, headers: manager, payload: { version: items[0]!.version, owner: 'Ana Lopez' } });
    expect(set.statusCode, set.body).toBe(200);
    const all = (await api.app.inject({ url: '/api/entitlements', headers: manager })).json().total as number;
    const total = async (owner: string) => {
      const res = await api.app.inject({ url: `/api/entitlements?owner=${encodeURIComponent(owner)}`, headers: manager });
      expect(res.statusCode, res.body).toBe(200);
      return res.json().total as number;
    };
    expect(await total('Ana Lopez')).toBe(1);
    expect(await total('ana lopez ')).toBe(1);
    expect(await total('  Ana Lopez')).toBe(1);
    expect(await total(' ')).toBe(all);
    expect(await total('\t ')).toBe(all);
    const csv = await api.app.inject({ url: `/api/export/entitlements.csv?owner=${encodeURIComponent('Ana Lopez ')}`, headers: manager });
    expect(csv.body.slice(1).trim().split('\n')).toHaveLength(2);
    const tracker = await listEntitlements(api.world.services.tracker, SYSTEM_ACTOR, { owner: ' Ana Lopez ' });
    expect(tracker.items.map((e) => e.id)).toEqual([items[0]!.id]);
    expect((await listEntitlements(api.world.services.tracker, SYSTEM_ACTOR, { owner: '   ' })).total).toBe((await listEntitlements(api.world.services.tracker, SYSTEM_ACTOR, {})).total);
  });
});
