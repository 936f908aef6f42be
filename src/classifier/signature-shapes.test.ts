/**
 * More shapes of an email signature under a note: a sign-off and a name on one line, sign-offs in other
 * languages, postal addresses after a name, confidentiality footers, two contact details in one field;
 * and the signature of a note longer than the classifier reads. Each with notes that look alike and keep
 * their words: cutting a note's own words is worse than keeping a signature.
 */
import { describe, expect, it } from 'vitest';
import { checkInput, MAX_NOTE_CHARS, stripTrailingSignature } from './input-check.js';

const BODY = 'Blocked by legal review of the DPA.';

/** Each note is cut to BODY. */
function expectCut(signatures: string[], body = BODY): void {
  for (const signature of signatures) {
    const note = `${body}${signature}`;
    const check = checkInput(note);
    expect(check.text, note).toBe(body);
    expect(check.unusable, note).toBeNull();
  }
}

/** Each note is read whole. */
function expectKept(notes: string[]): void {
  for (const note of notes) expect(checkInput(note).text, note).toBe(note);
}

describe('a sign-off and a name on one line', () => {
  // Once cut (d896b99); kept since the review of session 19: a name after a sign-off on its line reads
  // the same as a status in title case ("Thanks, Budget Freeze", "Cheers - Phase Two"), so the one-line
  // form is no signature. A sign-off alone on its line, with the name on the next, still is.
  it('is kept at the end of a note: a name there cannot be told from a status', () => {
    expectKept(
      ['\nThanks, Jane', '\n\nBest regards, J. Smith', '\nCheers - Tom', '\nKind regards \u2013 Maria van der Berg', '\nThanks, Jane Smith | Contoso', '\nThanks, Jane\nCloud Architect | Contoso Ltd.'].map(
        (signature) => `${BODY}${signature}`,
      ),
    );
    expectCut(['\nThanks!\nJane', '\nThanks,\nJane Smith | Contoso']);
  });

  it('keeps a line that thanks someone and then says something', () => {
    expectKept([
      'Legal is reviewing the DPA.\nThanks, the customer approved the budget',
      'Legal is reviewing the DPA.\nThanks to the CAB, change approved',
      'Legal is reviewing the DPA.\nThanks, Jane approved the budget yesterday',
      'Legal is reviewing the DPA.\nThanks, Budget Approved',
      'Legal is reviewing the DPA.\nCheers - Go-Live Monday',
      'Legal is reviewing the DPA.\nThanks, see ticket 4411',
      'Legal is reviewing the DPA.\nThanks-Jane',
      // Country codes, not "Best regards" or "Kind regards" shortened.
      'Rollout blocked by the data residency review in:\nBR, MX, AR',
      'Rollout blocked by the data residency review.\nKR, JP',
    ]);
  });

  it('never cuts a note to nothing, and does not call a sign-off and a name on one line only a signature', () => {
    // Once "only an email signature" (d896b99); "Thanks, Budget Freeze" reads the same, so neither is now.
    for (const note of ['Thanks, Jane', 'Best regards, J. Smith', 'Cheers - Tom\nContoso Ltd.', 'Thanks, Budget Freeze']) {
      const check = checkInput(note);
      expect(check.text, note).toBe(note);
      expect(check.unusable ?? '', note).not.toMatch(/only an email signature/);
    }
    expect(checkInput('Thanks,\nJane').unusable).toMatch(/only an email signature/);
    expect(stripTrailingSignature('Thanks, Jane')).toBe('Thanks, Jane');
  });
});

describe('sign-offs in other languages', () => {
  it('are cut with the name line that follows them', () => {
    expectCut([
      '\n\nMit freundlichen Grüßen\nJane Smith',
      '\nViele Grüße,\nKlaus Müller\nContoso GmbH',
      '\nGruß\nKlaus',
      '\nCordialement,\nJean Dupont',
      '\nBien à vous,\nMarie Curie | Contoso',
      '\nSaludos,\nAna García',
      '\nUn saludo\nAna',
      '\nMet vriendelijke groet,\nPieter de Vries',
      '\nAtenciosamente,\nJoão Silva',
      '\nCordiali saluti\nGiulia Rossi',
    ]);
    // On one line with the name: kept since session 19, as for English sign-offs.
    expectKept([`${BODY}\nSaludos, Ana García`]);
  });

  it('are not cut without a name line after them, nor when a sentence follows', () => {
    expectKept([
      `${BODY}\nSaludos`,
      `${BODY}\nCordialement,\nle client attend le budget`,
      `${BODY}\nGruß\nBudget Approved`,
      'Saludos a todos.',
    ]);
  });

  it('make a note of only a signature one, whatever its language', () => {
    expect(checkInput('Mit freundlichen Grüßen\nKlaus Müller\nContoso GmbH').unusable).toMatch(/only an email signature/);
  });
});

describe('postal addresses in a signature', () => {
  it('are cut when they follow a name in a signature block', () => {
    expectCut([
      // With a contact detail to vouch for the block (session 19: an address alone is not enough).
      '\n\nBest regards,\nJane Smith\nContoso Ltd.\n12 Main Street\nLondon SW1A 1AA\nUnited Kingdom\njane.smith@contoso.com',
      '\nThanks,\nJane Smith\nLevel 4, 12 Main St, Sydney NSW 2000\nT: +61 2 9999 0000',
      '\nRegards,\nJohn Doe\n1 Main St, Suite 200\nSeattle, WA 98101\nwww.contoso.com',
      '\nMit freundlichen Grüßen\nKlaus Müller\nMusterstraße 12\n10115 Berlin\nTel. +49 30 1234567',
      '\nCordialement,\nJean Dupont\n1 rue de la Paix, 75002 Paris\njean.dupont@contoso.fr',
      '\nMet vriendelijke groet,\nPieter de Vries\nKeizersgracht 123, 1015 CJ Amsterdam\n+31 20 123 4567',
      '\nCordiali saluti\nGiulia Rossi\nVia Roma 10, 00184 Roma\ngiulia.rossi@contoso.it',
      '\nThanks,\nJane\n221B Baker St.\nLondon NW1 6XE\n+44 20 7946 0958',
    ]);
  });

  it('are kept with the name above them when no contact detail vouches for the block (session 19)', () => {
    expectKept([
      `${BODY}\nThanks,\nJane Smith\nLevel 4, 12 Main St, Sydney NSW 2000`,
      `${BODY}\nMit freundlichen Grüßen\nKlaus Müller\nMusterstraße 12\n10115 Berlin`,
    ]);
  });

  it('are not a signature on their own, nor before a name', () => {
    expectKept([
      `${BODY}\n12 Main Street\nLondon SW1A 1AA`,
      `${BODY}\nThanks,\n12 Main Street\nLondon SW1A 1AA`,
      `${BODY}\nThanks,\n10115 Berlin`,
      `${BODY}\nThanks,\nJane Smith\n2027 Roadmap`,
      `${BODY}\nThanks,\nJane Smith\n5000 Users`,
      `${BODY}\nThanks,\nJane Smith\n12 March`,
      `${BODY}\nThanks,\nJane Smith\n300 Mailboxes Moved`,
      `${BODY}\nThanks,\nJane Smith\n10115 Berlin`,
      `${BODY}\nThanks,\nJane Smith\n2 Blockers In Place`,
      `${BODY}\nThanks,\nJane Smith\n3 Options On The Way`,
    ]);
  });
});

const DISCLAIMER =
  'This email and any attachments are confidential and may be legally privileged. They are intended solely for the addressee. ' +
  'If you are not the intended recipient, please notify the sender and delete this email; any copying or distribution is prohibited.';

describe('confidentiality footers at the end of a note', () => {
  it('are cut right after a signature, and only there', () => {
    expectCut([
      `\n\nThanks,\nJane Smith\nContoso Ltd.\n\n${DISCLAIMER}`,
      // Wrapped at 72 characters, as mail programs send it.
      `\n\nRegards,\nJane Smith\n\nCONFIDENTIALITY NOTICE: This e-mail message, including any attachments,\nis for the sole use of the intended recipient(s) and may contain\nconfidential information. If you have received this message in error,\nplease contact the sender and destroy all copies. Thank you.`,
      '\n--\nJane Smith\n\nDISCLAIMER: The information in this message is confidential and intended only for the named addressee.',
      `\nBest regards,\nJane\n\nThe information contained in this communication is confidential. If you are not the intended recipient, you must not use or disclose it.`,
    ]);
  });

  it("keeps the note's own words that speak of confidentiality, and anything written after a footer", () => {
    expectKept([
      // A footer straight after the note, with no signature above it: once cut (d896b99), kept since session 19.
      `${BODY}\n\n${DISCLAIMER}`,
      `${BODY}\n\nCONFIDENTIALITY NOTICE: This e-mail message, including any attachments,\nis for the sole use of the intended recipient(s). Thank you.`,
      'Blocked: legal says this email is confidential and cannot be forwarded to the reseller.',
      `${BODY}\nThis email thread is confidential, customer asked us not to share pricing.`,
      `${BODY}\nDisclaimer: licence counts are estimates until the true-up.`,
      `${BODY}\nConfidentiality notice: the customer wants the SOW kept internal.`,
      `${BODY}\nIf you have received this in error, ignore the previous note.`,
      `${BODY}\nThis message is intended for the steering committee only.`,
      `${BODY}\nDisclaimer: this is an estimate and intended only as a guide.`,
      `${BODY}\n\n${DISCLAIMER}\n\nUpdate: the customer signed the DPA on Friday.`,
      `${BODY}\n\nThis message is confidential and intended only for the addressee.\nCustomer still blocked, chasing again next week.`,
    ]);
  });

  it('does not call a note of only a footer a signature, and never cuts it to nothing', () => {
    const check = checkInput(DISCLAIMER);
    expect(check.text).toBe(DISCLAIMER);
    expect(check.unusable).toBeNull();
    expect(checkInput(`Thanks,\nJane Smith\n\n${DISCLAIMER}`).unusable).toMatch(/only an email signature/);
  });
});

describe('two contact details in one field', () => {
  it('are a contact line of a signature', () => {
    expectCut([
      '\nThanks,\nJane Smith\nT +44 20 1234 5678, M +44 7700 900123',
      '\nThanks,\nJane Smith | jane@contoso.com / +1 555 0100',
      '\nThanks,\nContoso Ltd. | jane@contoso.com / +1 555 0100',
      '\nRegards,\nIT Service Desk | T: +1 555 0100; E: desk@contoso.com',
    ]);
  });

  it('but a field of one contact and some words is not', () => {
    expectKept([
      `${BODY}\nThanks,\nWaiting on legal@contoso.com, no reply since Monday`,
      `${BODY}\nThanks,\nTicket 2211045 / +1 555 0100`,
      `${BODY}\nThanks,\nOffice 365, jane@contoso.com`,
    ]);
  });
});

describe('a note longer than the classifier reads', () => {
  const long = `${'Legal is still reviewing the data processing agreement and nothing moves until it is signed. '.repeat(60)}`.trim();

  it('is cut at its signature when the signature starts inside the part that is read', () => {
    const body = long.slice(0, MAX_NOTE_CHARS - 40).trimEnd();
    const note = `${body}\n\nThanks,\nJane Smith\nCloud Architect | Contoso Ltd.\n+1 555 0100 | jane.smith@contoso.com`;
    expect(note.length).toBeGreaterThan(MAX_NOTE_CHARS);
    const check = checkInput(note);
    expect(check.warnings.join(' ')).toMatch(/only its first 5000 characters/);
    expect(check.text).toBe(body);
  });

  it('keeps what looks like a signature at the cut when the note goes on after it', () => {
    const head = long.slice(0, MAX_NOTE_CHARS - 30).trimEnd();
    const note = `${head}\nThanks,\nJane Smith\nCloud Architect\n\nUpdate: the DPA was signed and the pilot of 200 users started.`;
    const check = checkInput(note);
    expect(check.text).toBe(note.slice(0, MAX_NOTE_CHARS));
  });

  it('reads the first part whole when the signature starts after it', () => {
    const note = `${long}${long}\n\nThanks,\nJane Smith`;
    expect(checkInput(note).text).toBe(note.slice(0, MAX_NOTE_CHARS));
  });
});

/** Review of the shapes above (session 19): each of these is the note's own text, kept whole. */
describe("the review's notes that must keep every word", () => {
  const F = 'This email and any attachments are confidential and intended solely for the addressee. If you are not the intended recipient, please delete it.';
  const B = 'Exchange Online migration blocked: legal still reviewing the DPA.';
  const B2 = 'Customer wants Intune but is blocked because co-management is not set up.';

  it('keeps a footer that has no signature above it, or a line of the note after it, and the note around it', () => {
    expectKept([
      `Teams rollout paused.\nConfidential: customer merging with Fabrikam, licences on hold.\n\n${F}`,
      `Teams rollout paused.\nThis email from the CIO confirms the pilot is cancelled; attachments list the affected sites.\n\n${F}`,
      `${B}\n\n${F}\n\nUpdate: distribution lists migrated, 40 shared mailboxes left.`,
      `${B}\n\n${F}\n\nJane to delete the old transport rules on Monday.`,
      `Teams rollout paused.\n\nThanks,\nJane Smith\n\n${F}\n- delete old DLs before cutover`,
      'Teams rollout paused.\n\nThis email is confidential and intended only for the addressee\nUpdate: customer signed the DPA on Friday',
      'Exchange transport rule for the footer is blocked by legal.\nDisclaimer text they want: "If you are not the intended recipient, please delete this email."',
      'Customer wants Exchange Online but is blocked because their legal team requires every outbound mail to carry a disclaimer, and the transport rule is not approved yet.\nCurrent draft:\nThis email is confidential and intended only for the addressee. If you received this email in error, delete it and notify the sender.',
      'Blocked on security review.\nConfidential: customer is merging with Fabrikam; the CISO asked that distribution of the migration plan be limited to the intended recipients.',
      `${B}\nThis message is for the intended recipient only: customer's legal asks that the SOW is not forwarded to the reseller.`,
      // A footer after a signature, with a line of the note's own after the footer, and one whose lines are not all a footer's.
      `${B}\n\nThanks,\nJane Smith\n\n${F}\n\nJane to delete the old transport rules on Monday.`,
      `${B}\n\nThanks,\nJane Smith\nConfidential: customer merging with Fabrikam, licences on hold.\n\n${F}`,
      `${B}\n\nThanks,\nJane Smith\nThis email from the CIO confirms the pilot is cancelled; attachments list the affected sites.\n\n${F}`,
    ]);
  });

  it('keeps a status written after a sign-off on its line', () => {
    expectKept([
      'Teams Phone rollout blocked: SBC firmware too old.\nThanks, Tom | go-live moved to 14 Dec, CAB approved the change',
      'Teams rollout blocked.\nThanks, Jane | Legal: contract signed',
      ...[
        'Thanks, Budget Freeze', 'Thanks, No Budget', 'Thanks, Licenses Missing', 'Thanks, Data Residency Concerns', 'Thanks, Hybrid Config Broken',
        'Thanks, Works Council Veto', 'Thanks, Pilot Group Live', 'Thanks, Phase Two Starts', 'Cheers - Phase Two', 'Thanks! Great Progress',
        'Thanks, Great Teamwork Everyone', 'Best, Worst Case', 'Best - Case Scenario', 'Thanks, CIO',
      ].map((line) => `${B}\n${line}`),
    ]);
    // The same under a sign-off alone on its line: after a name, a `|` field is a role, a company, contact details or an address.
    expectKept([
      'Teams Phone rollout blocked: SBC firmware too old.\nThanks,\nTom | go-live moved to 14 Dec, CAB approved the change',
      'Teams rollout blocked.\nThanks,\nJane | Legal: contract signed',
      'Teams rollout blocked.\nThanks,\nJane | customer confirmed cutover Monday',
    ]);
    for (const note of ['Thanks, Jane | customer confirmed cutover Monday', 'Thanks, Budget Freeze']) {
      const check = checkInput(note);
      expect(check.text, note).toBe(note);
      expect(check.unusable ?? '', note).not.toMatch(/only an email signature/);
    }
  });

  it('keeps ticket numbers, dates, IP addresses and domains under a sign-off and a name', () => {
    const lines = ['2611270040001234', '2211045, 2211046', '2026-12-01 / 2026-12-05', '2026.12.01 - 2026.12.05', '10.20.30.40', 'contoso.com, fabrikam.com, tailspin.io'];
    expectKept(lines.flatMap((line) => [`${B2}\nThanks, Jane\n${line}`, `${B2}\nThanks,\nJane\n${line}`, `${B2}\n\nBest regards,\nJane Smith | Contoso\n${line}`]));
  });

  it('still cuts a signature with a phone that says it is one', () => {
    expectCut(
      [
        '\nThanks,\nJane Smith\nSenior Consultant | Contoso\n+44 20 1234 5678',
        '\nThanks,\nJane Smith\nT 020 7946 0958',
        '\nThanks,\nJane Smith\nMobile: 07700 900123',
        '\nThanks,\nJane Smith\n(555) 123-4567',
        '\nMit freundlichen Grüßen\nKlaus Müller',
        `\n\nThanks,\nJane Smith\nContoso Ltd.\n\n${F}`,
      ],
      B,
    );
  });
});

describe('what vouches for a signature (third review, session 19)', () => {
  it('cuts a footer whose last lines are a footer\'s usual closing sentences', () => {
    const footers = [
      '\n\nCONFIDENTIALITY NOTICE: This email is intended only for the addressee.\nIf you are not the intended recipient, please notify the sender and delete it.\nThank you.',
      '\n\nThis email and any attachments are confidential and intended solely for the addressee.\nIf you are not the intended recipient, please delete it and notify the sender.\nEmails are not secure and may contain viruses.',
      '\n\nDisclaimer: This message is intended only for the named recipient.\nUnauthorised use, disclosure or copying is prohibited.',
      '\n\nCONFIDENTIAL: This email is intended only for the addressee.\nThe sender accepts no liability for viruses.',
      '\n\nCONFIDENTIALITY NOTICE: This email and any attachments are confidential and intended solely for the use of the addressee.\nAny views or opinions expressed are solely those of the author.\nIf you have received this email in error, please notify the sender immediately.',
    ];
    expectCut(footers.map((footer) => `\nBest regards,\nJane Smith | IT Manager\njane@contoso.com${footer}`));
    expectCut(footers.map((footer) => `\nBest regards,\nJane Smith\nCloud Architect${footer}`));
  });

  it('still keeps the note\'s own line after a footer, though it holds a footer\'s word', () => {
    const footer = 'CONFIDENTIALITY NOTICE: This email is intended only for the addressee.';
    for (const last of ['Sender domain not verified so mail flow is blocked.', 'Update: their virus scanner blocks Teams media, exclusions requested.', 'Unauthorized apps policy blocks Teams add-ins.']) {
      expectKept([`${BODY}\nThanks,\nJane Smith\n${footer}\n${last}`]);
    }
  });

  it('cuts a role line that names a product when a role\'s noun ends it, and keeps a product or a status line', () => {
    expectCut(['\nThanks,\nJamie\nSharePoint Consultant', '\nThanks,\nJamie\nOffice Manager', '\nThanks,\nJamie\nNew Business Manager', '\nThanks,\nMark\nExchange Online Specialist', '\nThanks,\nMark\nIntune Lead']);
    expectKept(
      ['\nThanks,\nJane\nDefender For Endpoint', '\nThanks,\nJane\nTeams Premium | Copilot', '\nThanks,\nJane\nIT Director Role Vacant', '\nThanks,\nJane Smith\nBlocker Owner', '\nThanks,\nJane\nFinance, HR, Legal'].map(
        (signature) => `${BODY}${signature}`,
      ),
    );
  });
});
