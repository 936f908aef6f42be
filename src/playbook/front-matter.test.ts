import { describe, expect, it } from 'vitest';
import { readOneLineValue } from './front-matter.js';
import { parsePage } from './parse-page.js';

describe('readOneLineValue', () => {
  it.each([
    ['a \\u escape and a \\n', String.raw`"Caf\u00e9\nBar"`, 'Café\nBar'],
    ['\\x, \\t and \\U escapes', String.raw`"\x41\tB\U0001F600"`, 'A\tB\u{1F600}'],
    ['YAML-only escapes (\\N, \\_, \\ and a space)', String.raw`"a\Nb\_c\ d"`, 'a\u0085b\u00a0c d'],
    ['escaped quotes, backslashes and slashes', String.raw`"say \"hi\" \\ \/"`, 'say "hi" \\ /'],
    ['an escape YAML does not know, kept as written', String.raw`"bad \q here"`, 'bad \\q here'],
    ['a comment after the closing quote', String.raw`"Caf\u00e9" # note`, 'Café'],
    ["'' inside single quotes", "'It''s ''here'''", "It's 'here'"],
    ['a backslash inside single quotes, which escapes nothing', String.raw`'C:\u00e9'`, String.raw`C:\u00e9`],
  ])('reads %s as YAML does', (_name, written, text) => {
    expect(readOneLineValue(written)).toEqual({ text, offset: 1, empty: false });
  });
});

/** A page whose front matter YAML cannot read as a whole (a colon in `description:`), with `title` lines as given. */
const invalidYaml = (title: string[]): string =>
  ['---', ...title, 'description: Blocked: a law stops it', '---', '', '# Legal/Regulatory', '', '> [!IMPORTANT]', '> **Definition:** A law stops it.', ''].join('\n');

describe('a title salvaged from a front matter that is not valid YAML', () => {
  it('reads the escapes of a double-quoted title as YAML does', () => {
    const page = parsePage(invalidYaml([String.raw`title: "Blocked - Legal\u002FRegulatory\t"`]), 'escapes.md');
    expect(page.problems.map((p) => p.code)).toContain('PLAYBOOK_FRONT_MATTER_INVALID');
    expect({ title: page.title, kind: page.kind, l2: page.l2 }).toEqual({ title: 'Blocked - Legal/Regulatory', kind: 'l2', l2: 'Legal/Regulatory' });
    expect(page.frontMatter.title).toBe('Blocked - Legal/Regulatory\t');
  });

  it("reads '' in a single-quoted title as one quote", () => {
    const page = parsePage(invalidYaml(["title: 'Blocked - Partner''s Engagement'"]), 'quotes.md');
    expect(page.title).toBe("Blocked - Partner's Engagement");
  });

  it.each([
    ['a folded title (`>`)', ['title: >', '  Blocked -', '  Legal/Regulatory']],
    ['a literal title (`|-`) with a comment', ['title: |-  # the code', '  Blocked - Legal/Regulatory']],
    ['a folded title with a tag and an indentation indicator', ['title: !!str >2', '  Blocked - Legal/Regulatory']],
  ])('reads %s as YAML does, and places the title at its text', (_name, title) => {
    const page = parsePage(invalidYaml(title), 'blocked--legal-regulatory.md');
    expect({ title: page.title, kind: page.kind, l2: page.l2 }).toEqual({ title: 'Blocked - Legal/Regulatory', kind: 'l2', l2: 'Legal/Regulatory' });
    expect(page.positions?.code).toEqual({ line: 3, column: 3 });
  });

  it('keeps the folded and literal line breaks YAML keeps', () => {
    expect(parsePage(invalidYaml(['title: >', '  Blocked -', '  Legal/Regulatory', '', '  more']), 'x.md').frontMatter.title).toBe('Blocked - Legal/Regulatory\nmore\n');
    expect(parsePage(invalidYaml(['title: |', '  Blocked -', '  Legal/Regulatory']), 'x.md').frontMatter.title).toBe('Blocked -\nLegal/Regulatory\n');
  });

  it('takes the lines of a block title YAML cannot read as its text', () => {
    const page = parsePage(invalidYaml(['title: >', '    Blocked -', '  Legal/Regulatory']), 'x.md');
    expect(page.title).toBe('Blocked - Legal/Regulatory');
  });

  it('does not read a line of a block title as a key of its own', () => {
    const page = parsePage(invalidYaml(['title: >', '  Blocked - Legal/Regulatory', '  rules: Stalled']), 'x.md');
    expect(page.frontMatter.rules).toBeUndefined();
    expect(page.problems.map((p) => p.code)).not.toContain('PLAYBOOK_RULES_MISPLACED');
  });

  it('reports a block title that names no code at its text', () => {
    const page = parsePage(invalidYaml(['title: >', '    Something else']).replace('# Legal/Regulatory', 'Text.'), 'x.md');
    expect(page.title).toBe('Something else');
    expect(page.problems.find((p) => p.code === 'PLAYBOOK_KIND_UNKNOWN')).toMatchObject({ line: 3, column: 5 });
  });

  it('reads a block title in a front matter that is never closed', () => {
    const page = parsePage(['---', 'title: >-', '  Blocked - Legal/Regulatory', '', '# Legal/Regulatory', ''].join('\n'), 'unclosed.md');
    expect(page.problems.map((p) => p.code)).toContain('PLAYBOOK_FRONT_MATTER_UNCLOSED');
    expect(page.title).toBe('Blocked - Legal/Regulatory');
  });

  it.each([
    ['a wrong opening fence', '--'],
    ['no opening fence', null],
  ])('reads a block title under %s, and not its lines as the page body', (_name, opening) => {
    const lines = ['title: >', '  Blocked -', '  Legal/Regulatory', 'aliases: Law stop', '---', '', '# Legal/Regulatory', '', '> [!IMPORTANT]', '> **Definition:** A law stops it.', ''];
    const page = parsePage([...(opening === null ? [] : [opening]), ...lines].join('\n'), 'blocked--legal-regulatory.md');
    expect(page.problems.map((p) => p.code)).toEqual([opening === null ? 'PLAYBOOK_FRONT_MATTER_MISSING' : 'PLAYBOOK_FRONT_MATTER_INVALID']);
    expect({ title: page.title, heading: page.heading, aliases: page.aliases }).toMatchObject({ title: 'Blocked - Legal/Regulatory', heading: 'Legal/Regulatory' });
    expect(page.aliases).toContain('Law stop');
    expect(page.positions?.code).toEqual({ line: opening === null ? 2 : 3, column: 3 });
  });
});

describe('a block title with no lines under it', () => {
  it.each([
    ['in a front matter YAML reads', ['---', 'title: >', 'aliases: Law stop', '---']],
    ['in one it cannot read', ['---', 'title: >', 'Blocked - Legal/Regulatory', 'description: Blocked: a law stops it', '---']],
  ])('says why the title is empty, %s', (_name, front) => {
    const page = parsePage([...front, '', '# Legal/Regulatory', ''].join('\n'), 'x.md');
    expect(page.title).toBeNull();
    const problem = page.problems.find((p) => p.code === 'PLAYBOOK_NO_TITLE');
    expect(problem).toMatchObject({ line: 2, column: 8 });
    expect(problem?.message).toMatch(/`title: >` starts a block value, but no line under it is indented \(with spaces\) more than `title:`, so the title is empty/);
  });
});

describe('a salvaged title that goes on over indented lines', () => {
  it.each([
    ['a plain title', ['title: Blocked -', '  Legal/Regulatory'], 'Blocked - Legal/Regulatory', 8],
    ['a plain title over three lines', ['title: Blocked', '    -', '  Legal/Regulatory'], 'Blocked - Legal/Regulatory', 8],
    ['a plain title with a blank line in it', ['title: Blocked -', '', '  Legal/Regulatory'], 'Blocked -\nLegal/Regulatory', 8],
    ['a plain title with a tag', ['title: !!str Blocked -', '  Legal/Regulatory'], 'Blocked - Legal/Regulatory', 14],
    ['a double-quoted title', ['title: "Blocked -', '  Legal/Regulatory"'], 'Blocked - Legal/Regulatory', 9],
    ['a single-quoted title', ["title: 'Blocked -", "  Legal/Regulatory'"], 'Blocked - Legal/Regulatory', 9],
  ])('reads %s as YAML folds it, placed at its first line', (_name, title, folded, column) => {
    const page = parsePage(invalidYaml(title), 'blocked--legal-regulatory.md');
    expect(page.problems.map((p) => p.code)).toEqual(['PLAYBOOK_FRONT_MATTER_INVALID']);
    expect(page.frontMatter.title).toBe(folded);
    expect({ title: page.title, kind: page.kind, l2: page.l2 }).toEqual({ title: 'Blocked - Legal/Regulatory', kind: 'l2', l2: 'Legal/Regulatory' });
    expect(page.positions?.code).toEqual({ line: 2, column });
  });

  it('keeps a title whose next line YAML cannot read as part of it to its own line', () => {
    // `rules: Stalled` indented under the title is no text of it for YAML (a key inside a value): an error, as before.
    const page = parsePage(invalidYaml(['title: Blocked - Legal/Regulatory', '  rules: Stalled']), 'x.md');
    expect(page.title).toBe('Blocked - Legal/Regulatory');
    // A comment ends a plain value: the line under it is not part of the title.
    expect(parsePage(invalidYaml(['title: Blocked - Legal/Regulatory # the code', '  more']), 'x.md').title).toBe('Blocked - Legal/Regulatory');
  });

  it('reads a title closed by an indented fence as its own line, not the fence as its text', () => {
    const page = parsePage(['--', 'title: Blocked - Legal/Regulatory', ' ---', '', '# Legal/Regulatory', ''].join('\n'), 'x.md');
    expect(page.title).toBe('Blocked - Legal/Regulatory');
  });

  it.each([
    ['a wrong opening fence', '--'],
    ['no opening fence', null],
    ['a front matter never closed', '---'],
  ])('reads it under %s, and not its lines as keys or the page body', (_name, opening) => {
    const lines = ['title: Blocked -', '  Legal/Regulatory', 'aliases: Law stop', ...(opening === '---' ? [] : ['---']), '', '# Legal/Regulatory', '', '> [!IMPORTANT]', '> **Definition:** A law stops it.', ''];
    const page = parsePage([...(opening === null ? [] : [opening]), ...lines].join('\n'), 'blocked--legal-regulatory.md');
    expect(page.problems).toHaveLength(1);
    expect({ title: page.title, heading: page.heading, definition: page.definition }).toEqual({ title: 'Blocked - Legal/Regulatory', heading: 'Legal/Regulatory', definition: 'A law stops it.' });
    expect(page.aliases).toContain('Law stop');
    expect(page.positions?.code).toEqual({ line: opening === null ? 1 : 2, column: 8 });
  });
});

/** The title of `invalidYaml(lines)` with its `description:` made valid, so that YAML reads the front matter: what salvaging it must give. */
const asYaml = (lines: string[]): unknown => parsePage(invalidYaml(lines).replace('description: Blocked: a law', 'description: a law'), 'x.md').frontMatter.title;

describe('where a key of a front matter that is not valid YAML is placed', () => {
  it('places the title at its own `title:` line, not at a `title:` line inside a block of another key', () => {
    const page = parsePage(['---', 'description: |', '  title: Blocked - Legal/Regulatory', 'title: Something else', 'x: a: b', '---', '', 'Text.', ''].join('\n'), 'page.md');
    expect(page.title).toBe('Something else');
    expect(page.problems.find((p) => p.code === 'PLAYBOOK_KIND_UNKNOWN')).toMatchObject({ line: 4, column: 8 });
    expect(page.positions?.code).toEqual({ line: 4, column: 8 });
  });

  it('places `rules:` at its own line, not at a `rules:` line inside a folded description', () => {
    const page = parsePage(['---', 'title: Blocked', 'description: >', '  rules: Stalled', 'rules: Nonsense', 'x: a: b', '---', '', '# Blocked', ''].join('\n'), 'blocked.md');
    expect(page.problems.find((p) => p.code === 'PLAYBOOK_RULES_UNKNOWN')).toMatchObject({ line: 5, column: 8 });
  });

  it('places the warning about an empty block title at its own header', () => {
    const page = parsePage(['---', 'description: |', '  title: >', 'title: >', 'x: a: b', '---', '', '# Legal/Regulatory', ''].join('\n'), 'x.md');
    expect(page.problems.find((p) => p.code === 'PLAYBOOK_NO_TITLE')).toMatchObject({ line: 4, column: 8 });
  });
});

describe('a salvaged block title ends where the front matter does', () => {
  const body = ['', '# Legal/Regulatory', '', '> [!IMPORTANT]', '> **Definition:** A law stops it.', ''];
  it.each([
    ['a closing fence with a space before it', ['---', 'title: >', '  Blocked - Legal/Regulatory', ' ---']],
    ['a closing fence indented under a wrong opening fence', ['--', 'title: >', '  Blocked - Legal/Regulatory', '  ---']],
    ['an indented `...` with no opening fence', ['title: |-', '  Blocked - Legal/Regulatory', '  ...']],
    ['an indented `...` over a `---` with no opening fence', ['title: >', '  Blocked - Legal/Regulatory', '  ...', '---']],
    ['a wrong closing fence indented', ['--', 'title: >-', '  Blocked - Legal/Regulatory', '  --']],
    ['a page heading indented under it in a front matter never closed', ['---', 'title: >', '  Blocked - Legal/Regulatory', '  # Legal/Regulatory']],
  ])('does not take %s as its text', (_name, front) => {
    const page = parsePage([...front, ...body].join('\n'), 'blocked--legal-regulatory.md');
    expect({ title: page.title, kind: page.kind, l2: page.l2 }).toEqual({ title: 'Blocked - Legal/Regulatory', kind: 'l2', l2: 'Legal/Regulatory' });
    expect(page.problems.map((p) => p.code)).not.toContain('PLAYBOOK_CODE_FILE_MISMATCH');
    expect(page.problems.map((p) => p.code)).not.toContain('PLAYBOOK_KIND_UNKNOWN');
  });

  it('does not take an indented wrong closing fence as more of a plain title', () => {
    const page = parsePage(['--', 'title: Blocked -', '  Legal/Regulatory', ' --', ...body].join('\n'), 'blocked--legal-regulatory.md');
    expect(page.title).toBe('Blocked - Legal/Regulatory');
  });

  it('keeps a `#` line of a block title in a closed front matter, as YAML does', () => {
    const lines = ['title: |-', '  Blocked - Legal/Regulatory', '  # kept'];
    const page = parsePage(invalidYaml(lines), 'x.md');
    expect(page.frontMatter.title).toBe('Blocked - Legal/Regulatory\n# kept');
    expect(page.frontMatter.title).toBe(asYaml(lines));
  });
});

describe('a salvaged title read as YAML reads the same lines', () => {
  it.each([
    ['`|+` with blank lines under it', ['title: |+', '  Blocked - Legal/Regulatory', '', ''], 'Blocked - Legal/Regulatory\n\n\n'],
    ['`>+` with a blank line under it', ['title: >+', '  Blocked -', '  Legal/Regulatory', ''], 'Blocked - Legal/Regulatory\n\n'],
    ['a local tag before `>`', ['title: !x >', '  Blocked - Legal/Regulatory'], 'Blocked - Legal/Regulatory\n'],
    ['a local tag before `|-`', ['title: !x |-', '  Blocked - Legal/Regulatory'], 'Blocked - Legal/Regulatory'],
    ['`!!str` with the title on the next line', ['title: !!str', '  Blocked - Legal/Regulatory'], 'Blocked - Legal/Regulatory'],
    ['`!!str` with a quoted title on the next line', ['title: !!str', '  "Blocked - Legal/Regulatory"'], 'Blocked - Legal/Regulatory'],
    ['an anchor with the title over the next two lines', ['title: &t', '  Blocked -', '  Legal/Regulatory'], 'Blocked - Legal/Regulatory'],
    ['nothing with the title on the next line', ['title:', '  Blocked - Legal/Regulatory'], 'Blocked - Legal/Regulatory'],
  ])('reads %s', (_name, lines, text) => {
    expect(asYaml(lines)).toBe(text);
    const page = parsePage(invalidYaml(lines), 'blocked--legal-regulatory.md');
    expect(page.problems.map((p) => p.code)).toEqual(['PLAYBOOK_FRONT_MATTER_INVALID']);
    expect(page.frontMatter.title).toBe(text);
    expect({ title: page.title, kind: page.kind, l2: page.l2 }).toEqual({ title: 'Blocked - Legal/Regulatory', kind: 'l2', l2: 'Legal/Regulatory' });
  });

  it('places a title written on the line under `title: !!str` at its text', () => {
    expect(parsePage(invalidYaml(['title: !!str', '  Blocked - Legal/Regulatory']), 'x.md').positions?.code).toEqual({ line: 3, column: 3 });
    expect(parsePage(invalidYaml(['title: !!str', '  "Blocked - Legal/Regulatory"']), 'x.md').positions?.code).toEqual({ line: 3, column: 4 });
    // As the YAML reader places it in a front matter it reads.
    expect(parsePage(['---', 'title: !!str', '  Blocked - Legal/Regulatory', '---', '', '# Legal/Regulatory', ''].join('\n'), 'x.md').positions?.code).toEqual({ line: 3, column: 3 });
  });

  it('still reads a `title: !!str` with nothing under it as an empty title', () => {
    const page = parsePage(invalidYaml(['title: !!str']), 'x.md');
    expect(page.title).toBeNull();
    expect(page.problems.find((p) => p.code === 'PLAYBOOK_NO_TITLE')).toMatchObject({ line: 2, column: 1 });
  });
});

describe('indented lines starting with `>` or `|` under a salvaged plain title (review rwl 5a)', () => {
  it.each([
    ['a `>`', ['title: Blocked -', '  > Legal'], 'Blocked - > Legal'],
    ['a `|`', ['title: Blocked -', '  | Legal'], 'Blocked - | Legal'],
  ])('folds a line starting with %s into the title, as YAML does', (_name, lines, text) => {
    expect(asYaml(lines)).toBe(text);
    expect(parsePage(invalidYaml(lines), 'x.md').frontMatter.title).toBe(text);
  });
});

describe('salvaging a broken front matter of many long key lines (review rwl 4)', () => {
  it('reads a 250 KB staircase of indented keys in well under the time it took (1.7 s)', () => {
    // Each key line is indented under the one before it: before, every key handed YAML the up to 200 lines
    // under it to learn that they are no text of it.
    const lines = ['---'];
    for (let k = 0; k < 199; k++) lines.push(' '.repeat(k) + 'k' + k + ': ' + 'v'.repeat(1200));
    lines.push('---', '', '# X', '');
    const started = performance.now();
    const page = parsePage(lines.join('\n'), 'x.md');
    expect(performance.now() - started).toBeLessThan(1000);
    expect(page.problems.map((p) => p.code)).toContain('PLAYBOOK_FRONT_MATTER_INVALID');
    expect(page.frontMatter['k0']).toBe('v'.repeat(1200));
  });
});
