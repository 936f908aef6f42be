import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
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

  it('follows links to pages and folders, once each, and names a link that points nowhere', async () => {
    const linked = mkdtempSync(path.join(tmpdir(), 'unblock-linked-'));
    try {
      const shared = path.join(linked, 'shared');
      mkdirSync(path.join(shared, 'inner'), { recursive: true });
      writeFileSync(path.join(shared, 'inner', 'd.md'), '---\ntitle: Blocked - Migration\n---\n');
      const set = path.join(linked, 'set');
      mkdirSync(set);
      writeFileSync(path.join(set, 'own.md'), '---\ntitle: Blocked\n---\n');
      symlinkSync(path.join(dir, 'b.md'), path.join(set, 'linked-page.md'));
      symlinkSync(shared, path.join(set, 'linked-folder'));
      // A link back up the tree would walk forever if followed blindly.
      symlinkSync(set, path.join(shared, 'inner', 'loop'));
      // A link to a page of the set itself, and a picture's link to nothing: neither adds nor breaks anything.
      symlinkSync(path.join(set, 'own.md'), path.join(set, 'alias.md'));
      symlinkSync(path.join(linked, 'gone.png'), path.join(set, 'diagram.png'));
      const names = (await readPlaybookSources([set])).map((s) => path.basename(s.file)).sort();
      expect(names).toEqual(['d.md', 'linked-page.md', 'own.md']);
      // The same pages when the folder and a link into it are both named.
      expect((await readPlaybookSources([set, path.join(set, 'linked-folder')])).map((s) => path.basename(s.file)).sort()).toEqual(names);
      symlinkSync(path.join(linked, 'gone.md'), path.join(set, 'dangling.md'));
      const error = await readPlaybookSources([set]).catch((e: unknown) => e);
      expect(isAppError(error) && error.code).toBe('FILE_NOT_FOUND');
      expect(isAppError(error) && error.message).toMatch(/dangling\.md.* links to .*gone\.md, which does not exist/);
      rmSync(path.join(set, 'dangling.md'));
      symlinkSync(path.join(set, 'self.md'), path.join(set, 'self.md'));
      const loop = await readPlaybookSources([set]).catch((e: unknown) => e);
      expect(isAppError(loop) && loop.message).toMatch(/"[^"]*self\.md" is a link that leads back to itself/);
    } finally {
      rmSync(linked, { recursive: true, force: true });
    }
  });

  it('leaves a folder\'s README out (it describes the set; it is no page), but reads one named on its own', async () => {
    const withReadme = mkdtempSync(path.join(tmpdir(), 'unblock-readme-'));
    try {
      writeFileSync(path.join(withReadme, 'blocked.md'), '---\ntitle: Blocked\n---\n');
      writeFileSync(path.join(withReadme, 'README.md'), '# Our playbook\n\nHow we write these pages.\n');
      writeFileSync(path.join(withReadme, 'readme.txt'), 'see README.md\n');
      expect((await readPlaybookSources([withReadme])).map((s) => path.basename(s.file))).toEqual(['blocked.md']);
      expect((await readPlaybookSources([path.join(withReadme, 'README.md')])).map((s) => path.basename(s.file))).toEqual(['README.md']);
    } finally {
      rmSync(withReadme, { recursive: true, force: true });
    }
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
