import { afterAll, describe, expect, it } from 'vitest';
import { classify } from '../classifier/index.js';
import { createClassifierPool, type ClassifierPool } from './classifier-pool.js';
import { findFreshBuiltinModel } from './model-store.js';

const model = findFreshBuiltinModel();
const notes = [
  'The proxy at head office cuts every connection to the cloud; the network team has no date for a fix.',
  'Customer has not answered three emails and two calls since the kickoff.',
  'Half of the mailboxes moved last weekend, the rest follow in two waves.',
  'They renewed their contract with a competing collaboration suite for three years.',
  '',
  'x',
];

describe.skipIf(!model)('classifier pool', () => {
  let pool: ClassifierPool | undefined;
  afterAll(async () => pool?.close());

  it('gives the same answers as classifying on this thread, in any interleaving', async () => {
    pool = await createClassifierPool(model!, 2);
    const options = [{ top: 3 }, { top: 1, explain: false }, { top: 5 }];
    const jobs = notes.flatMap((text) => options.map((o) => ({ text, o })));
    const results = await Promise.all(jobs.map(({ text, o }) => pool!.classify(text, o)));
    results.forEach((result, i) => expect(result).toEqual(classify(model!, jobs[i]!.text, jobs[i]!.o)));
    const texts = await Promise.all(notes.map((text) => pool!.classifyJson(text)));
    texts.forEach((json, i) => expect(json).toBe(JSON.stringify(classify(model!, notes[i]!))));
  });

  it('still answers, on the calling thread, once closed', async () => {
    pool ??= await createClassifierPool(model!, 1);
    await pool.close();
    await pool.close();
    expect(await pool.classify(notes[0]!)).toEqual(classify(model!, notes[0]!));
    expect(await pool.classifyJson(notes[1]!)).toBe(JSON.stringify(classify(model!, notes[1]!)));
  });
});
