/**
 * Build-time assets (run by `npm run build`, hence by `npm install`):
 * dist/assets/vectors.bin, the word vectors trimmed to the words Unblock needs, and
 * dist/assets/model.json, the model trained on the built-in playbook. Deterministic.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeVectors, trainModel } from '../src/classifier/index.js';
import { BUILTIN_PLAYBOOK_DIR, loadPlaybook, findPackageRoot } from '../src/app/index.js';
import { buildVectors } from './build-vectors.js';

async function main(): Promise<void> {
  const started = performance.now();
  const root = findPackageRoot();
  const assets = join(root, 'dist', 'assets');
  mkdirSync(assets, { recursive: true });
  const playbookDir = BUILTIN_PLAYBOOK_DIR;
  const built = await buildVectors(root, playbookDir);
  writeFileSync(join(assets, 'vectors.bin'), built.bytes);
  process.stdout.write(`build-assets: vectors.bin ${built.kept} of ${built.total} words x ${built.dims} dims, ${(built.bytes.length / 1e6).toFixed(1)} MB (${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
  const vectors = decodeVectors(built.bytes);
  const trainStart = performance.now();
  const playbook = await loadPlaybook();
  const model = trainModel(playbook, vectors);
  writeFileSync(join(assets, 'model.json'), JSON.stringify(model.data));
  const cv = model.data.crossValidation;
  process.stdout.write(
    `build-assets: model.json for taxonomy ${model.data.taxonomyVersion}: ${model.data.codes.length} codes, ${model.data.examples.length} pieces of evidence, ` +
      `trained in ${((performance.now() - trainStart) / 1000).toFixed(1)} s` +
      (cv ? `; ${cv.folds}-fold CV top-1 ${(cv.top1 * 100).toFixed(1)}%, top-3 ${(cv.top3 * 100).toFixed(1)}%, ECE ${cv.ece.toFixed(3)}` : '') +
      '\n',
  );
  for (const warning of model.data.warnings) process.stdout.write(`build-assets: warning: ${warning}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`build-assets: failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
