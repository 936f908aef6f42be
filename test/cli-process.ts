/**
 * Runs `node bin/unblock.js ...` without blocking the test worker, so that a test can run CLI processes
 * side by side. At most one process per core runs at once (the rest wait their turn), so that a busy
 * machine is not swamped. Vitest already runs one test file per core (vitest.config.ts), so most files
 * run their tests one at a time: side-by-side tests of one file (describe.concurrent) only waited on
 * each other's processes, and each test's timeout then covered them all (report-cli.test.ts took 57 s
 * side by side and 31 s one test at a time, and timed out on a busy machine).
 */
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';

export const UNBLOCK_BIN = join(import.meta.dirname, '..', 'bin', 'unblock.js');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd: string;
  env: Record<string, string | undefined>;
  /** Written to the process's standard input (which is then closed); none: standard input is closed at once. */
  input?: string;
  /** Milliseconds before the process is killed (its status is then null), as spawnSync's `timeout`. */
  timeout?: number;
}

const slots = Math.max(1, availableParallelism());
let running = 0;
const waiting: (() => void)[] = [];

async function slot(): Promise<() => void> {
  if (running >= slots) await new Promise<void>((resolve) => waiting.push(resolve));
  running += 1;
  return () => {
    running -= 1;
    waiting.shift()?.();
  };
}

/** Runs the CLI with `args` (as `spawnSync(process.execPath, [bin, ...args])` would) and resolves when it has exited. */
export async function runUnblock(args: readonly string[], options: CliOptions): Promise<CliResult> {
  const release = await slot();
  try {
    return await new Promise<CliResult>((resolve, reject) => {
      const child = spawn(process.execPath, [UNBLOCK_BIN, ...args], { cwd: options.cwd, env: options.env, stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      const timer = options.timeout === undefined ? undefined : setTimeout(() => child.kill('SIGTERM'), options.timeout);
      child.on('error', reject);
      child.on('close', (status) => {
        if (timer) clearTimeout(timer);
        resolve({ status, stdout, stderr });
      });
      // A reader that stops early must not fail the run (the CLI may exit before reading its input).
      child.stdin.on('error', () => undefined);
      child.stdin.end(options.input ?? '');
    });
  } finally {
    release();
  }
}

/**
 * Starts `unblock serve ARGS` (on a free port, no classifier workers) and stops it once it says it is
 * running; resolves with what it wrote on each stream. Rejects when it exits first or after `timeout` ms.
 */
export function serveOutputs(args: string[], options: CliOptions): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [UNBLOCK_BIN, 'serve', '--port', '0', '--classifier-workers', '0', ...args], { cwd: options.cwd, env: options.env });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`serve did not start in time.\nstdout: ${out}\nstderr: ${err}`));
    }, options.timeout ?? 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('Press Ctrl+C')) {
        clearTimeout(timer);
        child.once('exit', () => resolve({ stdout: out, stderr: err }));
        child.kill('SIGTERM');
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('exit', (code) => {
      if (!out.includes('Press Ctrl+C')) {
        clearTimeout(timer);
        reject(new Error(`serve exited with ${code}.\nstdout: ${out}\nstderr: ${err}`));
      }
    });
  });
}
