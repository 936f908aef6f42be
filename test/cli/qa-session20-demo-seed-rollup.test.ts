/**
 * The demo seed gathers the roll-ups of every customer's history and writes them once at its end
 * (RollupBatch) instead of once per customer: the roll-ups it leaves are those of its history.
 */
import { describe, it } from 'vitest';
import { assembleServices, seedDemoData } from '../../src/app/index.js';
import { createTestDb, ENGINES, fakeClassifier, fakeNoteCoach, fixedClock, makeTaxonomy } from '../factories.js';
import { expectRollupsRight } from './rollup-check.js';

describe.each(ENGINES)('demo seed roll-ups on %s', (engine) => {
  it('are those of the seeded history', async () => {
    const services = assembleServices({ db: await createTestDb(engine), taxonomy: makeTaxonomy(), clock: fixedClock(), classifier: fakeClassifier, noteCoach: fakeNoteCoach });
    try {
      await seedDemoData(services, { customersPerPartner: 5 });
      await expectRollupsRight(services.db);
    } finally {
      await services.close();
    }
  });
});
