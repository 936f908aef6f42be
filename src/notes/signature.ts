/**
 * The email signature under a note ("Thanks,\nJane Smith\nCloud Architect\n+1 555 0100"): the coach grades
 * the note without it, as the classifier reads it (the detection is the classifier's, so the two agree).
 */
import { stripTrailingSignature } from '../classifier/input-check.js';
import type { NoteSpan } from './types.js';

/**
 * Where the email signature at the end of `text` starts, with the white space before it, to the end of
 * `text`; null when it has none (or is nothing but one: a signature-only note has no note to keep).
 */
export function findSignature(text: string): NoteSpan | null {
  const kept = stripTrailingSignature(text).length;
  return kept < text.length && text.slice(kept).trim() !== '' ? { start: kept, end: text.length } : null;
}

/** `text` with the email signature at its end blanked to spaces of the same length (offsets survive). */
export function blankSignature(text: string): string {
  const signature = findSignature(text);
  return signature === null ? text : text.slice(0, signature.start) + ' '.repeat(signature.end - signature.start);
}
