/**
 * QA round 19, playbook positions: the problems that were still reported at 1:1 (no questions, no valid
 * examples, no history) are placed where the fix goes; a duplicate scenario at its scenario text; a title
 * with a YAML tag, anchor or quote at its text however the front matter was read; a table row's cell
 * columns always match the cells read from it (`\|`, `C:\\|`, code spans); and a stored code the pages
 * no longer define is reported at the title that (probably) lost it.
 */
import type { Table } from 'mdast';
import { describe, expect, it } from 'vitest';
import { checkStoredCodes } from '../src/app/index.js';
import { migrateToLatest, openDatabase } from '../src/db/index.js';
import { SYSTEM_ACTOR, createCustomer, createPartner } from '../src/tracker/index.js';
import { fixedClock, makeTaxonomy } from './factories.js';
import { lintPlaybook, parsePage, parsePlaybook } from '../src/playbook/index.js';
import type { Problem } from '../src/playbook/index.js';
import { parseMarkdown, plainText } from '../src/playbook/markdown.js';
import { cellColumnsOf, splitPipeRow } from '../src/playbook/tables.js';
import { partnerPage } from './partner-pages.js';

/** Line and column (1-based) of the `nth` occurrence of `needle` in `text`. */
function at(text: string, needle: string, nth = 0): string {
  let index = -1;
  for (let i = 0; i <= nth; i++) index = text.indexOf(needle, index + 1);
  if (index < 0) throw new Error(`"${needle}" not in text`);
  const before = text.slice(0, index).split('\n');
  return `${before.length}:${(before[before.length - 1]?.length ?? 0) + 1}`;
}

const where = (problems: readonly Problem[], code: string): string[] => problems.filter((p) => p.code === code).map((p) => `${p.line}:${p.column}`);
const lintOne = (text: string, file = 'blocked--staffing-gap.md'): Problem[] => lintPlaybook(parsePlaybook([{ file, text }])).filter((p) => p.file === file);

const FRONT = ['---', 'title: Blocked - Staffing Gap', '---', ''];
const DEFINITION = ['> [!IMPORTANT]', '> **Definition:** Nobody is free to do the work the rollout needs.', ''];

describe('a page missing a section', () => {
  it('is told so at its heading when the section is not there at all', () => {
    const text = [...FRONT, '# Staffing Gap', '', ...DEFINITION].join('\n');
    const problems = lintOne(text);
    for (const code of ['PLAYBOOK_NO_VALID_SCENARIOS', 'PLAYBOOK_NO_QUESTIONS', 'PLAYBOOK_NO_HISTORY']) {
      expect(where(problems, code), code).toEqual([at(text, '# Staffing Gap')]);
    }
  });

  it('is told so at the section\'s own heading or callout when that is there but holds nothing', () => {
    const text = [
      ...FRONT,
      '# Staffing Gap',
      '',
      ...DEFINITION,
      '## Valid Example Scenarios',
      '',
      'Still to be written.',
      '',
      '## Invalid Example Scenarios for this L2',
      '',
      '| Invalid Example Scenario | Scenario Status |',
      '| :--: | :--: |',
      '| The budget for contractors was cut. | Security/Privacy (Non-Product/Feature) |',
      '',
      '> [!TIP]',
      '> Ask the customer who would do the work.',
      '',
      '### Refresh Summary',
      '',
      'Nothing yet.',
      '',
    ].join('\n');
    const problems = lintOne(text);
    expect(where(problems, 'PLAYBOOK_NO_VALID_SCENARIOS')).toEqual([at(text, '## Valid Example Scenarios')]);
    expect(where(problems, 'PLAYBOOK_NO_QUESTIONS')).toEqual([at(text, '> [!TIP]')]);
    expect(where(problems, 'PLAYBOOK_NO_HISTORY')).toEqual([at(text, '### Refresh Summary')]);
  });

  it('is told so at the valid-example table when none of its rows could be read', () => {
    const text = [
      ...FRONT,
      '# Staffing Gap',
      '',
      ...DEFINITION,
      '## Valid Example Scenarios',
      '',
      '  | Valid Example Scenario | Scenario Status |',
      '  | :--: | :--: |',
      '  |  | Staffing Gap |',
      '',
    ].join('\n');
    expect(where(lintOne(text), 'PLAYBOOK_NO_VALID_SCENARIOS')).toEqual([at(text, '| Valid Example Scenario')]);
  });

  it('is told so at the title on a page with no heading', () => {
    const text = [...FRONT, ...DEFINITION].join('\n');
    const problems = lintOne(text);
    for (const code of ['PLAYBOOK_NO_VALID_SCENARIOS', 'PLAYBOOK_NO_QUESTIONS', 'PLAYBOOK_NO_HISTORY']) {
      expect(where(problems, code), code).toEqual([at(text, 'Blocked - Staffing Gap')]);
    }
  });
});

describe('the same scenario on two pages', () => {
  const page = (title: string, rows: readonly string[]): string =>
    ['---', `title: ${title}`, '---', '', `# ${title.split(' - ')[1]}`, '', ...DEFINITION, '| Valid Example Scenario | Scenario Status |', '| --- | --- |', ...rows, ''].join('\n');

  it('is reported at the later scenario\'s text, and names where the first one is', () => {
    const first = page('Blocked - Legal/Regulatory', ['|    The works council has not approved it. | Legal/Regulatory |']);
    const second = page('Blocked - Staffing Gap', ['|      The works council has not approved it. | Staffing Gap |', '|  | Two admins left,   nobody replaced them. | Staffing Gap |']);
    const third = page('Blocked - Adoption Readiness', ['| Two admins left, nobody replaced them. | Adoption Readiness |']);
    const problems = lintPlaybook(
      parsePlaybook([
        { file: 'a.md', text: first },
        { file: 'b.md', text: second },
        { file: 'c.md', text: third },
      ]),
    );
    const b = problems.filter((p) => p.file === 'b.md');
    expect(where(b, 'PLAYBOOK_DUPLICATE_SCENARIO')).toEqual([at(second, 'The works council')]);
    expect(b.find((p) => p.code === 'PLAYBOOK_DUPLICATE_SCENARIO')?.message).toContain(`a.md:${at(first, 'The works council')}`);
    // A row whose first cell is empty (read with an extra cell): at the cell the scenario is read from.
    const c = problems.filter((p) => p.file === 'c.md');
    expect(where(c, 'PLAYBOOK_DUPLICATE_SCENARIO')).toEqual([at(third, 'Two admins')]);
    expect(c.find((p) => p.code === 'PLAYBOOK_DUPLICATE_SCENARIO')?.message).toContain(`b.md:${at(second, 'Two admins')}`);
  });
});

describe('a title with a YAML tag, an anchor or quotes', () => {
  const plain = partnerPage({ title: 'Stalled - Staffing Gap', scenarios: ['Two engineers left and were not replaced.'], status: 'Staffing Gap' });
  const values = ['"Stalled - Staffing Gap"', '!!str "Stalled - Staffing Gap"', '&name "Stalled - Staffing Gap"', "&name !!str 'Stalled - Staffing Gap'", '!!str Stalled - Staffing Gap'];
  const fronts: Record<string, (value: string) => string> = {
    'read as YAML': (value) => plain.replace('title: Stalled - Staffing Gap', `title: ${value}`),
    'with no opening fence': (value) => plain.replace('---\ntitle: Stalled - Staffing Gap', `title: ${value}`),
    'opened by a wrong fence': (value) => plain.replace('---\ntitle: Stalled - Staffing Gap', `--\ntitle: ${value}`),
    'that is not valid YAML': (value) => plain.replace('title: Stalled - Staffing Gap', `title: ${value}\ndescription: "never closed`),
  };
  for (const [how, front] of Object.entries(fronts)) {
    for (const value of values) {
      it(`is read, and its problems placed, at its text in a front matter ${how}: title: ${value}`, () => {
        const text = front(value);
        expect(text).not.toBe(plain);
        const page = parsePage(text, 'stalled--staffing-gap.md');
        expect(page).toMatchObject({ title: 'Stalled - Staffing Gap', kind: 'l2', l1: 'Stalled', l2: 'Staffing Gap' });
        expect(where(page.problems, 'PLAYBOOK_UNKNOWN_L1')).toEqual([at(text, 'Stalled - Staffing Gap')]);
      });
    }
  }
});

describe('the cells of a table row', () => {
  const rows = [
    '| a \\| b | Staffing Gap |',
    '| C:\\\\| Staffing Gap |',
    '| Writes to C:\\\\ | Staffing Gap |',
    '| Path C:\\\\\\| here | Staffing Gap |',
    '| `a|b` | Staffing Gap |',
    '| `a\\|b` | Staffing Gap |',
    '| a | C:\\\\|',
    '| a | b ||',
    'a | b',
    '| a | b \\|',
    '|a|b|   ',
    '|  | b |',
    '| **x** | [l](http://x) |',
  ];

  it.each(rows)('are split alike for their columns and their text, as Markdown splits them: %s', (row) => {
    const table = parseMarkdown(`| H | S |\n| --- | --- |\n${row}\n`, false).children[0] as Table;
    const read = table.children[1]?.children ?? [];
    const columns = cellColumnsOf(row);
    expect(columns).toHaveLength(read.length);
    expect(splitPipeRow(row)).toHaveLength(read.length);
    // Each column is where its cell's text starts (the cell's start for an empty one).
    read.forEach((cell, i) => {
      const start = (cell.position?.start.column ?? 1) - 1;
      const first = row.slice(start).search(/[^\s|]/);
      const end = (cell.position?.end.column ?? 1) - 1;
      const expected = first < 0 || start + first >= end ? start + 2 : start + first + 1;
      if (plainText(cell) !== '') expect(columns[i], `cell ${i}`).toBe(expected);
    });
  });

  it('reads a backslash before a pipe as the end of its cell, in a table Markdown reads and in one it rebuilds', () => {
    const row = '| The installer writes to C:\\\\| Staffing Gapz |';
    for (const delimiter of [['| --- | --- |'], []]) {
      const text = [...FRONT, '# Staffing Gap', '', ...DEFINITION, '| Valid Example Scenario | Scenario Status |', ...delimiter, row, ''].join('\n');
      const page = parsePlaybook([{ file: 'blocked--staffing-gap.md', text }]).pages[0];
      expect(page?.valid.map((s) => [s.text, s.label])).toEqual([['The installer writes to C:\\', 'Staffing Gapz']]);
      expect(where(page?.problems ?? [], 'PLAYBOOK_LABEL_UNKNOWN')).toEqual([at(text, 'Staffing Gapz')]);
    }
  });
});

/** The problems checkStoredCodes gives for `pages` when two entitlements are stored under `code`. */
async function storedProblems(pages: { file: string; text: string }[], code: { l1: string; l2: string }): Promise<Problem[]> {
  const db = await openDatabase({ sqlitePath: ':memory:' });
  try {
    await migrateToLatest(db.kysely, 'sqlite');
    const taxonomy = makeTaxonomy();
    const ctx = { db, taxonomy: () => taxonomy, clock: fixedClock(), advisor: {} };
    const partner = await createPartner(ctx, SYSTEM_ACTOR, { name: 'Harbor' });
    await createCustomer(ctx, SYSTEM_ACTOR, { tenantId: 'hA-stored', name: 'Harbor One', partnerId: partner.id, workloads: ['teams', 'intune'] });
    await db.kysely.updateTable('entitlements').set({ code: `${code.l1.toLowerCase()}/${code.l2.toLowerCase().replace(/ /g, '-')}`, l1: code.l1, l2: code.l2 }).execute();
    const { problems } = await checkStoredCodes(db, parsePlaybook(pages), 'pages');
    return problems.filter((p) => p.code === 'PLAYBOOK_CODE_IN_USE_MISSING');
  } finally {
    await db.close();
  }
}
describe('stored entitlements on a code the pages no longer define', () => {
  const staffing = (title: string): string => partnerPage({ title, scenarios: ['Two engineers left and were not replaced.'], status: title.split(' - ')[1] ?? title });
  const legal = staffing('Blocked - Legal/Regulatory');

  it('is at the title of the page named for the code (its title changed, its file name did not)', async () => {
    const text = staffing('Blocked - Staffing Gapp');
    const problems = await storedProblems([{ file: 'pages/blocked--staffing-gap.md', text }, { file: 'pages/blocked--legal-regulatory.md', text: legal }], { l1: 'Blocked', l2: 'Staffing Gap' });
    expect(problems.map((p) => `${p.file}:${p.line}:${p.column}`)).toEqual([`pages/blocked--staffing-gap.md:${at(text, 'Blocked - Staffing Gapp')}`]);
  });

  it('is at the title of the page that defines the code spelled closest, when no page is named for it, and says so', async () => {
    const text = staffing('Blocked - Staffing Gapp');
    const problems = await storedProblems([{ file: 'pages/gap.md', text }, { file: 'pages/blocked--legal-regulatory.md', text: legal }], { l1: 'Blocked', l2: 'Staffing Gap' });
    expect(problems.map((p) => `${p.file}:${p.line}:${p.column}`)).toEqual([`pages/gap.md:${at(text, 'Blocked - Staffing Gapp')}`]);
    expect(problems[0]?.message).toMatch(/blocked\/staffing-gapp, spelled close to it.*this page's title/);
  });

  it('stays with the page set as a whole, and says why, when no page is named for it or spells a code like it', async () => {
    const problems = await storedProblems([{ file: 'pages/blocked--legal-regulatory.md', text: legal }], { l1: 'Blocked', l2: 'Staffing Gap' });
    expect(problems.map((p) => `${p.file}:${p.line}:${p.column}`)).toEqual(['pages:1:1']);
    expect(problems[0]?.message).toMatch(/No page is named for it \(`blocked--staffing-gap.md`\) nor defines a code spelled close to it, so this warning is about the page set as a whole/);
  });
});

describe('a missing section on a page whose title or headings use the section\'s words', () => {
  const page = (title: string, heading: string, sections: readonly string[]): string =>
    ['---', `title: ${title}`, '---', '', `# ${heading}`, '', ...DEFINITION, ...sections, '> [!TIP]', '> Ask the customer:', '>    1. Who checks the data?', ''].join('\n');
  const file = 'blocked--data-validation-and-history.md';
  const lintPage = (text: string): Problem[] => lintOne(text, file);

  it('is told so at the page\'s heading, not as a section the heading would be', () => {
    const text = page('Blocked - Data Validation and History', 'Data Validation and History', []);
    const problems = lintPage(text);
    for (const code of ['PLAYBOOK_NO_VALID_SCENARIOS', 'PLAYBOOK_NO_HISTORY']) {
      expect(where(problems, code), code).toEqual([at(text, '# Data Validation and History')]);
      expect(problems.find((p) => p.code === code)?.message, code).not.toMatch(/holds none/);
    }
  });

  it('is told so at the page\'s heading when the other headings only hold the section\'s words', () => {
    const text = page('Blocked - Staffing Gap', 'Staffing Gap', [
      '## Validation questions',
      '',
      'Ask who validates the data.',
      '',
      '## History of the rollout',
      '',
      'It started in May.',
      '',
      '### Correct revisions',
      '',
      'None yet.',
      '',
    ]);
    const problems = lintOne(text);
    for (const code of ['PLAYBOOK_NO_VALID_SCENARIOS', 'PLAYBOOK_NO_HISTORY']) {
      expect(where(problems, code), code).toEqual([at(text, '# Staffing Gap')]);
    }
  });

  it.each([
    ['## Valid Example Scenarios:', '### Refresh Summary'],
    ['## Escenarios de ejemplo válidos', '### Resumen de actualizaciones'],
    ['## Gültige Beispielszenarien', '### Verlauf'],
    ['## 有效示例场景', '### 更新摘要'],
    // Numbered, or with a remark in brackets (session 19, last review).
    ['## 3. Valid Example Scenarios', '### 5) Refresh Summary'],
    ['## Valid Example Scenarios (draft)', '### A. Refresh Summary (to do)'],
  ])('is told so at a section heading named as the page format names it, in the playbook\'s languages: %s, %s', (valid, history) => {
    const text = page('Blocked - Data Validation and History', 'Data Validation and History', [valid, '', 'Still to come.', '', history, '', 'Nothing yet.', '']);
    const problems = lintPage(text);
    expect(where(problems, 'PLAYBOOK_NO_VALID_SCENARIOS')).toEqual([at(text, valid)]);
    expect(where(problems, 'PLAYBOOK_NO_HISTORY')).toEqual([at(text, history)]);
  });
});

describe('a title in a front matter that is not read as YAML', () => {
  const plain = partnerPage({ title: 'Stalled - Staffing Gap', scenarios: ['Two engineers left and were not replaced.'], status: 'Staffing Gap' });
  const fronts: Record<string, (value: string) => string> = {
    'with no opening fence': (value) => plain.replace('---\ntitle: Stalled - Staffing Gap', `title: ${value}`),
    'opened by a wrong fence': (value) => plain.replace('---\ntitle: Stalled - Staffing Gap', `----\ntitle: ${value}`),
    'that is not valid YAML': (value) => plain.replace('title: Stalled - Staffing Gap', `title: ${value}\ndescription: "never closed`),
    'that is not valid YAML, with CRLF line ends': (value) => plain.replace('title: Stalled - Staffing Gap', `title: ${value}\ndescription: "never closed`).replace(/\n/g, '\r\n'),
  };
  const read = (how: string, value: string): { text: string; page: ReturnType<typeof parsePage> } => {
    const text = (fronts[how] as (value: string) => string)(value);
    expect(text).not.toBe(plain);
    return { text: text.replace(/\r\n/g, '\n'), page: parsePage(text, 'stalled--staffing-gap.md') };
  };

  for (const how of Object.keys(fronts)) {
    it(`keeps a "!" that starts a plain title as its text (${how})`, () => {
      const { text, page } = read(how, '!Stalled - Staffing Gap');
      expect(page.title).toBe('!Stalled - Staffing Gap');
      expect(page.positions?.code).toEqual(expect.objectContaining({ line: Number(at(text, '!Stalled').split(':')[0]), column: Number(at(text, '!Stalled').split(':')[1]) }));
    });

    it.each(['!x "Stalled - Staffing Gap"', "!x &a 'Stalled - Staffing Gap'", '!<tag:yaml.org,2002:str> Stalled - Staffing Gap', '!!str Stalled - Staffing Gap', '"Stalled - Staffing Gap" # a comment', "'Stalled - Staffing Gap'   # a comment", 'Stalled - Staffing Gap # a comment'])(
      `reads the text of a tagged, quoted or commented title (${how}): title: %s`,
      (value) => {
        const { text, page } = read(how, value);
        expect(page).toMatchObject({ title: 'Stalled - Staffing Gap', kind: 'l2', l1: 'Stalled', l2: 'Staffing Gap' });
        expect(where(page.problems, 'PLAYBOOK_UNKNOWN_L1')).toEqual([at(text, 'Stalled - Staffing Gap')]);
      },
    );

    it.each(['!!str', '&a', '!!str &a', '!<tag:yaml.org,2002:str>'])(`reads a tag or anchor with no text after it as an empty title, as YAML does (${how}): title: %s`, (value) => {
      const { text, page } = read(how, value);
      expect(page.title).toBeNull();
      expect(where(page.problems, 'PLAYBOOK_NO_TITLE')).toEqual([at(text, `title: ${value}`)]);
    });
  }

  it('keeps a double quote escaped inside a quoted title', () => {
    const { page } = read('that is not valid YAML', '"Stalled - Staffing \\"Gap\\"" # c');
    expect(page.title).toBe('Stalled - Staffing "Gap"');
    const single = read('that is not valid YAML', "'Stalled - Staffing ''Gap''' # c");
    expect(single.page.title).toBe("Stalled - Staffing 'Gap'");
  });
});

describe('a table in a plain quote with no delimiter row', () => {
  it('is read, with the warning a top-level one gets', () => {
    const text = [
      ...FRONT,
      '# Staffing Gap',
      '',
      ...DEFINITION,
      '## Valid Example Scenarios',
      '',
      '> | Valid Example Scenario | Scenario Status |',
      '> | Two engineers left and were not replaced. | Staffing Gap |',
      '> | The only admin is on leave until March. | Staffing Gap |',
      '',
    ].join('\n');
    const page = parsePlaybook([{ file: 'blocked--staffing-gap.md', text }]).pages[0];
    expect(page?.valid.map((s) => s.text)).toEqual(['Two engineers left and were not replaced.', 'The only admin is on leave until March.']);
    expect(where(page?.problems ?? [], 'PLAYBOOK_TABLE_MALFORMED')).toEqual([at(text, '| Valid Example Scenario')]);
  });
});

describe('a stored code spelled close to a code of another page than the one named for it', () => {
  it('names the page that defines the close code', async () => {
    const named = partnerPage({ title: 'Blocked - Workforce Shortage', scenarios: ['Two engineers left and were not replaced.'], status: 'Workforce Shortage' });
    const close = partnerPage({ title: 'Blocked - Staffing Gapp', scenarios: ['The only admin is on leave until March.'], status: 'Staffing Gapp' });
    const problems = await storedProblems([{ file: 'pages/blocked--staffing-gap.md', text: named }, { file: 'pages/gapp.md', text: close }], { l1: 'Blocked', l2: 'Staffing Gap' });
    expect(problems.map((p) => `${p.file}:${p.line}:${p.column}`)).toEqual([`pages/blocked--staffing-gap.md:${at(named, 'Blocked - Workforce Shortage')}`]);
    expect(problems[0]?.message).toMatch(/pages\/gapp\.md defines blocked\/staffing-gapp, spelled close to it/);
    expect(problems[0]?.message).not.toMatch(/This playbook defines/);
  });
});
