/**
 * `unblock report ageing` counts Blocked and every L1 of the playbook's own that follows the Blocked
 * rules (the JSON's `l1s`): its text heading names them all ("Days in Blocked or Stalled"), not only
 * the first. Run on a playbook folder of the test's own: the built-in pages plus a Stalled L1 whose
 * page says `rules: Blocked`.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, seedDemoData } from '../src/app/index.js';
import { loadConfig } from '../src/config/index.js';
import { ageingHeading } from '../src/cli/commands/report.js';
import { runUnblock, type CliResult } from './cli-process.js';

const root = join(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'unblock-ageing-heading-'));
const pages = join(work, 'playbook');
const env: Record<string, string | undefined> = { ...process.env, DATA_DIR: join(work, 'data'), DATABASE_URL: '', PLAYBOOK_DIR: '', LOG_LEVEL: 'silent', UNBLOCK_DEBUG: '', NO_COLOR: '1' };

function run(args: string[]): Promise<CliResult> {
  return runUnblock(['report', 'ageing', ...args], { cwd: work, timeout: 60_000, env });
}

beforeAll(async () => {
  mkdirSync(pages);
  for (const f of readdirSync(join(root, 'playbooks')).filter((f) => f.endsWith('.md'))) copyFileSync(join(root, 'playbooks', f), join(pages, f));
  const own = join(root, 'test', 'fixtures', 'own-l1');
  for (const f of readdirSync(own).filter((f) => f.endsWith('.md'))) {
    const text = readFileSync(join(own, f), 'utf8');
    writeFileSync(join(pages, f), f === 'stalled.md' ? text.replace('title: Stalled\n', 'title: Stalled\nrules: Blocked\n') : text);
  }
  const services = await createServices(loadConfig({ ...env, PLAYBOOK_DIR: pages }));
  try {
    expect((await seedDemoData(services, { customersPerPartner: 2 })).state).toBe('seeded');
    // One entitlement Stalled, so the report counts it beside the Blocked ones.
    const first = await services.db.kysely.selectFrom('entitlements').select('id').orderBy('id').executeTakeFirstOrThrow();
    await services.db.kysely.updateTable('entitlements').set({ l1: 'Stalled', l2: 'Staffing Gap', code: 'stalled/staffing-gap' }).where('id', '=', first.id).execute();
  } finally {
    await services.close();
  }
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('ageingHeading', () => {
  it('names every L1 counted', () => {
    expect(ageingHeading(['Blocked'])).toBe('Days in Blocked');
    expect(ageingHeading(['Blocked', 'Stalled'])).toBe('Days in Blocked or Stalled');
    expect(ageingHeading(['Blocked', 'Stalled', 'Parked'])).toBe('Days in Blocked, Stalled or Parked');
  });
});

describe('unblock report ageing on a playbook with an L1 of its own that follows the Blocked rules', () => {
  it('heads the text with Blocked and that L1, as the JSON lists them', async () => {
    const asJson = await run(['--playbook', pages, '--json']);
    expect(asJson.stderr).toBe('');
    const report = JSON.parse(asJson.stdout) as { l1s: string[]; buckets: { count: number }[] };
    expect(report.l1s).toEqual(['Blocked', 'Stalled']);
    const text = await run(['--playbook', pages]);
    expect(text.stderr).toBe('');
    expect(text.status).toBe(0);
    const lines = text.stdout.split('\n');
    expect(lines[0]).toBe('Days in Blocked or Stalled');
    // The table counts both L1s: its counts add up to the JSON's.
    const total = lines.slice(2).reduce((sum, l) => sum + (Number(/(\d+)\s*$/.exec(l)?.[1]) || 0), 0);
    expect(total).toBe(report.buckets.reduce((sum, b) => sum + b.count, 0));
    expect(total).toBeGreaterThan(0);
  }, 120_000);

  it('names only the L1 asked for with --l1, and Blocked alone on the built-in playbook', async () => {
    const [stalled, builtIn] = await Promise.all([run(['--playbook', pages, '--l1', 'stalled']), run([])]);
    expect(stalled.stderr).toBe('');
    expect(stalled.stdout.split('\n')[0]).toBe('Days in Stalled');
    expect(builtIn.stderr).toBe('');
    expect(builtIn.stdout.split('\n')[0]).toBe('Days in Blocked');
  }, 120_000);
});
