/**
 * The note coach and an L1 of the playbook's own that follows the rules of one of the five (front matter
 * `rules:` on its L1 page): a note filed under it gets the coaching a note of that one gets (its intent
 * and reason checks, mismatches, template), named as filed. Stalled follows Blocked, Excluded follows
 * Duplicate/Invalid. The five keep their coaching whatever `l1Kinds` holds.
 */
import { describe, expect, it } from 'vitest';
import { gradeNote, noteL1Kinds, REWRITE_TEMPLATES, type NoteGrade, type TemplateL1 } from '../src/notes/index.js';
import { buildFallbackTaxonomy } from './hand-built-taxonomy.js';
import { ownInvalidTaxonomy } from './own-invalid-taxonomy.js';
import { ownL1Taxonomy } from './own-l1-taxonomy.js';

const l1Kinds = { ...noteL1Kinds(ownL1Taxonomy()), ...noteL1Kinds(ownInvalidTaxonomy()) };

const NOTES = [
  '',
  'Blocked.',
  'Waiting.',
  'They use Slack and Zoom.',
  'Customer wants Teams but it is complicated.',
  'Customer wants Teams for 400 users but is blocked because the proxy cannot carry media traffic.',
  'Customer wants Teams for 400 users but is blocked because the proxy cannot carry media traffic; the network team replaces it by 30 June.',
  'No intent to use Teams, they chose Zoom company-wide.',
  'Customer is deploying Intune to 300 of 900 laptops, finishing by 30 June.',
  'Duplicate of the contoso.com tenant, entered twice.',
  'Test tenant.',
];

/** `grade` of a note under `builtIn` as it reads under `own`: the same, with the L1 named `own` where it names the status. */
function asFiledUnder(grade: NoteGrade, builtIn: string, own: string): NoteGrade {
  const rename = (text: string) => text.split(`status is ${builtIn}`).join(`status is ${own}`).split(`note for ${builtIn}:`).join(`note for ${own}:`).split(`Keep ${builtIn} only`).join(`Keep ${own} only`);
  return { ...grade, l1: grade.l1 === builtIn ? own : grade.l1, findings: grade.findings.map((f) => ({ ...f, message: rename(f.message), fix: rename(f.fix) })) };
}

describe('noteL1Kinds', () => {
  it("lists the playbook's own L1s that follow the rules of one of the five, by name, and none for the built-in playbook", () => {
    expect(noteL1Kinds(ownL1Taxonomy())).toEqual({ Active: 'in-progress', Stalled: 'blocked' });
    expect(noteL1Kinds(ownInvalidTaxonomy())).toEqual({ Stalled: 'blocked', Excluded: 'duplicate-invalid' });
    expect(noteL1Kinds(buildFallbackTaxonomy('noteskinds01'))).toEqual({});
  });
});

describe('gradeNote with l1Kinds', () => {
  it('coaches a Stalled note (rules: Blocked) as a Blocked one: what it must say and the Blocked shape', () => {
    const g = gradeNote('They use Slack and Zoom.', { l1: 'Stalled', l1Kinds });
    expect(g.findings.map((f) => [f.code, f.message])).toEqual([['NO_INTENT', 'The note does not say that the customer wants the service and is stopped.']]);
    expect(g.findings[0]!.fix).toBe('Start with the intent and the block: "Customer wants ... but is blocked because ...".');
    expect(g.template).toBe(REWRITE_TEMPLATES.Blocked);
    expect(g.templateSource).toBe('shape');
    expect(g.l1).toBe('Stalled');
    // Without the kinds the coach cannot tell, and Stalled gets the generic coaching, as before.
    expect(gradeNote('They use Slack and Zoom.', { l1: 'Stalled' }).findings[0]!.message).toBe('The note does not say what the customer means to do with the service.');
  });

  it('names the L1 as filed in a mismatch', () => {
    const g = gradeNote('No intent to use Teams, they chose Zoom company-wide.', { l1: 'stalled', l1Kinds });
    expect(g.findings.map((f) => [f.code, f.message])).toEqual([['STATUS_MISMATCH', 'The note reads as No Intent, but the status is Stalled.']]);
    expect(g.findings[0]!.fix).toBe(`Either change the status to No Intent, or rewrite the note for Stalled: ${REWRITE_TEMPLATES.Blocked}`);
  });

  const pairs: [own: string, builtIn: TemplateL1][] = [
    ['Stalled', 'Blocked'],
    ['Excluded', 'Duplicate/Invalid'],
  ];
  it.each(pairs)('grades every note under %s as under %s, with that L1 named as filed', (own, builtIn) => {
    for (const note of NOTES) {
      const context = { workload: 'Microsoft Teams', otherNotes: [{ workload: 'Intune', text: note }] };
      expect([note, gradeNote(note, { ...context, l1: own, l1Kinds })]).toEqual([note, asFiledUnder(gradeNote(note, { ...context, l1: builtIn }), builtIn, own)]);
    }
  });

  it("keeps the playbook's guidance for such an L1 as its template, with the checks of the L1 it follows", () => {
    const g = gradeNote('They use Slack and Zoom.', { l1: 'Stalled', l1Kinds, l1Guidance: { Stalled: 'Say what stops the work and who removes it.' } });
    expect(g.template).toBe("Your playbook's guidance for Stalled notes: Say what stops the work and who removes it.");
    expect(g.templateSource).toBe('playbook');
    expect(g.findings.map((f) => f.message)).toEqual(['The note does not say that the customer wants the service and is stopped.']);
  });

  it("reads the classifier's L1 by its kind too, and tells Stalled from Blocked", () => {
    const note = 'Customer wants Teams for 400 users but the proxy cannot carry media traffic; the network team replaces it by 30 June.';
    const reads = (l1: string, l2: string) => () => ({ l1, l2, confidence: 0.9, abstained: false });
    const asBlocked = gradeNote(note, { l1: 'Stalled', l2: 'Network Constraints', l1Kinds, classify: reads('Blocked', 'Customer IT Infrastructure and Remediation') });
    expect(asBlocked.findings.map((f) => [f.code, f.severity, f.message])).toEqual([
      ['STATUS_MISMATCH', 'error', 'The note reads as Blocked / Customer IT Infrastructure and Remediation (classifier confidence 90%), but the status is Stalled.'],
    ]);
    const otherReason = gradeNote(note, { l1: 'Stalled', l2: 'Staffing Gap', l1Kinds, classify: reads('Stalled', 'Network Constraints') });
    expect(otherReason.findings.map((f) => [f.code, f.severity])).toEqual([['STATUS_MISMATCH', 'warning']]);
    expect(gradeNote(note, { l1: 'Stalled', l2: 'Network Constraints', l1Kinds, classify: reads('Stalled', 'Network Constraints') }).findings).toEqual([]);
    // No L1 given, wording that settles nothing: the classifier's Stalled is coached as Blocked.
    const unsettled = gradeNote('The proxy cannot carry media traffic.', { l1Kinds, classify: reads('Stalled', 'Network Constraints') });
    expect(unsettled.l1).toBe('Stalled');
    expect(unsettled.template).toBe(REWRITE_TEMPLATES.Blocked);
  });

  it('leaves the five built-in L1s, and notes with no L1, graded exactly as without l1Kinds', () => {
    const odd = { ...l1Kinds, Blocked: 'no-intent', 'No Intent': 'blocked' };
    for (const note of NOTES) {
      for (const l1 of [...(Object.keys(REWRITE_TEMPLATES) as TemplateL1[]), undefined]) {
        expect([note, l1, gradeNote(note, { l1, l1Kinds: odd })]).toEqual([note, l1, gradeNote(note, { l1 })]);
      }
    }
  });

  it('ignores l1Kinds of the wrong shape, and an L1 whose kind is none of the five', () => {
    const bad = [null, 'text', ['Stalled'], { Stalled: 42 }, { Stalled: 'paused' }] as unknown as Record<string, string>[];
    for (const kinds of bad) expect(gradeNote('They use Slack and Zoom.', { l1: 'Stalled', l1Kinds: kinds })).toEqual(gradeNote('They use Slack and Zoom.', { l1: 'Stalled' }));
  });
});
