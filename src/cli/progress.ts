/**
 * The progress bar of `classify --input`, shown only on a terminal. It tells how much of the file has
 * been read, by bytes, and how many rows so far: the total is the file's size, known without reading
 * it, so a file of any size (past the longest string there can be, about 512 MB) starts at once, and
 * no row is read twice to be counted.
 */
import { statSync } from 'node:fs';

/** The bytes there are to read in the file at `path`: its size, taken without reading it. */
export function progressTotal(path: string): number {
  return statSync(path).size;
}

/** A size in bytes as people read it: `812 B`, `4.2 KB`, `1.6 GB` (units of 1000). */
export function formatSize(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

export interface InputProgress {
  /** One row read, which ends `bytes` into the file (undefined: not known, the bar stays where it is). */
  row(bytes: number | undefined): void;
  /** Ends the bar: at 100% when every row was read (`complete`), else where it stands. */
  stop(complete: boolean): void;
}

/**
 * A progress bar on `stream` for reading the file at `path` (`verb` heads it: "classify"), or
 * undefined when `stream` is not a terminal: no one watches it there, and its library is not loaded.
 */
export async function startInputProgress(path: string, verb: string, stream: NodeJS.WriteStream = process.stderr): Promise<InputProgress | undefined> {
  if (!stream.isTTY) return undefined;
  const cliProgress = (await import('cli-progress')).default;
  const total = progressTotal(path);
  const bar = new cliProgress.SingleBar({ stream, format: `${verb} [{bar}] {percentage}% of ${formatSize(total)} | {rows} row(s)` }, cliProgress.Presets.shades_classic);
  let rows = 0;
  let read = 0;
  bar.start(total, 0, { rows });
  return {
    row(bytes) {
      rows += 1;
      if (bytes !== undefined) read = Math.min(total, Math.max(read, bytes));
      bar.update(read, { rows });
    },
    stop(complete) {
      if (complete) bar.update(total, { rows });
      bar.stop();
    },
  };
}
