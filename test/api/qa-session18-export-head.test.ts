/**
 * QA session 18: `HEAD /api/export/entitlements.csv` ran the whole export (Fastify answers HEAD with the
 * GET handler and then drains the body it returns), so a client checking the link, or a proxy, cost a
 * full read of every matching row. HEAD now answers the GET's status and headers (content type, the
 * dated attachment name; the same 400 for bad filters and 401 without a credential) without running
 * the row query. Seen here through a spy on the database handle's `selectFrom`, counting the queries
 * that read entitlement rows, not through timing.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ENGINES } from '../factories.js';
import { useApiWorld } from './api-world.js';

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

describe.each(ENGINES)('HEAD of the CSV export on %s', (engine) => {
  const api = useApiWorld(engine);
  const send = (method: 'GET' | 'HEAD', url: string, token: string | null = api.world.tokens.northViewer) =>
    api.app.inject({ method, url, headers: token === null ? {} : auth(token) });
  let made = false;
  const customer = async () => {
    if (made) return;
    const created = await api.app.inject({ method: 'POST', url: '/api/customers', headers: auth(api.world.tokens.northManager), payload: { tenantId: 'head-a', name: 'Head A', workloads: ['teams', 'exchange-online'] } });
    expect(created.statusCode, created.body).toBe(201);
    made = true;
  };
  // The export's row query (and any list of entitlements) starts with selectFrom('entitlements as e') on
  // the tracker's Kysely instance; the spy counts those starts. (A module mock would not do: test files
  // share their worker's modules, so the routes may have been imported before it.)
  let rowQueries: { mock: { calls: unknown[][] }; mockClear(): void } | undefined;
  const rowReads = () => {
    if (!rowQueries) {
      const kysely = api.world.services.tracker.db.kysely;
      rowQueries = vi.spyOn(kysely, 'selectFrom') as unknown as typeof rowQueries;
    }
    return rowQueries!.mock.calls.filter((call) => call[0] === 'entitlements as e').length;
  };
  afterEach(() => rowQueries?.mockClear());

  it('answers the GET\'s status and headers without reading a row', async () => {
    await customer();
    rowReads();
    const get = await send('GET', '/api/export/entitlements.csv?sort=customer');
    expect(get.statusCode, get.body).toBe(200);
    expect(get.body.trim().split('\n')).toHaveLength(3);
    // The spy sees the GET's read, so its silence below means something.
    expect(rowReads()).toBeGreaterThan(0);
    rowQueries!.mockClear();

    const head = await send('HEAD', '/api/export/entitlements.csv?sort=customer');
    expect(head.statusCode).toBe(200);
    expect(head.body).toBe('');
    expect(head.headers['content-type']).toBe(get.headers['content-type']);
    expect(head.headers['content-disposition']).toBe(get.headers['content-disposition']);
    expect(head.headers['content-disposition']).toMatch(/^attachment; filename="unblock-entitlements-\d{4}-\d{2}-\d{2}\.csv"$/);
    // Not a length of 0: the GET streams its body, so its length is not known beforehand.
    expect(head.headers['content-length']).toBeUndefined();
    expect(rowReads()).toBe(0);
  });

  it('answers bad filters and a missing credential as the GET does, without reading a row', async () => {
    rowReads();
    for (const [url, token, status] of [
      ['/api/export/entitlements.csv?minDays=30&maxDays=10', api.world.tokens.northViewer, 400],
      ['/api/export/entitlements.csv?l1=Blokced', api.world.tokens.northViewer, 400],
      ['/api/export/entitlements.csv?minDays=0x10', api.world.tokens.northViewer, 400],
      ['/api/export/entitlements.csv', null, 401],
      ['/api/export/entitlements.csv', 'ub_not-a-token', 401],
    ] as const) {
      rowQueries!.mockClear();
      const get = await send('GET', url, token);
      const getReads = rowReads();
      rowQueries!.mockClear();
      const head = await send('HEAD', url, token);
      expect([head.statusCode, get.statusCode], url).toEqual([status, status]);
      expect(head.headers['content-type'], url).toBe(get.headers['content-type']);
      expect(head.body, url).toBe('');
      // The same checks as the GET's (an unknown l1 is looked up among the stored codes by both), no more.
      expect(rowReads(), url).toBe(getReads);
    }
  });
});
