import { describe, expect, it } from 'vitest';
import { buildFeatureSpace, countFeatures, vectorise, vectoriseTokens } from './features.js';
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

function makeVectors() {
  const words = ['partner', 'signed', 'tenant', 'mailbox', 'legal', 'device', 'security', 'licences', 'run', 'nobody'];
  let seed = 3;
  const next = () => ((seed = (seed * 48271) % 2147483647) / 2147483647) - 0.5;
  return decodeVectors(encodeVectors(words.map((word, rank) => ({ word, rank, vector: Array.from({ length: 8 }, next) })), 8));
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
