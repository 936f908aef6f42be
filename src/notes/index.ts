/** Note coach: grade a status note and tell its writer how to make it useful. Pure. */
export { gradeNote, LENGTH_LIMITS, MISMATCH_CONFIDENCE } from './grade-note.js';
export { readL1, isBareStatus } from './reading.js';
export { MAX_OTHER_NOTES } from './checks.js';
export { NOTE_FINDING_CODES } from './codes.js';
export { REWRITE_TEMPLATES, GENERIC_TEMPLATE, fillWorkload, getTemplate, findTemplateL1, findCoachedL1, noteL1Kinds, type CoachedL1, type TemplateL1 } from './templates.js';
export { MAX_NOTE_CHARS } from './sanitize.js';
export { evaluateGradedNotes, type GradedNote, type GradedNoteResult, type NoteAgreement } from './evaluate.js';
export type {
  ClassifyFn,
  FindingSeverity,
  NoteClassification,
  NoteContext,
  NoteFinding,
  NoteFindingCode,
  NoteGrade,
  NoteGradeLevel,
  NoteSpan,
} from './types.js';
