import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { useColour } from '../src/cli/colour.js';

const root = join(import.meta.dirname, '..');
const bin = join(root, 'bin', 'unblock.js');
const work = mkdtempSync(join(tmpdir(), 'unblock-admin-'));
const ESC = String.fromCharCode(27);

/** Runs the CLI in a fresh data folder; TEST and CI are removed so citty's own colour switch stays on. */
function run(args: string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const base: Record<string, string | undefined> = { ...process.env, DATA_DIR: join(work, 'data'), ...env };
  delete base.TEST;
  delete base.CI;
  delete base.NO_COLOR;
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: work, encoding: 'utf8', env: base });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('unblock admin', () => {
  it('refuses a partner name that matches none (exit 1, naming the partners) and creates nothing', () => {
    const r = run(['admin', 'create-user', '--email', 'typo@example.com', '--role', 'manager', '--partner', 'Nobody Inc']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/No partner named "Nobody Inc".*create-partner/);
    const list = run(['admin', 'list']);
    expect(list.stdout).not.toMatch(/Nobody Inc/);
    expect(list.stdout).not.toMatch(/typo@example.com/);
  });

  it('runs the README example: create-partner, then create-user with the partner in any case', () => {
    expect(run(['admin', 'create-partner', '--name', 'Your Partner']).status).toBe(0);
    const again = run(['admin', 'create-partner', '--name', 'your partner']);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/already exists/);
    const r = run(['admin', 'create-user', '--email', 'you@example.com', '--role', 'manager', '--partner', 'YOUR PARTNER']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/User \d+ you@example.com \(manager\) created\. Password: \S{8,}/);
  });

  it('creates the partner only when asked with --create-partner', () => {
    const r = run(['admin', 'create-user', '--email', 'new@example.com', '--partner', 'Fresh Partner', '--create-partner']);
    expect(r.status).toBe(0);
    expect(run(['admin', 'list']).stdout).toMatch(/partner \d+ {2}Fresh Partner/);
  });

  it('validates --email like the API (exit 2)', () => {
    const r = run(['admin', 'create-user', '--email', 'not-an-email', '--partner', 'Your Partner']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--email must be an email address/);
  });

  it('lists both partners and users', () => {
    const r = run(['admin', 'list']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Partners \(2\):\n {2}partner \d+ {2}Fresh Partner\n {2}partner \d+ {2}Your Partner\nUsers \(2\):/m);
    expect(r.stdout).toMatch(/user \d+ {2}new@example.com {2}editor {2}Fresh Partner/);
    expect(r.stdout).toMatch(/user \d+ {2}you@example.com {2}manager {2}Your Partner/);
  });
});

describe('colour', () => {
  it('prints no ANSI codes when stdout and stderr are not terminals', () => {
    const help = run(['--help']);
    expect(help.stdout).toMatch(/USAGE/);
    expect(help.stdout).not.toContain(ESC);
    const unknown = run(['frobnicate']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown command frobnicate/);
    expect(unknown.stderr).not.toContain(ESC);
  });

  it('colours only a terminal, and never when NO_COLOR is set', () => {
    expect(useColour({ isTTY: true }, {})).toBe(true);
    expect(useColour({ isTTY: false }, {})).toBe(false);
    expect(useColour({}, {})).toBe(false);
    expect(useColour({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(useColour({ isTTY: true }, { NO_COLOR: 'yes' })).toBe(false);
    expect(useColour({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
  });
});
