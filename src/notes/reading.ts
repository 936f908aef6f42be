/** What a note's wording says on its own: the L1 it reads as, and whether it only repeats a status. */
import * as L from './lexicon.js';
import type { TemplateL1 } from './templates.js';

/** The L1 a note reads as from explicit wording alone, or undefined when it says nothing decisive. */
export function readL1(text: string): TemplateL1 | undefined {
  if (hasDuplicateCue(text)) return 'Duplicate/Invalid';
  if (L.UNRESPONSIVE_RE.test(text)) return 'Status Unknown';
  if (L.NO_INTENT_STRONG_RE.test(text)) return 'No Intent';
  if (L.BLOCKED_STRONG_RE.test(text) || L.WANT_BUT_RE.test(text)) return 'Blocked';
  const soft = L.NO_INTENT_SOFT_RE.exec(text);
  if (soft && !/\buntil\b/i.test(text.slice(soft.index, soft.index + 120))) return 'No Intent';
  if (L.ACTIVE_PROGRESS_RE.test(text)) return 'In Progress';
  return undefined;
}

export function hasDuplicateCue(text: string): boolean {
  return L.DUPLICATE_RE.test(text) && !L.NEGATED_DUPLICATE_RE.test(text);
}

/** True when the note only repeats a status ("In progress", "Blocked - Legal", "No intent."). */
export function isBareStatus(text: string): boolean {
  const tokens = text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .split(/\s+/)
    .filter((w) => w !== '' && !L.BARE_FILLER.has(w) && !WORKLOAD_WORDS.has(w));
  return tokens.length > 0 && tokens.length <= 8 && tokens.every((w) => L.STATUS_VOCABULARY.has(w));
}

const WORKLOAD_WORDS = new Set(
  'exchange online teams sharepoint onedrive intune windows microsoft 365 apps yammer defender azure ad premium project outlook mobile information protection identity security cloud app school data sync'.split(
    ' ',
  ),
);
