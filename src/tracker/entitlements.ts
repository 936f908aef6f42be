/** Entitlements: listing with filters, reading, status changes (single and bulk) and history. */
import { sql, type Expression, type Kysely, type OrderByModifiersCallbackExpression, type RawBuilder, type SelectQueryBuilder, type SqlBool } from 'kysely';
import { AppError, normalizeLabel, slugify } from '../lib/index.js';
import { countExpr, engineOf, findCatalogueSlug, type Database, type Engine } from '../db/index.js';
import { BROAD_SEARCH, ftsMatch, isBroadSearch, parseSearch, searchCondition, workloadIds, workloadMatches, type ParsedSearch, type SearchForm } from './search.js';
import { codeIdOf } from '../taxonomy/code-id.js';
import { unknownCodeError, unknownL1Error, unknownL2Error } from './label-errors.js';
import type { Taxonomy } from '../taxonomy/types.js';
import { NEW_ENTITLEMENT_CODE, assertNoViolations } from './rules.js';
import { requireRole, scopeOf } from './scope.js';
import { assertVersion, checkDuplicateInvalidExit, isSameStatus, mergeStatus, prepareChange, prepareChanges, writeChange, writeChanges, type PreparedChange, type SiblingRow } from './status-change.js';
import { isDuplicateInvalid, l1KindsOf, type L1Kinds } from './rules.js';
import { ENTITLEMENT_COLUMNS, toEntitlementView, toHistoryView, toSnapshot, type EntitlementJoinedRow, type EntitlementView, type HistoryView } from './views.js';
import type { Actor, Scope, StatusInput, StatusSnapshot, TrackerContext, Warning } from './types.js';

const DAY_MS = 86_400_000;

export const SORT_FIELDS = ['id', 'customer', 'workload', 'l1', 'l2', 'owner', 'since', 'updatedAt', 'targetDate', 'projectedUnblockDate'] as const;
export type SortField = (typeof SORT_FIELDS)[number];

/** Filters shared by the list, the CSV export and the reports. All optional; all combine with AND. */
export interface EntitlementFilter {
  /** L1, L2 and code as {@link resolveCodeFilter} matches them: UNKNOWN_CODE for a value neither the playbook nor the rows in scope have. */
  l1?: string | undefined;
  l2?: string | undefined;
  code?: string | undefined;
  /** Workload slug. */
  workload?: string | undefined;
  /** Whole name, case ignored, trimmed; empty or only spaces: no filter. */
  owner?: string | undefined;
  partnerId?: number | undefined;
  customerId?: number | undefined;
  /** At least this many whole days in the current code. */
  minDays?: number | undefined;
  /** At most this many whole days in the current code. */
  maxDays?: number | undefined;
  /** Words in the note, owner or customer name (see search.ts for the exact semantics), or an exact tenant id. */
  q?: string | undefined;
}

export interface ListOptions extends EntitlementFilter {
  sort?: SortField | undefined;
  order?: 'asc' | 'desc' | undefined;
  /** 1-based. */
  page?: number | undefined;
  pageSize?: number | undefined;
}

export interface Page<T> {
  items: T[];
  /** Every matching row, counted exactly; a broad text search counts up to {@link BROAD_SEARCH}. */
  total: number;
  /** True only for a broad text search with more matches than `total`. */
  totalCapped: boolean;
  page: number;
  pageSize: number;
}

type EntitlementQuery = SelectQueryBuilder<Database & { e: Database['entitlements']; c: Database['customers']; w: Database['workloads'] }, 'e' | 'c' | 'w', object>;

/** A filter value, or undefined for none: an empty or blank parameter (a form field left empty) filters nothing. */
function givenFilter(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

/** An L1 filter names the L1 `name` (whose id is `id`): its label in any case and spacing, or its id. */
function namesL1(name: string, id: string, label: string): boolean {
  return normalizeLabel(name) === normalizeLabel(label) || id === label || id === slugify(label);
}

/** An L2 filter names the L2 `l2` of the code `id`: its label in any case and spacing, or the code id's part after the slash. */
function namesL2(l2: string, id: string, label: string): boolean {
  return normalizeLabel(l2) === normalizeLabel(label) || id.endsWith(`/${label}`) || id.endsWith(`/${slugify(label)}`);
}

/** A code filter names the code `id`: the id itself, in any case. */
function namesCode(id: string, value: string): boolean {
  return id === value || id === value.trim().toLowerCase();
}

export { unknownCodeError, unknownL1Error, unknownL2Error } from './label-errors.js';

/** The L1, L2 and code filters as stored rows spell them (see {@link resolveCodeFilter}). */
export interface CodeConditions {
  l1?: string | undefined;
  l2?: string | undefined;
  /** The code's L1 and L2. */
  code?: { l1: string; l2: string | null } | undefined;
  /** The L1 of an L2 given without an L1 or code, when only one L1 has that L2: lets the (l1, l2, since) index serve the L2. */
  impliedL1?: string | undefined;
}

/** A stored L1/L2 pair (`l2` null for an L1-only code). */
interface StoredCode {
  l1: string;
  l2: string | null;
}

/**
 * Every L1/L2 pair of the entitlements in `scope`, by a loose scan of the index that leads with
 * (l1, l2) (entitlements_code; a partner's, entitlements_partner_code): one index seek per pair, never
 * a row of the table. One statement.
 */
async function storedCodes(db: Kysely<Database>, scope: Scope): Promise<StoredCode[]> {
  const inScope = scope.kind === 'partner' ? sql` and e.partner_id = ${scope.partnerId}` : sql``;
  const result = await sql<{ l1: string; l2: string | null }>`with recursive l1s (l1) as (
      select (select e.l1 from entitlements e where e.l1 is not null${inScope} order by e.l1 limit 1)
      union all
      select (select e.l1 from entitlements e where e.l1 > l1s.l1${inScope} order by e.l1 limit 1) from l1s where l1s.l1 is not null
    ),
    pairs (l1, l2) as (
      select l1s.l1, (select e.l2 from entitlements e where e.l1 = l1s.l1 and e.l2 is not null${inScope} order by e.l2 limit 1) from l1s where l1s.l1 is not null
      union all
      select pairs.l1, (select e.l2 from entitlements e where e.l1 = pairs.l1 and e.l2 > pairs.l2${inScope} order by e.l2 limit 1) from pairs where pairs.l2 is not null
    )
    select l1, l2 from pairs where l2 is not null
    union all
    select l1, null from l1s where l1 is not null and exists (select 1 from entitlements e where e.l1 = l1s.l1 and e.l2 is null${inScope})`.execute(db);
  return result.rows.map((r) => ({ l1: r.l1, l2: r.l2 }));
}

/**
 * Checks the L1, L2 and code filters and spells them as stored. A label or id of the loaded playbook
 * needs no query (labels in any case and spacing, L1 ids, an L2 as the part of its code id after the
 * slash, code ids). Any other value may still be carried by entitlements filed under an older
 * playbook: only then are the L1/L2 pairs in the actor's scope read ({@link storedCodes}), and matched
 * the same way. A value neither defines throws UNKNOWN_CODE (400) naming the field and the valid
 * values, where the list and the reports used to answer nothing without saying why. Empty values filter nothing.
 */
export async function resolveCodeFilter(db: Kysely<Database>, scope: Scope, taxonomy: Taxonomy, filter: Pick<EntitlementFilter, 'l1' | 'l2' | 'code'>): Promise<CodeConditions> {
  const l1Label = givenFilter(filter.l1);
  const l2Label = givenFilter(filter.l2);
  const codeValue = givenFilter(filter.code);
  let l1 = l1Label === undefined ? undefined : taxonomy.l1s.find((n) => namesL1(n.name, n.id, l1Label))?.name;
  const l2Code = l2Label === undefined ? undefined : taxonomy.codes.find((c) => c.l2 !== null && namesL2(c.l2, c.id, l2Label));
  let l2 = l2Code?.l2 ?? undefined;
  let code: StoredCode | undefined = codeValue === undefined ? undefined : taxonomy.codes.find((c) => namesCode(c.id, codeValue));
  const missing = (l1Label !== undefined && l1 === undefined) || (l2Label !== undefined && l2 === undefined) || (codeValue !== undefined && code === undefined);
  // Only for a value the playbook lacks: the pairs stored rows in scope carry that the playbook does not define.
  const defined = new Set(taxonomy.codes.map((c) => c.id));
  const older = missing ? (await storedCodes(db, scope)).filter((c) => !defined.has(codeIdOf(c.l1, c.l2))) : [];
  const unique = (values: string[]) => [...new Set(values)];
  if (l1Label !== undefined && l1 === undefined) {
    l1 = older.find((c) => namesL1(c.l1, codeIdOf(c.l1), l1Label))?.l1;
    if (l1 === undefined) throw unknownL1Error(l1Label, unique([...taxonomy.l1s.map((n) => n.name), ...older.map((c) => c.l1)]));
  }
  if (l2Label !== undefined && l2 === undefined) {
    l2 = older.find((c) => c.l2 !== null && namesL2(c.l2, codeIdOf(c.l1, c.l2), l2Label))?.l2 ?? undefined;
    if (l2 === undefined) throw unknownL2Error(l2Label, unique([...taxonomy.codes, ...older].flatMap((c) => (c.l2 === null ? [] : [c.l2]))));
  }
  if (codeValue !== undefined && code === undefined) {
    code = older.find((c) => namesCode(codeIdOf(c.l1, c.l2), codeValue));
    if (code === undefined) throw unknownCodeError(codeValue, unique([...taxonomy.codes.map((c) => c.id), ...older.map((c) => codeIdOf(c.l1, c.l2))]));
  }
  let impliedL1: string | undefined;
  if (l2 !== undefined && l1 === undefined && code === undefined) {
    // Every L1 that has this L2: the playbook's, and the older pairs read above (when they were).
    const parents = new Set([...taxonomy.codes, ...older].filter((c) => c.l2 === l2).map((c) => c.l1));
    if (parents.size === 1) impliedL1 = [...parents][0]!;
  }
  return { l1, l2, code: code === undefined ? undefined : { l1: code.l1, l2: code.l2 }, impliedL1 };
}

/**
 * Throws BAD_ARGUMENTS (400) when `minDays` is above `maxDays`: no entitlement can be in its status
 * at least the one and at most the other, so the list, the export and their CLI answered an empty page
 * or file without saying why. Refused as the reports refuse a period that starts after it ends (the
 * same code; the CLI exits 2 for both), with `details` naming the field and both bounds. Equal bounds
 * are one day count, and fine.
 */
export function checkDaysRange(filter: Pick<EntitlementFilter, 'minDays' | 'maxDays'>): void {
  const { minDays, maxDays } = filter;
  if (minDays === undefined || maxDays === undefined || minDays <= maxDays) return;
  throw new AppError('BAD_ARGUMENTS', `The days in status start (minDays ${minDays}) above where they end (maxDays ${maxDays}).`, { field: 'minDays', minDays, maxDays });
}

/**
 * The conditions for the actor's scope and `filter`, on entitlement columns only (alias `e`), so the
 * same list serves the joined page query and the join-free count.
 */
function filterConditions(engine: Engine, scope: Scope, filter: EntitlementFilter, codes: CodeConditions, now: Date, searchForm: SearchForm = 'set'): Expression<SqlBool>[] {
  const out: Expression<SqlBool>[] = [];
  if (scope.kind === 'partner') out.push(sql`e.partner_id = ${scope.partnerId}`);
  if (filter.partnerId !== undefined) out.push(sql`e.partner_id = ${filter.partnerId}`);
  if (filter.customerId !== undefined) out.push(sql`e.customer_id = ${filter.customerId}`);
  if (codes.l1 !== undefined) out.push(sql`e.l1 = ${codes.l1}`);
  if (codes.l2 !== undefined) out.push(sql`e.l2 = ${codes.l2}`);
  // A code is its L1 and L2 (codes are `slug(l1)/slug(l2)`), which the (l1, l2, since) index covers;
  // an L2 alone implies its L1 when only one L1 has it.
  if (codes.code) out.push(sql`e.l1 = ${codes.code.l1}`, codes.code.l2 === null ? sql`e.l2 is null` : sql`e.l2 = ${codes.code.l2}`);
  if (codes.impliedL1 !== undefined) out.push(sql`e.l1 = ${codes.impliedL1}`);
  // A scalar subquery (not the joined slug) lets both engines use the (workload_id, l1, since) index.
  if (filter.workload?.trim()) out.push(sql`e.workload_id = (select id from workloads where slug = ${workloadSlug(filter.workload)})`);
  // Exact but case-insensitive, through the lower(owner) index (migration 011). Trimmed, as owners are
  // stored: `Ana ` finds Ana, and a value of only spaces filters nothing, as with the other text filters.
  const owner = givenFilter(filter.owner)?.trim();
  if (owner !== undefined) out.push(sql`lower(e.owner) = lower(${owner})`);
  if (filter.minDays !== undefined) out.push(sql`e.since <= ${new Date(now.getTime() - filter.minDays * DAY_MS).toISOString()}`);
  if (filter.maxDays !== undefined) out.push(sql`e.since > ${new Date(now.getTime() - (filter.maxDays + 1) * DAY_MS).toISOString()}`);
  if (filter.q !== undefined) {
    const condition = searchCondition(engine, filter.q, searchForm);
    if (condition) out.push(condition);
  }
  return out;
}

/** The joined base query with the actor's scope and `filter` applied. */
export function selectEntitlements(db: Kysely<Database>, scope: Scope, filter: EntitlementFilter, codes: CodeConditions, now: Date, searchForm: SearchForm = 'set'): EntitlementQuery {
  let q = db
    .selectFrom('entitlements as e')
    .innerJoin('customers as c', 'c.id', 'e.customer_id')
    .innerJoin('workloads as w', 'w.id', 'e.workload_id') as unknown as EntitlementQuery;
  for (const condition of filterConditions(engineOf(db), scope, filter, codes, now, searchForm)) q = q.where(condition);
  return q;
}

/**
 * How many entitlements match: exact, counted on the entitlements table alone (every entitlement has
 * its customer and workload, so the joins cannot change the count) through the covering indexes.
 * With `cap`, counting stops past it (the answer is then `cap + 1`).
 */
export async function countEntitlements(db: Kysely<Database>, scope: Scope, filter: EntitlementFilter, codes: CodeConditions, now: Date, options: { cap?: number; searchForm?: SearchForm } = {}): Promise<number> {
  const engine = engineOf(db);
  if (options.cap !== undefined && options.searchForm === 'probe' && engine === 'sqlite' && filter.q !== undefined && parseSearch(filter.q).words.length > 0) {
    // FTS5 answers a per-row probe by running the whole query, so here the index drives: its matches
    // in rowid order, each looked up, stopping past the cap; plus the tenant id's entitlements the
    // words did not find. Words of a workload name split the matches into parts that do not overlap:
    // the entitlements of each such workload that the index finds the other words for (all of that
    // workload's, when no word is left), and those of every other workload that it finds all the words for.
    const rest = filterConditions(engine, scope, { ...filter, q: undefined }, codes, now);
    const where = rest.length > 0 ? sql` and ${sql.join(rest, sql` and `)}` : sql``;
    const search = parseSearch(filter.q);
    const workloads = workloadMatches(search);
    const named = workloads.flatMap((w) => w.slugs);
    const parts: { words: ParsedSearch; workloads: RawBuilder<unknown> }[] = [
      { words: search, workloads: named.length === 0 ? sql`` : sql` and e.workload_id not in (${workloadIds(named)})` },
      ...workloads.map((w) => ({ words: w.rest, workloads: sql` and e.workload_id in (${workloadIds(w.slugs)})` })),
    ];
    let total = 0;
    for (const part of parts) {
      const limit = options.cap + 1 - total;
      const matches = part.words.words.length === 0
        ? sql`select 1 from entitlements e where 1 = 1${part.workloads}${where} limit ${limit}`
        : sql`select 1 from entitlement_search f cross join entitlements e
            where f.entitlement_search match ${ftsMatch(part.words)} and e.id = f.rowid${part.workloads}${where} limit ${limit}`;
      total += Number((await sql<{ n: number }>`select cast(count(*) as integer) as n from (${matches}) m`.execute(db)).rows[0]?.n ?? 0);
      if (total > options.cap) return total;
    }
    const tenantRows = (await sql<{ id: number; workload_id: number }>`select e.id, e.workload_id from entitlements e
      where e.customer_id in (select id from customers where lower(tenant_id) = lower(${search.tenantId}))${where}`.execute(db)).rows.map((r) => ({ id: Number(r.id), workload: Number(r.workload_id) }));
    let tenantOnly = 0;
    if (tenantRows.length > 0) {
      // Each of the tenant's entitlements is found by the words its workload leaves for the index (none: found).
      const slugOf = new Map((await db.selectFrom('workloads').select(['id', 'slug']).execute()).map((w) => [w.id, w.slug]));
      const wordsOf = (workload: number) => workloads.find((w) => w.slugs.includes(slugOf.get(workload) ?? ''))?.rest ?? search;
      const byMatch = new Map<string, number[]>();
      for (const row of tenantRows) {
        const words = wordsOf(row.workload);
        if (words.words.length === 0) continue;
        const match = ftsMatch(words);
        byMatch.set(match, [...(byMatch.get(match) ?? []), row.id]);
      }
      for (const [match, ids] of byMatch) {
        // A rowid range lets FTS5 seek instead of running the whole query.
        const found = await sql<{ id: number }>`select rowid as id from entitlement_search where entitlement_search match ${match}
          and rowid >= ${Math.min(...ids)} and rowid <= ${Math.max(...ids)}`.execute(db);
        const hits = new Set(found.rows.map((r) => Number(r.id)));
        tenantOnly += ids.filter((id) => !hits.has(id)).length;
      }
    }
    return total + tenantOnly;
  }
  const conditions = filterConditions(engine, scope, filter, codes, now, options.searchForm);
  if (options.cap !== undefined) {
    let inner = db.selectFrom('entitlements as e').select(sql.lit(1).as('one'));
    for (const condition of conditions) inner = inner.where(condition);
    return Number((await db.selectFrom(inner.limit(options.cap + 1).as('m')).select(countExpr().as('n')).executeTakeFirstOrThrow()).n);
  }
  let q = db.selectFrom('entitlements as e').select(countExpr().as('n'));
  for (const condition of conditions) q = q.where(condition);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

/**
 * The slug of a workload filter given by slug or name (as reports take it); UNKNOWN_CODE (400) for a
 * workload the catalogue lacks, where a list used to answer an empty page without saying why.
 */
export function workloadSlug(value: string): string {
  const slug = findCatalogueSlug(value.trim());
  if (!slug) throw new AppError('UNKNOWN_CODE', `Unknown workload "${value}": give its slug or name, such as exchange-online or "Exchange Online".`, { field: 'workload', value });
  return slug;
}

/**
 * Throws as the list would for a filter that names an unknown workload, L1, L2 or code (UNKNOWN_CODE),
 * or has minDays above maxDays (BAD_ARGUMENTS), without reading any entitlement: for a stream (the CSV export) that must be refused before it starts.
 */
export async function checkEntitlementFilter(ctx: TrackerContext, actor: Actor, filter: EntitlementFilter): Promise<void> {
  checkDaysRange(filter);
  if (filter.workload?.trim()) workloadSlug(filter.workload);
  await resolveCodeFilter(ctx.db.kysely, scopeOf(actor), ctx.taxonomy(), filter);
}

/**
 * The column behind each sort key, and whether it can be empty (null). Empty values sort last, in
 * ascending and descending order alike, on both engines (each engine's default differs: SQLite puts
 * NULL first in ascending order, PostgreSQL last), then by id in the same direction. A new sort key
 * over a column that can be null must say so here. Text is in code point order on both engines: SQLite
 * compares bytes, and PostgreSQL's sorted text columns have the C collation (migration 018) except the
 * owner, which keeps the database's (its filter folds case with lower()) and is sorted `collate "C"`,
 * as its index is.
 */
const SORT_COLUMNS: Record<SortField, { column: string; nullable: boolean; postgresCollateC?: true }> = {
  id: { column: 'e.id', nullable: false },
  // By the name's key (ignoring case and accents, src/lib nameKey), as people read an A-Z list.
  customer: { column: 'c.name_key', nullable: false },
  workload: { column: 'w.name', nullable: false },
  l1: { column: 'e.l1', nullable: false },
  l2: { column: 'e.l2', nullable: true },
  owner: { column: 'e.owner', nullable: true, postgresCollateC: true },
  since: { column: 'e.since', nullable: false },
  updatedAt: { column: 'e.updated_at', nullable: false },
  targetDate: { column: 'e.target_date', nullable: true },
  projectedUnblockDate: { column: 'e.projected_unblock_date', nullable: true },
};

/**
 * The ORDER BY of `sort` in `order`, with `NULLS LAST` only for a column that can be null: on a
 * NOT NULL column it would change nothing but could keep PostgreSQL from reading an index backwards.
 */
function sortTerm(engine: Engine, sort: SortField, order: 'asc' | 'desc'): [RawBuilder<unknown>, OrderByModifiersCallbackExpression] {
  const { nullable } = SORT_COLUMNS[sort];
  return [sortValue(engine, sort), (ob) => {
    const directed = order === 'asc' ? ob.asc() : ob.desc();
    return nullable ? directed.nullsLast() : directed;
  }];
}

/** The expression `sort` orders by on `engine`. */
function sortValue(engine: Engine, sort: SortField): RawBuilder<unknown> {
  const { column, postgresCollateC } = SORT_COLUMNS[sort];
  return engine === 'postgres' && postgresCollateC ? sql`${sql.ref(column)} collate "C"` : sql.ref(column);
}

/**
 * One page (`limit` rows after `offset`) of `base` in the order of `sort` and `order`. PostgreSQL walks
 * an index backwards only as DESC NULLS FIRST, so a descending sort on a column that can be null
 * (empty values last) would sort every match instead of reading the index in order: the owner sort
 * went from 50 ms to 0.8 s at a million entitlements, Blocked by projected unblock date from 25 ms
 * to 0.5 s. There the page is read in two parts: the rows with a value, in index order; then, only
 * when the page reaches past them, the empty ones by id.
 */
async function readPage(engine: Engine, base: EntitlementQuery, sort: SortField, order: 'asc' | 'desc', offset: number, limit: number): Promise<EntitlementJoinedRow[]> {
  const { column, nullable } = SORT_COLUMNS[sort];
  const select = (q: EntitlementQuery) => q.select([...ENTITLEMENT_COLUMNS]);
  if (!nullable || order === 'asc' || engine === 'sqlite') {
    return (await select(base).orderBy(...sortTerm(engine, sort, order)).orderBy('e.id', order).limit(limit).offset(offset).execute()) as unknown as EntitlementJoinedRow[];
  }
  const filled = base.where(sql<SqlBool>`${sql.ref(column)} is not null`);
  const present = (await select(filled).orderBy(sortValue(engine, sort), 'desc').orderBy('e.id', 'desc').limit(limit).offset(offset).execute()) as unknown as EntitlementJoinedRow[];
  if (present.length === limit) return present;
  // Rows with a value before this page: all of them when the page starts among them, else counted.
  const before = present.length > 0 || offset === 0 ? offset + present.length : Number((await filled.select(countExpr().as('n')).executeTakeFirstOrThrow()).n);
  const empty = await select(base.where(sql<SqlBool>`${sql.ref(column)} is null`))
    .orderBy('e.id', 'desc')
    .limit(limit - present.length)
    .offset(Math.max(0, offset - before))
    .execute();
  return [...present, ...(empty as unknown as EntitlementJoinedRow[])];
}

/** One page of entitlements the actor can see, with the total matching count. */
export async function listEntitlements(ctx: TrackerContext, actor: Actor, options: ListOptions): Promise<Page<EntitlementView>> {
  checkDaysRange(options);
  const now = ctx.clock.now();
  const scope = scopeOf(actor);
  const db = ctx.db.kysely;
  const codes = await resolveCodeFilter(db, scope, ctx.taxonomy(), options);
  // A text search whose words match more than BROAD_SEARCH entitlements is counted up to that cap,
  // and PostgreSQL then probes the index per row along the sort order instead of collecting every id.
  const broad = options.q !== undefined && (await isBroadSearch(db, options.q));
  const rowForm: SearchForm = broad && engineOf(db) === 'postgres' ? 'probe' : 'set';
  const base = selectEntitlements(db, scope, options, codes, now, rowForm);
  const page = Math.max(1, options.page ?? 1);
  const pageSize = Math.min(500, Math.max(1, options.pageSize ?? 50));
  const [rows, counted] = await Promise.all([
    readPage(engineOf(db), base, options.sort ?? 'id', options.order ?? 'asc', (page - 1) * pageSize, pageSize),
    countEntitlements(db, scope, options, codes, now, broad ? { cap: BROAD_SEARCH, searchForm: 'probe' } : {}),
  ]);
  const capped = broad && counted > BROAD_SEARCH;
  return { items: rows.map((r) => toEntitlementView(r, now)), total: capped ? BROAD_SEARCH : counted, totalCapped: capped, page, pageSize };
}

/**
 * Streams every matching entitlement in the list's order (`sort`, then id, both in `order`; default id
 * ascending; empty values last in either order), `batchSize` rows per query. In id order without a text search: keyset paging. Otherwise
 * the matching ids are found once, in order, then read in batches: re-running the search or the sort
 * for every batch would cost it as many times as there are batches.
 */
export async function* iterateEntitlements(ctx: TrackerContext, actor: Actor, filter: EntitlementFilter & Pick<ListOptions, 'sort' | 'order'>, batchSize = 2000): AsyncGenerator<EntitlementView> {
  checkDaysRange(filter);
  const now = ctx.clock.now();
  const scope = scopeOf(actor);
  const sort = filter.sort ?? 'id';
  const order = filter.order ?? 'asc';
  const codes = await resolveCodeFilter(ctx.db.kysely, scope, ctx.taxonomy(), filter);
  if (sort !== 'id' || (filter.q !== undefined && filter.q.trim() !== '')) {
    let ids: number[];
    if (sort === 'id') {
      let idQuery = ctx.db.kysely.selectFrom('entitlements as e').select('e.id').orderBy('e.id', order);
      for (const condition of filterConditions(engineOf(ctx.db.kysely), scope, filter, codes, now)) idQuery = idQuery.where(condition);
      ids = (await idQuery.execute()).map((r) => r.id);
    } else {
      // Ordered as listEntitlements orders a page.
      const idQuery = selectEntitlements(ctx.db.kysely, scope, filter, codes, now).select('e.id').orderBy(...sortTerm(engineOf(ctx.db.kysely), sort, order)).orderBy('e.id', order);
      ids = (await idQuery.execute()).map((r) => r.id);
    }
    for (let i = 0; i < ids.length; i += batchSize) {
      const rows = await loadRows(ctx.db.kysely, scope, ids.slice(i, i + batchSize));
      for (const id of ids.slice(i, i + batchSize)) {
        const row = rows.get(id);
        if (row) yield toEntitlementView(row, now);
      }
    }
    return;
  }
  let lastId: number | null = null;
  for (;;) {
    let page = selectEntitlements(ctx.db.kysely, scope, filter, codes, now).select([...ENTITLEMENT_COLUMNS]);
    if (lastId !== null) page = page.where('e.id', order === 'asc' ? '>' : '<', lastId);
    const rows = (await page.orderBy('e.id', order).limit(batchSize).execute()) as unknown as EntitlementJoinedRow[];
    for (const row of rows) yield toEntitlementView(row, now);
    if (rows.length < batchSize) return;
    lastId = rows[rows.length - 1]!.id;
  }
}

/** The joined row for `id` within `scope`, or undefined. */
export async function findEntitlementRow(db: Kysely<Database>, scope: Scope, id: number): Promise<EntitlementJoinedRow | undefined> {
  let q = db
    .selectFrom('entitlements as e')
    .innerJoin('customers as c', 'c.id', 'e.customer_id')
    .innerJoin('workloads as w', 'w.id', 'e.workload_id')
    .select([...ENTITLEMENT_COLUMNS])
    .where('e.id', '=', id);
  if (scope.kind === 'partner') q = q.where('e.partner_id', '=', scope.partnerId);
  return (await q.executeTakeFirst()) as EntitlementJoinedRow | undefined;
}

async function getRowOrThrow(db: Kysely<Database>, scope: Scope, id: number): Promise<EntitlementJoinedRow> {
  const row = await findEntitlementRow(db, scope, id);
  if (!row) throw new AppError('NOT_FOUND', `No entitlement with id ${id}.`);
  return row;
}

/** The entitlement, or NOT_FOUND (also for another partner's entitlement). */
export async function getEntitlement(ctx: TrackerContext, actor: Actor, id: number): Promise<EntitlementView> {
  return toEntitlementView(await getRowOrThrow(ctx.db.kysely, scopeOf(actor), id), ctx.clock.now());
}

export interface ChangeResult {
  entitlement: EntitlementView;
  warnings: Warning[];
}

/** The stored entitlements of the customers of `rows` that leave Duplicate/Invalid in `changes` (none when none leave). */
async function siblingsLeavingDuplicateInvalid(db: Kysely<Database>, rows: { id: number; customer_id: number }[], changes: Map<number, { before: StatusSnapshot; after: StatusSnapshot }>, kinds: L1Kinds): Promise<SiblingRow[]> {
  const customerIds = [...new Set(rows.filter((r) => {
    const c = changes.get(r.id);
    return c !== undefined && isDuplicateInvalid(c.before, kinds) && !isDuplicateInvalid(c.after, kinds);
  }).map((r) => r.customer_id))];
  const out: SiblingRow[] = [];
  for (let i = 0; i < customerIds.length; i += 500) {
    const found = await db.selectFrom('entitlements').select(['id', 'customer_id', 'l1']).where('customer_id', 'in', customerIds.slice(i, i + 500)).execute();
    out.push(...found.map((r) => ({ id: r.id, customerId: r.customer_id, l1: r.l1 })));
  }
  return out;
}

/**
 * Changes one entitlement's status. `version` is the version the caller read: a stale one throws
 * VERSION_CONFLICT with the current state; broken rules throw RULE_VIOLATION listing each. A change
 * that changes nothing writes nothing (same version, no history row) and answers the entitlement as it is.
 */
export async function updateStatus(ctx: TrackerContext, actor: Actor, id: number, version: number, input: StatusInput): Promise<ChangeResult> {
  requireRole(actor, 'editor');
  const scope = scopeOf(actor);
  const now = ctx.clock.now();
  const row = await getRowOrThrow(ctx.db.kysely, scope, id);
  assertVersion(row, version, toEntitlementView(row, now));
  const taxonomy = ctx.taxonomy();
  const kinds = l1KindsOf(taxonomy);
  const change = await prepareChange(taxonomy, ctx.advisor, now, toSnapshot(row), input);
  if (isSameStatus(change.before, change.after)) return { entitlement: toEntitlementView(row, now), warnings: [] };
  const changes = new Map([[row.id, change]]);
  const exit = checkDuplicateInvalidExit(await siblingsLeavingDuplicateInvalid(ctx.db.kysely, [row], changes, kinds), changes, kinds).get(row.id);
  assertNoViolations(exit ? [...change.violations, exit] : change.violations);
  const written = await ctx.db.kysely.transaction().execute((trx) => writeChange(trx, row, version, change, { actor, now, kind: 'update' }));
  if (!written) {
    const current = await getRowOrThrow(ctx.db.kysely, scope, id);
    assertVersion(current, version, toEntitlementView(current, now));
    throw new AppError('VERSION_CONFLICT', `Entitlement ${id} changed while saving; reload and try again.`, { current: toEntitlementView(current, now) });
  }
  return { entitlement: toEntitlementView(await getRowOrThrow(ctx.db.kysely, scope, id), now), warnings: change.warnings };
}

export interface BulkItem extends StatusInput {
  id: number;
  version: number;
}

export interface BulkOptions {
  /**
   * True when the caller means to take Duplicate/Invalid customers out of Duplicate/Invalid (restore
   * them). Without it, a change that moves any Duplicate/Invalid entitlement to another status throws
   * RESTORE_NOT_CONFIRMED: a "select all" bulk change must not restore such a customer by accident.
   */
  restoreDuplicateInvalid?: boolean | undefined;
}

/** A customer a bulk change would restore from Duplicate/Invalid (RESTORE_NOT_CONFIRMED's details.customers). */
export interface RestoredCustomer {
  customerId: number;
  tenantId: string;
  customerName: string;
  /** The entitlements of the change that leave Duplicate/Invalid, in the order of the change. */
  entitlementIds: number[];
}

/**
 * Applies several changes all-or-nothing: any missing id (NOT_FOUND), stale version (VERSION_CONFLICT),
 * unconfirmed restore of a Duplicate/Invalid customer (RESTORE_NOT_CONFIRMED, see {@link BulkOptions})
 * or broken rule (RULE_VIOLATION, details per item) leaves every entitlement untouched.
 */
export async function bulkUpdateStatus(ctx: TrackerContext, actor: Actor, items: BulkItem[], options: BulkOptions = {}): Promise<ChangeResult[]> {
  requireRole(actor, 'editor');
  const scope = scopeOf(actor);
  const now = ctx.clock.now();
  const firstAt = new Map<number, number>();
  const repeats = items.flatMap((item, index) => {
    const first = firstAt.get(item.id);
    if (first === undefined) firstAt.set(item.id, index);
    return first === undefined ? [] : [{ where: 'body', path: `/items/${index}/id`, message: `entitlement ${item.id} is already item ${first}` }];
  });
  if (repeats.length > 0) throw new AppError('VALIDATION_FAILED', `Each entitlement may appear only once in a bulk change: ${repeats.map((r) => `${r.path} ${r.message}`).join('; ')}.`, repeats.slice(0, 20));
  const rows = await loadRows(ctx.db.kysely, scope, items.map((i) => i.id));
  const missing = items.filter((i) => !rows.has(i.id)).map((i) => i.id);
  if (missing.length > 0) throw new AppError('NOT_FOUND', `No entitlement with id ${missing.join(', ')}.`, { missing });
  const conflicts = items.filter((i) => rows.get(i.id)!.version !== i.version).map((i) => ({ id: i.id, yourVersion: i.version, current: toEntitlementView(rows.get(i.id)!, now) }));
  if (conflicts.length > 0) throw new AppError('VERSION_CONFLICT', `${conflicts.length} entitlement(s) changed since you read them; nothing was saved.`, { conflicts });
  const taxonomy = ctx.taxonomy();
  const kinds = l1KindsOf(taxonomy);
  // An item whose labels give no status (an L2 missing, one of another L1, a code its labels contradict)
  // is a rule violation of that item, listed with its id as the others are: the first such item stopped
  // the whole change, with its message and no word of which item it was.
  const unreadable: { id: number; violations: unknown[] }[] = [];
  for (const { id, version: _version, ...input } of items) {
    try {
      mergeStatus(taxonomy, toSnapshot(rows.get(id)!), input);
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'RULE_VIOLATION') throw error;
      unreadable.push({ id, violations: (error.details as { violations?: unknown[] } | undefined)?.violations ?? [{ rule: 'STATUS', field: 'l1', message: error.message }] });
    }
  }
  if (unreadable.length > 0) throw new AppError('RULE_VIOLATION', `${unreadable.length} of ${items.length} changes break playbook rules; nothing was saved.`, { items: unreadable });
  // Every item's advice at once, so the advisor can spread the notes over its worker threads.
  const preparedChanges = await prepareChanges(taxonomy, ctx.advisor, now, items.map(({ id, version: _version, ...input }) => ({ before: toSnapshot(rows.get(id)!), input })));
  const prepared: { item: BulkItem; change: PreparedChange }[] = items.map((item, i) => ({ item, change: preparedChanges[i]! }));
  const broken: { id: number; violations: unknown[] }[] = [];
  for (const { item, change } of prepared) {
    if (change.violations.length > 0 && !isSameStatus(change.before, change.after)) broken.push({ id: item.id, violations: change.violations });
  }
  if (options.restoreDuplicateInvalid !== true) {
    const restored = new Map<number, RestoredCustomer>();
    for (const { item, change } of prepared) {
      if (!isDuplicateInvalid(change.before, kinds) || isDuplicateInvalid(change.after, kinds)) continue;
      const row = rows.get(item.id)!;
      const customer = restored.get(row.customer_id) ?? { customerId: row.customer_id, tenantId: row.tenant_id, customerName: row.customer_name, entitlementIds: [] };
      customer.entitlementIds.push(item.id);
      restored.set(row.customer_id, customer);
    }
    if (restored.size > 0) {
      const customers = [...restored.values()];
      const named = customers.slice(0, 5).map((c) => `${c.customerName} (tenant ${c.tenantId})`).join(', ') + (customers.length > 5 ? ` and ${customers.length - 5} more` : '');
      throw new AppError(
        'RESTORE_NOT_CONFIRMED',
        `This change would take ${customers.length} Duplicate/Invalid customer(s) out of Duplicate/Invalid: ${named}; nothing was saved. ` +
          'To restore them, send the change again with "restoreDuplicateInvalid": true; otherwise leave their entitlements out of the change.',
        { customers, flag: 'restoreDuplicateInvalid' },
      );
    }
  }
  const changes = new Map(prepared.map(({ item, change }) => [item.id, change]));
  const exits = checkDuplicateInvalidExit(await siblingsLeavingDuplicateInvalid(ctx.db.kysely, [...rows.values()], changes, kinds), changes, kinds);
  for (const [id, violation] of exits) {
    const entry = broken.find((b) => b.id === id);
    if (entry) entry.violations.push(violation);
    else broken.push({ id, violations: [violation] });
  }
  const position = new Map(items.map((item, i) => [item.id, i]));
  broken.sort((a, b) => position.get(a.id)! - position.get(b.id)!);
  if (broken.length > 0) throw new AppError('RULE_VIOLATION', `${broken.length} of ${items.length} changes break playbook rules; nothing was saved.`, { items: broken });
  // Changes that change nothing are left out: no version bump, no history row.
  const toWrite = prepared.filter(({ change }) => !isSameStatus(change.before, change.after));
  await ctx.db.kysely.transaction().execute(async (trx) => {
    if (!(await writeChanges(trx, toWrite.map(({ item, change }) => ({ row: rows.get(item.id)!, version: item.version, change })), { actor, now, kind: 'bulk' }))) {
      throw new AppError('VERSION_CONFLICT', 'Some entitlements changed while saving; nothing was saved. Reload and try again.');
    }
  });
  const after = await loadRows(ctx.db.kysely, scope, items.map((i) => i.id));
  return prepared.map(({ item, change }) => ({ entitlement: toEntitlementView(after.get(item.id)!, now), warnings: change.warnings }));
}

/** Rows by id within scope, in chunks. */
export async function loadRows(db: Kysely<Database>, scope: Scope, ids: number[]): Promise<Map<number, EntitlementJoinedRow>> {
  const out = new Map<number, EntitlementJoinedRow>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    let q = db
      .selectFrom('entitlements as e')
      .innerJoin('customers as c', 'c.id', 'e.customer_id')
      .innerJoin('workloads as w', 'w.id', 'e.workload_id')
      .select([...ENTITLEMENT_COLUMNS])
      .where('e.id', 'in', chunk);
    if (scope.kind === 'partner') q = q.where('e.partner_id', '=', scope.partnerId);
    for (const row of (await q.execute()) as unknown as EntitlementJoinedRow[]) out.set(row.id, row);
  }
  return out;
}

/** The history of one entitlement, oldest first. NOT_FOUND outside the actor's scope. */
export async function listHistory(ctx: TrackerContext, actor: Actor, entitlementId: number): Promise<HistoryView[]> {
  const scope = scopeOf(actor);
  await getRowOrThrow(ctx.db.kysely, scope, entitlementId);
  let q = ctx.db.kysely.selectFrom('status_history').selectAll().where('entitlement_id', '=', entitlementId).orderBy('id');
  if (scope.kind === 'partner') q = q.where('partner_id', '=', scope.partnerId);
  return (await q.execute()).map(toHistoryView);
}

/** The status every new entitlement starts with. */
export function initialStatus(taxonomy: Taxonomy): StatusSnapshot {
  const code =
    taxonomy.codes.find((c) => c.l1 === NEW_ENTITLEMENT_CODE.l1 && c.l2 === NEW_ENTITLEMENT_CODE.l2) ??
    taxonomy.codes.find((c) => c.id === 'status-unknown/new-subscription-or-workload');
  return {
    code: code?.id ?? 'status-unknown/new-subscription-or-workload',
    l1: code?.l1 ?? NEW_ENTITLEMENT_CODE.l1,
    l2: code?.l2 ?? NEW_ENTITLEMENT_CODE.l2,
    l3: null,
    taxonomyVersion: taxonomy.version,
    note: '',
    targetDate: null,
    engagementStartDate: null,
    businessReason: null,
    owner: null,
    nextAction: null,
    nextActionDate: null,
    projectedUnblockDate: null,
  };
}
