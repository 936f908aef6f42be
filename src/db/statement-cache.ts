/**
 * A prepared-statement cache in front of better-sqlite3 for Kysely. Kysely's SQLite driver calls
 * `prepare` on every query; compiling the same SQL again costs more than running a point lookup
 * (an API request's token check, say). Statements are reused by SQL text, least recently used
 * dropped past `capacity`; a statement still being iterated (a streamed export) is never handed
 * out twice: a fresh one is prepared instead.
 */
import type SQLite from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

export function cachePreparedStatements(handle: SQLite.Database, capacity = 256): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => handle.close(),
    prepare(sql: string) {
      const cached = cache.get(sql);
      if (cached && !cached.busy) {
        cache.delete(sql);
        cache.set(sql, cached);
        return cached;
      }
      const statement = handle.prepare(sql);
      if (!cached) {
        cache.set(sql, statement);
        if (cache.size > capacity) cache.delete(cache.keys().next().value!);
      }
      return statement;
    },
  };
}
