/**
 * What a new user runs into when following the README: usage text, hints, unknown options, bad
 * --input files, a --playbook that is missing or empty, a reader that closes the pipe early.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const bin = join(root, 'bin', 'unblock.js');
const work = mkdtempSync(join(tmpdir(), 'unblock-walkthrough-'));
const empty = join(work, 'empty-folder');
mkdirSync(empty);

function run(args: string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: work,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, DATA_DIR: join(work, 'data'), LOG_LEVEL: 'silent', UNBLOCK_DEBUG: '', NO_COLOR: '1', ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function jsonLines(text: string): Record<string, unknown>[] {
  return text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
}

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('usage and hints', () => {
  it('titles a sub-command\'s usage with its whole name, and lists the note TEXT of notes grade', () => {
    const lint = run(['playbook', 'lint', '--help']);
    expect(lint.status).toBe(0);
    expect(lint.stdout).toMatch(/^USAGE unblock playbook lint /m);
    const token = run(['admin', 'create-token', '--help']);
    expect(token.stdout).toMatch(/^USAGE unblock admin create-token /m);
    const grade = run(['notes', 'grade', '--help']);
    expect(grade.stdout).toMatch(/^USAGE unblock notes grade \[OPTIONS\] \[TEXT\]/m);
    const top = run(['--help']);
    expect(top.stdout).not.toMatch(/[ \t]+$/m);
  });

  it('points a missing argument or sub-command at the help of the command that was named (exit 2)', () => {
    const noEmail = run(['admin', 'set-password']);
    expect(noEmail.status).toBe(2);
    expect(noEmail.stderr).toMatch(/Missing required argument: --email/);
    expect(noEmail.stderr).toContain('Run `unblock admin set-password --help` for usage.');
    const noSub = run(['playbook']);
    expect(noSub.status).toBe(2);
    expect(noSub.stderr).toContain('Run `unblock playbook --help` for usage.');
  });

  it.each([
    ['classify', '--bogus', 'a note about the proxy'],
    ['eval', '--bogus', join(root, 'eval', 'dev')],
    ['report', 'counts', '--by-l2'],
    ['serve', '--port', '0', '--bogus'],
  ])('refuses an unknown option: %s ... (exit 2)', (...args) => {
    const r = run(args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/Unknown option "--(bogus|by-l2)"\. Run `unblock (classify|eval|report|serve) --help`/);
  });

  it('ends quietly when the reader closes the pipe early (`| head`), without an EPIPE stack trace', async () => {
    const child = spawn(process.execPath, [bin, 'playbook', 'parse', '--json'], { cwd: work, env: { ...process.env, DATA_DIR: join(work, 'data') } });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.once('close', (c) => resolve(c)));
    expect(stderr).not.toMatch(/EPIPE|Unhandled 'error' event|at .*node:internal/);
    expect(code).toBe(0);
  });
});

describe('classify --input', () => {
  it('reads a CSV header with spaces around the names, as notes grade does', () => {
    const input = join(work, 'spaced.csv');
    writeFileSync(input, 'ref , text \n1,The firewall drops traffic to Exchange Online\n');
    const r = run(['classify', '--input', input]);
    expect(r.status).toBe(0);
    expect(jsonLines(r.stdout)[0]).toMatchObject({ ref: '1', l1: 'Blocked' });
  });

  it('reports a CSV row with more cells than the header as a bad row instead of cutting its note short', () => {
    const input = join(work, 'unquoted.csv');
    writeFileSync(input, 'ref,text\n1,Partner has not signed the statement of work\n2,Proxy drops traffic, so mailboxes wait\n');
    for (const command of [['classify'], ['notes', 'grade', '--no-classifier']]) {
      const r = run([...command, '--input', input]);
      expect(r.status).toBe(1);
      const lines = jsonLines(r.stdout);
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatchObject({ ref: '1', text: 'Partner has not signed the statement of work' });
      // Line 3 of the file (the header is line 1), with the row's first cells to match on.
      expect(lines[1]).toMatchObject({ ref: '2', row: 3, error: { code: 'CSV_INVALID' } });
      expect((lines[1]!.error as { message: string }).message).toMatch(/3 cells but the header has 2 columns/);
    }
  });

  it('says a folder is not an input file (exit 2), without an "unexpected failure"', () => {
    const r = run(['classify', '--input', empty]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--input must be a file.*\[BAD_ARGUMENTS\]/);
    expect(r.stderr).not.toMatch(/unexpected failure|EISDIR/);
  });

  it('says --input needs a file when it is given without one (exit 2)', () => {
    const r = run(['classify', '--input']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--input needs a file/);
  });
});

describe('--playbook that is missing or holds no page', () => {
  it('classify: exit 2 for a missing folder and for an empty one', () => {
    const missing = run(['classify', '--playbook', join(work, 'no-such-folder'), 'Proxy drops connections']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/--playbook: No playbook page or folder/);
    const none = run(['classify', '--playbook', empty, 'Proxy drops connections']);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/defines no code.*unblock playbook lint/);
  });

  it('eval: exit 2 for a missing --playbook', () => {
    const r = run(['eval', '--playbook', join(work, 'no-such-folder'), join(root, 'eval', 'dev')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--playbook: No playbook page or folder/);
  });

  it('serve: refuses a playbook folder with no page instead of serving a taxonomy of no codes', () => {
    const r = run(['serve', '--port', '0', '--classifier-workers', '0', '--playbook', empty], { DATA_DIR: join(work, 'serve-data') });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--playbook .* defines no code/);
    expect(r.stdout).not.toMatch(/Unblock is running/);
  });

  it('playbook lint and parse: exit 2 for a folder with no page, not a clean bill of 0 pages', () => {
    for (const command of ['lint', 'parse']) {
      const r = run(['playbook', command, empty]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/No playbook page in/);
    }
  });

  it('playbook parse names the same pages in its lint hint', () => {
    const r = run(['playbook', 'parse', join(root, 'test', 'fixtures', 'untidy')]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`run \`unblock playbook lint ${join(root, 'test', 'fixtures', 'untidy')}\` to list them`);
  });
});

describe('eval with broken lines', () => {
  it('prints the figures but exits 1 for lines that are not JSON objects; a label the playbook lacks stays a quiet skip', () => {
    const file = join(work, 'labelled.jsonl');
    writeFileSync(file, [JSON.stringify({ text: 'No reply to five emails and three calls', l2: 'Customer Unresponsive' }), 'null', '{broken', JSON.stringify({ text: 'x', l2: 'Not A Real Code' })].join('\n'));
    const r = run(['eval', file]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/Evaluated 1 notes .*\(3 rows skipped\)/);
    expect(r.stdout).toMatch(/skipped .*:2: not a JSON object/);
    expect(r.stderr).toMatch(/2 line\(s\) could not be read/);
    expect(r.stderr).not.toMatch(/unexpected failure/);

    const labelsOnly = join(work, 'labels-only.jsonl');
    writeFileSync(labelsOnly, [JSON.stringify({ text: 'No reply to five emails and three calls', l2: 'Customer Unresponsive' }), JSON.stringify({ text: 'x', l2: 'Not A Real Code' })].join('\n'));
    expect(run(['eval', labelsOnly]).status).toBe(0);
  });
});

describe('serve, admin and report arguments', () => {
  it('serve names the flag in a bad --port or --classifier-workers (exit 2)', () => {
    const port = run(['serve', '--port', 'abc']);
    expect(port.status).toBe(2);
    expect(port.stderr).toMatch(/--port must be a whole number from 0 to 65535.*"abc"/);
    const workers = run(['serve', '--port', '0', '--classifier-workers', 'lots']);
    expect(workers.status).toBe(2);
    expect(workers.stderr).toMatch(/--classifier-workers must be 'auto' or a whole number/);
  });

  it('admin names the database it looked in when a user is not there', () => {
    const data = join(work, 'admin-data');
    expect(run(['admin', 'create-partner', '--name', 'Somewhere'], { DATA_DIR: data }).status).toBe(0);
    const r = run(['admin', 'create-token', '--email', 'manager@harbor.example'], { DATA_DIR: data });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`No user with email manager@harbor.example. (Looked in ${join(data, 'unblock.db')};`);
    expect(r.stderr).toMatch(/\[NOT_FOUND\]/);
  });

  it('admin create-token, set-password and list create no database where there is none (exit 2, naming the place)', () => {
    const data = join(work, 'no-admin-data');
    for (const args of [['admin', 'create-token', '--email', 'manager@harbor.example'], ['admin', 'set-password', '--email', 'manager@harbor.example'], ['admin', 'list']]) {
      const r = run(args, { DATA_DIR: data });
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(`No database at ${join(data, 'unblock.db')}; \`unblock ${args.slice(0, 2).join(' ')}\``);
      expect(r.stdout).toBe('');
      expect(existsSync(join(data, 'unblock.db'))).toBe(false);
    }
  });

  it('report and admin refuse a --database that is not a postgres:// URL as an unusable argument (exit 2), hiding its password', () => {
    const report = run(['report', 'counts', '--database', 'mysql://user:secret@db/x']);
    expect(report.status).toBe(2);
    expect(report.stderr).toMatch(/--database must be a postgres:\/\/ URL/);
    expect(report.stderr).not.toContain('secret');
    expect(run(['admin', 'list', '--database', 'mysql://db/x']).status).toBe(2);
  });
});
