/**
 * `serve --demo` on a database that several servers share: the first server to start seeds it, and one
 * started at the same moment waits for that seed and then finds the demo present, instead of seeding
 * too and failing on the first user the other one wrote. (Migrations need no such lock: Kysely's
 * migrator takes one of its own on PostgreSQL.)
 */
import { sql } from 'kysely';
import type { Db } from '../db/index.js';

/** An application-wide PostgreSQL advisory lock key, distinct from Kysely's migration lock. */
const DEMO_SEED_LOCK = 4_178_201_640_313_127_731n;

/**
 * Runs `seed` holding a session-level advisory lock on one connection of the pool (the seed itself runs
 * on others). On SQLite, a file one server uses, it just runs `seed`.
 */
export async function withDemoSeedLock<T>(db: Db, seed: () => Promise<T>): Promise<T> {
  if (db.engine !== 'postgres') return seed();
  return db.kysely.connection().execute(async (connection) => {
    await sql`select pg_advisory_lock(${sql.lit(DEMO_SEED_LOCK)})`.execute(connection);
    try {
      return await seed();
    } finally {
      await sql`select pg_advisory_unlock(${sql.lit(DEMO_SEED_LOCK)})`.execute(connection);
    }
  });
}
