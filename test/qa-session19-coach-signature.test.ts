/**
 * QA round 19, the note coach and the classifier behind the tracker's advice: the coach finds a note's
 * signature on the whole note, blanks it and cuts the note to the part it grades; the classifier it asks
 * then looks for no signature again, so a look-alike at the coach's cut is read as the note's words.
 * Checked on what the classifier finally reads (its input check, with the options it is handed).
 */
import { describe, expect, it } from 'vitest';
import { gradeWithReading } from '../src/app/advice.js';
import { checkInput } from '../src/classifier/input-check.js';
import { MAX_NOTE_CHARS } from '../src/notes/index.js';

describe('the advice path hands the classifier the coach’s options', () => {
  it('reads a look-alike of a signature at the coach’s cut', () => {
    const lookAlike = '\nThanks,\nJane Smith\nCloud Architect\n';
    const head = 'Blocked: legal is still reviewing the data processing agreement and nothing moves until it is signed. '.repeat(40).slice(0, MAX_NOTE_CHARS - lookAlike.length);
    const note = `${head}${lookAlike} Update: the DPA was signed and a pilot of 200 users started.`;
    const read: string[] = [];
    gradeWithReading(note, { l1: 'Blocked' }, (text, options) => {
      read.push(checkInput(text, options).text);
      return { l1: 'Blocked', l2: null, code: null, confidence: 0.9, abstained: false };
    });
    expect(read).toHaveLength(1);
    expect(read[0]).toMatch(/Thanks,\nJane Smith\nCloud Architect/);
  });
});
