/**
 * The classifier model for a page set chosen with `--playbook` (or PLAYBOOK_DIR), loaded the way
 * `serve` loads one: the pages are read and checked first, and only a page set that defines codes is
 * trained (or read from the cache under DATA_DIR). Training a set of no codes takes time and ends in
 * an error anyway.
 */
import type { Model } from '../classifier/index.js';
// The two modules themselves, not app/index.js: that one also loads the tracker and the database drivers.
import { loadModel } from '../app/model-store.js';
import { lintLoadedPlaybook, loadPlaybook } from '../app/playbook-source.js';
import { resolveDataDir } from '../config/index.js';
import { AppError } from '../lib/index.js';
import type { Playbook, Problem } from '../playbook/index.js';
import type { Taxonomy } from '../taxonomy/index.js';
import { trainingNotice } from './model-notice.js';
import { asPlaybookArgumentError, noCodeMessage, type PlaybookChoice } from './playbook-dir.js';

/**
 * One line for stderr when the pages have errors (as `serve` logs at startup), naming how many in how
 * many pages and the lint command that lists them; undefined when there is no error.
 */
export function playbookErrorsWarning(problems: readonly Problem[], path: string): string | undefined {
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length === 0) return undefined;
  const pages = new Set(errors.map((p) => p.file)).size;
  return `unblock: warning: the playbook has ${errors.length} error(s) in ${pages} page(s); those pages are used as far as they could be read (\`unblock playbook lint ${path}\` lists the problems).\n`;
}

/**
 * The pages of `choice`; a path that does not exist, or pages that define no code, are an unusable
 * argument (exit 2), as for `unblock playbook`. Pages with errors (those `unblock playbook lint` reports:
 * found while reading, or by its page checks, such as a code with no definition) get one warning line on
 * stderr, then are used as far as they could be read.
 */
export async function readUsablePlaybook(choice: PlaybookChoice): Promise<Playbook> {
  let playbook: Playbook;
  try {
    playbook = await loadPlaybook(choice.path);
  } catch (error) {
    throw asPlaybookArgumentError(error, choice.source);
  }
  if (playbook.taxonomy.codes.length === 0) throw new AppError('BAD_ARGUMENTS', noCodeMessage(choice));
  const warning = playbookErrorsWarning(await lintLoadedPlaybook(playbook), choice.path);
  if (warning) process.stderr.write(warning);
  return playbook;
}

/**
 * The model and taxonomy of the pages of `choice`, read with {@link readUsablePlaybook} (refused before
 * any training when they define no code; one warning line when they have errors). `read`: the pages,
 * when the caller has read them already with readUsablePlaybook (which warned then).
 */
export async function loadPlaybookModel(choice: PlaybookChoice, read?: Playbook): Promise<{ model: Model; taxonomy: Taxonomy }> {
  const playbook = read ?? (await readUsablePlaybook(choice));
  return { model: loadModel(playbook, { onTrain: trainingNotice, dataDir: resolveDataDir() }), taxonomy: playbook.taxonomy };
}
