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
  /** Squared norm of the dense part before normalisation, when known (set by `vectoriseTokens` when the dense block is on). */
  rawDenseNorm2?: number;
}

export interface FeatureSpace {
  keys: string[];
  index: Map<string, number>;
  idf: Float32Array;
  block: Uint8Array;
  /** IDF given to a word never seen in training (the largest IDF). */
  maxIdf: number;
  /** Memo of per-token work for `vectoriseTokens` (bounded: cleared past 20,000 tokens and bigrams; reset when options or vectors change). */
  tokenMemo: TokenMemo;
  /** Memo of `featureWords` (one entry per feature at most). */
  words: (readonly string[] | undefined)[];
}

/** What one token contributes, in the order `countFeatures` and `addTokenVector` visit it. */
export interface TokenFeatures {
  /** Known sparse feature ids with their increments (word, concepts, character n-grams), in visiting order. */
  ids: number[];
  by: number[];
  /** Known sparse ids of the word and concepts come first: how many of `ids` precede the bigram. */
  beforeBigram: number;
  /** Word-vector rows and their scales, in the order `addTokenVector` adds them. */
  rows: number[];
  scales: number[];
  /**
   * The token's own dense vector (as `addTokenVector` into zeros), made on first use. (This field and
   * `gramIds` are there from the start, undefined: an object that gained them later would change
   * shape, and the loops reading these objects would see two shapes.)
   */
  own: Float32Array | undefined;
  /** `ids` from `beforeBigram` on (its character n-grams), made on first use. */
  gramIds: readonly number[] | undefined;
  /** Memo: feature id (or -1 when unknown) of the bigram of this token's lemma and the next token's. */
  bigrams: Map<TokenFeatures, number>;
  lemma: string;
  /** Feature id of the token's lemma (`w:` + lemma), -1 when unknown. */
  lemmaId: number;
  /** Its lexicon concepts (`findConcepts`). */
  concepts: readonly string[] | undefined;
}

interface TokenMemo {
  options: ModelOptions | undefined;
  vectors: WordVectors | undefined;
  /** norm -> lemma -> features. */
  byToken: Map<string, Map<string, TokenFeatures>>;
  size: number;
  /** Scratch for `vectoriseTokens` (all zero between calls). */
  counts: Float64Array;
  marks: Uint8Array;
  /** The arrays of the vector `vectoriseTokens` returns with `reuse` (grown as needed). */
  idx: Int32Array;
  val: Float32Array;
  dense: Float32Array;
  /** The tokens of the last `vectoriseTokens` call and what it found for each (see `findAllTokenParts`). */
  lastTokens: readonly Token[] | undefined;
  lastDescribed: TokenFeatures[];
  /** Scratch of `vectoriseTokens`: the note's word-vector rows (offsets into the data) and their scales. */
  rowBases: Int32Array;
  rowScales: Float64Array;
}

const TOKEN_MEMO_LIMIT = 20_000;

function blockOf(key: string): number {
  return key.charCodeAt(0) === 119 /* w */ ? BLOCK_WORD : key.charCodeAt(0) === 98 /* b */ ? BLOCK_BIGRAM : BLOCK_CHAR;
}

function bump(counts: Map<string, number>, key: string, by: number): void {
  counts.set(key, (counts.get(key) ?? 0) + by);
}

/**
 * The lexicon as a Map: a lookup in a plain object would find inherited properties ("constructor"
 * gives a function, which then broke the note), and a Map finds a missing word faster.
 */
const LEXICON = new Map<string, readonly string[]>(Object.entries(DOMAIN_LEXICON));

/** Lexicon concepts of a token, if any. */
export function findConcepts(token: Token): readonly string[] | undefined {
  return LEXICON.get(token.norm) ?? LEXICON.get(token.lemma);
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
  return {
    keys,
    index,
    idf: idfs,
    block,
    maxIdf,
    tokenMemo: { options: undefined, vectors: undefined, byToken: new Map(), size: 0, counts: new Float64Array(0), marks: new Uint8Array(0), idx: new Int32Array(0), val: new Float32Array(0), dense: new Float32Array(0), lastTokens: undefined, lastDescribed: [], rowBases: new Int32Array(0), rowScales: new Float64Array(0) },
    words: new Array<readonly string[] | undefined>(keys.length),
  };
}

/**
 * The words of feature `f` (its key without the block prefix), memoised: a word feature's word or
 * lexicon concept; a bigram's two lemmas (split at the space); a character n-gram as one string.
 */
export function featureWords(space: FeatureSpace, f: number): readonly string[] {
  let words = space.words[f];
  if (words === undefined) {
    const key = (space.keys[f] ?? '').slice(2);
    words = space.block[f] === BLOCK_BIGRAM ? key.split(' ') : [key];
    space.words[f] = words;
  }
  return words;
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
    addWeightedEntry(space, at, count, entries, blockNorm);
  }
  const { idx, val, norm2: sparseNorm2 } = scaleBlocks(space, options, entries, blockNorm);
  let norm2 = sparseNorm2;
  const dense = new Float32Array(vectors.dims);
  if (options.denseWeight > 0) {
    for (const token of raw.tokens) addTokenVector(space, vectors, token, options, dense);
    if (normaliseDense(dense, options) > 0) norm2 += options.denseWeight * options.denseWeight;
  }
  return { idx, val, dense, norm2 };
}

/** Appends feature `at`, seen `count` times, with its sublinear tf-idf weight; adds its square to its block's norm. */
function addWeightedEntry(space: FeatureSpace, at: number, count: number, entries: [number, number][], blockNorm: number[]): void {
  const value = weightOf(space, at, count);
  entries.push([at, value]);
  const b = space.block[at] ?? 0;
  blockNorm[b] = (blockNorm[b] ?? 0) + value * value;
}

/** Sublinear tf-idf weight of feature `at` seen `count` times. */
function weightOf(space: FeatureSpace, at: number, count: number): number {
  // Seen once (most features): (1 + log 1) x 1 x idf is the idf, exactly.
  if (count === 1) return space.idf[at] ?? 1;
  return (1 + Math.log(count > 1 ? count : 1)) * (count < 1 ? count : 1) * (space.idf[at] ?? 1);
}

/** Per block: its weight over the square root of its squared norm (0 for an empty block). */
function blockScales(options: ModelOptions, blockNorm: number[]): number[] {
  const blockWeight = [options.wordWeight, options.bigramWeight, options.charWeight];
  return blockNorm.map((n, b) => (n > 0 ? (blockWeight[b] ?? 0) / Math.sqrt(n) : 0));
}

/** The sorted sparse vector of weighted entries, each block scaled to unit norm times its weight; `norm2` is its squared length. */
function scaleBlocks(space: FeatureSpace, options: ModelOptions, entries: [number, number][], blockNorm: number[]): { idx: Int32Array; val: Float32Array; norm2: number } {
  entries.sort((a, b) => a[0] - b[0]);
  const scale = blockScales(options, blockNorm);
  const idx = new Int32Array(entries.length);
  const val = new Float32Array(entries.length);
  let norm2 = 0;
  for (let i = 0; i < entries.length; i++) {
    const [at, value] = entries[i] as [number, number];
    idx[i] = at;
    const v = value * (scale[space.block[at] ?? 0] ?? 0);
    val[i] = v;
    norm2 += v * v;
  }
  return { idx, val, norm2 };
}

/** Scales the summed word vectors in `dense` to length `denseWeight`, in place; returns the squared length before (0: left as is). */
function normaliseDense(dense: Float32Array, options: ModelOptions): number {
  let dn = 0;
  for (let d = 0; d < dense.length; d++) dn += (dense[d] as number) ** 2;
  if (dn > 0) {
    const f = options.denseWeight / Math.sqrt(dn);
    for (let d = 0; d < dense.length; d++) dense[d] = (dense[d] as number) * f;
  }
  return dn;
}

function describeToken(space: FeatureSpace, vectors: WordVectors, token: Token, options: ModelOptions): TokenFeatures {
  const ids: number[] = [];
  const by: number[] = [];
  const push = (key: string, amount: number) => {
    const at = space.index.get(key);
    if (at !== undefined) {
      ids.push(at);
      by.push(amount);
    }
  };
  push(`w:${token.lemma}`, 1);
  const concepts = findConcepts(token);
  if (concepts) for (const concept of concepts) push(`w:${concept}`, options.conceptWeight);
  const beforeBigram = ids.length;
  if (options.charWeight > 0) {
    const padded = ` ${token.norm} `;
    for (let n = options.charMin; n <= options.charMax; n++) {
      for (let s = 0; s + n <= padded.length; s++) push(`c:${padded.slice(s, s + n)}`, 1);
    }
  }
  const rows: number[] = [];
  const scales: number[] = [];
  const addWord = (word: string, weight: number): boolean => {
    const row = vectors.index.get(word);
    if (row === undefined) return false;
    rows.push(row);
    scales.push((vectors.scales[row] ?? 0) * weight);
    return true;
  };
  const at = space.index.get(`w:${token.lemma}`);
  const weight = at === undefined ? space.maxIdf * options.unseenWordWeight : (space.idf[at] ?? 1);
  if (concepts) {
    const share = (weight * options.conceptWeight) / concepts.length;
    for (const concept of concepts) addWord(concept, share);
  }
  if (token.norm !== 'it_dept') {
    if (!addWord(token.norm, weight) && token.lemma !== token.norm) addWord(token.lemma, weight);
  }
  const lemmaId = space.index.get(`w:${token.lemma}`) ?? -1;
  return { ids, by, beforeBigram, rows, scales, own: undefined, gramIds: undefined, bigrams: new Map(), lemma: token.lemma, lemmaId, concepts };
}

/** What `findTokenParts` gives: a token's known character n-gram ids and its own dense vector. */
export interface TokenParts {
  readonly gramIds: readonly number[];
  readonly own: Float32Array;
}

/**
 * Known character n-gram feature ids of a token (with repeats, in order) and its own dense vector;
 * memoised. The memo entry itself is returned (no object per call: the explanation asks for every
 * token of every note).
 */
export function findTokenParts(space: FeatureSpace, vectors: WordVectors, token: Token, options: ModelOptions): TokenParts {
  const info = findTokenFeatures(space, vectors, token, options);
  if (!info.own) {
    info.own = new Float32Array(vectors.dims);
    addTokenVectorMemo(space, vectors, token, options, info.own);
  }
  info.gramIds ??= info.ids.slice(info.beforeBigram);
  return info as TokenFeatures & TokenParts;
}

/**
 * `findTokenParts` of each of `tokens`, as the memo entries (with `lemmaId` and `concepts`). When
 * `tokens` are those the last `vectoriseTokens` call of the space vectorised (the note being
 * explained), its entries are taken as they are instead of being looked up again.
 */
export function findAllTokenParts(space: FeatureSpace, vectors: WordVectors, tokens: readonly Token[], options: ModelOptions): (TokenFeatures & TokenParts)[] {
  const memo = space.tokenMemo;
  const reuse = memo.lastTokens === tokens && memo.options === options && memo.vectors === vectors && memo.lastDescribed.length === tokens.length;
  const out: (TokenFeatures & TokenParts)[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    const last = reuse ? memo.lastDescribed[i] : undefined;
    const info = last && last.lemma === token.lemma ? last : findTokenFeatures(space, vectors, token, options);
    if (!info.own) {
      info.own = new Float32Array(vectors.dims);
      addTokenVectorMemo(space, vectors, token, options, info.own);
    }
    info.gramIds ??= info.ids.slice(info.beforeBigram);
    out.push(info as TokenFeatures & TokenParts);
  }
  return out;
}

function findTokenFeatures(space: FeatureSpace, vectors: WordVectors, token: Token, options: ModelOptions): TokenFeatures {
  const memo = space.tokenMemo;
  if (memo.options !== options || memo.vectors !== vectors) {
    memo.options = options;
    memo.vectors = vectors;
    memo.byToken.clear();
    memo.size = 0;
  }
  let byLemma = memo.byToken.get(token.norm);
  let found = byLemma?.get(token.lemma);
  if (!found) {
    found = describeToken(space, vectors, token, options);
    if (memo.size >= TOKEN_MEMO_LIMIT) {
      memo.byToken.clear();
      memo.size = 0;
      byLemma = undefined;
    }
    if (!byLemma) memo.byToken.set(token.norm, (byLemma = new Map()));
    byLemma.set(token.lemma, found);
    memo.size++;
  }
  return found;
}

/** Same effect on `into` as `addTokenVector`, with the token's lookups memoised in the space. */
export function addTokenVectorMemo(space: FeatureSpace, vectors: WordVectors, token: Token, options: ModelOptions, into: Float32Array): void {
  const info = findTokenFeatures(space, vectors, token, options);
  const dims = vectors.dims;
  const data = vectors.data;
  for (let r = 0; r < info.rows.length; r++) {
    const base = (info.rows[r] as number) * dims;
    const s = info.scales[r] as number;
    for (let d = 0; d < dims; d++) into[d] = (into[d] as number) + (data[base + d] as number) * s;
  }
}

/** Counts `by` more of feature `at`; records `at` in `seen` on its first count. */
function bumpId(counts: Float64Array, marks: Uint8Array, seen: number[], at: number, by: number): void {
  if (marks[at] === 0) {
    marks[at] = 1;
    seen.push(at);
  }
  counts[at] = (counts[at] as number) + by;
}

/** `buffer` when it holds `n` values, else a new one of twice the length needed. */
function grow<T extends Int32Array | Float32Array>(buffer: T, n: number, make: (length: number) => T): T {
  return buffer.length >= n ? buffer : make(Math.max(64, 2 * n));
}

/**
 * Same result as `vectorise(space, vectors, countFeatures(analysed, options), options)`,
 * bit for bit (same summation orders), with per-token work memoised in the space.
 * With `reuse`, the vector's arrays belong to the space and the next call with `reuse` overwrites
 * them (a typed array costs more to allocate than to fill): for a vector used once and dropped.
 */
export function vectoriseTokens(space: FeatureSpace, vectors: WordVectors, analysed: AnalysedText, options: ModelOptions, reuse = false): FeatureVector {
  const memo = space.tokenMemo;
  if (memo.counts.length !== space.keys.length) {
    memo.counts = new Float64Array(space.keys.length);
    memo.marks = new Uint8Array(space.keys.length);
  }
  // Counts by id plus the ids in first-seen order: the order a Map of keys iterates in.
  const { counts, marks } = memo;
  const seen: number[] = [];
  const { tokens } = analysed;
  const described: TokenFeatures[] = [];
  for (let i = 0; i < tokens.length; i++) described.push(findTokenFeatures(space, vectors, tokens[i] as Token, options));
  memo.lastTokens = tokens;
  memo.lastDescribed = described;
  for (let i = 0; i < described.length; i++) {
    const info = described[i] as TokenFeatures;
    const { ids, by } = info;
    for (let k = 0; k < info.beforeBigram; k++) bumpId(counts, marks, seen, ids[k] as number, by[k] as number);
    const next = described[i + 1];
    if (next) {
      let at = info.bigrams.get(next);
      if (at === undefined) {
        at = space.index.get(`b:${info.lemma} ${next.lemma}`) ?? -1;
        info.bigrams.set(next, at);
        memo.size++;
      }
      if (at >= 0) bumpId(counts, marks, seen, at, 1);
    }
    for (let k = info.beforeBigram; k < ids.length; k++) bumpId(counts, marks, seen, ids[k] as number, by[k] as number);
  }
  // Each count becomes its weighted value in place (block norms summed in first-seen order, as
  // `vectorise` does); then the ids are sorted as a typed array, with no tuple per entry.
  const blockNorm = [0, 0, 0];
  for (const at of seen) {
    const value = weightOf(space, at, counts[at] as number);
    counts[at] = value;
    const b = space.block[at] ?? 0;
    blockNorm[b] = (blockNorm[b] ?? 0) + value * value;
  }
  let idx: Int32Array;
  let val: Float32Array;
  if (reuse) {
    memo.idx = grow(memo.idx, seen.length, (n) => new Int32Array(n));
    memo.val = grow(memo.val, seen.length, (n) => new Float32Array(n));
    idx = memo.idx.subarray(0, seen.length);
    val = memo.val.subarray(0, seen.length);
    idx.set(seen);
    idx.sort();
  } else {
    idx = Int32Array.from(seen).sort();
    val = new Float32Array(idx.length);
  }
  const scale = blockScales(options, blockNorm);
  let sparseNorm2 = 0;
  for (let i = 0; i < idx.length; i++) {
    const at = idx[i] as number;
    const v = (counts[at] as number) * (scale[space.block[at] ?? 0] ?? 0);
    counts[at] = 0;
    marks[at] = 0;
    val[i] = v;
    sparseNorm2 += v * v;
  }
  let norm2 = sparseNorm2;
  const dims = vectors.dims;
  let dense: Float32Array;
  if (reuse) {
    if (memo.dense.length !== dims) memo.dense = new Float32Array(dims);
    dense = memo.dense.fill(0);
  } else dense = new Float32Array(dims);
  if (options.denseWeight > 0) {
    // Every word vector of every token, in order, added dimension by dimension: each dimension's sum
    // stays in a register (rounded to float32 after each addition, as storing it in `dense` would)
    // instead of being loaded and stored once per word vector. Same additions in the same order.
    const data = vectors.data;
    let rows = 0;
    for (const info of described) rows += info.rows.length;
    if (memo.rowBases.length < rows) {
      memo.rowBases = new Int32Array(Math.max(64, 2 * rows));
      memo.rowScales = new Float64Array(Math.max(64, 2 * rows));
    }
    const { rowBases, rowScales } = memo;
    let k = 0;
    for (const info of described) {
      for (let r = 0; r < info.rows.length; r++) {
        rowBases[k] = (info.rows[r] as number) * dims;
        rowScales[k++] = info.scales[r] as number;
      }
    }
    // Four dimensions a pass (four separate sums, so each dimension's additions are as before): each
    // row's offset and scale is read once per four dimensions instead of once per dimension.
    let d = 0;
    for (; d + 4 <= dims; d += 4) {
      let s0 = dense[d] as number;
      let s1 = dense[d + 1] as number;
      let s2 = dense[d + 2] as number;
      let s3 = dense[d + 3] as number;
      for (let r = 0; r < rows; r++) {
        const at = (rowBases[r] as number) + d;
        const scale = rowScales[r] as number;
        s0 = Math.fround(s0 + (data[at] as number) * scale);
        s1 = Math.fround(s1 + (data[at + 1] as number) * scale);
        s2 = Math.fround(s2 + (data[at + 2] as number) * scale);
        s3 = Math.fround(s3 + (data[at + 3] as number) * scale);
      }
      dense[d] = s0;
      dense[d + 1] = s1;
      dense[d + 2] = s2;
      dense[d + 3] = s3;
    }
    for (; d < dims; d++) {
      let sum = dense[d] as number;
      for (let r = 0; r < rows; r++) sum = Math.fround(sum + (data[(rowBases[r] as number) + d] as number) * (rowScales[r] as number));
      dense[d] = sum;
    }
    const dn = normaliseDense(dense, options);
    if (dn > 0) norm2 += options.denseWeight * options.denseWeight;
    return { idx, val, dense, norm2, rawDenseNorm2: dn };
  }
  return { idx, val, dense, norm2 };
}

/**
 * `cosineSimilarity(a, b)` for each `b` of `bs`, bit for bit (the sparse products are added in
 * feature order, as the merge does), with `a`'s sparse part spread over the space's scratch arrays
 * instead of merged with each `b` (vectors of `space`).
 */
export function cosineSimilarities(space: FeatureSpace, a: FeatureVector, bs: readonly FeatureVector[]): number[] {
  const memo = space.tokenMemo;
  if (memo.counts.length !== space.keys.length) {
    memo.counts = new Float64Array(space.keys.length);
    memo.marks = new Uint8Array(space.keys.length);
  }
  const { counts, marks } = memo;
  const out: number[] = [];
  if (a.norm2 === 0) {
    for (let k = 0; k < bs.length; k++) out.push(0);
    return out;
  }
  // `a` spread over the scratch arrays, then each `b`'s features looked up in them, in feature order (the
  // order a merge of the sorted ids adds the common features in). Even for a code's few definition
  // sentences this is about twice as fast as the merge it replaced, whose branches the processor
  // cannot predict.
  addSparseDots(counts, marks, a, bs, out);
  return finishCosines(a, bs, out);
}

/** Pushes onto `out` the sparse dot product of `a` with each of `bs`, `a` spread over the scratch arrays `counts` and `marks` (all zero before and after). */
function addSparseDots(counts: Float64Array, marks: Uint8Array, a: FeatureVector, bs: readonly FeatureVector[], out: number[]): void {
  for (let i = 0; i < a.idx.length; i++) {
    counts[a.idx[i] as number] = a.val[i] as number;
    marks[a.idx[i] as number] = 1;
  }
  try {
    for (const b of bs) {
      let dot = 0;
      for (let j = 0; j < b.idx.length; j++) {
        const f = b.idx[j] as number;
        if (marks[f] === 1) dot += (counts[f] as number) * (b.val[j] as number);
      }
      out.push(dot);
    }
  } finally {
    for (let i = 0; i < a.idx.length; i++) {
      counts[a.idx[i] as number] = 0;
      marks[a.idx[i] as number] = 0;
    }
  }
}

/** Adds the dense dot products to the sparse ones in `out` and divides by the norms: the cosines. */
function finishCosines(a: FeatureVector, bs: readonly FeatureVector[], out: number[]): number[] {
  // The dense parts, four vectors at a time (each sum its own chain, in dimension order).
  const ad = a.dense;
  const dims = ad.length;
  let k = 0;
  for (; k + 4 <= bs.length; k += 4) {
    const b0 = (bs[k] as FeatureVector).dense;
    const b1 = (bs[k + 1] as FeatureVector).dense;
    const b2 = (bs[k + 2] as FeatureVector).dense;
    const b3 = (bs[k + 3] as FeatureVector).dense;
    let s0 = out[k] as number;
    let s1 = out[k + 1] as number;
    let s2 = out[k + 2] as number;
    let s3 = out[k + 3] as number;
    for (let d = 0; d < dims; d++) {
      const v = ad[d] as number;
      s0 += v * (b0[d] as number);
      s1 += v * (b1[d] as number);
      s2 += v * (b2[d] as number);
      s3 += v * (b3[d] as number);
    }
    out[k] = s0;
    out[k + 1] = s1;
    out[k + 2] = s2;
    out[k + 3] = s3;
  }
  for (; k < bs.length; k++) {
    const bd = (bs[k] as FeatureVector).dense;
    let dot = out[k] as number;
    for (let d = 0; d < dims; d++) dot += (ad[d] as number) * (bd[d] as number);
    out[k] = dot;
  }
  for (let j = 0; j < bs.length; j++) {
    const b = bs[j] as FeatureVector;
    out[j] = b.norm2 === 0 ? 0 : (out[j] as number) / Math.sqrt(a.norm2 * b.norm2);
  }
  return out;
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
