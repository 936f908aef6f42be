import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { closestField, describeProblems, fieldLabel, isFieldIssueList, problemSentence, unknownFieldProblems, validatorCompiler } from './validation.js';

/** The `{path, message}` pairs the validator gives `data` under `schema`, or the parsed value. */
function validate(schema: z.ZodType, data: unknown): { path: string; message: string }[] | { value: unknown } {
  const result = validatorCompiler({ schema, method: 'POST', url: '/x', httpPart: 'body' })(data) as { error?: unknown; value?: unknown };
  if (!result.error) return { value: result.value };
  expect(isFieldIssueList(result.error)).toBe(true);
  return (result.error as { instancePath: string; message: string }[]).map((e) => ({ path: e.instancePath, message: e.message }));
}

describe('the validator', () => {
  it('keeps what the schema parses (trimmed, coerced) and words what it refuses', () => {
    expect(validate(z.object({ name: z.string().trim().max(3), n: z.coerce.number() }), { name: ' abc ', n: '7' })).toEqual({ value: { name: 'abc', n: 7 } });
    expect(validate(z.object({ name: z.string().trim().max(3) }), { name: ' abcd ' })).toEqual([{ path: '/name', message: 'is 4 characters long; at most 3 are allowed: shorten it by 1' }]);
  });

  it('writes paths as JSON pointers, escaping / and ~ in keys', () => {
    expect(validate(z.record(z.string(), z.string().max(1)), { 'a/b~c': 'xy' })).toEqual([{ path: '/a~1b~0c', message: 'is 2 characters long; at most 1 are allowed: shorten it by 1' }]);
  });

  it('words the other kinds of problem', () => {
    const schema = z.object({
      kind: z.literal('one'),
      list: z.array(z.number()).max(2),
      whole: z.number().int().positive(),
      step: z.number().multipleOf(5),
    }).strict();
    expect(validate(schema, { kind: 'two', list: [1, 2, 3], whole: -1, step: 7, extra: 1, more: 2 })).toEqual([
      { path: '/kind', message: 'must be "one"' },
      { path: '/list', message: 'has 3 entries; at most 2 are allowed in one request' },
      { path: '/whole', message: 'must be greater than 0, not -1' },
      { path: '/step', message: 'must be a multiple of 5' },
      { path: '/extra', message: 'is an unknown field; the known fields are kind, list, whole and step' },
      { path: '/more', message: 'is an unknown field; the known fields are kind, list, whole and step' },
    ]);
  });

  it('gives each unknown field of a strict object its own entry, with the known field it probably meant', () => {
    const schema = z.strictObject({ owner: z.string().optional(), items: z.array(z.strictObject({ note: z.string() })).optional() });
    const result = validatorCompiler({ schema, method: 'POST', url: '/x', httpPart: 'body' })({ ownr: 'x', items: [{ note: 'y', Note: 'z' }] }) as { error: { instancePath: string; message: string; params: unknown }[] };
    expect(result.error.map((e) => [e.instancePath, e.message, e.params])).toEqual([
      ['/items/0/Note', 'is an unknown field; did you mean note?', { reason: 'UNKNOWN_FIELD', field: 'Note', suggestion: 'note' }],
      ['/ownr', 'is an unknown field; did you mean owner?', { reason: 'UNKNOWN_FIELD', field: 'ownr', suggestion: 'owner' }],
    ]);
  });

  it('suggests a known field only when one is clearly closest', () => {
    const status = ['code', 'l1', 'l2', 'l3', 'note', 'targetDate', 'owner', 'nextAction', 'nextActionDate', 'version'];
    expect(closestField('ownr', status)).toBe('owner');
    expect(closestField('target_date', status)).toBe('targetDate');
    expect(closestField('TargetDate', status)).toBe('targetDate');
    expect(closestField('vresion', status)).toBe('version');
    expect(closestField('nextActon', status)).toBe('nextAction');
    // As close to three (l1, l2, l3): no guess.
    expect(closestField('l4', status)).toBeUndefined();
    // The start of one field's name; `next` starts two.
    expect(closestField('target', status)).toBe('targetDate');
    expect(closestField('next', status)).toBeUndefined();
    expect(closestField('colour', status)).toBeUndefined();
    expect(closestField('x', status)).toBeUndefined();
    expect(closestField('', status)).toBeUndefined();
  });

  it('gives the first unknown fields an entry each and counts the rest in one', () => {
    const keys = Array.from({ length: 25 }, (_, i) => `k${i}`);
    const problems = unknownFieldProblems('body', ['items', 3], keys, []);
    expect(problems).toHaveLength(21);
    expect(problems[0]).toEqual({ where: 'body', path: '/items/3/k0', message: 'is an unknown field; leave it out', reason: 'UNKNOWN_FIELD', field: 'k0', suggestion: null });
    expect(problems[20]).toEqual({ where: 'body', path: '/items/3', message: 'holds 5 more unknown fields; leave them out', reason: 'UNKNOWN_FIELD', count: 5 });
  });

  it('leaves a message the schema states itself as it is', () => {
    expect(validate(z.object({ code: z.string().regex(/^\d+$/, 'must be digits') }), { code: 'x' })).toEqual([{ path: '/code', message: 'must be digits' }]);
  });
});

describe('sentences', () => {
  it('name body fields as written, nested ones by where they sit, and other places in words', () => {
    expect(fieldLabel('body', '/owner')).toBe('owner');
    expect(fieldLabel('body', '/items/12/note')).toBe('items[12].note');
    expect(fieldLabel('body', '/odd key/x~1y')).toBe('"odd key"["x/y"]');
    expect(fieldLabel('body', '/')).toBe('the request body');
    expect(fieldLabel('querystring', '/pageSize')).toBe('query parameter pageSize');
    expect(fieldLabel('params', '/id')).toBe('path parameter id');
  });

  it('join the field and the problem, with a colon when the problem does not read on from the name', () => {
    expect(problemSentence({ where: 'body', path: '/name', message: 'must not be empty' })).toBe('name must not be empty.');
    expect(problemSentence({ where: 'body', path: '/items/2/id', message: 'entitlement 5 is already item 0' })).toBe('items[2].id: entitlement 5 is already item 0.');
    expect(problemSentence({ where: 'querystring', path: '/q', message: 'is too long.' })).toBe('Query parameter q is too long.');
    expect(describeProblems([])).toBe('The request is not valid.');
    // A question ends its own sentence.
    expect(problemSentence({ where: 'body', path: '/ownr', message: 'is an unknown field; did you mean owner?' })).toBe('ownr is an unknown field; did you mean owner?');
  });

  it('count the fields left untold, the entry that counts unknown fields as the fields it counts', () => {
    const keys = Array.from({ length: 25 }, (_, i) => `extra${i}`);
    const problems = unknownFieldProblems('body', [], keys, ['text']);
    // 20 entries of their own and one counting the last 5: 5 told, 20 more.
    expect(problems).toHaveLength(21);
    expect(describeProblems(problems)).toMatch(/ And 20 more fields: see details\.$/);
    expect(describeProblems(problems.slice(0, 7))).toMatch(/ And 2 more fields: see details\.$/);
  });
});
