/** Types of the note coach. Plain data, JSON-serialisable (except the injected `classify`). */
import type { NOTE_FINDING_CODES } from './codes.js';

export type NoteGradeLevel = 'great' | 'marginal' | 'poor';

/** `error` alone makes a note poor; `warning`s lower the grade; `info` is advice only. */
export type FindingSeverity = 'error' | 'warning' | 'info';

export type NoteFindingCode = (typeof NOTE_FINDING_CODES)[number];

/** What the injected classifier returns for a text (the shape of src/classifier's prediction). */
export interface NoteClassification {
  l1: string;
  l2: string | null;
  /** Calibrated probability of the top code, 0..1. */
  confidence: number;
  /** Probability of the top L1 alone, 0..1; used for L1 mismatches when given (else `confidence`). */
  l1Confidence?: number;
  abstained: boolean;
}

/**
 * How the coach asks: `keepSignature` true, since the text it hands over has its email signature blanked
 * already and is cut to the part graded, so the classifier looks for no signature in it (a look-alike at
 * the cut is the note's). A classifier that ignores it may cut such a look-alike.
 */
export interface NoteClassifyOptions {
  keepSignature?: boolean;
}

export type ClassifyFn = (text: string, options?: NoteClassifyOptions) => NoteClassification;

/** Everything known about the note besides its text; every field optional. */
export interface NoteContext {
  /** The L1 chosen for the status, as written (resolution to the taxonomy happens elsewhere). */
  l1?: string | null;
  l2?: string | null;
  workload?: string | null;
  /** The same customer's notes on its other workloads. */
  otherNotes?: readonly { workload: string; text: string }[];
  /** Whether the account has an account team (managed) or not. */
  managed?: boolean | null;
  /** When given, used to read the note's status (STATUS_MISMATCH) and to fill a missing L1 the wording does not settle. */
  classify?: ClassifyFn;
  /**
   * What the loaded playbook says a note should hold, per L1 of its own (keyed by the L1's name; case and
   * spacing ignored). For a note filed under such an L1 it replaces the generic template; the five
   * built-in L1s keep their hand-written templates whatever this holds. Built once per playbook load.
   */
  l1Guidance?: Readonly<Record<string, string>>;
  /**
   * The kind of status rules each L1 of the playbook's own follows, by the L1's name (the taxonomy's L1
   * `kind`, e.g. `{ Stalled: 'blocked' }` for a page that says `rules: Blocked`; `noteL1Kinds` builds it).
   * A note filed under, or classified as, such an L1 is coached as a note of the one it follows (its
   * checks, and that L1's template unless `l1Guidance` has the L1's own), while the grade names the L1 as
   * filed. The five built-in L1s keep their own coaching whatever this holds. Built once per playbook load.
   */
  l1Kinds?: Readonly<Record<string, string>>;
}

/** A character range of the note as given (UTF-16 offsets, end exclusive). */
export interface NoteSpan {
  start: number;
  end: number;
}

export interface NoteFinding {
  code: NoteFindingCode;
  severity: FindingSeverity;
  /** What is wrong, in plain words. */
  message: string;
  /** The part of the note it is about, or null when it is about the note as a whole (or something missing). */
  span: NoteSpan | null;
  /** What to write instead. */
  fix: string;
}

export interface NoteGrade {
  grade: NoteGradeLevel;
  /** 0..1; great >= 0.9, marginal 0.5..0.8, poor < 0.5. */
  score: number;
  /** Errors first, then warnings, then advice; each code at most once. */
  findings: NoteFinding[];
  /** The shape of a great note for the note's L1: the playbook's guidance for an L1 of its own when given (`l1Guidance`), else a generic one when the L1 is unknown. */
  template: string;
  /**
   * Where the template comes from: `shape`, the hand-written shape of a built-in L1, with placeholders to
   * fill in; `playbook`, the playbook's own guidance for an L1 of its own (prose to follow, not to paste);
   * `generic`, the generic shape, when the L1 is unknown.
   */
  templateSource: 'shape' | 'playbook' | 'generic';
  /** The note's L1: the context's (a built-in one, or one of the playbook's own that has guidance or follows the rules of one of the five), else the one its wording reads as, else the classifier's, else null. */
  l1: string | null;
}
