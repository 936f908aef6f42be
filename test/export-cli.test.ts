/**
 * `unblock export`: the API's CSV export (GET /api/export/entitlements.csv) from the command line, byte
 * for byte, with the list's filters, as the system or as one user (--as), to stdout or --output, and
 * read back by `unblock import -` without a change.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ADMIN_EMAIL, createServices, seedDemoData } from '../src/app/index.js';
import { loadConfig } from '../src/config/index.js';
import type { EXPORT_COLUMNS } from '../src/http/csv.js';
import { buildApp } from '../src/http/index.js';
import { SYSTEM_ACTOR, createToken, findUserByEmail } from '../src/tracker/index.js';
import { runUnblock, type CliResult } from './cli-process.js';

const work = mkdtempSync(join(tmpdir(), 'unblock-export-'));
const env: Record<string, string | undefined> = { ...process.env, DATA_DIR: join(work, 'data'), DATABASE_URL: '', SQLITE_FILE: '', PLAYBOOK_DIR: '', LOG_LEVEL: 'silent', UNBLOCK_DEBUG: '', NO_COLOR: '1' };

function cli(args: string[], input?: string, extraEnv: Record<string, string> = {}): Promise<CliResult> {
  return runUnblock(args, { cwd: work, timeout: 120_000, env: { ...env, ...extraEnv }, ...(input === undefined ? {} : { input }) });
}
const exportCli = (args: string[]) => cli(['export', ...args]);

type Services = Awaited<ReturnType<typeof createServices>>;
async function withServices<T>(work: (services: Services) => Promise<T>): Promise<T> {
  const services = await createServices(loadConfig(env), { classifier: false });
  try {
    return await work(services);
  } finally {
    await services.close();
  }
}

const tokens: Record<string, string> = {};

/** The API's export body for `query`, read with the token of `email`. */
function apiExport(query: string, email = DEMO_ADMIN_EMAIL): Promise<string> {
  return withServices(async (services) => {
    const app = await buildApp(services, { webDir: null });
    try {
      const res = await app.inject({ url: `/api/export/entitlements.csv${query}`, headers: { authorization: `Bearer ${tokens[email]}` } });
      expect(res.statusCode, res.body).toBe(200);
      return res.body;
    } finally {
      await app.close();
    }
  });
}

type Row = Record<(typeof EXPORT_COLUMNS)[number], string>;
const rowsOf = (csv: string) => parse(csv, { bom: true, columns: true }) as Row[];
const historyCount = () => withServices(async (s) => Number((await s.db.kysely.selectFrom('status_history').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n));
let harborId = 0;
let total = 0;

beforeAll(async () => {
  await withServices(async (services) => {
    expect((await seedDemoData(services, { customersPerPartner: 5 })).state).toBe('seeded');
    for (const email of [DEMO_ADMIN_EMAIL, 'editor@harbor.example']) {
      const user = await findUserByEmail(services.tracker, SYSTEM_ACTOR, email);
      tokens[email] = (await createToken(services.tracker, SYSTEM_ACTOR, { name: 'export-test', userId: user!.id })).token;
    }
    harborId = (await services.db.kysely.selectFrom('partners').select('id').where('name', '=', 'Harbor Cloud Partners').executeTakeFirstOrThrow()).id;
    total = Number((await services.db.kysely.selectFrom('entitlements').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    // Text a spreadsheet would run as a formula, which the export quotes and the import unquotes.
    const e = await services.db.kysely.selectFrom('entitlements').select('id').where('partner_id', '=', harborId).orderBy('id').executeTakeFirstOrThrow();
    const app = await buildApp(services, { webDir: null });
    try {
      const auth = { authorization: `Bearer ${tokens[DEMO_ADMIN_EMAIL]}` };
      const current = (await app.inject({ url: `/api/entitlements/${e.id}`, headers: auth })).json() as { version: number };
      const res = await app.inject({ method: 'PUT', url: `/api/entitlements/${e.id}/status`, headers: auth, payload: { version: current.version, owner: '=Maya', nextAction: '+call the vendor on Monday' } });
      expect(res.statusCode, res.body).toBe(200);
    } finally {
      await app.close();
    }
  });
}, 180_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

// The exports only read the seeded database; the import test, which writes, runs on its own.
describe('unblock export', () => {
  it('writes the API export byte for byte: byte order mark, columns, formula-safe cells, every entitlement', async () => {
    const out = await exportCli([]);
    expect(out.stderr).toBe('');
    expect(out.status).toBe(0);
    expect(out.stdout).toBe(await apiExport(''));
    expect(out.stdout.startsWith('\uFEFFid,tenant_id,customer,partner_id,workload,workload_name,part,code,l1,l2,l3,note,')).toBe(true);
    const rows = rowsOf(out.stdout);
    expect(rows).toHaveLength(total);
    expect(rows.map((r) => Number(r.id))).toEqual([...rows.map((r) => Number(r.id))].sort((a, b) => a - b));
    expect(rows.find((r) => r.owner === "'=Maya")?.next_action).toBe("'+call the vendor on Monday");
  });

  it('takes the list filters and order, giving what the API gives for them', async () => {
    const [out, byPartner, byCode] = await Promise.all([
      exportCli(['--workload', 'Exchange Online', '--l1', 'in progress', '--sort', 'customer', '--order', 'desc', '--min-days', '0']),
      exportCli(['--partner', 'harbor cloud partners', '--owner', 'maya lindqvist']),
      exportCli(['--code', 'in-progress/migration', '--max-days', '100000']),
    ]);
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout).toBe(await apiExport('?workload=exchange-online&l1=In%20Progress&sort=customer&order=desc&minDays=0'));
    const rows = rowsOf(out.stdout);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(total);
    for (const row of rows) expect([row.workload, row.l1]).toEqual(['exchange-online', 'In Progress']);
    // Not in id order: --sort reached the query (the API's file, sorted by customer, is the same).
    expect(rows.map((r) => Number(r.id))).not.toEqual([...rows.map((r) => Number(r.id))].sort((a, b) => a - b));

    expect(byPartner.status, byPartner.stderr).toBe(0);
    const partnerRows = rowsOf(byPartner.stdout);
    expect(partnerRows.length).toBeGreaterThan(0);
    for (const row of partnerRows) expect([row.partner_id, row.owner]).toEqual([String(harborId), 'Maya Lindqvist']);
    expect(byPartner.stdout).toBe(await apiExport(`?partnerId=${harborId}&owner=maya%20lindqvist`));

    const tenant = partnerRows[0]!.tenant_id;
    const searched = await exportCli(['--q', tenant]);
    expect(searched.status, searched.stderr).toBe(0);
    expect(new Set(rowsOf(searched.stdout).map((r) => r.tenant_id))).toEqual(new Set([tenant]));
    expect(searched.stdout).toBe(await apiExport(`?q=${encodeURIComponent(tenant)}`));

    expect(byCode.status, byCode.stderr).toBe(0);
    expect(new Set(rowsOf(byCode.stdout).map((r) => r.code))).toEqual(new Set(['in-progress/migration']));
    expect(byCode.stdout).toBe(await apiExport('?code=in-progress/migration&maxDays=100000'));
  });

  it('--as exports what that user sees: their partner only, as their API export does', async () => {
    const [out, other, nobody] = await Promise.all([
      exportCli(['--as', 'editor@harbor.example', '--sort', 'owner']),
      exportCli(['--as', 'editor@harbor.example', '--partner', 'Meridian IT Services']),
      exportCli(['--as', 'nobody@harbor.example']),
    ]);
    expect(out.status, out.stderr).toBe(0);
    const rows = rowsOf(out.stdout);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(total);
    expect(new Set(rows.map((r) => r.partner_id))).toEqual(new Set([String(harborId)]));
    expect(out.stdout).toBe(await apiExport('?sort=owner', 'editor@harbor.example'));

    expect(other.status).toBe(2);
    expect(other.stderr).toMatch(/--partner: editor@harbor\.example sees only .*own partner/);
    expect(other.stdout).toBe('');
    expect(nobody.status).toBe(2);
    expect(nobody.stderr).toContain('--as: no user with the email "nobody@harbor.example"');
  });

  it('--output writes the same file, replacing an existing one', async () => {
    const file = join(work, 'entitlements.csv');
    writeFileSync(file, 'old content\n');
    const [out, stdout, missingFolder] = await Promise.all([
      exportCli(['--output', file, '--workload', 'teams']),
      exportCli(['--workload', 'teams']),
      exportCli(['--output', join(work, 'no-such-folder', 'x.csv')]),
    ]);
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout).toBe('');
    expect(readFileSync(file, 'utf8')).toBe(stdout.stdout);
    expect(missingFolder.status).toBe(2);
    expect(missingFolder.stderr).toMatch(/--output: the folder .* does not exist/);
    expect(existsSync(join(work, 'no-such-folder'))).toBe(false);
  });

  it.sequential('is read back by `unblock import -` with every row unchanged', async () => {
    const before = await historyCount();
    const exported = await exportCli([]);
    expect(exported.status).toBe(0);
    const imported = await cli(['import', '-', '--no-advise', '--json'], exported.stdout);
    expect(imported.status, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ rows: total, customersCreated: 0, entitlementsCreated: 0, entitlementsUpdated: 0, unchanged: total });
    expect(await historyCount()).toBe(before);
    expect((await exportCli([])).stdout).toBe(exported.stdout);
  }, 120_000);

  it('refuses bad values with exit 2 and says what there is', async () => {
    const workload = await exportCli(['--workload', 'exchange-offline']);
    expect(workload.status).toBe(2);
    expect(workload.stderr).toMatch(/--workload: no workload "exchange-offline"\. Choose one of: .*exchange-online/);
    expect(workload.stdout).toBe('');
    const cases: [string[], RegExp][] = [
      [['--l1', 'Sideways'], /--l1: "Sideways" is not an L1 of the playbook\. Choose one of: .*In Progress/],
      [['--l1', 'Blocked', '--l2', 'Migration'], /--l2: "Migration" is not an L2 under Blocked\./],
      [['--code', 'blocked/nothing'], /--code: "blocked\/nothing" is not a code of the playbook/],
      [['--partner', 'Nobody Ltd'], /--partner: no partner with name "Nobody Ltd"\. Partners: .*Harbor Cloud Partners/],
      [['--sort', 'colour'], /--sort must be one of id, customer, /],
      [['--order', 'up'], /--order must be asc or desc/],
      [['--min-days', '-3'], /--min-days must be a whole number of days from 0 to 100000/],
      [['--max-days', 'soon'], /--max-days must be a whole number/],
      [['--min-days', '30', '--max-days', '10'], /^unblock: --min-days 30 is above --max-days 10: .* \[BAD_ARGUMENTS\]\n$/],
      [['--q', 'x'.repeat(201)], /--q is at most 200 characters/],
      [['--colour', 'red'], /Unknown option "--colour"/],
    ];
    const results = await Promise.all(cases.map(([args]) => exportCli(args)));
    for (const [i, [args, message]] of cases.entries()) {
      const r = results[i]!;
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stdout, args.join(' ')).toBe('');
    }
  });

  it('exits 2 naming the file when there is no database, and creates none', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'unblock-export-none-'));
    try {
      const r = await cli(['export'], undefined, { DATA_DIR: empty });
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(`No database at ${join(empty, 'unblock.db')}`);
      expect(existsSync(join(empty, 'unblock.db'))).toBe(false);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
