/**
 * The settings every SQLite connection is opened with (src/db/connect.ts). Each one is there for a
 * measured reason (see the comments there); losing one silently costs speed or safety, not a test.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openDatabase, type Db } from '../../src/db/index.js';

describe('a SQLite file database', () => {
  let dir: string;
  let db: Db;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'unblock-settings-'));
    db = await openDatabase({ sqlitePath: join(dir, 'unblock.db') });
  });
  afterAll(async () => {
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const pragma = async (name: string) => Object.values((await sql.raw<Record<string, unknown>>(`pragma ${name}`).execute(db.kysely)).rows[0] ?? {})[0];

  it('writes ahead to a log, syncs at checkpoints and checks foreign keys', async () => {
    expect(await pragma('journal_mode')).toBe('wal');
    expect(await pragma('synchronous')).toBe(1); // NORMAL
    expect(await pragma('foreign_keys')).toBe(1);
  });

  it('keeps statement journals and temporary tables in memory, not in temporary files', async () => {
    expect(await pragma('temp_store')).toBe(2); // MEMORY
  });

  it('caches 64 MiB of pages and maps the file into memory', async () => {
    expect(await pragma('cache_size')).toBe(-65536);
    expect(await pragma('mmap_size')).toBe(268435456);
  });
});
