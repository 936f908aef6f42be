import type { Taxonomy } from '../api/types.js';
import { normalizeLabel } from '../../../src/lib/text.js';

/** The portfolio's filters as they appear in the URL (the saved view). */
export const PORTFOLIO_FILTER_KEYS = ['l1', 'l2', 'workload', 'owner', 'partnerId', 'minDays', 'maxDays', 'q'] as const;
export type PortfolioFilterKey = (typeof PORTFOLIO_FILTER_KEYS)[number];
export type PortfolioFilters = Partial<Record<PortfolioFilterKey, string>>;

/** What the filter labels are called on screen. */
export const PORTFOLIO_FILTER_LABELS: Record<PortfolioFilterKey, string> = {
  l1: 'L1',
  l2: 'L2',
  workload: 'Workload',
  owner: 'Owner',
  partnerId: 'Partner',
  minDays: 'Min days',
  maxDays: 'Max days',
  q: 'Search',
};

/**
 * Reference data a filter is checked against: the value once loaded, `null` when it could not be
 * loaded (the filter then goes to the server unchecked), `undefined` while it is loading.
 */
export interface FilterReference {
  taxonomy: Taxonomy | null | undefined;
  workloads: readonly { slug: string; name: string }[] | null | undefined;
}

export interface DroppedFilter {
  key: PortfolioFilterKey;
  value: string;
  /** Why it was dropped, e.g. `not an L1 of the playbook`. */
  reason: string;
}

export interface CheckedFilters {
  /** The filters to use: valid values, in their canonical spelling (L1/L2 names, workload slugs). */
  filters: PortfolioFilters;
  /** Values the server would refuse or that match nothing the UI can show; left out of `filters`. */
  dropped: DroppedFilter[];
  /** True when `filters` differs from the input (something was dropped or respelled). */
  changed: boolean;
  /** True while reference data needed to check a filter is still loading; nothing should be sent yet. */
  pending: boolean;
}

/** The API's limits for list filters (src/http/schemas/entitlements.ts). */
const MAX_DAYS = 100_000;
const MAX_TEXT = 200;

/**
 * Checks the portfolio filters read from the URL against what the API accepts and what the filter
 * controls can show, so an edited or outdated address never sends a value the UI knows is invalid.
 * Labels match as the server matches them (case, accents and punctuation ignored; ids accepted).
 * Pure; never throws.
 */
export function checkPortfolioFilters(input: PortfolioFilters, reference: FilterReference): CheckedFilters {
  const filters: PortfolioFilters = {};
  const dropped: DroppedFilter[] = [];
  let pending = false;
  const drop = (key: PortfolioFilterKey, value: string, reason: string) => dropped.push({ key, value, reason });

  for (const key of PORTFOLIO_FILTER_KEYS) {
    const value = input[key];
    if (value === undefined || value === '') continue;
    switch (key) {
      case 'minDays':
      case 'maxDays':
        if (/^\d{1,6}$/.test(value.trim()) && Number(value) <= MAX_DAYS) filters[key] = String(Number(value));
        else drop(key, value, `not a whole number of days from 0 to ${MAX_DAYS.toLocaleString('en')}`);
        break;
      case 'partnerId':
        if (/^[1-9]\d{0,14}$/.test(value.trim())) filters[key] = value.trim();
        else drop(key, value, 'not a partner id');
        break;
      case 'owner':
      case 'q':
        if (value.length <= MAX_TEXT) filters[key] = value;
        else drop(key, value, `longer than ${MAX_TEXT} characters`);
        break;
      case 'workload': {
        if (reference.workloads === undefined) pending = true;
        if (!reference.workloads) {
          filters[key] = value;
          break;
        }
        const wanted = normalizeLabel(value);
        const found = reference.workloads.find((w) => w.slug === value) ?? reference.workloads.find((w) => normalizeLabel(w.slug) === wanted || normalizeLabel(w.name) === wanted);
        if (found) filters[key] = found.slug;
        else drop(key, value, 'not a workload');
        break;
      }
      case 'l1':
      case 'l2':
        break;
    }
  }

  const { taxonomy } = reference;
  if ((input.l1 || input.l2) && taxonomy === undefined) pending = true;
  if (input.l1) {
    if (!taxonomy) filters.l1 = input.l1;
    else {
      const wanted = normalizeLabel(input.l1);
      const found = taxonomy.l1s.find((n) => n.name === input.l1) ?? taxonomy.l1s.find((n) => n.id === input.l1 || normalizeLabel(n.name) === wanted);
      if (found) filters.l1 = found.name;
      else drop('l1', input.l1, 'not an L1 of the playbook');
    }
  }
  if (input.l2) {
    if (!taxonomy) filters.l2 = input.l2;
    else {
      const wanted = normalizeLabel(input.l2);
      const l2s = taxonomy.codes.filter((c) => c.l2 !== null && (filters.l1 === undefined || c.l1 === filters.l1));
      const found = l2s.find((c) => c.l2 === input.l2) ?? l2s.find((c) => normalizeLabel(c.l2 ?? '') === wanted || c.id.endsWith(`/${input.l2}`));
      if (found?.l2) filters.l2 = found.l2;
      else drop('l2', input.l2, filters.l1 ? `not a reason under ${filters.l1}` : 'not an L2 of the playbook');
    }
  }

  const changed = PORTFOLIO_FILTER_KEYS.some((key) => (input[key] || undefined) !== filters[key]);
  return { filters, dropped, changed, pending };
}

/** One line naming the dropped filters and why, e.g. `L1 "Bogus" (not an L1 of the playbook)`. */
export function describeDroppedFilters(dropped: readonly DroppedFilter[]): string {
  return dropped.map((d) => `${PORTFOLIO_FILTER_LABELS[d.key]} "${d.value.length > 40 ? `${d.value.slice(0, 40)}…` : d.value}" (${d.reason})`).join('; ');
}
