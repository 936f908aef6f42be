/**
 * The Reports page's links to the portfolio, without a browser (web/src/lib/drilldown.ts): a Blocked
 * reason and an Ageing bucket (or one reason's count in it) lead to the portfolio filtered by their
 * code, days and the report's workload and partner; the portfolio takes the address as it is; each
 * bucket's Min days / Max days select exactly the `since` values the report counts in it; and labels
 * the portfolio would read as another, counts of 0 and entitlements with no reason get no link; an older playbook's reason links as stored.
 */
import { describe, expect, it } from 'vitest';
import { buildFallbackTaxonomy } from '../hand-built-taxonomy.js';
import { AGEING_BUCKETS } from '../../src/reports/reports.js';
import { ageingDrilldown, bucketDays, reasonDrilldown } from '../../web/src/lib/drilldown.js';
import { checkPortfolioFilters, findRetiredLabels, PORTFOLIO_FILTER_KEYS, type PortfolioFilters } from '../../web/src/lib/url-filters.js';

const taxonomy = buildFallbackTaxonomy('drilldown1');
const DAY = 86_400_000;
const BUCKETS = AGEING_BUCKETS.map((b) => ({ label: b.label, minDays: b.min, maxDays: b.max, count: 5 }));

/** The portfolio filters in a link's address. */
function filtersOf(href: string): PortfolioFilters {
  expect(href.startsWith('#/portfolio?')).toBe(true);
  return Object.fromEntries(new URLSearchParams(href.split('?')[1]));
}

describe('reasonDrilldown', () => {
  it('links a Blocked reason to the portfolio with the report’s workload and partner, saying the count', () => {
    const link = reasonDrilldown(taxonomy, { l1: 'Blocked', label: 'Legal/Regulatory', count: 12 }, { workload: 'teams', partnerId: '3' });
    expect(filtersOf(link!.href)).toEqual({ l1: 'Blocked', l2: 'Legal/Regulatory', workload: 'teams', partnerId: '3' });
    expect(link!.label).toBe('Open the 12 blocked entitlements of Legal/Regulatory in the portfolio');
    expect(reasonDrilldown(taxonomy, { l1: 'Blocked', label: 'Adoption Readiness', count: 1 }, {})!.label).toBe('Open the 1 blocked entitlement of Adoption Readiness in the portfolio');
    expect(filtersOf(reasonDrilldown(taxonomy, { l1: 'Blocked', label: 'Adoption Readiness', count: 1 }, { workload: undefined })!.href)).toEqual({ l1: 'Blocked', l2: 'Adoption Readiness' });
  });

  it('links an older playbook’s reason as stored, which the portfolio keeps', () => {
    const link = reasonDrilldown(taxonomy, { l1: 'Blocked', label: 'Waiting on Legal', count: 4 }, {});
    expect(filtersOf(link!.href)).toEqual({ l1: 'Blocked', l2: 'Waiting on Legal' });
    const retired = findRetiredLabels(taxonomy, [{ key: 'blocked/waiting-on-legal', label: 'Waiting on Legal', l1: 'Blocked', count: 4 }]);
    expect(checkPortfolioFilters(filtersOf(link!.href), { taxonomy, workloads: [], retired })).toMatchObject({ changed: false, dropped: [] });
    const cell = ageingDrilldown(taxonomy, 'Blocked', BUCKETS[2]!, 2, {}, { l2: 'Waiting on Legal', count: 3 });
    expect(filtersOf(cell!.href)).toEqual({ l1: 'Blocked', l2: 'Waiting on Legal', minDays: '15', maxDays: '30' });
  });

  it('gives no link to another spelling of a playbook reason, a reason of another L1, an L1 row or a count of 0', () => {
    expect(reasonDrilldown(taxonomy, { l1: 'Blocked', label: 'legal/regulatory', count: 4 }, {})).toBeUndefined();
    expect(reasonDrilldown(taxonomy, { l1: 'Blocked', label: 'Migration', count: 4 }, {})).toBeUndefined();
    expect(reasonDrilldown(taxonomy, { l1: 'Blocked', label: 'Blocked', count: 4 }, {})).toBeUndefined();
    expect(reasonDrilldown(taxonomy, { l1: null, label: 'Legal/Regulatory', count: 4 }, {})).toBeUndefined();
    expect(reasonDrilldown(taxonomy, { l1: 'Blocked', label: 'Legal/Regulatory', count: 0 }, {})).toBeUndefined();
    expect(reasonDrilldown(undefined, { l1: 'Blocked', label: 'Legal/Regulatory', count: 4 }, {})).toBeUndefined();
  });
});

describe('ageingDrilldown', () => {
  it('links a bucket, and a reason’s count in it, with the bucket’s days', () => {
    const bucket = BUCKETS[1]!;
    const link = ageingDrilldown(taxonomy, 'Blocked', bucket, 1, { partnerId: '7' });
    expect(filtersOf(link!.href)).toEqual({ l1: 'Blocked', partnerId: '7', minDays: '8', maxDays: '14' });
    expect(link!.label).toBe('Open the 5 entitlements in Blocked for 8-14 days, in the portfolio');
    const cell = ageingDrilldown(taxonomy, 'Blocked', bucket, 1, { workload: 'teams' }, { l2: 'Legal/Regulatory', count: 2 });
    expect(filtersOf(cell!.href)).toEqual({ l1: 'Blocked', l2: 'Legal/Regulatory', workload: 'teams', minDays: '8', maxDays: '14' });
    expect(cell!.label).toBe('Open the 2 entitlements in Blocked / Legal/Regulatory for 8-14 days, in the portfolio');
    // The first bucket has no Min days, the last no Max days.
    expect(filtersOf(ageingDrilldown(taxonomy, 'In Progress', BUCKETS[0]!, 0, {})!.href)).toEqual({ l1: 'In Progress', maxDays: '7' });
    expect(filtersOf(ageingDrilldown(taxonomy, 'In Progress', BUCKETS[6]!, 6, {})!.href)).toEqual({ l1: 'In Progress', minDays: '181' });
  });

  it('gives no link to an L1 the playbook does not define, another spelling of a reason, a count of 0, or entitlements with no reason', () => {
    const bucket = BUCKETS[2]!;
    expect(ageingDrilldown(taxonomy, 'On Hold', bucket, 2, {})).toBeUndefined();
    expect(ageingDrilldown(taxonomy, 'Blocked', { ...bucket, count: 0 }, 2, {})).toBeUndefined();
    expect(ageingDrilldown(taxonomy, 'Blocked', bucket, 2, {}, { l2: 'legal regulatory', count: 3 })).toBeUndefined();
    expect(ageingDrilldown(taxonomy, 'Blocked', bucket, 2, {}, { l2: 'Legal/Regulatory', count: 0 })).toBeUndefined();
    expect(ageingDrilldown(taxonomy, 'Blocked', bucket, 2, {}, { l2: null, count: 3 })).toBeUndefined();
    expect(ageingDrilldown(taxonomy, 'Blocked', bucket, 2, {})).toBeDefined();
  });

  it('writes addresses the portfolio takes as they are', () => {
    const links = [
      reasonDrilldown(taxonomy, { l1: 'Blocked', label: 'Billing, Licensing and Subscription', count: 3 }, { workload: 'teams', partnerId: '2' }),
      ...BUCKETS.map((b, i) => ageingDrilldown(taxonomy, 'Blocked', b, i, { workload: 'teams', partnerId: '2' }, { l2: 'Security/Privacy (Non-Product/Feature)', count: 1 })),
    ];
    for (const link of links) {
      const filters = filtersOf(link!.href);
      expect(Object.keys(filters).every((k) => (PORTFOLIO_FILTER_KEYS as readonly string[]).includes(k)), link!.href).toBe(true);
      const checked = checkPortfolioFilters(filters, { taxonomy, workloads: [{ slug: 'teams', name: 'Teams' }] });
      expect(checked, link!.href).toMatchObject({ changed: false, dropped: [], pending: false });
    }
  });
});

describe('bucketDays', () => {
  /**
   * Whether `since` (ms) is in bucket i as reportAgeing counts it: after the start of the next bucket
   * (now - (maxDays + 1) days) and, past the first, not after its own start (the previous bucket's).
   */
  const inReportBucket = (now: number, since: number, i: number): boolean => {
    const start = (days: number) => now - days * DAY;
    const b = AGEING_BUCKETS[i]!;
    const lo = b.max === null ? undefined : start(b.max + 1);
    const hi = i === 0 ? undefined : start(AGEING_BUCKETS[i - 1]!.max! + 1);
    return (lo === undefined || since > lo) && (hi === undefined || since <= hi);
  };
  /** Whether `since` passes the portfolio's minDays / maxDays, as src/tracker/entitlements.ts filters. */
  const inPortfolio = (now: number, since: number, days: { minDays?: string; maxDays?: string }): boolean =>
    (days.minDays === undefined || since <= now - Number(days.minDays) * DAY) && (days.maxDays === undefined || since > now - (Number(days.maxDays) + 1) * DAY);

  it('selects exactly the entitlements each bucket counts, at its edges too', () => {
    const now = Date.parse('2026-06-15T10:30:00.000Z');
    const ages: number[] = [-DAY, -1, 0, 1];
    for (const b of AGEING_BUCKETS) for (const d of [b.min, b.max ?? 400, (b.max ?? 400) + 1]) ages.push(d * DAY - 1, d * DAY, d * DAY + 1, d * DAY + DAY / 2);
    for (const [i, b] of AGEING_BUCKETS.entries()) {
      const days = bucketDays({ minDays: b.min, maxDays: b.max }, i);
      for (const age of ages) expect(inPortfolio(now, now - age, days), `${b.label}, ${age / DAY} days`).toBe(inReportBucket(now, now - age, i));
    }
  });
});
