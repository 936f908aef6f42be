import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkInput, countCharacters, findLetterWords } from './input-check.js';

/** The counts written the obvious way, with regular expressions. */
function reference(text: string) {
  let control = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= 8 || (c >= 14 && c <= 31) || c === 127 || c === 0xfffd) control++;
  }
  const compact = text.replace(/\s+/g, '');
  return {
    nonSpace: compact.length,
    control,
    letters: (compact.match(/\p{L}/gu) ?? []).length,
    latin: (compact.match(/[A-Za-z\u00C0-\u024F]/g) ?? []).length,
  };
}

describe('countCharacters', () => {
  // Well-formed text: a lone surrogate pair split by a space is the one case where removing spaces first (the
  // regular expressions) would join two halves into a letter that the text does not contain.
  it('agrees with the regular-expression counts on any well-formed text', () => {
    const chars = fc.oneof(
      fc.constantFrom(' ', '\t', '\n', '\u00a0', '\u2003', '\ufeff', '\u0000', '\u0007', '\u007f', '\ufffd', '×', '÷', 'é', 'Ω', 'ж', '日', '𝒜', '😀', 'a', 'Z', '1', '-'),
      fc.string({ unit: 'binary', maxLength: 3 }),
    );
    fc.assert(fc.property(fc.array(chars, { maxLength: 40 }).map((parts) => parts.join('')), (text) => {
      expect(countCharacters(text)).toEqual(reference(text));
    }), { numRuns: 2000 });
  });
});

describe('findLetterWords', () => {
  it('finds the runs of letters the regular expression it replaced finds, on ASCII text and on any other', () => {
    for (const s of ['', 'a', 'no update since monday', "haven't heard back; IT's busy", 'e5 licences x2', 'caf\u00e9 au lait', 'stra\u00dfe', '\u212a kelvin', '\ud835\udc00 math', 'end.']) {
      expect(findLetterWords(s.toLowerCase())).toEqual(s.toLowerCase().match(/\p{L}+/gu) ?? []);
    }
    for (const unit of ['grapheme-ascii', 'binary'] as const) {
      fc.assert(
        fc.property(fc.string({ unit }), (s) => {
          expect(findLetterWords(s.toLowerCase())).toEqual(s.toLowerCase().match(/\p{L}+/gu) ?? []);
        }),
      );
    }
  });
});

describe('checkInput on notes that say nothing', () => {
  it('calls a note of invisible characters only (zero-width spaces, word joiners, soft hyphens) empty', () => {
    for (const note of ['\u200b\u200b', '\u200c \u200d\u2060', '\ufeff\u200b\n', '\u00ad']) {
      expect(checkInput(note).unusable, JSON.stringify(note)).toBe('The note is empty: there is nothing to classify.');
    }
  });

  it('says a note that is only a link, or only links, cannot be read', () => {
    for (const note of ['https://contoso.sharepoint.com/sites/rollout/Shared%20Documents/status.docx', ' www.contoso.com/status ', 'http://a.example/x\nhttps://b.example/y?z=1']) {
      expect(checkInput(note).unusable, note).toMatch(/only a link/);
    }
  });

  it('says a note that is only an email address cannot be read', () => {
    expect(checkInput('john.smith@contoso.com').unusable).toMatch(/only an email address/);
    expect(checkInput('<john.smith@contoso.com>; it-team@contoso.co.uk').unusable).toMatch(/only an email address/);
  });

  it('says a note that is only an email signature cannot be read', () => {
    const signatures = [
      'Best regards,\nJohn Smith\nSenior Delivery Manager | Contoso Ltd.\nPhone: +1 555 0100\njohn.smith@contoso.com',
      'Kind regards\r\nAnna',
      'Sent from my iPhone',
      'Sent from my Verizon Wireless 4G LTE smartphone',
      'Thanks,\nJane Smith | she/her | Contoso',
      'Regards,\nJane Smith | Head of Infrastructure and Cloud Operations',
      'Regards,\nJane Smith\nContoso Ltd | Registered in England No. 01234567',
      'Get Outlook for Android',
    ];
    for (const note of signatures) expect(checkInput(note).unusable, note).toMatch(/only an email signature/);
  });

  it('reads a note that has a reason in words, whatever links, addresses or sign-off come with it', () => {
    for (const note of [
      'Firewall blocks Teams media ports, see https://contoso.com/t/1',
      'No reply from john.smith@contoso.com after three emails and two calls.',
      'Proxy blocks OneDrive sync.\n\nBest regards,\nJohn',
      'Thanks to the new CIO the migration restarted last week.',
      'Regards the licences: the customer bought the wrong SKU.',
    ]) {
      expect(checkInput(note).unusable, note).toBeNull();
    }
  });
});

describe('checkInput on a note that opens like a signature', () => {
  it('reads it when a line after the sign-off is a sentence of its own', () => {
    expect(checkInput('Thanks,\nE3 licences for 500 users were never assigned by the reseller and nobody owns the fix').unusable).toBeNull();
  });

  it('reads short sentences after a sign-off: a signature is names, roles and contact details', () => {
    for (const note of [
      'Thanks,\nBlocked by legal review.\nFollow up Friday.',
      'Cheers\nWaiting on the customer budget sign-off',
      'Regards,\nTenant migration stalled; customer lacks licences',
    ]) {
      expect(checkInput(note).unusable, note).toBeNull();
    }
    expect(checkInput('Best regards,\nMaria van der Berg\nHead of IT Operations\nContoso Ltd.').unusable).toMatch(/only an email signature/);
  });
});

describe('checkInput on a note that ends with an email signature', () => {
  it('classifies the note without the signature block after it', () => {
    const cases: [string, string][] = [
      ['Blocked by legal review of the DPA.\n\nThanks,\nJane Smith\nCloud Architect', 'Blocked by legal review of the DPA.'],
      ['Proxy blocks OneDrive sync.\r\n\r\nBest regards,\r\nJohn Smith\r\nSenior Delivery Manager | Contoso Ltd.\r\nPhone: +1 555 0100\r\njohn.smith@contoso.com', 'Proxy blocks OneDrive sync.'],
      ['Mailbox moves resume next week.\nSent from my iPhone', 'Mailbox moves resume next week.'],
      ['Waiting on the reseller to fix the SKU.\nThanks,\nAnna\n--\nSent from my iPhone', 'Waiting on the reseller to fix the SKU.'],
      // Signatures that are not a person's name first, and longer phone footers (review, session 18).
      ['Customer waiting on legal review of the DPA.\n\nKind regards,\nIT Service Desk | Contoso\n+44 20 7946 0958', 'Customer waiting on legal review of the DPA.'],
      ['Blocked by legal review.\nRegards,\nJ.R. Smith | Contoso', 'Blocked by legal review.'],
      ['Licences arrive Monday.\nSent from my Samsung Galaxy S23 Ultra', 'Licences arrive Monday.'],
      ['Licences arrive Monday.\n\nSent from my iPad Pro 12.9', 'Licences arrive Monday.'],
      ['Blocked by legal review.\nThanks,\nJane Smith | she/her | Contoso', 'Blocked by legal review.'],
      ['Blocked by legal review.\nThanks,\nJane Smith | Head of Infrastructure and Cloud Operations', 'Blocked by legal review.'],
      ['Blocked by legal review.\nThanks,\nJane Smith\nContoso Ltd | Registered in England No. 01234567', 'Blocked by legal review.'],
      ['Blocked by legal review.\n\nKind Regards,\n\nJane Smith | IT Manager\nT: +44 20 7946 0958\nE: jane@contoso.com\nW: contoso.com', 'Blocked by legal review.'],
      ['Blocked by legal review.\nThx,\nJane Smith\nshe/her\nExt. 4411', 'Blocked by legal review.'],
      ['Blocked by legal review.\nAll the best,\nJane Smith, CISSP', 'Blocked by legal review.'],
      ['Blocked by legal review.\nRgds\nJane\n\nGet Outlook for iOS', 'Blocked by legal review.'],
    ];
    for (const [note, body] of cases) {
      const check = checkInput(note);
      expect(check.text, note).toBe(body);
      expect(check.unusable, note).toBeNull();
    }
  });

  it('keeps the note whole when the lines after the sign-off are content, not a signature', () => {
    for (const note of [
      'Legal is reviewing the DPA.\nThanks,\nBlocked until procurement signs it.',
      'Firewall change approved.\n\nRegards,\nTenant migration stalled; customer lacks licences',
      'Thanks to the new CIO the migration restarted last week.',
      'Thanks,\nBlocked by legal review.\nFollow up Friday.',
      // A sign-off and a name on one line: cut in d896b99, kept again since session 19 ("Thanks, Budget Freeze" reads the same).
      'Proxy blocks OneDrive sync.\nThanks, John',
      // A sign-off, then an update that reads like a signature line to looser rules (review, session 18).
      '2026-11-18: Blocked, legal is reviewing the DPA.\n--\n2026-11-25: DPA signed, pilot of 200 users started',
      'Blocked by tenant policy.\nThanks,\nTicket 2211045 open with Microsoft support',
      'Pilot stalled.\nCheers\nETA Q3 2027',
      'Waiting on security.\nThanks!\nStatus: blocked | owner: Jane',
      'Licences arrive Monday.\nSent from my team to the reseller for a quote',
      // Labelled status lines and updates in title case under a sign-off (review, session 18).
      'No intent.\nThanks,\nReason: Customer Uses Zoom',
      'Blocked.\nRegards,\nCAB Rejected Cutover',
      'Blocked.\nThanks,\nETA: Friday',
      'Blocked.\nThanks,\nOwner: Jane | Due: Friday',
      'Blocked.\n--\nUPDATE: Customer Signed SOW',
      // More of the note's own lines under a sign-off or a rule (second review, session 18).
      'Blocked by legal review.\nThanks,\nOffice 365 migration blocked by security review',
      'Blocked by legal review.\nThanks,\nMobile 5G rollout delayed',
      'Blocked by legal review.\nThanks,\nWaiting on reply from legal@contoso.com',
      'Blocked by legal review.\nThanks,\nTicket: https://contoso.atlassian.net/browse/OPS-4411',
      'Call notes.\n---\nNext Steps\nDemo Friday',
      'Call notes.\n--\nFollow Up, customer wants a quote by Friday',
      'Blocked by legal review.\nThanks,\nRenewal On Hold',
      'Blocked by legal review.\nThanks,\nBudget Approved',
      'Blocked by legal review.\nThanks,\nPENDING LEGAL',
      'Blocked by legal review.\nThanks,\nGo-Live Monday',
      'Blocked by legal review.\nThanks,\nBlocked, waiting on legal until March 3',
      'Blocked by legal review.\nThanks,\nMonday, 12 March',
      // Signatures with no contact detail beyond a sign-off and a plain name (with roles): cut until session
      // 19, kept since, as "Thanks,\nBudget Freeze", "Regions:\nBR\nMX" and "--\nAttendees\nJane Smith" read alike.
      'Customer froze the budget until April.\n--\nJ. Smith | Contoso',
      'Blocked by legal review.\nThanks,\nJANE SMITH',
      'Blocked by legal review.\nRegards,\nJS',
      'Blocked by legal review.\nThanks,\nJane Smith | Contoso | Level 4, 12 Main St',
      'Thanks,\n-- \nJ. Smith | Contoso',
      '--\nJohn Smith\nContoso',
      'Regards,\nJane\ncontoso.com',
    ]) {
      expect(checkInput(note).text, note).toBe(note);
    }
  });

  it('strips only the last block: a sign-off in the middle of the note, with content after it, stays', () => {
    const note = 'Update: still blocked.\nThanks,\nJane\n\nFollow-up: legal is still reviewing the contract.\nRegards,\nBob Jones';
    expect(checkInput(note).text).toBe('Update: still blocked.\nThanks,\nJane\n\nFollow-up: legal is still reviewing the contract.');
  });

  it('still calls a note that is only a signature a signature', () => {
    expect(checkInput('Thanks,\nJane Smith\nCloud Architect').unusable).toMatch(/only an email signature/);
  });

  it('judges a note by its words without the signature: a one-word note with a signature is thin', () => {
    expect(checkInput('Blocked.\n\nThanks,\nJane Smith\nCloud Architect').thin).toMatch(/single word/);
  });
});
