/** readFileLines: a file's lines read a block at a time, as `eval` and `notes eval` read their JSONL. */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readFileLines, readsAsFile } from './file-lines.js';

/** The AppError `run` throws, as { code, message, details }; null when it throws none. */
function errorOf(run: () => unknown): { code: string; message: string; details: unknown } | null {
  try {
    run();
  } catch (error) {
    const e = error as { code: string; message: string; details?: unknown };
    return { code: e.code, message: e.message, details: e.details };
  }
  return null;
}

const work = mkdtempSync(join(tmpdir(), 'unblock-file-lines-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function file(name: string, content: string | Buffer): string {
  const path = join(work, name);
  writeFileSync(path, content);
  return path;
}

describe('readFileLines', () => {
  it('gives the lines split at each line feed, as the whole text split would, whatever the block size', () => {
    // Lines longer than a block, characters of 2 to 4 bytes cut by a block's end, CR kept, blank lines, no final line feed.
    const path = file('mixed.jsonl', '{"text":"é€😀 café"}\r\n\n\n' + 'x'.repeat(50) + '\nlast line ñ');
    const whole = readFileSync(path, 'utf8').split('\n');
    for (const block of [1, 2, 3, 5, 7, 64, 1 << 20]) expect([...readFileLines(path, { blockSize: block })], `block of ${block}`).toEqual(whole);
  });

  it('gives one empty line for an empty file, and a last empty line after a final line feed', () => {
    expect([...readFileLines(file('empty', ''))]).toEqual(['']);
    expect([...readFileLines(file('two', 'a\nb\n'), { blockSize: 1 })]).toEqual(['a', 'b', '']);
  });

  it('refuses bytes UTF-8 does not allow as it reaches them, naming their line, whatever the block size', () => {
    // Line 3 holds a Latin-1 é; the lines before it are given first.
    const path = file('latin1', Buffer.concat([Buffer.from('{"a":1}\nça va €\n'), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]), Buffer.from('ok\n')]));
    for (const blockSize of [1, 2, 3, 1 << 20]) {
      const lines = readFileLines(path, { blockSize, name: 'the file' });
      expect([lines.next().value, lines.next().value], `block of ${blockSize}`).toEqual(['{"a":1}', 'ça va €']);
      expect(errorOf(() => lines.next())).toEqual({
        code: 'INVALID_JSON',
        message: 'the file is not UTF-8 text: line 3 has bytes UTF-8 does not allow (the file may be saved as Windows-1252 or Latin-1). Save it as UTF-8 text and run again.',
        details: { line: 3 },
      });
    }
    // A character cut short at the end of the file.
    expect(errorOf(() => [...readFileLines(file('cut', Buffer.from([0x61, 0x0a, 0xe2, 0x82])), { blockSize: 1 })])).toMatchObject({ details: { line: 2 } });
  });

  it('refuses a UTF-16 file, a packed one and binary data before giving a line, as standard input is refused', () => {
    const u16 = file('u16', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"text":"a"}\n', 'utf16le')]));
    const zip = file('zip', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x0a, 0x00]));
    const nul = file('nul', Buffer.from('{"text":"a"}\n{"text":"\u0000"}\n'));
    for (const blockSize of [1, 1 << 20]) {
      expect(errorOf(() => readFileLines(u16, { blockSize }).next())).toEqual({ code: 'INVALID_JSON', message: `${u16} is UTF-16 text. Save it as UTF-8 text and run again.`, details: undefined });
      expect(errorOf(() => readFileLines(zip, { blockSize }).next())).toMatchObject({ code: 'INVALID_JSON', message: `${zip} is a ZIP archive (an Excel .xlsx workbook is one), not a text file. Save it as UTF-8 text (or unpack it) and run again.` });
      expect(errorOf(() => [...readFileLines(nul, { blockSize })])).toEqual({ code: 'INVALID_JSON', message: `${nul} holds binary data (a NUL byte on line 2), not text. Save it as UTF-8 text and run again.`, details: { line: 2 } });
    }
  });

  it('accepts a pipe or device as a file, and a folder as neither', () => {
    expect(readsAsFile(statSync(file('plain', 'x')))).toBe(true);
    expect(readsAsFile(statSync(work))).toBe(false);
    if (existsSync('/dev/null')) expect(readsAsFile(statSync('/dev/null'))).toBe(true);
  });

  it.skipIf(!existsSync('/proc/self/fd'))('holds the file open while read, and closes it when the reader stops early', () => {
    const path = file('many', Array.from({ length: 1000 }, (_, i) => `line ${i}`).join('\n'));
    const open = () => readdirSync('/proc/self/fd').length;
    const before = open();
    const lines = readFileLines(path, { blockSize: 16 });
    expect(lines.next().value).toBe('line 0');
    expect(open()).toBe(before + 1);
    expect(lines.return(undefined).done).toBe(true);
    expect(open()).toBe(before);
  });
});
