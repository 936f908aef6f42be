/**
 * A file's lines read a block at a time, for the commands that read a JSONL file of their own (`eval`,
 * `notes eval`): no file is held whole. Loads nothing beyond node:fs.
 */
import { closeSync, openSync, readSync } from 'node:fs';

/**
 * The lines of the file at `path`, split at each line feed as `text.split('\n')` splits the whole text
 * (a CR before it stays on the line; a final line feed is followed by an empty line), read `blockSize`
 * bytes at a time: a labelled set of any size is read line by line, never held whole (a file past the
 * longest string there can be, about 512 MB, cannot be read as one). Each line is decoded as UTF-8 on its
 * own (`\n` never occurs inside a UTF-8 character), with bytes UTF-8 does not allow replaced as reading
 * the whole text would. The file is closed when the last line is read, or when the reader stops early.
 */
export function* readFileLines(path: string, blockSize = 1 << 20): Generator<string, void, undefined> {
  const fd = openSync(path, 'r');
  try {
    const block = Buffer.alloc(blockSize);
    // The start of the line being read, in blocks read before this one (copies: the block is reused).
    let pending: Buffer[] = [];
    for (;;) {
      // From where the last read ended (null), so that a pipe (`eval <(...)`) reads as a file does.
      const read = readSync(fd, block, 0, block.length, null);
      if (read === 0) break;
      const data = block.subarray(0, read);
      let start = 0;
      for (let end = data.indexOf(10); end >= 0; end = data.indexOf(10, start)) {
        const tail = data.subarray(start, end);
        yield (pending.length > 0 ? Buffer.concat([...pending, tail]) : tail).toString('utf8');
        pending = [];
        start = end + 1;
      }
      if (start < read) pending.push(Buffer.from(data.subarray(start)));
    }
    yield Buffer.concat(pending).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
