/** Keeps the `history_daily` roll-up in step with `status_history` (same transaction as the rows). */
import { sql, type Kysely } from 'kysely';
import type { Database, NewHistoryRow } from '../db/index.js';

type RollupGroup = { day: string; partner_id: number; from_code: string; to_code: string; grade: string; n: number; score_sum: number; score_n: number; days_sum: number; days_n: number };

/** History rows summed per roll-up key; `sign` -1 negates every sum (for removals). */
function groupRows(rows: readonly NewHistoryRow[], sign: 1 | -1): RollupGroup[] {
  const groups = new Map<string, RollupGroup>();
  for (const r of rows) {
    const day = String(r.changed_at).slice(0, 10);
    const from = r.from_code ?? '';
    const grade = r.note_grade ?? '';
    const key = `${day}|${r.partner_id}|${from}|${r.to_code}|${grade}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { day, partner_id: r.partner_id, from_code: from, to_code: r.to_code, grade, n: 0, score_sum: 0, score_n: 0, days_sum: 0, days_n: 0 }));
    g.n += sign;
    if (typeof r.days_in_previous === 'number') {
      g.days_sum += sign * r.days_in_previous;
      g.days_n += sign;
    }
    if (typeof r.note_score === 'number') {
      g.score_sum += sign * r.note_score;
      g.score_n += sign;
    }
  }
  return [...groups.values()];
}

async function upsertGroups(trx: Kysely<Database>, values: RollupGroup[]): Promise<void> {
  for (let i = 0; i < values.length; i += 200) {
    await trx
      .insertInto('history_daily')
      .values(values.slice(i, i + 200))
      .onConflict((oc) =>
        oc.columns(['day', 'partner_id', 'from_code', 'to_code', 'grade']).doUpdateSet({
          n: sql`history_daily.n + excluded.n`,
          score_sum: sql`history_daily.score_sum + excluded.score_sum`,
          score_n: sql`history_daily.score_n + excluded.score_n`,
          days_sum: sql`history_daily.days_sum + excluded.days_sum`,
          days_n: sql`history_daily.days_n + excluded.days_n`,
        }),
      )
      .execute();
  }
}

/** Adds `rows` (history rows just inserted) to the daily roll-up with upserts. */
export async function addToRollup(trx: Kysely<Database>, rows: readonly NewHistoryRow[]): Promise<void> {
  await upsertGroups(trx, groupRows(rows, 1));
}

/** Takes `rows` (history rows about to be deleted) out of the daily roll-up; empty roll-up rows go. */
export async function removeFromRollup(trx: Kysely<Database>, rows: readonly NewHistoryRow[]): Promise<void> {
  if (rows.length === 0) return;
  const groups = groupRows(rows, -1);
  await upsertGroups(trx, groups);
  const days = [...new Set(groups.map((g) => g.day))];
  for (let i = 0; i < days.length; i += 200) await trx.deleteFrom('history_daily').where('day', 'in', days.slice(i, i + 200)).where('n', '<=', 0).execute();
}

/** Rebuilds the roll-up from `status_history` (after set-based loads that bypass the tracker). */
export async function rebuildRollup(db: Kysely<Database>): Promise<void> {
  await db.deleteFrom('history_daily').execute();
  await sql`insert into history_daily (day, partner_id, from_code, to_code, grade, n, score_sum, score_n, days_sum, days_n)
    select substr(changed_at, 1, 10), partner_id, coalesce(from_code, ''), to_code, coalesce(note_grade, ''), count(*), coalesce(sum(note_score), 0), count(note_score),
      coalesce(sum(days_in_previous), 0), count(days_in_previous)
    from status_history group by substr(changed_at, 1, 10), partner_id, coalesce(from_code, ''), to_code, coalesce(note_grade, '')`.execute(db);
}
