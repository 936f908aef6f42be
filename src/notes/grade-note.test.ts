import { describe, expect, it } from 'vitest';
import { gradeNote, NOTE_FINDING_CODES, REWRITE_TEMPLATES, type NoteContext, type NoteFindingCode } from './index.js';

const codesOf = (text: string, context?: NoteContext) => gradeNote(text, context).findings.map((f) => f.code);

/** Each code: a note (with context) that must raise it, and a close one that must not. */
const CASES: { code: NoteFindingCode; hit: [string, NoteContext?]; miss: [string, NoteContext?] }[] = [
  { code: 'NOTE_EMPTY', hit: ['   \n\t '], miss: ['Customer wants Teams but its proxy cannot carry media traffic until the May upgrade.', { l1: 'Blocked' }] },
  { code: 'NOTE_BARE_STATUS', hit: ['Blocked - Legal/Regulatory', { l1: 'Blocked' }], miss: ['Blocked: the banking regulator has not approved storing client data abroad.', { l1: 'Blocked' }] },
  { code: 'NOTE_BARE_STATUS', hit: ['In progress.', { l1: 'In Progress' }], miss: ['In progress: 200 of 650 laptops enrolled in Intune, the rest by 30 June.', { l1: 'In Progress' }] },
  { code: 'NO_INTENT', hit: ['They run Slack and Zoom for all staff.', { l1: 'No Intent' }], miss: ['No intent: they run Slack and Zoom for all staff.', { l1: 'No Intent' }] },
  { code: 'NO_INTENT', hit: ['Compliance profiles configured, 300 devices enrolled.', { l1: 'In Progress' }], miss: ['Customer is enrolling its 900 laptops; 300 devices enrolled so far.', { l1: 'In Progress' }] },
  { code: 'NO_REASON', hit: ['Customer does not want to use SharePoint Online.', { l1: 'No Intent' }], miss: ['Customer does not want SharePoint Online because its intranet runs on SharePoint Server 2019.', { l1: 'No Intent' }] },
  { code: 'VAGUE_REASON', hit: ['Blocked by some technical issues.', { l1: 'Blocked' }], miss: ['Blocked by old Windows 7 PCs that cannot run the sync client.', { l1: 'Blocked' }] },
  { code: 'HEDGING', hit: ['No intent for now because the customer runs Google Workspace.', { l1: 'No Intent' }], miss: ['No intent because the customer runs Google Workspace company-wide.', { l1: 'No Intent' }] },
  {
    code: 'TOO_LONG',
    hit: ['Customer wants Intune. The firewall blocks enrolment. The network team owns it. They plan a fix. It should land in May.', { l1: 'Blocked' }],
    miss: ['Customer wants Intune but the firewall blocks enrolment; the network team plans a fix in May.', { l1: 'Blocked' }],
  },
  {
    code: 'NARRATIVE',
    hit: ['We met the CIO on 3 March and again on 17 March. He said they might also look at Teams Phone. The firewall blocks Intune enrolment.', { l1: 'Blocked' }],
    miss: ['Customer wants Intune but the firewall blocks enrolment; the network team replaces it on 17 March.', { l1: 'Blocked' }],
  },
  { code: 'ENGAGEMENT_LOGISTICS', hit: ['Customer is migrating 400 mailboxes; the next meeting with IT is on Friday.', { l1: 'In Progress' }], miss: ['Kick-off held in May; customer is migrating 400 mailboxes, finishing by 30 June.', { l1: 'In Progress' }] },
  {
    code: 'UNRESPONSIVE_NO_ATTEMPTS',
    hit: ['No reply to our emails and calls since March; unmanaged account.', { l1: 'Status Unknown', l2: 'Customer Unresponsive' }],
    miss: ['No reply to 3 emails and 2 calls since March; unmanaged account.', { l1: 'Status Unknown', l2: 'Customer Unresponsive' }],
  },
  {
    code: 'UNRESPONSIVE_NO_MANAGED',
    hit: ['No reply to 3 emails and 2 calls since March.', { l1: 'Status Unknown', l2: 'Customer Unresponsive' }],
    miss: ['No reply to 3 emails and 2 calls since March; managed account, escalated to the account team.', { l1: 'Status Unknown', l2: 'Customer Unresponsive' }],
  },
  {
    code: 'PASTED_ACROSS_WORKLOADS',
    hit: ['No intent: they hold all meetings and calls in Zoom.', { l1: 'No Intent', workload: 'SharePoint Online', otherNotes: [{ workload: 'Teams', text: 'No intent: they hold all meetings and calls in Zoom.' }] }],
    miss: ['No intent: they hold all meetings and calls in Zoom.', { l1: 'No Intent', workload: 'Teams', otherNotes: [{ workload: 'SharePoint Online', text: 'No intent: the intranet stays on SharePoint Server 2019.' }] }],
  },
  { code: 'STATUS_MISMATCH', hit: ['Customer has no intent to use Teams because it is standardised on Webex.', { l1: 'In Progress' }], miss: ['Customer has no intent to use Teams because it is standardised on Webex.', { l1: 'No Intent' }] },
  { code: 'NOT_ENGLISH', hit: ['Der Kunde hat keine Absicht, Teams zu nutzen, weil die Firma Zoom verwendet und zufrieden ist.'], miss: ['Customer has no intent to use Teams; the firm uses Zoom and is happy with it.'] },
  { code: 'MARKUP_OR_JUNK', hit: ['<div><p>Customer wants Teams but the <b>proxy</b> drops media traffic.</p></div>', { l1: 'Blocked' }], miss: ['Customer wants Teams but the proxy drops media traffic <until> the May upgrade.', { l1: 'Blocked' }] },
  { code: 'TRUNCATED', hit: ['Customer wants Teams but the proxy drops media. '.repeat(200)], miss: ['Customer wants Teams but the proxy drops media.'] },
];

describe('gradeNote findings', () => {
  it('covers every finding code', () => {
    expect(new Set(CASES.map((c) => c.code))).toEqual(new Set(NOTE_FINDING_CODES));
  });
  it.each(CASES)('$code is raised', ({ code, hit }) => {
    expect(codesOf(hit[0], hit[1])).toContain(code);
  });
  it.each(CASES)('$code is not raised on a close note', ({ code, miss }) => {
    expect(codesOf(miss[0], miss[1])).not.toContain(code);
  });
});

describe('grades', () => {
  const GREAT: [string, NoteContext][] = [
    ['Intent unknown: 5 attempts since 2 May (3 emails, 2 calls to the IT lead) with no reply; unmanaged account, no account team.', { l1: 'Status Unknown', l2: 'Customer Unresponsive', managed: false }],
    ['Customer bought Intune with an E5 upgrade on 4 June; intent not known, first email to the IT manager sent 5 June.', { l1: 'Status Unknown', l2: 'New Subscription or Workload' }],
    ['Customer is migrating 800 mailboxes from Exchange 2016 in three waves; wave 1 is done and the last wave ends on 30 September.', { l1: 'In Progress', l2: 'Migration' }],
    ['No intent to use Teams because the customer runs Webex under a contract that ends in 2027 and sees no reason to switch.', { l1: 'No Intent', l2: 'Using Competitive Solution' }],
    ['Customer wants Teams Phone but is blocked because its SBCs are not certified for Direct Routing; the network team replaces them in August.', { l1: 'Blocked', l2: 'Customer IT Infrastructure and Remediation' }],
    ['Duplicate of tenant woodgrove.onmicrosoft.com, the production tenant; this one was a 2022 trial with no users.', { l1: 'Duplicate/Invalid' }],
  ];
  it.each(GREAT)('a great %s note grades great', (text, context) => {
    const g = gradeNote(text, context);
    expect(g.findings).toEqual([]);
    expect(g.grade).toBe('great');
    expect(g.score).toBeGreaterThanOrEqual(0.9);
  });

  it('grades "Customer cannot deploy right now." poor and names the missing reason and the hedge', () => {
    const g = gradeNote('Customer cannot deploy right now.');
    expect(g.grade).toBe('poor');
    expect(g.score).toBeLessThan(0.5);
    const codes = g.findings.map((f) => f.code);
    expect(codes).toContain('NO_REASON');
    expect(codes).toContain('HEDGING');
    const hedge = g.findings.find((f) => f.code === 'HEDGING')!;
    expect('Customer cannot deploy right now.'.slice(hedge.span!.start, hedge.span!.end)).toBe('right now');
  });

  const NO_REASON: [string, string | undefined][] = [
    ['Customer wants Teams.', 'Blocked'],
    ['Customer wants Teams.', undefined],
    ['Blocked, waiting on the customer.', 'Blocked'],
    ['No intent at all, they said so clearly.', 'No Intent'],
    ['Customer is keen and committed.', 'In Progress'],
    ['Intent unknown.', 'Status Unknown'],
    ['Please remove this one from the reports.', 'Duplicate/Invalid'],
  ];
  it.each(NO_REASON)('never grades a note without a reason great: %s (%s)', (text, l1) => {
    const g = gradeNote(text, { l1 });
    expect(g.grade).toBe('poor');
    expect(g.findings.map((f) => f.code)).toEqual(expect.arrayContaining([expect.stringMatching(/^(NO_REASON|NOTE_BARE_STATUS)$/)]));
  });

  it('one warning makes a note marginal, three make it poor, an error makes it poor', () => {
    expect(gradeNote('No intent for now because the customer runs Google Workspace.', { l1: 'No Intent' }).grade).toBe('marginal');
    expect(gradeNote('Blocked by some technical issues.', { l1: 'Blocked' }).grade).toBe('poor');
  });

  it('returns the template of the L1, and a generic one without', () => {
    expect(gradeNote('x', { l1: 'blocked' }).template).toBe(REWRITE_TEMPLATES.Blocked);
    expect(gradeNote('Customer wants Teams.').template).not.toBe(REWRITE_TEMPLATES.Blocked);
  });
});

describe('departments and vague reasons', () => {
  const LEGAL_GERMANY = 'Legal forbids mail leaving Germany so rollout is blocked until the new region';
  it.each([['Blocked'], [undefined]])('a named department followed by a concrete reason is not vague (l1 %s)', (l1) => {
    const g = gradeNote(LEGAL_GERMANY, { l1 });
    expect(g.findings.map((f) => f.code)).not.toContain('VAGUE_REASON');
    expect(g.findings.map((f) => f.code)).not.toContain('NO_REASON');
    expect(g.grade).not.toBe('poor');
  });
  it.each([
    'Blocked by the security team.',
    'Legal has concerns.',
    'Legal wants more time.',
    'Security team requires approval.',
    'Blocked by legal reasons.',
  ])('a department without specifics stays vague: %s', (text) => {
    expect(codesOf(text, { l1: 'Blocked' })).toContain('VAGUE_REASON');
  });
});

describe('Duplicate/Invalid notes are judged by what such a note must say', () => {
  const DI: NoteContext = { l1: 'Duplicate/Invalid' };
  // Names the tenant or record it duplicates, or says why it is invalid: nothing more is needed.
  it.each([
    ['names the other tenant that holds the entitlements', 'This tenant is a duplicate of the Fabrikam Holdings tenant, which holds the real entitlements for every workload.'],
    ['names the other tenant with a verb', 'This tenant duplicates the Alder Foods tenant, where the licences and users are.'],
    ['names the other tenant after a colon', 'Duplicate: Contoso Pharma bought these licences again on its second tenant.'],
    ['names the other customer record', 'Same customer as Northwind Traders; the entitlements are tracked on that record.'],
    ['gives the other record by its tenant id', 'Duplicate record: the customer is already tracked under tenant nw-traders-01.'],
    ['gives the other record in quotes', 'Duplicate of "Birch Health Group", which the reseller registered first.'],
    ['created by mistake, to be cancelled', 'The subscription was created by mistake and will be cancelled by the reseller.'],
    ['ordered in error, order being reversed', 'Invalid: the distributor ordered it in error and is reversing the order.'],
    ['ordered by accident, cancellation requested', 'Invalid: ordered by accident during a reseller migration; cancellation requested on 4 June.'],
    ['booked against the wrong customer', 'Invalid because the partner booked this subscription against the wrong customer.'],
  ])('%s: great', (_what, text) => {
    const g = gradeNote(text, DI);
    expect(g.findings.map((f) => f.code)).toEqual([]);
    expect(g.grade).toBe('great');
  });
  // Says it is a duplicate or invalid, but not of what or why: still poor.
  it.each([
    ['Duplicate of another one.', 'VAGUE_REASON'],
    ['Duplicate tenant, the customer has another tenant somewhere.', 'VAGUE_REASON'],
    ['This is a duplicate of the other customer.', 'VAGUE_REASON'],
    ['Invalid due to issues.', 'VAGUE_REASON'],
    ['Duplicate, see the other record.', 'VAGUE_REASON'],
    ['Duplicate per Maya.', 'VAGUE_REASON'],
    ['Duplicate of the Teams entitlement.', 'VAGUE_REASON'],
    ['Please remove this one from the reports.', 'NO_REASON'],
  ])('%s: poor with %s', (text, code) => {
    const g = gradeNote(text, DI);
    expect(g.grade).toBe('poor');
    expect(g.findings.map((f) => f.code)).toContain(code);
  });
  it('asks a vague duplicate note for the tenant it duplicates or why it is invalid, not for a blocker', () => {
    const f = gradeNote('Duplicate of another customer.', DI).findings.find((x) => x.code === 'VAGUE_REASON');
    expect(f?.message).toMatch(/which tenant|why it is invalid/i);
    expect(f?.fix).toMatch(/tenant it duplicates/);
  });
  it('reads a named duplicate without a given status the same way', () => {
    expect(gradeNote('This tenant is a duplicate of the Fabrikam Holdings tenant, where the licences are assigned.').grade).toBe('great');
    expect(gradeNote('This tenant is a duplicate of another tenant.').grade).toBe('poor');
  });
});

describe('a note that gives no reason grades poor whatever the code', () => {
  const CODES: NoteContext[] = [
    {},
    { l1: 'Status Unknown', l2: 'Customer Unresponsive' },
    { l1: 'Status Unknown', l2: 'Customer Unresponsive', managed: true },
    { l1: 'Status Unknown', l2: 'New Subscription or Workload' },
    { l1: 'In Progress', l2: 'Migration' },
    { l1: 'Blocked', l2: 'Customer IT Infrastructure and Remediation' },
    { l1: 'No Intent', l2: 'Using Competitive Solution' },
    { l1: 'Duplicate/Invalid' },
  ];
  // Pointers to somewhere else: a channel or a document is named, nothing is said.
  const POINTERS = ['see email', 'See email.', 'per email', 'Refer to the email thread.', 'see call notes', 'Details in the Teams chat.'];
  it.each(POINTERS)('"%s" grades poor under every code, with NO_REASON', (text) => {
    for (const context of CODES) {
      const g = gradeNote(text, context);
      expect([g.grade, g.findings.map((f) => f.code)], JSON.stringify(context)).toEqual(['poor', expect.arrayContaining(['NO_REASON'])]);
      expect(g.score).toBeLessThanOrEqual(0.3);
    }
  });

  it('still takes described contact attempts or silence as the reason under Customer Unresponsive', () => {
    const unresponsive = { l1: 'Status Unknown', l2: 'Customer Unresponsive' };
    expect(gradeNote('Left two voicemails for the IT lead and sent three emails since May; managed account, escalated to the account team.', unresponsive).grade).toBe('great');
    for (const text of ['Emailed and called the IT lead; managed account.', 'Reminder emails sent to the CIO; unmanaged account.', 'The IT lead has gone silent; managed account.']) {
      const g = gradeNote(text, unresponsive);
      expect([g.grade, g.findings.map((f) => f.code)], text).toEqual(['marginal', ['UNRESPONSIVE_NO_ATTEMPTS']]);
    }
  });
});

describe('fix texts', () => {
  it.each([[undefined], ['Blocked'], ['No Intent']])('the fix for an empty note does not repeat itself (l1 %s)', (l1) => {
    const fix = gradeNote('', { l1 }).findings.find((f) => f.code === 'NOTE_EMPTY')?.fix ?? '';
    expect(fix).toMatch(/^Write one or two sentences: /);
    expect(fix.toLowerCase().split('one or two sentences').length - 1).toBe(1);
  });
});

describe('spans', () => {
  it('point at the text they are about, in the note as given, markup included', () => {
    const note = '<p>Customer is <b>currently</b> blocked by the proxy.</p>';
    const g = gradeNote(note, { l1: 'Blocked' });
    const hedge = g.findings.find((f) => f.code === 'HEDGING')!;
    expect(note.slice(hedge.span!.start, hedge.span!.end)).toBe('currently');
    const markup = g.findings.find((f) => f.code === 'MARKUP_OR_JUNK')!;
    expect(note.slice(markup.span!.start, markup.span!.end)).toBe('<p>');
  });
});

describe('classifier', () => {
  const reads = (l1: string, l2: string | null, confidence: number, abstained = false) => () => ({ l1, l2, confidence, abstained });
  const note = 'Customer wants Teams but the proxy drops media traffic; the network team upgrades it in May.';

  it('reports a confident classifier reading another L1, with the code and confidence', () => {
    const g = gradeNote(note, { l1: 'No Intent', classify: reads('Blocked', 'Customer IT Infrastructure and Remediation', 0.91) });
    const f = g.findings.find((x) => x.code === 'STATUS_MISMATCH');
    expect(f?.severity).toBe('error');
    expect(f?.message).toMatch(/Blocked \/ Customer IT Infrastructure and Remediation/);
    expect(f?.message).toMatch(/91%/);
  });
  it('reports another L2 under the same L1 as a warning', () => {
    const g = gradeNote(note, { l1: 'Blocked', l2: 'Adoption Readiness', classify: reads('Blocked', 'Customer IT Infrastructure and Remediation', 0.9) });
    expect(g.findings.find((x) => x.code === 'STATUS_MISMATCH')?.severity).toBe('warning');
  });
  it('ignores an abstaining or unsure classifier, and one that throws', () => {
    expect(codesOf(note, { l1: 'No Intent', classify: reads('Blocked', null, 0.95, true) })).not.toContain('STATUS_MISMATCH');
    expect(codesOf(note, { l1: 'Blocked', l2: 'Adoption Readiness', classify: reads('Blocked', 'App Compatibility', 0.4) })).not.toContain('STATUS_MISMATCH');
    const boom = () => {
      throw new Error('model missing');
    };
    expect(gradeNote(note, { l1: 'Blocked', classify: boom }).grade).toBe('great');
  });
  it('fills a missing L1 from the classifier (template and checks)', () => {
    const g = gradeNote('Compliance profiles configured, 300 devices enrolled.', { classify: reads('In Progress', 'Technical Onboarding and Deployment', 0.8) });
    expect(g.l1).toBe('In Progress');
    expect(g.template).toBe(REWRITE_TEMPLATES['In Progress']);
  });
});

describe('bad input', () => {
  it('grades a 1 MB note quickly, truncated, too long, poor', () => {
    const big = 'The customer said the proxy might be slow and we met again on Friday. '.repeat(15_000);
    const t0 = performance.now();
    const g = gradeNote(big, { l1: 'Blocked' });
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(g.grade).toBe('poor');
    expect(g.findings.map((f) => f.code)).toEqual(expect.arrayContaining(['TRUNCATED', 'TOO_LONG']));
    const tr = g.findings.find((f) => f.code === 'TRUNCATED')!;
    expect(tr.span!.end).toBe(big.length);
  });
  it.each([
    ['binary junk', '\u0000\u0001\u0002\ufffd\ufffd\u0003\ufffd\u0004\u0005', 'MARKUP_OR_JUNK'],
    ['markup only', '<div><br/></div>', 'MARKUP_OR_JUNK'],
    ['a link only', 'https://contoso.example/sites/notes/status.docx', 'MARKUP_OR_JUNK'],
    ['punctuation only', '-- ... --', 'NOTE_EMPTY'],
    ['Spanish', 'El cliente no quiere usar Teams porque toda la empresa usa Zoom.', 'NOT_ENGLISH'],
    ['Japanese', 'お客様はプロキシの問題でTeamsを展開できません。', 'NOT_ENGLISH'],
    ['lone surrogates', 'Customer \ud800 wants \udc00 Teams', null],
  ])('%s gets a clear result', (_name, text, code) => {
    const g = gradeNote(text, { l1: 'Blocked' });
    expect(['great', 'marginal', 'poor']).toContain(g.grade);
    if (code) {
      expect(g.grade).toBe('poor');
      expect(g.findings.map((f) => f.code)).toContain(code);
    }
  });
  it('survives values that are not strings and odd contexts', () => {
    expect(gradeNote(undefined as unknown as string).findings[0]?.code).toBe('NOTE_EMPTY');
    expect(gradeNote(42 as unknown as string, { l1: 'Nonsense', otherNotes: [null as unknown as { workload: string; text: string }] }).grade).toBeDefined();
    const odd = { l1: 7, l2: {}, workload: [], managed: 'yes', otherNotes: [{ workload: 3, text: null }], classify: 'no' } as unknown as NoteContext;
    expect(gradeNote('Customer wants Teams but the proxy drops media traffic.', odd).grade).toBe('great');
    expect(gradeNote('Customer wants Teams but the proxy drops media traffic.', null as unknown as NoteContext).grade).toBe('great');
  });
});
