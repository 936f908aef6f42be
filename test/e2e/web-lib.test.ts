/** Pure helpers of the web app (no browser): the inline playbook rules, re-ranking, highlighting, CSV. */
import { describe, expect, it } from 'vitest';
import { buildFallbackTaxonomy } from '../hand-built-taxonomy.js';
import { checkStatus, isExplainingNote } from '../../web/src/lib/rules.js';
import { listCandidates, rerankCandidates } from '../../web/src/lib/rerank.js';
import { splitHighlights } from '../../web/src/lib/highlight.js';
import { quoteCsvField, toCsv } from '../../web/src/lib/csv.js';
import type { StatusFields } from '../../web/src/api/types.js';

const taxonomy = buildFallbackTaxonomy('webtest00001');
const TODAY = '2026-03-02';
const base: StatusFields = {
  l1: 'In Progress',
  l2: 'Migration',
  note: 'Mailboxes are moving in three waves, finance first, because the old servers reach end of life.',
  targetDate: '2026-06-30',
  engagementStartDate: null,
  businessReason: null,
  owner: null,
  nextAction: null,
  nextActionDate: null,
  projectedUnblockDate: null,
};

describe('checkStatus (inline playbook rules)', () => {
  const cases: { name: string; change: Partial<StatusFields>; errors: string[] }[] = [
    { name: 'a valid In Progress status', change: {}, errors: [] },
    { name: 'an L2 from another L1', change: { l2: 'Legal/Regulatory' }, errors: ['L2_NOT_IN_L1'] },
    { name: 'an L1 with L2s but none chosen', change: { l2: null }, errors: ['L2_REQUIRED'] },
    { name: 'In Progress without a target date', change: { targetDate: null }, errors: ['TARGET_DATE_REQUIRED'] },
    { name: 'In Progress with a target date today', change: { targetDate: TODAY }, errors: ['TARGET_DATE_NOT_FUTURE'] },
    { name: 'Blocked with a bare note and no unblock date', change: { l1: 'Blocked', l2: 'Legal/Regulatory', note: 'Blocked legal' }, errors: ['BLOCKED_NOTE', 'UNBLOCK_DATE_REQUIRED'] },
    { name: 'Blocked with an explaining note and a date', change: { l1: 'Blocked', l2: 'Legal/Regulatory', projectedUnblockDate: '2026-04-01' }, errors: [] },
    { name: 'Blocked with an unblock date in the past', change: { l1: 'Blocked', l2: 'Legal/Regulatory', projectedUnblockDate: '2026-01-01' }, errors: ['BLOCKED_UNBLOCK_DATE'] },
    { name: 'No Intent with a two-word note', change: { l1: 'No Intent', l2: 'Executive Sponsorship', note: 'no sponsor' }, errors: ['NO_INTENT_NOTE'] },
    { name: 'Duplicate/Invalid on one entitlement', change: { l1: 'Duplicate/Invalid', l2: null }, errors: ['DUPLICATE_INVALID_WHOLE_CUSTOMER'] },
    { name: 'an unknown L1', change: { l1: 'Paused', l2: null }, errors: ['UNKNOWN_L1'] },
  ];
  it.each(cases)('$name', ({ change, errors }) => {
    const found = checkStatus({ ...base, ...change }, taxonomy, TODAY)
      .filter((i) => i.severity === 'error')
      .map((i) => i.code);
    expect(found.sort()).toEqual([...errors].sort());
  });

  it('counts only the words beyond the status name as explaining', () => {
    expect(isExplainingNote('Blocked: legal regulatory blocked', 'Blocked', 'Legal/Regulatory')).toBe(false);
    expect(isExplainingNote('The banking regulator forbids storing client data abroad', 'Blocked', 'Legal/Regulatory')).toBe(true);
  });
});

describe('rerankCandidates', () => {
  const candidates = [
    { l1: 'Blocked', l2: 'Customer IT Infrastructure and Remediation', code: 'a', confidence: 0.5 },
    { l1: 'Blocked', l2: 'IT Change Management and Resourcing', code: 'b', confidence: 0.3 },
    { l1: 'Blocked', l2: 'Adoption Readiness', code: 'c', confidence: 0.2 },
  ];
  const questions = [
    { text: 'Is the IT team short of people?', l1: 'Blocked', l2: 'IT Change Management and Resourcing' },
    { text: 'Is the network in the way?', l1: 'Blocked', l2: 'Customer IT Infrastructure and Remediation' },
  ];

  it('keeps the order when nothing is answered', () => {
    expect(rerankCandidates(candidates, questions, {}).map((c) => c.code)).toEqual(['a', 'b', 'c']);
  });

  it('moves a code up on "yes" and down on "no", keeping the total', () => {
    const ranked = rerankCandidates(candidates, questions, { 0: 'yes', 1: 'no' });
    expect(ranked.map((c) => c.code)).toEqual(['b', 'a', 'c']);
    expect(ranked.reduce((s, c) => s + c.confidence, 0)).toBeCloseTo(1, 6);
  });

  it('lists the best code first without duplicating it among the alternatives', () => {
    const list = listCandidates({ l1: 'Blocked', l2: 'Adoption Readiness', code: 'c', confidence: 0.6, alternatives: candidates });
    expect(rerankCandidates(list, [], {}).map((c) => c.code)).toEqual(['c', 'a', 'b']);
    expect(listCandidates({ l1: null, l2: null, code: null, confidence: 0.1, alternatives: [] })).toEqual([]);
  });
});

describe('splitHighlights', () => {
  it('marks whole words case-insensitively and keeps the text intact', () => {
    const text = 'The Proxy blocks proxying; the firewall team waits.';
    const segments = splitHighlights(text, ['proxy', 'firewall team', '']);
    expect(segments.map((s) => s.text).join('')).toBe(text);
    expect(segments.filter((s) => s.marked).map((s) => s.text)).toEqual(['Proxy', 'firewall team']);
  });

  it('returns the text unmarked when no term matches', () => {
    expect(splitHighlights('nothing here', ['absent'])).toEqual([{ text: 'nothing here', marked: false }]);
  });
});

describe('CSV', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    [null, ''],
    [42, '42'],
  ])('quotes %j as %j', (input, expected) => {
    expect(quoteCsvField(input)).toBe(expected);
  });

  it('writes a header and one CRLF line per row', () => {
    expect(toCsv([{ reason: 'Legal/Regulatory', count: 3 }], ['reason', 'count'])).toBe('reason,count\r\nLegal/Regulatory,3\r\n');
  });
});
