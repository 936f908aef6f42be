/**
 * Rows of an `--input` file (JSONL or CSV) for `classify` and `notes grade`. A row that cannot be
 * used comes back with an `error` instead of `fields`, so the command can write it and go on.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parse as parseCsv } from 'csv-parse';
import { AppError } from '../lib/index.js';

export interface InputRow {
  /** JSONL: the line number; CSV: the data row number (the header not counted). */
  row: number;
  fields?: Record<string, unknown>;
  error?: { code: string; message: string };
}

/** Throws FILE_NOT_FOUND unless `path` is a readable regular file (a folder is not one). */
export function checkInputFile(path: string): void {
  if (!existsSync(path)) throw new AppError('FILE_NOT_FOUND', `Input file not found: ${path}`);
  if (!statSync(path).isFile()) throw new AppError('FILE_NOT_FOUND', `--input must be a file, and ${path} is not one (a folder?).`);
}

export async function* readJsonlRows(path: string): AsyncGenerator<InputRow> {
  const rl = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  let row = 0;
  for await (const line of rl) {
    row += 1;
    if (line.trim() === '') continue;
    try {
      const value = JSON.parse(line) as unknown;
      if (value === null || typeof value !== 'object' || Array.isArray(value)) yield { row, error: { code: 'INVALID_JSON', message: 'The line is not a JSON object.' } };
      else yield { row, fields: value as Record<string, unknown> };
    } catch (error) {
      yield { row, error: { code: 'INVALID_JSON', message: `The line is not valid JSON: ${error instanceof Error ? error.message : String(error)}` } };
    }
  }
}

/**
 * The data rows of a CSV file with a header row, keyed by the header's names (trimmed). A row with
 * more cells than the header is an error, not a silently shortened record: it is most often a note
 * holding a comma that was not quoted. A row with fewer cells leaves the missing columns out.
 */
export async function* readCsvRows(path: string): AsyncGenerator<InputRow> {
  const parser = createReadStream(path).pipe(parseCsv({ bom: true, skip_empty_lines: true, relax_column_count: true, trim: false }));
  let header: string[] | undefined;
  let row = 0;
  try {
    for await (const cells of parser as AsyncIterable<string[]>) {
      if (!header) {
        header = cells.map((h) => h.trim());
        continue;
      }
      row += 1;
      if (cells.length > header.length) {
        yield {
          row,
          error: {
            code: 'CSV_INVALID',
            message: `The row has ${cells.length} cells but the header has ${header.length} columns; put a cell that holds a comma in double quotes.`,
          },
        };
        continue;
      }
      const fields: Record<string, unknown> = {};
      cells.forEach((cell, i) => (fields[header![i]!] = cell));
      yield { row, fields };
    }
  } catch (error) {
    yield { row: row + 1, error: { code: 'CSV_INVALID', message: `The CSV cannot be read past this row: ${error instanceof Error ? error.message : String(error)}` } };
  }
}
