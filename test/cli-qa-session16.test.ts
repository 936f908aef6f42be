/**
 * CLI QA pass (session 16), as a new user following the README: an option given without its value is
 * refused (exit 2) by every command, not silently replaced by its default (`classify --top`, `report
 * --playbook`); `--output -` writes to standard output, as `--input -` reads standard input, instead
 * of a file named "-"; and the commands that work on the tracker refuse a `--playbook` folder that
 * defines no code (exit 2), as `serve`, `classify` and `notes grade` do, instead of reporting it as
 * an empty playbook or failing every imported row.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runUnblock } from './cli-process.js';
import { runOnServer, urlOf } from './pg-databases.js';

const work = mkdtempSync(join(tmpdir(), 'unblock-qa-s16-'));
const database = join(work, 'tracker.db');
const emptyPages = join(work, 'no-pages');
const env = { ...process.env, DATA_DIR: join(work, 'data'), LOG_LEVEL: 'silent', UNBLOCK_DEBUG: '', DATABASE_URL: '', SQLITE_FILE: '', PLAYBOOK_DIR: '', NO_COLOR: '1' };
const run = (args: string[], input?: string) => runUnblock(args, { cwd: work, env, input, timeout: 120_000 });

beforeAll(async () => {
  mkdirSync(emptyPages);
  writeFileSync(join(emptyPages, 'readme.txt'), 'Nothing here defines a code.\n');
  // A tracker database to report on, export and import into.
  const created = await run(['admin', 'create-partner', '--name', 'QA Partner', '--database', database]);
  expect(created.status, created.stderr).toBe(0);
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('an option without its value', () => {
  it('classify --top with no value exits 2 naming --top, not classifying with the default', async () => {
    const r = await run(['classify', 'Proxy drops connections to the cloud', '--top']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--top needs a value/);
    expect(r.stdout).toBe('');
  });

  it('report --playbook with no value exits 2, not reporting with the built-in playbook', async () => {
    const r = await run(['report', 'counts', '--database', database, '--playbook']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--playbook needs/);
    expect(r.stdout).toBe('');
  });

  it('admin create-token --name with no value says it needs a value, not that --name is missing', async () => {
    const r = await run(['admin', 'create-token', '--database', database, '--email', 'nobody@example.com', '--name']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--name needs a value/);
  });

  it('import --as with no value says it needs a value, as export does', async () => {
    const r = await run(['import', '-', '--database', database, '--as'], 'tenant_id,workload,note\n');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--as needs a value/);
  });
});

describe('a --playbook that defines no code, for the tracker commands', () => {
  it('report exits 2 with the message serve gives', async () => {
    const r = await run(['report', 'counts', '--database', database, '--playbook', emptyPages]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--playbook .*no-pages defines no code/);
    expect(r.stdout).toBe('');
  });

  it('export and import exit 2 too', async () => {
    const exported = await run(['export', '--database', database, '--playbook', emptyPages]);
    expect(exported.status).toBe(2);
    expect(exported.stderr).toMatch(/defines no code/);
    const imported = await run(['import', '-', '--database', database, '--playbook', emptyPages, '--no-advise'], 'tenant_id,partner,workload,l1,l2,note\nt-1,QA Partner,teams,Status Unknown,New Subscription or Workload,New\n');
    expect(imported.status).toBe(2);
    expect(imported.stderr).toMatch(/defines no code/);
  });
});

describe('--output -', () => {
  it('classify writes the results to standard output and makes no file named "-"', async () => {
    const r = await run(['classify', '--input', '-', '--output', '-'], '{"id":7,"text":"Proxy drops connections to the cloud"}\n');
    expect(r.status, r.stderr).toBe(0);
    const rows = r.stdout.trim().split('\n').map((line) => JSON.parse(line) as { id: number; l1: string });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id).toBe(7);
    expect(existsSync(join(work, '-'))).toBe(false);
  });

  it('export writes the CSV to standard output and makes no file named "-"', async () => {
    const r = await run(['export', '--database', database, '--output', '-']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^\uFEFFid,tenant_id,/);
    expect(existsSync(join(work, '-'))).toBe(false);
  });
});

describe('--input naming something that is not a regular file', () => {
  it('classify --input /dev/stdin from a pipe points to --input -, and does not guess a folder', async () => {
    const r = await run(['classify', '--input', '/dev/stdin'], 'text\nProxy drops connections\n');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--input -/);
    expect(r.stderr).not.toMatch(/folder/);
  });

  it('a folder is still called a folder', async () => {
    const r = await run(['classify', '--input', work]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/is a folder/);
  });
});

describe('--help', () => {
  it('ends no line with spaces (the USAGE line of a command without arguments had one before its colour code)', async () => {
    // Without NO_COLOR, TEST and CI citty colours the usage, and the colour codes are taken out for a pipe.
    const r = await runUnblock(['serve', '--help'], { cwd: work, env: { ...env, NO_COLOR: '', TEST: '', CI: '' } });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^USAGE unblock serve \[OPTIONS\]$/m);
    expect(r.stdout).not.toMatch(/[ \t]$/m);
  });
});

describe('playbook parse', () => {
  it('points to playbook lint only when there is something to list', async () => {
    const pages = join(work, 'clean-pages');
    mkdirSync(pages);
    copyFileSync(join(import.meta.dirname, '..', 'playbooks', 'blocked.md'), join(pages, 'blocked.md'));
    copyFileSync(join(import.meta.dirname, '..', 'playbooks', 'blocked--app-compatibility.md'), join(pages, 'blocked--app-compatibility.md'));
    const r = await run(['playbook', 'parse', pages]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/0 error\(s\), 0 warning\(s\), 0 info$/m);
    expect(r.stdout).not.toMatch(/to list them/);
  });
});

describe('a PostgreSQL database that does not exist', () => {
  // A database name no test creates: the server answers 3D000 (no such database).
  const missing = urlOf(`unblock_qa16_missing_${process.pid}`);

  it('serve --database exits 2 saying what to check, as report and admin do (it exited 1)', async () => {
    const r = await run(['serve', '--port', '0', '--database', missing]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/does not exist; check the database name in --database or DATABASE_URL/);
  });

  it('admin copy-database names --to when the database of --to is the one missing', async () => {
    const r = await run(['admin', 'copy-database', '--database', database, '--to', missing]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/check the database name in --to\b/);
    expect(r.stderr).not.toMatch(/in --database/);
    // DATA_DIR's folder is not there: a PostgreSQL target needs none (it was refused as "no folder").
    expect(r.stderr).not.toMatch(/no folder/);
  });

  it('admin copy-database from a SQLite file into PostgreSQL works without a DATA_DIR folder', async () => {
    const name = `unblock_qa16_copy_${process.pid}`;
    await runOnServer(`create database ${name}`);
    try {
      const r = await run(['admin', 'copy-database', '--database', database, '--to', urlOf(name)]);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^Copied .* 1 partners/);
      expect(existsSync(join(work, 'data'))).toBe(false);
    } finally {
      await runOnServer(`drop database if exists ${name} with (force)`);
    }
  }, 120_000);

  it('admin create-partner names the whole command', async () => {
    const r = await run(['admin', 'create-partner', '--name', 'Nowhere', '--database', missing]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/`unblock admin create-partner` works on an existing database/);
  });
});

describe('a note that starts with "-"', () => {
  it('is refused with the way to give it (after --), not only as an unknown option', async () => {
    const r = await run(['notes', 'grade', '- Customer blocked by the proxy']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/put -- before it: unblock notes grade -- "- Customer blocked by the proxy"/);
  });
});

describe('an unknown option of a playbook command', () => {
  // `playbook show` takes --json since session 18: an option it does not take is --top.
  it('points to the help of that command', async () => {
    const r = await run(['playbook', 'show', 'blocked', '--top']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/Unknown option "--top"\. Run `unblock playbook show --help` for usage\./);
  });
});

describe('import --as a user whose role may not import', () => {
  it('exits 2 naming --as, as an unknown or disabled --as user does (it exited 1)', async () => {
    const viewer = await run(['admin', 'create-user', '--database', database, '--email', 'viewer@qa.example', '--role', 'viewer', '--partner', 'QA Partner']);
    expect(viewer.status, viewer.stderr).toBe(0);
    const r = await run(['import', '-', '--database', database, '--as', 'viewer@qa.example', '--no-advise'], 'tenant_id,workload,note\nt-1,teams,New\n');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--as viewer@qa\.example: .*editor role/);
  });
});
