/**
 * The playbook a CLI command reads: `--playbook`, else the PLAYBOOK_DIR environment variable (as
 * `serve` and `report` read it), else the built-in playbook.
 */
import { AppError, isAppError } from '../lib/index.js';

/** The --help text of `--playbook` for the commands that read pages. */
export const PLAYBOOK_HELP = 'Folder (or file) of playbook pages to use instead of the built-in playbook (env PLAYBOOK_DIR)';

export interface PlaybookChoice {
  path: string;
  /** Where the path came from, to name it in messages. */
  source: '--playbook' | 'PLAYBOOK_DIR';
}

/** The page files a folder is read for (src/app/playbook-source.ts reads these, in subfolders too). */
export const PAGE_FILES = '*.md, *.markdown and *.txt files';

/** Why a page set that defines no code cannot be used, and how to see what is wrong with it. */
export function noCodeMessage(choice: PlaybookChoice): string {
  return `${choice.source} ${choice.path} defines no code: it holds no playbook page (a *.md, *.markdown or *.txt file) with a title "L1 - L2" or an L1 name. Check it with \`unblock playbook lint ${choice.path}\`.`;
}

/** `--playbook`'s value, else PLAYBOOK_DIR from `env`, else undefined (the built-in playbook). An empty `--playbook` is an unusable argument. */
export function choosePlaybook(flag: unknown, env: Record<string, string | undefined> = process.env): PlaybookChoice | undefined {
  if (flag !== undefined) {
    if (typeof flag !== 'string' || flag.trim() === '') throw new AppError('BAD_ARGUMENTS', '--playbook needs a folder (or file) of playbook pages.');
    return { path: flag, source: '--playbook' };
  }
  const fromEnv = env.PLAYBOOK_DIR;
  if (fromEnv !== undefined && fromEnv.trim() !== '') return { path: fromEnv, source: 'PLAYBOOK_DIR' };
  return undefined;
}

/** A page path that cannot be read (FILE_NOT_FOUND) is an unusable argument (exit 2), named by where it came from; other errors as they are. */
export function asPlaybookArgumentError(error: unknown, source: PlaybookChoice['source']): unknown {
  return isAppError(error) && error.code === 'FILE_NOT_FOUND' ? new AppError('BAD_ARGUMENTS', `${source}: ${error.message}`, error.details) : error;
}
