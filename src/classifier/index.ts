/** The classifier's public API: train from a page set, classify notes, evaluate. Pure: vectors are passed in as values. */
export type {
  Candidate,
  Classification,
  ClassifyOptions,
  ConfirmationQuestion,
  CrossValidationSummary,
  Evaluation,
  Explanation,
  LabelledNote,
  Model,
  ModelCode,
  ModelOptions,
  NearestExample,
  SerializedModel,
  TrainingPlaybook,
} from './types.js';
export { classify } from './classify.js';
export { evaluate, crossValidate, createEvaluator, type Evaluator } from './evaluate.js';
export { trainModel, prepareModel, DEFAULT_OPTIONS, TRAINER_VERSION } from './model.js';
export { computeEce } from './calibration.js';
export { decodeVectors, encodeVectors, createEmptyVectors, type WordVectors } from './vectors.js';
export { DOMAIN_LEXICON } from './lexicon.js';
export { MAX_NOTE_CHARS } from './input-check.js';
export { analyseText } from './tokenize.js';

import type { Model, SerializedModel } from './types.js';
/** The JSON-serialisable form of a model (what `prepareModel` takes back). */
export function serializeModel(model: Model): SerializedModel {
  return model.data;
}
