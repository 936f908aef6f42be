import { gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/index.js';
import { importConflictDetails } from '../../src/http/schemas/index.js';
import { SYSTEM_ACTOR, createToken, createUser } from '../../src/tracker/index.js';
import { createTestWorld, ENGINES, type TestWorld } from '../factories.js';

const HEADER = 'tenant_id,customer,workload,part,code,note,target_date,projected_unblock_date,owner';
const GOOD = [
  HEADER,
  't-100,Alder Foods,teams,,in-progress/migration,Moving chat history from the old server in three waves.,2026-06-30,,Maya',
  't-100,Alder Foods,intune,,blocked/app-compatibility,"Their label printer app has no certified build for managed devices, vendor fix due April.",,2026-04-20,Maya',
  't-101,Birch Health,exchange-online,EMEA,,,,,Tom',
].join('\n');

describe.each(ENGINES)('CSV import and export on %s', (engine) => {
  let world: TestWorld;
  let app: FastifyInstance;
  const csv = (token: string, body: string | Buffer, query = '') =>
    app.inject({ method: 'POST', url: `/api/import/entitlements${query}`, headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' }, payload: body });
  const count = async (table: 'customers' | 'entitlements' | 'status_history') => (await world.services.db.kysely.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;

  beforeAll(async () => {
    world = await createTestWorld(engine);
    app = await buildApp(world.services, { webDir: null });
  });
  afterAll(async () => {
    await app?.close();
    await world?.services.close();
  });

  it('imports new customers and statuses, then reports every bad row and writes nothing', async () => {
    const ok = await csv(world.tokens.northManager, GOOD);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ rows: 3, customersCreated: 2, entitlementsCreated: 3, entitlementsUpdated: 0, unchanged: 0, warnings: [], warningCount: 0, dryRun: false });
    const list = (await app.inject({ url: '/api/entitlements?sort=workload', headers: { authorization: `Bearer ${world.tokens.northViewer}` } })).json();
    expect(list.items.map((e: { workload: string; part: string; code: string }) => `${e.workload}/${e.part}:${e.code}`)).toEqual([
      'exchange-online/EMEA:status-unknown/new-subscription-or-workload',
      'intune/:blocked/app-compatibility',
      'teams/:in-progress/migration',
    ]);
    const history = (await app.inject({ url: `/api/entitlements/${list.items[1].id}/history`, headers: { authorization: `Bearer ${world.tokens.northViewer}` } })).json();
    expect(history.items.map((h: { kind: string }) => h.kind)).toEqual(['create', 'import']);

    const before = [await count('customers'), await count('entitlements'), await count('status_history')];
    const bad = [
      HEADER,
      't-100,Alder Foods,teams,,blocked/legal-regulatory,Too short,,2026-01-01,',
      't-200,New Co,yammer,,in-progress/migration,Rolling out communities now to every team.,2026-07-01,,',
      't-100,Alder Foods,flying-cars,,,,,,',
      't-100,Alder Foods,intune,,blocked/nope,,,,',
      't-100,Alder Foods,teams,,in-progress/migration,ok,2026-13-40,,',
      't-100,Alder Foods,teams,,in-progress/migration,ok,2026-08-01,,',
      't-101,Birch Health,exchange-online,EMEA,,,,,Tom',
    ].join('\n');
    const res = await csv(world.tokens.northManager, bad);
    expect(res.statusCode).toBe(422);
    const body = res.json().error;
    expect(body.code).toBe('CSV_INVALID');
    expect(body.details.rows.map((r: { line: number }) => r.line)).toEqual([2, 4, 5, 6, 7]);
    // Columns by their CSV names, also where a status rule finds the problem.
    expect(body.details.rows[0].errors.map((e: { field: string }) => e.field).sort()).toEqual(['note', 'projected_unblock_date']);
    expect(body.details.rows.flatMap((r: { errors: { field: string }[] }) => r.errors.map((e) => e.field)).every((f: string) => HEADER.split(',').includes(f))).toBe(true);
    expect([await count('customers'), await count('entitlements'), await count('status_history')]).toEqual(before);
  });

  it('keeps partners apart and needs a manager to create', async () => {
    // Another partner's tenant: to an editor, like any tenant they do not have; nothing names the partner.
    const foreign = await csv(world.tokens.southEditor, `${HEADER}\nt-100,Alder Foods,teams,,,,,,Bob`);
    const nowhere = await csv(world.tokens.southEditor, `${HEADER}\nt-999,Alder Foods,teams,,,,,,Bob`);
    expect(foreign.json().error.details.rows[0].errors).toEqual(JSON.parse(JSON.stringify(nowhere.json().error.details.rows[0].errors).replaceAll('t-999', 't-100')));
    expect(JSON.stringify(foreign.json())).not.toMatch(/partner|North/i);
    // To a manager, as creating the customer over the JSON API answers: the same words and code, whoever has it.
    const south = world.services.tracker;
    const southManager = await createUser(south, SYSTEM_ACTOR, { email: 'manager@south.test', name: 'South Manager', role: 'manager', partnerId: world.partners.south });
    const southToken = (await createToken(south, SYSTEM_ACTOR, { name: 'test', userId: southManager.id })).token;
    const created = await app.inject({ method: 'POST', url: '/api/customers', headers: { authorization: `Bearer ${southToken}` }, payload: { tenantId: 't-100', name: 'Alder Foods' } });
    expect([created.statusCode, created.json().error.code]).toEqual([409, 'CONFLICT']);
    const imported = await csv(southToken, `${HEADER}\nt-100,Alder Foods,teams,,,,,,Bob`);
    expect([imported.statusCode, imported.json().error.code]).toEqual([422, 'CSV_INVALID']);
    expect(imported.json().error.details.rows[0].errors).toEqual([{ field: 'tenant_id', code: 'CONFLICT', message: created.json().error.message }]);
    expect(JSON.stringify(imported.json())).not.toMatch(/partner\b(?! *s)|North/i);
    const editor = await csv(world.tokens.northEditor, `${HEADER}\nt-300,Cobalt,teams,,,,,,`);
    expect(editor.json().error.details.rows[0].errors[0].message).toMatch(/manager/);
    const viewer = await csv(world.tokens.northViewer, `${HEADER}\nt-100,Alder Foods,teams,,,,,,`);
    expect(viewer.statusCode).toBe(403);
  });

  it('rejects unreadable files with CSV_INVALID, other media types with 415, and huge files with 413', async () => {
    const latin1 = Buffer.from(`${HEADER}\nt-100,Caf\u00e9 M\u00fcller,teams,,,,,,\n`, 'latin1');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(GOOD, 'utf16le')]);
    const cases: [string | Buffer, RegExp][] = [
      [latin1, /not valid UTF-8/],
      [utf16, /UTF-16/],
      [`${HEADER}\nt-100,"Alder Foods,teams,,,,,,`, /cannot be read \(line 2\): a cell opens with a double quote that is never closed/],
      // JSON sent as the CSV body is named as JSON, not as a quote in the wrong place.
      ['{"rows": [{"tenant_id": "t-100"}]}', /holds JSON, not CSV/],
      ['tenant_id,workload,colour\nt-100,teams,blue', /Unknown column/],
      ['', /empty/],
      [`${HEADER}\nt-100,Alder Foods,teams`, /wrong number of cells/],
    ];
    for (const [payload, message] of cases) {
      const res = await csv(world.tokens.northManager, payload);
      expect([res.statusCode, res.json().error.code], String(message)).toEqual([422, 'CSV_INVALID']);
      expect(res.json().error.message).toMatch(message);
    }
    const json = await app.inject({ method: 'POST', url: '/api/import/entitlements', headers: { authorization: `Bearer ${world.tokens.northManager}` }, payload: { rows: [] } });
    expect([json.statusCode, json.json().error.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    // A compressed file is named as such, not read as CSV whose "columns" are unknown.
    const gzipped = await app.inject({
      method: 'POST', url: '/api/import/entitlements', headers: { authorization: `Bearer ${world.tokens.northManager}`, 'content-type': 'text/csv', 'content-encoding': 'gzip' },
      payload: gzipSync(Buffer.from(GOOD)),
    });
    expect([gzipped.statusCode, gzipped.json().error.code, gzipped.json().error.details]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE', { contentEncoding: 'gzip' }]);
    // A .csv.gz or a workbook sent as it is (a browser sets no Content-Encoding) is named for what it is, not "not UTF-8".
    for (const [payload, kind] of [[gzipSync(Buffer.from(GOOD)), /gzip/], [Buffer.from('PK\u0003\u0004xl/workbook.xml'), /ZIP archive.*xlsx/]] as const) {
      const res = await csv(world.tokens.northManager, payload);
      expect([res.statusCode, res.json().error.code]).toEqual([422, 'CSV_INVALID']);
      expect(res.json().error.message).toMatch(kind);
    }
    const small = await createTestWorld(engine);
    const tinyApp = await buildApp({ ...small.services, config: { ...(await import('../../src/config/index.js')).loadConfig({}), importLimitBytes: 200 } }, { webDir: null });
    try {
      const big = await tinyApp.inject({ method: 'POST', url: '/api/import/entitlements', headers: { authorization: `Bearer ${small.tokens.northManager}`, 'content-type': 'text/csv' }, payload: `${GOOD}\n${GOOD.split('\n').slice(1).join('\n').replace(/t-10/g, 't-90')}` });
      expect([big.statusCode, big.json().error.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    } finally {
      await tinyApp.close();
      await small.services.close();
    }
  });

  it('exports any filtered list as CSV that imports back unchanged', async () => {
    const auth = { authorization: `Bearer ${world.tokens.northManager}` };
    const all = await app.inject({ url: '/api/export/entitlements.csv', headers: auth });
    expect(all.headers['content-type']).toMatch(/text\/csv/);
    const lines = all.body.trim().split('\n');
    // A byte order mark first, so Excel reads the UTF-8; the import drops it again.
    expect(all.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(lines[0]).toMatch(/^\uFEFF?id,tenant_id,customer,/);
    expect(lines).toHaveLength(4);
    const blocked = await app.inject({ url: '/api/export/entitlements.csv?l1=Blocked', headers: auth });
    expect(blocked.body.trim().split('\n')).toHaveLength(2);
    const again = await csv(world.tokens.northManager, all.rawPayload);
    expect(again.json()).toEqual({ rows: 3, customersCreated: 0, entitlementsCreated: 0, entitlementsUpdated: 0, unchanged: 3, warnings: [], warningCount: 0, dryRun: false });
    const south = await app.inject({ url: '/api/export/entitlements.csv', headers: { authorization: `Bearer ${world.tokens.southEditor}` } });
    expect(south.body.trim().split('\n')).toHaveLength(1);
  });

  it('answers a dry run with what the import would do, the same warnings and errors, and writes nothing', async () => {
    const auth = { authorization: `Bearer ${world.tokens.northManager}` };
    const stored = (await app.inject({ url: '/api/export/entitlements.csv?sort=workload', headers: auth })).body;
    const file = [
      HEADER,
      // One update with a note that grades weak, one unchanged row, one new customer with two entitlements.
      't-100,Alder Foods,teams,,in-progress/migration,Waiting on them.,2026-06-30,,Maya',
      't-101,Birch Health,exchange-online,EMEA,,,,,Tom',
      't-300,Cedar Mills,teams,,,,,,Ana',
      't-300,Cedar Mills,intune,,,,,,Ana',
    ].join('\n');
    const before = [await count('customers'), await count('entitlements'), await count('status_history')];
    const dry = await csv(world.tokens.northManager, file, '?dryRun=true');
    expect(dry.statusCode).toBe(200);
    expect([await count('customers'), await count('entitlements'), await count('status_history')]).toEqual(before);
    expect((await app.inject({ url: '/api/export/entitlements.csv?sort=workload', headers: auth })).body).toBe(stored);
    const real = await csv(world.tokens.northManager, file);
    expect(real.statusCode).toBe(200);
    expect(dry.json()).toEqual({ ...real.json(), dryRun: true });
    expect(real.json()).toMatchObject({ customersCreated: 1, entitlementsCreated: 2, entitlementsUpdated: 1, unchanged: 1, dryRun: false });
    expect(real.json().warningCount).toBeGreaterThan(0);
    // A file the import refuses is refused the same way by a dry run.
    const bad = `${HEADER}\nt-100,Alder Foods,flying-cars,,,,,,`;
    const [dryBad, realBad] = [await csv(world.tokens.northManager, bad, '?dryRun=true'), await csv(world.tokens.northManager, bad)];
    expect([dryBad.statusCode, dryBad.json()]).toEqual([realBad.statusCode, realBad.json()]);
  });

  it('refuses control characters other than tab and line breaks, naming line and column, and writes nothing', async () => {
    const before = [await count('customers'), await count('entitlements'), await count('status_history')];
    const res = await csv(world.tokens.northManager, [
      HEADER,
      't-100,Alder Foods,teams,,in-progress/migration,"Waves one\tand two,\r\nthen three.",2026-06-30,,Maya',
      't-100,Alder Foods,intune,,,Bad \u0001 note,,,Tom',
      't-101,Birch Health,exchange-online,EMEA,,,,,Ring \u0007 bell',
    ].join('\n'));
    expect([res.statusCode, res.json().error.code]).toEqual([422, 'CSV_INVALID']);
    const error = res.json().error;
    // Line numbers count lines of the file: the quoted note of the first row spans two.
    expect(error.message).toMatch(/line 4, column note: contains the control character U\+0001/);
    expect(error.details.rows).toEqual([
      { line: 4, errors: [{ field: 'note', message: expect.stringMatching(/U\+0001/) }] },
      { line: 5, errors: [{ field: 'owner', message: expect.stringMatching(/U\+0007/) }] },
    ]);
    expect([await count('customers'), await count('entitlements'), await count('status_history')]).toEqual(before);
    const nul = await csv(world.tokens.northManager, `${HEADER}\nt-100,Alder Foods,teams,,,Bad \u0000 note,,,`);
    expect([nul.statusCode, nul.json().error.message]).toEqual([422, expect.stringMatching(/NUL/)]);
    // Tabs and line breaks are fine.
    const ok = await csv(world.tokens.northManager, `${HEADER}\nt-100,Alder Foods,teams,,in-progress/migration,"Waves one\tand two,\r\nthen three.",2026-06-30,,Maya`);
    expect(ok.statusCode).toBe(200);
  });

  it('trims owner, next action, business reason and l3 on import; all spaces means empty', async () => {
    const res = await csv(world.tokens.northManager, [
      'tenant_id,workload,owner,next_action,business_reason',
      't-100,teams,"  Maya Lindqvist ","\tChase the network team ","   "',
      't-100,intune,Maya Lindqvist,"   "," Renewal in May "',
    ].join('\n'));
    expect(res.statusCode).toBe(200);
    const items = (await app.inject({ url: '/api/entitlements?sort=workload', headers: { authorization: `Bearer ${world.tokens.northManager}` } })).json().items as { tenantId: string; workload: string; owner: string | null; nextAction: string | null; businessReason: string | null }[];
    const pick = (workload: string) => items.filter((e) => e.tenantId === 't-100' && e.workload === workload).map((e) => [e.owner, e.nextAction, e.businessReason]);
    expect(pick('teams')).toEqual([['Maya Lindqvist', 'Chase the network team', null]]);
    expect(pick('intune')).toEqual([['Maya Lindqvist', null, 'Renewal in May']]);
  });

  it('lists the note coach\'s warnings by line, and none with ?advise=false', async () => {
    const file = [
      'tenant_id,workload,note',
      't-100,teams,Waiting on them.',
      't-100,intune,"Their proxy strips the sign-in redirect, so enrolment stops at the first screen; vendor fix due April."',
    ].join('\n');
    const res = await csv(world.tokens.northManager, file);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    // Line 2: too short (the stand-in coach); line 3: reads as infrastructure, not App Compatibility.
    expect(body.warnings.map((w: { line: number; code: string }) => `${w.line}:${w.code}`)).toEqual(['2:WEAK_NOTE', '3:NOTE_READS_AS_OTHER_CODE']);
    expect(body.warningCount).toBe(2);
    const quiet = await csv(world.tokens.northManager, file.replace('Waiting on them.', 'Still waiting on them.'), '?advise=false');
    expect(quiet.json()).toMatchObject({ entitlementsUpdated: 1, warnings: [], warningCount: 0, dryRun: false });
  });

  it('answers 409 VERSION_CONFLICT naming the rows whose entitlements changed while importing, and writes nothing', async () => {
    const auth = { authorization: `Bearer ${world.tokens.northManager}` };
    const items = (await app.inject({ url: '/api/entitlements?sort=workload', headers: auth })).json().items as { id: number; tenantId: string; workload: string; version: number }[];
    const intune = items.find((e) => e.tenantId === 't-100' && e.workload === 'intune')!;
    const teams = items.find((e) => e.tenantId === 't-100' && e.workload === 'teams')!;
    // Someone else saves intune while the import grades its notes (after reading, before writing).
    const advisor = world.services.tracker.advisor;
    const adviseMany = advisor.adviseMany;
    let edited = false;
    advisor.adviseMany = async (notes) => {
      if (!edited) {
        edited = true;
        const other = await app.inject({ method: 'PUT', url: `/api/entitlements/${intune.id}/status`, headers: { authorization: `Bearer ${world.tokens.northEditor}` }, payload: { version: intune.version, owner: 'Someone Else' } });
        expect(other.statusCode).toBe(200);
      }
      return adviseMany!(notes);
    };
    const before = [Number(await count('entitlements')), Number(await count('status_history'))];
    try {
      const res = await csv(world.tokens.northManager, [
        'tenant_id,workload,note,version',
        `t-100,teams,Second wave of chat history moves this weekend.,${teams.version}`,
        `t-100,intune,"Vendor has sent a beta build of the printer app, testing starts Monday.",${intune.version}`,
      ].join('\n'));
      expect(res.statusCode).toBe(409);
      const error = res.json().error;
      expect(error.code).toBe('VERSION_CONFLICT');
      expect(error.message).toMatch(/^1 of 2 row\(s\).*line 3\b/);
      expect(importConflictDetails.parse(error.details)).toEqual(error.details);
      expect(error.details).toEqual({ rows: [{ line: 3, id: intune.id, fileVersion: intune.version, readVersion: intune.version, currentVersion: intune.version + 1 }], conflictingRows: 1, truncated: false });
    } finally {
      advisor.adviseMany = adviseMany;
    }
    expect(edited).toBe(true);
    // Only the other person's change was written.
    expect([Number(await count('entitlements')), Number(await count('status_history'))]).toEqual([before[0], before[1]! + 1]);
  });

  it('names each column in row errors as the file\'s header writes it', async () => {
    const made = await app.inject({ method: 'POST', url: '/api/customers', headers: { authorization: `Bearer ${world.tokens.northManager}` }, payload: { tenantId: 't-cols', name: 'Columns Co', workloads: ['teams', 'intune', 'exchange-online', 'onedrive'] } });
    expect(made.statusCode).toBe(201);
    const res = await csv(world.tokens.northManager, [
      'Tenant ID,Workload,L1,L2,Note,Projected Unblock Date,Target',
      't-cols,teams,Blocked,App Compatibility,Too short,,',
      't-cols,intune,In Progress,Flying,,,',
      't-cols,exchange-online,In Progress,Migration,,,',
      't-cols,onedrive,,,Bad \u0001 note,,',
    ].join('\n'));
    expect([res.statusCode, res.json().error.code]).toEqual([422, 'CSV_INVALID']);
    const error = res.json().error;
    expect(error.message).toMatch(/line 5, column Note:/);
    expect(error.details.rows).toEqual([{ line: 5, errors: [{ field: 'Note', message: expect.stringMatching(/U\+0001/) }] }]);

    const rules = await csv(world.tokens.northManager, [
      'Tenant ID,Workload,L1,L2,Note,Projected Unblock Date,Target',
      't-cols,teams,Blocked,App Compatibility,Too short,,',
      't-cols,intune,In Progress,Flying,,,',
      't-cols,exchange-online,In Progress,Migration,,,',
      't-cols,onedrive,In Progress,Migration,,,2020-01-01',
      'T-777,onedrive,,,,,',
    ].join('\n'));
    const fields = (rules.json().error.details.rows as { line: number; errors: { field: string }[] }[]).map((r) => [r.line, r.errors.map((e) => e.field).sort()]);
    expect(fields).toEqual([
      [2, ['Note', 'Projected Unblock Date']],
      [3, ['L2']],
      [4, ['Target']],
      [5, ['Target']],
      [6, ['customer']],
    ]);
    // The file has no code column, and a row without a status column names the one the status rules need.
    const noTarget = await csv(world.tokens.northManager, 'tenant_id,workload,code\nt-cols,teams,in-progress/migration\nt-cols,intune,in-progress/nowhere');
    expect((noTarget.json().error.details.rows as { errors: { field: string }[] }[]).map((r) => r.errors.map((e) => e.field))).toEqual([['target_date'], ['code']]);
  });

  it('says so when a file separates its cells with semicolons or tabs', async () => {
    for (const [separator, name] of [[';', 'semicolons'], ['\t', 'tabs']] as const) {
      const file = [['tenant_id', 'workload', 'owner', 'note'], ['t-cols', 'teams', 'Bo', 'Waiting on the network team']].map((r) => r.join(separator)).join('\n');
      const res = await csv(world.tokens.northManager, file);
      expect([res.statusCode, res.json().error.code]).toEqual([422, 'CSV_INVALID']);
      expect(res.json().error.message).toMatch(new RegExp(`uses ${name}.*save it as CSV with commas`, 'i'));
      expect(res.json().error.message).not.toMatch(/Unknown column/);
    }
    // Quoted header cells: the comma reader cannot read past the first quote, and still names the separator.
    const quoted = await csv(world.tokens.northManager, '"tenant_id";"workload";"owner"\r\n"t-cols";"teams";"Bo"');
    expect([quoted.statusCode, quoted.json().error.message]).toEqual([422, expect.stringMatching(/uses semicolons/)]);
    // A semicolon in an unknown column's name alone is still an unknown column.
    const odd = await csv(world.tokens.northManager, 'tenant_id,workload,colour;size\nt-cols,teams,blue');
    expect(odd.json().error.message).toMatch(/Unknown column\(s\): colour;size/);
    // A header of one cell holding semicolons is a semicolon file, whatever columns it names (QA: "Unknown column(s): text;id").
    for (const header of ['text;id', 'text;note', 'a;b;c']) {
      const one = await csv(world.tokens.northManager, `${header}\nx;1`);
      expect([one.statusCode, one.json().error.message]).toEqual([422, expect.stringMatching(/uses semicolons/)]);
      expect(one.json().error.details).toMatchObject({ separator: 'semicolons' });
    }
    const tabs = await csv(world.tokens.northManager, 'text\tid\nx\t1');
    expect(tabs.json().error.message).toMatch(/uses tabs/);
  });

  it('refuses an administrator\'s file that creates customers without a partner column once, for the file', async () => {
    const before = await count('customers');
    const res = await csv(world.tokens.admin, 'tenant_id,customer,workload\nt-nopartner-1,Elm,teams\nt-nopartner-2,Fir,teams');
    expect([res.statusCode, res.json().error.code]).toEqual([422, 'CSV_INVALID']);
    expect(res.json().error.message).toMatch(/needs a partner column/);
    expect(res.json().error.details).toEqual({ missingColumns: ['partner'] });
    // A blank partner cell in a file that has the column stays a row error.
    const blank = await csv(world.tokens.admin, 'tenant_id,customer,partner,workload\nt-nopartner-1,Elm,,teams');
    expect(blank.json().error.details.rows).toEqual([{ line: 2, errors: [{ field: 'partner', message: 'is required (admins import for any partner)' }] }]);
    expect(await count('customers')).toBe(before);
  });

  it('restores a Duplicate/Invalid customer by import only with ?restoreDuplicateInvalid=true', async () => {
    const auth = { authorization: `Bearer ${world.tokens.northManager}` };
    const made = await app.inject({ method: 'POST', url: '/api/customers', headers: auth, payload: { tenantId: 't-dup', name: 'Doubled Co', workloads: ['teams', 'intune'] } });
    expect((await app.inject({ method: 'POST', url: `/api/customers/${made.json().id}/duplicate-invalid`, headers: auth, payload: { note: 'Second record of tenant t-cols; remove.' } })).statusCode).toBe(200);
    const codes = async () => ((await app.inject({ url: `/api/entitlements?customerId=${made.json().id}&sort=id`, headers: auth })).json().items as { code: string }[]).map((e) => e.code);
    const file = 'tenant_id,workload,code\nt-dup,teams,status-unknown/customer-unresponsive\nt-dup,intune,status-unknown/customer-unresponsive';
    for (const query of ['', '?restoreDuplicateInvalid=false']) {
      const res = await csv(world.tokens.northManager, file, query);
      expect([res.statusCode, res.json().error.code]).toEqual([422, 'CSV_INVALID']);
      expect(res.json().error.message).toMatch(/restoreDuplicateInvalid=true/);
      expect(res.json().error.details.rows).toEqual([2, 3].map((line) => ({ line, errors: [{ field: 'code', code: 'RESTORE_NOT_CONFIRMED', message: expect.stringMatching(/tenant "t-dup"/) }] })));
      expect(await codes()).toEqual(['duplicate-invalid', 'duplicate-invalid']);
    }
    const ok = await csv(world.tokens.northManager, file, '?restoreDuplicateInvalid=true');
    expect(ok.statusCode).toBe(200);
    expect(await codes()).toEqual(['status-unknown/customer-unresponsive', 'status-unknown/customer-unresponsive']);
  });
});
