/**
 * `unblock report NAME` with the API's filters: --partner (id or name), --workload and --l1, passed to
 * the same report functions as GET /api/reports/..., and refused with exit 2 when they name nothing.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, seedDemoData } from '../src/app/index.js';
import { loadConfig } from '../src/config/index.js';

const root = join(import.meta.dirname, '..');
const bin = join(root, 'bin', 'unblock.js');
const work = mkdtempSync(join(tmpdir(), 'unblock-report-'));
const env: Record<string, string | undefined> = { ...process.env, DATA_DIR: join(work, 'data'), DATABASE_URL: '', PLAYBOOK_DIR: '', LOG_LEVEL: 'silent', UNBLOCK_DEBUG: '', NO_COLOR: '1' };

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, 'report', ...args], { cwd: work, encoding: 'utf8', timeout: 60_000, env });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function json<T>(args: string[]): T {
  const r = run([...args, '--json']);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as T;
}

interface Counts {
  total: number;
  rows: { key: string; label: string; count: number }[];
}
const countOf = (report: Counts, label: string) => report.rows.find((r) => r.label === label)?.count ?? 0;

beforeAll(async () => {
  const services = await createServices(loadConfig(env));
  try {
    const seed = await seedDemoData(services, { customersPerPartner: 12 });
    expect(seed.state).toBe('seeded');
  } finally {
    await services.close();
  }
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('report filters', () => {
  it('--partner takes a partner id or name (any case) and counts only that partner', () => {
    const byPartner = json<Counts>(['counts', '--by', 'partner']);
    expect(byPartner.rows.length).toBe(4);
    const harbor = byPartner.rows.find((r) => r.label === 'Harbor Cloud Partners')!;
    for (const partner of ['Harbor Cloud Partners', 'harbor cloud partners', harbor.key]) {
      const one = json<Counts>(['counts', '--by', 'partner', '--partner', partner]);
      expect(one.rows.map((r) => r.label)).toEqual(['Harbor Cloud Partners']);
      expect(one.total).toBe(harbor.count);
    }
  });

  it('--l1 and --workload narrow counts and ageing as the API does', () => {
    const byL1 = json<Counts>(['counts']);
    const blocked = json<Counts>(['counts', '--l1', 'Blocked', '--by', 'l2']);
    expect(blocked.total).toBe(countOf(byL1, 'Blocked'));
    expect(blocked.rows.every((r) => r.key.startsWith('blocked/'))).toBe(true);

    const byWorkload = json<Counts>(['counts', '--by', 'workload']);
    const exchange = json<Counts>(['counts', '--by', 'workload', '--workload', 'Exchange Online']);
    expect(exchange.rows.map((r) => r.key)).toEqual(['exchange-online']);
    expect(exchange.total).toBe(countOf(byWorkload, 'Exchange Online'));

    const partnerInProgress = json<Counts>(['counts', '--partner', 'Meridian IT Services', '--workload', 'teams', '--l1', 'in progress']);
    const ageing = json<{ l1: string; buckets: { count: number }[] }>(['ageing', '--partner', 'Meridian IT Services', '--workload', 'teams', '--l1', 'in progress']);
    expect(ageing.l1).toBe('In Progress');
    expect(ageing.buckets.reduce((s, b) => s + b.count, 0)).toBe(partnerInProgress.total);
    expect(partnerInProgress.total).toBeGreaterThan(0);
    expect(partnerInProgress.total).toBeLessThan(countOf(byL1, 'In Progress'));
  });

  it('--partner narrows forecast, flow and note-quality: the partners\' flows add up to the whole', () => {
    const ids = json<Counts>(['counts', '--by', 'partner']).rows.map((r) => r.key);
    const flowTotal = (extra: string[]) => json<{ rows: { count: number }[] }>(['flow', ...extra]).rows.reduce((s, r) => s + r.count, 0);
    const changes = (extra: string[]) => json<{ months: { changes: number }[] }>(['note-quality', ...extra]).months.reduce((s, m) => s + m.changes, 0);
    const forecast = (extra: string[]) => json<{ total: number }>(['forecast', ...extra]).total;
    const wholeFlow = flowTotal([]);
    const flows = ids.map((id) => flowTotal(['--partner', id]));
    expect(flows.every((n) => n > 0 && n < wholeFlow)).toBe(true);
    expect(flows.reduce((s, n) => s + n, 0)).toBe(wholeFlow);
    for (const measure of [changes, forecast]) {
      const part = measure(['--partner', ids[1]!]);
      expect(part).toBeGreaterThan(0);
      expect(part).toBeLessThan(measure([]));
    }
    const blockedTeams = json<Counts>(['counts', '--partner', ids[0]!, '--workload', 'teams', '--l1', 'Blocked']).total;
    expect(forecast(['--partner', ids[0]!, '--workload', 'teams'])).toBe(blockedTeams);
  });

  it('refuses a filter that names nothing with exit 2, naming the flag and what there is', () => {
    const partner = run(['counts', '--partner', 'Nobody Ltd']);
    expect(partner.status).toBe(2);
    expect(partner.stderr).toMatch(/--partner: no partner with name "Nobody Ltd"/);
    for (const name of ['Harbor Cloud Partners', 'Meridian IT Services', 'Northgate Consulting', 'Bluefield Digital']) expect(partner.stderr).toContain(name);
    const id = run(['ageing', '--partner', '9999']);
    expect(id.status).toBe(2);
    expect(id.stderr).toMatch(/--partner: no partner with id "9999".*Harbor Cloud Partners/);

    const l1 = run(['counts', '--l1', 'Stuck']);
    expect(l1.status).toBe(2);
    expect(l1.stderr).toMatch(/--l1: "Stuck" is not an L1 of the playbook\. Choose one of: .*Blocked/);
    const workload = run(['forecast', '--workload', 'fax-machines']);
    expect(workload.status).toBe(2);
    expect(workload.stderr).toMatch(/--workload: no workload "fax-machines"\. Choose one of: .*exchange-online/);
    const empty = run(['counts', '--partner', '']);
    expect(empty.status).toBe(2);
    expect(empty.stderr).toMatch(/--partner needs a value/);
  });

  it('refuses a filter the report does not take (as the API has none for it) with exit 2', () => {
    for (const [report, flag, value] of [['flow', '--l1', 'Blocked'], ['note-quality', '--workload', 'teams'], ['forecast', '--l1', 'Blocked']] as const) {
      const r = run([report, flag, value]);
      expect(r.status, `${report} ${flag}`).toBe(2);
      expect(r.stderr).toContain(`${flag} does not apply to the ${report} report`);
    }
  });

  it('checks --l1 against the playbook given with --playbook (or PLAYBOOK_DIR), as the server would', () => {
    const pages = join(root, 'test', 'fixtures', 'untidy');
    // The built-in playbook has No Intent; this page set defines In Progress and Blocked only.
    expect(run(['counts', '--l1', 'No Intent']).status).toBe(0);
    const refused = run(['counts', '--l1', 'No Intent', '--playbook', pages]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/--l1: "No Intent" is not an L1 of the playbook\. Choose one of: In Progress, Blocked\./);
    expect(run(['counts', '--l1', 'Blocked', '--playbook', pages]).status).toBe(0);
    const missing = run(['counts', '--playbook', join(work, 'no-such-folder')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/--playbook: .*no-such-folder/);
  });

  it('lists the filters in --help', () => {
    const help = run(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/--partner/);
    expect(help.stdout).toMatch(/--workload/);
    expect(help.stdout).toMatch(/--l1/);
    expect(help.stdout).toMatch(/--playbook/);
  });
});
