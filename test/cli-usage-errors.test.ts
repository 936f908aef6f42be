/**
 * When the argument parser finds a command unknown or a positional argument missing, the CLI says what
 * the command takes (QA: `unblock report` said only "Missing required positional argument: NAME", and
 * `unblock admin bogus` only "Unknown command bogus").
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runUnblock } from './cli-process.js';

const work = mkdtempSync(join(tmpdir(), 'unblock-usage-'));
const env = { ...process.env, DATA_DIR: join(work, 'data'), LOG_LEVEL: 'silent', UNBLOCK_DEBUG: '', DATABASE_URL: '', PLAYBOOK_DIR: '', NO_COLOR: '1' };
afterAll(() => rmSync(work, { recursive: true, force: true }));
const run = (args: string[]) => runUnblock(args, { cwd: work, env, timeout: 60_000 });

describe('usage errors', () => {
  it('list the commands after an unknown one, at the top level and under admin', async () => {
    const top = await run(['frobnicate']);
    expect(top.status).toBe(2);
    expect(top.stderr).toMatch(/^unblock: Unknown command frobnicate\. The commands of `unblock` are: playbook, classify, eval, notes, serve, report, import, export, admin\.\nRun `unblock --help` for usage\.\n$/);
    const admin = await run(['admin', 'frobnicate']);
    expect(admin.status).toBe(2);
    expect(admin.stderr).toContain('The commands of `unblock admin` are: create-partner, create-user, create-token, set-password, list, copy-database, rebuild-rollups.');
  });

  it('describe a missing positional argument: the reports there are', async () => {
    const r = await run(['report']);
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')).toEqual(['unblock: Missing required positional argument: NAME', '  NAME: counts | ageing | forecast | note-quality | flow', 'Run `unblock report --help` for usage.', '']);
  });
});
