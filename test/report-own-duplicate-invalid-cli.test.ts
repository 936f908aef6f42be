/**
 * `unblock report` on a playbook with an L1 of its own that follows the Duplicate/Invalid rules
 * (Excluded, `rules: Duplicate/Invalid` on its page): `--l1 Excluded` is refused (exit 2) as
 * `--l1 Duplicate/Invalid` is, and the line under plain counts names both L1s it left out, each with
 * the export that lists them.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, seedDemoData } from '../src/app/index.js';
import { loadConfig } from '../src/config/index.js';
import { runUnblock, type CliResult } from './cli-process.js';
import { ownInvalidPages } from './own-invalid-taxonomy.js';

const work = mkdtempSync(join(tmpdir(), 'unblock-own-invalid-report-'));
const pages = join(work, 'playbook');
const env: Record<string, string | undefined> = { ...process.env, DATA_DIR: join(work, 'data'), DATABASE_URL: '', PLAYBOOK_DIR: '', LOG_LEVEL: 'silent', UNBLOCK_DEBUG: '', NO_COLOR: '1' };
const counted = { invalid: 0, excluded: 0 };

function run(args: string[]): Promise<CliResult> {
  return runUnblock(['report', ...args, '--playbook', pages], { cwd: work, timeout: 60_000, env });
}

beforeAll(async () => {
  mkdirSync(pages);
  for (const page of ownInvalidPages()) writeFileSync(join(pages, page.file), page.text);
  const services = await createServices(loadConfig({ ...env, PLAYBOOK_DIR: pages }), { classifier: false });
  try {
    expect((await seedDemoData(services, { customersPerPartner: 2 })).state).toBe('seeded');
    const ids = (await services.db.kysely.selectFrom('entitlements').select('id').orderBy('id').limit(5).execute()).map((r) => r.id);
    await services.db.kysely.updateTable('entitlements').set({ l1: 'Excluded', l2: 'Test Tenant', code: 'excluded/test-tenant' }).where('id', 'in', ids.slice(0, 3)).execute();
    await services.db.kysely.updateTable('entitlements').set({ l1: 'Duplicate/Invalid', l2: null, code: 'duplicate-invalid' }).where('id', 'in', ids.slice(3)).execute();
    const count = async (l1: string) => Number((await services.db.kysely.selectFrom('entitlements').select((eb) => eb.fn.countAll().as('n')).where('l1', '=', l1).executeTakeFirstOrThrow()).n);
    counted.invalid = await count('Duplicate/Invalid');
    counted.excluded = await count('Excluded');
  } finally {
    await services.close();
  }
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('unblock report on a playbook with an L1 of its own that follows the Duplicate/Invalid rules', () => {
  it('refuses --l1 Excluded with exit 2, naming it and the export that lists its entitlements', async () => {
    const results = await Promise.all([run(['counts', '--l1', 'Excluded']), run(['ageing', '--l1', 'excluded']), run(['counts', '--by', 'l2', '--l1', 'EXCLUDED', '--json'])]);
    for (const r of results) {
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe('unblock: --l1: reports leave Excluded out, which follows the Duplicate/Invalid rules (those entitlements are not customer rollouts); `unblock export --l1 "Excluded"` lists them. [BAD_ARGUMENTS]\n');
    }
    const builtIn = await run(['counts', '--l1', 'Duplicate/Invalid']);
    expect(builtIn.status).toBe(2);
    expect(builtIn.stderr).toMatch(/^unblock: --l1: reports leave Duplicate\/Invalid out \(those entitlements are not customer rollouts\); `unblock export --l1 "Duplicate\/Invalid"` lists them\. \[BAD_ARGUMENTS\]\n$/);
  }, 120_000);

  it('leaves both out of plain counts and says how many of each, with the exports that list them', async () => {
    expect(counted.invalid).toBeGreaterThan(0);
    expect(counted.excluded).toBeGreaterThanOrEqual(3);
    const r = await run(['counts']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).not.toMatch(/^Excluded\b/m);
    expect(r.stdout).toContain(
      `\nLeft out: ${counted.invalid} Duplicate/Invalid and ${counted.excluded} Excluded entitlements, which are not customer rollouts (\`unblock export --l1 "Duplicate/Invalid"\` and \`unblock export --l1 "Excluded"\` list them).\n`,
    );
  }, 120_000);
});
