/**
 * A parsed copy of the built-in playbook, written at build time (`dist/assets/playbook.json`), so that the
 * CLI and the server skip parsing its Markdown (about 0.45 s of micromark here, a third of a `report`
 * command's run) when the pages are the ones it was made from. The copy is keyed by each page's path
 * under the playbook folder and a sha256 of its text, and by a sha256 of the compiled code that parses
 * pages; file names are stored relative to the playbook folder and given back as this process names
 * them (relative to the working directory, or absolute), so a copy made in one folder serves any other.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Playbook } from '../playbook/index.js';

export const PLAYBOOK_CACHE_FORMAT = 'unblock-playbook/1';

/** One page file as `readPlaybookSources` gives it: its display name and its text. */
export interface PageSource {
  file: string;
  text: string;
}

interface CacheFile {
  format: string;
  /** sha256 of the compiled parsing code (see {@link parserCodeHash}). */
  code: string;
  pages: { name: string; sha256: string }[];
  playbook: Playbook;
}

const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

/** Each page's path under `dir` (with `/`) and the sha256 of its text, in the sources' order. */
function pageKeys(sources: readonly PageSource[], dir: string): { name: string; sha256: string }[] {
  return sources.map((s) => ({ name: path.relative(dir, path.resolve(s.file)).split(path.sep).join('/'), sha256: sha256(s.text) }));
}

/**
 * The cache file for `playbook`, parsed from `sources` (pages under `dir`), or null when the playbook has
 * problems: their messages may name other pages' files, which the copy could not rename, and a
 * playbook with problems is not one to ship anyway.
 */
export function encodePlaybookCache(playbook: Playbook, sources: readonly PageSource[], dir: string, code: string): string | null {
  if (playbook.problems.length > 0) return null;
  const keys = pageKeys(sources, dir);
  const stored = new Map(sources.map((s, i) => [s.file, keys[i]!.name]));
  const file: CacheFile = { format: PLAYBOOK_CACHE_FORMAT, code, pages: keys, playbook };
  return JSON.stringify(file, (key, value: unknown) => (key === 'file' && typeof value === 'string' ? (stored.get(value) ?? value) : value));
}

/** The playbook in `text` when it was made from exactly `sources` (pages under `dir`) by parsing code `code`; undefined otherwise. Never throws. */
export function decodePlaybookCache(text: string, sources: readonly PageSource[], dir: string, code: string): Playbook | undefined {
  let file: CacheFile;
  try {
    const keys = pageKeys(sources, dir);
    const names = new Map(keys.map((k, i) => [k.name, sources[i]!.file]));
    file = JSON.parse(text, (key, value: unknown) => (key === 'file' && typeof value === 'string' ? (names.get(value) ?? value) : value)) as CacheFile;
    if (file.format !== PLAYBOOK_CACHE_FORMAT || file.code !== code || file.pages.length !== keys.length) return undefined;
    if (!file.pages.every((p, i) => p.name === keys[i]!.name && p.sha256 === keys[i]!.sha256)) return undefined;
  } catch {
    return undefined;
  }
  return file.playbook;
}

/**
 * sha256 over the compiled code that turns pages into a playbook (the playbook, taxonomy and lib folders
 * and the page reader next to this module), or null when this module is not running from the compiled
 * `dist` (tests run the TypeScript sources: they always parse).
 */
export function parserCodeHash(moduleDir: string): string | null {
  const parts = moduleDir.split(path.sep);
  const distAt = parts.lastIndexOf('dist');
  if (distAt < 0 || parts[distAt + 1] !== 'src') return null;
  const src = path.dirname(moduleDir);
  const hash = createHash('sha256');
  try {
    for (const folder of ['playbook', 'taxonomy', 'lib']) {
      for (const name of readdirSync(path.join(src, folder)).filter((n) => n.endsWith('.js') && !n.endsWith('.test.js')).sort()) {
        hash.update(`${folder}/${name}\n`).update(readFileSync(path.join(src, folder, name))).update('\n');
      }
    }
    for (const name of ['playbook-source.js', 'playbook-cache.js']) hash.update(`app/${name}\n`).update(readFileSync(path.join(moduleDir, name))).update('\n');
  } catch {
    return null;
  }
  return hash.digest('hex');
}
