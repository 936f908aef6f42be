/** A playbook's own L1s: the rewrite template comes from the guidance the caller passes in. */
import { describe, expect, it } from 'vitest';
import { GENERIC_TEMPLATE, gradeNote, REWRITE_TEMPLATES } from './index.js';

const guidance = {
  Paused: 'Name what froze the work (budget, a reorganisation, a merger) and the month it is reviewed again.',
  // A playbook whose own L1 page is titled like a built-in one: the built-in template still wins.
  Blocked: 'Anything at all.',
};

describe('gradeNote with l1Guidance', () => {
  it("gives an L1 of the playbook's own its guidance, in the template and in the fixes quoting it", () => {
    const g = gradeNote('Paused.', { l1: 'Paused', l1Guidance: guidance });
    const expected = `Your playbook's guidance for Paused notes: ${guidance.Paused}`;
    expect(g.template).toBe(expected);
    expect(g.templateSource).toBe('playbook');
    expect(g.l1).toBe('Paused');
    expect(g.findings.length).toBeGreaterThan(0);
    expect(g.findings[0]?.fix).toContain(expected);
  });

  it('finds the L1 whatever its case and spacing, and quotes it as the playbook names it', () => {
    const g = gradeNote('', { l1: '  paused ', l1Guidance: guidance });
    expect(g.template).toBe(`Your playbook's guidance for Paused notes: ${guidance.Paused}`);
    expect(g.findings[0]?.fix).toContain(guidance.Paused);
  });

  it('puts the guidance in the NO_REASON fix of a note that reads as no built-in L1', () => {
    const g = gradeNote('The customer told us the project waits.', { l1: 'Paused', l1Guidance: guidance });
    expect(g.grade).toBe('poor');
    expect(g.findings.find((f) => f.code === 'NO_REASON')?.fix).toBe(`Add the reason, concretely: Your playbook's guidance for Paused notes: ${guidance.Paused}`);
  });

  it('falls back to the generic template for an L1 without guidance', () => {
    expect(gradeNote('Paused.', { l1: 'Paused' }).template).toBe(GENERIC_TEMPLATE);
    expect(gradeNote('Paused.', { l1: 'Paused' }).templateSource).toBe('generic');
    expect(gradeNote('Paused.', { l1: 'Paused', l1Guidance: { Other: 'Something.' } }).template).toBe(GENERIC_TEMPLATE);
    expect(gradeNote('Paused.', { l1: 'Paused', l1Guidance: { Paused: '   ' } }).template).toBe(GENERIC_TEMPLATE);
  });

  it('keeps the hand-written templates of the built-in L1s, guidance or not', () => {
    const note = 'Customer wants Exchange Online but legal forbids mail leaving Germany; counsel reviews the EU boundary in May.';
    for (const l1 of Object.keys(REWRITE_TEMPLATES) as (keyof typeof REWRITE_TEMPLATES)[]) {
      const withGuidance = gradeNote(note, { l1, l1Guidance: { ...guidance, [l1]: 'Playbook text.' } });
      expect(withGuidance).toEqual(gradeNote(note, { l1 }));
      expect(withGuidance.template).toBe(REWRITE_TEMPLATES[l1]);
      expect(withGuidance.templateSource).toBe('shape');
    }
    expect(gradeNote('Blocked.', { l1: 'Blocked', l1Guidance: guidance }).template).toBe(REWRITE_TEMPLATES.Blocked);
  });

  it('ignores guidance of the wrong shape (callers may be plain JavaScript)', () => {
    const bad = [null, 'text', ['Paused'], { Paused: 42 }] as unknown as Record<string, string>[];
    for (const l1Guidance of bad) expect(gradeNote('Paused.', { l1: 'Paused', l1Guidance }).template).toBe(GENERIC_TEMPLATE);
  });

  it('fills {workload} in the guidance as in the built-in templates', () => {
    const g = gradeNote('Paused.', { l1: 'Paused', workload: 'Teams', l1Guidance: { Paused: 'Say why {workload} waits.' } });
    expect(g.template).toBe("Your playbook's guidance for Paused notes: Say why Teams waits.");
  });
});
