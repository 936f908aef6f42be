/**
 * `unblock eval` and `unblock notes eval` score one note at a time as the lines are read, instead of
 * reading every file (and keeping every note's text) first. The figures are the same as over the whole
 * set; the shared JSONL line loop keeps each command's handling of a bad line (eval skips it, notes eval
 * stops).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadClassifier } from '../../src/app/index.js';
import { createEvaluator, evaluate } from '../../src/classifier/evaluate.js';
import type { LabelledNote, Model } from '../../src/classifier/index.js';
import { labelledRows, resolveLabelledRow } from '../../src/cli/commands/eval.js';
import { gradedSetAgreement } from '../../src/cli/commands/notes.js';
import { readJsonLines } from '../../src/cli/file-lines.js';
import { evaluateGradedNotes, type GradedNote } from '../../src/notes/index.js';
import { makeTaxonomy } from '../factories.js';

const work = mkdtempSync(join(tmpdir(), 'unblock-cli-stream-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const ROOT = join(import.meta.dirname, '..', '..');

describe('readJsonLines', () => {
  it('drops a byte order mark, passes over blank lines and gives a line that is not JSON as invalid', () => {
    const file = join(work, 'lines.jsonl');
    writeFileSync(file, '\uFEFF{"a":1}\n\n  \n{oops\n[2]\r\n');
    expect([...readJsonLines(file)]).toEqual([{ line: 1, value: { a: 1 } }, { line: 4, invalid: true }, { line: 5, value: [2] }]);
  });
});

describe('eval reads a labelled row at a time', () => {
  it('gives the rows before a broken line before that line is reached', () => {
    const file = join(work, 'late-latin1.jsonl');
    writeFileSync(file, Buffer.concat([Buffer.from('{"text":"Waiting on the legal review of the data terms.","l2":"Legal/Regulatory"}\nnot json\n'), Buffer.from([0x7b, 0xe9, 0x7d, 0x0a])]));
    const rows = labelledRows([file]);
    const taxonomy = makeTaxonomy();
    const first = rows.next();
    expect(first.done).toBe(false);
    expect(resolveLabelledRow(first.value!, taxonomy)).toEqual({ text: 'Waiting on the legal review of the data terms.', code: 'blocked/legal-regulatory' });
    // eval skips a line that is not JSON, in its place.
    expect(rows.next().value).toEqual({ file, line: 2, reason: 'invalid JSON' });
    expect(() => rows.next()).toThrow(/line 3 has bytes UTF-8 does not allow/);
  });
});

describe('the evaluator fed one note at a time', () => {
  let model: Model;
  beforeAll(async () => {
    model = (await loadClassifier(undefined)).model;
  });

  it('gives the figures evaluate gives for the whole set, fed from a generator one note at a time', () => {
    const notes: LabelledNote[] = [];
    for (const file of ['blocked--app-compatibility.jsonl', 'blocked--adoption-readiness.jsonl', 'blocked--legal-regulatory.jsonl']) {
      for (const row of labelledRows([join(ROOT, 'eval', 'dev', file)])) {
        const resolved = resolveLabelledRow(row, makeTaxonomy());
        if (!('reason' in resolved)) notes.push(resolved);
      }
    }
    expect(notes.length).toBeGreaterThan(10);
    const whole = evaluate(model, notes);
    const evaluator = createEvaluator(model);
    let given = 0;
    // Each note exists only while it is added: a generator that makes it then.
    function* oneAtATime() {
      for (const n of notes) {
        given += 1;
        yield { text: n.text, code: n.code };
      }
    }
    for (const note of oneAtATime()) evaluator.add(note);
    expect(given).toBe(notes.length);
    expect(evaluator.result()).toEqual(whole);
    expect(evaluate(model, oneAtATime())).toEqual(whole);
    expect(createEvaluator(model).result()).toEqual(evaluate(model, []));
  });
});

describe('notes eval reads a graded note at a time', () => {
  const dev = join(ROOT, 'eval', 'notes', 'dev.jsonl');
  const graded = (): GradedNote[] => readFileSync(dev, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as GradedNote);

  it('gives the agreement evaluateGradedNotes gives for the whole set, codes in the same order', () => {
    const whole = evaluateGradedNotes(graded());
    const streamed = gradedSetAgreement(dev, dev, evaluateGradedNotes, {});
    expect(streamed.agreement).toEqual(whole);
    expect(Object.keys(streamed.agreement.codes)).toEqual(Object.keys(whole.codes));
    expect(JSON.stringify(streamed.agreement)).toBe(JSON.stringify(whole));
    expect(streamed.lines).toHaveLength(whole.total);
  });

  it('with a classifier too, and with blank lines and a byte order mark, lines named as in the file', () => {
    const file = join(work, 'graded.jsonl');
    const notes = graded().slice(0, 12);
    writeFileSync(file, `\uFEFF${notes.slice(0, 5).map((n) => JSON.stringify(n)).join('\n')}\n\n${notes.slice(5).map((n) => JSON.stringify(n)).join('\n')}\n`);
    // A classifier that reads every note as Blocked / Legal/Regulatory, sure of it.
    const classify = () => ({ l1: 'Blocked', l2: 'Legal/Regulatory', confidence: 0.9, l1Confidence: 0.95, abstained: false });
    const whole = evaluateGradedNotes(notes, { classify });
    const streamed = gradedSetAgreement(file, 'graded.jsonl', evaluateGradedNotes, { classify });
    expect(JSON.stringify(streamed.agreement)).toBe(JSON.stringify(whole));
    expect(streamed.lines).toEqual([1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 12, 13]);
  });

  it('stops at a line that is not a graded note, naming it', () => {
    const file = join(work, 'broken.jsonl');
    writeFileSync(file, `${JSON.stringify(graded()[0])}\nnull\n`);
    expect(() => gradedSetAgreement(file, 'broken.jsonl', evaluateGradedNotes, {})).toThrow('broken.jsonl:2: a graded note needs "text"');
    writeFileSync(file, `${JSON.stringify(graded()[0])}\n{oops\n`);
    expect(() => gradedSetAgreement(file, 'broken.jsonl', evaluateGradedNotes, {})).toThrow('broken.jsonl:2: not valid JSON.');
  });
});
