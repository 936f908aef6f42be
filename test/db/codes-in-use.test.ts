/** Stored entitlements whose codes a new playbook no longer defines: warned about at startup and in the playbook's problems. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assembleServices, checkStoredCodes, loadPlaybook, type Services } from '../../src/app/index.js';
import { parsePlaybook, type Playbook } from '../../src/playbook/index.js';
import { findCodesOutsideTaxonomy } from '../../src/reports/index.js';
import { SYSTEM_ACTOR, createCustomer, createPartner, listEntitlements, updateStatus } from '../../src/tracker/index.js';
import { createTestDb, ENGINES, fakeNoteCoach, fixedClock } from '../factories.js';

const root = path.resolve(import.meta.dirname, '..', '..');

/** The built-in pages with the Service Reliability title mistyped. */
function mistypedPlaybook(): Playbook {
  const dir = path.join(root, 'playbooks');
  const sources = readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => ({ file: `custom/${f}`, text: readFileSync(path.join(dir, f), 'utf8') }));
  const page = sources.find((s) => s.file.endsWith('blocked--service-reliability.md'))!;
  page.text = page.text.replace('title: Blocked - Service Reliability', 'title: Blocked - Service Reliabilty');
  return parsePlaybook(sources);
}

describe.each(ENGINES)('codes in use that the playbook does not define, on %s', (engine) => {
  let services: Services;

  beforeAll(async () => {
    const builtin = await loadPlaybook();
    services = assembleServices({ db: await createTestDb(engine), taxonomy: builtin.taxonomy, clock: fixedClock('2026-03-02T10:00:00.000Z'), noteCoach: fakeNoteCoach });
    const ctx = services.tracker;
    const partner = await createPartner(ctx, SYSTEM_ACTOR, { name: 'Harbor' });
    const customer = await createCustomer(ctx, SYSTEM_ACTOR, { tenantId: 'h1', name: 'Harbor One', partnerId: partner.id, workloads: ['teams', 'intune', 'exchange-online'] });
    const items = (await listEntitlements(ctx, SYSTEM_ACTOR, { customerId: customer.id })).items;
    for (const e of items.slice(0, 2)) {
      await updateStatus(ctx, SYSTEM_ACTOR, e.id, e.version, { code: 'blocked/service-reliability', note: 'Two long Teams outages last quarter; the board will not move calls until the service holds up.', projectedUnblockDate: '2026-05-01' });
    }
  });
  afterAll(async () => services?.close());

  it('finds nothing when the playbook defines every stored code', async () => {
    expect(await findCodesOutsideTaxonomy(services.db.kysely, services.taxonomy())).toEqual([]);
    const { problems, lines } = await checkStoredCodes(services.db, await loadPlaybook(), 'playbooks');
    expect([problems, lines]).toEqual([[], []]);
  });

  it('counts each missing code and names the defined code spelled closest', async () => {
    const playbook = mistypedPlaybook();
    expect(await findCodesOutsideTaxonomy(services.db.kysely, playbook.taxonomy)).toEqual([
      { code: 'blocked/service-reliability', l1: 'Blocked', l2: 'Service Reliability', count: 2, nearest: 'blocked/service-reliabilty' },
    ]);
    const { problems, lines } = await checkStoredCodes(services.db, playbook, 'custom');
    expect(lines).toEqual([expect.stringMatching(/^Warning: 2 stored entitlement\(s\) use blocked\/service-reliability, which this playbook does not define.*blocked\/service-reliabilty/)]);
    expect(problems.map((p) => `${p.file}:${p.line}:${p.column} ${p.severity} ${p.code}`).sort()).toEqual([
      // Both at the mistyped title.
      'custom/blocked--service-reliability.md:2:8 warning PLAYBOOK_CODE_FILE_MISMATCH',
      'custom/blocked--service-reliability.md:2:8 warning PLAYBOOK_CODE_IN_USE_MISSING',
    ]);
    expect(problems.find((p) => p.code === 'PLAYBOOK_CODE_FILE_MISMATCH')?.message).toMatch(/Did you mean blocked\/service-reliability\b/);
  });
});
