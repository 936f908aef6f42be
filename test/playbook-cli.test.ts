import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fixtures = (p: string) => path.join('test', 'fixtures', p);

function run(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/unblock.js', 'playbook', ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const status = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ status, stdout, stderr });
    });
  });
}

const PROBLEM_LINE = /^(.+):(\d+):(\d+) (error|warning|info) ([A-Z_]+) .+$/;

beforeAll(() => {
  // test/global-setup.ts builds dist/ once for every test file.
  const built = path.join(repoRoot, 'dist', 'src', 'cli', 'commands', 'playbook.js');
  if (!existsSync(built)) throw new Error('build did not produce dist/src/cli/commands/playbook.js');
});

describe('unblock playbook lint', () => {
  it('exits 1 and prints file:line:col severity code message when a page has an error', async () => {
    const { status, stdout, stderr } = await run('lint', fixtures('untidy'));
    expect(status).toBe(1);
    const lines = stdout.trim().split('\n');
    for (const line of lines) expect(line).toMatch(PROBLEM_LINE);
    expect(lines).toContainEqual(expect.stringMatching(/en--customer-it-infrastructure\.md:32:39 error PLAYBOOK_LABEL_UNKNOWN .*Something Made Up/));
    expect(stderr).toMatch(/8 page\(s\): \d+ error/);
  });

  it('exits 0 when there are only warnings', async () => {
    const { status, stdout } = await run('lint', fixtures('pages/tidy.md'));
    expect(status).toBe(0);
    expect(stdout).toMatch(/tidy\.md:\d+:1 warning PLAYBOOK_FEW_VALID_SCENARIOS/);
    expect(stdout).not.toMatch(/ error /);
  });

  it('lints the built-in playbook clean (no errors, no warnings)', async () => {
    const { status, stdout, stderr } = await run('lint');
    expect(stdout.trim()).toBe('');
    expect(stderr).toMatch(/^23 page\(s\): 0 error\(s\), 0 warning\(s\), 0 info/m);
    expect(status).toBe(0);
  });

  it('warns about a mistyped title, naming the built-in code, and exits 1 on a broken front matter with its line and column', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'unblock-lint-'));
    try {
      for (const name of readdirSync(path.join(repoRoot, 'playbooks'))) copyFileSync(path.join(repoRoot, 'playbooks', name), path.join(dir, name));
      const reliability = path.join(dir, 'blocked--service-reliability.md');
      writeFileSync(reliability, readFileSync(reliability, 'utf8').replace('title: Blocked - Service Reliability', 'title: Blocked - Service Reliabilty'));
      const typo = await run('lint', dir);
      expect(typo.status).toBe(0);
      expect(typo.stdout).toMatch(/blocked--service-reliability\.md:2:8 warning PLAYBOOK_CODE_FILE_MISMATCH .*blocked\/service-reliabilty.*Did you mean blocked\/service-reliability\b/);
      const apps = path.join(dir, 'blocked--app-compatibility.md');
      writeFileSync(apps, readFileSync(apps, 'utf8').replace(/^---/, '--'));
      const broken = await run('lint', dir);
      expect(broken.status).toBe(1);
      expect(broken.stdout).toMatch(/blocked--app-compatibility\.md:1:1 error PLAYBOOK_FRONT_MATTER_INVALID /);
      const parsed = await run('parse', dir);
      expect(parsed.stdout).toMatch(/23 page\(s\), 19 code\(s\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('unblock playbook lint on customer pages', () => {
  it('exits 1 on a page saved as Windows-1252, at its first unreadable letter', async () => {
    const { status, stdout } = await run('lint', fixtures('encoding'));
    expect(status).toBe(1);
    expect(stdout).toMatch(/stalled--personalluecke\.md:2:27 error PLAYBOOK_NOT_UTF8 The file is not UTF-8 text: .*Personall\uFFFDcke.*7 such characters.*Windows-1252.*UTF-8/);
  });

  it('reads an L1 page for the set\'s own L1 and exits 0', async () => {
    const { status, stdout } = await run('lint', fixtures('own-l1'));
    expect(stdout).not.toMatch(/ error /);
    expect(stdout).toMatch(/own-l1\/stalled\.md:2:8 warning PLAYBOOK_UNKNOWN_L1 "Stalled" is not one of the five L1 states/);
    expect(status).toBe(0);
  });

  it('reports an unclosed front-matter quote where it opens', async () => {
    const { status, stdout } = await run('lint', fixtures('front-matter/unclosed-quote.md'));
    expect(status).toBe(1);
    expect(stdout).toMatch(/unclosed-quote\.md:3:14 error PLAYBOOK_FRONT_MATTER_INVALID .*quote opened here is never closed/);
  });
});

describe('unblock playbook parse', () => {
  it('--json prints one document with pages and problems, exit 0 even with problems', async () => {
    const { status, stdout } = await run('parse', '--json', fixtures('untidy'));
    expect(status).toBe(0);
    const doc = JSON.parse(stdout) as { pages: Record<string, unknown>[]; problems: { code: string }[] };
    expect(doc.pages).toHaveLength(8);
    for (const key of ['file', 'l1', 'l2', 'title', 'definition', 'valid', 'invalid', 'questions', 'workloadQuestions', 'history', 'entitlementScenarios']) {
      expect(doc.pages[0]).toHaveProperty(key);
    }
    const de = doc.pages.find((p) => String(p.file).endsWith('de--it-change-management.md')) as { valid: { text: string; label: string; l1: string; l2: string }[] };
    expect(de.valid[0]).toMatchObject({ label: 'IT-Änderungsmanagement und Ressourcen', l1: 'Blocked', l2: 'IT Change Management and Resourcing' });
    expect(doc.problems.map((p) => p.code)).toContain('PLAYBOOK_LABEL_UNKNOWN');
  });

  it('prints a readable summary without --json', async () => {
    const { status, stdout } = await run('parse', fixtures('pages/tidy.md'));
    expect(status).toBe(0);
    expect(stdout).toMatch(/tidy\.md {2}Blocked - Partner Engagement {2}valid 3 {2}invalid 2 {2}questions 5/);
  });

  it.each([
    [['parse', 'test/fixtures/no-such-folder'], /No playbook page or folder/],
    [['parse', '--jsn'], /Unknown option "--jsn"/],
    [['lint', '--fix'], /Unknown option "--fix"/],
    [['show'], /Name the code to show/],
  ])('exits 2 on unusable arguments %j', async (args, message) => {
    const { status, stderr } = await run(...args);
    expect(status).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

describe('unblock playbook show', () => {
  it('shows a code found by a partial name', async () => {
    const { status, stdout } = await run('show', 'Technical Onboarding');
    expect(status).toBe(0);
    expect(stdout).toMatch(/^In Progress - Technical Onboarding and Deployment {2}\[in-progress\/technical-onboarding-and-deployment\]/);
    expect(stdout).toMatch(/\nDefinition\n {2}\S/);
    expect(stdout).toMatch(/\nValid examples \(\d+\)\n {2}- /);
    expect(stdout).toMatch(/\nInvalid examples \(\d+\) \(each belongs to the code after ->\)\n {2}- [^\n]+(\n {4}[^\n]+)*->\s+[A-Z]/);
    expect(stdout).toMatch(/\nQuestions to confirm\n {2}1\. /);
  });

  it('shows a page from a given folder, by a translated name', async () => {
    const { status, stdout } = await run('show', '--playbook', fixtures('untidy'), 'Compatibilidad de aplicaciones');
    expect(status).toBe(0);
    expect(stdout).toMatch(/^Blocked - App Compatibility/);
  });

  it('shows the L1 page of an L1 of the set\'s own', async () => {
    const { status, stdout } = await run('show', '--playbook', fixtures('own-l1'), 'Stalled');
    expect(status).toBe(0);
    expect(stdout).toMatch(/^Stalled \(L1\) {2}\[stalled\]/);
    expect(stdout).toMatch(/\nDefinition\n {2}The customer wants the service, but the rollout has stopped/);
    expect(stdout).toMatch(/\nEntitlement scenarios \(1\)\n/);
  });

  it('shows the L1 page of an own L1 of more than one word, by name or id', async () => {
    for (const query of ['On Hold', 'on hold', 'on-hold']) {
      const { status, stdout } = await run('show', '--playbook', fixtures('own-l1-words'), query);
      expect(status, query).toBe(0);
      expect(stdout).toMatch(/^On Hold \(L1\) {2}\[on-hold\]/);
    }
  });

  it('exits 2 (an unusable argument, as an unknown `notes grade --l1` does) with suggestions for an unknown code', async () => {
    const { status, stderr } = await run('show', 'Custmer Unresponsiv');
    expect(status).toBe(2);
    // One error code: the exit status's (not "(UNKNOWN_CODE) [BAD_ARGUMENTS]").
    expect(stderr).toMatch(/is not a code of this playbook.*\[BAD_ARGUMENTS\]\n$/);
    expect(stderr).not.toMatch(/UNKNOWN_CODE/);
    expect(stderr).toMatch(/Did you mean: "Status Unknown - Customer Unresponsive"\?/);
  });

  it('suggests only codes spelled really close to an unknown one, and none for a name like no code', async () => {
    const far = await run('show', 'nonexistent thing');
    expect(far.status).toBe(2);
    expect(far.stderr).toBe('unblock: "nonexistent thing" is not a code of this playbook. Run `unblock playbook parse` to list the codes. [BAD_ARGUMENTS]\n');
    const typo = await run('show', 'App Compatability');
    expect(typo.stderr).toMatch(/Did you mean: "Blocked - App Compatibility"\? \[BAD_ARGUMENTS\]/);
    expect(typo.stderr).not.toMatch(/Service Reliability/);
  });
});
