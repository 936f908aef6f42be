/** readFileLines: a file's lines read a block at a time, as `eval` and `notes eval` read their JSONL. */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readFileLines } from './file-lines.js';

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
    for (const block of [1, 2, 3, 5, 7, 64, 1 << 20]) expect([...readFileLines(path, block)], `block of ${block}`).toEqual(whole);
  });

  it('gives one empty line for an empty file, and a last empty line after a final line feed', () => {
    expect([...readFileLines(file('empty', ''))]).toEqual(['']);
    expect([...readFileLines(file('two', 'a\nb\n'), 1)]).toEqual(['a', 'b', '']);
  });

  it('replaces bytes UTF-8 does not allow as reading the whole file does, line by line', () => {
    const path = file('latin1', Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a, 0xc3, 0x0a, 0xe2, 0x82]));
    expect([...readFileLines(path, 2)]).toEqual(readFileSync(path, 'utf8').split('\n'));
  });

  it.skipIf(!existsSync('/proc/self/fd'))('holds the file open while read, and closes it when the reader stops early', () => {
    const path = file('many', Array.from({ length: 1000 }, (_, i) => `line ${i}`).join('\n'));
    const open = () => readdirSync('/proc/self/fd').length;
    const before = open();
    const lines = readFileLines(path, 16);
    expect(lines.next().value).toBe('line 0');
    expect(open()).toBe(before + 1);
    expect(lines.return(undefined).done).toBe(true);
    expect(open()).toBe(before);
  });
});
