/** Classifies one note: calibrated L2 and L1 probabilities, abstention, questions and explanation. Pure. */
import { countCodesWithoutExamples, mentionsAnyPadded, padLabel } from './examples.js';
import { formatPercent as percent, normalizeLabel } from '../lib/index.js';
import { addTokenVectorMemo, BLOCK_BIGRAM, BLOCK_WORD, cosineSimilarities, featureWords, findAllTokenParts, type FeatureSpace, type FeatureVector } from './features.js';
import { checkInput } from './input-check.js';
import { softmaxInPlace } from './logreg.js';
import { computeNeighbourSimilarities, computeScores, getPrepared, isThin, vectoriseText, type NeighbourSummary, type PreparedModel } from './model.js';
import type { Token } from './tokenize.js';
import type { Candidate, Classification, ClassifyOptions, ConfirmationQuestion, Explanation, Model, ModelCode } from './types.js';

const EMPTY_EXPLANATION: Explanation = { terms: [], nearestExamples: [], definitionSentence: null };

function toCandidate(code: ModelCode, confidence: number): Candidate {
  return { l1: code.l1, l2: code.l2, code: code.id, confidence: round(confidence) };
}

function round(v: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

function label(code: ModelCode): string {
  return code.l2 ?? code.l1;
}

function createAbstention(text: string, reason: string, warnings: string[]): Classification {
  return { text, l1: null, l2: null, code: null, confidence: 0, l1Confidence: 0, alternatives: [], abstained: true, reason, questions: [], explanation: EMPTY_EXPLANATION, warnings };
}

/** Nearest examples an explanation looks at (it shows the first three). */
const NEAREST = 5;

/**
 * Calibrated probabilities of every code for a vectorised note, with the neighbour similarities and
 * the `NEAREST` nearest neighbours (the arrays are the model's, overwritten by the next call).
 */
export function computeProbabilities(model: Model, x: FeatureVector, temperature = model.data.temperature): { probabilities: Float64Array; similarities: Float32Array; nearest: number[] } {
  const { core } = getPrepared(model);
  const summary: NeighbourSummary = { k: NEAREST, best: core.bestSimilarity, nearest: [] };
  const similarities = computeNeighbourSimilarities(core, x, core.similarities, summary);
  const probabilities = computeScores(core, x, similarities, core.logits, summary.best);
  softmaxInPlace(probabilities, temperature);
  return { probabilities, similarities, nearest: summary.nearest };
}

/**
 * The note as the explanation matches terms against it. No regular expression is built per term: V8
 * compiles a case-insensitive `\p{L}` class slowly (tenths of a millisecond each), which made the
 * explanation cost more than the classification. Whole words are found with indexOf in the lower-cased
 * note; the word runs and spans, needed only for terms the note does not write as such, on first use.
 */
class NoteWords {
  readonly lower: string;
  #runs: { lower: string; start: number; end: number }[] | undefined;
  #spans: string[] | undefined;
  #contraction: string | null | undefined;

  constructor(readonly text: string) {
    this.lower = text.toLowerCase();
  }

  /** Maximal runs of letters, digits and `_` (what a word boundary delimits), lower-cased, with their offsets. */
  get runs(): { lower: string; start: number; end: number }[] {
    if (this.#runs === undefined) {
      const text = this.text;
      if (isAsciiText(text)) {
        // What the regular expression finds, without it: in ASCII its class is [A-Za-z0-9_].
        const runs: { lower: string; start: number; end: number }[] = [];
        scanAsciiRuns(text, isWordChar, (start, end) => runs.push({ lower: text.slice(start, end).toLowerCase(), start, end }));
        this.#runs = runs;
      } else this.#runs = [...text.matchAll(WORD_RUN)].map((m) => ({ lower: m[0].toLowerCase(), start: m.index, end: m.index + m[0].length }));
    }
    return this.#runs;
  }

  /** Maximal runs of letters, digits, apostrophes and hyphens ("self-service", "haven't"), lower-cased. */
  get spans(): string[] {
    if (this.#spans === undefined) {
      const text = this.text;
      if (isAsciiText(text)) {
        // In ASCII the regular expression's class is [A-Za-z0-9'-].
        const spans: string[] = [];
        scanAsciiRuns(text, isSpanChar, (start, end) => spans.push(text.slice(start, end).toLowerCase()));
        this.#spans = spans;
      } else this.#spans = [...text.matchAll(SPAN_RUN)].map((m) => m[0].toLowerCase());
    }
    return this.#spans;
  }

  /** The first negative contraction ("haven't"), lower-cased. */
  get contraction(): string | undefined {
    if (this.#contraction === undefined) this.#contraction = CONTRACTION.exec(this.text)?.[0].toLowerCase() ?? null;
    return this.#contraction ?? undefined;
  }

  /** True when `term` is a whole word of the note, or its words are, in order, with only non-letters between them; case ignored. */
  hasWhole(term: string): boolean {
    // Most terms are one word: no array of words for them.
    const lowerTerm = term.toLowerCase();
    const cut = lowerTerm.indexOf(' ');
    const head = cut < 0 ? lowerTerm : lowerTerm.slice(0, cut);
    const rest = cut < 0 ? NO_WORDS : lowerTerm.slice(cut + 1).split(' ');
    const lower = this.lower;
    if (head === '') return false;
    for (let i = lower.indexOf(head); i >= 0; i = lower.indexOf(head, i + 1)) {
      if (isWordChar(lower[i - 1])) continue;
      let end = i + head.length;
      let found = true;
      for (const word of rest) {
        let j = end;
        while (j < lower.length && !isLetterOrDigit(lower[j] as string)) j++;
        if (j === end || !lower.startsWith(word, j)) {
          found = false;
          break;
        }
        end = j + word.length;
      }
      if (found && !isWordChar(lower[end])) return true;
    }
    return false;
  }
}

const NO_WORDS: readonly string[] = [];

/** Terms an explanation shows. */
const MAX_TERMS = 8;

const WORD_RUN = /[\p{L}\p{N}_]+/gu;
const SPAN_RUN = /[\p{L}\p{N}'\u2019-]+/gu;
const CONTRACTION = /[\p{L}]+n['\u2019]t(?![\p{L}\p{N}_])/iu;
const CAPITAL_IT = /(?<![\p{L}\p{N}_])IT(?![\p{L}\p{N}_])/u;
const WORD_CHAR = /[\p{L}\p{N}_]/u;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

function isWordChar(ch: string | undefined): boolean {
  if (ch === undefined) return false;
  const c = ch.charCodeAt(0);
  if (c < 128) return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
  return WORD_CHAR.test(ch);
}

/** True when `text` holds only ASCII (every UTF-16 unit below 128): then the word classes are plain ranges. */
function isAsciiText(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 127) return false;
  return true;
}

/** An ASCII letter, digit, apostrophe or hyphen (`SPAN_RUN` on ASCII text). */
function isSpanChar(ch: string | undefined): boolean {
  if (ch === undefined) return false;
  const c = ch.charCodeAt(0);
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 39 || c === 45;
}

/** Calls `found(start, end)` for each maximal run of characters of ASCII `text` that `inRun` accepts, in order. */
function scanAsciiRuns(text: string, inRun: (ch: string | undefined) => boolean, found: (start: number, end: number) => void): void {
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    if (i < text.length && inRun(text[i])) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      found(start, i);
      start = -1;
    }
  }
}

function isLetterOrDigit(ch: string): boolean {
  const c = ch.charCodeAt(0);
  if (c < 128) return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  return LETTER_OR_DIGIT.test(ch);
}

/**
 * How a note word the model read as `term` is written in the note: the term itself when the note has
 * it as a word; the contraction for `not` ("haven't"); the word that starts or ends with it ("cannot");
 * undefined when the note does not hold it.
 */
function findNoteWord(note: NoteWords, term: string): string | undefined {
  if (term === 'IT') return CAPITAL_IT.test(note.text) ? 'IT' : undefined;
  if (note.hasWhole(term)) return term;
  if (term === 'not' && note.contraction) return note.contraction;
  const t = term.toLowerCase();
  return note.spans.find((span) => span.length > t.length && (span.startsWith(t) || span.endsWith(t)));
}

/**
 * The stretch of the note from the word `first` to the word `second` with one to three words between
 * them, lower-cased; undefined when there is none (words with inner punctuation are not looked for).
 */
function findStretch(note: NoteWords, first: string, second: string): string | undefined {
  const [a, b] = [first.toLowerCase(), second.toLowerCase()];
  const runs = note.runs;
  for (let i = 0; i < runs.length; i++) {
    if ((runs[i] as NoteWords['runs'][number]).lower !== a) continue;
    for (let j = i + 2; j <= i + 4 && j < runs.length; j++) {
      const last = runs[j] as NoteWords['runs'][number];
      if (last.lower === b) return note.text.slice((runs[i] as NoteWords['runs'][number]).start, last.end).toLowerCase().replace(/\s+/g, ' ');
    }
  }
  return undefined;
}

/** Per feature space: position + 1 of each feature in the note being explained, 0 for the others (all 0 between calls). */
const featurePositions = new WeakMap<FeatureSpace, Int32Array>();

/** Per feature space: 1 + the token shown for each lemma feature of the note being explained, 0 for the others (all 0 between calls). */
const lemmaOwners = new WeakMap<FeatureSpace, Int32Array>();

function findLemmaOwners(space: FeatureSpace): Int32Array {
  let owners = lemmaOwners.get(space);
  if (!owners || owners.length !== space.keys.length) lemmaOwners.set(space, (owners = new Int32Array(space.keys.length)));
  return owners;
}

/** Per feature space, memo by bigram feature: the feature ids of its words (`w:` + word; -1 when unknown). */
const bigramWordIds = new WeakMap<FeatureSpace, (readonly number[] | undefined)[]>();

function findBigramWordIds(space: FeatureSpace): (readonly number[] | undefined)[] {
  let ids = bigramWordIds.get(space);
  if (!ids) bigramWordIds.set(space, (ids = new Array<readonly number[] | undefined>(space.keys.length)));
  return ids;
}

/** Scratch of `explainTerms`: contrasts of the note's features, the dense direction, each token's dense share. */
let contrastScratch = new Float64Array(0);
let directionScratch = new Float64Array(0);
let byTokenScratch = new Float64Array(0);

/**
 * Where the tokens' character n-grams sit in a note's sparse vector `idx` (feature ids of `space`):
 * for position `i` of `idx`, the tokens whose n-grams hold that feature are
 * `tokens[starts[i]..starts[i + 1])`, in token order, a token once per time its n-grams hold the
 * feature. Ids missing from `idx` are left out.
 */
export function findGramOwners(space: FeatureSpace, idx: Int32Array, gramIds: readonly (readonly number[])[]): { starts: number[]; tokens: number[] } {
  const features = space.keys.length;
  let positionOf = featurePositions.get(space);
  if (!positionOf || positionOf.length !== features) featurePositions.set(space, (positionOf = new Int32Array(features)));
  for (let i = 0; i < idx.length; i++) positionOf[idx[i] as number] = i + 1;
  // Each gram's position in `idx` (-1: not in it), in a scratch array reused across calls.
  let grams = 0;
  for (let t = 0; t < gramIds.length; t++) grams += (gramIds[t] as readonly number[]).length;
  if (gramPositions.length < grams) gramPositions = new Int32Array(Math.max(256, 2 * grams));
  const positions = gramPositions;
  const starts: number[] = new Array<number>(idx.length + 1).fill(0);
  try {
    let k = 0;
    for (let t = 0; t < gramIds.length; t++) {
      const ids = gramIds[t] as readonly number[];
      for (let g = 0; g < ids.length; g++) {
        const f = ids[g] as number;
        const at = f >= 0 && f < features ? (positionOf[f] as number) - 1 : -1;
        positions[k++] = at;
        if (at >= 0) starts[at + 1] = (starts[at + 1] as number) + 1;
      }
    }
  } finally {
    for (let i = 0; i < idx.length; i++) positionOf[idx[i] as number] = 0;
  }
  for (let i = 0; i < idx.length; i++) starts[i + 1] = (starts[i + 1] as number) + (starts[i] as number);
  if (gramFill.length < idx.length) gramFill = new Int32Array(Math.max(256, 2 * idx.length));
  const fill = gramFill;
  for (let i = 0; i < idx.length; i++) fill[i] = starts[i] as number;
  const tokens: number[] = new Array<number>(starts[idx.length] as number).fill(0);
  let k = 0;
  for (let t = 0; t < gramIds.length; t++) {
    const count = (gramIds[t] as readonly number[]).length;
    for (let g = 0; g < count; g++) {
      const at = positions[k++] as number;
      if (at >= 0) tokens[(fill[at] as number)++] = t;
    }
  }
  return { starts, tokens };
}

/** Scratch of `findGramOwners`: each gram's position in the note's vector, and the next free slot per position. */
let gramPositions = new Int32Array(0);
let gramFill = new Int32Array(0);

/**
 * Writes into `out[i]` how much row `rows[i]` of `matrix` (rows of `C` values) favours `winner` over
 * the other codes: its `winner` value minus the other values weighted by `p` (summed in code order)
 * over `mass`, or the `winner` value alone when `mass` is not positive. Four rows at a time: each sum
 * is its own chain of additions in the same order, so the results are bit for bit those of one row
 * at a time, but the processor can run the four chains side by side.
 */
export function contrastRows(matrix: Float64Array, rows: ArrayLike<number>, C: number, winner: number, p: Float64Array, mass: number, out: number[] | Float64Array): void {
  const n = rows.length;
  if (!(mass > 0)) {
    for (let i = 0; i < n; i++) out[i] = matrix[(rows[i] as number) * C + winner] as number;
    return;
  }
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const b0 = (rows[i] as number) * C;
    const b1 = (rows[i + 1] as number) * C;
    const b2 = (rows[i + 2] as number) * C;
    const b3 = (rows[i + 3] as number) * C;
    let o0 = 0;
    let o1 = 0;
    let o2 = 0;
    let o3 = 0;
    for (let c = 0; c < C; c++) {
      if (c === winner) continue;
      const pc = p[c] as number;
      o0 += pc * (matrix[b0 + c] as number);
      o1 += pc * (matrix[b1 + c] as number);
      o2 += pc * (matrix[b2 + c] as number);
      o3 += pc * (matrix[b3 + c] as number);
    }
    out[i] = (matrix[b0 + winner] as number) - o0 / mass;
    out[i + 1] = (matrix[b1 + winner] as number) - o1 / mass;
    out[i + 2] = (matrix[b2 + winner] as number) - o2 / mass;
    out[i + 3] = (matrix[b3 + winner] as number) - o3 / mass;
  }
  for (; i < n; i++) {
    const b = (rows[i] as number) * C;
    let o = 0;
    for (let c = 0; c < C; c++) if (c !== winner) o += (p[c] as number) * (matrix[b + c] as number);
    out[i] = (matrix[b + winner] as number) - o / mass;
  }
}

/** 0, 1, ..., n - 1 (memoised by length): the rows of the dense weights. */
const sequences = new Map<number, Int32Array>();
function sequence(n: number): Int32Array {
  let seq = sequences.get(n);
  if (!seq) sequences.set(n, (seq = Int32Array.from({ length: n }, (_, i) => i)));
  return seq;
}

/**
 * `out[t]` = the dot product of `vectors[t]` with `direction`, summed in dimension order from 0;
 * four vectors at a time (separate chains, so bit for bit the same as one at a time).
 */
export function dotEach(vectors: readonly Float32Array[], direction: ArrayLike<number>, out: number[] | Float64Array): void {
  const dims = direction.length;
  let t = 0;
  for (; t + 4 <= vectors.length; t += 4) {
    const v0 = vectors[t] as Float32Array;
    const v1 = vectors[t + 1] as Float32Array;
    const v2 = vectors[t + 2] as Float32Array;
    const v3 = vectors[t + 3] as Float32Array;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let d = 0; d < dims; d++) {
      const g = direction[d] as number;
      s0 += (v0[d] as number) * g;
      s1 += (v1[d] as number) * g;
      s2 += (v2[d] as number) * g;
      s3 += (v3[d] as number) * g;
    }
    out[t] = s0;
    out[t + 1] = s1;
    out[t + 2] = s2;
    out[t + 3] = s3;
  }
  for (; t < vectors.length; t++) {
    const v = vectors[t] as Float32Array;
    let s = 0;
    for (let d = 0; d < dims; d++) s += (v[d] as number) * (direction[d] as number);
    out[t] = s;
  }
}

/**
 * The words and phrases that pushed `winner` up against the other codes (probability-weighted),
 * largest first, as the note writes them: a lexicon concept's weight goes to the note words that
 * brought it in, `not` is shown as the contraction the note wrote ("haven't"), and a pair of words the
 * note does not write side by side is shown as the stretch of the note between them (at most three
 * words apart) or split between the two words. Only the strongest terms are looked up in the note.
 *
 * Each term's weight is summed in a fixed order (sparse features by id, then the dense part token by
 * token); the sums live in an array indexed by term, each term given its slot on its first addition.
 */
function explainTerms(prepared: PreparedModel, x: FeatureVector, tokens: Token[], winner: number, p: Float64Array, text: string): { term: string; weight: number }[] {
  const { core } = prepared;
  const C = core.classes;
  let mass = 0;
  for (let c = 0; c < C; c++) if (c !== winner) mass += p[c] as number;
  const slots = new Map<string, number>();
  const sums: number[] = [];
  const termSlot = (term: string): number => {
    let s = slots.get(term);
    if (s === undefined) {
      s = sums.length;
      slots.set(term, s);
      sums.push(0);
    }
    return s;
  };
  const shown = (t: Token) => (t.norm === 'it_dept' ? 'IT' : t.norm);
  const tokenSlots: number[] = new Array<number>(tokens.length).fill(-1);
  const addToToken = (i: number, w: number) => {
    let s = tokenSlots[i] as number;
    if (s < 0) tokenSlots[i] = s = termSlot(shown(tokens[i] as Token));
    sums[s] = (sums[s] as number) + w;
  };
  const { space, vectors, options } = core;
  const parts = findAllTokenParts(space, vectors, tokens, options);
  // The note word shown for a lemma is the last token with it. By the lemma's feature id: 1 + that
  // token, in a scratch array of the space (0 elsewhere, and again after the loop); by the lemma
  // itself (a Map, made only if a bigram holds a word that is no feature).
  const lemmaOwner = findLemmaOwners(space);
  for (let t = 0; t < parts.length; t++) {
    const id = (parts[t] as (typeof parts)[number]).lemmaId;
    if (id >= 0) lemmaOwner[id] = t + 1;
  }
  let display: Map<string, number> | undefined;
  const displayOf = (lemma: string): number => (display ??= new Map(tokens.map((t, i) => [t.lemma, i]))).get(lemma) ?? -1;
  const bigramWords = findBigramWordIds(space);
  const grams = findGramOwners(space, x.idx, parts.map((part) => part.gramIds));
  const n = x.idx.length;
  if (contrastScratch.length < n) contrastScratch = new Float64Array(Math.max(256, 2 * n));
  const contrasts = contrastScratch;
  contrastRows(core.linear.weights, x.idx, C, winner, p, mass, contrasts);
  try {
    for (let i = 0; i < n; i++) {
      const f = x.idx[i] as number;
      const w = (x.val[i] as number) * (contrasts[i] as number);
      const block = space.block[f];
      if (block === BLOCK_WORD) {
        const at = (lemmaOwner[f] as number) - 1;
        if (at >= 0) addToToken(at, w);
        else {
          // A lexicon concept (its name is not a word of the note): its weight goes to the words that brought it in.
          const word = featureWords(space, f)[0] as string;
          const owners: number[] = [];
          for (let j = 0; j < parts.length; j++) {
            for (const c of (parts[j] as (typeof parts)[number]).concepts ?? []) if (c === word) owners.push(j);
          }
          for (const owner of owners) addToToken(owner, w / owners.length);
        }
      } else if (block === BLOCK_BIGRAM) {
        const words = featureWords(space, f);
        const ids = (bigramWords[f] ??= words.map((l) => space.index.get(`w:${l}`) ?? -1));
        let term = '';
        for (let k = 0; k < words.length; k++) {
          const id = ids[k] as number;
          const at = id >= 0 ? (lemmaOwner[id] as number) - 1 : displayOf(words[k] as string);
          const piece = at >= 0 ? shown(tokens[at] as Token) : (words[k] as string);
          term = k === 0 ? piece : `${term} ${piece}`;
        }
        const s = termSlot(term);
        sums[s] = (sums[s] as number) + w;
      } else {
        const start = grams.starts[i] as number;
        const end = grams.starts[i + 1] as number;
        for (let k = start; k < end; k++) addToToken(grams.tokens[k] as number, w / (end - start));
      }
    }
  } finally {
    for (const part of parts) if (part.lemmaId >= 0) lemmaOwner[part.lemmaId] = 0;
  }
  const dims = vectors.dims;
  let norm = x.rawDenseNorm2;
  if (norm === undefined) {
    const total = new Float32Array(dims);
    for (const t of tokens) addTokenVectorMemo(space, vectors, t, options, total);
    norm = 0;
    for (let d = 0; d < dims; d++) norm += (total[d] as number) ** 2;
  }
  if (norm > 0) {
    const scale = options.denseWeight / Math.sqrt(norm);
    // Scratch arrays (a typed array costs more to allocate than to fill); `direction` is exactly `dims` long, as `dotEach` wants.
    if (directionScratch.length !== dims) directionScratch = new Float64Array(dims);
    const direction = directionScratch;
    contrastRows(core.linear.denseWeights, sequence(dims), C, winner, p, mass, direction);
    for (let d = 0; d < dims; d++) direction[d] = scale * (direction[d] as number);
    if (byTokenScratch.length < tokens.length) byTokenScratch = new Float64Array(Math.max(64, 2 * tokens.length));
    const byToken = byTokenScratch;
    dotEach(parts.map((part) => part.own), direction, byToken);
    for (let i = 0; i < tokens.length; i++) addToToken(i, byToken[i] as number);
  }
  // Only the strongest MAX_TERMS are looked up in the note: picked as a stable sort would put them first, without sorting the rest.
  const ranked = selectFirst<[string, number]>(MAX_TERMS, byWeight);
  for (const [term, s] of slots) {
    const w = sums[s] as number;
    if (w > 0) ranked.offer([term, w]);
  }
  // The strongest terms as the note writes them (terms folded together add up; then the list is ranked again).
  const note = new NoteWords(text);
  const inNote = new Map<string, number>();
  const keep = (term: string | undefined, w: number) => {
    if (term !== undefined) inNote.set(term, (inNote.get(term) ?? 0) + w);
  };
  for (const [term, w] of ranked.items) {
    const space = term.indexOf(' ');
    if (space < 0) keep(findNoteWord(note, term), w);
    else if (note.hasWhole(term)) keep(term, w);
    else {
      const first = term.slice(0, space);
      const second = term.slice(space + 1);
      const stretch = findStretch(note, first, second);
      if (stretch !== undefined) keep(stretch, w);
      else {
        keep(findNoteWord(note, first), w / 2);
        keep(findNoteWord(note, second), w / 2);
      }
    }
  }
  const shownTerms = selectFirst<[string, number]>(Infinity, byWeight);
  for (const entry of inNote) shownTerms.offer(entry);
  return shownTerms.items.map(([term, weight]) => ({ term, weight: round(weight, 3) }));
}

/** Terms by weight, largest first; equal weights in `localeCompare` order of the term. */
function byWeight(a: readonly [string, number], b: readonly [string, number]): number {
  return b[1] - a[1] || a[0].localeCompare(b[0]);
}

/**
 * Keeps, of the items offered to it, the first `limit` that a stable sort of all of them by `compare`
 * would give, in that order: an item goes after every kept one it does not precede, and the last one
 * drops out past `limit`. For a comparator that orders consistently (weights are positive numbers, never
 * NaN), that is the sorted list's head, without sorting the tail that is thrown away.
 */
export function selectFirst<T>(limit: number, compare: (a: T, b: T) => number): { items: T[]; offer(item: T): void } {
  const items: T[] = [];
  return {
    items,
    offer(item: T): void {
      let at = items.length;
      while (at > 0 && compare(item, items[at - 1] as T) < 0) at--;
      if (at >= limit) return;
      items.splice(at, 0, item);
      if (items.length > limit) items.pop();
    },
  };
}

/** The explanation; `order` holds the nearest neighbours, most similar first (from `computeProbabilities`). */
function explain(model: Model, x: FeatureVector, tokens: Token[], winner: number, p: Float64Array, sims: Float32Array, order: readonly number[], text: string): Explanation {
  const prepared = getPrepared(model);
  const { core } = prepared;
  const codes = model.data.codes;
  const nearestExamples = order.slice(0, 3).map((n) => {
    const { example } = core.neighbours[n] as (typeof core.neighbours)[number];
    const code = codes[example.code] as ModelCode;
    return { text: example.text, l1: code.l1, l2: code.l2, similarity: round(sims[n] as number, 3), kind: example.kind === 'invalid' ? ('invalid' as const) : ('valid' as const), file: example.file };
  });
  const explanation: Explanation = { terms: explainTerms(prepared, x, tokens, winner, p, text), nearestExamples, definitionSentence: null };
  const invalid = order.slice(0, 5).find((n) => core.neighbours[n]?.example.kind === 'invalid' && (sims[n] as number) >= 0.3);
  if (invalid !== undefined) {
    const { example } = core.neighbours[invalid] as (typeof core.neighbours)[number];
    const code = codes[example.code] as ModelCode;
    explanation.invalidMatch = { text: example.text, pointsTo: { l1: code.l1, l2: code.l2 }, file: example.file, similarity: round(sims[invalid] as number, 3) };
  }
  const sentences = prepared.definitions[winner] ?? [];
  const similarities = cosineSimilarities(core.space, x, sentences.map((s) => s.x));
  let best = -Infinity;
  for (let i = 0; i < sentences.length; i++) {
    const s = sentences[i] as (typeof sentences)[number];
    const score = (similarities[i] as number) - (s.mentionsOther ? 0.15 : 0);
    if (score > best) {
      best = score;
      explanation.definitionSentence = s.text;
    }
  }
  return explanation;
}

/** The model's probabilities for a question's own text (memoised in the prepared model). */
function getQuestionProbabilities(model: Model, text: string): Float64Array {
  const prepared = getPrepared(model);
  const cache = prepared.questionProbabilities;
  let z = cache.get(text);
  if (!z) {
    const { core } = prepared;
    const { x } = vectoriseText(core.space, core.vectors, text, core.options);
    z = computeScores(core, x, computeNeighbourSimilarities(core, x));
    softmaxInPlace(z, model.data.temperature);
    cache.set(text, z);
  }
  return z;
}

/**
 * The confirmation questions (from the candidates' pages) that best tell the candidates apart: a
 * question that names another candidate first, then by how much of the model's probability its text
 * puts on the candidates, plus the probability of the candidate whose page it comes from (`p`), so the
 * likelier candidate's questions come first.
 */
export function selectQuestions(model: Model, candidates: number[], limit = 4, p?: ArrayLike<number>): ConfirmationQuestion[] {
  const codes = model.data.codes;
  const padded = getPrepared(model).paddedLabels;
  const scored: { q: ConfirmationQuestion; score: number; from: number }[] = [];
  for (const c of candidates) {
    const code = codes[c] as ModelCode;
    const otherNames = candidates.filter((o) => o !== c).flatMap((o) => codes[o]?.names ?? []);
    for (const text of code.questions) {
      const z = getQuestionProbabilities(model, text);
      const relevance = candidates.reduce((sum, o) => sum + (z[o] as number), 0);
      let label = padded.get(text);
      if (label === undefined) padded.set(text, (label = padLabel(text)));
      const score = (mentionsAnyPadded(label, otherNames) ? 1 : 0) + relevance + (p?.[c] ?? 0);
      scored.push({ q: { text, l1: code.l1, l2: code.l2 }, score, from: c });
    }
  }
  scored.sort((a, b) => b.score - a.score || a.q.text.localeCompare(b.q.text));
  const perCode = new Map<number, number>();
  const out: ConfirmationQuestion[] = [];
  for (const s of scored) {
    if (out.length >= limit) break;
    if ((perCode.get(s.from) ?? 0) >= 2) continue;
    perCode.set(s.from, (perCode.get(s.from) ?? 0) + 1);
    out.push(s.q);
  }
  return out;
}

/**
 * The indices of `p`, most probable first (ties: lower index first). An insertion sort: for 19 codes
 * it is several times faster than spreading the keys and sorting them with a comparator, and as the
 * order is total (no NaN) the result is the same. With a NaN, the comparator is not a total order and
 * the result depends on the algorithm: then the sort the code always used runs.
 */
function sortByProbability(p: Float64Array): number[] {
  const n = p.length;
  const order: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = p[i] as number;
    if (v !== v) return [...p.keys()].sort((a, b) => (p[b] as number) - (p[a] as number) || a - b);
    // Indices come in increasing order: a later one goes after every one at least as probable.
    let at = i;
    while (at > 0 && v > (p[order[at - 1] as number] as number)) at--;
    order.push(i);
    for (let j = i; j > at; j--) order[j] = order[j - 1] as number;
    order[at] = i;
  }
  return order;
}

/**
 * The codes best first, and the winner's L1 probability. The winner is the most probable L2 *of the
 * most probable L1* (an L1's probability is the sum over its L2s): a suggested L1 is never one that
 * another L1 outweighs. Usually that is the most probable code anyway; when it is not (four Blocked
 * codes at 23%, 22%, 4%, ... against a Status Unknown code at 32%), the answer is a Blocked code, and
 * its margin over the next code is negative, so it abstains. The rest follow by probability.
 */
export function rankCodes(p: Float64Array, l1s: readonly { name: string; codes: number[] }[]): { order: number[]; l1Confidence: number } {
  const byProbability = sortByProbability(p);
  let bestL1: { codes: number[] } | undefined;
  let bestMass = -1;
  for (const node of l1s) {
    const mass = node.codes.reduce((sum, c) => sum + (p[c] as number), 0);
    // Ties go to the L1 listed first; exact ties of sums of floats are rare.
    if (mass > bestMass) {
      bestMass = mass;
      bestL1 = node;
    }
  }
  const top = byProbability[0] as number;
  if (!bestL1) return { order: byProbability, l1Confidence: p[top] as number };
  const winner = byProbability.find((c) => bestL1.codes.includes(c)) ?? top;
  return { order: winner === top ? byProbability : [winner, ...byProbability.filter((c) => c !== winner)], l1Confidence: bestMass };
}

/**
 * Why a model of one code abstains. The model holds only the codes that have examples, so the page
 * set may define more (a page still without examples): say so, or the reason would contradict
 * `playbook parse`, which counts every code the pages define.
 */
function oneCodeReason(model: Model): string {
  const only = label(model.data.codes[0] as ModelCode);
  const defined = 1 + countCodesWithoutExamples(model.data.warnings);
  if (defined === 1) return `The page set defines only one code (${only}); there is nothing to choose between.`;
  return `Only one of the page set's ${defined} codes (${only}) has examples to learn from; there is nothing to choose between.`;
}

const THIN_NOTE = 'The note is too short to choose a reason code: say what stops or drives the customer, who owns it and why.';

/**
 * Classifies a status note. Never throws: unusable input yields `abstained: true`
 * with a reason; over-long input is truncated with a warning.
 */
export function classify(model: Model, text: string, options: ClassifyOptions = {}): Classification {
  const top = Math.max(1, Math.min(options.top ?? 3, 50));
  const check = checkInput(text, { keepSignature: options.keepSignature === true });
  const { codes, l1s } = model.data;
  const original = typeof text === 'string' ? text : String(text ?? '');
  if (check.unusable) return createAbstention(original, check.unusable, check.warnings);
  if (codes.length === 0) return createAbstention(original, 'The model has no codes: its page set holds no example scenarios.', check.warnings);
  if (codes.length === 1) return createAbstention(original, oneCodeReason(model), check.warnings);
  const prepared = getPrepared(model);
  const { core } = prepared;
  // The note's vector and similarities live in arrays of the model, overwritten by the next note.
  const { x, tokens } = vectoriseText(core.space, core.vectors, check.text, core.options, undefined, true);
  if (x.norm2 === 0) return createAbstention(original, 'No word of the note is known to the model; describe the situation in more words.', check.warnings);
  // "Still pending", "see email", "no update": one or two content words. The model still ranks the
  // codes, but such a note abstains, and its confidence comes from the temperature fitted on thin
  // fragments of the scenarios (the main one, fitted on whole scenarios, read "see email" as Customer
  // Unresponsive at 1.00).
  const thin = check.thin ?? (isThin(tokens.tokens) ? THIN_NOTE : null);
  const temperature = thin ? (model.data.thinTemperature ?? model.data.temperature) : model.data.temperature;
  const { probabilities: p, similarities, nearest } = computeProbabilities(model, x, temperature);
  // A thin note that names an L1 ("in progress", "no intent") is answered within that L1.
  const padded = thin ? padLabel(check.text) : '';
  const named = thin ? l1s.filter((node) => mentionsAnyPadded(padded, [normalizeLabel(node.name)])) : [];
  const { order, l1Confidence } = rankCodes(p, named.length === 1 ? named : l1s);
  const best = order[0] as number;
  const second = order[1] as number;
  const winner = codes[best] as ModelCode;
  const confidence = p[best] as number;
  const margin = confidence - (p[second] as number);
  const { minConfidence, minMargin } = core.options;
  let reason: string | null = null;
  let abstained = false;
  if (thin) {
    abstained = true;
    reason = named.length === 1 ? `${thin} It names the status ${winner.l1} only; the reason code needs the why.` : thin;
  } else if (confidence < minConfidence || margin < minMargin) {
    abstained = true;
    const runner = codes[second] as ModelCode;
    const runnerP = p[second] as number;
    const why =
      runnerP > confidence
        ? `${label(runner)} alone is more likely (${percent(runnerP)}), but the ${winner.l1} codes together are more likely still (${percent(l1Confidence)})`
        : confidence < minConfidence
          ? `its confidence${percent(confidence) === percent(minConfidence) ? ' is just' : `, ${percent(confidence)}, is`} under the ${percent(minConfidence)} needed`
          : `the top two are too close (${percent(confidence)} and ${percent(runnerP)})`;
    reason =
      l1Confidence >= 0.75 && runner.l1 === winner.l1
        ? `The L1 is clear (${winner.l1}, ${percent(l1Confidence)}) but the L2 is not: ${label(winner)} or ${label(runner)}; ${why}.`
        : `Not sure: ${label(winner)} or ${label(runner)}; ${why}.`;
  } else if (l1Confidence - confidence >= 0.25) {
    reason = `The L1 (${winner.l1}) is clearer (${percent(l1Confidence)}) than the L2 (${percent(confidence)}).`;
  }
  const candidates = order.filter((c, i) => i < 2 || (i < 3 && (p[c] as number) >= 0.1));
  return {
    text: original,
    l1: winner.l1,
    l2: winner.l2,
    code: winner.id,
    confidence: round(confidence),
    l1Confidence: round(Math.min(1, l1Confidence)),
    alternatives: order.slice(1, top).map((c) => toCandidate(codes[c] as ModelCode, p[c] as number)),
    abstained,
    reason,
    questions: abstained && options.explain !== false ? selectQuestions(model, candidates, 4, p) : [],
    explanation: options.explain === false ? EMPTY_EXPLANATION : explain(model, x, tokens.tokens, best, p, similarities, nearest, check.text),
    warnings: check.warnings,
  };
}
