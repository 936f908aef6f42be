/**
 * CLI polish from QA: `classify` leaves out words whose weight rounds to 0.00, `notes grade` says when
 * the L1 of its template is its own reading of the note, and JSONL input takes a `note` field as CSV
 * input takes a `note` column.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Classification } from '../src/classifier/index.js';
import { formatClassification } from '../src/cli/commands/classify.js';
import { formatGrade } from '../src/cli/commands/notes.js';
import { readJsonlRows, withTextField } from '../src/cli/input-rows.js';
import type { NoteGrade } from '../src/notes/index.js';

const work = mkdtempSync(join(tmpdir(), 'unblock-qa-small-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('classify text output', () => {
  const result = (terms: { term: string; weight: number }[]): Classification => ({
    text: 'x', l1: 'Blocked', l2: 'Legal/Regulatory', code: 'blocked/legal-regulatory', confidence: 0.8, l1Confidence: 0.9,
    alternatives: [], abstained: false, reason: null, questions: [], warnings: [],
    explanation: { terms, nearestExamples: [], definitionSentence: null },
  });

  it('leaves out words whose weight rounds to 0.00', () => {
    const out = formatClassification(result([{ term: 'legal', weight: 1.5 }, { term: 'review', weight: 0.006 }, { term: 'new workload', weight: 0.004 }, { term: 'wants', weight: -0.001 }]));
    expect(out).toMatch(/Words that weighed most: legal \(1\.50\), review \(0\.01\)$/m);
    expect(out).not.toMatch(/0\.00/);
  });

  it('has no words line when every weight rounds to 0.00', () => {
    expect(formatClassification(result([{ term: 'new workload', weight: 0.001 }]))).not.toMatch(/Words that weighed/);
  });
});

describe('notes grade text output', () => {
  const grade: NoteGrade = { grade: 'poor', score: 0.2, findings: [], template: 'Customer wants X but Y.', templateSource: 'shape', l1: 'Blocked' };

  it("says the template's L1 is the grader's reading when --l1 was not given", () => {
    expect(formatGrade('n', grade, true, false)).toMatch(/^Shape of a great note for Blocked \(read from the note by its wording or the classifier; --l1 sets it\):$/m);
    expect(formatGrade('n', grade, false, false)).toMatch(/^Shape of a great note for Blocked \(read from the note's wording; --l1 sets it\):$/m);
  });

  it('names the L1 alone when --l1 gave it', () => {
    expect(formatGrade('n', grade, true, true)).toMatch(/^Shape of a great note for Blocked:$/m);
  });
});

describe('JSONL input rows', () => {
  it('takes the text from "note" (any case) when there is no "text", as a CSV "note" column', async () => {
    const path = join(work, 'notes.jsonl');
    writeFileSync(path, ['{"id":1,"note":"Legal reviews the DPA."}', '{"id":2,"text":"t","note":"n"}', '{"id":3," Note ":"spaced"}', '{"id":4,"body":"none"}'].join('\n'));
    const rows = [];
    for await (const r of readJsonlRows(path)) rows.push(r.fields);
    expect(rows).toEqual([{ id: 1, text: 'Legal reviews the DPA.' }, { id: 2, text: 't', note: 'n' }, { id: 3, text: 'spaced' }, { id: 4, body: 'none' }]);
    // The field keeps its place among the row's fields.
    expect(Object.keys(withTextField({ a: 1, note: 'x', b: 2 }))).toEqual(['a', 'text', 'b']);
  });
});
