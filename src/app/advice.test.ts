import { afterAll, describe, expect, it } from 'vitest';
import { classify } from '../classifier/index.js';
import type { NoteToAdvise } from '../tracker/index.js';
import { ADVICE_CLASSIFY_OPTIONS, adviseNote } from './advice.js';
import { createClassifierPool, type ClassifierPool } from './classifier-pool.js';
import { findFreshBuiltinModel } from './model-store.js';
import { createAdvisor, createNoteCoachPort, type ClassificationLike, type ClassifierPort } from './services.js';

const model = findFreshBuiltinModel();
const items: NoteToAdvise[] = [
  { note: 'The proxy at head office cuts every connection to the cloud; the network team has no date for a fix.', l1: 'Blocked', l2: 'Customer IT Infrastructure' },
  { note: 'Customer has not answered three emails and two calls since the kickoff.', l1: 'In Progress', l2: 'Migration' },
  { note: 'still pending', l1: 'Blocked', l2: null },
  { note: 'They renewed their contract with a competing collaboration suite for three years.', l1: 'No Intent', l2: 'Using Competitive Solution' },
  { note: 'x', l1: 'Status Unknown', l2: 'New Subscription or Workload' },
];

describe.skipIf(!model)('advice on notes', () => {
  let pool: ClassifierPool | undefined;
  afterAll(async () => pool?.close());

  it('is what grading and reading the note separately give, on the workers and on this thread', async () => {
    const port: ClassifierPort = { classify: (text, options) => ({ ...classify(model!, text, options) }) };
    const separate = createAdvisor(port, createNoteCoachPort(port));
    const expected = await Promise.all(items.map(async (item) => ({ grade: await separate.grade!(item.note, item), suggestion: await separate.suggest!(item.note) })));
    expect(expected.every((e) => e.grade !== null && e.suggestion !== null)).toBe(true);
    expect(await separate.adviseMany!(items)).toEqual(expected);
    pool = await createClassifierPool(model!, 1);
    expect(await pool.adviseMany(items)).toEqual(expected);
    // Many notes with this thread helping: same answers, in input order.
    const many = Array.from({ length: 40 }, (_, i) => items[i % items.length]!);
    expect(await pool.adviseMany(many, { callingThread: true })).toEqual(many.map((_, i) => expected[i % items.length]));
  });

  it('classifies each note once for grade and reading together', () => {
    const asked: string[] = [];
    const counting = (text: string): ClassificationLike => {
      asked.push(text);
      return { ...classify(model!, text, ADVICE_CLASSIFY_OPTIONS) };
    };
    for (const item of items) adviseNote(counting, item);
    expect(asked).toEqual(items.map((i) => i.note));
    asked.length = 0;
    const port: ClassifierPort = { classify: (text) => counting(text) };
    const advisor = createAdvisor(port, createNoteCoachPort(port));
    return advisor.adviseMany!(items).then(() => expect(asked).toEqual(items.map((i) => i.note)));
  });
});
