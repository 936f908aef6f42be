/** Codes that stored entitlements use but the loaded taxonomy does not define (after a playbook change). */
import type { Kysely } from 'kysely';
import { countExpr, type Database } from '../db/index.js';
import { codeIdOf, findNearestCodeId, type Taxonomy } from '../taxonomy/index.js';

export interface CodeOutsideTaxonomy {
  /** The code id the entitlements are filed under (`slug(l1)/slug(l2)`). */
  code: string;
  l1: string;
  l2: string | null;
  /** Entitlements (all partners) filed under it. */
  count: number;
  /** The taxonomy's code spelled closest to it, when one is close (see `findNearestCodeId`); else null. */
  nearest: string | null;
}

/**
 * Every code stored entitlements use that `taxonomy` does not define, with how many use it, most
 * used first. One grouped read over the (l1, l2, since) index; all partners. Never scoped.
 */
export async function findCodesOutsideTaxonomy(db: Kysely<Database>, taxonomy: Taxonomy): Promise<CodeOutsideTaxonomy[]> {
  const rows = await db
    .selectFrom('entitlements')
    .select(['l1', 'l2', countExpr().as('n')])
    .groupBy(['l1', 'l2'])
    .execute();
  const defined = taxonomy.codes.map((c) => c.id);
  const known = new Set(defined);
  const byCode = new Map<string, CodeOutsideTaxonomy>();
  for (const row of rows) {
    const code = codeIdOf(row.l1, row.l2);
    if (known.has(code)) continue;
    const entry = byCode.get(code) ?? { code, l1: row.l1, l2: row.l2, count: 0, nearest: findNearestCodeId(code, defined) ?? null };
    entry.count += Number(row.n);
    byCode.set(code, entry);
  }
  return [...byCode.values()].sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : 1));
}
