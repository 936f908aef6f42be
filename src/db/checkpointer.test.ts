import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import type SQLiteType from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from './index.js';
import { BACKSTOP_PAGES, CHECKPOINT_AT_BYTES } from './checkpointer.js';

const waitFor = async (check: () => boolean, ms = 5_000) => {
  const until = Date.now() + ms;
  while (!check() && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  return check();
};

describe('background WAL checkpointer (SQLite file)', () => {
  let dir: string;
  let db: Db | null = null;
  afterEach(async () => {
    await db?.close();
    db = null;
    rmSync(dir, { recursive: true, force: true });
  });

  it('leaves big commits to its own thread and empties the log after them', async () => {
    dir = mkdtempSync(join(tmpdir(), 'unblock-ckpt-'));
    const path = join(dir, 'db.sqlite');
    db = await openDatabase({ sqlitePath: path, backgroundCheckpoints: true });
    const autocheckpoint = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(db.kysely);
    expect(autocheckpoint.rows[0]!.wal_autocheckpoint).toBe(BACKSTOP_PAGES);
    await sql`create table filler (x text)`.execute(db.kysely);
    // About 10 MB in one commit: past SQLite's own 1,000-page checkpoint, which the main connection
    // would otherwise run inside this commit.
    await sql`insert into filler select hex(randomblob(500)) from (with recursive s(i) as (select 1 union all select i + 1 from s where i < 10000) select i from s)`.execute(db.kysely);
    const wal = `${path}-wal`;
    expect(statSync(wal).size).toBeGreaterThan(CHECKPOINT_AT_BYTES);
    // The worker copies the log into the file and truncates it.
    expect(await waitFor(() => statSync(wal).size === 0)).toBe(true);
    const count = await sql<{ n: number }>`select count(*) as n from filler`.execute(db.kysely);
    expect(count.rows[0]!.n).toBe(10_000);
    await db.close();
    db = null;
    expect(existsSync(wal)).toBe(false);
    const again = await openDatabase({ sqlitePath: path });
    expect((await sql<{ n: number }>`select count(*) as n from filler`.execute(again.kysely)).rows[0]!.n).toBe(10_000);
    await again.close();
  });

  it('is not started for a database in memory, nor unless asked for (short CLI commands)', async () => {
    dir = mkdtempSync(join(tmpdir(), 'unblock-ckpt-'));
    db = await openDatabase({ sqlitePath: ':memory:', backgroundCheckpoints: true });
    const autocheckpoint = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(db.kysely);
    expect(autocheckpoint.rows[0]!.wal_autocheckpoint).toBe(1000);
    await db.close();
    db = await openDatabase({ sqlitePath: join(dir, 'plain.sqlite') });
    const plain = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(db.kysely);
    expect(plain.rows[0]!.wal_autocheckpoint).toBe(1000);
  });

  it('never fails a transaction that reads, then writes, when a checkpoint restarts the log in between', async () => {
    dir = mkdtempSync(join(tmpdir(), 'unblock-ckpt-'));
    const path = join(dir, 'db.sqlite');
    db = await openDatabase({ sqlitePath: path });
    await sql`create table t (x integer)`.execute(db.kysely);
    for (let i = 0; i < 50; i++) await sql`insert into t values (${i})`.execute(db.kysely);
    // A second connection, as the checkpointer's: it copies the whole log, so the next reader reads the
    // file only, and then (inside the transaction below) restarts the log, as its TRUNCATE does.
    const SQLite = createRequire(import.meta.url)('better-sqlite3') as typeof SQLiteType;
    const other = new SQLite(path);
    other.pragma('busy_timeout = 0');
    try {
      expect(other.pragma('wal_checkpoint(PASSIVE)')).toEqual([{ busy: 0, log: expect.any(Number), checkpointed: expect.any(Number) }]);
      let restarted: unknown;
      await db.kysely.transaction().execute(async (trx) => {
        const read = await sql<{ n: number }>`select count(*) as n from t`.execute(trx);
        expect(read.rows[0]!.n).toBe(50);
        restarted = other.pragma('wal_checkpoint(TRUNCATE)');
        // With a deferred begin this write failed with SQLITE_BUSY_SNAPSHOT (no busy wait retries it).
        await sql`insert into t values (50)`.execute(trx);
      });
      // The transaction held the write lock from its start, so the restart could not happen meanwhile.
      expect(restarted).toEqual([{ busy: 1, log: expect.any(Number), checkpointed: expect.any(Number) }]);
      expect((await sql<{ n: number }>`select count(*) as n from t`.execute(db.kysely)).rows[0]!.n).toBe(51);
    } finally {
      other.close();
    }
  });
});
