/**
 * CLI QA pass (session 19): `eval` and `notes eval` read their JSONL a line at a time (no longer the whole
 * file at once) and still name a bad line by its number (`notes eval` names a disagreement by its line of
 * the file, where it counted graded notes); `eval` refuses a second path instead of dropping it; `unblock
 * --version` refuses words after it. Runs the built CLI (dist).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runUnblock, UNBLOCK_BIN } from './cli-process.js';

const hasBash = process.platform !== 'win32' && existsSync('/bin/bash');

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

/*
 * After review: eval's extra-word message says what eval reads; notes eval reads a pipe as eval does; a
 * folder's subfolder named *.jsonl is not read as a file; a file path is checked as UTF-8 text as `-` is,
 * a line at a time; notes eval --json gives each result's file line.
 */
describe('eval and notes eval, after review', () => {
  /** The CLI run by bash with `args` and the file as a pipe, `<(cat FILE)`, as a shell user gives one. */
  const runPiped = (args: string[], file: string) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const quoted = [process.execPath, UNBLOCK_BIN, ...args].map((a) => `'${a}'`).join(' ');
      execFile('bash', ['-c', `${quoted} <(cat "$0")`, file], { cwd: work, env, timeout: 120_000 }, (error, stdout, stderr) =>
        resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
      );
    });
  const latin1Row = (text: string) => Buffer.concat([Buffer.from(`{"text": "${text} `), Buffer.from([0x63, 0x61, 0x66, 0xe9]), Buffer.from('", "l1": "Blocked", "l2": "Legal/Regulatory", "grade": "great", "findings": []}\n')]);

  it('eval with two files says it reads one file or a folder, not to quote a value (exit 2)', async () => {
    const r = await run(['eval', '--playbook', 'playbooks', 'a.jsonl', 'b.jsonl']);
    expect([r.status, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toMatch(/^unblock: `unblock eval` takes 1 word besides its options, not 2: "a\.jsonl", "b\.jsonl"\. /);
    expect(r.stderr).toContain('one JSONL file or a folder of *.jsonl files');
    expect(r.stderr).not.toContain('quotes');
  }, 120_000);

  it.skipIf(!hasBash)('notes eval reads a pipe (bash <(...)) as eval does', async () => {
    const file = join(work, 'graded-piped.jsonl');
    writeFileSync(file, `${JSON.stringify(graded)}\n`);
    const r = await runPiped(['notes', 'eval', '--no-classifier', '--json'], file);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ reports: [{ path: expect.stringMatching(/^\/dev\/fd\/\d+$/), total: 1 }] });
  }, 120_000);

  it('eval of a folder reads its files only, not a subfolder named *.jsonl; notes eval refuses a folder by name', async () => {
    const folder = join(work, 'with-sub');
    mkdirSync(join(folder, 'sub.jsonl'), { recursive: true });
    writeFileSync(join(folder, 'a.jsonl'), `${JSON.stringify(labelled)}\n`);
    const r = await run(['eval', '--json', folder]);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ count: 1, skipped: [] });
    const only = join(work, 'only-sub');
    mkdirSync(join(only, 'sub.jsonl'), { recursive: true });
    const none = await run(['eval', only]);
    expect([none.status, none.stderr]).toEqual([2, `unblock: No *.jsonl files in the folder ${only}. [BAD_ARGUMENTS]\n`]);
    const notes = await run(['notes', 'eval', '--no-classifier', folder]);
    expect([notes.status, notes.stderr]).toEqual([2, `unblock: ${folder} is a folder: give a JSONL file of graded notes. [BAD_ARGUMENTS]\n`]);
  }, 120_000);

  it('eval and notes eval refuse a UTF-16 file and one with bytes UTF-8 does not allow, naming the line, as for standard input', async () => {
    const u16 = join(work, 'u16.jsonl');
    writeFileSync(u16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${JSON.stringify(labelled)}\n`, 'utf16le')]));
    const latin1 = join(work, 'latin1.jsonl');
    writeFileSync(latin1, Buffer.concat([Buffer.from(`${JSON.stringify({ ...labelled, grade: 'great', findings: [] })}\n\n`), latin1Row('Legal has not approved the terms at the')]));
    for (const command of [['eval'], ['notes', 'eval', '--no-classifier']]) {
      const a = await run([...command, u16]);
      expect([a.status, a.stdout, a.stderr]).toEqual([1, '', `unblock: ${u16} is UTF-16 text. Save it as UTF-8 text and run again. [INVALID_JSON]\n`]);
      const b = await run([...command, latin1]);
      expect([b.status, b.stdout, b.stderr]).toEqual([1, '', `unblock: ${latin1} is not UTF-8 text: line 3 has bytes UTF-8 does not allow (the file may be saved as Windows-1252 or Latin-1). Save it as UTF-8 text and run again. [INVALID_JSON]\n`]);
    }
  }, 120_000);

  it.skipIf(!hasBash)('a pipe is checked as it is read: bytes UTF-8 does not allow are named with their line', async () => {
    const file = join(work, 'latin1-piped.jsonl');
    writeFileSync(file, Buffer.concat([Buffer.from(`${JSON.stringify({ ...labelled, grade: 'great', findings: [] })}\n`), latin1Row('Legal has not approved the terms at the')]));
    for (const command of [['eval'], ['notes', 'eval', '--no-classifier']]) {
      const r = await runPiped(command, file);
      expect([r.status, r.stdout], r.stderr).toEqual([1, '']);
      expect(r.stderr).toMatch(/^unblock: \/dev\/fd\/\d+ is not UTF-8 text: line 2 has bytes UTF-8 does not allow .* \[INVALID_JSON\]\n$/);
    }
  }, 120_000);

  it('notes eval --json gives each result the line of the file it is on, beside its index', async () => {
    const file = join(work, 'graded-lines.jsonl');
    writeFileSync(file, `\n${JSON.stringify(graded)}\n\n\n${JSON.stringify({ ...graded, text: 'Customer cannot deploy right now.' })}\n`);
    const r = await run(['notes', 'eval', '--no-classifier', '--json', file]);
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { reports: { results: Record<string, unknown>[] }[] };
    expect(doc.reports[0]!.results.map((x) => [x.index, x.line])).toEqual([[0, 2], [1, 5]]);
    expect(Object.keys(doc.reports[0]!.results[0]!).slice(0, 2)).toEqual(['index', 'line']);
  }, 120_000);
});
