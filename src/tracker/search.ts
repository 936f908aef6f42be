/**
 * The list filter `q`: full-text search over each entitlement's note and owner and its customer's
 * name (SQLite FTS5 table / PostgreSQL tsvector GIN index, both `entitlement_search`, kept in step by
 * triggers from migration 005), or an exact tenant id.
 *
 * Semantics, the same on both engines: text is split into runs of letters and digits; every word
 * must occur (any order, any of the three fields); case is ignored, accents are not; no stemming;
 * the last word also matches as a prefix unless the text ends with a space. Alternatively the
 * whole text (trimmed) equals a customer's tenant id, compared ignoring case the engine's way
 * (`lower()` on both sides: A-Z only on SQLite, every letter on PostgreSQL).
 */
import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import { engineOf, foldCase, type Database, type Engine } from '../db/index.js';

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
  if (form === 'probe' && engine === 'postgres') {
    // A scalar subquery per row (an EXISTS would be turned into a hash of every match). SQLite has no
    // probe form: FTS5 would run the whole query for each row (countEntitlements lets the index drive).
    const hit = sql`(select s.doc from entitlement_search s where s.entitlement_id = e.id) @@ to_tsquery('simple', ${tsQuery(search)})`;
    return sql<SqlBool>`(${hit} or e.customer_id in (${tenantCustomers}))`;
  }
  // One set of ids (a UNION, not an OR of two INs): both planners then look the matches up by id
  // instead of testing every entitlement against both sets.
  const tenant = sql`select t.id from entitlements t where t.customer_id in (${tenantCustomers})`;
  if (engine === 'sqlite') return sql<SqlBool>`e.id in (select rowid from entitlement_search where entitlement_search match ${ftsMatch(search)} union ${tenant})`;
  // PostgreSQL guesses a tsquery matches ~2% of rows and would then merge-join along the whole
  // primary key; an array of the matching ids makes it look each one up instead.
  return sql<SqlBool>`e.id = any(array(select entitlement_id from entitlement_search where doc @@ to_tsquery('simple', ${tsQuery(search)}) union ${tenant}))`;
}

/**
 * True when the words of `q` match more than {@link BROAD_SEARCH} entitlements (any partner, the
 * index alone, stopping at the cap: a few milliseconds even for a word in every row).
 */
export async function isBroadSearch(db: Kysely<Database>, q: string): Promise<boolean> {
  const search = parseSearch(q);
  if (search.words.length === 0) return false;
  const matches =
    engineOf(db) === 'sqlite'
      ? sql`select rowid from entitlement_search where entitlement_search match ${ftsMatch(search)} limit ${BROAD_SEARCH + 1}`
      : sql`select entitlement_id from entitlement_search where doc @@ to_tsquery('simple', ${tsQuery(search)}) limit ${BROAD_SEARCH + 1}`;
  const { rows } = await sql<{ n: number }>`select cast(count(*) as integer) as n from (${matches}) m`.execute(db);
  return Number(rows[0]?.n ?? 0) > BROAD_SEARCH;
}
