import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { hasErrors, lintPlaybook } from './lint.js';
import { parsePlaybook } from './parse-playbook.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A customer's page set with L1s of its own: Stalled (an L1 page and two L2 pages) and Active (one L2 page). */
function ownL1Pages(): { file: string; text: string }[] {
  const dir = path.join(repoRoot, 'test', 'fixtures', 'own-l1');
  return readdirSync(dir)
    .sort()
    .map((name) => ({ file: name, text: readFileSync(path.join(dir, name), 'utf8') }));
}

const where = (p: { line: number; column: number; severity: string; code: string }) => `${p.line}:${p.column} ${p.severity} ${p.code}`;

describe('an L1 page for an L1 of the set\'s own', () => {
  const playbook = parsePlaybook(ownL1Pages());
  const page = playbook.pages.find((p) => p.file === 'stalled.md');

  it('is read as that L1\'s page, with only the warning its L2 pages get', () => {
    expect(page).toMatchObject({ kind: 'l1', l1: 'Stalled', l2: null, title: 'Stalled' });
    // At the title that names the L1 (line 2, after `title: `).
    expect(page?.problems.map(where)).toEqual(['2:8 warning PLAYBOOK_UNKNOWN_L1']);
    const l2Warning = playbook.pages.find((p) => p.file === 'stalled--staffing-gap.md')?.problems.find((p) => p.code === 'PLAYBOOK_UNKNOWN_L1');
    expect(page?.problems[0]?.message).toBe(l2Warning?.message);
  });

  it('gives the L1 its definition and keeps its entitlement scenarios, like a built-in L1 page', () => {
    const l1 = playbook.taxonomy.l1s.find((n) => n.name === 'Stalled');
    expect(l1).toMatchObject({ id: 'stalled', file: 'stalled.md', codes: ['stalled/network-constraints', 'stalled/staffing-gap'] });
    expect(l1?.definition).toMatch(/^The customer wants the service, but the rollout has stopped/);
    expect(page?.entitlementScenarios?.rows).toHaveLength(1);
    expect(page?.valid[0]).toMatchObject({ l1: 'Stalled', l2: 'Network Constraints' });
    // No code of its own: the L1 has L2s, as Blocked has.
    expect(playbook.taxonomy.codes.map((c) => c.id)).toEqual(['active/rolling-out', 'stalled/network-constraints', 'stalled/staffing-gap']);
  });

  it('lints without errors', () => {
    expect(hasErrors(lintPlaybook(playbook))).toBe(false);
  });

  it('is matched by the title whatever its case and spacing', () => {
    const sources = ownL1Pages().map((s) => (s.file === 'stalled.md' ? { ...s, text: s.text.replace('title: Stalled\n', 'title: "  stalled "\n') } : s));
    expect(parsePlaybook(sources).pages.find((p) => p.file === 'stalled.md')).toMatchObject({ kind: 'l1', l1: 'Stalled' });
  });
});

describe('a page whose title names no code', () => {
  it('says exactly which titles are accepted: the five L1s or the L1s the set\'s own pages use', () => {
    // Title and heading both: as for the five L1s, the heading is read when the title names no code.
    const sources = ownL1Pages().map((s) => (s.file === 'stalled.md' ? { ...s, text: s.text.replace('title: Stalled\n', 'title: Stopped\n').replace('# Stalled\n', '# Stopped\n') } : s));
    const page = parsePlaybook(sources).pages.find((p) => p.file === 'stalled.md');
    expect(page?.kind).toBe('unknown');
    const problem = page?.problems.find((p) => p.code === 'PLAYBOOK_KIND_UNKNOWN');
    // At the title that names no code.
    expect(problem).toMatchObject({ severity: 'error', line: 2, column: 8 });
    expect(problem?.message).toMatch(/its title "Stopped" names none/);
    expect(problem?.message).toMatch(/one of the five L1s \(Status Unknown, In Progress, No Intent, Blocked, Duplicate\/Invalid\), or an L1 that other pages of this set use in their "L1 - L2" titles \("Active", "Stalled"\)/);
  });

  it('says no page of the set uses an L1 of its own when the L1 page is read alone', () => {
    const alone = ownL1Pages().filter((s) => s.file === 'stalled.md');
    const problem = parsePlaybook(alone).problems.find((p) => p.code === 'PLAYBOOK_KIND_UNKNOWN');
    expect(problem?.message).toMatch(/no page read with this one does; when it belongs to a folder of pages, check the whole folder/);
  });

  it('does not also report each example that names the page itself as an unknown label', () => {
    // No title and a heading that is only the L2 name: the examples name "Staffing Gap", which resolves once the title is fixed.
    const sources = ownL1Pages().map((s) => (s.file === 'stalled--staffing-gap.md' ? { ...s, text: s.text.replace('title: Stalled - Staffing Gap\n', '').replace('| Two engineers left in spring, backfills not approved, rollout paused. | Staffing Gap |', '| Two engineers left in spring, backfills not approved, rollout paused. | Staffing Gaps |') } : s));
    const page = parsePlaybook(sources).pages.find((p) => p.file === 'stalled--staffing-gap.md');
    expect(page?.kind).toBe('unknown');
    // Only the misspelt label is reported; the three rows naming the page's own heading are not.
    // The missing title at the front matter, where it is added; the code that cannot be told at the heading it was looked for in;
    // the misspelt label at its status cell.
    expect(page?.problems.map(where)).toEqual(['1:1 warning PLAYBOOK_NO_TITLE', '8:1 error PLAYBOOK_KIND_UNKNOWN', '20:75 error PLAYBOOK_LABEL_UNKNOWN']);
  });
});
