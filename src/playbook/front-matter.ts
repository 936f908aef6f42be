import type { Root } from 'mdast';
import { type Document, isMap, isScalar, isSeq, LineCounter, parseDocument, visit } from 'yaml';
import { PROBLEM_CODES, problemOf } from './problems.js';
import type { Problem } from './types.js';

export interface FrontMatter {
  data: Record<string, unknown>;
  problems: Problem[];
  /** True when the page opens with `---` and has no closing `---` (the body must be re-read without it). */
  unclosed: boolean;
  /**
   * Count of leading lines that hold a front matter Markdown did not recognise (a wrong opening fence,
   * or none): the body must be re-read with them blanked. 0 or absent otherwise.
   */
  brokenLines?: number;
  /**
   * Page line and column (1-based) where each top-level key's value starts: as the YAML reader places it, or,
   * for a front matter salvaged line by line, where that reading found the key's value (see `salvage`).
   */
  valueAt?: Record<string, { line: number; column: number }>;
  /** Page line and column (1-based) of each alias of `aliases:` (or `alias:`), keyed by the alias as read, when read as YAML. */
  aliasAt?: Record<string, { line: number; column: number }>;
}

const KEY_LINE = /^\s*([A-Za-z_][\w.-]*)\s*:\s*(.*)$/;

/**
 * The node properties YAML may write before a value's text, each followed by white space or the line's end:
 * an anchor (`&name`), a tag of the `!!` handle (`!!str`) or a verbatim tag (`!<tag:yaml.org,2002:str>`).
 * A local tag (`!name`, or `!` alone) counts only before a quoted value (see `LOCAL_TAG`).
 */
const PROPERTY = /^(?:&[^\s,[\]{}]+|!![^\s,[\]{}]*|!<[^>\s]*>)(?=\s|$)\s*/;
/**
 * A local tag and the properties and quote or block header after it (`!x "Blocked - X"`, `!x >`). Before a
 * plain value a local tag cannot be told from text that starts with `!` (`title: !Blocked - Legal/Regulatory`,
 * which YAML itself does not read): that `!` is kept as part of the text, so the title is shown whole, not
 * with a word gone.
 */
const LOCAL_TAG = /^!(?:[\w-]*!)?[^\s!<,[\]{}]*\s+(?=(?:(?:&[^\s,[\]{}]+|![^\s,[\]{}]*)\s+)*(?:["']|[|>](?:[1-9][-+]?|[-+][1-9]?)?(?:[ \t]+#.*)?$))/;

/** A one-line YAML value as YAML reads its text, with where that text starts in it (0-based). */
export interface OneLineValue {
  text: string;
  /** Characters before the text: properties (tags, anchor), white space and the opening quote. */
  offset: number;
  /** True when the value holds no text and no quotes (`title:`, `title: !!str`, `title: &a`). */
  empty: boolean;
}

/** A quoted one-line value, its quotes included, as YAML reads its text (its escapes, `''`), or undefined when YAML reads no text from it. */
function readQuoted(quoted: string): string | undefined {
  try {
    // An escape YAML does not know (`\q`) is an error, but the text is still read with that escape kept as written.
    const node = parseDocument(quoted).contents;
    return isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads a value written on one line after `key:` (as YAML would, for a front matter that is not valid
 * YAML as a whole): past the tags and anchor before it; a quoted value ends at its closing quote (`\"`
 * and `''` stay inside it), its text read by the YAML reader itself (escapes such as `\u00e9` and `\n`
 * in double quotes, `''` in single quotes), and what follows it is a `# comment` or nothing; a plain value
 * ends before a ` #` comment. A quote that is never closed runs to the line's end, its text as written.
 */
export function readOneLineValue(written: string): OneLineValue {
  let offset = written.length - written.trimStart().length;
  for (;;) {
    const rest = written.slice(offset);
    const m = PROPERTY.exec(rest) ?? LOCAL_TAG.exec(rest);
    if (!m || m[0] === '') break;
    offset += m[0].length;
  }
  const rest = written.slice(offset).trimEnd();
  const quote = rest[0];
  if (quote === '"' || quote === "'") {
    const closed = quote === '"' ? /^"(?:[^"\\]|\\.)*"(?=\s*(?:#.*)?$)/.exec(rest) : /^'(?:[^']|'')*'(?=\s*(?:#.*)?$)/.exec(rest);
    const text = closed === null ? rest.slice(1).replace(/["']$/, '') : (readQuoted(closed[0]) ?? closed[0].slice(1, -1));
    return { text, offset: offset + 1, empty: false };
  }
  const text = rest.replace(/\s+#.*$/, '').replace(/^#.*$/, '');
  return { text, offset, empty: text === '' };
}

/** A block value's header after `key:` (`|`, `>`, with a chomping and an indentation indicator, `>-`, `|2+`), and a comment after it. */
const BLOCK_HEADER = /^[|>](?:[1-9][-+]?|[-+][1-9]?)?(?:[ \t]+#.*)?$/;

/** The block header (`>`, `|-`) that `written` is, without a comment after it, or undefined when it is none. */
export function blockHeaderOf(written: string): string | undefined {
  const trimmed = written.trim();
  return BLOCK_HEADER.test(trimmed) ? trimmed.replace(/\s+#.*$/, '') : undefined;
}

/** A value written after a `key:` line of a front matter that is not valid YAML as a whole, with where its text starts. */
export interface WrittenValue {
  text: string;
  /** Index in the page's lines (0-based) of the line where the value's text starts. */
  line: number;
  /**
   * Column (0-based) where the text starts: past tags, anchor and opening quote; for a block value (`>`, `|`),
   * on its first line of text (its header when it has none); at the key when the value holds no text.
   */
  column: number;
  /** True when the value holds no text and no quotes (`title:`, `title: !!str`). */
  empty: boolean;
  /**
   * Index of the first line after the value: the line after `key:`, or after the last line of the value written
   * under it (a block value's last line of text, and with `+` the blank lines after it).
   */
  end: number;
}

/**
 * A line under a plain value's key that ends the value however it is indented: a comment (YAML ends a plain
 * value there). A fence ends any value (see `endsValue`); a `>` or `|` line indented under the key is more of
 * the value's text, as YAML folds it.
 */
const NOT_VALUE_LINE = /^\s*#/;
/** A `key:` line (the colon followed by white space or the line's end): YAML reads no plain text over it. */
const KEY_START = /^\s*[A-Za-z_][\w.-]*\s*:(?:\s|$)/;
/** The first line of a page's body as salvage tells it (a heading, a quote or a table line), however indented. */
const BODY_START = /^\s*(?:#|>|\|)/;

/**
 * True when `text` ends a value written over the lines under its key however it is indented: a line that
 * closes a front matter (`---`, `...`, `+++`, a wrong fence such as `--`; not a lone `-`, which a value may
 * hold as text), and in a front matter never closed (`unclosed`) the first line of the page's body, which
 * YAML would read as more of the value only because no `---` came before it.
 */
function endsValue(text: string, unclosed: boolean): boolean {
  return (isClosingLine(text) && text.trim().length > 1) || (unclosed && BODY_START.test(text));
}

/**
 * The lines under the `key:` line at `index` that YAML reads as more of its value: those indented more than
 * the key (`indent`), and blank lines between them, up to a line that ends the value (see `endsValue`, and
 * `NOT_VALUE_LINE` for a plain or quoted value, `plain`). Returns the index of the line after the last one,
 * or -1 when `noKeys` and a `key:` line comes first (see `KEY_START`), which YAML reads as no text.
 */
function valueLinesEnd(lines: readonly string[], index: number, indent: number, plain: boolean, unclosed: boolean, noKeys = false): number {
  let end = index + 1;
  for (let i = index + 1; i < lines.length && i < index + 200; i++) {
    const text = lines[i] ?? '';
    if (text.trim() === '') continue;
    if ((/^ */.exec(text)?.[0].length ?? 0) <= indent || endsValue(text, unclosed) || (plain && NOT_VALUE_LINE.test(text))) break;
    // YAML reads no unquoted text over a `key:` line: no need to hand it all the lines to learn that.
    if (noKeys && KEY_START.test(text)) return -1;
    end = i + 1;
  }
  return end;
}

/** The value of `v: <given>` followed by `under` (lines with the key's indentation cut) as YAML reads it, or undefined when YAML reads no text from it. */
function readYamlValue(given: string, under: readonly string[]): string | undefined {
  try {
    // The line after the value ends its last line, as the next line of the front matter does.
    const doc = parseDocument(['v: ' + given, ...under].join('\n') + '\n');
    const read = doc.get('v');
    return doc.errors.length > 0 || typeof read !== 'string' ? undefined : read;
  } catch {
    return undefined;
  }
}

/**
 * A plain or quoted value that goes on over the lines under its `key:` line indented more than the key
 * (`title: Blocked -` then `  Legal/Regulatory`), as YAML reads it: folded, a line break between two lines
 * read as a space and a blank line as a line break. `first` is the value on the key's line, past its tags
 * and anchor; `index` that line's index in `lines`, `indent` the key's. Undefined when no such line follows,
 * or when YAML does not read the lines as one text (a comment ends the value, a `key:` inside it).
 */
function readFoldedValue(lines: readonly string[], index: number, indent: number, first: string, unclosed: boolean): { text: string; end: number } | undefined {
  const quoted = first[0] === '"' || first[0] === "'";
  const end = valueLinesEnd(lines, index, indent, true, unclosed, !quoted);
  if (end < 0 || end === index + 1) return undefined;
  // A plain value's first character is kept as one-line reading took it (`!Blocked` is text there, a tag to
  // YAML): YAML is given a letter in its place, which reads the same lines the same way.
  const read = readYamlValue(quoted ? first : `a${first.slice(1)}`, lines.slice(index + 1, end).map((text) => text.slice(indent)));
  return read === undefined ? undefined : { text: quoted ? read : first[0] + read.slice(1), end };
}

/**
 * A value with no text on its `key:` line (`title:`, `title: !!str`, `title: &t`) written on the lines
 * indented under it, as YAML reads it (`title: !!str` then `  Blocked - X` is the title `Blocked - X`), placed
 * at its first line of text, past an opening quote. `written` is what follows `key:` (its tags, anchor or
 * comment). Undefined when no such line follows, or YAML reads no text from them (a list, a map).
 */
function readValueUnder(lines: readonly string[], index: number, indent: number, written: string, unclosed: boolean): WrittenValue | undefined {
  const end = valueLinesEnd(lines, index, indent, true, unclosed);
  if (end === index + 1) return undefined;
  const text = readYamlValue(written, lines.slice(index + 1, end).map((line) => line.slice(indent)));
  if (text === undefined) return undefined;
  const line = lines.slice(index + 1, end).findIndex((line) => line.trim() !== '') + index + 1;
  const shown = lines[line] ?? '';
  const column = shown.search(/\S/);
  return { text, line, column: column + (/["']/.test(shown[column] ?? '') ? 1 : 0), empty: false, end };
}

/**
 * The value of the `key: value` line at `index` of `lines` (0-based), as YAML reads it, or undefined when that
 * line is no `key:` line: a one-line value (`readOneLineValue`), one that goes on over the lines indented under
 * it (`readFoldedValue`), one written only on those lines (`readValueUnder`), or a block value (`title: >` or
 * `|`) with the lines under it indented more than its key, folded or kept as written as the YAML reader itself
 * does. The lines under the key end at a fence however indented (`endsValue`), and, when the front matter is
 * never closed (`unclosed`), at the page's first heading, quote or table line.
 */
export function readWrittenValue(lines: readonly string[], index: number, unclosed = false): WrittenValue | undefined {
  const line = lines[index] ?? '';
  const m = KEY_LINE.exec(line);
  if (!m) return undefined;
  const indent = line.length - line.trimStart().length;
  const written = m[2] ?? '';
  const start = line.length - written.length;
  const value = readOneLineValue(written);
  const header = value.empty ? undefined : blockHeaderOf(written.slice(value.offset));
  if (header === undefined) {
    if (value.empty) return readValueUnder(lines, index, indent, written, unclosed) ?? { text: value.text, line: index, column: indent, empty: true, end: index + 1 };
    // The value past its tags and anchor: its text starts there, or past the opening quote there (before a plain text is white space or nothing).
    const quote = value.offset > 0 && /["']/.test(written[value.offset - 1] ?? '') ? 1 : 0;
    const folded = readFoldedValue(lines, index, indent, written.slice(value.offset - quote).trimEnd(), unclosed);
    return { text: folded?.text ?? value.text, line: index, column: start + value.offset, empty: false, end: folded?.end ?? index + 1 };
  }
  // A block value's lines: those indented with more spaces than the key, and blank lines between them; with
  // `+` (keep) the blank lines after its last line of text too, which YAML keeps as line breaks of the value.
  let end = valueLinesEnd(lines, index, indent, false, unclosed);
  if (header.includes('+')) {
    while (end < lines.length && end < index + 200 && (lines[end] ?? '').trim() === '') end++;
  }
  const body = lines.slice(index + 1, end);
  const first = body.findIndex((text) => text.trim() !== '');
  const at = first < 0 ? { line: index, column: start + value.offset } : { line: index + 1 + first, column: (body[first] ?? '').search(/\S/) };
  // YAML cannot read the block (a line indented less than its first, say): its lines of text, as written, are the text.
  const text = readYamlValue(header, body.map((text) => text.slice(indent))) ?? body.map((text) => text.trim()).filter((text) => text !== '').join('\n');
  return { text, ...at, empty: false, end };
}

/**
 * Best-effort `key: value` lines from the top of a page whose front matter could not be parsed as YAML (from
 * line index `from` up to the page body, a `---` line or line index `end`), with where each value's text starts
 * on the page (1-based), as the YAML reader places it. `unclosed`: the front matter is never closed (see
 * `readWrittenValue`).
 */
function salvage(lines: readonly string[], from: number, unclosed: boolean, end = 200): Pick<FrontMatter, 'data' | 'valueAt'> {
  const data: Record<string, unknown> = {};
  const valueAt: Record<string, { line: number; column: number }> = {};
  for (let i = from; i < lines.length && i < Math.min(end, 200); i++) {
    const line = lines[i] ?? '';
    if (/^\s*(#|>|\||---)/.test(line)) break;
    const key = KEY_LINE.exec(line)?.[1];
    const value = readWrittenValue(lines, i, unclosed);
    if (key === undefined || value === undefined) continue;
    // Tags and anchors are not part of the text, nor are its quotes or a comment after it; a block value's lines
    // are its own (a `title:` line inside `description: |` is no title), and so is where it is placed.
    if (!(keyName(key) in data)) {
      data[keyName(key)] = value.text;
      valueAt[keyName(key)] = { line: value.line + 1, column: value.column + 1 };
    }
    i = value.end - 1;
  }
  return { data, valueAt };
}

/**
 * The keys Unblock reads, by their lower-case name: a partner who writes `Title:` or `ALIASES:` means
 * these (YAML keys are case-sensitive, but no page means two keys by `title` and `Title`).
 */
const READ_KEYS = new Set(['title', 'aliases', 'alias', 'rules', 'description', 'author', 'date', 'audience', 'ms.author', 'ms.date']);

/** The name a front-matter key is read by: one of READ_KEYS in any case becomes its lower-case form; others stay. */
export function keyName(key: string): string {
  const lower = key.toLowerCase();
  return READ_KEYS.has(lower) ? lower : key;
}

/** `data` with the keys Unblock reads in lower case; when two keys fold together, the later one is kept (as YAML keeps a repeated key). */
function canonicalKeys<T>(data: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [key, value] of Object.entries(data)) {
    const name = keyName(key);
    if (name in out) delete out[name];
    out[name] = value;
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON-safe copy (dates become ISO strings, maps objects); undefined for values JSON cannot carry. */
function toJsonSafe(value: unknown): Record<string, unknown> {
  try {
    const json = JSON.stringify(value);
    const back: unknown = json === undefined ? {} : JSON.parse(json);
    return isPlainObject(back) ? back : {};
  } catch {
    return {};
  }
}

/** A line of dashes that is not the `---` fence (`--`, `----`, `- - -`, dashes of other kinds). */
const WRONG_FENCE = /^\s*(?:-{1,2}|-{4,}|(?:-[ \t]+){2,}-|[-\u2010-\u2015\u2212]*[\u2010-\u2015\u2212][-\u2010-\u2015\u2212]*)\s*$/;
/**
 * The opening fence Markdown reads: `---` at the very start of line 1. Trailing spaces are accepted (the
 * Markdown reader accepts them too, and they are invisible in an editor); leading ones are not.
 */
const FENCE = /^---[ \t]*$/;
/** `---` with white space before it: looks right in an editor, but Markdown does not read it as a fence. */
const INDENTED_FENCE = /^[ \t]+---[ \t]*$/;
/**
 * A first line that can only be meant as a front-matter fence, though not the YAML one: `---yaml`,
 * `--- yaml` (a fence with a language, as some site generators write it) or `+++` (TOML front matter).
 */
const OTHER_FENCE = /^(?:---[ \t]*[A-Za-z]\w*|\+\+\+)[ \t]*$/;
/** Keys that mark a block of `key: value` lines as a page's front matter. */
const FRONT_MATTER_KEY = /^\s*(title|description|author|ms\.author|date|ms\.date|audience|aliases|alias)\s*:/i;

/**
 * Index of the line that ends a run of `key: value` lines (or their list items, or a block value's lines)
 * starting at `from`: the first other line. `unclosed`: no fence closes them (see `readWrittenValue`).
 */
function endOfKeyLines(lines: readonly string[], from: number, unclosed = false): number {
  let i = from;
  while (i < lines.length && i < 200) {
    const value = readWrittenValue(lines, i, unclosed);
    if (value !== undefined) i = value.end;
    else if (/^\s*-\s+\S/.test(lines[i] ?? '')) i++;
    else break;
  }
  return i;
}

/**
 * The `key: value` block in lines [from, end) read as YAML, with where its values and aliases start on the
 * page (as for a front matter Markdown read), or salvaged line by line when it is not valid YAML.
 */
function readKeyBlock(lines: readonly string[], from: number, end: number, unclosed: boolean): Pick<FrontMatter, 'data' | 'valueAt' | 'aliasAt'> {
  try {
    const source = lines.slice(from, end).join('\n');
    const lineCounter = new LineCounter();
    const doc = parseDocument(source, { uniqueKeys: false, lineCounter });
    if (doc.errors.length === 0) {
      const value: unknown = doc.toJS({ maxAliasCount: 50 });
      if (isPlainObject(value)) {
        return {
          data: canonicalKeys(toJsonSafe(value)),
          valueAt: valuePositions(doc, source, lineCounter, from),
          aliasAt: aliasPositions(doc, source, lineCounter, from),
        };
      }
    }
  } catch {
    // fall through to the line-by-line reading
  }
  return salvage(lines, from, unclosed, end);
}

/** A line that closes a front matter opened by a wrong fence: `---` however indented, a wrong fence, or `+++`/`...`. */
function isClosingLine(line: string): boolean {
  const trimmed = line.trim();
  return trimmed === '---' || trimmed === '+++' || trimmed === '...' || WRONG_FENCE.test(line);
}

/** What is wrong with a first line that opens a front matter Markdown does not read, or undefined when it is not such a line. */
function wrongOpening(first: string, second: string): { message: string; certain: boolean } | undefined {
  const shown = first.trim().slice(0, 40);
  if (INDENTED_FENCE.test(first)) {
    return {
      message: `Line 1 has white space before its \`---\`, so Markdown does not read the lines below it as the front matter (title and aliases). The \`---\` must start at the very beginning of line 1: remove the space.`,
      certain: false,
    };
  }
  if (OTHER_FENCE.test(first)) {
    const toml = shown === '+++' ? ' (`+++` opens a TOML front matter, which Unblock does not read)' : '';
    return {
      message: `The front matter must open with a line of exactly three dashes (\`---\`); line 1 is \`${shown}\`${toml}, so Markdown does not read the title and aliases. Write \`---\` alone on line 1, and \`key: value\` lines up to a closing \`---\`.`,
      certain: true,
    };
  }
  if (WRONG_FENCE.test(first) && FRONT_MATTER_KEY.test(second)) {
    return {
      message: `The front matter must open with a line of exactly three dashes (\`---\`); line 1 is \`${shown}\`, so Markdown does not read the title and aliases. Write \`---\` on line 1.`,
      certain: true,
    };
  }
  return undefined;
}

/**
 * A front matter Markdown does not see: opened by a wrong fence (`--`, `---yaml`, `+++` or an indented
 * `---` on line 1) or by none (the page starts with `title: ...` lines closed by `---`). Undefined when
 * the page does not look like either.
 */
function readBrokenFrontMatter(lines: readonly string[], file: string): FrontMatter | undefined {
  const first = lines[0] ?? '';
  const wrong = wrongOpening(first, lines[1] ?? '');
  if (wrong && (wrong.certain || FRONT_MATTER_KEY.test(lines[1] ?? ''))) {
    // With no fence under them, the key lines end at the page's body too (a `# heading` indented under a block title).
    const closed = isClosingLine(lines[endOfKeyLines(lines, 1)] ?? '');
    const end = closed ? endOfKeyLines(lines, 1) : endOfKeyLines(lines, 1, true);
    let blank = closed ? end + 1 : end;
    if (blank === 1) {
      // No `key: value` lines (a TOML front matter, say): blank up to the closing fence, when there is one near.
      const close = lines.slice(1, 60).findIndex(isClosingLine);
      if (close >= 0) blank = close + 2;
    }
    return {
      ...readKeyBlock(lines, 1, end, !closed),
      problems: [problemOf(file, 'error', PROBLEM_CODES.FRONT_MATTER_INVALID, wrong.message, 1, 1)],
      unclosed: false,
      brokenLines: blank,
    };
  }
  if (FRONT_MATTER_KEY.test(first)) {
    const end = endOfKeyLines(lines, 0);
    if (isClosingLine(lines[end] ?? '')) {
      return {
        ...readKeyBlock(lines, 0, end, false),
        problems: [problemOf(file, 'error', PROBLEM_CODES.FRONT_MATTER_MISSING, `The front matter has no opening \`---\` line (line 1 is \`${first.trim().slice(0, 60)}\` and line ${end + 1} closes it), so Markdown does not read the title and aliases. Add a \`---\` line above line 1.`, 1, 1)],
        unclosed: false,
        brokenLines: end + 1,
      };
    }
  }
  return undefined;
}

/**
 * Offset of the opening quote of the quoted value that runs to `errorAt` (the YAML reader reports an unclosed
 * quote where the front matter ends, lines below the quote), or undefined when no quoted value does.
 */
function openingQuoteBefore(doc: Document, errorAt: number): number | undefined {
  let found: number | undefined;
  visit(doc, {
    Scalar(_key, node) {
      const range = node.range;
      if (!range || (node.type !== 'QUOTE_DOUBLE' && node.type !== 'QUOTE_SINGLE')) return;
      if (range[0] <= errorAt && errorAt <= range[2] && (found === undefined || range[0] > found)) found = range[0];
    },
  });
  return found;
}

/** The first YAML error of a front matter, its message without the library's own position, and where on the page it starts. */
function describeYamlError(source: string, doc: Document, lineCounter: LineCounter, startLine: number): { message: string; line: number; column: number } {
  const err = doc.errors[0];
  // The library's own "at line L, column C" counts from the front matter's first line; the problem
  // carries the page's line and column instead, so the message leaves it out.
  const libraryMessage = ((err?.message ?? 'invalid YAML').split('\n')[0] ?? 'invalid YAML').replace(/ at line \d+, column \d+:?$/, '');
  const errorAt = err?.pos[0] ?? 0;
  const quoteAt = err?.code === 'MISSING_CHAR' && /closing/.test(libraryMessage) ? openingQuoteBefore(doc, errorAt) : undefined;
  if (quoteAt !== undefined) {
    const at = lineCounter.linePos(quoteAt);
    const quote = source[quoteAt] === "'" ? "'" : '"';
    return {
      message: `The front matter is not valid YAML: the ${quote} quote opened here is never closed, so every line after it, up to the closing \`---\`, is read as part of this value. Close the quote at the end of the value, or remove it.`,
      line: startLine + at.line,
      column: at.col,
    };
  }
  const at = lineCounter.linePos(errorAt);
  if (err?.code === 'BLOCK_AS_IMPLICIT_KEY') {
    // `title: Blocked: Staffing Gap`: the second `: ` makes YAML read a key inside the value.
    const lineText = source.split(/\r\n|\r|\n/)[at.line - 1] ?? '';
    const m = /^(\s*)([^:#\s][^:#]*?)\s*:\s+(.*?)\s*$/.exec(lineText);
    if (m && (m[3] ?? '').includes(': ')) {
      const value = m[3] ?? '';
      const quoted = value.includes('"') ? `'${value.replace(/'/g, "''")}'` : `"${value}"`;
      return {
        message: `The front matter is not valid YAML: the value of \`${m[2]}:\` holds a colon and a space (\`: \`), which YAML reads as the start of another key. Put the value in quotes: \`${m[2]}: ${quoted}\`.`,
        line: startLine + at.line,
        column: at.col,
      };
    }
  }
  return { message: `The front matter is not valid YAML (${libraryMessage}); fix it so the title and aliases can be read.`, line: startLine + at.line, column: at.col };
}

/** The first alias (`*name`) of a front matter that refers to no anchor set before it, with where it starts; reading the front matter would throw on it. */
function unresolvedAlias(doc: Document): { name: string; offset: number } | undefined {
  let found: { name: string; offset: number } | undefined;
  visit(doc, {
    Alias(_key, node) {
      if (found === undefined && node.resolve(doc) === undefined) found = { name: node.source, offset: node.range?.[0] ?? 0 };
    },
  });
  return found;
}

/** Keys written twice in a front matter: the YAML reader keeps the last one silently, so a second `title:` would change the page's code unseen. */
function duplicateKeys(doc: Document, lineCounter: LineCounter, startLine: number, file: string): Problem[] {
  if (!isMap(doc.contents)) return [];
  const problems: Problem[] = [];
  const firstLine = new Map<string, number>();
  for (const pair of doc.contents.items) {
    if (!isScalar(pair.key) || !pair.key.range) continue;
    const written = String(pair.key.value);
    const name = keyName(written);
    const at = lineCounter.linePos(pair.key.range[0]);
    const line = startLine + at.line;
    const earlier = firstLine.get(name);
    if (earlier === undefined) {
      firstLine.set(name, line);
    } else if (name === 'title') {
      problems.push(problemOf(file, 'error', PROBLEM_CODES.FRONT_MATTER_INVALID, `The front matter has a second \`title:\` (the first is on line ${earlier}); the page's code would silently come from this one. Keep only the right title.`, line, at.col));
    } else {
      problems.push(problemOf(file, 'warning', PROBLEM_CODES.FRONT_MATTER_INVALID, `\`${written}:\` is written twice in the front matter (the first is on line ${earlier}); only this later one is read. Keep one.`, line, at.col));
    }
  }
  return problems;
}

/**
 * Where each top-level key's value starts on the page (the key itself when the value is empty): its
 * text, past the opening quote of a quoted value and, for a block value (`>-`, `|`), on the line after
 * its indicator, as the aliases' positions are.
 */
function valuePositions(doc: Document, source: string, lineCounter: LineCounter, startLine: number): Record<string, { line: number; column: number }> {
  const out: Record<string, { line: number; column: number }> = {};
  if (!isMap(doc.contents)) return out;
  for (const pair of doc.contents.items) {
    if (!isScalar(pair.key) || !pair.key.range) continue;
    const value = pair.value as { range?: [number, number, number] | null } | null;
    let offset = value?.range && value.range[1] > value.range[0] ? value.range[0] : pair.key.range[0];
    if (isScalar(pair.value) && value?.range && offset === value.range[0]) {
      const opening = source[offset];
      if (opening === '"' || opening === "'") offset += 1;
      else if (opening === '>' || opening === '|') {
        const text = /\n[ \t]*(?=\S)/.exec(source.slice(offset, value.range[1]));
        if (text) offset += text.index + text[0].length;
      }
    }
    const at = lineCounter.linePos(offset);
    out[keyName(String(pair.key.value))] = { line: startLine + at.line, column: at.col };
  }
  return out;
}

/**
 * Where each alias of the `aliases:` (or `alias:`) key starts on the page: each item of a list, or each
 * `;`-separated name of a one-line value (found in the value's own text). Keyed as `aliasesOf` reads them.
 */
function aliasPositions(doc: Document, source: string, lineCounter: LineCounter, startLine: number): Record<string, { line: number; column: number }> {
  const out: Record<string, { line: number; column: number }> = {};
  if (!isMap(doc.contents)) return out;
  const put = (name: string, offset: number): void => {
    if (name === '' || name in out) return;
    const at = lineCounter.linePos(offset);
    out[name] = { line: startLine + at.line, column: at.col };
  };
  // aliasesOf reads `aliases:` before `alias:`, and of a key written twice the later one.
  const pairs = doc.contents.items.filter((pair) => isScalar(pair.key) && keyName(String(pair.key.value)) === 'aliases');
  const chosen = pairs.length > 0 ? pairs : doc.contents.items.filter((pair) => isScalar(pair.key) && keyName(String(pair.key.value)) === 'alias');
  const pair = chosen[chosen.length - 1];
  if (!pair) return out;
  const items = isSeq(pair.value) ? pair.value.items : isScalar(pair.value) ? [pair.value] : [];
  for (const item of items) {
    if (!isScalar(item) || !item.range || (typeof item.value !== 'string' && typeof item.value !== 'number')) continue;
    const text = source.slice(item.range[0], item.range[1]);
    const names = typeof item.value === 'string' && !isSeq(pair.value) ? item.value.split(';') : [String(item.value)];
    let from = 0;
    for (const raw of names) {
      const name = raw.trim();
      const found = name === '' ? -1 : text.indexOf(name, from);
      if (found >= 0) from = found + name.length;
      put(name, item.range[0] + Math.max(found, 0));
    }
  }
  return out;
}

/** Reads the YAML front matter of a parsed page. Never throws. */
export function readFrontMatter(root: Root, lines: readonly string[], file: string): FrontMatter {
  const first = root.children[0];
  const opensWithFence = FENCE.test(lines[0] ?? '');
  if (!first || first.type !== 'yaml') {
    if (opensWithFence) {
      // A closing `---` with white space before it looks closed in an editor; name that line, not line 1.
      const head = lines.slice(1, 200);
      const bodyStarts = head.findIndex((line) => /^\s*(#|>|\|)/.test(line));
      const indented = (bodyStarts >= 0 ? head.slice(0, bodyStarts) : head).findIndex((line) => INDENTED_FENCE.test(line));
      const problem =
        indented >= 0
          ? problemOf(file, 'error', PROBLEM_CODES.FRONT_MATTER_UNCLOSED, `The front matter opened with \`---\` on line 1 is never closed: line ${indented + 2} has white space before its \`---\`, so Markdown does not read it as the closing line. Remove the space.`, indented + 2, 1)
          : problemOf(file, 'error', PROBLEM_CODES.FRONT_MATTER_UNCLOSED, 'The front matter opened with `---` on line 1 is never closed: add a `---` line after the last `key: value` line.', 1, 1);
      return { ...salvage(lines, 1, true), problems: [problem], unclosed: true };
    }
    return readBrokenFrontMatter(lines, file) ?? { data: {}, problems: [], unclosed: false };
  }
  const startLine = first.position?.start.line ?? 1;
  const bodyLike = /^(#{1,6}\s+\S|>\s*\[!|\|.*\|)/m;
  const unclosedProblem = problemOf(file, 'error', PROBLEM_CODES.FRONT_MATTER_UNCLOSED, 'The front matter opened with `---` on line 1 is not closed before the page body starts: add a `---` line after the last `key: value` line.', 1, 1);
  try {
    const lineCounter = new LineCounter();
    const doc = parseDocument(first.value, { uniqueKeys: false, prettyErrors: true, lineCounter });
    if (doc.errors.length > 0 && bodyLike.test(first.value)) {
      return { ...salvage(lines, 1, true), problems: [unclosedProblem], unclosed: true };
    }
    if (doc.errors.length > 0) {
      const { message, line, column } = describeYamlError(first.value, doc, lineCounter, startLine);
      return {
        ...salvage(lines, 1, false),
        problems: [problemOf(file, 'error', PROBLEM_CODES.FRONT_MATTER_INVALID, message, line, column)],
        unclosed: false,
      };
    }
    const unresolved = unresolvedAlias(doc);
    if (unresolved !== undefined) {
      const at = lineCounter.linePos(unresolved.offset);
      return {
        ...salvage(lines, 1, false),
        problems: [problemOf(file, 'error', PROBLEM_CODES.FRONT_MATTER_INVALID, `The front matter is not valid YAML: \`*${unresolved.name}\` refers to an anchor \`&${unresolved.name}\` that is not set above it (in YAML, a value starting with * repeats an earlier value). Put the value in quotes if the * is meant as text.`, startLine + at.line, at.col)],
        unclosed: false,
      };
    }
    const value: unknown = doc.toJS({ maxAliasCount: 50 });
    if (value === null || value === undefined) return { data: {}, problems: [], unclosed: false };
    if (!isPlainObject(value)) {
      return {
        data: {},
        problems: [problemOf(file, 'warning', PROBLEM_CODES.FRONT_MATTER_INVALID, 'The front matter is not a list of `key: value` pairs; it was ignored.', startLine + 1, 1)],
        unclosed: false,
      };
    }
    return {
      data: canonicalKeys(toJsonSafe(value)),
      problems: duplicateKeys(doc, lineCounter, startLine, file),
      unclosed: false,
      valueAt: valuePositions(doc, first.value, lineCounter, startLine),
      aliasAt: aliasPositions(doc, first.value, lineCounter, startLine),
    };
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : 'invalid YAML';
    return {
      ...salvage(lines, 1, false),
      problems: [problemOf(file, 'error', PROBLEM_CODES.FRONT_MATTER_INVALID, `The front matter could not be read (${message}).`, startLine, 1)],
      unclosed: false,
    };
  }
}

/** Aliases declared in front matter: `aliases` (a list, or a string with `;` between names). */
export function aliasesOf(data: Record<string, unknown>): string[] {
  const raw = data.aliases ?? data.alias;
  const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(';') : [];
  return list.filter((a): a is string | number => typeof a === 'string' || typeof a === 'number').map((a) => String(a).trim()).filter((a) => a !== '');
}
