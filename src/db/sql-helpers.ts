import { sql, type RawBuilder } from 'kysely';

/** `count(*)` as a JS number on both engines (PostgreSQL returns bigint as a string otherwise). */
export function countExpr(): RawBuilder<number> {
  return sql<number>`cast(count(*) as integer)`;
}

/** True when `error` is a unique-constraint violation from SQLite or PostgreSQL; never throws. */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { code?: unknown; message?: unknown };
  return e.code === '23505' || e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
