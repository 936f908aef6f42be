/** The roll-ups (history_daily, time_to_clear) as stored, and as status_history says they should be. */
import { sql } from 'kysely';
import { expect } from 'vitest';
import type { Db } from '../../src/db/index.js';

const sortRows = (rows: Record<string, unknown>[]) =>
  rows.map((r) => JSON.stringify(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, ['day', 'from_code', 'to_code', 'grade'].includes(k) ? v : Number(v)])))).sort();

/** history_daily and time_to_clear as stored, and as the history says they should be. */
export async function rollups(db: Db) {
  const daily = await sql<Record<string, unknown>>`select day, partner_id, from_code, to_code, grade, n, score_sum, score_n, days_sum, days_n from history_daily`.execute(db.kysely);
  const dailyFresh = await sql<Record<string, unknown>>`select substr(changed_at, 1, 10) as day, partner_id, coalesce(from_code, '') as from_code, to_code, coalesce(note_grade, '') as grade,
      count(*) as n, coalesce(sum(note_score), 0) as score_sum, count(note_score) as score_n, coalesce(sum(days_in_previous), 0) as days_sum, count(days_in_previous) as days_n
    from status_history group by substr(changed_at, 1, 10), partner_id, coalesce(from_code, ''), to_code, coalesce(note_grade, '')`.execute(db.kysely);
  const clear = await sql<Record<string, unknown>>`select partner_id, workload_id, from_code, n, days_sum from time_to_clear`.execute(db.kysely);
  const clearFresh = await sql<Record<string, unknown>>`select h.partner_id, e.workload_id, coalesce(h.from_code, '') as from_code, count(*) as n, sum(h.days_in_previous) as days_sum
    from status_history h join entitlements e on e.id = h.entitlement_id where h.days_in_previous is not null group by h.partner_id, e.workload_id, coalesce(h.from_code, '')`.execute(db.kysely);
  return { daily: sortRows(daily.rows), dailyFresh: sortRows(dailyFresh.rows), clear: sortRows(clear.rows), clearFresh: sortRows(clearFresh.rows) };
}

export async function expectRollupsRight(db: Db): Promise<void> {
  const r = await rollups(db);
  expect(r.clear.length).toBeGreaterThan(0);
  expect(r.clear).toEqual(r.clearFresh);
  expect(r.daily).toEqual(r.dailyFresh);
}
