/**
 * The code-name checks of the playbook lint (src/playbook/lint.ts): a page whose code disagrees with
 * its `l1--l2.md` file name, or is new but spelled close to a known code. This module needs no
 * Markdown parser, so callers that check stored codes (src/app/services.ts) load it without remark.
 */
import { codeIdOf, findNearestCodeId, KNOWN_L1_NAMES } from '../taxonomy/index.js';
import { PROBLEM_CODES, problemOf, sortProblems } from './problems.js';
import type { Playbook, PlaybookPage, Problem } from './types.js';

export interface LintOptions {
  /**
   * Code ids of a previous taxonomy version (e.g. the built-in playbook's, or those stored
   * entitlements use): a page code that is not among them but spelled close to one is named with it.
   */
  knownCodes?: readonly string[];
}

const L1_SLUGS = new Set(KNOWN_L1_NAMES.map((name) => codeIdOf(name)));

/**
 * The code id a file name stands for under the `l1--l2.md` (or `l1.md`) convention, when it follows it:
 * its L1 part must be one of `l1Slugs` (by default the five L1s' slugs).
 */
export function codeIdOfFileName(file: string, l1Slugs: ReadonlySet<string> = L1_SLUGS): string | undefined {
  const base = (file.split(/[\\/]/).pop() ?? '').replace(/\.(md|markdown|txt)$/i, '').toLowerCase();
  const [l1, l2, ...rest] = base.split('--');
  if (l1 === undefined || !l1Slugs.has(l1) || rest.length > 0) return undefined;
  return l2 === undefined ? l1 : l2 === '' ? undefined : `${l1}/${l2}`;
}

/**
 * The L1 slugs a page set's file names may start with: the five L1s' and the L1s of the set's own
 * titles ("Stalled - Staffing Gap" makes `stalled--staffing-gap.md` a code file name too).
 */
export function l1SlugsOf(pages: readonly PlaybookPage[]): Set<string> {
  const out = new Set(L1_SLUGS);
  for (const page of pages) if (page.kind !== 'unknown' && page.l1 !== null) out.add(codeIdOf(page.l1));
  return out;
}

/** A page whose code disagrees with its file name, or is new but spelled like a known code. `l1Slugs`: see {@link codeIdOfFileName}. */
export function lintCodeName(page: PlaybookPage, known: readonly string[] | undefined, l1Slugs: ReadonlySet<string> = L1_SLUGS): Problem[] {
  if (page.kind === 'unknown' || page.l1 === null) return [];
  // A code with a letter that could not be read (U+FFFD) is the encoding error the page already has, not a typo.
  if (`${page.l1} ${page.l2 ?? ''}`.includes('\uFFFD')) return [];
  const id = page.kind === 'l2' ? codeIdOf(page.l1, page.l2) : codeIdOf(page.l1);
  const fromFile = codeIdOfFileName(page.file, l1Slugs);
  const near = known ? findNearestCodeId(id, known) : undefined;
  const hint = near !== undefined ? ` Did you mean ${near}, a code of the previous taxonomy?` : '';
  // Both are about the name the code was read from: the title, or the heading when the code came from it.
  const at = page.positions?.code;
  const heading = page.positions?.heading;
  const source = at !== undefined && heading !== undefined && at.line === heading.line && at.column === heading.column ? 'heading' : 'title';
  if (fromFile !== undefined && fromFile !== id) {
    return [
      problemOf(
        page.file,
        'warning',
        PROBLEM_CODES.CODE_FILE_MISMATCH,
        `The ${source} makes this page define ${id}, but its file name stands for ${fromFile}; a typo in the ${source} changes the code every status is filed under.${hint || ` Fix the ${source} or rename the file.`}`,
        at?.line,
        at?.column,
      ),
    ];
  }
  if (near !== undefined) {
    return [problemOf(page.file, 'warning', PROBLEM_CODES.CODE_NOT_KNOWN, `This page defines a new code ${id}, spelled close to an existing one.${hint}`, at?.line, at?.column)];
  }
  return [];
}

/** Only the code-name checks of the full lint (`lintPlaybook`): file name, closeness to `options.knownCodes`. Never throws. */
export function lintCodeNames(playbook: Playbook, options: LintOptions = {}): Problem[] {
  const l1Slugs = l1SlugsOf(playbook.pages);
  return sortProblems(playbook.pages.flatMap((page) => lintCodeName(page, options.knownCodes, l1Slugs)));
}
