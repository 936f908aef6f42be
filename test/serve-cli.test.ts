import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const bin = join(root, 'bin', 'unblock.js');
const work = mkdtempSync(join(tmpdir(), 'unblock-serve-'));
const env = { ...process.env, DATA_DIR: join(work, 'data'), LOG_LEVEL: 'silent', UNBLOCK_DEBUG: '' };

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Starts `unblock serve ARGS` on a free port, returns its stdout once it is listening, then stops it. */
function serveOutput(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--classifier-workers', '0', ...args], { cwd: work, env });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`serve did not start in time.\nstdout: ${out}\nstderr: ${err}`));
    }, 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('Press Ctrl+C')) {
        clearTimeout(timer);
        child.once('exit', () => resolve(out));
        child.kill('SIGTERM');
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('exit', (code) => {
      if (!out.includes('Press Ctrl+C')) {
        clearTimeout(timer);
        reject(new Error(`serve exited with ${code}.\nstdout: ${out}\nstderr: ${err}`));
      }
    });
  });
}

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
});
