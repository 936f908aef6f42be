/**
 * The signature cutter's pre-check (no sign-off among a note's last lines: no signature, without reading
 * names, roles, contacts and addresses) gives what the full reading gives, on notes of many shapes: bodies
 * of one line or several, signatures with sign-offs in English and other languages, "--" and "Sent from my
 * ...", names, roles, companies, contact details, addresses, confidentiality footers, and look-alikes
 * (status lines in title case, lists, dates, tickets) in any order, with blank lines and CRLF.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkInput, trailingSignatureStart } from './input-check.js';

const BODIES = [
  '',
  'Blocked by legal review of the DPA.',
  'Customer has not replied since the workshop; CIO on leave until March.',
  'Security team reviewing Intune baseline.\nNo ETA yet.',
  '- licences missing\n- partner not engaged',
  '   ',
  'Thanks',
  'Kunde antwortet nicht seit drei Wochen',
];

const SIGN_OFFS = [
  'Thanks,', 'Thanks!', 'Best regards,', 'Kind regards', 'Regards.', 'Cheers', 'Many thanks,', 'Thank you', 'BR,', 'KR', 'Best',
  'Thanks and regards,', 'Sincerely yours,', '--', '---', '-- ', 'Viele Grüße,', 'Mit freundlichen Grüßen', 'Cordialement',
  'Saludos cordiales,', 'Met vriendelijke groet', 'Sent from my iPhone', 'Sent from my Samsung Galaxy S23 Ultra', 'Get Outlook for iOS',
  'Sent from my team to the reseller', 'Thanks, Jane', 'Cheers - Tom', 'Warm', 'All the best',
];

const SIGNATURE_LINES = [
  'Jane', 'Jane Smith', 'J. Smith', 'JANE SMITH', 'Maria van der Berg', 'Klaus Müller', 'Grace Hopper (she/her)', 'Amber Smith', 'Jan de Vries',
  'Cloud Architect', 'Senior Delivery Manager', 'Head of IT Operations', 'M365 Consultant', 'Contoso Ltd.', 'Fabrikam GmbH', 'IT Service Desk',
  'Jane Smith | Contoso', 'Jane Smith, CISSP, CISM', 'Cloud Architect | Contoso Ltd. | +1 555 0100', 'T +44 20 7946 0958', 'Mobile: 07700 900123',
  '(555) 123-4567', 'jane.smith@contoso.com', 'E: jane@contoso.com', 'https://contoso.com', 'www.contoso.com', 'contoso.com', 'ext. 4411',
  'she/her', 'T +44 20 1234 5678, M +44 7700 900123', 'jane@contoso.com / +1 555 0100', '12 Main Street', '221B Baker St.', 'London SW1A 1AA',
  '10115 Berlin', 'Musterstraße 12', 'Level 4, 12 Main St, Sydney NSW 2000', 'Registered in England No. 01234567',
  'Microsoft Certified: Azure Solutions Architect Expert', 'SharePoint Team', 'Legal & Compliance', 'Leiter Der IT',
];

const LOOK_ALIKES = [
  'Budget Freeze', 'Budget Freeze Until April', 'Customer Wants Zoom', 'All Good', 'Phase Two', 'ON HOLD', 'Go-Live Monday', 'CAB Rejected Cutover',
  'London, Paris, Berlin', 'BR', 'MX', 'Regions:', 'Next Steps', 'Attendees', '2026-12-01', 'Ticket 2211045', 'INC0012345 Owner', '2027 Roadmap',
  'Status: blocked | owner: Jane', 'Waiting on legal@contoso.com, no reply', 'Update: the customer signed.', 'Pendiente De Aprobación',
  'the customer approved the budget', 'x', '10.20.30.40',
];

const FOOTERS = [
  'CONFIDENTIALITY NOTICE: This email is intended only for the named recipient. If you have received this email in error, please notify the sender.',
  'This message and any attachments are confidential and intended solely for the addressee. Unauthorised use or disclosure is prohibited.',
  'Disclaimer: the information in this email is confidential.\nIf you are not the intended recipient, delete it.\nThank you.',
  'This email from the CIO confirms the budget.',
];

const BREAKS = ['\n', '\n', '\n\n', '\r\n', '\n  ', ' \n'];

/** A note: a body, then up to twelve lines of signatures, look-alikes and footers, with line breaks of several kinds between them. */
const note = fc
  .tuple(
    fc.constantFrom(...BODIES),
    fc.array(
      fc.tuple(
        fc.oneof(
          { weight: 3, arbitrary: fc.constantFrom(...SIGN_OFFS) },
          { weight: 5, arbitrary: fc.constantFrom(...SIGNATURE_LINES) },
          { weight: 2, arbitrary: fc.constantFrom(...LOOK_ALIKES) },
          { weight: 1, arbitrary: fc.constantFrom(...FOOTERS) },
        ),
        fc.constantFrom(...BREAKS),
      ),
      { maxLength: 12 },
    ),
  )
  .map(([body, lines]) => lines.reduce((text, [line, brk]) => `${text}${brk}${line}`, body));

describe('the signature pre-check', () => {
  it('finds the signature the full reading finds, on notes of many shapes', () => {
    let found = 0;
    let runs = 0;
    fc.assert(
      fc.property(note, (text) => {
        const full = trailingSignatureStart(text, false);
        runs++;
        if (full >= 0) found++;
        expect(trailingSignatureStart(text), text).toBe(full);
      }),
      { numRuns: 6000, seed: 20261127 },
    );
    // The shapes are varied enough that many notes have a signature and many do not.
    expect(found).toBeGreaterThan(runs / 20);
    expect(found).toBeLessThan(runs - runs / 20);
  });

  it('agrees with the full reading on every line of the shapes alone, and two of them in any order', () => {
    const lines = [...SIGN_OFFS, ...SIGNATURE_LINES, ...LOOK_ALIKES, ...FOOTERS];
    for (const body of BODIES) {
      for (const a of lines) {
        for (const text of [`${body}\n${a}`, `${body}\n\n${a}\n`]) expect(trailingSignatureStart(text), text).toBe(trailingSignatureStart(text, false));
        for (const b of lines) {
          const text = `${body}\n${a}\n${b}`;
          expect(trailingSignatureStart(text), text).toBe(trailingSignatureStart(text, false));
        }
      }
    }
  });

  it('looks no further up than the full reading does: a sign-off above nine lines, or above a long line, opens nothing', () => {
    const nine = Array.from({ length: 9 }, () => 'Jane Smith').join('\n');
    for (const text of [`Blocked by legal.\nThanks,\n${nine}`, `Blocked by legal.\nThanks,\n${'A'.repeat(401)}\nJane`, `Blocked.\nThanks,\n${'\n'.repeat(3001)}Jane`]) {
      expect(trailingSignatureStart(text), text).toBe(-1);
      expect(trailingSignatureStart(text, false), text).toBe(-1);
    }
    const cut = 'Blocked by legal.\nThanks,\nJane Smith\njane@contoso.com';
    expect(trailingSignatureStart(cut)).toBe('Blocked by legal.\n'.length);
    expect(checkInput(cut).text).toBe('Blocked by legal.');
  });

  it('leaves notes without a sign-off as they are', () => {
    for (const text of ['Blocked by legal review of the DPA.', 'Jane Smith\nCloud Architect\n+1 555 0100', 'Status:\nBudget Freeze\nJane Smith']) {
      expect(trailingSignatureStart(text)).toBe(-1);
      expect(trailingSignatureStart(text, false)).toBe(-1);
      expect(checkInput(text).text).toBe(text);
    }
  });
});
