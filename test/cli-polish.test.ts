/**
 * CLI rough edges found in QA round 5 (P1, P3, P4): what is said before a page set is refused, a
 * warning for pages with errors, argument checks that report everything at once and keep to the API's
 * limits, and parse and lint agreeing on the problems of the same pages. Runs the built CLI (dist).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const bin = join(root, 'bin', 'unblock.js');
const work = mkdtempSync(join(tmpdir(), 'unblock-polish-'));
const empty = join(work, 'no-pages');
mkdirSync(empty);
const untidy = join(root, 'test', 'fixtures', 'untidy');
const customer = join(root, 'test', 'fixtures', 'customer-pages');

let dataDirs = 0;
/** A DATA_DIR of its own for each run: nothing cached by another test. */
const freshDataDir = () => join(work, `data-${++dataDirs}`);

function run(args: string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: work,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, DATA_DIR: freshDataDir(), PLAYBOOK_DIR: '', LOG_LEVEL: 'silent', UNBLOCK_DEBUG: '', NO_COLOR: '1', ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('a page set that defines no code (P3a)', () => {
  it('classify refuses it before training: no training notice, no model cached', () => {
    const dataDir = freshDataDir();
    const r = run(['classify', '--playbook', empty, 'the admin resigned'], { DATA_DIR: dataDir });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/defines no code/);
    expect(r.stderr).not.toMatch(/training/i);
    expect(existsSync(join(dataDir, 'cache'))).toBe(false);
  });

  it('serve refuses it without training a classifier for it', () => {
    const dataDir = freshDataDir();
    const r = run(['serve', '--port', '0', '--classifier-workers', '0', '--playbook', empty], { DATA_DIR: dataDir });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--playbook .* defines no code/);
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/training/i);
    expect(existsSync(join(dataDir, 'cache'))).toBe(false);
    // Refused before the database is opened: no database file is left behind.
    expect(existsSync(join(dataDir, 'unblock.db'))).toBe(false);
    const missing = run(['serve', '--port', '0', '--classifier-workers', '0', '--playbook', join(work, 'no-such-folder')], { DATA_DIR: dataDir });
    expect([missing.status, existsSync(join(dataDir, 'unblock.db'))]).toEqual([2, false]);
  });

  it('names every page file a folder is read for, .markdown included', () => {
    const r = run(['classify', '--playbook', empty, 'x']);
    expect(r.stderr).toMatch(/\*\.md, \*\.markdown or \*\.txt/);
    const lint = run(['playbook', 'lint', empty]);
    expect(lint.status).toBe(2);
    expect(lint.stderr).toMatch(/a folder is read for its \*\.md, \*\.markdown and \*\.txt files/);
  });
});

describe('classify --playbook with pages that have errors (P3b)', () => {
  it('prints one warning naming the errors, the pages and the lint command, then classifies', () => {
    const r = run(['classify', '--playbook', untidy, 'IT has no one to run it']);
    expect(r.status).toBe(0);
    const warnings = r.stderr.split('\n').filter((l) => /warning/i.test(l));
    expect(warnings).toEqual([`unblock: warning: the playbook has 1 error(s) in 1 page(s); those pages are used as far as they could be read (\`unblock playbook lint ${untidy}\` lists the problems).`]);
    expect(r.stdout).toMatch(/confidence/);
  });

  it('says nothing of errors for pages without any', () => {
    const r = run(['classify', '--playbook', customer, 'the firewall blocks the rollout']);
    expect(r.status).toBe(0);
    expect(r.stderr).not.toMatch(/error\(s\)/);
  });
});

describe('notes grade --workload (P4)', () => {
  it('refuses a workload the catalogue does not have, listing the ones it has (exit 2)', () => {
    const r = run(['notes', 'grade', '--no-classifier', '--workload', 'Exchange Onlin', 'Customer wants mail but the proxy blocks it.']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--workload: no workload "Exchange Onlin"\. Choose one of: exchange-online, .*teams/);
  });

  it('fills the template and the fixes quoting it with the workload, given by slug or name', () => {
    for (const workload of ['exchange-online', 'exchange online']) {
      const r = run(['notes', 'grade', '--no-classifier', '--json', '--l1', 'Blocked', '--workload', workload, 'Blocked.']);
      expect(r.status).toBe(0);
      const g = JSON.parse(r.stdout) as { template: string; findings: { fix: string }[] };
      expect(g.template).toMatch(/^Customer wants Exchange Online for \{scope\}/);
      expect(JSON.stringify(g)).not.toContain('{workload}');
    }
    const text = run(['notes', 'grade', '--no-classifier', '--l1', 'No Intent', '--workload', 'Teams', 'No intent.']);
    expect(text.stdout).toMatch(/Shape of a great note for No Intent:\n {2}No intent to use Teams because/);
  });
});

describe('admin create-user arguments (P4)', () => {
  it('refuses --partner with --role admin (exit 2) and creates nobody', () => {
    const dataDir = freshDataDir();
    expect(run(['admin', 'create-partner', '--name', 'QA Five Partner'], { DATA_DIR: dataDir }).status).toBe(0);
    const r = run(['admin', 'create-user', '--email', 'boss@example.com', '--role', 'admin', '--partner', 'QA Five Partner'], { DATA_DIR: dataDir });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--partner "QA Five Partner" does not go with --role admin: an admin belongs to no partner/);
    expect(run(['admin', 'list'], { DATA_DIR: dataDir }).stdout).not.toMatch(/boss@example\.com/);
  });

  it('reports every argument problem at once: the email and the role', () => {
    const r = run(['admin', 'create-user', '--email', 'x@y', '--role', 'boss', '--password', 'short']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/3 problems with the arguments:/);
    expect(r.stderr).toMatch(/--email must be an email address, not "x@y"/);
    expect(r.stderr).toMatch(/--role must be one of admin, manager, editor, viewer, not "boss"/);
    expect(r.stderr).toMatch(/--password must be 8 to 1000 characters long/);
  });
});

describe('classify --top (P4)', () => {
  it('caps --top at 20, as POST /api/classify does', () => {
    const over = run(['classify', '--top', '21', 'The proxy blocks the service']);
    expect(over.status).toBe(2);
    expect(over.stderr).toMatch(/--top must be a whole number from 1 to 20 \(the most POST \/api\/classify gives\), not "21"/);
    expect(run(['classify', '--json', '--top', '20', 'The proxy blocks the service']).status).toBe(0);
  });
});

describe('playbook parse and lint agree (P1)', () => {
  it('parse reports the problems lint lists: the same counts in the summary, the same list in --json', () => {
    for (const pages of [untidy, customer]) {
      const lint = run(['playbook', 'lint', pages]);
      const listed = lint.stdout.trim().split('\n').filter((l) => l !== '');
      const counts = /(\d+ error\(s\), \d+ warning\(s\), \d+ info)/.exec(lint.stderr)?.[1];
      expect(counts).toBeDefined();
      expect(listed.some((l) => / PLAYBOOK_FEW_/.test(l))).toBe(true);
      expect(run(['playbook', 'parse', pages]).stdout).toContain(`; ${counts} (run`);
      const doc = JSON.parse(run(['playbook', 'parse', '--json', pages]).stdout) as { problems: { file: string; line: number; column: number; severity: string; code: string; message: string }[] };
      expect(doc.problems.map((p) => `${p.file}:${p.line}:${p.column} ${p.severity} ${p.code} ${p.message}`)).toEqual(listed);
    }
  });
});

describe('the model cache under DATA_DIR (P3c)', () => {
  it('keeps at most five models however many page sets are trained', () => {
    const dataDir = freshDataDir();
    // Six page sets: the three customer pages together, each of them alone, and two other fixtures.
    const sets = [customer, ...readdirSync(customer).map((f) => join(customer, f)), untidy, join(root, 'test', 'fixtures', 'own-l1')];
    for (const pages of sets) expect(run(['classify', '--playbook', pages, 'the proxy blocks it'], { DATA_DIR: dataDir }).status).toBe(0);
    const cached = readdirSync(join(dataDir, 'cache')).filter((f) => /^model-.+\.json$/.test(f));
    expect(cached).toHaveLength(5);
  });
});
