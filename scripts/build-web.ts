/**
 * Build step (run by `npm run build`): the browser UI into web/dist, only when it is out of date.
 * After each build the files the bundle was made from (every module Vite read outside
 * node_modules, the files of web/public, plus package-lock.json and the Vite and TypeScript configs)
 * are recorded in dist/web-build.json with a digest of each one's content; the next run builds again
 * only when one of them changed (its content, not merely its modification time: `npm install`
 * rewrites package-lock.json unchanged), is gone, or web/dist/index.html is missing. `--force`
 * always builds.
 *
 * The new bundle is written to a temporary folder and swapped in with renames, so a running server
 * never serves a half-written web/dist.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Plugin } from 'vite';
import { findPackageRoot } from '../src/app/index.js';

interface WebStamp {
  /** When the build started (ms since the epoch). */
  builtAt: number;
  /** The files the bundle was made from, relative to the package root where they are under it. */
  inputs: string[];
  /** The content digest of each input as built ({@link contentDigest}); null for one that changed while Vite ran. */
  digests?: Record<string, string | null>;
}

/** JSON with every object's keys sorted, so that the same data written in another order reads the same. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * A digest of what a file says: SHA-256 of its bytes, or for a JSON file (package-lock.json,
 * package.json) of its data, so that npm writing the same lock again, reformatted or with its keys
 * in another order, is not a change.
 */
export function contentDigest(path: string): string {
  const bytes = readFileSync(path);
  let text: string | Buffer = bytes;
  if (path.endsWith('.json')) {
    try {
      text = canonicalJson(JSON.parse(bytes.toString('utf8')));
    } catch {
      // Not plain JSON (a tsconfig with comments): its bytes.
    }
  }
  return createHash('sha256').update(text).digest('hex');
}

/** Why web/dist must be built again, or undefined when it is up to date. */
export function findStaleReason(root: string, stampPath: string): string | undefined {
  if (!existsSync(join(root, 'web', 'dist', 'index.html'))) return 'web/dist is missing';
  if (!existsSync(stampPath)) return 'no record of the last build';
  let stamp: WebStamp;
  try {
    stamp = JSON.parse(readFileSync(stampPath, 'utf8')) as WebStamp;
  } catch {
    return 'the record of the last build is unreadable';
  }
  if (!Array.isArray(stamp.inputs) || stamp.inputs.length === 0) return 'the record of the last build is empty';
  if (!stamp.digests || typeof stamp.digests !== 'object') return 'the record of the last build has no content digests';
  for (const file of stamp.inputs) {
    const path = isAbsolute(file) ? file : join(root, file);
    if (!existsSync(path)) return `${file} is gone`;
    // The content decides, not the time: a file rewritten unchanged (package-lock.json by npm install) is not a change.
    if (stamp.digests[file] !== contentDigest(path)) return `${file} changed`;
  }
  return undefined;
}

/**
 * The stamp of a build that started at `builtAt` from `inputs`: each input's digest, or null for one
 * modified (or removed) since the build started (Vite may have read the earlier content), so that the next run builds again.
 */
export function makeStamp(root: string, builtAt: number, inputs: string[]): WebStamp {
  const digests: Record<string, string | null> = {};
  for (const file of inputs) {
    const path = isAbsolute(file) ? file : join(root, file);
    digests[file] = !existsSync(path) || statSync(path).mtimeMs > builtAt ? null : contentDigest(path);
  }
  return { builtAt, inputs, digests };
}

/** The files under web/public (copied into web/dist as they are), relative to `root`. */
function publicFiles(root: string): string[] {
  const dir = join(root, 'web', 'public');
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)))
    .sort();
}

/** Files outside the module graph that shape the bundle. */
const CONFIG_FILES = ['web/vite.config.ts', 'web/index.html', 'web/tsconfig.json', 'package.json', 'package-lock.json'];

async function main(): Promise<void> {
  const started = performance.now();
  const root = findPackageRoot();
  const stampPath = join(root, 'dist', 'web-build.json');
  const reason = process.argv.includes('--force') ? '--force' : findStaleReason(root, stampPath);
  if (!reason) {
    process.stdout.write('build-web: web/dist is up to date (skipped)\n');
    return;
  }
  const builtAt = Date.now();
  const modules = new Set<string>();
  const recordInputs: Plugin = {
    name: 'unblock-record-inputs',
    generateBundle() {
      for (const id of this.getModuleIds()) {
        const file = id.split('?')[0]!;
        if (isAbsolute(file) && !file.includes('/node_modules/') && existsSync(file)) modules.add(file.startsWith(`${root}/`) ? file.slice(root.length + 1) : file);
      }
    },
  };
  const dist = join(root, 'web', 'dist');
  const temp = join(root, 'web', `.dist-${process.pid}`);
  const old = join(root, 'web', `.dist-old-${process.pid}`);
  rmSync(temp, { recursive: true, force: true });
  try {
    await build({ configFile: join(root, 'web', 'vite.config.ts'), logLevel: 'warn', build: { outDir: temp, emptyOutDir: true }, plugins: [recordInputs] });
    if (existsSync(dist)) renameSync(dist, old);
    renameSync(temp, dist);
  } finally {
    rmSync(temp, { recursive: true, force: true });
    rmSync(old, { recursive: true, force: true });
  }
  const inputs = [...new Set([...CONFIG_FILES.filter((f) => existsSync(join(root, f))), ...publicFiles(root), ...[...modules].sort()])];
  mkdirSync(join(root, 'dist'), { recursive: true });
  writeFileSync(stampPath, `${JSON.stringify(makeStamp(root, builtAt, inputs), null, 1)}\n`);
  process.stdout.write(`build-web: built web/dist (${reason}) from ${modules.size} modules in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`build-web: failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
}
