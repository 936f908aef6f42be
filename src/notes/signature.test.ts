/**
 * The coach and the classifier find a note's signature at the same place: at the end of the note as
 * written, before either cuts a long note to the part it reads. A note cut at its length limit is read
 * without the part of its signature that falls inside that limit; a look-alike in the middle of the
 * note, at the cut, is the note's.
 */
import { describe, expect, it } from 'vitest';
import { checkInput } from '../classifier/input-check.js';
import { gradeNote } from './index.js';
import { MAX_NOTE_CHARS } from './sanitize.js';
import { findSignature } from './signature.js';

const SENTENCE = 'Blocked: legal is still reviewing the data processing agreement and nothing moves until it is signed. ';

/** What the classifier finally reads of what the coach hands it for `note`: its input check, with the coach's options. */
function classifierReads(note: string): string {
  const seen: string[] = [];
  gradeNote(note, { l1: 'Blocked', classify: (text, options) => (seen.push(checkInput(text, options).text), { l1: 'Blocked', l2: null, confidence: 0.9, abstained: false }) });
  expect(seen).toHaveLength(1);
  return seen[0] ?? '';
}

/** What the coach hands its classifier for `note`. */
function classifierInput(note: string): string {
  const seen: string[] = [];
  gradeNote(note, { l1: 'Blocked', classify: (text) => (seen.push(text), { l1: 'Blocked', l2: null, confidence: 0.9, abstained: false }) });
  expect(seen).toHaveLength(1);
  return seen[0] ?? '';
}

describe('the signature of a note longer than the coach reads', () => {
  const signature = '\n\nThanks,\nJane Smith\nCloud Architect | Contoso Ltd.\n+1 555 0100 | jane.smith@contoso.com';

  it('is blanked where it falls inside the part that is read', () => {
    const body = SENTENCE.repeat(40).slice(0, MAX_NOTE_CHARS - 40).trimEnd();
    const note = `${body}${signature}`;
    expect(note.length).toBeGreaterThan(MAX_NOTE_CHARS);
    const grade = gradeNote(note, { l1: 'Blocked' });
    expect(grade.findings.map((f) => f.code)).toContain('TRUNCATED');
    const read = classifierInput(note);
    expect(read).not.toMatch(/Thanks|Jane|Cloud/);
    expect(read.trimEnd()).toBe(body);
    // The classifier, asked directly, reads the same words.
    expect(checkInput(note).text).toBe(body);
  });

  it('is found at the end of the note as written, not at the cut', () => {
    const body = SENTENCE.repeat(60);
    expect(findSignature(`${body}${signature}`)).toEqual({ start: body.trimEnd().length, end: body.length + signature.length });
    const lookAlike = `${SENTENCE.repeat(29)}\nThanks,\nJane Smith\nCloud Architect\n\nUpdate: the DPA was signed and a pilot of 200 users started. ${SENTENCE.repeat(5)}`;
    expect(findSignature(lookAlike)).toBeNull();
    expect(classifierInput(lookAlike)).toMatch(/Jane Smith/);
  });

  it('is not looked for again by the classifier in the part the coach reads: a look-alike at the cut is read', () => {
    // The coach reads the first 3,000 characters; the look-alike ends just there, and the note goes on.
    const lookAlike = '\nThanks,\nJane Smith\nCloud Architect\n';
    const head = SENTENCE.repeat(40).slice(0, MAX_NOTE_CHARS - lookAlike.length);
    const note = `${head}${lookAlike} ${'Update: the DPA was signed and a pilot of 200 users started. '.repeat(3)}`;
    expect(findSignature(note)).toBeNull();
    const read = classifierReads(note);
    expect(read).toMatch(/Thanks,\nJane Smith\nCloud Architect/);
    expect(read.startsWith(head)).toBe(true);
    // The coach's own signature is still not read: it is blanked before the classifier sees the note.
    const signed = classifierReads(`No intent for now because the customer runs Google Workspace.\n\nThanks,\nJane Smith\nCloud Architect`);
    expect(signed.trim()).toBe('No intent for now because the customer runs Google Workspace.');
  });
});

describe('the new shapes of signature, in the coach', () => {
  const footer =
    'This email and any attachments are confidential and intended solely for the addressee. If you are not the intended recipient, please notify the sender and delete it.';

  it('grades a bare status signed, with an address and a footer, as the bare status it is', () => {
    const codes = (text: string) => gradeNote(text, { l1: 'No Intent' }).findings.map((f) => f.code);
    expect(codes('No intent.')).toEqual(['NOTE_BARE_STATUS']);
    for (const signature of [
      '\n\nThanks,\nJane',
      '\n\nViele Grüße,\nKlaus Müller\nMusterstraße 12\n10115 Berlin\nTel. +49 30 1234567',
      `\n\nBest regards,\nJane Smith\nT +44 20 1234 5678, M +44 7700 900123\n\n${footer}`,
    ]) {
      expect(codes(`No intent.${signature}`), signature).toEqual(['NOTE_BARE_STATUS']);
    }
  });

  it('grades a sign-off and a name on one line, and a footer with no signature above it, as the note (session 19)', () => {
    // Once blanked (d896b99): "Thanks, Budget Freeze" and a footer the note quotes read the same.
    for (const tail of ['\n\nThanks, Jane', `\n\n${footer}`]) {
      expect(findSignature(`No intent.${tail}`), tail).toBeNull();
    }
  });
});

