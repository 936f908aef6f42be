/** Customers (tenants), their entitlements per workload, and the whole-customer Duplicate/Invalid change. */
import { sql, type Kysely, type SqlBool } from 'kysely';
import { AppError, joinWords, nameKey, slugify } from '../lib/index.js';
import { countExpr, engineOf, isUniqueViolation, type Database, type NewHistoryRow, type Workload } from '../db/index.js';
import { removeFromRollup, RollupBatch } from './rollup.js';
import type { Taxonomy } from '../taxonomy/types.js';
import { assertNoViolations, kindOf, L1_KIND, l1KindsOf } from './rules.js';
import { requireRole, resolveWritePartner, scopeOf } from './scope.js';
import { initialStatus, loadRows, type ChangeResult } from './entitlements.js';
import { isSameStatus, prepareChange, startingStatus, writeChange, type PreparedChange } from './status-change.js';
import { snapshotColumns, toEntitlementView, toSnapshot, type EntitlementJoinedRow, type EntitlementView } from './views.js';
import type { Actor, Scope, StatusSnapshot, TrackerContext } from './types.js';

export interface CustomerView {
  id: number;
  partnerId: number;
  tenantId: string;
  name: string;
  managed: boolean;
  region: string | null;
  createdAt: string;
  updatedAt: string;
  entitlementCount: number;
}

export interface NewCustomerInput {
  tenantId: string;
  name: string;
  partnerId?: number | undefined;
  managed?: boolean | undefined;
  region?: string | null | undefined;
  /** Workload slugs to create entitlements for (each starts as Status Unknown / New Subscription or Workload). */
  workloads?: string[] | undefined;
}

/** Every workload of the catalogue, in catalogue order. */
export async function listWorkloads(db: Kysely<Database>): Promise<Workload[]> {
  return db.selectFrom('workloads').selectAll().orderBy('id').execute();
}

/**
 * Workload rows by slug (or by name, case-insensitively); throws UNKNOWN_CODE naming the unknown ones,
 * each quoted as sent (a blank one shows as `"  "`, not as nothing), with `details` `{field, unknown,
 * valid}`; `field` names the request's field (`workloads`, `workload`) in the message and the details.
 */
export async function resolveWorkloads(db: Kysely<Database>, labels: string[], field = 'workloads'): Promise<Workload[]> {
  const all = await listWorkloads(db);
  const unknown: string[] = [];
  const found = labels.map((label) => {
    const w = all.find((x) => x.slug === label || x.slug === slugify(label));
    if (!w) unknown.push(label);
    return w;
  });
  if (unknown.length > 0) {
    const valid = all.map((w) => w.slug);
    const named = joinWords(unknown.map((label) => JSON.stringify(label)));
    const what = unknown.length === 1 ? `Unknown workload ${named} in ${field}: give its slug or name` : `Unknown workloads ${named} in ${field}: give each as its slug or name`;
    throw new AppError('UNKNOWN_CODE', `${what}, such as exchange-online or "Exchange Online". Valid: ${valid.join(', ')}.`, { field, unknown, valid });
  }
  return found as Workload[];
}

/** One entitlement for {@link insertNewEntitlements}. */
export interface NewEntitlementItem {
  customerId: number;
  partnerId: number;
  workloadId: number;
  part: string;
  /** The status it starts at (default: the initial status; a Duplicate/Invalid customer's new entitlement starts there). */
  status?: StatusSnapshot | undefined;
  /**
   * Set when the row is stored already changed from `status` to `changed.after` in the same transaction
   * (an import row that creates an entitlement and sets its status): the row is inserted in its final
   * state, at version 2, with `changed.noteGrade`, and the 'create' history row still records `status`.
   * The caller writes the change's own history row.
   */
  changed?: { after: StatusSnapshot; noteGrade: string | null } | undefined;
}

/**
 * Inserts new entitlements with their 'create' history rows; returns their ids. Each starts at the
 * initial status, or at its `status` when given (a Duplicate/Invalid customer's new entitlement).
 * `rollup`: the caller's batch (see {@link RollupBatch}), written by the caller after its last write;
 * without it, the roll-up of all the rows is written here, after the last insert.
 */
export async function insertNewEntitlements(trx: Kysely<Database>, taxonomy: Taxonomy, actor: Actor, now: Date, items: NewEntitlementItem[], rollup?: RollupBatch): Promise<number[]> {
  if (items.length === 0) return [];
  const batch = rollup ?? new RollupBatch();
  const nowIso = now.toISOString();
  const initial: StatusSnapshot = initialStatus(taxonomy);
  const ids: number[] = [];
  for (let i = 0; i < items.length; i += 200) {
    const chunk = items.slice(i, i + 200);
    const rows = await trx
      .insertInto('entitlements')
      .values(chunk.map((it) => ({
        customer_id: it.customerId, partner_id: it.partnerId, workload_id: it.workloadId, part: it.part, ...snapshotColumns(it.changed?.after ?? it.status ?? initial),
        note_grade: it.changed?.noteGrade ?? null, version: it.changed ? 2 : 1, updated_by: actor.userId, updated_at: nowIso, since: nowIso, created_at: nowIso,
      })))
      .returning(['id', 'partner_id'])
      .execute();
    // Rows come back in insertion order on both engines (one multi-row INSERT ... RETURNING).
    const history: NewHistoryRow[] = rows.map((r, j) => {
      const status = chunk[j]?.status ?? initial;
      return { entitlement_id: r.id, partner_id: r.partner_id, kind: 'create' as const, changed_by: actor.userId, changed_by_name: actor.name, changed_at: nowIso, from_code: null, to_code: status.code, days_in_previous: null, before_json: null, after_json: JSON.stringify(status), note_grade: null, note_score: null, suggestion_json: null, suggested_code: null };
    });
    await trx.insertInto('status_history').values(history).execute();
    await batch.add(trx, history);
    ids.push(...rows.map((r) => r.id));
  }
  if (!rollup) await batch.write(trx);
  return ids;
}

/** The status columns of an entitlement (alias `e`), for {@link toSnapshot}. */
const STATUS_COLUMNS = [
  'e.code', 'e.l1', 'e.l2', 'e.l3', 'e.taxonomy_version', 'e.note', 'e.target_date', 'e.engagement_start_date', 'e.business_reason', 'e.owner', 'e.next_action', 'e.next_action_date', 'e.projected_unblock_date',
] as const;

type CustomerRow = { id: number; partner_id: number; tenant_id: string; name: string; managed: number; region: string | null; created_at: string; updated_at: string };

function toCustomerView(row: CustomerRow, entitlementCount: number): CustomerView {
  return { id: row.id, partnerId: row.partner_id, tenantId: row.tenant_id, name: row.name, managed: row.managed === 1, region: row.region, createdAt: row.created_at, updatedAt: row.updated_at, entitlementCount };
}

/**
 * What a tenant id that is already registered is answered with (creating a customer, importing one):
 * the same words whoever has it, naming neither the partner nor the customer.
 */
export function tenantTakenMessage(tenantId: string): string {
  return `Tenant id "${tenantId}" is already registered; tenant ids are unique across all partners. If none of your customers has it, check the id or ask an administrator.`;
}

/**
 * The CONFLICT for a tenant id that another customer has. An actor who can see that customer (an admin,
 * or a user of its partner) is told which one it is, with its id in the details; anyone else gets
 * {@link tenantTakenMessage}, which names no partner and no customer.
 */
async function tenantTaken(db: Kysely<Database>, actor: Actor, tenantId: string): Promise<AppError> {
  const holder = await db
    .selectFrom('customers as c')
    .innerJoin('partners as p', 'p.id', 'c.partner_id')
    .select(['c.id', 'c.name', 'c.partner_id', 'p.name as partner_name'])
    .where(sql<SqlBool>`lower(c.tenant_id) = lower(${tenantId})`)
    .executeTakeFirst();
  const scope = scopeOf(actor);
  if (!holder || (scope.kind === 'partner' && holder.partner_id !== scope.partnerId)) return new AppError('CONFLICT', tenantTakenMessage(tenantId), { field: 'tenantId' });
  const whose = scope.kind === 'partner' ? 'your customer' : 'the customer';
  const partner = scope.kind === 'partner' ? '' : ` of ${holder.partner_name}`;
  return new AppError('CONFLICT', `Tenant id "${tenantId}" is already registered to ${whose} ${holder.name} (customer ${holder.id}${partner}); tenant ids are unique across all partners.`, { field: 'tenantId', customerId: holder.id });
}

/**
 * What is wrong with a tenant id to be stored (trimmed already), or null. A tenant id is one word (a
 * domain such as contoso.onmicrosoft.com, or a GUID): a space, tab, line break, control or invisible
 * formatting character (a zero-width space) inside is a paste gone wrong, and would make a second tenant that imports and searches never match.
 */
export function tenantIdProblem(tenantId: string): string | null {
  const at = tenantId.search(/[\s\p{Cc}\p{Cf}]/u);
  if (at < 0) return null;
  const ch = tenantId[at]!;
  const what = ch === ' ' || ch === '\u00a0' ? 'a space' : ch === '\t' ? 'a tab' : ch === '\n' || ch === '\r' ? 'a line break' : /\s/.test(ch) ? 'a space' : /\p{Cf}/u.test(ch) ? 'an invisible character' : 'a control character';
  return `has ${what} at character ${at + 1}; a tenant id is one word, such as contoso.onmicrosoft.com or a GUID`;
}

/** VALIDATION_FAILED for a tenant id that {@link tenantIdProblem} refuses. */
function checkTenantId(tenantId: string): void {
  const problem = tenantIdProblem(tenantId);
  if (problem) throw new AppError('VALIDATION_FAILED', `The tenant id "${tenantId}" ${problem}.`, [{ where: 'body', path: '/tenantId', message: problem }]);
}

/** Creates a customer and its entitlements in one transaction. Managers and admins only. CONFLICT for a taken tenant id. */
export async function createCustomer(ctx: TrackerContext, actor: Actor, input: NewCustomerInput): Promise<CustomerView> {
  requireRole(actor, 'manager');
  const partnerId = resolveWritePartner(actor, input.partnerId);
  const partner = await ctx.db.kysely.selectFrom('partners').select('id').where('id', '=', partnerId).executeTakeFirst();
  if (!partner) throw new AppError('NOT_FOUND', `No partner with id ${partnerId}.`);
  checkTenantId(input.tenantId.trim());
  // One entitlement per workload, however often and in whatever spelling the list names it
  // (`teams` and `Teams`): two would clash with each other, and the clash read as a taken tenant id.
  const workloads = [...new Map((await resolveWorkloads(ctx.db.kysely, [...new Set(input.workloads ?? [])])).map((w) => [w.id, w])).values()];
  const now = ctx.clock.now();
  const nowIso = now.toISOString();
  try {
    const id = await ctx.db.kysely.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('customers')
        .values({ partner_id: partnerId, tenant_id: input.tenantId.trim(), name: input.name.trim(), name_key: nameKey(input.name), managed: input.managed ? 1 : 0, region: input.region?.trim() || null, created_at: nowIso, updated_at: nowIso })
        .returning('id')
        .executeTakeFirstOrThrow();
      await insertNewEntitlements(trx, ctx.taxonomy(), actor, now, workloads.map((w) => ({ customerId: row.id, partnerId, workloadId: w.id, part: '' })));
      return row.id;
    });
    return getCustomer(ctx, actor, id);
  } catch (error) {
    // Tenant ids are unique across partners; another partner's customer is not named.
    if (isUniqueViolation(error)) throw await tenantTaken(ctx.db.kysely, actor, input.tenantId.trim());
    throw error;
  }
}

async function findCustomerRow(db: Kysely<Database>, scope: Scope, id: number): Promise<CustomerRow | undefined> {
  let q = db.selectFrom('customers').selectAll().where('id', '=', id);
  if (scope.kind === 'partner') q = q.where('partner_id', '=', scope.partnerId);
  return q.executeTakeFirst();
}

/** The customer, or NOT_FOUND (also for another partner's customer). */
export async function getCustomer(ctx: TrackerContext, actor: Actor, id: number): Promise<CustomerView> {
  const row = await findCustomerRow(ctx.db.kysely, scopeOf(actor), id);
  if (!row) throw new AppError('NOT_FOUND', `No customer with id ${id}.`);
  const count = await ctx.db.kysely.selectFrom('entitlements').select(countExpr().as('n')).where('customer_id', '=', id).executeTakeFirstOrThrow();
  return toCustomerView(row, Number(count.n));
}

/**
 * A page of customers the actor can see, A-Z by name (ignoring case and accents: the name key; names
 * with one key by code point, then id, on both engines); `q` is a
 * substring of the name (ignoring case and accents) or of the tenant id (ignoring case, A-Z only on SQLite).
 */
export async function listCustomers(ctx: TrackerContext, actor: Actor, options: { q?: string | undefined; partnerId?: number | undefined; page?: number | undefined; pageSize?: number | undefined }) {
  const scope = scopeOf(actor);
  let base = ctx.db.kysely.selectFrom('customers as c');
  if (scope.kind === 'partner') base = base.where('c.partner_id', '=', scope.partnerId);
  if (options.partnerId !== undefined) base = base.where('c.partner_id', '=', options.partnerId);
  if (options.q && options.q.trim() !== '') {
    // A literal substring: `%`, `_` and the escape character itself match only themselves. Names are
    // matched by their key (no accents, lower case: "muller" finds "Müller" on both engines); tenant
    // ids with case folded by the engine on both sides (A-Z only on SQLite, every letter on
    // PostgreSQL), so an id always finds itself as written.
    const like = (text: string) => `%${text.replace(/[\\%_]/g, '\\$&')}%`;
    const q = options.q.trim();
    base = base.where((eb) => eb.or([sql<SqlBool>`c.name_key like ${like(nameKey(q))} escape '\\'`, sql<SqlBool>`lower(c.tenant_id) like lower(${like(q)}) escape '\\'`]));
  }
  const page = Math.max(1, options.page ?? 1);
  const pageSize = Math.min(500, Math.max(1, options.pageSize ?? 50));
  const [rows, count] = await Promise.all([
    base
      .selectAll('c')
      .select((eb) => eb.selectFrom('entitlements as e').whereRef('e.customer_id', '=', 'c.id').select(countExpr().as('n')).as('entitlement_count'))
      .orderBy('c.name_key')
      // Names with one key by code point, as SQLite compares them and as the keys are (migration 018):
      // PostgreSQL's database collation (en-US: `bob & co` before `Bob & Co`) would page them otherwise.
      .orderBy(engineOf(ctx.db.kysely) === 'postgres' ? sql`c.name collate "C"` : sql`c.name`)
      .orderBy('c.id')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
    base.select(countExpr().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map((r) => toCustomerView(r, Number(r.entitlement_count ?? 0))), total: Number(count.n), page, pageSize };
}

/**
 * Adds an entitlement (or a named split part of one) to a customer, at the initial status; a customer
 * whose every entitlement is Duplicate/Invalid gets it Duplicate/Invalid too, with the same note.
 * Managers and up. CONFLICT when the workload (and part, compared ignoring case) exists.
 */
export async function addEntitlement(ctx: TrackerContext, actor: Actor, input: { customerId: number; workload: string; part?: string | undefined }): Promise<EntitlementView> {
  requireRole(actor, 'manager');
  const scope = scopeOf(actor);
  const customer = await findCustomerRow(ctx.db.kysely, scope, input.customerId);
  if (!customer) throw new AppError('NOT_FOUND', `No customer with id ${input.customerId}.`);
  const [workload] = await resolveWorkloads(ctx.db.kysely, [input.workload], 'workload');
  const now = ctx.clock.now();
  const taxonomy = ctx.taxonomy();
  try {
    const [id] = await ctx.db.kysely.transaction().execute(async (trx) => {
      const siblings = await trx.selectFrom('entitlements as e').select([...STATUS_COLUMNS]).where('e.customer_id', '=', customer.id).orderBy('e.id').execute();
      const status = startingStatus(initialStatus(taxonomy), siblings.map(toSnapshot), l1KindsOf(taxonomy));
      return insertNewEntitlements(trx, taxonomy, actor, now, [{ customerId: customer.id, partnerId: customer.partner_id, workloadId: workload!.id, part: (input.part ?? '').trim(), status }]);
    });
    const rows = await loadRows(ctx.db.kysely, scope, [id!]);
    return toEntitlementView(rows.get(id!)!, now);
  } catch (error) {
    if (isUniqueViolation(error)) {
      // In the words the customer's page shows: its name, the workload's name, and the part as stored
      // (parts are compared ignoring case, so "nordic" finds "Nordic").
      const part = (input.part ?? '').trim();
      const stored = await ctx.db.kysely.selectFrom('entitlements').select('part').where('customer_id', '=', customer.id).where('workload_id', '=', workload!.id).where(sql<SqlBool>`lower(part) = lower(${part})`).executeTakeFirst();
      const storedPart = stored?.part ?? part;
      const which = part ? `a part "${storedPart}" of ${workload!.name}` : `${workload!.name} as a whole workload`;
      throw new AppError('CONFLICT', `${customer.name} (customer ${customer.id}) already has ${which}.`, part ? { field: 'part', part: storedPart } : { field: 'workload' });
    }
    throw error;
  }
}

/**
 * Marks every entitlement of the customer Duplicate/Invalid in one transaction (the playbook's rule),
 * with `note` as the reason. Editors and up.
 */
export async function markCustomerDuplicateInvalid(ctx: TrackerContext, actor: Actor, customerId: number, input: { note: string }): Promise<ChangeResult[]> {
  requireRole(actor, 'editor');
  const scope = scopeOf(actor);
  const customer = await findCustomerRow(ctx.db.kysely, scope, customerId);
  if (!customer) throw new AppError('NOT_FOUND', `No customer with id ${customerId}.`);
  // The reason is what the playbook asks for, and it replaces every entitlement's note: a blank one
  // would erase them all and leave only the history to say why.
  if (input.note.trim() === '') throw new AppError('VALIDATION_FAILED', 'Say why the tenant is a duplicate or invalid (for example which tenant is the real one); the note replaces every entitlement\'s note.', [{ where: 'body', path: '/note', message: 'must not be empty: it replaces every entitlement\'s note' }]);
  const taxonomy = ctx.taxonomy();
  // Duplicate/Invalid itself, else the first L1 of the playbook's own that follows its rules.
  const kinds = l1KindsOf(taxonomy);
  const code = taxonomy.codes.find((c) => slugify(c.l1) === L1_KIND.duplicateInvalid) ?? taxonomy.codes.find((c) => kindOf(c, kinds) === L1_KIND.duplicateInvalid);
  if (!code) throw new AppError('UNKNOWN_CODE', 'The playbook defines no Duplicate/Invalid code.');
  const now = ctx.clock.now();
  const ids = (await ctx.db.kysely.selectFrom('entitlements').select('id').where('customer_id', '=', customerId).orderBy('id').execute()).map((r) => r.id);
  if (ids.length === 0) {
    throw new AppError('CONFLICT', `Customer ${customerId} has no entitlements, so there is nothing to mark Duplicate/Invalid; delete the customer instead, or add its entitlements first.`);
  }
  const rows = await loadRows(ctx.db.kysely, scope, ids);
  const prepared: { row: EntitlementJoinedRow; change: PreparedChange }[] = [];
  for (const id of ids) {
    const row = rows.get(id)!;
    const change = await prepareChange(taxonomy, ctx.advisor, now, toSnapshot(row), { code: code.id, note: input.note }, { wholeCustomer: true, advise: false });
    // Already Duplicate/Invalid with this note: nothing to write for it.
    if (isSameStatus(change.before, change.after)) continue;
    assertNoViolations(change.violations, `Entitlement ${id}`);
    prepared.push({ row, change });
  }
  await ctx.db.kysely.transaction().execute(async (trx) => {
    // The roll-up after every entitlement is written (see RollupBatch: written between two, it deadlocked
    // with a status change of the next one).
    const rollup = new RollupBatch();
    for (const { row, change } of prepared) {
      if (!(await writeChange(trx, row, row.version, change, { actor, now, kind: 'duplicate-invalid', rollup }))) {
        throw new AppError('VERSION_CONFLICT', `Entitlement ${row.id} changed while saving; nothing was saved.`);
      }
    }
    await rollup.write(trx);
  });
  const after = await loadRows(ctx.db.kysely, scope, ids);
  return ids.map((id) => ({ entitlement: toEntitlementView(after.get(id)!, now), warnings: [] }));
}


export interface CustomerChanges {
  name?: string | undefined;
  managed?: boolean | undefined;
  region?: string | null | undefined;
  /** A new tenant id; CONFLICT when another customer has it. */
  tenantId?: string | undefined;
}

/**
 * Changes a customer's name, managed flag, region or tenant id. Managers (own partner) and admins;
 * another partner's customer is NOT_FOUND; a tenant id another customer has is CONFLICT. The search
 * index follows a new name through a trigger. Values equal to the stored ones (after trimming) write
 * nothing: `updatedAt` keeps saying when the customer last changed.
 */
export async function updateCustomer(ctx: TrackerContext, actor: Actor, id: number, changes: CustomerChanges): Promise<CustomerView> {
  requireRole(actor, 'manager');
  const scope = scopeOf(actor);
  const row = await findCustomerRow(ctx.db.kysely, scope, id);
  if (!row) throw new AppError('NOT_FOUND', `No customer with id ${id}.`);
  const set: { name?: string; name_key?: string; managed?: number; region?: string | null; tenant_id?: string; updated_at: string } = { updated_at: ctx.clock.now().toISOString() };
  if (changes.name !== undefined) {
    set.name = changes.name.trim();
    set.name_key = nameKey(set.name);
  }
  if (changes.managed !== undefined) set.managed = changes.managed ? 1 : 0;
  if (changes.region !== undefined) set.region = changes.region === null ? null : changes.region.trim() || null;
  if (changes.tenantId !== undefined) set.tenant_id = changes.tenantId.trim();
  if (set.name === '') throw new AppError('VALIDATION_FAILED', 'The customer name cannot be empty.', [{ where: 'body', path: '/name', message: 'must not be empty' }]);
  if (set.tenant_id === '') throw new AppError('VALIDATION_FAILED', 'The tenant id cannot be empty.', [{ where: 'body', path: '/tenantId', message: 'must not be empty' }]);
  // A tenant id kept as it is (however it was stored) is not checked again.
  if (set.tenant_id !== undefined && set.tenant_id !== row.tenant_id) checkTenantId(set.tenant_id);
  const changed =
    (set.name !== undefined && set.name !== row.name) ||
    (set.managed !== undefined && set.managed !== Number(row.managed)) ||
    (set.region !== undefined && set.region !== row.region) ||
    (set.tenant_id !== undefined && set.tenant_id !== row.tenant_id);
  if (!changed) return getCustomer(ctx, actor, id);
  try {
    let q = ctx.db.kysely.updateTable('customers').set(set).where('id', '=', id);
    if (scope.kind === 'partner') q = q.where('partner_id', '=', scope.partnerId);
    await q.execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw await tenantTaken(ctx.db.kysely, actor, set.tenant_id ?? '');
    throw error;
  }
  return getCustomer(ctx, actor, id);
}

export interface DeletedCustomer {
  customer: CustomerView;
  /** The entitlements deleted with the customer (each had only its creation in its history). */
  entitlementsDeleted: number;
  /** The audit_log row recording the deletion. */
  auditId: number;
}

/**
 * Deletes a customer that was never worked on: its entitlements and their creation history rows go
 * with it, and an audit_log row keeps who deleted what, when and why. A customer whose entitlements
 * have any status change is refused with CONFLICT (history never vanishes; retire such a customer
 * with Duplicate/Invalid instead). Managers (own partner) and admins; another partner's customer is
 * NOT_FOUND.
 */
export async function deleteCustomer(ctx: TrackerContext, actor: Actor, id: number, input: { reason?: string | undefined } = {}): Promise<DeletedCustomer> {
  requireRole(actor, 'manager');
  const scope = scopeOf(actor);
  const before = await getCustomer(ctx, actor, id);
  const now = ctx.clock.now().toISOString();
  const result = await ctx.db.kysely.transaction().execute(async (trx) => {
    // Lock the customer's entitlements (PostgreSQL) so no status change slips in before the delete.
    let entitlementQuery = trx
      .selectFrom('entitlements as e')
      .innerJoin('workloads as w', 'w.id', 'e.workload_id')
      .select(['e.id', 'e.partner_id', 'w.slug as workload', 'e.part', 'e.code'])
      .where('e.customer_id', '=', id)
      .orderBy('e.id');
    if (engineOf(trx) === 'postgres') entitlementQuery = entitlementQuery.forUpdate('e');
    const entitlements = await entitlementQuery.execute();
    const ids = entitlements.map((e) => e.id);
    const history: NewHistoryRow[] = [];
    for (let i = 0; i < ids.length; i += 500) history.push(...(await trx.selectFrom('status_history').selectAll().where('entitlement_id', 'in', ids.slice(i, i + 500)).execute()));
    const changes = history.filter((h) => h.from_code !== null).length;
    if (changes > 0) {
      throw new AppError('CONFLICT', `Customer ${id} has ${changes} status change(s) in its history, so it cannot be deleted; mark it Duplicate/Invalid (POST /api/customers/${id}/duplicate-invalid) to retire it and keep its history.`, {
        statusChanges: changes,
        entitlements: ids.length,
      });
    }
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      await trx.deleteFrom('status_history').where('entitlement_id', 'in', chunk).execute();
      await trx.deleteFrom('entitlements').where('id', 'in', chunk).execute();
    }
    await removeFromRollup(trx, history);
    let del = trx.deleteFrom('customers').where('id', '=', id);
    if (scope.kind === 'partner') del = del.where('partner_id', '=', scope.partnerId);
    await del.execute();
    const details = { customer: before, reason: input.reason ?? null, entitlements: entitlements.map((e) => ({ id: e.id, workload: e.workload, part: e.part, code: e.code })) };
    const audit = await trx
      .insertInto('audit_log')
      .values({ partner_id: before.partnerId, action: 'customer.delete', entity_id: id, actor_id: actor.userId, actor_name: actor.name, at: now, details_json: JSON.stringify(details) })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { entitlementsDeleted: ids.length, auditId: audit.id };
  });
  return { customer: before, ...result };
}
