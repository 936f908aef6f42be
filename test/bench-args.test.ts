/**
 * The benchmark scripts read their flags strictly: a typo or `--help` must not start minutes of data
 * generation (bench-api with an unknown flag used to run the whole 1M-row benchmark with defaults).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { readOptions } from '../scripts/bench-api.js';
import { readBenchArgs } from '../scripts/bench.js';

const run = promisify(execFile);

describe('bench-api options', () => {
  it('reads the flags it documents', () => {
    expect(readOptions(['--engines', 'sqlite', '--entitlements', '1600', '--history', '0', '--keep', 's1m', '--skip', 'classify,list', '--classifier-workers', '2'])).toEqual({
      engines: ['sqlite'], entitlements: 1600, history: 0, duration: 8, importRows: 50_000, keep: 's1m', skip: ['classify', 'list'], workers: 2,
    });
  });

  it('answers --help with the usage, and an unknown flag, a missing value or a bad value with the usage and exit code 2', () => {
    const help = readOptions(['--help']);
    expect(help).toMatchObject({ exit: 0 });
    expect((help as { message: string }).message).toMatch(/^usage: node dist\/scripts\/bench-api\.js/);
    for (const [argv, said] of [
      [['--quick'], /Unknown option '--quick'/],
      [['--keep'], /--keep <value>' argument missing/],
      [['--entitlements', '1e6'], /--entitlements must be a whole number of at least 1, got "1e6"/],
      [['--engines', 'mysql'], /--engines takes sqlite and\/or postgres, got "mysql"/],
      [['--skip', 'reports,imports'], /--skip takes .*; unknown: imports/],
      [['extra'], /positional argument/],
    ] as const) {
      const answer = readOptions([...argv]);
      expect(answer, argv.join(' ')).toMatchObject({ exit: 2 });
      expect((answer as { message: string }).message, argv.join(' ')).toMatch(said);
      expect((answer as { message: string }).message).toMatch(/\nusage: /);
    }
  });
});

describe('bench options', () => {
  it('reads --quick, answers --help, refuses anything else', () => {
    expect(readBenchArgs([])).toEqual({ quick: false, withNotes: false });
    // npm run bench -- --quick: npm appends --quick after the script's own --with-notes.
    expect(readBenchArgs(['--with-notes', '--quick'])).toEqual({ quick: true, withNotes: true });
    expect(readBenchArgs(['-h'])).toMatchObject({ exit: 0 });
    expect(readBenchArgs(['--quik'])).toMatchObject({ exit: 2, message: expect.stringMatching(/Unknown option '--quik'/) });
  });

  it.skipIf(!existsSync('dist/scripts/bench-api.js'))('stops the built bench-api at once on an unknown flag, exit code 2, nothing measured', async () => {
    const failed = await run(process.execPath, ['dist/scripts/bench-api.js', '--entitlments', '10']).then(() => undefined, (error: { code: number; stdout: string; stderr: string }) => error);
    expect(failed?.code).toBe(2);
    expect(failed?.stdout).toBe('');
    expect(failed?.stderr).toMatch(/^bench-api: Unknown option '--entitlments'/);
  });
});
