/**
 * The Reports page's L1s left out, without a browser (web/src/lib/url-filters.ts, blocked-l1s.ts): every
 * L1 whose kind is Duplicate/Invalid is left out as Duplicate/Invalid is, including an L1 of the
 * playbook's own whose page says `rules: Duplicate/Invalid` (Excluded here). Before, only the L1 named
 * Duplicate/Invalid was.
 */
import { describe, expect, it } from 'vitest';
import { ageingRequestL1 } from '../../web/src/lib/blocked-l1s.js';
import { checkReportFilters, isLeftOutOfReports } from '../../web/src/lib/url-filters.js';
import { buildFallbackTaxonomy } from '../hand-built-taxonomy.js';
import { ownInvalidTaxonomy } from '../own-invalid-taxonomy.js';

const own = ownInvalidTaxonomy();
const builtIn = buildFallbackTaxonomy('leaveout0001');
const reference = (taxonomy: typeof own) => ({ taxonomy, workloads: [], partners: [], today: '2026-03-02' });

describe('L1s the reports leave out, on the Reports page', () => {
  it('are Duplicate/Invalid and each L1 whose kind is Duplicate/Invalid', () => {
    expect(own.l1s.filter(isLeftOutOfReports).map((n) => n.name)).toEqual(['Duplicate/Invalid', 'Excluded']);
    expect(builtIn.l1s.filter(isLeftOutOfReports).map((n) => n.name)).toEqual(['Duplicate/Invalid']);
  });

  it('drops such an L1 from the address, naming it, and keeps the built-in wording for Duplicate/Invalid', () => {
    const excluded = checkReportFilters({ l1: 'excluded' }, reference(own));
    expect(excluded.filters).toEqual({});
    expect(excluded.dropped).toEqual([{ key: 'l1', value: 'excluded', reason: 'reports leave Excluded customers out, so it always counts 0' }]);
    expect(checkReportFilters({ l1: 'duplicate-invalid' }, reference(own)).dropped).toEqual([{ key: 'l1', value: 'duplicate-invalid', reason: 'reports leave Duplicate/Invalid customers out, so it always counts 0' }]);
    expect(checkReportFilters({ l1: 'stalled' }, reference(own)).filters).toEqual({ l1: 'Stalled' });
  });

  it('never asks the Ageing report for such an L1 on a playbook with no blocked status', () => {
    const l1s = own.l1s.filter((n) => n.kind !== 'blocked');
    const excludedFirst = { ...own, l1s: [...l1s.filter((n) => n.name === 'Excluded'), ...l1s.filter((n) => n.name !== 'Excluded')] };
    expect(excludedFirst.l1s[0]!.name).toBe('Excluded');
    expect(ageingRequestL1(undefined, excludedFirst)).toBe('Status Unknown');
  });
});
