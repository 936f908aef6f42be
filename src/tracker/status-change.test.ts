import { describe, expect, it } from 'vitest';
import { makeTaxonomy } from '../../test/factories.js';
import { initialStatus } from './entitlements.js';
import { adviseOnNotes, checkDuplicateInvalidExit, gradeToStore, isSameStatus, mergeStatus, prepareChange, prepareChanges, startingStatus } from './status-change.js';
import type { NoteAdvisor, NoteToAdvise, StatusSnapshot } from './types.js';

const taxonomy = makeTaxonomy();
const blocked: StatusSnapshot = {
  ...initialStatus(taxonomy),
  code: 'blocked/legal-regulatory', l1: 'Blocked', l2: 'Legal/Regulatory', note: 'The regulator has not approved storing records abroad yet.', projectedUnblockDate: '2026-05-01',
};
const duplicate: StatusSnapshot = { ...initialStatus(taxonomy), code: 'duplicate-invalid', l1: 'Duplicate/Invalid', l2: null, note: 'Same tenant as Alder.' };

describe('mergeStatus', () => {
  it('clears the projected unblock date when the status leaves Blocked', () => {
    expect(mergeStatus(taxonomy, blocked, { l1: 'In Progress', l2: 'Migration', targetDate: '2026-09-01' }).projectedUnblockDate).toBeNull();
    expect(mergeStatus(taxonomy, blocked, { code: 'in-progress/migration', projectedUnblockDate: '2026-06-01' }).projectedUnblockDate).toBeNull();
    expect(mergeStatus(taxonomy, blocked, { l1: 'Blocked', l2: 'App Compatibility' }).projectedUnblockDate).toBe('2026-05-01');
    expect(mergeStatus(taxonomy, blocked, { owner: 'Maya' }).projectedUnblockDate).toBe('2026-05-01');
  });

  it('clears the target date when the status leaves In Progress without giving one', () => {
    const inProgress = mergeStatus(taxonomy, blocked, { code: 'in-progress/migration', targetDate: '2027-03-01' });
    expect(inProgress.targetDate).toBe('2027-03-01');
    const noIntent = mergeStatus(taxonomy, inProgress, { l1: 'No Intent', l2: 'Executive Sponsorship', note: 'The new board froze every cloud project after the merger.' });
    expect(noIntent.targetDate).toBeNull();
    // Given with the change, it stays; another In Progress reason, or no new code, keeps it.
    expect(mergeStatus(taxonomy, inProgress, { code: 'blocked/legal-regulatory', targetDate: '2027-04-01' }).targetDate).toBe('2027-04-01');
    expect(mergeStatus(taxonomy, inProgress, { code: 'in-progress/solution-or-user-adoption' }).targetDate).toBe('2027-03-01');
    expect(mergeStatus(taxonomy, inProgress, { owner: 'Maya' }).targetDate).toBe('2027-03-01');
    // A target date set outside In Progress is not In Progress's to clear.
    expect(mergeStatus(taxonomy, { ...blocked, targetDate: '2027-05-01' }, { code: 'no-intent/executive-sponsorship' }).targetDate).toBe('2027-05-01');
  });

  it('changes nothing when the same status is given again, even under a newer taxonomy', () => {
    expect(isSameStatus(blocked, mergeStatus(taxonomy, blocked, { l1: 'Blocked', l2: 'Legal/Regulatory' }))).toBe(true);
    expect(isSameStatus(blocked, mergeStatus(makeTaxonomy('test00000002'), blocked, { code: 'blocked/legal-regulatory', note: ` ${blocked.note} ` }))).toBe(true);
    expect(isSameStatus(blocked, mergeStatus(taxonomy, blocked, { owner: 'Maya' }))).toBe(false);
  });

  it('trims the short text fields it is given (all spaces clears) and leaves stored ones alone', () => {
    const merged = mergeStatus(taxonomy, blocked, { owner: ' Maya Lindqvist ', nextAction: '\tChase the network team\n', businessReason: '   ', l3: ' Tenant-to-tenant ' });
    expect([merged.owner, merged.nextAction, merged.businessReason, merged.l3]).toEqual(['Maya Lindqvist', 'Chase the network team', null, 'Tenant-to-tenant']);
    const untidy: StatusSnapshot = { ...blocked, owner: 'Maya ', nextAction: ' call' };
    expect(mergeStatus(taxonomy, untidy, { targetDate: '2026-09-01' })).toMatchObject({ owner: 'Maya ', nextAction: ' call' });
  });

  it('grades: keeps the stored grade when neither the note nor the code changes', () => {
    const row = { note: blocked.note, code: blocked.code, note_grade: 'great' };
    const change = (after: StatusSnapshot, grade: { grade: string; score: number; findings: [] } | null = null) => ({ before: blocked, after, violations: [], warnings: [], grade, suggestion: null });
    expect(gradeToStore(change(mergeStatus(taxonomy, blocked, { owner: 'Maya' })), row)).toEqual({ note_grade: 'great', note_score: null });
    expect(gradeToStore(change(mergeStatus(taxonomy, blocked, { note: 'The regulator has asked for a new data map.' })), row)).toEqual({ note_grade: null, note_score: null });
    expect(gradeToStore(change(mergeStatus(taxonomy, blocked, { code: 'blocked/app-compatibility' })), row)).toEqual({ note_grade: null, note_score: null });
    expect(gradeToStore(change(blocked, { grade: 'good', score: 0.7, findings: [] }), row)).toEqual({ note_grade: 'good', note_score: 0.7 });
  });
});

describe('Duplicate/Invalid covers the whole customer', () => {
  const inProgress = mergeStatus(taxonomy, duplicate, { code: 'in-progress/migration', targetDate: '2026-09-01' });

  it('refuses one entitlement leaving while a sibling stays, and allows all leaving together', () => {
    const siblings = [{ id: 1, customerId: 10, l1: 'Duplicate/Invalid' }, { id: 2, customerId: 10, l1: 'Duplicate/Invalid' }, { id: 3, customerId: 11, l1: 'Duplicate/Invalid' }];
    const one = checkDuplicateInvalidExit(siblings, new Map([[1, { before: duplicate, after: inProgress }]]));
    expect([...one.keys()]).toEqual([1]);
    expect(one.get(1)!.rule).toBe('DUPLICATE_INVALID_WHOLE_CUSTOMER');
    expect(checkDuplicateInvalidExit(siblings, new Map([[1, { before: duplicate, after: inProgress }], [2, { before: duplicate, after: inProgress }]])).size).toBe(0);
  });

  it('lets one entitlement stay Duplicate/Invalid with a new note or owner, but not enter it alone', async () => {
    const now = new Date('2026-03-02T10:00:00.000Z');
    const edit = await prepareChange(taxonomy, {}, now, duplicate, { note: 'Same tenant as Alder Foods; keep the older record.', owner: 'Maya' });
    expect(edit.violations).toEqual([]);
    expect(edit.after).toMatchObject({ code: 'duplicate-invalid', owner: 'Maya' });
    // The web form sends the labels again with the other fields.
    expect((await prepareChange(taxonomy, {}, now, duplicate, { l1: 'Duplicate/Invalid', l2: null, note: 'Test tenant.' })).violations).toEqual([]);
    const enter = await prepareChange(taxonomy, {}, now, blocked, { code: 'duplicate-invalid' });
    expect(enter.violations.map((v) => v.rule)).toEqual(['DUPLICATE_INVALID_WHOLE_CUSTOMER']);
  });

  it('starts a new entitlement of a Duplicate/Invalid customer as Duplicate/Invalid', () => {
    expect(startingStatus(initialStatus(taxonomy), [duplicate, duplicate])).toMatchObject({ code: 'duplicate-invalid', note: duplicate.note });
    expect(startingStatus(initialStatus(taxonomy), [duplicate, blocked]).code).toBe('status-unknown/new-subscription-or-workload');
    expect(startingStatus(initialStatus(taxonomy), []).code).toBe('status-unknown/new-subscription-or-workload');
  });
});

describe('prepareChange warnings', () => {
  const advisor = {
    grade: async () => ({ grade: 'poor', score: 0.1, findings: [] }),
    suggest: async () => ({ code: 'blocked/partner-engagement', l1: 'Blocked', l2: 'Partner Engagement', confidence: 0.95, abstained: false }),
  };
  const now = new Date('2026-03-02T10:00:00Z');

  it('warns about the note when the note or code changes, not for an owner-only change, and keeps the advice for the history', async () => {
    const noteChange = await prepareChange(taxonomy, advisor, now, blocked, { note: 'Still waiting on the regulator about storing records abroad.' });
    expect(noteChange.warnings.map((w) => w.code).sort()).toEqual(['NOTE_READS_AS_OTHER_CODE', 'WEAK_NOTE']);
    const ownerOnly = await prepareChange(taxonomy, advisor, now, blocked, { owner: 'Maya Lindqvist' });
    expect(ownerOnly.warnings).toEqual([]);
    expect([ownerOnly.grade?.grade, ownerOnly.suggestion?.code]).toEqual(['poor', 'blocked/partner-engagement']);
  });
});

describe('adviseOnNotes', () => {
  const grade = { grade: 'poor', score: 0.2, findings: [{ code: 'NO_REASON', message: 'Say why.' }] };
  const suggestion = { code: 'blocked/legal-regulatory', l1: 'Blocked', l2: 'Legal/Regulatory', confidence: 0.9, abstained: false };
  const notes = [
    { ...blocked, note: 'Waiting on legal.' },
    { ...blocked, note: '' },
    { ...blocked, note: 'Waiting on legal.' },
    { ...blocked, code: 'blocked/app-compatibility', l2: 'App Compatibility', note: 'Waiting on legal.' },
    { ...blocked, note: 'Regulator review.' },
  ];

  it('asks the batch advisor once per distinct note and code, and answers every row in order', async () => {
    const asked: NoteToAdvise[][] = [];
    const advisor: NoteAdvisor = {
      adviseMany: async (items) => {
        asked.push([...items]);
        return items.map((item) => ({ grade: { ...grade, score: item.note.length / 100 }, suggestion }));
      },
    };
    const advice = await adviseOnNotes(advisor, notes);
    expect(asked).toEqual([[
      { note: 'Waiting on legal.', l1: 'Blocked', l2: 'Legal/Regulatory' },
      { note: 'Waiting on legal.', l1: 'Blocked', l2: 'App Compatibility' },
      { note: 'Regulator review.', l1: 'Blocked', l2: 'Legal/Regulatory' },
    ]]);
    expect(advice.map((a) => a.grade?.score ?? null)).toEqual([0.17, null, 0.17, 0.17, 0.17]);
    // Warnings are made per row against that row's own code: the fourth reads as another code.
    expect(advice.map((a) => a.warnings.map((w) => w.code))).toEqual([['WEAK_NOTE'], [], ['WEAK_NOTE'], ['WEAK_NOTE', 'NOTE_READS_AS_OTHER_CODE'], ['WEAK_NOTE']]);
  });

  it('gives the same advice through single-note calls, and nulls when the batch advisor fails', async () => {
    const single: NoteAdvisor = { grade: (note) => ({ ...grade, score: note.length / 100 }), suggest: () => suggestion };
    const batch: NoteAdvisor = { adviseMany: async (items) => items.map((item) => ({ grade: { ...grade, score: item.note.length / 100 }, suggestion })) };
    expect(await adviseOnNotes(single, notes)).toEqual(await adviseOnNotes(batch, notes));
    const failing: NoteAdvisor = { adviseMany: () => Promise.reject(new Error('worker gone')) };
    expect(await adviseOnNotes(failing, notes)).toEqual(notes.map(() => ({ grade: null, suggestion: null, warnings: [] })));
  });
});

describe('prepareChanges', () => {
  it('asks for the advice on every valid change at once and keeps each change\'s own violations and warnings', async () => {
    const calls: NoteToAdvise[][] = [];
    const advisor: NoteAdvisor = {
      adviseMany: async (items) => {
        calls.push([...items]);
        return items.map(() => ({ grade: { grade: 'poor', score: 0.1, findings: [] }, suggestion: null }));
      },
    };
    const now = new Date('2026-03-01T00:00:00Z');
    const changes = await prepareChanges(taxonomy, advisor, now, [
      { before: blocked, input: { note: 'The regulator wants a data map before approving the move.' } },
      { before: blocked, input: { code: 'in-progress/migration', targetDate: '2020-01-01', note: 'Moving now.' } },
      { before: blocked, input: { owner: 'Maya' } },
    ]);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.map((c) => c.note)).toEqual(['The regulator wants a data map before approving the move.', blocked.note]);
    expect(changes.map((c) => c.violations.length > 0)).toEqual([false, true, false]);
    // A change that leaves note and code alone keeps its grade but raises no warning about the note.
    expect(changes.map((c) => c.warnings.map((w) => w.code))).toEqual([['WEAK_NOTE'], [], []]);
    expect(changes.map((c) => c.grade?.score ?? null)).toEqual([0.1, null, 0.1]);
  });
});
