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
  /**
   * Labels entitlements in the user's scope still carry that the playbook no longer defines (see
   * {@link findRetiredLabels}); an L1 or L2 filter may name them. Without this key none is accepted.
   */
  retired?: readonly RetiredLabel[] | null | undefined;
  /**
   * The partners the user can see: a partner id in the address that is none of them (another
   * partner's, in a link an admin shared) is dropped. Without this key any id is kept.
   */
  partners?: readonly { id: number; name: string }[] | null | undefined;
}

/** An L1 and L2 that stored entitlements carry and the loaded playbook does not define (after a playbook change). */
export interface RetiredLabel {
  l1: string;
  /** Null when the L1 itself is retired and the rows carry no L2. */
  l2: string | null;
  /** How many entitlements in scope carry it. */
  count: number;
}

/**
 * The rows of a counts-by-L2 report (`GET /api/reports/counts?by=l2`, which counts stored labels)
 * whose L1 and L2 the playbook does not define: the labels of an older playbook that entitlements
 * still carry, most carried first. A row's label is its L2, or its L1 when it has none (its key is
 * then the L1's slug alone). Pure.
 */
export function findRetiredLabels(taxonomy: Taxonomy, rows: readonly { key: string; label: string; l1: string | null; count: number }[]): RetiredLabel[] {
  const out: RetiredLabel[] = [];
  for (const row of rows) {
    if (row.l1 === null || row.count <= 0) continue;
    const l2 = row.label === row.l1 && !row.key.includes('/') ? null : row.label;
    if (taxonomy.codes.some((c) => c.l1 === row.l1 && c.l2 === l2)) continue;
    out.push({ l1: row.l1, l2, count: row.count });
  }
  return out.sort((a, b) => b.count - a.count);
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
      case 'partnerId': {
        const id = value.trim();
        if (!/^[1-9]\d{0,14}$/.test(id)) drop(key, value, 'not a partner id');
        else if (!('partners' in reference) || reference.partners === null || reference.partners?.some((p) => String(p.id) === id)) filters[key] = id;
        else if (reference.partners === undefined) {
          pending = true;
          filters[key] = id;
        } else drop(key, value, 'not a partner you can see');
        break;
      }
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
  // Labels of an older playbook that rows still carry: accepted once known (as the server accepts them).
  const retired = reference.retired ?? [];
  const retiredLoading = 'retired' in reference && reference.retired === undefined;
  const findRetired = (value: string, label: (r: RetiredLabel) => string | null) => {
    const wanted = normalizeLabel(value);
    return retired.find((r) => label(r) === value) ?? retired.find((r) => label(r) !== null && normalizeLabel(label(r)!) === wanted);
  };
  if (input.l1) {
    if (!taxonomy) filters.l1 = input.l1;
    else {
      const wanted = normalizeLabel(input.l1);
      const found = taxonomy.l1s.find((n) => n.name === input.l1) ?? taxonomy.l1s.find((n) => n.id === input.l1 || normalizeLabel(n.name) === wanted);
      const old = found ? undefined : findRetired(input.l1, (r) => r.l1);
      if (found) filters.l1 = found.name;
      else if (old) filters.l1 = old.l1;
      else if (retiredLoading) pending = true;
      else drop('l1', input.l1, 'not an L1 of the playbook');
    }
  }
  if (input.l2) {
    if (!taxonomy) filters.l2 = input.l2;
    else {
      const wanted = normalizeLabel(input.l2);
      const l2s = taxonomy.codes.filter((c) => c.l2 !== null && (filters.l1 === undefined || c.l1 === filters.l1));
      const found = l2s.find((c) => c.l2 === input.l2) ?? l2s.find((c) => normalizeLabel(c.l2 ?? '') === wanted || c.id.endsWith(`/${input.l2}`));
      const old = found ? undefined : findRetired(input.l2, (r) => (filters.l1 === undefined || r.l1 === filters.l1 ? r.l2 : null));
      if (found?.l2) filters.l2 = found.l2;
      else if (old?.l2) filters.l2 = old.l2;
      else if (retiredLoading) pending = true;
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

/** The Reports page's filters as they appear in the URL (each report reads the ones it has). */
export const REPORT_FILTER_KEYS = ['workload', 'partnerId', 'l1', 'from', 'to', 'weeks', 'level'] as const;
export type ReportFilterKey = (typeof REPORT_FILTER_KEYS)[number];
export type ReportFilters = Partial<Record<ReportFilterKey, string>>;

/** What the report filters are called on screen. */
export const REPORT_FILTER_LABELS: Record<ReportFilterKey, string> = {
  workload: 'Workload',
  partnerId: 'Partner',
  l1: 'L1',
  from: 'From',
  to: 'To',
  weeks: 'Weeks ahead',
  level: 'Level',
};

/** Reference data the report filters are checked against; `null` and `undefined` as in {@link FilterReference}. */
export interface ReportFilterReference extends FilterReference {
  /** The partners the user can see. */
  partners: readonly { id: number; name: string }[] | null | undefined;
  /** Today as `YYYY-MM-DD`: the end of the default period, so a From after it has no period. */
  today: string;
}

export interface DroppedReportFilter {
  key: ReportFilterKey;
  value: string;
  reason: string;
}

export interface CheckedReportFilters {
  filters: ReportFilters;
  dropped: DroppedReportFilter[];
  changed: boolean;
  pending: boolean;
}

/**
 * True for an L1 the reports leave out (the Ageing report's L1 list does not offer it), as the server
 * finds them: the L1 whose id is `duplicate-invalid`, and every L1 whose kind is `duplicate-invalid`
 * (an L1 of a playbook's own whose page says `rules: Duplicate/Invalid`).
 */
export function isLeftOutOfReports(node: { id: string; kind?: string | null | undefined }): boolean {
  return node.id === 'duplicate-invalid' || node.kind === 'duplicate-invalid';
}

/** The API's limits for the forecast's weeks (src/http/schemas/reports.ts). */
const MAX_WEEKS = 104;
const REPORT_LEVELS = ['code', 'l1'] as const;

/** True for a real calendar date written `YYYY-MM-DD` (as the API's isoDate accepts). */
export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/**
 * Checks the Reports page's filters read from the URL, like {@link checkPortfolioFilters}: a value the
 * API would refuse (a workload it does not know, weeks out of range, a date that is not a date, a period
 * that ends before it starts) or that matches nothing the controls can show (an L1 not in the playbook,
 * a partner the user cannot see, a level other than code or l1) is dropped with the reason; L1s and
 * workloads are respelled as the controls show them. Checking the result again changes nothing. Pure; never throws.
 */
export function checkReportFilters(input: ReportFilters, reference: ReportFilterReference): CheckedReportFilters {
  const filters: ReportFilters = {};
  const dropped: DroppedReportFilter[] = [];
  let pending = false;
  const drop = (key: ReportFilterKey, value: string, reason: string) => dropped.push({ key, value, reason });

  // The portfolio's checks of the workload and the partner, so both pages accept, respell and drop alike.
  const shared = checkPortfolioFilters({ workload: input.workload, partnerId: input.partnerId }, { taxonomy: null, workloads: reference.workloads, partners: reference.partners });
  if (shared.pending) pending = true;
  if (shared.filters.workload) filters.workload = shared.filters.workload;
  if (shared.filters.partnerId) filters.partnerId = shared.filters.partnerId;
  for (const d of shared.dropped) if (d.key === 'workload' || d.key === 'partnerId') drop(d.key, d.value, d.reason);

  const l1 = input.l1;
  if (l1) {
    const { taxonomy } = reference;
    if (taxonomy === undefined) pending = true;
    if (!taxonomy) filters.l1 = l1;
    else {
      const wanted = normalizeLabel(l1);
      const found = taxonomy.l1s.find((n) => n.name === l1) ?? taxonomy.l1s.find((n) => n.id === l1 || normalizeLabel(n.name) === wanted);
      if (!found) drop('l1', l1, 'not an L1 of the playbook');
      else if (isLeftOutOfReports(found)) drop('l1', l1, `reports leave ${found.name} customers out, so it always counts 0`);
      else filters.l1 = found.name;
    }
  }

  for (const key of ['from', 'to'] as const) {
    const value = input[key];
    if (!value) continue;
    if (isIsoDate(value.trim())) filters[key] = value.trim();
    else drop(key, value, 'not a date written YYYY-MM-DD');
  }
  const end = filters.to ?? reference.today;
  if (filters.from && filters.from > end) {
    if (filters.to) {
      drop('from', filters.from, `after To (${filters.to})`);
      drop('to', filters.to, `before From (${filters.from})`);
      delete filters.to;
    } else drop('from', filters.from, `after today (${reference.today})`);
    delete filters.from;
  }

  const weeks = input.weeks;
  if (weeks) {
    if (/^\d{1,3}$/.test(weeks.trim()) && Number(weeks) >= 1 && Number(weeks) <= MAX_WEEKS) filters.weeks = String(Number(weeks));
    else drop('weeks', weeks, `not a whole number of weeks from 1 to ${MAX_WEEKS}`);
  }

  const level = input.level;
  if (level) {
    const found = REPORT_LEVELS.find((l) => l === level.trim().toLowerCase());
    if (found) filters.level = found;
    else drop('level', level, 'not code or l1');
  }

  const changed = REPORT_FILTER_KEYS.some((key) => (input[key] || undefined) !== filters[key]);
  return { filters, dropped, changed, pending };
}

/** One line naming the dropped report filters and why, e.g. `Weeks ahead "0" (not a whole number…)`. */
export function describeDroppedReportFilters(dropped: readonly DroppedReportFilter[]): string {
  return dropped.map((d) => `${REPORT_FILTER_LABELS[d.key]} "${d.value.length > 40 ? `${d.value.slice(0, 40)}…` : d.value}" (${d.reason})`).join('; ');
}

/**
 * The earliest year a typed period date is applied from. Chromium's date field reports a value for
 * each digit typed into its year (`0002-06-30`, `0020-…`, `0202-…`, then `2026-06-30`): those partial
 * years are not applied, so they neither send requests nor clash with the other end of the period.
 */
export const MIN_TYPED_YEAR = 1900;

/** One date field of the period as typed: its value (`''` when empty) and whether it is partly filled in. */
export interface TypedDate {
  value: string;
  /** True while some of the field's day, month and year are typed and others not (the field's `validity.badInput`). */
  incomplete?: boolean;
}

export interface TypedPeriodProblem {
  key: 'from' | 'to';
  message: string;
  /**
   * True for a date still being typed (incomplete, or a year before {@link MIN_TYPED_YEAR}): shown
   * once the field is left. False for a whole period that does not work (To before From): shown at once.
   */
  whileTyping: boolean;
}

/** What the period fields hold: the period to apply, or the problem that keeps it from being applied. */
export type TypedPeriodCheck = { ok: true; from?: string; to?: string } | { ok: false; problem: TypedPeriodProblem };

/**
 * Checks the period the Reports page's From and To fields hold as the user types, before anything is
 * put in the address: a date only partly typed, or with a year before {@link MIN_TYPED_YEAR}, is not
 * applied; nor is a period whose To is before its From, or a From after `today` without a To (the
 * address check would drop both ends). `changed` is the field just edited: a period that does not
 * work is reported on it. Pure; never throws.
 */
export function checkTypedPeriod(from: TypedDate, to: TypedDate, today: string, changed: 'from' | 'to'): TypedPeriodCheck {
  const checked: { from?: string; to?: string } = {};
  // The field being edited first, so its own problem is the one reported.
  const order: ('from' | 'to')[] = changed === 'from' ? ['from', 'to'] : ['to', 'from'];
  const fields = { from, to };
  for (const key of order) {
    const field = fields[key];
    const label = REPORT_FILTER_LABELS[key];
    const value = field.value.trim();
    if (field.incomplete || (value !== '' && !isIsoDate(value))) {
      return { ok: false, problem: { key, message: `${label} is not a whole date yet: type its day, month and year, or clear it.`, whileTyping: true } };
    }
    if (value === '') continue;
    const year = Number(value.slice(0, 4));
    if (year < MIN_TYPED_YEAR) {
      return { ok: false, problem: { key, message: `${label} has the year ${value.slice(0, 4)}: type the year with its four digits (${MIN_TYPED_YEAR} or later).`, whileTyping: true } };
    }
    checked[key] = value;
  }
  if (checked.from && checked.to && checked.from > checked.to) {
    const message =
      changed === 'to'
        ? `To (${checked.to}) is before From (${checked.from}): the period must end on or after its first day.`
        : `From (${checked.from}) is after To (${checked.to}): the period must start on or before its last day.`;
    return { ok: false, problem: { key: changed, message, whileTyping: false } };
  }
  if (checked.from && !checked.to && checked.from > today) {
    return { ok: false, problem: { key: 'from', message: `From (${checked.from}) is after today (${today}): there is nothing to report yet.`, whileTyping: false } };
  }
  return { ok: true, ...checked };
}
