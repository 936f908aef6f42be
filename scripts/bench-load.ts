/**
 * Run by bench.ts in a fresh process: cold model load as the app does it (vectors.bin, model.json,
 * prepare), then the first call. Prints JSON.
 */
import { join } from 'node:path';
import { classify, prepareModel } from '../src/classifier/index.js';
import { getAssetsDir, loadVectors, readModelFile } from '../src/app/index.js';

const t0 = performance.now();
const vectors = loadVectors();
const data = readModelFile(join(getAssetsDir(), 'model.json'));
if (!data) throw new Error('dist/assets/model.json is missing or from another trainer; run `npm run build`.');
const model = prepareModel(data, vectors);
const t1 = performance.now();
classify(model, 'warm up the tokenizer');
const t2 = performance.now();
process.stdout.write(JSON.stringify({ loadMs: t1 - t0, firstClassifyMs: t2 - t1, rss: process.memoryUsage().rss }));
