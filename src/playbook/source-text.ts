/** Pages longer than this many characters are read only up to the last line break before it. */
export const MAX_PAGE_CHARS = 262_144;

/** The text handed to the Markdown parser, with a map back to positions in the original text. */
export interface PreparedSource {
  /** Cleaned text: lone CR line ends made LF, zero-width characters removed, NBSP/ideographic spaces made plain spaces, nesting flattened, cut at MAX_PAGE_CHARS. */
  text: string;
  /** Cleaned text split into lines (CRLF, CR and LF all end a line). */
  lines: string[];
  /** Length of the original text. */
  originalLength: number;
  /** Line (1-based) of the first line that was not read, or null when the whole page was read. */
  truncatedAtLine: number | null;
  /** True when the page was cut where it opens more than MAX_QUOTE_OPENINGS quotes (not for its length). */
  cutAtQuotes: boolean;
  /** Share of characters that are control characters or U+FFFD (0..1), over the first 64 KiB. */
  junkRatio: number;
  /** Control characters (other than tab, line ends and form feed) over the first 64 KiB: binary files and UTF-16 have them, text in another 8-bit encoding does not. */
  controlCount: number;
  /** U+FFFD replacement characters in the whole page: each stands for bytes that were not valid UTF-8. */
  replacementCount: number;
  /** Line and column (of the cleaned text, 1-based) of the first U+FFFD, or null when there is none. */
  firstReplacement: { line: number; column: number } | null;
  /** Maps a 1-based column of the cleaned text to the original text's column on the same line. */
  originalColumn(line: number, column: number): number;
}

const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF]/;
const ZERO_WIDTH_ANY = /[\u200B-\u200D\u2060\uFEFF]/;
const WIDE_SPACES = /[\u00A0\u202F\u2007\u3000]/g;

/** Container markers (`>` and list markers) read at the start of a line; deeper nesting is flattened (the Markdown parser is quadratic in it). */
export const MAX_NESTING = 16;
/**
 * Quotes a page may open, each counted once per level of nesting (`> > x` counts 2): the Markdown parser's
 * time grows with the square of their number (thousands take minutes), so a page is read only up to the
 * line where it opens more.
 */
export const MAX_QUOTE_OPENINGS = 500;
/** Leading white space kept on a line after its container markers; the rest is dropped. */
export const MAX_INDENT = 64;

const LEADING_CONTAINERS = /^(?:[ \t]*(?:>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t])))+/;

/** Flattens pathological nesting on one line: markers beyond MAX_NESTING become spaces, indentation beyond MAX_INDENT is dropped. */
function guardNesting(line: string, lineNo: number, removed: Map<number, number[]>, originalColumnOf: (i: number) => number): string {
  let out = line;
  const prefix = LEADING_CONTAINERS.exec(out)?.[0];
  if (prefix && prefix.length > MAX_NESTING) {
    let markers = 0;
    const flattened = prefix.replace(/>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t])/g, (m) => (++markers > MAX_NESTING ? ' '.repeat(m.length) : m));
    out = flattened + out.slice(prefix.length);
  }
  const start = (/^(?:[ \t]*>)*/.exec(out)?.[0] ?? '').length;
  const indent = (/^[ \t]*/.exec(out.slice(start))?.[0] ?? '').length;
  if (indent > MAX_INDENT) {
    const cut = indent - MAX_INDENT;
    let list = removed.get(lineNo);
    if (!list) removed.set(lineNo, (list = []));
    for (let i = 0; i < cut; i++) list.push(originalColumnOf(start + MAX_INDENT + i + 1));
    list.sort((a, b) => a - b);
    out = out.slice(0, start + MAX_INDENT) + out.slice(start + indent);
  }
  return out;
}

function mapColumn(list: readonly number[] | undefined, column: number): number {
  if (!list) return column;
  let original = column;
  for (const r of list) {
    if (r <= original) original++;
    else break;
  }
  return original;
}

/** Line and column (1-based) of the first `char` in `lines`, or null. */
function firstOf(lines: readonly string[], char: string): { line: number; column: number } | null {
  for (let i = 0; i < lines.length; i++) {
    const at = (lines[i] ?? '').indexOf(char);
    if (at >= 0) return { line: i + 1, column: at + 1 };
  }
  return null;
}

/**
 * Where `input` opens more than MAX_QUOTE_OPENINGS quotes: the offset of the line break before the line that
 * does, and that line (1-based); null when it never does.
 */
function quoteBudgetEnd(input: string): { offset: number; line: number } | null {
  const lineEnd = /\r\n|\r|\n/g;
  let opened = 0;
  let previous = 0;
  let start = 0;
  for (let line = 1; start <= input.length; line++) {
    const m = lineEnd.exec(input);
    const end = m ? m.index : input.length;
    const depth = /^(?:[ \t]*>)+/.exec(input.slice(start, Math.min(end, start + 256)))?.[0].split('>').length ?? 1;
    const levels = Math.min(depth - 1, MAX_NESTING);
    if (levels > previous) opened += levels - previous;
    if (opened > MAX_QUOTE_OPENINGS && start > 0) return { offset: start - (input[start - 2] === '\r' && input[start - 1] === '\n' ? 2 : 1), line };
    previous = input.slice(start, end).trim() === '' ? 0 : levels;
    if (!m) break;
    start = m.index + m[0].length;
  }
  return null;
}

/**
 * Prepares page text for parsing; lines are preserved one for one, so line numbers never
 * shift, and `originalColumn` maps columns back across removed characters. Never throws.
 */
export function prepareSource(raw: string): PreparedSource {
  const originalLength = raw.length;
  // A byte-order mark is no character of the page: editors hide it and count line 1's columns after it.
  let input = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  let truncatedAtLine: number | null = null;
  if (input.length > MAX_PAGE_CHARS) {
    const cut = input.lastIndexOf('\n', MAX_PAGE_CHARS);
    input = input.slice(0, cut > 0 ? cut : MAX_PAGE_CHARS);
    truncatedAtLine = (input.match(/\r\n|\r|\n/g)?.length ?? 0) + 2;
  }
  const quotesCut = quoteBudgetEnd(input);
  if (quotesCut !== null) {
    input = input.slice(0, quotesCut.offset);
    truncatedAtLine = quotesCut.line;
  }
  const cutAtQuotes = quotesCut !== null;
  const sampleEnd = Math.min(input.length, 65_536);
  let junk = 0;
  let controlCount = 0;
  for (let i = 0; i < sampleEnd; i++) {
    const code = input.charCodeAt(i);
    const control = code < 32 && code !== 10 && code !== 13 && code !== 9 && code !== 12;
    if (control) controlCount++;
    if (control || code === 0xfffd) junk++;
  }
  const replacementCount = raw.split('\uFFFD').length - 1;
  const removed = new Map<number, number[]>();
  const parts = input.split(/(\r\n|\r|\n)/);
  const out: string[] = [];
  for (let p = 0, lineNo = 1; p < parts.length; p += 2, lineNo++) {
    const line = parts[p] ?? '';
    let cleaned = line;
    if (ZERO_WIDTH_ANY.test(line)) {
      const list: number[] = [];
      let kept = '';
      for (let i = 0; i < line.length; i++) {
        const ch = line[i] as string;
        if (ZERO_WIDTH.test(ch)) list.push(i + 1);
        else kept += ch;
      }
      removed.set(lineNo, list);
      cleaned = kept;
    }
    cleaned = cleaned.replace(WIDE_SPACES, ' ');
    if (cleaned.length > MAX_NESTING) {
      const before = removed.get(lineNo);
      cleaned = guardNesting(cleaned, lineNo, removed, (i) => mapColumn(before ? [...before] : undefined, i));
    }
    out.push(cleaned);
    if (p + 1 < parts.length) out.push(parts[p + 1] === '\r' ? '\n' : (parts[p + 1] ?? '\n'));
  }
  const text = out.join('');
  const lines = text.split(/\r\n|\r|\n/);
  return {
    text,
    lines,
    originalLength,
    truncatedAtLine,
    cutAtQuotes,
    junkRatio: sampleEnd === 0 ? 0 : junk / sampleEnd,
    controlCount,
    replacementCount,
    firstReplacement: replacementCount === 0 ? null : firstOf(lines, '\uFFFD'),
    originalColumn(atLine: number, atColumn: number): number {
      return mapColumn(removed.get(atLine), atColumn);
    },
  };
}
