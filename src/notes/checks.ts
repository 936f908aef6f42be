/** The checks of gradeNote that need more than one pattern: intent, reason, unresponsive customers, pasted notes. */
import { normalizeLabel } from '../lib/index.js';
import { findSpan, quote, type Findings } from './findings.js';
import * as L from './lexicon.js';
import { MAX_NOTE_CHARS } from './sanitize.js';
import { blankSignature } from './signature.js';
import { getTemplate, type TemplateL1 } from './templates.js';
import type { NoteContext, NoteSpan } from './types.js';

/** Other notes compared for pasting; more are ignored (bounds the work per call). */
export const MAX_OTHER_NOTES = 100;

function canonicalWorkload(workload: string | null | undefined): string | undefined {
  if (!workload) return undefined;
  const exact = L.WORKLOAD_TERMS.find((w) => normalizeLabel(w.workload) === normalizeLabel(workload));
  return (exact ?? L.WORKLOAD_TERMS.find((w) => w.aliases.test(workload)))?.workload ?? workload;
}

function tokenSet(text: string): Set<string> {
  return new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
}

function similarity(a: string, b: string): number {
  const x = tokenSet(a);
  const y = tokenSet(b);
  if (x.size === 0 || y.size === 0) return 0;
  let both = 0;
  for (const w of x) if (y.has(w)) both += 1;
  return both / (x.size + y.size - both);
}

/** Every engagement-logistics phrase that is not a finished fact ("kick-off held in May" is progress), in order. */
export function findLogisticsSpans(text: string): NoteSpan[] {
  const spans: NoteSpan[] = [];
  const re = new RegExp(L.LOGISTICS_RE.source, 'gi');
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const after = text.slice(m.index + m[0].length, m.index + m[0].length + 40);
    const before = text.slice(Math.max(0, m.index - 12), m.index);
    if (L.LOGISTICS_DONE_RE.test(after) || /\bafter (the )?$/i.test(before)) continue;
    spans.push({ start: m.index, end: m.index + m[0].length });
  }
  return spans;
}

/** The first engagement-logistics phrase that is not a finished fact, or null. */
export function findLogistics(text: string): NoteSpan | null {
  return findLogisticsSpans(text)[0] ?? null;
}

/** `text` with every span replaced by spaces of the same length (offsets survive). */
export function blankSpans(text: string, spans: readonly NoteSpan[]): string {
  let out = text;
  for (const sp of spans) out = out.slice(0, sp.start) + ' '.repeat(sp.end - sp.start) + out.slice(sp.end);
  return out;
}

/**
 * True when the clause (between `.`, `;`, `!`, `?` or a line break) around `span` says nothing but
 * logistics: once the logistics phrases are blanked out, every word is filler, a time or an arranging word
 * ("the next meeting with IT is on Friday", "Call scheduled for Tuesday"). A clause that also names what
 * the meeting unblocks or who acts ("we need their change manager to schedule the cutover") is not.
 */
export function isLogisticsClause(blanked: string, span: NoteSpan): boolean {
  const boundary = /[;!?\n]|\.(?![\p{L}\p{N}])/gu;
  let start = 0;
  let end = blanked.length;
  for (let m = boundary.exec(blanked); m; m = boundary.exec(blanked)) {
    if (m.index < span.start) start = m.index + 1;
    else {
      end = m.index;
      break;
    }
  }
  const tokens = blanked.slice(start, end).match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu) ?? [];
  return tokens.every((token, i) => {
    const w = token.toLowerCase();
    // A capitalised word inside the clause names who meets ("call with Anna on Tuesday"), not a cause.
    const name = i > 0 && /^\p{Lu}\p{Ll}/u.test(token);
    return name || w.length < 2 || L.UNSPECIFIC_WORDS.has(w) || L.LOGISTICS_FILLER.has(w) || /^\d+(st|nd|rd|th)?$/.test(w);
  });
}

/**
 * ENGAGEMENT_LOGISTICS: the first logistics phrase that counts against the note, or null. Logistics counts
 * when it stands in for the status: the note, logistics set aside, does not state the intent and the reason
 * (`statesStatus` false: "Waiting for a call with the CIO to discuss."), or the phrase fills a clause of its
 * own that says nothing else ("...; the next meeting with IT is on Friday."). A scheduling word inside a
 * clause that states the blocker or the step that removes it is part of the status, not logistics.
 */
export function findLogisticsFault(text: string, spans: readonly NoteSpan[], statesStatus: boolean): NoteSpan | null {
  if (spans.length === 0) return null;
  if (!statesStatus) return spans[0]!;
  const blanked = blankSpans(text, spans);
  return spans.find((sp) => isLogisticsClause(blanked, sp)) ?? null;
}

/** NO_INTENT: the note does not carry the intent its L1 needs. */
export function checkIntent(text: string, l1: TemplateL1 | undefined, findings: Findings): void {
  const add = (message: string, fix: string) => findings.add('NO_INTENT', 'warning', message, null, fix);
  if (l1 === 'In Progress' && !L.POSITIVE_INTENT_RE.test(text) && !L.PROGRESS_RE.test(text)) {
    add('The note lists facts but not what the customer means to reach, or by when.', 'Say what the customer is doing and its goal, e.g. "deploying to all 900 laptops by 30 June".');
  } else if (l1 === 'Blocked' && !L.POSITIVE_INTENT_RE.test(text) && !L.BLOCKED_RE.test(text)) {
    add('The note does not say that the customer wants the service and is stopped.', 'Start with the intent and the block: "Customer wants ... but is blocked because ...".');
  } else if (l1 === 'No Intent' && !L.NO_INTENT_STRONG_RE.test(text) && !L.NO_INTENT_SOFT_RE.test(text)) {
    add('The note does not say that the customer has no intent to use the service.', 'Say it plainly: "No intent to use ... because ...".');
  } else if (l1 === undefined && !L.POSITIVE_INTENT_RE.test(text) && !L.BLOCKED_RE.test(text) && !L.NO_INTENT_STRONG_RE.test(text) && !L.NO_INTENT_SOFT_RE.test(text) && !L.UNRESPONSIVE_RE.test(text) && !L.DUPLICATE_RE.test(text)) {
    add("The note does not say what the customer means to do with the service.", 'State the intent: deploying, blocked, no intent, or not known yet and why.');
  }
}

/**
 * NO_REASON or VAGUE_REASON: no concrete why for the note's L1. `unresponsive` is true when the note
 * gives an unresponsive customer as the reason: it says nobody answers, or it describes contact attempts.
 * `template`: the shape the NO_REASON fix quotes (the L1's template unless the caller has a better one).
 */
export function checkReason(text: string, l1: TemplateL1 | undefined, unresponsive: boolean, findings: Findings, template: string = getTemplate(l1)): void {
  let concrete: boolean;
  let vagueHint = false;
  switch (l1) {
    case 'Status Unknown':
      concrete = unresponsive || L.NEW_SUBSCRIPTION_RE.test(text) || L.ATTEMPT_COUNT_RE.test(text);
      break;
    case 'Duplicate/Invalid':
      // What such a note must say: which tenant or record it duplicates, or why it is invalid; not a blocker.
      concrete = hasDuplicateOrInvalidDetail(text);
      vagueHint = L.DUPLICATE_RE.test(text);
      break;
    case 'In Progress':
      concrete = L.PROGRESS_OBJECT_RE.test(text) || L.PROGRESS_RE.test(text) || L.CONCRETE_RE.test(text);
      break;
    default:
      concrete = L.CONCRETE_RE.test(text) || L.ACRONYM_RE.test(text) || (l1 === undefined && (unresponsive || L.PROGRESS_OBJECT_RE.test(text) || L.DUPLICATE_DETAIL_RE.test(text)));
  }
  if (concrete || (l1 !== 'Status Unknown' && l1 !== 'Duplicate/Invalid' && (hasSpecificCause(text) || hasDepartmentReason(text)))) return;
  const vague = findSpan(text, L.VAGUE_RE);
  if (vague || vagueHint) {
    const unspecific = l1 === 'Duplicate/Invalid' ? 'The note says duplicate or invalid, but not which tenant or record it duplicates, or why it is invalid.' : 'The note names the status but not the specifics another team needs.';
    findings.add(
      'VAGUE_REASON',
      'error',
      vague ? `The reason ${quote(text, vague)} is too vague for another team to act on.` : unspecific,
      vague,
      l1 === 'Duplicate/Invalid' ? 'Name the tenant it duplicates (domain or tenant ID), or why it is invalid.' : 'Name the specific cause: which system, rule, product, team or decision, e.g. "the proxy cannot handle Teams media traffic".',
    );
    return;
  }
  findings.add(
    'NO_REASON',
    'error',
    'The note does not say why: the primary reason is missing.',
    null,
    `Add the reason, concretely: ${template}`,
  );
}

/**
 * True when a Duplicate/Invalid note says what such a note must: which tenant or record it duplicates (a
 * domain, a tenant id, a record id, a quoted name, or a capitalised name in a sentence that points at the
 * other record), or why it is invalid (made by mistake, for the wrong customer, cancelled, a test tenant,
 * or a specific clause after "because" / "due to").
 */
export function hasDuplicateOrInvalidDetail(text: string): boolean {
  if (L.DUPLICATE_DETAIL_RE.test(text) || L.INVALID_CAUSE_RE.test(text)) return true;
  if (L.INVALID_CUE_RE.test(text) && hasSpecificCause(text)) return true;
  return namesOtherRecord(text);
}

/** True when a sentence that points at the record a duplicate duplicates also names it. */
function namesOtherRecord(text: string): boolean {
  for (const sentence of text.split(/[.!?\n]+(?:\s|$)/)) {
    if (!L.DUPLICATE_POINTER_RE.test(sentence)) continue;
    if (L.RECORD_ID_RE.test(sentence) || L.QUOTED_NAME_RE.test(sentence)) return true;
    for (const m of sentence.matchAll(/[A-Z]\p{Ll}[\p{L}\p{N}&'’-]*/gu)) {
      // The first word of a sentence or after a colon is capitalised anyway: it names nothing by its case.
      const before = sentence.slice(0, m.index).trimEnd();
      if (before === '' || before.endsWith(':')) continue;
      if (/\p{L}$/u.test(sentence.slice(0, m.index))) continue;
      // Who said so is not the other record: "per Maya", "confirmed by Tom", "asked Priya".
      if (/\b(per|according to|confirmed by|asked|ask|told|says|said|cc|contact)\s*$/i.test(before)) continue;
      const word = m[0].toLowerCase().replace(/['’]s$/, '');
      if (!L.NOT_A_NAME.has(word)) return true;
    }
  }
  return false;
}

/** True when a match of `pattern` is followed, in its clause, by at least two words that carry specifics. */
function isFollowedBySpecifics(text: string, pattern: RegExp): boolean {
  const re = new RegExp(pattern.source, 'gi');
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const clause = text.slice(m.index + m[0].length).split(/[.;:!?\n]/)[0] ?? '';
    const specific = (clause.toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}'-]*/gu) ?? []).filter((w) => !L.UNSPECIFIC_WORDS.has(w) && w.length > 1);
    if (specific.length >= 2) return true;
    if (m[0] === '') re.lastIndex += 1;
  }
  return false;
}

/** True when a cause word ("because", "due to", ...) is followed by a specific clause. */
function hasSpecificCause(text: string): boolean {
  return isFollowedBySpecifics(text, L.CAUSE_RE);
}

/** True when a named department or role says what it forbids or demands, specifically ("Legal forbids mail leaving Germany"). */
function hasDepartmentReason(text: string): boolean {
  return isFollowedBySpecifics(text, L.DEPARTMENT_ACTION_RE);
}

/** UNRESPONSIVE_*: an unresponsive-customer note must count attempts and say managed or unmanaged. */
export function checkUnresponsive(text: string, managed: boolean | null | undefined, findings: Findings): void {
  if (!L.ATTEMPT_COUNT_RE.test(text)) {
    findings.add(
      'UNRESPONSIVE_NO_ATTEMPTS',
      'warning',
      'The note does not count the contact attempts.',
      null,
      'Say how many attempts, over which channels and since when, e.g. "5 attempts (3 emails, 2 calls) since 2 May".',
    );
  }
  const saysUnmanaged = L.UNMANAGED_RE.test(text);
  const saysManaged = !saysUnmanaged && L.MANAGED_RE.test(text);
  const fixFor = managed === true ? 'Add "managed account, escalated to the account team".' : managed === false ? 'Add "unmanaged account, no account team to escalate to".' : 'Say whether the account is managed (and escalated to the account team) or unmanaged.';
  if (!saysManaged && !saysUnmanaged) {
    findings.add('UNRESPONSIVE_NO_MANAGED', 'warning', 'The note does not say whether the account is managed.', null, fixFor);
  } else if ((managed === true && saysUnmanaged) || (managed === false && saysManaged)) {
    findings.add(
      'UNRESPONSIVE_NO_MANAGED',
      'warning',
      `The note says the account is ${saysManaged ? 'managed' : 'unmanaged'}, but it is recorded as ${managed ? 'managed' : 'unmanaged'}.`,
      findSpan(text, saysManaged ? L.MANAGED_RE : L.UNMANAGED_RE),
      fixFor,
    );
  }
}

/** PASTED_ACROSS_WORKLOADS: the same text on other workloads where it does not fit. */
export function checkPasted(text: string, context: NoteContext, l1: TemplateL1 | undefined, unresponsive: boolean, findings: Findings): void {
  const others = Array.isArray(context.otherNotes) ? context.otherNotes.slice(0, MAX_OTHER_NOTES) : [];
  if (others.length === 0) return;
  const here = canonicalWorkload(context.workload);
  const copies = others.filter(
    // The other notes are compared as this one is graded: without an email signature under them.
    (o) => canonicalWorkload(o.workload) !== here && similarity(blankSignature(o.text.slice(0, MAX_NOTE_CHARS)), text) >= 0.85,
  );
  if (copies.length === 0) return;
  if (unresponsive || l1 === 'Duplicate/Invalid' || L.DUPLICATE_RE.test(text)) return;
  const where = [...new Set(copies.map((o) => o.workload))].join(', ');
  const named = L.WORKLOAD_TERMS.filter((w) => w.terms.test(text)).map((w) => w.workload);
  if (named.length > 0 && (!here || !named.includes(here))) {
    const span = findSpan(text, L.WORKLOAD_TERMS.find((w) => w.workload === named[0])!.terms);
    findings.add(
      'PASTED_ACROSS_WORKLOADS',
      'error',
      `The same note is on ${where}, and it is about ${named.join(', ')}, not ${here ?? 'this workload'}.`,
      span,
      `Write a note for ${here ?? 'this workload'} itself: its own intent and reason.`,
    );
    return;
  }
  if (L.TENANT_WIDE_RE.test(text)) return;
  findings.add(
    'PASTED_ACROSS_WORKLOADS',
    'warning',
    `The same note is on ${where}; check that it fits ${here ?? 'this workload'}.`,
    null,
    'Give each workload its own note unless the reason applies to the whole customer (then say so).',
  );
}
