/** Input hygiene for notes: size cap, markup and junk, language. Length-preserving so spans stay true. */

/** Notes longer than this (UTF-16 units) are graded on their first part only. */
export const MAX_NOTE_CHARS = 3000;

export interface SanitizedNote {
  /** The analysed text: same length as the (capped) input, with markup and control characters blanked to spaces. */
  clean: string;
  /** Length of the input that was analysed (less than the input's when capped). */
  analysedLength: number;
  truncated: boolean;
  /** First markup found (tag, markdown marker, URL), or null. */
  markup: { start: number; end: number } | null;
  /** Share of characters that are control, replacement or non-characters, 0..1. */
  junkShare: number;
  /** True when at least one word of two or more letters remains. */
  readable: boolean;
}

const MARKUP_PATTERNS: readonly RegExp[] = [
  /<!--[\s\S]*?-->/g,
  /<\/?(p|div|span|b|i|u|em|strong|br|hr|a|ul|ol|li|table|thead|tbody|tr|td|th|h[1-6]|font|img|blockquote|pre|code|sub|sup|s|strike|del|ins|small|big|center|section|article|header|footer|body|html|head|style|script|meta|link|o:p)\b[^<>]{0,200}>/gi,
  /&(nbsp|amp|lt|gt|quot|apos|#\d{1,6}|#x[0-9a-fA-F]{1,6});/g,
  /!?\[(?=[^\]]*\]\()/g,
  /\]\([^)\s]*\)/g,
  /\bhttps?:\/\/\S+/g,
  /\bwww\.\S+/g,
  /^[ \t]{0,3}#{1,6}[ \t]/gm,
  /^[ \t]*[-*+][ \t]+/gm,
  /^[ \t]*>[ \t]?/gm,
  /\*\*|__|~~|`+/g,
  /\|/g,
];

// eslint-disable-next-line no-control-regex
const JUNK_CHAR_RE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFD\uFFFE\uFFFF\uE000-\uF8FF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Caps, blanks markup and junk, and measures what is left. Never throws. */
export function sanitizeNote(note: string): SanitizedNote {
  let capped = note;
  let truncated = false;
  if (note.length > MAX_NOTE_CHARS) {
    const lastSpace = note.lastIndexOf(' ', MAX_NOTE_CHARS);
    let cut = lastSpace > MAX_NOTE_CHARS * 0.8 ? lastSpace : MAX_NOTE_CHARS;
    const code = note.charCodeAt(cut - 1);
    if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
    capped = note.slice(0, cut);
    truncated = true;
  }
  let junk = 0;
  let clean = capped.replace(JUNK_CHAR_RE, (m) => {
    junk += m.length;
    return ' '.repeat(m.length);
  });
  let markup: { start: number; end: number } | null = null;
  for (const pattern of MARKUP_PATTERNS) {
    clean = clean.replace(pattern, (m: string, ...rest: unknown[]) => {
      const offset = rest.find((r) => typeof r === 'number') as number;
      if (!markup || offset < markup.start) markup = { start: offset, end: offset + m.length };
      if (m.startsWith('&')) return decodeEntity(m).padEnd(m.length, ' ');
      return ' '.repeat(m.length);
    });
  }
  const nonSpace = capped.replace(/\s+/g, '').length;
  return {
    clean,
    analysedLength: capped.length,
    truncated,
    markup,
    junkShare: nonSpace === 0 ? 0 : junk / nonSpace,
    readable: /\p{L}{2,}/u.test(clean),
  };
}

function decodeEntity(entity: string): string {
  const named: Record<string, string> = { '&nbsp;': ' ', '&amp;': '&', '&lt;': ' ', '&gt;': ' ', '&quot;': '"', '&apos;': "'" };
  return named[entity] ?? ' ';
}

const ENGLISH_WORDS = new Set(
  'the and to of is for with on in but not has have by are was were be it its this that they their them we our customer no will can from at as all because until wants use using users'.split(' '),
);
const FOREIGN_WORDS = new Set(
  (
    'el la los las del que y por para con una usa tiene pero sin muy también está esta cliente empresa porque toda todos ' +
    'der die das und ist nicht mit auf für dem den des ein eine einen wird bevor wartet kunde sich noch nur zur zum durch wegen oder aber ' +
    'não uma com os ao pelo são ainda também está ' +
    'le les et est pas pour avec du au qui sur dans ce cette sont il elle nous vous ils leur parce ' +
    'di che non per sono della il lo gli de en ' +
    'het een niet wil omdat ze zijn van voor met geen klant nog maar ook wordt'
  ).split(' '),
);

/** True when the note is written in a language other than English. Never throws. */
export function isNotEnglish(text: string): boolean {
  const letters = text.match(/\p{L}/gu)?.length ?? 0;
  if (letters < 4) return false;
  const latin = text.match(/\p{Script=Latin}/gu)?.length ?? 0;
  if ((letters - latin) / letters > 0.3) return true;
  let english = 0;
  let foreign = 0;
  for (const word of text.toLowerCase().match(/[\p{L}']+/gu) ?? []) {
    if (ENGLISH_WORDS.has(word)) english += 1;
    else if (FOREIGN_WORDS.has(word)) foreign += 1;
  }
  // French and Italian elisions (l'intention, d'utiliser, n'a) count as foreign words.
  foreign += text.match(/(?<![\p{L}])(l|d|n|qu|j|c|s|m|t|dell|all|nell)'\p{L}/giu)?.length ?? 0;
  return foreign >= 3 && foreign > english * 1.5;
}
