/**
 * The files the CLI reads and writes: `--input`/`--output` of `classify` and `notes grade` (same file,
 * folders, atomic replacement, result-field collisions, BOMs, CSV headers and line numbers), the
 * playbook commands take from PLAYBOOK_DIR, and the database `report` and `admin` open.
 */
import { existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openOutput, writeLine } from '../src/cli/output-file.js';
import { runUnblock, type CliResult } from './cli-process.js';

const root = join(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'unblock-files-'));
const pages = join(root, 'test', 'fixtures', 'customer-pages');
const BOM = '\uFEFF';

/** Runs the CLI in `work` with its own DATA_DIR and no playbook or database from the caller's environment. */
function run(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return runUnblock(args, {
    cwd: work,
    timeout: 120_000,
    env: { ...process.env, DATA_DIR: join(work, 'data'), PLAYBOOK_DIR: '', DATABASE_URL: '', UNBLOCK_DEBUG: '', NO_COLOR: '1', ...env },
  });
}

/*
 * Most tests here work on files of their own (each case of an it.each names its files after the case),
 * so they run side by side: a test file spends most of its time waiting on CLI processes, and one at a
 * time leaves a core idle. Their CLI runs queue for a core (./cli-process.ts), so a test may wait on the
 * others' runs: the concurrent suites allow for that in their timeout.
 */
const CONCURRENT = { timeout: 180_000 };

const jsonLines = (text: string) =>
  text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

/** A fresh file under `work` holding `text`. */
function file(name: string, text: string): string {
  const path = join(work, name);
  writeFileSync(path, text);
  return path;
}

const NOTES_JSONL = `${[JSON.stringify({ id: 'n1', text: 'The firewall drops traffic to Exchange Online' }), JSON.stringify({ id: 'n2', text: 'CAB freeze until March' })].join('\n')}\n`;
const NOTES_CSV = 'id,text\n1,The firewall drops traffic to Exchange Online\n2,CAB freeze until March\n';
const GRADE = ['notes', 'grade', '--no-classifier'];

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.concurrent('--output that is the --input file (S1)', CONCURRENT, () => {
  it.each([
    ['classify JSONL', ['classify'], 'same.jsonl', NOTES_JSONL],
    ['notes grade JSONL', GRADE, 'same2.jsonl', NOTES_JSONL],
    ['classify CSV', ['classify'], 'same3.csv', NOTES_CSV],
    ['notes grade CSV', GRADE, 'same4.csv', NOTES_CSV],
  ])('%s: refuses (exit 2) and leaves the notes as they were', async (_, command, name, text) => {
    const input = file(name, text);
    for (const output of [input, `./${name}`, join(work, '.', name)]) {
      const r = await run([...command, '--input', name, '--output', output]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/--output .* is the same file as --input .*Choose another --output file\. \[BAD_ARGUMENTS\]/);
      expect(readFileSync(input, 'utf8')).toBe(text);
    }
  });

  it('sees the same file through a symbolic link and a hard link', async () => {
    const input = file('linked.jsonl', NOTES_JSONL);
    symlinkSync(input, join(work, 'symlink.jsonl'));
    linkSync(input, join(work, 'hardlink.jsonl'));
    for (const [from, to] of [
      ['symlink.jsonl', 'linked.jsonl'],
      ['linked.jsonl', 'symlink.jsonl'],
      ['linked.jsonl', 'hardlink.jsonl'],
    ]) {
      const r = await run(['classify', '--input', from!, '--output', to!]);
      expect(r.status, `${from} -> ${to}`).toBe(2);
      expect(r.stderr).toMatch(/is the same file as --input/);
    }
    expect(readFileSync(input, 'utf8')).toBe(NOTES_JSONL);
  });

  it('replaces an existing --output only when done, leaving no temporary file behind', async () => {
    const folder = join(work, 'replace');
    mkdirSync(folder);
    const output = join(folder, 'out.jsonl');
    writeFileSync(output, 'old results\n');
    const r = await run(['classify', '--input', file('replace.jsonl', NOTES_JSONL), '--output', output]);
    expect(r.status).toBe(0);
    expect(jsonLines(readFileSync(output, 'utf8')).map((l) => l.id)).toEqual(['n1', 'n2']);
    expect(readdirSync(folder)).toEqual(['out.jsonl']);
  });
});

describe('the --output file is written atomically', () => {
  it('a discarded run leaves the existing file as it was; a committed one replaces it', async () => {
    const folder = join(work, 'atomic');
    mkdirSync(folder);
    const output = join(folder, 'results.jsonl');
    writeFileSync(output, 'before\n');
    const failed = openOutput(output);
    await writeLine(failed.stream, '{"half":"written"}');
    // While the run goes on, the target still holds the old results.
    expect(readFileSync(output, 'utf8')).toBe('before\n');
    failed.discard();
    expect(readFileSync(output, 'utf8')).toBe('before\n');
    expect(readdirSync(folder)).toEqual(['results.jsonl']);

    const done = openOutput(output);
    await writeLine(done.stream, '{"all":"written"}');
    await done.commit();
    expect(readFileSync(output, 'utf8')).toBe('{"all":"written"}\n');
    expect(readdirSync(folder)).toEqual(['results.jsonl']);
  });

  it('writes through a symbolic link, and straight to a device such as /dev/null', async () => {
    const real = file('real-results.jsonl', 'old\n');
    const link = join(work, 'link-results.jsonl');
    symlinkSync(real, link);
    const input = file('through.jsonl', NOTES_JSONL);
    expect((await run(['classify', '--input', input, '--output', link])).status).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(jsonLines(readFileSync(real, 'utf8'))).toHaveLength(2);
    const devNull = await run(['classify', '--input', input, '--output', '/dev/null']);
    expect(devNull.status).toBe(0);
    expect(devNull.stdout).toBe('');
  });

  it('a discarded run creates no file where there was none', async () => {
    const output = join(work, 'atomic', 'never.jsonl');
    openOutput(output).discard();
    expect(existsSync(output)).toBe(false);
    expect(readdirSync(join(work, 'atomic')).filter((f) => f.includes('never'))).toEqual([]);
  });
});

describe.concurrent('--output naming a folder or a missing folder (S2)', CONCURRENT, () => {
  it.each([
    ['classify', ['classify']],
    ['notes grade', GRADE],
  ])('%s: exit 2 with a clear message and no stack trace', async (_, command) => {
    const input = file(`s2-${command[0]}.csv`, NOTES_CSV);
    const folder = join(work, `s2-folder-${command[0]}`);
    mkdirSync(folder, { recursive: true });
    const toFolder = await run([...command, '--input', input, '--output', folder]);
    expect(toFolder.status).toBe(2);
    expect(toFolder.stderr).toBe(`unblock: --output must be a file, and ${folder} is a folder. [BAD_ARGUMENTS]\n`);
    const missing = join(work, 'no-such-folder', 'deeper');
    const toMissing = await run([...command, '--input', input, '--output', join(missing, 'out.jsonl')]);
    expect(toMissing.status).toBe(2);
    expect(toMissing.stderr).toContain(`--output: the folder ${missing} does not exist`);
    for (const r of [toFolder, toMissing]) expect(r.stderr).not.toMatch(/Unhandled 'error' event|EISDIR|ENOENT|node:/);
  });

  it('checks --output before reading --input', async () => {
    const noTextColumn = file('s2-bad.csv', 'id,body\n1,x\n');
    const r = await run(['classify', '--input', noTextColumn, '--output', work]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--output must be a file/);
  });
});

describe.concurrent('input fields named like result fields (S5)', CONCURRENT, () => {
  it('classify keeps them as input_<name> and warns once, naming them', async () => {
    const input = file('labelled.csv', 'text,l1,l2,confidence,workload\r\n"In progress",In Progress,,high,Teams\r\nblah,Blocked,Migration,low,Teams\r\n');
    const r = await run(['classify', '--input', input]);
    expect(r.status).toBe(0);
    const rows = jsonLines(r.stdout);
    expect(rows[0]).toMatchObject({ text: 'In progress', input_l1: 'In Progress', input_l2: '', input_confidence: 'high', workload: 'Teams' });
    expect(rows[1]).toMatchObject({ text: 'blah', input_l1: 'Blocked', input_l2: 'Migration', input_confidence: 'low' });
    expect(typeof rows[1]!.confidence).toBe('number');
    expect(rows[1]!.l2).not.toBe('Migration');
    const warnings = r.stderr.split('\n').filter((l) => /warning/.test(l));
    expect(warnings).toEqual(['unblock: warning: input column(s) l1, l2, confidence share a name with result fields; kept as input_l1, input_l2, input_confidence.']);
  });

  it('classify names JSONL fields as fields, and keeps an input_<name> the input already has', async () => {
    const input = file('labelled.jsonl', `${JSON.stringify({ text: 'CAB freeze until March', code: 'mine', input_code: 'taken', alternatives: ['a'] })}\n`);
    const r = await run(['classify', '--input', input]);
    expect(r.status).toBe(0);
    const [row] = jsonLines(r.stdout);
    expect(row).toMatchObject({ input_code: 'taken', input_input_code: 'mine', input_alternatives: ['a'] });
    expect(r.stderr).toMatch(/warning: input field\(s\) code, alternatives share a name/);
  });

  it('notes grade keeps a "grade" column of its own', async () => {
    const input = file('reviewed.csv', 'text,grade\n"No reply to 4 emails and 2 calls since March; unmanaged account, no account team.",poor\n');
    const r = await run([...GRADE, '--input', input]);
    expect(jsonLines(r.stdout)[0]).toMatchObject({ input_grade: 'poor', grade: expect.any(String) as string, score: expect.any(Number) as number });
    expect(r.stderr).toMatch(/warning: input column\(s\) grade share a name with result fields; kept as input_grade\./);
  });
});

describe.concurrent('JSONL with a UTF-8 byte order mark (S6)', CONCURRENT, () => {
  const bomJsonl = `${BOM}${JSON.stringify({ text: 'Firewall blocks Teams media ports', ticket: 'A-1' })}\r\n${JSON.stringify({ text: 'CAB freeze until March' })}\r\n`;

  it.each([
    ['classify', ['classify']],
    ['notes grade', GRADE],
  ])('%s keeps the first row', async (_, command) => {
    const r = await run([...command, '--input', file(`bom-${command[0]}.jsonl`, bomJsonl)]);
    expect(r.status).toBe(0);
    const rows = jsonLines(r.stdout);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ ticket: 'A-1', text: 'Firewall blocks Teams media ports' });
    expect(rows.some((row) => 'error' in row)).toBe(false);
  });

  it('eval reads the first line', async () => {
    const labelled = `${BOM}${JSON.stringify({ text: 'No reply to five emails and three calls', l2: 'Customer Unresponsive' })}\n${JSON.stringify({ text: 'CAB will not approve monthly updates', l2: 'IT Change Management and Resourcing' })}\n`;
    const r = await run(['eval', file('bom-eval.jsonl', labelled)]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Evaluated 2 notes/);
    expect(r.stdout).not.toMatch(/skipped/);
  });

  it('notes eval reads the first line', async () => {
    const graded = `${BOM}${JSON.stringify({ text: 'CAB freeze until March', grade: 'marginal', findings: [] })}\n`;
    const r = await run(['notes', 'eval', '--no-classifier', '--json', file('bom-graded.jsonl', graded)]);
    expect(r.stderr).not.toMatch(/not valid JSON/);
    expect(r.status).toBe(0);
    expect((JSON.parse(r.stdout) as { reports: { total: number }[] }).reports[0]!.total).toBe(1);
  });
});

describe.concurrent('CSV headers (M1)', CONCURRENT, () => {
  it.each([
    ['classify', ['classify']],
    ['notes grade', GRADE],
  ])('%s reads a "note" column (the export\'s) or a "Text" one, any case and spacing', async (_, command) => {
    const exported = file(`export-${command[0]}.csv`, `${BOM}id,code,l1,l2,note,owner\r\n7,blocked/app-compatibility,Blocked,App Compatibility,"CAB freeze, until March",Ann\r\n`);
    const a = await run([...command, '--input', exported]);
    expect(a.status).toBe(0);
    expect(jsonLines(a.stdout)[0]).toMatchObject({ id: '7', text: 'CAB freeze, until March', owner: 'Ann' });
    const capitalised = file(`capitalised-${command[0]}.csv`, `${BOM}ref, Text ,Owner\r\n1,"CAB freeze, until March",Ann\r\n`);
    const b = await run([...command, '--input', capitalised]);
    expect(b.status).toBe(0);
    expect(jsonLines(b.stdout)[0]).toMatchObject({ ref: '1', text: 'CAB freeze, until March', Owner: 'Ann' });
  });

  it.each([
    ['classify', 'semicolons', ['classify'], 'id;text;owner\n1;CAB freeze;Ann\n'],
    ['notes grade', 'semicolons', GRADE, '"id";"note"\n1;"CAB freeze"\n'],
    ['classify', 'tabs', ['classify'], 'id\ttext\n1\tCAB freeze\n'],
  ])('%s says a header separated by %s should be saved with commas', async (_, separator, command, text) => {
    const r = await run([...command, '--input', file(`separated-${command[0]}-${separator}.csv`, text)]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`uses ${separator} between its cells.*Save it as CSV with commas.*\\[CSV_INVALID\\]`));
    expect(r.stdout).toBe('');
  });

  it('notes grade refuses a CSV with no text column as classify does, instead of failing every row', async () => {
    for (const command of [['classify'], GRADE]) {
      const r = await run([...command, '--input', file('no-text.csv', 'id,body\n1,x\n2,y\n')]);
      expect(r.status).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/no "text" \(or "note"\) column; its header is: id,body \[CSV_INVALID\]/);
    }
  });

  it('words a CSV row error with columns, not JSON fields', async () => {
    const input = file('short.csv', 'id,note\n1,Fine note here\n2\n');
    for (const command of [['classify'], GRADE]) {
      const r = await run([...command, '--input', input]);
      expect(r.status).toBe(1);
      const bad = jsonLines(r.stdout)[1]!;
      expect(bad).toMatchObject({ id: '2', row: 3, error: { code: 'VALIDATION_FAILED', message: 'The row has no cell in the "note" column.' } });
    }
  });
});

// Not side by side: two of these train the same model for the customer pages, which one run then caches for the next.
describe('--playbook and PLAYBOOK_DIR (M4)', () => {
  const note = 'The admin left and nobody can run the rollout';

  it('notes grade resolves --l1/--l2 against --playbook or PLAYBOOK_DIR', async () => {
    const builtin = await run([...GRADE, '--l1', 'Stalled', '--l2', 'Staffing Gap', note]);
    expect(builtin.status).toBe(2);
    expect(builtin.stderr).toMatch(/Unknown L1 "Stalled"/);
    expect((await run([...GRADE, '--playbook', pages, '--l1', 'Stalled', '--l2', 'Staffing Gap', note])).status).toBe(0);
    expect((await run([...GRADE, '--l1', 'Stalled', '--l2', 'Staffing Gap', note], { PLAYBOOK_DIR: pages })).status).toBe(0);
    const wrong = await run([...GRADE, '--playbook', pages, '--l1', 'Stalled', '--l2', 'Rolling Out', note]);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toMatch(/not a reason under Stalled/);
  });

  it('notes grade --input resolves each row\'s labels against the pages', async () => {
    const input = file('stalled.jsonl', `${JSON.stringify({ id: 's', text: note, l1: 'Stalled', l2: 'Staffing Gap' })}\n`);
    expect(jsonLines((await run([...GRADE, '--input', input])).stdout)[0]).toMatchObject({ id: 's', error: { code: 'UNKNOWN_CODE' } });
    const r = await run([...GRADE, '--playbook', pages, '--input', input]);
    expect(r.status).toBe(0);
    expect(jsonLines(r.stdout)[0]).toMatchObject({ id: 's', grade: expect.any(String) as string });
  });

  it('notes grade with the classifier uses a model of those pages', async () => {
    const r = await run(['notes', 'grade', '--json', '--l1', 'Stalled', '--l2', 'Staffing Gap', note], { PLAYBOOK_DIR: pages });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ grade: expect.any(String) as string });
  });

  it('classify, eval and playbook show read PLAYBOOK_DIR when no --playbook is given', async () => {
    const classified = await run(['classify', '--json', 'Their only administrator resigned and the job is still open.'], { PLAYBOOK_DIR: pages });
    expect(classified.status).toBe(0);
    expect(JSON.parse(classified.stdout)).toMatchObject({ l1: 'Stalled' });
    const labelled = file('stalled-eval.jsonl', `${JSON.stringify({ text: 'Two engineers left and the backfills are not approved.', l1: 'Stalled', l2: 'Staffing Gap' })}\n`);
    const evaluated = await run(['eval', labelled], { PLAYBOOK_DIR: pages });
    expect(evaluated.status).toBe(0);
    expect(evaluated.stdout).toMatch(/Evaluated 1 notes/);
    const shown = await run(['playbook', 'show', 'Staffing Gap'], { PLAYBOOK_DIR: pages });
    expect(shown.status).toBe(0);
    expect(shown.stdout).toMatch(/^Stalled - Staffing Gap {2}\[stalled\/staffing-gap\]/);
  });

  it('names PLAYBOOK_DIR when the folder it names is missing (exit 2)', async () => {
    const missing = join(work, 'no-pages');
    const commands = [['classify', 'x'], ['eval'], ['playbook', 'show', 'x'], [...GRADE, 'x']];
    // These stop at the missing folder, before any model: they run side by side.
    const results = await Promise.all(commands.map((args) => run(args, { PLAYBOOK_DIR: missing })));
    for (const [i, args] of commands.entries()) {
      const r = results[i]!;
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^unblock: PLAYBOOK_DIR: .*no-pages/);
    }
  });

  it('says so in the --help of --playbook', async () => {
    const commands = [['classify'], ['eval'], ['playbook', 'show'], ['notes', 'grade']];
    const helps = await Promise.all(commands.map((args) => run([...args, '--help'])));
    for (const [i, args] of commands.entries()) {
      const help = helps[i]!;
      expect(help.stdout, args.join(' ')).toMatch(/--playbook.*env PLAYBOOK_DIR/);
    }
  });
});

describe.concurrent('the database report and admin open (M5, M6)', CONCURRENT, () => {
  it('report refuses a SQLite file that does not exist, and creates none', async () => {
    const data = join(work, 'empty-data');
    const r = await run(['report', 'counts'], { DATA_DIR: data });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`No database at ${join(data, 'unblock.db')}`);
    expect(r.stderr).toMatch(/DATA_DIR.*--database/);
    expect(r.stdout).toBe('');
    expect(existsSync(join(data, 'unblock.db'))).toBe(false);
  });

  it('admin creates the database when there is none, and says which', async () => {
    const data = join(work, 'admin-new');
    // Only commands that set something up create one: `admin list` on no database exits 2 (cli-walkthrough).
    const first = await run(['admin', 'create-partner', '--name', 'First Partner'], { DATA_DIR: data });
    expect(first.status).toBe(0);
    expect(first.stderr).toBe(`unblock: created a new database at ${join(data, 'unblock.db')} (there was none; DATA_DIR, DATABASE_URL or --database choose another).\n`);
    const second = await run(['admin', 'list'], { DATA_DIR: data });
    expect(second.stderr).toBe('');
    expect((await run(['report', 'counts'], { DATA_DIR: data })).status).toBe(0);
  });

  it('serve names --database (not DATABASE_URL) when it is neither a postgres:// URL nor a file path', async () => {
    const r = await run(['serve', '--port', '0', '--database', 'sqlite://db.sqlite']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('unblock: --database must be a postgres:// URL or the path of a SQLite file (leave it out for unblock.db under DATA_DIR), not "sqlite://db.sqlite". [BAD_ARGUMENTS]\n');
  });

  it('takes --database as a SQLite file, which wins over DATABASE_URL (QA round 6: two testers reached for it)', async () => {
    const file = join(work, 'own', 'team.sqlite');
    mkdirSync(join(work, 'own'), { recursive: true });
    const env = { DATA_DIR: join(work, 'own-data'), DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' };
    const created = await run(['admin', 'create-partner', '--name', 'File Partner', '--database', file], env);
    expect([created.status, created.stderr]).toEqual([0, `unblock: created a new database at ${file} (there was none; DATA_DIR, DATABASE_URL or --database choose another).\n`]);
    expect(existsSync(file)).toBe(true);
    expect(existsSync(join(work, 'own-data', 'unblock.db'))).toBe(false);
    expect((await run(['admin', 'list', '--database', file], env)).stdout).toContain('File Partner');
    expect((await run(['report', 'counts', '--database', file], env)).status).toBe(0);
    // A folder is an unusable argument (exit 2), named as such.
    const folder = await run(['report', 'counts', '--database', join(work, 'own')], env);
    expect([folder.status, folder.stderr]).toEqual([2, expect.stringContaining('names the folder')]);
    // A file that is not there is not created by a command that only reads.
    const missing = await run(['report', 'counts', '--database', join(work, 'own', 'missing.sqlite')], env);
    expect([missing.status, existsSync(join(work, 'own', 'missing.sqlite'))]).toEqual([2, false]);
  });
});

describe.concurrent('exit codes and row numbers (M7)', CONCURRENT, () => {
  it.each([
    ['classify', ['classify']],
    ['notes grade', GRADE],
  ])('%s: a missing or folder --input is an unusable argument (exit 2)', async (_, command) => {
    const missing = await run([...command, '--input', join(work, 'nope.csv')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/--input: no file at .*nope\.csv\. \[BAD_ARGUMENTS\]/);
    const folder = await run([...command, '--input', work]);
    expect(folder.status).toBe(2);
    expect(folder.stderr).toMatch(/--input must be a file.*\[BAD_ARGUMENTS\]/);
  });

  it('numbers CSV rows by the line they start on (header line 1), blank lines and multi-line cells counted, and echoes their cells', async () => {
    const input = file(
      'lines.csv',
      [
        'id,text', // 1
        '', // 2
        '1,"a note', // 3
        'on two lines"', // 4
        '2,"CAB freeze, until March",extra', // 5
        '', // 6
        '3', // 7
        '4,"never closed', // 8
        '5,x', // 9
      ].join('\r\n'),
    );
    for (const command of [['classify'], GRADE]) {
      const r = await run([...command, '--input', input]);
      expect(r.status).toBe(1);
      const rows = jsonLines(r.stdout);
      expect(rows[0]).toMatchObject({ id: '1', text: 'a note\r\non two lines' });
      expect(rows[1]).toMatchObject({ id: '2', text: 'CAB freeze, until March', row: 5, error: { code: 'CSV_INVALID' } });
      expect(rows[2]).toMatchObject({ id: '3', row: 7, error: { code: 'VALIDATION_FAILED' } });
      expect(rows[3]).toMatchObject({ row: 8, error: { code: 'CSV_INVALID' } });
      expect(rows).toHaveLength(4);
    }
  });

  it('numbers JSONL rows by their line, blank lines counted, and echoes the fields of a row without text', async () => {
    const input = file('lines.jsonl', ['', JSON.stringify({ ticket: 'T-2', body: 'not the text field' }), '{broken', JSON.stringify({ ticket: 'T-4', note: 'Legal is reviewing the DPA.' })].join('\n'));
    const rows = jsonLines((await run(['classify', '--input', input])).stdout);
    expect(rows[0]).toMatchObject({ ticket: 'T-2', body: 'not the text field', row: 2, error: { code: 'VALIDATION_FAILED', message: 'The row has no "text" (or "note") field (a string).' } });
    expect(rows[1]).toMatchObject({ row: 3, error: { code: 'INVALID_JSON' } });
    // A "note" field is the text, as a CSV "note" column is, and comes back as "text".
    expect(rows[2]).toMatchObject({ ticket: 'T-4', text: 'Legal is reviewing the DPA.' });
    expect(rows[2]).not.toHaveProperty('error');
  });
});
