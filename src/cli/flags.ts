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
    // citty reads `-database` as the one-letter options d, a, t, ... and drops its value: the command would
    // then run on the default database, say, without a word. A long name takes two dashes.
    if (!arg.startsWith('--') && name.length > 1 && !/\s/.test(name)) {
      throw new AppError('BAD_ARGUMENTS', allowed.includes(name) ? `"${arg}" has one dash; an option's full name takes two: --${arg.slice(1)}` : `Unknown option "${arg}". Run \`unblock ${command} --help\` for usage.`);
    }
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

/**
 * Refuses words on the command line beyond the positional arguments the command's citty `args` declare
 * (BAD_ARGUMENTS, so exit 2): citty drops them silently, so `admin create-partner --name Contoso Ltd`
 * (a value with a space, not quoted) would create a partner "Contoso", and `report counts extra` would
 * report as if the word were not there. Each declared positional takes one word. For a command that
 * takes none, words right after an option's value are most likely the rest of that value: the message
 * shows the value quoted whole. For a command that takes some, the message names every word and ends
 * with `hint`: by default, to quote a value that holds spaces; a command whose extra word is most likely
 * a second argument of its own (a second file, say) says what it takes instead.
 */
export function checkExtraWords(rawArgs: readonly string[], args: unknown, command: string, hint = "Put an option's value that holds spaces in quotes."): void {
  const defs = (args !== null && typeof args === 'object' ? args : {}) as Record<string, { type?: string } | undefined>;
  const takes = Object.values(defs).filter((d) => d?.type === 'positional').length;
  // Each word, with the option whose value it directly follows (and the words before it that did too).
  const words: { word: string; after?: { option: string; values: string[] } }[] = [];
  let after: { option: string; values: string[] } | undefined;
  for (let i = 0; i < rawArgs.length; i++) {
    const arg = rawArgs[i]!;
    if (arg === '--') {
      for (const word of rawArgs.slice(i + 1)) words.push({ word });
      break;
    }
    if (arg.startsWith('-') && arg !== '-' && !/^-\d/.test(arg)) {
      const name = arg.replace(/^-+/, '').split('=')[0] ?? '';
      after = undefined;
      // The next word is this option's value, unless it came with `=` or the option takes none.
      if (!arg.includes('=') && defs[name]?.type === 'string' && i + 1 < rawArgs.length) {
        after = { option: `--${name}`, values: [rawArgs[i + 1]!] };
        i += 1;
      }
      continue;
    }
    if (after) after.values.push(arg);
    words.push(after ? { word: arg, after } : { word: arg });
  }
  const surplus = words.length - takes;
  if (surplus <= 0) return;
  if (takes > 0) {
    // Which word is the argument and which is the rest of a value cannot be told apart: all of them are named.
    const named = words.map((w) => `"${w.word}"`).join(', ');
    throw new AppError('BAD_ARGUMENTS', `\`unblock ${command}\` takes ${takes} word${takes === 1 ? '' : 's'} besides its options, not ${words.length}: ${named}. ${hint} Run \`unblock ${command} --help\` for usage.`);
  }
  // The first word follows an option's value: the rest of that value, most likely, as are the words after it.
  const split = words[0]?.after;
  if (split) {
    throw new AppError('BAD_ARGUMENTS', `Unexpected "${words[0]!.word}" after ${split.option} ${split.values[0]}: \`unblock ${command}\` takes no words besides its options. A value with spaces goes in quotes: ${split.option} "${split.values.join(' ')}".`);
  }
  throw new AppError('BAD_ARGUMENTS', `Unexpected "${words[0]!.word}": \`unblock ${command}\` takes no words besides its options. Run \`unblock ${command} --help\` for usage.`);
}
