import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isAppError } from '../lib/errors.js';
import { BUILTIN_PLAYBOOK_DIR, loadPlaybook, readPlaybookSources } from './playbook-source.js';

const dir = mkdtempSync(path.join(tmpdir(), 'unblock-pages-'));
mkdirSync(path.join(dir, 'sub', 'deeper'), { recursive: true });
writeFileSync(path.join(dir, 'b.md'), '---\ntitle: Blocked - Legal/Regulatory\n---\n# Legal/Regulatory\n');
writeFileSync(path.join(dir, 'a.txt'), '---\ntitle: Blocked\n---\n# Blocked\n');
writeFileSync(path.join(dir, 'sub', 'deeper', 'c.md'), '---\ntitle: In Progress - Migration\n---\n# Migration\n\n| S | L |\n| - | - |\n| Moving mail | Legal |\n| Moving sites | App Compatibility |\n');
writeFileSync(path.join(dir, 'notes.json'), '{}');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readPlaybookSources', () => {
  it('reads .md and .txt files of folders recursively, sorted', async () => {
    const sources = await readPlaybookSources([dir]);
    expect(sources.map((s) => path.basename(s.file))).toEqual(['a.txt', 'b.md', 'c.md']);
    expect(sources[1]?.text).toContain('Legal/Regulatory');
  });

  it('reads a named file whatever its extension, once', async () => {
    const file = path.join(dir, 'notes.json');
    const sources = await readPlaybookSources([file, file]);
    expect(sources).toHaveLength(1);
  });

  it('throws FILE_NOT_FOUND for a missing path', async () => {
    const error = await readPlaybookSources([path.join(dir, 'missing')]).catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('FILE_NOT_FOUND');
    expect(isAppError(error) && error.message).toContain('missing');
  });
});

describe('loadPlaybook', () => {
  it('locates the built-in playbook folder from the package root', () => {
    expect(path.basename(BUILTIN_PLAYBOOK_DIR)).toBe('playbooks');
    expect(path.isAbsolute(BUILTIN_PLAYBOOK_DIR)).toBe(true);
  });

  it('loads the built-in playbook by default', async () => {
    const playbook = await loadPlaybook();
    expect(playbook.pages.length).toBeGreaterThan(0);
    expect(playbook.taxonomy.codes.length).toBeGreaterThan(0);
  });

  it('resolves labels of a page set against the set, falling back on the built-in taxonomy', async () => {
    const alone = await loadPlaybook([dir], { reference: false });
    const c = alone.pages.find((p) => p.file.endsWith('c.md'));
    expect(c?.valid.map((s) => s.l2)).toEqual(['Legal/Regulatory', null]);
    const withBuiltin = await loadPlaybook(dir);
    const c2 = withBuiltin.pages.find((p) => p.file.endsWith('c.md'));
    expect(c2?.valid.map((s) => s.l2)).toEqual(['Legal/Regulatory', 'App Compatibility']);
    expect(withBuiltin.taxonomy.codes.map((code) => code.id)).toEqual(['in-progress/migration', 'blocked/legal-regulatory']);
  });
});
