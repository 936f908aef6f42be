/**
 * A file's lines read a block at a time, for the commands that read a JSONL file of their own (`eval`,
 * `notes eval`): no file is held whole, and the text is checked as UTF-8 as it is read. Also the checks
 * of a file's text that input-rows.ts runs on an --input file and on standard input, so that both name
 * a file that is not UTF-8 text alike. Loads nothing beyond node:fs and the AppError of src/lib.
 */
import { closeSync, openSync, readSync, type Stats } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { AppError, packedFileKind, type ErrorCode } from '../lib/index.js';

/** Whether a path's `stats` are of something read a line at a time as a file is: a file, or a pipe or device (`eval <(...)`, /dev/stdin), read once. */
export function readsAsFile(stats: Stats): boolean {
  return stats.isFile() || stats.isFIFO() || stats.isCharacterDevice();
}

/** What the messages below end with unless the caller words it: how to fix the file. */
const SAVE_AS_UTF8 = 'Save it as UTF-8 text';

/**
 * Throws `code` when the first bytes of a file (`head`, at least its first 8 when it has that many)
 * show it is not UTF-8 text: UTF-16 (by its byte order mark), or a packed format (gzip, ZIP, an Excel
 * workbook). `name`: how messages name the file; `saveAs`: how to fix it.
 */
export function checkTextStart(head: Uint8Array, code: ErrorCode, name: string, saveAs = SAVE_AS_UTF8): void {
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) throw new AppError(code, `${name} is UTF-16 text. ${saveAs} and run again.`);
  const packed = packedFileKind(head);
  if (packed) throw new AppError(code, `${name} is ${packed}, not a text file. ${saveAs} (or unpack it) and run again.`, { fileKind: packed });
}

/**
 * Throws `code` when `bytes`, line `line` of a file (its line feed left out), are not UTF-8 text: a NUL
 * byte (binary data), or bytes UTF-8 does not allow (a file saved as Windows-1252 or Latin-1). A line
 * is checked whole: `\n` never occurs inside a UTF-8 character.
 */
export function checkTextLine(bytes: Uint8Array, line: number, code: ErrorCode, name: string, saveAs = SAVE_AS_UTF8): void {
  if (bytes.includes(0)) throw new AppError(code, `${name} holds binary data (a NUL byte on line ${line}), not text. ${saveAs} and run again.`, { line });
  if (!isUtf8(bytes)) throw new AppError(code, `${name} is not UTF-8 text: line ${line} has bytes UTF-8 does not allow (the file may be saved as Windows-1252 or Latin-1). ${saveAs} and run again.`, { line });
}

/** The bytes checkTextStart needs: the longest signature it knows (an Excel .xls workbook's). */
const HEAD_BYTES = 8;

export interface ReadLinesOptions {
  /** How messages name the file (default its path). */
  name?: string;
  /** The bytes read at a time (default 1 MiB). */
  blockSize?: number;
}

/** The blocks of the open file `fd`: `first` (the bytes read already), then `blockSize` bytes at a time. The block is reused. */
function* blocks(fd: number, first: Buffer, blockSize: number): Generator<Buffer, void, undefined> {
  if (first.length > 0) yield first;
  const block = Buffer.alloc(blockSize);
  for (;;) {
    // From where the last read ended (null), so that a pipe (`eval <(...)`) reads as a file does.
    const read = readSync(fd, block, 0, block.length, null);
    if (read === 0) return;
    yield block.subarray(0, read);
  }
}

/**
 * The lines of the file at `path`, split at each line feed as `text.split('\n')` splits the whole text
 * (a CR before it stays on the line; a final line feed is followed by an empty line), read a block at a
 * time: a labelled set of any size is read line by line, never held whole (a file past the longest
 * string there can be, about 512 MB, cannot be read as one). The file is checked as UTF-8 text as it is
 * read, as standard input is (input-rows.ts): a UTF-16 or packed file is refused before its first line,
 * and a line with a NUL byte or bytes UTF-8 does not allow when it is reached, naming it (INVALID_JSON,
 * details.line); a pipe can be read only once, so there is no reading ahead. The file is closed when the
 * last line is read, when the reader stops early, or on such an error.
 */
export function* readFileLines(path: string, options: ReadLinesOptions = {}): Generator<string, void, undefined> {
  const name = options.name ?? path;
  const fd = openSync(path, 'r');
  try {
    // The first bytes, for the checks of a file's start; a pipe may give them a few at a time.
    const head = Buffer.alloc(HEAD_BYTES);
    let headLength = 0;
    while (headLength < HEAD_BYTES) {
      const read = readSync(fd, head, headLength, HEAD_BYTES - headLength, null);
      if (read === 0) break;
      headLength += read;
    }
    checkTextStart(head.subarray(0, headLength), 'INVALID_JSON', name);
    // The start of the line being read, in blocks read before this one (copies: the block is reused).
    let pending: Buffer[] = [];
    let number = 1;
    const finish = (bytes: Buffer) => {
      checkTextLine(bytes, number, 'INVALID_JSON', name);
      number += 1;
      return bytes.toString('utf8');
    };
    for (const data of blocks(fd, head.subarray(0, headLength), options.blockSize ?? 1 << 20)) {
      let start = 0;
      for (let end = data.indexOf(10); end >= 0; end = data.indexOf(10, start)) {
        const tail = data.subarray(start, end);
        yield finish(pending.length > 0 ? Buffer.concat([...pending, tail]) : tail);
        pending = [];
        start = end + 1;
      }
      if (start < data.length) pending.push(Buffer.from(data.subarray(start)));
    }
    yield finish(Buffer.concat(pending));
  } finally {
    closeSync(fd);
  }
}

/** A line of a JSONL file that holds something: its number (from 1) and its value, or `invalid` when it is not JSON. */
export type JsonLine = { line: number; value: unknown; invalid?: undefined } | { line: number; invalid: true };

/**
 * The JSON values of the JSONL file at `path`, one line at a time as {@link readFileLines} reads them:
 * a byte order mark before the first line is dropped (Notepad and Windows PowerShell start a UTF-8 file
 * with one, and it is not JSON), blank lines are passed over, and a line that is not JSON comes as
 * `invalid` for the caller to skip or refuse.
 */
export function* readJsonLines(path: string, options: ReadLinesOptions = {}): Generator<JsonLine, void, undefined> {
  let number = 0;
  for (const read of readFileLines(path, options)) {
    number += 1;
    const text = number === 1 ? read.replace(/^\uFEFF/, '') : read;
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      yield { line: number, invalid: true };
      continue;
    }
    yield { line: number, value };
  }
}
