/**
 * Keeps the `history_daily` and `time_to_clear` roll-ups in step with `status_history` (same transaction
 * as the rows). Every writer of history rows calls addToRollup (or removeFromRollup) with them; one
 * that writes in several steps gathers them in a RollupBatch and writes it last.
 */
import { sql, type Kysely } from 'kysely';
import { engineOf, type Database, type NewHistoryRow } from '../db/index.js';

type RollupGroup = { day: string; partner_id: number; from_code: string; to_code: string; grade: string; n: number; score_sum: number; score_n: number; days_sum: number; days_n: number };

/** The key of a history_daily row, its columns joined (any fixed order of keys does: all writers use the same). */
const dailyKey = (g: Pick<RollupGroup, 'day' | 'partner_id' | 'from_code' | 'to_code' | 'grade'>) => `${g.day}|${g.partner_id}|${g.from_code}|${g.to_code}|${g.grade}`;

/**
 * Sums kept per key, found through one map per part of the key rather than by a key string: an import
 * groups 50,000 history rows, and joining (then hashing) a string for each row cost more than the rest
 * of the grouping (both roll-ups of a 50,000-row code change: about 50 ms of CPU with key strings, 12 ms
 * so; before time_to_clear, history_daily's with its upserts took 30 ms). `groups` lists the sums in the
 * order they were first met; the writers sort them by key.
 */
class Sums<G> {
  private readonly root = new Map<unknown, unknown>();
  private leaf = this.root;
  private leafKey: unknown;
  readonly groups: G[] = [];

  /** The sums of the key `parts` (always as many parts, in the same order), or undefined: then {@link start} them. */
  find(parts: readonly unknown[]): G | undefined {
    let map = this.root;
    const last = parts.length - 1;
    for (let i = 0; i < last; i++) {
      let next = map.get(parts[i]) as Map<unknown, unknown> | undefined;
      if (next === undefined) map.set(parts[i], (next = new Map<unknown, unknown>()));
      map = next;
    }
    this.leaf = map;
    this.leafKey = parts[last];
    return map.get(this.leafKey) as G | undefined;
  }

  /** Starts `g` as the sums of the key {@link find} was last asked for (and did not find). */
  start(g: G): G {
    this.leaf.set(this.leafKey, g);
    this.groups.push(g);
    return g;
  }

  clear(): void {
    this.root.clear();
    this.leaf = this.root;
    this.groups.length = 0;
  }
}

/** Adds history rows to `sums` (summed per roll-up key); `sign` -1 negates every sum (for removals). */
function addRowGroups(sums: Sums<RollupGroup>, rows: readonly NewHistoryRow[], sign: 1 | -1): void {
  const parts: [string, string, string, string, number] = ['', '', '', '', 0];
  // The rows of one write share their time: its day is cut once.
  let at: unknown;
  let day = '';
  for (const r of rows) {
    if (r.changed_at !== at) {
      at = r.changed_at;
      day = String(at).slice(0, 10);
    }
    const from = r.from_code ?? '';
    const grade = r.note_grade ?? '';
    // The part with the most distinct values last, so the inner maps are shared rather than one per group
    // (200,000 rows of as many partners: 58 MB held, against 193 MB with the day last).
    parts[0] = day;
    parts[1] = from;
    parts[2] = r.to_code;
    parts[3] = grade;
    parts[4] = r.partner_id;
    const g = sums.find(parts) ?? sums.start({ day, partner_id: r.partner_id, from_code: from, to_code: r.to_code, grade, n: 0, score_sum: 0, score_n: 0, days_sum: 0, days_n: 0 });
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
}

/** Compares roll-up keys: every writer upserts its keys in this order, so two never wait on each other's. */
const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** History rows summed per roll-up key, in key order; `sign` -1 negates every sum (for removals). */
function groupRows(rows: readonly NewHistoryRow[], sign: 1 | -1): RollupGroup[] {
  const sums = new Sums<RollupGroup>();
  addRowGroups(sums, rows, sign);
  return sortedDaily(sums);
}

/** The daily sums in key order ({@link dailyKey} compared as text, as every writer does). */
function sortedDaily(sums: Sums<RollupGroup>): RollupGroup[] {
  return sums.groups.map((g) => [dailyKey(g), g] as const).sort((a, b) => byKey(a[0], b[0])).map(([, g]) => g);
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

type ClearGroup = { partner_id: number; workload_id: number; from_code: string; n: number; days_sum: number };

/** Entitlement ids looked up at a time: one statement per this many (SQLite allows 32,766 parameters). */
const LOOKUP_CHUNK = 10_000;

/** The workload of each entitlement of `ids` (distinct), in one statement per LOOKUP_CHUNK ids. */
async function workloadsOf(trx: Kysely<Database>, ids: readonly number[]): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  const postgres = engineOf(trx) === 'postgres';
  for (let i = 0; i < ids.length; i += LOOKUP_CHUNK) {
    const chunk = ids.slice(i, i + LOOKUP_CHUNK);
    // PostgreSQL: one array parameter, not thousands of them to bind and plan.
    const found = postgres
      ? (await sql<{ id: number; workload_id: number }>`select id, workload_id from entitlements where id = any(${chunk}::integer[])`.execute(trx)).rows
      : await trx.selectFrom('entitlements').select(['id', 'workload_id']).where('id', 'in', chunk).execute();
    for (const r of found) out.set(Number(r.id), Number(r.workload_id));
  }
  return out;
}

/**
 * Adds the moves out of a code among `rows` (those with days_in_previous) to `sums`, summed per
 * partner, workload and code; `sign` -1 negates them. The workloads are taken from `known` (what the
 * caller holds already), the others read from the rows' entitlements, which must still exist.
 */
async function addClearGroups(trx: Kysely<Database>, sums: Sums<ClearGroup>, rows: readonly NewHistoryRow[], sign: 1 | -1, known?: ReadonlyMap<number, number>): Promise<void> {
  // The workload of each row (undefined for a row without days), then those the caller did not pass.
  const workloads: (number | undefined)[] = new Array<number | undefined>(rows.length);
  let unknown: Set<number> | undefined;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (typeof r.days_in_previous !== 'number') continue;
    const workload = known?.get(r.entitlement_id);
    if (workload === undefined) (unknown ??= new Set()).add(r.entitlement_id);
    else workloads[i] = workload;
  }
  if (unknown) {
    const read = await workloadsOf(trx, [...unknown]);
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      if (typeof r.days_in_previous !== 'number' || workloads[i] !== undefined) continue;
      const workload = read.get(r.entitlement_id);
      // A caller bug (rows taken out after their entitlements were deleted): refused rather than miscounted.
      if (workload === undefined) throw new Error(`time_to_clear: entitlement ${r.entitlement_id} of a history row is not stored; keep the roll-up before deleting it`);
      workloads[i] = workload;
    }
  }
  const parts: [string, number, number] = ['', 0, 0];
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const days = r.days_in_previous;
    if (typeof days !== 'number') continue;
    const workload = workloads[i]!;
    const from = r.from_code ?? '';
    parts[0] = from;
    parts[1] = workload;
    parts[2] = r.partner_id;
    const g = sums.find(parts) ?? sums.start({ partner_id: r.partner_id, workload_id: workload, from_code: from, n: 0, days_sum: 0 });
    g.n += sign;
    g.days_sum += sign * days;
  }
}

/** The sums in key order (so concurrent writers upsert the same keys in the same order). */
function sortedClears(sums: Sums<ClearGroup>): ClearGroup[] {
  return [...sums.groups].sort((a, b) => a.partner_id - b.partner_id || a.workload_id - b.workload_id || byKey(a.from_code, b.from_code));
}

/** {@link addClearGroups} into fresh sums, in key order. */
async function clearGroups(trx: Kysely<Database>, rows: readonly NewHistoryRow[], sign: 1 | -1, known?: ReadonlyMap<number, number>): Promise<ClearGroup[]> {
  const sums = new Sums<ClearGroup>();
  await addClearGroups(trx, sums, rows, sign, known);
  return sortedClears(sums);
}

async function upsertClears(trx: Kysely<Database>, values: ClearGroup[]): Promise<void> {
  for (let i = 0; i < values.length; i += 200) {
    await trx
      .insertInto('time_to_clear')
      .values(values.slice(i, i + 200))
      .onConflict((oc) =>
        oc.columns(['partner_id', 'workload_id', 'from_code']).doUpdateSet({
          n: sql`time_to_clear.n + excluded.n`,
          days_sum: sql`time_to_clear.days_sum + excluded.days_sum`,
        }),
      )
      .execute();
  }
}

/**
 * Adds `rows` (history rows just inserted) to the roll-ups with upserts. `workloads` (entitlement id to
 * workload id) spares the lookup of the workloads a caller holds already (an import of 50,000 scattered
 * rows: 0.1-0.5 s).
 */
export async function addToRollup(trx: Kysely<Database>, rows: readonly NewHistoryRow[], workloads?: ReadonlyMap<number, number>): Promise<void> {
  const batch = new RollupBatch();
  await batch.add(trx, rows, workloads);
  await batch.write(trx);
}

/**
 * The roll-up of a transaction that writes history in several steps (an import's chunks, one change per
 * entitlement of a customer), gathered and written once at its end by {@link RollupBatch.write}. A
 * transaction that upserted roll-up rows and then went on to lock entitlements deadlocked (PostgreSQL)
 * with a status change holding one of those entitlements and waiting for the same roll-up row; written
 * last, every writer locks its entitlements first, then history_daily, then time_to_clear, each in key
 * order. Only the sums are kept (not the rows), and the workloads are read as rows come.
 */
export class RollupBatch {
  private readonly daily = new Sums<RollupGroup>();
  private readonly clears = new Sums<ClearGroup>();

  /** Adds `rows` (history rows just inserted in the transaction); `workloads` as for {@link addToRollup}. */
  async add(trx: Kysely<Database>, rows: readonly NewHistoryRow[], workloads?: ReadonlyMap<number, number>): Promise<void> {
    addRowGroups(this.daily, rows, 1);
    await addClearGroups(trx, this.clears, rows, 1, workloads);
  }

  /** Upserts what was added (history_daily, then time_to_clear, each in key order) and empties the batch; call it last in the transaction. */
  async write(trx: Kysely<Database>): Promise<void> {
    const daily = sortedDaily(this.daily);
    const clears = sortedClears(this.clears);
    this.daily.clear();
    this.clears.clear();
    await upsertGroups(trx, daily);
    await upsertClears(trx, clears);
  }
}

/**
 * Takes `rows` (history rows about to be deleted) out of the roll-ups; empty roll-up rows go. Rows with
 * days_in_previous need their entitlements still stored (their workload is read from them); the customer
 * delete removes creation rows only, which have none.
 */
export async function removeFromRollup(trx: Kysely<Database>, rows: readonly NewHistoryRow[]): Promise<void> {
  if (rows.length === 0) return;
  const groups = groupRows(rows, -1);
  const clears = await clearGroups(trx, rows, -1);
  await upsertGroups(trx, groups);
  const days = [...new Set(groups.map((g) => g.day))];
  for (let i = 0; i < days.length; i += 200) await trx.deleteFrom('history_daily').where('day', 'in', days.slice(i, i + 200)).where('n', '<=', 0).execute();
  if (clears.length === 0) return;
  await upsertClears(trx, clears);
  const partners = [...new Set(clears.map((g) => g.partner_id))];
  await trx.deleteFrom('time_to_clear').where('partner_id', 'in', partners).where('n', '<=', 0).execute();
}

/** Rebuilds the roll-ups from `status_history` (after set-based loads that bypass the tracker). */
export async function rebuildRollup(db: Kysely<Database>): Promise<void> {
  await db.deleteFrom('time_to_clear').execute();
  await sql`insert into time_to_clear (partner_id, workload_id, from_code, n, days_sum)
    select h.partner_id, e.workload_id, coalesce(h.from_code, ''), count(*), sum(h.days_in_previous)
    from status_history h join entitlements e on e.id = h.entitlement_id where h.days_in_previous is not null
    group by h.partner_id, e.workload_id, coalesce(h.from_code, '')`.execute(db);
  await db.deleteFrom('history_daily').execute();
  await sql`insert into history_daily (day, partner_id, from_code, to_code, grade, n, score_sum, score_n, days_sum, days_n)
    select substr(changed_at, 1, 10), partner_id, coalesce(from_code, ''), to_code, coalesce(note_grade, ''), count(*), coalesce(sum(note_score), 0), count(note_score),
      coalesce(sum(days_in_previous), 0), count(days_in_previous)
    from status_history group by substr(changed_at, 1, 10), partner_id, coalesce(from_code, ''), to_code, coalesce(note_grade, '')`.execute(db);
}
