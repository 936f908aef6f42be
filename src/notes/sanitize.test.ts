import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gradeNote } from './grade-note.js';
import { isNotEnglish, MAX_NOTE_CHARS, sanitizeNote } from './sanitize.js';

describe('isNotEnglish', () => {
  it.each([
    ['Customer wants Teams but the proxy drops media traffic until the May upgrade.', false],
    ['Customer in La Paz wants Teams; the proxy de-duplicates traffic en route.', false],
    ['Blocked: the Café Müller branch runs Windows 7 on every till.', false],
    ['El cliente no tiene intención de usar Teams porque usa Zoom en toda la empresa.', true],
    ['Der Kunde wartet auf die Zustimmung des Betriebsrats, bevor Teams eingeführt wird.', true],
    ["Le client n'a pas l'intention d'utiliser Teams parce qu'il utilise Zoom.", true],
    ['O cliente não quer usar o Teams porque usa o Zoom em toda a empresa.', true],
    ['De klant wil Teams niet gebruiken omdat ze Zoom gebruiken.', true],
    ['客户因为防火墙问题无法部署Teams。', true],
    ['Клиент не может развернуть Teams из-за прокси.', true],
    ['OK', false],
  ])('%s -> %s', (text, expected) => {
    expect(isNotEnglish(text)).toBe(expected);
  });
});

describe('sanitizeNote', () => {
  it.each([
    ['<p>Customer <b>wants</b> Teams.</p>', '   Customer    wants     Teams.    '],
    ['## Status\n* blocked by **proxy**', '   Status\n  blocked by   proxy  '],
    ['See [the plan](https://example.test/plan) now', 'See  the plan                             now'],
    ['A &amp; B', 'A &     B'],
  ])('blanks markup in %j without moving the text', (input, clean) => {
    const s = sanitizeNote(input);
    expect(s.clean).toBe(clean);
    expect(s.markup).not.toBeNull();
  });
  it('leaves plain text alone', () => {
    const s = sanitizeNote('Customer wants Teams, fewer than <50 users.');
    expect(s.clean).toBe('Customer wants Teams, fewer than <50 users.');
    expect(s.markup).toBeNull();
  });
  it('caps long input at a word boundary', () => {
    const s = sanitizeNote('word '.repeat(2000));
    expect(s.truncated).toBe(true);
    expect(s.analysedLength).toBeLessThanOrEqual(MAX_NOTE_CHARS);
    expect(s.analysedLength).toBeGreaterThan(MAX_NOTE_CHARS * 0.8);
  });
});

describe('properties', () => {
  it('any string: sanitizing keeps the length, grading never throws and spans stay inside the note', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), fc.constantFrom(undefined, 'Blocked', 'In Progress', 'Status Unknown', 'No Intent', 'Duplicate/Invalid'), (text, l1) => {
        expect(sanitizeNote(text).clean.length).toBe(Math.min(text.length, sanitizeNote(text).analysedLength));
        const g = gradeNote(text, { l1 });
        expect(g.score).toBeGreaterThanOrEqual(0);
        expect(g.score).toBeLessThanOrEqual(1);
        for (const f of g.findings) {
          if (f.span) {
            expect(f.span.start).toBeGreaterThanOrEqual(0);
            expect(f.span.end).toBeLessThanOrEqual(text.length);
            expect(f.span.start).toBeLessThanOrEqual(f.span.end);
          }
        }
      }),
      { numRuns: 150, seed: 4 },
    );
  });
  it('a note without a reason is never great', () => {
    fc.assert(
      fc.property(fc.constantFrom('Customer', 'They', 'The team'), fc.constantFrom('wants Teams', 'is blocked', 'has no intent', 'is deploying'), fc.constantFrom('.', ' right now.', ', see notes.'), (who, what, tail) => {
        const g = gradeNote(`${who} ${what}${tail}`, { l1: 'Blocked' });
        expect(g.grade).not.toBe('great');
      }),
      { numRuns: 60, seed: 7 },
    );
  });
});
