import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assembleServices, type Services } from '../../src/app/index.js';
import type { Db } from '../../src/db/index.js';
import { slugify } from '../../src/lib/index.js';
import { AGEING_BUCKETS, countEntitlements, reportAgeing, reportFlow, reportForecast, reportNoteQuality, type CountDimension } from '../../src/reports/index.js';
import { SYSTEM_ACTOR, createCustomer, createPartner, listEntitlements, markCustomerDuplicateInvalid, updateStatus, type Actor, type TrackerContext } from '../../src/tracker/index.js';
import { createTestDb, ENGINES, fakeNoteCoach, fixedClock, makeTaxonomy } from '../factories.js';

const DAY = 86_400_000;
const LEGAL = 'Works council has to approve the rollout under local labour law; hearing set for March.';
const APPS = 'Their claims add-in does not load in the new client and the vendor has no certified build yet.';

describe.each(ENGINES)('reports on %s', (engine) => {
  let services: Services;
  let ctx: TrackerContext;
  let north: Actor;
  let northId: number;
  const at = (iso: string): TrackerContext => ({ ...services.tracker, clock: fixedClock(iso) });

  beforeAll(async () => {
    services = assembleServices({ db: await createTestDb(engine), taxonomy: makeTaxonomy(), clock: fixedClock('2026-03-02T10:00:00.000Z'), noteCoach: fakeNoteCoach });
    ctx = services.tracker;
    const t0 = at('2026-01-05T09:00:00.000Z');
    northId = (await createPartner(t0, SYSTEM_ACTOR, { name: 'North' })).id;
    const southId = (await createPartner(t0, SYSTEM_ACTOR, { name: 'South' })).id;
    north = { userId: null, name: 'n', role: 'manager', partnerId: northId };
    const a = await createCustomer(t0, SYSTEM_ACTOR, { tenantId: 'a', name: 'A', partnerId: northId, workloads: ['teams', 'intune', 'exchange-online'] });
    await createCustomer(t0, SYSTEM_ACTOR, { tenantId: 'b', name: 'B', partnerId: northId, workloads: ['teams'] });
    await createCustomer(t0, SYSTEM_ACTOR, { tenantId: 'c', name: 'C', partnerId: southId, workloads: ['teams'] });
    const d = await createCustomer(t0, SYSTEM_ACTOR, { tenantId: 'd', name: 'D', partnerId: southId, workloads: ['teams'] });
    const items = (await listEntitlements(ctx, SYSTEM_ACTOR, { customerId: a.id })).items;
    const teams = items.find((e) => e.workload === 'teams')!;
    const intune = items.find((e) => e.workload === 'intune')!;
    const t1 = at('2026-01-10T09:00:00.000Z');
    await updateStatus(t1, SYSTEM_ACTOR, teams.id, 1, { code: 'blocked/legal-regulatory', note: LEGAL, projectedUnblockDate: '2026-03-10', owner: 'Maya' });
    await updateStatus(t1, SYSTEM_ACTOR, intune.id, 1, { code: 'blocked/app-compatibility', note: APPS, projectedUnblockDate: '2026-02-20', owner: 'Maya' });
    await updateStatus(at('2026-02-09T09:00:00.000Z'), SYSTEM_ACTOR, intune.id, 2, { code: 'in-progress/migration', note: 'Add-in fixed; moving mailboxes in weekly batches now.', targetDate: '2026-06-01' });
    await markCustomerDuplicateInvalid(at('2026-02-15T09:00:00.000Z'), SYSTEM_ACTOR, d.id, { note: 'Test tenant of customer C.' });
  });
  afterAll(async () => services?.close());

  it('counts by L1, L2, workload, partner and owner, leaving out Duplicate/Invalid and other partners', async () => {
    const l1 = await countEntitlements(ctx, SYSTEM_ACTOR, 'l1');
    expect(l1.rows.map((r) => [r.label, r.count])).toEqual([['Status Unknown', 3], ['Blocked', 1], ['In Progress', 1]]);
    expect((await countEntitlements(ctx, north, 'l1')).rows.map((r) => [r.label, r.count])).toEqual([['Status Unknown', 2], ['Blocked', 1], ['In Progress', 1]]);
    expect((await countEntitlements(ctx, north, 'l2')).rows.find((r) => r.key === 'blocked/legal-regulatory')).toMatchObject({ l1: 'Blocked', count: 1 });
    expect((await countEntitlements(ctx, SYSTEM_ACTOR, 'workload')).rows[0]).toMatchObject({ key: 'teams', count: 3 });
    expect((await countEntitlements(ctx, SYSTEM_ACTOR, 'partner')).rows.map((r) => [r.label, r.count])).toEqual([['North', 4], ['South', 1]]);
    expect((await countEntitlements(ctx, north, 'owner')).rows.map((r) => [r.label, r.count])).toEqual([['(no owner)', 2], ['Maya', 2]]);
  });

  it('buckets Blocked entitlements by days in status', async () => {
    const ageing = await reportAgeing(ctx, north);
    expect(ageing.buckets.find((b) => b.count > 0)).toMatchObject({ label: '31-60 days', count: 1 });
    expect(ageing.byL2).toEqual([{ code: 'blocked/legal-regulatory', l2: 'Legal/Regulatory', total: 1, counts: [0, 0, 0, 1, 0, 0, 0] }]);
  });

  it('forecasts unblocks by week from projected dates and historical time to clear', async () => {
    const f = await reportForecast(ctx, north, { weeks: 4 });
    expect(f.weeks.map((w) => w.weekStart)).toEqual(['2026-03-02', '2026-03-09', '2026-03-16', '2026-03-23']);
    expect(f.weeks.map((w) => w.projected)).toEqual([0, 1, 0, 0]);
    expect(f.timeToClear).toEqual([{ code: 'blocked/app-compatibility', cleared: 1, averageDays: 30 }]);
    // Blocked since 10 January, 30 days to clear on average: expected on 9 February, before today (2 March).
    expect(f.weeks.map((w) => w.expected)).toEqual([0, 0, 0, 0]);
    expect(f.expectedOverdue).toBe(1);
    expect(f.overdue).toBe(0);
    expect(f.total).toBe(1);
    expect((await reportForecast(at('2026-03-12T00:00:00.000Z'), north, { weeks: 2 })).overdue).toBe(1);
  });

  it('reports the flow between codes and L1s in a period', async () => {
    const flow = await reportFlow(ctx, SYSTEM_ACTOR, { from: '2026-01-01', to: '2026-03-02', level: 'l1' });
    expect(flow.rows).toEqual([
      { from: 'status-unknown', to: 'blocked', count: 2 },
      { from: 'blocked', to: 'in-progress', count: 1 },
      { from: 'status-unknown', to: 'duplicate-invalid', count: 1 },
    ]);
    const feb = await reportFlow(ctx, north, { from: '2026-02-01', to: '2026-02-28' });
    expect(feb.rows).toEqual([{ from: 'blocked/app-compatibility', to: 'in-progress/migration', count: 1 }]);
  });

  it('reports note quality per month', async () => {
    const q = await reportNoteQuality(ctx, north, { from: '2026-01-01', to: '2026-03-02' });
    expect(q.months.map((m) => [m.month, m.changes, m.graded, m.grades])).toEqual([
      ['2026-01', 2, 2, { great: 2 }],
      ['2026-02', 1, 1, { great: 1 }],
    ]);
    expect(q.months[0]!.averageScore).toBeCloseTo(0.95);
  });
});

/**
 * The reports count index ranges (bucket edges, week edges and days computed in JS); these tests
 * check them against a plain per-row computation over every row, on data crowded at those edges:
 * `since` exactly on and a millisecond either side of each ageing threshold, at midnight and just
 * before it, projected dates on week starts and today, L2s missing or unknown to the taxonomy,
 * averages that are not whole days, two partners with different averages, several workloads.
 */
describe.each(ENGINES)('report range counts match a per-row computation on %s', (engine) => {
  const taxonomy = makeTaxonomy();
  let db: Db;
  let partners: number[];
  let workloads: { id: number; slug: string }[];
  const blockedL2s = ['Legal/Regulatory', 'App Compatibility', 'Adoption Readiness', null, 'Retired Reason'];
  const codeOf = (l1: string, l2: string | null) => taxonomy.codes.find((c) => c.l1 === l1 && c.l2 === l2)?.id ?? (l2 === null ? slugify(l1) : `${slugify(l1)}/${slugify(l2)}`);
  const NOWS = ['2026-03-04T15:30:00.000Z', '2026-03-09T00:00:00.000Z', '2026-03-08T23:59:59.999Z'];

  beforeAll(async () => {
    db = await createTestDb(engine);
    const k = db.kysely;
    const at = '2025-01-01T00:00:00.000Z';
    partners = [];
    for (const name of ['P1', 'P2']) partners.push((await k.insertInto('partners').values({ name, created_at: at }).returning('id').executeTakeFirstOrThrow()).id);
    workloads = await k.selectFrom('workloads').select(['id', 'slug']).where('slug', 'in', ['teams', 'intune', 'exchange-online']).orderBy('id').execute();
    const customers: { id: number; partner: number }[] = [];
    for (const p of partners) customers.push({ id: (await k.insertInto('customers').values({ partner_id: p, tenant_id: `t${p}`, name: `C${p}`, name_key: `c${p}`, managed: 0, region: null, created_at: at, updated_at: at }).returning('id').executeTakeFirstOrThrow()).id, partner: p });
    // Instants crowded at every edge, for each clock.
    const instants = new Set<string>();
    for (const iso of NOWS) {
      const now = Date.parse(iso);
      for (const b of AGEING_BUCKETS) if (b.max !== null) for (const d of [-1, 0, 1]) instants.add(new Date(now - (b.max + 1) * DAY + d).toISOString());
      for (let day = -200; day <= 1; day++) {
        const midnight = Math.floor(now / DAY) * DAY + day * DAY;
        instants.add(new Date(midnight).toISOString());
        instants.add(new Date(midnight - 1).toISOString());
        if (day % 3 === 0) instants.add(new Date(midnight + 13 * 3_600_000 + 7).toISOString());
      }
    }
    const sinces = [...instants].sort();
    const dates = Array.from({ length: 140 }, (_, i) => new Date(Date.parse('2026-02-20T00:00:00Z') + i * DAY).toISOString().slice(0, 10));
    const codes: [string, string | null][] = [...blockedL2s.map((l2) => ['Blocked', l2] as [string, string | null]), ['In Progress', 'Migration'], ['In Progress', null], ['Duplicate/Invalid', null], ['Status Unknown', 'Customer Unresponsive']];
    const rows = sinces.map((since, i) => {
      const [l1, l2] = codes[(i * 7) % codes.length]!;
      const c = customers[i % 2]!;
      return {
        customer_id: c.id, partner_id: c.partner, workload_id: workloads[(i * 5) % workloads.length]!.id, part: String(i), l1, l2, l3: null, code: codeOf(l1, l2), taxonomy_version: 'v', note: '',
        owner: i % 4 === 0 ? null : `Owner ${i % 3}`, projected_unblock_date: i % 9 === 0 ? null : dates[(i * 11) % dates.length]!, updated_at: since, since, created_at: since,
      };
    });
    for (let i = 0; i < rows.length; i += 100) await k.insertInto('entitlements').values(rows.slice(i, i + 100)).execute();
    // Times to clear: averages of 30.25 days (P1) and 9 days (P2) for app compatibility, 12.4 for legal (P1 only).
    const daily = (partner: number, from: string, daysSum: number, daysN: number) => ({ day: '2026-01-15', partner_id: partner, from_code: from, to_code: 'in-progress/migration', grade: '', n: daysN, score_sum: 0, score_n: 0, days_sum: daysSum, days_n: daysN });
    await k.insertInto('history_daily').values([daily(partners[0]!, 'blocked/app-compatibility', 121, 4), daily(partners[1]!, 'blocked/app-compatibility', 18, 2), daily(partners[0]!, 'blocked/legal-regulatory', 62, 5)]).execute();
  });
  afterAll(async () => db?.close());

  const ctxAt = (iso: string): TrackerContext => ({ ...assembleServices({ db, taxonomy, clock: fixedClock(iso), noteCoach: fakeNoteCoach }).tracker });
  const actors = (): [string, Actor][] => [['admin', SYSTEM_ACTOR], ['partner', { userId: null, name: 'p', role: 'viewer', partnerId: partners[1]! }]];
  type Filter = { partnerId?: number; workload?: string; l1?: string };
  const filters = (): Filter[] => [{}, { workload: 'teams' }, { partnerId: partners[0]! }];

  async function inScope(actor: Actor, filter: Filter) {
    const all = await db.kysely.selectFrom('entitlements').select(['partner_id', 'workload_id', 'l1', 'l2', 'owner', 'since', 'projected_unblock_date']).execute();
    const workload = workloads.find((w) => w.slug === filter.workload)?.id;
    return all.filter((r) => r.l1 !== 'Duplicate/Invalid' && (actor.partnerId === null || r.partner_id === actor.partnerId) && (filter.partnerId === undefined || r.partner_id === filter.partnerId) && (workload === undefined || r.workload_id === workload));
  }

  it('counts', async () => {
    const ctx = ctxAt(NOWS[0]!);
    for (const [, actor] of actors())
      for (const filter of [...filters(), { l1: 'blocked' }, { l1: 'blocked', workload: 'intune' }]) {
        const rows = (await inScope(actor, filter)).filter((r) => filter.l1 === undefined || r.l1 === 'Blocked');
        const expect1 = (key: (r: (typeof rows)[number]) => string) => {
          const m = new Map<string, number>();
          for (const r of rows) m.set(key(r), (m.get(key(r)) ?? 0) + 1);
          return [...m.entries()].sort();
        };
        const got = async (by: CountDimension) => (await countEntitlements(ctx, actor, by, filter)).rows.map((r) => [r.key, r.count] as [string, number]).sort();
        expect(await got('l1')).toEqual(expect1((r) => slugify(r.l1)));
        expect(await got('l2')).toEqual(expect1((r) => codeOf(r.l1, r.l2)));
        expect(await got('workload')).toEqual(expect1((r) => workloads.find((w) => w.id === r.workload_id)!.slug));
        expect(await got('partner')).toEqual(expect1((r) => String(r.partner_id)));
        expect(await got('owner')).toEqual(expect1((r) => r.owner ?? ''));
      }
  });

  it('ageing', async () => {
    for (const iso of NOWS)
      for (const [, actor] of actors())
        for (const filter of filters())
          for (const l1 of ['Blocked', 'In Progress']) {
            const now = Date.parse(iso);
            const report = await reportAgeing(ctxAt(iso), actor, { ...filter, l1 });
            const expected = new Map<string, number[]>();
            for (const r of (await inScope(actor, filter)).filter((r) => r.l1 === l1)) {
              let i = AGEING_BUCKETS.findIndex((b) => b.max !== null && r.since > new Date(now - (b.max + 1) * DAY).toISOString());
              if (i < 0) i = AGEING_BUCKETS.length - 1;
              const counts = expected.get(codeOf(l1, r.l2)) ?? AGEING_BUCKETS.map(() => 0);
              counts[i]!++;
              expected.set(codeOf(l1, r.l2), counts);
            }
            const label = `${iso} ${JSON.stringify(filter)} ${l1}`;
            expect(report.byL2.map((e) => [e.code, e.counts]).sort(), label).toEqual([...expected.entries()].sort());
            expect(report.buckets.map((b) => b.count), label).toEqual(AGEING_BUCKETS.map((_, i) => [...expected.values()].reduce((s, c) => s + c[i]!, 0)));
            expect(report.byL2.map((e) => e.total), label).toEqual(report.byL2.map((e) => e.total).sort((a, b) => b - a));
          }
  });

  it('forecast', async () => {
    for (const iso of NOWS)
      for (const [, actor] of actors())
        for (const filter of filters())
          for (const [weeksCount, strategy] of [[1, 'ranges'], [5, 'grouped'], [104, 'ranges'], [104, 'grouped']] as const) {
            // Both ways of counting (index ranges, or one grouped read) against the rows themselves.
            const report = await reportForecast(ctxAt(iso), actor, { ...filter, weeks: weeksCount, strategy });
            const now = new Date(iso);
            const monday = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - ((now.getUTCDay() + 6) % 7) * DAY;
            const endMs = monday + weeksCount * 7 * DAY;
            const today = iso.slice(0, 10);
            const averages = new Map(report.timeToClear.map((t) => [t.code, t.averageDays]));
            const overall = report.timeToClear.reduce((s, t) => s + (t.averageDays ?? 0) * t.cleared, 0) / Math.max(1, report.timeToClear.reduce((s, t) => s + t.cleared, 0));
            const weeks = Array.from({ length: weeksCount }, () => ({ projected: 0, expected: 0 }));
            const outside = { projected: 0, expected: 0 };
            let overdue = 0;
            let expectedOverdue = 0;
            for (const r of (await inScope(actor, filter)).filter((r) => r.l1 === 'Blocked')) {
              const d = r.projected_unblock_date;
              if (d === null) outside.projected++;
              else if (d < today) overdue++;
              else {
                const i = Math.floor((Date.parse(`${d}T00:00:00Z`) - monday) / (7 * DAY));
                if (i >= 0 && i < weeksCount) weeks[i]!.projected++;
                else outside.projected++;
              }
              const average = averages.get(codeOf('Blocked', r.l2)) ?? (report.timeToClear.length > 0 ? overall : null);
              if (average === null) {
                outside.expected++;
                continue;
              }
              const expectedMs = Date.parse(`${r.since.slice(0, 10)}T00:00:00Z`) + average * DAY;
              const i = Math.floor((expectedMs - monday) / (7 * DAY));
              if (expectedMs < Date.parse(`${today}T00:00:00Z`)) expectedOverdue++;
              else if (expectedMs < endMs) weeks[i]!.expected++;
              else outside.expected++;
            }
            const label = `${iso} ${JSON.stringify(filter)} ${weeksCount} ${strategy}`;
            expect(report.weeks.map((w) => ({ projected: w.projected, expected: w.expected })), label).toEqual(weeks);
            expect({ overdue: report.overdue, expectedOverdue: report.expectedOverdue, outside: report.outsideWindow }, label).toEqual({ overdue, expectedOverdue, outside });
            const sum = (key: 'projected' | 'expected') => report.weeks.reduce((s, w) => s + w[key], 0) + report.outsideWindow[key];
            expect([report.overdue + sum('projected'), report.expectedOverdue + sum('expected')], label).toEqual([report.total, report.total]);
          }
  });

  it('scopes the time to clear by partner', async () => {
    const ctx = ctxAt(NOWS[0]!);
    expect((await reportForecast(ctx, SYSTEM_ACTOR, { partnerId: partners[0]! })).timeToClear).toEqual([
      { code: 'blocked/legal-regulatory', cleared: 5, averageDays: 12.4 },
      { code: 'blocked/app-compatibility', cleared: 4, averageDays: 30.3 },
    ]);
    expect((await reportForecast(ctx, { userId: null, name: 'p', role: 'viewer', partnerId: partners[1]! })).timeToClear).toEqual([{ code: 'blocked/app-compatibility', cleared: 2, averageDays: 9 }]);
  });
});
