/**
 * The storage engine's own ceiling for an import's writes on SQLite: the same kind of change the import
 * makes (status columns of neighbouring entitlements, a history row with before/after JSON, the search
 * entries of the changed notes), written through better-sqlite3 prepared statements with every value
 * built beforehand, in one transaction, commit included, with the roll-ups' upserts. No CSV, no
 * checks, no planning: what is left is SQLite's B-tree and WAL work, which bounds any import on this schema and
 * machine. bench-api prints the import's figures as a share of it.
 */
import Database from 'better-sqlite3';
import { reportIndexOrder } from '../src/tracker/import.js';

export interface CeilingRun {
  /** Rows written per second, commit included. */
  rowsPerSecond: number;
  rows: number;
  seconds: number;
}

interface StoredRow {
  id: number;
  version: number;
  code: string;
  l1: string;
  l2: string | null;
  note: string;
  owner: string | null;
  since: string;
  partner_id: number;
  customer: string;
}

/**
 * Writes `rows` entitlements from id `fromId` on (neighbouring rows, as a file sorted by customer is)
 * and measures it. `change` 'code-and-note' moves each row to `code` (so every report index entry
 * moves) with a new note; 'note' changes the note only.
 */
export function sqliteWriteCeiling(path: string, options: { fromId: number; rows: number; change: 'code-and-note' | 'note'; code: { id: string; l1: string; l2: string | null }; tag: string }): CeilingRun {
  const db = new Database(path);
  try {
    // As src/db/connect.ts opens it.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('temp_store = MEMORY');
    db.pragma('cache_size = -65536');
    db.pragma('mmap_size = 268435456');
    const stored = db
      .prepare(
        `select e.id, e.version, e.code, e.l1, e.l2, e.note, e.owner, e.since, e.partner_id, c.name as customer
         from entitlements e join customers c on c.id = e.customer_id where e.id >= ? order by e.id limit ?`,
      )
      .all(options.fromId, options.rows) as StoredRow[];
    // In the order the import writes: by the widest report index (l1, l2, since), then id, so that
    // index entries are moved in runs.
    stored.sort(reportIndexOrder);
    const now = new Date().toISOString();
    const target = new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10);
    const codeChange = options.change === 'code-and-note';
    // Every value ready before the clock starts.
    const planned = stored.map((row, i) => {
      const note = `Usage at ${i % 90}% of seats; champions programme starts next month (ceiling ${options.tag} ${i}).`;
      const before = { code: row.code, l1: row.l1, l2: row.l2, l3: null, note: row.note, targetDate: null, owner: row.owner, since: row.since };
      const after = codeChange ? { ...before, code: options.code.id, l1: options.code.l1, l2: options.code.l2, note, targetDate: target } : { ...before, note };
      return { row, note, before: JSON.stringify(before), after: JSON.stringify(after) };
    });
    const update = codeChange
      ? db.prepare('update entitlements set code = ?, l1 = ?, l2 = ?, note = ?, target_date = ?, since = ?, version = version + 1, updated_by = null, updated_at = ? where id = ? and version = ?')
      : db.prepare('update entitlements set note = ?, version = version + 1, updated_by = null, updated_at = ? where id = ? and version = ?');
    const history = db.prepare(
      `insert into status_history (entitlement_id, partner_id, kind, changed_by, changed_by_name, changed_at, from_code, to_code, days_in_previous, before_json, after_json, note_grade, note_score, suggestion_json, suggested_code)
       values (?, ?, 'import', null, 'bench', ?, ?, ?, ?, ?, ?, null, null, null, null)`,
    );
    const defer = db.prepare('update entitlement_search_deferred set deferred = ?');
    const searchDelete = db.prepare(`insert into entitlement_search (entitlement_search, rowid, note, owner, customer) values ('delete', ?, ?, ?, ?)`);
    const searchInsert = db.prepare('insert into entitlement_search (rowid, note, owner, customer) values (?, ?, ?, ?)');
    const rollup = db.prepare(
      `insert into history_daily (day, partner_id, from_code, to_code, grade, n, score_sum, score_n, days_sum, days_n)
       select substr(changed_at, 1, 10), partner_id, coalesce(from_code, ''), to_code, coalesce(note_grade, ''), count(*), coalesce(sum(note_score), 0), count(note_score),
         coalesce(sum(days_in_previous), 0), count(days_in_previous)
       from status_history where id >= ? group by 1, 2, 3, 4, 5
       on conflict (day, partner_id, from_code, to_code, grade) do update set n = history_daily.n + excluded.n, score_sum = history_daily.score_sum + excluded.score_sum,
         score_n = history_daily.score_n + excluded.score_n, days_sum = history_daily.days_sum + excluded.days_sum, days_n = history_daily.days_n + excluded.days_n`,
    );
    // The forecast's time to clear by workload (migration 021), as the import keeps it: the moves out of a code, per workload.
    const clears = db.prepare(
      `insert into time_to_clear (partner_id, workload_id, from_code, n, days_sum)
       select h.partner_id, e.workload_id, coalesce(h.from_code, ''), count(*), sum(h.days_in_previous)
       from status_history h join entitlements e on e.id = h.entitlement_id where h.id >= ? and h.days_in_previous is not null group by 1, 2, 3
       on conflict (partner_id, workload_id, from_code) do update set n = time_to_clear.n + excluded.n, days_sum = time_to_clear.days_sum + excluded.days_sum`,
    );
    const started = performance.now();
    db.exec('begin immediate');
    const firstHistoryId = ((db.prepare('select max(id) as id from status_history').get() as { id: number | null }).id ?? 0) + 1;
    defer.run(1);
    for (const { row, note } of planned) {
      const changes = codeChange
        ? update.run(options.code.id, options.code.l1, options.code.l2, note, target, now, now, row.id, row.version).changes
        : update.run(note, now, row.id, row.version).changes;
      if (changes !== 1) throw new Error(`storage ceiling: entitlement ${row.id} changed underneath`);
    }
    defer.run(0);
    for (const { row, before, after } of planned) {
      history.run(row.id, row.partner_id, now, row.code, codeChange ? options.code.id : row.code, codeChange ? 1 : null, before, after);
    }
    // Search entries in rowid order, as the import's writer puts them (FTS5 flushes on a lower rowid).
    const byId = [...planned].sort((a, b) => a.row.id - b.row.id);
    for (const { row } of byId) searchDelete.run(row.id, row.note, row.owner ?? '', row.customer);
    for (const { row, note } of byId) searchInsert.run(row.id, note, row.owner ?? '', row.customer);
    // The roll-ups the reports read, as the import keeps them (src/tracker/rollup.ts): the history rows
    // written here counted in one upsert each, so a kept benchmark database stays consistent.
    rollup.run(firstHistoryId);
    clears.run(firstHistoryId);
    db.exec('commit');
    const seconds = (performance.now() - started) / 1000;
    return { rowsPerSecond: planned.length / seconds, rows: planned.length, seconds };
  } finally {
    db.close();
  }
}
