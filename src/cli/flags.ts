/** Option checks shared by the CLI commands. */
import { AppError } from '../lib/index.js';

/**
 * Rejects any option in `rawArgs` that is not in `allowed` (BAD_ARGUMENTS, so exit 2): citty itself
 * ignores unknown options, which would let a typo such as `--expires-in-days` pass silently.
 * Everything after `--` and negative numbers such as `-5` (option values) are left alone.
 */
export function checkFlags(rawArgs: readonly string[], allowed: readonly string[], command: string): void {
  for (const arg of rawArgs) {
    if (arg === '--') break;
    if (!arg.startsWith('-') || arg === '-' || /^-\d/.test(arg)) continue;
    const name = arg.replace(/^-+/, '').split('=')[0] ?? '';
    if (allowed.includes(name)) continue;
    // An option name holds no space: this is text that starts with "-" (a note pasted as a bullet, say).
    if (/\s/.test(name)) throw new AppError('BAD_ARGUMENTS', `"${arg}" starts with "-", so it reads as an option; to give it as text, put -- before it: unblock ${command} -- "${arg}"`);
    throw new AppError('BAD_ARGUMENTS', `Unknown option "${arg}". Run \`unblock ${command} --help\` for usage.`);
  }
}

/**
 * The names `checkFlags` accepts for a command's citty `args` (given as a plain object): each option,
 * the `no-` form of booleans, and `help`.
 */
export function flagNames(args: unknown): string[] {
  const names = ['help', 'h'];
  if (args === null || typeof args !== 'object') return names;
  for (const [name, def] of Object.entries(args as Record<string, { type?: string } | undefined>)) {
    if (def?.type === 'positional') continue;
    names.push(name);
    if (def?.type === 'boolean') names.push(`no-${name}`);
  }
  return names;
}

/**
 * What `classify` and `notes grade` say when the note given on the command line is empty or only
 * spaces (an unset shell variable, say): an unusable argument (exit 2), with an example of the
 * `command` (`notes grade`) and its `example` note.
 */
export function emptyNoteMessage(command: string, example: string): string {
  const verb = command.split(' ').at(-1)!;
  return `The note to ${verb} is empty: give the note text, e.g. \`unblock ${command} "${example}"\`, or --input FILE.`;
}
