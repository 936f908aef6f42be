/**
 * The demo seed on a page set that defines only some codes (`serve --demo --playbook DIR`): it must
 * write only codes of the loaded taxonomy, start entitlements on the tracker's starting code when the
 * page set has it (else on its first code), and say how many codes it used.
 */
import { describe, expect, it } from 'vitest';
import { assembleServices, seedDemoData } from '../../src/app/index.js';
import type { Taxonomy } from '../../src/taxonomy/types.js';
import { checkStatusRules, listEntitlements, SYSTEM_ACTOR, toIsoDate } from '../../src/tracker/index.js';
import { createTestDb, ENGINES, fixedClock, makeTaxonomy } from '../factories.js';

/** The built-in tree cut down to `ids`, plus any `extra` codes (for an L1 the demo does not know). */
function partialTaxonomy(ids: readonly string[], extra: { l1: string; l2: string }[] = []): Taxonomy {
  const full = makeTaxonomy('partial00001');
  const codes = full.codes.filter((c) => ids.includes(c.id));
  const l1s = full.l1s.map((n) => ({ ...n, codes: n.codes.filter((id) => ids.includes(id)) })).filter((n) => n.codes.length > 0);
  for (const { l1, l2 } of extra) {
    const l1Id = l1.toLowerCase().replace(/\s+/g, '-');
    const id = `${l1Id}/${l2.toLowerCase().replace(/\s+/g, '-')}`;
    codes.push({ id, l1, l2, l3: null, definition: null, file: null });
    l1s.push({ id: l1Id, name: l1, definition: null, file: null, codes: [id] });
  }
  return { ...full, codes, l1s };
}

async function seedWith(engine: (typeof ENGINES)[number], taxonomy: Taxonomy) {
  const db = await createTestDb(engine);
  const clock = fixedClock();
  const services = assembleServices({ db, taxonomy, clock });
  const seed = await seedDemoData(services, { customersPerPartner: 15 });
  const history = await db.kysely.selectFrom('status_history').select(['kind', 'from_code', 'to_code']).execute();
  const entitlements = await db.kysely.selectFrom('entitlements').select(['code', 'l1', 'l2']).execute();
  const all = await listEntitlements(services.tracker, SYSTEM_ACTOR, { pageSize: 500 });
  await services.close();
  return { seed, history, entitlements, current: all.items, today: toIsoDate(clock.now()) };
}

describe.each(ENGINES)('demo seed on a partial page set, %s', (engine) => {
  it('without Status Unknown: writes only the page set\'s codes, starts on its first code and counts the codes used', async () => {
    const ids = ['in-progress/migration', 'blocked/app-compatibility', 'blocked/legal-regulatory', 'duplicate-invalid'];
    const taxonomy = partialTaxonomy(ids);
    const { seed, history, entitlements, current, today } = await seedWith(engine, taxonomy);
    expect(seed.state).toBe('seeded');
    expect(seed.counts.entitlements).toBeGreaterThan(500);

    const written = new Set([...history.map((h) => h.to_code), ...history.flatMap((h) => (h.from_code ? [h.from_code] : [])), ...entitlements.map((e) => e.code)]);
    expect([...written].filter((code) => !ids.includes(code))).toEqual([]);
    const starts = new Set(history.filter((h) => h.kind === 'create').map((h) => h.to_code));
    expect([...starts]).toEqual([taxonomy.codes[0]!.id]);
    for (const e of entitlements) expect(taxonomy.codes.find((c) => c.id === e.code)).toMatchObject({ l1: e.l1, l2: e.l2 });

    const used = new Set(history.map((h) => h.to_code));
    expect(seed.counts.codes).toBe(used.size);
    expect([...used].filter((code) => code !== 'duplicate-invalid').sort()).toEqual(ids.slice(0, 3).sort());

    // Entitlements that start on In Progress rather than Status Unknown still carry what its rules ask.
    for (const e of current) {
      expect(checkStatusRules(e, { today, wholeCustomer: e.code === 'duplicate-invalid' }), `${e.id} ${e.code}`).toEqual([]);
    }
  }, 120_000);

  it('with Status Unknown / New Subscription or Workload and an L1 the demo does not know: starts there and reaches the other L1', async () => {
    const ids = ['status-unknown/new-subscription-or-workload', 'blocked/partner-engagement'];
    const taxonomy = partialTaxonomy(ids, [{ l1: 'Stalled', l2: 'Waiting on Budget' }]);
    const { seed, history } = await seedWith(engine, taxonomy);
    const known = taxonomy.codes.map((c) => c.id);
    expect([...new Set(history.map((h) => h.to_code))].filter((code) => !known.includes(code))).toEqual([]);
    expect([...new Set(history.filter((h) => h.kind === 'create').map((h) => h.to_code))]).toEqual(['status-unknown/new-subscription-or-workload']);
    expect(history.some((h) => h.to_code === 'stalled/waiting-on-budget')).toBe(true);
    expect(seed.counts.codes).toBe(3);
  }, 120_000);
});
