/**
 * Compact word vectors: unit-length vectors quantised to int8 with one scale
 * per vector, plus the word list. Pure: bytes in, bytes out.
 *
 * Binary layout (little endian): magic `UBV1` (4 bytes), dims (u32), count (u32),
 * scales (count x f32), data (count x dims x i8), then the words as UTF-8 joined by `\n`.
 */
import { AppError } from '../lib/index.js';

export interface WordVectors {
  dims: number;
  /** Word -> row. Words are stored lower-case. */
  index: Map<string, number>;
  /** Row of each word in the source's frequency order (0 = most frequent). */
  ranks: Uint32Array;
  scales: Float32Array;
  data: Int8Array;
}

const MAGIC = 0x31564255; // "UBV1" little endian

/** Encodes `entries` (word, vector, frequency rank) into the binary layout above. */
export function encodeVectors(entries: { word: string; vector: ArrayLike<number>; rank: number }[], dims: number): Uint8Array {
  const count = entries.length;
  const words = new TextEncoder().encode(entries.map((e) => e.word).join('\n'));
  const headerBytes = 12;
  const scaleBytes = count * 4;
  const rankBytes = count * 4;
  const out = new Uint8Array(headerBytes + scaleBytes + rankBytes + count * dims + words.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, dims, true);
  view.setUint32(8, count, true);
  entries.forEach((entry, row) => {
    let norm = 0;
    for (let d = 0; d < dims; d++) norm += (entry.vector[d] ?? 0) ** 2;
    norm = Math.sqrt(norm) || 1;
    let max = 0;
    for (let d = 0; d < dims; d++) max = Math.max(max, Math.abs((entry.vector[d] ?? 0) / norm));
    const scale = max / 127 || 1;
    view.setFloat32(headerBytes + row * 4, scale, true);
    view.setUint32(headerBytes + scaleBytes + row * 4, entry.rank, true);
    const base = headerBytes + scaleBytes + rankBytes + row * dims;
    for (let d = 0; d < dims; d++) view.setInt8(base + d, Math.round((entry.vector[d] ?? 0) / norm / scale));
  });
  out.set(words, headerBytes + scaleBytes + rankBytes + count * dims);
  return out;
}

/** Decodes the binary layout; throws AppError(INTERNAL) when the bytes are not a vectors file. */
export function decodeVectors(bytes: Uint8Array): WordVectors {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 12 || view.getUint32(0, true) !== MAGIC) {
    throw new AppError('INTERNAL', 'The word-vector asset is damaged or missing; run `npm run build` to rebuild it.');
  }
  const dims = view.getUint32(4, true);
  const count = view.getUint32(8, true);
  const scaleStart = 12;
  const rankStart = scaleStart + count * 4;
  const dataStart = rankStart + count * 4;
  const wordStart = dataStart + count * dims;
  const scales = new Float32Array(count);
  const ranks = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    scales[i] = view.getFloat32(scaleStart + i * 4, true);
    ranks[i] = view.getUint32(rankStart + i * 4, true);
  }
  const data = new Int8Array(bytes.buffer, bytes.byteOffset + dataStart, count * dims);
  const words = new TextDecoder().decode(bytes.subarray(wordStart)).split('\n');
  const index = new Map<string, number>();
  words.forEach((w, i) => index.set(w, i));
  return { dims, index, ranks, scales, data };
}

/** Adds `weight` x the unit vector of `word` into `into`; returns false when the word is unknown. */
export function addWordVector(vectors: WordVectors, word: string, weight: number, into: Float32Array): boolean {
  const row = vectors.index.get(word);
  if (row === undefined) return false;
  const scale = (vectors.scales[row] ?? 0) * weight;
  const base = row * vectors.dims;
  for (let d = 0; d < vectors.dims; d++) into[d] = (into[d] ?? 0) + (vectors.data[base + d] ?? 0) * scale;
  return true;
}

/** Frequency rank of `word` in the source embedding (0 = most frequent), or undefined when unknown. */
export function findWordRank(vectors: WordVectors, word: string): number | undefined {
  const row = vectors.index.get(word);
  return row === undefined ? undefined : vectors.ranks[row];
}

/** An empty vector set (every word unknown): the classifier then runs on sparse features only. */
export function createEmptyVectors(dims = 100): WordVectors {
  return { dims, index: new Map(), ranks: new Uint32Array(0), scales: new Float32Array(0), data: new Int8Array(0) };
}
