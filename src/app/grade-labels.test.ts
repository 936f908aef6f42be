import { describe, expect, it } from 'vitest';
import { AppError } from '../lib/index.js';
import { unknownL1Error, unknownL2Error } from '../tracker/label-errors.js';
import { resolveGradeLabels } from './grade-labels.js';
import { loadBuiltinPlaybook } from './playbook-source.js';

/** What a call threw, as the API would send it. */
function thrown(run: () => unknown): { code: string; message: string; details: unknown } {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    const e = error as AppError;
    return { code: e.code, message: e.message, details: e.details };
  }
  throw new Error('expected an error');
}

describe('grading context rules', () => {
  it('answers an unknown L1 or L2 with the same error as a status filter (tracker/label-errors.ts)', async () => {
    const { taxonomy } = await loadBuiltinPlaybook();
    const l1s = taxonomy.l1s.map((n) => n.name);
    const l2s = [...new Set(taxonomy.codes.flatMap((c) => (c.l2 === null ? [] : [c.l2])))];
    const l1Error = unknownL1Error('Paused', l1s);
    const l2Error = unknownL2Error('Weather', l2s);
    expect(thrown(() => resolveGradeLabels(taxonomy, 'Paused', undefined))).toEqual({ code: l1Error.code, message: l1Error.message, details: l1Error.details });
    expect(thrown(() => resolveGradeLabels(taxonomy, undefined, 'Weather'))).toEqual({ code: l2Error.code, message: l2Error.message, details: l2Error.details });
  });

  it('resolves labels as the playbook names them', async () => {
    const { taxonomy } = await loadBuiltinPlaybook();
    expect(resolveGradeLabels(taxonomy, 'blocked', undefined)).toEqual({ l1: 'Blocked' });
    expect(resolveGradeLabels(taxonomy, '  ', null)).toEqual({});
  });
});
