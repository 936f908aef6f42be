/**
 * The build's parsed copy of the built-in playbook (dist/assets/playbook.json) matches the pages and the
 * compiled code, and a process started in another folder gets from it exactly what parsing gives.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findPackageRoot } from '../src/app/index.js';

const root = findPackageRoot();
const dist = (file: string) => JSON.stringify(join(root, 'dist', 'src', file));

describe('dist/assets/playbook.json', () => {
  it('is what the compiled code reads, and equals a fresh parse from another working directory', () => {
    const work = mkdtempSync(join(tmpdir(), 'unblock-playbook-cache-'));
    try {
      const script = `
        const { readFileSync } = await import('node:fs');
        const path = await import('node:path');
        const app = await import(${dist('app/index.js')});
        const cache = await import(${dist('app/playbook-cache.js')});
        const { parsePlaybook } = await import(${dist('playbook/index.js')});
        const sources = await app.readPlaybookSources([app.BUILTIN_PLAYBOOK_DIR]);
        const code = cache.parserCodeHash(path.dirname(${dist('app/playbook-cache.js')}));
        const text = readFileSync(path.join(${JSON.stringify(root)}, 'dist', 'assets', 'playbook.json'), 'utf8');
        const matches = cache.decodePlaybookCache(text, sources, app.BUILTIN_PLAYBOOK_DIR, code) !== undefined;
        const loaded = JSON.stringify(await app.loadBuiltinPlaybook());
        const fresh = JSON.stringify(await parsePlaybook(sources));
        process.stdout.write(JSON.stringify({ code: code !== null, matches, same: loaded === fresh, file: JSON.parse(loaded).pages[0].file }));
      `;
      const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: work, encoding: 'utf8', timeout: 60_000 });
      expect(run.stderr).toBe('');
      const out = JSON.parse(run.stdout) as { code: boolean; matches: boolean; same: boolean; file: string };
      expect(out).toMatchObject({ code: true, matches: true, same: true });
      // Named from here: the pages are outside this folder, so by their absolute path.
      expect(out.file.startsWith(join(root, 'playbooks'))).toBe(true);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
