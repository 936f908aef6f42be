/** CSV for imports and exports: streaming reading (byte limit, UTF-8 check, header mapping, line numbers) and formula-safe cells. */
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { stringify, type Stringifier } from 'csv-stringify';
import { AppError, CsvReader, CsvSyntaxError, EXPORT_COLUMNS, IGNORED_COLUMNS, IMPORT_COLUMNS, isExportHeader, isKnownColumn, normalizeHeader, otherSeparator, packedFileKind, type ImportColumn } from '../lib/index.js';

export { EXPORT_COLUMNS };
import type { EntitlementView, ImportRecord } from '../tracker/index.js';
import { controlCharacterProblem } from './unstorable-text.js';

/** Most rows one import may hold. */
export const MAX_IMPORT_ROWS = 1_000_000;

/** A cell a spreadsheet would run as a formula (OWASP's list), after any quotes an earlier export added. */
const FORMULA_START = /^'*[=+\-@\t\r]/;
/** A cell that {@link neutralizeFormula} quoted. */
const QUOTED_FORMULA = /^'+[=+\-@\t\r]/;

/**
 * A text cell made safe to open in a spreadsheet: one `'` is put before a cell that starts with
 * `=`, `+`, `-`, `@`, tab or carriage return (also after leading quotes, so the change can be undone
 * exactly); other cells are returned as they are. {@link restoreFormula} undoes it. Never throws.
 */
export function neutralizeFormula(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

/** Undoes {@link neutralizeFormula}: drops the one `'` it put before a formula-like cell. Never throws. */
export function restoreFormula(cell: string): string {
  return QUOTED_FORMULA.test(cell) ? cell.slice(1) : cell;
}

/** One entitlement as the export's cells, in {@link EXPORT_COLUMNS} order, text cells made formula-safe. */
export function exportCells(e: EntitlementView): (string | number | null)[] {
  return [
    e.id, e.tenantId, e.customerName, e.partnerId, e.workload, e.workloadName, e.part, e.code, e.l1, e.l2, e.l3, e.note, e.targetDate, e.engagementStartDate,
    e.businessReason, e.owner, e.nextAction, e.nextActionDate, e.projectedUnblockDate, e.noteGrade, e.version, e.updatedAt, e.since, e.daysInStatus,
  ].map((cell) => (typeof cell === 'string' ? neutralizeFormula(cell) : cell));
}

/**
 * The export's CSV writer: give it {@link exportCells} rows. It starts with the UTF-8 byte order mark,
 * which tells Excel the encoding (else it reads Zürich as ZÃ¼rich; the import drops it), then the header.
 */
export function exportStringifier(): Stringifier {
  return stringify({ bom: true, header: true, columns: [...EXPORT_COLUMNS] });
}


/** A byte count for a message: "100 MiB", "1.5 MiB", "200 KiB", "200 bytes". */
export function formatSize(bytes: number): string {
  if (bytes >= 1048576) return `${Number((bytes / 1048576).toFixed(1))} MiB`;
  if (bytes >= 1024) return `${Number((bytes / 1024).toFixed(1))} KiB`;
  return `${bytes} bytes`;
}

/** The 413 of a CSV file over the import's limit of `limitBytes`. */
export function csvTooLarge(limitBytes: number): AppError {
  return new AppError('PAYLOAD_TOO_LARGE', `The CSV file is larger than ${formatSize(limitBytes)}; split it into smaller files.`);
}

/** Counts bytes (PAYLOAD_TOO_LARGE past `limit`) and checks the bytes are UTF-8 (CSV_INVALID otherwise). */
class Utf8Guard extends Transform {
  private bytes = 0;
  private first = true;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });

  constructor(private readonly limit: number) {
    // Text out, as strings (no round trip through Buffer).
    super({ readableObjectMode: true });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.limit) return callback(csvTooLarge(this.limit));
    if (this.first) {
      this.first = false;
      if ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff)) {
        return callback(new AppError('CSV_INVALID', 'The file is UTF-16; save it as CSV UTF-8 and import again.'));
      }
      // A compressed file or a workbook chosen by mistake (browsers send no Content-Encoding for a
      // .csv.gz) would otherwise read as "not valid UTF-8".
      const packed = packedFileKind(chunk);
      if (packed) return callback(new AppError('CSV_INVALID', `The file is ${packed}, not a CSV text file; save it as CSV UTF-8 (or unpack it) and import again.`, { fileKind: packed }));
    }
    try {
      const text = this.decoder.decode(chunk, { stream: true });
      if (text.includes('\u0000')) return callback(new AppError('CSV_INVALID', 'The file contains NUL bytes; it is not a text CSV file.'));
      callback(null, text);
    } catch {
      callback(new AppError('CSV_INVALID', 'The file is not valid UTF-8 (it may be Windows-1252 or Latin-1); save it as CSV UTF-8 and import again.'));
    }
  }

  override _flush(callback: TransformCallback): void {
    try {
      this.decoder.decode();
      callback();
    } catch {
      callback(new AppError('CSV_INVALID', 'The file ends in the middle of a UTF-8 character; save it as CSV UTF-8.'));
    }
  }
}

function separatorMessage(separator: string): string {
  return `This file uses ${separator} between its cells; the import reads commas. Save it as CSV with commas (in Excel: "CSV UTF-8 (Comma delimited)") and import it again.`;
}

/** An import file as read: its data rows, and how its header writes each column it has. */
export interface ImportFile {
  records: ImportRecord[];
  /** The header cell of each import column, as the file writes it (`Tenant ID` for tenant_id). */
  header: Partial<Record<ImportColumn, string>>;
}

/**
 * Reads an import CSV from `body`. The first row is the header (names as in the export; unknown names
 * are rejected; a header separated by semicolons or tabs is named as such). A file without data rows is
 * refused (CSV_INVALID), unless its header is the export's: that is the export of a filter that matched
 * nothing, read as no records, so that exporting and importing back is a change of nothing. A cell the export quoted
 * against formula injection gets its text back ({@link restoreFormula}). Throws CSV_INVALID for
 * unreadable files, with the line for malformed quoting, for rows whose cell count differs from the
 * header and for cells holding a control character other than tab, line feed and carriage return (all
 * such rows reported, with the column as the header writes it).
 */
export async function readImportCsv(body: Readable, limitBytes: number): Promise<ImportFile> {
  const guard = new Utf8Guard(limitBytes);
  body.on('error', (error) => guard.destroy(error));
  body.pipe(guard);
  let header: (ImportColumn | null)[] | null = null;
  /** The header cell of each column, as written (trimmed). */
  let written: string[] = [];
  /** True when the header names every column of the export's (in any order and spelling the import reads). */
  let exportHeader = false;
  const records: ImportRecord[] = [];
  const shapeErrors: { line: number; errors: { field: string; message: string }[] }[] = [];
  const onRecord = (record: string[], line: number) => {
    if (!header) {
      const names = record.map(normalizeHeader);
      written = record.map((cell) => cell.trim());
      const unknown = written.filter((_, i) => !isKnownColumn(names[i]!));
      if (unknown.length > 0) {
        const separator = otherSeparator(record);
        if (separator) {
          throw new AppError('CSV_INVALID', separatorMessage(separator), { separator, line });
        }
        // An empty header cell (a comma at the end, as spreadsheets save a sheet with a blank column) is told as such, not as "".
        const told = written.flatMap((cell, i) => (isKnownColumn(names[i]!) ? [] : [cell !== '' ? cell : `a column with no name (column ${i + 1}${i === written.length - 1 ? '; a comma at the end of the header makes one' : ''})`]));
        throw new AppError(
          'CSV_INVALID',
          `Unknown column(s): ${told.join(', ')}. Known columns: ${IMPORT_COLUMNS.join(', ')}. The export's read-only columns (${IGNORED_COLUMNS.join(', ')}) are accepted too, and ignored.`,
          { unknown, known: IMPORT_COLUMNS, ignored: IGNORED_COLUMNS },
        );
      }
      const twice = [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
      if (twice.length > 0) {
        const described = twice.map((n) => `${written.filter((_, i) => names[i] === n).map((w) => `"${w}"`).join(' and ')}${written.every((w, i) => names[i] !== n || w === n) ? '' : ` (all ${n})`}`);
        throw new AppError('CSV_INVALID', `Column(s) given twice: ${described.join('; ')}.`);
      }
      if (!names.includes('tenant_id') || !names.includes('workload')) throw new AppError('CSV_INVALID', 'The header must name at least tenant_id and workload.');
      header = names.map((n) => ((IMPORT_COLUMNS as readonly string[]).includes(n) ? (n as ImportColumn) : null));
      exportHeader = isExportHeader(record);
      return;
    }
    if (record.length !== header.length) {
      shapeErrors.push({ line, errors: [{ field: '*', message: `has ${record.length} cells; the header has ${header.length}` }] });
      return;
    }
    if (records.length >= MAX_IMPORT_ROWS) throw new AppError('CSV_INVALID', `A file may hold at most ${MAX_IMPORT_ROWS} rows; split it.`);
    const cells: ImportRecord['cells'] = {};
    const controlErrors: { field: string; message: string }[] = [];
    for (let i = 0; i < header.length; i++) {
      const column = header[i];
      const value = record[i];
      if (!column || value === undefined || value === '') continue;
      // The same rule as for JSON bodies (src/http/input.ts, via unstorable-text.ts): the web form could not save such text.
      const problem = controlCharacterProblem(value);
      if (problem) controlErrors.push({ field: written[i]!, message: problem });
      else cells[column] = restoreFormula(value);
    }
    if (controlErrors.length > 0) shapeErrors.push({ line, errors: controlErrors });
    records.push({ line, cells });
  };
  const reader = new CsvReader(onRecord, { maxRecordSize: 100_000 });
  /** The start of the file, to name the separator of a quoted header the reader cannot read. */
  let start = '';
  try {
    for await (const text of guard as AsyncIterable<string>) {
      if (start.length < 4096) start += text.slice(0, 4096);
      reader.push(text);
    }
    reader.end();
  } catch (error) {
    body.unpipe(guard);
    guard.destroy();
    if (error instanceof AppError) throw error;
    if (error instanceof CsvSyntaxError) {
      // `"tenant_id";"workload"`: quotes followed by another separator are a syntax error to a comma reader.
      const firstLine = start.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/)[0] ?? '';
      const separator = !header && error.line === 1 ? otherSeparator([firstLine.replace(/"/g, '')]) : null;
      if (separator) throw new AppError('CSV_INVALID', separatorMessage(separator), { separator, line: 1 });
      if (!header && /^\s*[{[]/.test(firstLine)) throw new AppError('CSV_INVALID', 'The file holds JSON, not CSV: the import reads a CSV file with a header row (as the export writes it).', { code: error.code, line: error.line });
      throw new AppError('CSV_INVALID', `The CSV cannot be read (line ${error.line}): ${error.message}.`, { code: error.code, line: error.line });
    }
    throw new AppError('CSV_INVALID', `The CSV cannot be read: ${(error as Error).message ?? 'malformed'}.`);
  }
  if (!header) throw new AppError('CSV_INVALID', 'The file is empty; it needs a header row and at least one data row.');
  if (shapeErrors.length > 0) {
    const wrongShape = shapeErrors.every((r) => r.errors.every((e) => e.field === '*'));
    const first = shapeErrors.find((r) => r.errors[0]!.field !== '*');
    const problem = wrongShape ? 'have the wrong number of cells' : `have cells that cannot be imported (line ${first!.line}, column ${first!.errors[0]!.field}: ${first!.errors[0]!.message})`;
    throw new AppError('CSV_INVALID', `${shapeErrors.length} row(s) ${problem}; nothing was imported.`, { rows: shapeErrors.slice(0, 500), rowsWithErrors: shapeErrors.length });
  }
  // The export of a filter that matched nothing imports back as a change of nothing (importEntitlements
  // says so in its answer); a header-only file of another header is more likely rows never added.
  if (records.length === 0 && !exportHeader) throw new AppError('CSV_INVALID', 'The file has a header but no data rows.');
  const columns: Partial<Record<ImportColumn, string>> = {};
  (header as (ImportColumn | null)[]).forEach((column, i) => {
    if (column) columns[column] = written[i]!;
  });
  return { records, header: columns };
}
