/**
 * What a contact line, "Sent from my ..." or a footer vouches for (session 20): only lines that read as a
 * signature themselves (names, roles, companies, contact details) go with it; a status line between the
 * sign-off and the vouching line keeps the block, and only the vouching line goes when it stands alone.
 * Lists of places and statuses in other languages after a name are the note's; roles with a product's
 * digits and names with their pronouns are a signature's.
 */
import { describe, expect, it } from 'vitest';
import { checkInput } from './input-check.js';

const BODY = 'Customer wants Copilot but their data is not labelled.';

function expectText(cases: [string, string][]): void {
  for (const [note, text] of cases) expect(checkInput(note).text, note).toBe(text);
}

describe('a vouching line vouches only for lines that read as a signature', () => {
  it('cuts only "Sent from my ..." under a status line after a sign-off', () => {
    expectText([
      [`${BODY}\nThanks,\nBudget Freeze Until April\nSent from my iPhone`, `${BODY}\nThanks,\nBudget Freeze Until April`],
      [`${BODY}\nThanks,\nCustomer Wants Zoom\nSent from my iPhone`, `${BODY}\nThanks,\nCustomer Wants Zoom`],
      [`${BODY}\nCheers,\nWorks Council Veto\n\nSent from my iPad`, `${BODY}\nCheers,\nWorks Council Veto`],
      [`${BODY}\nThanks,\nSteering Committee Meets Friday\nSent from my iPhone`, `${BODY}\nThanks,\nSteering Committee Meets Friday`],
      [`${BODY}\nThanks,\nJane\nLondon, Paris, Berlin\n\nSent from my iPhone`, `${BODY}\nThanks,\nJane\nLondon, Paris, Berlin`],
      [`${BODY}\nBest regards,\nSecurity Review Outstanding\nGet Outlook for iOS`, `${BODY}\nBest regards,\nSecurity Review Outstanding`],
    ]);
  });

  it('keeps a block whose contact line or footer is under a status line', () => {
    const footer = 'This email and any attachments are confidential and intended solely for the addressee. If you are not the intended recipient, please delete it.';
    for (const note of [
      `${BODY}\nThanks,\nData Residency Concerns\njane@contoso.com`,
      `${BODY}\nThanks,\nJane\nBudget Freeze\n+44 20 7946 0958`,
      `${BODY}\nThanks,\nMigration Wave Three Delayed\nT: +44 20 7946 0958`,
      `${BODY}\nBest regards,\nSecurity Review Outstanding\n\n${footer}`,
      `${BODY}\nThanks,\nURGENT\nSent from my iPhone`.replace('\nSent from my iPhone', '\n+44 20 7946 0958'),
    ]) {
      expect(checkInput(note).text, note).toBe(note);
    }
  });

  it('still cuts a whole vouched block of names, roles, companies and contacts', () => {
    expectText([
      [`${BODY}\n\nRegards,\nJANE SMITH\nSenior Cloud Consultant\njane.smith@contoso.com`, BODY],
      [`${BODY}\n\nThanks,\nAnna\n--\nSent from my iPhone`, BODY],
      [`${BODY}\n\nRegards,\nDavid Lee\nSr. Cloud Solution Architect, Azure\nd.lee@contoso.com`, BODY],
      [`${BODY}\n\nBR\nAnna Nowak\nanna.nowak@contoso.pl`, BODY],
      [`${BODY}\n\nWarm regards,\nSophie Martin\nProject Manager\nContoso | +33 1 23 45 67 89`, BODY],
      // A surname that is a status's word, and a role's area that names a product.
      [`${BODY}\n\nRegards,\nPaul Green\nSolutions Architect (Azure)\nM: +44 7700 900456`, BODY],
      [`${BODY}\n\nKind regards,\nOmar Haddad\nTeam Lead, Intune & Autopilot\nomar.haddad@contoso.ae`, BODY],
      [`${BODY}\n\nThanks,\nJane Doe\nProject Manager \u2013 Exchange Online Migration\njane.doe@contoso.com`, BODY],
    ]);
    for (const note of [`${BODY}\nRegards,\nLegal Team Wants Changes\nlegal@fabrikam.com`, `${BODY}\nThanks,\nCustomer Happy\n+44 20 7946 0958`]) {
      expect(checkInput(note).text, note).toBe(note);
    }
  });
});

describe('lines after a sign-off and a name', () => {
  it('keeps a list of places, regions or teams after a name', () => {
    for (const last of ['London, Paris, Berlin', 'Madrid, Lisbon', 'London | Paris | Berlin', 'UK, DE, FR', 'North America, EMEA, APAC', 'Sales, Marketing, Support']) {
      const note = `${BODY}\nThanks,\nJane\n${last}`;
      expect(checkInput(note).text, note).toBe(note);
    }
  });

  it('keeps a status in another language after a name', () => {
    for (const note of [
      'Propuesta enviada.\nSaludos,\nAna García\nPendiente De Aprobación',
      'Angebot verschickt.\nViele Grüße,\nKlaus Müller\nFreigabe Ausstehend',
      'Devis envoyé.\nCordialement,\nJean Dupont\nEn Attente De Validation',
      'Offerte verstuurd.\nMet vriendelijke groet,\nPieter\nWacht Op Goedkeuring',
      'Proposta enviada.\nAtenciosamente,\nJoão\nAguardando Aprovação',
      'Pendiente de aprobación por parte del cliente.\nSaludos,\nAna\nSin Presupuesto',
      'Kunde prüft das Angebot.\nGruß\nKlaus\nEntscheidung Im Januar',
      'Le client hésite.\nCordialement,\nJean\nDécision En Mars',
    ]) {
      expect(checkInput(note).text, note).toBe(note);
    }
  });

  it('keeps a status that reads as a name', () => {
    for (const last of ['Customer Unhappy', 'URGENT']) {
      const note = `${BODY}\nThanks,\n${last}`;
      expect(checkInput(note).text, note).toBe(note);
    }
  });

  it('still cuts a role and a company after a name, in any language', () => {
    expectText([
      [`${BODY}\n\nAtenciosamente,\nJoão Silva\nGerente de TI`, BODY],
      [`${BODY}\n\nUn saludo\nCarlos Ruiz\nConsultor Senior`, BODY],
      [`${BODY}\n\nThanks,\nTom Baker\nDelivery Lead\nContoso`, BODY],
      [`${BODY}\n\nThanks,\nJane Smith\nCloud Architect, Contoso Ltd.`, BODY],
    ]);
  });
});

describe('signatures kept until session 20', () => {
  it('cuts a role that names a product with digits, when a role noun ends it', () => {
    expectText([
      [`${BODY}\n\nThanks,\nJane Smith\nM365 Consultant`, BODY],
      [`${BODY}\n\nThanks,\nMark Jones\nO365 Migration Specialist | Contoso`, BODY],
      [`${BODY}\n\nThanks,\nOlivia Brown\nMicrosoft 365 Specialist`, BODY],
      [`${BODY}\n\nThanks,\nLena Fischer\nM365 Adoption Lead\nlena.fischer@contoso.de`, BODY],
    ]);
  });

  it('keeps lines with digits that are no role', () => {
    for (const last of ['M365 Rollout Paused', 'Phase 2 Lead Missing', 'Q3 Owner', 'E5 Upgrade', 'W365 Pilot', 'E3 Licences', '365 Users', 'Win11 Upgrade First']) {
      const note = `${BODY}\nThanks,\nJane\n${last}`;
      expect(checkInput(note).text, note).toBe(note);
    }
    expect(checkInput(`${BODY}\nThanks,\nM365 Licences Missing`).text).toBe(`${BODY}\nThanks,\nM365 Licences Missing`);
  });

  it('cuts a name with its pronouns in parentheses', () => {
    expectText([
      [`${BODY}\n\nThanks,\nGrace Hopper (she/her)`, BODY],
      [`${BODY}\n\nThanks,\nRaj (he/him)`, BODY],
      [`${BODY}\n\nBest,\nAlex Kim (they/them)\nCloud Engineer`, BODY],
      // Any white space before the parentheses, read once (no backtracking over a long run of it).
      [`${BODY}\n\nThanks,\nGrace Hopper \t (she/her)`, BODY],
    ]);
    expect(checkInput(`${BODY}\nThanks,\nGrace Hopper(she/her)`).text).toBe(`${BODY}\nThanks,\nGrace Hopper(she/her)`);
    for (const last of ['Grace Hopper (tbc)', 'Grace Hopper (CIO) approved', 'Jane (on leave)', 'Jane Smith (Legal)']) {
      const note = `${BODY}\nThanks,\n${last}`;
      expect(checkInput(note).text, note).toBe(note);
    }
  });
});

/**
 * Review of session 20: a digit in a role is a product's only ("M365 Consultant", not "Hiring 1
 * Architect"); a contact line vouches for a list of places, credentials, teams and departments after a
 * name; a role's noun outweighs a status's word before it; capitalised small words of other languages
 * mark a status only in a line with no role's or company's word.
 */
describe('signatures and look-alikes after the review of session 20', () => {
  const PHONE = '+44 20 7946 0958';

  it('keeps a line that ends in a role noun when its digit is no product\'s', () => {
    for (const last of [
      'Hiring 1 Architect', 'Short 1 Engineer', 'Backfill For 1 Consultant', 'Request 2 Days Of Architect', '40 Devices Without Owner',
      '2 Weeks Without Executive', 'Book 1 More Engineer', 'INC0012345 Owner', 'Wave 3 Needs 1 Engineer',
    ]) {
      const note = `${BODY}\nThanks,\nJane\n${last}`;
      expect(checkInput(note).text, note).toBe(note);
    }
    const withPhone = `${BODY}\nThanks,\nJane Smith\nHiring 1 Architect\n${PHONE}`;
    expect(checkInput(withPhone).text).toBe(withPhone);
    expectText([[`${BODY}\nThanks,\nJane\nHiring 1 Architect\n\nSent from my iPhone`, `${BODY}\nThanks,\nJane\nHiring 1 Architect`]]);
  });

  it('still cuts a role whose digits are a product\'s', () => {
    expectText([
      [`${BODY}\n\nThanks,\nJane Smith\nO365 Consultant\n${PHONE}`, BODY],
      [`${BODY}\n\nThanks,\nJane Smith\nDynamics 365 Solution Architect`, BODY],
      [`${BODY}\n\nThanks,\nJane Smith\nOffice 365 Consultant\njane@contoso.com`, BODY],
    ]);
  });

  it('cuts a list of company, places or credentials after a name when a contact line vouches for it', () => {
    expectText([
      [`${BODY}\n\nThanks,\nJane Smith | Contoso | London\n${PHONE}`, BODY],
      [`${BODY}\n\nThanks,\nJane Smith\nContoso \u00B7 Z\u00FCrich\n+41 44 123 45 67`, BODY],
      [`${BODY}\n\nThanks,\nJane Smith, CISSP, CISM\nSecurity Architect\n${PHONE}`, BODY],
      [`${BODY}\n\nThanks,\nJane Smith, PhD, PMP\n${PHONE}`, BODY],
      [`${BODY}\n\nThanks,\nJane Smith\nContoso | Seattle\n+1 206 555 0100`, BODY],
      [`${BODY}\n\nThanks,\nJane Smith\nContoso Inc.\nSeattle, WA\n+1 206 555 0100`, BODY],
      [`${BODY}\n\nThanks,\nJane Smith\nModern Workplace Practice, Contoso\n${PHONE}`, BODY],
    ]);
    // "Sent from my ..." is no contact line: the list stays the note's.
    expectText([[`${BODY}\nThanks,\nJane\nUK, DE, FR\nSent from my iPhone`, `${BODY}\nThanks,\nJane\nUK, DE, FR`]]);
  });

  it('cuts a team or department that names a product, after a name and over a contact line', () => {
    expectText([
      [`${BODY}\n\nThanks,\nJane Smith\nSharePoint Team\n${PHONE}`, BODY],
      [`${BODY}\n\nThanks,\nJane Smith\nExchange Online Team\njane@contoso.com`, BODY],
      [`${BODY}\n\nThanks,\nJane Smith\nLegal & Compliance\nContoso\n${PHONE}`, BODY],
      [`${BODY}\n\nThanks,\nJane Smith\nFinance Systems | Contoso\njane@contoso.com`, BODY],
      [`${BODY}\n\nThanks,\nJane Smith\nNew Business\n${PHONE}`, BODY],
    ]);
    // A note's nouns stay the note's, even over a phone number.
    // A product with no name above it is the note's too.
    for (const note of [`${BODY}\nThanks,\nSharePoint Migration\n${PHONE}`, `${BODY}\nThanks,\nNew Tenant\n${PHONE}`, `${BODY}\nThanks,\nDefender For Endpoint\n${PHONE}`]) {
      expect(checkInput(note).text, note).toBe(note);
    }
  });

  it('cuts a name whose first name is a status word, when a contact line vouches for it', () => {
    expectText([
      [`${BODY}\n\nThanks,\nAmber Smith\namber.smith@contoso.com`, BODY],
      [`${BODY}\n\nThanks,\nAmber Smith\nCloud Architect\namber@contoso.com`, BODY],
    ]);
    // Over a phone number alone (no mailbox named after her), "Amber Smith" may be a status: kept.
    expect(checkInput(`${BODY}\nThanks,\nAmber Smith\n${PHONE}`).text).toBe(`${BODY}\nThanks,\nAmber Smith\n${PHONE}`);
    for (const note of [`${BODY}\nThanks,\nAmber Risk\n${PHONE}`, `${BODY}\nThanks,\nAmber Status\n${PHONE}`]) {
      expect(checkInput(note).text, note).toBe(note);
    }
  });

  it('cuts a role whose noun follows a status word', () => {
    expectText([
      [`${BODY}\n\nThanks,\nJane Smith\nEscalation Engineer | Microsoft\njane@microsoft.com`, BODY],
      [`${BODY}\n\nRegards,\nJane Smith\nCritical Situation Manager\n${PHONE}`, BODY],
      [`${BODY}\n\nThanks,\nJane Smith\nLicense Compliance Manager`, BODY],
      [`${BODY}\n\nThanks,\nJane Smith\nValidation Engineer\n${PHONE}`, BODY],
      [`${BODY}\n\nThanks,\nJane Smith\nUrgent Care IT Lead`, BODY],
    ]);
    for (const last of ['No Engineer', 'Missing Architect', 'Only Admin', 'Urgent Escalation', 'Vacant Lead']) {
      const note = `${BODY}\nThanks,\nJane\n${last}`;
      expect(checkInput(note).text, note).toBe(note);
    }
  });

  it('cuts a role or company in another language whose small words are capitals', () => {
    expectText([
      [`${BODY}\n\nViele Gr\u00FC\u00DFe,\nKlaus M\u00FCller\nLeiter Der IT`, BODY],
      [`${BODY}\n\nAtenciosamente,\nJo\u00E3o Silva\nBanco Do Brasil`, BODY],
      [`${BODY}\n\nCordialement,\nMarie Dupont\nDirecteur Des Op\u00E9rations`, BODY],
      [`${BODY}\n\nCordiali saluti,\nMarco Rossi\nResponsabile Della Sicurezza`, BODY],
      [`${BODY}\n\nSaludos,\nAna Garc\u00EDa\nJefa Del Proyecto`, BODY],
      [`${BODY}\n\nViele Gr\u00FC\u00DFe,\nKlaus M\u00FCller\nLeiter IT Und Digitalisierung`, BODY],
      [`${BODY}\n\nThanks,\nPieter Van Den Berg\nCloud Architect\npieter@contoso.nl`, BODY],
    ]);
  });

  it('keeps a status in another language that only its capitalised small words tell', () => {
    for (const note of ['Migration blockiert.\nViele Gr\u00FC\u00DFe,\nKlaus\nTermin Nicht Best\u00E4tigt', 'Migraci\u00F3n parada.\nSaludos,\nCarlos\nFirma Del Contrato']) {
      expect(checkInput(note).text, note).toBe(note);
    }
  });

  it('keeps a status with no update word under a sign-off, whatever vouches below it', () => {
    expectText([[`${BODY}\nThanks,\nCustomer Unhappy\nSent from my iPhone`, `${BODY}\nThanks,\nCustomer Unhappy`]]);
    for (const note of [`${BODY}\nThanks,\nAll Good\n${PHONE}`, `${BODY}\nThanks,\nJane\nWorks Council Veto\njane@contoso.com`]) {
      expect(checkInput(note).text, note).toBe(note);
    }
  });

  it('cuts first names that read as a past tense or a month (kept before)', () => {
    expectText([
      [`${BODY}\n\nThanks,\nFred Jones`, BODY],
      [`${BODY}\n\nKind regards,\nAhmed Khan\nahmed.khan@contoso.com`, BODY],
      [`${BODY}\n\nRegards,\nMohammed Ali\n${PHONE}`, BODY],
      [`${BODY}\n\nMet vriendelijke groet,\nJan de Vries`, BODY],
      [`${BODY}\n\nRegards,\nPriya Patel\nCloud Architect\nMicrosoft Certified: Azure Solutions Architect Expert\n${PHONE}`, BODY],
      [`${BODY}\n\nThanks,\nJane Smith\nPrincipal Consultant \u2013 Microsoft 365\nContoso Ltd\n${PHONE}`, BODY],
    ]);
    for (const note of ['Migration blockiert.\nGru\u00DF,\nProjekt Gestoppt', `${BODY}\nThanks,\nJane\nRenewal Jan`, `${BODY}\nThanks,\nBilling Jan`]) {
      expect(checkInput(note).text, note).toBe(note);
    }
  });
});

/**
 * Review of f11e283: a contact line vouches for a list or a team only where its parts say they are an
 * office, a company or credentials; a bullet is a note's; "Jan", "Amber" and "Microsoft Certified:" open a
 * name or a certification only when what follows is one. When unsure, the note's words stay.
 */
describe('look-alikes over a contact line, after the review of f11e283', () => {
  const keep = (notes: string[]): void => {
    for (const note of notes) expect(checkInput(note).text, note).toBe(note);
  };

  it('keeps bullet lines under a name, whatever contact line follows', () => {
    keep([
      'Waiting on licences for the last workloads.\nThanks,\nJane\n* Intune\n* Autopilot\njane@contoso.com',
      'Waiting on licences for the last workloads.\nThanks,\nJane\n- Exchange Online\n- SharePoint Online\nhttps://contoso.atlassian.net/browse/MIG-12',
      'Open workloads:\nThanks,\nJane\n\u2022 Exchange Online\n\u2022 OneDrive\njane@contoso.com',
      'Open workloads:\nThanks,\nJane\n1. Exchange Online\n2. OneDrive\n+44 20 7946 0958',
    ]);
  });

  it('keeps a title-case status line under a name over a link or an email address', () => {
    keep([
      'Quota raised.\nThanks,\nJane\nOneDrive Sync Broken\nhttps://contoso.service-now.com/kb/123',
      'Quota raised.\nThanks,\nJane\nSharePoint Quota Full Again\nhttps://contoso.service-now.com/INC0012345',
      'Quota raised.\nThanks,\nJane\nOneDrive Sync Broken\njane@contoso.com',
    ]);
  });

  it('keeps a list of product words after a name over a contact line', () => {
    keep([`${BODY}\nThanks,\nJane Smith\nExchange, SharePoint, OneDrive\njane@contoso.com`]);
  });

  it('cuts an office and its place under a name over a contact line (kept before), not a product\'s status', () => {
    expectText([
      [`${BODY}\n\nKind regards,\nEmma Johansson\nTeam Lead, Platform Team\nTokyo Office\n+46 8 123 456 78`, BODY],
      [`${BODY}\n\nThanks,\nJane Smith\nRio de Janeiro Office\njane@contoso.com`, BODY],
    ]);
    keep([`${BODY}\nThanks,\nJane Smith\nExchange Office\njane@contoso.com`, `${BODY}\nThanks,\nJane Smith\nMigration Office\njane@contoso.com`]);
  });

  it('reads "Jan" as a first name only before a surname joiner or over a contact line', () => {
    keep(['Licence renewal is with procurement.\nThanks\nJan Invoice', 'Blocked.\nThanks\nJan Deadline', 'Change freeze over Christmas.\nThanks\nJan Release Window']);
    expectText([
      [`${BODY}\n\nThanks,\nJan\nSent from my iPad`, BODY],
      [`${BODY}\n\nMet vriendelijke groet,\nJan de Vries`, BODY],
      [`${BODY}\n\nThanks,\nJan Kowalski\njan.kowalski@contoso.pl`, BODY],
    ]);
  });

  it('reads "Amber" as a first name only before a name-like word', () => {
    keep([
      'RAG status.\nThanks,\nAmber Overall\nhttps://contoso.sharepoint.com/sites/status',
      'RAG status.\nThanks,\nAmber Again\n+44 20 7946 0958',
      'RAG status.\nThanks,\nAmber Again\nstatus@contoso.com',
    ]);
    expectText([[`${BODY}\n\nThanks,\nAmber Smith\nProject Manager\namber.smith@contoso.com`, BODY]]);
  });

  it('cuts a certification only as a title that ends in its level', () => {
    keep([
      'Partner audit.\nThanks,\nJane\nMicrosoft Certified: Expired Last Month And Renewal Blocked By Finance',
      'Partner audit.\nThanks,\nJane\nMicrosoft certified: Still Waiting On The Partner Audit (Not Before March)',
      'Partner audit.\nThanks,\nJane\nMicrosoft Certified: Partner Status Under Review\njane@contoso.com',
    ]);
    expectText([
      [`${BODY}\n\nRegards,\nPriya Patel\nMicrosoft Certified: Azure Administrator Associate\npriya@contoso.com`, BODY],
      [`${BODY}\n\nRegards,\nPriya Patel\nCloud Architect\nMicrosoft Certified: Azure Solutions Architect Expert\n+44 20 7946 0958`, BODY],
    ]);
  });
});
