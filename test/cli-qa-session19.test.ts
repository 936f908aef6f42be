/**
 * CLI QA pass (session 19): `eval` and `notes eval` read their JSONL a line at a time (no longer the whole
 * file at once) and still name a bad line by its number (`notes eval` names a disagreement by its line of
 * the file, where it counted graded notes); `eval` refuses a second path instead of dropping it; `unblock
 * --version` refuses words after it. Runs the built CLI (dist).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runUnblock } from './cli-process.js';

const work = mkdtempSync(join(tmpdir(), 'unblock-qa-s19-'));
const env = { ...process.env, DATA_DIR: join(work, 'data'), LOG_LEVEL: 'silent', UNBLOCK_DEBUG: '', DATABASE_URL: '', SQLITE_FILE: '', PLAYBOOK_DIR: '', NO_COLOR: '1' };
afterAll(() => rmSync(work, { recursive: true, force: true }));
const run = (args: string[], input?: string) => runUnblock(args, { cwd: work, env, input, timeout: 120_000 });

const labelled = { text: 'Legal has not approved the data processing terms of the cloud rollout yet.', l1: 'Blocked', l2: 'Legal/Regulatory' };
const graded = { text: 'Blocked: the proxy strips the sign-in headers; the network team replaces it in March, then mailboxes move.', grade: 'great', findings: [] };

describe('eval reads its file a line at a time, and names a bad line by its number', () => {
  it('skips a bad line 4 (after a byte order mark, a blank line and CRLF line ends) and names it, exit 1 with the figures', async () => {
    const file = join(work, 'labelled.jsonl');
    writeFileSync(file, `\uFEFF${JSON.stringify(labelled)}\r\n\r\n${JSON.stringify({ ...labelled, text: 'Their IT team has nobody trained to run Intune yet.' })}\r\n{"text": oops}\r\n${JSON.stringify({ l1: 'Blocked' })}\n`);
    const r = await run(['eval', '--json', file]);
    expect(r.status, r.stderr).toBe(1);
    const doc = JSON.parse(r.stdout) as { count: number; source: string; skipped: { file: string; line: number; reason: string }[] };
    expect(doc.count).toBe(2);
    expect(doc.skipped).toEqual([
      { file, line: 4, reason: 'invalid JSON' },
      { file, line: 5, reason: 'missing "text"' },
    ]);
    expect(r.stderr).toContain('2 line(s) could not be read');
  }, 120_000);

  it('reads every file of a folder, each line numbered in its own file', async () => {
    const folder = join(work, 'folder');
    mkdirSync(folder);
    writeFileSync(join(folder, 'a.jsonl'), `${JSON.stringify(labelled)}\nnot json\n`);
    writeFileSync(join(folder, 'b.jsonl'), `\n\n${JSON.stringify(labelled)}\n[1]`);
    const r = await run(['eval', '--json', folder]);
    expect(r.status, r.stderr).toBe(1);
    const doc = JSON.parse(r.stdout) as { count: number; skipped: { file: string; line: number; reason: string }[] };
    expect(doc.count).toBe(2);
    expect(doc.skipped).toEqual([
      { file: join(folder, 'a.jsonl'), line: 2, reason: 'invalid JSON' },
      { file: join(folder, 'b.jsonl'), line: 4, reason: 'not a JSON object' },
    ]);
  }, 120_000);

  it('an empty file, and one of blank lines, have no usable notes (exit 1)', async () => {
    const empty = join(work, 'empty.jsonl');
    writeFileSync(empty, '');
    const blank = join(work, 'blank.jsonl');
    writeFileSync(blank, '\n  \n\n');
    for (const file of [empty, blank]) {
      const r = await run(['eval', file]);
      expect([r.status, r.stderr]).toEqual([1, `unblock: No usable labelled notes in ${file}. [VALIDATION_FAILED]\n`]);
    }
    const broken = join(work, 'broken.jsonl');
    writeFileSync(broken, '\n\nnot json\n');
    const r = await run(['eval', broken]);
    expect([r.status, r.stderr]).toEqual([1, `unblock: No usable labelled notes in ${broken} (first problem: line 3: invalid JSON). [VALIDATION_FAILED]\n`]);
  }, 120_000);

  it('still reads standard input (-), naming it for a bad line', async () => {
    const r = await run(['eval', '--json', '-'], `${JSON.stringify(labelled)}\n\n{bad\n`);
    expect(r.status, r.stderr).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ source: 'standard input', count: 1, skipped: [{ file: 'standard input', line: 3, reason: 'invalid JSON' }] });
  }, 120_000);
});

describe('notes eval reads its file a line at a time, and names a bad line by its number', () => {
  it('stops at a bad line 3 (after a blank line) and names it, in a file and on standard input', async () => {
    const file = join(work, 'graded.jsonl');
    writeFileSync(file, `${JSON.stringify(graded)}\n\n{"text": nope}\n${JSON.stringify(graded)}\n`);
    const r = await run(['notes', 'eval', '--no-classifier', file]);
    expect([r.status, r.stdout, r.stderr]).toEqual([1, '', `unblock: ${file}:3: not valid JSON. [INVALID_JSON]\n`]);
    const shape = await run(['notes', 'eval', '--no-classifier', '-'], `\uFEFF${JSON.stringify(graded)}\r\n${JSON.stringify({ text: 'x', grade: 'fine', findings: [] })}\r\n`);
    expect([shape.status, shape.stderr]).toEqual([1, 'unblock: standard input:2: a graded note needs "text", "grade" (great|marginal|poor) and "findings" (array). [VALIDATION_FAILED]\n']);
    const empty = join(work, 'graded-empty.jsonl');
    writeFileSync(empty, '\n\n');
    const none = await run(['notes', 'eval', '--no-classifier', empty]);
    expect([none.status, none.stderr]).toEqual([1, `unblock: No graded notes in ${empty}: give JSONL lines with "text", "grade" (great|marginal|poor) and "findings". [VALIDATION_FAILED]\n`]);
  }, 120_000);

  it('names a disagreement by the line of the file it is on, blank lines counted', async () => {
    const file = join(work, 'graded-off.jsonl');
    // The reviewer's "great" for a bare status the grader calls poor: a disagreement on line 4.
    writeFileSync(file, `${JSON.stringify(graded)}\n\n\n${JSON.stringify({ text: 'Customer cannot deploy right now.', l1: 'Blocked', grade: 'great', findings: [] })}\n`);
    const r = await run(['notes', 'eval', '--no-classifier', file]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^ {4}line 4: reviewer great, grader (poor|marginal) .*"Customer cannot deploy right now\."$/m);
  }, 120_000);
});

describe('words and options a command does not take are refused, not dropped', () => {
  it('eval with a second path exits 2 naming both, and evaluates nothing', async () => {
    const file = join(work, 'one.jsonl');
    writeFileSync(file, `${JSON.stringify(labelled)}\n`);
    for (const args of [['eval', file, 'other.jsonl'], ['eval', '--json', '-', file]]) {
      const r = await run(args, `${JSON.stringify(labelled)}\n`);
      expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^unblock: `unblock eval` takes 1 word besides its options, not 2: ".+", ".+"\. .*\[BAD_ARGUMENTS\]\n$/);
    }
  }, 120_000);

  it('classify, notes and playbook refuse a long option with one dash (several words stay one note or query)', async () => {
    const cases: string[][] = [
      ['classify', '-json', 'Proxy drops connections'],
      ['notes', 'grade', '-json', 'Customer cannot deploy right now.'],
      ['notes', 'eval', '-json'],
      ['eval', '-json'],
      ['playbook', 'parse', '-json'],
      ['playbook', 'show', '-json', 'App', 'Compatibility'],
    ];
    for (const args of cases) {
      const r = await run(args);
      expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toBe('unblock: "-json" has one dash; an option\'s full name takes two: --json [BAD_ARGUMENTS]\n');
    }
    const shown = await run(['playbook', 'show', '--json', 'App', 'Compatibility']);
    expect(shown.status, shown.stderr).toBe(0);
    expect(JSON.parse(shown.stdout)).toMatchObject({ id: 'blocked/app-compatibility' });
  }, 120_000);

  it('--version (and -v) with anything after it exits 2 naming it; alone it prints the version', async () => {
    const alone = await run(['--version']);
    expect(alone.status).toBe(0);
    expect(alone.stdout).toMatch(/^\d+\.\d+\.\d+\S*\n$/);
    for (const args of [['--version', 'extra'], ['-v', 'extra'], ['--version', '--json']]) {
      const r = await run(args);
      expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`unblock: \`unblock ${args[0]}\` takes nothing after it, not "${args[1]}". Run \`unblock --help\` for usage. [BAD_ARGUMENTS]\n`);
    }
  }, 120_000);
});
