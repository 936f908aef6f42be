import { describe, expect, it } from 'vitest';
import { createDenseScanner, createSparseScanner } from './dense-scan.js';

function makeRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

/** The reference: each dot product summed in dimension order, in float32. */
function scanPlain(matrix: Float32Array, rows: number, dims: number, x: Float32Array): number[] {
  const out: number[] = [];
  for (let e = 0; e < rows; e++) {
    let dot = 0;
    for (let d = 0; d < dims; d++) dot = Math.fround(dot + Math.fround((x[d] as number) * (matrix[e * dims + d] as number)));
    out.push(dot);
  }
  return out;
}

describe('createDenseScanner', () => {
  it.each([
    [0, 100],
    [3, 100],
    [8, 100],
    [16, 100],
    [21, 7],
    [31, 100],
    [32, 100],
    [33, 100],
    [37, 100],
    [65, 3],
    [916, 100],
    [1790, 100],
  ])('gives the plain loop bit for bit (%i rows x %i dims), with and without the kernel', (rows, dims) => {
    const random = makeRandom(rows * 31 + dims);
    const matrix = new Float32Array(rows * dims).map(() => random());
    const expected = [0, 1, 2].map(() => {
      const x = new Float32Array(dims).map(() => random());
      return { x, dots: scanPlain(matrix, rows, dims, x) };
    });
    for (const useKernel of [true, false]) {
      const scanner = createDenseScanner(matrix, rows, dims, useKernel);
      for (const { x, dots } of expected) expect(Array.from(scanner.scan(x))).toEqual(dots);
    }
  });

  it('stays within float32 rounding of the float64 dot product', () => {
    const random = makeRandom(7);
    const rows = 100;
    const dims = 100;
    const matrix = new Float32Array(rows * dims).map(() => random());
    const x = new Float32Array(dims).map(() => random());
    const dots = createDenseScanner(matrix, rows, dims).scan(x);
    for (let e = 0; e < rows; e++) {
      let exact = 0;
      for (let d = 0; d < dims; d++) exact += (x[d] as number) * (matrix[e * dims + d] as number);
      expect(Math.abs((dots[e] as number) - exact)).toBeLessThan(1e-5);
    }
  });
});

/** A random inverted index: `features` lists of distinct rows (ascending), with float32 values. */
function makeIndex(random: () => number, features: number, rows: number) {
  const lists: { ids: number[]; vals: number[] }[] = [];
  for (let f = 0; f < features; f++) {
    const ids: number[] = [];
    for (let e = 0; e < rows; e++) if (random() < 0.1) ids.push(e);
    lists.push({ ids, vals: ids.map(() => Math.fround(random() * 2)) });
  }
  const starts = new Int32Array(features + 1);
  lists.forEach((l, f) => (starts[f + 1] = (starts[f] as number) + l.ids.length));
  return { starts, ids: Int32Array.from(lists.flatMap((l) => l.ids)), vals: Float32Array.from(lists.flatMap((l) => l.vals)) };
}

describe('createSparseScanner', () => {
  it.each([
    [0, 0],
    [1, 5],
    [40, 1],
    [300, 37],
    [2000, 916],
  ])('gives the plain float64 loop bit for bit (%i features x %i rows), with and without the kernel', (features, rows) => {
    const random = makeRandom(features * 7 + rows);
    const { starts, ids, vals } = makeIndex(random, features, rows);
    const notes = [0, 1, 2, 3].map((n) => {
      const idx = Int32Array.from({ length: features }, (_, f) => f).filter(() => random() < (n === 0 ? 1 : 0.2));
      return { idx, val: Float32Array.from(idx, () => random() * 3) };
    });
    const expected = notes.map(({ idx, val }) => {
      const sums = new Array<number>(rows).fill(0);
      idx.forEach((f, i) => {
        for (let k = starts[f] as number; k < (starts[f + 1] as number); k++) sums[ids[k] as number] = (sums[ids[k] as number] as number) + (val[i] as number) * (vals[k] as number);
      });
      return sums;
    });
    for (const useKernel of [true, false]) {
      const scanner = createSparseScanner(starts, ids, vals, rows, useKernel);
      notes.forEach(({ idx, val }, n) => {
        const sums = scanner.scan(idx, val);
        expect(Array.from(sums)).toEqual(expected[n]);
        sums.fill(0);
      });
    }
  });

  it('adds into the sums it returns until the caller sets them back to zero', () => {
    const random = makeRandom(3);
    const { starts, ids, vals } = makeIndex(random, 50, 20);
    const idx = Int32Array.from([2, 7, 30]);
    const val = Float32Array.from([0.5, 1, 2]);
    const reference = new Array<number>(20).fill(0);
    const addOnce = () =>
      idx.forEach((f, i) => {
        for (let k = starts[f] as number; k < (starts[f + 1] as number); k++) reference[ids[k] as number] = (reference[ids[k] as number] as number) + (val[i] as number) * (vals[k] as number);
      });
    addOnce();
    const once = [...reference];
    addOnce();
    expect(reference).not.toEqual(once);
    for (const useKernel of [true, false]) {
      const scanner = createSparseScanner(starts, ids, vals, 20, useKernel);
      expect(Array.from(scanner.scan(idx, val))).toEqual(once);
      expect(Array.from(scanner.scan(idx, val))).toEqual(reference);
      scanner.scan(new Int32Array(0), new Float32Array(0)).fill(0);
      expect(Array.from(scanner.scan(idx, val))).toEqual(once);
    }
  });

  it('runs ids beyond the room it keeps (more ids than features) through the same loop', () => {
    const random = makeRandom(11);
    const { starts, ids, vals } = makeIndex(random, 3, 30);
    const idx = Int32Array.from([0, 1, 2, 1]);
    const val = Float32Array.from([1, 0.5, 0.25, 2]);
    const plain = createSparseScanner(starts, ids, vals, 30, false);
    const kernel = createSparseScanner(starts, ids, vals, 30, true);
    expect(Array.from(kernel.scan(idx, val))).toEqual(Array.from(plain.scan(idx, val)));
  });
});
