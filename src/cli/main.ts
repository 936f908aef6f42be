/**
 * CLI entry point (`npx unblock ...`). Commands live in `commands/<name>.ts`,
 * are loaded lazily, and throw {@link AppError}s; only this module prints
 * errors and sets the exit code (0 ok, 1 failure, 2 unusable arguments).
 */
import { readFileSync } from 'node:fs';
import { defineCommand, renderUsage, runCommand, type CommandDef } from 'citty';
import { isAppError } from '../lib/index.js';
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
    admin: load('admin'),
  },
});

/** Finds the deepest sub-command named by `argv`, for usage output. */
async function resolveCommand(argv: string[]): Promise<{ cmd: CommandDef; parent?: CommandDef }> {
  let cmd: CommandDef = mainCommand as CommandDef;
  let parent: CommandDef | undefined;
  for (const word of argv) {
    if (word.startsWith('-')) break;
    const subs = typeof cmd.subCommands === 'function' ? await cmd.subCommands() : await cmd.subCommands;
    const next = subs?.[word];
    if (!next) break;
    parent = cmd;
    cmd = typeof next === 'function' ? await next() : await next;
  }
  return parent ? { cmd, parent } : { cmd };
}

/** Runs the CLI with `argv` (without `node` and the script). Sets `process.exitCode`; never throws. */
export async function runCli(argv: string[]): Promise<void> {
  try {
    if (argv.includes('--help') || argv.includes('-h') || argv.length === 0) {
      const { cmd, parent } = await resolveCommand(argv);
      writeTo(process.stdout, `${await renderUsage(cmd, parent)}\n`);
      return;
    }
    if (argv[0] === '--version' || argv[0] === '-v') {
      process.stdout.write(`${pkg.version}\n`);
      return;
    }
    await runCommand(mainCommand as CommandDef, { rawArgs: argv });
  } catch (error) {
    if (isAppError(error)) {
      writeTo(process.stderr, `unblock: ${error.message} [${error.code}]\n`);
      process.exitCode = error.code === 'BAD_ARGUMENTS' ? 2 : 1;
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    if (/unknown command|no command specified|missing required/i.test(message)) {
      writeTo(process.stderr, `unblock: ${message}\nRun \`unblock --help\` for usage.\n`);
      process.exitCode = 2;
      return;
    }
    writeTo(process.stderr, `unblock: unexpected failure: ${message}\n`);
    if (process.env.UNBLOCK_DEBUG) process.stderr.write(`${error instanceof Error ? error.stack : ''}\n`);
    process.exitCode = 1;
  }
}
