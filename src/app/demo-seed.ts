/**
 * Demo data for `npm start`: partners, users, a few hundred customers on every workload and months of
 * status history with notes across every code. Deterministic for a given `now` (seeded PRNG), and
 * written once: a database that already has partners or users is left alone.
 */
import type { NewHistoryRow, Role } from '../db/index.js';
import { WORKLOAD_CATALOGUE } from '../db/index.js';
import { hashPassword, initialStatus, RollupBatch, verifyPassword, type CodeSuggestion, type NoteGrade, type StatusSnapshot } from '../tracker/index.js';
import type { Taxonomy, TaxonomyCode } from '../taxonomy/types.js';
import { DEMO_NOTES, WEAK_NOTES } from './demo-notes.js';
import type { Services } from './services.js';
import { createRandom, nameKey } from '../lib/index.js';

/** A demo login printed by `serve --demo`. */
/** The demo admin's login: its presence marks a database that holds the demo data (GET /api/health's demoData). */
export const DEMO_ADMIN_EMAIL = 'admin@unblock.example';

export interface DemoLogin {
  email: string;
  password: string;
  role: Role;
  partner: string | null;
}

export interface SeedResult {
  /** False when the database already held data and nothing was written. */
  seeded: boolean;
  /**
   * `seeded`: written now. `present`: the demo data is already there (its users exist).
   * `other-data`: the database holds other partners or users, so nothing was written.
   */
  state: 'seeded' | 'present' | 'other-data';
  /** The demo logins that exist in the database (none for `other-data`). */
  logins: DemoLogin[];
  /** `codes`: how many distinct codes of the loaded taxonomy the seeded history uses (0 when nothing was written). */
  counts: { partners: number; customers: number; entitlements: number; history: number; codes: number };
}

const DAY_MS = 86_400_000;
const PARTNERS = [
  { name: 'Harbor Cloud Partners', domain: 'harbor.example', owners: ['Maya Lindqvist', 'Tomas Reyes', 'Aisha Okafor'] },
  { name: 'Meridian IT Services', domain: 'meridian.example', owners: ['Jonas Weber', 'Priya Raman', 'Lucas Moreau'] },
  { name: 'Northgate Consulting', domain: 'northgate.example', owners: ['Emma Sato', 'Daniel Kowalski', 'Fatima Haddad'] },
  { name: 'Bluefield Digital', domain: 'bluefield.example', owners: ['Oliver Grant', 'Sofia Rossi', 'Kwame Mensah'] },
] as const;
const CUSTOMERS_PER_PARTNER = 80;
const NAME_A = ['Alder', 'Birchwood', 'Cobalt', 'Dunmore', 'Elmstead', 'Fairhaven', 'Granite', 'Hollis', 'Ironbridge', 'Juniper', 'Kestrel', 'Larkspur', 'Marlow', 'Norbury', 'Oakridge', 'Pinecrest', 'Quarry', 'Redfern', 'Silverton', 'Thornbury', 'Upland', 'Valemont', 'Westbrook', 'Yarrow'];
const NAME_B = ['Logistics', 'Health', 'Foods', 'Engineering', 'Insurance', 'Retail', 'Energy', 'Pharma', 'Bank', 'Manufacturing', 'Schools', 'Municipality', 'Hotels', 'Law', 'Media', 'Telecom', 'Freight', 'Textiles'];
const REGIONS = ['EMEA', 'Americas', 'APAC'];
const BUSINESS_REASONS = ['End of life of existing IT', 'Security', 'Service quality', 'Availability', 'Hardware cost', 'Maintenance overhead', 'Savings', 'Collaboration', 'Business process transformation', 'Shared knowledge', 'Front-line workers', 'Partners and suppliers', 'Work from anywhere', 'Insights from data'];
const NEXT_ACTIONS = ['Call the IT lead to confirm dates', 'Send the readiness checklist', 'Review progress in the weekly sync', 'Escalate to the account team', 'Share the pilot report', 'Book a workshop with the business sponsor'];
const TEAMS = ['the IT lead', 'the service desk', 'our delivery team', 'the network team', 'the CIO office'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

type Next = [string, number][];
/** Plausible moves between codes; a prefix `blocked/*` or `no-intent/*` means any code under that L1. */
const MOVES: Record<string, Next> = {
  'status-unknown/new-subscription-or-workload': [['in-progress/technical-onboarding-and-deployment', 45], ['status-unknown/customer-unresponsive', 20], ['blocked/*', 15], ['no-intent/*', 10], ['', 10]],
  'status-unknown/customer-unresponsive': [['in-progress/technical-onboarding-and-deployment', 40], ['no-intent/*', 20], ['', 40]],
  'in-progress/technical-onboarding-and-deployment': [['in-progress/migration', 35], ['blocked/*', 25], ['in-progress/solution-or-user-adoption', 15], ['', 25]],
  'in-progress/migration': [['in-progress/solution-or-user-adoption', 45], ['blocked/*', 20], ['', 35]],
  'in-progress/solution-or-user-adoption': [['', 100]],
  'blocked/*': [['in-progress/technical-onboarding-and-deployment', 30], ['in-progress/migration', 20], ['no-intent/*', 10], ['', 40]],
  'no-intent/*': [['in-progress/technical-onboarding-and-deployment', 15], ['', 85]],
};

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Seeds the demo data unless the database already has partners or users. `customersPerPartner` defaults to 80. */
export async function seedDemoData(services: Services, options: { log?: (message: string) => void; customersPerPartner?: number } = {}): Promise<SeedResult> {
  const db = services.db.kysely;
  const logins: DemoLogin[] = [{ email: DEMO_ADMIN_EMAIL, password: 'admin-demo-pass', role: 'admin', partner: null }];
  for (const p of PARTNERS) {
    for (const role of ['manager', 'editor', 'viewer'] as const) logins.push({ email: `${role}@${p.domain}`, password: `${role}-demo-pass`, role, partner: p.name });
  }
  const partnersThere = await db.selectFrom('partners').select('id').limit(1).execute();
  const usersThere = await db.selectFrom('users').select(['email', 'disabled', 'password_hash']).execute();
  if (partnersThere.length > 0 || usersThere.length > 0) {
    // Only the demo logins that really exist and still sign in with the demo password are worth printing.
    const byEmail = new Map(usersThere.map((u) => [u.email, u]));
    const demoThere = logins.some((l) => byEmail.has(l.email));
    const usable = await Promise.all(logins.map(async (l) => {
      const user = byEmail.get(l.email);
      return user !== undefined && !user.disabled && (await verifyPassword(l.password, user.password_hash));
    }));
    return {
      seeded: false,
      state: demoThere ? 'present' : 'other-data',
      logins: logins.filter((_, i) => usable[i]),
      counts: { partners: 0, customers: 0, entitlements: 0, history: 0, codes: 0 },
    };
  }

  const now = services.clock.now();
  const nowMs = now.getTime();
  const taxonomy = services.taxonomy();
  const random = createRandom(20260301);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const between = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  // Only codes of the loaded taxonomy are written: a page set may define a few codes, or other L1s
  // than the built-in playbook's, so every code the moves below name is looked up in it first.
  const codesUnder = (l1Slug: string) => taxonomy.codes.filter((c) => c.id.startsWith(`${l1Slug}/`));
  const codeById = new Map(taxonomy.codes.map((c) => [c.id, c]));
  const invalidCode = findInvalidCode(taxonomy);
  const ordinary = taxonomy.codes.filter((c) => c !== invalidCode);
  const start = startStatus(taxonomy, codeById, ordinary);
  // Codes under L1s the moves below do not name (a page set's own L1s): they stand in for a named code the page set lacks.
  const knownL1s = new Set([...Object.keys(MOVES), ...Object.values(MOVES).flatMap((next) => next.map(([target]) => target))].map((id) => id.split('/')[0]!));
  const unnamed = ordinary.filter((c) => !knownL1s.has(c.id.split('/')[0]!));
  const chooseNext = (current: string): TaxonomyCode | null => {
    const key = MOVES[current] ? current : current.startsWith('blocked/') ? 'blocked/*' : current.startsWith('no-intent/') ? 'no-intent/*' : '';
    // A code the moves do not know (another L1 of this page set): on to any other code, or stay.
    const others = ordinary.filter((c) => c.id !== current);
    const options: Next = MOVES[key] ?? (others.length > 0 ? [['*', 40], ['', 60]] : [['', 1]]);
    let roll = random() * options.reduce((s, [, w]) => s + w, 0);
    for (const [target, weight] of options) {
      roll -= weight;
      if (roll > 0) continue;
      if (target === '') return null;
      if (target === '*') return pick(others);
      if (target.endsWith('/*')) {
        const under = codesUnder(target.slice(0, -2));
        const stand = under.length > 0 ? under : unnamed.filter((c) => c.id !== current);
        return stand.length > 0 ? pick(stand) : null;
      }
      // A code this page set lacks: another code under the same L1, else one of the page set's own L1s, else no move.
      const found = codeById.get(target);
      if (found) return found;
      const under = codesUnder(target.split('/')[0]!).filter((c) => c.id !== current);
      const stand = under.length > 0 ? under : unnamed.filter((c) => c.id !== current);
      return stand.length > 0 ? pick(stand) : null;
    }
    return null;
  };
  const passwordHashes = new Map<string, string>();
  const hashes = await Promise.all(logins.map((login) => hashPassword(login.password)));
  logins.forEach((login, i) => passwordHashes.set(login.email, hashes[i]!));

  const gradeCache = new Map<string, NoteGrade | null>();
  const suggestCache = new Map<string, CodeSuggestion | null>();
  const advise = async (note: string, code: { l1: string; l2: string | null }) => {
    if (note === '') return { grade: null, suggestion: null };
    const key = `${code.l1}|${code.l2}|${note}`;
    if (!gradeCache.has(key)) gradeCache.set(key, services.tracker.advisor.grade ? await services.tracker.advisor.grade(note, code) : null);
    if (!suggestCache.has(note)) suggestCache.set(note, services.tracker.advisor.suggest ? await services.tracker.advisor.suggest(note) : null);
    return { grade: gradeCache.get(key) ?? null, suggestion: suggestCache.get(note) ?? null };
  };

  const counts = { partners: 0, customers: 0, entitlements: 0, history: 0, codes: 0 };
  const codesUsed = new Set<string>();
  await db.transaction().execute(async (trx) => {
    const nowIso = now.toISOString();
    await trx.insertInto('users').values({ email: logins[0]!.email, name: 'Demo Admin', role: 'admin', partner_id: null, password_hash: passwordHashes.get(logins[0]!.email)!, disabled: 0, created_at: nowIso }).execute();
    let tenantCounter = 0;
    // The roll-ups of every customer's history, summed here and written once at the end (one upsert
    // per roll-up row instead of one per customer; see RollupBatch).
    const rollup = new RollupBatch();
    for (const [pi, p] of PARTNERS.entries()) {
      const partner = await trx.insertInto('partners').values({ name: p.name, created_at: new Date(nowMs - 300 * DAY_MS).toISOString() }).returning('id').executeTakeFirstOrThrow();
      counts.partners++;
      const userIds: { id: number; name: string }[] = [];
      for (const role of ['manager', 'editor', 'viewer'] as const) {
        const email = `${role}@${p.domain}`;
        const name = role === 'viewer' ? `${p.name} Viewer` : p.owners[role === 'manager' ? 0 : 1];
        const u = await trx.insertInto('users').values({ email, name, role, partner_id: partner.id, password_hash: passwordHashes.get(email)!, disabled: 0, created_at: nowIso }).returning('id').executeTakeFirstOrThrow();
        if (role !== 'viewer') userIds.push({ id: u.id, name });
      }
      for (let ci = 0; ci < (options.customersPerPartner ?? CUSTOMERS_PER_PARTNER); ci++) {
        tenantCounter++;
        const createdMs = nowMs - between(120, 270) * DAY_MS;
        const name = `${pick(NAME_A)} ${pick(NAME_B)}${random() < 0.3 ? ` ${pick(['Group', 'Ltd', 'AG', 'SA', 'Inc'])}` : ''}`;
        const tenantId = `${(pi + 1).toString(16)}${tenantCounter.toString(16).padStart(7, '0')}-demo-${Math.floor(random() * 0xffff).toString(16).padStart(4, '0')}`;
        const customer = await trx
          .insertInto('customers')
          .values({ partner_id: partner.id, tenant_id: tenantId, name, name_key: nameKey(name), managed: random() < 0.6 ? 1 : 0, region: pick(REGIONS), created_at: new Date(createdMs).toISOString(), updated_at: nowIso })
          .returning('id')
          .executeTakeFirstOrThrow();
        counts.customers++;
        const duplicate = random() < 0.025;
        const split = random() < 0.06;
        const workloads = WORKLOAD_CATALOGUE.map((w, index) => ({ ...w, id: index + 1 })).filter((w, index) => index < 2 || random() < 0.6);
        // With no code to start from (a taxonomy of no codes), customers get no entitlements.
        const entries = start === null ? [] : workloads.flatMap((w) => (split && w.slug === 'exchange-online' ? ['EMEA', 'Americas'].map((part) => ({ w, part })) : [{ w, part: '' }]));
        const sims = [];
        for (const { w, part } of entries) {
          const result = await simulateEntitlement({ taxonomy, start: start!, invalidCode, random, pick, between, chooseNext, advise, nowMs, createdMs, workload: w.name, owners: p.owners, duplicate, codeById });
          sims.push({ w, part, result, updater: pick(userIds) });
        }
        if (sims.length === 0) continue;
        const inserted = await trx
          .insertInto('entitlements')
          .values(
            sims.map(({ w, part, result, updater }) => {
              const last = result.events[result.events.length - 1]!;
              return {
                customer_id: customer.id, partner_id: partner.id, workload_id: w.id, part,
                code: last.after.code, l1: last.after.l1, l2: last.after.l2, l3: null, taxonomy_version: last.after.taxonomyVersion, note: last.after.note,
                target_date: last.after.targetDate, engagement_start_date: last.after.engagementStartDate, business_reason: last.after.businessReason, owner: last.after.owner,
                next_action: last.after.nextAction, next_action_date: last.after.nextActionDate, projected_unblock_date: last.after.projectedUnblockDate,
                note_grade: last.grade?.grade ?? null, version: result.events.length, updated_by: result.events.length > 1 ? updater.id : null,
                updated_at: new Date(last.at).toISOString(), since: new Date(result.sinceMs).toISOString(), created_at: new Date(createdMs).toISOString(),
              };
            }),
          )
          .returning(['id', 'workload_id', 'part'])
          .execute();
        const idOf = new Map(inserted.map((r) => [`${r.workload_id}|${r.part}`, r.id]));
        counts.entitlements += inserted.length;
        const history: NewHistoryRow[] = sims.flatMap(({ w, part, result, updater }) =>
          result.events.map((ev, i) => ({
            entitlement_id: idOf.get(`${w.id}|${part}`)!, partner_id: partner.id, kind: i === 0 ? 'create' : ev.kind, changed_by: i === 0 ? null : updater.id, changed_by_name: i === 0 ? 'system' : updater.name,
            changed_at: new Date(ev.at).toISOString(), from_code: ev.before?.code ?? null, to_code: ev.after.code, days_in_previous: ev.daysInPrevious,
            before_json: ev.before ? JSON.stringify(ev.before) : null, after_json: JSON.stringify(ev.after), note_grade: ev.grade?.grade ?? null, note_score: ev.grade?.score ?? null,
            suggestion_json: ev.suggestion ? JSON.stringify(ev.suggestion) : null, suggested_code: ev.suggestion?.code ?? null,
          })),
        );
        for (const row of history) codesUsed.add(row.to_code);
        await trx.insertInto('status_history').values(history).execute();
        // The workloads are at hand: the batch need not read them back.
        await rollup.add(trx, history, new Map(inserted.map((r) => [r.id, r.workload_id])));
        counts.history += history.length;
      }
      options.log?.(`Seeded ${p.name}`);
    }
    await rollup.write(trx);
  });
  counts.codes = codesUsed.size;
  return { seeded: true, state: 'seeded', logins, counts };
}

/** The taxonomy's Duplicate/Invalid code, if it has one. */
function findInvalidCode(taxonomy: Taxonomy): TaxonomyCode | undefined {
  return taxonomy.codes.find((c) => c.id === 'duplicate-invalid' || c.l1 === 'Duplicate/Invalid');
}

/**
 * The status a demo entitlement starts in: the tracker's starting code (Status Unknown / New
 * Subscription or Workload) when the taxonomy has it, else its first code other than
 * Duplicate/Invalid, else its first code; null for a taxonomy of no codes.
 */
function startStatus(taxonomy: Taxonomy, codeById: Map<string, TaxonomyCode>, ordinary: readonly TaxonomyCode[]): StatusSnapshot | null {
  const usual = initialStatus(taxonomy);
  if (codeById.has(usual.code)) return usual;
  const code = ordinary[0] ?? taxonomy.codes[0];
  return code === undefined ? null : { ...usual, code: code.id, l1: code.l1, l2: code.l2 };
}

interface SimEvent {
  at: number;
  kind: 'create' | 'update' | 'duplicate-invalid';
  before: StatusSnapshot | null;
  after: StatusSnapshot;
  daysInPrevious: number | null;
  grade: NoteGrade | null;
  suggestion: CodeSuggestion | null;
}

async function simulateEntitlement(s: {
  taxonomy: Taxonomy;
  start: StatusSnapshot;
  invalidCode: TaxonomyCode | undefined;
  random: () => number;
  pick: <T>(items: readonly T[]) => T;
  between: (lo: number, hi: number) => number;
  chooseNext: (current: string) => TaxonomyCode | null;
  advise: (note: string, code: { l1: string; l2: string | null }) => Promise<{ grade: NoteGrade | null; suggestion: CodeSuggestion | null }>;
  nowMs: number;
  createdMs: number;
  workload: string;
  owners: readonly string[];
  duplicate: boolean;
  codeById: Map<string, TaxonomyCode>;
}): Promise<{ events: SimEvent[]; sinceMs: number }> {
  const first = s.start;
  const events: SimEvent[] = [{ at: s.createdMs, kind: 'create', before: null, after: first, daysInPrevious: null, grade: null, suggestion: null }];
  let current = first;
  let at = s.createdMs;
  let sinceMs = s.createdMs;
  const steps = s.between(0, 4);
  const fill = (template: string) =>
    template.replace(/\{w\}/g, s.workload).replace(/\{n\}/g, () => String(s.between(2, 9))).replace(/\{team\}/g, () => s.pick(TEAMS)).replace(/\{m\}/g, () => s.pick(MONTHS));
  const move = async (code: TaxonomyCode, atMs: number, isLast: boolean, kind: SimEvent['kind']) => {
    const kindOf = code.id.split('/')[0];
    const weak = (kindOf === 'in-progress' || kindOf === 'status-unknown') && s.random() < 0.15;
    const note = weak ? s.pick(WEAK_NOTES) : fill(s.pick(DEMO_NOTES[code.id] ?? ['Status reviewed with the customer; details in the account plan.']));
    const target = kindOf === 'in-progress' ? Math.max(atMs + s.between(60, 200) * DAY_MS, isLast ? s.nowMs + s.between(20, 150) * DAY_MS : 0) : null;
    const unblock = kindOf === 'blocked' ? Math.max(atMs + s.between(20, 90) * DAY_MS, isLast ? s.nowMs + s.between(3, 120) * DAY_MS : 0) : null;
    const nextActionMs = isLast ? s.nowMs + s.between(1, 45) * DAY_MS : atMs + s.between(3, 20) * DAY_MS;
    const after: StatusSnapshot = {
      code: code.id, l1: code.l1, l2: code.l2, l3: null, taxonomyVersion: s.taxonomy.version, note,
      targetDate: target === null ? null : isoDate(target),
      engagementStartDate: kindOf === 'in-progress' ? isoDate(atMs - s.between(0, 20) * DAY_MS) : current.engagementStartDate,
      businessReason: kindOf === 'in-progress' || kindOf === 'blocked' ? (current.businessReason ?? s.pick(BUSINESS_REASONS)) : current.businessReason,
      owner: kindOf === 'no-intent' ? 'Account team' : s.pick(s.owners),
      nextAction: kindOf === 'duplicate-invalid' ? null : s.pick(NEXT_ACTIONS),
      nextActionDate: kindOf === 'duplicate-invalid' ? null : isoDate(nextActionMs),
      projectedUnblockDate: unblock === null ? null : isoDate(unblock),
    };
    const advice = await s.advise(note, code);
    const changed = after.code !== current.code;
    events.push({ at: atMs, kind, before: current, after, daysInPrevious: changed ? Math.floor((atMs - sinceMs) / DAY_MS) : null, ...advice });
    if (changed) sinceMs = atMs;
    current = after;
  };
  for (let i = 0; i < steps; i++) {
    const nextAt = at + s.between(10, 60) * DAY_MS;
    if (nextAt >= s.nowMs - DAY_MS) break;
    const next = s.chooseNext(current.code);
    const code = next ?? s.codeById.get(current.code);
    if (!code) break;
    const isLast = i === steps - 1 || nextAt + 10 * DAY_MS >= s.nowMs - DAY_MS;
    await move(code, nextAt, isLast && !s.duplicate, 'update');
    at = nextAt;
  }
  const lastAfter = events[events.length - 1]!.after;
  // A page set without Status Unknown starts entitlements on a code whose rules want dates and a
  // note: one that never moved gets them now, as a user would give them.
  const bareStart = events.length === 1 && first.code.split('/')[0] !== 'status-unknown';
  const needsRefresh = bareStart || (lastAfter.nextActionDate !== null && Date.parse(lastAfter.nextActionDate) < s.nowMs) || (lastAfter.targetDate !== null && Date.parse(lastAfter.targetDate) <= s.nowMs) || (lastAfter.projectedUnblockDate !== null && Date.parse(lastAfter.projectedUnblockDate) < s.nowMs);
  if (needsRefresh && !s.duplicate) {
    const code = s.codeById.get(lastAfter.code);
    if (code) await move(code, Math.min(s.nowMs - DAY_MS, at + s.between(5, 30) * DAY_MS), true, 'update');
  }
  if (s.duplicate) {
    const dup = s.invalidCode;
    if (dup) await move(dup, Math.min(s.nowMs - DAY_MS, Math.max(at + DAY_MS, s.nowMs - s.between(2, 20) * DAY_MS)), true, 'duplicate-invalid');
  }
  return { events, sinceMs };
}
