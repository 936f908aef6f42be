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
    ]);
    for (const last of ['Grace Hopper (tbc)', 'Grace Hopper (CIO) approved', 'Jane (on leave)', 'Jane Smith (Legal)']) {
      const note = `${BODY}\nThanks,\n${last}`;
      expect(checkInput(note).text, note).toBe(note);
    }
  });
});
