/**
 * QA round 18, the note coach and email signatures: a signature under a note (a sign-off line, then only
 * names, roles and contact details; the classifier's own rule) is not graded. Its words are no reason,
 * add no length, hide no bare status and no pasted note, and its `|` or address is no markup; the
 * classifier is asked about the note without it, and spans still point into the note as given.
 */
import { describe, expect, it } from 'vitest';
import { gradeNote, type NoteContext } from '../src/notes/index.js';

const codesOf = (text: string, context?: NoteContext) => gradeNote(text, context).findings.map((f) => f.code);

const SIGNATURE = '\n\nBest regards,\nJane Smith\nSenior Delivery Manager\nContoso Consulting Group\n+1 555 0100 | jane.smith@contoso.example';

describe('a note with an email signature under it', () => {
  it("does not take a signature's role or team for the reason", () => {
    const body = 'Customer wants Teams but is blocked.';
    const signed = `${body}\n\nThanks,\nJane Smith\nNetwork Engineer\nProxy Team`;
    expect(codesOf(body, { l1: 'Blocked' })).toEqual(['NO_REASON']);
    expect(codesOf(signed, { l1: 'Blocked' })).toEqual(['NO_REASON']);
    expect(gradeNote(signed, { l1: 'Blocked' }).grade).toBe('poor');
  });

  it('does not count the signature in the length', () => {
    const body =
      'Customer wants Exchange Online but is blocked: the change advisory board rejected the mailbox cutover twice because the rollback plan for the hybrid servers is missing, and the two admins who could write it left in spring, so nothing moves until new staff are hired and trained.';
    expect(codesOf(body, { l1: 'Blocked' })).toEqual([]);
    const signed = gradeNote(`${body}${SIGNATURE}`, { l1: 'Blocked' });
    expect(signed.findings.map((f) => f.code)).toEqual([]);
    expect(signed.grade).toBe('great');
  });

  it('still tells a bare status, not a missing reason, when only the signature follows it', () => {
    expect(codesOf('No intent.', { l1: 'No Intent' })).toEqual(['NOTE_BARE_STATUS']);
    expect(codesOf('No intent.\n\nThanks,\nJane', { l1: 'No Intent' })).toEqual(['NOTE_BARE_STATUS']);
    const bare = gradeNote(`No intent.${SIGNATURE}`, { l1: 'No Intent' });
    expect(bare.findings.map((f) => f.code)).toEqual(['NOTE_BARE_STATUS']);
    // The span is the note's own words, not the signature.
    expect(bare.findings[0]?.span).toEqual({ start: 0, end: 'No intent.'.length });
  });

  it('finds the same note pasted on another workload when only one copy is signed', () => {
    const body = 'No intent: they hold all meetings and calls in Zoom, company policy since 2021.';
    const context: NoteContext = { l1: 'No Intent', workload: 'SharePoint Online', otherNotes: [{ workload: 'Teams', text: body }] };
    expect(codesOf(body, context)).toContain('PASTED_ACROSS_WORKLOADS');
    expect(codesOf(`${body}${SIGNATURE}`, context)).toContain('PASTED_ACROSS_WORKLOADS');
  });

  it("does not read two short notes' shared signature as one note pasted on both workloads", () => {
    const signed = (text: string) => `${text}${SIGNATURE} | www.contoso.example`;
    const context: NoteContext = { l1: 'No Intent', workload: 'Teams', otherNotes: [{ workload: 'SharePoint Online', text: signed('No intent: they use Box.') }] };
    expect(codesOf(signed('No intent: they use Zoom.'), context)).toEqual([]);
  });

  it("reports no markup for the signature's `|`, link or address, but still for the note's own", () => {
    const body = 'Blocked: the CAB rejected the Exchange cutover because the rollback plan is missing.';
    expect(codesOf(`${body}${SIGNATURE}\nwww.contoso.example`, { l1: 'Blocked' })).toEqual([]);
    const own = gradeNote(`Blocked: the CAB rejected the cutover (see https://contoso.example/cab) because the rollback plan is missing.${SIGNATURE}`, { l1: 'Blocked' });
    expect(own.findings.map((f) => f.code)).toEqual(['MARKUP_OR_JUNK']);
    expect(own.findings[0]?.message).toContain('https://contoso.example/cab');
  });

  it('asks the classifier about the note without its signature, and keeps spans in the note as given', () => {
    const seen: string[] = [];
    const note = `No intent for now because the customer runs Google Workspace company-wide.${SIGNATURE}`;
    const grade = gradeNote(note, { l1: 'No Intent', classify: (text) => (seen.push(text), { l1: 'No Intent', l2: null, confidence: 0.9, abstained: false }) });
    expect(seen).toHaveLength(1);
    expect(seen[0]).not.toMatch(/Jane|Contoso|regards/);
    expect(seen[0]?.trim()).toBe('No intent for now because the customer runs Google Workspace company-wide.');
    const hedge = grade.findings.find((f) => f.code === 'HEDGING');
    expect(hedge?.span && note.slice(hedge.span.start, hedge.span.end)).toBe('for now');
  });

  it('grades a note that is only a signature as before: there is no note above it to keep', () => {
    expect(gradeNote('Thanks,\nJane Smith', { l1: 'Blocked' }).grade).toBe('poor');
  });
  it('finds a signature whose lines hold a | or a phone number as the classifier does (review, session 18)', () => {
    const body = 'Blocked: the CAB rejected the Exchange cutover because the rollback plan is missing.';
    for (const line of ['Jane Smith | +44 20 7946 0958', 'Contoso Ltd. | +1 555 0100']) {
      expect(codesOf(`${body}\n\nThanks,\n${line}`, { l1: 'Blocked' }), line).toEqual([]);
    }
    const pasted = 'No intent: they hold all meetings and calls in Zoom, company policy since 2021.\n\nThanks,\nJane Smith | +44 20 7946 0958';
    const context: NoteContext = { l1: 'No Intent', workload: 'SharePoint Online', otherNotes: [{ workload: 'Teams', text: pasted }] };
    expect(codesOf(pasted, context)).toContain('PASTED_ACROSS_WORKLOADS');
  });
});
