/**
 * `unblock playbook parse|lint|show`. The page parser (and its Markdown libraries) is loaded when a
 * sub-command runs; `--help` needs none of it.
 */
import { defineCommand } from 'citty';
import { AppError, isAppError, normalizeLabel } from '../../lib/index.js';
import type { Playbook, PlaybookPage, Problem, Question } from '../../playbook/index.js';
import { findKnownL1, findNearestCodeId, getCode, suggestCodes, type Taxonomy, type TaxonomyCode } from '../../taxonomy/index.js';
import { checkFlags } from '../flags.js';
import { jsonDocument } from '../json-output.js';
import { choosePlaybook, PAGE_FILES, PLAYBOOK_HELP } from '../playbook-dir.js';

/** The playbook reader itself, not app/index.js: that one also loads the tracker and the database drivers. */
const playbookSource = () => import('../../app/playbook-source.js');

function positionals(args: { _?: unknown }): string[] {
  return Array.isArray(args._) ? args._.map(String) : [];
}

/**
 * The pages to read: the paths given, else the folder PLAYBOOK_DIR names (as `show`, `classify`,
 * `eval` and `serve` read it), said on stderr; else none, which is the built-in playbook.
 */
async function loadPages(args: { _?: unknown }): Promise<{ paths: string[]; playbook: Playbook }> {
  const given = positionals(args);
  const fromEnv = given.length > 0 ? undefined : choosePlaybook(undefined);
  if (!fromEnv) return { paths: given, playbook: await loadFor(given) };
  const paths = [fromEnv.path];
  try {
    const playbook = await loadFor(paths);
    process.stderr.write(`unblock: read the pages of PLAYBOOK_DIR (${fromEnv.path}); give a path to read others.\n`);
    return { paths, playbook };
  } catch (error) {
    throw isAppError(error) && error.code === 'BAD_ARGUMENTS' ? new AppError('BAD_ARGUMENTS', `PLAYBOOK_DIR: ${error.message}`, error.details) : error;
  }
}

/**
 * Loads the playbook at `paths`; a path that does not exist, or paths holding no page at all (an
 * empty folder, or one of other files), is an unusable argument (exit 2) rather than a clean bill.
 */
async function loadFor(paths: readonly string[]): Promise<Playbook> {
  const { loadPlaybook } = await playbookSource();
  let playbook: Playbook;
  try {
    playbook = await loadPlaybook(paths);
  } catch (error) {
    if (isAppError(error) && error.code === 'FILE_NOT_FOUND') throw new AppError('BAD_ARGUMENTS', error.message, error.details);
    throw error;
  }
  if (paths.length > 0 && playbook.pages.length === 0) {
    throw new AppError('BAD_ARGUMENTS', `No playbook page in ${paths.map((p) => `"${p}"`).join(', ')}: a folder is read for its ${PAGE_FILES}, in subfolders too.`);
  }
  return playbook;
}

/** The command line that lints the same pages, for hints. */
function lintCommand(paths: readonly string[]): string {
  return ['unblock playbook lint', ...paths.map((p) => (/^[\w./@:-]+$/.test(p) ? p : `"${p}"`))].join(' ');
}

function formatProblem(p: Problem): string {
  return `${p.file}:${p.line}:${p.column} ${p.severity} ${p.code} ${p.message}`;
}

function countBySeverity(problems: readonly Problem[]): string {
  const n = (s: Problem['severity']) => problems.filter((p) => p.severity === s).length;
  return `${n('error')} error(s), ${n('warning')} warning(s), ${n('info')} info`;
}

function codeName(page: PlaybookPage): string {
  if (page.kind === 'l2') return `${page.l1} - ${page.l2}`;
  if (page.kind === 'l1') return `${page.l1} (L1)`;
  return '(unknown code)';
}

/**
 * Every problem of the pages at `paths`, as `lint` lists them: parsing and the content checks (too few
 * examples, no questions, ...). `parse` reports the same list, so that the two commands never disagree
 * on what is wrong with the same pages. A page set of one's own is read against the built-in codes: a
 * code spelled close to one of them is named.
 */
async function lintProblems(playbook: Playbook, paths: readonly string[]): Promise<Problem[]> {
  const [{ loadBuiltinPlaybook }, { lintPlaybook }] = await Promise.all([playbookSource(), import('../../playbook/index.js')]);
  const knownCodes = paths.length > 0 ? (await loadBuiltinPlaybook()).taxonomy.codes.map((c) => c.id) : undefined;
  return lintPlaybook(playbook, knownCodes ? { knownCodes } : {});
}

const parse = defineCommand({
  meta: { name: 'parse', description: 'Parse playbook pages (files or folders; default PLAYBOOK_DIR, else the built-in playbook). --json prints {pages, problems, taxonomy}; problems are the ones lint lists.' },
  args: {
    json: { type: 'boolean', description: 'Print one JSON document' },
    paths: { type: 'positional', required: false, description: 'Page files or folders (default PLAYBOOK_DIR, else the built-in playbook)' },
  },
  async run({ args, rawArgs }) {
    checkFlags(rawArgs, ['json'], 'playbook parse');
    const { paths, playbook } = await loadPages(args);
    const problems = await lintProblems(playbook, paths);
    if (args.json) {
      process.stdout.write(jsonDocument({ pages: playbook.pages, problems, taxonomy: playbook.taxonomy }));
      return;
    }
    const { countQuestions } = await import('../../playbook/index.js');
    const lines = playbook.pages.map(
      (p) => `${p.file}  ${codeName(p)}  valid ${p.valid.length}  invalid ${p.invalid.length}  questions ${countQuestions(p.questions)}  workloads ${p.workloadQuestions.length}  history ${p.history.length}${p.entitlementScenarios ? `  entitlement rows ${p.entitlementScenarios.rows.length}` : ''}`,
    );
    lines.push(`${playbook.pages.length} page(s), ${playbook.taxonomy.codes.length} code(s), taxonomy version ${playbook.taxonomy.version}; ${countBySeverity(problems)}${problems.length > 0 ? ` (run \`${lintCommand(paths)}\` to list them)` : ''}`);
    process.stdout.write(`${lines.join('\n')}\n`);
  },
});

const lint = defineCommand({
  meta: { name: 'lint', description: 'Check playbook pages; prints file:line:col severity code message; exit 1 on any error.' },
  args: { paths: { type: 'positional', required: false, description: 'Page files or folders (default PLAYBOOK_DIR, else the built-in playbook)' } },
  async run({ args, rawArgs }) {
    checkFlags(rawArgs, [], 'playbook lint');
    const { paths, playbook } = await loadPages(args);
    const problems = await lintProblems(playbook, paths);
    if (problems.length > 0) process.stdout.write(`${problems.map(formatProblem).join('\n')}\n`);
    process.stderr.write(`${playbook.pages.length} page(s): ${countBySeverity(problems)}\n`);
    if (problems.some((p) => p.severity === 'error')) process.exitCode = 1;
  },
});

function wrap(text: string, indent: string, width: number): string {
  const words = text.split(/\s+/).filter((w) => w !== '');
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line !== '' && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(indent + line);
  return lines.join('\n');
}

function renderQuestions(questions: readonly Question[], indent: string, width: number): string[] {
  return questions.flatMap((q, i) => {
    const marker = `${i + 1}. `;
    const first = wrap(q.text, indent + ' '.repeat(marker.length), width).replace(indent + ' '.repeat(marker.length), indent + marker);
    return [first, ...renderQuestions(q.children, `${indent}   `, width)];
  });
}

/** Terminal rendering of one page: definition, examples, questions, workload questions, history. */
export function renderPage(page: PlaybookPage, id: string, width = 100): string {
  const out: string[] = [];
  const title = codeName(page);
  out.push(`${title}  [${id}]`, '='.repeat(Math.min(width, title.length + id.length + 4)), page.file);
  if (page.aliases.length > 0) out.push(`Also written: ${page.aliases.join('; ')}`);
  out.push('', 'Definition');
  out.push(page.definition ? page.definition.split('\n\n').map((p) => wrap(p, '  ', width)).join('\n\n') : '  (none)');
  const examples = (heading: string, scenarios: PlaybookPage['valid'], showLabel: boolean) => {
    out.push('', heading.replace(/^(\w+ examples)/, `$1 (${scenarios.length})`));
    for (const s of scenarios) {
      const target = s.l2 ?? s.l1 ?? `${s.label} (unresolved)`;
      const label = showLabel && !(s.l2 === null && s.l1 === page.l1) ? `  -> ${target}` : '';
      out.push(wrap(`${s.text}${label}`, '    ', width).replace(/^ {4}/, '  - '));
    }
  };
  examples('Valid examples', page.valid, page.kind === 'l1');
  if (page.invalid.length > 0 || page.kind === 'l2') examples('Invalid examples (each belongs to the code after ->)', page.invalid, true);
  out.push('', 'Questions to confirm');
  out.push(...(page.questions.length > 0 ? renderQuestions(page.questions, '  ', width) : ['  (none)']));
  for (const group of page.workloadQuestions) {
    out.push('', `Questions for ${group.workload}`);
    out.push(...renderQuestions(group.questions, '  ', width));
  }
  if (page.entitlementScenarios) {
    out.push('', `Entitlement scenarios (${page.entitlementScenarios.rows.length})`);
    const headers = page.entitlementScenarios.headers;
    for (const row of page.entitlementScenarios.rows) {
      out.push(wrap(row[0] ?? '', '    ', width).replace(/^ {4}/, '  - '));
      row.slice(1).forEach((cell, i) => {
        if (cell !== '') out.push(wrap(`${headers[i + 1] ?? `Column ${i + 2}`}: ${cell}`, '      ', width));
      });
    }
  }
  const last = page.history[0];
  if (last) out.push('', `Last refreshed ${last.date ?? last.dateAsWritten} by ${last.who}: ${last.what}`);
  return `${out.join('\n')}\n`;
}

/** A question of `playbook show --json`: its text and the questions under it. */
export interface ShownQuestion {
  text: string;
  children: ShownQuestion[];
}

/** An example of `playbook show --json`: its text, the label the page gives it, and the code that label names (null: none). */
export interface ShownExample {
  text: string;
  label: string;
  l1: string | null;
  l2: string | null;
}

/**
 * The document of `playbook show --json`: what the text shows, under stable names (the whole history,
 * in the page's order, where the text gives only its first row, as the last refresh). The parser's own bookkeeping (source
 * lines, front matter, problems, content hash) stays out: `playbook parse --json` gives it.
 */
export function pageDocument(page: PlaybookPage, id: string) {
  const questions = (list: readonly Question[]): ShownQuestion[] => list.map((q) => ({ text: q.text, children: questions(q.children) }));
  const examples = (list: PlaybookPage['valid']): ShownExample[] => list.map((s) => ({ text: s.text, label: s.label, l1: s.l1, l2: s.l2 }));
  return {
    id,
    kind: page.kind,
    l1: page.l1,
    l2: page.l2,
    file: page.file,
    aliases: [...page.aliases],
    definition: page.definition,
    valid: examples(page.valid),
    invalid: examples(page.invalid),
    questions: questions(page.questions),
    workloadQuestions: page.workloadQuestions.map((g) => ({ workload: g.workload, questions: questions(g.questions) })),
    entitlementScenarios: page.entitlementScenarios ? { headers: [...page.entitlementScenarios.headers], rows: page.entitlementScenarios.rows.map((r) => [...r]) } : null,
    history: page.history.map((h) => ({ date: h.date, dateAsWritten: h.dateAsWritten, who: h.who, what: h.what })),
  };
}

/** The names `code` is known by, normalised: its L2 (or L1), "L1 L2", its id and the playbook's other labels for it. */
function namesOf(taxonomy: Taxonomy, code: TaxonomyCode): string[] {
  const names = [code.l2 ?? code.l1, code.l2 ? `${code.l1} ${code.l2}` : code.l1, code.id].map(normalizeLabel);
  for (const [label, ids] of Object.entries(taxonomy.labels ?? {})) if (ids.includes(code.id)) names.push(normalizeLabel(label));
  return names.filter((n) => n !== '');
}

/**
 * True when the normalised `query` is really close to one of `names`: spelled within the distance the
 * product allows a mistyped code (findNearestCodeId: a quarter of the longer), or each of its words of
 * three letters or more begins a word of the name ("compat" for "App Compatibility"). A loose likeness
 * ("nonexistent thing" and "No Intent") is not enough to be offered.
 */
function isClose(query: string, names: readonly string[]): boolean {
  const words = query.split(' ').filter((w) => w.length >= 3);
  return names.some((name) => {
    if (name === query || findNearestCodeId(query, [name]) !== undefined) return true;
    const nameWords = name.split(' ');
    return words.length > 0 && words.every((w) => nameWords.some((n) => n.startsWith(w)));
  });
}

/** Up to three codes spelled really close to `query`, best first; none when nothing is that close. Never throws. */
export function closeCodes(taxonomy: Taxonomy, query: string): TaxonomyCode[] {
  const wanted = normalizeLabel(query);
  if (wanted === '') return [];
  return suggestCodes(taxonomy, query, taxonomy.codes.length)
    .filter((code) => isClose(wanted, namesOf(taxonomy, code)))
    .slice(0, 3);
}

/** The refusal of a `show` query naming no code: one error code (BAD_ARGUMENTS, exit 2), suggestions only when really close. */
function unknownCodeError(taxonomy: Taxonomy, query: string, error: AppError): AppError {
  // A name shared by several codes: getCode's own message lists them.
  if (/names more than one code/.test(error.message)) return new AppError('BAD_ARGUMENTS', error.message, error.details);
  const close = closeCodes(taxonomy, query);
  const hint = close.length > 0 ? ` Did you mean: ${close.map((c) => (c.l2 ? `"${c.l1} - ${c.l2}"` : `"${c.l1}"`)).join(', ')}?` : ' Run `unblock playbook parse` to list the codes.';
  return new AppError('BAD_ARGUMENTS', `"${query}" is not a code of this playbook.${hint}`, { suggestions: close.map((c) => c.id) });
}

const show = defineCommand({
  meta: { name: 'show', description: "Show one code's definition, examples and questions (by id, L2 name, 'L1 - L2', alias or L1 name)." },
  args: {
    code: { type: 'positional', required: false, description: 'Code id, L2 name, "L1 - L2", alias or L1 name' },
    json: { type: 'boolean', description: 'Print one JSON document: {id, kind, l1, l2, file, aliases, definition, valid, invalid, questions, workloadQuestions, entitlementScenarios, history}' },
    playbook: { type: 'string', valueHint: 'dir', description: PLAYBOOK_HELP },
  },
  async run({ args, rawArgs }) {
    checkFlags(rawArgs, ['json', 'playbook'], 'playbook show');
    const query = positionals(args).join(' ').trim();
    if (query === '') throw new AppError('BAD_ARGUMENTS', 'Name the code to show, e.g. `unblock playbook show "App Compatibility"` or `unblock playbook show blocked/app-compatibility`.');
    const chosen = choosePlaybook(args.playbook);
    let playbook: Playbook;
    try {
      playbook = await loadFor(chosen ? [chosen.path] : []);
    } catch (error) {
      // Name where the pages came from: a PLAYBOOK_DIR left set in the shell is easy to forget.
      if (chosen && isAppError(error) && error.code === 'BAD_ARGUMENTS') throw new AppError('BAD_ARGUMENTS', `${chosen.source}: ${error.message}`, error.details);
      throw error;
    }
    if (chosen) {
      // As classify and notes do: pages with errors are shown as far as they could be read, after one line saying so.
      const [{ lintLoadedPlaybook }, { playbookErrorsWarning }] = await Promise.all([playbookSource(), import('../playbook-model.js')]);
      const warning = playbookErrorsWarning(await lintLoadedPlaybook(playbook), chosen.path);
      if (warning) process.stderr.write(warning);
    }
    const width = Math.max(60, Math.min(process.stdout.columns ?? 100, 120));
    const print = (page: PlaybookPage, id: string) => process.stdout.write(args.json ? jsonDocument(pageDocument(page, id)) : renderPage(page, id, width));
    const l1 = findKnownL1(query);
    // A set's own L1 is found by its name as written ("On Hold"), its id ("on-hold") or any spelling that normalises alike.
    const l1Node = playbook.taxonomy.l1s.find((n) => (l1 !== undefined && n.name === l1) || n.id === query.toLowerCase() || normalizeLabel(n.name) === normalizeLabel(query));
    if (l1Node?.file) {
      const page = playbook.pages.find((p) => p.file === l1Node.file);
      if (page) {
        print(page, l1Node.id);
        return;
      }
    }
    // A code the playbook lacks is an unusable argument (exit 2), as an unknown --l1 of `notes grade` is.
    let code: ReturnType<typeof getCode>;
    try {
      code = getCode(playbook.taxonomy, query);
    } catch (error) {
      if (isAppError(error) && error.code === 'UNKNOWN_CODE') throw unknownCodeError(playbook.taxonomy, query, error);
      throw error;
    }
    const page = playbook.pages.find((p) => p.file === code.file);
    if (!page) throw new AppError('BAD_ARGUMENTS', `"${query}" names ${code.id}, but no page of this playbook defines it.`);
    print(page, code.id);
  },
});

export default defineCommand({
  meta: { name: 'playbook', description: 'Parse, lint and show playbook pages (default PLAYBOOK_DIR, else the built-in playbook).' },
  subCommands: { parse, lint, show },
});
