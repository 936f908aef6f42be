/** Run by bench.ts in a fresh process: cold model load (vectors + model.json + prepare), then the first call. Prints JSON. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { classify, decodeVectors, prepareModel, type SerializedModel } from '../src/classifier/index.js';
import { getAssetsDir } from '../src/app/index.js';

const t0 = performance.now();
const vectors = decodeVectors(readFileSync(join(getAssetsDir(), 'vectors.bin')));
const data = JSON.parse(readFileSync(join(getAssetsDir(), 'model.json'), 'utf8')) as SerializedModel;
const model = prepareModel(data, vectors);
const t1 = performance.now();
classify(model, 'warm up the tokenizer');
const t2 = performance.now();
process.stdout.write(JSON.stringify({ loadMs: t1 - t0, firstClassifyMs: t2 - t1, rss: process.memoryUsage().rss }));
