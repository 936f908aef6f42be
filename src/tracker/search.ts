/**
 * The list filter `q`: full-text search over each entitlement's note and owner, its customer's name
 * (SQLite FTS5 table / PostgreSQL tsvector GIN index, both `entitlement_search`, kept in step by
 * triggers from migration 005) and its workload's name (matched here, against the catalogue), or an
 * exact tenant id.
 *
 * Semantics, the same on both engines: text is split into runs of letters and digits; every word
 * must occur (any order, any of the four fields); case is ignored, accents are not; no stemming;
 * the last word also matches as a prefix unless the text ends with a space. Alternatively the
 * whole text (trimmed) equals a customer's tenant id, compared ignoring case the engine's way
 * (`lower()` on both sides: A-Z only on SQLite, every letter on PostgreSQL).
 *
 * The workload's name is not in the index: an entitlement's workload never changes and the catalogue
 * has 16 names, so the words a name holds are found here, and the index is asked only for the rest of
 * the words, on that workload's entitlements ({@link workloadMatches}). Searches none of whose words is
 * in a workload name run exactly as before; the index, its triggers and the bulk writers that keep it
 * (db/bulk.ts, the import) need no fourth column.
 */
import { sql, type Expression, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import { engineOf, foldCase, WORKLOAD_CATALOGUE, type Database, type Engine } from '../db/index.js';

/** At most this many words are searched; the rest are ignored. */
export const MAX_SEARCH_WORDS = 16;

export interface ParsedSearch {
  /** Lower-cased words (letters and digits). */
  words: string[];
  /** True when the last word also matches longer words. */
  prefix: boolean;
  /** The trimmed text, for the exact tenant id match. */
  tenantId: string;
}

/**
 * `text` lower-cased as the indexes fold it. İ (U+0130) is the one letter whose lower case is two
 * characters (i and a combining dot above), which no index holds: SQLite's unicode61 tokenizer keeps İ
 * as it is, so it stays İ here (PostgreSQL's lower() makes it i: {@link tsQuery} folds again with foldCase). Everything else
 * as JavaScript lower-cases it, so a final Σ typed in capitals finds the ς of a note written in lower case.
 */
function foldWords(text: string): string {
  return text.replace(/\u0130/g, '\uE000').toLowerCase().replace(/\uE000/g, '\u0130');
}

/** Splits `q` into search words; never throws. */
export function parseSearch(q: string): ParsedSearch {
  const words = (foldWords(q).match(/[\p{L}\p{M}\p{N}]+/gu) ?? []).slice(0, MAX_SEARCH_WORDS);
  return { words, prefix: words.length > 0 && !/\s$/u.test(q), tenantId: q.trim() };
}

/** The FTS5 MATCH string: each word quoted (an implicit AND), the last with `*` for a prefix. */
export function ftsMatch(search: ParsedSearch): string {
  return search.words.map((w, i) => `"${w.replace(/"/g, '""')}"${search.prefix && i === search.words.length - 1 ? '*' : ''}`).join(' ');
}

/** The PostgreSQL tsquery text: words joined by `&`, the last with `:*` for a prefix. */
export function tsQuery(search: ParsedSearch): string {
  // The words as PostgreSQL's lower() (and so its tsvector) folds them: İ becomes i.
  return search.words.map((w, i) => `'${foldCase('postgres', w).replace(/'/g, "''")}'${search.prefix && i === search.words.length - 1 ? ':*' : ''}`).join(' & ');
}

/** Each catalogue workload's name as search words. */
const WORKLOAD_NAME_WORDS: readonly { slug: string; words: readonly string[] }[] = WORKLOAD_CATALOGUE.map((w) => ({ slug: w.slug, words: parseSearch(w.name).words }));

/** Workloads whose names hold the same words of a search, and the words left for the index to find. */
export interface WorkloadMatch {
  /** Catalogue slugs of the workloads. */
  slugs: string[];
  /** The search's other words (none: every word is in the name), the prefix kept when its last word is among them. */
  rest: ParsedSearch;
}

/**
 * The workloads whose names hold at least one word of `search` (a whole word of the name, or for the
 * last word of a prefix search the start of one), grouped by which words they hold. An entitlement of
 * such a workload matches when the index finds the group's `rest` for it; any entitlement matches
 * when the index finds all the words (which implies `rest`, so the two may overlap).
 */
export function workloadMatches(search: ParsedSearch): WorkloadMatch[] {
  const last = search.words.length - 1;
  const groups = new Map<string, WorkloadMatch>();
  for (const workload of WORKLOAD_NAME_WORDS) {
    const held = search.words.map((word, i) => workload.words.some((w) => w === word || (search.prefix && i === last && w.startsWith(word))));
    if (!held.includes(true)) continue;
    const key = held.map((h) => (h ? '1' : '0')).join('');
    const group = groups.get(key);
    if (group) group.slugs.push(workload.slug);
    else groups.set(key, { slugs: [workload.slug], rest: { words: search.words.filter((_, i) => !held[i]), prefix: search.prefix && !held[last], tenantId: search.tenantId } });
  }
  return [...groups.values()];
}

/** The ids of the workloads `slugs` names, as a subquery. */
export function workloadIds(slugs: readonly string[]): RawBuilder<unknown> {
  return sql`select id from workloads where slug in (${sql.join(slugs.map((slug) => sql`${slug}`))})`;
}

/**
 * The ids of the entitlements (any partner) that `words` find: every entitlement whose index entry
 * holds them, or with `slugs`, only those of these workloads (all of them when no word is left).
 */
function matchingIds(engine: Engine, words: ParsedSearch, slugs?: readonly string[]): RawBuilder<unknown> {
  if (slugs === undefined) {
    return engine === 'sqlite'
      ? sql`select rowid from entitlement_search where entitlement_search match ${ftsMatch(words)}`
      : sql`select entitlement_id from entitlement_search where doc @@ to_tsquery('simple', ${tsQuery(words)})`;
  }
  if (words.words.length === 0) return sql`select t.id from entitlements t where t.workload_id in (${workloadIds(slugs)})`;
  // The index's matches, each looked up for its workload: about 1 ms when the other words are few
  // (a customer's name: 176 matches at 1M entitlements), and in proportion to them otherwise (a word in
  // 77,000 notes: 0.2 s on SQLite, 0.4-0.8 s on PostgreSQL). Testing the matches against the set of the
  // workload's ids instead costs the set (62,500 ids at 1M) whatever the words: 35-100 ms on SQLite for
  // a search of one customer. PostgreSQL gets an array of the matching ids, as in searchCondition.
  return engine === 'sqlite'
    ? sql`select f.rowid from entitlement_search f cross join entitlements t
        where f.entitlement_search match ${ftsMatch(words)} and t.id = f.rowid and t.workload_id in (${workloadIds(slugs)})`
    : sql`select t.id from entitlements t
        where t.id = any(array(select entitlement_id from entitlement_search where doc @@ to_tsquery('simple', ${tsQuery(words)}))) and t.workload_id in (${workloadIds(slugs)})`;
}

/** A text search matching more than this many entitlements is broad: its total is counted up to here. */
export const BROAD_SEARCH = 10_000;

/**
 * How the condition finds its rows: `set` collects the matching ids first and looks each up (best when
 * few match); `probe` asks the index about each candidate row (best when most rows match and only a
 * page of them is needed, or a count up to a cap; PostgreSQL only).
 */
export type SearchForm = 'set' | 'probe';

/**
 * A condition on `e.id` / `e.customer_id` (entitlements aliased `e`) that holds for the entitlements
 * `q` finds. Undefined when `q` is blank (no filter).
 */
export function searchCondition(engine: Engine, q: string, form: SearchForm = 'set'): Expression<SqlBool> | undefined {
  const search = parseSearch(q);
  if (search.tenantId === '') return undefined;
  // The engine folds both sides (SQLite A-Z only, PostgreSQL every letter), as the unique
  // lower(tenant_id) index does: JavaScript's toLowerCase() folds more than SQLite's lower() (so
  // "ÉCOLE-42" would not find itself there) and differently from PostgreSQL's for a few letters (Σ, İ).
  const tenantCustomers = sql`select id from customers where lower(tenant_id) = lower(${search.tenantId})`;
  if (search.words.length === 0) return sql<SqlBool>`e.customer_id in (${tenantCustomers})`;
  const workloads = workloadMatches(search);
  if (form === 'probe' && engine === 'postgres') {
    // A scalar subquery per row (an EXISTS would be turned into a hash of every match). SQLite has no
    // probe form: FTS5 would run the whole query for each row (countEntitlements lets the index drive).
    const hit = (words: ParsedSearch) => sql`(select s.doc from entitlement_search s where s.entitlement_id = e.id) @@ to_tsquery('simple', ${tsQuery(words)})`;
    const named = workloads.map((w) => (w.rest.words.length === 0 ? sql`e.workload_id in (${workloadIds(w.slugs)})` : sql`(e.workload_id in (${workloadIds(w.slugs)}) and ${hit(w.rest)})`));
    return sql<SqlBool>`(${sql.join([...named, hit(search), sql`e.customer_id in (${tenantCustomers})`], sql` or `)})`;
  }
  // One set of ids (a UNION, not an OR of INs): both planners then look the matches up by id
  // instead of testing every entitlement against every set.
  const ids = [matchingIds(engine, search), ...workloads.map((w) => matchingIds(engine, w.rest, w.slugs)), sql`select t.id from entitlements t where t.customer_id in (${tenantCustomers})`];
  if (engine === 'sqlite') return sql<SqlBool>`e.id in (${sql.join(ids, sql` union `)})`;
  // PostgreSQL guesses a tsquery matches ~2% of rows and would then merge-join along the whole
  // primary key; an array of the matching ids makes it look each one up instead.
  return sql<SqlBool>`e.id = any(array(${sql.join(ids, sql` union `)}))`;
}

/**
 * True when the words of `q` match more than {@link BROAD_SEARCH} entitlements (any partner, stopping
 * at the cap: the index alone, a few milliseconds even for a word in every row; with words of a
 * workload name, also that workload's entitlements, through the workload index, or those of them the
 * index finds the other words for). The parts may overlap, so a total just past the cap may be fewer
 * matches than it says: such a search is then counted exactly up to the cap all the same.
 */
export async function isBroadSearch(db: Kysely<Database>, q: string): Promise<boolean> {
  const search = parseSearch(q);
  if (search.words.length === 0) return false;
  const engine = engineOf(db);
  let total = 0;
  for (const matches of [matchingIds(engine, search), ...workloadMatches(search).map((w) => matchingIds(engine, w.rest, w.slugs))]) {
    const { rows } = await sql<{ n: number }>`select cast(count(*) as integer) as n from (${matches} limit ${BROAD_SEARCH + 1 - total}) m`.execute(db);
    total += Number(rows[0]?.n ?? 0);
    if (total > BROAD_SEARCH) return true;
  }
  return false;
}
