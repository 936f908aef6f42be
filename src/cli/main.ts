/**
 * CLI entry point (`npx unblock ...`). Commands live in `commands/<name>.ts`,
 * are loaded lazily, and throw {@link AppError}s; only this module prints
 * errors and sets the exit code (0 ok, 1 failure, 2 unusable arguments, {@link exitCodeOf}).
 */
import { readFileSync } from 'node:fs';
import { defineCommand, renderUsage, runCommand, type CommandDef } from 'citty';
import { AppError, isAppError, type ErrorCode } from '../lib/index.js';
import { writeTo } from './colour.js';

const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };

const load = (name: string) => async (): Promise<CommandDef> =>
  ((await import(`./commands/${name}.js`)) as { default: CommandDef }).default;

export const mainCommand = defineCommand({
  meta: { name: 'unblock', version: pkg.version, description: 'Playbook-driven status reasons for cloud rollouts: parse playbooks, classify and grade notes, track and report.' },
  subCommands: {
    playbook: load('playbook'),
    classify: load('classify'),
    eval: load('eval'),
    notes: load('notes'),
    serve: load('serve'),
    report: load('report'),
    import: load('import'),
    export: load('export'),
    admin: load('admin'),
  },
});

/** Finds the deepest sub-command named by `argv`, with the words that name it (`['admin', 'list']`). */
async function resolveCommand(argv: string[]): Promise<{ cmd: CommandDef; path: string[] }> {
  let cmd: CommandDef = mainCommand as CommandDef;
  const path: string[] = [];
  for (const word of argv) {
    if (word.startsWith('-')) break;
    const subs = typeof cmd.subCommands === 'function' ? await cmd.subCommands() : await cmd.subCommands;
    const next = subs?.[word];
    if (!next) break;
    path.push(word);
    cmd = typeof next === 'function' ? await next() : await next;
  }
  return { cmd, path };
}

/** The usage text of the command `argv` names, titled with its whole name (`unblock admin list`, not `admin list`). */
async function usage(argv: string[]): Promise<string> {
  const { cmd, path } = await resolveCommand(argv);
  // citty names a command after one parent only; a stand-in parent carries the whole prefix.
  const parent = path.length > 0 ? ({ meta: { name: ['unblock', ...path.slice(0, -1)].join(' '), version: pkg.version } } as CommandDef) : undefined;
  const text = await renderUsage(cmd, parent);
  // citty adds "(Default: X)" after an option with a default; the descriptions write "(default X)".
  // Spaces at a line's end go, also those before a colour code that ends it (`[OPTIONS] ` + reset).
  const trailing = new RegExp(`[ \\t]+((?:${String.fromCharCode(27)}\\[[0-9;]*m)*)$`, 'gm');
  return text.replace(/\(Default: true\)/g, '(on by default)').replace(/\(Default: ([^)]*)\)/g, '(default $1)').replace(trailing, '$1');
}

/**
 * A reader that stops early (`unblock ... | head`) closes the pipe: the rest of the output has nowhere
 * to go, so the command ends quietly instead of dying on an unhandled EPIPE with a stack trace. Any
 * other failure to write (`> file` on a full disk) ends it with one line saying so, a failure (exit 1).
 */
function endQuietlyOnClosedPipe(): void {
  if (process.stdout.listenerCount('error') > 0) return;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
    process.stderr.write(`unblock: could not write to standard output: ${error.message}\n`);
    process.exit(1);
  });
}

/**
 * What the command takes where the argument parser found something missing or unknown: its commands
 * after an unknown one (`unblock admin bogus`), the description of a missing positional argument
 * (`unblock report`: which reports there are). Empty when there is nothing to add.
 */
async function whatItTakes(cmd: CommandDef, message: string, path: readonly string[]): Promise<string> {
  if (/unknown command|no command specified/i.test(message)) {
    const subs = typeof cmd.subCommands === 'function' ? await cmd.subCommands() : await cmd.subCommands;
    const names = Object.keys(subs ?? {});
    return names.length > 0 ? `. The commands of \`${['unblock', ...path].join(' ')}\` are: ${names.join(', ')}.` : '';
  }
  const missing = /positional argument: (\S+)/i.exec(message)?.[1];
  const args = (typeof cmd.args === 'function' ? await cmd.args() : await cmd.args) as Record<string, { type?: string; description?: string }> | undefined;
  const described = Object.entries(args ?? {}).find(([name, arg]) => arg.type === 'positional' && name.toUpperCase() === missing?.toUpperCase())?.[1].description;
  return described ? `\n  ${missing}: ${described}` : '';
}

/**
 * The error codes that, from the command line, mean an argument cannot be used as given: every user,
 * partner, workload, code or label a command looks up is one its arguments name, so one that is not
 * there (NOT_FOUND, UNKNOWN_CODE) is an argument to correct, as a mistyped option is; so is an account
 * that cannot be used (ACCOUNT_DISABLED: the CLI signs no one in, so only an argument names one).
 * FILE_NOT_FOUND is not among them: the missing file may be one of the installation's own (the word
 * vectors of a build that has not run); the commands turn a file their arguments name into
 * BAD_ARGUMENTS themselves. A name already taken (CONFLICT) is a failure: the arguments were usable.
 */
const ARGUMENT_ERRORS: ReadonlySet<ErrorCode> = new Set(['BAD_ARGUMENTS', 'NOT_FOUND', 'UNKNOWN_CODE', 'ACCOUNT_DISABLED']);

/** The exit code of an error a command threw: 2 for an unusable argument ({@link ARGUMENT_ERRORS}), else 1. */
export function exitCodeOf(error: AppError): 1 | 2 {
  // A file given as the database that is not one is an argument to correct, as a mistyped option is.
  const notADatabase = error.code === 'CONFIG_INVALID' && (error.details as { sqlite?: unknown } | undefined)?.sqlite === 'SQLITE_NOTADB';
  return ARGUMENT_ERRORS.has(error.code) || notADatabase ? 2 : 1;
}

/** Runs the CLI with `argv` (without `node` and the script). Sets `process.exitCode`; never throws. */
export async function runCli(argv: string[]): Promise<void> {
  endQuietlyOnClosedPipe();
  try {
    // After `--` every word is text (`notes grade -- "-h ..."`), a note that reads "--help" too.
    const options = argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv;
    if (options.includes('--help') || options.includes('-h') || argv.length === 0) {
      writeTo(process.stdout, `${await usage(argv)}\n`);
      return;
    }
    if (argv[0] === '--version' || argv[0] === '-v') {
      // Words after it were dropped without a word, as citty drops a command's extra words (flags.ts).
      if (argv.length > 1) throw new AppError('BAD_ARGUMENTS', `\`unblock ${argv[0]}\` takes nothing after it, not "${argv[1]}". Run \`unblock --help\` for usage.`);
      process.stdout.write(`${pkg.version}\n`);
      return;
    }
    await runCommand(mainCommand as CommandDef, { rawArgs: argv });
  } catch (error) {
    if (isAppError(error)) {
      writeTo(process.stderr, `unblock: ${error.message} [${error.code}]\n`);
      process.exitCode = exitCodeOf(error);
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    if (/unknown command|no command specified|missing required/i.test(message)) {
      // Point at the help of the command that was named (`unblock admin --help`), not only the top level.
      const { cmd, path } = await resolveCommand(argv).catch(() => ({ cmd: undefined, path: [] as string[] }));
      const takes = cmd ? await whatItTakes(cmd, message, path) : '';
      // What it takes starts a sentence of its own after the parser's ("No command specified."), with one full stop.
      writeTo(process.stderr, `unblock: ${takes.startsWith('.') ? message.replace(/\.$/, '') : message}${takes}\nRun \`${['unblock', ...path, '--help'].join(' ')}\` for usage.\n`);
      process.exitCode = 2;
      return;
    }
    writeTo(process.stderr, `unblock: unexpected failure: ${message}\n`);
    if (process.env.UNBLOCK_DEBUG) process.stderr.write(`${error instanceof Error ? error.stack : ''}\n`);
    process.exitCode = 1;
  }
}
