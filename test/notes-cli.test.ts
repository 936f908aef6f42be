import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const bin = join(root, 'bin', 'unblock.js');
let dir = '';

function run(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, 'notes', ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, UNBLOCK_DEBUG: '' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const lines = (text: string) =>
  text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

beforeAll(() => {
  // test/global-setup.ts builds dist/ once for every test file.
  if (!existsSync(join(root, 'dist', 'src', 'cli', 'commands', 'notes.js'))) throw new Error('the build did not produce dist/src/cli/commands/notes.js');
  dir = mkdtempSync(join(tmpdir(), 'unblock-notes-'));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('unblock notes grade TEXT', () => {
  it('grades "Customer cannot deploy right now." poor and names what is missing', () => {
    const r = run('grade', 'Customer cannot deploy right now.');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Grade: POOR/);
    expect(r.stdout).toMatch(/NO_REASON/);
    expect(r.stdout).toMatch(/HEDGING/);
    expect(r.stdout).toMatch(/fix:/);
  });

  it('prints JSON with --json and uses the context flags', () => {
    const r = run('grade', '--json', '--no-classifier', '--l1', 'Status Unknown', '--l2', 'Customer Unresponsive', '--unmanaged', 'No reply to 3 emails and 2 calls since May; managed account.');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { grade: string; findings: { code: string; span: unknown }[]; template: string };
    expect(out.grade).toBe('marginal');
    expect(out.findings.map((f) => f.code)).toEqual(['UNRESPONSIVE_NO_MANAGED']);
    expect(out.template).toMatch(/contact attempts/);
  });

  it.each([
    ['Blocked', 'Customer wants Teams Phone but is blocked because its SBCs are not certified for Direct Routing; replacements arrive in August.'],
    ['No Intent', 'No intent to use Intune because every device is managed with Jamf under a three-year contract.'],
    ['In Progress', 'Customer is migrating 600 mailboxes in three waves; wave 2 is done and the last ends on 30 June.'],
  ])('grades a great %s note great', (l1, text) => {
    const r = run('grade', '--no-classifier', '--l1', l1, text);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Grade: GREAT/);
  });

  it.each([
    [['grade'], /Give the note to grade/],
    [['grade', '--bogus', 'x'], /Unknown option "--bogus"/],
    [['grade', '--managed', '--unmanaged', 'x'], /not both/],
    [['grade', '--output', 'x.jsonl', 'a note'], /--output goes with --input/],
    [['grade', '--no-classifier', '--l1', 'Bloked', '--l2', 'Foo Bar', 'Customer wants Teams Phone but is blocked because its SBCs are not certified.'], /Unknown L1 "Bloked"[^\n]*\. \[BAD_ARGUMENTS\]\n$/],
    [['grade', '--no-classifier', '--l1', 'Blocked', '--l2', 'Migration', 'Customer wants Teams Phone but is blocked because its SBCs are not certified.'], /"Migration" is not a reason under Blocked[^\n]*\. \[BAD_ARGUMENTS\]\n$/],
    [['grade', '--no-classifier', '--l2', 'Foo Bar', 'a note'], /Unknown L2 "Foo Bar"[^\n]*\. \[BAD_ARGUMENTS\]\n$/],
  ])('rejects unusable arguments %j with exit 2', (args, message) => {
    const r = run(...(args as string[]));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message as RegExp);
    // One error code, the exit status's: not "(UNKNOWN_CODE) [BAD_ARGUMENTS]".
    expect(r.stderr).not.toMatch(/UNKNOWN_CODE|RULE_VIOLATION/);
  });
});

describe('unblock notes grade --input', () => {
  it('streams JSONL results, passes extra fields through and reports bad rows by number', () => {
    const input = join(dir, 'notes.jsonl');
    writeFileSync(
      input,
      [
        JSON.stringify({ id: 'a1', text: 'Blocked', l1: 'Blocked' }),
        '{not json',
        JSON.stringify({ id: 'a3', l1: 'Blocked' }),
        '',
        JSON.stringify({ id: 'a5', text: 'No intent: they use Zoom for all calls.', l1: 'No Intent', workload: 'SharePoint Online', otherNotes: [{ workload: 'Teams', text: 'No intent: they use Zoom for all calls.' }] }),
      ].join('\n'),
    );
    const r = run('grade', '--no-classifier', '--input', input);
    expect(r.code).toBe(1);
    const out = lines(r.stdout);
    expect(out).toHaveLength(4);
    expect(out[0]).toMatchObject({ id: 'a1', text: 'Blocked', grade: 'poor' });
    expect((out[0]!.findings as { code: string }[])[0]!.code).toBe('NOTE_BARE_STATUS');
    expect(Object.keys((out[0]!.findings as object[])[0]!).sort()).toEqual(['code', 'fix', 'message', 'severity', 'span']);
    expect(out[1]).toMatchObject({ row: 2, error: { code: 'INVALID_JSON' } });
    expect(out[2]).toMatchObject({ row: 3, error: { code: 'VALIDATION_FAILED' } });
    expect((out[3]!.findings as { code: string }[]).map((f) => f.code)).toContain('PASTED_ACROSS_WORKLOADS');
    expect(r.stderr).toMatch(/graded 2 note\(s\).*2 bad row/);
  });

  it('resolves each row\'s l1/l2 like POST /api/notes/grade and reports a bad label as a bad row', () => {
    const input = join(dir, 'labels.jsonl');
    const text = 'Customer wants Teams Phone but is blocked because its SBCs are not certified for Direct Routing; replacements arrive in August.';
    writeFileSync(
      input,
      [
        JSON.stringify({ id: 'ok', text, l1: 'blocked', l2: 'app compatibility' }),
        JSON.stringify({ id: 'typo', text, l1: 'Bloked' }),
        JSON.stringify({ id: 'other', text, l1: 'Blocked', l2: 'Migration' }),
      ].join('\n'),
    );
    const r = run('grade', '--no-classifier', '--input', input);
    expect(r.code).toBe(1);
    const out = lines(r.stdout);
    expect(out[0]).toMatchObject({ id: 'ok' });
    expect(out[0]!.grade).toBeDefined();
    expect(out[1]).toMatchObject({ id: 'typo', row: 2, error: { code: 'UNKNOWN_CODE' } });
    expect(out[2]).toMatchObject({ id: 'other', row: 3, error: { code: 'RULE_VIOLATION' } });
  });

  it('reports a row\'s workload the catalogue lacks as a bad row, as --workload and the API refuse it', () => {
    const input = join(dir, 'workloads.jsonl');
    const text = 'Customer wants the service but the proxy blocks its traffic until the network team opens it in May.';
    writeFileSync(input, [JSON.stringify({ id: 'known', text, workload: 'exchange online' }), JSON.stringify({ id: 'unknown', text, workload: 'Nope Online' })].join('\n'));
    const r = run('grade', '--no-classifier', '--input', input);
    expect(r.code).toBe(1);
    const out = lines(r.stdout);
    expect(out[0]!.grade).toBeDefined();
    expect(out[1]).toMatchObject({ id: 'unknown', row: 2, error: { code: 'UNKNOWN_CODE', message: expect.stringContaining('no workload "Nope Online"') as string } });
  });

  it('reads CSV with a header and writes --output', () => {
    const input = join(dir, 'notes.csv');
    const output = join(dir, 'graded.jsonl');
    writeFileSync(
      input,
      'customer,text,l1,managed\n' +
        'Contoso,"No reply to 4 emails and 2 calls since March; unmanaged account, no account team.",Status Unknown,false\n' +
        'Fabrikam,"Customer is currently not sure, see notes.",Blocked,\n' +
        'Litware,"Customer has no response yet",Status Unknown,maybe\n',
    );
    const r = run('grade', '--no-classifier', '--input', input, '--output', output);
    expect(r.stdout).toBe('');
    const out = lines(readFileSync(output, 'utf8'));
    expect(out[0]).toMatchObject({ customer: 'Contoso', grade: 'great' });
    expect(out[1]).toMatchObject({ customer: 'Fabrikam', grade: 'poor' });
    // The row is the file's line (the header is line 1), and the row's own columns come back with the error.
    expect(out[2]).toMatchObject({ customer: 'Litware', row: 4, error: { code: 'VALIDATION_FAILED', message: 'The "managed" column must be true or false.' } });
    expect(r.code).toBe(1);
  });

  it('fails clearly on a missing file, as an unusable argument (exit 2)', () => {
    const r = run('grade', '--no-classifier', '--input', join(dir, 'nope.jsonl'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--input: no file at .*nope\.jsonl.*\[BAD_ARGUMENTS\]/);
  });
});

describe('unblock notes eval', () => {
  it('finds its default graded set from the package, whatever the working folder', () => {
    const r = spawnSync(process.execPath, [bin, 'notes', 'eval', '--no-classifier', '--json'], { cwd: tmpdir(), encoding: 'utf8', env: { ...process.env, UNBLOCK_DEBUG: '' } });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const report = (JSON.parse(r.stdout) as { reports: { path: string; total: number }[] }).reports[0]!;
    expect(report.path).toBe(join(root, 'eval', 'notes', 'heldout.jsonl'));
    expect(report.total).toBeGreaterThan(0);
  });

  it('reports agreement with the development graded set', () => {
    const r = run('eval', '--no-classifier', '--json', 'eval/notes/dev.jsonl');
    expect(r.code).toBe(0);
    const report = (JSON.parse(r.stdout) as { reports: { total: number; gradeAgreement: number; greatWithoutReason: number }[] }).reports[0]!;
    expect(report.total).toBeGreaterThanOrEqual(60);
    expect(report.greatWithoutReason).toBe(0);
    expect(report.gradeAgreement).toBeGreaterThanOrEqual(0.9);
  });
});
