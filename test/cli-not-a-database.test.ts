/**
 * A file given as the database that is not an SQLite database (a CSV, a note) is named as such, with
 * exit 2 as for any argument to correct, by every command that opens one (QA: "unexpected failure:
 * file is not a database", exit 1). The file is left as it was.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/index.js';
import { isAppError } from '../src/lib/index.js';
import { runUnblock } from './cli-process.js';
import { TEST_DATABASE_URL } from './factories.js';

const work = mkdtempSync(join(tmpdir(), 'unblock-notadb-'));
const env = { ...process.env, DATA_DIR: join(work, 'data'), LOG_LEVEL: 'silent', UNBLOCK_DEBUG: '', DATABASE_URL: '', PLAYBOOK_DIR: '', NO_COLOR: '1' };
const notes = join(work, 'notes.csv');
const TEXT = 'tenant_id,workload\na.example,teams\n'.repeat(20);
writeFileSync(notes, TEXT);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('a --database that is not an SQLite database', () => {
  it('is refused by openDatabase with CONFIG_INVALID naming the file', async () => {
    const error = await openDatabase({ sqlitePath: notes }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isAppError(error) && error.code).toBe('CONFIG_INVALID');
    expect((error as Error).message).toContain(`${notes} is not an SQLite database`);
    expect((error as { details?: unknown }).details).toMatchObject({ sqlite: 'SQLITE_NOTADB' });
  });

  it.each([['report', 'counts'], ['export'], ['admin', 'list'], ['serve', '--port', '0', '--classifier-workers', '0']])('%s: exit 2 with the file named, and the file unchanged', async (...command) => {
    const r = await runUnblock([...command, '--database', notes], { cwd: work, env, timeout: 60_000 });
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toBe(`unblock: ${notes} is not an SQLite database (it may be another kind of file given as the database); give the server's unblock.db (serve and admin also take a new path and create one there; report, import and export need an existing one). [CONFIG_INVALID]\n`);
    expect(readFileSync(notes, 'utf8')).toBe(TEXT);
  }, 60_000);
});

describe('admin copy-database --to that cannot be used', () => {
  it('refuses a SQLite path in a missing folder without making it, and a PostgreSQL database that is not there, with exit 2', async () => {
    const created = await runUnblock(['admin', 'create-partner', '--name', 'Copy Source'], { cwd: work, env });
    expect(created.status, created.stderr).toBe(0);
    const missing = join(work, 'no-such-folder', 'copy.db');
    const toFile = await runUnblock(['admin', 'copy-database', '--to', missing], { cwd: work, env });
    expect(toFile.status, toFile.stderr).toBe(2);
    expect(toFile.stderr).toContain(`there is no folder ${join(work, 'no-such-folder')}`);
    expect(existsSync(join(work, 'no-such-folder'))).toBe(false);

    const url = new URL(TEST_DATABASE_URL);
    url.pathname = `/unblock_missing_${process.pid}`;
    const toServer = await runUnblock(['admin', 'copy-database', '--to', url.toString()], { cwd: work, env });
    expect(toServer.status, toServer.stderr).toBe(2);
    expect(toServer.stderr).toMatch(/check the database name/);
  }, 60_000);
});
