/** Zero-width characters that real pages carry invisibly (ZWSP, ZWNJ, ZWJ, word joiner, BOM). */
const ZERO_WIDTH_PATTERN = /[\u200B-\u200D\u2060\uFEFF]/g;

/** Words that join two parts of a label and carry no meaning for matching ("and"/"or" in the playbook's languages). */
const JOINING_WORDS = new Set(['and', 'or', 'y', 'o', 'und', 'oder', 'e', 'ou', 'et']);

/** Removes accents from Latin letters; other scripts (including Japanese voicing marks) are kept intact. */
function stripLatinAccents(text: string): string {
  return text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').normalize('NFC');
}

/**
 * Lower-case slug: accents removed, every run of characters that are not letters or
 * digits (of any script) becomes one hyphen, trimmed. Latin text gives `[a-z0-9-]`. Never throws.
 */
export function slugify(text: string): string {
  return stripLatinAccents(String(text).normalize('NFKC').replace(ZERO_WIDTH_PATTERN, ''))
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * Canonical form of a reason-code label for matching: case, accents, spacing,
 * punctuation, zero-width characters and the `and`/`&`/`or`/comma/slash difference
 * folded away. Non-Latin scripts are kept (letters, marks and digits of any script
 * survive). Words are separated by single spaces. Never throws.
 */
export function normalizeLabel(label: string): string {
  return stripLatinAccents(String(label).normalize('NFKC').replace(ZERO_WIDTH_PATTERN, ''))
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^\p{L}\p{M}\p{N}]+/gu, ' ')
    .split(' ')
    .filter((w) => w !== '' && !JOINING_WORDS.has(w))
    .join(' ');
}

/** Latin letters that Unicode does not decompose into a base letter and an accent, spelled as people type them plainly. */
const LATIN_LETTERS_WITHOUT_DECOMPOSITION: Record<string, string> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i' };

/**
 * The key a name sorts and is searched by: Latin accents removed, lower case, zero-width characters
 * dropped, white space runs as one space. "Émile", "emile" and "EMILE" share a key, so an A-Z list reads
 * as people expect on both engines (SQL's own order is by bytes: "adatum" after "Zeta", "Émile" after
 * both) and a search for "muller" finds "Müller". Computed here, not in SQL: SQLite's lower() folds
 * A-Z only, and no engine function removes accents the same way on both. Never throws.
 */
export function nameKey(text: string): string {
  return stripLatinAccents(collapseWhitespace(String(text).normalize('NFKC')))
    .toLowerCase()
    .replace(/[ßæœøłđðþı]/g, (ch) => LATIN_LETTERS_WITHOUT_DECOMPOSITION[ch]!)
    .replace(/ς/g, 'σ'); // a final sigma, which toLowerCase() picks by position, folds as any sigma
}

/** The URL with any password replaced by `***` (a password ends at the last @ before the path); never throws. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^/?#]*@/, '//$1:***@');
}

/** Items as a sentence lists them: `a`, `a and b`, `a, b and c` (or with `or`). Empty for none. */
export function joinWords(items: readonly string[], conjunction: 'and' | 'or' = 'and'): string {
  return items.length > 1 ? `${items.slice(0, -1).join(', ')} ${conjunction} ${items.at(-1)!}` : (items[0] ?? '');
}

/** Collapses every run of white space (including NBSP and ideographic space) to one space and trims. Never throws. */
export function collapseWhitespace(text: string): string {
  return String(text).replace(ZERO_WIDTH_PATTERN, '').replace(/[\s\u00A0\u3000]+/g, ' ').trim();
}

/** A probability as a whole percentage, with ">99%" and "<1%" for the ends that would round to 100% and 0%. */
export function formatPercent(value: number): string {
  if (value > 0.99 && value < 1) return '>99%';
  if (value > 0 && value < 0.01) return '<1%';
  return `${(value * 100).toFixed(0)}%`;
}

/**
 * `value` with the scheme of a PostgreSQL URL in lower case, or undefined when it is not one. URL schemes
 * ignore case (RFC 3986), so POSTGRES:// and PostgreSQL:// are accepted; lower case is what the rest of
 * the product (and the pg driver's checks) compares against. Nothing after the scheme is changed.
 */
export function postgresUrl(value: string): string | undefined {
  const scheme = /^postgres(?:ql)?(?=:\/\/)/i.exec(value)?.[0];
  return scheme === undefined ? undefined : scheme.toLowerCase() + value.slice(scheme.length);
}

/** `a` against `b` by code point (UTF-8 byte order, as the databases compare text), not by UTF-16 unit or locale. */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}
