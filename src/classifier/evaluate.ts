/** Evaluation of a model on labelled notes, and cross-validation on a page set. Pure. */
import { computeEce } from './calibration.js';
import { classify } from './classify.js';
import { collectTrainingData } from './examples.js';
import { DEFAULT_OPTIONS, fitFoldTemperature, predictOutOfFold, summariseFolds } from './model.js';
import type { CrossValidationSummary, Evaluation, LabelledNote, Model, ModelOptions, TrainingPlaybook } from './types.js';
import type { WordVectors } from './vectors.js';

/** Scores `model` on `notes` (each with its true code id). Never throws; 0s for an empty set. */
export function evaluate(model: Model, notes: Iterable<LabelledNote>): Evaluation {
  const evaluator = createEvaluator(model);
  for (const note of notes) evaluator.add(note);
  return evaluator.result();
}

/** An evaluation fed one note at a time (see {@link createEvaluator}). */
export interface Evaluator {
  /** Classifies `note` and counts the outcome; the note itself is not kept. */
  add(note: LabelledNote): void;
  /** The figures of the notes added so far, as {@link evaluate} gives them for those notes. */
  result(): Evaluation;
}

/**
 * Scores `model` on notes given one at a time, so that a labelled set of any size is read as it is
 * scored: of each note only counts and its prediction (confidence, right or wrong) are kept.
 */
export function createEvaluator(model: Model): Evaluator {
  const codes = model.data.codes;
  const stats = new Map<string, { tp: number; fp: number; fn: number }>();
  const stat = (code: string) => {
    let s = stats.get(code);
    if (!s) stats.set(code, (s = { tp: 0, fp: 0, fn: 0 }));
    return s;
  };
  for (const c of codes) stat(c.id);
  const confused = new Map<string, number>();
  const calib: { confidence: number; correct: boolean }[] = [];
  let count = 0;
  let top1 = 0;
  let top3 = 0;
  let l1Right = 0;
  let answered = 0;
  let answeredRight = 0;
  const l1Of = (id: string) => codes.find((c) => c.id === id)?.l1 ?? id.split('/')[0];
  const add = (note: LabelledNote) => {
    count++;
    const result = classify(model, note.text, { top: 3, explain: false });
    const predicted = result.code;
    const correct = predicted === note.code;
    if (correct) top1++;
    if (correct || result.alternatives.some((a) => a.code === note.code)) top3++;
    if (predicted && l1Of(predicted) === l1Of(note.code)) l1Right++;
    calib.push({ confidence: result.confidence, correct });
    if (!result.abstained) {
      answered++;
      if (correct) answeredRight++;
    }
    if (correct) stat(note.code).tp++;
    else {
      stat(note.code).fn++;
      if (predicted) {
        stat(predicted).fp++;
        const key = `${note.code}\u0000${predicted}`;
        confused.set(key, (confused.get(key) ?? 0) + 1);
      }
    }
  };
  const result = (): Evaluation => {
    const n = Math.max(count, 1);
    const perCode = [...stats.entries()]
      .map(([code, s]) => {
        const precision = s.tp + s.fp > 0 ? s.tp / (s.tp + s.fp) : 0;
        const recall = s.tp + s.fn > 0 ? s.tp / (s.tp + s.fn) : 0;
        const info = codes.find((c) => c.id === code);
        return {
          code,
          l1: info?.l1 ?? code,
          l2: info?.l2 ?? null,
          support: s.tp + s.fn,
          predicted: s.tp + s.fp,
          precision,
          recall,
          f1: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0,
        };
      })
      .sort((a, b) => a.code.localeCompare(b.code));
    const scored = perCode.filter((c) => c.support > 0);
    return {
      count,
      top1: top1 / n,
      top3: top3 / n,
      macroF1: scored.length ? scored.reduce((s, c) => s + c.f1, 0) / scored.length : 0,
      perCode,
      confusedPairs: [...confused.entries()]
        .map(([key, pairs]) => {
          const [expected, predicted] = key.split('\u0000') as [string, string];
          return { expected, predicted, count: pairs };
        })
        .sort((a, b) => b.count - a.count || a.expected.localeCompare(b.expected))
        .slice(0, 10),
      ece: computeEce(calib),
      abstentionRate: (count - answered) / n,
      accuracyOnAnswered: answered > 0 ? answeredRight / answered : 0,
      l1Accuracy: l1Right / n,
    };
  };
  return { add, result };
}

/**
 * k-fold cross-validation over the page set's example scenarios (stratified by code,
 * seeded). The temperature is fitted on the same out-of-fold predictions.
 */
export function crossValidate(playbook: TrainingPlaybook, vectors: WordVectors, k = 5, overrides: Partial<ModelOptions> = {}): CrossValidationSummary & { temperature: number } {
  const options = { ...DEFAULT_OPTIONS, ...overrides };
  const data = collectTrainingData(playbook, options);
  const predictions = predictOutOfFold(data, vectors, options, k);
  const temperature = fitFoldTemperature(predictions);
  const before = summariseFolds(predictions, 1, k);
  return { ...summariseFolds(predictions, temperature, k), eceBeforeCalibration: before.ece, temperature };
}
