import { describe, expect, it } from 'vitest';
import type { FeatureVector } from './features.js';
import { decodeNeighbourVectors, encodeNeighbourVectors, fingerprintVectors, toNeighbourMatrix, type NeighbourMatrix } from './neighbour-cache.js';
import { decodeVectors, encodeVectors } from './vectors.js';

const vectorsOf = (seed: number) =>
  decodeVectors(encodeVectors(['cloud', 'proxy', 'licence'].map((word, i) => ({ word, rank: i, vector: Array.from({ length: 4 }, (_, d) => Math.sin(seed + i * 4 + d)) })), 4));

const xs: FeatureVector[] = [
  { idx: Int32Array.from([3, 9, 40]), val: Float32Array.from([0.25, 1.5, -0.125]), dense: Float32Array.from([0.1, 0.2, 0.3, 0.4]), norm2: 2.6 },
  { idx: new Int32Array(0), val: new Float32Array(0), dense: Float32Array.from([1, 0, 0, 0]), norm2: 1 },
  { idx: Int32Array.from([1]), val: Float32Array.from([3]), dense: new Float32Array(4), norm2: 9.000000000000002 },
];

describe('stored scenario vectors', () => {
  it('come back exactly as they went in, through JSON', () => {
    const vectors = vectorsOf(1);
    const stored = JSON.parse(JSON.stringify(encodeNeighbourVectors(toNeighbourMatrix(xs, 4), vectors)));
    const back = decodeNeighbourVectors(stored, vectors, xs.length)!;
    const rows = (m: NeighbourMatrix) =>
      Array.from({ length: m.count }, (_, i) => ({
        idx: [...m.idx.subarray(m.offsets[i], m.offsets[i + 1])],
        val: [...m.val.subarray(m.offsets[i], m.offsets[i + 1])],
        dense: [...m.dense.subarray(i * 4, (i + 1) * 4)],
        norm2: m.norm2[i],
      }));
    expect(rows(back)).toEqual(xs.map((x) => ({ idx: [...x.idx], val: [...x.val], dense: [...x.dense], norm2: x.norm2 })));
  });

  it('are ignored with other word vectors or another number of scenarios', () => {
    const stored = encodeNeighbourVectors(toNeighbourMatrix(xs, 4), vectorsOf(1));
    expect(fingerprintVectors(vectorsOf(2))).not.toBe(fingerprintVectors(vectorsOf(1)));
    expect(decodeNeighbourVectors(stored, vectorsOf(2), xs.length)).toBeUndefined();
    expect(decodeNeighbourVectors(stored, vectorsOf(1), xs.length + 1)).toBeUndefined();
    expect(decodeNeighbourVectors(undefined, vectorsOf(1), xs.length)).toBeUndefined();
  });
});
