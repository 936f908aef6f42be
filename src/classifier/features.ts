/**
 * Feature extraction: lemma unigrams, lemma bigrams, character n-grams (each block
 * tf-idf weighted and L2-normalised) and a dense IDF-weighted mean of word vectors
 * with domain-lexicon concepts. Pure.
 */
import { DOMAIN_LEXICON } from './lexicon.js';
import type { AnalysedText, Token } from './tokenize.js';
import type { ModelOptions } from './types.js';
import { addWordVector, type WordVectors } from './vectors.js';

export const BLOCK_WORD = 0;
export const BLOCK_BIGRAM = 1;
export const BLOCK_CHAR = 2;

/** Raw counts of a text's sparse feature keys, plus what the dense part needs. */
export interface RawFeatures {
  counts: Map<string, number>;
  tokens: Token[];
}

/** A vectorised text: sparse part (sorted indices into the feature space) and dense part. */
export interface FeatureVector {
  idx: Int32Array;
  val: Float32Array;
  dense: Float32Array;
  /** Squared norm of the whole vector (sparse and dense). */
  norm2: number;
}

export interface FeatureSpace {
  keys: string[];
  index: Map<string, number>;
  idf: Float32Array;
  block: Uint8Array;
  /** IDF given to a word never seen in training (the largest IDF). */
  maxIdf: number;
}

function blockOf(key: string): number {
  return key.charCodeAt(0) === 119 /* w */ ? BLOCK_WORD : key.charCodeAt(0) === 98 /* b */ ? BLOCK_BIGRAM : BLOCK_CHAR;
}

function bump(counts: Map<string, number>, key: string, by: number): void {
  counts.set(key, (counts.get(key) ?? 0) + by);
}

/** Lexicon concepts of a token, if any. */
export function findConcepts(token: Token): readonly string[] | undefined {
  return DOMAIN_LEXICON[token.norm] ?? DOMAIN_LEXICON[token.lemma];
}

/** Counts the sparse feature keys of an analysed text. Never throws. */
export function countFeatures(analysed: AnalysedText, options: ModelOptions): RawFeatures {
  const counts = new Map<string, number>();
  const { tokens } = analysed;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    bump(counts, `w:${token.lemma}`, 1);
    const concepts = findConcepts(token);
    if (concepts) for (const concept of concepts) bump(counts, `w:${concept}`, options.conceptWeight);
    const next = tokens[i + 1];
    if (next) bump(counts, `b:${token.lemma} ${next.lemma}`, 1);
    if (options.charWeight > 0) {
      const padded = ` ${token.norm} `;
      for (let n = options.charMin; n <= options.charMax; n++) {
        for (let s = 0; s + n <= padded.length; s++) bump(counts, `c:${padded.slice(s, s + n)}`, 1);
      }
    }
  }
  return { counts, tokens };
}

/** Builds the feature space from training texts' raw features: IDF over documents. */
export function buildFeatureSpace(docs: RawFeatures[], minCharDf: number): FeatureSpace {
  const df = new Map<string, number>();
  for (const doc of docs) for (const key of doc.counts.keys()) df.set(key, (df.get(key) ?? 0) + 1);
  const keys = [...df.keys()].filter((k) => blockOf(k) !== BLOCK_CHAR || (df.get(k) ?? 0) >= minCharDf).sort();
  return createFeatureSpace(
    keys,
    keys.map((k) => Math.log((docs.length + 1) / ((df.get(k) ?? 0) + 1)) + 1),
  );
}

/** Rebuilds a feature space from its serialised keys and IDFs. */
export function createFeatureSpace(keys: string[], idf: ArrayLike<number>): FeatureSpace {
  const index = new Map<string, number>();
  const block = new Uint8Array(keys.length);
  const idfs = new Float32Array(keys.length);
  let maxIdf = 1;
  keys.forEach((key, i) => {
    index.set(key, i);
    block[i] = blockOf(key);
    idfs[i] = idf[i] ?? 1;
    maxIdf = Math.max(maxIdf, idfs[i] ?? 1);
  });
  return { keys, index, idf: idfs, block, maxIdf };
}

/** Per-token dense weights (IDF of the lemma) and the vector each token contributes, for explanations too. */
export function addTokenVector(space: FeatureSpace, vectors: WordVectors, token: Token, options: ModelOptions, into: Float32Array): number {
  const at = space.index.get(`w:${token.lemma}`);
  const weight = at === undefined ? space.maxIdf * options.unseenWordWeight : (space.idf[at] ?? 1);
  let found = 0;
  const concepts = findConcepts(token);
  if (concepts) {
    const share = (weight * options.conceptWeight) / concepts.length;
    for (const concept of concepts) if (addWordVector(vectors, concept, share, into)) found += share;
  }
  if (token.norm !== 'it_dept') {
    if (addWordVector(vectors, token.norm, weight, into) || (token.lemma !== token.norm && addWordVector(vectors, token.lemma, weight, into))) found += weight;
  }
  return found;
}

/** Turns raw features into a weighted, normalised feature vector in `space`. */
export function vectorise(space: FeatureSpace, vectors: WordVectors, raw: RawFeatures, options: ModelOptions): FeatureVector {
  const entries: [number, number][] = [];
  const blockNorm = [0, 0, 0];
  for (const [key, count] of raw.counts) {
    const at = space.index.get(key);
    if (at === undefined) continue;
    const value = (1 + Math.log(count > 1 ? count : 1)) * (count < 1 ? count : 1) * (space.idf[at] ?? 1);
    entries.push([at, value]);
    const b = space.block[at] ?? 0;
    blockNorm[b] = (blockNorm[b] ?? 0) + value * value;
  }
  entries.sort((a, b) => a[0] - b[0]);
  const blockWeight = [options.wordWeight, options.bigramWeight, options.charWeight];
  const scale = blockNorm.map((n, b) => (n > 0 ? (blockWeight[b] ?? 0) / Math.sqrt(n) : 0));
  const idx = new Int32Array(entries.length);
  const val = new Float32Array(entries.length);
  let norm2 = 0;
  entries.forEach(([at, value], i) => {
    idx[i] = at;
    const v = value * (scale[space.block[at] ?? 0] ?? 0);
    val[i] = v;
    norm2 += v * v;
  });
  const dense = new Float32Array(vectors.dims);
  if (options.denseWeight > 0) {
    for (const token of raw.tokens) addTokenVector(space, vectors, token, options, dense);
    let dn = 0;
    for (let d = 0; d < dense.length; d++) dn += (dense[d] ?? 0) ** 2;
    if (dn > 0) {
      const f = options.denseWeight / Math.sqrt(dn);
      for (let d = 0; d < dense.length; d++) dense[d] = (dense[d] ?? 0) * f;
      norm2 += options.denseWeight * options.denseWeight;
    }
  }
  return { idx, val, dense, norm2 };
}

/** Cosine similarity of two feature vectors; 0 when either is empty. */
export function cosineSimilarity(a: FeatureVector, b: FeatureVector): number {
  if (a.norm2 === 0 || b.norm2 === 0) return 0;
  let dot = 0;
  let i = 0;
  let j = 0;
  while (i < a.idx.length && j < b.idx.length) {
    const ai = a.idx[i] as number;
    const bj = b.idx[j] as number;
    if (ai === bj) dot += (a.val[i++] as number) * (b.val[j++] as number);
    else if (ai < bj) i++;
    else j++;
  }
  for (let d = 0; d < a.dense.length; d++) dot += (a.dense[d] as number) * (b.dense[d] as number);
  return dot / Math.sqrt(a.norm2 * b.norm2);
}
