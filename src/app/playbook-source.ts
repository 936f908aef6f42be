import { readFileSync, readlinkSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../lib/errors.js';
import type { LintOptions, Playbook, Problem } from '../playbook/index.js';
import type { Taxonomy } from '../taxonomy/index.js';
import { decodePlaybookCache, encodePlaybookCache, parserCodeHash, type PageSource } from './playbook-cache.js';

/** The package root: two folders above this module in src/, three above it in dist/src/. */
function packageRoot(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const parts = here.split(path.sep);
  const distAt = parts.lastIndexOf('dist');
  if (distAt > 0 && parts[distAt + 1] === 'src') return parts.slice(0, distAt).join(path.sep) || path.sep;
  return path.resolve(here, '..', '..');
}

/** Absolute path of the built-in playbook pages (`playbooks/` in the package root). */
export const BUILTIN_PLAYBOOK_DIR = path.join(packageRoot(), 'playbooks');

const PAGE_EXTENSIONS = new Set(['.md', '.txt', '.markdown']);

/**
 * The page parser (remark, yaml), loaded when pages are parsed: the built-in playbook usually comes
 * from the build's parsed copy, and then a process never needs it.
 */
const parser = () => import('../playbook/parse-playbook.js');

/**
 * Whether a folder's walk reads a file of this name: a page extension, and not a README (any case),
 * which describes the set and is no page.
 */
function isPageName(name: string): boolean {
  return PAGE_EXTENSIONS.has(path.extname(name).toLowerCase()) && !/^readme(\.[^.]*)?$/i.test(name);
}

/**
 * Adds the page files of `target` to `out`: the file itself, or a folder's pages recursively. Links are
 * followed (a page set assembled from shared folders is common), each folder read once by its real
 * path, so a link back up the tree ends there; a link that points nowhere is an error naming both ends,
 * rather than a page silently missing from the set.
 */
async function collect(target: string, out: string[], seen = new Set<string>()): Promise<void> {
  const info = await stat(target);
  if (!info.isDirectory()) {
    out.push(target);
    return;
  }
  const real = await realpath(target);
  if (seen.has(real)) return;
  seen.add(real);
  const entries = await readdir(target, { withFileTypes: true });
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = path.join(target, entry.name);
    let kind: 'folder' | 'file' | 'other' = entry.isDirectory() ? 'folder' : entry.isFile() ? 'file' : 'other';
    if (entry.isSymbolicLink()) {
      const followed = await stat(full).catch((error: NodeJS.ErrnoException) => {
        // A link to nothing named as a page is a page missing from the set; any other (a picture's) is not the set's business.
        if (!isPageName(entry.name)) return undefined;
        if (error.code === 'ELOOP') throw new AppError('FILE_NOT_FOUND', `The playbook folder's "${displayName(full)}" is a link that leads back to itself. Remove it or point it at a page.`, { path: full });
        if (error.code !== 'ENOENT') throw error;
        const to = path.resolve(target, readlinkSync(full));
        throw new AppError('FILE_NOT_FOUND', `The playbook folder's "${displayName(full)}" links to ${displayName(to)}, which does not exist. Remove the link or restore what it points to.`, { path: full, target: to });
      });
      kind = followed === undefined ? 'other' : followed.isDirectory() ? 'folder' : followed.isFile() ? 'file' : 'other';
    }
    if (kind === 'folder') await collect(full, out, seen);
    else if (kind === 'file' && isPageName(entry.name)) out.push(full);
  }
}

/** How a page file is named in problems: relative to the working directory when inside it, absolute otherwise. */
function displayName(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

/**
 * Reads page files: each path is a file (read whatever its extension) or a folder (every
 * .md/.txt/.markdown inside, recursively, links followed, a README left out). Sorted by file name, duplicates removed. Throws AppError
 * FILE_NOT_FOUND naming the first path that does not exist.
 */
export async function readPlaybookSources(paths: readonly string[]): Promise<{ file: string; text: string }[]> {
  const files: string[] = [];
  for (const p of paths) {
    const absolute = path.resolve(p);
    try {
      await collect(absolute, files);
    } catch (error) {
      if (error instanceof AppError) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') throw new AppError('FILE_NOT_FOUND', `No playbook page or folder at "${p}".`, { path: p });
      throw new AppError('FILE_NOT_FOUND', `Cannot read "${p}" (${code ?? 'unknown error'}).`, { path: p });
    }
  }
  // One page reached by two paths (a link to a page of the set, or a folder named with a link into it)
  // is read once: under its own name when that is one of the paths, else under the first in order.
  const byRealPath = new Map<string, string>();
  for (const file of [...new Set(files)].sort()) {
    const real = await realpath(file).catch(() => file);
    const kept = byRealPath.get(real);
    if (kept === undefined || (file === real && kept !== real)) byRealPath.set(real, file);
  }
  const unique = [...byRealPath.values()].sort();
  return Promise.all(
    unique.map(async (file) => {
      try {
        return { file: displayName(file), text: await readFile(file, 'utf8') };
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        throw new AppError('FILE_NOT_FOUND', `Cannot read "${displayName(file)}" (${code ?? 'unknown error'}).`, { path: file });
      }
    }),
  );
}

/** The parsed copy of the built-in playbook that the build writes (see playbook-cache.ts). */
const BUILTIN_CACHE = path.join(packageRoot(), 'dist', 'assets', 'playbook.json');

/** The built-in playbook from the build's parsed copy, when it was made from these very pages by this code. */
function readBuiltinCache(sources: readonly PageSource[]): Playbook | undefined {
  const code = parserCodeHash(path.dirname(fileURLToPath(import.meta.url)));
  if (code === null) return undefined;
  let text: string;
  try {
    text = readFileSync(BUILTIN_CACHE, 'utf8');
  } catch {
    return undefined;
  }
  return decodePlaybookCache(text, sources, BUILTIN_PLAYBOOK_DIR, code);
}

let builtin: Promise<Playbook> | null = null;

/** Playbooks read from the build's parsed copy: it is written only for pages that lint clean (see writeBuiltinPlaybookCache). */
const readFromCopy = new WeakSet<Playbook>();

/** The built-in playbook, parsed once per process (or read from the build's parsed copy when it matches). */
export function loadBuiltinPlaybook(): Promise<Playbook> {
  builtin ??= readPlaybookSources([BUILTIN_PLAYBOOK_DIR]).then(async (sources) => {
    const copy = readBuiltinCache(sources);
    if (copy) readFromCopy.add(copy);
    return copy ?? (await parser()).parsePlaybook(sources);
  });
  return builtin;
}

/**
 * Every problem `unblock playbook lint` reports for a loaded playbook: those found while reading the
 * pages and the page checks (a code with no definition or no valid example, too few examples, ...).
 * The built-in playbook read from the build's parsed copy is not linted again: the copy exists only for
 * pages without any problem, and the lint would load the Markdown parser and take some tenths of a
 * second of every command's start.
 */
export async function lintLoadedPlaybook(playbook: Playbook, options: LintOptions = {}): Promise<Problem[]> {
  if (readFromCopy.has(playbook)) return [...playbook.problems];
  const { lintPlaybook } = await import('../playbook/lint.js');
  return lintPlaybook(playbook, options);
}

/**
 * Writes the parsed copy of the built-in playbook for {@link loadBuiltinPlaybook} (build time), from a
 * fresh parse; removes a stale one when the playbook has problems (lint problems included). Returns what it did.
 */
export async function writeBuiltinPlaybookCache(): Promise<'fresh' | 'written' | 'removed' | 'not compiled'> {
  const sources = await readPlaybookSources([BUILTIN_PLAYBOOK_DIR]);
  const code = parserCodeHash(path.dirname(fileURLToPath(import.meta.url)));
  if (code === null) return 'not compiled';
  if (readBuiltinCache(sources)) return 'fresh';
  const parsed = (await parser()).parsePlaybook(sources);
  // Pages with lint problems get no copy: lintLoadedPlaybook takes a playbook read from it as clean.
  const { lintPlaybook } = await import('../playbook/lint.js');
  const text = lintPlaybook(parsed).length > 0 ? null : encodePlaybookCache(parsed, sources, BUILTIN_PLAYBOOK_DIR, code);
  if (text === null) {
    rmSync(BUILTIN_CACHE, { force: true });
    return 'removed';
  }
  const temp = `${BUILTIN_CACHE}.${process.pid}.tmp`;
  writeFileSync(temp, text);
  renameSync(temp, BUILTIN_CACHE);
  return 'written';
}

/**
 * Loads and parses a playbook: the built-in one when `paths` is empty or absent, else the
 * given file/folder (or list of them), whose labels fall back on the built-in taxonomy for codes the set
 * itself does not define (pass `{ reference: false }` to resolve against the set alone).
 */
export async function loadPlaybook(paths?: string | readonly string[], options: { reference?: boolean } = {}): Promise<Playbook> {
  const list = typeof paths === 'string' ? [paths] : (paths ?? []);
  if (list.length === 0) return loadBuiltinPlaybook();
  const sources = await readPlaybookSources(list);
  let reference: Taxonomy | undefined;
  if (options.reference !== false) {
    try {
      reference = (await loadBuiltinPlaybook()).taxonomy;
    } catch {
      reference = undefined;
    }
  }
  return (await parser()).parsePlaybook(sources, reference ? { reference } : {});
}
