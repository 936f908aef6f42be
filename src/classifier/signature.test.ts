/** A note that ends with an email signature is classified and explained by its own words only. */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePlaybook } from '../playbook/index.js';
import { classify, createEmptyVectors, trainModel } from './index.js';

const dir = new URL('../../playbooks/', import.meta.url);
const playbook = parsePlaybook(readdirSync(dir).filter((f) => f.endsWith('.md')).map((f) => ({ file: f, text: readFileSync(new URL(f, dir), 'utf8') })));
const model = trainModel(playbook, createEmptyVectors(), { folds: 2 });

describe('classify a note with a signature after it', () => {
  const body = 'Blocked by legal review of the DPA.';
  const signature = '\n\nThanks,\nJane Smith\nCloud Architect\nContoso Ltd. | +1 555 0100';

  it('answers as for the note alone, keeps the note as written, and quotes no word of the signature', () => {
    const signed = classify(model, `${body}${signature}`);
    const plain = classify(model, body);
    expect(signed.text).toBe(`${body}${signature}`);
    expect({ ...signed, text: plain.text }).toEqual(plain);
    const terms = signed.explanation.terms.map((t) => t.term.toLowerCase());
    for (const word of ['jane', 'smith', 'cloud', 'architect', 'contoso', 'thanks']) expect(terms.join(' ')).not.toMatch(new RegExp(`\\b${word}\\b`));
  });
});

describe('classify a text the note coach already read for its signature', () => {
  // The coach blanks the note's signature and cuts the note to the part it grades; a look-alike at that
  // cut, with the note going on after it, is the note's, and the classifier reads it when told so.
  const head = 'Blocked by legal review of the DPA; the customer security team also wants a cloud architect on the call.';
  const lookAlike = '\nThanks,\nJane Smith\nCloud Architect\nContoso Ltd. | +1 555 0100';

  it('looks for no signature with keepSignature, and reads the look-alike as the note', () => {
    const note = `${head}${lookAlike}`;
    const kept = classify(model, note, { keepSignature: true });
    // The same lines, as one line of the note: no signature shape, so read whole either way.
    const asOneLine = classify(model, `${head}${lookAlike.replace(/\n/g, ' ')}`);
    expect({ ...kept, text: '' }).toEqual({ ...asOneLine, text: '' });
    expect(kept.text).toBe(note);
    // Without the option the look-alike is cut: the classifier reads the head alone.
    const cut = classify(model, note);
    expect({ ...cut, text: '' }).toEqual({ ...classify(model, head), text: '' });
    expect({ ...kept, text: '' }).not.toEqual({ ...cut, text: '' });
  });
});
