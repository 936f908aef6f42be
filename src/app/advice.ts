/**
 * The tracker's advice on one note: the note coach's grade and the classifier's reading, from one
 * classification of the note (the grade's mismatch check and the suggestion used to classify it once
 * each). Used on the calling thread and inside the classifier workers alike. Never throws.
 */
import { gradeNote, type NoteClassification } from '../notes/index.js';
import type { CodeSuggestion, NoteAdvice, NoteGrade, NoteToAdvise } from '../tracker/index.js';

/** The fields of a classification advice reads (the classifier's `Classification` has them). */
export interface ClassificationFields {
  l1: string | null;
  l2: string | null;
  code: string | null;
  confidence: number;
  abstained: boolean;
}

/** Classifies a note as the advice needs it: the top code only, without an explanation. */
export type AdviceClassify = (text: string) => ClassificationFields;

/** The options every advice classification is made with. */
export const ADVICE_CLASSIFY_OPTIONS = { top: 1, explain: false } as const;

/** The classifier's reading as the tracker stores it; null when it names no code. */
export function toSuggestion(c: ClassificationFields): CodeSuggestion | null {
  if (c.code === null || c.l1 === null) return null;
  return { code: c.code, l1: c.l1, l2: c.l2, confidence: c.confidence, abstained: c.abstained };
}

/** The classification as the note coach reads it. */
export function toNoteClassification(c: ClassificationFields): NoteClassification {
  return { l1: c.l1 ?? '', l2: c.l2, confidence: c.confidence, abstained: c.abstained || c.l1 === null };
}

/** The note coach's grade as the tracker stores it. */
export function toStoredGrade(graded: { grade: string; score: number; findings: { code: string; message: string }[] }): NoteGrade {
  return { grade: graded.grade, score: graded.score, findings: graded.findings.map((f) => ({ code: f.code, message: f.message })) };
}

/** What the note coach is told besides the note (src/notes NoteContext, without its classifier). */
export interface CoachContext {
  l1?: string | null;
  l2?: string | null;
  workload?: string | null;
  managed?: boolean | null;
}

/**
 * The note coach's grade of `note` (src/notes gradeNote), consulting `classify` for mismatches when
 * given. `reading`, when given, is `note`'s classification already made: it is used instead of
 * classifying the note again; any other text the coach asks about is classified afresh.
 */
export function gradeWithReading(note: string, context: CoachContext, classify: AdviceClassify | null, reading: ClassificationFields | null = null) {
  const coachClassify = classify ? (text: string) => toNoteClassification(text === note && reading ? reading : classify(text)) : undefined;
  const { l1, l2, workload, managed } = context;
  return gradeNote(note, { l1, l2, workload, ...(typeof managed === 'boolean' ? { managed } : {}), ...(coachClassify ? { classify: coachClassify } : {}) });
}

/**
 * Grades `item`'s note under its code and reads it with `classify` (null: no classifier, grade only),
 * classifying the note once for both. Never throws.
 */
export function adviseNote(classify: AdviceClassify | null, item: NoteToAdvise): NoteAdvice {
  let reading: ClassificationFields | null = null;
  try {
    reading = classify ? classify(item.note) : null;
  } catch {
    reading = null;
  }
  let grade: NoteGrade | null = null;
  try {
    grade = toStoredGrade(gradeWithReading(item.note, { l1: item.l1, l2: item.l2 }, classify, reading));
  } catch {
    grade = null;
  }
  return { grade, suggestion: reading ? toSuggestion(reading) : null };
}
