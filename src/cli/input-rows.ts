/**
 * Rows of an `--input` file (JSONL or CSV) for `classify` and `notes grade`. A row that cannot be
 * used comes back with an `error` instead of (or besides) `fields`, so the command can write it and go on.
 */
import { closeSync, createReadStream, createWriteStream, existsSync, mkdtempSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { parse as parseCsv } from 'csv-parse';
import { parse as parseCsvSync } from 'csv-parse/sync';
import { AppError, describeCsvSyntax, describeJsonSyntax } from '../lib/index.js';
import { checkTextLine, checkTextStart } from './file-lines.js';
import { checkOutputFile } from './output-file.js';
import { removeOnExit } from './remove-on-exit.js';

export interface InputRow {
  /**
   * The line of the file the row starts on, counting every line (blank ones too): for JSONL its line,
   * for CSV the line its record starts on (the header is line 1; a quoted cell may span lines).
   */
  row: number;
  /** The row's fields; also set on a CSV row with too many cells (its first cells), so the user's ids can be echoed. */
  fields?: Record<string, unknown>;
  error?: { code: string; message: string };
  /**
   * How far into the file the row ends, in bytes, its line break included: how much of the file has
   * been read (the progress bar of `classify --input`). A JSONL line break of two bytes (CRLF) is
   * counted as one, so on such a file it falls short by a byte a line; absent when the file could not
   * be read on from the row.
   */
  bytes?: number;
}

/** The input formats, and how a row error names a value in each: a JSON field, a CSV column. */
export type InputFormat = 'jsonl' | 'csv';

/** The `--input` value that reads standard input. */
export const STANDARD_INPUT = '-';

/** How messages name standard input given as `--input -`. */
const STANDARD_INPUT_NAME = 'standard input';

/** An --input file whose path, format and (for CSV) text column have been checked. */
export interface InputFile {
  /** The file the rows are read from: the one given, or the copy of standard input. */
  path: string;
  /** How messages name it: its path as given, or "standard input". */
  name: string;
  format: InputFormat;
  /** The text column as the CSV header writes it (`text` for JSONL), for row errors. */
  textColumn: string;
}

/**
 * Checks `--input` (and `--output` against it) before anything else is loaded, so that a wrong path
 * fails at once: the file is there, is UTF-8 text and, for a CSV, has a text column. `-` reads standard
 * input, checked and read as a file is (JSONL when its first character other than a space or line break
 * is `{`, else CSV): it is first copied to a temporary file, so that it can be read more than once.
 */
export async function openInputFile(input: string, output: string | undefined): Promise<InputFile> {
  const stdin = input === STANDARD_INPUT;
  if (!stdin) checkInputFile(input);
  if (output !== undefined) checkOutputFile(output, stdin ? undefined : input);
  const path = stdin ? await copyStandardInput() : input;
  const name = stdin ? STANDARD_INPUT_NAME : input;
  const format = stdin ? (startsWithBrace(path) ? 'jsonl' : 'csv') : inputFormat(path);
  checkInputText(path, format, name);
  return { path, name, format, textColumn: format === 'csv' ? checkCsvHeader(path, name) : 'text' };
}

/**
 * The failure (exit 1) of an --input file that holds no row at all: an empty JSONL file, blank lines, a
 * CSV header alone. As an empty CSV file or standard input is, it is refused rather than answered with
 * nothing: most often it is the wrong file, or the output of a step that wrote nothing. `verb`: classify, grade.
 */
export function noRowsError(input: InputFile, verb: string): AppError {
  if (input.format === 'csv') return new AppError('CSV_INVALID', `${input.name} has a header row but no data rows: no notes to ${verb}.`);
  return new AppError('VALIDATION_FAILED', `${input.name} holds no notes: give one JSON object with a "text" (or "note") field on each line.`);
}

/**
 * A labelled or graded JSONL file named on the command line (`eval`, `notes eval`), `-` for standard
 * input: that is copied to a temporary file first and checked as UTF-8 text, and named "standard
 * input" in messages. Any other path is returned as it is, for the command's own checks.
 */
export async function readablePath(path: string): Promise<{ path: string; name: string }> {
  if (path !== STANDARD_INPUT) return { path, name: path };
  const copy = await copyStandardInput();
  checkInputText(copy, 'jsonl', STANDARD_INPUT_NAME);
  return { path: copy, name: STANDARD_INPUT_NAME };
}

/**
 * Copies standard input into a new temporary folder of the system (readable by this user only) and
 * returns the copy's path. The folder is removed when the process ends, on Ctrl+C too.
 */
async function copyStandardInput(): Promise<string> {
  const folder = mkdtempSync(join(tmpdir(), 'unblock-input-'));
  removeOnExit(() => rmSync(folder, { recursive: true, force: true }));
  // Someone at a terminal is told the command waits for them, and how to end the notes.
  if (process.stdin.isTTY) process.stderr.write('unblock: reading the notes from standard input (JSONL or CSV); end them with Ctrl+D.\n');
  const path = join(folder, 'input');
  await pipeline(process.stdin, createWriteStream(path, { mode: 0o600 }));
  return path;
}

/** Whether the first character of the file at `path` other than a space, tab or line break (after a byte order mark) is `{`. */
function startsWithBrace(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const block = Buffer.alloc(64 * 1024);
    for (let position = 0; ; ) {
      const read = readSync(fd, block, 0, block.length, position);
      if (read === 0) return false;
      const bytes = position === 0 && block[0] === 0xef && block[1] === 0xbb && block[2] === 0xbf ? block.subarray(3, read) : block.subarray(0, read);
      const first = bytes.findIndex((b) => b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0b && b !== 0x0c);
      if (first >= 0) return bytes[first] === 0x7b;
      position += read;
    }
  } finally {
    closeSync(fd);
  }
}

/** Throws BAD_ARGUMENTS (exit 2, an unusable argument) unless `path` is a regular file. */
export function checkInputFile(path: string): void {
  if (!existsSync(path)) throw new AppError('BAD_ARGUMENTS', `--input: no file at ${path}.`);
  const stat = statSync(path);
  if (stat.isDirectory()) throw new AppError('BAD_ARGUMENTS', `--input must be a file, and ${path} is a folder.`);
  // A pipe or device (/dev/stdin, a named pipe) cannot be read twice as a file is; `-` copies standard input first.
  if (!stat.isFile()) throw new AppError('BAD_ARGUMENTS', `--input must be a file, and ${path} is not one (a pipe or device); to read standard input, give --input -.`);
}

/**
 * Throws (CSV_INVALID for a CSV, INVALID_JSON for JSONL) unless the file at `path` is UTF-8 text, as the
 * import checks its file: a UTF-16 file, a packed one (gzip, ZIP or an Excel workbook), NUL bytes
 * (binary data) and bytes UTF-8 does not allow (a file saved as Windows-1252 or Latin-1) are named, with
 * the line they are on, instead of reaching the rows as mangled text. Reads the file once, a line at a
 * time in 1 MiB blocks: `\n` never occurs inside a UTF-8 character, so each line is checked whole
 * (Buffer.isUtf8), which TextDecoder cannot do while telling where the fault is. The checks are those
 * `eval` and `notes eval` run on their files as they read them (file-lines.ts).
 */
export function checkInputText(path: string, format: InputFormat, name = path): void {
  const code = format === 'csv' ? 'CSV_INVALID' : 'INVALID_JSON';
  const saveAs = name === STANDARD_INPUT_NAME ? 'Convert it to UTF-8 text' : format === 'csv' ? 'Save it as CSV UTF-8 (in Excel: "CSV UTF-8 (Comma delimited)")' : 'Save it as UTF-8 text';
  const fd = openSync(path, 'r');
  try {
    const block = Buffer.alloc(1 << 20);
    let carry = Buffer.alloc(0);
    let line = 1;
    let position = 0;
    const checkLine = (bytes: Buffer) => checkTextLine(bytes, line, code, name, saveAs);
    for (;;) {
      const read = readSync(fd, block, 0, block.length, position);
      if (position === 0) checkTextStart(block.subarray(0, read), code, name, saveAs);
      if (read === 0) break;
      position += read;
      let data = carry.length > 0 ? Buffer.concat([carry, block.subarray(0, read)]) : block.subarray(0, read);
      for (let end = data.indexOf(10); end >= 0; end = data.indexOf(10)) {
        checkLine(data.subarray(0, end));
        data = data.subarray(end + 1);
        line += 1;
      }
      carry = Buffer.from(data);
    }
    checkLine(carry);
  } finally {
    closeSync(fd);
  }
}

/** Up to `bytes` bytes from the start of `path`, as text without a leading BOM. */
function readStart(path: string, bytes: number): string {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const read = readSync(fd, buffer, 0, bytes, 0);
    return buffer.subarray(0, read).toString('utf8').replace(/^\uFEFF/, '');
  } finally {
    closeSync(fd);
  }
}

/**
 * CSV when the name ends in .csv; JSONL when it ends in .jsonl, .ndjson or .json; otherwise JSONL
 * when the file starts with `{`, else CSV.
 */
export function inputFormat(path: string): InputFormat {
  if (/\.csv$/i.test(path)) return 'csv';
  if (/\.(jsonl|ndjson|json)$/i.test(path)) return 'jsonl';
  return readStart(path, 512).trimStart().startsWith('{') ? 'jsonl' : 'csv';
}

/** The header names a CSV row's text may have, in order of preference (the export names it `note`). */
const TEXT_COLUMNS = ['text', 'note'];

const headerKey = (name: string) => name.trim().toLowerCase();

/** The index of the text column of `header`: `text`, else `note`, any case, spaces around ignored; -1 when none. */
export function textColumnIndex(header: readonly string[]): number {
  for (const wanted of TEXT_COLUMNS) {
    const i = header.findIndex((h) => headerKey(h) === wanted);
    if (i >= 0) return i;
  }
  return -1;
}

/** Separators people save "CSV" files with instead of commas, and how to name them. */
const OTHER_SEPARATORS: [string, string][] = [
  [';', 'semicolons'],
  ['\t', 'tabs'],
];

/** `semicolons` or `tabs` when a header row reads as cells split by one of them rather than commas; else null. */
function otherSeparator(headerLine: string): string | null {
  for (const [separator, name] of OTHER_SEPARATORS) {
    const parts = headerLine.split(separator).filter((p) => p.trim() !== '');
    if (parts.length >= 2 && parts.length > headerLine.split(',').length) return name;
  }
  return null;
}

/**
 * Checks the header of the CSV file `path` and returns its text column as written: `text`, else `note`
 * (any case, spaces around ignored). Throws CSV_INVALID for a file with no header or no such column,
 * naming semicolons or tabs when the header is separated by them.
 */
export function checkCsvHeader(path: string, name = path): string {
  // Empty lines before the header are skipped, as readCsvRows skips them.
  const start = readStart(path, 64 * 1024).replace(/^(?:\r\n|\r|\n)+/, '');
  const firstLine = start.split(/\r\n|\r|\n/, 1)[0] ?? '';
  if (start.trim() === '' && name === STANDARD_INPUT_NAME) {
    throw new AppError('CSV_INVALID', `${name} is empty; send JSONL (an object with a "text" (or "note") field on each line) or CSV with a header row that has a "text" (or "note") column.`);
  }
  if (start.trim() === '') throw new AppError('CSV_INVALID', `${name} is empty; a CSV needs a header row with a "text" (or "note") column.`);
  let header: string[] = [];
  try {
    header = (parseCsvSync(start, { to: 1, relax_column_count: true, relax_quotes: true }) as string[][])[0] ?? [];
  } catch {
    // A header that cannot be read as comma-separated CSV: most often one with quoted names and another separator.
    header = [firstLine];
  }
  const i = textColumnIndex(header);
  if (i >= 0) return header[i]!.trim();
  const separator = otherSeparator(firstLine);
  if (separator) {
    throw new AppError('CSV_INVALID', `${name} uses ${separator} between its cells; classify and notes grade read commas. Save it as CSV with commas (in Excel: "CSV UTF-8 (Comma delimited)") and run again.`);
  }
  throw new AppError('CSV_INVALID', `${name} has no "text" (or "note") column; its header is: ${firstLine.slice(0, 200)}`);
}

/**
 * A JSONL row's fields with its text keyed `text`, as a CSV row's are: the field named `text`, else
 * `note` (the export's name for it), in any case and with spaces around the name ignored. A row
 * with neither is returned as it is (the command says it has no text).
 */
export function withTextField(fields: Record<string, unknown>): Record<string, unknown> {
  if (Object.hasOwn(fields, 'text')) return fields;
  const keys = Object.keys(fields);
  const i = textColumnIndex(keys);
  if (i < 0) return fields;
  const renamed: Record<string, unknown> = {};
  for (const key of keys) renamed[key === keys[i] ? 'text' : key] = fields[key];
  return renamed;
}

export async function* readJsonlRows(path: string): AsyncGenerator<InputRow> {
  const rl = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  let row = 0;
  let bytes = 0;
  for await (const raw of rl) {
    row += 1;
    bytes += Buffer.byteLength(raw) + 1;
    // Notepad and Windows PowerShell start a UTF-8 file with a byte order mark, which is not JSON.
    const line = row === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (line.trim() === '') continue;
    try {
      const value = JSON.parse(line) as unknown;
      if (value === null || typeof value !== 'object' || Array.isArray(value)) yield { row, bytes, error: { code: 'INVALID_JSON', message: 'The line is not a JSON object.' } };
      else yield { row, bytes, fields: withTextField(value as Record<string, unknown>) };
    } catch (error) {
      // In the API's words (where it goes wrong), not the JavaScript parser's, which change between Node versions.
      yield { row, bytes, error: { code: 'INVALID_JSON', message: `The line is not valid JSON: ${describeJsonSyntax(line) ?? (error instanceof Error ? error.message : String(error))}.` } };
    }
  }
}

/** Line breaks inside a record's cells (a quoted cell may hold some): the lines it spans beyond its first. */
function breaksIn(cells: readonly string[]): number {
  let n = 0;
  for (const cell of cells) n += cell.match(/\r\n|\r|\n/g)?.length ?? 0;
  return n;
}

/**
 * csv-parse's record with `info: true` and `raw: true`; `empty_lines` counts the blank lines skipped so
 * far, `bytes` the bytes of the file read up to the end of the record (its line break included).
 */
interface CsvRecord {
  record: string[];
  info: { empty_lines: number; bytes: number };
  /** The record's text as the file holds it, line break included. */
  raw: string;
}

/**
 * The data rows of a CSV file with a header row, keyed by the header's names (trimmed); the text
 * column (`text`, else `note`, any case) is keyed `text`. Blank lines, also those of spaces or tabs only, are skipped. A row with more cells than the header is an
 * error, not a silently shortened record: it is most often a note holding a comma that was not
 * quoted. A row with fewer cells leaves the missing columns out.
 */
export async function* readCsvRows(path: string): AsyncGenerator<InputRow> {
  const parser = createReadStream(path).pipe(parseCsv({ bom: true, skip_empty_lines: true, relax_column_count: true, trim: false, info: true, raw: true }));
  let header: string[] | undefined;
  // Lines taken by the records read so far; with the blank lines skipped, where the next record starts.
  let linesUsed = 0;
  let row = 1;
  try {
    for await (const { record: cells, info, raw } of parser as AsyncIterable<CsvRecord>) {
      row = 1 + linesUsed + info.empty_lines;
      linesUsed += 1 + breaksIn(cells);
      // A line of spaces or tabs (an editor's leftovers) is a blank line, as it is in JSONL, not a row
      // with no text; a quoted cell of spaces ("  ") is a row.
      if (header && raw.trim() === '') continue;
      if (!header) {
        header = cells.map((h) => h.trim());
        const text = textColumnIndex(header);
        if (text >= 0) header[text] = 'text';
        continue;
      }
      const fields: Record<string, unknown> = {};
      cells.slice(0, header.length).forEach((cell, i) => (fields[header![i]!] = cell));
      if (cells.length > header.length) {
        const message = `The row has ${cells.length} cells but the header has ${header.length} columns; put a cell that holds a comma in double quotes.`;
        yield { row, fields, bytes: info.bytes, error: { code: 'CSV_INVALID', message } };
        continue;
      }
      yield { row, fields, bytes: info.bytes };
    }
  } catch (error) {
    // csv-parse's own line count is off for CRLF files: the record starts after the lines read and the blank ones skipped.
    const skipped = (error as { empty_lines?: unknown }).empty_lines;
    const at = 1 + linesUsed + (typeof skipped === 'number' ? skipped : 0);
    const reason = describeCsvSyntax((error as { code?: unknown }).code) ?? (error instanceof Error ? error.message : String(error)).replace(/ at line \d+/g, '');
    yield { row: at, error: { code: 'CSV_INVALID', message: `The CSV cannot be read from this line on: ${reason}` } };
  }
}
