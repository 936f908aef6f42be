import { describe, expect, it } from 'vitest';
import { BLOCK_BIGRAM, BLOCK_CHAR, BLOCK_WORD, buildFeatureSpace, cosineSimilarities, cosineSimilarity, countFeatures, featureWords, findConcepts, vectorise, vectoriseTokens } from './features.js';
import { DEFAULT_OPTIONS } from './model.js';
import { analyseText } from './tokenize.js';
import { decodeVectors, encodeVectors } from './vectors.js';

const TRAINING = [
  'The partner has not signed the statement of work yet',
  'IT has no one who can run the new tenant',
  'Licences were bought but nobody uses the mailbox',
  'Legal is still reviewing the data processing terms',
];

const NOTES = ['The partner signed nothing and IT cannot run the tenant', 'nobody reviews the mailbox licences', 'MFA rollout waits for the CISO', 'tenant tenant tenant', 'zzzz unknown words only'];

function makeVectors(dims = 8) {
  const words = ['partner', 'signed', 'tenant', 'mailbox', 'legal', 'device', 'security', 'licences', 'run', 'nobody'];
  let seed = 3;
  const next = () => ((seed = (seed * 48271) % 2147483647) / 2147483647) - 0.5;
  return decodeVectors(encodeVectors(words.map((word, rank) => ({ word, rank, vector: Array.from({ length: dims }, next) })), dims));
}

describe('vectoriseTokens', () => {
  const vectors = makeVectors();
  const space = buildFeatureSpace(TRAINING.map((t) => countFeatures(analyseText(t), DEFAULT_OPTIONS)), 1);

  it.each(NOTES)('equals vectorise(countFeatures(...)) bit for bit, cold and memoised: %s', (note) => {
    const analysed = analyseText(note);
    const expected = vectorise(space, vectors, countFeatures(analysed, DEFAULT_OPTIONS), DEFAULT_OPTIONS);
    for (let round = 0; round < 2; round++) {
      const got = vectoriseTokens(space, vectors, analysed, DEFAULT_OPTIONS);
      expect(Array.from(got.idx)).toEqual(Array.from(expected.idx));
      expect(Array.from(got.val)).toEqual(Array.from(expected.val));
      expect(Array.from(got.dense)).toEqual(Array.from(expected.dense));
      expect(got.norm2).toBe(expected.norm2);
    }
  });

  it('gives the same vectors when the options change between calls (the memo is reset)', () => {
    const analysed = analyseText(NOTES[0] as string);
    const other = { ...DEFAULT_OPTIONS, conceptWeight: 0, charWeight: 0 };
    vectoriseTokens(space, vectors, analysed, DEFAULT_OPTIONS);
    const got = vectoriseTokens(space, vectors, analysed, other);
    const expected = vectorise(space, vectors, countFeatures(analysed, other), other);
    expect(Array.from(got.val)).toEqual(Array.from(expected.val));
    expect(Array.from(got.idx)).toEqual(Array.from(expected.idx));
  });
});

describe('vectoriseTokens, dense part', () => {
  // The dense sums run four dimensions a pass, then one at a time for the rest: dimension counts
  // around multiples of four, with many word vectors per note.
  it.each([1, 3, 4, 5, 7, 10, 13])('equals vectorise(countFeatures(...)) bit for bit with %i dimensions', (dims) => {
    const vectors = makeVectors(dims);
    const space = buildFeatureSpace(TRAINING.map((t) => countFeatures(analyseText(t), DEFAULT_OPTIONS)), 1);
    for (const note of [...NOTES, TRAINING.join(' and ')]) {
      const analysed = analyseText(note);
      const expected = vectorise(space, vectors, countFeatures(analysed, DEFAULT_OPTIONS), DEFAULT_OPTIONS);
      for (const reuse of [false, true]) {
        const got = vectoriseTokens(space, vectors, analysed, DEFAULT_OPTIONS, reuse);
        expect(Array.from(got.dense)).toEqual(Array.from(expected.dense));
        expect(got.norm2).toBe(expected.norm2);
      }
    }
  });
});

describe('vectoriseTokens with reuse', () => {
  const vectors = makeVectors();
  const space = buildFeatureSpace(TRAINING.map((t) => countFeatures(analyseText(t), DEFAULT_OPTIONS)), 1);

  it.each(NOTES)('gives the vector it gives without reuse, bit for bit: %s', (note) => {
    const analysed = analyseText(note);
    const fresh = vectoriseTokens(space, vectors, analysed, DEFAULT_OPTIONS);
    // A longer note first, so that the reused arrays hold other values when this one is written.
    vectoriseTokens(space, vectors, analyseText(TRAINING.join(' ')), DEFAULT_OPTIONS, true);
    const reused = vectoriseTokens(space, vectors, analysed, DEFAULT_OPTIONS, true);
    expect(Array.from(reused.idx)).toEqual(Array.from(fresh.idx));
    expect(Array.from(reused.val)).toEqual(Array.from(fresh.val));
    expect(Array.from(reused.dense)).toEqual(Array.from(fresh.dense));
    expect(reused.norm2).toBe(fresh.norm2);
    expect(reused.rawDenseNorm2).toBe(fresh.rawDenseNorm2);
  });

  it('overwrites the reused arrays on the next call with reuse, and only then', () => {
    const first = vectoriseTokens(space, vectors, analyseText(NOTES[0] as string), DEFAULT_OPTIONS, true);
    const copy = Array.from(first.val);
    vectoriseTokens(space, vectors, analyseText(NOTES[1] as string), DEFAULT_OPTIONS);
    expect(Array.from(first.val)).toEqual(copy);
    vectoriseTokens(space, vectors, analyseText(NOTES[1] as string), DEFAULT_OPTIONS, true);
    expect(Array.from(first.val)).not.toEqual(copy);
  });
});

describe('cosineSimilarities', () => {
  const vectors = makeVectors();
  const space = buildFeatureSpace(TRAINING.map((t) => countFeatures(analyseText(t), DEFAULT_OPTIONS)), 1);
  const xs = [...NOTES, ...TRAINING, 'the of and'].map((t) => vectoriseTokens(space, vectors, analyseText(t), DEFAULT_OPTIONS));

  it('gives cosineSimilarity of each vector bit for bit (groups of four and the rest, empty vectors too)', () => {
    const empty = xs.find((x) => x.norm2 === 0);
    expect(empty).toBeDefined();
    for (const a of xs) {
      for (let n = 0; n <= xs.length; n++) {
        const bs = xs.slice(0, n);
        expect(cosineSimilarities(space, a, bs)).toEqual(bs.map((b) => cosineSimilarity(a, b)));
      }
    }
  });

  it('leaves the scratch arrays clean: vectors made afterwards are unchanged', () => {
    const analysed = analyseText(NOTES[0] as string);
    const before = vectoriseTokens(space, vectors, analysed, DEFAULT_OPTIONS);
    cosineSimilarities(space, xs[1] as (typeof xs)[number], xs);
    const after = vectoriseTokens(space, vectors, analysed, DEFAULT_OPTIONS);
    expect(Array.from(after.val)).toEqual(Array.from(before.val));
  });
});

describe('featureWords', () => {
  const space = buildFeatureSpace(TRAINING.map((t) => countFeatures(analyseText(t), DEFAULT_OPTIONS)), 1);

  it('gives a word feature its word, a bigram its two lemmas, an n-gram its characters', () => {
    const word = space.index.get('w:partner') as number;
    const bigram = space.index.get('b:partner not') as number;
    const gram = space.keys.findIndex((k) => k.startsWith('c:'));
    expect(space.block[word]).toBe(BLOCK_WORD);
    expect(space.block[bigram]).toBe(BLOCK_BIGRAM);
    expect(space.block[gram]).toBe(BLOCK_CHAR);
    expect(featureWords(space, word)).toEqual(['partner']);
    expect(featureWords(space, bigram)).toEqual(['partner', 'not']);
    expect(featureWords(space, gram)).toEqual([(space.keys[gram] as string).slice(2)]);
    expect(featureWords(space, bigram)).toBe(featureWords(space, bigram));
  });
});

describe('findConcepts', () => {
  it('finds the lexicon concepts of a token by its form or its lemma', () => {
    expect(findConcepts({ norm: 'proxies', lemma: 'proxy' })).toEqual(['firewall', 'network', 'servers']);
    expect(findConcepts({ norm: 'proxys', lemma: 'proxy' })).toEqual(['firewall', 'network', 'server']);
    expect(findConcepts({ norm: 'budget', lemma: 'budget' })).toBeUndefined();
  });

  it.each(['constructor', '__proto__', 'tostring', 'hasownproperty'])('finds none for %s (no property of plain objects)', (word) => {
    expect(findConcepts({ norm: word, lemma: word })).toBeUndefined();
  });
});
