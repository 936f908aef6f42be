/** Checks of a note before classification: truncation, junk, language, length. Pure. */

/** Notes longer than this are truncated (with a warning) before classification. */
export const MAX_NOTE_CHARS = 5000;

const FOREIGN_FUNCTION_WORDS = new Set(
  'el la los las del que y en por para con una es se lo al pero muy como sin sobre est ist und der die das nicht mit ein eine zu den von auf sich auch noch nach wird sind les des et une pour pas dans est avec sur qui ce du au não uma com os para por mais como ao da do das dos em é il della che di non sono per het een van niet zijn voor met ook maar'.split(' '),
);
const ENGLISH_FUNCTION_WORDS = new Set(
  'the a an and or of to in on for with at by from is are was were be been has have had not no it its this that they them their we our he she his her as but if then so than when which who what there can will would should could do does did yet still all any some more about after before until into over only just also because while'.split(' '),
);

export interface CheckInputOptions {
  /** True: the text is already without its email signature (the note coach cut it); look for none. */
  keepSignature?: boolean;
}

export interface InputCheck {
  text: string;
  warnings: string[];
  /** Why the note cannot be classified at all, or null. */
  unusable: string | null;
  /** Why the note is too thin to answer with confidence, or null. */
  thin: string | null;
}

/** Characters that take no room on screen: a note of only these (and white space) looks empty to its writer. */
const INVISIBLE = /[\u00AD\u200B-\u200D\u2060\uFEFF]/g;
const LINK = /\b(?:https?:\/\/|www\.)[^\s<>"]+/gi;
/** A word that is an email address (words split at white space and `<>()"';,`). */
const EMAIL_WORD = /^[^@]+@[^@]+\.[^@]+$/;
/** The English sign-offs of an email ("Best regards", "Thanks", "Cheers"), without their punctuation. */
const SIGN_OFF_WORDS = String.raw`(?:with\s+)?(?:best|kind|warm|warmest|many)(?:\s+(?:regards|wishes|thanks))?|regards|rgds|thx|thanks(?:\s+(?:and|&)\s+regards|\s+again)?|thank\s+you|all\s+the\s+best|cheers|sincerely(?:\s+yours)?|yours\s+(?:truly|sincerely)|br|kr`;
/** A sign-off line of an email ("Best regards,", "Thanks,", "--"): a note that opens with one is a signature. */
const SIGN_OFF = new RegExp(String.raw`^(?:${SIGN_OFF_WORDS}|-{2,})\s*[,.!]?$`, 'i');

/**
 * Sign-offs in German, French, Spanish, Dutch, Portuguese and Italian, as they are compared: lower case,
 * single spaces, no punctuation at the end. Such a line opens a signature only when a name follows it on
 * its own line ("Viele Grüße,\nKlaus Müller").
 */
export const OTHER_LANGUAGE_SIGN_OFFS: ReadonlySet<string> = new Set([
  'mit freundlichen grüßen', 'mit freundlichen grüssen', 'viele grüße', 'viele grüsse', 'gruß', 'gruss',
  'cordialement', 'bien cordialement', 'bien à vous',
  'saludos', 'un saludo', 'saludos cordiales',
  'met vriendelijke groet', 'met vriendelijke groeten',
  'atenciosamente',
  'cordiali saluti',
]);

/** A sign-off of {@link OTHER_LANGUAGE_SIGN_OFFS}, alone on its line ("Mit freundlichen Grüßen,"). */
function isOtherLanguageSignOff(line: string): boolean {
  // The longest is 24 characters; each opens with one of these letters.
  if (line.length > 30 || !'mvgcbsuaMVGCBSUA'.includes(line[0] ?? '')) return false;
  return OTHER_LANGUAGE_SIGN_OFFS.has(line.toLowerCase().replace(/\s+/g, ' ').replace(/\s?[,.!]$/, ''));
}

/** The one dash line that opens a signature at the end of a note (`-- `, the usual delimiter); `---` is a section rule. */
const SIGNATURE_DASHES = /^--$/;
/**
 * "Sent from my iPhone", "Sent from my Samsung Galaxy S23 Ultra": the whole line, at most six words
 * after "my", none of them a word of a sentence ("Sent from my team to the reseller" is a note).
 */
const SENT_FROM = /^(?:get\s+outlook\s+for\s+(?:ios|android)|sent\s+from\s+(?:outlook|mail)\s+for\s+[\p{L}\d]+)\s*[.!]?$|^sent\s+from\s+my\s+(?!(?:to|for|the|and|on|by|with|a|an|about|because|so|but|team|boss|manager|colleague|customer)\b)[\p{L}\d.,-]+(?:\s+(?!(?:to|for|the|and|on|by|with|a|an|about|because|so|but|is|was|are)\b)[\p{L}\d.,-]+){0,5}\s*[.!]?$/iu;
/** The label a contact detail may carry ("T:", "Mobile", "E-mail:", "W:"): a known one, so "Ticket: https://..." is a note's. */
const CONTACT_LABEL = String.raw`(?:(?:t|tel|telephone|phone|p|m|mob|mobile|cell|c|f|fax|o|office|d|direct|dd|e|email|e-mail|mail|w|web|website|url|linkedin)\.?\s*:?\s+)?`;
/** The labels of a phone number ("T:", "Mobile", "Tel."), as {@link CONTACT_LABEL} reads them. */
const PHONE_LABEL = /^(?:t|tel|telephone|phone|p|m|mob|mobile|cell|c|f|fax|o|office|d|direct|dd)\.?\s*:?\s+/i;
/**
 * One contact detail, the whole field: an address, a link, a bare domain ("contoso.com"), a phone
 * number ({@link isPhone}), an extension, or pronouns ("she/her"); each with a known label or none.
 * "Office 365", "Escalated to legal@contoso.com", a date, a ticket number and an IP address are not.
 */
const CONTACT_FIELD = [
  new RegExp(String.raw`^${CONTACT_LABEL}<?[^\s@<>()]+@[^\s@<>()]+\.[^\s@<>()]+>?$`, 'i'),
  new RegExp(String.raw`^${CONTACT_LABEL}(?:https?:\/\/|www\.)\S+$`, 'i'),
  new RegExp(String.raw`^${CONTACT_LABEL}[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?:\/\S*)?$`, 'i'),
  /^(?:ext|extension|x)\.?\s*:?\s*\d{2,6}$/i,
  /^\(?(?:she|he|they|ze)\/(?:her|him|them|hers|his|theirs|they)(?:\/\w+)?\)?$/i,
];
const PHONE = new RegExp(String.raw`^${CONTACT_LABEL}(\+?[(\d][\d\s()./-]{5,}\d)(?:\s*(?:ext\.?|x)\s*\d{1,6})?$`, 'i');
/** A date ("2026-12-01", "2026.12.01", "01/12/2026") or two of them ("2026-12-01 / 2026-12-05"). */
const DATE_LIKE = /^\d{4}[./-]\d{1,2}[./-]\d{1,2}(?:\s*[/\u2013-]\s*\d{4}[./-]\d{1,2}[./-]\d{1,2})?$|^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}(?:\s*[/\u2013-]\s*\d{1,2}[./-]\d{1,2}[./-]\d{2,4})?$/;
/** An IPv4 address ("10.20.30.40"), perhaps with a mask or port. */
const IP_ADDRESS = /^\d{1,3}(?:\.\d{1,3}){3}(?:[/:]\d{1,5})?$/;
/** An area code in parentheses, as phones write it: "(020) 7946 0958", "(555) 123-4567". */
const AREA_CODE = /^\(\d{2,5}\)\s?\d/;

/**
 * A phone number: seven digits or more that say they are one, with a `+` ("+44 20 7946 0958"), a phone
 * label ("T 020 7946 0958", "Mobile: 07700 900123") or an area code in parentheses ("(555) 123-4567").
 * A bare run of digits is a ticket or case number ("2611270040001234", "2211045"), and a date or an IP
 * address is neither, whatever its label.
 */
function isPhone(field: string): boolean {
  const phone = PHONE.exec(field);
  const number = phone?.[1];
  if (number === undefined || number.replace(/\D/g, '').length < 7 || DATE_LIKE.test(number) || IP_ADDRESS.test(number)) return false;
  return number.startsWith('+') || PHONE_LABEL.test(field) || AREA_CODE.test(number);
}

/** One contact detail and nothing else (see {@link CONTACT_FIELD}), at most ten words long. */
function isOneContact(field: string): boolean {
  if (field.length > 200 || field.split(/\s+/).length > 10) return false;
  return CONTACT_FIELD.some((pattern) => pattern.test(field)) || isPhone(field);
}

/** A bare domain without a label ("contoso.com"): one may be a company's site, a list of them is a note's. */
const BARE_DOMAIN = /^[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?:\/\S*)?$/i;

/** What separates two contact details in one field: a comma, a semicolon or a spaced slash. */
const CONTACT_BREAK = /\s*[,;]\s*|\s+\/\s+/;

/**
 * One contact detail ({@link isOneContact}), or two or three of them after commas, semicolons or spaced
 * slashes ("T +44 20 1234 5678, M +44 7700 900123", "jane@contoso.com / +1 555 0100"); every one whole, so
 * "Waiting on legal@contoso.com, no reply" and "Ticket 2211045 / +1 555 0100" are not, and none a bare
 * domain ("contoso.com, fabrikam.com" names tenants).
 */
function isContactLine(field: string): boolean {
  if (field.length > 200) return false;
  if (isOneContact(field)) return true;
  const parts = field.split(CONTACT_BREAK);
  return parts.length >= 2 && parts.length <= 3 && parts.every((part) => isOneContact(part) && !BARE_DOMAIN.test(part));
}

/** What a note is when it holds no words of its own: only links, only email addresses (or both), or null. */
function onlyLinksOrAddresses(text: string): string | null {
  if (!/:\/\/|www\.|@/i.test(text)) return null;
  const links = text.match(LINK)?.length ?? 0;
  // Word by word, each matched whole: a search for addresses over the text backtracks once per
  // character of a long run without one ("a.a.a....@"), tens of milliseconds at 5,000 characters.
  const words = text.replace(LINK, ' ').split(/[\s<>()"';,]+/).filter((w) => w !== '');
  const others = words.filter((w) => !EMAIL_WORD.test(w));
  const addresses = words.length - others.length;
  if (links + addresses === 0 || others.some((w) => LETTER.test(w))) return null;
  if (addresses === 0) return 'The note is only a link, which the model cannot open; write the reason in words (the link can stay after them).';
  if (links === 0) return 'The note is only an email address; write the reason in words (who was contacted, and what is stopping the customer).';
  return 'The note is only links and email addresses; write the reason in words.';
}

/**
 * True when a note is an email signature and nothing else: it opens with a sign-off line ("Best
 * regards,", "Thanks,", "--", "Viele Grüße,") followed by a few signature lines
 * ({@link readSignatureLine}: names, roles, companies, contact details, addresses after a name), and
 * perhaps a confidentiality footer after them; or it is "Sent from my ..." alone.
 */
function isSignatureOnly(text: string): boolean {
  const first = /\S[^\r\n]*/.exec(text)?.[0].trimEnd();
  if (first === undefined || (!SIGN_OFF.test(first) && !isOtherLanguageSignOff(first) && !SENT_FROM.test(first))) return false;
  const footer = trailingDisclaimerStart(text);
  const lines = (footer > 0 ? text.slice(0, footer) : text)
    .split(/\r\n|\r|\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  if (lines.length === 1) return SENT_FROM.test(first) || /^-{2,}$/.test(first);
  if (SENT_FROM.test(first) || lines.length - 1 > MAX_SIGNATURE_LINES) return false;
  const block: SignatureLine[] = [];
  for (const line of lines) {
    const read = readSignatureLine(line, 0, true);
    if (read === null) return false;
    block.push(read);
  }
  return isSignatureFrom(block, 0, footer > 0);
}

/** At most this many lines follow a sign-off in a signature. */
const MAX_SIGNATURE_LINES = 8;

/** A line of a signature block, as {@link readSignatureLine} reads it, with where it starts in the note. */
interface SignatureLine {
  text: string;
  start: number;
  kind: 'sign-off' | 'line' | 'address';
  /** The line opens with a person's name ("Jane Smith | Contoso"). */
  name: boolean;
  /** For an address line: what it holds (see {@link readAddressLine}). */
  address?: AddressLine;
}

/**
 * What a line (trimmed, not empty) is in a signature, or null when it is none of it: a sign-off ("Thanks,",
 * "--", "Sent from my ...", "Viele Grüße"), a line that opens with a name ({@link isNameLine}),
 * fields of roles, companies or contact details ({@link areSignatureFields}), or a postal address line
 * ({@link readAddressLine}), which counts only after a name (see {@link isSignatureFrom}).
 */
function readSignatureLine(text: string, start: number, digits: boolean): SignatureLine | null {
  if (text.length > MAX_LINE_CHARS) return null;
  if (isSignOffLine(text)) return { text, start, kind: 'sign-off', name: false };
  // An item of a list ("- Exchange Online", "* Intune", "\u2022 OneDrive", "1. Drain pool A") is a note's, whatever follows it.
  if (LIST_ITEM.test(text)) return null;
  if (isNameLine(text, digits)) return { text, start, kind: 'line', name: true };
  if (areSignatureFields(text, digits)) return { text, start, kind: 'line', name: false };
  const address = readAddressLine(text);
  return address === null ? null : { text, start, kind: 'address', name: false, address };
}

/** How an item of a list opens: a dash, a star, a bullet or a number with a point or a parenthesis, then a space. */
const LIST_ITEM = /^(?:[-*+\u2022\u2013\u2014\u25AA\u25CF]\s|\d{1,2}[.)]\s)/u;

/** A line that {@link readSignatureLine} reads as a sign-off ("Thanks,", "--", "Sent from my iPhone", "Viele Grüße"). */
function isSignOffLine(text: string): boolean {
  return SIGN_OFF.test(text) || SENT_FROM.test(text) || isOtherLanguageSignOff(text);
}

/**
 * True when the lines of `block` from `open` (a sign-off) on make a signature: a sign-off in another
 * language has a name on the line after it, and every address line comes after a line that opens with a
 * name and holds a street or a distinctive postcode ("London SW1A 1AA"), or
 * follows a line with a street ("Musterstraße 12\n10115 Berlin"): "Thanks,\n10115 Berlin" and "Thanks,
 * \nJane\n2027 Roadmap" are a note's.
 */
function isSignatureFrom(block: readonly SignatureLine[], open: number, footer = false): boolean {
  const opener = block[open];
  if (opener === undefined) return false;
  // What only an email's signature holds: an address, a link, a phone number, "Sent from my iPhone", or
  // the confidentiality footer under it. Without one, "Thanks,\nBudget Freeze", "Regions:\nBR\nMX" and
  // "--\nAttendees\nJane Smith" are a note's lines, which no rule of names and roles tells apart.
  // Or a sign-off and a name alone on the line under it ("Thanks,\nJane", "Viele Grüße,\nKlaus Müller"),
  // the commonest signature, whose name is read strictly ({@link isPlainName}).
  // What vouches for a block vouches only for lines that read as a signature themselves: "Thanks,\nBudget
  // Freeze Until April\nSent from my iPhone" keeps its status line (the "Sent from" line alone may go).
  const vouched = footer || block.slice(open).some((line) => holdsContactDetail(line));
  // A phone number, an email address or a link (not "Sent from my ...", not a footer) vouches also for a
  // list after a name ("Contoso | Seattle", "Jane Smith, CISSP, CISM"): it is an office or credentials.
  // A bare link is no such line: a ticket's or a page's ("https://contoso.service-now.com/INC0012345") is a note's as often.
  const contact = block.slice(open).some((line) => !SENT_FROM.test(line.text) && holdsContactDetail(line, false));
  const mail = mailboxNames(block.slice(open));
  const lines = block.slice(open + 1);
  const first = lines.findIndex((line) => line.kind === 'line');
  const nameAbove = (i: number): boolean => contact && lines.slice(0, i).some((line) => line.kind === 'line' && opensWithName(line.text, mail));
  if (vouched ? !isSignOffAndName(block, open) && !lines.every((line, i) => readsAsSignature(line, i === first, contact, nameAbove(i), mail)) : !isSignOffAndName(block, open)) return false;
  if (opener.kind === 'sign-off' && !opener.name && isOtherLanguageSignOff(opener.text) && block[open + 1]?.name !== true) return false;
  let named = opener.name;
  for (let i = open + 1; i < block.length; i++) {
    const line = block[i] as SignatureLine;
    if (line.address !== undefined) {
      const placed = line.address.street || line.address.strong || block[i - 1]?.address?.street === true;
      if (!named || !placed) return false;
    }
    named ||= line.name;
  }
  return true;
}

/**
 * True when a signature line holds what only a signature does: "Sent from my ...", or a field that is an
 * email address, a link, a phone number ({@link isPhone}: with `+`, a label or an area code) or an extension, alone or
 * among others ("Jane Smith | +44 20 7946 0958", "T +44 20 1234 5678, M +44 7700 900123"). A bare domain
 * ("contoso.com") is not enough.
 */
function holdsContactDetail(line: SignatureLine, links = true): boolean {
  if (SENT_FROM.test(line.text)) return true;
  return line.text.split(FIELD_BREAK).some((field) =>
    field.split(CONTACT_BREAK).some((part) => {
      const text = part.trim();
      return (CONTACT_FIELD[0] as RegExp).test(text) || (links && (CONTACT_FIELD[1] as RegExp).test(text)) || (CONTACT_FIELD[3] as RegExp).test(text) || isPhone(text);
    }),
  );
}

/** The names of the mailboxes (before the `@`, lower case, letters only) of the email addresses in `lines`: "amber.smith@contoso.com" gives "ambersmith". */
function mailboxNames(lines: readonly SignatureLine[]): string[] {
  const names: string[] = [];
  for (const line of lines) {
    for (const word of line.text.split(/[\s|,;<>()\u2022\u00B7]+/)) {
      const at = word.indexOf('@');
      if (at > 0 && EMAIL_WORD.test(word)) names.push(word.slice(0, at).toLowerCase().replace(/[^\p{L}]/gu, ''));
    }
  }
  return names;
}

/** Sign-offs that are words of a note on their own line ("Lead temperature:\nWarm", "Regions:\nBR", "Best\nWorst Case"). */
const BARE_SIGN_OFF = /^(?:(?:kind|warm|warmest|many|br|kr)\s*[,.!]?|best\s*[.!]?)$/i;

/**
 * A block of a sign-off ("Thanks,", "Best,", "Mit freundlichen Grüßen"; not "--") whose next line opens
 * with a name alone ({@link isPlainName}), then at most two more lines; every field after the name (after
 * `|`, `·`, a comma or a dash) a role, team or company without digits or a status's word ({@link
 * isPlainTitle}), pronouns or a company's registration: "Thanks,\nJane", "Regards,\nJane Smith\nCloud
 * Architect | Contoso". Addresses and anything else need a contact detail to vouch for them.
 */
function isSignOffAndName(block: readonly SignatureLine[], open: number): boolean {
  const opener = block[open] as SignatureLine;
  const lines = block.slice(open + 1);
  if (lines.length === 0 || lines.length > 3 || opener.kind !== 'sign-off') return false;
  const signOff = (SIGN_OFF.test(opener.text) && !/^-+$/.test(opener.text) && !BARE_SIGN_OFF.test(opener.text)) || isOtherLanguageSignOff(opener.text);
  if (!signOff) return false;
  return lines.every((line, i) => {
    if (line.kind !== 'line') return false;
    const fields = line.text.split(/[|\u2022\u00B7,\u2013\u2014]/).map((f) => f.trim()).filter((f) => f !== '');
    if (!fields.every((field, j) => (i === 0 && j === 0 ? isPlainName(field) : isPlainTitle(field)))) return false;
    return !isList(i === 0 ? fields.slice(1) : fields);
  });
}

/**
 * True when the fields of a line after a name (split at `|`, `·`, commas and dashes) are two or more and
 * none of them says it is a signature's: a role's noun ({@link ROLE_NOUNS}), a company's or a team's word
 * ({@link COMPANY_WORDS}), contact details, pronouns or a registration. "London, Paris, Berlin", "UK, DE,
 * FR" and "Sales, Marketing, Support" are a list of the note's; "Cloud Architect, Contoso" is a signature's.
 */
function isList(fields: readonly string[]): boolean {
  if (fields.length < 2) return false;
  return !fields.some((field) => {
    return isContactLine(field) || REGISTRATION.test(field) || (CONTACT_FIELD[4] as RegExp).test(field) || hasRoleOrCompanyWord(field);
  });
}

/** True when `field` holds a role's noun ({@link ROLE_NOUNS}) or a company's or a team's word ({@link COMPANY_WORDS}). */
function hasRoleOrCompanyWord(field: string): boolean {
  return opensWithForeignRole(field) || field.split(/\s+/).some((w) => {
    const lower = w.toLowerCase().replace(/[.!,()]+/g, '');
    return ROLE_NOUNS.has(lower) || COMPANY_WORDS.has(lower);
  });
}

/**
 * Roles and companies in the languages of the sign-offs ({@link OTHER_LANGUAGE_SIGN_OFFS}), as the first
 * word of a title: "Leiter Der IT", "Jefa Del Proyecto", "Banco Do Brasil". Only the first: "Falta Jefe
 * De Proyecto" is a status.
 */
const FOREIGN_ROLE_HEADS = new Set([
  'leiter', 'leiterin', 'direktor', 'direktorin', 'berater', 'beraterin', 'referent', 'referentin', 'bank', 'gruppe',
  'directeur', 'directrice', 'responsable', 'chef', 'cheffe', 'ingénieur', 'ingénieure', 'chargé', 'chargée', 'banque', 'groupe',
  'director', 'directora', 'jefe', 'jefa', 'gerente', 'consultor', 'consultora', 'ingeniero', 'ingeniera', 'arquitecto', 'arquitecta', 'coordinador',
  'coordinadora', 'banco', 'grupo', 'diretor', 'diretora', 'coordenador', 'coordenadora', 'arquiteto', 'arquiteta',
  'responsabile', 'direttore', 'direttrice', 'coordinatore', 'coordinatrice', 'banca', 'gruppo', 'hoofd', 'adviseur', 'teamleider',
]);

/** True when the first word of `field` is a role or a company in another language ({@link FOREIGN_ROLE_HEADS}). */
function opensWithForeignRole(field: string): boolean {
  const head = field.trim().split(/\s+/)[0] ?? '';
  return FOREIGN_ROLE_HEADS.has(head.toLowerCase());
}

/** The area of a role after it ("Intune & Autopilot", "Exchange Online Migration", "Microsoft 365"): title case, no digit but a product's and no status's word. */
function isRoleArea(part: string): boolean {
  return isTitleField(part) && hasOnlyProductDigits(part) && part.split(/\s+/).every((w) => !STATUS_WORDS.has(w.toLowerCase().replace(/[.!,()]+/g, '')));
}

/**
 * A name on the first line of a block that a contact detail vouches for, read less strictly than {@link
 * isPlainName} ("Paul Green", "JANE SMITH"): two or three name words, the first of them no status's,
 * product's or note's word, and at most one status's word after it. "Budget Freeze", "Customer Happy" and
 * "All Good" are not.
 */
function isVouchedName(part: string, mail: readonly string[] = [], jan = false): boolean {
  const text = stripPronouns(part);
  const words = nameWords(text).map((w) => w.toLowerCase().replace(/[.!]+$/, ''));
  if (words.length < 2 || words.length > 3 || !isPersonName(text, jan)) return false;
  const [head, ...rest] = words as [string, ...string[]];
  // "Amber Smith": a first name that is a status's word goes with no other ("Amber Risk" is a status), and
  // only over an email address named after it ("amber.smith@", "amber@"): "Amber Overall" is a status too.
  const firstName = NAME_STATUS_WORDS.has(head) && mail.some((box) => words.some((w) => w.length >= 3 && box.includes(w.replace(/[^\p{L}]/gu, ''))));
  if (STATUS_WORDS.has(head) && !firstName) return false;
  if (words.some((w) => PRODUCT_WORDS.has(w) || NOTE_NOUNS.has(w))) return false;
  return rest.filter((w) => STATUS_WORDS.has(w)).length <= (firstName ? 0 : 1);
}

/** Status's words ({@link STATUS_WORDS}) that are first names too ("Amber Smith"), read as one over a contact line. */
const NAME_STATUS_WORDS = new Set(['amber']);

/** Words of a company's or a team's name: "Contoso Ltd.", "Fabrikam GmbH", "IT Service Desk", "Proxy Team". */
const COMPANY_WORDS = new Set([
  'ltd', 'limited', 'inc', 'llc', 'llp', 'plc', 'gmbh', 'ag', 'sa', 'sas', 'sarl', 'srl', 'spa', 'bv', 'nv', 'ab', 'oy', 'pty', 'corp',
  'corporation', 'co', 'company', 'group', 'team', 'desk', 'department', 'dept', 'services', 'solutions', 'consulting', 'partners', 'technologies',
]);

/**
 * A line of a block that something vouches for (a contact detail, "Sent from my ...", a footer) which reads
 * as a signature itself: a sign-off, an address (held by {@link isSignatureFrom}), or fields between `|`s
 * each of which is contact details, a postal address, a registration, pronouns, or parts (between commas
 * and dashes) each a plain name or a plain role, team or company ({@link isPlainName}, {@link
 * isPlainTitle}), not a list ({@link isList}) unless a contact line (`contact`: a phone number, an email
 * address or a link in the block) vouches for it. "Budget Freeze Until April", "Customer Wants Zoom" and
 * "London, Paris, Berlin" over "Sent from my iPhone" are not, whatever vouches for the lines around them.
 * `named`: a line above opens with a name, so a team may name a product ({@link isPlainTitle}).
 */
function readsAsSignature(line: SignatureLine, first: boolean, contact = false, named = false, mail: readonly string[] = []): boolean {
  if (line.kind !== 'line') return true;
  const parts: string[] = [];
  // Under a name and over a contact line, a team or a department may name a product ("SharePoint Team").
  let team = named;
  for (const raw of line.text.split(FIELD_BREAK)) {
    const field = raw.trim();
    if (field === '' || isContactLine(field) || REGISTRATION.test(field) || isCertification(field) || (CONTACT_FIELD[4] as RegExp).test(field) || readAddressLine(field) !== null) continue;
    const split = field.split(/[,\u2013\u2014]/).map((p) => p.trim()).filter((p) => p !== '' && !isContactLine(p));
    // "Team Lead, Intune & Autopilot", "Project Manager – Exchange Online Migration": a role's area after it.
    const role = split.some((p) => isPlainTitle(p, contact) && hasRoleOrCompanyWord(p));
    for (const part of split) {
      const name = first && parts.length === 0 && isVouchedName(part, mail, contact);
      if (!name && !isPlainName(part) && !isPlainTitle(part, team) && !(role && isRoleArea(part))) return false;
      if (contact && first && parts.length === 0 && (name || isPlainName(part))) team = true;
      parts.push(part);
    }
  }
  // The first line after the sign-off may open with the name ("Jane Smith, Cloud Architect"); a later line is a list or not as a whole.
  // A contact line makes a list after a name an office, a company and its place, or credentials; not a
  // list that names a product, a status or a note's noun ("Exchange, SharePoint, OneDrive").
  const list = first && line.name ? parts.slice(1) : parts;
  return !isList(list) || (contact && list.every((part) => !hasNoteWord(part)));
}

/** True when `part` holds a product's (not a department's: "Finance"), a status's or a note's word ({@link PRODUCT_WORDS}, {@link STATUS_WORDS}, {@link NOTE_NOUNS}). */
function hasNoteWord(part: string): boolean {
  return part.split(/\s+/).some((w) => {
    const lower = w.toLowerCase().replace(/[.!,()]+/g, '');
    return (PRODUCT_WORDS.has(lower) && !DEPARTMENT_WORDS.has(lower)) || STATUS_WORDS.has(lower) || NOTE_NOUNS.has(lower);
  });
}

/** True when a line opens with a person's name read as {@link isVouchedName} or {@link isPlainName} do ("Jane", "Amber Smith | Contoso"). */
function opensWithName(text: string, mail: readonly string[] = []): boolean {
  const head = text.split(FIELD_BREAK)[0]?.split(/[,\u2013\u2014]/)[0]?.trim() ?? '';
  return isVouchedName(head, mail, true) || isPlainName(head);
}

/**
 * A role, team or company ({@link isTitleField}) with no digit but a product's before a role's noun at
 * its end ({@link hasOnlyProductDigits}: "M365 Consultant"), no status's word ({@link STATUS_WORDS};
 * one that names a role's area before such a noun is one: "Escalation Engineer"), and either a role's
 * noun ({@link ROLE_NOUNS}: "SharePoint Consultant", "Office Manager", "New Business Manager") or no
 * product's word ("Exchange Complete", "Defender For Endpoint" are a note's; with `team`, under a name
 * and over a contact line, "SharePoint Team" and "Legal & Compliance" are a signature's); or pronouns; or
 * a company's registration or a certification.
 */
function isPlainTitle(field: string, team = false): boolean {
  if (REGISTRATION.test(field) || isCertification(field) || (CONTACT_FIELD[4] as RegExp).test(field)) return true;
  if (!isTitleField(field) || (/\d/.test(field) && !(endsWithRoleNoun(field) && hasOnlyProductDigits(field)))) return false;
  const words = field.split(/\s+/).map((w) => w.toLowerCase().replace(/[.!,]+$/, ''));
  // A role's noun at the end outweighs a status's word that names its area ("Escalation Engineer", "License Compliance Manager").
  const role = endsWithRoleNoun(field);
  if (words.some((w) => STATUS_WORDS.has(w) && !(role && ROLE_AREA_STATUS_WORDS.has(w)))) return false;
  // "Pendiente De Aprobación", "Entscheidung Im Januar": a status in title case, whose small words are
  // capitals too; not a role or a company that opens or ends the line ("Leiter Der IT", "Banco Do Brasil").
  const foreign = !role && !opensWithForeignRole(field) && !ROLE_NOUNS.has(words[0] ?? '') && !COMPANY_WORDS.has(words[0] ?? '');
  if (foreign && field.split(/\s+/).slice(1).some((w) => /^\p{Lu}/u.test(w) && FOREIGN_FUNCTION_WORDS.has(w.toLowerCase()))) return false;
  if (words.some((w) => ROLE_NOUNS.has(w)) || words.every((w) => !PRODUCT_WORDS.has(w))) return true;
  // `team`: under a name and over a contact line, a team that names a product ("SharePoint Team") or a
  // department ("Legal & Compliance", "New Business"); not a status ("OneDrive Sync Broken").
  if (!team) return false;
  if (words.some((w) => COMPANY_WORDS.has(w)) || words.every((w) => DEPARTMENT_WORDS.has(w) || NAME_JOINERS.has(w))) return true;
  // An office and its place: "Stockholm Office", "Rio de Janeiro Office".
  return words.length <= 4 && words[words.length - 1] === 'office' && !hasNoteWord(words.slice(0, -1).join(' '));
}

/** The words of a department's name that are product's words too ({@link PRODUCT_WORDS}): "Legal & Compliance", "Finance Systems", "New Business". */
const DEPARTMENT_WORDS = new Set([
  '&', 'legal', 'compliance', 'finance', 'hr', 'new', 'business', 'systems', 'it', 'operations', 'sales', 'marketing', 'procurement', 'accounts', 'people',
]);

/** Status's words ({@link STATUS_WORDS}) that name a role's area before its noun: "Escalation Engineer", "Critical Situation Manager". */
const ROLE_AREA_STATUS_WORDS = new Set(['escalation', 'critical', 'license', 'licence', 'validation', 'urgent']);

/**
 * A product's name with digits, as roles write it: "M365", "O365", "D365", "W365", or "365" after
 * "Microsoft", "Office", "Dynamics" or "Windows".
 */
const PRODUCT_DIGITS = /^[mdow]365$/i;
const PRODUCT_BEFORE_365 = /^(?:microsoft|office|dynamics|windows)$/i;

/**
 * True when every digit of `field` is in a product's name ({@link PRODUCT_DIGITS}): "M365 Consultant",
 * "Microsoft 365 Specialist"; "Hiring 1 Architect", "40 Devices Without Owner" and "INC0012345 Owner" are a note's.
 */
function hasOnlyProductDigits(field: string): boolean {
  const words = field.trim().split(/\s+/);
  return words.every((w, i) => !/\d/.test(w) || PRODUCT_DIGITS.test(w) || (w === '365' && PRODUCT_BEFORE_365.test(words[i - 1] ?? '')));
}

/**
 * True when the last word of `field` is a role's noun ({@link ROLE_NOUNS}): such a field may hold a
 * product's digits ({@link hasOnlyProductDigits}: "M365 Consultant", "Microsoft 365 Specialist"); "M365
 * Rollout Paused", "365 Users" and "E5 Upgrade" are a note's.
 */
function endsWithRoleNoun(field: string): boolean {
  const words = field.trim().split(/\s+/);
  return ROLE_NOUNS.has((words[words.length - 1] ?? '').toLowerCase().replace(/[.!,]+$/, ''));
}

/** Nouns that end most job titles: a line holding one is a role, whatever product it names. */
const ROLE_NOUNS = new Set([
  'consultant', 'manager', 'lead', 'specialist', 'engineer', 'architect', 'director', 'officer', 'analyst', 'administrator', 'admin', 'head',
  'advisor', 'adviser', 'developer', 'coordinator', 'owner', 'partner', 'principal', 'associate', 'executive', 'president', 'vp', 'cto', 'cio',
  'ciso', 'ceo', 'cfo', 'technician', 'expert', 'strategist', 'evangelist', 'representative', 'rep', 'assistant', 'intern', 'supervisor',
]);

/**
 * Words of a status or of a list that look like a name in capitals ("All Good", "Phase Two", "Budget
 * Freeze", "Worst Case"); not words of roles and teams ("Customer Success Manager", "Proxy Team",
 * "Product Owner", "Contoso Group").
 */
const STATUS_WORDS = new Set([
  'all', 'good', 'done', 'complete', 'track', 'progress', 'green', 'amber', 'red', 'status', 'awaiting', 'phase', 'one', 'two', 'three',
  'budget', 'freeze', 'case', 'worst', 'best', 'live', 'priority', 'high', 'low', 'response', 'no', 'yet', 'unresponsive', 'issue', 'issues', 'risk', 'open',
  'closed', 'ok', 'okay', 'fine', 'blocker', 'blockers', 'blocked', 'ready', 'confirm', 'leave', 'pilot', 'scope', 'plan',
  'go', 'next', 'steps', 'decision', 'attendees', 'summary', 'notes', 'great', 'thanks', 'licenses', 'licences', 'missing',
  'covering', 'moving', 'remaining', 'left', 'vacant', 'only', 'users', 'seats', 'mailboxes', 'sites', 'cutover', 'role', 'maker', 'to',
  'urgent', 'critical', 'veto', 'concerns', 'escalation', 'stuck', 'overdue', 'license', 'happy', 'unhappy',
  // The same in the languages of the sign-offs ({@link OTHER_LANGUAGE_SIGN_OFFS}): "Pendiente De Aprobación", "Freigabe Ausstehend".
  'pendiente', 'aprobación', 'aprobacion', 'bloqueado', 'espera', 'esperando', 'listo', 'hecho', 'ausstehend', 'freigabe', 'offen', 'erledigt',
  'genehmigung', 'blockiert', 'attente', 'validation', 'bloqué', 'terminé', 'wacht', 'goedkeuring', 'geblokkeerd', 'klaar', 'aguardando',
  'aprovação', 'aprovacao', 'pendente', 'bloccato', 'attesa', 'approvazione', 'presupuesto', 'orçamento', 'begroting', 'entscheidung',
  'décision', 'decisión', 'decisão', 'beslissing', 'decisione',
]);

/**
 * Products and places a note names in capitals ("Defender For Endpoint", "Data Centre | Amsterdam", "Out
 * Of Office"): not a person's name, and a role only with a role's noun ({@link ROLE_NOUNS}: "SharePoint
 * Consultant", "Office Manager", "New Business Manager").
 */
const PRODUCT_WORDS = new Set([
  'exchange', 'sharepoint', 'onedrive', 'intune', 'defender', 'endpoint', 'sharegate', 'avepoint', 'migrationwiz', 'residency', 'boundary', 'centre', 'center',
  'office', 'new', 'premium', 'copilot', 'vendor', 'available', 'finance', 'hr', 'legal',
]);

/**
 * A person's name and nothing else, read strictly for a signature that has no contact detail to vouch for
 * it: one to three name words besides joiners ({@link isPersonName}: "Maria van der Berg"), none in capitals ("CIO", "RAG Amber") and none a
 * status's ({@link STATUS_WORDS}).
 */
function isPlainName(field: string): boolean {
  const text = stripPronouns(field);
  const words = text.split(/\s+/).filter((w) => w !== '');
  if (nameWords(text).length > 3 || /[|,;:\u2013\u2014\u2022\u00B7]/.test(text) || !isPersonName(text, false)) return false;
  return words.every((w) => {
    const lower = w.toLowerCase().replace(/[.!]+$/, '');
    return !/^\p{Lu}{2,}$/u.test(w) && !STATUS_WORDS.has(lower) && !PRODUCT_WORDS.has(lower) && !NOTE_NOUNS.has(lower);
  });
}

/** Pronouns in parentheses at the end of a name ("Grace Hopper (she/her)"): what only a signature writes. */
const PRONOUNS_AFTER = /\((?:she|he|they|ze)\/(?:her|him|them|hers|his|theirs|they)(?:\/\w+)?\)$/i;

/**
 * `field` without the pronouns in parentheses at its end ({@link PRONOUNS_AFTER}) and the white space
 * before them, which there must be; found at the `(` and trimmed natively, so a long run of spaces
 * costs one pass.
 */
function stripPronouns(field: string): string {
  const pronouns = PRONOUNS_AFTER.exec(field);
  if (pronouns === null) return field;
  const before = field.slice(0, pronouns.index);
  const name = before.trimEnd();
  return name.length < before.length ? name : field;
}

/**
 * The words of a name that are not joiners ("Maria van der Berg" has two); after the first word a
 * joiner may be in capitals ("Pieter Van Den Berg").
 */
function nameWords(text: string): string[] {
  return text.split(/\s+/).filter((w, i) => w !== '' && !NAME_JOINERS.has(w) && !(i > 0 && NAME_JOINERS.has(w.toLowerCase())));
}

/**
 * Nouns of a note that a person's name does not hold ("Customer Unhappy", "Tenant Migration"), read only
 * where a name stands alone after a sign-off: "Customer Success Manager" is still a role.
 */
const NOTE_NOUNS = new Set([
  'customer', 'customers', 'client', 'tenant', 'migration', 'rollout', 'review', 'security', 'licence', 'license', 'approval', 'contract',
  'meeting', 'workshop', 'demo', 'quote', 'renewal', 'unhappy', 'happy', 'urgent', 'escalation', 'wave', 'project', 'deal', 'works', 'council',
  'steering', 'committee', 'training', 'sessions', 'projekt', 'projet', 'proyecto', 'projeto', 'progetto',
]);

/** No line of a signature (bar a confidentiality footer) is longer than this. */
const MAX_LINE_CHARS = 400;
/** A signature at the end of a note (blank lines included, a footer after it not) is at most this long. */
const MAX_SIGNATURE_CHARS = 3000;

/**
 * The rules of a line (trimmed, not empty) a signature holds, besides sign-offs and addresses
 * ({@link readSignatureLine}): a line that opens with a person's name (the rest of it free: "Jane Smith |
 * she/her | Contoso", "Contoso Ltd | Registered in England No. 01234567"), or fields between `|`s each of
 * which is a role, team or company ({@link isTitleField}) or contact details: "IT Service Desk | Contoso",
 * "+44 20 7946 0958". `digits` false holds digits to contact details and name-led lines ("ETA Q3 2027" is
 * not one). "Status: blocked | owner: Jane", "Reason: Customer Uses Zoom" and "CAB Rejected Cutover" are not.
 */
function areSignatureFields(line: string, digits: boolean): boolean {
  const part = fieldTest(digits);
  return line.split(FIELD_BREAK).every((field) => field.trim() === '' || part(field.trim()));
}

/** A field of a signature line after a name or between `|`s: contact details, or a role, team or company. */
function fieldTest(digits: boolean): (text: string) => boolean {
  return (text) => isContactLine(text) || isCertification(text) || (isTitleField(text) && (digits || hasOnlyProductDigits(text)));
}

/** A certification, as signatures give it: "Microsoft Certified: Azure Solutions Architect Expert". */
const CERTIFICATION = /^Microsoft\s+Certified:\s*(\p{Lu}[\p{L}\d &-]{2,80})$/u;
/** The levels a certification's title ends in. */
const CERTIFICATION_LEVELS = new Set(['associate', 'expert', 'professional', 'fundamentals', 'specialty']);

/**
 * True when `field` is a certification ({@link CERTIFICATION}): its title a role's or a company's
 * ({@link isTitleField}) that ends in a level ({@link CERTIFICATION_LEVELS}) and holds no status's word:
 * "Microsoft Certified: Expired Last Month And Renewal Blocked By Finance" is a note's.
 */
function isCertification(field: string): boolean {
  const title = CERTIFICATION.exec(field)?.[1]?.trim();
  if (title === undefined || !isTitleField(title)) return false;
  const words = title.split(/\s+/).map((w) => w.toLowerCase());
  return CERTIFICATION_LEVELS.has(words[words.length - 1] ?? '') && !words.some((w) => STATUS_WORDS.has(w) && !CERTIFICATION_LEVELS.has(w));
}

/** A company's registration, as signatures give it: "Registered in England No. 01234567", "VAT No. GB123456789". */
const REGISTRATION = /^(?:registered\s+(?:in|office)\b|(?:company|registration|reg|vat)\.?\s+(?:no|number|reg)\b)[\p{L}\d\s.,:()/-]{0,80}$/iu;

/**
 * A line that opens with a person's name ({@link isNameLed}), at most twenty words, whose fields after a
 * `|` are roles, companies, contact details, a postal address or a company's registration: "Jane Smith |
 * she/her | Contoso", "Contoso Ltd | Registered in England No. 01234567". "Jane | Legal: contract signed"
 * and "Tom | go-live moved to 14 Dec" are a note's.
 */
function isNameLine(line: string, digits: boolean): boolean {
  const [first, ...rest] = line.split(FIELD_BREAK).map((f) => f.trim());
  if (!isNameLed(first ?? '', fieldTest(digits)) || line.split(/\s+/).length > 20) return false;
  const part = fieldTest(digits);
  return rest.every((field) => field === '' || part(field) || REGISTRATION.test(field) || readAddressLine(field) !== null);
}

/**
 * A first field that is a person's name, alone or followed by roles or contacts after commas or
 * dashes ("Jane Smith", "Jane Smith, CISSP", "Maria van der Berg, Head of IT"): what follows a `|`
 * after it is free, but not what follows a comma ("Blocked, waiting on legal until March 3").
 */
function isNameLed(field: string, part: (text: string) => boolean): boolean {
  const [name, ...rest] = field.split(/[,\u2013\u2014]/).map((p) => p.trim());
  return isPersonName(stripPronouns(name ?? '')) && rest.every((p) => p === '' || part(p));
}

/** What separates the fields of a signature line ("Jane Smith | IT Manager", "Contoso · Zürich"). */
const FIELD_BREAK = /[|\u2022\u00B7]/;

/** A word of a person's name: capital first, a small letter after it ("Jane", "McDonald", "O'Brien"), initials ("J.", "J.R."), or capitals alone ("JANE", "JS"). */
const NAME_WORD = /^(?:\p{Lu}[\p{L}'\u2019.-]*\p{Ll}[\p{L}'\u2019-]*\.?|(?:\p{Lu}\.){1,3}|\p{Lu}{2,})$/u;

/**
 * A person's name: one to five name words or joiners ("Maria van der Berg", "J. Smith", "JANE SMITH",
 * "JS"), not only joiners; a word in capitals goes with others in capitals only, so "CAB Rejected"
 * is not a name.
 */
function isPersonName(field: string, jan = true): boolean {
  const words = field.trim().split(/\s+/).filter((w) => w !== '');
  if (words.length === 0 || words.length > 5 || words.every((w) => NAME_JOINERS.has(w))) return false;
  // "Jan" first is a name alone or before a joiner ("Jan de Vries"), or (`jan`) where something else vouches
  // for it; after a word, or before a word of a note ("Jan Invoice", "Jan Deadline"), a month.
  const janName = jan || words.length === 1 || NAME_JOINERS.has(words[1] ?? '');
  if (!words.every((w, i) => NAME_JOINERS.has(w) || (w.length <= 40 && NAME_WORD.test(w) && (!isUpdateWord(w) || (i === 0 && w === 'Jan' && janName))))) return false;
  const capitals = words.filter((w) => /^\p{Lu}{2,}$/u.test(w)).length;
  return capitals === 0 || capitals === words.filter((w) => !NAME_JOINERS.has(w)).length;
}

/** Words ending in -ed that names of companies hold; any other (Rejected, Signed, Approved) is an update's verb. */
const COMPANY_ED_WORDS = new Set(['limited', 'united', 'registered', 'incorporated', 'certified', 'accredited', 'red']);

/** Names ending in -ed, which are no verbs in the past: "Fred Jones", "Ahmed Khan", "Mohammed Ali". */
const NAME_ED_WORDS = new Set([
  'fred', 'alfred', 'wilfred', 'manfred', 'winifred', 'mildred', 'siegfried', 'gottfried', 'ahmed', 'mohammed', 'mohamed', 'muhammed', 'mehmed',
  'ned', 'ted', 'jed', 'reed', 'hamed', 'saeed', 'javed', 'rasheed', 'waleed', 'naveed', 'fareed', 'zayed',
]);

/**
 * A role, team or company: at most eight words, each a name word ({@link isNameWord}), none a label
 * ("Reason:", "ETA:") or a verb in the past ("Rejected", "Signed"): "Senior Delivery Manager",
 * "Head of IT Operations", "Contoso Ltd.".
 */
function isTitleField(field: string): boolean {
  const words = field.split(/\s+/).filter((w) => w !== '');
  return words.length > 0 && words.length <= 8 && words.every((w) => w.length <= 40 && isNameWord(w) && !w.endsWith(':') && !isUpdateWord(w));
}

/**
 * Words of a status update rather than of a name or a role: a verb in the past ("Rejected", "Signed";
 * not "Limited"), a state ("Pending", "Hold"), a time ("ETA", "Friday", "March"). "Budget Approved",
 * "ON HOLD" and "Go-Live Monday" under a "Thanks," are the note's.
 */
function isUpdateWord(word: string): boolean {
  const lower = word.toLowerCase().replace(/[.,;!?]+$/, '');
  return UPDATE_WORDS.has(lower) || (/^\p{L}+ed$/u.test(lower) && !COMPANY_ED_WORDS.has(lower) && !NAME_ED_WORDS.has(lower));
}

const UPDATE_WORDS = new Set([
  'hold', 'pending', 'waiting', 'stalled', 'eta', 'due', 'next', 'update', 'follow', 'tbd', 'asap', 'eod', 'eow', 'today', 'tomorrow', 'yesterday',
  'go-live', 'golive', 'kickoff', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'january', 'february', 'march',
  'july', 'september', 'october', 'november', 'december', 'jan', 'feb', 'mar', 'apr', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec', 'q1', 'q2', 'q3', 'q4',
  // Verbs and words of a status in title case ("Customer Wants Zoom", "Steering Committee Meets Friday", "Review Outstanding").
  'until', 'wants', 'needs', 'uses', 'meets', 'starts', 'asks', 'requires', 'refuses', 'prefers', 'expects', 'outstanding',
]);

/**
 * Where an email signature at the end of a note starts (the offset of its sign-off line), or -1: a
 * sign-off line ("Thanks,", "Best regards", "--", "Viele Grüße,") or a "Sent from my ..."
 * line, followed only by lines that read as names, roles, contact details or (after a name) a postal
 * address (the rules of a signature-only note, with digits only in contact details, addresses and
 * name-led lines: {@link readSignatureLine} with `digits` false, then {@link isSignatureFrom}), after a
 * note of its own (some letter before it). The earliest such line of the note's last lines is taken, so
 * "Thanks,\nJane\n--\nSent from my iPhone" goes whole; a line that is a sentence, a date or a ticket
 * number ends the search. A confidentiality footer at the very end ({@link trailingDisclaimerStart})
 * goes with the signature right above it, and only then: a footer with no signature above it stays, as
 * does a footer with any line of the note after it (the footer is then not at the end).
 * Only the note's last lines are read, from its end: the cost does not grow with the note's length.
 * `preCheck` false reads every line in full even when no line could open a signature ({@link
 * hasSignOffAbove}); the result is the same (tests compare the two).
 */
export function trailingSignatureStart(text: string, preCheck = true): number {
  const footer = trailingDisclaimerStart(text);
  if (footer >= 0) {
    const start = signatureStartAbove(text, footer, true, preCheck);
    if (start >= 0) return start;
  }
  return signatureStartAbove(text, text.length, false, preCheck);
}

/** Where the signature that ends at `end` (the note's end, or a footer's start) starts, or -1 (see {@link trailingSignatureStart}). */
function signatureStartAbove(text: string, end: number, footer: boolean, preCheck: boolean): number {
  const floor = end - MAX_SIGNATURE_CHARS;
  // Most notes end without one: no sign-off among the lines the block could hold, no signature.
  if (preCheck && !hasSignOffAbove(text, end, floor)) return -1;
  // The block of signature-like lines above `end`, first line first.
  const block: SignatureLine[] = [];
  for (let line = lineBefore(text, end, MAX_LINE_CHARS, floor); line !== null && block.length <= MAX_SIGNATURE_LINES; line = lineBefore(text, line.start - 1, MAX_LINE_CHARS, floor)) {
    // At a note's end a digit is more likely an update's (a date, a ticket, "Q3") than a signature's.
    const read = readSignatureLine(line.text, line.start, false);
    if (read === null) break;
    block.push(read);
  }
  block.reverse();
  // The earliest sign-off in it: "Thanks,\nJane\n--\nSent from my iPhone" goes whole. A dash line opens a
  // signature only as `--` followed by a name ("Call notes.\n---\nNext Steps" is a section of the note).
  const open = block.findIndex((line, i) => {
    if (line.kind !== 'sign-off') return false;
    if (/^-+$/.test(line.text)) {
      const next = block.slice(i + 1).find((l) => l.kind !== 'sign-off');
      if (!SIGNATURE_DASHES.test(line.text) || (next !== undefined && !isNameLed(next.text.split(FIELD_BREAK)[0]?.trim() ?? '', () => true))) return false;
    }
    return isSignatureFrom(block, i, footer);
  });
  const start = open >= 0 ? (block[open] as SignatureLine).start : -1;
  return start > 0 && hasLetterBefore(text, start) ? start : -1;
}

/**
 * The pre-check of {@link signatureStartAbove}: true when a line that could be in its block (one of
 * the last `MAX_SIGNATURE_LINES + 1` lines above `end`, walked as it walks them) is a sign-off
 * ({@link isSignOffLine}). A signature opens with a sign-off, so without one the block holds none and
 * the full reading of names, roles, contacts and addresses finds nothing: a note's last lines are only
 * matched against the sign-off patterns, anchored at their start.
 */
function hasSignOffAbove(text: string, end: number, floor: number): boolean {
  let lines = 0;
  for (let line = lineBefore(text, end, MAX_LINE_CHARS, floor); line !== null && lines <= MAX_SIGNATURE_LINES; line = lineBefore(text, line.start - 1, MAX_LINE_CHARS, floor)) {
    if (isSignOffLine(line.text)) return true;
    lines++;
  }
  return false;
}

/**
 * True when `text` has a letter before `end`: the regular expression runs over windows that grow
 * sixteenfold backwards from `end`, so a letter near the signature is found at once and a note without
 * one costs a few native scans (a letter cut by a window's edge is found in the next window).
 */
function hasLetterBefore(text: string, end: number): boolean {
  for (let width = 256; ; width *= 16) {
    const from = Math.max(0, end - width);
    if (LETTER.test(text.slice(from, end))) return true;
    if (from === 0) return false;
  }
}

/** Where the white space that ends `text.slice(0, end)` starts (a native trim, which reads only that white space). */
function endOfWords(text: string, end: number): number {
  return text.slice(0, end).trimEnd().length;
}

/**
 * The last line of `text` that ends at or before `stop` and is not blank, trimmed, with the offset where
 * it starts; null when there is none, or when it is longer than `maxChars` or starts before `floor` (found
 * without reading all of it). The line before a line is `lineBefore(text, line.start - 1, ...)`; going up
 * a note line by line so costs at most `stop - floor` characters, whatever its length.
 */
function lineBefore(text: string, stop: number, maxChars: number, floor: number): { text: string; start: number } | null {
  let end = stop;
  while (end > 0 && end > floor) {
    let i = end - 1;
    for (; i >= 0; i--) {
      const c = text.charCodeAt(i);
      if (c === 10 || c === 13) break;
      if (end - i > maxChars || i < floor) return null;
    }
    const line = text.slice(i + 1, end).trim();
    if (line !== '') return { text: line, start: i + 1 };
    end = i;
  }
  return null;
}

/**
 * `text` without the email signature at its end (see {@link trailingSignatureStart}), and without the
 * white space before it; `text` itself when it has none. Only the end is cut, so positions in the
 * result are positions in `text`.
 */
export function stripTrailingSignature(text: string): string {
  const start = trailingSignatureStart(text);
  return start < 0 ? text : text.slice(0, endOfWords(text, start));
}

/** What a postal address line holds: a street, a postcode that tells itself ("SW1A 1AA"), a bare one ("10115"). */
interface AddressLine {
  street: boolean;
  strong: boolean;
  weak: boolean;
}

/** Words that end a street's name after its number: "12 Main Street", "221B Baker St.". */
const STREET_WORDS = new Set([
  'street', 'st', 'road', 'rd', 'avenue', 'ave', 'lane', 'ln', 'drive', 'dr', 'boulevard', 'blvd', 'way', 'place', 'pl',
  'square', 'sq', 'court', 'ct', 'crescent', 'terrace', 'close', 'parkway', 'highway',
]);
/** Words that open a street's name after its number, in French: "1 rue de la Paix". */
const FRENCH_STREET_WORDS = new Set(['rue', 'avenue', 'boulevard', 'bd', 'chemin', 'place', 'allée', 'impasse', 'quai', 'route', 'cours']);
/** Words that open a street's name before its number: "Via Roma 10", "Calle Mayor 5", "Rua Augusta 100". */
const LEADING_STREET_WORDS = new Set(['via', 'viale', 'piazza', 'corso', 'calle', 'avenida', 'paseo', 'plaza', 'carrer', 'rua', 'praça', 'largo', 'travessa']);
/** How one-word street names end in German and Dutch: "Musterstraße 12", "Hauptstr. 5", "Keizersgracht 123". */
const STREET_ENDING = /\p{L}(?:straße|strasse|str\.|weg|platz|gasse|allee|damm|straat|laan|plein|gracht|kade|singel|dijk)$/iu;
const HOUSE_NUMBER = /^\d{1,5}[a-z]?$/i;
const UNIT = /^(?:level|floor|fl|suite|ste|unit|building|bldg|apt|flat|room)\.?\s+[\w-]{1,5}$|^\d{1,2}(?:st|nd|rd|th)\s+floor$|^p\.?\s?o\.?\s+box\s+\d{1,6}$/i;
/** A UK or Canadian postcode, in one word or two: "SW1A 1AA", "NW1 6XE", "K1A 0B1". */
const STRONG_POSTCODE = /^(?:[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}|[A-Z]\d[A-Z]\s?\d[A-Z]\d)$/;
/** A postcode of digits ("10115", "D-10115", "98101-1234"), which alone could be a count or a year. */
const NUMERIC_POSTCODE = /^(?:[A-Z]{1,2}-)?\d{4,5}(?:-\d{4})?$/;

/** A word of a street or city name: capitalised or a joiner ("de", "la"), no update word. */
function isPlaceWord(word: string): boolean {
  return (/^\p{Lu}/u.test(word) || NAME_JOINERS.has(word) || ['des', 'du', 'do', 'dos', 'das', 'am', 'an', 'im'].includes(word)) && !isUpdateWord(word);
}

/** A street with its number: "12 Main Street", "221B Baker St.", "1 rue de la Paix", "Via Roma 10", "Musterstraße 12". */
function isStreet(words: readonly string[]): boolean {
  if (words.length < 2 || words.length > 7) return false;
  const first = words[0] as string;
  const last = words[words.length - 1] as string;
  if (HOUSE_NUMBER.test(first)) {
    const rest = words.slice(1);
    // Its name words are no "In" or "On": "2 Blockers In Place" is an update in capitals.
    const named = rest.every((w) => isPlaceWord(w) && !ENGLISH_FUNCTION_WORDS.has(w.toLowerCase()));
    if (STREET_WORDS.has(last.toLowerCase().replace(/\.$/, '')) && rest.length >= 2 && named) return true;
    return FRENCH_STREET_WORDS.has((words[1] as string).toLowerCase()) && rest.length >= 2 && rest.slice(1).every(isPlaceWord);
  }
  if (!HOUSE_NUMBER.test(last)) return false;
  const name = words.slice(0, -1);
  if (LEADING_STREET_WORDS.has(first.toLowerCase()) && name.length >= 2) return name.slice(1).every(isPlaceWord);
  return name.length <= 3 && STREET_ENDING.test(name[name.length - 1] as string) && name.every(isPlaceWord);
}

/**
 * A postcode with its city or state, as one field: "London SW1A 1AA", "10115 Berlin", "1015 CJ Amsterdam",
 * "WA 98101", "Sydney NSW 2000"; null when it is none. `strong` for a UK or Canadian postcode.
 */
function readPostcode(words: readonly string[]): 'strong' | 'weak' | null {
  const placeWords = (ws: readonly string[]) => ws.length <= 3 && ws.every((w) => isPlaceWord(w) && !/\d/.test(w));
  for (const size of [2, 1]) {
    const head = words.slice(0, size).join(' ');
    const tail = words.slice(-size).join(' ');
    if (words.length > size && STRONG_POSTCODE.test(head) && placeWords(words.slice(size))) return 'strong';
    if (words.length > size && STRONG_POSTCODE.test(tail) && placeWords(words.slice(0, -size))) return 'strong';
  }
  const first = words[0] ?? '';
  const last = words[words.length - 1] ?? '';
  // "10115 Berlin", "1015 CJ Amsterdam"
  if (NUMERIC_POSTCODE.test(first)) {
    const rest = /^\d{4}$/.test(first) && /^[A-Z]{2}$/.test(words[1] ?? '') ? words.slice(2) : words.slice(1);
    if (rest.length > 0 && placeWords(rest)) return 'weak';
  }
  // "Paris 75002", "WA 98101", "Sydney NSW 2000"
  if (NUMERIC_POSTCODE.test(last) && words.length >= 2) {
    const before = words.slice(0, -1);
    const city = /^[A-Z]{2,3}$/.test(before[before.length - 1] ?? '') ? before.slice(0, -1) : before;
    if (placeWords(city)) return 'weak';
  }
  return null;
}

/**
 * A postal address line of a signature, or null: fields between `|`s and commas, each a street with its
 * number, a postcode with its city, a unit ("Level 4", "Suite 200") or a place ("Seattle", "United
 * Kingdom"), at least one of them a street or a postcode. "Level 4, 12 Main St, Sydney NSW 2000",
 * "Musterstraße 12", "10115 Berlin". Whether it counts is for {@link isSignatureFrom} to say.
 */
function readAddressLine(line: string): AddressLine | null {
  if (line.length > 160 || !/\d/.test(line)) return null;
  const fields: string[] = [];
  for (const field of line.split(/[|\u2022\u00B7,]/)) {
    const trimmed = field.trim();
    // "Avenida Paulista, 1578": a house number after a comma belongs to the street before it.
    if (HOUSE_NUMBER.test(trimmed) && fields.length > 0) fields[fields.length - 1] += ` ${trimmed}`;
    else if (trimmed !== '') fields.push(trimmed);
  }
  const found: AddressLine = { street: false, strong: false, weak: false };
  for (const field of fields) {
    const words = field.split(/\s+/);
    if (isStreet(words)) found.street = true;
    else if (UNIT.test(field)) continue;
    else {
      const postcode = readPostcode(words);
      if (postcode === 'strong') found.strong = true;
      else if (postcode === 'weak') found.weak = true;
      else if (/\d/.test(field) || !isTitleField(field)) return null;
    }
  }
  return found.street || found.strong || found.weak ? found : null;
}

/**
 * How a confidentiality footer opens, at the start of a line (checked on its first words only). Strict on
 * purpose: it must also say who it is meant for or what to do if it went astray ({@link DISCLAIMER_HALLMARK}),
 * every sentence and every line of it must be a footer's ({@link isDisclaimerSentence}), and a signature
 * must stand right above it ({@link trailingSignatureStart}).
 */
const DISCLAIMER_OPENINGS: readonly RegExp[] = [
  // "CONFIDENTIALITY NOTICE:", "Privacy statement", "Legal disclaimer"
  /^(?:confidentiality|privacy|legal)\s+(?:notice|statement|disclaimer|note)\b/i,
  /^disclaimer\b/i,
  // "CONFIDENTIAL:", "Privileged and confidential"
  /^(?:privileged\s+(?:and|&)\s+)?confidential\b/i,
  // "The information in this e-mail ...", "The contents of this message ..."
  /^(?:the\s+)?(?:information|contents?)\s+(?:contained\s+)?(?:in|of|within)\s+this\s+(?:e-?mail|message|communication|transmission)\b/i,
  // "This email and any attachments ...", "This message is intended ..."
  /^this\s+(?:e-?mail|message|communication|transmission)\b/i,
  // "If you are not the intended recipient ...", "If you have received this ... in error"
  /^if\s+you\s+(?:are\s+not\s+the\s+(?:intended|named)|have\s+received\s+this)\b/i,
];
/**
 * What a footer says: it is for its addressee or intended recipient alone, or "if you received this email
 * in error". "Intended for the steering committee" and "received this in error" are a note's.
 */
const DISCLAIMER_HALLMARK =
  /\bintended\s+recipient|\baddressee|\breceived\s+this\s+(?:e-?mail|message|communication|transmission)\s+in\s+error|\bintended\s+(?:solely|only|exclusively)\s+for\s+(?:the\s+)?(?:use\s+of\s+)?(?:the\s+)?(?:addressee|recipient|named|individual|person|entity)/i;
/**
 * Words a footer's sentences use (each sentence holds one), and a note's sentences seldom: not "delete",
 * "notify", "attachments" or "this email" ("Jane to delete the old transport rules on Monday", "This email
 * from the CIO confirms ..."), and "confidential" only as a footer says it ("is confidential", "confidential
 * information"), not as a label ("Confidential: customer merging with Fabrikam").
 */
const DISCLAIMER_WORDS =
  /\b(?:privilege|intended|recipient|addressee|in\s+error|sender|prohibit|unauthori[sz]ed|disclos|dissemin|copying|virus|liab|legally|confidentiality)|\b(?:is|are|be|remain)\s+(?:strictly\s+)?confidential\b|\bconfidential\s+(?:and|or|information|material)\b/i;
/** At most this many characters, from its opening to the end of the note, make a footer. */
const MAX_DISCLAIMER_CHARS = 2000;

/**
 * A sentence (or line) of a footer: it holds a footer's word, or it is a thanks ("Thank you."); a line
 * that opens as an item of a list ("- delete old DLs before cutover") is a note's.
 */
function isDisclaimerSentence(sentence: string): boolean {
  if (/^(?:[-*+\u2022\u2013\u2014>]|\d{1,2}[.)]\s)/u.test(sentence)) return false;
  return DISCLAIMER_WORDS.test(sentence) || FOOTER_CLOSING.test(sentence);
}

/**
 * Where a confidentiality footer at the very end of `text` opens, or -1: a line that opens as one of
 * {@link DISCLAIMER_OPENINGS} within the last {@link MAX_DISCLAIMER_CHARS} characters, from which to the end
 * the text says whom it is for or what to do if it went astray ({@link DISCLAIMER_HALLMARK}), and every
 * sentence is a footer's, a line break ending a sentence, so a note's own words after one ("Update: the
 * customer signed.") keep it all. The earliest such line is taken ("CONFIDENTIALITY NOTICE\nThis email ..."
 * goes whole). Whether it goes is for {@link trailingSignatureStart} to say: only under a signature.
 */
function trailingDisclaimerStart(text: string): number {
  const floor = text.length - MAX_DISCLAIMER_CHARS - 500;
  // Most notes have none: no hallmark near the end, nothing to look for.
  if (!DISCLAIMER_HALLMARK.test(floor > 0 ? text.slice(floor) : text)) return -1;
  const openings: number[] = [];
  // White space after the footer (up to a few lines' worth) does not count against its length.
  for (let line = lineBefore(text, text.length, MAX_DISCLAIMER_CHARS, floor); line !== null; line = lineBefore(text, line.start - 1, MAX_DISCLAIMER_CHARS, floor)) {
    const head = line.text.slice(0, 120);
    if (DISCLAIMER_OPENINGS.some((opening) => opening.test(head))) openings.unshift(line.start);
  }
  for (const start of openings.slice(0, 8)) {
    const footer = text.slice(start).trim();
    if (footer.length > MAX_DISCLAIMER_CHARS || !DISCLAIMER_HALLMARK.test(footer)) continue;
    const sentences = footer.split(/(?<=[.!?])\s+|\s*[\r\n]\s*/).map((s) => s.trim()).filter((s) => s !== '');
    if (sentences.every(isDisclaimerSentence) && footerLinesHold(footer)) return start;
  }
  return -1;
}

/**
 * True when each line of `footer` after its first carries on a sentence of the line before (which ends
 * without `.`, `!`, `?` or `:`), opens as a footer does ({@link DISCLAIMER_OPENINGS}) or says whom it is for
 * ({@link DISCLAIMER_HALLMARK}). A line of the note's own after a footer ("Sender domain not verified, so mail
 * flow is blocked.") holds a footer's word too often for the words alone to tell.
 */
function footerLinesHold(footer: string): boolean {
  const lines = footer.split(/\r\n|\r|\n/).map((l) => l.trim()).filter((l) => l !== '');
  return lines.every((line, i) => {
    if (i === 0 || !/[.!?:]$/.test(lines[i - 1] as string)) return true;
    const head = line.slice(0, 120);
    return DISCLAIMER_OPENINGS.some((opening) => opening.test(head)) || DISCLAIMER_HALLMARK.test(line) || FOOTER_CLOSING.test(line);
  });
}

/**
 * The closing sentences of a footer, said as only footers say them: "Thank you.", "Unauthorised use,
 * disclosure or copying is prohibited.", "The sender accepts no liability for viruses.", "Emails are not
 * secure and may contain viruses.". "Sender domain not verified" and "their virus scanner blocks Teams"
 * are a note's.
 */
const FOOTER_CLOSING =
  /^thank(?:s|\s+you)(?:\s+for\s+your\s+(?:cooperation|understanding))?\s*[.!]?$|\b(?:is|are)\s+(?:strictly\s+)?prohibited\b|\baccepts?\s+no\s+(?:liability|responsibility)\b|\bmay\s+contain\s+viruses\b|\bnot\s+(?:be\s+)?(?:guaranteed\s+to\s+be\s+)?secure\b|\bvirus(?:-|\s+)free\b|\bviews\s+(?:or\s+opinions\s+)?expressed\b/i;

/** Lower-case words a name, a role or a company can hold ("Head of IT", "Maria van der Berg"). */
const NAME_JOINERS = new Set(['of', 'and', 'for', 'at', 'the', 'de', 'del', 'der', 'den', 'van', 'von', 'da', 'di', 'la', 'le']);

/**
 * A word of a name, role or company line: it starts with a capital, a digit or a sign, or is a joiner.
 * A sentence has lower-case words ("Blocked by legal review", "Waiting on the customer"), so a short
 * note under a "Thanks," is read, not taken for a signature.
 */
function isNameWord(word: string): boolean {
  return !/^\p{Ll}/u.test(word) || NAME_JOINERS.has(word);
}

const SPACE = /\s/;
const LETTER = /\p{L}/u;

/**
 * UTF-16 units that are not white space (as `\s` defines it), control characters, letters (code
 * points in \p{L}) and Latin letters (A-Z, a-z, U+00C0-U+024F) of `text`.
 */
export function countCharacters(text: string): { nonSpace: number; control: number; letters: number; latin: number } {
  let nonSpace = 0;
  let control = 0;
  let letters = 0;
  let latin = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= 8 || (c >= 14 && c <= 31) || c === 127 || c === 0xfffd) control++;
    if (c < 128) {
      if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) {
        letters++;
        latin++;
        nonSpace++;
      } else if (c !== 32 && !(c >= 9 && c <= 13)) nonSpace++;
      continue;
    }
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        // A supplementary code point: two units, never white space, one letter at most.
        nonSpace += 2;
        if (LETTER.test(text.slice(i, i + 2))) letters++;
        i++;
        continue;
      }
    }
    const ch = text[i] as string;
    if (SPACE.test(ch)) continue;
    nonSpace++;
    if (LETTER.test(ch)) {
      letters++;
      if (c >= 0xc0 && c <= 0x24f) latin++;
    } else if (c >= 0xc0 && c <= 0x24f) latin++;
  }
  return { nonSpace, control, letters, latin };
}

/**
 * `lower.match(/\p{L}+/gu) ?? []`: the runs of letters. On ASCII text (most notes) without the
 * regular expression, whose class there is [A-Za-z]; at the first other character, with it.
 */
export function findLetterWords(lower: string): string[] {
  const words: string[] = [];
  let start = -1;
  for (let i = 0; i < lower.length; i++) {
    const c = lower.charCodeAt(i);
    if (c > 127) return lower.match(/\p{L}+/gu) ?? [];
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90)) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      words.push(lower.slice(start, i));
      start = -1;
    }
  }
  if (start >= 0) words.push(lower.slice(start));
  return words;
}

/**
 * Truncates, then flags empty, binary, non-English or too-short notes; `text` is what to classify: the
 * (truncated) note without an email signature at its end. The signature is found at the end of the note
 * as given, before the truncation: a long note loses the part of its signature that falls within its first
 * {@link MAX_NOTE_CHARS} characters, and a look-alike at the cut, with the note going on after it, stays.
 * `options.keepSignature`: the text is already without its signature (the note coach found it on the whole
 * note and blanked it, then cut the note to the part it grades), so none is looked for and a look-alike at
 * its end is read. Never throws.
 */
export function checkInput(raw: unknown, options: CheckInputOptions = {}): InputCheck {
  const warnings: string[] = [];
  let text = typeof raw === 'string' ? raw : raw === null || raw === undefined ? '' : String(raw);
  const signature = options.keepSignature === true ? -1 : trailingSignatureStart(text);
  if (text.length > MAX_NOTE_CHARS) {
    warnings.push(`The note is ${text.length} characters long; only its first ${MAX_NOTE_CHARS} characters were classified.`);
    text = text.slice(0, MAX_NOTE_CHARS);
  }
  // One pass over the text (no per-character arrays): non-space length, control characters, letters, Latin letters.
  const counts = countCharacters(text);
  if (counts.nonSpace === 0 || (counts.letters === 0 && text.replace(INVISIBLE, '').trim() === '')) {
    return { text, warnings, unusable: 'The note is empty: there is nothing to classify.', thin: null };
  }
  const { control, letters, latin } = counts;
  if (control / text.length > 0.02 || letters / counts.nonSpace < 0.5) {
    return { text, warnings, unusable: 'The note does not look like readable text (binary data or symbols); write the reason in words.', thin: null };
  }
  if (latin / letters < 0.5) {
    return { text, warnings, unusable: 'The note is not in English (non-Latin script); the model only understands English notes.', thin: null };
  }
  const nothingToRead = onlyLinksOrAddresses(text) ?? (isSignatureOnly(text) ? 'The note is only an email signature (a sign-off, a name, contact details); write the reason in words.' : null);
  if (nothingToRead !== null) return { text, warnings, unusable: nothingToRead, thin: null };
  // A signature under the note ("Thanks,\nJane Smith\nCloud Architect") says nothing about the customer:
  // the note is classified, explained and judged without it (the caller keeps the note as written).
  if (signature >= 0 && signature < text.length) text = text.slice(0, endOfWords(text, signature));
  const words = findLetterWords(text.toLowerCase());
  let foreign = 0;
  let english = 0;
  for (const w of words) {
    if (ENGLISH_FUNCTION_WORDS.has(w)) english++;
    else if (FOREIGN_FUNCTION_WORDS.has(w)) foreign++;
  }
  if (words.length >= 4 && foreign >= 2 && foreign > english) {
    return { text, warnings, unusable: 'The note does not look like English; the model only understands English notes.', thin: null };
  }
  const thin = words.length <= 1 ? 'The note is a single word; say what stops or drives the customer in a sentence.' : null;
  return { text, warnings, unusable: null, thin };
}
