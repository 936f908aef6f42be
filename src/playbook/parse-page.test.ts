import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parsePage } from './parse-page.js';
import { countQuestions } from './questions.js';
import type { PlaybookPage } from './types.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const read = (folder: string, name: string) => readFileSync(path.join(repoRoot, 'test', 'fixtures', folder, name), 'utf8');

interface Expectation {
  file: string;
  folder?: 'pages' | 'untidy';
  kind: PlaybookPage['kind'];
  l1: string | null;
  l2: string | null;
  heading?: string | null;
  definitionStarts?: string;
  valid: number;
  invalid: number;
  questions: number;
  workloads?: string[];
  history?: (string | null)[];
  /** Problem codes that must be reported (others may be too). */
  problems?: string[];
  /** Problem codes that must not be reported. */
  absent?: string[];
  aliases?: string[];
  check?: (page: PlaybookPage) => void;
}

const TIDY_LIKE = {
  kind: 'l2' as const,
  l1: 'Blocked',
  l2: 'Partner Engagement',
  heading: 'Partner Engagement',
  definitionStarts: 'The rollout waits on a partner',
  valid: 3,
  invalid: 2,
  questions: 5,
  workloads: ['Microsoft Teams'],
  history: ['2024-04-02', '2023-01-15'],
  absent: ['PLAYBOOK_FRONT_MATTER_INVALID', 'PLAYBOOK_FRONT_MATTER_UNCLOSED', 'PLAYBOOK_TABLE_MALFORMED', 'PLAYBOOK_KIND_UNKNOWN'],
  aliases: ['Partner Delay'],
};

const CASES: Expectation[] = [
  {
    file: 'tidy.md',
    ...TIDY_LIKE,
    check: (page) => {
      expect(page.questions[1]?.children.map((q) => q.text)).toEqual(['A signature or purchase order?', 'People with the right skills?']);
      expect(page.valid[0]).toMatchObject({ label: 'Partner Engagement', line: 20, l1: null, l2: null });
      expect(page.frontMatter).toMatchObject({ author: 'Fixture Author', audience: 'partner' });
      expect(page.problems).toEqual([]);
    },
  },
  { file: 'bom.md', ...TIDY_LIKE, check: (page) => expect(page.title).toBe('Blocked - Partner Engagement') },
  { file: 'crlf.md', ...TIDY_LIKE, check: (page) => expect(page.valid.map((s) => s.line)).toEqual([20, 21, 22]) },
  {
    file: 'zero-width.md',
    ...TIDY_LIKE,
    check: (page) => {
      expect(page.valid[1]?.text).toBe('The chosen partner has no Intune specialist free before autumn.');
      expect(page.valid[1]?.label).toBe('Partner Engagement');
    },
  },
  {
    file: 'nbsp.md',
    ...TIDY_LIKE,
    check: (page) => {
      expect(page.valid[2]).toMatchObject({ text: 'Customer is comparing three partner proposals and has not picked one.', label: 'Partner Engagement' });
    },
  },
  {
    file: 'cell-markup.md',
    kind: 'l2',
    l1: 'Blocked',
    l2: 'App Compatibility',
    valid: 4,
    invalid: 1,
    questions: 0,
    check: (page) => {
      expect(page.valid.map((s) => s.label)).toEqual(['App Compatibility', 'App Compatibility', 'App Compatibility', 'App Compatibility']);
      expect(page.valid[0]?.text).toBe('The payroll add-in for Outlook crashes on start-up.');
      expect(page.valid[1]?.text).toBe('Their CAD tool saves to C:\\Projects only | no cloud paths allowed.');
      expect(page.valid[2]?.text).toBe('Vendor of the ticketing tool says the new client is "not certified".');
      expect(page.valid[3]?.text).toBe('Line-of-business macro breaks after the move to the new Office channel.');
    },
  },
  {
    file: 'callout-blank-lines.md',
    kind: 'l2',
    l1: 'Blocked',
    l2: 'Service Reliability',
    definitionStarts: 'Confidence in the service is low',
    valid: 1,
    invalid: 1,
    questions: 3,
    check: (page) => {
      expect(page.definition).toContain('that is Customer IT Infrastructure and Remediation');
      expect(page.questions.map((q) => q.text)).toEqual([
        'Which incident worried them, and when was it?',
        'Do they measure the slowness from more than one site?',
        'Would a service health briefing help?',
      ]);
    },
  },
  {
    file: 'indented-blocks.md',
    kind: 'l2',
    l1: 'Blocked',
    l2: 'Legal/Regulatory',
    valid: 2,
    invalid: 1,
    questions: 3,
    workloads: ['Exchange Online'],
    history: ['2024-02-29'],
    check: (page) => {
      expect(page.questions[1]?.children[0]?.text).toBe('If so, may we read it?');
      expect(page.invalid[0]).toMatchObject({ label: 'Security/Privacy (Non-Product/Feature)', line: 22 });
      expect(page.workloadQuestions[0]?.questions).toHaveLength(2);
    },
  },
  {
    file: 'trailing-links.md',
    kind: 'l2',
    l1: 'No Intent',
    l2: 'Executive Sponsorship',
    definitionStarts: 'The people who decide do not back the move',
    valid: 1,
    invalid: 0,
    questions: 1,
    history: ['2023-12-01'],
    check: (page) => {
      expect(page.definition).toContain('See the L1 page for the wider picture.');
      expect(page.questions[0]?.text).toBe('Who signs off the rollout, and have we met them? More on sponsors');
    },
  },
  { file: 'missing-sections.md', kind: 'l2', l1: 'Status Unknown', l2: 'Customer Unresponsive', definitionStarts: 'Several attempts', valid: 0, invalid: 0, questions: 0, history: [] },
  {
    file: 'truncated.md',
    kind: 'l2',
    l1: 'In Progress',
    l2: 'Migration',
    definitionStarts: 'The workload can be used',
    valid: 2,
    invalid: 0,
    questions: 0,
    problems: ['PLAYBOOK_SCENARIO_NO_LABEL'],
    check: (page) => expect(page.valid[1]).toMatchObject({ text: 'File shares for finance copied, HR shares next wee', label: '', line: 16 }),
  },
  {
    file: 'extra-cells.md',
    kind: 'l1',
    l1: 'Blocked',
    l2: null,
    valid: 2,
    invalid: 0,
    questions: 1,
    problems: ['PLAYBOOK_ROW_EXTRA_CELLS'],
    check: (page) => {
      const table = page.entitlementScenarios;
      expect(table?.headers).toHaveLength(8);
      expect(table?.rows.map((r) => r.length)).toEqual([8, 10, 2]);
      expect(table?.rows[1]?.[9]).toBe('Follow up monthly');
      expect(page.valid[1]).toMatchObject({ text: 'Customer uses product A | B for mail and cannot move', label: 'App Compatibility' });
      expect(page.problems.filter((p) => p.code === 'PLAYBOOK_ROW_EXTRA_CELLS').map((p) => p.line)).toEqual([16, 24]);
    },
  },
  {
    file: 'unclosed-front-matter.md',
    kind: 'l2',
    l1: 'Blocked',
    l2: 'Adoption Readiness',
    heading: 'Adoption Readiness',
    definitionStarts: 'The business side is not ready',
    valid: 1,
    invalid: 0,
    questions: 0,
    problems: ['PLAYBOOK_FRONT_MATTER_UNCLOSED'],
    check: (page) => {
      const problem = page.problems.find((p) => p.code === 'PLAYBOOK_FRONT_MATTER_UNCLOSED');
      expect(problem).toMatchObject({ severity: 'error', line: 1, column: 1 });
    },
  },
  { file: 'empty.md', kind: 'unknown', l1: null, l2: null, heading: null, valid: 0, invalid: 0, questions: 0, problems: ['PLAYBOOK_EMPTY'] },
  {
    file: 'broken-table.md',
    kind: 'l2',
    l1: 'Blocked',
    l2: 'Billing, Licensing and Subscription',
    valid: 2,
    invalid: 1,
    questions: 0,
    problems: ['PLAYBOOK_TABLE_MALFORMED'],
    check: (page) => {
      expect(page.valid.map((s) => s.line)).toEqual([14, 15]);
      expect(page.invalid[0]).toMatchObject({ text: 'Partner contract for the rollout is still unsigned.', label: 'Partner Engagement', line: 21 });
    },
  },
  {
    file: 'dates.md',
    kind: 'l2',
    l1: 'Blocked',
    l2: 'Product Feature/Capability',
    valid: 0,
    invalid: 0,
    questions: 0,
    history: ['2024-03-07', '2024-03-07', '2024-03-07', '2024-02-13', '2024-03-07', null, null],
    problems: ['PLAYBOOK_DATE_UNREADABLE'],
    check: (page) => {
      expect(page.history[5]).toMatchObject({ dateAsWritten: '2/30/2024', who: 'A. Author', what: 'Impossible day' });
      expect(page.problems.filter((p) => p.code === 'PLAYBOOK_DATE_UNREADABLE').map((p) => p.line)).toEqual([20, 21]);
    },
  },
  {
    file: 'structure-only.md',
    kind: 'l2',
    l1: 'No Intent',
    l2: 'Using Competitive Solution',
    heading: 'Konkurrenzlösung',
    definitionStarts: 'Der Kunde will den Dienst nicht',
    valid: 2,
    invalid: 1,
    questions: 2,
    history: ['2024-04-05'],
    problems: ['PLAYBOOK_CALLOUT_UNKNOWN'],
    aliases: ['Konkurrenzlösung'],
    check: (page) => {
      expect(page.invalid[0]?.label).toBe('Executive Sponsorship');
      expect(page.history[0]).toMatchObject({ who: 'Fixture Author', what: 'Erste Fassung', dateAsWritten: '4/5/2024' });
    },
  },
  { file: 'invalid-only.md', kind: 'l2', l1: 'Status Unknown', l2: 'New Subscription or Workload', valid: 0, invalid: 1, questions: 0 },
  {
    file: 'de--it-change-management.md',
    folder: 'untidy',
    kind: 'l2',
    l1: 'Blocked',
    l2: 'IT Change Management and Resourcing',
    heading: 'IT-Änderungsmanagement und Ressourcen',
    definitionStarts: 'Die IT-Abteilung des Kunden',
    valid: 3,
    invalid: 2,
    questions: 3,
    history: ['2024-06-05'],
    aliases: ['IT-Änderungsmanagement und Ressourcen'],
  },
  {
    file: 'es--app-compatibility.md',
    folder: 'untidy',
    kind: 'l2',
    l1: 'Blocked',
    l2: 'App Compatibility',
    definitionStarts: 'Las aplicaciones de negocio',
    valid: 3,
    invalid: 2,
    questions: 2,
    history: ['2024-07-08'],
    aliases: ['Compatibilidad de aplicaciones'],
  },
  { file: 'pt--migration.md', folder: 'untidy', kind: 'l2', l1: 'In Progress', l2: 'Migration', definitionStarts: 'A carga de trabalho', valid: 2, invalid: 2, questions: 2, history: ['2024-09-10'], aliases: ['Migração'] },
  { file: 'ja--adoption-readiness.md', folder: 'untidy', kind: 'l2', l1: 'Blocked', l2: 'Adoption Readiness', definitionStarts: '業務部門の準備', valid: 2, invalid: 2, questions: 2, history: ['2024-10-01'], aliases: ['導入準備'] },
  { file: 'zh--product-feature.md', folder: 'untidy', kind: 'l2', l1: 'Blocked', l2: 'Product Feature/Capability', definitionStarts: '客户需要的功能', valid: 2, invalid: 2, questions: 2, history: ['2024-11-02'], aliases: ['产品功能/能力'] },
  {
    file: 'en--customer-it-infrastructure.md',
    folder: 'untidy',
    kind: 'l2',
    l1: 'Blocked',
    l2: 'Customer IT Infrastructure and Remediation',
    heading: 'Customer IT Infrastructure and Remediation',
    valid: 5,
    invalid: 4,
    questions: 4,
    problems: ['PLAYBOOK_ROW_EXTRA_CELLS'],
    aliases: [],
    check: (page) => {
      expect(page.valid[1]?.text).toBe('Sites still run Windows 7 | Office 2010 and cannot take the new client.');
      expect(page.valid[2]?.text).toBe('AD forest has three overlapping UPN suffixes that block directory sync');
      expect(page.questions[1]?.children.map((q) => q.text)).toEqual(['Who owns it?']);
      expect(page.frontMatter.title).toBe('Blocked - Customer IT Infrastructure and Remediation');
    },
  },
  {
    file: 'en--technical-onboarding.md',
    folder: 'untidy',
    kind: 'l2',
    l1: 'In Progress',
    l2: 'Technical Onboarding and Deployment',
    valid: 2,
    invalid: 2,
    questions: 1,
    workloads: ['Intune', 'Exchange Online'],
    history: ['2024-09-09'],
    aliases: ['Tech Onboarding', 'Onboarding'],
  },
  {
    file: 'es--blocked.md',
    folder: 'untidy',
    kind: 'l1',
    l1: 'Blocked',
    l2: null,
    heading: 'Bloqueado',
    valid: 2,
    invalid: 0,
    questions: 2,
    history: ['2024-01-10'],
    aliases: ['Bloqueado'],
    problems: ['PLAYBOOK_ROW_EXTRA_CELLS'],
    check: (page) => expect(page.entitlementScenarios?.headers[0]).toBe('Escenario'),
  },
];

describe('parsePage on fixture pages', () => {
  it.each(CASES)('$file', (expected) => {
    const page = parsePage(read(expected.folder ?? 'pages', expected.file), expected.file);
    expect(page.file).toBe(expected.file);
    expect({ kind: page.kind, l1: page.l1, l2: page.l2 }).toEqual({ kind: expected.kind, l1: expected.l1, l2: expected.l2 });
    if (expected.heading !== undefined) expect(page.heading).toBe(expected.heading);
    if (expected.definitionStarts !== undefined) expect(page.definition?.startsWith(expected.definitionStarts), page.definition ?? 'null').toBe(true);
    expect(page.valid).toHaveLength(expected.valid);
    expect(page.invalid).toHaveLength(expected.invalid);
    expect(countQuestions(page.questions)).toBe(expected.questions);
    if (expected.workloads) expect(page.workloadQuestions.map((w) => w.workload)).toEqual(expected.workloads);
    if (expected.history) expect(page.history.map((h) => h.date)).toEqual(expected.history);
    if (expected.aliases) expect(page.aliases).toEqual(expected.aliases);
    const codes = page.problems.map((p) => p.code);
    for (const code of expected.problems ?? []) expect(codes).toContain(code);
    for (const code of expected.absent ?? []) expect(codes).not.toContain(code);
    for (const s of [...page.valid, ...page.invalid]) {
      expect(s.text).not.toMatch(/[\u200B\uFEFF\u00A0]|\*\*|\]\(/);
      expect(s.label).not.toMatch(/[\u200B\uFEFF\u00A0]|\*\*|\]\(/);
    }
    for (const p of page.problems) {
      expect(p.line).toBeGreaterThanOrEqual(1);
      expect(p.column).toBeGreaterThanOrEqual(1);
      expect(p.message.length).toBeGreaterThan(10);
    }
    expected.check?.(page);
  });
});

describe('parsePage positions', () => {
  it('reports columns in the original text when zero-width characters precede the problem', () => {
    const text = '---\ntitle: Blocked - App Compatibility\n---\n\n# App Compatibility\n\n| A | B |\n| -- | -- |\n|\u200B\u200B x | y | z |\n';
    const page = parsePage(text, 'zw.md');
    const problem = page.problems.find((p) => p.code === 'PLAYBOOK_ROW_EXTRA_CELLS');
    expect(problem).toMatchObject({ line: 9, column: 1 });
    expect(page.valid[0]).toMatchObject({ text: 'x | y', label: 'z', line: 9 });
  });

  it('points an invalid front matter at the offending line', () => {
    const page = parsePage('---\ntitle: Blocked - Legal/Regulatory\nbad: [unclosed\n---\n\n# Legal/Regulatory\n', 'yaml.md');
    const problem = page.problems.find((p) => p.code === 'PLAYBOOK_FRONT_MATTER_INVALID');
    expect(problem?.severity).toBe('error');
    expect(problem?.line).toBeGreaterThanOrEqual(3);
    expect(page.l2).toBe('Legal/Regulatory');
    // One position only, the page's: not also the YAML library's, counted from inside the front matter.
    expect(problem?.message).not.toMatch(/at line \d+, column \d+/);
  });
});

describe('parsePage page kinds', () => {
  it.each([
    ['Blocked - App Compatibility', 'l2', 'Blocked', 'App Compatibility'],
    ['blocked – app compatibility', 'l2', 'Blocked', 'app compatibility'],
    ['Status Unknown: Customer Unresponsive', 'l2', 'Status Unknown', 'Customer Unresponsive'],
    ['Duplicate / Invalid', 'l1', 'Duplicate/Invalid', null],
    ['no intent', 'l1', 'No Intent', null],
    ['Blocked-App Compatibility', 'l2', 'Blocked', 'App Compatibility'],
    ['Paused - Waiting', 'l2', 'Paused', 'Waiting'],
    ['Just some notes', 'unknown', null, null],
  ] as const)('title %j -> %s %s / %s', (title, kind, l1, l2) => {
    const page = parsePage(`---\ntitle: ${title}\n---\n\n# Heading\n`, 'kind.md');
    expect({ kind: page.kind, l1: page.l1, l2: page.l2 }).toEqual({ kind, l1, l2 });
  });

  it('falls back on the heading when there is no title', () => {
    const page = parsePage('# In Progress - Migration\n\n> [!IMPORTANT]\n> Moving content in.\n', 'h.md');
    expect(page).toMatchObject({ kind: 'l2', l1: 'In Progress', l2: 'Migration', definition: 'Moving content in.' });
    expect(page.problems.map((p) => p.code)).toContain('PLAYBOOK_NO_TITLE');
  });

  it('reports an L1 that is not one of the five', () => {
    const page = parsePage('---\ntitle: Paused - Waiting\n---\n', 'p.md');
    expect(page.problems.map((p) => p.code)).toContain('PLAYBOOK_UNKNOWN_L1');
  });
});

describe('parsePage hostile input', () => {
  it('reads binary junk as a problem, not a crash', () => {
    let seed = 7;
    const bytes = Buffer.from(Array.from({ length: 20_000 }, () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed & 0xff)));
    const page = parsePage(Buffer.from(bytes).toString('utf8'), 'junk.bin');
    expect(page.problems.map((p) => p.code)).toContain('PLAYBOOK_NOT_TEXT');
    expect(page.kind).toBe('unknown');
  });

  it('reports a UTF-16 page as not text, once', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(read('pages', 'tidy.md'), 'utf16le')]).toString('utf8');
    const page = parsePage(utf16, 'utf16.md');
    expect(page.problems.map((p) => `${p.line}:${p.column} ${p.code}`)).toEqual(['1:1 PLAYBOOK_NOT_TEXT']);
  });

  it('reports a page saved as Windows-1252 at its first unreadable letter, however few there are', () => {
    const page = parsePage(read('encoding', 'stalled--personalluecke.md'), 'stalled--personalluecke.md');
    const problems = page.problems.filter((p) => p.code === 'PLAYBOOK_NOT_UTF8' || p.code === 'PLAYBOOK_NOT_TEXT');
    expect(problems.map((p) => `${p.severity} ${p.code} ${p.line}:${p.column}`)).toEqual(['error PLAYBOOK_NOT_UTF8 2:27']);
    const message = problems[0]?.message ?? '';
    expect(message).toMatch(/not UTF-8/);
    expect(message).toMatch(/line 2, column 27 \("Personall\uFFFDcke"\)/);
    expect(message).toMatch(/the page has 7 such characters/);
    expect(message).toMatch(/Windows-1252 \(Latin-1\)/);
    expect(message).toMatch(/save it again with the encoding UTF-8/);
  });

  it('gives the column in the original text when zero-width characters come first', () => {
    const page = parsePage('---\ntitle: Blocked - Legal/Regulatory\n---\n\n# Legal\u200B\u200B/Regulatory caf\uFFFD\n', 'zw.md');
    expect(page.problems.find((p) => p.code === 'PLAYBOOK_NOT_UTF8')).toMatchObject({ line: 5, column: 25 });
    expect(page.problems.find((p) => p.code === 'PLAYBOOK_NOT_UTF8')?.message).toMatch(/it is the only one in the page/);
  });

  it('reads text in another multi-byte encoding as not UTF-8, not as binary', () => {
    // Shift-JIS or GBK read as UTF-8: many U+FFFD but no control characters, unlike binary files and UTF-16.
    const page = parsePage(`---\ntitle: Blocked - App Compatibility\n---\n\n# ${'\uFFFD'.repeat(40)}\n`, 'sjis.md');
    expect(page.problems.map((p) => p.code)).toContain('PLAYBOOK_NOT_UTF8');
    expect(page.problems.map((p) => p.code)).not.toContain('PLAYBOOK_NOT_TEXT');
  });

  it('reads a 5 MB page quickly and says it was cut', () => {
    const row = '| A scenario row that repeats to make the page large, with *emphasis* and a [link](x). | Partner Engagement |\n';
    const text = `${read('pages', 'tidy.md')}\n## More\n\n| S | L |\n| -- | -- |\n${row.repeat(Math.ceil(5_000_000 / row.length))}`;
    expect(text.length).toBeGreaterThan(5_000_000);
    const started = performance.now();
    const page = parsePage(text, 'big.md');
    const seconds = (performance.now() - started) / 1000;
    expect(page.l2).toBe('Partner Engagement');
    expect(page.valid).toHaveLength(3);
    expect(page.problems.find((p) => p.code === 'PLAYBOOK_PAGE_TOO_LARGE')?.severity).toBe('error');
    expect(seconds).toBeLessThan(10);
  });

  it.each([
    ['non-string text', 42 as unknown as string],
    ['null', null as unknown as string],
    ['only front matter fence', '---'],
    ['deep quotes', '>'.repeat(20_000)],
    ['deep quote lines', Array.from({ length: 400 }, (_, i) => `${'>'.repeat(i)} text`).join('\n')],
    ['deep lists', Array.from({ length: 400 }, (_, i) => `${' '.repeat(i * 2)}- item`).join('\n')],
    ['chained list markers', '- '.repeat(5_000)],
    ['table without rows', '| a | b |\n| - | - |\n'],
    ['callout marker only', '> [!TIP]'],
  ])('%s', (_name, text) => {
    const started = performance.now();
    const page = parsePage(text, 'x.md');
    expect(Array.isArray(page.problems)).toBe(true);
    expect(page.problems.map((p) => p.code)).not.toContain('PLAYBOOK_INTERNAL');
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe('parsePage line ends', () => {
  const all = (folder: 'pages' | 'untidy') => readdirSync(path.join(repoRoot, 'test', 'fixtures', folder)).map((file) => [folder, file] as const);
  it.each([...all('pages'), ...all('untidy')])('%s/%s reads the same with LF, CRLF and CR line ends', (folder, file) => {
    const lf = read(folder, file).replace(/\r\n/g, '\n');
    const strip = (text: string) => ({ ...parsePage(text, file), contentHash: '' });
    const expected = strip(lf);
    expect(strip(lf.replace(/\n/g, '\r\n'))).toEqual(expected);
    expect(strip(lf.replace(/\n/g, '\r'))).toEqual(expected);
  });
});

describe('parsePage workload questions', () => {
  const head = '---\ntitle: Blocked - Service Reliability\n---\n\n# Service Reliability\n\n';
  const tip = '> [!TIP]\n> Ask:\n> 1. General?\n\n';
  it.each([
    ['H3, intro line, list', `${tip}### Teams\nAsk these first:\n\n1. Calls drop?\n2. Video freezes?\n`, [['Teams', 2]]],
    ['H3 with two lists', `${tip}### Teams\n- One?\n\nAnd also:\n\n- Two?\n\n### SharePoint Online\n1. Three?\n`, [['Teams', 2], ['SharePoint Online', 1]]],
    ['H2 followed by a list', `${tip}## Workload-Specific Questions\n1. Not a workload?\n`, []],
    ['H3 before the TIP and the tables', `### Teams\n1. Too early?\n\n${tip}`, []],
    ['H3 followed by a table', `${tip}### Refresh Summary\n\n|Date|Who|What|\n|-|-|-|\n|1/1/2024|A|B|\n`, []],
  ] as const)('%s', (_name, body, expected) => {
    const page = parsePage(head + body, 'w.md');
    expect(page.workloadQuestions.map((w) => [w.workload, w.questions.length])).toEqual(expected);
  });
});

describe('parsePage nested tables', () => {
  it('finds example tables inside list items and plain quotes', () => {
    const text = [
      '---',
      'title: Blocked - Legal/Regulatory',
      '---',
      '',
      '# Legal/Regulatory',
      '',
      '> [!IMPORTANT]',
      '> **Definition:** A law stops it.',
      '',
      '1. Valid examples:',
      '',
      '   | Scenario | Status |',
      '   | -- | -- |',
      '   | Regulator said no. | Legal/Regulatory |',
      '',
      '> | Scenario | Status |',
      '> | -- | -- |',
      '> | Officer is not convinced. | Security/Privacy |',
      '',
    ].join('\n');
    const page = parsePage(text, 'nested.md');
    expect(page.valid.map((s) => [s.text, s.line])).toEqual([['Regulator said no.', 14]]);
    expect(page.invalid.map((s) => [s.label, s.line])).toEqual([['Security/Privacy', 18]]);
  });
});

describe('parsePage broken front matter', () => {
  const tidy = read('pages', 'tidy.md');
  const good = parsePage(tidy, 'tidy.md');
  it.each([
    ['a two-dash opening fence', tidy.replace(/^---/, '--'), 'PLAYBOOK_FRONT_MATTER_INVALID', /line 1 is `--`/, 0],
    ['a four-dash opening fence', tidy.replace(/^---/, '----'), 'PLAYBOOK_FRONT_MATTER_INVALID', /line 1 is `----`/, 0],
    ['no opening fence', tidy.replace(/^---\n/, ''), 'PLAYBOOK_FRONT_MATTER_MISSING', /no opening `---`.*line 8 closes it/, -1],
    ['a `---yaml` opening fence', tidy.replace(/^---/, '---yaml'), 'PLAYBOOK_FRONT_MATTER_INVALID', /exactly three dashes .*line 1 is `---yaml`/, 0],
    ['a `+++` opening fence (TOML style)', tidy.replace(/^---/, '+++'), 'PLAYBOOK_FRONT_MATTER_INVALID', /exactly three dashes .*line 1 is `\+\+\+` \(`\+\+\+` opens a TOML front matter/, 0],
    ['an opening fence with a space before it', tidy.replace(/^---/, ' ---'), 'PLAYBOOK_FRONT_MATTER_INVALID', /^Line 1 has white space before its `---`.*remove the space/, 0],
  ])('reports %s as an error at 1:1 and still reads the page', (_name, text, code, message, shift) => {
    const page = parsePage(text, 'broken.md');
    const problem = page.problems.find((p) => p.code === code);
    expect(problem).toMatchObject({ severity: 'error', line: 1, column: 1 });
    expect(problem?.message).toMatch(message);
    expect(page.problems.map((p) => p.code)).not.toContain('PLAYBOOK_KIND_UNKNOWN');
    expect({ kind: page.kind, l1: page.l1, l2: page.l2, title: page.title, aliases: page.aliases }).toEqual({ kind: good.kind, l1: good.l1, l2: good.l2, title: good.title, aliases: good.aliases });
    expect([page.valid.length, page.invalid.length, page.history.length]).toEqual([good.valid.length, good.invalid.length, good.history.length]);
    expect(page.valid.map((s) => s.line)).toEqual(good.valid.map((s) => s.line + shift));
  });

  it.each([
    ['a `---yaml` opening fence', '---yaml'],
    ['a `+++` opening fence', '+++'],
    ['an indented opening fence', ' ---'],
  ])('reports %s once, not as a page with no title and no code', (_name, opening) => {
    const page = parsePage(tidy.replace(/^---/, opening), 'broken.md');
    expect(page.problems.map((p) => `${p.line}:${p.column} ${p.code}`)).toEqual(['1:1 PLAYBOOK_FRONT_MATTER_INVALID']);
  });

  it('accepts spaces after the `---` fences, as PAGE-FORMAT.md says', () => {
    // Pins the documented choice: trailing spaces are invisible in an editor and Markdown reads the fence anyway.
    const page = parsePage(tidy.replace(/^---\n/, '---  \n').replace('\n---\n', '\n--- \t\n'), 'trailing.md');
    expect(page.problems).toEqual([]);
    expect({ l2: page.l2, aliases: page.aliases, valid: page.valid.length }).toEqual({ l2: good.l2, aliases: good.aliases, valid: good.valid.length });
  });

  it('names the closing fence that has a space before it, not line 1', () => {
    const page = parsePage(tidy.replace('\n---\n', '\n --- \n'), 'closing.md');
    const problem = page.problems.find((p) => p.code === 'PLAYBOOK_FRONT_MATTER_UNCLOSED');
    expect(problem).toMatchObject({ severity: 'error', line: 9, column: 1 });
    expect(problem?.message).toMatch(/line 9 has white space before its `---`.*Remove the space/);
  });

  it('reports an unclosed quote where it opens, not where the front matter ends', () => {
    const page = parsePage(read('front-matter', 'unclosed-quote.md'), 'unclosed-quote.md');
    const problems = page.problems.filter((p) => p.code === 'PLAYBOOK_FRONT_MATTER_INVALID');
    expect(problems.map((p) => `${p.severity} ${p.line}:${p.column}`)).toEqual(['error 3:14']);
    expect(problems[0]?.message).toMatch(/the " quote opened here is never closed/);
    expect(page).toMatchObject({ kind: 'l2', l1: 'Stalled', l2: 'Network Constraints' });
  });

  it('points other YAML errors at their own line', () => {
    const page = parsePage("---\ntitle: Blocked - Legal/Regulatory\nauthor: 'Ann\n---\n\n# Legal/Regulatory\n", 'single.md');
    expect(page.problems.find((p) => p.code === 'PLAYBOOK_FRONT_MATTER_INVALID')).toMatchObject({ line: 3, column: 9 });
  });

  it('reports a second `title:` as an error at its own line', () => {
    const page = parsePage(read('front-matter', 'duplicate-title.md'), 'duplicate-title.md');
    const problem = page.problems.find((p) => p.code === 'PLAYBOOK_FRONT_MATTER_INVALID');
    expect(problem).toMatchObject({ severity: 'error', line: 7, column: 1 });
    expect(problem?.message).toMatch(/second `title:` \(the first is on line 2\)/);
  });

  it('warns about other keys written twice', () => {
    const page = parsePage('---\ntitle: Blocked - Legal/Regulatory\ndate: 1/2/2024\ndate: 2/3/2024\n---\n\n# Legal/Regulatory\n', 'dup.md');
    expect(page.problems.filter((p) => p.code === 'PLAYBOOK_FRONT_MATTER_INVALID').map((p) => `${p.severity} ${p.line}:${p.column}`)).toEqual(['warning 4:1']);
  });

  it('reports a page whose code cannot be told as an error', () => {
    const page = parsePage('Some notes about the rollout.\n\n| a | b |\n| - | - |\n| x | y |\n', 'notes.md');
    expect(page.kind).toBe('unknown');
    expect(page.problems.find((p) => p.code === 'PLAYBOOK_KIND_UNKNOWN')?.severity).toBe('error');
  });

  it('leaves a page that starts with ordinary text alone', () => {
    const page = parsePage('# Blocked - App Compatibility\n\nTitle: not front matter\n\n---\n\nMore text.\n', 'plain.md');
    expect(page.problems.map((p) => p.code)).not.toContain('PLAYBOOK_FRONT_MATTER_MISSING');
    expect(page.problems.map((p) => p.code)).not.toContain('PLAYBOOK_FRONT_MATTER_INVALID');
  });
});

describe('parsePage tables in a quote, read as the same table unquoted is', () => {
  /** A page whose valid-example table is written after `prefix` (each line), `between` the definition callout and it. */
  function quotedTable(prefix: string, rows: string[], between: string[] = ['']): string {
    return [
      '---',
      'title: Blocked - Legal/Regulatory',
      '---',
      '',
      '# Legal/Regulatory',
      '',
      '> [!IMPORTANT]',
      '> **Definition:** A law stops it.',
      ...between,
      ...['| Scenario | Status |', '| -- | -- |', ...rows].map((row) => `${prefix}${row}`),
      '',
    ].join('\n');
  }
  const rows = ['| A regulator said no. | Legal/Regulatory |', '| A court said no. | Legal/Regulatory |'];
  const read = (page: PlaybookPage) => ({
    definition: page.definition,
    valid: page.valid.map((s) => [s.text, s.label, s.line]),
    problems: page.problems.map((p) => `${p.line}:${p.column} ${p.code}`),
  });

  it.each([
    ['right after the definition callout', ['']],
    ['after the definition callout and two blank lines', ['', '']],
    ['after a quoted line of the definition', ['', '> More about the law.', '']],
  ])('reads a table in a plain quote %s as a table, not as part of the definition', (_name, between) => {
    const plain = read(parsePage(quotedTable('', rows, between), 'plain.md'));
    const quoted = read(parsePage(quotedTable('> ', rows, between), 'quoted.md'));
    expect(plain.valid).toEqual([
      ['A regulator said no.', 'Legal/Regulatory', between.length + 11],
      ['A court said no.', 'Legal/Regulatory', between.length + 12],
    ]);
    expect(quoted).toEqual(plain);
  });

  it('reads a table in a plain quote right after the [!TIP] callout as a table', () => {
    const text = quotedTable('> ', rows).replace('> [!IMPORTANT]\n> **Definition:** A law stops it.', '> [!TIP]\n> 1. Is a law in the way?');
    const page = parsePage(text, 'tip.md');
    expect(page.valid.map((s) => s.text)).toEqual(['A regulator said no.', 'A court said no.']);
    expect(page.questions.map((q) => q.text)).toEqual(['Is a law in the way?']);
  });

  it.each([
    ['on one line', ['<!-- | A row taken out. | Legal/Regulatory | -->']],
    ['on several lines', ['<!--', '| A row taken out. | Legal/Regulatory |', '-->']],
  ])('keeps the rows under a comment %s in the quoted table, as at top level, and warns at the comment', (_name, comment) => {
    const commented = [rows[0] ?? '', ...comment, ...rows.slice(1), '| An officer said no. | Legal/Regulatory |'];
    // After a heading, so that the quote is not read with the callout above it.
    const between = ['', '## Valid Example Scenarios', ''];
    const plain = parsePage(quotedTable('', commented, between), 'plain.md');
    const quoted = parsePage(quotedTable('> ', commented, between), 'quoted.md');
    expect(plain.valid.map((s) => s.text)).toEqual(['A regulator said no.', 'A court said no.', 'An officer said no.']);
    expect(quoted.valid.map((s) => [s.text, s.line, s.column])).toEqual(plain.valid.map((s) => [s.text, s.line, (s.column ?? 1) + 2]));
    const at = (page: PlaybookPage) => page.problems.map((p) => `${p.line}:${p.column} ${p.code}`);
    expect(at(plain)).toEqual(['15:1 PLAYBOOK_TABLE_MALFORMED']);
    expect(at(quoted)).toEqual(['15:3 PLAYBOOK_TABLE_MALFORMED']);
  });

  it('keeps the rows under a comment in a table quoted straight after the callout', () => {
    const commented = [rows[0] ?? '', '<!-- | A row taken out. | Legal/Regulatory | -->', ...rows.slice(1)];
    const page = parsePage(quotedTable('> ', commented), 'quoted.md');
    expect(page.valid.map((s) => s.text)).toEqual(['A regulator said no.', 'A court said no.']);
    expect(page.definition).toBe('A law stops it.');
  });
});

describe('a plain quote right after a callout that holds text, then a table (review rwl 3)', () => {
  const head = ['---', 'title: Blocked - Legal/Regulatory', '---', '', '# Legal/Regulatory', '', '> [!IMPORTANT]', '> **Definition:** A law stops it.', ''];
  const rows = ['> | Scenario | Status |', '> | -- | -- |', '> | A regulator said no. | Legal/Regulatory |', '> | A court said no. | Legal/Regulatory |', ''];

  it('reads the text before the table as more of the callout, and the table as a table', () => {
    const page = parsePage([...head, '> More of the definition: the regulator decides.', '>', ...rows].join('\n'), 'blocked--legal-regulatory.md');
    expect(page.definition).toBe('A law stops it.\n\nMore of the definition: the regulator decides.');
    expect(page.valid.map((s) => s.text)).toEqual(['A regulator said no.', 'A court said no.']);
  });

  it('still reads a quote that opens with its table as a table only', () => {
    const page = parsePage([...head, ...rows].join('\n'), 'blocked--legal-regulatory.md');
    expect(page.definition).toBe('A law stops it.');
    expect(page.valid.map((s) => s.text)).toEqual(['A regulator said no.', 'A court said no.']);
  });
});

describe('a page of thousands of quotes (review rwl, pre-existing slowness)', () => {
  it('reads only its first quotes, with an error, in a bounded time', () => {
    const parts = ['---', 'title: Blocked - X', '---', '', '# X', '', '> [!IMPORTANT]', '> **Definition:** d', ''];
    for (let k = 0; k < 20000; k++) parts.push('> text | a | b', '');
    const started = performance.now();
    const page = parsePage(parts.join('\n'), 'x.md');
    expect(performance.now() - started).toBeLessThan(5000);
    expect(page.problems.map((p) => p.code)).toContain('PLAYBOOK_PAGE_TOO_LARGE');
  });
});
