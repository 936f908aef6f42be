import { describe, expect, it } from 'vitest';
import { hasErrors, lintPlaybook } from './lint.js';
import { parsePlaybook } from './parse-playbook.js';

interface PageSpec {
  title: string;
  definition?: boolean;
  valid?: [string, string][];
  invalid?: [string, string][];
  questions?: boolean;
  history?: boolean;
}

function pageText(spec: PageSpec): string {
  const lines = ['---', `title: ${spec.title}`, '---', '', `# ${spec.title.split(' - ').pop() ?? spec.title}`, ''];
  if (spec.definition !== false) lines.push('> [!IMPORTANT]', '> **Definition:** What this code covers.', '');
  const table = (heading: string, rows: [string, string][]) => {
    lines.push(`## ${heading}`, '', '| Scenario | Status |', '| -- | -- |', ...rows.map(([t, l]) => `| ${t} | ${l} |`), '');
  };
  if (spec.valid) table('Valid Example Scenarios', spec.valid);
  if (spec.invalid) table('Invalid Example Scenarios', spec.invalid);
  if (spec.questions !== false) lines.push('> [!TIP]', '> Ask:', '>    1. A question?', '');
  if (spec.history !== false) lines.push('### Refresh Summary', '', '|Date|Who Changed|What Changed|', '|--|--|--|', '|1/2/2024| Someone| First version|', '');
  return lines.join('\n');
}

const many = (n: number, label: string, prefix: string): [string, string][] => Array.from({ length: n }, (_, i) => [`${prefix} scenario number ${i + 1}`, label]);

const LEGAL = 'Blocked - Legal/Regulatory';
const SECURITY = 'Blocked - Security/Privacy (Non-Product/Feature)';
const complete = (title: string, prefix: string): PageSpec => ({ title, valid: many(15, title.split(' - ')[1] ?? '', prefix), invalid: many(6, title === LEGAL ? 'Security/Privacy' : 'Legal/Regulatory', `${prefix} other`) });

function lint(...specs: PageSpec[]) {
  const playbook = parsePlaybook(specs.map((spec, i) => ({ file: `p${i}.md`, text: pageText(spec) })));
  return lintPlaybook(playbook);
}

const codesOf = (problems: ReturnType<typeof lint>, file = 'p0.md') => problems.filter((p) => p.file === file).map((p) => `${p.severity} ${p.code}`);

describe('lintPlaybook', () => {
  it('finds nothing on complete pages', () => {
    const problems = lint(complete(LEGAL, 'legal'), complete(SECURITY, 'security'));
    expect(problems).toEqual([]);
    expect(hasErrors(problems)).toBe(false);
  });

  it.each<[string, PageSpec, string[]]>([
    ['an L2 page without definition', { ...complete(LEGAL, 'x'), definition: false }, ['error PLAYBOOK_NO_DEFINITION']],
    ['an L2 page without valid scenarios', { ...complete(LEGAL, 'x'), valid: undefined }, ['error PLAYBOOK_NO_VALID_SCENARIOS']],
    ['fewer than 15 valid scenarios', { ...complete(LEGAL, 'x'), valid: many(14, 'Legal/Regulatory', 'x') }, ['warning PLAYBOOK_FEW_VALID_SCENARIOS']],
    ['fewer than 6 invalid scenarios', { ...complete(LEGAL, 'x'), invalid: many(5, 'Security/Privacy', 'y') }, ['warning PLAYBOOK_FEW_INVALID_SCENARIOS']],
    ['no questions', { ...complete(LEGAL, 'x'), questions: false }, ['warning PLAYBOOK_NO_QUESTIONS']],
    ['no refresh history', { ...complete(LEGAL, 'x'), history: false }, ['info PLAYBOOK_NO_HISTORY']],
    [
      'an invalid scenario naming the page own code',
      { ...complete(LEGAL, 'x'), invalid: [...many(6, 'Security/Privacy', 'y'), ['looks like a law problem', 'Legal / Regulatory']] },
      ['error PLAYBOOK_INVALID_NAMES_OWN_CODE'],
    ],
    [
      'a valid scenario naming another code',
      { ...complete(LEGAL, 'x'), valid: [...many(15, 'Legal/Regulatory', 'x'), ['a security worry', 'Security/Privacy']] },
      ['warning PLAYBOOK_VALID_NAMES_OTHER_CODE'],
    ],
    ['an unknown label', { ...complete(LEGAL, 'x'), invalid: [...many(6, 'Security/Privacy', 'y'), ['something', 'Nothing Like It']] }, ['error PLAYBOOK_LABEL_UNKNOWN']],
  ])('reports %s', (_name, spec, expected) => {
    const problems = lint(spec, complete(SECURITY, 'security'));
    expect(codesOf(problems)).toEqual(expected);
    expect(hasErrors(problems)).toBe(expected.some((e) => e.startsWith('error')));
  });

  it('reports the same scenario on two pages, at the second', () => {
    const first = complete(LEGAL, 'legal');
    const second = complete(SECURITY, 'security');
    second.invalid = [...(second.invalid ?? []), ['legal scenario number 3', 'Legal/Regulatory']];
    const problems = lint(first, second);
    expect(codesOf(problems, 'p1.md')).toEqual(['warning PLAYBOOK_DUPLICATE_SCENARIO']);
    expect(problems.find((p) => p.code === 'PLAYBOOK_DUPLICATE_SCENARIO')?.message).toContain('p0.md:');
  });

  it('sorts problems by file and line', () => {
    const problems = lint({ title: LEGAL, definition: false, questions: false, history: false }, { title: SECURITY, definition: false });
    const keys = problems.map((p) => [p.file, p.line, p.column] as const);
    const sorted = [...keys].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1] || a[2] - b[2]));
    expect(keys).toEqual(sorted);
    expect(problems.length).toBeGreaterThan(4);
  });

  it('warns when a title disagrees with its l1--l2.md file name, naming the nearest known code', () => {
    const typo = complete('Blocked - Legal/Regulatry', 'legal');
    const sources = [
      { file: 'pages/blocked--legal-regulatory.md', text: pageText(typo) },
      { file: 'pages/blocked--security-privacy-non-product-feature.md', text: pageText(complete(SECURITY, 'security')) },
    ];
    const playbook = parsePlaybook(sources);
    const plain = lintPlaybook(playbook).filter((p) => p.code === 'PLAYBOOK_CODE_FILE_MISMATCH');
    expect(plain.map((p) => `${p.file}:${p.line}:${p.column} ${p.severity}`)).toEqual(['pages/blocked--legal-regulatory.md:2:8 warning']);
    expect(plain[0]?.message).toMatch(/blocked\/legal-regulatry.*file name stands for blocked\/legal-regulatory/);
    const known = lintPlaybook(playbook, { knownCodes: ['blocked/legal-regulatory', 'blocked/security-privacy-non-product-feature'] });
    expect(known.find((p) => p.code === 'PLAYBOOK_CODE_FILE_MISMATCH')?.message).toMatch(/Did you mean blocked\/legal-regulatory\b/);
  });

  it('names the nearest known code for a new code spelled like one, and leaves other file names alone', () => {
    const sources = [
      { file: 'en--legal.md', text: pageText(complete('Blocked - Legal/Regulatry', 'legal')) },
      { file: 'p1.md', text: pageText(complete(SECURITY, 'security')) },
      { file: 'blocked--partner-engagement.md', text: pageText(complete('Blocked - Partner Engagement', 'partner')) },
    ];
    const problems = lintPlaybook(parsePlaybook(sources), { knownCodes: ['blocked/legal-regulatory', 'blocked/security-privacy-non-product-feature'] });
    expect(problems.filter((p) => /PLAYBOOK_CODE_/.test(p.code)).map((p) => `${p.file} ${p.code}`)).toEqual(['en--legal.md PLAYBOOK_CODE_NOT_KNOWN']);
    expect(problems.find((p) => p.code === 'PLAYBOOK_CODE_NOT_KNOWN')?.message).toMatch(/Did you mean blocked\/legal-regulatory\b/);
  });

  it('does not hold L1 pages to L2 counts', () => {
    const problems = lint({ title: 'Blocked', valid: [['a firewall blocks it', 'Legal/Regulatory']] }, complete(LEGAL, 'legal'));
    expect(codesOf(problems)).toEqual([]);
  });
});

describe('lintPlaybook on tables in a quote', () => {
  /** A page whose every finding comes from its tables, each table line written after `prefix`. */
  function tablesPage(prefix: string): string {
    const table = (heading: string, rows: string[]) => [`## ${heading}`, '', ...rows.map((row) => `${prefix}${row}`), ''];
    return [
      '---',
      `title: ${LEGAL}`,
      '---',
      '',
      '# Legal/Regulatory',
      '',
      '> [!IMPORTANT]',
      '> **Definition:** A law stops it.',
      '',
      ...table('Valid Example Scenarios', [
        '| Scenario | Status |',
        '| -- | -- |',
        '| A regulator said no. | Legal/Regulatory |',
        '| | Legal/Regulatory |',
        '| A court said no. |  |',
        '| An officer said no. | Legal/Regulatory | extra |',
        '| A security worry. | Security/Privacy |',
        '| A shared worry. | Legal/Regulatory |',
      ]),
      ...table('Invalid Example Scenarios', ['| Scenario | Status |', '| -- | -- |', '| A law problem. | Legal/Regulatory |', '| Something else. | Nothing Like It |']),
      ...table('More examples', ['| A | B |', '| -- | -- |', '| x | y |']),
      ...table('Entitlement Scenarios', ['| Customer | L1 | L2 | Note |', '| -- | -- | -- | -- |', '| c | Blockd | Legal/Regulatory | n |', '| c | Blocked | Legal/Regulatory | n | z |']),
      '> [!TIP]',
      '> 1. A question?',
      '',
      ...table('Refresh Summary', ['| Date | Who Changed | What Changed |', '| -- | -- | -- |', '| not a date | Someone | First version |']),
      ...table('Unread', ['| Scenario | Status |', '| A recovered row. | Legal/Regulatory |']),
    ].join('\n');
  }

  const other = `---\ntitle: ${SECURITY}\n---\n\n# Security\n\n| Scenario | Status |\n| -- | -- |\n| A shared worry. | Security/Privacy |\n`;
  const findings = (prefix: string) =>
    lintPlaybook(parsePlaybook([{ file: 'p0.md', text: tablesPage(prefix) }, { file: 'a.md', text: other }]))
      .filter((p) => p.file === 'p0.md')
      .map((p) => ({ code: p.code, line: p.line, column: p.column }));

  it.each(['> ', '>', '  > ', '> > ', '>\t'])('reports every finding of a table quoted with %j where it reports it unquoted, moved by the quote', (prefix) => {
    const plain = findings('');
    const lines = tablesPage('').split('\n');
    // A finding on a table line moves right by the quote's width; the others stay.
    const moved = plain.map((p) => ((lines[p.line - 1] ?? '').startsWith('|') ? { ...p, column: p.column + prefix.length } : p));
    expect(plain.map((p) => p.code)).toEqual(
      expect.arrayContaining([
        'PLAYBOOK_FEW_VALID_SCENARIOS',
        'PLAYBOOK_FEW_INVALID_SCENARIOS',
        'PLAYBOOK_SCENARIO_EMPTY',
        'PLAYBOOK_SCENARIO_NO_LABEL',
        'PLAYBOOK_ROW_EXTRA_CELLS',
        'PLAYBOOK_VALID_NAMES_OTHER_CODE',
        'PLAYBOOK_INVALID_NAMES_OWN_CODE',
        'PLAYBOOK_LABEL_UNKNOWN',
        'PLAYBOOK_DUPLICATE_SCENARIO',
        'PLAYBOOK_TABLE_UNCLASSIFIED',
        'PLAYBOOK_ENTITLEMENT_STATUS_UNKNOWN',
        'PLAYBOOK_DATE_UNREADABLE',
        'PLAYBOOK_TABLE_MALFORMED',
      ]),
    );
    expect(findings(prefix)).toEqual(moved);
  });

  it('reports too few examples at the first row of a quoted table, not at the quote marker', () => {
    const problems = findings('> ');
    const lines = tablesPage('> ').split('\n');
    for (const code of ['PLAYBOOK_FEW_VALID_SCENARIOS', 'PLAYBOOK_FEW_INVALID_SCENARIOS']) {
      const found = problems.find((p) => p.code === code);
      expect(found && (lines[found.line - 1] ?? '').slice(found.column - 1)).toMatch(/^\| A (regulator|law)/);
    }
  });
});

describe('lintPlaybook on a page with no invalid examples', () => {
  const few = (text: string) => {
    const problems = lintPlaybook(parsePlaybook([{ file: 'p0.md', text }, { file: 'p1.md', text: pageText(complete(SECURITY, 'security')) }]));
    return problems.filter((p) => p.file === 'p0.md' && p.code === 'PLAYBOOK_FEW_INVALID_SCENARIOS');
  };
  const withInvalid = (invalid: [string, string][] | undefined) => pageText({ ...complete(LEGAL, 'legal'), invalid });
  const where = (problems: ReturnType<typeof few>) => problems.map((p) => `${p.line}:${p.column}`);

  it('reports it at the page heading when the page has no invalid-example section', () => {
    const problems = few(withInvalid(undefined));
    expect(where(problems)).toEqual(['5:1']);
    expect(problems[0]?.message).toMatch(/^Only 0 invalid example scenarios; write at least 6/);
  });

  it('reports it at the title when the page has no heading either', () => {
    expect(where(few(withInvalid(undefined).replace('# Legal/Regulatory\n', '')))).toEqual(['2:8']);
  });

  it('reports it at an invalid-example table none of whose rows could be read', () => {
    for (const rows of [[], [['', 'Security/Privacy']]] as [string, string][][]) {
      const problems = few(withInvalid(rows));
      expect(where(problems)).toEqual(['32:1']);
      expect(problems[0]?.message).toMatch(/^Only 0 invalid example scenarios \(the invalid-example section on line 32 holds none\); write at least 6/);
    }
  });

  it.each([
    ['Invalid Example Scenarios for this L2'],
    ['3. Invalid Examples (draft)'],
    ['Escenarios de ejemplo no válidos para esta L2'],
    ['Cenários de exemplo inválidos para este L2'],
    ['Ungültige Beispielszenarien für diese L2'],
    ['この L2 の無効なシナリオ例'],
    ['此 L2 的无效示例场景'],
  ])('reports it at an invalid-example heading with no table under it (%s)', (heading) => {
    const text = withInvalid([]).replace('## Invalid Example Scenarios\n\n| Scenario | Status |\n| -- | -- |\n', `## ${heading}\n\nNone yet.\n`);
    expect(where(few(text))).toEqual(['30:1']);
  });

  it('keeps it at the first row when there are some', () => {
    expect(where(few(withInvalid(many(2, 'Security/Privacy', 'y'))))).toEqual(['34:1']);
  });
});
