/**
 * Pure parts of the qa6 page fixes (no browser): what useAsync keeps when a load fails, and the date
 * rules of the entitlement form judged against the stored entitlement, as the server judges them.
 */
import { describe, expect, it } from 'vitest';
import { settleError, settleOk, startLoad, type HeldState } from '../../web/src/lib/async-state.js';
import { checkStoredDates } from '../../web/src/lib/rules.js';
import { checkStatus } from '../../web/src/lib/rules.js';
import { buildFallbackTaxonomy } from '../hand-built-taxonomy.js';
import type { Entitlement, StatusFields } from '../../web/src/api/types.js';

describe('useAsync state after a failed load', () => {
  const customer1 = { name: 'Silverton Textiles' };
  const notFound = new Error('No customer 81.');

  it('drops the data of other dependencies (another id): the page shows the failure, not the previous customer', () => {
    const loaded: HeldState<typeof customer1> = settleOk(customer1, 1);
    const loadingNext = startLoad(loaded);
    // While the next customer loads the previous data may stay (dimmed), ...
    expect(loadingNext.data).toBe(customer1);
    // ... but once that load fails it goes.
    const failed = settleError(loadingNext, notFound, 2);
    expect(failed).toEqual({ status: 'error', error: notFound });
  });

  it('keeps the data when a reload of the same dependencies fails', () => {
    const failed = settleError(startLoad(settleOk(customer1, 3)), notFound, 3);
    expect(failed.status).toBe('error');
    expect(failed.data).toBe(customer1);
  });

  it('wraps a thrown non-Error', () => {
    const failed = settleError({ status: 'loading' }, 'boom', 1);
    expect(failed.error).toBeInstanceOf(Error);
    expect(failed.error?.message).toBe('boom');
  });
});

describe('checkStoredDates (the form\'s date rules against the stored entitlement)', () => {
  const taxonomy = buildFallbackTaxonomy('webtest00002');
  const TODAY = '2026-11-26';
  const PAST = '2026-11-20';
  const base: StatusFields = {
    l1: 'Blocked',
    l2: 'Legal/Regulatory',
    note: 'Patient records may not leave the national data centre, so file sync waits for local hosting.',
    targetDate: null,
    engagementStartDate: null,
    businessReason: null,
    owner: 'New Owner',
    nextAction: null,
    nextActionDate: null,
    projectedUnblockDate: PAST,
  };
  const stored = (fields: Partial<StatusFields>) => ({ ...base, owner: null, ...fields }) as unknown as Entitlement;
  const check = (fields: StatusFields, before: Entitlement | undefined) => checkStoredDates(checkStatus(fields, taxonomy, TODAY), fields, before, TODAY);
  const errorsOf = (fields: StatusFields, before: Entitlement | undefined) => check(fields, before).filter((i) => i.severity === 'error');

  it('lets a kept past projected unblock date be saved (a warning), and refuses a changed one', () => {
    const before = stored({});
    expect(errorsOf(base, before)).toEqual([]);
    expect(check(base, before).map((i) => [i.code, i.severity])).toEqual([['BLOCKED_UNBLOCK_DATE', 'warning']]);
    expect(errorsOf({ ...base, projectedUnblockDate: '2026-11-21' }, before).map((i) => i.code)).toEqual(['BLOCKED_UNBLOCK_DATE']);
    // Without the stored entitlement the plain rule stands.
    expect(errorsOf(base, undefined).map((i) => i.code)).toEqual(['BLOCKED_UNBLOCK_DATE']);
  });

  it('refuses a kept past target date of In Progress, saying what to do', () => {
    const fields: StatusFields = { ...base, l1: 'In Progress', l2: 'Migration', projectedUnblockDate: null, targetDate: PAST };
    const errors = errorsOf(fields, stored({ l1: 'In Progress', l2: 'Migration', projectedUnblockDate: null, targetDate: PAST }));
    expect(errors.map((i) => [i.field, i.code])).toEqual([['targetDate', 'TARGET_DATE_NOT_FUTURE']]);
    expect(errors[0]?.message).toContain(`The target date ${PAST} has passed.`);
    expect(errors[0]?.message).toContain('even one that changes only the owner or the note: set a new target date');
  });

  it('makes a changed past next action date an error, and a kept one a warning', () => {
    const before = stored({ nextActionDate: PAST });
    expect(check({ ...base, projectedUnblockDate: '2026-12-20', nextActionDate: PAST }, before).map((i) => [i.code, i.severity])).toEqual([['DATE_NOT_PAST', 'warning']]);
    expect(check({ ...base, projectedUnblockDate: '2026-12-20', nextActionDate: '2026-11-21' }, before).map((i) => [i.code, i.severity])).toEqual([['DATE_NOT_PAST', 'error']]);
  });
});
