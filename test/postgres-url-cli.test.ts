/**
 * How the CLI reads a PostgreSQL URL, from --database or DATABASE_URL: the scheme in any case, and an
 * sslmode without the driver's multi-line warning. Each run gets a database of its own on the
 * TEST_DATABASE_URL server (created and dropped here).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runUnblock } from './cli-process.js';
import { runOnServer, urlOf } from './pg-databases.js';

const work = mkdtempSync(join(tmpdir(), 'unblock-pg-url-'));
const env = { ...process.env, DATA_DIR: join(work, 'data'), LOG_LEVEL: 'silent', UNBLOCK_DEBUG: '', DATABASE_URL: '', SQLITE_FILE: '', PLAYBOOK_DIR: '' };
const name = `unblock_url_${process.pid}_${randomBytes(4).toString('hex')}`;
const url = urlOf(name);
/** The same URL with its scheme written another way. */
const withScheme = (scheme: string) => url.replace(/^[a-z]+:/, `${scheme}:`);

beforeAll(() => runOnServer(`create database ${name}`));
afterAll(async () => {
  await runOnServer(`drop database if exists ${name} with (force)`);
  rmSync(work, { recursive: true, force: true });
});

describe('a PostgreSQL URL given to the CLI', () => {
  it('is taken with its scheme in upper or mixed case, from --database and from DATABASE_URL', async () => {
    const created = await runUnblock(['admin', 'create-partner', '--name', 'Shouting Scheme', '--database', withScheme('POSTGRES')], { cwd: work, env });
    expect(created.status, created.stderr).toBe(0);
    const listed = await runUnblock(['admin', 'list'], { cwd: work, env: { ...env, DATABASE_URL: withScheme('PostgreSQL') } });
    expect(listed.status, listed.stderr).toBe(0);
    expect(listed.stdout).toContain('Shouting Scheme');
    expect(listed.stderr).toBe('');
  }, 60_000);

  it('with sslmode=require prints no warning from the driver, whether or not the server speaks TLS', async () => {
    const result = await runUnblock(['admin', 'list', '--database', `${url}?sslmode=require&connect_timeout=5`], { cwd: work, env });
    expect(result.stderr).not.toMatch(/warning/i);
    // The test server may not offer TLS: then the one line says so, and nothing else is printed.
    if (result.status !== 0) expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^unblock: Cannot connect to PostgreSQL/)]);
  }, 60_000);
});
