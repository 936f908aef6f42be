/**
 * QA session 19, review of the import's id check:
 * - An export imported into another database (README's "export piped into import") had every row
 *   refused, its ids naming nothing or an unrelated entitlement there, and told that the row had been
 *   moved. `?ignoreIds=true` now skips the check, and the id errors say what the id names and what the
 *   row names, then how to import a file of another database.
 * - An id above the id bound was quoted as a rounded number (`99999999999999999999` as entitlement
 *   100000000000000000000, 400 digits as "Infinity"): it is now refused as no entitlement id, and a
 *   long cell is quoted cut short.
 */
import { describe, expect, it } from 'vitest';
import { ENGINES } from '../factories.js';
import { useApiWorld } from './api-world.js';

const HINT = 'if this file comes from another database, import it with ignoreIds=true (unblock import --ignore-ids), or clear the id and version columns';

describe.each(ENGINES)('the import\'s id column, reviewed, on %s', (engine) => {
  const api = useApiWorld(engine);
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const importCsv = (body: string, query = '', token = api.world.tokens.northManager) =>
    api.app.inject({ method: 'POST', url: `/api/import/entitlements?advise=false${query}`, headers: { ...auth(token), 'content-type': 'text/csv' }, payload: body });
  let ids: Record<string, number> | undefined;
  const setUp = async () => {
    if (ids) return ids;
    for (const [tenantId, workloads] of [['rv-alder', ['teams', 'intune']], ['rv-birch', ['teams']]] as const) {
      const res = await api.app.inject({ method: 'POST', url: '/api/customers', headers: auth(api.world.tokens.northManager), payload: { tenantId, name: tenantId, workloads } });
      expect(res.statusCode, res.body).toBe(201);
    }
    const list = await api.app.inject({ url: '/api/entitlements?pageSize=500', headers: auth(api.world.tokens.admin) });
    ids = Object.fromEntries((list.json().items as { id: number; tenantId: string; workload: string }[]).map((e) => [`${e.tenantId}/${e.workload}`, e.id]));
    return ids;
  };
  const owners = async () => {
    const list = await api.app.inject({ url: '/api/entitlements?pageSize=500&sort=id', headers: auth(api.world.tokens.admin) });
    return (list.json().items as { tenantId: string; workload: string; owner: string | null }[]).map((e) => `${e.tenantId}/${e.workload}:${e.owner ?? ''}`);
  };
  const rowErrors = (body: string) => (JSON.parse(body).error.details.rows as { line: number; errors: { field: string; message: string }[] }[]);

  it('says what the id names and what the row names, and how to import another database\'s file', async () => {
    const id = await setUp();
    const res = await importCsv([
      'id,tenant_id,customer,workload,owner',
      `${id['rv-alder/teams']},rv-birch,,teams,Maya`, // another entitlement
      `${id['rv-alder/intune']},rv-new,New Co,intune,Maya`, // a row that would create one
      '999999,rv-alder,,intune,Maya', // no such entitlement
    ].join('\r\n'));
    expect(res.statusCode, res.body).toBe(422);
    const messages = rowErrors(res.body).map((r) => r.errors.map((e) => `${e.field}: ${e.message}`));
    expect(messages).toEqual([
      [`id: names entitlement ${id['rv-alder/teams']} (tenant "rv-alder", workload teams), but this row names tenant "rv-birch", workload teams, which is entitlement ${id['rv-birch/teams']}; ${HINT}`],
      [`id: names entitlement ${id['rv-alder/intune']} (tenant "rv-alder", workload intune), but this row names tenant "rv-new", workload intune, which has no entitlement yet (the row would create one); ${HINT}`],
      [`id: names entitlement 999999, which does not exist among your partner's entitlements, but this row names tenant "rv-alder", workload intune, which is entitlement ${id['rv-alder/intune']}; ${HINT}`],
    ]);
    for (const row of messages) expect(row[0]).not.toMatch(/\bmove/);
  });

  it('imports another database\'s export with ignoreIds=true, by tenant_id, workload and part alone', async () => {
    const id = await setUp();
    const before = await owners();
    // Ids as another database numbers them: one names an unrelated entitlement here, one nothing.
    const file = ['id,tenant_id,customer,workload,owner', `${id['rv-birch/teams']},rv-alder,,teams,Ines`, '888888,rv-birch,,teams,Olaf', 'not-an-id,rv-fresh,Fresh Co,teams,Ana'].join('\r\n');
    const refused = await importCsv(file);
    expect(refused.statusCode, refused.body).toBe(422);
    expect(rowErrors(refused.body).map((r) => r.line)).toEqual([2, 3, 4]);
    expect(await owners()).toEqual(before);

    const checked = await importCsv(file, '&ignoreIds=true&dryRun=true');
    expect(checked.statusCode, checked.body).toBe(200);
    expect(checked.json()).toMatchObject({ dryRun: true, entitlementsUpdated: 2, entitlementsCreated: 1 });
    expect(await owners()).toEqual(before);

    const res = await importCsv(file, '&ignoreIds=TRUE');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ entitlementsUpdated: 2, entitlementsCreated: 1, customersCreated: 1 });
    expect(await owners()).toEqual(expect.arrayContaining(['rv-alder/teams:Ines', 'rv-birch/teams:Olaf', 'rv-fresh/teams:Ana']));
    // ignoreIds=false checks them, as no flag does.
    const checking = await importCsv(file, '&ignoreIds=false&dryRun=true');
    expect(checking.statusCode, checking.body).toBe(422);
  });

  it('refuses ignoreIds without a value or with another one, as the other flags', async () => {
    const file = 'tenant_id,workload,owner\r\nrv-alder,teams,Quinn\r\n';
    for (const [query, message] of [
      ['&ignoreIds', 'is given without a value; write ignoreIds=true or ignoreIds=false'],
      ['&ignoreIds=yes', 'must be one of true or false'],
    ] as const) {
      const res = await importCsv(file, query);
      expect(res.statusCode, `${query} ${res.body}`).toBe(400);
      expect(res.json().error.details).toEqual([{ where: 'querystring', path: '/ignoreIds', message }]);
    }
    const misspelt = await importCsv(file, '&ignoreids=true');
    expect(misspelt.statusCode, misspelt.body).toBe(400);
    expect(misspelt.json().error.details[0]).toMatchObject({ path: '/ignoreids', suggestion: 'ignoreIds' });
  });

  it('refuses an id above the bound as no entitlement id, quoting the cell as written and cut short', async () => {
    await setUp();
    const digits = '9'.repeat(400);
    const text = 'x'.repeat(300);
    const res = await importCsv(['id,tenant_id,workload,owner', '99999999999999999999,rv-alder,teams,Maya', `${digits},rv-alder,intune,Maya`, `${text},rv-birch,teams,Maya`, '0,rv-birch,intune,Maya'].join('\r\n'), '', api.world.tokens.admin);
    expect(res.statusCode, res.body).toBe(422);
    const errors = rowErrors(res.body).map((r) => r.errors);
    const shape = (got: string) => `must be an entitlement id: a whole number from 1 to 2147483647, as the export writes it, got "${got}"`;
    expect(errors).toEqual([
      [{ field: 'id', message: shape('99999999999999999999') }],
      [{ field: 'id', message: shape(`${'9'.repeat(40)}…`) }],
      [{ field: 'id', message: shape(`${'x'.repeat(40)}…`) }],
      [{ field: 'id', message: shape('0') }],
    ]);
    expect(JSON.stringify(errors)).not.toMatch(/Infinity|e\+/);
  });

  it('quotes a long version, date or managed cell cut short too', async () => {
    await setUp();
    const long = 'y'.repeat(300);
    const res = await importCsv(['tenant_id,workload,owner,version,target_date,managed', `rv-alder,teams,Maya,${long},${long},${long}`].join('\r\n'), '', api.world.tokens.admin);
    expect(res.statusCode, res.body).toBe(422);
    const messages = rowErrors(res.body).flatMap((r) => r.errors.map((e) => e.message));
    expect(messages.length, res.body).toBeGreaterThanOrEqual(3);
    for (const message of messages.filter((m) => m.includes('got "'))) expect(message, message).toContain(`got "${'y'.repeat(40)}…"`);
    expect(res.body).not.toContain('y'.repeat(41));
  });

  it('leaves the version column unread too with ignoreIds=true: it counts the other database\'s changes', async () => {
    const created = await api.app.inject({ method: 'POST', url: '/api/customers', headers: auth(api.world.tokens.northManager), payload: { tenantId: 'rv-cedar', name: 'rv-cedar', workloads: ['teams'] } });
    expect(created.statusCode, created.body).toBe(201);
    // Here the entitlement is at version 2; in the database the file comes from, at 3 (and its id is another).
    const first = await importCsv('tenant_id,workload,owner\r\nrv-cedar,teams,Noor\r\n');
    expect(first.statusCode, first.body).toBe(200);
    const file = ['id,version,tenant_id,workload,owner', '777777,3,rv-cedar,teams,Ines', '777778,x,rv-cedar-new,teams,Olaf'].join('\r\n').replace('rv-cedar-new,teams', 'rv-cedar,intune');
    const checked = await importCsv(file);
    expect(checked.statusCode, checked.body).toBe(422);
    expect(rowErrors(checked.body).map((r) => r.line)).toEqual([2, 3]);

    const res = await importCsv(file, '&ignoreIds=true');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ entitlementsUpdated: 1, entitlementsCreated: 1 });
    expect(await owners()).toEqual(expect.arrayContaining(['rv-cedar/teams:Ines', 'rv-cedar/intune:Olaf']));
    // Without an id column, a stale version is refused as before: the file is this database's.
    const stale = await importCsv('version,tenant_id,workload,owner\r\n2,rv-cedar,teams,Maya\r\n');
    expect(stale.statusCode, stale.body).toBe(422);
    expect(rowErrors(stale.body)[0]!.errors[0]!.message).toMatch(/^entitlement changed since version 2 \(now 3\)/);
  });
});
