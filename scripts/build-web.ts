/**
 * Build step (run by `npm run build`): the browser UI into web/dist, only when it is out of date.
 * After each build the files the bundle was made from (every module Vite read outside
 * node_modules, plus package-lock.json and the Vite and TypeScript configs) are recorded in
 * dist/web-build.json; the next run builds again only when one of them changed (newer than the last
 * build, or gone) or web/dist/index.html is missing. `--force` always builds.
 *
 * The new bundle is written to a temporary folder and swapped in with renames, so a running server
 * never serves a half-written web/dist.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Plugin } from 'vite';
import { findPackageRoot } from '../src/app/index.js';

interface WebStamp {
  builtAt: number;
  inputs: string[];
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
  for (const file of stamp.inputs) {
    const path = isAbsolute(file) ? file : join(root, file);
    if (!existsSync(path)) return `${file} is gone`;
    if (statSync(path).mtimeMs > stamp.builtAt) return `${file} changed`;
  }
  return undefined;
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
  const inputs = [...new Set([...CONFIG_FILES.filter((f) => existsSync(join(root, f))), ...[...modules].sort()])];
  mkdirSync(join(root, 'dist'), { recursive: true });
  writeFileSync(stampPath, `${JSON.stringify({ builtAt, inputs } satisfies WebStamp, null, 1)}\n`);
  process.stdout.write(`build-web: built web/dist (${reason}) from ${modules.size} modules in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`build-web: failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
}
