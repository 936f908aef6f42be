/** Pure helpers of the Import page (no browser): the CSV preview, file sizes, and reading the import's refusals. */
import { describe, expect, it } from 'vitest';
import { decodePreviewBytes, formatBytes, previewCsv, readConflictReport, readRowReport } from '../../web/src/lib/import-report.js';

/** An error shaped as the web client's ApiError (which needs a browser to load). */
class ApiError extends Error {
  readonly code: string;
  readonly details: unknown;
  constructor(
    readonly status: number,
    body: { code: string; message: string; details?: unknown },
  ) {
    super(body.message);
    this.code = body.code;
    this.details = body.details;
  }
}

describe('previewCsv', () => {
  it('shows the header and the first rows, numbered by the line each ends on, as the server numbers them', () => {
    const text = '\uFEFFtenant_id,workload,note\r\na.example,teams,"two\nlines"\r\nb.example,intune,plain\r\n';
    expect(previewCsv(text, true)).toEqual({
      header: ['tenant_id', 'workload', 'note'],
      rows: [
        { line: 3, cells: ['a.example', 'teams', 'two\nlines'] },
        { line: 4, cells: ['b.example', 'intune', 'plain'] },
      ],
      more: false,
    });
  });

  it('stops after the first rows and says there are more', () => {
    const text = ['h1,h2', ...Array.from({ length: 25 }, (_, i) => `r${i},x`)].join('\n');
    const preview = previewCsv(text, true, 10);
    expect(preview.rows.map((r) => r.line)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(preview.more).toBe(true);
    expect(previewCsv(['h1', 'a', 'b'].join('\n'), true, 2).more).toBe(false);
  });

  it('leaves out a record cut at the end of a partial read, and says the file goes on', () => {
    const preview = previewCsv('h1,h2\na,b\nc,"unfinished', false);
    expect(preview.rows).toEqual([{ line: 2, cells: ['a', 'b'] }]);
    expect(preview.more).toBe(true);
    expect(preview.problem).toBeUndefined();
  });

  it('names the line where malformed quoting stops it, keeping the rows before', () => {
    const preview = previewCsv('h1,h2\na,b\nc,"open\n', true);
    expect(preview.rows).toEqual([{ line: 2, cells: ['a', 'b'] }]);
    expect(preview.problem).toMatch(/^The preview stops at line \d+:/);
  });

  it('is empty for an empty file', () => {
    expect(previewCsv('', true)).toEqual({ header: [], rows: [], more: false });
  });
});

describe('decodePreviewBytes and formatBytes', () => {
  it('reads UTF-8, keeps a character cut at the end of a partial read out, and names UTF-16 and other encodings', () => {
    const bytes = new TextEncoder().encode('a,Zürich');
    expect(decodePreviewBytes(bytes, true)).toEqual({ text: 'a,Zürich' });
    expect(decodePreviewBytes(bytes.slice(0, bytes.length - 5), false)).toEqual({ text: 'a,Z' });
    expect(decodePreviewBytes(new Uint8Array([0xff, 0xfe, 0x61, 0]), true).problem).toMatch(/UTF-16/);
    // A workbook or a compressed file chosen by mistake is named for what it is, as the server names it.
    expect(decodePreviewBytes(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0]), false).problem).toMatch(/ZIP archive \(an Excel \.xlsx workbook is one\)/);
    expect(decodePreviewBytes(new Uint8Array([0x1f, 0x8b, 0x08, 0]), false).problem).toMatch(/gzip-compressed/);
    expect(decodePreviewBytes(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0]), false).problem).toMatch(/\.xls workbook/);
    expect(decodePreviewBytes(new Uint8Array([0x61, 0x2c, 0xfc, 0x0a]), true).problem).toMatch(/not valid UTF-8/);
  });

  it('writes sizes for people', () => {
    expect([0, 1023, 1024, 1536, 5 * 1048576, 3 * 1073741824, -1].map(formatBytes)).toEqual(['0 B', '1023 B', '1.0 KB', '1.5 KB', '5.0 MB', '3.0 GB', '—']);
  });
});

describe('readRowReport and readConflictReport', () => {
  it('flattens a CSV_INVALID row report to one entry per problem, and says when it is cut', () => {
    const error = new ApiError(422, {
      code: 'CSV_INVALID',
      message: '2 of 900 row(s) have problems',
      details: { rows: [{ line: 3, errors: [{ field: 'target_date', message: 'is past' }, { field: 'note', message: 'is empty' }] }, { line: 9, errors: [{ field: '*', message: 'has 2 cells' }] }], rowsWithErrors: 700, truncated: true },
    });
    expect(readRowReport(error)).toEqual({
      problems: [
        { line: 3, column: 'target_date', message: 'is past' },
        { line: 3, column: 'note', message: 'is empty' },
        { line: 9, column: '(whole row)', message: 'has 2 cells' },
      ],
      rowsListed: 2,
      rowsWithErrors: 700,
      truncated: true,
    });
  });

  it('keeps the unknown and known columns of a refused header, and ignores other errors', () => {
    const error = new ApiError(422, { code: 'CSV_INVALID', message: 'Unknown column(s): colour', details: { unknown: ['colour'], known: ['tenant_id', 'workload'] } });
    expect(readRowReport(error)).toMatchObject({ problems: [], unknownColumns: ['colour'], knownColumns: ['tenant_id', 'workload'], truncated: false });
    expect(readRowReport(new ApiError(409, { code: 'VERSION_CONFLICT', message: 'x' }))).toBeUndefined();
    expect(readRowReport(new Error('x'))).toBeUndefined();
  });

  it('reads the rows of an import conflict, a deleted entitlement included', () => {
    const error = new ApiError(409, {
      code: 'VERSION_CONFLICT',
      message: 'changed meanwhile',
      details: { rows: [{ line: 2, id: 7, fileVersion: null, readVersion: 3, currentVersion: 4 }, { line: 5, id: 8, fileVersion: 1, readVersion: 1, currentVersion: null }], conflictingRows: 140, truncated: true },
    });
    expect(readConflictReport(error)).toEqual({
      rows: [
        { line: 2, id: 7, fileVersion: null, readVersion: 3, currentVersion: 4 },
        { line: 5, id: 8, fileVersion: 1, readVersion: 1, currentVersion: null },
      ],
      conflictingRows: 140,
      truncated: true,
    });
    expect(readConflictReport(new ApiError(409, { code: 'VERSION_CONFLICT', message: 'x', details: { current: {} } }))).toEqual({ rows: [], conflictingRows: 0, truncated: false });
    expect(readConflictReport(new ApiError(422, { code: 'CSV_INVALID', message: 'x', details: {} }))).toBeUndefined();
  });
});
