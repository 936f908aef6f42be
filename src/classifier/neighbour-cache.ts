/**
 * The scenario vectors of a trained model, stored in model.json so that loading does not vectorise
 * every scenario again (about 200 ms for 1,500 scenarios, most of the load time). They are valid only
 * with the word vectors they were computed with, so they carry a fingerprint of those vectors; with
 * other vectors the loader vectorises as before. Pure.
 */
import { fnv1a } from '../lib/index.js';
import type { FeatureVector } from './features.js';
import type { SerializedNeighbourVectors } from './types.js';
import type { WordVectors } from './vectors.js';

export type { SerializedNeighbourVectors };

const toBase64 = (array: ArrayBufferView) => Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64');

function fromBase64<T>(encoded: string, make: (buffer: ArrayBuffer, offset: number, length: number) => T, bytesPer: number): T {
  const bytes = Buffer.from(encoded, 'base64');
  // Copy into a fresh, aligned buffer: Buffer's pool offset need not be a multiple of 8.
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return make(copy.buffer, 0, bytes.byteLength / bytesPer);
}

/** A cheap fingerprint of word vectors: shape, and an FNV-1a hash over every 61st value and every scale. */
export function fingerprintVectors(vectors: WordVectors): string {
  const hash = fnv1a((mix) => {
    for (let i = 0; i < vectors.data.length; i += 61) mix(vectors.data[i] as number);
    const scaleBytes = new Uint8Array(vectors.scales.buffer, vectors.scales.byteOffset, vectors.scales.byteLength);
    for (let i = 0; i < scaleBytes.length; i++) mix(scaleBytes[i] as number);
  });
  return `${vectors.dims}x${vectors.index.size}:${hash}`;
}

/**
 * The scenario vectors of a model as flat arrays: scenario `i`'s sparse part is `idx`/`val` from
 * `offsets[i]` to `offsets[i + 1]`, its dense part row `i` of `dense`, its squared norm `norm2[i]`.
 * The loader builds the scan's index from these directly (no per-scenario views).
 */
export interface NeighbourMatrix {
  count: number;
  offsets: Int32Array;
  idx: Int32Array;
  val: Float32Array;
  dense: Float32Array;
  norm2: Float64Array;
}

/** The flat arrays of `xs` (dense parts of `dims` values). */
export function toNeighbourMatrix(xs: readonly FeatureVector[], dims: number): NeighbourMatrix {
  const offsets = new Int32Array(xs.length + 1);
  xs.forEach((x, i) => (offsets[i + 1] = (offsets[i] as number) + x.idx.length));
  const total = offsets[xs.length] as number;
  const idx = new Int32Array(total);
  const val = new Float32Array(total);
  const dense = new Float32Array(xs.length * dims);
  const norm2 = new Float64Array(xs.length);
  xs.forEach((x, i) => {
    idx.set(x.idx, offsets[i]);
    val.set(x.val, offsets[i]);
    dense.set(x.dense, i * dims);
    norm2[i] = x.norm2;
  });
  return { count: xs.length, offsets, idx, val, dense, norm2 };
}

export function encodeNeighbourVectors(matrix: NeighbourMatrix, vectors: WordVectors): SerializedNeighbourVectors {
  const { count, offsets, idx, val, dense, norm2 } = matrix;
  return { vectors: fingerprintVectors(vectors), count, offsets: toBase64(offsets), idx: toBase64(idx), val: toBase64(val), dense: toBase64(dense), norm2: toBase64(norm2) };
}

/** The stored vectors, or undefined when they were made with other word vectors or do not fit. */
export function decodeNeighbourVectors(stored: SerializedNeighbourVectors | undefined, vectors: WordVectors, count: number): NeighbourMatrix | undefined {
  if (!stored || stored.count !== count || stored.vectors !== fingerprintVectors(vectors)) return undefined;
  const offsets = fromBase64(stored.offsets, (b, o, n) => new Int32Array(b, o, n), 4);
  const idx = fromBase64(stored.idx, (b, o, n) => new Int32Array(b, o, n), 4);
  const val = fromBase64(stored.val, (b, o, n) => new Float32Array(b, o, n), 4);
  const dense = fromBase64(stored.dense, (b, o, n) => new Float32Array(b, o, n), 4);
  const norm2 = fromBase64(stored.norm2, (b, o, n) => new Float64Array(b, o, n), 8);
  if (offsets.length !== count + 1 || dense.length !== count * vectors.dims || norm2.length !== count || offsets[count] !== idx.length || idx.length !== val.length) return undefined;
  return { count, offsets, idx, val, dense, norm2 };
}
