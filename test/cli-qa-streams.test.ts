/**
 * CLI QA pass (streams and shapes): `serve` writes its progress and notices (training the classifier,
 * the playbook's warnings) on stderr, as `classify` does, and keeps stdout for what it serves (the
 * banner); `notes grade --input` writes each finding in the shape `notes grade --json` (and
 * `POST /api/notes/grade`) gives it, `severity` included; output that cannot be written (a full disk)
 * ends the command with one line saying so, not a stack trace; a CSV line of spaces or tabs is a blank
 * line, skipped as JSONL skips one, not a bad row; every --help names the value of an option every
 * command shares with the same word; `notes eval` of a set with no graded note fails (exit 1) as `eval`
 * of one with no labelled note does, rather than reporting 0% agreement as a success; a command group
 * run without its command says so in one sentence; an --input file with no note at all (empty, blank
 * lines, a CSV header alone) fails (exit 1) as an empty CSV or standard input does; after `--`, `--help`
 * is text like any other. Runs the built CLI (dist).
 */
import { spawnSync } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runUnblock, serveOutputs as serveWith, UNBLOCK_BIN } from './cli-process.js';

const serveOutputs = (args: string[], extraEnv: Record<string, string>) => serveWith(args, { cwd: work, env: { ...env, ...extraEnv }, timeout: 150_000 });

const root = join(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'unblock-qa-streams-'));
const env = { ...process.env, DATA_DIR: join(work, 'data'), LOG_LEVEL: 'silent', UNBLOCK_DEBUG: '', DATABASE_URL: '', SQLITE_FILE: '', PLAYBOOK_DIR: '', NO_COLOR: '1' };
const run = (args: string[], input?: string) => runUnblock(args, { cwd: work, env, input, timeout: 120_000 });

afterAll(() => rmSync(work, { recursive: true, force: true }));


describe('unblock serve: notices on stderr, the banner on stdout', () => {
  it('a page set it trains a model for: the training notice and the playbook warning go to stderr, as classify writes them', async () => {
    const pages = join(work, 'pages');
    mkdirSync(pages);
    for (const page of ['in-progress--migration.md', 'blocked--app-compatibility.md', 'blocked--legal-regulatory.md', 'duplicate-invalid.md']) copyFileSync(join(root, 'playbooks', page), join(pages, page));
    // A page that names its code but says nothing yet: two lint errors, so a warning line.
    writeFileSync(join(pages, 'blocked--proxy-trouble.md'), '---\ntitle: Blocked - Proxy Trouble\n---\n\n# Proxy Trouble\n\nTo write: the outbound proxy keeps cutting connections.\n');

    const { stdout, stderr } = await serveOutputs(['--playbook', pages], { DATA_DIR: join(work, 'serve-data') });
    expect(stdout).not.toMatch(/training|warning/i);
    expect(stdout).toMatch(/^Unblock is running at http:\/\/127\.0\.0\.1:\d+$/m);
    expect(stdout).toMatch(/^Playbook: taxonomy \w+, 5 codes;/m);
    const lines = stderr.split('\n').filter((l) => l !== '');
    expect(lines.filter((l) => /training the classifier/i.test(l))).toEqual([expect.stringMatching(/^unblock: training the classifier for this page set \(up to a minute; cached under DATA_DIR afterwards\)\.\.\.$/)]);
    expect(lines.filter((l) => /warning/i.test(l))).toEqual([expect.stringMatching(/^unblock: warning: the playbook has 2 error\(s\) in 1 page\(s\);/)]);
  }, 180_000);
});

describe('unblock notes grade --input: findings as --json gives them', () => {
  it('each finding of a result line has the fields and order of --json, severity included', async () => {
    const note = 'Customer cannot deploy right now.';
    const single = await run(['notes', 'grade', '--no-classifier', '--json', note]);
    expect(single.status, single.stderr).toBe(0);
    const expected = (JSON.parse(single.stdout) as { findings: Record<string, unknown>[] }).findings;
    expect(expected.length).toBeGreaterThan(1);

    const streamed = await run(['notes', 'grade', '--no-classifier', '--input', '-'], `${JSON.stringify({ id: 'n1', text: note })}\n`);
    expect(streamed.status, streamed.stderr).toBe(0);
    const findings = (JSON.parse(streamed.stdout.trim()) as { findings: Record<string, unknown>[] }).findings;
    expect(findings).toEqual(expected);
    expect(findings.map((f) => Object.keys(f))).toEqual(expected.map(() => ['code', 'severity', 'message', 'span', 'fix']));
    expect(findings.map((f) => f.severity)).toEqual(['error', 'warning']);
  });
});

describe('standard output that cannot be written', () => {
  // /dev/full answers every write with ENOSPC, as a full disk does.
  it.skipIf(!existsSync('/dev/full'))('a full disk: one line naming the failure, exit 1, no stack trace', () => {
    for (const args of [['playbook', 'parse', '--json'], ['--help']]) {
      const full = openSync('/dev/full', 'w');
      try {
        const r = spawnSync(process.execPath, [UNBLOCK_BIN, ...args], { cwd: work, env, encoding: 'utf8', stdio: ['ignore', full, 'pipe'], timeout: 60_000 });
        expect(r.status, r.stderr).toBe(1);
        expect(r.stderr).toMatch(/^unblock: could not write to standard output: .*no space left on device/im);
        expect(r.stderr).not.toMatch(/^\s+at /m);
        expect(r.stderr.trim().split('\n')).toHaveLength(1);
      } finally {
        closeSync(full);
      }
    }
  });

  it.skipIf(!existsSync('/dev/full'))('--output on a full disk: classify and notes grade name the file, as export does', async () => {
    const notes = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ id: i, text: `Proxy drops connections to the cloud, case ${i}` })).join('\n');
    for (const command of [['classify'], ['notes', 'grade', '--no-classifier']]) {
      const r = await run([...command, '--input', '-', '--output', '/dev/full'], notes);
      expect(r.status, r.stderr).toBe(1);
      expect(r.stderr).toMatch(/^unblock: Could not write \/dev\/full: ENOSPC: no space left on device/);
      expect(r.stderr).not.toMatch(/unexpected failure/);
    }
  });
});

describe('--input CSV lines that hold only spaces or tabs', () => {
  // Line 3 holds spaces, line 4 a tab (an editor's leftovers), line 6 a row with a cell too many.
  const csv = 'id,text\r\n1,Proxy drops connections to the cloud\r\n   \r\n\t\r\n2,"IT has no one, yet, to run it"\r\n3,a,b\r\n';

  it.each([
    ['classify', ['classify', '--input', '-']],
    ['notes grade', ['notes', 'grade', '--no-classifier', '--input', '-']],
  ])('%s skips them as blank lines (as in JSONL), and numbers the rows after them by their line', async (_name, args) => {
    const r = await run(args, csv);
    expect(r.status, r.stderr).toBe(1);
    const out = r.stdout.trim().split('\n').map((line) => JSON.parse(line) as { id: string; row?: number; error?: unknown });
    expect(out.map((o) => o.id)).toEqual(['1', '2', '3']);
    expect(out.filter((o) => o.error).map((o) => o.row)).toEqual([6]);
    expect(r.stderr).toMatch(/; 1 bad row\(s\)/);
  });
});

describe('--help: one placeholder per shared option', () => {
  it('names the value of --playbook, --database, --input and --output alike in every command that takes it', async () => {
    const commands = [
      ['playbook', 'show'], ['classify'], ['eval'], ['notes', 'grade'], ['serve'], ['report'], ['import'], ['export'],
      ['admin', 'create-partner'], ['admin', 'create-user'], ['admin', 'create-token'], ['admin', 'set-password'], ['admin', 'list'], ['admin', 'copy-database'],
    ];
    const expected: Record<string, string> = { playbook: 'dir', database: 'url|file', input: 'file', output: 'file' };
    const seen: Record<string, string[]> = {};
    for (const command of commands) {
      const help = await run([...command, '--help']);
      expect(help.status, command.join(' ')).toBe(0);
      for (const [, option, placeholder] of help.stdout.matchAll(/--(playbook|database|input|output)=<([^>]*)>/g)) (seen[option!] ??= []).push(`${command.join(' ')}: ${placeholder}`);
    }
    expect(Object.keys(seen).sort()).toEqual(Object.keys(expected).sort());
    for (const [option, placeholders] of Object.entries(seen)) expect(placeholders, option).toEqual(placeholders.map((p) => p.replace(/: .*$/, `: ${expected[option]}`)));
  });
});

describe('notes eval of a set with no graded note', () => {
  it('exits 1 naming the set, as eval does for one with no labelled note, rather than printing 0% agreement', async () => {
    const empty = join(work, 'no-notes.jsonl');
    writeFileSync(empty, '\n  \n');
    const labelled = await run(['eval', empty]);
    expect(labelled.status).toBe(1);
    for (const [args, input, name] of [[['notes', 'eval', '--no-classifier', empty], undefined, empty], [['notes', 'eval', '--no-classifier', '--json', '-'], '', 'standard input']] as const) {
      const r = await run([...args], input);
      expect(r.status, r.stdout).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`unblock: No graded notes in ${name}: give JSONL lines with "text", "grade" (great|marginal|poor) and "findings". [VALIDATION_FAILED]\n`);
    }
  });
});

describe('a command group without its command', () => {
  it.each([['admin'], ['notes'], ['playbook']])('unblock %s: names its commands after one full stop, exit 2', async (group) => {
    const r = await run([group]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`^unblock: No command specified\\. The commands of \`unblock ${group}\` are: [a-z, -]+\\.\nRun \`unblock ${group} --help\` for usage\\.\n$`));
  });
});

describe('an --input file that holds no note', () => {
  const files: [string, string, RegExp][] = [
    ['empty.jsonl', '', /^unblock: \S+empty\.jsonl holds no notes: /],
    ['blank.jsonl', '\n  \r\n\n', /^unblock: \S+blank\.jsonl holds no notes: /],
    ['header.csv', '\uFEFFid,text\r\n\r\n', /^unblock: \S+header\.csv has a header row but no data rows: no notes to /],
  ];
  it.each([
    ['classify', ['classify']],
    ['notes grade', ['notes', 'grade', '--no-classifier']],
  ])('%s: exits 1 saying so, and leaves an existing --output file as it was', async (_name, command) => {
    for (const [name, content, message] of files) {
      const input = join(work, name);
      writeFileSync(input, content);
      const output = join(work, `${name}.out`);
      writeFileSync(output, 'kept\n');
      const r = await run([...command, '--input', input, '--output', output]);
      expect(r.status, `${name}: ${r.stderr}`).toBe(1);
      expect(r.stderr, name).toMatch(message);
      expect(r.stderr.trim().split('\n'), name).toHaveLength(1);
      expect(readFileSync(output, 'utf8'), name).toBe('kept\n');
    }
  });
});

describe('-- ends the options', () => {
  it('a note after -- that reads "--help" or "-h" is graded, not taken for a request for usage', async () => {
    for (const note of ['--help', '-h']) {
      const r = await run(['notes', 'grade', '--no-classifier', '--json', '--', note]);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).not.toMatch(/USAGE/);
      expect((JSON.parse(r.stdout) as { text: string }).text).toBe(note);
    }
  });
});
