/**
 * Runs once before all test files: makes sure dist/ (the compiled CLI and
 * scripts) and dist/assets (trimmed vectors, trained model) are current, so
 * CLI tests never race each other to rebuild. In CI `npm ci` has just built
 * everything and this does nothing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Newest modification time (ms) of the files below `dir` that `accept` keeps. */
function newest(dir: string, accept: (name: string) => boolean): number {
  if (!existsSync(dir)) return 0;
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) latest = Math.max(latest, newest(full, accept));
    else if (accept(entry.name)) latest = Math.max(latest, statSync(full).mtimeMs);
  }
  return latest;
}

const isSource = (name: string) => name.endsWith('.ts') && !name.endsWith('.test.ts');

function run(args: string[]): void {
  const result = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
  if (result.status !== 0 && !args.some((a) => a.includes('tsc'))) {
    throw new Error(`test setup: \`node ${args.join(' ')}\` failed:\n${result.stdout}\n${result.stderr}`);
  }
}

export default function setup(): void {
  const marker = path.join(root, 'dist', 'src', 'cli', 'main.js');
  const sources = Math.max(newest(path.join(root, 'src'), isSource), newest(path.join(root, 'scripts'), isSource));
  if (!existsSync(marker) || statSync(marker).mtimeMs < sources) {
    // tsc emits even when another module has type errors; the type-check step reports those.
    run([path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json']);
  }
  const model = path.join(root, 'dist', 'assets', 'model.json');
  const pages = newest(path.join(root, 'playbooks'), (n) => n.endsWith('.md'));
  if (!existsSync(model) || statSync(model).mtimeMs < Math.max(pages, sources)) {
    run([path.join(root, 'dist', 'scripts', 'build-assets.js')]);
  }
}
