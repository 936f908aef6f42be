/**
 * `unblock admin create-user` and `set-password` take the password as the user's own (an installer's
 * first admin, a way back in), unless `--must-change-password` asks that they choose their own at their
 * first sign-in, as a password a manager or admin chooses in the app must be.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';

const bin = join(import.meta.dirname, '..', 'bin', 'unblock.js');
const work = mkdtempSync(join(tmpdir(), 'unblock-admin-pw-'));

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: work, encoding: 'utf8', env: { ...process.env, DATA_DIR: join(work, 'data'), NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The flag of `email` as stored. */
function flag(email: string): number {
  const db = new Database(join(work, 'data', 'unblock.db'), { readonly: true });
  try {
    return (db.prepare('SELECT must_change_password AS f FROM users WHERE email = ?').get(email) as { f: number }).f;
  } finally {
    db.close();
  }
}

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('unblock admin and the first-sign-in password change', () => {
  it('creates users whose password is their own, unless --must-change-password; set-password the same', () => {
    const own = run(['admin', 'create-user', '--email', 'first@example.com', '--role', 'admin', '--password', 'installer-pass']);
    expect(own.status).toBe(0);
    expect(own.stdout).not.toMatch(/must choose/);
    expect(flag('first@example.com')).toBe(0);

    const other = run(['admin', 'create-user', '--email', 'colleague@example.com', '--role', 'admin', '--must-change-password']);
    expect(other.status).toBe(0);
    // The password ends the line, after the sentence, so it is copied alone.
    expect(other.stdout).toMatch(/created\. They must choose their own password at their first sign-in\. Password: \S{16}\n$/);
    expect(flag('colleague@example.com')).toBe(1);
    expect(run(['admin', 'list']).stdout).toMatch(/colleague@example.com +admin +\(all partners\) +\(must choose a password\)/);

    const reset = run(['admin', 'set-password', '--email', 'first@example.com', '--must-change-password']);
    expect([reset.status, flag('first@example.com')]).toEqual([0, 1]);
    expect(reset.stdout).toMatch(/They must choose their own password at their first sign-in\. Password: \S{16}\n$/);
    // Without the option the password set is the user's own again (a way back in for a forgotten one).
    const back = run(['admin', 'set-password', '--email', 'first@example.com', '--password', 'my-own-again']);
    expect([back.status, flag('first@example.com')]).toEqual([0, 0]);
    expect(back.stdout).not.toMatch(/must choose/);
  });
});
