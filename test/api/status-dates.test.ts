/**
 * Dates that belong to one status do not outlive it: the target date belongs to In Progress, the
 * projected unblock date to Blocked. A change that leaves the status without giving the date clears it,
 * whether it comes as a single change, a bulk change or an import; the history row shows the date going.
 * Both engines.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/index.js';
import { createTestWorld, ENGINES, type TestWorld } from '../factories.js';

interface Row {
  id: number;
  version: number;
  code: string;
  targetDate: string | null;
  projectedUnblockDate: string | null;
}

const NO_INTENT = { l1: 'No Intent', l2: 'Executive Sponsorship', note: 'The new board froze every cloud project after the merger with Fabrikam.' };
const BLOCKED = { l1: 'Blocked', l2: 'Legal/Regulatory', note: 'The works council must approve storing chat logs abroad before anything moves.', projectedUnblockDate: '2026-06-01' };
const IN_PROGRESS = { l1: 'In Progress', l2: 'Migration', targetDate: '2027-03-01' };

describe.each(ENGINES)('status dates over the API on %s', (engine) => {
  let world: TestWorld;
  let app: FastifyInstance;
  const headers = () => ({ authorization: `Bearer ${world.tokens.northManager}` });

  beforeAll(async () => {
    world = await createTestWorld(engine);
    app = await buildApp(world.services, { webDir: null });
  });
  afterAll(async () => {
    await app?.close();
    await world?.services.close();
  });

  async function customer(tenantId: string, workloads: string[]): Promise<Row[]> {
    const res = await app.inject({ method: 'POST', url: '/api/customers', headers: headers(), payload: { tenantId, name: `Customer ${tenantId}`, workloads } });
    expect(res.statusCode).toBe(201);
    return (await app.inject({ url: `/api/entitlements?customerId=${res.json().id}&sort=id`, headers: headers() })).json().items as Row[];
  }
  async function put(row: Pick<Row, 'id' | 'version'>, change: Record<string, unknown>): Promise<Row> {
    const res = await app.inject({ method: 'PUT', url: `/api/entitlements/${row.id}/status`, headers: headers(), payload: { version: row.version, ...change } });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().entitlement as Row;
  }
  const get = async (id: number) => (await app.inject({ url: `/api/entitlements/${id}`, headers: headers() })).json() as Row;
  const lastHistory = async (id: number) => ((await app.inject({ url: `/api/entitlements/${id}/history`, headers: headers() })).json().items as { before: Row; after: Row }[]).at(-1)!;

  it('clears the target date on a single change out of In Progress (In Progress -> No Intent -> Status Unknown)', async () => {
    const [row] = await customer('dates-single', ['teams']);
    const inProgress = await put(row!, IN_PROGRESS);
    expect(inProgress.targetDate).toBe('2027-03-01');
    const noIntent = await put(inProgress, NO_INTENT);
    expect(noIntent).toMatchObject({ code: 'no-intent/executive-sponsorship', targetDate: null });
    const history = await lastHistory(row!.id);
    expect([history.before.targetDate, history.after.targetDate]).toEqual(['2027-03-01', null]);
    const unknown = await put(noIntent, { l1: 'Status Unknown', l2: 'Customer Unresponsive' });
    expect(unknown.targetDate).toBeNull();

    // A change that gives a target date while leaving In Progress keeps the one it gives.
    const again = await put(unknown, IN_PROGRESS);
    const blocked = await put(again, { ...BLOCKED, targetDate: '2027-04-01' });
    expect(blocked).toMatchObject({ code: 'blocked/legal-regulatory', targetDate: '2027-04-01', projectedUnblockDate: '2026-06-01' });
    // Leaving Blocked clears the projected unblock date, even when the change sends one.
    const back = await put(blocked, { ...IN_PROGRESS, projectedUnblockDate: '2026-07-01' });
    expect(back).toMatchObject({ targetDate: '2027-03-01', projectedUnblockDate: null });
  });

  it('clears them in a bulk change', async () => {
    const rows = await customer('dates-bulk', ['teams', 'intune']);
    const [a, b] = [await put(rows[0]!, IN_PROGRESS), await put(await put(rows[1]!, IN_PROGRESS), BLOCKED)];
    expect([a.targetDate, b.targetDate, b.projectedUnblockDate]).toEqual(['2027-03-01', null, '2026-06-01']);
    const res = await app.inject({
      method: 'POST', url: '/api/entitlements/bulk-status', headers: headers(),
      payload: { items: [{ id: a.id, version: a.version, ...NO_INTENT }, { id: b.id, version: b.version, l1: 'Status Unknown', l2: 'Customer Unresponsive' }] },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect([await get(a.id), await get(b.id)].map((r) => [r.code, r.targetDate, r.projectedUnblockDate])).toEqual([
      ['no-intent/executive-sponsorship', null, null],
      ['status-unknown/customer-unresponsive', null, null],
    ]);
    expect((await lastHistory(a.id)).before.targetDate).toBe('2027-03-01');
    expect((await lastHistory(b.id)).before.projectedUnblockDate).toBe('2026-06-01');
  });

  it('clears them in an import, unless the row gives the date', async () => {
    const rows = await customer('dates-csv', ['teams', 'intune', 'onedrive']);
    const [a, b, c] = [await put(rows[0]!, IN_PROGRESS), await put(rows[1]!, IN_PROGRESS), await put(await put(rows[2]!, IN_PROGRESS), BLOCKED)];
    const file = [
      'tenant_id,workload,l1,l2,note,target_date',
      'dates-csv,teams,Status Unknown,Customer Unresponsive,,',
      `dates-csv,intune,No Intent,Executive Sponsorship,${NO_INTENT.note},2027-05-01`,
      'dates-csv,onedrive,Status Unknown,Customer Unresponsive,,',
    ].join('\n');
    const res = await app.inject({ method: 'POST', url: '/api/import/entitlements?advise=false', headers: { ...headers(), 'content-type': 'text/csv' }, payload: file });
    expect(res.statusCode, res.body).toBe(200);
    expect([await get(a.id), await get(b.id), await get(c.id)].map((r) => [r.targetDate, r.projectedUnblockDate])).toEqual([[null, null], ['2027-05-01', null], [null, null]]);
    const history = await lastHistory(a.id);
    expect([history.before.targetDate, history.after.targetDate]).toEqual(['2027-03-01', null]);
    expect((await lastHistory(c.id)).before.projectedUnblockDate).toBe('2026-06-01');
  });
});
