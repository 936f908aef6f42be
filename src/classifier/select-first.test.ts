import { describe, expect, it } from 'vitest';
import { selectFirst } from './classify.js';

/** The explanation's order of terms: weight, largest first, then the term. */
const byWeight = (a: readonly [string, number], b: readonly [string, number]) => b[1] - a[1] || a[0].localeCompare(b[0]);

function makeRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

describe('selectFirst', () => {
  it.each([0, 1, 3, 8, 50])('keeps what a stable sort puts first (limit %i), ties and equal items included', (limit) => {
    const random = makeRandom(limit + 1);
    for (let round = 0; round < 200; round++) {
      const n = Math.floor(random() * 30);
      // Few distinct weights and words, so ties on the weight and on the whole item are common.
      const items = Array.from({ length: n }, () => [['not', 'tenant', 'IT', 'licence', 'Licence', 'e5'][Math.floor(random() * 6)] as string, Math.floor(random() * 4) / 4] as [string, number]);
      const picked = selectFirst<[string, number]>(limit, byWeight);
      for (const item of items) picked.offer(item);
      const expected = [...items].sort(byWeight).slice(0, limit);
      expect(picked.items).toEqual(expected);
      // The very same objects, in the stable order: equal items keep the order they came in.
      picked.items.forEach((item, i) => expect(item).toBe(expected[i]));
    }
  });

  it('keeps everything, in order, without a limit', () => {
    const picked = selectFirst<[string, number]>(Infinity, byWeight);
    for (const item of [['b', 1], ['a', 1], ['c', 2], ['d', 0.5]] as [string, number][]) picked.offer(item);
    expect(picked.items).toEqual([['c', 2], ['a', 1], ['b', 1], ['d', 0.5]]);
  });
});
