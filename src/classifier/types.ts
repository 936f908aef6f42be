/** Types of the classifier. Everything here is plain data except {@link Model}, which holds prepared indexes. */
import type { PlaybookPage } from '../playbook/types.js';
import type { Taxonomy } from '../taxonomy/types.js';
import type { WordVectors } from './vectors.js';

/** What training needs from a parsed page set (the playbook module's Playbook satisfies it). */
export interface TrainingPlaybook {
  pages: readonly PlaybookPage[];
  taxonomy: Taxonomy;
}

/** Knobs of feature extraction and training; the defaults were chosen by cross-validation (docs/CLASSIFIER.md). */
export interface ModelOptions {
  /** Weight of each feature block after its own L2 normalisation. */
  wordWeight: number;
  bigramWeight: number;
  charWeight: number;
  denseWeight: number;
  /** Character n-gram lengths, inclusive. */
  charMin: number;
  charMax: number;
  /** Dense weight of a word never seen in training, as a fraction of the largest IDF. */
  unseenWordWeight: number;
  /** Weight of a lexicon concept relative to a written word. */
  conceptWeight: number;
  /** L2 penalty of the logistic regression. */
  l2: number;
  iterations: number;
  learningRate: number;
  /** Weight of nearest-example cosine similarity added to the logistic-regression logits. */
  knnWeight: number;
  /** Weight of each code's normalised scenario centroid added to the linear weights (nearest-centroid term). */
  centroidWeight: number;
  /** Sample weights by evidence kind. */
  invalidWeight: number;
  hardNegativeWeight: number;
  definitionWeight: number;
  questionWeight: number;
  /** Abstain below this calibrated confidence or this top-2 margin. */
  minConfidence: number;
  minMargin: number;
  /** Folds used to fit the temperature. */
  folds: number;
  seed: number;
}

/** A code the model can answer, with what explanations and questions need. */
export interface ModelCode {
  id: string;
  l1: string;
  l2: string | null;
  definition: string | null;
  file: string | null;
  /** Confirmation questions of the code's page, nested ones flattened after their parent. */
  questions: string[];
  /** Names that refer to the code in free text (L2 name, aliases), normalised. */
  names: string[];
}

export type EvidenceKind = 'valid' | 'invalid' | 'definition' | 'question';

/** One piece of training evidence taken from a page. */
export interface TrainingExample {
  text: string;
  /** Index into `codes` of the code it is positive for. */
  code: number;
  /** Index of the code it is a hard negative for (invalid examples: the page's code), or -1. */
  negative: number;
  kind: EvidenceKind;
  file: string;
  weight: number;
}

/** Scenario vectors stored in a model file (see neighbour-cache.ts). */
export interface SerializedNeighbourVectors {
  /** Fingerprint of the word vectors the vectors were computed with. */
  vectors: string;
  count: number;
  /** Base64, little endian: Int32 offsets (count + 1) into idx/val; Int32 idx; Float32 val; Float32 dense (count x dims); Float64 norm2. */
  offsets: string;
  idx: string;
  val: string;
  dense: string;
  norm2: string;
}

/** The JSON form of a trained model: what is cached on disk. */
export interface SerializedModel {
  format: 'unblock-model/1';
  /** The trainer that made it ({@link TRAINER_VERSION} then); a model made by another is trained again. */
  trainer?: string;
  taxonomyVersion: string;
  options: ModelOptions;
  codes: ModelCode[];
  l1s: { name: string; codes: number[] }[];
  examples: TrainingExample[];
  featureKeys: string[];
  /** Float32 arrays, little endian, base64: IDF per feature; weights row-major [feature][code]; dense weights [dim][code]. */
  idf: string;
  weights: string;
  denseWeights: string;
  bias: number[];
  /** Tokens of every example text and definition sentence (`norm` or `norm/lemma`, space-separated), so loading needs no NLP pass. */
  analysed: Record<string, string>;
  /** The scenario vectors, so loading need not vectorise them again (absent in older files: then it does). */
  neighbourVectors?: SerializedNeighbourVectors;
  temperature: number;
  /** The temperature for thin notes (fewer than three content words), fitted on thin fragments of the held-out fold's scenarios; absent: `temperature`. */
  thinTemperature?: number;
  /** Cross-validated figures measured when the model was trained. */
  crossValidation: CrossValidationSummary | null;
  warnings: string[];
}

export interface CrossValidationSummary {
  folds: number;
  examples: number;
  top1: number;
  top3: number;
  ece: number;
  eceBeforeCalibration: number;
  /** The same for thin fragments of the scenarios (see `thinTemperature`), and their ECE at the main temperature. */
  thin?: { examples: number; top1: number; top3: number; ece: number; eceAtMainTemperature: number };
}

/** A trained model ready to classify: the serialised form plus vectors and prepared indexes. */
export interface Model {
  readonly data: SerializedModel;
  readonly vectors: WordVectors;
  /** @internal prepared structures, built by `prepareModel`. */
  readonly prepared: unknown;
}

export interface Candidate {
  l1: string;
  l2: string | null;
  code: string;
  confidence: number;
}

export interface NearestExample {
  text: string;
  l1: string;
  l2: string | null;
  similarity: number;
  kind: 'valid' | 'invalid';
  file: string;
}

export interface ConfirmationQuestion {
  text: string;
  /** The code whose page the question comes from. */
  l1: string;
  l2: string | null;
}

export interface Explanation {
  terms: { term: string; weight: number }[];
  nearestExamples: NearestExample[];
  invalidMatch?: { text: string; pointsTo: { l1: string; l2: string | null }; file: string; similarity: number };
  definitionSentence: string | null;
}

export interface Classification {
  text: string;
  l1: string | null;
  l2: string | null;
  code: string | null;
  confidence: number;
  l1Confidence: number;
  alternatives: Candidate[];
  abstained: boolean;
  reason: string | null;
  questions: ConfirmationQuestion[];
  explanation: Explanation;
  warnings: string[];
}

export interface ClassifyOptions {
  /** How many candidates to list (the best one included); default 3. */
  top?: number;
  /** Set false to skip the explanation and questions (faster, for evaluation); default true. */
  explain?: boolean;
  /**
   * Set true when the text is already without its email signature (the note coach blanks it and cuts the
   * note to the part it grades): no signature is looked for, so a look-alike at the text's end is read.
   */
  keepSignature?: boolean;
}

/** A labelled note for evaluation: `code` is a taxonomy code id. */
export interface LabelledNote {
  text: string;
  code: string;
}

export interface Evaluation {
  count: number;
  top1: number;
  top3: number;
  macroF1: number;
  /**
   * Per code: `support` notes labelled with it, `predicted` notes answered with it; precision is 0 when
   * nothing was answered with the code, recall 0 when no note is labelled with it (the CLI shows a dash).
   */
  perCode: { code: string; l1: string; l2: string | null; support: number; predicted: number; precision: number; recall: number; f1: number }[];
  confusedPairs: { expected: string; predicted: string; count: number }[];
  ece: number;
  abstentionRate: number;
  accuracyOnAnswered: number;
  l1Accuracy: number;
}
