/** The note template written for the note's workload, and a true message for a one-letter note (QA round 5, P4). */
import { describe, expect, it } from 'vitest';
import { gradeNote } from './grade-note.js';
import { fillWorkload, GENERIC_TEMPLATE, REWRITE_TEMPLATES } from './templates.js';

describe('fillWorkload', () => {
  it('fills every {workload} placeholder, and leaves the text as is without a workload', () => {
    expect(fillWorkload('{workload} bought; {workload} unused', 'Teams')).toBe('Teams bought; Teams unused');
    expect(fillWorkload(REWRITE_TEMPLATES.Blocked, undefined)).toBe(REWRITE_TEMPLATES.Blocked);
    expect(fillWorkload(REWRITE_TEMPLATES.Blocked, '  ')).toBe(REWRITE_TEMPLATES.Blocked);
  });

  it('inserts the workload literally, even with characters special to String.replace', () => {
    expect(fillWorkload('Customer wants {workload}.', 'A$&B $1')).toBe('Customer wants A$&B $1.');
  });
});

describe('gradeNote with a workload', () => {
  it('writes the template and the fixes that quote it for the workload', () => {
    const g = gradeNote('Blocked.', { l1: 'Blocked', workload: 'Exchange Online' });
    expect(g.template).toBe(REWRITE_TEMPLATES.Blocked.replace('{workload}', 'Exchange Online'));
    expect(g.findings.length).toBeGreaterThan(0);
    for (const f of g.findings) expect(f.fix).not.toContain('{workload}');
    expect(gradeNote('', { workload: 'Teams' }).findings[0]?.fix).toContain(GENERIC_TEMPLATE.replace('{workload}', 'Teams'));
  });

  it('keeps the placeholder without a workload', () => {
    expect(gradeNote('Blocked.', { l1: 'Blocked' }).template).toBe(REWRITE_TEMPLATES.Blocked);
  });
});

describe('a note too short to say anything', () => {
  it('does not say a one-letter note has no words in it', () => {
    const g = gradeNote('x');
    expect(g.findings.map((f) => f.code)).toEqual(['NOTE_EMPTY']);
    expect(g.findings[0]?.message).toBe('The note is too short to say anything: it has no word of two letters or more.');
  });

  it('still says a note of numbers and signs has no words', () => {
    expect(gradeNote('42 !!').findings[0]?.message).toBe('The note has no words in it.');
  });
});
