/**
 * `--output FILE` for `classify`, `notes grade` and `export` (`-`: standard output): checked before anything is read, and written to a
 * temporary file next to it that replaces FILE only once every row is written. A run that fails or is
 * interrupted leaves an existing FILE as it was (and creates none).
 */
import { once } from 'node:events';
import { accessSync, chmodSync, constants, createWriteStream, existsSync, realpathSync, renameSync, rmSync, statSync, type WriteStream } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { AppError } from '../lib/index.js';
import { removeOnExit } from './remove-on-exit.js';

/** The `--output` value that writes to standard output, as `--input -` reads standard input. */
export const STANDARD_OUTPUT = '-';

/** The path `path` names once symbolic links are followed; for a file not there yet, its folder's real path plus its name. */
function realPath(path: string): string {
  const absolute = resolve(path);
  if (existsSync(absolute)) return realpathSync(absolute);
  return join(realpathSync(dirname(absolute)), basename(absolute));
}

/**
 * Throws BAD_ARGUMENTS (exit 2) unless `output` can be written as a file in a folder that exists and
 * is not the file `input`, when there is one (the rows would be gone before they were read).
 */
export function checkOutputFile(output: string, input?: string): void {
  if (output === STANDARD_OUTPUT) return;
  const absolute = resolve(output);
  const folder = dirname(absolute);
  if (!existsSync(folder)) throw new AppError('BAD_ARGUMENTS', `--output: the folder ${folder} does not exist; create it first, or write elsewhere.`);
  if (!statSync(folder).isDirectory()) throw new AppError('BAD_ARGUMENTS', `--output: ${folder} is not a folder.`);
  if (existsSync(absolute) && statSync(absolute).isDirectory()) throw new AppError('BAD_ARGUMENTS', `--output must be a file, and ${output} is a folder.`);
  const sameFile = `--output ${output} is the same file as --input ${input}; writing the results there would destroy the notes before they are read. Choose another --output file.`;
  if (input !== undefined && realPath(output) === realPath(input)) throw new AppError('BAD_ARGUMENTS', sameFile);
  if (input !== undefined && existsSync(absolute)) {
    // Hard links (and paths realpath cannot tell apart) are the same file when device and inode match.
    const [o, i] = [statSync(absolute), statSync(input)];
    if (o.dev === i.dev && o.ino === i.ino) throw new AppError('BAD_ARGUMENTS', sameFile);
  }
  if (isSpecialFile(absolute)) return;
  // The temporary file is made in the folder of the file the path leads to.
  const realFolder = dirname(realPath(output));
  try {
    accessSync(realFolder, constants.W_OK);
  } catch {
    throw new AppError('BAD_ARGUMENTS', `--output: cannot write in the folder ${realFolder} (permission denied).`);
  }
}

/** Whether `path` is there and is not a regular file or folder: /dev/stdout, /dev/null, a named pipe. */
function isSpecialFile(path: string): boolean {
  if (!existsSync(path)) return false;
  const stat = statSync(path);
  return !stat.isFile() && !stat.isDirectory();
}

/** Where rows are written, and how the run ends: `commit` puts the results in place, `discard` drops them. */
export interface OutputTarget {
  stream: Writable;
  /** Waits for the rows to be on disk and, for a file, renames the temporary file over the target. */
  commit(): Promise<void>;
  /** Removes the temporary file (an existing target stays as it was). Never throws. */
  discard(): void;
  /**
   * Discards, and returns what to throw for `error`, which ended the run: the target's own write
   * failure (a full disk) named as `commit` names it, with the file; any other error as it is.
   */
  abandon(error: unknown): unknown;
}

/** stdout as an {@link OutputTarget}: nothing to commit or discard. */
function stdoutTarget(): OutputTarget {
  return { stream: process.stdout, commit: () => Promise.resolve(), discard: () => undefined, abandon: (error) => error };
}

/**
 * The target for `output` (checked with {@link checkOutputFile}), or stdout when it is undefined or `-`.
 * The temporary file `.NAME.PID.tmp` sits in the target's folder, so the final rename stays on one
 * file system; it is removed when the run fails, or on Ctrl+C. A symbolic link is written through
 * (the file it leads to is replaced, not the link); a device or pipe such as /dev/stdout is written
 * directly, as it cannot be replaced.
 */
export function openOutput(output: string | undefined): OutputTarget {
  if (output === undefined || output === STANDARD_OUTPUT) return stdoutTarget();
  if (isSpecialFile(resolve(output))) return directTarget(output);
  const target = realPath(output);
  const temporary = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
  const stream: WriteStream = createWriteStream(temporary, { encoding: 'utf8', flags: 'w' });
  let failure: Error | undefined;
  // Without a listener a write error (a full disk) would end the process with an unhandled 'error' event.
  stream.on('error', (error) => (failure ??= error));
  const remove = () => rmSync(temporary, { force: true });
  const settle = removeOnExit(remove);
  const failed = (error: Error) =>
    new AppError('INTERNAL', `Could not write ${output}: ${error.message}. ${existsSync(target) ? 'It was left as it was.' : 'It was not created.'}`);
  return {
    stream,
    async commit() {
      try {
        if (!failure) {
          stream.end();
          await once(stream, 'close').catch(() => undefined);
        }
        if (failure) throw failed(failure);
        // A file written over keeps its permissions rather than taking a new file's default.
        if (existsSync(target)) chmodSync(temporary, statSync(target).mode & 0o7777);
        renameSync(temporary, target);
      } catch (error) {
        remove();
        throw error instanceof AppError ? error : failed(error as Error);
      } finally {
        settle();
      }
    },
    discard() {
      stream.destroy();
      remove();
      settle();
    },
    abandon(error) {
      this.discard();
      return failure !== undefined && error === failure ? failed(failure) : error;
    },
  };
}

/** A device or pipe written as it is: there is no file to keep or replace. */
function directTarget(output: string): OutputTarget {
  const stream = createWriteStream(resolve(output), { encoding: 'utf8', flags: 'w' });
  let failure: Error | undefined;
  stream.on('error', (error) => (failure ??= error));
  const failed = (error: Error) => new AppError('INTERNAL', `Could not write ${output}: ${error.message}.`);
  return {
    stream,
    async commit() {
      if (!failure) {
        stream.end();
        await once(stream, 'close').catch(() => undefined);
      }
      if (failure) throw failed(failure);
    },
    discard: () => void stream.destroy(),
    abandon(error) {
      stream.destroy();
      return failure !== undefined && error === failure ? failed(failure) : error;
    },
  };
}

/** Writes one line to `out`, waiting when its buffer is full; rejects when the stream fails. */
export async function writeLine(out: Writable, line: string): Promise<void> {
  // A stream that already failed never drains: waiting for it would hang the run.
  if (out.errored) throw out.errored;
  if (!out.write(`${line}\n`)) await once(out, 'drain');
}
