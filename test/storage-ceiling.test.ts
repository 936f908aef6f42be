/**
 * bench-api's storage ceiling (scripts/storage-ceiling.ts) writes what an import writes, on rows of its
 * own, into a database that may be kept for later runs: its history rows must be counted in the daily
 * roll-up the reports read, as the import's are, or a kept database's note-quality and flow reports
 * would disagree with its history.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { migrateToLatest, openDatabase } from '../src/db/index.js';
import { SYSTEM_ACTOR, createCustomer, createPartner, rebuildRollup, type TrackerContext } from '../src/tracker/index.js';
import { sqliteWriteCeiling } from '../scripts/storage-ceiling.js';
import { fixedClock, makeTaxonomy } from './factories.js';

describe('the storage ceiling', () => {
  const dir = mkdtempSync(join(tmpdir(), 'unblock-ceiling-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes its rows, their history and the daily roll-up of that history, in step', async () => {
    const path = join(dir, 'ceiling.db');
    const db = await openDatabase({ sqlitePath: path });
    await migrateToLatest(db.kysely, 'sqlite');
    const taxonomy = makeTaxonomy();
    const ctx: TrackerContext = { db, taxonomy: () => taxonomy, clock: fixedClock(), advisor: {} };
    const partner = await createPartner(ctx, SYSTEM_ACTOR, { name: 'Ceiling Partner' });
    for (let i = 0; i < 5; i++) await createCustomer(ctx, SYSTEM_ACTOR, { tenantId: `ceiling-${i}`, name: `Ceiling ${i}`, partnerId: partner.id, workloads: ['teams', 'intune'] });
    await db.close();

    const code = taxonomy.codes.find((c) => c.l1 === 'In Progress')!;
    for (const change of ['code-and-note', 'note'] as const) {
      const run = sqliteWriteCeiling(path, { fromId: 1, rows: 6, change, code, tag: change });
      expect(run.rows).toBe(6);
    }

    const again = await openDatabase({ sqlitePath: path });
    try {
      const rollupOf = async () =>
        (await sql<{ k: string; n: number; days_n: number }>`select day || '|' || partner_id || '|' || from_code || '|' || to_code || '|' || grade as k, n, days_n from history_daily order by k`.execute(again.kysely)).rows;
      const kept = await rollupOf();
      // 10 creations and 12 ceiling rows, in the roll-up as a rebuild from the history counts them.
      expect(kept.reduce((sum, r) => sum + r.n, 0)).toBe(22);
      await rebuildRollup(again.kysely);
      expect(kept).toEqual(await rollupOf());
      const moved = await sql<{ n: number }>`select count(*) as n from entitlements where code = ${code.id}`.execute(again.kysely);
      expect(moved.rows[0]!.n).toBe(6);
    } finally {
      await again.close();
    }
  });
});
