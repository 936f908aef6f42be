/**
 * Exact counts of entitlements over many index ranges at once. Each range is a row of a VALUES list
 * and is counted by a correlated `count(*)` that both engines answer by walking one covering-index
 * range: no per-row expression, no sort, no hash table. On a million rows this is several times
 * faster than `group by <case expression>` or `group by substr(...)`, which read every row and sort.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../db/index.js';

/** A condition on the `entitlements e` alias, e.g. sql`e.partner_id = ${id}`. */
export type Condition = RawBuilder<unknown>;

/** One range to count; absent bounds are open. */
export interface CountRange {
  /** The L1, when it differs from the query's; no L1 condition when neither names one. */
  l1?: string | undefined;
  /** Value of the query's `keyColumn`. */
  key?: number | undefined;
  /** Exact L2; `null` for rows without one; absent (undefined) for any L2. */
  l2?: string | null | undefined;
  /**
   * Bounds on the query's column (ISO dates or timestamps), compared as SQL text on both engines:
   * binary order on SQLite, the database collation on PostgreSQL, as plain `where` clauses would.
   */
  lo?: string | undefined;
  hi?: string | undefined;
}

export interface RangeCountQuery {
  /** The L1 of every range that names none. */
  l1?: string | undefined;
  column?: 'since' | 'projected_unblock_date' | undefined;
  /** An integer column each range fixes to its `key`. */
  keyColumn?: 'workload_id' | 'partner_id' | undefined;
  /** `>` or `>=` (default) for `lo`; `<` (default) or `<=` for `hi`. */
  loOp?: '>' | '>=' | undefined;
  hiOp?: '<' | '<=' | undefined;
  /** Scope and filter conditions on `e`, applied to every range. */
  where: readonly Condition[];
  /** Split each statement into this many, run at once (PostgreSQL: one backend each). Default 1. */
  parts?: number | undefined;
}

/** Rows of the VALUES list per statement (5 parameters each; SQLite allows 32766 in all). */
const MAX_ROWS = 1000;

/** Counts of `ranges` in order: rows of `entitlements e` with the given L1 and scope inside each range. */
export async function countRanges(db: Kysely<Database>, query: RangeCountQuery, ranges: readonly CountRange[]): Promise<number[]> {
  const counts = ranges.map(() => 0);
  // One statement per shape (which of l1 / key / l2 / lo / hi take part), all in flight together.
  const shapes = new Map<string, number[]>();
  ranges.forEach((r, i) => {
    const key = `${(r.l1 ?? query.l1) === undefined}|${r.key === undefined}|${r.l2 === undefined ? 'any' : r.l2 === null ? 'null' : 'eq'}|${r.lo !== undefined}|${r.hi !== undefined}`;
    const list = shapes.get(key) ?? [];
    list.push(i);
    shapes.set(key, list);
  });
  const parts = Math.max(1, query.parts ?? 1);
  const statements = [...shapes.values()].flatMap((list) => {
    const size = Math.min(MAX_ROWS, Math.ceil(list.length / parts));
    return Array.from({ length: Math.ceil(list.length / size) }, (_, p) => list.slice(p * size, (p + 1) * size));
  });
  const column = sql.ref(`e.${query.column ?? 'since'}`);
  await Promise.all(
    statements.map(async (indexes) => {
      const first = ranges[indexes[0]!]!;
      const conditions: RawBuilder<unknown>[] = [...query.where];
      if ((first.l1 ?? query.l1) !== undefined) conditions.push(sql`e.l1 = r.l1`);
      if (first.key !== undefined && query.keyColumn) conditions.push(sql`${sql.ref(`e.${query.keyColumn}`)} = cast(r.kv as integer)`);
      if (first.l2 === null) conditions.push(sql`e.l2 is null`);
      else if (first.l2 !== undefined) conditions.push(sql`e.l2 = r.l2`);
      if (first.lo !== undefined) conditions.push(sql`${column} ${sql.raw(query.loOp ?? '>=')} r.lo`);
      if (first.hi !== undefined) conditions.push(sql`${column} ${sql.raw(query.hiOp ?? '<')} r.hi`);
      if (conditions.length === 0) conditions.push(sql`1 = 1`);
      const rows = indexes.map((i) => {
        const r = ranges[i]!;
        return sql`(${sql.lit(i)}, ${r.l1 ?? query.l1 ?? null}, ${r.l2 ?? null}, ${r.key ?? null}, ${r.lo ?? null}, ${r.hi ?? null})`;
      });
      const result = await sql<{ k: number; n: number }>`with r (k, l1, l2, kv, lo, hi) as (values ${sql.join(rows, sql`, `)})
        select r.k as k, cast((select count(*) from entitlements e where ${sql.join(conditions, sql` and `)}) as integer) as n from r`.execute(db);
      for (const row of result.rows) counts[Number(row.k)] = Number(row.n);
    }),
  );
  return counts;
}

/** The distinct L1 values of entitlements in scope, by a loose index scan, in the database's order. */
export async function distinctL1s(db: Kysely<Database>, where: readonly Condition[]): Promise<string[]> {
  const scope = where.length > 0 ? sql` and ${sql.join(where, sql` and `)}` : sql``;
  const result = await sql<{ l1: string }>`with recursive t (l1) as (
      select (select e.l1 from entitlements e where e.l1 is not null${scope} order by e.l1 limit 1)
      union all
      select (select e.l1 from entitlements e where e.l1 > t.l1${scope} order by e.l1 limit 1) from t where t.l1 is not null
    )
    select l1 from t where l1 is not null`.execute(db);
  return result.rows.map((r) => r.l1);
}

/**
 * The distinct L2 values of entitlements with L1 `l1` in scope, by a loose index scan (one index
 * seek per value instead of reading every row); `null` first when some rows have no L2, then the
 * values in the database's order.
 */
export async function distinctL2s(db: Kysely<Database>, l1: string, where: readonly Condition[]): Promise<(string | null)[]> {
  const scope = where.length > 0 ? sql` and ${sql.join(where, sql` and `)}` : sql``;
  const result = await sql<{ l2: string | null; is_null: number }>`with recursive t (l2) as (
      select (select e.l2 from entitlements e where e.l1 = ${l1} and e.l2 is not null${scope} order by e.l2 limit 1)
      union all
      select (select e.l2 from entitlements e where e.l1 = ${l1} and e.l2 > t.l2${scope} order by e.l2 limit 1) from t where t.l2 is not null
    )
    select l2, 0 as is_null from t where l2 is not null
    union all
    select null, 1 where exists (select 1 from entitlements e where e.l1 = ${l1} and e.l2 is null${scope})`.execute(db);
  const values = result.rows.filter((r) => Number(r.is_null) === 0).map((r) => r.l2);
  return result.rows.some((r) => Number(r.is_null) === 1) ? [null, ...values] : values;
}
