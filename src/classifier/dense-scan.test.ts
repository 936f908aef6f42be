import { describe, expect, it } from 'vitest';
import { createDenseScanner } from './dense-scan.js';

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
    [37, 100],
    [916, 100],
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
