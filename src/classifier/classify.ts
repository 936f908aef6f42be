/** Classifies one note: calibrated L2 and L1 probabilities, abstention, questions and explanation. Pure. */
import { mentionsAnyPadded, padLabel } from './examples.js';
import { addTokenVectorMemo, BLOCK_BIGRAM, BLOCK_WORD, cosineSimilarity, findConcepts, findTokenParts, type FeatureVector } from './features.js';
import { checkInput } from './input-check.js';
import { softmaxInPlace } from './logreg.js';
import { computeNeighbourSimilarities, computeScores, getPrepared, vectoriseText, type PreparedModel } from './model.js';
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

/** Calibrated probabilities of every code for a vectorised note, with the neighbour similarities. */
export function computeProbabilities(model: Model, x: FeatureVector): { probabilities: Float64Array; similarities: Float32Array } {
  const { core } = getPrepared(model);
  const similarities = computeNeighbourSimilarities(core, x);
  const probabilities = computeScores(core, x, similarities);
  softmaxInPlace(probabilities, model.data.temperature);
  return { probabilities, similarities };
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
    return (this.#runs ??= [...this.text.matchAll(WORD_RUN)].map((m) => ({ lower: m[0].toLowerCase(), start: m.index, end: m.index + m[0].length })));
  }

  /** Maximal runs of letters, digits, apostrophes and hyphens ("self-service", "haven't"), lower-cased. */
  get spans(): string[] {
    return (this.#spans ??= [...this.text.matchAll(SPAN_RUN)].map((m) => m[0].toLowerCase()));
  }

  /** The first negative contraction ("haven't"), lower-cased. */
  get contraction(): string | undefined {
    if (this.#contraction === undefined) this.#contraction = CONTRACTION.exec(this.text)?.[0].toLowerCase() ?? null;
    return this.#contraction ?? undefined;
  }

  /** True when `term` is a whole word of the note, or its words are, in order, with only non-letters between them; case ignored. */
  hasWhole(term: string): boolean {
    const [head = '', ...rest] = term.toLowerCase().split(' ');
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

/**
 * The words and phrases that pushed `winner` up against the other codes (probability-weighted),
 * largest first, as the note writes them: a lexicon concept's weight goes to the note words that
 * brought it in, `not` is shown as the contraction the note wrote ("haven't"), and a pair of words the
 * note does not write side by side is shown as the stretch of the note between them (at most three
 * words apart) or split between the two words. Only the strongest terms are looked up in the note.
 */
function explainTerms(prepared: PreparedModel, x: FeatureVector, tokens: Token[], winner: number, p: Float64Array, text: string): { term: string; weight: number }[] {
  const { core } = prepared;
  const C = core.classes;
  let mass = 0;
  for (let c = 0; c < C; c++) if (c !== winner) mass += p[c] as number;
  const contrast = (row: Float64Array, base: number): number => {
    if (!(mass > 0)) return row[base + winner] as number;
    let others = 0;
    for (let c = 0; c < C; c++) {
      if (c === winner) continue;
      others += (p[c] as number) * (row[base + c] as number);
    }
    return (row[base + winner] as number) - others / mass;
  };
  const byTerm = new Map<string, number>();
  const add = (term: string, w: number) => byTerm.set(term, (byTerm.get(term) ?? 0) + w);
  const display = new Map<string, string>();
  const shown = (t: Token) => (t.norm === 'it_dept' ? 'IT' : t.norm);
  const { space, vectors, options } = core;
  const parts = tokens.map((t) => findTokenParts(space, vectors, t, options));
  const gramOwners = new Map<number, string[]>();
  /** Lexicon concepts -> the note words that brought them in; built only when a concept weighs in. */
  let conceptOwners: Map<string, string[]> | undefined;
  const ownersOfConcept = (concept: string): string[] => {
    if (!conceptOwners) {
      conceptOwners = new Map();
      for (const t of tokens) {
        for (const c of findConcepts(t) ?? []) {
          const list = conceptOwners.get(c);
          if (list) list.push(shown(t));
          else conceptOwners.set(c, [shown(t)]);
        }
      }
    }
    return conceptOwners.get(concept) ?? [];
  };
  tokens.forEach((t, i) => {
    display.set(t.lemma, shown(t));
    for (const f of (parts[i] as (typeof parts)[number]).gramIds) {
      const owners = gramOwners.get(f);
      if (owners) owners.push(shown(t));
      else gramOwners.set(f, [shown(t)]);
    }
  });
  for (let i = 0; i < x.idx.length; i++) {
    const f = x.idx[i] as number;
    const key = space.keys[f] ?? '';
    const w = (x.val[i] as number) * contrast(core.linear.weights, f * C);
    const block = space.block[f];
    if (block === BLOCK_WORD) {
      const word = display.get(key.slice(2));
      if (word !== undefined) add(word, w);
      else {
        // A lexicon concept (its name is not a word of the note): its weight goes to the words that brought it in.
        const owners = ownersOfConcept(key.slice(2));
        for (const owner of owners) add(owner, w / owners.length);
      }
    }
    else if (block === BLOCK_BIGRAM) add(key.slice(2).split(' ').map((l) => display.get(l) ?? l).join(' '), w);
    else {
      const owners = gramOwners.get(f) ?? [];
      for (const owner of owners) add(owner, w / owners.length);
    }
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
    const direction = new Float64Array(dims);
    for (let d = 0; d < dims; d++) direction[d] = scale * contrast(core.linear.denseWeights, d * C);
    tokens.forEach((t, i) => {
      const { own } = parts[i] as (typeof parts)[number];
      let w = 0;
      for (let d = 0; d < dims; d++) w += (own[d] as number) * (direction[d] as number);
      add(shown(t), w);
    });
  }
  const ranked = [...byTerm.entries()].filter(([, w]) => w > 0).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  // The strongest terms as the note writes them (terms folded together add up; then the list is ranked again).
  const note = new NoteWords(text);
  const inNote = new Map<string, number>();
  const keep = (term: string | undefined, w: number) => {
    if (term !== undefined) inNote.set(term, (inNote.get(term) ?? 0) + w);
  };
  for (const [term, w] of ranked.slice(0, MAX_TERMS)) {
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
  return [...inNote.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([term, weight]) => ({ term, weight: round(weight, 3) }));
}

/** Indices of the `k` largest values, largest first (ties: lower index first). */
function selectTop(values: Float32Array, k: number): number[] {
  const top: number[] = [];
  let floor = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (top.length === k && v <= floor) continue;
    let at = top.length;
    while (at > 0 && v > (values[top[at - 1] as number] as number)) at--;
    top.splice(at, 0, i);
    if (top.length > k) top.pop();
    if (top.length === k) floor = values[top[k - 1] as number] as number;
  }
  return top;
}

function explain(model: Model, x: FeatureVector, tokens: Token[], winner: number, p: Float64Array, sims: Float32Array, text: string): Explanation {
  const prepared = getPrepared(model);
  const { core } = prepared;
  const codes = model.data.codes;
  const order = selectTop(sims, 5);
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
  let best = -Infinity;
  for (const s of sentences) {
    const score = cosineSimilarity(x, s.x) - (s.mentionsOther ? 0.15 : 0);
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

/** The confirmation questions (from the candidates' pages) that best tell the candidates apart. */
export function selectQuestions(model: Model, candidates: number[], limit = 4): ConfirmationQuestion[] {
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
      const score = (mentionsAnyPadded(label, otherNames) ? 1 : 0) + relevance;
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
 * Classifies a status note. Never throws: unusable input yields `abstained: true`
 * with a reason; over-long input is truncated with a warning.
 */
export function classify(model: Model, text: string, options: ClassifyOptions = {}): Classification {
  const top = Math.max(1, Math.min(options.top ?? 3, 50));
  const check = checkInput(text);
  const { codes, l1s } = model.data;
  const original = typeof text === 'string' ? text : String(text ?? '');
  if (check.unusable) return createAbstention(original, check.unusable, check.warnings);
  if (codes.length === 0) return createAbstention(original, 'The model has no codes: its page set holds no example scenarios.', check.warnings);
  if (codes.length === 1) {
    return createAbstention(original, `The page set defines only one code (${label(codes[0] as ModelCode)}); there is nothing to choose between.`, check.warnings);
  }
  const prepared = getPrepared(model);
  const { core } = prepared;
  const { x, tokens } = vectoriseText(core.space, core.vectors, check.text, core.options);
  if (x.norm2 === 0) return createAbstention(original, 'No word of the note is known to the model; describe the situation in more words.', check.warnings);
  const { probabilities: p, similarities } = computeProbabilities(model, x);
  const order = [...p.keys()].sort((a, b) => (p[b] as number) - (p[a] as number) || a - b);
  const best = order[0] as number;
  const second = order[1] as number;
  const winner = codes[best] as ModelCode;
  const l1Node = l1s.find((n) => n.name === winner.l1);
  const l1Confidence = l1Node ? l1Node.codes.reduce((s, c) => s + (p[c] as number), 0) : (p[best] as number);
  const confidence = p[best] as number;
  const margin = confidence - (p[second] as number);
  const { minConfidence, minMargin } = core.options;
  let reason: string | null = null;
  let abstained = false;
  if (check.thin) {
    abstained = true;
    reason = check.thin;
  } else if (confidence < minConfidence || margin < minMargin) {
    abstained = true;
    const runner = codes[second] as ModelCode;
    const why =
      confidence < minConfidence
        ? `confidence ${round(confidence, 2)} is below ${minConfidence}`
        : `the top two are too close (${round(confidence, 2)} vs ${round(p[second] as number, 2)})`;
    reason =
      l1Confidence >= 0.75 && runner.l1 === winner.l1
        ? `The L1 is clear (${winner.l1}, ${round(l1Confidence, 2)}) but the L2 is not: ${label(winner)} or ${label(runner)}; ${why}.`
        : `Not sure: ${label(winner)} or ${label(runner)}; ${why}.`;
  } else if (l1Confidence - confidence >= 0.25) {
    reason = `The L1 (${winner.l1}) is clearer (${round(l1Confidence, 2)}) than the L2 (${round(confidence, 2)}).`;
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
    questions: abstained && options.explain !== false ? selectQuestions(model, candidates) : [],
    explanation: options.explain === false ? EMPTY_EXPLANATION : explain(model, x, tokens.tokens, best, p, similarities, check.text),
    warnings: check.warnings,
  };
}
