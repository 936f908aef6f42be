import { parse } from 'csv-parse/sync';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/index.js';
import { neutralizeFormula, restoreFormula } from '../../src/http/csv.js';
import { createTestWorld, ENGINES, type TestWorld } from '../factories.js';

describe('formula-safe CSV cells', () => {
  it.each([
    ['=HYPERLINK("http://evil","x")', '\'=HYPERLINK("http://evil","x")'],
    ['+1 555 0100', "'+1 555 0100"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tindented', "'\tindented"],
    ['\rreturn', "'\rreturn"],
    ["'=already quoted by hand", "''=already quoted by hand"],
    ["''+twice", "'''+twice"],
    ["'quoted text", "'quoted text"],
    ['plain = text', 'plain = text'],
    ['', ''],
  ])('%j exports as %j and reads back unchanged', (cell, exported) => {
    expect(neutralizeFormula(cell)).toBe(exported);
    expect(restoreFormula(exported)).toBe(cell);
  });

  it('reads a cell a person wrote as they wrote it unless it looks quoted by the export', () => {
    expect(restoreFormula('=1+1')).toBe('=1+1');
    expect(restoreFormula("'=1+1")).toBe('=1+1');
    expect(restoreFormula("'plain")).toBe("'plain");
  });
});

describe.each(ENGINES)('CSV export order and formula safety on %s', (engine) => {
  let world: TestWorld;
  let app: FastifyInstance;
  const headers = () => ({ authorization: `Bearer ${world.tokens.northManager}` });
  const rowsOf = (csv: string) => parse(csv, { bom: true, columns: true }) as Record<string, string>[];

  beforeAll(async () => {
    world = await createTestWorld(engine);
    app = await buildApp(world.services, { webDir: null });
    // Created in an order that is neither name order nor its reverse.
    for (const [tenantId, name, workloads] of [
      ['t-b', 'Birch Health', ['teams', 'intune']],
      ['-t-c', '=HYPERLINK("http://evil.example","Cedar")', ['teams']],
      ['t-a', 'Alder Foods', ['exchange-online', 'teams']],
    ] as const) {
      const res = await app.inject({ method: 'POST', url: '/api/customers', headers: headers(), payload: { tenantId, name, workloads } });
      expect(res.statusCode).toBe(201);
    }
    const items = (await app.inject({ url: '/api/entitlements?workload=teams&sort=id', headers: headers() })).json().items as { id: number; version: number }[];
    const changes = [
      { note: '=cmd|\' /C calc\'!A0 migrating the pilot group first.', owner: '+Maya', nextAction: '@SUM(1+1) call the vendor', businessReason: '-10% licence cost' },
      { note: "'=already quoted by its writer, moving the chat history.", owner: 'Tom', nextAction: null, businessReason: null },
      { note: 'Moving chat history in three waves, pilot first.', owner: 'Ana', nextAction: '-plan the waves', businessReason: null },
    ];
    for (const [i, item] of items.entries()) {
      const res = await app.inject({ method: 'PUT', url: `/api/entitlements/${item.id}/status`, headers: headers(), payload: { version: item.version, code: 'in-progress/migration', targetDate: '2026-06-30', ...changes[i] } });
      expect(res.statusCode).toBe(200);
    }
  });
  afterAll(async () => {
    await app?.close();
    await world?.services.close();
  });

  it('exports in the order the list shows, for every sort and direction', async () => {
    const cases = ['sort=customer&order=asc', 'sort=customer&order=desc', 'sort=owner&order=desc', 'sort=workload', 'order=desc', 'l1=In%20Progress&sort=customer&order=desc', 'q=chat&sort=customer&order=desc', 'q=chat&order=desc'];
    for (const query of cases) {
      const list = (await app.inject({ url: `/api/entitlements?${query}&pageSize=500`, headers: headers() })).json().items.map((e: { id: number }) => String(e.id));
      const csv = await app.inject({ url: `/api/export/entitlements.csv?${query}`, headers: headers() });
      expect(csv.statusCode, query).toBe(200);
      expect(rowsOf(csv.body).map((r) => r.id), query).toEqual(list);
    }
    const byName = rowsOf((await app.inject({ url: '/api/export/entitlements.csv?sort=customer&order=asc', headers: headers() })).body);
    expect([...new Set(byName.map((r) => r.tenant_id))]).toEqual(["'-t-c", 't-a', 't-b']);
    expect((await app.inject({ url: '/api/export/entitlements.csv?sort=colour', headers: headers() })).json().error.code).toBe('VALIDATION_FAILED');
  });

  it('quotes formula-like text cells and imports the export back unchanged', async () => {
    const exported = await app.inject({ url: '/api/export/entitlements.csv?sort=id', headers: headers() });
    const rows = rowsOf(exported.body);
    const cedar = rows.find((r) => r.tenant_id === "'-t-c")!;
    expect(cedar.customer).toBe('\'=HYPERLINK("http://evil.example","Cedar")');
    const first = rows.find((r) => r.owner === "'+Maya")!;
    expect(first.note).toBe("'=cmd|' /C calc'!A0 migrating the pilot group first.");
    expect(first.next_action).toBe("'@SUM(1+1) call the vendor");
    expect(first.business_reason).toBe("'-10% licence cost");
    expect(rows.find((r) => r.owner === 'Tom')!.note).toBe("''=already quoted by its writer, moving the chat history.");
    expect(rows.find((r) => r.owner === 'Ana')!.next_action).toBe("'-plan the waves");
    // No cell of the file starts a formula.
    for (const row of rows) for (const cell of Object.values(row)) expect(cell, cell).not.toMatch(/^[=+\-@\t\r]/);

    const before = (await app.inject({ url: '/api/entitlements?sort=id&pageSize=500', headers: headers() })).json().items;
    const again = await app.inject({ method: 'POST', url: '/api/import/entitlements', headers: { ...headers(), 'content-type': 'text/csv' }, payload: exported.body });
    expect(again.json()).toEqual({ rows: 5, customersCreated: 0, entitlementsCreated: 0, entitlementsUpdated: 0, unchanged: 5, warnings: [], warningCount: 0, dryRun: false });
    const after = (await app.inject({ url: '/api/entitlements?sort=id&pageSize=500', headers: headers() })).json().items;
    expect(after).toEqual(before);
    expect(after.map((e: { owner: string | null }) => e.owner)).toContain('+Maya');
  });
});
