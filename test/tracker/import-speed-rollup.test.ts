/**
 * The roll-ups an import keeps (src/tracker/rollup.ts, RollupBatch): the same sums and the same upsert
 * order however the rows are grouped in memory. An import hands 50,000 history rows to the batch in
 * chunks; the sums per key must match the history (as rebuildRollup computes them), whichever of the
 * rows' workloads the caller passes, and every writer must upsert history_daily and time_to_clear in
 * the same key order (PostgreSQL: two writers never wait on each other's rows the other way round).
 */
import { sql, type KyselyPlugin, type PluginTransformQueryArgs, type PluginTransformResultArgs, type QueryResult, type RootOperationNode, type UnknownRow } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, NewHistoryRow } from '../../src/db/index.js';
import { rebuildRollup } from '../../src/tracker/index.js';
import { addToRollup, removeFromRollup, RollupBatch } from '../../src/tracker/rollup.js';
import { createTestDb, ENGINES } from '../factories.js';

const CODES = ['blocked/app-compatibility', 'in-progress/migration', 'status-unknown/no-contact', 'in-progress/solution-or-user-adoption'];
const GRADES = ['great', 'fair', null];

/** Records the values each insert into a roll-up table carries, in statement order. */
class UpsertRecorder implements KyselyPlugin {
  readonly tables: string[] = [];
  readonly rows: unknown[][] = [];
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    type ValueList = { kind: string; values: unknown[] };
    const node = args.node as { kind: string; into?: { table: { identifier: { name: string } } }; values?: { kind: string; values: ValueList[] } };
    if (node.kind === 'InsertQueryNode' && node.values?.kind === 'ValuesNode') {
      const table = node.into!.table.identifier.name;
      for (const list of node.values.values) {
        this.tables.push(table);
        // Kysely keeps a row of plain values as they are, and a row with expressions as value nodes.
        this.rows.push(list.kind === 'PrimitiveValueListNode' ? list.values : list.values.map((v) => (v as { value?: unknown }).value));
      }
    }
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

const numeric = (rows: Record<string, unknown>[]) =>
  rows.map((r) => JSON.stringify(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' && !['day', 'from_code', 'to_code', 'grade'].includes(k) ? Number(v) : v])))).sort();

async function rollupTables(db: Db) {
  const daily = await sql<Record<string, unknown>>`select day, partner_id, from_code, to_code, grade, n, score_sum, score_n, days_sum, days_n from history_daily`.execute(db.kysely);
  const clear = await sql<Record<string, unknown>>`select partner_id, workload_id, from_code, n, days_sum from time_to_clear`.execute(db.kysely);
  return { daily: numeric(daily.rows), clear: numeric(clear.rows) };
}

describe.each(ENGINES)('RollupBatch on %s', (engine) => {
  let db: Db;
  let entitlements: { id: number; partner_id: number; workload_id: number }[];

  beforeAll(async () => {
    db = await createTestDb(engine);
    const k = db.kysely;
    const workloads = (await k.selectFrom('workloads').select('id').orderBy('id').execute()).map((w) => w.id);
    // Twelve partners, so that partner ids of one and two digits sort differently as numbers and as text.
    const partners: number[] = [];
    for (let i = 0; i < 12; i++) partners.push((await k.insertInto('partners').values({ name: `Partner ${i}`, created_at: '2026-01-01T00:00:00.000Z' } as never).returning('id').executeTakeFirstOrThrow()).id);
    entitlements = [];
    for (let c = 0; c < 24; c++) {
      const partner = partners[c % partners.length]!;
      const customer = await k
        .insertInto('customers')
        .values({ partner_id: partner, tenant_id: `tenant-${c}`, name: `Customer ${c}`, name_key: `customer ${c}`, managed: 0, region: 'EMEA', created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-01T00:00:00.000Z' } as never)
        .returning('id')
        .executeTakeFirstOrThrow();
      for (const workload of workloads.slice(0, 5)) {
        const e = await k
          .insertInto('entitlements')
          .values({ customer_id: customer.id, partner_id: partner, workload_id: workload, part: '', l1: 'Status Unknown', l2: 'No Contact', l3: null, code: 'status-unknown/no-contact', taxonomy_version: 't', note: '', version: 1, updated_at: '2026-01-01T00:00:00.000Z', since: '2026-01-01T00:00:00.000Z', created_at: '2026-01-01T00:00:00.000Z' } as never)
          .returning(['id', 'partner_id', 'workload_id'])
          .executeTakeFirstOrThrow();
        entitlements.push({ id: Number(e.id), partner_id: Number(e.partner_id), workload_id: Number(e.workload_id) });
      }
    }
  });
  afterAll(async () => {
    await db?.close();
  });

  /** `count` history rows over the entitlements, scattered, with every kind of key part (null codes and grades, no days, no score). */
  function historyRows(count: number, seed: number): NewHistoryRow[] {
    return Array.from({ length: count }, (_, i) => {
      const n = (i * 7919 + seed * 104_729) >>> 0;
      const e = entitlements[n % entitlements.length]!;
      const moved = n % 5 !== 0;
      return {
        entitlement_id: e.id, partner_id: e.partner_id, kind: 'import', changed_by: null, changed_by_name: 'test',
        changed_at: `2026-0${1 + (n % 3)}-1${n % 7}T09:00:00.000Z`, // exact sums in any order: whole days, scores in eighths
        from_code: n % 11 === 0 ? null : CODES[n % CODES.length]!, to_code: CODES[(n + 1) % CODES.length]!,
        days_in_previous: moved ? n % 90 : null, before_json: null, after_json: '{}',
        note_grade: GRADES[n % GRADES.length]!, note_score: n % 4 === 0 ? null : (n % 8) / 8, suggestion_json: null, suggested_code: null,
      } as NewHistoryRow;
    });
  }

  async function reset(): Promise<void> {
    await db.kysely.deleteFrom('status_history').execute();
    await db.kysely.deleteFrom('history_daily').execute();
    await db.kysely.deleteFrom('time_to_clear').execute();
  }

  it('sums chunks of rows as the history does, whichever workloads the caller passes', async () => {
    await reset();
    const rows = historyRows(3000, 1);
    // Some workloads passed, some read back (as an import's created rows and a status change's are).
    const known = new Map(entitlements.filter((_, i) => i % 3 !== 0).map((e) => [e.id, e.workload_id]));
    await db.kysely.transaction().execute(async (trx) => {
      const batch = new RollupBatch();
      for (let i = 0; i < rows.length; i += 700) {
        const chunk = rows.slice(i, i + 700);
        await trx.insertInto('status_history').values(chunk).execute();
        await batch.add(trx, chunk, i % 1400 === 0 ? known : undefined);
      }
      await batch.write(trx);
    });
    // Also single rows added through addToRollup on top of what is stored.
    const more = historyRows(40, 2);
    await db.kysely.transaction().execute(async (trx) => {
      await trx.insertInto('status_history').values(more).execute();
      await addToRollup(trx, more);
    });
    const kept = await rollupTables(db);
    expect(kept.daily.length).toBeGreaterThan(50);
    expect(kept.clear.length).toBeGreaterThan(50);
    await rebuildRollup(db.kysely);
    expect(kept).toEqual(await rollupTables(db));
  });

  it('takes rows out again, dropping the emptied roll-up rows', async () => {
    await reset();
    const rows = historyRows(1200, 3);
    await db.kysely.transaction().execute(async (trx) => {
      for (let i = 0; i < rows.length; i += 1000) await trx.insertInto('status_history').values(rows.slice(i, i + 1000)).execute();
      await addToRollup(trx, rows);
    });
    const gone = rows.slice(0, 500);
    await db.kysely.transaction().execute(async (trx) => {
      await removeFromRollup(trx, gone);
    });
    const kept = await rollupTables(db);
    await reset();
    await db.kysely.transaction().execute(async (trx) => {
      for (let i = 500; i < rows.length; i += 1000) await trx.insertInto('status_history').values(rows.slice(i, i + 1000)).execute();
    });
    await rebuildRollup(db.kysely);
    expect(kept).toEqual(await rollupTables(db));
  });

  it('upserts history_daily, then time_to_clear, each in key order', async () => {
    await reset();
    const rows = historyRows(2500, 4);
    const recorder = new UpsertRecorder();
    await db.kysely.transaction().execute(async (trx) => {
      for (let i = 0; i < rows.length; i += 1000) await trx.insertInto('status_history').values(rows.slice(i, i + 1000)).execute();
      const batch = new RollupBatch();
      for (let i = 0; i < rows.length; i += 600) await batch.add(trx, rows.slice(i, i + 600));
      await batch.write(trx.withPlugin(recorder));
    });
    const firstClear = recorder.tables.indexOf('time_to_clear');
    expect(firstClear).toBeGreaterThan(0);
    expect(recorder.tables.slice(0, firstClear).every((t) => t === 'history_daily')).toBe(true);
    expect(recorder.tables.slice(firstClear).every((t) => t === 'time_to_clear')).toBe(true);
    // history_daily: by its columns joined with '|' and compared as text (day, partner, from, to, grade).
    const dailyKeys = recorder.rows.slice(0, firstClear).map((r) => (r as unknown[]).slice(0, 5).join('|'));
    expect(dailyKeys).toEqual([...dailyKeys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(new Set(dailyKeys).size).toBe(dailyKeys.length);
    // The keys really span partners of one and two digits (their text and numeric orders differ).
    expect(new Set(recorder.rows.slice(0, firstClear).map((r) => String((r as unknown[])[1]).length)).size).toBe(2);
    // time_to_clear: by partner and workload as numbers, then the code as text.
    const clears = recorder.rows.slice(firstClear) as [number, number, string][];
    const sorted = [...clears].sort((a, b) => a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0));
    expect(clears).toEqual(sorted);
    expect(new Set(clears.map((c) => c.slice(0, 3).join('|'))).size).toBe(clears.length);
  });

  it('refuses rows whose entitlement is not stored', async () => {
    await reset();
    const rows = historyRows(10, 5);
    const stray = { ...rows[1]!, entitlement_id: 987_654, days_in_previous: 3 };
    await db.kysely.transaction().execute(async (trx) => {
      const batch = new RollupBatch();
      await batch.add(trx, rows.slice(0, 1));
      await expect(batch.add(trx, [rows[2]!, stray])).rejects.toThrow(/entitlement 987654 of a history row is not stored/);
    });
  });
});
