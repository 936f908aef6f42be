/**
 * `unblock report NAME` with the API's filters: --partner (id or name), --workload and --l1, passed to
 * the same report functions as GET /api/reports/..., and refused with exit 2 when they name nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, seedDemoData } from '../src/app/index.js';
import { loadConfig } from '../src/config/index.js';
import { runUnblock, type CliResult } from './cli-process.js';

const root = join(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'unblock-report-'));
const env: Record<string, string | undefined> = { ...process.env, DATA_DIR: join(work, 'data'), DATABASE_URL: '', PLAYBOOK_DIR: '', LOG_LEVEL: 'silent', UNBLOCK_DEBUG: '', NO_COLOR: '1' };

/** `unblock report ...` on the seeded database (one test at a time: on 2 cores, side-by-side tests only waited on each other). */
function run(args: string[]): Promise<CliResult> {
  return runUnblock(['report', ...args], { cwd: work, timeout: 60_000, env });
}

async function json<T>(args: string[]): Promise<T> {
  const r = await run([...args, '--json']);
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
    // One entitlement filed under an older playbook's "Waiting / On Hold", which the built-in one lacks.
    const first = await services.db.kysely.selectFrom('entitlements').select('id').orderBy('id').executeTakeFirstOrThrow();
    await services.db.kysely.updateTable('entitlements').set({ l1: 'Waiting', l2: 'On Hold', code: 'waiting/on-hold', taxonomy_version: 'older-playbook' }).where('id', '=', first.id).execute();
    // And two of Harbor's Duplicate/Invalid, which a seed this small may draw none of.
    const harbor = await services.db.kysely.selectFrom('partners').select('id').where('name', '=', 'Harbor Cloud Partners').executeTakeFirstOrThrow();
    const last = await services.db.kysely.selectFrom('entitlements').select('id').where('partner_id', '=', harbor.id).orderBy('id', 'desc').limit(2).execute();
    await services.db.kysely.updateTable('entitlements').set({ l1: 'Duplicate/Invalid', l2: null, code: 'duplicate-invalid' }).where('id', 'in', last.map((e) => e.id)).execute();
  } finally {
    await services.close();
  }
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('report filters', () => {
  it('--partner takes a partner id or name (any case) and counts only that partner', async () => {
    const byPartner = await json<Counts>(['counts', '--by', 'partner']);
    expect(byPartner.rows.length).toBe(4);
    const harbor = byPartner.rows.find((r) => r.label === 'Harbor Cloud Partners')!;
    const partners = ['Harbor Cloud Partners', 'harbor cloud partners', harbor.key];
    const counted = await Promise.all(partners.map((partner) => json<Counts>(['counts', '--by', 'partner', '--partner', partner])));
    for (const one of counted) {
      expect(one.rows.map((r) => r.label)).toEqual(['Harbor Cloud Partners']);
      expect(one.total).toBe(harbor.count);
    }
  });

  it('--l1 and --workload narrow counts and ageing as the API does', async () => {
    const byL1 = await json<Counts>(['counts']);
    const blocked = await json<Counts>(['counts', '--l1', 'Blocked', '--by', 'l2']);
    expect(blocked.total).toBe(countOf(byL1, 'Blocked'));
    expect(blocked.rows.every((r) => r.key.startsWith('blocked/'))).toBe(true);

    const byWorkload = await json<Counts>(['counts', '--by', 'workload']);
    const exchange = await json<Counts>(['counts', '--by', 'workload', '--workload', 'Exchange Online']);
    expect(exchange.rows.map((r) => r.key)).toEqual(['exchange-online']);
    expect(exchange.total).toBe(countOf(byWorkload, 'Exchange Online'));

    const partnerInProgress = await json<Counts>(['counts', '--partner', 'Meridian IT Services', '--workload', 'teams', '--l1', 'in progress']);
    const ageing = await json<{ l1: string; buckets: { count: number }[] }>(['ageing', '--partner', 'Meridian IT Services', '--workload', 'teams', '--l1', 'in progress']);
    expect(ageing.l1).toBe('In Progress');
    expect(ageing.buckets.reduce((s, b) => s + b.count, 0)).toBe(partnerInProgress.total);
    expect(partnerInProgress.total).toBeGreaterThan(0);
    expect(partnerInProgress.total).toBeLessThan(countOf(byL1, 'In Progress'));
  });

  it('--partner narrows forecast, flow and note-quality: the partners\' flows add up to the whole', async () => {
    const ids = (await json<Counts>(['counts', '--by', 'partner'])).rows.map((r) => r.key);
    const flowTotal = async (extra: string[]) => (await json<{ rows: { count: number }[] }>(['flow', ...extra])).rows.reduce((s, r) => s + r.count, 0);
    const changes = async (extra: string[]) => (await json<{ months: { changes: number }[] }>(['note-quality', ...extra])).months.reduce((s, m) => s + m.changes, 0);
    const forecast = async (extra: string[]) => (await json<{ total: number }>(['forecast', ...extra])).total;
    // Every report below reads the same data, so they run side by side.
    const [wholeFlow, flows, measured, blockedTeams, teamsForecast] = await Promise.all([
      flowTotal([]),
      Promise.all(ids.map((id) => flowTotal(['--partner', id]))),
      Promise.all([changes, forecast].map(async (measure) => ({ part: await measure(['--partner', ids[1]!]), whole: await measure([]) }))),
      json<Counts>(['counts', '--partner', ids[0]!, '--workload', 'teams', '--l1', 'Blocked']).then((r) => r.total),
      forecast(['--partner', ids[0]!, '--workload', 'teams']),
    ]);
    expect(flows.every((n) => n > 0 && n < wholeFlow)).toBe(true);
    expect(flows.reduce((s, n) => s + n, 0)).toBe(wholeFlow);
    for (const { part, whole } of measured) {
      expect(part).toBeGreaterThan(0);
      expect(part).toBeLessThan(whole);
    }
    expect(teamsForecast).toBe(blockedTeams);
  });

  it('refuses a filter that names nothing with exit 2, naming the flag and what there is', async () => {
    const partner = await run(['counts', '--partner', 'Nobody Ltd']);
    expect(partner.status).toBe(2);
    expect(partner.stderr).toMatch(/--partner: no partner with name "Nobody Ltd"/);
    for (const name of ['Harbor Cloud Partners', 'Meridian IT Services', 'Northgate Consulting', 'Bluefield Digital']) expect(partner.stderr).toContain(name);
    const id = await run(['ageing', '--partner', '9999']);
    expect(id.status).toBe(2);
    expect(id.stderr).toMatch(/--partner: no partner with id "9999".*Harbor Cloud Partners/);

    const l1 = await run(['counts', '--l1', 'Stuck']);
    expect(l1.status).toBe(2);
    expect(l1.stderr).toMatch(/--l1: "Stuck" is not an L1 of the playbook nor of the entitlements stored\. Choose one of: .*Blocked/);
    const workload = await run(['forecast', '--workload', 'fax-machines']);
    expect(workload.status).toBe(2);
    expect(workload.stderr).toMatch(/--workload: no workload "fax-machines"\. Choose one of: .*exchange-online/);
    const empty = await run(['counts', '--partner', '']);
    expect(empty.status).toBe(2);
    expect(empty.stderr).toMatch(/--partner needs a value/);
  });

  it('refuses a filter the report does not take (as the API has none for it) with exit 2', async () => {
    for (const [report, flag, value] of [['flow', '--l1', 'Blocked'], ['note-quality', '--workload', 'teams'], ['forecast', '--l1', 'Blocked']] as const) {
      const r = await run([report, flag, value]);
      expect(r.status, `${report} ${flag}`).toBe(2);
      expect(r.stderr).toContain(`${flag} does not apply to the ${report} report`);
    }
  });

  it('refuses every other option the report does not use with exit 2, naming the reports it applies to', async () => {
    const cases = [
      [['counts', '--from', '2026-01-01'], '--from does not apply to the counts report; it applies to note-quality, flow.'],
      [['counts', '--to=2026-03-31'], '--to does not apply to the counts report; it applies to note-quality, flow.'],
      [['forecast', '--by', 'l2'], '--by does not apply to the forecast report; it applies to counts only.'],
      [['ageing', '--weeks', '3'], '--weeks does not apply to the ageing report; it applies to forecast only.'],
      [['note-quality', '--level', 'l1'], '--level does not apply to the note-quality report; it applies to flow only.'],
      // Given as its default value too: the option was still asked for.
      [['flow', '--by', 'l1'], '--by does not apply to the flow report; it applies to counts only.'],
    ] as const;
    const results = await Promise.all(cases.map(([args]) => run([...args])));
    for (const [i, [args, message]] of cases.entries()) {
      expect(results[i]!.status, args.join(' ')).toBe(2);
      expect(results[i]!.stderr, args.join(' ')).toBe(`unblock: ${message} [BAD_ARGUMENTS]\n`);
    }
    // The ones that apply still run.
    const [flow, forecast] = await Promise.all([run(['flow', '--from', '2026-01-01', '--level', 'l1', '--json']), run(['forecast', '--weeks', '3', '--json'])]);
    expect(flow.status, flow.stderr).toBe(0);
    expect(forecast.status, forecast.stderr).toBe(0);
  });

  it('takes a label of an older playbook that stored rows still carry, as the API does (report and export)', async () => {
    const exported = (args: string[]) => runUnblock(['export', ...args], { cwd: work, timeout: 60_000, env });
    const [counts, ageing, byL1, byL2, byCode, unknown] = await Promise.all([
      json<Counts>(['counts', '--l1', 'waiting', '--by', 'l2']),
      json<{ l1: string; buckets: { count: number }[] }>(['ageing', '--l1', 'Waiting']),
      exported(['--l1', 'Waiting']),
      exported(['--l2', 'on hold']),
      exported(['--code', 'waiting/on-hold']),
      run(['counts', '--l1', 'Stuck']),
    ]);
    expect(counts.rows.map((r) => [r.label, r.count])).toEqual([['On Hold', 1]]);
    expect(ageing.l1).toBe('Waiting');
    expect(ageing.buckets.reduce((sum, b) => sum + b.count, 0)).toBe(1);
    for (const r of [byL1, byL2, byCode]) {
      expect(r.status, r.stderr).toBe(0);
      const lines = r.stdout.trim().split(/\r?\n/);
      expect(lines).toHaveLength(2);
      expect(lines[1]).toContain(',waiting/on-hold,Waiting,On Hold,');
    }
    // A label neither the playbook nor the stored rows have is still refused, naming both.
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/--l1: "Stuck" is not an L1 of the playbook nor of the entitlements stored\. Choose one of: .*Blocked.*, Waiting\./);
  });

  it('checks --l1 against the playbook given with --playbook (or PLAYBOOK_DIR), as the server would', async () => {
    const pages = join(root, 'test', 'fixtures', 'untidy');
    // This page set defines In Progress and Blocked only; an L1 the stored rows carry from the built-in
    // playbook (No Intent) still filters, as the API takes it.
    expect((await run(['counts', '--l1', 'No Intent'])).status).toBe(0);
    expect((await run(['counts', '--l1', 'No Intent', '--playbook', pages])).status).toBe(0);
    const refused = await run(['counts', '--l1', 'Sideways', '--playbook', pages]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/--l1: "Sideways" is not an L1 of the playbook nor of the entitlements stored\. Choose one of: In Progress, Blocked, \w/);
    expect((await run(['counts', '--l1', 'Blocked', '--playbook', pages])).status).toBe(0);
    const missing = await run(['counts', '--playbook', join(work, 'no-such-folder')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/--playbook: .*no-such-folder/);
  });

  it('refuses --l1 Duplicate/Invalid with exit 2, saying reports leave it out and how to list those entitlements', async () => {
    const results = await Promise.all([run(['counts', '--l1', 'Duplicate/Invalid']), run(['ageing', '--l1', 'duplicate-invalid']), run(['counts', '--by', 'l2', '--l1', 'duplicate/invalid', '--json'])]);
    for (const r of results) {
      expect(r.status, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^unblock: --l1: reports leave Duplicate\/Invalid out .*`unblock export --l1 "Duplicate\/Invalid"`.* \[BAD_ARGUMENTS\]\n$/);
    }
  });

  it('says under plain counts how many Duplicate/Invalid entitlements it left out, as many as export lists', async () => {
    const exported = (args: string[]) => runUnblock(['export', ...args], { cwd: work, timeout: 60_000, env });
    const [all, partner, invalid, invalidOfPartner] = await Promise.all([
      run(['counts']),
      run(['counts', '--by', 'workload', '--partner', 'Harbor Cloud Partners']),
      exported(['--l1', 'Duplicate/Invalid']),
      exported(['--l1', 'Duplicate/Invalid', '--partner', 'Harbor Cloud Partners']),
    ]);
    const rowsOf = (csv: string) => csv.trim().split(/\r?\n/).length - 1;
    expect(rowsOf(invalid.stdout)).toBeGreaterThan(0);
    expect(all.status, all.stderr).toBe(0);
    expect(all.stdout).toContain(`\nLeft out: ${rowsOf(invalid.stdout)} Duplicate/Invalid entitlements, which are not customer rollouts (\`unblock export --l1 "Duplicate/Invalid"\` lists them).\n`);
    expect(partner.stdout).toContain(`\nLeft out: ${rowsOf(invalidOfPartner.stdout)} Duplicate/Invalid entitlements, which are not customer rollouts (\`unblock export --l1 "Duplicate/Invalid" --partner "Harbor Cloud Partners"\` lists them).\n`);
    // Narrowed to another L1, none of them would have counted: no footer.
    expect((await run(['counts', '--l1', 'Blocked'])).stdout).not.toContain('Left out');
  });

  it('names statuses by their labels in every report, as counts does (the JSON keeps the codes)', async () => {
    const [forecast, flow, flowL1, flowJson] = await Promise.all([run(['forecast']), run(['flow']), run(['flow', '--level', 'l1']), json<{ rows: { from: string }[] }>(['flow'])]);
    for (const r of [forecast, flow, flowL1]) expect(r.status, r.stderr).toBe(0);
    expect(forecast.stdout).toMatch(/\nBlocked \/ [A-Z]/);
    expect(forecast.stdout).not.toMatch(/blocked\//);
    expect(flow.stdout).toMatch(/^[A-Z][\w ]+( \/ [\w &/-]+)? {2}/m);
    expect(flow.stdout).not.toMatch(/(^|\s)(blocked|in-progress|status-unknown|no-intent|duplicate-invalid)(\/|\s)/);
    expect(flowL1.stdout).toMatch(/\bBlocked\b/);
    expect(flowL1.stdout).not.toMatch(/(^|\s)(blocked|in-progress|status-unknown|no-intent|duplicate-invalid)\s/);
    expect(flowJson.rows.some((r) => r.from.includes('/') && r.from === r.from.toLowerCase())).toBe(true);
  });

  it('echoes a --level it cannot use, listing the values', async () => {
    const r = await run(['flow', '--level', 'l2']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('unblock: --level must be code or l1, not "l2". [BAD_ARGUMENTS]\n');
  });

  it('lists the filters in --help', async () => {
    const help = await run(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/--partner/);
    expect(help.stdout).toMatch(/--workload/);
    expect(help.stdout).toMatch(/--l1/);
    expect(help.stdout).toMatch(/--playbook/);
  });
});
