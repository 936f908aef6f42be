/*
 * Links from a report's rows to the portfolio listing the entitlements the row counted (pure: tests
 * import it without a browser). A link carries the report's own workload and partner filters, and the
 * labels as the rows store them: the playbook's, or an older playbook's that rows still carry, which the
 * portfolio keeps too (findRetiredLabels in url-filters.ts). Another spelling of a playbook label gets no
 * link: the portfolio would respell it and list the playbook label's rows, not the row's.
 */
import { normalizeLabel } from '../../../src/lib/text.js';
import type { AgeingReport, Taxonomy } from '../api/types.js';
import { toHref } from './routes.js';
import type { PortfolioFilters } from './url-filters.js';

/** Where a report row leads: the portfolio's address, and words that say so (its link's aria-label). */
export interface Drilldown {
  href: string;
  label: string;
}

/** The report filters a link keeps (as the Reports page's address has them: a workload slug, a partner id). */
export interface DrilldownScope {
  workload?: string | undefined;
  partnerId?: string | undefined;
}

type AgeingBucket = AgeingReport['buckets'][number];

/** `12 entitlements`, `1 entitlement`; with `kind`, `12 blocked entitlements`. */
function entitlements(count: number, kind?: string): string {
  return `${count.toLocaleString('en')} ${kind ? `${kind} ` : ''}entitlement${count === 1 ? '' : 's'}`;
}

/** The portfolio's address for `filters` plus the report's scope, keys in the portfolio's order. */
export function portfolioHref(filters: PortfolioFilters, scope: DrilldownScope): string {
  const { l1, l2, minDays, maxDays } = filters;
  return toHref('/portfolio', { l1, l2, workload: scope.workload, partnerId: scope.partnerId, minDays, maxDays });
}

function isPlaybookL1(taxonomy: Taxonomy | undefined, l1: string): boolean {
  return !!taxonomy?.l1s.some((n) => n.name === l1);
}

/**
 * True when the portfolio lists exactly the rows stored with `l2` under `l1`: `l2` is the playbook's
 * own reason under `l1`, or no reason of the playbook in any spelling (an older playbook's). False for
 * another spelling of a playbook reason, or a reason of another L1, and while the taxonomy is unknown.
 */
function isLinkableL2(taxonomy: Taxonomy | undefined, l1: string, l2: string): boolean {
  if (!taxonomy) return false;
  if (taxonomy.codes.some((c) => c.l1 === l1 && c.l2 === l2)) return true;
  const wanted = normalizeLabel(l2);
  return !taxonomy.codes.some((c) => c.l2 !== null && normalizeLabel(c.l2) === wanted) && !taxonomy.l1s.some((n) => normalizeLabel(n.name) === wanted);
}

/**
 * The link of a "Blockers by reason" row (a count by L2 under Blocked): the portfolio filtered by that
 * L1 and L2. None for a count of 0, an L1 row (entitlements with no reason), or a label the portfolio
 * would read as another (see {@link isLinkableL2}; the rows are counted by their stored labels).
 */
export function reasonDrilldown(taxonomy: Taxonomy | undefined, row: { l1: string | null; label: string; count: number }, scope: DrilldownScope): Drilldown | undefined {
  if (row.count <= 0 || row.l1 === null || row.label === row.l1 || !isLinkableL2(taxonomy, row.l1, row.label)) return undefined;
  return {
    href: portfolioHref({ l1: row.l1, l2: row.label }, scope),
    label: `Open the ${entitlements(row.count, row.l1.toLowerCase())} of ${row.label} in the portfolio`,
  };
}

/**
 * The portfolio's Min days and Max days for the ageing bucket at `index`. The report counts bucket i
 * as `since` after now - (maxDays + 1) days and, past the first, not after now - minDays days (the
 * start of the bucket before it): the portfolio's maxDays and minDays filters, to the millisecond. The
 * first bucket has no upper end (a `since` ahead of the clock counts in it), so it gets no Min days;
 * the last, open-ended, no Max days.
 */
export function bucketDays(bucket: Pick<AgeingBucket, 'minDays' | 'maxDays'>, index: number): { minDays?: string; maxDays?: string } {
  const days: { minDays?: string; maxDays?: string } = {};
  if (index > 0) days.minDays = String(bucket.minDays);
  if (bucket.maxDays !== null) days.maxDays = String(bucket.maxDays);
  return days;
}

/**
 * The link of an Ageing bucket (`l2` undefined), or of one reason's count in it (`l2` given): the
 * portfolio filtered by the report's L1, that reason, and the bucket's days. None for a count of 0, an
 * L1 the playbook does not define, a reason the portfolio would read as another, or a reason cell of entitlements with no L2 (the portfolio
 * cannot ask for "no reason"; the bucket's own link lists them).
 */
export function ageingDrilldown(
  taxonomy: Taxonomy | undefined,
  l1: string,
  bucket: AgeingBucket,
  index: number,
  scope: DrilldownScope,
  reason?: { l2: string | null; count: number },
): Drilldown | undefined {
  const count = reason ? reason.count : bucket.count;
  if (count <= 0 || !isPlaybookL1(taxonomy, l1)) return undefined;
  if (reason && (reason.l2 === null || !isLinkableL2(taxonomy, l1, reason.l2))) return undefined;
  const l2 = reason?.l2 ?? undefined;
  const status = l2 ? `${l1} / ${l2}` : l1;
  return {
    href: portfolioHref({ l1, l2, ...bucketDays(bucket, index) }, scope),
    label: `Open the ${entitlements(count)} in ${status} for ${bucket.label}, in the portfolio`,
  };
}
