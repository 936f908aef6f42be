/**
 * `unblock import FILE`: the API's all-or-nothing CSV import from the command line, on the database
 * the server uses, as the system or as a user (--as), with --dry-run writing nothing.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, seedDemoData } from '../src/app/index.js';
import { loadConfig } from '../src/config/index.js';

const root = join(import.meta.dirname, '..');
const bin = join(root, 'bin', 'unblock.js');
const work = mkdtempSync(join(tmpdir(), 'unblock-import-'));
const env: Record<string, string | undefined> = { ...process.env, DATA_DIR: join(work, 'data'), DATABASE_URL: '', SQLITE_FILE: '', PLAYBOOK_DIR: '', LOG_LEVEL: 'silent', UNBLOCK_DEBUG: '', NO_COLOR: '1' };

function run(args: string[], input?: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, 'import', ...args], { cwd: work, encoding: 'utf8', timeout: 120_000, env, ...(input === undefined ? {} : { input }) });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Reads the database the CLI writes to. */
async function read<T>(query: (services: Awaited<ReturnType<typeof createServices>>) => Promise<T>): Promise<T> {
  const services = await createServices(loadConfig(env), { classifier: false });
  try {
    return await query(services);
  } finally {
    await services.close();
  }
}

const historyCount = () => read(async (s) => Number((await s.db.kysely.selectFrom('status_history').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n));
let target: { tenant: string; workload: string; part: string; id: number };

beforeAll(async () => {
  const services = await createServices(loadConfig(env), { classifier: false });
  try {
    expect((await seedDemoData(services, { customersPerPartner: 6 })).state).toBe('seeded');
  } finally {
    await services.close();
  }
  target = await read(async (s) => {
    const row = await s.db.kysely
      .selectFrom('entitlements as e').innerJoin('customers as c', 'c.id', 'e.customer_id').innerJoin('workloads as w', 'w.id', 'e.workload_id').innerJoin('partners as p', 'p.id', 'c.partner_id')
      .select(['c.tenant_id', 'w.slug', 'e.part', 'e.id']).where('p.name', '=', 'Harbor Cloud Partners').where('e.l1', '=', 'In Progress').orderBy('e.id').executeTakeFirstOrThrow();
    return { tenant: row.tenant_id, workload: row.slug, part: row.part, id: row.id };
  });
}, 180_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('unblock import', () => {
  const note = 'Second wave of mailboxes moves on Saturday; the last wave is booked for the month after.';
  const file = () => {
    const path = join(work, 'statuses.csv');
    writeFileSync(path, `tenant_id,workload,part,note\n${target.tenant},${target.workload},${target.part},"${note}"\n`);
    return path;
  };

  it('--dry-run says what the import would do and writes nothing; the import then does it, as the user named', async () => {
    const before = await historyCount();
    const dry = run([file(), '--dry-run', '--as', 'editor@harbor.example']);
    expect(dry.stderr).toBe('');
    expect(dry.status).toBe(0);
    expect(dry.stdout).toMatch(/^Dry run, nothing written: the 1 row\(s\) would give 0 customer\(s\) and 0 entitlement\(s\) created, 1 updated, 0 unchanged\./);
    expect(await historyCount()).toBe(before);

    const real = run([file(), '--as', 'editor@harbor.example', '--json']);
    expect(real.status).toBe(0);
    expect(JSON.parse(real.stdout)).toMatchObject({ rows: 1, entitlementsUpdated: 1, unchanged: 0, dryRun: false });
    expect(await historyCount()).toBe(before + 1);
    const last = await read((s) => s.db.kysely.selectFrom('status_history as h').innerJoin('users as u', 'u.id', 'h.changed_by').select(['u.email', 'h.kind']).where('h.entitlement_id', '=', target.id).orderBy('h.id', 'desc').executeTakeFirstOrThrow());
    expect(last).toEqual({ email: 'editor@harbor.example', kind: 'import' });
    // The same file again changes nothing.
    expect(run([file(), '--no-advise']).stdout).toMatch(/^Imported 1 row\(s\): .* 0 updated, 1 unchanged\./);
  }, 120_000);

  it('prints every bad row with its line and column, exits 1 and writes nothing', async () => {
    const before = await historyCount();
    const path = join(work, 'bad.csv');
    writeFileSync(path, [
      'tenant_id,workload,code,note',
      `${target.tenant},${target.workload},in-progress/migration,Fine.`,
      `${target.tenant},flying-cars,,`,
      'new-tenant-1,teams,,',
    ].join('\n'));
    const r = run([path, '--as', 'editor@harbor.example']);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/line 3, workload: unknown workload "flying-cars"/);
    expect(r.stderr).toMatch(/line 4, tenant_id: unknown tenant "new-tenant-1"; creating customers needs the manager role/);
    expect(r.stderr).toMatch(/\[CSV_INVALID\]/);
    // No status in the file is unknown: no word about another playbook.
    expect(r.stderr).not.toMatch(/does not define/);
    expect(await historyCount()).toBe(before);
  }, 120_000);

  it('says, after rows naming a status the playbook read lacks, that the server may run with other pages', async () => {
    const path = join(work, 'other-playbook.csv');
    // paused/budget-freeze is spelled close to no code of the built-in playbook: not a typo.
    writeFileSync(path, ['tenant_id,workload,code,note', `${target.tenant},${target.workload},paused/budget-freeze,Finance froze the budget.`].join('\n'));
    const r = run([path, '--as', 'editor@harbor.example', '--no-advise']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/line 2, code: Unknown status code "paused\/budget-freeze"/);
    expect(r.stderr).toContain('Some rows name a status that the built-in playbook does not define: if the server runs with other pages, give them with --playbook DIR (or PLAYBOOK_DIR).');
  }, 120_000);

  it('gives no word about another playbook when a status is a slip of one the playbook defines', async () => {
    const path = join(work, 'typo.csv');
    writeFileSync(path, [
      'tenant_id,workload,part,l1,l2,note',
      `${target.tenant},${target.workload},${target.part},In Progress,Migratoin,Second wave of mailboxes moves on Saturday.`,
    ].join('\n'));
    const r = run([path, '--as', 'editor@harbor.example', '--no-advise']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/line 2, l2: Unknown L2 "Migratoin" under In Progress/);
    expect(r.stderr).not.toMatch(/does not define|--playbook/);
  }, 120_000);

  it('still points to --playbook for a status spelled close to a defined one when the database holds codes the playbook lacks', async () => {
    // The server runs with a partner's pages that name a status "In Progress - Migrations": the
    // database holds it, and the file names it; one letter from the built-in in-progress/migration.
    const other = await read((s) => s.db.kysely.selectFrom('entitlements').select(['id', 'l1', 'l2']).where('id', '!=', target.id).orderBy('id').executeTakeFirstOrThrow());
    const setLabels = (l1: string, l2: string | null) => read((s) => s.db.kysely.updateTable('entitlements').set({ l1, l2 }).where('id', '=', other.id).execute());
    await setLabels('In Progress', 'Migrations');
    try {
      const path = join(work, 'partner-codes.csv');
      writeFileSync(path, ['tenant_id,workload,part,code,note', `${target.tenant},${target.workload},${target.part},in-progress/migrations,Second wave moves on Saturday.`].join('\n'));
      const r = run([path, '--as', 'editor@harbor.example', '--no-advise']);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/line 2, code: Unknown status code "in-progress\/migrations"/);
      expect(r.stderr).toContain('Some rows name a status that the built-in playbook does not define: if the server runs with other pages, give them with --playbook DIR (or PLAYBOOK_DIR).');
      expect(r.stderr).toMatch(/The database holds 1 entitlement\(s\) under 1 status\(es\) the built-in playbook does not define either, such as in-progress\/migrations\./);
    } finally {
      await setLabels(other.l1, other.l2);
    }
  }, 120_000);

  it('lists every problem of a row in one run: an unknown L1 beside a date that cannot be read (QA)', async () => {
    const before = await historyCount();
    const path = join(work, 'st.csv');
    writeFileSync(path, [
      'tenant_id,workload,part,l1,l2,note,projected_unblock_date',
      `${target.tenant},${target.workload},${target.part},Blokced,,Their proxy drops the sign-in redirect; the network team must add an exception.,2027-13-45`,
    ].join('\n'));
    const r = run([path, '--as', 'manager@harbor.example', '--dry-run', '--no-advise']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/line 2, projected_unblock_date: must be a date written YYYY-MM-DD, got "2027-13-45"/);
    expect(r.stderr).toMatch(/line 2, l1: Unknown L1 "Blokced"/);
    expect(await historyCount()).toBe(before);
  }, 120_000);

  it('without --as, says once that a file creating customers needs a partner column (exit 2, no row list)', async () => {
    const path = join(work, 'no-partner.csv');
    writeFileSync(path, ['tenant_id,customer,workload,note', 'qa-new-1,Elm Ltd,teams,short', 'qa-new-2,Fir Ltd,teams,'].join('\n'));
    const r = run([path, '--dry-run', '--no-advise']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('Without --as the import runs as an administrator across all partners, so each row that creates a customer needs a partner column; add one, or give --as EMAIL of a user of the partner.');
    expect(r.stderr).not.toMatch(/line \d/);
    // A file with the column and a blank cell keeps the row error.
    const blank = join(work, 'blank-partner.csv');
    writeFileSync(blank, ['tenant_id,customer,partner,workload', 'qa-new-1,Elm Ltd,,teams'].join('\n'));
    const b = run([blank, '--dry-run', '--no-advise']);
    expect(b.status).toBe(1);
    expect(b.stderr).toMatch(/line 2, partner: is required/);
  }, 120_000);

  it('refuses an unknown user, a missing file and a missing database with exit 2', () => {
    const unknown = run([file(), '--as', 'nobody@nowhere.example']);
    expect([unknown.status, unknown.stderr]).toEqual([2, expect.stringMatching(/--as: no user with the email "nobody@nowhere.example"/)]);
    const missing = run([join(work, 'nope.csv')]);
    expect([missing.status, missing.stderr]).toEqual([2, expect.stringMatching(/No file ".*nope\.csv"/)]);
    const nowhere = spawnSync(process.execPath, [bin, 'import', file()], { cwd: work, encoding: 'utf8', env: { ...env, DATA_DIR: join(work, 'empty') } });
    expect(nowhere.status).toBe(2);
    expect(nowhere.stderr).toMatch(/No database at/);
  });
  it('imports an export of another database with --ignore-ids, whose ids are refused without it (QA review)', async () => {
    const before = await historyCount();
    const path = join(work, 'other-database.csv');
    // An id as another database numbers it: no entitlement here has it.
    writeFileSync(path, `id,tenant_id,workload,part,note\n2000000000,${target.tenant},${target.workload},${target.part},"Cutover of the last site is booked with the customer for next week."\n`);
    const refused = run([path, '--dry-run', '--no-advise', '--as', 'editor@harbor.example']);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`line 2, id: names entitlement 2000000000, which does not exist among your partner's entitlements, but this row names tenant "${target.tenant}", workload ${target.workload}`);
    expect(refused.stderr).toContain('if this file comes from another database, import it with ignoreIds=true (unblock import --ignore-ids), or clear the id and version columns');
    const dry = run([path, '--dry-run', '--no-advise', '--ignore-ids', '--as', 'editor@harbor.example']);
    expect(dry.stderr).toBe('');
    expect(dry.status).toBe(0);
    expect(dry.stdout).toMatch(/^Dry run, nothing written: the 1 row\(s\) would give 0 customer\(s\) and 0 entitlement\(s\) created, 1 updated, 0 unchanged\./);
    expect(await historyCount()).toBe(before);
  }, 120_000);

  it('takes back an export of nothing (its header alone) as a change of nothing and says so in words', async () => {
    const exported = spawnSync(process.execPath, [bin, 'export', '--owner', 'nobody-owns-this'], { cwd: work, encoding: 'utf8', env });
    expect(exported.status).toBe(0);
    expect(exported.stdout.trim().split('\n')).toHaveLength(1);
    const before = await historyCount();
    const back = run(['-'], exported.stdout);
    expect(back.status).toBe(0);
    expect(back.stdout).toMatch(/^The file has the export's header and no data rows .*nothing changed\.\n$/);
    expect(await historyCount()).toBe(before);
  });
});
