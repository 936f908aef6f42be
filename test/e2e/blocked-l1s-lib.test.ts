/**
 * The Reports page's blocked L1s, without a browser (web/src/lib/blocked-l1s.ts). On a playbook with an
 * L1 of its own that follows the Blocked rules (Stalled, `rules: Blocked`), the default Ageing asks the
 * server without `l1` (its default counts every blocked-kind L1) and is titled from the answer's `l1s`;
 * an explicit L1 is still asked for; reasons of two L1s keep apart in the chart and link to their own L1.
 */
import { describe, expect, it } from 'vitest';
import { AGEING_BUCKETS } from '../../src/reports/reports.js';
import { ageingRequestL1, ageingTable, blockedL1s, joinL1s, reasonL1 } from '../../web/src/lib/blocked-l1s.js';
import type { AgeingReport } from '../../web/src/api/types.js';
import { buildFallbackTaxonomy } from '../hand-built-taxonomy.js';
import { ownL1Taxonomy } from '../own-l1-taxonomy.js';

const own = ownL1Taxonomy();
const builtIn = buildFallbackTaxonomy('blockedl1s1');

const zeros = () => AGEING_BUCKETS.map(() => 0);
function report(l1s: string[], byL2: { code: string; l2: string | null; counts: number[] }[]): AgeingReport {
  const buckets = AGEING_BUCKETS.map((b, i) => ({ label: b.label, minDays: b.min, maxDays: b.max, count: byL2.reduce((s, e) => s + (e.counts[i] ?? 0), 0) }));
  return { l1: l1s[0]!, l1s, asOf: '2026-03-02T10:00:00.000Z', buckets, byL2: byL2.map((e) => ({ ...e, total: e.counts.reduce((s, n) => s + n, 0) })) };
}

describe('blockedL1s and the Ageing request', () => {
  it('finds Blocked and each L1 whose kind is blocked, in the taxonomy order', () => {
    expect(blockedL1s(own)).toEqual(['Blocked', 'Stalled']);
    expect(blockedL1s(builtIn)).toEqual(['Blocked']);
    expect(blockedL1s(undefined)).toEqual([]);
    expect(joinL1s(['Blocked', 'Stalled'])).toBe('Blocked and Stalled');
    expect(joinL1s(['Blocked', 'Stalled', 'Parked'])).toBe('Blocked, Stalled and Parked');
  });

  it('asks without l1 by default, and for the L1 chosen otherwise', () => {
    expect(ageingRequestL1(undefined, own)).toBeUndefined();
    expect(ageingRequestL1(undefined, builtIn)).toBeUndefined();
    expect(ageingRequestL1('Blocked', own)).toBe('Blocked');
    expect(ageingRequestL1('Stalled', own)).toBe('Stalled');
    // A playbook with no blocked L1 at all: its first L1 the reports count, as the list shows it.
    const noBlocked = { ...own, l1s: own.l1s.filter((n) => n.kind !== 'blocked') };
    expect(ageingRequestL1(undefined, noBlocked)).toBe(noBlocked.l1s[0]!.name);
  });
});

describe('ageingTable', () => {
  it('titles the chart from every L1 counted and keeps each reason under its own L1', () => {
    const legal = zeros();
    legal[0] = 3;
    const staffing = zeros();
    staffing[0] = 2;
    staffing[2] = 4;
    const r = report(['Blocked', 'Stalled'], [
      { code: 'blocked/legal-regulatory', l2: 'Legal/Regulatory', counts: legal },
      { code: 'stalled/staffing-gap', l2: 'Staffing Gap', counts: staffing },
    ]);
    const t = ageingTable(r, own, { workload: 'teams' });
    expect(t.facts).toEqual(['Blocked and Stalled, as of 2026-03-02: 9 entitlement(s)']);
    expect(t.series).toEqual(['Legal/Regulatory', 'Stalled / Staffing Gap']);
    expect(t.rows[0]).toEqual({ days: '0-7 days', 'Legal/Regulatory': 3, 'Stalled / Staffing Gap': 2 });
    expect(new Set(t.colors).size).toBe(2);
    // Each reason's count links to its own L1; a bucket of two L1s has no single portfolio filter.
    const cell = t.links[0]!.cells!['Stalled / Staffing Gap']!;
    expect(new URLSearchParams(cell.href.split('?')[1])).toEqual(new URLSearchParams({ l1: 'Stalled', l2: 'Staffing Gap', workload: 'teams', maxDays: '7' }));
    expect(t.links[0]!.row).toBeUndefined();
    // A bucket only Stalled fills links to Stalled.
    const third = new URLSearchParams(t.links[2]!.row!.href.split('?')[1]);
    expect(third.get('l1')).toBe('Stalled');
    expect(t.links[2]!.row!.label).toMatch(/^Open the 4 entitlements in Stalled for 15-30 days/);
  });

  it('reads as before for one L1', () => {
    const counts = zeros();
    counts[1] = 5;
    const t = ageingTable(report(['Blocked'], [{ code: 'blocked/legal-regulatory', l2: 'Legal/Regulatory', counts }]), builtIn, {});
    expect(t.facts).toEqual(['Blocked, as of 2026-03-02: 5 entitlement(s)']);
    expect(t.series).toEqual(['Legal/Regulatory']);
    expect(new URLSearchParams(t.links[1]!.row!.href.split('?')[1]).get('l1')).toBe('Blocked');
  });

  it('finds the L1 of a reason an older playbook named, by its code', () => {
    expect(reasonL1(own, ['Blocked', 'Stalled'], 'stalled/old-reason')).toBe('Stalled');
    expect(reasonL1(own, ['Blocked', 'Stalled'], 'blocked/legal-regulatory')).toBe('Blocked');
  });
});
