/**
 * After review of 919517b (admin rebuild-rollups, streaming eval and notes eval): a SQLite rebuild that
 * cannot get the write lock says so; its time counts the commit; the refusal of a missing database says
 * what the command does; eval and notes eval read every line before a model is loaded again (a bad line
 * at the end fails before any scoring, with the message and exit code it had), keeping no row; and eval
 * scores a row before it reads the next line.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { LabelledNote } from '../../src/classifier/index.js';
import { checkLabelledFiles, labelledRows, scoreLabelledRows, type LabelledRow } from '../../src/cli/commands/eval.js';
import { checkGradedSet } from '../../src/cli/commands/notes.js';
import { readableTwice } from '../../src/cli/line-spool.js';
import { rebuildRollups } from '../../src/cli/rebuild-rollups.js';
import { migrateToLatest, openDatabase, type Db } from '../../src/db/index.js';
import type { Skipped } from '../../src/cli/commands/eval.js';
import { runUnblock } from '../cli-process.js';
import { makeTaxonomy } from '../factories.js';

const work = mkdtempSync(join(tmpdir(), 'unblock-cli2-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const env = { ...process.env, DATA_DIR: join(work, 'data'), LOG_LEVEL: 'silent', UNBLOCK_DEBUG: '', DATABASE_URL: '', SQLITE_FILE: '', PLAYBOOK_DIR: '' };

const LEGAL = '{"text":"Waiting on the legal review of the data terms before the pilot starts.","l2":"Legal/Regulatory"}';
const LATIN1 = Buffer.from([0x7b, 0x22, 0x74, 0x65, 0x78, 0x74, 0x22, 0x3a, 0x22, 0xe9, 0x22, 0x7d, 0x0a]);

async function sqliteDb(): Promise<{ db: Db; file: string }> {
  const file = join(work, `rebuild-${Math.random().toString(16).slice(2)}.db`);
  const db = await openDatabase({ sqlitePath: file });
  await migrateToLatest(db.kysely, 'sqlite');
  return { db, file };
}

describe('rebuild-rollups on SQLite', () => {
  it('says the database is busy when a server holds the write lock past the busy timeout (CONFLICT)', async () => {
    const { db, file } = await sqliteDb();
    const server = new Sqlite(file);
    try {
      server.exec('begin immediate');
      await expect(rebuildRollups(db)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/^The database is busy \(a server is writing\): the roll-ups were not rebuilt\. Run again/) });
    } finally {
      server.exec('rollback');
      server.close();
      await db.close();
    }
  }, 30_000);

  it('counts the commit in its time', async () => {
    const { db } = await sqliteDb();
    try {
      // A commit that takes 300 ms: the transaction's work is given back 300 ms after the callback ends.
      const slowCommit = {
        ...db,
        kysely: {
          transaction: () => ({
            execute: <T>(work: (trx: unknown) => Promise<T>) => db.kysely.transaction().execute(async (trx) => {
              const r = await work(trx);
              await new Promise((resolve) => setTimeout(resolve, 300));
              return r;
            }),
          }),
        },
      } as unknown as Db;
      const r = await rebuildRollups(slowCommit);
      expect(r.ms).toBeGreaterThanOrEqual(290);
    } finally {
      await db.close();
    }
  });

  it('refuses a missing database in words of its own', async () => {
    const missing = join(work, 'nothing-here.db');
    const run = await runUnblock(['admin', 'rebuild-rollups', '--database', missing], { cwd: work, env });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`No database at ${missing}; \`unblock admin rebuild-rollups\` rebuilds the roll-ups of an existing one and creates none.`);
    expect(run.stderr).not.toContain('users');
  });
});

describe('eval reads every line before the model', () => {
  it('a line that is not UTF-8 at the end fails before the playbook is refused (exit 1, as before streaming)', async () => {
    const file = join(work, 'late-latin1.jsonl');
    writeFileSync(file, Buffer.concat([Buffer.from(`${LEGAL}\n`.repeat(50)), LATIN1]));
    const empty = join(work, 'no-pages');
    mkdirSync(empty, { recursive: true });
    const run = await runUnblock(['eval', file, '--playbook', empty], { cwd: work, env });
    expect(run.stderr).toBe(`unblock: ${file} is not UTF-8 text: line 51 has bytes UTF-8 does not allow (the file may be saved as Windows-1252 or Latin-1). Save it as UTF-8 text and run again. [INVALID_JSON]\n`);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
  });

  it('checkLabelledFiles goes through every file in order and names the file by its name', () => {
    const good = join(work, 'good.jsonl');
    const bad = join(work, 'bad.jsonl');
    writeFileSync(good, `${LEGAL}\nnot json\n`);
    writeFileSync(bad, Buffer.concat([Buffer.from(`${LEGAL}\n`), LATIN1]));
    expect(() => checkLabelledFiles([{ path: good, name: good }])).not.toThrow();
    expect(() => checkLabelledFiles([{ path: good, name: good }, { path: bad, name: 'named.jsonl' }])).toThrow(/^named\.jsonl is not UTF-8 text: line 2 /);
  });

  it('scores a row before it reads the line after it (the command\'s row source and loop)', () => {
    const file = join(work, 'late.jsonl');
    writeFileSync(file, Buffer.concat([Buffer.from(`${LEGAL}\n{oops\n`), LATIN1]));
    const added: LabelledNote[] = [];
    // The file unchecked: the Latin-1 line throws when it is read, after the note before it was scored.
    expect(() => scoreLabelledRows(labelledRows([file]), makeTaxonomy(), (n) => added.push(n))).toThrow(/line 3 has bytes UTF-8 does not allow/);
    expect(added).toEqual([{ text: 'Waiting on the legal review of the data terms before the pilot starts.', code: 'blocked/legal-regulatory' }]);
    // And in order: each row asked for only after the one before it was scored.
    const events: string[] = [];
    function* rows(): Generator<LabelledRow | Skipped> {
      for (let line = 1; line <= 3; line++) {
        events.push(`read ${line}`);
        yield line === 2 ? { file: 'x', line, reason: 'invalid JSON' } : { file: 'x', line, text: `note ${line}`, l2: 'Legal/Regulatory' };
      }
    }
    const skipped = scoreLabelledRows(rows(), makeTaxonomy(), (n) => events.push(`score ${n.text}`));
    expect(events).toEqual(['read 1', 'score note 1', 'read 2', 'read 3', 'score note 3']);
    expect(skipped).toEqual([{ file: 'x', line: 2, reason: 'invalid JSON' }]);
  });
});

describe('notes eval checks a whole set before the classifier', () => {
  const graded = JSON.stringify({ text: 'Blocked: legal review of the data terms; their counsel answers by Friday.', l1: 'Blocked', l2: 'Legal/Regulatory', grade: 'great', findings: [] });

  it('refuses a bad line at the end, as when it read the set whole', () => {
    const file = join(work, 'graded-late.jsonl');
    writeFileSync(file, `${graded}\n`.repeat(20) + '{oops\n');
    expect(() => checkGradedSet(file, true, 'set.jsonl')).toThrow('set.jsonl:21: not valid JSON.');
    writeFileSync(file, `${graded}\n`.repeat(20) + '{"text":"x"}\n');
    expect(() => checkGradedSet(file, true, 'set.jsonl')).toThrow('set.jsonl:21: a graded note needs "text", "grade" (great|marginal|poor) and "findings" (array).');
    writeFileSync(file, Buffer.concat([Buffer.from(`${graded}\n`.repeat(20)), LATIN1]));
    expect(() => checkGradedSet(file, true, 'set.jsonl')).toThrow(/^set\.jsonl is not UTF-8 text: line 21 /);
    writeFileSync(file, '\n\n');
    expect(() => checkGradedSet(file, true, 'set.jsonl')).toThrow('No graded notes in set.jsonl');
    writeFileSync(file, `${graded}\n`);
    expect(checkGradedSet(file, true, 'set.jsonl')).toBe(file);
  });
});

describe('readableTwice', () => {
  it('copies a pipe into a file that can be read again; a file is read where it is', async () => {
    const fifo = join(work, 'fifo');
    await new Promise<void>((resolve, reject) => spawn('mkfifo', [fifo]).on('exit', (c) => (c === 0 ? resolve() : reject(new Error(`mkfifo ${c}`)))));
    const writer = spawn('sh', ['-c', `printf '%s\\n' one two > '${fifo}'`]);
    const copy = readableTwice(fifo);
    expect(copy).not.toBe(fifo);
    expect(readFileSync(copy, 'utf8')).toBe('one\ntwo\n');
    expect(readFileSync(copy, 'utf8')).toBe('one\ntwo\n');
    await new Promise((resolve) => writer.on('exit', resolve));
    const file = join(work, 'plain.jsonl');
    writeFileSync(file, 'x\n');
    expect(readableTwice(file)).toBe(file);
  });
});
