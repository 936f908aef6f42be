/** Pure helpers of the web app (no browser): inline rules, re-ranking, question kinds, URL filters, highlighting, CSV, passwords. */
import { describe, expect, it } from 'vitest';
import { buildFallbackTaxonomy } from '../hand-built-taxonomy.js';
import { checkStatus, isExplainingNote, toBulkChange, toStatusChange } from '../../web/src/lib/rules.js';
import { listCandidates, rerankCandidates } from '../../web/src/lib/rerank.js';
import { splitHighlights } from '../../web/src/lib/highlight.js';
import { quoteCsvField, toCsv } from '../../web/src/lib/csv.js';
import { appendAnswer, classifyQuestion } from '../../web/src/lib/questions.js';
import { checkPortfolioFilters, checkReportFilters, describeDroppedFilters, describeDroppedReportFilters, findRetiredLabels, isIsoDate } from '../../web/src/lib/url-filters.js';
import { checkNewPassword, describeRetry, generatePassword, readRetryAfter } from '../../web/src/lib/password.js';
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

describe('toBulkChange and toStatusChange (what the forms send)', () => {
  const filled: StatusFields = { ...base, owner: 'Ana', nextAction: 'Call', nextActionDate: '2026-04-01', engagementStartDate: '2026-01-01', businessReason: 'Security' };

  it('sends only the status and the fields filled in for a bulk change, never null for the rest', () => {
    expect(toBulkChange({ ...filled, note: '  ' })).toEqual({ l1: 'In Progress', l2: 'Migration', targetDate: '2026-06-30' });
    expect(toBulkChange(base)).toEqual({ l1: 'In Progress', l2: 'Migration', note: base.note, targetDate: '2026-06-30' });
    expect(toBulkChange({ ...base, l1: 'Blocked', l2: 'Legal/Regulatory', targetDate: null, projectedUnblockDate: '2026-05-01' })).toEqual({
      l1: 'Blocked',
      l2: 'Legal/Regulatory',
      note: base.note,
      projectedUnblockDate: '2026-05-01',
    });
  });

  it('drops a projected unblock date left over once the L1 is no longer Blocked', () => {
    expect(toBulkChange({ ...base, projectedUnblockDate: '2026-05-01' })).not.toHaveProperty('projectedUnblockDate');
    expect(toStatusChange({ ...filled, projectedUnblockDate: '2026-05-01' })).toEqual({ ...filled, projectedUnblockDate: null });
    const blocked = { ...filled, l1: 'Blocked', l2: 'Legal/Regulatory', projectedUnblockDate: '2026-05-01' };
    expect(toStatusChange(blocked)).toEqual({ ...blocked, targetDate: null });
  });

  it('drops a target date left over once the L1 is no longer In Progress', () => {
    expect(filled.targetDate).not.toBeNull();
    expect(toStatusChange(filled)).toEqual({ ...filled, projectedUnblockDate: null });
    const noIntent = { ...filled, l1: 'No Intent', l2: 'Executive Sponsorship' };
    expect(toStatusChange(noIntent)).toEqual({ ...noIntent, targetDate: null, projectedUnblockDate: null });
    expect(toBulkChange(noIntent)).not.toHaveProperty('targetDate');
  });
});

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
    [-3, '-3'],
    ['=HYPERLINK("http://x","y")', '"\'=HYPERLINK(""http://x"",""y"")"'],
    ['@SUM(1+1)', "'@SUM(1+1)"],
    ['-note', "'-note"],
  ])('quotes %j as %j', (input, expected) => {
    expect(quoteCsvField(input)).toBe(expected);
  });

  it('writes a header and one CRLF line per row', () => {
    expect(toCsv([{ reason: 'Legal/Regulatory', count: 3 }], ['reason', 'count'])).toBe('reason,count\r\nLegal/Regulatory,3\r\n');
  });
});

describe('classifyQuestion (how a confirmation question is answered)', () => {
  it.each([
    // Closed questions: Yes / No, which re-rank the candidates.
    ['Is the account managed?', 'yes-no'],
    ['Do sites have local internet breakout, and are the UDP media ports open?', 'yes-no'],
    ['Is media traffic routed through a proxy, VPN or inspection device?', 'yes-no'],
    ['Has anyone from the customer stated an intent, a refusal or a blocker? If yes, the entitlement belongs under another L1.', 'yes-no'],
    ['Does the customer still intend to use the workload? If not, use No Intent.', 'yes-no'],
    ['If yes, has a first contact been attempted at all?', 'yes-no'],
    ['Is a partner (or the intention to hire one) part of the delivery plan for this workload?', 'yes-no'],
    // Open questions: a fact, a reason or a choice, answered in words.
    ['Why does the customer prefer the competing product (cost, features, familiarity, integrations)?', 'open'],
    ['What does the customer use instead?', 'open'],
    ['Which on-premises product does the customer run for this job, and which version?', 'open'],
    ['How many times have you tried to reach the customer, and over how long a period?', 'open'],
    ['When does the contract for the competing product end?', 'open'],
    ['Who owns it on the business side?', 'open'],
    ['Where must the mail data be stored by law, and where is the tenant\'s data located?', 'open'],
    ['If it wants to move, what stops it? That points to a Blocked code.', 'open'],
    ['Is it a Microsoft server product, or a product from another vendor?', 'open'],
    ['Is it a cloud service or an on-premises server from the same vendor as the workload?', 'open'],
    ['Has the customer decided to keep it, or does it want to move away from it?', 'open'],
    ['Is this a trial, and when does it end?', 'open'],
    ['If not, is a hire, a budget request or an outside service being arranged, and by when?', 'open'],
    ['The vendor\'s own on-premises server?', 'open'],
    // Not a question: advice only.
    ['If no, the work is onboarding and deployment.', 'guidance'],
  ])('%s -> %s', (text, kind) => {
    expect(classifyQuestion(text)).toBe(kind);
  });
});

describe('appendAnswer', () => {
  it.each([
    ['Customer on Zoom.', 'cheaper per seat', 'Customer on Zoom. Cheaper per seat.'],
    ['Customer on Zoom', '  renewed   until 2028 ', 'Customer on Zoom. Renewed until 2028.'],
    ['Customer on Zoom.', 'Is it cheaper?', 'Customer on Zoom. Is it cheaper?'],
    ['', 'slack, since 2019', 'Slack, since 2019.'],
    ['Customer on Zoom.', '   ', 'Customer on Zoom.'],
  ])('adds %j + %j as a sentence', (note, answer, expected) => {
    expect(appendAnswer(note, answer)).toBe(expected);
  });
});

describe('checkPortfolioFilters (filters read from the URL)', () => {
  const workloads = [
    { slug: 'teams', name: 'Teams' },
    { slug: 'exchange-online', name: 'Exchange Online' },
  ];
  const loaded = { taxonomy, workloads };

  it('keeps valid filters as they are', () => {
    const input = { l1: 'Blocked', l2: 'Legal/Regulatory', workload: 'teams', minDays: '30', maxDays: '0', owner: 'Ann', q: 'proxy', partnerId: '2' };
    expect(checkPortfolioFilters(input, loaded)).toEqual({ filters: input, dropped: [], changed: false, pending: false });
  });

  it('drops what the server would refuse or the controls cannot show, and says why', () => {
    const checked = checkPortfolioFilters({ l1: 'Bogus', minDays: 'abc', maxDays: '-1', partnerId: 'x', workload: 'fax', q: 'x'.repeat(201) }, loaded);
    expect(checked.filters).toEqual({});
    expect(checked.changed).toBe(true);
    expect(checked.dropped.map((d) => d.key).sort()).toEqual(['l1', 'maxDays', 'minDays', 'partnerId', 'q', 'workload']);
    expect(describeDroppedFilters(checked.dropped.filter((d) => d.key === 'l1' || d.key === 'minDays'))).toBe(
      'Min days "abc" (not a whole number of days from 0 to 100,000); L1 "Bogus" (not an L1 of the playbook)',
    );
  });

  it('respells labels as the server matches them, and drops an L2 of another L1', () => {
    expect(checkPortfolioFilters({ l1: 'blocked', l2: 'legal regulatory', workload: 'Exchange Online' }, loaded).filters).toEqual({ l1: 'Blocked', l2: 'Legal/Regulatory', workload: 'exchange-online' });
    const checked = checkPortfolioFilters({ l1: 'In Progress', l2: 'Legal/Regulatory' }, loaded);
    expect(checked.filters).toEqual({ l1: 'In Progress' });
    expect(checked.dropped).toEqual([{ key: 'l2', value: 'Legal/Regulatory', reason: 'not a reason under In Progress' }]);
  });

  it('waits for the reference data it needs, and passes values unchecked when that data failed to load', () => {
    expect(checkPortfolioFilters({ l1: 'Bogus' }, { taxonomy: undefined, workloads }).pending).toBe(true);
    expect(checkPortfolioFilters({ minDays: '3' }, { taxonomy: undefined, workloads: undefined }).pending).toBe(false);
    expect(checkPortfolioFilters({ l1: 'Bogus', workload: 'fax' }, { taxonomy: null, workloads: null })).toEqual({ filters: { l1: 'Bogus', workload: 'fax' }, dropped: [], changed: false, pending: false });
  });

  it('keeps labels of an older playbook that entitlements still carry, once it knows them', () => {
    const rows = [
      { key: 'blocked/legal-regulatory', label: 'Legal/Regulatory', l1: 'Blocked', count: 5 },
      { key: 'blocked/waiting-on-legal', label: 'Waiting on Legal', l1: 'Blocked', count: 2 },
      { key: 'parked', label: 'Parked', l1: 'Parked', count: 3 },
    ];
    const retired = findRetiredLabels(taxonomy, rows);
    expect(retired).toEqual([
      { l1: 'Parked', l2: null, count: 3 },
      { l1: 'Blocked', l2: 'Waiting on Legal', count: 2 },
    ]);
    const withRetired = { ...loaded, retired };
    expect(checkPortfolioFilters({ l1: 'Blocked', l2: 'Waiting on Legal' }, withRetired)).toEqual({ filters: { l1: 'Blocked', l2: 'Waiting on Legal' }, dropped: [], changed: false, pending: false });
    expect(checkPortfolioFilters({ l1: 'parked' }, withRetired).filters).toEqual({ l1: 'Parked' });
    expect(checkPortfolioFilters({ l2: 'waiting on legal' }, withRetired).filters).toEqual({ l2: 'Waiting on Legal' });
    // Under another L1, and when no row carries it, it is dropped as any unknown label is.
    expect(checkPortfolioFilters({ l1: 'In Progress', l2: 'Waiting on Legal' }, withRetired).dropped).toEqual([{ key: 'l2', value: 'Waiting on Legal', reason: 'not a reason under In Progress' }]);
    expect(checkPortfolioFilters({ l2: 'Waiting on Legal' }, loaded).dropped.map((d) => d.key)).toEqual(['l2']);
    expect(checkPortfolioFilters({ l2: 'Waiting on Legal' }, { ...loaded, retired: null }).dropped.map((d) => d.key)).toEqual(['l2']);
    // While the labels in use load, an unknown label waits for them; a known one does not.
    expect(checkPortfolioFilters({ l2: 'Waiting on Legal' }, { ...loaded, retired: undefined }).pending).toBe(true);
    expect(checkPortfolioFilters({ l2: 'Legal/Regulatory' }, { ...loaded, retired: undefined }).pending).toBe(false);
  });
});

describe('checkReportFilters (report filters read from the URL)', () => {
  const workloads = [
    { slug: 'teams', name: 'Teams' },
    { slug: 'exchange-online', name: 'Exchange Online' },
  ];
  const partners = [{ id: 7, name: 'Tidewater' }];
  const loaded = { taxonomy, workloads, partners, today: '2026-03-02' };

  it('keeps valid filters as they are', () => {
    const input = { workload: 'teams', partnerId: '7', l1: 'No Intent', from: '2025-03-01', to: '2026-02-28', weeks: '8', level: 'l1' };
    expect(checkReportFilters(input, loaded)).toEqual({ filters: input, dropped: [], changed: false, pending: false });
    expect(checkReportFilters({}, loaded)).toEqual({ filters: {}, dropped: [], changed: false, pending: false });
  });

  it('drops each value the API would refuse or the controls cannot show, naming it and why', () => {
    const checked = checkReportFilters({ workload: 'fax', partnerId: '99', l1: 'Bogus', from: '2026-02-30', to: 'yesterday', weeks: '0', level: 'team' }, loaded);
    expect(checked.filters).toEqual({});
    expect(checked.changed).toBe(true);
    expect(checked.pending).toBe(false);
    expect(checked.dropped.map((d) => d.key)).toEqual(['workload', 'partnerId', 'l1', 'from', 'to', 'weeks', 'level']);
    expect(describeDroppedReportFilters(checked.dropped.filter((d) => d.key === 'partnerId' || d.key === 'weeks'))).toBe(
      'Partner "99" (not a partner you can see); Weeks ahead "0" (not a whole number of weeks from 1 to 104)',
    );
    expect(checkReportFilters({ weeks: '105' }, loaded).dropped[0]?.key).toBe('weeks');
    expect(checkReportFilters({ weeks: '2.5' }, loaded).dropped[0]?.key).toBe('weeks');
    expect(checkReportFilters({ partnerId: 'x' }, loaded).dropped).toEqual([{ key: 'partnerId', value: 'x', reason: 'not a partner id' }]);
  });

  it('drops a period that ends before it starts, and a From after today when there is no To', () => {
    const both = checkReportFilters({ from: '2026-02-01', to: '2026-01-01', weeks: '4' }, loaded);
    expect(both.filters).toEqual({ weeks: '4' });
    expect(both.dropped.map((d) => `${d.key}: ${d.reason}`)).toEqual(['from: after To (2026-01-01)', 'to: before From (2026-02-01)']);
    expect(checkReportFilters({ from: '2026-03-03' }, loaded).dropped).toEqual([{ key: 'from', value: '2026-03-03', reason: 'after today (2026-03-02)' }]);
    expect(checkReportFilters({ from: '2026-03-02' }, loaded).changed).toBe(false);
    expect(checkReportFilters({ from: '2026-03-10', to: '2026-04-01' }, loaded).changed).toBe(false);
  });

  it('respells as the controls show values, and checking the result again changes nothing', () => {
    const checked = checkReportFilters({ workload: 'Exchange Online', l1: 'blocked', level: 'L1', weeks: '08', partnerId: ' 7' }, loaded);
    expect(checked.filters).toEqual({ workload: 'exchange-online', l1: 'Blocked', level: 'l1', weeks: '8', partnerId: '7' });
    expect(checked.dropped).toEqual([]);
    expect(checked.changed).toBe(true);
    expect(checkReportFilters(checked.filters, loaded)).toEqual({ filters: checked.filters, dropped: [], changed: false, pending: false });
  });

  it('waits for the reference data it needs, and passes values unchecked when that data failed to load', () => {
    expect(checkReportFilters({ l1: 'Bogus' }, { ...loaded, taxonomy: undefined }).pending).toBe(true);
    expect(checkReportFilters({ workload: 'fax' }, { ...loaded, workloads: undefined }).pending).toBe(true);
    expect(checkReportFilters({ partnerId: '99' }, { ...loaded, partners: undefined }).pending).toBe(true);
    expect(checkReportFilters({ weeks: '3' }, { taxonomy: undefined, workloads: undefined, partners: undefined, today: '2026-03-02' }).pending).toBe(false);
    expect(checkReportFilters({ l1: 'Bogus', workload: 'fax', partnerId: '99' }, { taxonomy: null, workloads: null, partners: null, today: '2026-03-02' })).toEqual({
      filters: { l1: 'Bogus', workload: 'fax', partnerId: '99' },
      dropped: [],
      changed: false,
      pending: false,
    });
  });

  it('isIsoDate accepts real calendar dates only', () => {
    expect(['2024-02-29', '2026-12-31'].map(isIsoDate)).toEqual([true, true]);
    expect(['2025-02-29', '2026-13-01', '2026-1-01', '20260101', ''].map(isIsoDate)).toEqual([false, false, false, false, false]);
  });
});

describe('password helpers', () => {
  it('checks a new password as the server does, and the repeat', () => {
    expect(checkNewPassword('seven77')).toBe('Use at least 8 characters.');
    expect(checkNewPassword('        ')).toBe('A password cannot be only spaces.');
    expect(checkNewPassword('x'.repeat(1001))).toBe('Use at most 1,000 characters.');
    expect(checkNewPassword('long enough', 'long enougH')).toBe('The two new passwords are not the same.');
    expect(checkNewPassword('long enough', 'long enough')).toBeUndefined();
    expect(checkNewPassword('long enough')).toBeUndefined();
  });

  it('generates 16 URL-safe characters from 12 random bytes, different each time', () => {
    expect(generatePassword((b) => b.fill(0xff))).toBe('________________');
    expect(generatePassword((b) => b.fill(0xfb))).toBe('-_v7-_v7-_v7-_v7');
    const a = generatePassword();
    expect(a).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(generatePassword()).not.toBe(a);
    expect(checkNewPassword(a)).toBeUndefined();
  });

  it('reads the wait of a rate limit and says when to try again', () => {
    expect(readRetryAfter({ retryAfterSeconds: 89.2 })).toBe(90);
    expect(readRetryAfter({ retryAfterSeconds: 'soon' })).toBeUndefined();
    expect(readRetryAfter(undefined)).toBeUndefined();
    const now = new Date(2026, 2, 2, 14, 0, 30);
    expect(describeRetry(45, now)).toBe('Try again in 45 seconds (at 14:02).');
    expect(describeRetry(900, now)).toBe('Try again in 15 minutes (at 14:16).');
    expect(describeRetry(undefined, now)).toBe('Wait a few minutes and try again.');
  });
});
