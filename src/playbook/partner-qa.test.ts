/**
 * A demanding partner's own pages, as they really write them: front matter keys in another case or
 * holding the wrong shape, YAML aliases, tabs in callouts, a page whose top heading is `##`, pages
 * saved as UTF-16, rows commented out of a table. Each odd-but-valid page must load as meant; each
 * broken one must say what is wrong, at its line and column.
 */
import { describe, expect, it } from 'vitest';
import { lintPlaybook } from './lint.js';
import { parsePage } from './parse-page.js';
import { parsePlaybook } from './parse-playbook.js';
import type { PlaybookPage } from './types.js';

/** A complete-enough page for "Blocked - Staffing Gap"; `edit` rewrites its text. */
function page(edit: (text: string) => string = (t) => t): string {
  return edit(
    [
      '---',
      'title: Blocked - Staffing Gap',
      'author: QA',
      '---',
      '',
      '# Staffing Gap',
      '',
      '> [!IMPORTANT]',
      '> **Definition:** IT has too few people to run the rollout.',
      '',
      '## Valid Example Scenarios',
      '',
      '| Valid Example Scenario | Scenario Status |',
      '| :--: | :--: |',
      '| The two admins are both on the data-centre move until spring. | Staffing Gap |',
      '| Nobody in IT knows Intune and there is no budget for training. | Staffing Gap |',
      '| The only Exchange admin left and the post is not filled. | Staffing Gap |',
      '',
      '## Invalid Example Scenarios',
      '',
      '| Invalid Example Scenario | Scenario Status |',
      '| :--: | :--: |',
      '| End users were never told the new tool is coming. | Adoption Readiness |',
      '',
      '> [!TIP]',
      '> If unsure, ask:',
      '>    1. Who would run the rollout?',
      '>    2. Is there budget for help?',
      '',
    ].join('\n'),
  );
}

const at = (p: PlaybookPage, code: string) => p.problems.filter((x) => x.code === code).map((x) => `${x.line}:${x.column} ${x.severity}`);

describe('front matter keys a partner writes in another case', () => {
  it('reads `Title:` as the title', () => {
    const p = parsePage(page((t) => t.replace('title:', 'Title:')), 'blocked--staffing-gap.md');
    expect(p).toMatchObject({ kind: 'l2', l1: 'Blocked', l2: 'Staffing Gap', title: 'Blocked - Staffing Gap' });
    expect(p.problems.map((x) => x.code)).not.toContain('PLAYBOOK_NO_TITLE');
  });

  it('reads `Aliases:` and `RULES:` as the keys they name', () => {
    const p = parsePage(page((t) => t.replace('author: QA', 'Aliases:\n  - Staff Gap')), 'blocked--staffing-gap.md');
    expect(p.aliases).toEqual(['Staff Gap']);
    const l1 = parsePage('---\ntitle: Stalled\nRULES: Blocked\n---\n\n# Stalled\n', 'stalled.md');
    expect(l1.frontMatter).toMatchObject({ rules: 'Blocked' });
  });

  it('counts `Title:` and `title:` on one page as a second title, an error at the second', () => {
    const p = parsePage(page((t) => t.replace('author: QA', 'Title: Blocked - Other Gap')), 'blocked--staffing-gap.md');
    expect(p.problems.filter((x) => x.code === 'PLAYBOOK_FRONT_MATTER_INVALID').map((x) => `${x.line}:${x.column} ${x.severity} ${x.message.slice(0, 38)}`)).toEqual([
      '3:1 error The front matter has a second `title:`',
    ]);
    expect(p.title).toBe('Blocked - Other Gap');
  });
});

describe('a `title:` that is there but holds no line of text', () => {
  it('says the title is empty, at the key, rather than that there is none', () => {
    const p = parsePage(page((t) => t.replace('title: Blocked - Staffing Gap', 'title:')), 'x.md');
    const problem = p.problems.find((x) => x.code === 'PLAYBOOK_NO_TITLE');
    expect(problem).toMatchObject({ line: 2, column: 1, severity: 'warning' });
    expect(problem?.message).toMatch(/`title:` is empty/);
  });

  it('says a list or a map is not a title, at its value', () => {
    const list = parsePage(page((t) => t.replace('title: Blocked - Staffing Gap', 'title:\n  - Blocked - Staffing Gap')), 'x.md');
    const problem = list.problems.find((x) => x.code === 'PLAYBOOK_NO_TITLE');
    expect(problem).toMatchObject({ line: 3, column: 3 });
    expect(problem?.message).toMatch(/`title:` holds a list/);
    const map = parsePage(page((t) => t.replace('title: Blocked - Staffing Gap', 'title:\n  en: Blocked - Staffing Gap')), 'x.md');
    expect(map.problems.find((x) => x.code === 'PLAYBOOK_NO_TITLE')?.message).toMatch(/`title:` holds a set of `key: value` pairs/);
  });
});

describe('a front-matter value with a colon in it', () => {
  it('is told to be quoted, with the line written as it should be, at the value', () => {
    const p = parsePage(page((t) => t.replace('title: Blocked - Staffing Gap', 'title: Blocked: Staffing Gap')), 'blocked--staffing-gap.md');
    const problem = p.problems.find((x) => x.code === 'PLAYBOOK_FRONT_MATTER_INVALID');
    expect(problem).toMatchObject({ line: 2, column: 8, severity: 'error' });
    expect(problem?.message).toContain('title: "Blocked: Staffing Gap"');
    // The title is still read, as the rest of a broken front matter is.
    expect(p).toMatchObject({ kind: 'l2', l1: 'Blocked', l2: 'Staffing Gap' });
  });
});

describe('a YAML alias with no anchor', () => {
  it('is reported at the alias, not at line 1', () => {
    const p = parsePage(page((t) => t.replace('author: QA', 'author: &a QA\nreviewer: *b')), 'blocked--staffing-gap.md');
    const problem = p.problems.find((x) => x.code === 'PLAYBOOK_FRONT_MATTER_INVALID');
    expect(problem).toMatchObject({ line: 4, column: 11, severity: 'error' });
    expect(problem?.message).toMatch(/\*b/);
    // What could be read still is.
    expect(p).toMatchObject({ kind: 'l2', l2: 'Staffing Gap' });
  });
});

describe('tabs in a callout', () => {
  it('reads a list whose first item follows `>` and a tab, and the next `>` and spaces, as two questions', () => {
    const p = parsePage(page((t) => t.replace('>    1. Who would', '>\t1. Who would')), 'blocked--staffing-gap.md');
    expect(p.questions.map((q) => q.text)).toEqual(['Who would run the rollout?', 'Is there budget for help?']);
  });

  it('reads a tab-indented follow-up under a tab-indented question as its child', () => {
    const p = parsePage(page((t) => t.replace('>    1. Who would run the rollout?\n>    2. Is there budget for help?', '>\t1. Who would run the rollout?\n>\t\t1. Inside IT?\n>    2. Is there budget for help?')), 'x.md');
    expect(p.questions.map((q) => [q.text, q.children.map((c) => c.text)])).toEqual([
      ['Who would run the rollout?', ['Inside IT?']],
      ['Is there budget for help?', []],
    ]);
  });
});

describe('a page whose top heading is `##`', () => {
  const text = page((t) => t.replace('title: Blocked - Staffing Gap\n', '').replace('# Staffing Gap', '## Blocked - Staffing Gap'));

  it('takes its code from that heading when there is no title and no `#` heading, with a warning at the heading', () => {
    const p = parsePage(text, 'blocked--staffing-gap.md');
    expect(p).toMatchObject({ kind: 'l2', l1: 'Blocked', l2: 'Staffing Gap', heading: 'Blocked - Staffing Gap' });
    expect(at(p, 'PLAYBOOK_KIND_UNKNOWN')).toEqual([]);
    expect(at(p, 'PLAYBOOK_HEADING_LEVEL')).toEqual(['5:1 warning']);
  });

  it('leaves its example labels resolved in the set', () => {
    const playbook = parsePlaybook([{ file: 'blocked--staffing-gap.md', text }]);
    // The invalid example names a code of the built-in playbook, not read here; the valid ones name this page's.
    expect(playbook.problems.filter((x) => x.severity === 'error').map((x) => x.line)).toEqual([22]);
    expect(playbook.pages[0]?.valid.map((s) => s.l2)).toEqual(['Staffing Gap', 'Staffing Gap', 'Staffing Gap']);
    expect(playbook.taxonomy.codes.map((c) => c.id)).toEqual(['blocked/staffing-gap']);
  });

  it('does not take a section heading such as `## Valid Example Scenarios` for the code', () => {
    const p = parsePage(page((t) => t.replace('title: Blocked - Staffing Gap\n', '').replace('# Staffing Gap\n', '')), 'x.md');
    expect(p.kind).toBe('unknown');
    expect(at(p, 'PLAYBOOK_HEADING_LEVEL')).toEqual([]);
  });

  it('is not needed, and not reported, on a page with a title', () => {
    const p = parsePage(page((t) => t.replace('# Staffing Gap', '## Staffing Gap (IT)')), 'x.md');
    expect(p).toMatchObject({ l2: 'Staffing Gap', heading: null, aliases: [] });
    expect(at(p, 'PLAYBOOK_HEADING_LEVEL')).toEqual([]);
  });
});

describe('a page saved as UTF-16', () => {
  it('is named as UTF-16, not as a binary file', () => {
    // What the reader gets from a UTF-16 LE file (with its byte-order mark) read as UTF-8.
    const text = `\uFFFD\uFFFD${[...page()].map((c) => `${c}\u0000`).join('')}`;
    const p = parsePage(text, 'x.md');
    const problem = p.problems.find((x) => x.code === 'PLAYBOOK_NOT_TEXT');
    expect(problem?.message).toMatch(/UTF-16/);
    expect(problem?.message).toMatch(/UTF-8/);
  });
});

describe('a one-column example table whose rows have a status cell', () => {
  it('says the status was read from the second cell', () => {
    const p = parsePage(page((t) => t.replace('| Invalid Example Scenario | Scenario Status |\n| :--: | :--: |', '| Invalid Example Scenario |\n| --- |')), 'x.md');
    expect(p.invalid[0]).toMatchObject({ label: 'Adoption Readiness' });
    const problem = p.problems.find((x) => x.code === 'PLAYBOOK_ROW_EXTRA_CELLS');
    expect(problem?.message).not.toMatch(/not read/);
    expect(problem?.message).toMatch(/second cell was read as the status/);
  });
});

describe('a row commented out of an example table', () => {
  const text = page((t) => t.replace('| Nobody in IT knows Intune', '<!-- | A row the author took out for now. | Staffing Gap | -->\n| Nobody in IT knows Intune'));

  it('keeps the rows after the comment in the table above it, each one', () => {
    const p = parsePage(text, 'blocked--staffing-gap.md');
    expect(p.valid.map((s) => [s.line, s.label])).toEqual([
      [15, 'Staffing Gap'],
      [17, 'Staffing Gap'],
      [18, 'Staffing Gap'],
    ]);
    expect(p.invalid.map((s) => s.label)).toEqual(['Adoption Readiness']);
  });

  it('warns at the comment that Markdown ends the table there', () => {
    const p = parsePage(text, 'blocked--staffing-gap.md');
    const problem = p.problems.find((x) => x.code === 'PLAYBOOK_TABLE_MALFORMED');
    expect(problem).toMatchObject({ line: 16, column: 1, severity: 'warning' });
    expect(problem?.message).toMatch(/comment/);
    const lint = lintPlaybook(parsePlaybook([{ file: 'blocked--staffing-gap.md', text }]));
    // The one error: the invalid example names a code of the built-in playbook, not read here.
    expect(lint.filter((x) => x.severity === 'error').map((x) => `${x.line} ${x.code}`)).toEqual(['24 PLAYBOOK_LABEL_UNKNOWN']);
  });
});

describe('one row left under a comment', () => {
  it('is kept, whether the comment is on one line or several', () => {
    const oneLine = page((t) => t.replace('| The only Exchange admin', '<!-- TODO: ask the customer for more -->\n| The only Exchange admin'));
    expect(parsePage(oneLine, 'x.md').valid.map((s) => s.line)).toEqual([15, 16, 18]);
    const lines = page((t) => t.replace('| The only Exchange admin', '<!--\n| A row taken out. | Staffing Gap |\n-->\n| The only Exchange admin'));
    expect(parsePage(lines, 'x.md').valid.map((s) => s.line)).toEqual([15, 16, 20]);
  });
});

describe('an example status spelled a little wrong', () => {
  const other = page((t) => t.replace(/Staffing Gap/g, 'Vendor Delay').replace('Adoption Readiness', 'Staffing Gap'));
  const text = page((t) => t.replace('| Adoption Readiness |', '| Vendor Dely |\n| Nothing like it at all. | Weather |'));
  const playbook = parsePlaybook([
    { file: 'blocked--staffing-gap.md', text },
    { file: 'blocked--vendor-delay.md', text: other },
  ]);

  it('names the code it is close to', () => {
    const problem = playbook.problems.find((x) => x.code === 'PLAYBOOK_LABEL_UNKNOWN' && x.line === 23);
    expect(problem?.message).toMatch(/"Vendor Dely" names no code of this playbook.*Did you mean "Vendor Delay"\?/);
  });

  it('names none when nothing is close', () => {
    const problem = playbook.problems.find((x) => x.code === 'PLAYBOOK_LABEL_UNKNOWN' && x.line === 24);
    expect(problem?.message).toMatch(/"Weather" names no code/);
    expect(problem?.message).not.toMatch(/Did you mean/);
  });
});

describe('an invalid example labelled with the L1 of a set with one code under it', () => {
  it('quotes the label as written, saying it names the page\'s own code', () => {
    const text = page((t) => t.replace('| Adoption Readiness |', '| Blocked |'));
    const problem = lintPlaybook(parsePlaybook([{ file: 'blocked--staffing-gap.md', text }])).find((x) => x.code === 'PLAYBOOK_INVALID_NAMES_OWN_CODE');
    expect(problem?.line).toBe(23);
    expect(problem?.message).toMatch(/labelled "Blocked", which names the page's own code "Blocked - Staffing Gap"/);
  });
});

describe('a page whose lines end with CR CR LF', () => {
  it('says why its tables fell apart, on line 1', () => {
    const p = parsePage(page().replace(/\n/g, '\r\r\n'), 'blocked--staffing-gap.md');
    const problem = p.problems.find((x) => x.code === 'PLAYBOOK_LINE_ENDS');
    expect(problem).toMatchObject({ line: 1, column: 1, severity: 'warning' });
    expect(problem?.message).toMatch(/CR CR LF/);
  });

  it('is not said of a page with CRLF, LF or lone CR line ends', () => {
    for (const end of ['\r\n', '\n', '\r']) expect(parsePage(page().replace(/\n/g, end), 'x.md').problems.map((x) => x.code)).not.toContain('PLAYBOOK_LINE_ENDS');
  });
});

describe('a title that is not UTF-8', () => {
  it('is reported as an encoding error only, not also as a title that disagrees with its file name', () => {
    const text = page((t) => t.replace('Blocked - Staffing Gap', 'Blocked - \uFFFDquipe manquante'));
    const problems = lintPlaybook(parsePlaybook([{ file: 'blocked--equipe-manquante.md', text }]));
    expect(problems.map((x) => x.code)).toContain('PLAYBOOK_NOT_UTF8');
    expect(problems.map((x) => x.code)).not.toContain('PLAYBOOK_CODE_FILE_MISMATCH');
  });
});
