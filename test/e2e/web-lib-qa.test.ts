/**
 * Pure helpers behind the QA fixes (no browser): what "select all" takes and says, when a bulk change
 * asks for a confirmation and what it names, warnings and per-row refusals grouped one line per kind,
 * bulk rules that keep each entitlement's own note and dates, the Reports L1 filter without
 * Duplicate/Invalid, and the label axis of horizontal bar charts.
 */
import { describe, expect, it } from 'vitest';
import { buildFallbackTaxonomy } from '../hand-built-taxonomy.js';
import { describeBulkChange, describeLeftOut, groupRowIssues, groupWarnings, needsConfirmation, readRestoreRefusal, selectAllShown } from '../../web/src/lib/bulk.js';
import { fitLabel, labelAxisWidth, MAX_LABEL_AXIS, MIN_LABEL_AXIS } from '../../web/src/lib/chart-layout.js';
import { checkStatus, describeStatusRules } from '../../web/src/lib/rules.js';
import { checkReportFilters } from '../../web/src/lib/url-filters.js';
import type { StatusFields } from '../../web/src/api/types.js';

const taxonomy = buildFallbackTaxonomy('webtest00002');
const TODAY = '2026-03-02';
const empty: StatusFields = {
  l1: '',
  l2: null,
  note: '',
  targetDate: null,
  engagementStartDate: null,
  businessReason: null,
  owner: null,
  nextAction: null,
  nextActionDate: null,
  projectedUnblockDate: null,
};

describe('select all and the confirmation of a bulk change', () => {
  it('leaves Duplicate/Invalid rows out of "select all" and names how many', () => {
    const rows = [
      { id: 1, l1: 'Blocked' },
      { id: 2, l1: 'Duplicate/Invalid' },
      { id: 3, l1: 'In Progress' },
      { id: 4, l1: 'Duplicate/Invalid' },
    ];
    expect(selectAllShown(rows)).toEqual({ ids: ['1', '3'], leftOut: 2 });
    expect(describeLeftOut(2)).toBe('2 Duplicate/Invalid entitlements left out: restore them from their customer page.');
    expect(describeLeftOut(1)).toBe('1 Duplicate/Invalid entitlement left out: restore it from its customer page.');
    expect(describeLeftOut(0)).toBeUndefined();
  });

  it('asks for a confirmation above 20 entitlements and says what changes', () => {
    expect([needsConfirmation(20), needsConfirmation(21), needsConfirmation(842)]).toEqual([false, true, true]);
    expect(describeBulkChange({ ...empty, l1: 'Blocked', l2: 'Partner Engagement', projectedUnblockDate: '2026-04-01' })).toEqual([
      'Status: Blocked / Partner Engagement',
      'Note: each keeps its own',
      'Target date: cleared where the entitlement leaves In Progress, else kept',
      'Projected unblock date: 2026-04-01',
      'Owner, next action and the other fields: not changed',
    ]);
    expect(describeBulkChange({ ...empty, l1: 'In Progress', l2: 'Migration', note: 'Mailboxes move in waves.', targetDate: '2026-06-30' }).slice(1, 3)).toEqual([
      'Note: "Mailboxes move in waves." on every one',
      'Target date: 2026-06-30',
    ]);
  });
});

describe('warnings and refusals, one line per kind', () => {
  it('groups weak notes by grade and every "reads as another code" together, largest first', () => {
    const weak = (grade: string) => ({ code: 'WEAK_NOTE', message: `The note grades ${grade}: it says little.`, details: { grade } });
    const other = (l1: string) => ({ code: 'NOTE_READS_AS_OTHER_CODE', message: `The note reads as ${l1}.`, details: { l1, l2: null } });
    const results = Array.from({ length: 842 }, (_, i) => ({ id: i + 1, label: `Customer ${i + 1} · Teams`, warnings: i < 3 ? [weak('marginal'), other(i === 0 ? 'Blocked' : 'No Intent')] : [weak('poor')] }));
    const groups = groupWarnings(results);
    expect(groups.map((g) => [g.summary, g.items.length])).toEqual([
      ['839 notes grade poor', 839],
      ['3 notes grade marginal', 3],
      ['3 notes read as another code', 3],
    ]);
    expect(groups[2]?.items.map((i) => [i.id, i.message])).toEqual([
      [1, 'The note reads as Blocked.'],
      [2, 'The note reads as No Intent.'],
      [3, 'The note reads as No Intent.'],
    ]);
    expect(groupWarnings([{ id: 9, label: 'X', warnings: [weak('poor')] }])[0]?.summary).toBe('1 note grades poor');
    expect(groupWarnings([{ id: 9, label: 'X', warnings: [{ code: 'OTHER', message: 'Something else.' }] }])[0]?.summary).toBe('Something else.');
    expect(groupWarnings([])).toEqual([]);
  });

  it('groups a refused bulk change by rule and message, naming each entitlement, and says which customers it would have restored', () => {
    const note = { rule: 'BLOCKED_NOTE', message: 'Blocked needs a note that explains the blocker.' };
    const date = { rule: 'BLOCKED_UNBLOCK_DATE', message: 'Blocked needs a projected unblock date.' };
    const groups = groupRowIssues({ items: [{ id: 1, violations: [note] }, { id: 2, violations: [note, date] }, { id: 3, violations: [note] }] }, (id) => `Row ${id}`);
    expect(groups.map((g) => [g.summary, g.items.map((i) => i.label)])).toEqual([
      ['3 entitlements: Blocked needs a note that explains the blocker.', ['Row 1', 'Row 2', 'Row 3']],
      ['1 entitlement: Blocked needs a projected unblock date.', ['Row 2']],
    ]);
    expect(groupRowIssues({ conflicts: [{ id: 4 }, { id: 5 }] }, (id) => `Row ${id}`).map((g) => g.summary)).toEqual(['2 entitlements changed since you loaded them: reload the portfolio and try again.']);
    expect(groupRowIssues(null, String)).toEqual([]);
    expect(readRestoreRefusal({ customers: [{ customerId: 7, tenantId: 't', customerName: 'Harbour Sandbox', entitlementIds: [1, 2] }], flag: 'restoreDuplicateInvalid' })).toEqual([
      { customerId: 7, customerName: 'Harbour Sandbox', count: 2 },
    ]);
    expect(readRestoreRefusal(undefined)).toEqual([]);
  });
});

describe('checkStatus in bulk (each entitlement keeps its own note and dates)', () => {
  const blocked = { ...empty, l1: 'Blocked', l2: 'Partner Engagement', projectedUnblockDate: '2026-04-01' };
  const errors = (issues: ReturnType<typeof checkStatus>) => issues.filter((i) => i.severity === 'error').map((i) => i.code);

  it('does not require a note when it is left empty, but still checks one that is typed', () => {
    expect(errors(checkStatus(blocked, taxonomy, TODAY))).toEqual(['BLOCKED_NOTE']);
    const bulk = checkStatus(blocked, taxonomy, TODAY, { withoutTargetDate: 3, withoutUnblockDate: 0 });
    expect(errors(bulk)).toEqual([]);
    expect(bulk.find((i) => i.code === 'BLOCKED_NOTE')?.severity).toBe('warning');
    expect(errors(checkStatus({ ...blocked, note: 'Blocked' }, taxonomy, TODAY, { withoutTargetDate: 0, withoutUnblockDate: 0 }))).toEqual(['BLOCKED_NOTE']);
    expect(errors(checkStatus({ ...empty, l1: 'No Intent', l2: 'Executive Sponsorship' }, taxonomy, TODAY, { withoutTargetDate: 0, withoutUnblockDate: 0 }))).toEqual([]);
  });

  it('asks for a date only when some selected entitlement has none of its own', () => {
    const noDate = { ...blocked, projectedUnblockDate: null };
    expect(errors(checkStatus(noDate, taxonomy, TODAY, { withoutTargetDate: 0, withoutUnblockDate: 0 }))).toEqual([]);
    const missing = checkStatus(noDate, taxonomy, TODAY, { withoutTargetDate: 0, withoutUnblockDate: 2 }).find((i) => i.code === 'UNBLOCK_DATE_REQUIRED');
    expect(missing?.message).toBe('2 selected entitlements have no projected unblock date of their own: give one here.');
    const inProgress = { ...empty, l1: 'In Progress', l2: 'Migration' };
    expect(errors(checkStatus(inProgress, taxonomy, TODAY, { withoutTargetDate: 0, withoutUnblockDate: 5 }))).toEqual([]);
    expect(checkStatus(inProgress, taxonomy, TODAY, { withoutTargetDate: 1, withoutUnblockDate: 0 }).find((i) => i.code === 'TARGET_DATE_REQUIRED')?.message).toBe(
      '1 selected entitlement has no target date of its own: give one here.',
    );
    // A date that is given is checked as usual.
    expect(errors(checkStatus({ ...inProgress, targetDate: '2026-01-01' }, taxonomy, TODAY, { withoutTargetDate: 0, withoutUnblockDate: 0 }))).toEqual(['TARGET_DATE_NOT_FUTURE']);
  });
});

describe('report filters and chart labels', () => {
  it('drops Duplicate/Invalid from the Reports L1 filter: reports leave those customers out', () => {
    const checked = checkReportFilters({ l1: 'duplicate-invalid' }, { taxonomy, workloads: [], partners: [], today: TODAY });
    expect(checked.filters).toEqual({});
    expect(checked.dropped).toEqual([{ key: 'l1', value: 'duplicate-invalid', reason: 'reports leave Duplicate/Invalid customers out, so it always counts 0' }]);
    expect(checkReportFilters({ l1: 'blocked' }, { taxonomy, workloads: [], partners: [], today: TODAY }).filters).toEqual({ l1: 'Blocked' });
  });

  it('gives the label axis a share of the chart, so narrow charts keep room for bars', () => {
    expect(labelAxisWidth(0)).toBe(MAX_LABEL_AXIS);
    expect(labelAxisWidth(1200)).toBe(MAX_LABEL_AXIS);
    expect(labelAxisWidth(300)).toBe(120);
    expect(labelAxisWidth(150)).toBe(MIN_LABEL_AXIS);
    expect(300 - labelAxisWidth(300)).toBeGreaterThan(labelAxisWidth(300));
    expect(fitLabel('Legal/Regulatory', 340)).toBe('Legal/Regulatory');
    const short = fitLabel('Customer IT Infrastructure and Remediation', 90);
    expect(short.endsWith('…')).toBe(true);
    expect(short.length).toBeLessThan(30);
  });
});

describe("the status form's rules line", () => {
  it('names the rules of the L1s the playbook has, and only those (a partner playbook may have no Blocked)', () => {
    const builtIn = buildFallbackTaxonomy('rules-line');
    expect(describeStatusRules(builtIn)).toBe('Rules: the L2 belongs to the L1; In Progress needs a future target date; Blocked needs a note explaining the blocker and a projected unblock date; No Intent needs a note with the reason.');
    const own = { ...builtIn, l1s: builtIn.l1s.filter((n) => n.name !== 'Blocked' && n.name !== 'No Intent') };
    expect(describeStatusRules(own)).toBe('Rules: the L2 belongs to the L1; In Progress needs a future target date.');
    // Before the playbook is loaded, every rule (the server checks them anyway).
    expect(describeStatusRules(undefined)).toBe(describeStatusRules(builtIn));
  });
});
