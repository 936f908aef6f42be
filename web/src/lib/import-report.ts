/**
 * Pure helpers of the Import page: a preview of the first rows of a CSV file (read with the server's
 * own CSV reader, so lines are numbered as the server's row report numbers them), and the details of
 * the import's refusals (422 CSV_INVALID row report, 409 VERSION_CONFLICT rows) read defensively.
 */
import { CsvReader, CsvSyntaxError } from '../../../src/lib/csv.js';
import { packedFileKind } from '../../../src/lib/file-kind.js';
import { isExportHeader, refusedSeparator } from '../../../src/lib/import-header.js';
import type { ImportConflictDetails } from '../api/types.js';

/** An API error as `ApiError` (api/client.ts) carries it; read by shape, so this module needs no DOM. */
interface ErrorWithCode extends Error {
  code: string;
  details?: unknown;
}

function hasCode(error: unknown, code: string): error is ErrorWithCode {
  return error instanceof Error && (error as Partial<ErrorWithCode>).code === code;
}

/** How many bytes of a file the preview reads: enough for the header and the first rows of any real file. */
export const PREVIEW_BYTES = 256 * 1024;
/** How many data rows the preview shows. */
export const PREVIEW_ROWS = 10;

export interface CsvPreview {
  /** The header row's cells as written in the file. */
  header: string[];
  /** The first data rows, each with the line it ends on (as the server numbers rows). */
  rows: { line: number; cells: string[] }[];
  /** True when the file has rows past those shown (or was not read to its end). */
  more: boolean;
  /** Why the preview stopped early (malformed quoting), in a sentence; the server checks the file anyway. */
  problem?: string;
}

class EnoughRows extends Error {}

/**
 * The header and the first `maxRows` data rows of `text`. `complete` says whether `text` is the whole
 * file (else its last record may be cut, and is not shown). Never throws.
 */
export function previewCsv(text: string, complete: boolean, maxRows = PREVIEW_ROWS): CsvPreview {
  const records: { line: number; cells: string[] }[] = [];
  let more = !complete;
  let problem: string | undefined;
  const reader = new CsvReader((cells, line) => {
    if (records.length > maxRows) {
      more = true;
      throw new EnoughRows();
    }
    records.push({ line, cells });
  });
  try {
    reader.push(text);
    if (complete) reader.end();
  } catch (error) {
    if (error instanceof CsvSyntaxError) problem = `The preview stops at line ${error.line}: ${error.message}.`;
    else if (!(error instanceof EnoughRows)) problem = `The preview could not read the file: ${(error as Error).message}.`;
  }
  const [first, ...rest] = records;
  if (rest.length > maxRows) {
    rest.length = maxRows;
    more = true;
  }
  return { header: first?.cells ?? [], rows: rest, more, ...(problem ? { problem } : {}) };
}

/**
 * The text of the start of a file for the preview: the first `PREVIEW_BYTES` bytes as UTF-8 (a
 * character cut at the end is left out), and whether that is the whole file. A UTF-16 file is
 * named as such, since the import refuses it.
 */
export function decodePreviewBytes(bytes: Uint8Array, complete: boolean): { text: string; problem?: string } {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return { text: '', problem: 'This file is UTF-16 text; the import reads UTF-8 only. Save it as “CSV UTF-8” and choose it again.' };
  }
  const packed = packedFileKind(bytes);
  if (packed) return { text: '', problem: `This file is ${packed}, not a CSV text file; the import will refuse it. Save it as “CSV UTF-8” (or unpack it) and choose it again.` };
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    return { text: decoder.decode(bytes, { stream: !complete }) };
  } catch {
    const text = new TextDecoder('utf-8').decode(bytes, { stream: !complete });
    return { text, problem: 'This file is not valid UTF-8 (it may be saved as Windows-1252 or Latin-1); the import will refuse it. Save it as “CSV UTF-8”.' };
  }
}

/**
 * The separator a header row uses instead of commas (`semicolons`, `tabs`), when the server would
 * refuse the header for it (the same rule, src/lib/import-header.ts). Undefined otherwise.
 */
export function headerSeparator(header: readonly string[]): string | undefined {
  return refusedSeparator(header) ?? undefined;
}

/**
 * Why the import will refuse the whole file, as far as its preview tells for certain: it is UTF-16 or
 * not UTF-8 (`encodingProblem`, from {@link decodePreviewBytes}), it is empty, its header is separated
 * by semicolons or tabs, or (read to its end) it has a header and no data rows (told apart: an export's
 * header alone is an export of nothing). Undefined when only the
 * server can tell. `complete` says whether the preview read the whole file.
 */
export function previewRefusal(preview: CsvPreview, complete: boolean, encodingProblem?: string): string | undefined {
  if (encodingProblem) return encodingProblem;
  if (preview.problem) return undefined;
  if (preview.header.length === 0) return complete ? 'This file is empty: it needs a header row and at least one data row.' : undefined;
  const separator = headerSeparator(preview.header);
  if (separator) return `This file uses ${separator} between its cells; the import reads commas. Save it as CSV with commas (in Excel: “CSV UTF-8 (Comma delimited)”) and choose it again.`;
  if (complete && preview.rows.length === 0) {
    // The server takes this file as a change of nothing (for scripts that export and import back); here,
    // where a person chose it, saying so at once beats a check that finds nothing to do.
    if (isExportHeader(preview.header)) return 'This file is an export that matched no entitlement: it has the export’s header and no rows under it, so there is nothing to import.';
    return 'The file has a header but no data rows: add the rows to import.';
  }
  return undefined;
}

/** `1.2 MB`, `850 B`: a file size for people (powers of 1024, one decimal from KB up). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** One problem of a refused file: its line, the column (or field) it concerns, and what is wrong. */
export interface RowProblem {
  line: number;
  column: string;
  message: string;
  /** The server's code for the problem, when it gives one (e.g. RESTORE_NOT_CONFIRMED). */
  code?: string;
}

export interface RowReport {
  problems: RowProblem[];
  /** Rows the report lists (the server lists at most 500). */
  rowsListed: number;
  /** Rows with problems in the whole file. */
  rowsWithErrors: number;
  truncated: boolean;
  /** For a header the import does not know: the unknown names and every column it reads. */
  unknownColumns?: string[];
  knownColumns?: string[];
  /** For a file that cannot be read (quoting): the line where reading stopped. */
  line?: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const strings = (value: unknown): string[] | undefined => (Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : undefined);

/** The row report of a 422 CSV_INVALID, flattened to one entry per problem; undefined for other errors. */
export function readRowReport(error: unknown): RowReport | undefined {
  if (!hasCode(error, 'CSV_INVALID')) return undefined;
  const details = isRecord(error.details) ? error.details : {};
  const rows = Array.isArray(details.rows) ? details.rows.filter(isRecord) : [];
  const problems: RowProblem[] = [];
  for (const row of rows) {
    const line = typeof row.line === 'number' ? row.line : NaN;
    for (const e of Array.isArray(row.errors) ? row.errors.filter(isRecord) : []) {
      const field = typeof e.field === 'string' ? e.field : '';
      const problem: RowProblem = { line, column: field === '*' ? '(whole row)' : field, message: typeof e.message === 'string' ? e.message : 'has a problem' };
      if (typeof e.code === 'string') problem.code = e.code;
      problems.push(problem);
    }
  }
  const rowsWithErrors = typeof details.rowsWithErrors === 'number' ? details.rowsWithErrors : rows.length;
  const report: RowReport = {
    problems,
    rowsListed: rows.length,
    rowsWithErrors,
    truncated: details.truncated === true || rowsWithErrors > rows.length,
  };
  const unknown = strings(details.unknown);
  const known = strings(details.known);
  if (unknown) report.unknownColumns = unknown;
  if (known) report.knownColumns = known;
  if (typeof details.line === 'number') report.line = details.line;
  return report;
}

/** The rows of a 409 VERSION_CONFLICT from the import (whose entitlements changed meanwhile); undefined for other errors. */
export function readConflictReport(error: unknown): ImportConflictDetails | undefined {
  if (!hasCode(error, 'VERSION_CONFLICT') || !isRecord(error.details)) return undefined;
  const details = error.details;
  const num = (v: unknown) => (typeof v === 'number' ? v : null);
  const rows = (Array.isArray(details.rows) ? details.rows.filter(isRecord) : [])
    .filter((r) => typeof r.line === 'number' && typeof r.id === 'number')
    .map((r) => ({ line: r.line as number, id: r.id as number, fileVersion: num(r.fileVersion), readVersion: num(r.readVersion) ?? 0, currentVersion: num(r.currentVersion) }));
  const conflictingRows = typeof details.conflictingRows === 'number' ? details.conflictingRows : rows.length;
  return { rows, conflictingRows, truncated: details.truncated === true || conflictingRows > rows.length };
}

/** The row error code of a row that would restore a Duplicate/Invalid customer without the restore confirmed. */
export const RESTORE_NOT_CONFIRMED = 'RESTORE_NOT_CONFIRMED';

/** The lines (in report order, each once) whose rows would restore a Duplicate/Invalid customer without the restore confirmed. */
export function restoreNotConfirmedLines(report: RowReport): number[] {
  return [...new Set(report.problems.filter((p) => p.code === RESTORE_NOT_CONFIRMED).map((p) => p.line))];
}

/**
 * The server's wording of a restore refusal names its query parameter (`?restoreDuplicateInvalid=true`),
 * which a web user does not set: the page says which box to tick instead. `boxLabel` is the box's label.
 * Other text is returned as it is.
 */
export function restoreWording(message: string, boxLabel: string): string {
  return message
    .replace(/\s*Some rows take Duplicate\/Invalid customers out of it: to restore them, import with \?restoreDuplicateInvalid=true\./, '')
    .replace(/import with \?restoreDuplicateInvalid=true/g, `tick “${boxLabel}” and import again`);
}
