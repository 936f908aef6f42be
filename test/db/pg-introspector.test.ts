/**
 * Introspection on PostgreSQL reads only the schemas on the search path, so that a migration does not
 * fail when another session drops a schema of its own at that moment (Kysely's introspector looked
 * every schema up by name and failed with `schema "..." does not exist`; CI saw it once per few runs).
 */
import { randomBytes } from 'node:crypto';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest, openDatabase, type Db } from '../../src/db/index.js';
import { TEST_DATABASE_URL } from '../factories.js';

const tag = `${process.pid}_${randomBytes(3).toString('hex')}`;
const own = `intro_${tag}`;
const other = `intro_other_${tag}`;
let db: Db;

beforeAll(async () => {
  db = await openDatabase({ url: TEST_DATABASE_URL, schema: own, poolSize: 2 });
  await migrateToLatest(db.kysely, 'postgres', own);
  await sql`create schema ${sql.id(other)}`.execute(db.kysely);
  await sql`create table ${sql.id(other, 'elsewhere')} (id serial primary key)`.execute(db.kysely);
});
afterAll(async () => {
  await sql`drop schema if exists ${sql.id(other)} cascade`.execute(db.kysely);
  await sql`drop schema if exists ${sql.id(own)} cascade`.execute(db.kysely);
  await db.close();
});

describe('PostgreSQL introspection', () => {
  it("lists the search path's tables as Kysely's own introspector does, and no other schema's", async () => {
    const ours = await db.kysely.introspection.getTables({ withInternalKyselyTables: true });
    expect(new Set(ours.map((t) => t.schema))).toEqual(new Set([own]));
    expect(ours.map((t) => t.name)).toContain('entitlements');
    expect(ours.map((t) => t.name)).not.toContain('elsewhere');
    expect((await db.kysely.introspection.getTables()).map((t) => t.name)).not.toContain('kysely_migration');

    const stock = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 1 }) }) });
    try {
      const theirs = (await stock.introspection.getTables({ withInternalKyselyTables: true })).filter((t) => t.schema === own);
      expect(ours).toEqual(theirs);
    } finally {
      await stock.destroy();
    }
  });

  it('migrates new schemas while another session creates and drops schemas', async () => {
    const churn = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await churn.connect();
    let stop = false;
    let dropped = 0;
    const churning = (async () => {
      while (!stop) {
        const name = `intro_churn_${tag}_${dropped}`;
        await churn.query(`create schema ${name}; create table ${name}.a (id serial primary key, b text); create table ${name}.c (id serial primary key)`);
        await churn.query(`drop schema ${name} cascade`);
        dropped++;
      }
    })();
    const failures: string[] = [];
    try {
      for (let i = 0; i < 4; i++) {
        const schema = `intro_m${i}_${tag}`;
        const fresh = await openDatabase({ url: TEST_DATABASE_URL, schema, poolSize: 1 });
        try {
          await migrateToLatest(fresh.kysely, 'postgres', schema);
        } catch (error) {
          failures.push((error as Error).message);
        } finally {
          await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(fresh.kysely);
          await fresh.close();
        }
      }
      for (let i = 0; i < 150; i++) {
        await db.kysely.introspection.getTables({ withInternalKyselyTables: true }).catch((error: Error) => failures.push(error.message));
      }
    } finally {
      stop = true;
      await churning;
      await churn.end();
    }
    expect(dropped).toBeGreaterThan(5);
    expect(failures).toEqual([]);
  }, 60_000);
});
