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
