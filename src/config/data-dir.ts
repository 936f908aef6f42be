/**
 * Settings the CLI needs without reading the whole environment. This module loads nothing but
 * node:path, so a command that only needs the data folder starts without the validation code.
 */
import { resolve } from 'node:path';

/**
 * The absolute data folder (DATA_DIR, default `./data` under the working folder) without validating
 * the rest of the environment: the CLI's model cache lives there, next to the server's.
 */
export function resolveDataDir(env: Record<string, string | undefined> = process.env): string {
  return resolve(env.DATA_DIR || './data');
}

/**
 * Classifier worker threads for `cores` cores: one per core beyond the first (which the HTTP thread
 * keeps), at least 1 and at most 2. On 2 cores one worker and two measured the same.
 */
export function defaultClassifierWorkers(cores: number): number {
  return Math.max(1, Math.min(2, cores - 1));
}
