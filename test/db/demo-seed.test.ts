import { describe, expect, it } from 'vitest';
import { assembleServices, seedDemoData } from '../../src/app/index.js';
import { checkStatusRules, createPartner, createUser, toIsoDate, SYSTEM_ACTOR, listEntitlements, setUserPassword, updateUser } from '../../src/tracker/index.js';
import { createTestDb, ENGINES, fakeClassifier, fakeNoteCoach, fixedClock, makeTaxonomy } from '../factories.js';

describe.each(ENGINES)('demo seed on %s', (engine) => {
  it('seeds once, deterministically, with every code present and current statuses that pass the rules', async () => {
    const db = await createTestDb(engine);
    const clock = fixedClock();
    const services = assembleServices({ db, taxonomy: makeTaxonomy(), clock, classifier: fakeClassifier, noteCoach: fakeNoteCoach });
    try {
      const first = await seedDemoData(services);
      expect(first.seeded).toBe(true);
      expect(first.counts.partners).toBeGreaterThanOrEqual(3);
      expect(first.counts.customers).toBeGreaterThanOrEqual(200);
      expect(first.counts.history).toBeGreaterThan(first.counts.entitlements);
      const second = await seedDemoData(services);
      expect(second.seeded).toBe(false);

      const codes = await db.kysely.selectFrom('status_history').select('to_code').distinct().execute();
      expect(codes.map((c) => c.to_code).sort()).toEqual(makeTaxonomy().codes.map((c) => c.id).sort());
      const workloads = await db.kysely.selectFrom('entitlements').select('workload_id').distinct().execute();
      expect(workloads.length).toBe(16);

      const today = toIsoDate(clock.now());
      const all = await listEntitlements(services.tracker, SYSTEM_ACTOR, { pageSize: 500 });
      for (const e of all.items) {
        const violations = checkStatusRules(e, { today, wholeCustomer: e.code === 'duplicate-invalid' });
        expect(violations, `${e.id} ${e.code} ${e.note}`).toEqual([]);
      }
      const oldest = await db.kysely.selectFrom('status_history').select('changed_at').orderBy('changed_at').limit(1).executeTakeFirstOrThrow();
      expect(Date.parse(oldest.changed_at)).toBeLessThan(clock.now().getTime() - 90 * 86_400_000);
    } finally {
      await services.close();
    }
  });

  it('produces the same data for the same clock', async () => {
    const fingerprints: string[] = [];
    for (let i = 0; i < 2; i++) {
      const db = await createTestDb(engine);
      const services = assembleServices({ db, taxonomy: makeTaxonomy(), clock: fixedClock() });
      try {
        await seedDemoData(services, { customersPerPartner: 12 });
        const rows = await db.kysely.selectFrom('entitlements').select(['code', 'note', 'since']).orderBy('id').limit(200).execute();
        fingerprints.push(JSON.stringify(rows));
      } finally {
        await services.close();
      }
    }
    expect(fingerprints[0]).toBe(fingerprints[1]);
  });

  it('leaves a database with other partners or users alone and reports no demo logins for it', async () => {
    const db = await createTestDb(engine);
    const services = assembleServices({ db, taxonomy: makeTaxonomy(), clock: fixedClock() });
    try {
      await createUser(services.tracker, SYSTEM_ACTOR, { email: 'root@example.com', name: 'Root', role: 'admin', partnerId: null, password: 'root-password' });
      const usersOnly = await seedDemoData(services, { customersPerPartner: 2 });
      expect(usersOnly).toMatchObject({ seeded: false, state: 'other-data', logins: [] });
      await createPartner(services.tracker, SYSTEM_ACTOR, { name: 'Acme' });
      expect(await seedDemoData(services, { customersPerPartner: 2 })).toMatchObject({ seeded: false, state: 'other-data', logins: [] });
      expect(await db.kysely.selectFrom('customers').select('id').execute()).toEqual([]);
      expect((await db.kysely.selectFrom('users').select('email').execute()).map((u) => u.email)).toEqual(['root@example.com']);
    } finally {
      await services.close();
    }
  });

  it('on a second run lists only the demo logins that still sign in with the demo password', async () => {
    const db = await createTestDb(engine);
    const services = assembleServices({ db, taxonomy: makeTaxonomy(), clock: fixedClock() });
    try {
      const first = await seedDemoData(services, { customersPerPartner: 2 });
      expect(first.state).toBe('seeded');
      const id = async (email: string) => (await db.kysely.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
      await updateUser(services.tracker, SYSTEM_ACTOR, await id('viewer@harbor.example'), { disabled: true });
      await setUserPassword(services.tracker, SYSTEM_ACTOR, await id('editor@harbor.example'), 'a changed password');
      const second = await seedDemoData(services, { customersPerPartner: 2 });
      expect(second.state).toBe('present');
      expect(second.logins.map((l) => l.email)).toEqual(first.logins.map((l) => l.email).filter((e) => e !== 'viewer@harbor.example' && e !== 'editor@harbor.example'));
    } finally {
      await services.close();
    }
  });
});
