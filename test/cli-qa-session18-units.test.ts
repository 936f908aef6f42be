/**
 * CLI QA pass (session 18), in-process: every option and argument description of every command ends
 * without a full stop (they are phrases, and the help may add "(default X)" after them) and every
 * command description ends with one (they are sentences); the progress of `classify --input` is told
 * by the bytes of the file read, so it never reads the file into one string (which fails past about
 * 512 MB), and the row readers say how far into the file each row ends.
 */
import { mkdtempSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { constants } from 'node:buffer';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandDef } from 'citty';
import { afterAll, describe, expect, it } from 'vitest';
import { readCsvRows, readJsonlRows, type InputRow } from '../src/cli/input-rows.js';
import { progressTotal } from '../src/cli/progress.js';
import { checkFlags, flagNames } from '../src/cli/flags.js';

const work = mkdtempSync(join(tmpdir(), 'unblock-qa-s18-units-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const commandsDir = join(import.meta.dirname, '..', 'src', 'cli', 'commands');

type Resolvable<T> = T | (() => T | Promise<T>) | Promise<T>;
const resolve = async <T,>(value: Resolvable<T>): Promise<T> => (typeof value === 'function' ? await (value as () => T | Promise<T>)() : await value);

/** Every command and sub-command under `unblock`, with its whole name. */
async function everyCommand(): Promise<{ name: string; cmd: CommandDef }[]> {
  const found: { name: string; cmd: CommandDef }[] = [];
  const walk = async (name: string, def: Resolvable<CommandDef>) => {
    const cmd = await resolve(def);
    found.push({ name, cmd });
    const subs = (await resolve(cmd.subCommands as Resolvable<Record<string, Resolvable<CommandDef>> | undefined>)) ?? {};
    for (const [sub, subDef] of Object.entries(subs)) await walk(`${name} ${sub}`, subDef);
  };
  for (const file of readdirSync(commandsDir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
    const module = (await import(join(commandsDir, file))) as { default: CommandDef };
    await walk(`unblock ${file.replace(/\.ts$/, '')}`, module.default);
  }
  return found;
}

describe('--help: one rule for final full stops', () => {
  it('option and argument descriptions end without a full stop; command descriptions end with one', async () => {
    const commands = await everyCommand();
    expect(commands.length).toBeGreaterThan(15);
    const wrong: string[] = [];
    for (const { name, cmd } of commands) {
      const meta = (await resolve(cmd.meta as Resolvable<{ description?: string } | undefined>)) ?? {};
      if (!meta.description?.endsWith('.')) wrong.push(`${name}: ${meta.description ?? '(no description)'}`);
      const args = (await resolve(cmd.args as Resolvable<Record<string, { description?: string; negativeDescription?: string }> | undefined>)) ?? {};
      for (const [arg, def] of Object.entries(args)) {
        if (def.description === undefined || def.description.trim() === '') wrong.push(`${name} ${arg}: (no description)`);
        for (const text of [def.description, def.negativeDescription]) if (text !== undefined && /\.\s*$/.test(text)) wrong.push(`${name} ${arg}: ${text}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('classify --input progress: by bytes read', () => {
  it('takes the total from the size of the file without reading it, past the longest string there can be', () => {
    // A sparse file (no disk space used) longer than any string: reading it into one fails.
    const big = join(work, 'big.jsonl');
    writeFileSync(big, '');
    truncateSync(big, constants.MAX_STRING_LENGTH + 1024);
    const started = Date.now();
    expect(progressTotal(big)).toBe(constants.MAX_STRING_LENGTH + 1024);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  const ends = async (rows: AsyncGenerator<InputRow>) => {
    const out: (number | undefined)[] = [];
    for await (const row of rows) out.push(row.bytes);
    return out;
  };

  it('a JSONL row says where it ends in the file (multi-byte text, blank lines, a byte order mark)', async () => {
    const lines = ['\uFEFF{"text":"Proxy drops connections"}', '', '{"text":"Ça bloque côté réseau — encore"}', 'not json', '{"text":"last"}'];
    const path = join(work, 'rows.jsonl');
    writeFileSync(path, `${lines.join('\n')}\n`);
    const expected: number[] = [];
    let at = 0;
    for (const line of lines) {
      at += Buffer.byteLength(line) + 1;
      if (line !== '') expected.push(at);
    }
    expect(await ends(readJsonlRows(path))).toEqual(expected);
    expect(expected.at(-1)).toBe(progressTotal(path));
  });

  it('a CSV row says where it ends, a quoted cell spanning lines included', async () => {
    const header = 'id,text\n';
    const rows = ['1,"Proxy drops\nconnections, again"\n', '\n', '2,Ça bloque côté réseau\n', '3,"He said ""wait""\r\nthen left"\n'];
    const path = join(work, 'rows.csv');
    writeFileSync(path, header + rows.join(''));
    let at = Buffer.byteLength(header);
    const expected: number[] = [];
    for (const row of rows) {
      at += Buffer.byteLength(row);
      if (row !== '\n') expected.push(at);
    }
    expect(await ends(readCsvRows(path))).toEqual(expected);
    expect(expected.at(-1)).toBe(progressTotal(path));
  });
});

describe('checkFlags: a long option name with one dash', () => {
  it('refuses -database (citty would read d, a, t, ... and drop the value) and names the two-dash form', () => {
    const allowed = flagNames({ database: { type: 'string' }, name: { type: 'string' } });
    expect(() => checkFlags(['--name', 'Foo', '-database', '/tmp/x.sqlite'], allowed, 'admin create-partner')).toThrow(/"-database" has one dash; an option's full name takes two: --database/);
    expect(() => checkFlags(['-nope'], allowed, 'admin create-partner')).toThrow(/Unknown option "-nope"/);
    // One-letter options, negative numbers and the two-dash forms pass as before.
    expect(() => checkFlags(['-h', '--database=/tmp/x', '--name', '-5'], allowed, 'admin create-partner')).not.toThrow();
  });
});
