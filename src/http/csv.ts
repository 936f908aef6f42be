/** CSV for imports and exports: streaming reading (byte limit, UTF-8 check, header mapping, line numbers) and formula-safe cells. */
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { AppError, CsvReader, CsvSyntaxError } from '../lib/index.js';
import { IGNORED_COLUMNS, IMPORT_COLUMNS, type ImportColumn, type ImportRecord } from '../tracker/index.js';
import { controlCharacterProblem } from './input.js';

/** Most rows one import may hold. */
export const MAX_IMPORT_ROWS = 1_000_000;

const HEADER_ALIASES: Record<string, ImportColumn> = { tenant: 'tenant_id', tenantid: 'tenant_id', customer_name: 'customer', name: 'customer', projected_unblock: 'projected_unblock_date', unblock_date: 'projected_unblock_date', target: 'target_date' };

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

function normalizeHeader(raw: string): string {
  const h = raw.trim().replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase().replace(/[\s-]+/g, '_');
  return HEADER_ALIASES[h] ?? h;
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
    if (this.bytes > this.limit) return callback(new AppError('PAYLOAD_TOO_LARGE', `The CSV file is larger than ${Math.round(this.limit / 1048576)} MiB; split it into smaller files.`));
    if (this.first) {
      this.first = false;
      if ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff)) {
        return callback(new AppError('CSV_INVALID', 'The file is UTF-16; save it as CSV UTF-8 and import again.'));
      }
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

/**
 * Reads an import CSV from `body`. The first row is the header (names as in the export; unknown names
 * are rejected). A cell the export quoted against formula injection gets its text back
 * ({@link restoreFormula}). Throws CSV_INVALID for unreadable files, with the line for malformed
 * quoting, for rows whose cell count differs from the header and for cells holding a control character
 * other than tab, line feed and carriage return (all such rows reported, with the column).
 */
export async function readImportCsv(body: Readable, limitBytes: number): Promise<ImportRecord[]> {
  const guard = new Utf8Guard(limitBytes);
  body.on('error', (error) => guard.destroy(error));
  body.pipe(guard);
  let header: (ImportColumn | null)[] | null = null;
  const records: ImportRecord[] = [];
  const shapeErrors: { line: number; errors: { field: string; message: string }[] }[] = [];
  const onRecord = (record: string[], line: number) => {
    if (!header) {
      const names = record.map(normalizeHeader);
      const unknown = names.filter((n) => !(IMPORT_COLUMNS as readonly string[]).includes(n) && !(IGNORED_COLUMNS as readonly string[]).includes(n));
      if (unknown.length > 0) throw new AppError('CSV_INVALID', `Unknown column(s): ${unknown.join(', ')}. Known columns: ${IMPORT_COLUMNS.join(', ')}.`, { unknown, known: IMPORT_COLUMNS });
      const dupes = names.filter((n, i) => names.indexOf(n) !== i);
      if (dupes.length > 0) throw new AppError('CSV_INVALID', `Column(s) given twice: ${[...new Set(dupes)].join(', ')}.`);
      if (!names.includes('tenant_id') || !names.includes('workload')) throw new AppError('CSV_INVALID', 'The header must name at least tenant_id and workload.');
      header = names.map((n) => ((IMPORT_COLUMNS as readonly string[]).includes(n) ? (n as ImportColumn) : null));
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
      // The same rule as for JSON bodies (src/http/input.ts): the web form could not save such text.
      const problem = controlCharacterProblem(value);
      if (problem) controlErrors.push({ field: column, message: problem });
      else cells[column] = restoreFormula(value);
    }
    if (controlErrors.length > 0) shapeErrors.push({ line, errors: controlErrors });
    records.push({ line, cells });
  };
  const reader = new CsvReader(onRecord, { maxRecordSize: 100_000 });
  try {
    for await (const text of guard as AsyncIterable<string>) reader.push(text);
    reader.end();
  } catch (error) {
    body.unpipe(guard);
    guard.destroy();
    if (error instanceof AppError) throw error;
    if (error instanceof CsvSyntaxError) throw new AppError('CSV_INVALID', `The CSV cannot be read (line ${error.line}): ${error.message}.`, { code: error.code, line: error.line });
    throw new AppError('CSV_INVALID', `The CSV cannot be read: ${(error as Error).message ?? 'malformed'}.`);
  }
  if (!header) throw new AppError('CSV_INVALID', 'The file is empty; it needs a header row and at least one data row.');
  if (shapeErrors.length > 0) {
    const wrongShape = shapeErrors.every((r) => r.errors.every((e) => e.field === '*'));
    const first = shapeErrors.find((r) => r.errors[0]!.field !== '*');
    const problem = wrongShape ? 'have the wrong number of cells' : `have cells that cannot be imported (line ${first!.line}, column ${first!.errors[0]!.field}: ${first!.errors[0]!.message})`;
    throw new AppError('CSV_INVALID', `${shapeErrors.length} row(s) ${problem}; nothing was imported.`, { rows: shapeErrors.slice(0, 500), rowsWithErrors: shapeErrors.length });
  }
  if (records.length === 0) throw new AppError('CSV_INVALID', 'The file has a header but no data rows.');
  return records;
}
