/** Checks of a note before classification: truncation, junk, language, length. Pure. */

/** Notes longer than this are truncated (with a warning) before classification. */
export const MAX_NOTE_CHARS = 5000;

const FOREIGN_FUNCTION_WORDS = new Set(
  'el la los las del que y en por para con una es se lo al pero muy como sin sobre est ist und der die das nicht mit ein eine zu den von auf sich auch noch nach wird sind les des et une pour pas dans est avec sur qui ce du au não uma com os para por mais como ao da do das dos em é il della che di non sono per het een van niet zijn voor met ook maar'.split(' '),
);
const ENGLISH_FUNCTION_WORDS = new Set(
  'the a an and or of to in on for with at by from is are was were be been has have had not no it its this that they them their we our he she his her as but if then so than when which who what there can will would should could do does did yet still all any some more about after before until into over only just also because while'.split(' '),
);

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
/** A sign-off line of an email ("Best regards,", "Thanks,", "--"): a note that opens with one is a signature. */
const SIGN_OFF = /^(?:(?:with\s+)?(?:best|kind|warm|warmest|many)(?:\s+(?:regards|wishes|thanks))?|regards|rgds|thx|thanks(?:\s+(?:and|&)\s+regards|\s+again)?|thank\s+you|all\s+the\s+best|cheers|sincerely(?:\s+yours)?|yours\s+(?:truly|sincerely)|br|kr|-{2,})\s*[,.!]?$/i;
/** The one dash line that opens a signature at the end of a note (`-- `, the usual delimiter); `---` is a section rule. */
const SIGNATURE_DASHES = /^--$/;
/**
 * "Sent from my iPhone", "Sent from my Samsung Galaxy S23 Ultra": the whole line, at most six words
 * after "my", none of them a word of a sentence ("Sent from my team to the reseller" is a note).
 */
const SENT_FROM = /^(?:get\s+outlook\s+for\s+(?:ios|android)|sent\s+from\s+(?:outlook|mail)\s+for\s+[\p{L}\d]+)\s*[.!]?$|^sent\s+from\s+my\s+(?!(?:to|for|the|and|on|by|with|a|an|about|because|so|but|team|boss|manager|colleague|customer)\b)[\p{L}\d.,-]+(?:\s+(?!(?:to|for|the|and|on|by|with|a|an|about|because|so|but|is|was|are)\b)[\p{L}\d.,-]+){0,5}\s*[.!]?$/iu;
/** The label a contact detail may carry ("T:", "Mobile", "E-mail:", "W:"): a known one, so "Ticket: https://..." is a note's. */
const CONTACT_LABEL = String.raw`(?:(?:t|tel|telephone|phone|p|m|mob|mobile|cell|c|f|fax|o|office|d|direct|dd|e|email|e-mail|mail|w|web|website|url|linkedin)\.?\s*:?\s+)?`;
/**
 * One contact detail, the whole field: an address, a link, a bare domain ("contoso.com"), a phone
 * number of seven digits or more (not a date), an extension, or pronouns ("she/her"); each with a
 * known label or none. "Office 365", "Escalated to legal@contoso.com" and a date are not.
 */
const CONTACT_FIELD = [
  new RegExp(String.raw`^${CONTACT_LABEL}<?[^\s@<>()]+@[^\s@<>()]+\.[^\s@<>()]+>?$`, 'i'),
  new RegExp(String.raw`^${CONTACT_LABEL}(?:https?:\/\/|www\.)\S+$`, 'i'),
  new RegExp(String.raw`^${CONTACT_LABEL}[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?:\/\S*)?$`, 'i'),
  /^(?:ext|extension|x)\.?\s*:?\s*\d{2,6}$/i,
  /^\(?(?:she|he|they|ze)\/(?:her|him|them|hers|his|theirs|they)(?:\/\w+)?\)?$/i,
];
const PHONE = new RegExp(String.raw`^${CONTACT_LABEL}(\+?[(\d][\d\s()./-]{5,}\d)(?:\s*(?:ext\.?|x)\s*\d{1,6})?$`, 'i');
const DATE_LIKE = /^\d{4}-\d{1,2}-\d{1,2}$|^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}$/;

/** One contact detail and nothing else (see {@link CONTACT_FIELD}), at most ten words long. */
function isContactLine(field: string): boolean {
  if (field.length > 200 || field.split(/\s+/).length > 10) return false;
  if (CONTACT_FIELD.some((pattern) => pattern.test(field))) return true;
  const phone = PHONE.exec(field);
  return phone !== null && (phone[1]?.replace(/\D/g, '').length ?? 0) >= 7 && !DATE_LIKE.test(phone[1] ?? '');
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
 * regards,", "Thanks,", "--") followed by a few signature lines ({@link isSignatureLine}: names,
 * roles, companies, contact details), or it is "Sent from my ..." alone.
 */
function isSignatureOnly(text: string): boolean {
  const lines = text
    .split(/\r\n|\r|\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const first = lines[0];
  if (first === undefined) return false;
  if (lines.length === 1) return SENT_FROM.test(first) || /^-{2,}$/.test(first);
  if (!SIGN_OFF.test(first)) return false;
  const rest = lines.slice(1);
  return rest.length <= MAX_SIGNATURE_LINES && rest.every((line) => isSignatureLine(line));
}

/** At most this many lines follow a sign-off in a signature. */
const MAX_SIGNATURE_LINES = 8;

/**
 * A line (trimmed, not empty) a signature holds: a sign-off, "Sent from my ...", a line that opens
 * with a person's name (the rest of it free: "Jane Smith | she/her | Contoso", "Contoso Ltd |
 * Registered in England No. 01234567"), or fields between `|`s each of which is a role, team or
 * company ({@link isTitleField}) or contact details: "IT Service Desk | Contoso", "+44 20 7946 0958".
 * `digits` false holds digits to contact details and name-led lines ("ETA Q3 2027" is not one).
 * "Status: blocked | owner: Jane", "Reason: Customer Uses Zoom" and "CAB Rejected Cutover" are not.
 */
function isSignatureLine(line: string, digits = true): boolean {
  if (isSignOffLine(line)) return true;
  const fields = line.split(FIELD_BREAK).map((f) => f.trim());
  const part = (text: string) => isContactLine(text) || (isTitleField(text) && (digits || !/\d/.test(text)));
  if (isNameLed(fields[0] ?? '', part) && line.split(/\s+/).length <= 20) return true;
  return fields.every((field) => field === '' || part(field));
}

/**
 * A first field that is a person's name, alone or followed by roles or contacts after commas or
 * dashes ("Jane Smith", "Jane Smith, CISSP", "Maria van der Berg, Head of IT"): what follows a `|`
 * after it is free, but not what follows a comma ("Blocked, waiting on legal until March 3").
 */
function isNameLed(field: string, part: (text: string) => boolean): boolean {
  const [name, ...rest] = field.split(/[,\u2013\u2014]/).map((p) => p.trim());
  return isPersonName(name ?? '') && rest.every((p) => p === '' || part(p));
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
function isPersonName(field: string): boolean {
  const words = field.trim().split(/\s+/).filter((w) => w !== '');
  if (words.length === 0 || words.length > 5 || words.every((w) => NAME_JOINERS.has(w))) return false;
  if (!words.every((w) => NAME_JOINERS.has(w) || (w.length <= 40 && NAME_WORD.test(w) && !isUpdateWord(w)))) return false;
  const capitals = words.filter((w) => /^\p{Lu}{2,}$/u.test(w)).length;
  return capitals === 0 || capitals === words.filter((w) => !NAME_JOINERS.has(w)).length;
}

/** Words ending in -ed that names of companies hold; any other (Rejected, Signed, Approved) is an update's verb. */
const COMPANY_ED_WORDS = new Set(['limited', 'united', 'registered', 'incorporated', 'certified', 'accredited', 'red']);

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
  return UPDATE_WORDS.has(lower) || (/^\p{L}+ed$/u.test(lower) && !COMPANY_ED_WORDS.has(lower));
}

const UPDATE_WORDS = new Set([
  'hold', 'pending', 'waiting', 'stalled', 'eta', 'due', 'next', 'update', 'follow', 'tbd', 'asap', 'eod', 'eow', 'today', 'tomorrow', 'yesterday',
  'go-live', 'golive', 'kickoff', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'january', 'february', 'march',
  'july', 'september', 'october', 'november', 'december', 'jan', 'feb', 'mar', 'apr', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec', 'q1', 'q2', 'q3', 'q4',
]);

/**
 * Where an email signature at the end of a note starts (the offset of its sign-off line), or -1: a
 * sign-off line ("Thanks,", "Best regards", "--") or a "Sent from my ..." line, followed only by lines
 * that read as names, roles or contact details (the rules of a signature-only note, with digits only
 * in contact details: {@link isSignatureLine} with `digits` false), after a note of its own (some letter before
 * it). The earliest such line of the note's last lines is taken, so "Thanks,\nJane\n--\nSent from my
 * iPhone" goes whole; a line that is a sentence, a date or a ticket number ends the search.
 */
function trailingSignatureStart(text: string): number {
  const lines: { text: string; start: number }[] = [];
  const breaks = /\r\n|\r|\n/g;
  let from = 0;
  for (let m = breaks.exec(text); m !== null; m = breaks.exec(text)) {
    lines.push({ text: text.slice(from, m.index).trim(), start: from });
    from = m.index + m[0].length;
  }
  lines.push({ text: text.slice(from).trim(), start: from });
  // The block of signature-like lines at the end, first line first.
  const block: { text: string; start: number }[] = [];
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i] as { text: string; start: number };
    if (line.text === '') continue;
    // At a note's end a digit is more likely an update's (a date, a ticket, "Q3") than a signature's.
    if (block.length > MAX_SIGNATURE_LINES || !isSignatureLine(line.text, false)) break;
    block.unshift(line);
  }
  // The earliest sign-off in it: "Thanks,\nJane\n--\nSent from my iPhone" goes whole. A dash line opens a
  // signature only as `--` followed by a name ("Call notes.\n---\nNext Steps" is a section of the note).
  const signOff = block.find((line, i) => {
    if (!/^-+$/.test(line.text)) return isSignOffLine(line.text);
    const next = block.slice(i + 1).find((l) => !isSignOffLine(l.text));
    return SIGNATURE_DASHES.test(line.text) && (next === undefined || isNameLed(next.text.split(FIELD_BREAK)[0]?.trim() ?? '', () => true));
  });
  return signOff !== undefined && signOff.start > 0 && LETTER.test(text.slice(0, signOff.start)) ? signOff.start : -1;
}

function isSignOffLine(line: string): boolean {
  return SIGN_OFF.test(line) || SENT_FROM.test(line);
}

/**
 * `text` without the email signature at its end (see {@link trailingSignatureStart}), and without the
 * white space before it; `text` itself when it has none. Only the end is cut, so positions in the
 * result are positions in `text`.
 */
export function stripTrailingSignature(text: string): string {
  const start = trailingSignatureStart(text);
  return start < 0 ? text : text.slice(0, start).trimEnd();
}

/** Lower-case words a name, a role or a company can hold ("Head of IT", "Maria van der Berg"). */
const NAME_JOINERS = new Set(['of', 'and', 'for', 'at', 'the', 'de', 'del', 'der', 'van', 'von', 'da', 'di', 'la', 'le']);

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
 * (truncated) note without an email signature at its end. Never throws.
 */
export function checkInput(raw: unknown): InputCheck {
  const warnings: string[] = [];
  let text = typeof raw === 'string' ? raw : raw === null || raw === undefined ? '' : String(raw);
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
  text = stripTrailingSignature(text);
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
