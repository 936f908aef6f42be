/** The classifier's "words that weighed most", on the built-in model: only words and phrases of the note. */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadClassifier } from '../src/app/index.js';
import { classify, type Model } from '../src/classifier/index.js';

let model: Model;

beforeAll(async () => {
  // test/global-setup.ts builds dist/assets (vectors, model) once for every test file.
  model = (await loadClassifier(undefined)).model;
});

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** True when `term` occurs in `note` as whole words (case ignored, any punctuation or spacing between its words). */
const occurs = (note: string, term: string) =>
  new RegExp(`(?<![\\p{L}\\p{N}_])${term.split(' ').map(escape).join('[^\\p{L}\\p{N}]+')}(?![\\p{L}\\p{N}_])`, 'iu').test(note);

describe('classify explanation terms', () => {
  it.each([
    'IT has no one with the skills to run the new workload.',
    'No IT capacity to deploy Intune this half',
    'IT admins are stretched and the IT team cannot take on Intune this quarter.',
    "Dept heads haven't approved the training calendar; Teams go-live waits.",
    'Staff fatigue after three system launches this year, HR wants to slow down.',
    'Lawyers see the new document workflow as extra admin, partners want buy-in sessions before SPO.',
    'Legal forbids mail leaving Germany so rollout is blocked until the new region.',
  ])('shows only words of the note: %s', (note) => {
    const result = classify(model, note);
    const terms = result.explanation.terms.map((t) => t.term);
    expect(terms.length).toBeGreaterThan(0);
    expect(terms.filter((t) => !occurs(note, t))).toEqual([]);
    expect(result.explanation.terms.map((t) => t.weight)).toEqual([...result.explanation.terms.map((t) => t.weight)].sort((a, b) => b - a));
  });

  it("gives the weight of the acronym IT's concepts to IT itself", () => {
    const terms = classify(model, 'No IT capacity to deploy Intune this half').explanation.terms.map((t) => t.term);
    expect(terms).toContain('IT');
    for (const concept of ['department', 'computer', 'administrators', 'technology']) expect(terms).not.toContain(concept);
  });

  it('shows a contraction as written and a pair of words split by a stop word as the stretch of the note', () => {
    expect(classify(model, "Dept heads haven't approved the training calendar; Teams go-live waits.").explanation.terms.map((t) => t.term)).not.toContain('not');
    const terms = classify(model, 'Staff fatigue after three system launches this year, HR wants to slow down.').explanation.terms.map((t) => t.term);
    expect(terms).not.toContain('wants slow');
  });
});
