/**
 * Training, serialisation and scoring of the model: logistic regression on
 * sparse + dense features, plus nearest-example cosine similarity, with a
 * temperature fitted on cross-validation folds. Pure and deterministic.
 */
import { computeEce, fitTemperature } from './calibration.js';
import { collectTrainingData, splitSentences, mentionsAny, type TrainingData } from './examples.js';
import { buildFeatureSpace, countFeatures, createFeatureSpace, vectorise, vectoriseTokens, type FeatureSpace, type FeatureVector } from './features.js';
import { createDenseScanner, createSparseScanner, type DenseScanner, type SparseScanner } from './dense-scan.js';
import { computeLogits, softmaxInPlace, trainLinearModel, type LinearModel, type TrainRow } from './logreg.js';
import { analyseText, type AnalysedText, type Token } from './tokenize.js';
import { decodeNeighbourVectors, encodeNeighbourVectors, toNeighbourMatrix, type NeighbourMatrix } from './neighbour-cache.js';
import { DOMAIN_LEXICON } from './lexicon.js';
import type { CrossValidationSummary, Model, ModelOptions, SerializedModel, TrainingExample, TrainingPlaybook } from './types.js';
import type { WordVectors } from './vectors.js';
import { createRandom, fnv1a } from '../lib/index.js';

/**
 * Identifies what the trainer does beyond the page set: a revision bumped by hand when features,
 * training or what a model keeps from the pages (4: the questions to ask; 5: a page defining a code
 * already defined in another letter case trains it in full) change, and a hash of the domain lexicon (whose concepts are features). A cached model
 * from another trainer is trained again instead of being used with features it was not trained on.
 */
export const TRAINER_VERSION = `5-${fnv1a((mix) => {
  const text = JSON.stringify(DOMAIN_LEXICON);
  for (let i = 0; i < text.length; i++) mix(text.charCodeAt(i));
})}`;

export const DEFAULT_OPTIONS: ModelOptions = {
  wordWeight: 1,
  bigramWeight: 0.5,
  charWeight: 0.7,
  denseWeight: 1,
  charMin: 4,
  charMax: 4,
  conceptWeight: 0.5,
  unseenWordWeight: 1,
  l2: 1e-4,
  iterations: 80,
  learningRate: 0.1,
  knnWeight: 3,
  centroidWeight: 5,
  invalidWeight: 1,
  hardNegativeWeight: 0.5,
  definitionWeight: 0.5,
  questionWeight: 0.2,
  minConfidence: 0.4,
  minMargin: 0.1,
  folds: 5,
  seed: 7,
};

/** The prepared, in-memory form of a fitted model (used by classify and evaluation). */
export interface Core {
  options: ModelOptions;
  classes: number;
  space: FeatureSpace;
  linear: LinearModel;
  vectors: WordVectors;
  /** Examples used for nearest-example similarity (valid and invalid, with a positive code). */
  neighbours: { example: TrainingExample }[];
  /** Their vectors, as flat arrays in the same order (stored in model.json). */
  matrix: NeighbourMatrix;
  /** Sparse dot products of a note with every neighbour, over an inverted index (the neighbours holding each feature, with their values). */
  sparseScan: SparseScanner;
  /** Dot products of a dense part with every neighbour's dense part. */
  denseScan: DenseScanner;
  norms: Float32Array;
  /** Code of each neighbour (same order as `neighbours`). */
  neighbourCodes: Int32Array;
  /** Similarities of the note being classified to every neighbour (see `computeProbabilities`): one array, reused. */
  similarities: Float32Array;
  /** Logits of the note being classified (see `computeProbabilities`), and the best similarity per class (scratch of `computeScores`). */
  logits: Float64Array;
  bestSimilarity: Float64Array;
}

/**
 * Vectorises a text in a core's feature space; `known` holds texts already analysed. With `reuse`,
 * the vector is overwritten by the next call with `reuse` (see `vectoriseTokens`).
 */
export function vectoriseText(
  space: FeatureSpace,
  vectors: WordVectors,
  text: string,
  options: ModelOptions,
  known?: { get(text: string): AnalysedText | undefined },
  reuse = false,
): { x: FeatureVector; tokens: AnalysedText } {
  const analysed = known?.get(text) ?? analyseText(text);
  return { x: vectoriseTokens(space, vectors, analysed, options, reuse), tokens: analysed };
}

/** Compact text form of analysed tokens: `norm` or `norm/lemma`, space-separated. */
export function encodeTokens(analysed: AnalysedText): string {
  return analysed.tokens.map((t) => (t.lemma === t.norm ? t.norm : `${t.norm}/${t.lemma}`)).join(' ');
}

function decodeTokens(encoded: string): AnalysedText {
  const tokens: Token[] = encoded === '' ? [] : encoded.split(' ').map((part) => {
    const at = part.indexOf('/', 1);
    return at < 0 ? { norm: part, lemma: part } : { norm: part.slice(0, at), lemma: part.slice(at + 1) };
  });
  return { tokens, wordCount: tokens.length };
}

/** Float32 little-endian base64 of `values`. */
export function encodeFloats(values: ArrayLike<number>): string {
  return Buffer.from(Float32Array.from(values).buffer).toString('base64');
}

function decodeFloats(encoded: string): Float64Array {
  const bytes = Buffer.from(encoded, 'base64');
  const floats = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  return Float64Array.from(floats);
}

type NeighbourIndex = Pick<Core, 'sparseScan' | 'denseScan' | 'norms' | 'neighbourCodes' | 'similarities' | 'logits' | 'bestSimilarity'>;

function buildNeighbourIndex(core: Omit<Core, keyof NeighbourIndex>): NeighbourIndex {
  // The sparse part as one CSR matrix by feature (a counting sort in two passes: for each feature, the
  // examples that hold it in increasing order), straight from the flat per-example arrays.
  const { offsets, idx: exampleIdx, val: exampleVal, dense, norm2 } = core.matrix;
  const n = core.neighbours.length;
  const features = core.space.keys.length;
  const norms = new Float32Array(n);
  const starts = new Int32Array(features + 1);
  for (let i = 0; i < exampleIdx.length; i++) starts[(exampleIdx[i] as number) + 1] = (starts[(exampleIdx[i] as number) + 1] as number) + 1;
  for (let f = 0; f < features; f++) starts[f + 1] = (starts[f + 1] as number) + (starts[f] as number);
  const ids = new Int32Array(starts[features] as number);
  const vals = new Float32Array(starts[features] as number);
  const next = starts.slice(0, features);
  for (let e = 0; e < n; e++) {
    for (let i = offsets[e] as number; i < (offsets[e + 1] as number); i++) {
      const f = exampleIdx[i] as number;
      const at = next[f] as number;
      next[f] = at + 1;
      ids[at] = e;
      vals[at] = exampleVal[i] as number;
    }
    norms[e] = Math.sqrt(norm2[e] as number);
  }
  const neighbourCodes = Int32Array.from(core.neighbours, ({ example }) => example.code);
  return {
    sparseScan: createSparseScanner(starts, ids, vals, n),
    denseScan: createDenseScanner(dense, n, core.vectors.dims),
    norms,
    neighbourCodes,
    similarities: new Float32Array(n),
    logits: new Float64Array(core.classes),
    bestSimilarity: new Float64Array(core.classes),
  };
}

/**
 * What a pass over the similarities finds besides them: the best similarity per code (0 when none is
 * positive) and the indices of the `k` most similar neighbours, most similar first (ties: lower index
 * first). `computeNeighbourSimilarities` fills it while it writes the similarities.
 */
export interface NeighbourSummary {
  k: number;
  best: Float64Array;
  nearest: number[];
}

/**
 * Puts neighbour `e`, of similarity `s`, into `nearest` (their similarities in `values`) after every
 * one at least as similar; the last one drops out past `k`.
 */
function insertNearest(nearest: number[], values: number[], k: number, e: number, s: number): void {
  let at = nearest.length;
  while (at > 0 && s > (values[at - 1] as number)) at--;
  if (at >= k) return;
  let last = nearest.length;
  if (last === k) last--;
  else {
    nearest.push(e);
    values.push(s);
  }
  for (let j = last; j > at; j--) {
    nearest[j] = nearest[j - 1] as number;
    values[j] = values[j - 1] as number;
  }
  nearest[at] = e;
  values[at] = s;
}

/** Fills `summary` from the similarities `sims`, in one pass. */
function summarise(sims: Float32Array, codes: Int32Array, summary: NeighbourSummary): void {
  const { best, nearest, k } = summary;
  best.fill(0);
  nearest.length = 0;
  const values: number[] = [];
  let floor = Infinity;
  for (let e = 0; e < sims.length; e++) {
    const s = sims[e] as number;
    const code = codes[e] as number;
    if (code >= 0 && s > (best[code] as number)) best[code] = s;
    // Once `k` are found, only a value above the last of them can get in (a NaN is tried too, and stays out).
    if (nearest.length < k || !(s <= floor)) {
      insertNearest(nearest, values, k, e, s);
      if (nearest.length === k) floor = values[k - 1] as number;
    }
  }
}

/**
 * Cosine similarity of `x` to every neighbour, written into `into` (every element) when given, else
 * into a new array (allocating the array costs more than filling it, hence `into`). With `summary`,
 * also the best similarity per code and the nearest neighbours.
 */
export function computeNeighbourSimilarities(core: Core, x: FeatureVector, into?: Float32Array, summary?: NeighbourSummary): Float32Array {
  const n = core.neighbours.length;
  const sims = into ?? new Float32Array(n);
  if (x.norm2 === 0) {
    if (into) sims.fill(0);
    if (summary) summarise(sims, core.neighbourCodes, summary);
    return sims;
  }
  // Sparse dot products (float64 sums, set back to zero by the loop below), then the dense ones.
  const acc = core.sparseScan.scan(x.idx, x.val);
  const xn = Math.sqrt(x.norm2);
  const dots = core.denseScan.scan(x.dense);
  const norms = core.norms;
  for (let e = 0; e < n; e++) {
    const norm = (norms[e] as number) * xn;
    sims[e] = norm > 0 ? ((acc[e] as number) + (dots[e] as number)) / norm : 0;
    acc[e] = 0;
  }
  if (summary) summarise(sims, core.neighbourCodes, summary);
  return sims;
}

/**
 * Uncalibrated logits: logistic regression plus `knnWeight` x the best similarity per class; into
 * `into` when given, else a new array. `best` (from a `NeighbourSummary` of `sims`) saves a pass.
 */
export function computeScores(core: Core, x: FeatureVector, sims: Float32Array, into?: Float64Array, best?: Float64Array): Float64Array {
  const z = into ?? new Float64Array(core.classes);
  computeLogits(core.linear, x, z);
  if (core.options.knnWeight > 0) {
    if (!best) {
      best = core.bestSimilarity.fill(0);
      const codes = core.neighbourCodes;
      for (let n = 0; n < codes.length; n++) {
        const code = codes[n] as number;
        const s = sims[n] as number;
        if (code >= 0 && s > (best[code] as number)) best[code] = s;
      }
    }
    for (let c = 0; c < core.classes; c++) z[c] = (z[c] as number) + core.options.knnWeight * (best[c] as number);
  }
  return z;
}

/** Fits feature space, linear model and neighbour index on `examples`. */
export function fitCore(examples: TrainingExample[], classes: number, vectors: WordVectors, options: ModelOptions): Core {
  const raws = examples.map((e) => countFeatures(analyseText(e.text), options));
  const space = buildFeatureSpace(raws, 2);
  const xs = raws.map((raw) => vectorise(space, vectors, raw, options));
  const rows: TrainRow[] = examples.map((e, i) => ({
    x: xs[i] as FeatureVector,
    y: e.code,
    negative: e.negative,
    weight: e.weight,
    negativeWeight: options.hardNegativeWeight,
  }));
  const linear = trainLinearModel(rows, { classes, features: space.keys.length, dims: vectors.dims }, options);
  if (options.centroidWeight > 0) addCentroids(linear, examples, xs, options.centroidWeight);
  const scenario = (e: TrainingExample) => (e.kind === 'valid' || e.kind === 'invalid') && e.code >= 0;
  const neighbours = examples.filter(scenario).map((example) => ({ example }));
  const matrix = toNeighbourMatrix(xs.filter((_, i) => scenario(examples[i] as TrainingExample)), vectors.dims);
  const base = { options, classes, space, linear, vectors, neighbours, matrix };
  return { ...base, ...buildNeighbourIndex(base) };
}

/**
 * Adds `weight` x each code's normalised centroid (mean of its scenario vectors) to the
 * linear weights: a nearest-centroid (Rocchio) term, linear in the features.
 */
function addCentroids(linear: LinearModel, examples: TrainingExample[], xs: FeatureVector[], weight: number): void {
  const C = linear.classes;
  const sparse = new Float64Array(linear.weights.length);
  const dense = new Float64Array(linear.denseWeights.length);
  examples.forEach((e, i) => {
    if (e.code < 0 || (e.kind !== 'valid' && e.kind !== 'invalid')) return;
    const x = xs[i] as FeatureVector;
    const n = Math.sqrt(x.norm2) || 1;
    for (let k = 0; k < x.idx.length; k++) sparse[(x.idx[k] as number) * C + e.code] = (sparse[(x.idx[k] as number) * C + e.code] as number) + (x.val[k] as number) / n;
    for (let d = 0; d < x.dense.length; d++) dense[d * C + e.code] = (dense[d * C + e.code] as number) + (x.dense[d] as number) / n;
  });
  for (let c = 0; c < C; c++) {
    let norm = 0;
    for (let f = c; f < sparse.length; f += C) norm += (sparse[f] as number) ** 2;
    for (let f = c; f < dense.length; f += C) norm += (dense[f] as number) ** 2;
    const scale = norm > 0 ? weight / Math.sqrt(norm) : 0;
    for (let f = c; f < sparse.length; f += C) linear.weights[f] = (linear.weights[f] as number) + (sparse[f] as number) * scale;
    for (let f = c; f < dense.length; f += C) linear.denseWeights[f] = (linear.denseWeights[f] as number) + (dense[f] as number) * scale;
  }
}

/** Assigns each scenario example (valid or invalid with a positive code) to one of `k` folds, stratified by code; others get -1. */
export function assignFolds(examples: TrainingExample[], k: number, seed: number): number[] {
  const random = createRandom(seed);
  const folds = examples.map(() => -1);
  const byCode = new Map<number, number[]>();
  examples.forEach((e, i) => {
    if ((e.kind === 'valid' || e.kind === 'invalid') && e.code >= 0) {
      const list = byCode.get(e.code) ?? [];
      list.push(i);
      byCode.set(e.code, list);
    }
  });
  let offset = 0;
  for (const code of [...byCode.keys()].sort((a, b) => a - b)) {
    const list = byCode.get(code) as number[];
    for (let i = list.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [list[i], list[j]] = [list[j] as number, list[i] as number];
    }
    list.forEach((ex, i) => (folds[ex] = (i + offset) % k));
    offset += list.length;
  }
  return folds;
}

export interface FoldPrediction {
  example: TrainingExample;
  logits: Float64Array;
}

/** A note with fewer distinct content words (lemmas after stop words) than this is "thin": it abstains, and its confidence comes from `thinTemperature`. */
export const MIN_CONTENT_WORDS = 3;

/** Whether analysed tokens hold fewer than `MIN_CONTENT_WORDS` distinct lemmas. */
export function isThin(tokens: readonly Token[]): boolean {
  // On every classification: stops at the third distinct lemma instead of collecting them all.
  const seen: string[] = [];
  for (const { lemma } of tokens) {
    if (seen.includes(lemma)) continue;
    seen.push(lemma);
    if (seen.length >= MIN_CONTENT_WORDS) return false;
  }
  return true;
}

/**
 * Short runs of a scenario's content tokens, one per size from 1 to `MIN_CONTENT_WORDS - 1` distinct
 * lemmas, each starting at a seeded position and growing forwards (then backwards at the end of the
 * text) until one more token would add a lemma. They stand in for the thin notes people write ("still
 * pending", "no budget"), which no page holds, to calibrate the confidence of such notes.
 */
export function thinFragments(tokens: readonly Token[], random: () => number): AnalysedText[] {
  const out: AnalysedText[] = [];
  const distinct = new Set(tokens.map((t) => t.lemma)).size;
  for (let size = 1; size < MIN_CONTENT_WORDS && size < distinct; size++) {
    const start = Math.floor(random() * tokens.length);
    const lemmas = new Set<string>();
    const fits = (t: Token) => lemmas.has(t.lemma) || lemmas.size < size;
    let end = start;
    while (end < tokens.length && fits(tokens[end] as Token)) lemmas.add((tokens[end++] as Token).lemma);
    let from = start;
    while (from > 0 && fits(tokens[from - 1] as Token)) lemmas.add((tokens[--from] as Token).lemma);
    const fragment = tokens.slice(from, end);
    out.push({ tokens: fragment, wordCount: fragment.length });
  }
  return out;
}

/**
 * Out-of-fold logits for every scenario example; with `thin`, also for thin fragments of each held-out
 * scenario (`thinFragments`, seeded by `options.seed`), pushed there with the scenario's code.
 */
export function predictOutOfFold(data: TrainingData, vectors: WordVectors, options: ModelOptions, k: number, thin?: FoldPrediction[]): FoldPrediction[] {
  const folds = assignFolds(data.examples, k, options.seed);
  const random = createRandom(options.seed + 1);
  const out: FoldPrediction[] = [];
  for (let fold = 0; fold < k; fold++) {
    const train = data.examples.filter((_, i) => folds[i] !== fold);
    const test = data.examples.filter((_, i) => folds[i] === fold);
    if (test.length === 0) continue;
    const core = fitCore(train, data.codes.length, vectors, options);
    const score = (analysed: AnalysedText) => {
      const x = vectoriseTokens(core.space, vectors, analysed, options);
      return computeScores(core, x, computeNeighbourSimilarities(core, x));
    };
    for (const example of test) {
      const analysed = analyseText(example.text);
      out.push({ example, logits: score(analysed) });
      if (thin) for (const fragment of thinFragments(analysed.tokens, random)) thin.push({ example, logits: score(fragment) });
    }
  }
  return out;
}

/** The temperature that fits out-of-fold predictions best. */
export function fitFoldTemperature(predictions: FoldPrediction[]): number {
  return fitTemperature(
    predictions.map((p) => p.logits),
    predictions.map((p) => p.example.code),
  );
}

/** Summarises out-of-fold predictions at `temperature`. */
export function summariseFolds(predictions: FoldPrediction[], temperature: number, folds: number): Omit<CrossValidationSummary, 'eceBeforeCalibration'> {
  let top1 = 0;
  let top3 = 0;
  const calib: { confidence: number; correct: boolean }[] = [];
  for (const { example, logits } of predictions) {
    const p = Float64Array.from(logits);
    softmaxInPlace(p, temperature);
    const order = [...p.keys()].sort((a, b) => (p[b] as number) - (p[a] as number));
    const correct = order[0] === example.code;
    if (correct) top1++;
    if (order.slice(0, 3).includes(example.code)) top3++;
    calib.push({ confidence: p[order[0] as number] as number, correct });
  }
  const n = Math.max(predictions.length, 1);
  return { folds, examples: predictions.length, top1: top1 / n, top3: top3 / n, ece: computeEce(calib) };
}

function round(values: ArrayLike<number>, digits = 5): number[] {
  const f = 10 ** digits;
  return Array.from(values, (v) => Math.round(v * f) / f);
}

/** Builds the runtime model from its serialised form and the word vectors. */
export function prepareModel(data: SerializedModel, vectors: WordVectors): Model {
  const options = { ...DEFAULT_OPTIONS, ...data.options };
  const space = createFeatureSpace(data.featureKeys, decodeFloats(data.idf));
  const C = data.codes.length;
  const dense = decodeFloats(data.denseWeights);
  const linear: LinearModel = {
    classes: C,
    features: data.featureKeys.length,
    dims: vectors.dims,
    weights: decodeFloats(data.weights),
    denseWeights: dense.length === vectors.dims * C ? dense : new Float64Array(vectors.dims * C),
    bias: Float64Array.from(data.bias),
  };
  // Tokens are decoded on demand: with the stored scenario vectors only the definitions need them.
  const analysed = data.analysed ?? {};
  const known = { get: (text: string) => (Object.hasOwn(analysed, text) ? decodeTokens(analysed[text] as string) : undefined) };
  const scenarios = data.examples.filter((e) => (e.kind === 'valid' || e.kind === 'invalid') && e.code >= 0);
  const matrix =
    decodeNeighbourVectors(data.neighbourVectors, vectors, scenarios.length) ??
    toNeighbourMatrix(scenarios.map((example) => vectoriseText(space, vectors, example.text, options, known).x), vectors.dims);
  const neighbours = scenarios.map((example) => ({ example }));
  const base = { options, classes: C, space, linear, vectors, neighbours, matrix };
  const core: Core = { ...base, ...buildNeighbourIndex(base) };
  const names = data.codes.map((c) => c.names);
  const definitions = data.codes.map((code, c) =>
    splitSentences(code.definition ?? '').map((text) => ({
      text,
      x: vectoriseText(space, vectors, text, options, known).x,
      mentionsOther: mentionsAny(text, names.filter((_, i) => i !== c).flat()),
    })),
  );
  const prepared: PreparedModel = { core, definitions, questionProbabilities: new Map(), paddedLabels: new Map() };
  return { data, vectors, prepared };
}

export interface PreparedModel {
  core: Core;
  definitions: { text: string; x: FeatureVector; mentionsOther: boolean }[][];
  /** Memo: calibrated probabilities of each confirmation question's own text. */
  questionProbabilities: Map<string, Float64Array>;
  /** Memo: each confirmation question's text as `padLabel` gives it. */
  paddedLabels: Map<string, string>;
}

/** The prepared structures of a model. */
export function getPrepared(model: Model): PreparedModel {
  return model.prepared as PreparedModel;
}

/**
 * Trains a model on a page set. Deterministic; takes seconds. The temperature is
 * fitted on `options.folds`-fold out-of-fold predictions over the page examples.
 */
export function trainModel(playbook: TrainingPlaybook, vectors: WordVectors, overrides: Partial<ModelOptions> = {}): Model {
  const options = { ...DEFAULT_OPTIONS, ...overrides };
  const data = collectTrainingData(playbook, options);
  const warnings = [...data.warnings];
  let temperature = 1;
  let thinTemperature: number | undefined;
  let crossValidation: CrossValidationSummary | null = null;
  const scenarioCount = data.examples.filter((e) => (e.kind === 'valid' || e.kind === 'invalid') && e.code >= 0).length;
  if (data.codes.length >= 2 && scenarioCount >= options.folds * 2) {
    const thin: FoldPrediction[] = [];
    const predictions = predictOutOfFold(data, vectors, options, options.folds, thin);
    temperature = fitFoldTemperature(predictions);
    const before = summariseFolds(predictions, 1, options.folds);
    crossValidation = { ...summariseFolds(predictions, temperature, options.folds), eceBeforeCalibration: before.ece };
    if (thin.length > 0) {
      thinTemperature = fitFoldTemperature(thin);
      const { examples, top1, top3, ece } = summariseFolds(thin, thinTemperature, options.folds);
      crossValidation.thin = { examples, top1, top3, ece, eceAtMainTemperature: summariseFolds(thin, temperature, options.folds).ece };
    }
  } else {
    warnings.push('Too few codes or examples to cross-validate; confidences are not calibrated.');
  }
  const core = data.codes.length > 0 ? fitCore(data.examples, data.codes.length, vectors, options) : undefined;
  const serialised: SerializedModel = {
    format: 'unblock-model/1',
    trainer: TRAINER_VERSION,
    taxonomyVersion: playbook.taxonomy.version,
    options,
    codes: data.codes,
    l1s: data.l1s,
    examples: data.examples,
    featureKeys: core?.space.keys ?? [],
    idf: encodeFloats(core?.space.idf ?? []),
    weights: encodeFloats(core?.linear.weights ?? []),
    denseWeights: encodeFloats(core?.linear.denseWeights ?? []),
    bias: round(core?.linear.bias ?? []),
    analysed: Object.fromEntries(
      [...new Set([...data.examples.filter((e) => e.kind === 'valid' || e.kind === 'invalid').map((e) => e.text), ...data.codes.flatMap((c) => splitSentences(c.definition ?? ''))])]
        .sort()
        .map((text) => [text, encodeTokens(analyseText(text))]),
    ),
    temperature,
    ...(thinTemperature === undefined ? {} : { thinTemperature }),
    crossValidation,
    warnings,
  };
  const model = prepareModel(serialised, vectors);
  serialised.neighbourVectors = encodeNeighbourVectors(getPrepared(model).core.matrix, vectors);
  return model;
}
