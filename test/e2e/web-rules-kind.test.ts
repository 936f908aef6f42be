/** The web app's rule hints follow the kind GET /api/taxonomy gives each L1, as the server does. */
import { describe, expect, it } from 'vitest';
import { checkStatus, checkStoredDates, describeStatusRules, rulesL1Of, toBulkChange, toStatusChange } from '../../web/src/lib/rules.js';
import type { Entitlement, StatusFields } from '../../web/src/api/types.js';
import { makeTaxonomy } from '../factories.js';
import { ownL1Taxonomy } from '../own-l1-taxonomy.js';

const today = '2026-03-02';
const own = ownL1Taxonomy();
const fields = (over: Partial<StatusFields>): StatusFields => ({
  l1: 'Stalled', l2: 'Staffing Gap', note: '', targetDate: null, engagementStartDate: null, businessReason: null, owner: null, nextAction: null, nextActionDate: null, projectedUnblockDate: null, ...over,
});
const note = 'Two engineers left in spring and the backfills are not approved, so the rollout is paused.';

describe('web rule hints for L1s of a playbook\'s own', () => {
  it('tells which of the five L1s\' rules an L1 follows', () => {
    expect(['Stalled', 'Active', 'Blocked', 'Nope'].map((l1) => rulesL1Of(l1, own))).toEqual(['Blocked', 'In Progress', 'Blocked', null]);
    // A taxonomy without kinds (built by hand): the five by name.
    expect(['In Progress', 'Stalled'].map((l1) => rulesL1Of(l1, makeTaxonomy()))).toEqual(['In Progress', null]);
  });

  it('asks of Stalled what Blocked asks, naming the rules it follows', () => {
    const issues = checkStatus(fields({}), own, today);
    expect(issues.map((i) => i.code)).toEqual(['BLOCKED_NOTE', 'UNBLOCK_DATE_REQUIRED']);
    expect(issues[1]?.message).toBe('Stalled (which follows the Blocked rules) needs a projected unblock date.');
    expect(checkStatus(fields({ note, projectedUnblockDate: '2026-04-01' }), own, today)).toEqual([]);
    expect(checkStatus(fields({ l1: 'Active', l2: 'Rolling Out' }), own, today).map((i) => i.code)).toEqual(['TARGET_DATE_REQUIRED']);
  });

  it('keeps the dates of the rules an L1 follows in the change it sends', () => {
    expect(toStatusChange(fields({ note, projectedUnblockDate: '2026-04-01', targetDate: '2026-05-01' }), own)).toMatchObject({ projectedUnblockDate: '2026-04-01', targetDate: null });
    expect(toBulkChange(fields({ projectedUnblockDate: '2026-04-01' }), own)).toEqual({ l1: 'Stalled', l2: 'Staffing Gap', projectedUnblockDate: '2026-04-01' });
    // Without the taxonomy, as before.
    expect(toStatusChange(fields({ projectedUnblockDate: '2026-04-01' })).projectedUnblockDate).toBeNull();
  });

  it('names the own L1s in the rules line, and leaves the built-in line as it was', () => {
    expect(describeStatusRules(own)).toBe('Rules: the L2 belongs to the L1; In Progress and Active need a future target date; Blocked and Stalled need a note explaining the blocker and a projected unblock date; No Intent needs a note with the reason.');
    expect(describeStatusRules(makeTaxonomy())).toBe('Rules: the L2 belongs to the L1; In Progress needs a future target date; Blocked needs a note explaining the blocker and a projected unblock date; No Intent needs a note with the reason.');
  });

  it('treats a lapsed target date of an L1 that follows In Progress as In Progress\'s', () => {
    const stored = { l1: 'Active', targetDate: '2026-03-01', projectedUnblockDate: null, nextActionDate: null } as Entitlement;
    const issues = checkStatus(fields({ l1: 'Active', l2: 'Rolling Out', targetDate: '2026-03-01' }), own, today);
    expect(checkStoredDates(issues, fields({ l1: 'Active', l2: 'Rolling Out', targetDate: '2026-03-01' }), stored, today, own)[0]?.message).toMatch(/has passed/);
  });
});
