/**
 * `classify --input` and `notes grade --input` refuse a file that is not UTF-8 text, as the import does,
 * naming what it is and the line, instead of classifying mangled text (QA: a Windows-1252 CSV came out
 * as "Caf\uFFFD" and abstained as unreadable with exit 0; a UTF-16 CSV had "no text column" with NUL
 * bytes echoed). A quote left open is told in words, not the CSV parser's.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { checkInputText } from '../src/cli/input-rows.js';
import { isAppError } from '../src/lib/index.js';
import { runUnblock } from './cli-process.js';

const work = mkdtempSync(join(tmpdir(), 'unblock-input-text-'));
const env = { ...process.env, DATA_DIR: join(work, 'data'), LOG_LEVEL: 'silent', UNBLOCK_DEBUG: '', DATABASE_URL: '', PLAYBOOK_DIR: '', NO_COLOR: '1' };
afterAll(() => rmSync(work, { recursive: true, force: true }));

function file(name: string, bytes: Buffer | string): string {
  const path = join(work, name);
  writeFileSync(path, bytes);
  return path;
}

/** The AppError checkInputText throws for `path`, as { code, message, details }, or null when it passes. */
function refusal(path: string, format: 'csv' | 'jsonl'): { code: string; message: string; details: unknown } | null {
  try {
    checkInputText(path, format);
    return null;
  } catch (error) {
    if (!isAppError(error)) throw error;
    return { code: error.code, message: error.message, details: error.details };
  }
}

const CSV = 'id,text\n1,The proxy drops Teams media traffic\n2,Café proxy blocks Outlook\n';

describe('checkInputText', () => {
  it('passes UTF-8 text, with or without a byte order mark, and an empty file', () => {
    expect(refusal(file('ok.csv', CSV), 'csv')).toBeNull();
    expect(refusal(file('bom.csv', `\uFEFF${CSV}`), 'csv')).toBeNull();
    expect(refusal(file('empty.jsonl', ''), 'jsonl')).toBeNull();
    // A line longer than one read block, with a two-byte letter across the block boundary.
    const long = `${'a'.repeat((1 << 20) - 1)}é\n`;
    expect(refusal(file('long.jsonl', `{"text":"${long.trim()}"}\n`), 'jsonl')).toBeNull();
  });

  it('names Windows-1252 bytes with their line, UTF-16, NUL bytes and packed files', () => {
    const latin1 = refusal(file('latin1.csv', Buffer.from(CSV, 'latin1')), 'csv');
    expect(latin1).toMatchObject({ code: 'CSV_INVALID', details: { line: 3 } });
    expect(latin1!.message).toMatch(/not UTF-8 text: line 3 .*Windows-1252/);

    const utf16 = refusal(file('u16.jsonl', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"text":"x"}\n', 'utf16le')])), 'jsonl');
    expect(utf16).toMatchObject({ code: 'INVALID_JSON' });
    expect(utf16!.message).toContain('is UTF-16 text');

    const binary = refusal(file('junk.csv', Buffer.from('id,text\n1,ok\n2,a\u0000b\n', 'utf8')), 'csv');
    expect(binary).toMatchObject({ code: 'CSV_INVALID', details: { line: 3 } });
    expect(binary!.message).toContain('binary data');

    const gz = refusal(file('notes.csv.gz', gzipSync(CSV)), 'csv');
    expect(gz!.message).toContain('gzip-compressed');
  });
});

describe('the CLI with such a file', () => {
  it('refuses it before reading any row, for classify and notes grade alike', async () => {
    const path = file('cp1252.csv', Buffer.from(CSV, 'latin1'));
    for (const command of [['classify'], ['notes', 'grade', '--no-classifier']]) {
      const r = await runUnblock([...command, '--input', path], { cwd: work, env });
      expect(r.status, r.stderr).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/is not UTF-8 text: line 3 .*\[CSV_INVALID\]/);
    }
  }, 60_000);

  it('says in words where a quote is left open', async () => {
    const r = await runUnblock(['notes', 'grade', '--no-classifier', '--input', file('open-quote.csv', 'id,text\n1,"The proxy drops traffic\n2,fine\n')], { cwd: work, env });
    const rows = r.stdout.trim().split('\n').map((line) => JSON.parse(line) as { row: number; error?: { message: string } });
    const failed = rows.find((row) => row.error);
    expect(failed?.error?.message).toMatch(/never closed/);
    expect(failed?.error?.message).not.toMatch(/Quote Not Closed/);
  }, 60_000);
});
