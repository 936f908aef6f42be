/** Agreement of gradeNote with a reviewer's graded notes. Pure. */
import { NOTE_FINDING_CODES } from './codes.js';
import { gradeNote } from './grade-note.js';
import type { NoteContext, NoteFindingCode, NoteGradeLevel } from './types.js';

/** One line of eval/notes/*.jsonl: a note, its context, and the reviewer's grade and finding codes. */
export interface GradedNote {
  text: string;
  l1?: string | null;
  l2?: string | null;
  workload?: string | null;
  managed?: boolean;
  otherNotes?: { workload: string; text: string }[];
  grade: NoteGradeLevel;
  findings: string[];
}

export interface GradedNoteResult {
  index: number;
  text: string;
  expected: NoteGradeLevel;
  actual: NoteGradeLevel;
  expectedCodes: string[];
  actualCodes: string[];
}

export interface NoteAgreement {
  total: number;
  /** Share of notes whose grade matches the reviewer's, 0..1. */
  gradeAgreement: number;
  /** Rows: reviewer's grade; columns: gradeNote's. */
  confusion: Record<NoteGradeLevel, Record<NoteGradeLevel, number>>;
  /** Per finding code: true positives, false positives, false negatives. */
  codes: Record<string, { tp: number; fp: number; fn: number }>;
  /** Notes the reviewer gave no reason for (NO_REASON/VAGUE_REASON/bare/empty) that were graded great. */
  greatWithoutReason: number;
  results: GradedNoteResult[];
}

const GRADES: NoteGradeLevel[] = ['great', 'marginal', 'poor'];
const NO_REASON_CODES = new Set(['NO_REASON', 'VAGUE_REASON', 'NOTE_BARE_STATUS', 'NOTE_EMPTY']);

/** Grades every note with its context (plus `extra`, e.g. a classifier) and compares. Never throws. */
export function evaluateGradedNotes(notes: readonly GradedNote[], extra: Pick<NoteContext, 'classify'> = {}): NoteAgreement {
  const confusion = Object.fromEntries(GRADES.map((g) => [g, Object.fromEntries(GRADES.map((h) => [h, 0]))])) as NoteAgreement['confusion'];
  const codes: NoteAgreement['codes'] = Object.fromEntries(NOTE_FINDING_CODES.map((c: NoteFindingCode) => [c, { tp: 0, fp: 0, fn: 0 }]));
  const results: GradedNoteResult[] = [];
  let agree = 0;
  let greatWithoutReason = 0;
  notes.forEach((n, index) => {
    const context: NoteContext = { l1: n.l1, l2: n.l2, workload: n.workload, managed: n.managed, otherNotes: n.otherNotes, ...extra };
    const got = gradeNote(n.text, context);
    const actualCodes = got.findings.map((f) => f.code as string);
    confusion[n.grade][got.grade] += 1;
    if (n.grade === got.grade) agree += 1;
    if (got.grade === 'great' && n.findings.some((c) => NO_REASON_CODES.has(c))) greatWithoutReason += 1;
    for (const c of new Set([...actualCodes, ...n.findings])) {
      const bucket = (codes[c] ??= { tp: 0, fp: 0, fn: 0 });
      const inActual = actualCodes.includes(c);
      const inExpected = n.findings.includes(c);
      if (inActual && inExpected) bucket.tp += 1;
      else if (inActual) bucket.fp += 1;
      else bucket.fn += 1;
    }
    results.push({ index, text: n.text, expected: n.grade, actual: got.grade, expectedCodes: n.findings, actualCodes });
  });
  return { total: notes.length, gradeAgreement: notes.length === 0 ? 0 : agree / notes.length, confusion, codes, greatWithoutReason, results };
}
