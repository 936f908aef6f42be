import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { hasErrors, lintPlaybook } from './lint.js';
import { parsePage } from './parse-page.js';
import { parsePlaybook } from './parse-playbook.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The own-L1 fixture set (Stalled, Active), with `edit` applied to the text of file `file`. */
function ownL1Pages(file?: string, edit?: (text: string) => string): { file: string; text: string }[] {
  const dir = path.join(repoRoot, 'test', 'fixtures', 'own-l1');
  return readdirSync(dir)
    .sort()
    .map((name) => {
      const text = readFileSync(path.join(dir, name), 'utf8');
      return { file: name, text: name === file && edit ? edit(text) : text };
    });
}

const withRules = (value: string) => (text: string) => text.replace('title: Stalled\n', `title: Stalled\nrules: ${value}\n`);

describe('front matter `rules:` on the L1 page of an L1 of the set\'s own', () => {
  it('is read, in any case and spacing, and the taxonomy gives the L1 that kind', () => {
    const playbook = parsePlaybook(ownL1Pages('stalled.md', withRules('  blocked ')));
    expect(playbook.pages.find((p) => p.file === 'stalled.md')).toMatchObject({ kind: 'l1', l1: 'Stalled', rules: 'Blocked' });
    expect(playbook.taxonomy.l1s.find((n) => n.name === 'Stalled')?.kind).toBe('blocked');
    expect(hasErrors(lintPlaybook(playbook))).toBe(false);
    const other = parsePlaybook(ownL1Pages('stalled.md', withRules('"duplicate / invalid"')));
    expect(other.taxonomy.l1s.find((n) => n.name === 'Stalled')?.kind).toBe('duplicate-invalid');
  });

  it('leaves an L1 of its own without it following no rules, and the five their own', () => {
    const playbook = parsePlaybook(ownL1Pages());
    expect(playbook.taxonomy.l1s.map((n) => [n.name, n.kind])).toEqual([['Active', null], ['Stalled', null]]);
    const builtIn = parsePlaybook([
      { file: 'blocked.md', text: '---\ntitle: Blocked\n---\n# Blocked\n' },
      { file: 'in-progress--migration.md', text: '---\ntitle: In Progress - Migration\n---\n# Migration\n' },
    ]);
    expect(builtIn.taxonomy.l1s.map((n) => [n.name, n.kind])).toEqual([['In Progress', 'in-progress'], ['Blocked', 'blocked']]);
  });

  it('changes the taxonomy version', () => {
    const plain = parsePlaybook(ownL1Pages()).taxonomy.version;
    const blocked = parsePlaybook(ownL1Pages('stalled.md', withRules('Blocked'))).taxonomy.version;
    const noIntent = parsePlaybook(ownL1Pages('stalled.md', withRules('No Intent'))).taxonomy.version;
    expect(new Set([plain, blocked, noIntent]).size).toBe(3);
  });

  it('with a value that names none of the five is an error at the value, naming the five', () => {
    const playbook = parsePlaybook(ownL1Pages('stalled.md', withRules('Blockd')));
    const problem = lintPlaybook(playbook).find((p) => p.code === 'PLAYBOOK_RULES_UNKNOWN');
    expect(problem).toMatchObject({ severity: 'error', file: 'stalled.md', line: 3, column: 8 });
    expect(problem?.message).toMatch(/Status Unknown, In Progress, No Intent, Blocked, Duplicate\/Invalid/);
    expect(problem?.message).toMatch(/"Blockd"/);
    expect(playbook.taxonomy.l1s.find((n) => n.name === 'Stalled')?.kind).toBeNull();
  });

  it('with a list or an empty value is an error too', () => {
    const list = parsePage('---\ntitle: Stalled\nrules:\n  - Blocked\n---\n# Stalled\n', 'stalled.md');
    expect(list.problems.find((p) => p.code === 'PLAYBOOK_RULES_UNKNOWN')).toMatchObject({ severity: 'error', line: 4 });
    const empty = parsePage('---\ntitle: Stalled\nrules:\n---\n# Stalled\n', 'stalled.md');
    expect(empty.problems.find((p) => p.code === 'PLAYBOOK_RULES_UNKNOWN')).toMatchObject({ severity: 'error', line: 3, column: 1 });
  });

  it('is found where written when the front matter is not valid YAML', () => {
    const page = parsePage('---\ntitle: Stalled\nrules: Nope\ndescription: "open\n---\n# Stalled\n', 'stalled.md');
    expect(page.problems.find((p) => p.code === 'PLAYBOOK_RULES_UNKNOWN')).toMatchObject({ line: 3, column: 8 });
  });
});

describe('front matter `rules:` where it does not belong', () => {
  it('on an L2 page is an error at the value, and is ignored', () => {
    const sources = ownL1Pages('stalled--staffing-gap.md', (t) => t.replace('title: Stalled - Staffing Gap\n', 'title: Stalled - Staffing Gap\nrules: Blocked\n'));
    const playbook = parsePlaybook(sources);
    const problem = lintPlaybook(playbook).find((p) => p.code === 'PLAYBOOK_RULES_MISPLACED');
    expect(problem).toMatchObject({ severity: 'error', file: 'stalled--staffing-gap.md', line: 3, column: 8 });
    expect(problem?.message).toMatch(/L1 page/);
    expect(playbook.taxonomy.l1s.find((n) => n.name === 'Stalled')?.kind).toBeNull();
  });

  it('on one of the five\'s own pages naming another L1 is an error; naming itself is fine', () => {
    const other = parsePage('---\ntitle: Blocked\nrules: No Intent\n---\n# Blocked\n', 'blocked.md');
    expect(other.problems.find((p) => p.code === 'PLAYBOOK_RULES_MISPLACED')).toMatchObject({ severity: 'error', line: 3, column: 8 });
    expect(other.rules).toBeNull();
    expect(parsePlaybook([{ file: 'blocked.md', text: '---\ntitle: Blocked\nrules: No Intent\n---\n# Blocked\n' }]).taxonomy.l1s[0]?.kind).toBe('blocked');
    const own = parsePage('---\ntitle: Blocked\nrules: blocked\n---\n# Blocked\n', 'blocked.md');
    expect(own.problems.filter((p) => p.code.startsWith('PLAYBOOK_RULES_'))).toEqual([]);
  });
});

describe('two L1 pages of one L1 that name different rules', () => {
  it('keep the first page\'s (by file) and warn on the other', () => {
    const second = { file: 'stalled-again.md', text: '---\ntitle: Stalled\nrules: No Intent\n---\n# Stalled\n' };
    const playbook = parsePlaybook([...ownL1Pages('stalled.md', withRules('Blocked')), second]);
    expect(playbook.taxonomy.l1s.find((n) => n.name === 'Stalled')?.kind).toBe('no-intent');
    expect(playbook.problems.find((p) => p.code === 'TAXONOMY_RULES_CONFLICT')).toMatchObject({ severity: 'warning', file: 'stalled.md' });
  });
});
