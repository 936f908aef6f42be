/**
 * The tracker's advice on one note: the note coach's grade and the classifier's reading, from one
 * classification of the note (the grade's mismatch check and the suggestion used to classify it once
 * each). Used on the calling thread and inside the classifier workers alike. Never throws.
 */
import { normalizeLabel } from '../lib/index.js';
import { findTemplateL1, gradeNote, type NoteClassification } from '../notes/index.js';
import type { NoteClassifyOptions } from '../notes/types.js';
import type { PlaybookPage } from '../playbook/types.js';
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
export type AdviceClassify = (text: string, options?: NoteClassifyOptions) => ClassificationFields;

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
  /** The loaded playbook's guidance per L1 of its own ({@link buildL1Guidance}), built once per playbook load. */
  l1Guidance?: L1Guidance;
  /** The kind of status rules each L1 of the playbook's own follows (src/notes `noteL1Kinds`), built once per playbook load. */
  l1Kinds?: Readonly<Record<string, string>>;
}

/** What a playbook's L1 pages say a note should hold, per L1 of the playbook's own (src/notes NoteContext `l1Guidance`). */
export type L1Guidance = Readonly<Record<string, string>>;

/** At most this many Status Note cells are quoted: the guidance is repeated in the fixes that quote it. */
const MAX_GUIDANCE_ROWS = 6;
/** A definition's first sentence is cut (at a word) past this many characters. */
const MAX_DEFINITION_CHARS = 300;

/** A cell that holds nothing to say: empty, a dash, "n/a", "TBD". */
const PLACEHOLDER_CELL = /^(?:[-\u2013\u2014.?*_\s]*|n\/?a|none|tbd|tbc)$/i;

/** `text` ending with a full stop (or the !, ? or ellipsis it has). */
const asSentence = (text: string): string => (/[.!?\u2026]["')\]]?$/.test(text) ? text : `${text}.`);

/**
 * The Status Note cells of an L1 page's Entitlement Scenarios table, as sentences: the rows filed under
 * the page's own L1 (a row of another L1, such as "the blocker was cleared: In Progress", tells what a
 * note for that other L1 holds), without repeats; with the row's L2 in brackets when several rows differ.
 */
function statusNoteGuidance(page: Pick<PlaybookPage, 'l1' | 'entitlementScenarios'>): string | undefined {
  const table = page.entitlementScenarios;
  if (!table || !page.l1) return undefined;
  const column = (name: string) => table.headers.findIndex((h) => normalizeLabel(h) === normalizeLabel(name));
  const noteAt = column('Status Note');
  if (noteAt < 0) return undefined;
  const l1At = column('L1');
  const l2At = column('L2');
  const own = normalizeLabel(page.l1);
  const seen = new Set<string>();
  const items: { note: string; l2: string | undefined }[] = [];
  for (const row of table.rows) {
    const cell = (at: number) => (at < 0 ? '' : (row[at] ?? '').replace(/\s+/g, ' ').trim());
    const l1 = cell(l1At);
    if (l1 !== '' && !PLACEHOLDER_CELL.test(l1) && normalizeLabel(l1) !== own) continue;
    const note = cell(noteAt);
    if (PLACEHOLDER_CELL.test(note) || seen.has(normalizeLabel(note))) continue;
    seen.add(normalizeLabel(note));
    const l2 = cell(l2At);
    items.push({ note: note.replace(/[\s;,:]+$/, ''), l2: PLACEHOLDER_CELL.test(l2) ? undefined : l2 });
  }
  if (items.length === 0) return undefined;
  const shown = items.slice(0, MAX_GUIDANCE_ROWS);
  const label = shown.length > 1;
  const sentences = shown.map((i) => {
    const end = /[.!?]$/.test(i.note) ? i.note.slice(-1) : '.';
    const body = /[.!?]$/.test(i.note) ? i.note.slice(0, -1) : i.note;
    return label && i.l2 ? `${body} (${i.l2})${end}` : `${body}${end}`;
  });
  const more = items.length - shown.length;
  if (more > 0) sentences.push(`(${more} more on the playbook's ${page.l1} page.)`);
  return sentences.join(' ');
}

/** The first sentence of `text`, cut at a word past {@link MAX_DEFINITION_CHARS} characters. */
function firstSentence(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  // A sentence ends at . ! or ? followed by a space and a capital, a digit or a quote ("e.g. the" goes on).
  const end = /[.!?]["')\]]?(?= +["'(\p{Lu}\p{N}])/u.exec(flat);
  const sentence = end ? flat.slice(0, end.index + end[0].length) : flat;
  if (sentence.length <= MAX_DEFINITION_CHARS) return sentence;
  const cut = sentence.slice(0, MAX_DEFINITION_CHARS);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), 1)).replace(/[\s,;:]+$/, '')}\u2026`;
}

/**
 * What each L1 page of a playbook's own L1s (not the five built-in, whose templates are hand-written)
 * says a note should hold: its Entitlement Scenarios' Status Note cells, else the first sentence of its
 * definition. Keyed by the L1's name; an L1 page with neither is left out (the coach's generic template
 * applies). Pure; call it once per playbook load and pass the result to every grade.
 */
export function buildL1Guidance(pages: readonly Pick<PlaybookPage, 'kind' | 'l1' | 'definition' | 'entitlementScenarios'>[]): L1Guidance {
  const guidance: Record<string, string> = {};
  for (const page of pages) {
    if (page.kind !== 'l1' || !page.l1 || findTemplateL1(page.l1) || Object.hasOwn(guidance, page.l1)) continue;
    const fromTable = statusNoteGuidance(page);
    const definition = page.definition?.trim() ? firstSentence(page.definition) : '';
    const text = fromTable ?? (definition ? `Say concretely why this customer fits the definition "${asSentence(definition)}"` : undefined);
    if (text) guidance[page.l1] = text;
  }
  return guidance;
}

/**
 * The note coach's grade of `note` (src/notes gradeNote), consulting `classify` for mismatches when
 * given. `reading`, when given, is `note`'s classification already made: it is used instead of
 * classifying the note again; any other text the coach asks about is classified afresh.
 */
export function gradeWithReading(note: string, context: CoachContext, classify: AdviceClassify | null, reading: ClassificationFields | null = null) {
  const coachClassify = classify ? (text: string, options?: NoteClassifyOptions) => toNoteClassification(text === note && reading ? reading : classify(text, options)) : undefined;
  const { l1, l2, workload, managed, l1Guidance, l1Kinds } = context;
  return gradeNote(note, { l1, l2, workload, ...(typeof managed === 'boolean' ? { managed } : {}), ...(coachClassify ? { classify: coachClassify } : {}), ...(l1Guidance ? { l1Guidance } : {}), ...(l1Kinds ? { l1Kinds } : {}) });
}

/**
 * Grades `item`'s note under its code and reads it with `classify` (null: no classifier, grade only),
 * classifying the note once for both. `item.l1Kinds`: the playbook's own L1 kinds, which the classifier's
 * workers get with each note. Never throws.
 */
export function adviseNote(classify: AdviceClassify | null, item: NoteToAdvise & Pick<CoachContext, 'l1Kinds'>): NoteAdvice {
  let reading: ClassificationFields | null = null;
  try {
    reading = classify ? classify(item.note) : null;
  } catch {
    reading = null;
  }
  let grade: NoteGrade | null = null;
  try {
    grade = toStoredGrade(gradeWithReading(item.note, { l1: item.l1, l2: item.l2, ...(item.l1Kinds ? { l1Kinds: item.l1Kinds } : {}) }, classify, reading));
  } catch {
    grade = null;
  }
  return { grade, suggestion: reading ? toSuggestion(reading) : null };
}
