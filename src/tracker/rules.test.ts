import { describe, expect, it } from 'vitest';
import { isAppError } from '../lib/index.js';
import { makeTaxonomy } from '../../test/factories.js';
import { checkStatusRules, isExplainingNote, isIsoDate, kindOf, l1KindsOf, resolveStatusCode } from './rules.js';
import type { StatusSnapshot } from './types.js';

const taxonomy = makeTaxonomy();
const today = '2026-03-02';

function status(over: Partial<StatusSnapshot>): StatusSnapshot {
  return {
    code: 'x', l1: 'Status Unknown', l2: 'Customer Unresponsive', l3: null, taxonomyVersion: 'v', note: '', targetDate: null, engagementStartDate: null,
    businessReason: null, owner: null, nextAction: null, nextActionDate: null, projectedUnblockDate: null, ...over,
  };
}

const blockerNote = 'Proxy appliance strips authentication headers; network team must replace it before mailboxes can move.';

describe('checkStatusRules', () => {
  const cases: { name: string; status: Partial<StatusSnapshot>; rules: string[] }[] = [
    { name: 'status unknown with nothing else is fine', status: {}, rules: [] },
    { name: 'in progress without target date', status: { l1: 'In Progress', l2: 'Migration' }, rules: ['IN_PROGRESS_TARGET_DATE'] },
    { name: 'in progress with target date today', status: { l1: 'In Progress', l2: 'Migration', targetDate: today }, rules: ['IN_PROGRESS_TARGET_DATE'] },
    { name: 'in progress with future target date', status: { l1: 'In Progress', l2: 'Migration', targetDate: '2026-03-03' }, rules: [] },
    { name: 'in progress with an impossible date', status: { l1: 'In Progress', l2: 'Migration', targetDate: '2026-02-30' }, rules: ['DATE_FORMAT'] },
    { name: 'blocked with neither note nor date', status: { l1: 'Blocked', l2: 'Legal/Regulatory' }, rules: ['BLOCKED_NOTE', 'BLOCKED_UNBLOCK_DATE'] },
    { name: 'blocked with a bare-status note', status: { l1: 'Blocked', l2: 'Legal/Regulatory', note: 'Blocked - legal regulatory', projectedUnblockDate: '2026-04-01' }, rules: ['BLOCKED_NOTE'] },
    { name: 'blocked with a past unblock date', status: { l1: 'Blocked', l2: 'Legal/Regulatory', note: blockerNote, projectedUnblockDate: '2026-03-01' }, rules: ['BLOCKED_UNBLOCK_DATE'] },
    { name: 'blocked done right', status: { l1: 'Blocked', l2: 'Legal/Regulatory', note: blockerNote, projectedUnblockDate: today }, rules: [] },
    { name: 'no intent without reason', status: { l1: 'No Intent', l2: 'Executive Sponsorship', note: 'No intent' }, rules: ['NO_INTENT_NOTE'] },
    { name: 'no intent with reason', status: { l1: 'No Intent', l2: 'Executive Sponsorship', note: 'Board froze all new IT projects until the merger closes next year.' }, rules: [] },
    { name: 'duplicate/invalid outside the whole-customer operation', status: { l1: 'Duplicate/Invalid', l2: null }, rules: ['DUPLICATE_INVALID_WHOLE_CUSTOMER'] },
    { name: 'next action date in the past', status: { nextActionDate: '2026-01-01' }, rules: ['DATE_NOT_PAST'] },
  ];
  it.each(cases)('$name', ({ status: over, rules }) => {
    expect(checkStatusRules(status(over), { today }).map((v) => v.rule)).toEqual(rules);
  });

  it('does not re-judge an unchanged past unblock date', () => {
    const s = status({ l1: 'Blocked', l2: 'Legal/Regulatory', note: blockerNote, projectedUnblockDate: '2026-02-01' });
    expect(checkStatusRules(s, { today, before: s })).toEqual([]);
  });

  it('allows Duplicate/Invalid in the whole-customer operation', () => {
    expect(checkStatusRules(status({ l1: 'Duplicate/Invalid', l2: null }), { today, wholeCustomer: true })).toEqual([]);
  });

  it('lets an entitlement stay on its Duplicate/Invalid code alone, but not enter it or change code', () => {
    const duplicate = status({ code: 'duplicate-invalid', l1: 'Duplicate/Invalid', l2: null, note: 'Same tenant as Alder.' });
    const edited = { ...duplicate, note: 'Same tenant as Alder Foods; keep the older record.', owner: 'Maya' };
    expect(checkStatusRules(edited, { today, before: duplicate })).toEqual([]);
    const rules = (before: StatusSnapshot | null) => checkStatusRules(edited, { today, before }).map((v) => v.rule);
    expect(rules(null)).toEqual(['DUPLICATE_INVALID_WHOLE_CUSTOMER']);
    expect(rules(status({ code: 'status-unknown/customer-unresponsive' }))).toEqual(['DUPLICATE_INVALID_WHOLE_CUSTOMER']);
    // Another Duplicate/Invalid code (a playbook with reasons under it) is a new code: the whole customer again.
    expect(rules({ ...duplicate, code: 'duplicate-invalid/test-tenant', l2: 'Test tenant' })).toEqual(['DUPLICATE_INVALID_WHOLE_CUSTOMER']);
  });
});

describe('resolveStatusCode', () => {
  it('resolves ids and labels written differently', () => {
    expect(resolveStatusCode(taxonomy, { code: 'blocked/legal-regulatory' }).l2).toBe('Legal/Regulatory');
    expect(resolveStatusCode(taxonomy, { l1: 'blocked', l2: 'legal / regulatory' }).id).toBe('blocked/legal-regulatory');
    expect(resolveStatusCode(taxonomy, { l1: 'Duplicate/Invalid' }).id).toBe('duplicate-invalid');
  });

  const failures: { input: { code?: string; l1?: string; l2?: string | null }; code: string; rule?: string }[] = [
    { input: { code: 'blocked/nope' }, code: 'UNKNOWN_CODE' },
    { input: { l1: 'Paused' }, code: 'UNKNOWN_CODE' },
    { input: { l1: 'Blocked', l2: 'Nope' }, code: 'UNKNOWN_CODE' },
    { input: { l1: 'Blocked', l2: 'Migration' }, code: 'RULE_VIOLATION', rule: 'L2_BELONGS_TO_L1' },
    { input: { l1: 'Blocked' }, code: 'RULE_VIOLATION', rule: 'L2_REQUIRED' },
  ];
  it.each(failures)('rejects $input with $code', ({ input, code, rule }) => {
    try {
      resolveStatusCode(taxonomy, input);
      expect.unreachable();
    } catch (error) {
      expect(isAppError(error) && error.code).toBe(code);
      if (rule && isAppError(error)) expect((error.details as { violations: { rule: string }[] }).violations[0]?.rule).toBe(rule);
    }
  });
});

describe('resolveStatusCode: code next to l1/l2', () => {
  const rule = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      return isAppError(error) ? { code: error.code, rules: (error.details as { violations?: { rule: string }[] } | undefined)?.violations?.map((v) => v.rule), message: error.message } : error;
    }
    return null;
  };

  it('rejects a code that its l1/l2 contradict, as a rule violation', () => {
    const found = rule(() => resolveStatusCode(taxonomy, { code: 'in-progress/migration', l1: 'Blocked', l2: 'Legal/Regulatory' }));
    expect(found).toMatchObject({ code: 'RULE_VIOLATION', rules: ['CODE_MATCHES_LABELS'] });
    expect(rule(() => resolveStatusCode(taxonomy, { code: 'in-progress/migration', l1: 'No Intent' }))).toMatchObject({ code: 'RULE_VIOLATION' });
    expect(rule(() => resolveStatusCode(taxonomy, { code: 'in-progress/migration', l2: 'Solution or User Adoption' }))).toMatchObject({ rules: ['CODE_MATCHES_LABELS'] });
  });

  it('accepts a code with l1/l2 that agree, however they are written', () => {
    expect(resolveStatusCode(taxonomy, { code: 'blocked/legal-regulatory', l1: 'blocked', l2: 'Legal / Regulatory' }).id).toBe('blocked/legal-regulatory');
    expect(resolveStatusCode(taxonomy, { code: 'blocked/legal-regulatory', l1: 'Blocked' }).id).toBe('blocked/legal-regulatory');
    expect(resolveStatusCode(taxonomy, { code: 'duplicate-invalid', l1: 'Duplicate/Invalid', l2: null }).id).toBe('duplicate-invalid');
  });
});

describe('resolveStatusCode: an L2 under the wrong L1', () => {
  const messages = (fn: () => unknown): string[] => {
    try {
      fn();
    } catch (error) {
      if (!isAppError(error)) throw error;
      return [error.code, error.message, ...((error.details as { violations?: { message: string }[] } | undefined)?.violations ?? []).map((v) => v.message)];
    }
    return [];
  };

  it('names the L1 the reason really belongs to, never the one it was refused under', () => {
    // A page set where Service Reliability sits under No Intent.
    const moved = makeTaxonomy();
    const sr = moved.codes.find((c) => c.id === 'blocked/service-reliability')!;
    sr.l1 = 'No Intent';
    sr.id = 'no-intent/service-reliability';
    moved.l1s.find((n) => n.name === 'Blocked')!.codes = moved.l1s.find((n) => n.name === 'Blocked')!.codes.filter((id) => id !== 'blocked/service-reliability');
    moved.l1s.find((n) => n.name === 'No Intent')!.codes.push(sr.id);
    const [code, ...text] = messages(() => resolveStatusCode(moved, { l1: 'Blocked', l2: 'Service Reliability' }));
    expect(code).toBe('RULE_VIOLATION');
    expect(text.join(' ')).toMatch(/under No Intent/);
    expect(text.join(' ')).not.toMatch(/belongs to Blocked|under Blocked, not Blocked/);
  });

  it('accepts another name of one of the L1s own reasons, and calls an unknown one unknown', () => {
    // "Service Reliability" as an alias (e.g. an older page title) of a renamed Blocked reason.
    const renamed = makeTaxonomy();
    const sr = renamed.codes.find((c) => c.id === 'blocked/service-reliability')!;
    sr.l2 = 'Service Performance';
    sr.id = 'blocked/service-performance';
    const blocked = renamed.l1s.find((n) => n.name === 'Blocked')!;
    blocked.codes = blocked.codes.map((id) => (id === 'blocked/service-reliability' ? sr.id : id));
    renamed.labels = { 'service reliability': [sr.id], blocked: blocked.codes };
    expect(resolveStatusCode(renamed, { l1: 'Blocked', l2: 'Service Reliability' }).id).toBe('blocked/service-performance');
    const [code, message] = messages(() => resolveStatusCode(renamed, { l1: 'Blocked', l2: 'Uptime Worries' }));
    expect([code, message]).toEqual(['UNKNOWN_CODE', expect.stringMatching(/Unknown L2 "Uptime Worries" under Blocked/)]);
  });
});

describe('helpers', () => {
  it.each([
    ['2026-02-28', true],
    ['2024-02-29', true],
    ['2026-02-29', false],
    ['2026-13-01', false],
    ['26-01-01', false],
    ['2026-01-01T00:00:00Z', false],
  ])('isIsoDate(%s) = %s', (value, expected) => expect(isIsoDate(value)).toBe(expected));

  it('needs words beyond the status label', () => {
    expect(isExplainingNote('Blocked: App Compatibility', { l1: 'Blocked', l2: 'App Compatibility' })).toBe(false);
    expect(isExplainingNote('Their payroll add-in crashes in the new client build', { l1: 'Blocked', l2: 'App Compatibility' })).toBe(true);
  });
});

describe('checkStatusRules for L1s of a playbook\'s own (kinds from the taxonomy)', () => {
  const own = {
    l1s: [
      ...taxonomy.l1s,
      { id: 'stalled', name: 'Stalled', definition: null, file: null, codes: ['stalled/staffing-gap'], kind: 'blocked' as const },
      { id: 'merged', name: 'Merged', definition: null, file: null, codes: ['merged'], kind: 'duplicate-invalid' as const },
      { id: 'parked', name: 'Parked', definition: null, file: null, codes: ['parked'], kind: null },
    ],
  };
  const kinds = l1KindsOf(own);

  it('gives each L1 its kind: the five by name (also when a hand-built taxonomy leaves kind out), the others as their page says', () => {
    expect(['Blocked', 'Duplicate/Invalid', 'Stalled', 'Merged', 'Parked', 'stalled', 'Not In Playbook'].map((l1) => kindOf({ l1 }, kinds))).toEqual(['blocked', 'duplicate-invalid', 'blocked', 'duplicate-invalid', 'parked', 'blocked', 'not-in-playbook']);
    expect(kindOf({ l1: 'Stalled' })).toBe('stalled');
  });

  it('asks of Stalled (rules: Blocked) what Blocked asks, with the same rule ids', () => {
    const rules = (s: Partial<StatusSnapshot>) => checkStatusRules(status({ l1: 'Stalled', l2: 'Staffing Gap', ...s }), { today, kinds }).map((v) => v.rule);
    expect(rules({})).toEqual(['BLOCKED_NOTE', 'BLOCKED_UNBLOCK_DATE']);
    expect(rules({ note: blockerNote, projectedUnblockDate: '2026-03-01' })).toEqual(['BLOCKED_UNBLOCK_DATE']);
    expect(rules({ note: blockerNote, projectedUnblockDate: today })).toEqual([]);
    const message = checkStatusRules(status({ l1: 'Stalled', l2: 'Staffing Gap', note: blockerNote }), { today, kinds })[0]?.message;
    expect(message).toMatch(/^Stalled \(which follows the Blocked rules\) needs a projected unblock date/);
    // Without the kinds, as before: an L1 the rules do not know.
    expect(checkStatusRules(status({ l1: 'Stalled', l2: 'Staffing Gap' }), { today })).toEqual([]);
  });

  it('takes a Duplicate/Invalid kind for the whole customer, and leaves an L1 that follows none alone', () => {
    expect(checkStatusRules(status({ l1: 'Merged', l2: null, code: 'merged' }), { today, kinds }).map((v) => v.rule)).toEqual(['DUPLICATE_INVALID_WHOLE_CUSTOMER']);
    expect(checkStatusRules(status({ l1: 'Merged', l2: null, code: 'merged' }), { today, kinds, wholeCustomer: true })).toEqual([]);
    expect(checkStatusRules(status({ l1: 'Parked', l2: null, code: 'parked' }), { today, kinds })).toEqual([]);
  });

  it('keeps the messages of the five unchanged', () => {
    const [blocked] = checkStatusRules(status({ l1: 'Blocked', l2: 'Legal/Regulatory', note: blockerNote }), { today, kinds });
    expect(blocked?.message).toBe('Blocked needs a projected unblock date: when the blocker is expected to clear.');
    const [inProgress] = checkStatusRules(status({ l1: 'In Progress', l2: 'Migration' }), { today, kinds });
    expect(inProgress?.message).toBe('In Progress needs a target date: when the customer means to finish.');
  });
});
