/**
 * Pages whose only errors are the lint's page checks (a code with no definition and no valid example)
 * are used after the one warning line the README promises, counting those errors too; `serve`'s services
 * and GET /api/playbook list them; and the classifier's abstention counts the codes the pages define.
 * Runs the built CLI (dist).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createServices } from '../src/app/index.js';
import { loadConfig } from '../src/config/index.js';

const root = join(import.meta.dirname, '..');
const bin = join(root, 'bin', 'unblock.js');
const work = mkdtempSync(join(tmpdir(), 'unblock-lint-warning-'));
const pages = join(work, 'pages');
mkdirSync(pages);
writeFileSync(
  join(pages, 'blocked--legal-regulatory.md'),
  `---
title: Blocked - Legal/Regulatory
---

# Legal/Regulatory

> [!IMPORTANT]
> **Definition:** A statute, a court or a regulator keeps the customer from going ahead.

## Valid Example Scenarios

| Scenario | Status |
| :-- | :-- |
| The insurance supervisor has yet to approve moving policy files to the cloud. | Legal/Regulatory |
| A regional health act keeps patient charts inside the region, so the tenant may not hold them. | Legal/Regulatory |
| By law the staff council must be heard before the chat service is switched on. | Legal/Regulatory |

> [!TIP]
> 1. Which law or authority stands in the way?
`,
);
// Names its code but says nothing yet: no definition, no example table (two lint errors, no reading error).
writeFileSync(join(pages, 'blocked--proxy-trouble.md'), '---\ntitle: Blocked - Proxy Trouble\n---\n\n# Proxy Trouble\n\nTo write: the outbound proxy keeps cutting connections.\n');

let dataDirs = 0;
const freshDataDir = () => join(work, `data-${++dataDirs}`);

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: work,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, DATA_DIR: freshDataDir(), PLAYBOOK_DIR: '', LOG_LEVEL: 'silent', UNBLOCK_DEBUG: '', NO_COLOR: '1' },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const warningLine = `unblock: warning: the playbook has 2 error(s) in 1 page(s); those pages are used as far as they could be read (\`unblock playbook lint ${pages}\` lists the problems).`;
const warningsOf = (stderr: string) => stderr.split('\n').filter((l) => /warning/i.test(l));

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('pages with lint errors only', () => {
  it('lint counts two errors', () => {
    const r = run(['playbook', 'lint', pages]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^2 page\(s\): 2 error\(s\)/m);
  });

  it('classify prints the warning once, then abstains naming how many codes the pages define', () => {
    const r = run(['classify', '--playbook', pages, '--json', 'The proxy drops every connection to the service.']);
    expect(r.status).toBe(0);
    expect(warningsOf(r.stderr)).toEqual([warningLine]);
    const result = JSON.parse(r.stdout) as { abstained: boolean; reason: string };
    expect(result).toMatchObject({ abstained: true, reason: "Only one of the page set's 2 codes (Legal/Regulatory) has examples to learn from; there is nothing to choose between." });
  }, 180_000);

  it('playbook show prints it once and still shows the code asked for', () => {
    const r = run(['playbook', 'show', '--playbook', pages, 'Legal/Regulatory']);
    expect(r.status).toBe(0);
    expect(warningsOf(r.stderr)).toEqual([warningLine]);
    expect(r.stdout).toContain('Legal/Regulatory');
  }, 120_000);

  it('notes grade prints it once too, with the classifier or without it', () => {
    for (const flags of [[], ['--no-classifier']]) {
      const r = run(['notes', 'grade', ...flags, '--playbook', pages, '--l1', 'Blocked', '--l2', 'Legal/Regulatory', 'Blocked: the regulator has not approved the move yet.']);
      expect(r.status).toBe(0);
      expect(warningsOf(r.stderr)).toEqual([warningLine]);
    }
  }, 240_000);

  it("serve's services log the count and list the problems, on the page they belong to too (GET /api/playbook)", async () => {
    const lines: string[] = [];
    const env = { PLAYBOOK_DIR: pages, DATA_DIR: freshDataDir(), DATABASE_URL: '', LOG_LEVEL: 'silent' };
    const services = await createServices(loadConfig(env), { classifier: false, log: (line) => lines.push(line) });
    try {
      expect(lines.filter((l) => /error\(s\)/.test(l))).toEqual([
        `Warning: the playbook has 2 error(s) in 1 page(s); those pages are loaded as far as they could be read (GET /api/playbook and \`unblock playbook lint ${pages}\` list the problems).`,
      ]);
      const errors = services.playbookProblems.filter((p) => p.severity === 'error').map((p) => p.code);
      // Both at the heading the definition and the examples go under (same place: sorted by code).
      expect(errors).toEqual(['PLAYBOOK_NO_DEFINITION', 'PLAYBOOK_NO_VALID_SCENARIOS']);
      const page = services.playbookPages.find((p) => p.file.endsWith('blocked--proxy-trouble.md'));
      expect(page?.problems.map((p) => p.code)).toEqual(expect.arrayContaining(['PLAYBOOK_NO_DEFINITION', 'PLAYBOOK_NO_VALID_SCENARIOS']));
    } finally {
      await services.close();
    }
  });
});
