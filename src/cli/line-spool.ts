/**
 * A pipe or device named as a JSONL file (`eval <(...)`, `notes eval /dev/stdin`) can be read only once,
 * yet `eval` and `notes eval` read their files twice: a first pass checks every line before a model is
 * loaded (or trained), keeping nothing, and a second scores the notes. Such a path is copied here, a
 * block at a time, into a temporary file of its own that both passes read; a file is read where it is.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeOnExit } from './remove-on-exit.js';

/** `path` itself when it is a file; else a temporary copy of what it gives (removed when the process ends). */
export function readableTwice(path: string): string {
  if (statSync(path).isFile()) return path;
  const folder = mkdtempSync(join(tmpdir(), 'unblock-input-'));
  removeOnExit(() => rmSync(folder, { recursive: true, force: true }));
  const copy = join(folder, 'input');
  const from = openSync(path, 'r');
  try {
    const to = openSync(copy, 'w', 0o600);
    try {
      const block = Buffer.alloc(1 << 20);
      // From where the last read ended (null), as a pipe is read.
      for (let read = readSync(from, block, 0, block.length, null); read > 0; read = readSync(from, block, 0, block.length, null)) writeSync(to, block, 0, read);
    } finally {
      closeSync(to);
    }
  } finally {
    closeSync(from);
  }
  return copy;
}
