import { SqliteAdapter, sql, type Kysely, type RawBuilder } from 'kysely';
import type { Engine } from './connect.js';

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

/** The engine behind a Kysely handle (also a transaction), read from its SQL adapter; never throws. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function engineOf(db: Kysely<any>): Engine {
  return db.getExecutor().adapter instanceof SqliteAdapter ? 'sqlite' : 'postgres';
}

/**
 * `text` lower-cased the way the engine's `lower()` does it, so keys built in JS match keys compared
 * in SQL: SQLite folds ASCII letters only; PostgreSQL folds every letter, one character at a time.
 * JavaScript's toLowerCase() differs from that outside ASCII: it applies context rules (a final Σ
 * becomes ς, where PostgreSQL gives σ) and may map one character to two (İ to i and a combining dot,
 * where PostgreSQL gives i); so each character is folded on its own and keeps the first character of
 * its lower case. Never throws.
 */
export function foldCase(engine: Engine, text: string): string {
  if (engine === 'sqlite') return text.replace(/[A-Z]+/g, (m) => m.toLowerCase());
  // eslint-disable-next-line no-control-regex
  if (/^[\u0000-\u007f]*$/.test(text)) return text.toLowerCase();
  let out = '';
  for (const ch of text) out += String.fromCodePoint(ch.toLowerCase().codePointAt(0)!);
  return out;
}

/**
 * `text` lower-cased as `db`'s lower() does: {@link foldCase} of its engine, except on a PostgreSQL
 * database whose lower() folds A-Z only (LC_CTYPE C or POSIX; `caseFolding` in connect.ts), which folds
 * as SQLite does. Never throws.
 */
export function foldCaseOf(db: { readonly engine: Engine; readonly caseFolding?: 'ascii' | 'unicode' | undefined }, text: string): string {
  return foldCase(db.caseFolding === 'ascii' ? 'sqlite' : db.engine, text);
}
