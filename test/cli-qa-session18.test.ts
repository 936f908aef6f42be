/**
 * CLI QA pass (session 18): every `--json` output follows one layout rule (a single JSON document is
 * printed with a 2-space indent and one final line break; a stream, such as `classify --input`, is one
 * object per line), and `admin list` and `playbook show` take `--json` too, with the data their text
 * shows under stable field names (and no secret: no password hash, no token). Runs the built CLI (dist).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runUnblock, UNBLOCK_BIN, type CliResult } from './cli-process.js';

const work = mkdtempSync(join(tmpdir(), 'unblock-qa-s18-'));
const database = join(work, 'tracker.db');
const env = { ...process.env, DATA_DIR: join(work, 'data'), LOG_LEVEL: 'silent', UNBLOCK_DEBUG: '', DATABASE_URL: '', SQLITE_FILE: '', PLAYBOOK_DIR: '', NO_COLOR: '1' };
const run = (args: string[], input?: string) => runUnblock(args, { cwd: work, env, input, timeout: 120_000 });

/** The rule for one JSON document: exactly `JSON.stringify(value, null, 2)` and one line break. */
function expectPrettyDocument(r: CliResult, what: string): unknown {
  expect(r.status, `${what}: ${r.stderr}`).toBe(0);
  const value = JSON.parse(r.stdout) as unknown;
  expect(r.stdout, `${what} prints one document with a 2-space indent`).toBe(`${JSON.stringify(value, null, 2)}\n`);
  return value;
}

const csvImport = 'tenant_id,customer,workload,l1,l2,note,partner,projected_unblock_date\nt-1,Contoso,teams,Blocked,Legal/Regulatory,Legal review of the DPA pending since 3 May; next call 10 June,QA Partner,2030-01-01\n';

beforeAll(async () => {
  const partner = await run(['admin', 'create-partner', '--name', 'QA Partner', '--database', database]);
  expect(partner.status, partner.stderr).toBe(0);
  const manager = await run(['admin', 'create-user', '--database', database, '--email', 'manager@qa.example', '--name', 'Mina Manager', '--role', 'manager', '--partner', 'QA Partner', '--password', 'a-long-secret-1']);
  expect(manager.status, manager.stderr).toBe(0);
  const admin = await run(['admin', 'create-user', '--database', database, '--email', 'admin@qa.example', '--role', 'admin', '--must-change-password']);
  expect(admin.status, admin.stderr).toBe(0);
  const token = await run(['admin', 'create-token', '--database', database, '--email', 'manager@qa.example', '--name', 'scripts']);
  expect(token.status, token.stderr).toBe(0);
  const imported = await run(['import', '-', '--database', database, '--no-advise'], csvImport);
  expect(imported.status, imported.stderr).toBe(0);
}, 180_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('--json: one document, pretty-printed with a 2-space indent, whatever the command', () => {
  it('classify, eval, notes grade, notes eval and playbook parse', async () => {
    const labelled = join(work, 'labelled.jsonl');
    writeFileSync(labelled, `${JSON.stringify({ text: 'Legal has not approved the data processing terms yet.', l1: 'Blocked', l2: 'Legal/Regulatory' })}\n`);
    const graded = join(work, 'graded.jsonl');
    writeFileSync(graded, `${JSON.stringify({ text: 'Customer cannot deploy right now.', l1: 'Blocked', grade: 'poor', findings: [] })}\n`);
    const commands: [string, string[]][] = [
      ['classify --json', ['classify', '--json', 'Proxy drops connections to the cloud']],
      ['eval --json', ['eval', '--json', labelled]],
      ['notes grade --json', ['notes', 'grade', '--no-classifier', '--json', 'Customer cannot deploy right now.']],
      ['notes eval --json', ['notes', 'eval', '--no-classifier', '--json', graded]],
      ['playbook parse --json', ['playbook', 'parse', '--json']],
    ];
    const results = await Promise.all(commands.map(([, args]) => run(args)));
    results.forEach((r, i) => expectPrettyDocument(r, commands[i]![0]));
  }, 240_000);

  it('report, import and admin list (the tracker commands)', async () => {
    const commands: [string, string[], string?][] = [
      ['report counts --json', ['report', 'counts', '--json', '--database', database]],
      ['import --dry-run --json', ['import', '-', '--dry-run', '--json', '--no-advise', '--database', database], csvImport],
      ['admin list --json', ['admin', 'list', '--json', '--database', database]],
    ];
    for (const [what, args, input] of commands) expectPrettyDocument(await run(args, input), what);
  }, 180_000);

  it('a stream stays one object per line: classify --input and notes grade --input', async () => {
    const notes = `${JSON.stringify({ id: 'a', text: 'Proxy drops connections to the cloud' })}\n${JSON.stringify({ id: 'b', text: 'Customer cannot deploy right now.' })}\n`;
    for (const args of [['classify', '--input', '-'], ['notes', 'grade', '--no-classifier', '--input', '-']]) {
      const r = await run(args, notes);
      expect(r.status, r.stderr).toBe(0);
      const lines = r.stdout.split('\n');
      expect(lines.pop()).toBe('');
      expect(lines).toHaveLength(2);
      for (const line of lines) expect(line).toBe(JSON.stringify(JSON.parse(line)));
    }
  }, 180_000);
});

describe('admin list --json', () => {
  it('gives the partners and users the text lists, with stable field names and no secret', async () => {
    const [json, text] = await Promise.all([run(['admin', 'list', '--json', '--database', database]), run(['admin', 'list', '--database', database])]);
    const doc = expectPrettyDocument(json, 'admin list --json') as { partners: Record<string, unknown>[]; users: Record<string, unknown>[] };
    expect(Object.keys(doc)).toEqual(['partners', 'users']);
    expect(doc.partners).toEqual([{ id: 1, name: 'QA Partner', createdAt: expect.any(String) }]);
    expect(doc.users).toEqual([
      { id: 2, email: 'admin@qa.example', name: 'admin', role: 'admin', partnerId: null, partnerName: null, disabled: false, mustChangePassword: true, createdAt: expect.any(String) },
      { id: 1, email: 'manager@qa.example', name: 'Mina Manager', role: 'manager', partnerId: 1, partnerName: 'QA Partner', disabled: false, mustChangePassword: false, createdAt: expect.any(String) },
    ]);
    for (const user of doc.users) expect(Object.keys(user)).toEqual(['id', 'email', 'name', 'role', 'partnerId', 'partnerName', 'disabled', 'mustChangePassword', 'createdAt']);
    // Every user the text lists, and nothing that could open an account.
    expect(text.status, text.stderr).toBe(0);
    for (const user of doc.users) expect(text.stdout).toContain(String(user.email));
    expect(json.stdout).not.toMatch(/hash|"password|secret|token|\$argon|\$scrypt/i);
  }, 120_000);

  it('--json without a database still exits 2 naming where it looked', async () => {
    const r = await run(['admin', 'list', '--json', '--database', join(work, 'none.db')]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/none\.db/);
  }, 60_000);
});

describe('playbook show --json', () => {
  it('gives the code, its definition, examples, questions and history as the text shows them', async () => {
    const [json, text] = await Promise.all([run(['playbook', 'show', '--json', 'Legal/Regulatory']), run(['playbook', 'show', 'Legal/Regulatory'])]);
    const doc = expectPrettyDocument(json, 'playbook show --json') as Record<string, unknown> & {
      valid: { text: string; l1: string | null; l2: string | null }[];
      invalid: { text: string; l1: string | null; l2: string | null }[];
      questions: { text: string; children: unknown[] }[];
      history: { date: string | null; who: string; what: string }[];
    };
    expect(Object.keys(doc)).toEqual(['id', 'kind', 'l1', 'l2', 'file', 'aliases', 'definition', 'valid', 'invalid', 'questions', 'workloadQuestions', 'entitlementScenarios', 'history']);
    expect(doc).toMatchObject({ id: 'blocked/legal-regulatory', kind: 'l2', l1: 'Blocked', l2: 'Legal/Regulatory' });
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toContain(String(doc.file));
    expect(doc.valid.length).toBeGreaterThan(0);
    expect(Object.keys(doc.valid[0]!)).toEqual(['text', 'label', 'l1', 'l2']);
    for (const example of [...doc.valid, ...doc.invalid]) expect(text.stdout.replace(/\s+/g, ' ')).toContain(example.text.replace(/\s+/g, ' ').slice(0, 40));
    expect(doc.questions.length).toBeGreaterThan(0);
    expect(Object.keys(doc.questions[0]!)).toEqual(['text', 'children']);
    expect(text.stdout.replace(/\s+/g, ' ')).toContain(doc.questions[0]!.text.replace(/\s+/g, ' ').slice(0, 40));
    // The page's parser internals (problems, front matter, content hash, source lines) stay out.
    expect(json.stdout).not.toMatch(/"(problems|frontMatter|contentHash|line)"/);
  }, 120_000);

  it('an L1 by name gives its L1 page; an unknown code still exits 2 with nothing on stdout', async () => {
    const l1 = await run(['playbook', 'show', '--json', 'Blocked']);
    expect(expectPrettyDocument(l1, 'playbook show --json Blocked')).toMatchObject({ id: 'blocked', kind: 'l1', l1: 'Blocked', l2: null });
    const unknown = await run(['playbook', 'show', '--json', 'no such code at all']);
    expect(unknown.status).toBe(2);
    expect(unknown.stdout).toBe('');
  }, 120_000);
});

describe('classify --input on a terminal: a progress bar by bytes read', () => {
  // `script` runs the command on a pseudo-terminal, where the bar is shown (never in a pipe).
  it.skipIf(!existsSync('/usr/bin/script'))('counts the rows of a CSV with a quoted line break, and ends at the size of the file', () => {
    const input = join(work, 'progress.csv');
    writeFileSync(input, 'id,text\n1,"Proxy drops\nconnections to the cloud"\n\n2,Legal has not approved the DPA yet\n');
    const output = join(work, 'progress.jsonl');
    const command = [process.execPath, UNBLOCK_BIN, 'classify', '--input', input, '--output', output].map((w) => `'${w}'`).join(' ');
    const r = spawnSync('script', ['-qec', command, '/dev/null'], { cwd: work, env: { ...env, TERM: 'xterm' }, encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(`100% of ${statSync(input).size} B | 2 row(s)`);
    expect(r.stdout).not.toMatch(/3 row\(s\)/);
    expect(readFileSync(output, 'utf8').trim().split('\n')).toHaveLength(2);
  }, 120_000);
});

describe('words a command does not take are refused, not dropped', () => {
  it('admin create-partner --name with an unquoted value of two words exits 2 showing it quoted, and creates nothing', async () => {
    const r = await run(['admin', 'create-partner', '--name', 'Contoso', 'Ltd', '--database', database]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/Unexpected "Ltd" after --name Contoso: .*A value with spaces goes in quotes: --name "Contoso Ltd"/);
    const listed = JSON.parse((await run(['admin', 'list', '--json', '--database', database])).stdout) as { partners: { name: string }[] };
    expect(listed.partners.map((p) => p.name)).toEqual(['QA Partner']);
  }, 120_000);

  it('report, export, import and admin list with a word too many exit 2 naming it, writing nothing on stdout', async () => {
    const cases: [string[], RegExp][] = [
      [['report', 'counts', 'extra', '--database', database], /`unblock report` takes 1 word besides its options, not 2: "counts", "extra"/],
      [['export', 'blocked', '--database', database], /Unexpected "blocked": `unblock export` takes no words besides its options/],
      [['import', '-', 'more.csv', '--dry-run', '--no-advise', '--database', database], /`unblock import` takes 1 word besides its options, not 2: "-", "more\.csv"/],
      [['admin', 'list', 'users', '--database', database], /Unexpected "users": `unblock admin list` takes no words/],
      [['admin', 'create-token', '--email', 'manager@qa.example', '--name', 'my', 'scripts', '--database', database], /--name "my scripts"/],
    ];
    for (const [args, message] of cases) {
      const r = await run(args, csvImport);
      expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
    }
  }, 180_000);
});
