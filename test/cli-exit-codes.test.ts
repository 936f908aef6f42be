/**
 * The CLI's exit codes agree across commands (QA): 2 for an argument that cannot be used, which includes
 * one naming a user, partner, file or account that is not there or cannot be used (`admin create-token
 * --email <unknown>` exited 1 while `import --as <unknown>` exited 2), and an empty note text
 * (`classify ""` answered an abstention while `notes grade ""` exited 2). `--input -` reads standard
 * input as a file is read, and `report --from/--to` say what is wrong with a date in the API's words.
 * The tests run one at a time and share one database: each CLI process costs about half a second.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isoDate } from '../src/http/schemas/common.js';
import { runUnblock, UNBLOCK_BIN } from './cli-process.js';

const work = mkdtempSync(join(tmpdir(), 'unblock-cli-exit-'));
const data = join(work, 'data');
const env = { ...process.env, DATA_DIR: data, LOG_LEVEL: 'silent', UNBLOCK_DEBUG: '', DATABASE_URL: '', SQLITE_FILE: '', PLAYBOOK_DIR: '', NO_COLOR: '1' };
afterAll(() => rmSync(work, { recursive: true, force: true }));
const run = (args: string[], input?: string) => runUnblock(args, { cwd: work, env, timeout: 60_000, ...(input === undefined ? {} : { input }) });

/** The words of the API for a refused date (its schema's own message), as the CLI should say them after the flag. */
function apiDateMessage(value: string): string {
  const parsed = isoDate.safeParse(value);
  if (parsed.success) throw new Error(`${value} is a valid date`);
  return parsed.error.issues[0]!.message;
}

beforeAll(async () => {
  for (const args of [
    ['admin', 'create-partner', '--name', 'Acme'],
    ['admin', 'create-user', '--email', 'off@example.com', '--role', 'manager', '--partner', 'Acme', '--password', 'long enough password'],
  ]) {
    const r = await run(args);
    expect(r.status, r.stderr).toBe(0);
  }
  const db = new Database(join(data, 'unblock.db'));
  try {
    db.prepare("UPDATE users SET disabled = 1 WHERE email = 'off@example.com'").run();
  } finally {
    db.close();
  }
});

describe('exit codes', () => {
  it('an argument naming something that is not there (or an account that cannot be used) exits 2 for every command', async () => {
    const cases: [string[], RegExp][] = [
      [['import', '-', '--as', 'nobody@example.com'], /--as: no user with the email "nobody@example.com"/],
      [['admin', 'create-token', '--email', 'nobody@example.com'], /No user with email nobody@example.com\..*\[NOT_FOUND\]/],
      [['admin', 'set-password', '--email', 'nobody@example.com'], /No user with email nobody@example.com\..*\[NOT_FOUND\]/],
      [['admin', 'create-user', '--email', 'new@example.com', '--role', 'editor', '--partner', 'Nobody Inc'], /No partner named "Nobody Inc"/],
      [['admin', 'create-token', '--email', 'off@example.com'], /off@example.com is disabled.*\[ACCOUNT_DISABLED\]/],
      [['export', '--as', 'off@example.com'], /--as: the user "off@example.com" is disabled/],
      [['notes', 'eval', join(work, 'missing.jsonl')], /missing\.jsonl/],
    ];
    for (const [args, message] of cases) {
      const r = await run(args);
      expect([r.status, r.stderr], args.join(' ')).toEqual([2, expect.stringMatching(message)]);
      expect(r.stdout, args.join(' ')).toBe('');
    }
  });

  it('an empty or blank note text is an unusable argument for classify and notes grade alike', async () => {
    for (const [command, text] of [[['classify'], ''], [['classify'], '   '], [['notes', 'grade'], ''], [['notes', 'grade'], ' \t ']] as const) {
      const r = await run([...command, text]);
      const name = `${command.join(' ')} ${JSON.stringify(text)}`;
      expect(r.status, name).toBe(2);
      expect(r.stderr, name).toMatch(new RegExp(`^unblock: The note to ${command[0] === 'classify' ? 'classify' : 'grade'} is empty: give the note text, e\\.g\\. \`unblock ${command.join(' ')} ".+"\`, or --input FILE\\. \\[BAD_ARGUMENTS\\]\\n$`));
      expect(r.stdout, name).toBe('');
    }
  });

  it('--input - reads JSONL or CSV from standard input (told apart by the first character), rows with empty text included', async () => {
    const jsonl = '\n  {"id":"a","text":"IT has no one to run it"}\n{"id":"b","text":""}\n';
    const classified = await run(['classify', '--input', '-'], jsonl);
    expect(classified.status, classified.stderr).toBe(0);
    const rows = classified.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(rows.map((r) => [r.id, r.abstained])).toEqual([['a', false], ['b', true]]);
    expect(classified.stderr).toContain('classified 2 note(s)');

    const csv = '\nid,note\nc,"Waiting on the customer, who has not answered"\nd,\n';
    const graded = await run(['notes', 'grade', '--input', '-', '--no-classifier'], csv);
    expect(graded.status, graded.stderr).toBe(0);
    const grades = graded.stdout.trim().split('\n').map((line) => JSON.parse(line) as { id: string; text: string; grade: string; findings: { code: string }[] });
    expect(grades.map((g) => [g.id, g.text])).toEqual([['c', 'Waiting on the customer, who has not answered'], ['d', '']]);
    expect(grades[1]!.findings.map((f) => f.code)).toContain('NOTE_EMPTY');
  });

  it('--input - checks standard input is UTF-8 text, as it checks a file', () => {
    // Notes saved as Windows-1252: "café" with é as the single byte 0xE9, on line 3.
    const bytes = Buffer.concat([Buffer.from('text\nfine\n'), Buffer.from([0x63, 0x61, 0x66, 0xe9]), Buffer.from('\n')]);
    for (const command of [['classify'], ['notes', 'grade']]) {
      const r = spawnSync(process.execPath, [UNBLOCK_BIN, ...command, '--input', '-'], { cwd: work, env, input: bytes, encoding: 'utf8', timeout: 60_000 });
      expect([r.status, r.stderr], command.join(' ')).toEqual([1, expect.stringMatching(/^unblock: standard input is not UTF-8 text: line 3 has bytes UTF-8 does not allow .*\[CSV_INVALID\]\n$/)]);
      expect(r.stdout).toBe('');
    }
  });

  it('report --from/--to say what is wrong with a date in the words of the API, and both at once as the API does', async () => {
    const impossible = await run(['report', 'flow', '--from', '2026-13-01']);
    expect(impossible.status).toBe(2);
    expect(impossible.stderr).toBe(`unblock: --from ${apiDateMessage('2026-13-01')}. [BAD_ARGUMENTS]\n`);
    expect(impossible.stderr).toBe('unblock: --from must be a real calendar date. [BAD_ARGUMENTS]\n');
    const both = await run(['report', 'note-quality', '--from', '15/01/2027', '--to', '2027-02-30']);
    expect(both.status).toBe(2);
    expect(both.stderr).toBe(`unblock: --from ${apiDateMessage('15/01/2027')}. --to ${apiDateMessage('2027-02-30')}. [BAD_ARGUMENTS]\n`);
    // A period that starts after it ends: the reports' own check, which the API answers with too.
    const reversed = await run(['report', 'flow', '--from', '2026-05-01', '--to', '2026-01-01']);
    expect([reversed.status, reversed.stderr]).toEqual([2, 'unblock: The period starts (2026-05-01) after it ends (2026-01-01). [BAD_ARGUMENTS]\n']);
  });
});
