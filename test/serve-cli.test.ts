import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { serveOutputs as serveWith } from './cli-process.js';

const root = join(import.meta.dirname, '..');
const bin = join(root, 'bin', 'unblock.js');
const work = mkdtempSync(join(tmpdir(), 'unblock-serve-'));
const env = { ...process.env, DATA_DIR: join(work, 'data'), LOG_LEVEL: 'silent', UNBLOCK_DEBUG: '' };

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Starts `unblock serve ARGS` on a free port, returns its stdout once it is listening, then stops it. */
/** As serveOutput, with what it wrote on stderr until it was stopped. */
function serveOutputs(args: string[], extraEnv: Record<string, string> = {}, cwd = work): Promise<{ stdout: string; stderr: string }> {
  return serveWith(args, { cwd, env: { ...env, ...extraEnv } });
}

async function serveOutput(args: string[], extraEnv: Record<string, string> = {}): Promise<string> {
  return (await serveOutputs(args, extraEnv)).stdout;
}


describe('unblock serve', () => {
  it('on a new --database file: the admin commands it suggests name that file, and no JSON log line comes with the start-up lines', async () => {
    const folder = join(work, 'own-file');
    mkdirSync(folder);
    const { stdout, stderr } = await serveOutputs(['--database', './team.sqlite'], { DATA_DIR: '', LOG_LEVEL: 'info' }, folder);
    const suggested = stdout.split('\n').filter((line) => /npx unblock admin /.test(line));
    expect(suggested.map((line) => /admin ([\w-]+)/.exec(line)![1])).toEqual(['create-partner', 'create-user', 'create-token', 'set-password']);
    for (const line of suggested) expect(line).toMatch(/npx unblock admin [\w-]+ --database \.\/team\.sqlite --/);
    // The server's JSON log is for requests and errors; where it listens is said in the lines above.
    expect(stderr).not.toMatch(/Server listening/);
    expect(stdout).toMatch(/Unblock is running at http:\/\/127\.0\.0\.1:\d+/);

    // Run as printed, the first one adds the partner to team.sqlite, not to ./data/unblock.db.
    const printed = suggested[0]!.trim().split(' ').slice(2);
    expect(printed.slice(-2)).toEqual(['--name', '...']);
    const made = spawnSync(process.execPath, [bin, ...printed.slice(0, -1), 'Hint Partner'], { cwd: folder, env: { ...env, DATA_DIR: '' }, encoding: 'utf8' });
    expect(made.status, made.stderr).toBe(0);
    const listed = spawnSync(process.execPath, [bin, 'admin', 'list', '--database', 'team.sqlite'], { cwd: folder, env: { ...env, DATA_DIR: '' }, encoding: 'utf8' });
    expect(listed.stdout).toContain('Hint Partner');
    expect(existsSync(join(folder, 'data'))).toBe(false);
  }, 90_000);
});

describe('unblock serve --demo', () => {
  it('on a database holding other data: says the demo was not seeded and prints no demo logins', async () => {
    const admin = (...args: string[]) => spawnSync(process.execPath, [bin, 'admin', ...args], { cwd: work, env, encoding: 'utf8' });
    expect(admin('create-partner', '--name', 'Acme Partner').status).toBe(0);
    expect(admin('create-user', '--email', 'boss@acme.example', '--role', 'admin').status).toBe(0);
    expect(admin('create-user', '--email', 'ed@acme.example', '--partner', 'Acme Partner').status).toBe(0);

    const out = await serveOutput(['--demo']);
    expect(out).toMatch(/Demo data not seeded: the database already holds other partners or users/);
    expect(out).not.toMatch(/already present/);
    expect(out).not.toMatch(/Sign in with one of the demo users/);
    expect(out).not.toMatch(/demo-pass|harbor\.example|unblock\.example/);
    expect(out).toMatch(/admin set-password/);
  }, 90_000);

  it('with a page set that defines only some codes: seeds only those codes and says how many it used', async () => {
    const pages = join(work, 'few-pages');
    mkdirSync(pages);
    const kept = ['in-progress--migration.md', 'blocked--app-compatibility.md', 'blocked--legal-regulatory.md', 'duplicate-invalid.md'];
    for (const page of kept) copyFileSync(join(root, 'playbooks', page), join(pages, page));
    const data = join(work, 'few-pages-data');

    const out = await serveOutput(['--demo', '--playbook', pages], { DATA_DIR: data });
    expect(out).toMatch(/Playbook: taxonomy \w+, 4 codes;/);
    const seeded = /Demo data seeded in [\d.]+ s: .* (\d+) entitlements, .* history rows, using (\d+) of the playbook's 4 codes\./.exec(out);
    expect(seeded, out).not.toBeNull();
    expect(Number(seeded![1])).toBeGreaterThan(1000);
    expect(Number(seeded![2])).toBeGreaterThanOrEqual(3);
    expect(Number(seeded![2])).toBeLessThanOrEqual(4);

    // Every entitlement carries a code of the page set, none the built-in starting code it lacks.
    const counts = spawnSync(process.execPath, [bin, 'report', 'counts', '--by', 'l2', '--json'], { cwd: work, env: { ...env, DATA_DIR: data }, encoding: 'utf8' });
    expect(counts.status, counts.stderr).toBe(0);
    const rows = (JSON.parse(counts.stdout) as { rows: { key: string }[] }).rows.map((r) => r.key);
    expect(rows.sort()).toEqual(['blocked/app-compatibility', 'blocked/legal-regulatory', 'in-progress/migration']);
  }, 180_000);
});
