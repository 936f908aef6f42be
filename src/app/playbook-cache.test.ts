import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parsePlaybook, type Playbook } from '../playbook/index.js';
import { decodePlaybookCache, encodePlaybookCache, parserCodeHash, type PageSource } from './playbook-cache.js';
import { BUILTIN_PLAYBOOK_DIR, readPlaybookSources } from './playbook-source.js';

/** What a playbook is once it has been through JSON (undefined properties dropped), for comparisons. */
const plain = (playbook: Playbook) => JSON.parse(JSON.stringify(playbook)) as unknown;

describe('the parsed copy of the built-in playbook', () => {
  let sources: PageSource[];
  let parsed: Playbook;
  let text: string;

  beforeAll(async () => {
    sources = await readPlaybookSources([BUILTIN_PLAYBOOK_DIR]);
    parsed = await parsePlaybook(sources);
    text = encodePlaybookCache(parsed, sources, BUILTIN_PLAYBOOK_DIR, 'code-1')!;
  });

  it('gives back what parsing gives, file names as this process names them', async () => {
    expect(text).not.toBeNull();
    expect(plain(decodePlaybookCache(text, sources, BUILTIN_PLAYBOOK_DIR, 'code-1')!)).toEqual(plain(parsed));
    // From another working directory the same pages are named otherwise (here: absolute paths).
    const elsewhere = sources.map((s) => ({ ...s, file: path.resolve(s.file) }));
    expect(elsewhere[0]!.file).not.toBe(sources[0]!.file);
    const decoded = decodePlaybookCache(text, elsewhere, BUILTIN_PLAYBOOK_DIR, 'code-1')!;
    expect(decoded.pages.map((p) => p.file)).toEqual(elsewhere.map((s) => s.file));
    expect(plain(decoded)).toEqual(plain(await parsePlaybook(elsewhere)));
  });

  it('is not used for other pages, other parsing code, or a broken file', () => {
    const edited = sources.map((s, i) => (i === 3 ? { ...s, text: `${s.text}\nOne more line.\n` } : s));
    expect(decodePlaybookCache(text, edited, BUILTIN_PLAYBOOK_DIR, 'code-1')).toBeUndefined();
    expect(decodePlaybookCache(text, sources.slice(1), BUILTIN_PLAYBOOK_DIR, 'code-1')).toBeUndefined();
    const renamed = sources.map((s, i) => (i === 0 ? { ...s, file: s.file.replace(/\.md$/, '-old.md') } : s));
    expect(decodePlaybookCache(text, renamed, BUILTIN_PLAYBOOK_DIR, 'code-1')).toBeUndefined();
    expect(decodePlaybookCache(text, sources, BUILTIN_PLAYBOOK_DIR, 'code-2')).toBeUndefined();
    expect(decodePlaybookCache(text.slice(0, 1000), sources, BUILTIN_PLAYBOOK_DIR, 'code-1')).toBeUndefined();
  });

  it('is not written for a playbook with problems, whose messages may name other files', async () => {
    const broken = [...sources, { file: path.join(BUILTIN_PLAYBOOK_DIR, 'zz-broken.md'), text: '---\ntitle: [unclosed\n---\n' }];
    const withProblems = await parsePlaybook(broken);
    expect(withProblems.problems.length).toBeGreaterThan(0);
    expect(encodePlaybookCache(withProblems, broken, BUILTIN_PLAYBOOK_DIR, 'code-1')).toBeNull();
  });

  it('is keyed by the compiled code only: the TypeScript sources (tests) always parse', () => {
    expect(parserCodeHash(path.dirname(fileURLToPath(import.meta.url)))).toBeNull();
  });
});
