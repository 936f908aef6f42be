/**
 * Read-only portfolio aggregations. Every query filters by the actor's scope and leaves out
 * Duplicate/Invalid (the playbook drops those from all reporting). Queries group on indexed columns
 * of `entitlements`, or read the `history_daily` roll-up instead of the full history.
 */
import { sql, type Kysely } from 'kysely';
import { AppError, slugify } from '../lib/index.js';
import { countExpr, type Database } from '../db/index.js';
import { L1_KIND, scopeOf, toIsoDate, type Actor, type Scope, type TrackerContext } from '../tracker/index.js';

const DAY_MS = 86_400_000;

export const COUNT_DIMENSIONS = ['l1', 'l2', 'workload', 'partner', 'owner'] as const;
export type CountDimension = (typeof COUNT_DIMENSIONS)[number];

export interface CountRow {
  key: string;
  label: string;
  /** The L1 of an L2 row; null for other dimensions. */
  l1: string | null;
  count: number;
}

export interface CountsReport {
  by: CountDimension;
  total: number;
  rows: CountRow[];
}

export interface ReportFilter {
  partnerId?: number | undefined;
  workload?: string | undefined;
  l1?: string | undefined;
}

function blockedL1(ctx: TrackerContext): string {
  return ctx.taxonomy().l1s.find((n) => n.id === L1_KIND.blocked)?.name ?? 'Blocked';
}

function invalidL1(ctx: TrackerContext): string {
  return ctx.taxonomy().l1s.find((n) => n.id === L1_KIND.duplicateInvalid)?.name ?? 'Duplicate/Invalid';
}

/** The taxonomy id of an L1/L2 pair (grouping by the indexed l1, l2 columns rather than by code). */
function codeIdOf(ctx: TrackerContext, l1: string, l2: string | null): string {
  return ctx.taxonomy().codes.find((c) => c.l1 === l1 && c.l2 === l2)?.id ?? (l2 === null ? slugify(l1) : `${slugify(l1)}/${slugify(l2)}`);
}

async function workloadId(db: Kysely<Database>, slug: string): Promise<number> {
  const row = await db.selectFrom('workloads').select('id').where('slug', '=', slug).executeTakeFirst();
  if (!row) throw new AppError('UNKNOWN_CODE', `Unknown workload "${slug}".`);
  return row.id;
}

async function baseQuery(ctx: TrackerContext, scope: Scope, filter: ReportFilter) {
  let q = ctx.db.kysely.selectFrom('entitlements').where('l1', '!=', invalidL1(ctx));
  if (scope.kind === 'partner') q = q.where('partner_id', '=', scope.partnerId);
  if (filter.partnerId !== undefined) q = q.where('partner_id', '=', filter.partnerId);
  if (filter.workload !== undefined) q = q.where('workload_id', '=', await workloadId(ctx.db.kysely, filter.workload));
  if (filter.l1 !== undefined) {
    const l1 = ctx.taxonomy().l1s.find((n) => n.id === slugify(filter.l1 ?? '') || n.name === filter.l1)?.name ?? filter.l1;
    q = q.where('l1', '=', l1);
  }
  return q;
}

/** Entitlement counts by L1, L2 (within L1), workload, partner or owner, largest first. */
export async function countEntitlements(ctx: TrackerContext, actor: Actor, by: CountDimension, filter: ReportFilter = {}): Promise<CountsReport> {
  const q = await baseQuery(ctx, scopeOf(actor), filter);
  let rows: CountRow[];
  if (by === 'l1') {
    rows = (await q.select(['l1', countExpr().as('n')]).groupBy('l1').execute()).map((r) => ({ key: slugify(r.l1), label: r.l1, l1: null, count: Number(r.n) }));
  } else if (by === 'l2') {
    rows = (await q.select(['l1', 'l2', countExpr().as('n')]).groupBy(['l1', 'l2']).execute()).map((r) => ({ key: codeIdOf(ctx, r.l1, r.l2), label: r.l2 ?? r.l1, l1: r.l1, count: Number(r.n) }));
  } else if (by === 'workload') {
    const names = new Map((await ctx.db.kysely.selectFrom('workloads').selectAll().execute()).map((w) => [w.id, w]));
    rows = (await q.select(['workload_id', countExpr().as('n')]).groupBy('workload_id').execute()).map((r) => ({ key: names.get(r.workload_id)?.slug ?? String(r.workload_id), label: names.get(r.workload_id)?.name ?? String(r.workload_id), l1: null, count: Number(r.n) }));
  } else if (by === 'partner') {
    const names = new Map((await ctx.db.kysely.selectFrom('partners').select(['id', 'name']).execute()).map((p) => [p.id, p.name]));
    rows = (await q.select(['partner_id', countExpr().as('n')]).groupBy('partner_id').execute()).map((r) => ({ key: String(r.partner_id), label: names.get(r.partner_id) ?? String(r.partner_id), l1: null, count: Number(r.n) }));
  } else {
    rows = (await q.select(['owner', countExpr().as('n')]).groupBy('owner').execute()).map((r) => ({ key: r.owner ?? '', label: r.owner ?? '(no owner)', l1: null, count: Number(r.n) }));
  }
  rows.sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
  return { by, total: rows.reduce((s, r) => s + r.count, 0), rows };
}

/** Day-count buckets for ageing; the last is open-ended. */
export const AGEING_BUCKETS: readonly { label: string; min: number; max: number | null }[] = [
  { label: '0-7 days', min: 0, max: 7 },
  { label: '8-14 days', min: 8, max: 14 },
  { label: '15-30 days', min: 15, max: 30 },
  { label: '31-60 days', min: 31, max: 60 },
  { label: '61-90 days', min: 61, max: 90 },
  { label: '91-180 days', min: 91, max: 180 },
  { label: 'over 180 days', min: 181, max: null },
];

export interface AgeingReport {
  l1: string;
  asOf: string;
  buckets: { label: string; minDays: number; maxDays: number | null; count: number }[];
  byL2: { code: string; l2: string | null; total: number; counts: number[] }[];
}

/** How long entitlements have been in their current code (Blocked by default), as a distribution, overall and per L2. */
export async function reportAgeing(ctx: TrackerContext, actor: Actor, filter: ReportFilter = {}): Promise<AgeingReport> {
  const now = ctx.clock.now();
  const l1 = filter.l1 ?? blockedL1(ctx);
  const q = await baseQuery(ctx, scopeOf(actor), { ...filter, l1 });
  // Bucket i holds entitlements whose `since` is after the start of bucket i+1; thresholds are ISO strings.
  const threshold = (days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();
  const cases = AGEING_BUCKETS.slice(0, -1).map((b, i) => sql`when since > ${sql.lit(threshold(b.max! + 1))} then ${sql.lit(i)}`);
  const bucketExpr = sql<number>`case ${sql.join(cases, sql` `)} else ${sql.lit(AGEING_BUCKETS.length - 1)} end`;
  const rows = await q.select(['l1', 'l2', bucketExpr.as('bucket'), countExpr().as('n')]).groupBy(['l1', 'l2', bucketExpr]).execute();
  const buckets = AGEING_BUCKETS.map((b) => ({ label: b.label, minDays: b.min, maxDays: b.max, count: 0 }));
  const byCode = new Map<string, { code: string; l2: string | null; total: number; counts: number[] }>();
  for (const r of rows) {
    const i = Number(r.bucket);
    buckets[i]!.count += Number(r.n);
    const code = codeIdOf(ctx, r.l1, r.l2);
    let entry = byCode.get(code);
    if (!entry) byCode.set(code, (entry = { code, l2: r.l2, total: 0, counts: AGEING_BUCKETS.map(() => 0) }));
    entry.counts[i]! += Number(r.n);
    entry.total += Number(r.n);
  }
  const resolvedL1 = ctx.taxonomy().l1s.find((n) => n.id === slugify(l1) || n.name === l1)?.name ?? l1;
  return { l1: resolvedL1, asOf: now.toISOString(), buckets, byL2: [...byCode.values()].sort((a, b) => b.total - a.total) };
}

export interface ForecastReport {
  asOf: string;
  weeks: { weekStart: string; projected: number; expected: number }[];
  /** Blocked entitlements whose projected unblock date has passed. */
  overdue: number;
  /** Blocked entitlements with no projected date, or whose expected date falls outside the window. */
  outsideWindow: { projected: number; expected: number };
  /** How long each Blocked reason took to clear in the history (entitlements that left it). */
  timeToClear: { code: string; cleared: number; averageDays: number | null }[];
}

function mondayOf(date: Date): Date {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d;
}

/**
 * Unblock forecast by ISO week (Monday start) for `weeks` weeks from this one: `projected` from the
 * entitlements' projected unblock dates, `expected` from each Blocked reason's average time to clear
 * in the history, counted from when the entitlement became blocked (the current average when the
 * entitlement is already older than that average: it lands this week).
 */
export async function reportForecast(ctx: TrackerContext, actor: Actor, options: { weeks?: number } & ReportFilter = {}): Promise<ForecastReport> {
  const now = ctx.clock.now();
  const scope = scopeOf(actor);
  const weeksCount = Math.min(104, Math.max(1, options.weeks ?? 12));
  const firstMonday = mondayOf(now);
  const weeks = Array.from({ length: weeksCount }, (_, i) => ({ weekStart: toIsoDate(new Date(firstMonday.getTime() + i * 7 * DAY_MS)), projected: 0, expected: 0 }));
  const endMs = firstMonday.getTime() + weeksCount * 7 * DAY_MS;
  const weekIndex = (ms: number) => Math.floor((ms - firstMonday.getTime()) / (7 * DAY_MS));
  const blocked = blockedL1(ctx);
  const today = toIsoDate(now);

  const projectedRows = await (await baseQuery(ctx, scope, { ...options, l1: blocked })).select(['projected_unblock_date as d', countExpr().as('n')]).groupBy('projected_unblock_date').execute();
  let overdue = 0;
  const outside = { projected: 0, expected: 0 };
  for (const r of projectedRows) {
    const n = Number(r.n);
    if (r.d === null) outside.projected += n;
    else if (r.d < today) overdue += n;
    else {
      const i = weekIndex(Date.parse(`${r.d}T00:00:00Z`));
      if (i >= 0 && i < weeksCount) weeks[i]!.projected += n;
      else outside.projected += n;
    }
  }

  // From the daily roll-up: a few thousand rows instead of every history row.
  const blockedCodes = ctx.taxonomy().codes.filter((c) => c.l1 === blocked).map((c) => c.id);
  let cleared = ctx.db.kysely
    .selectFrom('history_daily')
    .select(['from_code', sql<number>`sum(days_n)`.as('n'), sql<number>`sum(days_sum)`.as('days')])
    .where('from_code', 'in', blockedCodes.length > 0 ? blockedCodes : [''])
    .where('days_n', '>', 0);
  if (scope.kind === 'partner') cleared = cleared.where('partner_id', '=', scope.partnerId);
  if (options.partnerId !== undefined) cleared = cleared.where('partner_id', '=', options.partnerId);
  const clearedRows = (await cleared.groupBy('from_code').execute()).map((r) => ({ from_code: r.from_code, n: Number(r.n), avg_days: Number(r.n) > 0 ? Number(r.days) / Number(r.n) : null }));
  const timeToClear = clearedRows.map((r) => ({ code: r.from_code!, cleared: Number(r.n), averageDays: r.avg_days === null ? null : Math.round(Number(r.avg_days) * 10) / 10 }));
  const averageByCode = new Map(timeToClear.map((t) => [t.code, t.averageDays]));
  const overall = timeToClear.reduce((s, t) => s + (t.averageDays ?? 0) * t.cleared, 0) / Math.max(1, timeToClear.reduce((s, t) => s + t.cleared, 0));

  const sinceRows = await (await baseQuery(ctx, scope, { ...options, l1: blocked })).select(['l1', 'l2', sql<string>`substr(since, 1, 10)`.as('day'), countExpr().as('n')]).groupBy(['l1', 'l2', sql`substr(since, 1, 10)`]).execute();
  for (const r of sinceRows) {
    const average = averageByCode.get(codeIdOf(ctx, r.l1, r.l2)) ?? (timeToClear.length > 0 ? overall : null);
    if (average === null) {
      outside.expected += Number(r.n);
      continue;
    }
    const expectedMs = Math.max(Date.parse(`${r.day}T00:00:00Z`) + average * DAY_MS, firstMonday.getTime());
    const i = weekIndex(expectedMs);
    if (expectedMs < endMs && i >= 0) weeks[i]!.expected += Number(r.n);
    else outside.expected += Number(r.n);
  }
  return { asOf: now.toISOString(), weeks, overdue, outsideWindow: outside, timeToClear: timeToClear.sort((a, b) => b.cleared - a.cleared) };
}

export interface PeriodOptions {
  /** `YYYY-MM-DD`, inclusive; default 365 days before `to`. */
  from?: string | undefined;
  /** `YYYY-MM-DD`, inclusive; default today. */
  to?: string | undefined;
  partnerId?: number | undefined;
}

function resolvePeriod(ctx: TrackerContext, options: PeriodOptions): { from: string; to: string } {
  const to = options.to ?? toIsoDate(ctx.clock.now());
  const from = options.from ?? toIsoDate(new Date(Date.parse(`${to}T00:00:00Z`) - 365 * DAY_MS));
  if (from > to) throw new AppError('BAD_ARGUMENTS', `The period starts (${from}) after it ends (${to}).`);
  return { from, to };
}

function rollup(ctx: TrackerContext, scope: Scope, period: { from: string; to: string }, partnerId: number | undefined) {
  let q = ctx.db.kysely.selectFrom('history_daily').where('day', '>=', period.from).where('day', '<=', period.to);
  if (scope.kind === 'partner') q = q.where('partner_id', '=', scope.partnerId);
  if (partnerId !== undefined) q = q.where('partner_id', '=', partnerId);
  return q;
}

export interface NoteQualityReport {
  from: string;
  to: string;
  months: { month: string; changes: number; graded: number; grades: Record<string, number>; averageScore: number | null }[];
}

/** Note grades of every status change, per calendar month of the period. */
export async function reportNoteQuality(ctx: TrackerContext, actor: Actor, options: PeriodOptions = {}): Promise<NoteQualityReport> {
  const period = resolvePeriod(ctx, options);
  const rows = await rollup(ctx, scopeOf(actor), period, options.partnerId)
    .where('from_code', '!=', '')
    .select([sql<string>`substr(day, 1, 7)`.as('month'), 'grade', sql<number>`sum(n)`.as('n'), sql<number>`sum(score_sum)`.as('score_sum'), sql<number>`sum(score_n)`.as('score_n')])
    .groupBy([sql`substr(day, 1, 7)`, 'grade'])
    .execute();
  const months = new Map<string, { month: string; changes: number; graded: number; grades: Record<string, number>; scoreSum: number; scoreN: number }>();
  for (const r of rows) {
    let m = months.get(r.month);
    if (!m) months.set(r.month, (m = { month: r.month, changes: 0, graded: 0, grades: {}, scoreSum: 0, scoreN: 0 }));
    const n = Number(r.n);
    m.changes += n;
    if (r.grade !== '') {
      m.graded += n;
      m.grades[r.grade] = (m.grades[r.grade] ?? 0) + n;
    }
    m.scoreSum += Number(r.score_sum);
    m.scoreN += Number(r.score_n);
  }
  return {
    ...period,
    months: [...months.values()]
      .sort((a, b) => a.month.localeCompare(b.month))
      .map((m) => ({ month: m.month, changes: m.changes, graded: m.graded, grades: m.grades, averageScore: m.scoreN === 0 ? null : Math.round((m.scoreSum / m.scoreN) * 1000) / 1000 })),
  };
}

export interface FlowReport {
  from: string;
  to: string;
  level: 'code' | 'l1';
  rows: { from: string; to: string; count: number }[];
}

/** How many entitlements moved from each code (or L1) to each other in the period; staying put is not a move. */
export async function reportFlow(ctx: TrackerContext, actor: Actor, options: PeriodOptions & { level?: 'code' | 'l1' } = {}): Promise<FlowReport> {
  const period = resolvePeriod(ctx, options);
  const level = options.level ?? 'code';
  const rows = await rollup(ctx, scopeOf(actor), period, options.partnerId)
    .where('from_code', '!=', '')
    .whereRef('from_code', '!=', 'to_code')
    .select(['from_code', 'to_code', sql<number>`sum(n)`.as('n')])
    .groupBy(['from_code', 'to_code'])
    .execute();
  const l1Of = (code: string) => code.split('/')[0] ?? code;
  const totals = new Map<string, { from: string; to: string; count: number }>();
  for (const r of rows) {
    const from = level === 'l1' ? l1Of(r.from_code) : r.from_code;
    const to = level === 'l1' ? l1Of(r.to_code) : r.to_code;
    if (from === to) continue;
    const key = `${from}>${to}`;
    const entry = totals.get(key) ?? { from, to, count: 0 };
    entry.count += Number(r.n);
    totals.set(key, entry);
  }
  return { ...period, level, rows: [...totals.values()].sort((a, b) => b.count - a.count || a.from.localeCompare(b.from)) };
}
