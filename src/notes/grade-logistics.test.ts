import { describe, expect, it } from 'vitest';
import { gradeNote, type NoteContext } from './index.js';

/** ENGAGEMENT_LOGISTICS counts only when logistics stands in for the status. Notes written for this test. */
const codesOf = (text: string, context?: NoteContext) => gradeNote(text, context).findings.map((f) => f.code);

/** Sound notes: intent and a concrete reason, with a scheduling word that is part of the status. */
const SOUND: [string, NoteContext][] = [
  ['Customer wants Intune on all 900 laptops but the CAB has not approved the rollout; we need their change manager to schedule it.', { l1: 'Blocked', l2: 'IT Change Management and Resourcing', workload: 'Intune' }],
  ['Customer wants Intune on all 900 laptops but the CAB has not approved the rollout. We need their change manager to schedule it.', { l1: 'Blocked', l2: 'IT Change Management and Resourcing', workload: 'Intune' }],
  ['Customer wants Teams Phone for its 3 call centres but the SBC firmware is too old; the vendor has scheduled the upgrade for 12 May.', { l1: 'Blocked', l2: 'Customer IT Infrastructure and Remediation', workload: 'Teams' }],
  ['Customer is migrating 1,200 mailboxes to Exchange Online, 400 done; the last wave is scheduled for 30 June.', { l1: 'In Progress', l2: 'Migration', workload: 'Exchange Online' }],
];

/** Notes about logistics only, or with a clause of nothing but logistics. */
const LOGISTICS: [string, NoteContext][] = [
  ['Call scheduled for Tuesday.', { l1: 'Blocked' }],
  ['Meeting to be scheduled.', { l1: 'No Intent' }],
  ['Kick-off workshop booked for 3 June; invite sent to the IT lead.', { l1: 'In Progress' }],
  ['Still waiting on the customer to schedule a call with us.', { l1: 'Blocked' }],
];

describe('ENGAGEMENT_LOGISTICS', () => {
  it.each(SOUND)('is not raised on a sound note with a scheduling word: %s', (text, context) => {
    const graded = gradeNote(text, context);
    expect(graded.findings.map((f) => f.code)).not.toContain('ENGAGEMENT_LOGISTICS');
    expect(graded.grade).toBe('great');
  });

  it.each(LOGISTICS)('is raised on a logistics-only note: %s', (text, context) => {
    const graded = gradeNote(text, context);
    expect(graded.findings.map((f) => f.code)).toContain('ENGAGEMENT_LOGISTICS');
    expect(graded.grade).not.toBe('great');
  });

  it('is raised on a sound note that adds a clause of nothing but logistics', () => {
    const context: NoteContext = { l1: 'Blocked', workload: 'Intune' };
    const clean = 'Customer wants Intune on all 900 laptops but the firewall blocks enrolment';
    expect(gradeNote(`${clean}.`, context).grade).toBe('great');
    for (const tail of ['; call scheduled for Tuesday.', '. Next meeting with Anna on 2 July.', '; follow-up call booked, agenda to be sent.']) {
      const graded = gradeNote(clean + tail, context);
      expect(codesOf(clean + tail, context), tail).toContain('ENGAGEMENT_LOGISTICS');
      expect(graded.grade, tail).toBe('marginal');
      const f = graded.findings.find((x) => x.code === 'ENGAGEMENT_LOGISTICS')!;
      expect(f.span!.start).toBeGreaterThan(clean.length);
    }
  });

  it('is not raised on a finished kick-off', () => {
    expect(codesOf('Kick-off held in May; customer is migrating 400 mailboxes, finishing by 30 June.', { l1: 'In Progress' })).not.toContain('ENGAGEMENT_LOGISTICS');
  });
});
