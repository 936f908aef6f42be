/** gradeNote: grade a status note and say how to make it useful. Pure; never throws. */
import { normalizeLabel } from '../lib/index.js';
import { analyzeText } from './analyze.js';
import { blankSpans, checkIntent, checkPasted, checkReason, checkUnresponsive, findLogisticsFault, findLogisticsSpans } from './checks.js';
import { Findings, findSpan, quote } from './findings.js';
import * as L from './lexicon.js';
import { hasDuplicateCue, isBareStatus, readL1 } from './reading.js';
import { isNotEnglish, sanitizeNote } from './sanitize.js';
import { findSignature } from './signature.js';
import { fillWorkload, findCoachedL1, findPlaybookTemplate, getTemplate, type PlaybookTemplate, type TemplateL1 } from './templates.js';
import type { NoteClassification, NoteContext, NoteGrade, NoteGradeLevel, NoteSpan } from './types.js';

/** Limits of length, in words and sentences (warning, then error). */
export const LENGTH_LIMITS = { words: 60, sentences: 3, maxWords: 150, maxSentences: 6 } as const;
/** Classifier confidence needed to report a mismatch: another L1, or another L2 under the same L1. */
export const MISMATCH_CONFIDENCE = { l1: 0.6, l2: 0.75 } as const;

const WEIGHT = { warning: 0.2, info: 0.05 } as const;

function safeClassify(context: NoteContext, text: string): NoteClassification | undefined {
  if (!context.classify) return undefined;
  try {
    // The text has its signature blanked and is cut to the part graded: the classifier looks for none in it.
    const c = context.classify(text, { keepSignature: true });
    return c && typeof c.l1 === 'string' && Number.isFinite(c.confidence) ? c : undefined;
  } catch {
    return undefined;
  }
}

/** The context with every field of the wrong type dropped (callers may be plain JavaScript). */
function readContext(given: NoteContext | null | undefined): NoteContext {
  if (!given || typeof given !== 'object') return {};
  const str = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v : undefined);
  const context: NoteContext = {};
  const l1 = str(given.l1);
  const l2 = str(given.l2);
  const workload = str(given.workload);
  if (l1) context.l1 = l1;
  if (l2) context.l2 = l2;
  if (workload) context.workload = workload;
  if (typeof given.managed === 'boolean') context.managed = given.managed;
  if (Array.isArray(given.otherNotes)) context.otherNotes = given.otherNotes.filter((o) => o && typeof o === 'object' && typeof o.text === 'string' && typeof o.workload === 'string');
  if (typeof given.classify === 'function') context.classify = given.classify;
  if (given.l1Guidance && typeof given.l1Guidance === 'object' && !Array.isArray(given.l1Guidance)) context.l1Guidance = given.l1Guidance;
  if (given.l1Kinds && typeof given.l1Kinds === 'object' && !Array.isArray(given.l1Kinds)) context.l1Kinds = given.l1Kinds;
  return context;
}

/**
 * The grade of `findings`, with the template (and the fixes quoting it) written for the context's workload.
 * `l1`: the note's L1 as the grade names it, and the one of the five whose shape it gets (`rules`).
 * `own`: the note is filed under an L1 of the playbook's own that has guidance; its template and name win.
 */
function finish(findings: Findings, l1: { name: string; rules: TemplateL1 | undefined } | undefined, workload: string | null | undefined, own: PlaybookTemplate | undefined): NoteGrade {
  const errors = findings.list.filter((f) => f.severity === 'error').length;
  const warnings = findings.list.filter((f) => f.severity === 'warning').length;
  const infos = findings.list.filter((f) => f.severity === 'info').length;
  let score = Math.max(0, 1 - WEIGHT.warning * warnings - WEIGHT.info * infos);
  if (errors > 0) score = Math.max(0, Math.min(score, 0.3) - 0.1 * (errors - 1));
  const grade: NoteGradeLevel = errors > 0 || warnings >= 3 ? 'poor' : warnings > 0 ? 'marginal' : 'great';
  if (grade === 'poor') score = Math.min(score, 0.4);
  const order = { error: 0, warning: 1, info: 2 } as const;
  const sorted = [...findings.list].sort((x, y) => order[x.severity] - order[y.severity]).map((f) => ({ ...f, fix: fillWorkload(f.fix, workload) }));
  return {
    grade,
    score: Math.round(score * 100) / 100,
    findings: sorted,
    template: fillWorkload(own?.template ?? getTemplate(l1?.rules), workload),
    templateSource: own ? 'playbook' : l1?.rules ? 'shape' : 'generic',
    l1: own?.l1 ?? l1?.name ?? null,
  };
}

/**
 * Grades a status note. `context` may carry the chosen L1/L2, the workload, the customer's
 * other notes, whether the account is managed, and a classifier. Works on any input: huge,
 * binary, markup or foreign text get a clear grade and finding. Never throws.
 */
export function gradeNote(note: string, given: NoteContext = {}): NoteGrade {
  const raw = typeof note === 'string' ? note : String(note ?? '');
  const context = readContext(given);
  const findings = new Findings();
  // The L1 the note is filed under: one of the five, or an L1 of the playbook's own that follows the rules
  // of one of them (`l1Kinds`), coached as that one (`givenL1`) and named as filed (`givenName`).
  const filed = findCoachedL1(context.l1, context.l1Kinds);
  const givenL1 = filed?.rules;
  const givenName = filed?.name;
  const givenL2 = context.l2 ? normalizeLabel(context.l2) : undefined;
  // An L1 of the playbook's own (not one of the five) with guidance from its L1 page: that guidance is the
  // template the fixes quote, whatever built-in L1 the wording reads as, since the writer chose that L1.
  const own = findPlaybookTemplate(context.l1, context.l1Guidance);
  const templateOf = (l1: string | null | undefined): string => own?.template ?? getTemplate(l1);

  if (raw.trim() === '') {
    findings.add('NOTE_EMPTY', 'error', 'The note is empty.', null, `Write one or two sentences: ${templateOf(givenL1)}`);
    return finish(findings, filed, context.workload, own);
  }

  const s = sanitizeNote(raw);
  // An email signature under the note (a sign-off, then names, roles and contact details) says nothing
  // about the customer: it is graded as blank, so its words are no reason and add no length, and its `|`
  // or address is no markup. Blanked, not cut, so spans stay offsets into the note as given.
  // Found in the note as written (blanking markup would hide a signature's `|` and address from the
  // classifier's own rule), at its real end, as the classifier finds it: a long note is cut after that, so
  // the part of its signature within the part analysed is blanked, and a look-alike at the cut is the note's.
  const found = findSignature(raw);
  const signature = found === null || found.start >= s.analysedLength ? null : { start: found.start, end: s.analysedLength };
  const text = signature === null ? s.clean : blankSpans(s.clean, [signature]);
  /** Where the note's own words end: the start of its signature, else the end of what was analysed. */
  const noteEnd = signature?.start ?? s.analysedLength;
  const markup = s.markup !== null && s.markup.start < noteEnd ? s.markup : null;
  if (s.truncated) {
    findings.add(
      'TRUNCATED',
      'info',
      `The note is ${raw.length.toLocaleString('en-US')} characters long; only the first ${s.analysedLength.toLocaleString('en-US')} were graded.`,
      { start: s.analysedLength, end: raw.length },
      'Cut the note to one or two sentences; keep history and meeting notes elsewhere.',
    );
  }
  // Readable as sanitizeNote tells it, but of the note's own words.
  const readable = signature === null ? s.readable : /\p{L}{2,}/u.test(text);
  if (s.junkShare > 0.1 || !readable) {
    const junk = s.junkShare > 0.1;
    if (!junk && !markup) {
      // Readable text has a word of two letters or more; without one, the note is numbers and signs, or lone letters ("x").
      const message = /\p{L}/u.test(text) ? 'The note is too short to say anything: it has no word of two letters or more.' : 'The note has no words in it.';
      findings.add('NOTE_EMPTY', 'error', message, null, `Write one or two sentences: ${templateOf(givenL1)}`);
    } else {
      findings.add(
        'MARKUP_OR_JUNK',
        'error',
        junk ? 'The note is mostly binary or garbled characters, not text.' : 'The note holds only markup or links, no readable text.',
        { start: 0, end: s.analysedLength },
        `Replace it with plain text: ${templateOf(givenL1)}`,
      );
    }
    return finish(findings, filed, context.workload, own);
  }
  if (markup || s.junkShare > 0) {
    findings.add(
      'MARKUP_OR_JUNK',
      'warning',
      markup ? `The note contains markup or a link (${quote(raw, markup)}); reports show notes as plain text.` : 'The note contains control or garbled characters.',
      markup,
      'Write the note as plain sentences, without HTML, Markdown or links.',
    );
  }
  if (isNotEnglish(text)) {
    findings.add(
      'NOT_ENGLISH',
      'error',
      'The note is not in English, so it cannot be graded and most report readers cannot use it.',
      null,
      `Write the note in English: ${templateOf(givenL1)}`,
    );
    return finish(findings, filed, context.workload, own);
  }

  const classified = safeClassify(context, text);
  const usable = classified && !classified.abstained ? classified : undefined;
  // Without a given L1, explicit wording decides; the classifier fills in when the wording says nothing decisive.
  const read = readL1(text);
  const classifiedAs = findCoachedL1(usable?.l1, context.l1Kinds);
  const classifiedL1 = classifiedAs?.rules;
  const l1 = givenL1 ?? read ?? classifiedL1;
  /** The note's L1 as the grade names it: as filed, else as its wording reads, else as the classifier reads it. */
  const noteL1 = filed ?? (read ? { name: read, rules: read } : undefined) ?? classifiedAs;
  const l2 = givenL2 ?? (!givenL1 && l1 && l1 === classifiedL1 && usable?.l2 ? normalizeLabel(usable.l2) : undefined);

  if (isBareStatus(text)) {
    findings.add(
      'NOTE_BARE_STATUS',
      'error',
      'The note only repeats a status; it says neither what the customer intends nor why.',
      { start: 0, end: noteEnd },
      `Say what the customer means to do and the primary reason: ${templateOf(l1 ?? read)}`,
    );
    return finish(findings, noteL1, context.workload, own);
  }

  // Status mismatch from explicit wording; the classifier's reading is checked last.
  let effectiveL1: TemplateL1 | undefined = l1 ?? read;
  if (givenL1 && read && read !== givenL1 && !(givenL1 === 'Duplicate/Invalid' && read === 'Duplicate/Invalid')) {
    findings.add(
      'STATUS_MISMATCH',
      'error',
      `The note reads as ${read}, but the status is ${givenName}.`,
      null,
      `Either change the status to ${read}, or rewrite the note for ${givenName}: ${templateOf(givenL1)}`,
    );
    effectiveL1 = read;
  } else if (givenL1 === 'Duplicate/Invalid' && !hasDuplicateCue(text) && (L.POSITIVE_INTENT_RE.test(text) || L.PROGRESS_RE.test(text))) {
    findings.add(
      'STATUS_MISMATCH',
      'error',
      `The note describes a customer that means to use the service, but the status is ${givenName}.`,
      null,
      `Keep ${givenName} only for duplicate or invalid tenants; otherwise choose the status the note describes.`,
    );
    effectiveL1 = 'In Progress';
  }

  const a = analyzeText(text);
  // Length and narrative.
  const tooLong = a.words > LENGTH_LIMITS.words || a.sentences > LENGTH_LIMITS.sentences;
  if (tooLong) {
    const far = a.words > LENGTH_LIMITS.maxWords || a.sentences > LENGTH_LIMITS.maxSentences;
    findings.add(
      'TOO_LONG',
      far ? 'error' : 'warning',
      `The note has ${a.sentences} sentences and ${a.words} words; a status note needs one or two sentences.`,
      null,
      'Keep the intent and the primary reason; move history and detail to the activity log.',
    );
  }
  const signals: NoteSpan[] = [];
  for (const re of [L.MEETING_RE, L.TOPICS_RE, L.SPECULATION_RE, L.WEEKDAY_RE]) {
    const sp = findSpan(text, re);
    if (sp) signals.push(sp);
  }
  let narrative = signals.length + (a.dates >= 2 ? 1 : 0) + (L.FIRST_PERSON_RE.test(text) ? 1 : 0);
  if (a.sentences >= 3) narrative += 1;
  if (narrative >= 3 && (a.sentences >= 2 || a.words >= 35)) {
    findings.add(
      'NARRATIVE',
      'warning',
      'The note tells a story (meetings, dates, speculation or several topics) instead of stating the status.',
      signals[0] ?? null,
      'State where the customer stands now and why, in one or two sentences; leave the history out.',
    );
  }

  const hedge = findSpan(text, L.HEDGE_RE);
  if (hedge) {
    findings.add(
      'HEDGING',
      'warning',
      `${quote(text, hedge)} blurs the customer's intent.`,
      hedge,
      'Be decisive: drop the hedge and state the intent and the reason as facts ("unable to ... because ...").',
    );
  }

  // Under Customer Unresponsive any word about contact makes the note about an unresponsive customer (so it
  // is told to count attempts and say managed or not); but only a note that says nobody answers, or that
  // describes attempts, gives the reason: "see email" names a channel and says nothing.
  const saysUnresponsive = L.UNRESPONSIVE_RE.test(text);
  const filedUnresponsive = l2 === normalizeLabel('Customer Unresponsive') && !findings.has('STATUS_MISMATCH');
  const unresponsive = effectiveL1 === 'Status Unknown' || effectiveL1 === undefined ? saysUnresponsive || (filedUnresponsive && L.CONTACT_RE.test(text)) : false;
  const unresponsiveReason = unresponsive && (saysUnresponsive || L.ATTEMPT_COUNT_RE.test(text) || L.CONTACT_ATTEMPT_RE.test(text));
  // Logistics counts against a note only when it stands in for the status: the note, logistics set aside,
  // lacks the intent or the reason, or a clause says nothing but logistics. "Blocked: CAB rejected the
  // cutover; we need their change manager to schedule it" is a sound note with a scheduling word in it.
  const logisticsSpans = findLogisticsSpans(text);
  let statesStatus = false;
  if (logisticsSpans.length > 0) {
    const probe = new Findings();
    const rest = blankSpans(text, logisticsSpans);
    checkIntent(rest, effectiveL1, probe);
    checkReason(rest, effectiveL1, unresponsiveReason, probe, templateOf(effectiveL1));
    statesStatus = probe.list.length === 0;
  }
  const logistics = findLogisticsFault(text, logisticsSpans, statesStatus);
  if (logistics) {
    findings.add(
      'ENGAGEMENT_LOGISTICS',
      'warning',
      `${quote(text, logistics)} is engagement logistics, not the customer's status.`,
      logistics,
      'Put meetings and scheduling in the next action; the note says what the customer intends and why.',
    );
  }

  checkIntent(text, effectiveL1, findings);
  checkReason(text, effectiveL1, unresponsiveReason, findings, templateOf(effectiveL1));
  if (unresponsive) checkUnresponsive(text, context.managed, findings);
  checkPasted(text, context, effectiveL1, unresponsive, findings);
  // The classifier's reading counts only for a note that gives a reason it can read.
  if (filed && usable && !findings.has('STATUS_MISMATCH') && !findings.has('NO_REASON') && !findings.has('VAGUE_REASON')) {
    // The classifier reads one of the five, or an L1 of the playbook's own that follows one's rules; it
    // agrees only when it reads the very L1 the note is filed under.
    const cl1 = classifiedAs;
    const sameL1 = cl1 !== undefined && normalizeLabel(cl1.name) === normalizeLabel(filed.name);
    const pct = (v: number) => `${Math.round(v * 100)}%`;
    const code = `${usable.l1}${usable.l2 ? ` / ${usable.l2}` : ''}`;
    const l1Confidence = usable.l1Confidence ?? usable.confidence;
    if (cl1 && !sameL1 && l1Confidence >= MISMATCH_CONFIDENCE.l1) {
      findings.add('STATUS_MISMATCH', 'error', `The note reads as ${code} (classifier confidence ${pct(l1Confidence)}), but the status is ${filed.name}.`, null, `Either change the status to ${code}, or rewrite the note so it supports ${filed.name}.`);
    } else if (sameL1 && givenL2 && usable.l2 && normalizeLabel(usable.l2) !== givenL2 && usable.confidence >= MISMATCH_CONFIDENCE.l2) {
      findings.add('STATUS_MISMATCH', 'warning', `The note reads as ${code} (classifier confidence ${pct(usable.confidence)}), not ${context.l2}.`, null, `Check the reason code: either choose ${usable.l2}, or make the note name the ${context.l2} blocker.`);
    }
  }

  return finish(findings, noteL1, context.workload, own);
}
