/**
 * Read-only portfolio aggregations. Every query filters by the actor's scope and leaves out
 * Duplicate/Invalid and every L1 of the playbook's own that follows its rules (the playbook drops
 * those from all reporting). Entitlement reports count index
 * ranges (./ranges.ts: one covering-index range walked per count, no per-row expression or sort) or
 * group in index order; history reports read the `history_daily` roll-up instead of the full history.
 */
import { sql, type Kysely } from 'kysely';
import { AppError, compareCodePoints, slugify } from '../lib/index.js';
import { countExpr, foldCaseOf, type Database } from '../db/index.js';
import { countRanges, distinctL1s, distinctL2s, type Condition, type CountRange } from './ranges.js';
import { L1_KIND, l1KindsOf, scopeOf, toIsoDate, workloadSlug, type Actor, type Scope, type TrackerContext } from '../tracker/index.js';
import { resolveCodeFilter } from '../tracker/entitlements.js';
import type { Taxonomy } from '../taxonomy/types.js';

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
  /** As the entitlement list's `l1` filter (resolveCodeFilter): UNKNOWN_CODE for an L1 neither the playbook nor the rows in scope have. */
  l1?: string | undefined;
}

/**
 * The L1s that follow the Blocked rules, as the taxonomy spells them: Blocked itself first, then each
 * L1 of the playbook's own whose page says `rules: Blocked`. Never empty.
 */
function blockedL1s(ctx: TrackerContext): string[] {
  const taxonomy = ctx.taxonomy();
  const kinds = l1KindsOf(taxonomy);
  const names = taxonomy.l1s.filter((n) => kinds.get(n.name) === L1_KIND.blocked).map((n) => n.name);
  return names.length > 0 ? names : ['Blocked'];
}

/** The (L1, L2) pairs stored under each of `l1s` within `where`, from a loose index scan per L1. */
async function codesUnder(db: Kysely<Database>, l1s: readonly string[], where: Condition[]): Promise<{ l1: string; l2: string | null }[]> {
  return (await Promise.all(l1s.map(async (l1) => (await distinctL2s(db, l1, where)).map((l2) => ({ l1, l2 }))))).flat();
}

/** `e.l1` is one of `l1s` (an equality for one, as the indexes are read best). */
function l1In(l1s: readonly string[]): Condition {
  return l1s.length === 1 ? sql`e.l1 = ${l1s[0]}` : sql`e.l1 in (${sql.join(l1s)})`;
}

/**
 * Orders text by code point, the last tie-break of every report's rows: the rows come from SQL in an
 * order each engine chooses, so without one, equal counts came back in a different order on SQLite
 * and PostgreSQL.
 */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The L1s every report leaves out, as `taxonomy` spells them: each L1 whose kind is Duplicate/Invalid
 * (Duplicate/Invalid itself, and each L1 of the playbook's own whose page says `rules: Duplicate/Invalid`),
 * in the taxonomy's order; Duplicate/Invalid first even for a playbook without it, as rows of an older
 * playbook may still carry it. Never empty.
 */
export function duplicateInvalidL1s(taxonomy: Taxonomy): string[] {
  const kinds = l1KindsOf(taxonomy);
  const names = taxonomy.l1s.filter((n) => kinds.get(n.name) === L1_KIND.duplicateInvalid).map((n) => n.name);
  return names.some((n) => slugify(n) === L1_KIND.duplicateInvalid) ? names : ['Duplicate/Invalid', ...names];
}

function invalidL1s(ctx: TrackerContext): string[] {
  return duplicateInvalidL1s(ctx.taxonomy());
}

/** `e.l1` is none of `l1s` (an inequality for one, as before there could be several). */
function l1NotIn(l1s: readonly string[]): Condition {
  return l1s.length === 1 ? sql`e.l1 != ${l1s[0]}` : sql`e.l1 not in (${sql.join(l1s)})`;
}

/** The taxonomy id of an L1/L2 pair (grouping by the indexed l1, l2 columns rather than by code). */
function codeIdOf(ctx: TrackerContext, l1: string, l2: string | null): string {
  return ctx.taxonomy().codes.find((c) => c.l1 === l1 && c.l2 === l2)?.id ?? (l2 === null ? slugify(l1) : `${slugify(l1)}/${slugify(l2)}`);
}

async function workloadId(db: Kysely<Database>, value: string): Promise<number> {
  const row = await db.selectFrom('workloads').select('id').where('slug', '=', workloadSlug(value)).executeTakeFirst();
  if (!row) throw new AppError('UNKNOWN_CODE', `Unknown workload "${value}".`);
  return row.id;
}

/** Scope and filter conditions on `entitlements e` (partner, workload, never an L1 of the Duplicate/Invalid kind), for the range counts. */
async function scopeConditions(ctx: TrackerContext, scope: Scope, filter: ReportFilter, leaveOutInvalid = true): Promise<Condition[]> {
  const where: Condition[] = leaveOutInvalid ? [l1NotIn(invalidL1s(ctx))] : [];
  if (scope.kind === 'partner') where.push(sql`e.partner_id = ${scope.partnerId}`);
  if (filter.partnerId !== undefined) where.push(sql`e.partner_id = ${filter.partnerId}`);
  if (filter.workload?.trim()) where.push(sql`e.workload_id = ${await workloadId(ctx.db.kysely, filter.workload)}`);
  return where;
}

/** Statements per range count: PostgreSQL runs each on its own backend, so split the work in two. */
function partsFor(ctx: TrackerContext): number {
  return ctx.db.engine === 'postgres' ? 2 : 1;
}

/**
 * The `l1` filter as stored rows spell it, matched as the entitlement list matches it: an L1 of the
 * playbook (name in any case and spacing, or id), else one that entitlements in the actor's scope still
 * carry from an older playbook; UNKNOWN_CODE (400) naming the field and the valid L1s otherwise. None
 * for an absent or empty filter.
 */
async function resolveL1(ctx: TrackerContext, scope: Scope, l1: string | undefined): Promise<string | undefined> {
  const resolved = (await resolveCodeFilter(ctx.db.kysely, scope, ctx.taxonomy(), { l1 })).l1;
  if (resolved !== undefined && invalidL1s(ctx).includes(resolved)) throw duplicateInvalidRefused(resolved);
  return resolved;
}

/** Why a report asked for an L1 of the Duplicate/Invalid kind answers 400: an empty report would read as "there are none". */
export const DUPLICATE_INVALID_REFUSED = 'left-out-of-reports';

/**
 * BAD_ARGUMENTS for a report asked for an L1 of the Duplicate/Invalid kind (`name`, as the playbook spells it:
 * Duplicate/Invalid, or an L1 of its own that follows its rules),
 * details `{ field: 'l1', l1, reason: 'left-out-of-reports' }`, naming where those entitlements are listed.
 */
function duplicateInvalidRefused(name: string): AppError {
  const follows = slugify(name) === L1_KIND.duplicateInvalid ? '' : ', which follows the Duplicate/Invalid rules,';
  return new AppError(
    'BAD_ARGUMENTS',
    `Reports leave ${name}${follows} out: those entitlements are not customer rollouts. List them with GET /api/entitlements?l1=${encodeURIComponent(name)} (or the CSV export with the same filter).`,
    { field: 'l1', l1: name, reason: DUPLICATE_INVALID_REFUSED },
  );
}

/**
 * Entitlement counts by L1, L2 (within L1), workload, partner or owner, largest first. L1 and L2
 * counts are index range counts (the codes come from a loose index scan); the others group over an
 * index that leads with the grouped column and carries the scope columns.
 */
export async function countEntitlements(ctx: TrackerContext, actor: Actor, by: CountDimension, filter: ReportFilter = {}): Promise<CountsReport> {
  const scope = scopeOf(actor);
  const onlyL1 = await resolveL1(ctx, scope, filter.l1);
  let rows: CountRow[];
  if (by === 'l1' || by === 'l2') {
    const invalid = invalidL1s(ctx);
    const scoped = await scopeConditions(ctx, scope, filter, false);
    const l1s = onlyL1 !== undefined ? [onlyL1] : await distinctL1s(ctx.db.kysely, scoped);
    const kept = l1s.filter((l) => !invalid.includes(l));
    const ranges: CountRange[] = by === 'l1' ? kept.map((l1) => ({ l1 })) : await codesUnder(ctx.db.kysely, kept, scoped);
    const counts = await countRanges(ctx.db.kysely, { where: scoped, parts: partsFor(ctx) }, ranges);
    rows = ranges
      .map((r, i) => ({ range: r, count: counts[i]! }))
      .filter((r) => r.count > 0)
      .map(({ range: { l1, l2 }, count }) => (by === 'l1' ? { key: slugify(l1!), label: l1!, l1: null, count } : { key: codeIdOf(ctx, l1!, l2 ?? null), label: l2 ?? l1!, l1: l1!, count }));
  } else if (by === 'workload' || by === 'partner') {
    const where = await scopeConditions(ctx, scope, filter);
    if (onlyL1 !== undefined) where.push(sql`e.l1 = ${onlyL1}`);
    const keys =
      by === 'workload'
        ? (await ctx.db.kysely.selectFrom('workloads').select(['id', 'slug as key', 'name as label']).orderBy('id').execute())
        : (await ctx.db.kysely.selectFrom('partners').select(['id', 'name as label']).orderBy('id').execute()).map((p) => ({ ...p, key: String(p.id) }));
    const counts = await countRanges(ctx.db.kysely, { keyColumn: by === 'workload' ? 'workload_id' : 'partner_id', where, parts: partsFor(ctx) }, keys.map((k) => ({ key: k.id })));
    rows = keys.map((k, i) => ({ key: k.key, label: k.label, l1: null, count: counts[i]! })).filter((r) => r.count > 0);
  } else {
    // Grouped in the order of the covering (owner, l1, partner_id, workload_id) index, the other
    // conditions checked inside it. SQLite keeps no statistics here to tell it that one partner,
    // workload or L1 can be a large share of the rows, so `+column` keeps it off the indexes that
    // lead with those columns (a table read per row, then a sort).
    const col = (name: 'partner_id' | 'workload_id' | 'l1') => (ctx.db.engine === 'sqlite' ? sql<string | number>`+${sql.ref(name)}` : sql<string | number>`${sql.ref(name)}`);
    const invalid = invalidL1s(ctx);
    let q = invalid.length === 1 ? ctx.db.kysely.selectFrom('entitlements').where('l1', '!=', invalid[0]!) : ctx.db.kysely.selectFrom('entitlements').where('l1', 'not in', invalid);
    if (scope.kind === 'partner') q = q.where(col('partner_id'), '=', scope.partnerId);
    if (filter.partnerId !== undefined) q = q.where(col('partner_id'), '=', filter.partnerId);
    if (filter.workload?.trim()) q = q.where(col('workload_id'), '=', await workloadId(ctx.db.kysely, filter.workload));
    if (onlyL1 !== undefined) q = q.where(col('l1'), '=', onlyL1);
    // On PostgreSQL that index holds the owner in the C collation (migration 018): grouped the same way, it is read in order.
    const owner = ctx.db.engine === 'postgres' ? sql<string | null>`owner collate "C"` : sql<string | null>`owner`;
    const grouped = (await q.select([owner.as('owner'), countExpr().as('n')]).groupBy(owner).execute()).map((r) => ({ owner: r.owner, count: Number(r.n) }));
    rows = mergeOwnerSpellings(grouped, (text) => foldCaseOf(ctx.db, text));
  }
  rows.sort((a, b) => b.count - a.count || compareCodePoints(a.label, b.label));
  return { by, total: rows.reduce((s, r) => s + r.count, 0), rows };
}

/**
 * Owners counted as the list's `owner` filter matches them: spellings equal once `fold` (the database's
 * lower()) has folded their case are one row, so following a row to `owner=<key>` lists as many
 * entitlements as it counts. The row is keyed and named by its most common spelling (ties: the first
 * in code point order); the label names the other spellings it holds ("Bob (also BOB, bob)").
 */
export function mergeOwnerSpellings(grouped: { owner: string | null; count: number }[], fold: (text: string) => string): CountRow[] {
  const groups = new Map<string | null, { owner: string | null; count: number }[]>();
  for (const g of grouped) {
    const key = g.owner === null ? null : fold(g.owner);
    const spellings = groups.get(key);
    if (spellings) spellings.push(g);
    else groups.set(key, [g]);
  }
  return [...groups.values()].map((spellings) => {
    const count = spellings.reduce((n, s) => n + s.count, 0);
    const [first, ...others] = [...spellings].sort((a, b) => b.count - a.count || compareCodePoints(a.owner ?? '', b.owner ?? ''));
    if (first!.owner === null) return { key: '', label: '(no owner)', l1: null, count };
    const also = others.map((s) => s.owner!).sort(compareCodePoints);
    return { key: first!.owner, label: also.length === 0 ? first!.owner : `${first!.owner} (also ${also.join(', ')})`, l1: null, count };
  });
}

/**
 * How many entitlements of each L1 of the Duplicate/Invalid kind ({@link duplicateInvalidL1s}, in that
 * order, none left out) the counts report leaves out for `filter` (its partner and workload, in the
 * actor's scope): one index range count per L1.
 */
export async function countDuplicateInvalidByL1(ctx: TrackerContext, actor: Actor, filter: Omit<ReportFilter, 'l1'> = {}): Promise<{ l1: string; count: number }[]> {
  const where = await scopeConditions(ctx, scopeOf(actor), filter, false);
  const l1s = invalidL1s(ctx);
  const counts = await countRanges(ctx.db.kysely, { where, parts: partsFor(ctx) }, l1s.map((l1) => ({ l1 })));
  return l1s.map((l1, i) => ({ l1, count: counts[i] ?? 0 }));
}

/**
 * How many entitlements the counts report leaves out for `filter` as Duplicate/Invalid or under an L1 of
 * the playbook's own that follows its rules (its partner and workload, in the actor's scope): one index
 * range count per such L1, for a line under the report saying so.
 */
export async function countDuplicateInvalid(ctx: TrackerContext, actor: Actor, filter: Omit<ReportFilter, 'l1'> = {}): Promise<number> {
  return (await countDuplicateInvalidByL1(ctx, actor, filter)).reduce((sum, r) => sum + r.count, 0);
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
  /** The L1 counted: the one asked for, else Blocked (the first of `l1s`). */
  l1: string;
  /** Every L1 counted: the one asked for, else Blocked and each L1 of the playbook's own that follows its rules. */
  l1s: string[];
  asOf: string;
  buckets: { label: string; minDays: number; maxDays: number | null; count: number }[];
  byL2: { code: string; l2: string | null; total: number; counts: number[] }[];
}

/**
 * How long entitlements have been in their current code (by default Blocked and every L1 that follows
 * its rules), as a distribution, overall and per L2. Each (L1, L2, bucket) is one range of `since` counted
 * over an index that leads with the scope and (l1, l2, since); the L2s come from a loose index scan.
 */
export async function reportAgeing(ctx: TrackerContext, actor: Actor, filter: ReportFilter = {}): Promise<AgeingReport> {
  const now = ctx.clock.now();
  const scope = scopeOf(actor);
  const asked = await resolveL1(ctx, scope, filter.l1);
  const l1s = asked !== undefined ? [asked] : blockedL1s(ctx);
  const where = await scopeConditions(ctx, scope, filter);
  // Bucket i holds entitlements whose `since` is after the start of bucket i+1 (and not after the start of bucket i).
  const threshold = (days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();
  const starts = AGEING_BUCKETS.map((b) => (b.max === null ? undefined : threshold(b.max + 1)));
  const bounds = AGEING_BUCKETS.map((_, i) => ({ lo: starts[i], hi: i === 0 ? undefined : starts[i - 1] }));
  const codes = await codesUnder(ctx.db.kysely, l1s, where);
  const ranges = codes.flatMap((code) => bounds.map((b) => ({ ...code, ...b })));
  const counts = await countRanges(ctx.db.kysely, { column: 'since', loOp: '>', hiOp: '<=', where, parts: partsFor(ctx) }, ranges);
  const buckets = AGEING_BUCKETS.map((b) => ({ label: b.label, minDays: b.min, maxDays: b.max, count: 0 }));
  const byCode = new Map<string, { code: string; l2: string | null; total: number; counts: number[] }>();
  ranges.forEach((r, k) => {
    const n = counts[k]!;
    if (n === 0) return;
    const i = k % AGEING_BUCKETS.length;
    buckets[i]!.count += n;
    const code = codeIdOf(ctx, r.l1, r.l2);
    let entry = byCode.get(code);
    if (!entry) byCode.set(code, (entry = { code, l2: r.l2, total: 0, counts: AGEING_BUCKETS.map(() => 0) }));
    entry.counts[i]! += n;
    entry.total += n;
  });
  return { l1: l1s[0]!, l1s, asOf: now.toISOString(), buckets, byL2: [...byCode.values()].sort((a, b) => b.total - a.total || compareText(a.code, b.code)) };
}

export interface ForecastReport {
  asOf: string;
  weeks: { weekStart: string; projected: number; expected: number }[];
  /** Blocked entitlements whose projected unblock date has passed (before today); in no week. */
  overdue: number;
  /**
   * Blocked entitlements whose expected date (when blocked plus the reason's average time to clear)
   * has passed (before today); in no week's `expected`.
   */
  expectedOverdue: number;
  /** Blocked entitlements with no projected date, or whose expected date falls outside the window. */
  outsideWindow: { projected: number; expected: number };
  /**
   * Blocked entitlements in scope. Each series adds up to it:
   * `overdue + sum(weeks.projected) + outsideWindow.projected` and
   * `expectedOverdue + sum(weeks.expected) + outsideWindow.expected`.
   */
  total: number;
  /** How long each Blocked reason took to clear in the history (entitlements that left it). */
  timeToClear: { code: string; cleared: number; averageDays: number | null }[];
}

function mondayOf(date: Date): Date {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d;
}

/**
 * Unblock forecast by ISO week (Monday start) for `weeks` weeks from this one, of every entitlement under
 * Blocked or an L1 that follows its rules: `projected` from the entitlements' projected unblock dates, `expected` from each Blocked reason's average time to clear
 * in the history, counted from when the entitlement became blocked. Week one counts from today:
 * dates before today are overdue (`overdue` for projected dates, `expectedOverdue` for expected ones),
 * not due this week.
 */
export async function reportForecast(
  ctx: TrackerContext,
  actor: Actor,
  options: { weeks?: number; /** How to count (tests compare the two); default: grouped for one workload, else ranges. */ strategy?: 'ranges' | 'grouped' } & ReportFilter = {},
): Promise<ForecastReport> {
  const now = ctx.clock.now();
  const scope = scopeOf(actor);
  const weeksCount = Math.min(104, Math.max(1, options.weeks ?? 12));
  const firstMonday = mondayOf(now);
  const weeks = Array.from({ length: weeksCount }, (_, i) => ({ weekStart: toIsoDate(new Date(firstMonday.getTime() + i * 7 * DAY_MS)), projected: 0, expected: 0 }));
  const endMs = firstMonday.getTime() + weeksCount * 7 * DAY_MS;
  const weekIndex = (ms: number) => Math.floor((ms - firstMonday.getTime()) / (7 * DAY_MS));
  const blocked = blockedL1s(ctx);
  const isBlocked = l1In(blocked);
  const today = toIsoDate(now);

  const where = await scopeConditions(ctx, scope, options);

  // Projected dates (YYYY-MM-DD) by range of the (l1, projected_unblock_date, scope) index: overdue,
  // then each week. None or after the window is the rest of the Blocked total, counted below.
  const weekStarts = [...weeks.map((w) => w.weekStart), toIsoDate(new Date(endMs))];
  const projectedRanges: CountRange[] = [{ hi: today }, ...weeks.map((_, i) => ({ lo: i === 0 ? today : weekStarts[i], hi: weekStarts[i + 1] }))];
  // The moves out of each Blocked code, from a roll-up instead of every history row: for one workload,
  // time_to_clear (per partner, workload and code); else the daily roll-up (per partner, day and code), as
  // before the workload one existed. Both count the same history rows, so the two agree on every workload.
  const blockedCodes = ctx.taxonomy().codes.filter((c) => blocked.includes(c.l1)).map((c) => c.id);
  const codesIn = blockedCodes.length > 0 ? blockedCodes : [''];
  const workload = options.workload?.trim() ? await workloadId(ctx.db.kysely, options.workload) : undefined;
  const partnerIds = [scope.kind === 'partner' ? scope.partnerId : undefined, options.partnerId].filter((p) => p !== undefined);
  const readCleared = async (): Promise<{ from_code: string; n: number | string; days: number | string }[]> => {
    if (workload !== undefined) {
      let q = ctx.db.kysely
        .selectFrom('time_to_clear')
        .select(['from_code', sql<number>`sum(n)`.as('n'), sql<number>`sum(days_sum)`.as('days')])
        .where('workload_id', '=', workload)
        .where('from_code', 'in', codesIn)
        .where('n', '>', 0);
      for (const p of partnerIds) q = q.where('partner_id', '=', p);
      return q.groupBy('from_code').execute();
    }
    let q = ctx.db.kysely
      .selectFrom('history_daily')
      .select(['from_code', sql<number>`sum(days_n)`.as('n'), sql<number>`sum(days_sum)`.as('days')])
      .where('from_code', 'in', codesIn)
      .where('days_n', '>', 0);
    for (const p of partnerIds) q = q.where('partner_id', '=', p);
    return q.groupBy('from_code').execute();
  };
  /** Counts of `projectedRanges` from one grouped read: overdue (before today), then each week of the window. */
  const groupedProjectedCounts = async (): Promise<number[]> => {
    const rows = await sql<{ d: string; n: number | string }>`select e.projected_unblock_date as d, count(*) as n from entitlements e
      where ${isBlocked} and e.projected_unblock_date is not null and ${sql.join(where, sql` and `)} group by e.projected_unblock_date`.execute(ctx.db.kysely);
    const counts = projectedRanges.map(() => 0);
    for (const r of rows.rows) {
      // The same text comparisons as the ranges: before today is overdue; week i runs to the next week's start.
      const i = r.d < today ? 0 : weekStarts.findIndex((start, w) => w > 0 && r.d < start);
      if (i >= 0) counts[i]! += Number(r.n);
    }
    return counts;
  };
  const parts = partsFor(ctx);
  // One workload's Blocked rows are a small share of them (33,000 of 527,000 at 1M): reading them once,
  // grouped by L2 and day (and by projected date), costs less than walking about a thousand index ranges
  // over every Blocked row with the workload as a filter (104 weeks of one workload at 1M: 209 ms -> see
  // docs/API.md). Both ways give the same counts (test/db/forecast-strategies.test.ts).
  const grouped = (options.strategy ?? (options.workload !== undefined ? 'grouped' : 'ranges')) === 'grouped';
  /** Counts of `projectedRanges` by index ranges, each L1 that follows the Blocked rules on its own and added up. */
  const rangeProjectedCounts = async (): Promise<number[]> => {
    const ranges = blocked.flatMap((l1) => projectedRanges.map((r) => ({ ...r, l1 })));
    const counts = await countRanges(ctx.db.kysely, { column: 'projected_unblock_date', where, parts }, ranges);
    return projectedRanges.map((_, i) => blocked.reduce((sum, _l1, j) => sum + counts[j * projectedRanges.length + i]!, 0));
  };
  const projectedCounts = grouped ? groupedProjectedCounts() : rangeProjectedCounts();
  projectedCounts.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
  const byDay = grouped
    ? sql<{ l1: string; l2: string | null; d: string; n: number | string }>`select e.l1 as l1, e.l2 as l2, substr(e.since, 1, 10) as d, count(*) as n from entitlements e
        where ${isBlocked} and ${sql.join(where, sql` and `)} group by e.l1, e.l2, substr(e.since, 1, 10)`.execute(ctx.db.kysely)
    : null;
  byDay?.catch(() => undefined);
  const [l2s, clearedResult] = await Promise.all([grouped ? Promise.resolve([]) : codesUnder(ctx.db.kysely, blocked, where), readCleared()]);
  const clearedRows = clearedResult.map((r) => ({ from_code: r.from_code, n: Number(r.n), avg_days: Number(r.n) > 0 ? Number(r.days) / Number(r.n) : null }));
  const timeToClear = clearedRows.map((r) => ({ code: r.from_code!, cleared: Number(r.n), averageDays: r.avg_days === null ? null : Math.round(Number(r.avg_days) * 10) / 10 }));
  const averageByCode = new Map(timeToClear.map((t) => [t.code, t.averageDays]));
  const overall = timeToClear.reduce((s, t) => s + (t.averageDays ?? 0) * t.cleared, 0) / Math.max(1, timeToClear.reduce((s, t) => s + t.cleared, 0));

  // Expected dates: the day the entitlement became blocked plus its reason's average time to clear.
  // Buckets: 0 overdue (before today), 1 + i week i (from today on in week 0), weeksCount + 1 outside
  // the window. The bucket is monotonic in the day, so each bucket is a range of days of `since`,
  // found with the very same arithmetic per day and counted over the (l1, l2, since) index.
  const todayMs = Date.parse(`${today}T00:00:00.000Z`);
  const outsideBucket = weeksCount + 1;
  const bucketOf = (dayMs: number, average: number): number => {
    const expectedMs = dayMs + average * DAY_MS;
    if (expectedMs < todayMs) return 0;
    return expectedMs < endMs ? 1 + weekIndex(expectedMs) : outsideBucket;
  };
  /** Start (ms) of bucket b >= 1: today for week 0, then each Monday, then the window's end. */
  const bucketStart = (b: number): number => (b === 1 ? todayMs : firstMonday.getTime() + (b - 1) * 7 * DAY_MS);
  const averageFor = (l1: string, l2: string | null): number | null => averageByCode.get(codeIdOf(ctx, l1, l2)) ?? (timeToClear.length > 0 ? overall : null);
  const sinceRanges: { l1: string; l2: string | null; lo?: string; hi?: string; bucket: number }[] = [];
  for (const { l1, l2 } of l2s) {
    const average = averageFor(l1, l2);
    if (average === null) {
      sinceRanges.push({ l1, l2, bucket: outsideBucket });
      continue;
    }
    // firstDay[b]: the first day (ms) whose expected date falls in bucket b or later.
    const firstDay = [Number.NEGATIVE_INFINITY];
    for (let b = 1; b <= outsideBucket; b++) {
      let day = Math.ceil((bucketStart(b) - average * DAY_MS) / DAY_MS) * DAY_MS;
      while (bucketOf(day - DAY_MS, average) >= b) day -= DAY_MS;
      while (bucketOf(day, average) < b) day += DAY_MS;
      firstDay.push(Math.max(day, firstDay[b - 1]!));
    }
    const dayIso = (ms: number) => (Number.isFinite(ms) ? toIsoDate(new Date(ms)) : undefined);
    for (let b = 0; b <= outsideBucket; b++) sinceRanges.push({ l1, l2, lo: dayIso(firstDay[b]!), hi: b < outsideBucket ? dayIso(firstDay[b + 1]!) : undefined, bucket: b });
  }
  // `since` is an ISO timestamp: its day is >= D exactly when since >= D, and < D exactly when since < D.
  // Grouped, each day's count goes to the bucket of that day: the ranges above are those buckets' days.
  const buckets = Array.from({ length: outsideBucket + 1 }, () => 0);
  if (byDay) {
    for (const r of (await byDay).rows) {
      const average = averageFor(r.l1, r.l2);
      buckets[average === null ? outsideBucket : bucketOf(Date.parse(`${r.d}T00:00:00.000Z`), average)]! += Number(r.n);
    }
  }
  const [sinceCounts, projected] = await Promise.all([byDay ? Promise.resolve([]) : countRanges(ctx.db.kysely, { column: 'since', where, parts }, sinceRanges), projectedCounts]);
  sinceRanges.forEach((r, k) => (buckets[r.bucket]! += sinceCounts[k]!));
  // Every Blocked entitlement in scope falls in exactly one bucket: their sum is the total.
  const total = buckets.reduce((sum, n) => sum + n, 0);
  const overdue = projected[0]!;
  weeks.forEach((w, i) => (w.projected = projected[i + 1]!));
  const inWindow = weeks.reduce((sum, w) => sum + w.projected, 0);
  // (Clamped: the statements do not share one snapshot, so a write between them could tip it below 0.)
  const outside = { projected: Math.max(0, total - overdue - inWindow), expected: 0 };
  const expectedOverdue = buckets[0]!;
  weeks.forEach((w, i) => (w.expected = buckets[i + 1]!));
  outside.expected = buckets[outsideBucket]!;
  return { asOf: now.toISOString(), weeks, overdue, expectedOverdue, outsideWindow: outside, total, timeToClear: timeToClear.sort((a, b) => b.cleared - a.cleared || compareText(a.code, b.code)) };
}

export interface PeriodOptions {
  /** `YYYY-MM-DD`, inclusive; default 365 days before `to`. */
  from?: string | undefined;
  /** `YYYY-MM-DD`, inclusive; default today. */
  to?: string | undefined;
  partnerId?: number | undefined;
}

/** The first day a period can name: the API's dates are `YYYY-MM-DD`, so none is before year 0. */
const FIRST_DAY = '0000-01-01';

/**
 * The period asked for: `to` defaults to today, `from` to 365 days before `to` (not before
 * {@link FIRST_DAY}: a year before 0 is no date the API reads back). BAD_ARGUMENTS when it starts
 * after it ends; the message says when that end is today's, taken because none was given.
 */
function resolvePeriod(ctx: TrackerContext, options: PeriodOptions): { from: string; to: string } {
  const to = options.to ?? toIsoDate(ctx.clock.now());
  const yearBefore = Date.parse(`${to}T00:00:00Z`) - 365 * DAY_MS;
  const from = options.from ?? (yearBefore < Date.parse(`${FIRST_DAY}T00:00:00Z`) ? FIRST_DAY : toIsoDate(new Date(yearBefore)));
  if (from > to) {
    const end = options.to === undefined ? `${to}, today: the end taken when none is given` : to;
    throw new AppError('BAD_ARGUMENTS', `The period starts (${from}) after it ends (${end}).`);
  }
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
      .map((m) => ({ month: m.month, changes: m.changes, graded: m.graded, grades: Object.fromEntries(Object.entries(m.grades).sort(([a], [b]) => compareText(a, b))), averageScore: m.scoreN === 0 ? null : Math.round((m.scoreSum / m.scoreN) * 1000) / 1000 })),
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
  return { ...period, level, rows: [...totals.values()].sort((a, b) => b.count - a.count || compareText(a.from, b.from) || compareText(a.to, b.to)) };
}
