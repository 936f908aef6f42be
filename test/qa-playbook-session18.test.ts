/**
 * QA round 18 on playbook pages: taxonomy problems placed where the page names the thing they are about,
 * the L1/L2 cells of Entitlement Scenarios checked against the taxonomy, and a duplicate page written in
 * another letter case trained from as a duplicate in the same case is.
 */
import { describe, expect, it } from 'vitest';
import { collectTrainingData } from '../src/classifier/examples.js';
import { DEFAULT_OPTIONS } from '../src/classifier/model.js';
import { lintPlaybook, parsePlaybook } from '../src/playbook/index.js';
import type { Problem } from '../src/playbook/index.js';
import { partnerPage } from './partner-pages.js';

const legal = (title = 'Blocked - Legal/Regulatory', extraFrontMatter = '') =>
  partnerPage({
    title,
    heading: title.split(' - ')[1],
    definition: 'A statute, a court or a regulator keeps the customer from going ahead.',
    scenarios: ['The insurance supervisor has not approved moving policy files to the cloud.'],
    status: 'Legal/Regulatory',
    question: 'Which law or regulator stands in the way?',
  }).replace('---\n\n#', `${extraFrontMatter}---\n\n#`);

const security = (extraFrontMatter = '') =>
  partnerPage({
    title: 'Blocked - Security/Privacy (Non-Product/Feature)',
    heading: 'Security/Privacy (Non-Product/Feature)',
    scenarios: ['The CISO will not sign off although the controls exist.'],
    status: 'Security/Privacy (Non-Product/Feature)',
    question: 'Who has to approve, and what would convince them?',
  }).replace('---\n\n#', `${extraFrontMatter}---\n\n#`);

/** Line and column (1-based) of the first occurrence of `needle` in `text`. */
function at(text: string, needle: string, nth = 0): [number, number] {
  let index = -1;
  for (let i = 0; i <= nth; i++) index = text.indexOf(needle, index + 1);
  if (index < 0) throw new Error(`"${needle}" not in text`);
  const before = text.slice(0, index).split('\n');
  return [before.length, (before[before.length - 1]?.length ?? 0) + 1];
}

const only = (problems: readonly Problem[], code: string) => problems.filter((p) => p.code === code).map((p) => [p.file, p.line, p.column]);

describe('taxonomy problems at the line and column of what they are about', () => {
  it('puts a duplicate L2 page at the title value that names the code again', () => {
    const second = legal('Blocked - Legal/Regulatory');
    const problems = lintPlaybook(parsePlaybook([
      { file: 'a.md', text: legal() },
      { file: 'b.md', text: second },
    ]));
    expect(only(problems, 'TAXONOMY_DUPLICATE_PAGE')).toEqual([['b.md', ...at(second, 'Blocked - Legal/Regulatory')]]);
    expect(at(second, 'Blocked - Legal/Regulatory')).toEqual([2, 8]);
  });

  it('puts a duplicate page with no title at its heading', () => {
    const second = legal().replace('title: Blocked - Legal/Regulatory\n', '').replace('# Legal/Regulatory', '# Blocked - Legal/Regulatory');
    const problems = lintPlaybook(parsePlaybook([
      { file: 'a.md', text: legal() },
      { file: 'b.md', text: second },
    ]));
    expect(only(problems, 'TAXONOMY_DUPLICATE_PAGE')).toEqual([['b.md', ...at(second, '# Blocked - Legal/Regulatory')]]);
  });

  it('puts a duplicate L1 page at its title value', () => {
    const l1 = (t: string) => `---\ntitle: ${t}\n---\n\n# ${t}\n\n> [!IMPORTANT]\n> **Definition:** Something stops the customer.\n`;
    const problems = lintPlaybook(parsePlaybook([
      { file: 'blocked.md', text: l1('Blocked') },
      { file: 'blocked2.md', text: `\uFEFF${l1('  Blocked')}` },
    ]));
    expect(only(problems, 'TAXONOMY_DUPLICATE_PAGE')).toEqual([['blocked2.md', 2, 10]]);
  });

  it("puts a name claimed by two codes at the alias that claims it, in the front matter's list or as a one-line value", () => {
    const withList = security('aliases:\n  - Data Protection\n  - Legal/Regulatory\n');
    const listed = lintPlaybook(parsePlaybook([
      { file: 'a.md', text: legal() },
      { file: 'b.md', text: withList },
    ]));
    expect(only(listed, 'TAXONOMY_LABEL_CONFLICT')).toEqual([['b.md', ...at(withList, 'Legal/Regulatory')]]);
    expect(at(withList, 'Legal/Regulatory')).toEqual([5, 5]);

    const oneLine = security('aliases: Data Protection; Legal/Regulatory\n');
    const inline = lintPlaybook(parsePlaybook([
      { file: 'a.md', text: legal() },
      { file: 'b.md', text: oneLine },
    ]));
    expect(only(inline, 'TAXONOMY_LABEL_CONFLICT')).toEqual([['b.md', ...at(oneLine, 'Legal/Regulatory')]]);
  });

  it('puts a heading that claims another code\'s name at the heading, and says to rename the heading', () => {
    const headed = security().replace('# Security/Privacy (Non-Product/Feature)', '# Legal/Regulatory');
    const problems = lintPlaybook(parsePlaybook([
      { file: 'a.md', text: legal() },
      { file: 'b.md', text: headed },
    ])).filter((p) => p.code === 'TAXONOMY_LABEL_CONFLICT');
    expect(problems.map((p) => [p.file, p.line, p.column])).toEqual([['b.md', ...at(headed, '# Legal/Regulatory')]]);
    expect(problems[0]?.message).toMatch(/heading/);
    expect(problems[0]?.message).not.toMatch(/from this page's `aliases:`/);
  });

  it("puts one L2 name under two L1s at the later page's title", () => {
    const paused = partnerPage({ title: 'Paused - Hardware Delay', scenarios: ['Laptops stuck at customs.'], status: 'Paused - Hardware Delay' });
    const live = partnerPage({ title: 'Live - Hardware Delay', scenarios: ['Pilot laptops late.'], status: 'Live - Hardware Delay' });
    const problems = lintPlaybook(parsePlaybook([
      { file: 'live--hardware-delay.md', text: live },
      { file: 'paused--hardware-delay.md', text: paused },
    ]));
    expect(only(problems, 'TAXONOMY_LABEL_CONFLICT')).toEqual([['paused--hardware-delay.md', ...at(paused, 'Paused - Hardware Delay')]]);
  });

  it('puts a rules conflict at the `rules:` value of the later page', () => {
    const stalled = (rules: string) => `---\ntitle: Stalled\nauthor: Rollout partner\nrules: ${rules}\n---\n\n# Stalled\n\n> [!IMPORTANT]\n> **Definition:** Work stopped.\n`;
    const code = partnerPage({ title: 'Stalled - Staffing Gap', scenarios: ['Two admins left.'], status: 'Staffing Gap' });
    const problems = lintPlaybook(parsePlaybook([
      { file: 'stalled.md', text: stalled('Blocked') },
      { file: 'stalled2.md', text: stalled('In Progress') },
      { file: 'stalled--staffing-gap.md', text: code },
    ]));
    expect(only(problems, 'TAXONOMY_RULES_CONFLICT')).toEqual([['stalled2.md', 4, 8]]);
  });
});

/** An L1 page with an Entitlement Scenarios table of the given L1 and L2 cells. */
function l1Page(title: string, rows: readonly (readonly [string, string])[]): string {
  return [
    '---',
    `title: ${title}`,
    '---',
    '',
    `# ${title}`,
    '',
    '> [!IMPORTANT]',
    '> **Definition:** What the state means.',
    '',
    '## Entitlement Scenarios',
    '',
    '| Scenario | Who Updates | L1 | L2 | Target Date | Owner | Status Note | Next Action |',
    '| :-- | :-- | :-- | :-- | :-- | :-- | :-- | :-- |',
    ...rows.map(([l1, l2], i) => `| Situation ${i + 1} | Partner delivery manager | ${l1} | ${l2} | Leave empty | Partner | Say why | Call |`),
    '',
  ].join('\n');
}

describe('L1 and L2 cells of Entitlement Scenarios', () => {
  const pages = (blocked: string) => [
    { file: 'blocked.md', text: blocked },
    { file: 'blocked--legal-regulatory.md', text: legal() },
    { file: 'blocked--security.md', text: security() },
    { file: 'in-progress--migration.md', text: partnerPage({ title: 'In Progress - Migration', scenarios: ['Mailboxes moving in waves.'], status: 'Migration' }) },
  ];
  const cellProblems = (text: string) => lintPlaybook(parsePlaybook(pages(text))).filter((p) => p.code === 'PLAYBOOK_ENTITLEMENT_STATUS_UNKNOWN');

  it('reports an L2 that names no code at its cell, with "Did you mean" for a near spelling', () => {
    const text = l1Page('Blocked', [['Blocked', 'Legal/Regulatory'], ['Blocked', 'Legal/Regulatry'], ['Blocked', 'Staffing Gap']]);
    const problems = cellProblems(text);
    expect(problems.map((p) => [p.file, p.line, p.column, p.severity])).toEqual([
      ['blocked.md', ...at(text, 'Legal/Regulatry'), 'warning'],
      ['blocked.md', ...at(text, 'Staffing Gap'), 'warning'],
    ]);
    expect(problems[0]?.message).toMatch(/"Legal\/Regulatry".*Did you mean "Legal\/Regulatory"\?/);
    expect(problems[1]?.message).toMatch(/"Staffing Gap"/);
    expect(problems[1]?.message).not.toMatch(/Did you mean/);
  });

  it('reports an L1 that names no L1 at its cell, with "Did you mean"', () => {
    const text = l1Page('Blocked', [['Blockd', 'Legal/Regulatory']]);
    const problems = cellProblems(text);
    expect(problems.map((p) => [p.line, p.column])).toEqual([at(text, 'Blockd')]);
    expect(problems[0]?.message).toMatch(/"Blockd".*Did you mean "Blocked"\?/);
  });

  it('reports an L2 written under the wrong L1 at the L2 cell, naming its L1', () => {
    const text = l1Page('Blocked', [['In Progress', 'Legal/Regulatory'], ['In Progress', 'Migration']]);
    const problems = cellProblems(text);
    expect(problems.map((p) => [p.line, p.column])).toEqual([at(text, 'Legal/Regulatory')]);
    expect(problems[0]?.message).toMatch(/"Legal\/Regulatory" is an L2 of Blocked, not of In Progress/);
  });

  it('leaves placeholders alone: empty, None, Unchanged, "Matching ... L2", and "L1 - L2" written in full', () => {
    const text = l1Page('Blocked', [
      ['In Progress', 'Matching In Progress L2'],
      ['Blocked', 'Unchanged'],
      ['Blocked', ''],
      ['Blocked', 'None'],
      ['Blocked', 'N/A'],
      ['Blocked', 'Blocked - Legal/Regulatory'],
      ['Unchanged', 'Unchanged'],
    ]);
    expect(cellProblems(text)).toEqual([]);
  });

  it('lints the built-in playbook with no such problem', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const dir = new URL('../playbooks/', import.meta.url);
    const sources = readdirSync(dir).filter((f) => f.endsWith('.md')).map((f) => ({ file: f, text: readFileSync(new URL(f, dir), 'utf8') }));
    expect(lintPlaybook(parsePlaybook(sources)).filter((p) => p.code === 'PLAYBOOK_ENTITLEMENT_STATUS_UNKNOWN')).toEqual([]);
  });
});

describe('a duplicate page in another letter case', () => {
  const train = (second: string) => {
    const playbook = parsePlaybook([
      { file: 'a.md', text: legal() },
      { file: 'b.md', text: second },
      { file: 'c.md', text: security() },
    ]);
    return { data: collectTrainingData(playbook, DEFAULT_OPTIONS), problems: lintPlaybook(playbook) };
  };
  const duplicate = (title: string) =>
    partnerPage({
      title,
      heading: title.split(' - ')[1],
      definition: 'The second page says a rule of law forbids the rollout.',
      scenarios: ['Works council approval required by national law is still outstanding.'],
      status: 'Legal/Regulatory',
      question: 'Has counsel named the rule that forbids it?',
    });

  it('is reported, and its scenarios, questions and definition are all trained from as for a duplicate in the same case', () => {
    const same = train(duplicate('Blocked - Legal/Regulatory'));
    const other = train(duplicate('Blocked - legal/regulatory'));
    expect(other.problems.filter((p) => p.code === 'TAXONOMY_DUPLICATE_PAGE').map((p) => [p.file, p.message])).toEqual([
      ['b.md', expect.stringMatching(/^Code "Blocked - Legal\/Regulatory" \(written "legal\/regulatory" here\) is also defined by a\.md;/)],
    ]);
    const fromB = (d: typeof same) => d.data.examples.filter((e) => e.file === 'b.md').map((e) => [e.kind, e.text, d.data.codes[e.code]?.id]);
    expect(fromB(same)).toEqual(expect.arrayContaining([
      ['valid', 'Works council approval required by national law is still outstanding.', 'blocked/legal-regulatory'],
      ['question', 'Has counsel named the rule that forbids it?', 'blocked/legal-regulatory'],
    ]));
    expect(fromB(other)).toEqual(fromB(same));
    const questions = (d: typeof same) => d.data.codes.find((c) => c.id === 'blocked/legal-regulatory')?.questions;
    expect(questions(other)).toEqual(questions(same));
    expect(questions(other)).toContain('Has counsel named the rule that forbids it?');
  });
});
