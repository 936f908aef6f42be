import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { CsvReader, CsvSyntaxError, describeCsvSyntax } from './csv.js';

function read(text: string, chunkSize = text.length || 1): { cells: string[]; line: number }[] {
  const out: { cells: string[]; line: number }[] = [];
  const reader = new CsvReader((cells, line) => out.push({ cells, line }));
  for (let i = 0; i < text.length; i += chunkSize) reader.push(text.slice(i, i + chunkSize));
  reader.end();
  return out;
}

/** What csv-parse (the reference) makes of `text` with the options the import used. */
function reference(text: string): { cells: string[]; line: number }[] {
  const rows = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, trim: true, info: true }) as unknown as { record: string[]; info: { lines: number } }[];
  return rows.map((r) => ({ cells: r.record, line: r.info.lines }));
}

const SAMPLES = [
  'a,b,c\n1,2,3\n',
  'a,b,c\n1,2,3',
  '\ufeffa,b\r\n1,2\r\n',
  'a,b\r1,2\r3,4',
  'a,b\n\n1,2\n\n\n3,4\n',
  'a , b ,c\n  1 ,2,  3  \n',
  'a,b\n"x, y","say ""hi"""\n',
  'a,b\n"line one\nline two",z\n3,4\n',
  'a,b,c\n,,\n1,,\n',
  'a,b\n  "quoted"  ,x\n',
  'tenant_id,workload\nt-1,teams\nt-2\nt-3,intune,extra\n',
  'a\n""\nx\n',
  'a,b\n1,"Caf\u00e9 M\u00fcller \u2013 \ud83d\ude00"\n',
];

describe('CsvReader', () => {
  it.each(SAMPLES)('reads %j as csv-parse does, in any chunking', (text) => {
    const expected = reference(text);
    expect(read(text)).toEqual(expected);
    for (const size of [1, 2, 3, 5, 7]) expect(read(text, size)).toEqual(expected);
  });

  it('counts a CRLF inside quotes as one line break (csv-parse counts two)', () => {
    expect(read('a,b\r\n"multi\r\nline\r\ntext" , q\r\n5,6\r\n')).toEqual([
      { cells: ['a', 'b'], line: 1 },
      { cells: ['multi\r\nline\r\ntext', 'q'], line: 4 },
      { cells: ['5', '6'], line: 5 },
    ]);
  });

  it.each([
    ['a,b\n1,"open\n2,3\n', 'CSV_QUOTE_NOT_CLOSED'],
    ['a,b\n1,"closed"x\n', 'CSV_INVALID_CLOSING_QUOTE'],
    ['a,b\n1,ab"c\n', 'CSV_INVALID_OPENING_QUOTE'],
  ])('rejects %j with %s and the line', (text, code) => {
    let error: unknown;
    try {
      read(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CsvSyntaxError);
    expect((error as CsvSyntaxError).code).toBe(code);
    expect((error as CsvSyntaxError).line).toBeGreaterThanOrEqual(2);
    // In words for whoever saved the file (callers add the line), the same as for csv-parse's code.
    expect((error as Error).message).toBe(describeCsvSyntax(code));
    expect((error as Error).message).toMatch(/quote/);
  });

  it('limits the record size', () => {
    const reader = new CsvReader(() => undefined, { maxRecordSize: 10 });
    expect(() => {
      reader.push('a,b\nxxxxxxxxxxxxxxxxxxxx');
      reader.end();
    }).toThrow(CsvSyntaxError);
  });
});
