/**
 * What a new user met on the command line, checked: every variable the server reads is listed in its
 * help, the help writes its placeholders and defaults one way, a bad `--input` row names its fields as
 * a good one does, and `admin` says what it created, why an email cannot be used again, and lines up
 * its list. (The start-up lines of `serve` are in serve-cli.test.ts.)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../src/app/index.js';
import { databaseHint } from '../src/cli/commands/serve.js';
import { loadConfig } from '../src/config/index.js';
import { redactUrl } from '../src/db/index.js';
import { SYSTEM_ACTOR, createPartner, createUser } from '../src/tracker/index.js';
import { runUnblock, type CliResult } from './cli-process.js';

const work = mkdtempSync(join(tmpdir(), 'unblock-audit-'));
const env: Record<string, string | undefined> = { ...process.env, DATA_DIR: join(work, 'data'), DATABASE_URL: '', SQLITE_FILE: '', PLAYBOOK_DIR: '', LOG_LEVEL: 'silent', UNBLOCK_DEBUG: '', NO_COLOR: '1' };

function run(args: string[]): Promise<CliResult> {
  return runUnblock(args, { cwd: work, timeout: 120_000, env });
}

const jsonLines = (text: string) =>
  text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

beforeAll(async () => {
  // Ids of one and of two digits: 11 partners and 12 users.
  const services = await createServices(loadConfig(env), { classifier: false });
  try {
    const partners = [];
    for (let i = 1; i <= 11; i++) partners.push(await createPartner(services.tracker, SYSTEM_ACTOR, { name: `Partner ${i}` }));
    await createUser(services.tracker, SYSTEM_ACTOR, { email: 'boss@example.com', name: 'Boss', role: 'admin', partnerId: null });
    for (let i = 2; i <= 12; i++) await createUser(services.tracker, SYSTEM_ACTOR, { email: `user${i}@example.com`, name: `User ${i}`, role: 'editor', partnerId: partners[i - 2]!.id });
  } finally {
    await services.close();
  }
}, 60_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the admin commands of the start-up hint act on the database serve was given', () => {
  const sqlite = { databaseUrl: null, sqlitePath: '/srv/app/team.sqlite', defaultSqlitePath: '/srv/app/data/unblock.db' };

  it('repeats --database as it was given, or names the file DATA_DIR or SQLITE_FILE chose', () => {
    expect(databaseHint({ ...sqlite, flag: './team.sqlite' }, redactUrl)).toEqual({ option: ' --database ./team.sqlite', note: '' });
    expect(databaseHint({ ...sqlite, flag: './my team.sqlite' }, redactUrl).option).toBe(" --database './my team.sqlite'");
    expect(databaseHint({ ...sqlite, flag: undefined }, redactUrl)).toEqual({ option: ' --database /srv/app/team.sqlite', note: '' });
    // Nothing set: the commands find ./data/unblock.db themselves.
    expect(databaseHint({ ...sqlite, sqlitePath: sqlite.defaultSqlitePath, flag: undefined }, redactUrl)).toEqual({ option: '', note: '' });
  });

  it('never prints a PostgreSQL password', () => {
    const plain = 'postgres://app@db.internal:5432/unblock';
    expect(databaseHint({ ...sqlite, databaseUrl: plain, flag: plain }, redactUrl)).toEqual({ option: ` --database ${plain}`, note: '' });
    const secret = 'postgres://app:s3cret@db.internal:5432/unblock';
    for (const flag of [secret, undefined]) {
      const hint = databaseHint({ ...sqlite, databaseUrl: secret, flag }, redactUrl);
      expect(`${hint.option} ${hint.note}`).not.toContain('s3cret');
      expect(`${hint.option} ${hint.note}`).toContain('postgres://app:***@db.internal:5432/unblock');
    }
    expect(databaseHint({ ...sqlite, databaseUrl: secret, flag: undefined }, redactUrl)).toMatchObject({ option: '', note: expect.stringContaining('DATABASE_URL') as string });
  });
});

describe('help', () => {
  it('lists every variable the configuration reads, in `unblock --help` and `unblock serve --help`', async () => {
    // The variables loadConfig looks up, as an environment that records every name read from it sees them.
    const read = new Set<string>();
    loadConfig(new Proxy({}, { get: (_, name) => void (typeof name === 'string' && read.add(name)) }));
    const variables = [...read];
    expect(variables).toContain('TRUST_PROXY');
    expect(variables.length).toBeGreaterThan(10);
    const [main, serve] = await Promise.all([run(['--help']), run(['serve', '--help'])]);
    for (const help of [main, serve]) {
      expect(help.status).toBe(0);
      const listed = /Env: ([A-Z_, ]+)\./.exec(help.stdout)?.[1]?.split(', ') ?? [];
      expect(listed.sort()).toEqual([...variables].sort());
    }
  });

  it('writes placeholders as words and defaults as "(default X)" in every command', async () => {
    const commands = [
      [], ['playbook', 'parse'], ['playbook', 'lint'], ['playbook', 'show'], ['classify'], ['eval'], ['notes', 'grade'], ['notes', 'eval'], ['serve'], ['report'], ['import'], ['export'],
      ['admin', 'create-partner'], ['admin', 'create-user'], ['admin', 'create-token'], ['admin', 'set-password'], ['admin', 'list'],
    ];
    const helps = await Promise.all(commands.map((command) => run([...command, '--help'])));
    for (const [i, help] of helps.entries()) {
      const name = commands[i]!.join(' ');
      expect(help.status, name).toBe(0);
      expect(help.stdout, name).not.toMatch(/Default:|default: /);
      expect(help.stdout, name).not.toMatch(/=<[^>]*_[^>]*>/);
    }
    const text = (command: string) => helps[commands.findIndex((c) => c.join(' ') === command)]!.stdout;
    expect(text('serve')).toContain('--classifier-workers=<n>');
    expect(text('export')).toMatch(/--min-days=<days> .*\n.*--max-days=<days>/);
    expect(text('report')).toMatch(/--by=<by> +counts: .* \(default l1\)\n/);
    expect(text('notes grade')).toMatch(/--classifier +Use the classifier .* \(on by default\)\n/);
    expect(text('import')).toMatch(/--no-advise +Skip grading/);
  });
});

describe('a bad --input row names its fields as a good row does', () => {
  it('classify: the row\'s own l1 is input_l1 on every row, and l1 is only ever the prediction', async () => {
    const csv = join(work, 'labelled-bad.csv');
    writeFileSync(csv, 'text,l1,row\nCAB freeze until March,Blocked,a\nFirewall drops Teams traffic,many,b,extra cell\n');
    const jsonl = join(work, 'labelled-bad.jsonl');
    writeFileSync(jsonl, `${JSON.stringify({ text: 'CAB freeze until March', l1: 'Blocked' })}\n${JSON.stringify({ l1: 'many', error: 'mine' })}\n`);
    const [fromCsv, fromJsonl] = await Promise.all([run(['classify', '--input', csv]), run(['classify', '--input', jsonl])]);
    for (const r of [fromCsv, fromJsonl]) {
      expect(r.status).toBe(1);
      const [good, bad] = jsonLines(r.stdout);
      expect(good).toMatchObject({ input_l1: 'Blocked', l1: expect.any(String) as string });
      expect(bad).toMatchObject({ input_l1: 'many', row: expect.any(Number) as number, error: { code: expect.any(String) as string } });
      expect(bad).not.toHaveProperty('l1');
    }
    // A field named like a bad row's own (row, error) is kept on every row too.
    expect(jsonLines(fromCsv.stdout).map((r) => [r.input_row, r.row])).toEqual([['a', undefined], ['b', 3]]);
    expect(jsonLines(fromJsonl.stdout)[1]).toMatchObject({ input_error: 'mine', row: 2, error: { code: 'VALIDATION_FAILED' } });
    expect(fromCsv.stderr).toContain('input column(s) l1, row share a name with result fields; kept as input_l1, input_row.');
  });

  it('notes grade: a "grade" of the input is input_grade on a bad row too', async () => {
    const jsonl = join(work, 'graded-bad.jsonl');
    writeFileSync(jsonl, `${JSON.stringify({ text: 'CAB freeze until March', grade: 'poor' })}\n${JSON.stringify({ grade: 'great', l1: 'Blocked' })}\n`);
    const r = await run(['notes', 'grade', '--no-classifier', '--input', jsonl]);
    expect(r.status).toBe(1);
    const [good, bad] = jsonLines(r.stdout);
    expect(good).toMatchObject({ input_grade: 'poor', grade: expect.any(String) as string });
    expect(bad).toMatchObject({ input_grade: 'great', l1: 'Blocked', row: 2, error: { code: 'VALIDATION_FAILED' } });
    expect(bad).not.toHaveProperty('grade');
  });
});

describe('admin', () => {
  it('lines up the columns of `admin list` when ids have one and two digits', async () => {
    const r = await run(['admin', 'list']);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    for (const kind of ['partner', 'user']) {
      const rows = lines.filter((l) => l.startsWith(`  ${kind} `));
      expect(rows.length).toBeGreaterThanOrEqual(11);
      // The second column starts at the same place on every row (ids 1 to 12).
      const starts = new Set(rows.map((l) => /^ {2}\w+ \d+ +/.exec(l)![0].length));
      expect([kind, starts.size]).toEqual([kind, 1]);
    }
    const users = lines.filter((l) => l.startsWith('  user '));
    expect(new Set(users.map((l) => l.search(/ {2}(admin|editor) /))).size).toBe(1);
  });

  it('create-user says an email is taken, and how to set its password, without making the partner asked for', async () => {
    const r = await run(['admin', 'create-user', '--email', 'User2@example.com', '--partner', 'Unused Partner', '--create-partner']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/A user with the email user2@example\.com already exists \(user \d+\).*unblock admin set-password --email user2@example\.com \[CONFLICT\]/);
    expect(r.stderr).not.toMatch(/cannot be used/);
    expect((await run(['admin', 'list'])).stdout).not.toContain('Unused Partner');
  });

  it('create-user --create-partner says the partner was created too', async () => {
    const r = await run(['admin', 'create-user', '--email', 'fresh@example.com', '--partner', 'Nope Partner', '--create-partner', '--password', 'long enough pass']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Partner (\d+) "Nope Partner" created\.\nUser \d+ fresh@example\.com \(editor, partner \1\) created\.\n$/);
    const existing = await run(['admin', 'create-user', '--email', 'again@example.com', '--partner', 'nope partner', '--create-partner', '--password', 'long enough pass']);
    expect(existing.stdout).toMatch(/^User \d+ again@example\.com \(editor\) created\.\n$/);
  });
});
