/**
 * A small, fast streaming CSV reader (RFC 4180: `,` between cells, `"` quotes, `""` inside quotes).
 * Fed text in chunks; calls `onRecord(cells, line)` for each record, `line` being the 1-based line the
 * record ends on. Behaves like csv-parse with `{ bom, relax_column_count, skip_empty_lines, trim }`:
 * a leading BOM is dropped, records may differ in length, blank lines are skipped, spaces and tabs
 * around cells are trimmed (never inside quotes), and `\n`, `\r\n` and `\r` all end a record.
 * Malformed quoting throws a {@link CsvSyntaxError} naming the line. Pure; several times faster than
 * csv-parse on large imports.
 */

/** The ways quoting can go wrong, by the codes csv-parse gives them (so both readers' errors read alike). */
export type CsvSyntaxCode = 'CSV_QUOTE_NOT_CLOSED' | 'CSV_INVALID_CLOSING_QUOTE' | 'CSV_INVALID_OPENING_QUOTE' | 'CSV_MAX_RECORD_SIZE';

const CSV_SYNTAX_WORDS: Record<CsvSyntaxCode, string> = {
  CSV_QUOTE_NOT_CLOSED: 'a cell opens with a double quote that is never closed, so the rest of the file reads as that one cell; close it, and write a quote that belongs to the text twice ("")',
  CSV_INVALID_CLOSING_QUOTE: 'a quoted cell goes on after its closing quote; inside a quoted cell, write a quote that belongs to the text twice ("")',
  CSV_INVALID_OPENING_QUOTE: 'a double quote stands inside a cell that does not start with one; put the whole cell in quotes and write each quote inside it twice ("")',
  CSV_MAX_RECORD_SIZE: 'a row is longer than a row may be, most often because a quote left open takes in the lines after it',
};

/**
 * What a malformed CSV's problem is, in words for the person who saved the file (without the line),
 * for a CsvSyntaxError's code or csv-parse's error code; undefined for a code of neither.
 */
export function describeCsvSyntax(code: unknown): string | undefined {
  return typeof code === 'string' && Object.hasOwn(CSV_SYNTAX_WORDS, code) ? CSV_SYNTAX_WORDS[code as CsvSyntaxCode] : undefined;
}

/** A malformed CSV: `code` names the problem, `line` is 1-based; the message is {@link describeCsvSyntax}'s. */
export class CsvSyntaxError extends Error {
  constructor(
    readonly code: CsvSyntaxCode,
    readonly line: number,
  ) {
    super(CSV_SYNTAX_WORDS[code]);
    this.name = 'CsvSyntaxError';
  }
}

const COMMA = 44;
const QUOTE = 34;
const CR = 13;
const LF = 10;
const SPACE = 32;
const TAB = 9;

const isBlank = (c: number) => c === SPACE || c === TAB;

export interface CsvReaderOptions {
  /** Most characters one record may hold (default 100,000); longer ones throw CSV_MAX_RECORD_SIZE. */
  maxRecordSize?: number;
}

export class CsvReader {
  private readonly maxRecordSize: number;
  /** Text not yet consumed (an incomplete record at the end of the last chunk). */
  private rest = '';
  /** Line of the first character of `rest`. */
  private line = 1;
  private first = true;

  constructor(
    private readonly onRecord: (cells: string[], line: number) => void,
    options: CsvReaderOptions = {},
  ) {
    this.maxRecordSize = options.maxRecordSize ?? 100_000;
  }

  /** Feeds the next chunk of text. */
  push(chunk: string): void {
    let text = this.rest === '' ? chunk : this.rest + chunk;
    if (this.first && text.length > 0) {
      this.first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    const consumed = this.parse(text, false);
    this.rest = consumed === text.length ? '' : text.slice(consumed);
    if (this.rest.length > this.maxRecordSize) throw new CsvSyntaxError('CSV_MAX_RECORD_SIZE', this.line);
  }

  /** Ends the input: the last record may lack a line break; an open quote throws. */
  end(): void {
    if (this.rest !== '') this.parse(this.rest, true);
    this.rest = '';
  }

  /**
   * Parses the complete records of `text`; returns how many characters were consumed. With `final`,
   * the text ends the input, so a record without a line break still counts.
   */
  private parse(text: string, final: boolean): number {
    const n = text.length;
    let pos = 0;
    let line = this.line;
    while (pos < n) {
      // One record starting at `pos` (on `line`).
      const recordStart = pos;
      const startLine = line;
      const cells: string[] = [];
      let i = pos;
      let blank = true;
      for (;;) {
        // One cell starting at i: skip leading blanks.
        while (i < n && isBlank(text.charCodeAt(i))) i++;
        if (i >= n) {
          if (!final) return this.keep(recordStart, startLine);
          cells.push('');
          pos = n;
          break;
        }
        let c = text.charCodeAt(i);
        if (c === QUOTE) {
          blank = false;
          // Quoted cell.
          let value = '';
          let from = i + 1;
          let j = from;
          let closed = false;
          for (;;) {
            const q = text.indexOf('"', j);
            if (q < 0) break;
            if (q + 1 < n && text.charCodeAt(q + 1) === QUOTE) {
              value += text.slice(from, q + 1);
              from = q + 2;
              j = from;
              continue;
            }
            if (q + 1 >= n && !final) break; // the next chunk may start with the second quote of ""
            value += text.slice(from, q);
            j = q + 1;
            closed = true;
            break;
          }
          if (!closed) {
            if (!final) return this.keep(recordStart, startLine);
            throw new CsvSyntaxError('CSV_QUOTE_NOT_CLOSED', countLines(text, recordStart, n, startLine));
          }
          line += countLineBreaks(text, i, j);
          i = j;
          while (i < n && isBlank(text.charCodeAt(i))) i++;
          if (i >= n) {
            if (!final) return this.keep(recordStart, startLine);
            cells.push(value);
              pos = n;
            break;
          }
          c = text.charCodeAt(i);
          if (c === COMMA) {
            cells.push(value);
            i++;
            continue;
          }
          if (c === LF || c === CR) {
            if (c === CR && i + 1 >= n && !final) return this.keep(recordStart, startLine);
            cells.push(value);
            i += c === CR && i + 1 < n && text.charCodeAt(i + 1) === LF ? 2 : 1;
              pos = i;
            break;
          }
          throw new CsvSyntaxError('CSV_INVALID_CLOSING_QUOTE', line);
        }
        // Unquoted cell: up to the next comma or line break.
        let j = i;
        while (j < n) {
          c = text.charCodeAt(j);
          if (c === COMMA || c === LF || c === CR) break;
          if (c === QUOTE) throw new CsvSyntaxError('CSV_INVALID_OPENING_QUOTE', line);
          j++;
        }
        if (j >= n && !final) return this.keep(recordStart, startLine);
        let end = j;
        while (end > i && isBlank(text.charCodeAt(end - 1))) end--;
        if (end > i || c === COMMA) blank = false;
        cells.push(text.slice(i, end));
        if (j >= n) {
          pos = n;
          break;
        }
        if (c === COMMA) {
          i = j + 1;
          continue;
        }
        if (c === CR && j + 1 >= n && !final) return this.keep(recordStart, startLine);
        i = j + (c === CR && j + 1 < n && text.charCodeAt(j + 1) === LF ? 2 : 1);
        pos = i;
        break;
      }
      if (pos - recordStart > this.maxRecordSize) throw new CsvSyntaxError('CSV_MAX_RECORD_SIZE', line);
      if (!(blank && cells.length === 1)) this.onRecord(cells, line);
      line++;
    }
    this.line = line;
    return pos;
  }

  private keep(recordStart: number, startLine: number): number {
    this.line = startLine;
    return recordStart;
  }
}

function countLineBreaks(text: string, from: number, to: number): number {
  let count = 0;
  for (let k = from; k < to; k++) {
    const c = text.charCodeAt(k);
    if (c === LF) count++;
    else if (c === CR && !(k + 1 < to && text.charCodeAt(k + 1) === LF)) count++;
  }
  return count;
}

function countLines(text: string, from: number, to: number, startLine: number): number {
  let end = to;
  // A final line break does not start a new line of content.
  while (end > from && (text.charCodeAt(end - 1) === LF || text.charCodeAt(end - 1) === CR)) end--;
  return startLine + countLineBreaks(text, from, end);
}
