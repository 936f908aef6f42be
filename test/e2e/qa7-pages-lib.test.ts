/**
 * Pure parts of the qa7 page fixes (no browser): text longer than the server stores is an error of the
 * status form, under its field, before anything is sent (single and bulk changes alike).
 */
import { describe, expect, it } from 'vitest';
import { checkLengths, checkStatus, CUSTOMER_TEXT_LIMITS, PARTNER_TEXT_LIMITS, STATUS_TEXT_LIMITS } from '../../web/src/lib/rules.js';
import { TEXT_LIMITS } from '../../src/tracker/limits.js';
import { buildFallbackTaxonomy } from '../hand-built-taxonomy.js';
import type { StatusFields } from '../../web/src/api/types.js';

const TODAY = '2026-06-01';
const base: StatusFields = {
  l1: 'Status Unknown',
  l2: 'Customer Unresponsive',
  note: 'Three emails and two calls to the IT lead got no answer this month.',
  targetDate: null,
  engagementStartDate: null,
  businessReason: null,
  owner: null,
  nextAction: null,
  nextActionDate: null,
  projectedUnblockDate: null,
};

describe('lengths of the status form', () => {
  it('are the server’s own limits', () => {
    expect(STATUS_TEXT_LIMITS).toEqual({ note: TEXT_LIMITS.note, owner: TEXT_LIMITS.owner, nextAction: TEXT_LIMITS.nextAction });
    expect(CUSTOMER_TEXT_LIMITS).toEqual({ tenantId: TEXT_LIMITS.tenantId, name: TEXT_LIMITS.customerName, region: TEXT_LIMITS.region, part: TEXT_LIMITS.part });
    expect(PARTNER_TEXT_LIMITS).toEqual({ name: TEXT_LIMITS.partnerName });
  });

  it('accepts each field at exactly the server’s limit', () => {
    const atLimit = { ...base, note: 'n'.repeat(TEXT_LIMITS.note), owner: 'o'.repeat(TEXT_LIMITS.owner), nextAction: 'a'.repeat(TEXT_LIMITS.nextAction) };
    expect(checkLengths(atLimit)).toEqual([]);
    expect(checkStatus(atLimit, buildFallbackTaxonomy(), TODAY).filter((i) => i.code === 'TOO_LONG')).toEqual([]);
  });

  it('refuses one character more, under that field, saying how long it is and by how much to shorten it', () => {
    const issues = checkStatus({ ...base, note: 'n'.repeat(4100), owner: 'o'.repeat(201), nextAction: 'a'.repeat(1000) }, buildFallbackTaxonomy(), TODAY).filter((i) => i.code === 'TOO_LONG');
    expect(issues.map((i) => [i.field, i.severity])).toEqual([
      ['note', 'error'],
      ['owner', 'error'],
    ]);
    expect(issues[0]!.message).toBe('The note is 4,100 characters long; the server keeps at most 4,000: shorten it by 100.');
    expect(issues[1]!.message).toContain('The owner is 201 characters long');
  });

  it('counts spaces as the server does (it does not trim before measuring)', () => {
    expect(checkLengths({ note: `${'n'.repeat(TEXT_LIMITS.note)} `, owner: null, nextAction: null })).toHaveLength(1);
  });

  it('holds in a bulk change too, where an empty note keeps each entitlement’s own', () => {
    const bulk = { withoutTargetDate: 0, withoutUnblockDate: 0 };
    expect(checkStatus({ ...base, note: 'x'.repeat(TEXT_LIMITS.note + 1) }, buildFallbackTaxonomy(), TODAY, bulk).map((i) => i.code)).toContain('TOO_LONG');
    expect(checkStatus({ ...base, note: '' }, buildFallbackTaxonomy(), TODAY, bulk).map((i) => i.code)).not.toContain('TOO_LONG');
  });
});
