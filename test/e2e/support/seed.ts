/**
 * A small, deterministic portfolio for browser tests: one partner, a manager and an editor who sign in
 * with passwords, a few customers (one split by region) and statuses with some history. Notes are
 * written for these tests. `extraEntitlements` adds generated customers for the portfolio bench.
 */
import type { Services } from '../../../src/app/index.js';
import { SYSTEM_ACTOR, createCustomer, createPartner, createUser, addEntitlement, listEntitlements, updateStatus, type Actor } from '../../../src/tracker/index.js';

export interface E2eLogin {
  email: string;
  password: string;
  name: string;
}

export interface E2eWorld {
  partnerId: number;
  manager: E2eLogin;
  editor: E2eLogin;
  viewer: E2eLogin;
  /** Customer ids by short key. */
  customers: { harbour: number; lindqvist: number; orchard: number };
  /** Entitlement ids by purpose. */
  entitlements: { triageTarget: number; ruleTarget: number; conflictTarget: number; blocked: number };
  editorActor: Actor;
}

const DAY = 86_400_000;

/** `YYYY-MM-DD`, `days` from `now`. */
export function addDays(now: Date, days: number): string {
  return new Date(now.getTime() + days * DAY).toISOString().slice(0, 10);
}

const ALL_WORKLOADS = [
  'exchange-online', 'outlook-mobile', 'sharepoint-online', 'onedrive', 'microsoft-365-apps', 'teams', 'yammer', 'windows',
  'intune', 'azure-ad-premium', 'information-protection', 'cloud-app-security', 'identity-security', 'project-online', 'defender', 'school-data-sync',
];

export async function seedE2e(services: Services, options: { extraEntitlements: number }): Promise<E2eWorld> {
  const ctx = services.tracker;
  const now = services.clock.now();
  const partner = await createPartner(ctx, SYSTEM_ACTOR, { name: 'Tidewater Cloud Partners' });
  const manager = { email: 'maria.manager@tidewater.test', password: 'manager-pass-2026', name: 'Maria Okafor' };
  const editor = { email: 'eddie.editor@tidewater.test', password: 'editor-pass-2026', name: 'Eddie Ramires' };
  const viewer = { email: 'vera.viewer@tidewater.test', password: 'viewer-pass-2026', name: 'Vera Lind' };
  await createUser(ctx, SYSTEM_ACTOR, { ...manager, role: 'manager', partnerId: partner.id });
  const editorUser = await createUser(ctx, SYSTEM_ACTOR, { ...editor, role: 'editor', partnerId: partner.id });
  await createUser(ctx, SYSTEM_ACTOR, { ...viewer, role: 'viewer', partnerId: partner.id });
  const editorActor: Actor = { userId: editorUser.id, name: editor.name, role: 'editor', partnerId: partner.id };

  const harbour = await createCustomer(ctx, SYSTEM_ACTOR, { tenantId: 'harbour-logistics.example', name: 'Harbour Logistics', partnerId: partner.id, managed: true, region: 'EMEA', workloads: ['exchange-online', 'teams', 'intune', 'sharepoint-online'] });
  const lindqvist = await createCustomer(ctx, SYSTEM_ACTOR, { tenantId: 'lindqvist-dental.example', name: 'Lindqvist Dental Group', partnerId: partner.id, managed: false, region: 'EMEA', workloads: ['teams', 'onedrive', 'defender'] });
  const orchard = await createCustomer(ctx, SYSTEM_ACTOR, { tenantId: 'orchard-schools.example', name: 'Orchard Valley Schools', partnerId: partner.id, managed: true, region: 'Americas', workloads: ['school-data-sync', 'exchange-online'] });
  await addEntitlement(ctx, SYSTEM_ACTOR, { customerId: harbour.id, workload: 'teams', part: 'Nordic subsidiary' });

  const items: Awaited<ReturnType<typeof listEntitlements>>['items'] = [];
  for (const customerId of [harbour.id, lindqvist.id, orchard.id]) items.push(...(await listEntitlements(ctx, SYSTEM_ACTOR, { customerId, pageSize: 100 })).items);
  const find = (customerId: number, workload: string, part = '') => {
    const e = items.find((x) => x.customerId === customerId && x.workload === workload && x.part === part);
    if (!e) throw new Error(`seed: no entitlement ${customerId}/${workload}/${part}`);
    return e;
  };
  const set = async (customerId: number, workload: string, input: Parameters<typeof updateStatus>[4], part = '') => {
    const e = find(customerId, workload, part);
    const result = await updateStatus(ctx, editorActor, e.id, e.version, input);
    Object.assign(e, result.entitlement);
    return result.entitlement.id;
  };

  await set(harbour.id, 'exchange-online', { l1: 'In Progress', l2: 'Technical Onboarding and Deployment', note: 'Hybrid connectors are being installed this month; mail flow cut-over is planned after the pilot group.', targetDate: addDays(now, 60) });
  await set(harbour.id, 'exchange-online', { l1: 'In Progress', l2: 'Migration', note: 'Mailboxes move in three waves, finance first; two waves are done and the last one is scheduled.', targetDate: addDays(now, 45) });
  const blocked = await set(harbour.id, 'teams', {
    l1: 'Blocked',
    l2: 'Customer IT Infrastructure and Remediation',
    note: 'The warehouse proxy drops real-time media traffic, so calls fail; the network team must open the ports first.',
    projectedUnblockDate: addDays(now, 30),
  });
  await set(harbour.id, 'teams', { l1: 'In Progress', l2: 'Solution or User Adoption', note: 'Teams works in the Nordic offices; champions run weekly drop-in sessions to grow daily use.', targetDate: addDays(now, 90) }, 'Nordic subsidiary');
  await set(lindqvist.id, 'defender', { l1: 'No Intent', l2: 'Using Competitive Solution', note: 'The clinics renewed a three-year contract with another endpoint security vendor and will not switch before it ends.' });
  await set(lindqvist.id, 'onedrive', {
    l1: 'Blocked',
    l2: 'Legal/Regulatory',
    note: 'Patient records may not leave the national data centre under the health authority rules, so file sync waits for local hosting.',
    projectedUnblockDate: addDays(now, 120),
  });
  await set(orchard.id, 'exchange-online', { l1: 'Status Unknown', l2: 'Customer Unresponsive', note: 'Three emails and two calls to the IT lead over four weeks got no answer; managed account, escalated to the account manager.' });

  for (let made = 0, n = 0; made < options.extraEntitlements; n++) {
    const count = Math.min(ALL_WORKLOADS.length, options.extraEntitlements - made);
    await createCustomer(ctx, SYSTEM_ACTOR, { tenantId: `bench-${n}.example`, name: `Bench Customer ${String(n).padStart(5, '0')}`, partnerId: partner.id, managed: n % 2 === 0, region: null, workloads: ALL_WORKLOADS.slice(0, count) });
    made += count;
  }

  return {
    partnerId: partner.id,
    manager,
    editor,
    viewer,
    customers: { harbour: harbour.id, lindqvist: lindqvist.id, orchard: orchard.id },
    entitlements: {
      triageTarget: find(harbour.id, 'intune').id,
      ruleTarget: find(harbour.id, 'sharepoint-online').id,
      conflictTarget: find(lindqvist.id, 'teams').id,
      blocked,
    },
    editorActor,
  };
}
