/**
 * Composition root: builds the database, playbook taxonomy, classifier and note coach once, for both
 * the CLI and the server, and passes them on explicitly. The classifier is optional at run time:
 * when its built assets are missing, the tracker stores null suggestions.
 */
import type { Config } from '../config/index.js';
import { migrateToLatest, openDatabase, type Db } from '../db/index.js';
import type { PlaybookPage, Problem } from '../playbook/types.js';
import type { Taxonomy } from '../taxonomy/types.js';
import type { Clock, CodeSuggestion, NoteAdvice, NoteAdvisor, NoteGrade, NoteToAdvise, TrackerContext } from '../tracker/index.js';
import { ADVICE_CLASSIFY_OPTIONS, buildL1Guidance, type AdviceClassify, gradeWithReading, toStoredGrade, toSuggestion, type CoachContext, type L1Guidance } from './advice.js';
import { noteL1Kinds } from '../notes/templates.js';
import type { Model } from '../classifier/index.js';
import type { Playbook } from '../playbook/index.js';
import { findCodesOutsideTaxonomy } from '../reports/codes-in-use.js';
import { codeIdOf } from '../taxonomy/code-id.js';
import { codeIdOfFileName, l1SlugsOf, lintCodeNames } from '../playbook/code-names.js';
import { PROBLEM_CODES } from '../playbook/problems.js';
import { lintLoadedPlaybook, loadPlaybook } from './playbook-source.js';

/*
 * This module loads the database, the tracker and the note coach only: the classifier, its model store
 * and its worker pool (classifier-port.ts) are imported when a caller asks for the classifier, so the
 * CLI's tracker commands (`classifier: false`) start without them. The playbook's page parser is
 * likewise loaded only when pages are parsed (playbook-source.ts).
 */

/** What the server and CLI need from the classifier (src/classifier's `classify` over a loaded model). */
export interface ClassifierPort {
  /** Never throws; returns the classifier's result object (see src/classifier `Classification`). */
  classify(text: string, options?: { top?: number; explain?: boolean }): ClassificationLike;
  /** The same answer, computed on a worker thread when the port has workers (see {@link startClassifierWorkers}). */
  classifyAsync?(text: string, options?: { top?: number; explain?: boolean }): Promise<ClassificationLike>;
  /** The answer as JSON text, serialised on a worker thread (when the port has workers). */
  classifyJson?(text: string, options?: { top?: number; explain?: boolean }): Promise<string>;
  /** Advice on each note (src/app/advice.ts) on the port's worker threads (when it has workers); see ClassifierPool. */
  adviseMany?(items: readonly NoteToAdvise[], options?: { callingThread?: boolean }): Promise<NoteAdvice[]>;
  /** Stops the port's workers, if any. */
  close?(): Promise<void>;
}

/** A classifier port over a model in this process. */
export interface ModelClassifierPort extends ClassifierPort {
  readonly model: Model;
}

/** The fields of a classification the tracker and API rely on; the rest passes through untouched. */
export interface ClassificationLike {
  l1: string | null;
  l2: string | null;
  code: string | null;
  confidence: number;
  abstained: boolean;
  [key: string]: unknown;
}

/** What the server needs from the note coach (src/notes `gradeNote`). */
export interface NoteCoachPort {
  /** `context.reading`: the note's classification when the caller has it already (it is not classified again). */
  grade(text: string, context: CoachContext & { reading?: ClassificationLike | null }): GradeLike;
  /** True for {@link createNoteCoachPort}'s coach (src/notes gradeNote), which the classifier's workers can run themselves. */
  readonly builtIn?: boolean;
  /** The built-in coach's `l1Kinds` (none for the built-in playbook), sent to the classifier's workers with each note they advise on. */
  readonly l1Kinds?: Readonly<Record<string, string>>;
}

export interface GradeLike {
  grade: string;
  score: number;
  findings: { code: string; message: string; [key: string]: unknown }[];
  [key: string]: unknown;
}

export interface Services {
  readonly config: Config | null;
  readonly db: Db;
  readonly clock: Clock;
  readonly tracker: TrackerContext;
  taxonomy(): Taxonomy;
  /** Problems found while loading the playbook (empty with the fallback tree). */
  readonly playbookProblems: readonly Problem[];
  /** The parsed playbook pages (empty with the fallback tree). */
  readonly playbookPages: readonly PlaybookPage[];
  readonly classifier: ClassifierPort | null;
  readonly noteCoach: NoteCoachPort | null;
  /** Closes the database; idempotent. */
  close(): Promise<void>;
}

export const systemClock: Clock = { now: () => new Date() };

/** Batches of at least this many notes are advised on the calling thread too, beside the workers. */
const ADVISE_ON_CALLING_THREAD_FROM = 32;

/** Builds the tracker's note advisor from the optional classifier and note coach. */
export function createAdvisor(classifier: ClassifierPort | null, noteCoach: NoteCoachPort | null): NoteAdvisor {
  const advisor: NoteAdvisor = {};
  if (noteCoach) {
    advisor.grade = (note, code): NoteGrade => toStoredGrade(noteCoach.grade(note, { l1: code.l1, l2: code.l2 }));
  }
  if (classifier) {
    advisor.suggest = async (note): Promise<CodeSuggestion | null> =>
      toSuggestion(classifier.classifyAsync ? await classifier.classifyAsync(note, ADVICE_CLASSIFY_OPTIONS) : classifier.classify(note, ADVICE_CLASSIFY_OPTIONS));
  }
  if (classifier && noteCoach) {
    // One classification per note serves grade and suggestion. The built-in coach also runs on the
    // classifier's workers; many notes at once (an import, a bulk change) keep this thread busy too,
    // beside the workers, while one note (a single change) goes to a worker.
    const adviseHere = (item: NoteToAdvise): NoteAdvice => {
      const reading = classifier.classify(item.note, ADVICE_CLASSIFY_OPTIONS);
      return { grade: toStoredGrade(noteCoach.grade(item.note, { l1: item.l1, l2: item.l2, reading })), suggestion: toSuggestion(reading) };
    };
    // The workers grade with the playbook's own L1 kinds as this thread's coach does.
    const kinds = noteCoach.l1Kinds;
    advisor.adviseMany = async (items) =>
      classifier.adviseMany && noteCoach.builtIn
        ? classifier.adviseMany(kinds ? items.map((item) => ({ ...item, l1Kinds: kinds })) : items, { callingThread: items.length >= ADVISE_ON_CALLING_THREAD_FROM })
        : items.map(adviseHere);
  }
  return advisor;
}

export interface ServiceParts {
  db: Db;
  taxonomy: Taxonomy;
  clock?: Clock;
  config?: Config | null;
  classifier?: ClassifierPort | null;
  noteCoach?: NoteCoachPort | null;
  playbookProblems?: readonly Problem[];
  playbookPages?: readonly PlaybookPage[];
}

/** Wires already-built parts into {@link Services} (tests use this with an in-memory database). */
export function assembleServices(parts: ServiceParts): Services {
  const clock = parts.clock ?? systemClock;
  const classifier = parts.classifier ?? null;
  const noteCoach = parts.noteCoach ?? null;
  const taxonomy = parts.taxonomy;
  const tracker: TrackerContext = { db: parts.db, taxonomy: () => taxonomy, clock, advisor: createAdvisor(classifier, noteCoach) };
  return {
    config: parts.config ?? null,
    db: parts.db,
    clock,
    tracker,
    taxonomy: () => taxonomy,
    playbookProblems: parts.playbookProblems ?? [],
    playbookPages: parts.playbookPages ?? [],
    classifier,
    noteCoach,
    close: async () => {
      await classifier?.close?.();
      await parts.db.close();
    },
  };
}

/** Loads the playbook: the given folder, or the built-in one. */
export async function loadTaxonomy(playbookDir: string | null): Promise<{ playbook: Playbook; taxonomy: Taxonomy; problems: readonly Problem[] }> {
  const playbook = await loadPlaybook(playbookDir ? [playbookDir] : undefined);
  return { playbook, taxonomy: playbook.taxonomy, problems: playbook.problems };
}

/**
 * Builds the note coach port; it consults the classifier for mismatches when there is one. `l1Guidance`
 * (src/app/advice.ts buildL1Guidance over the loaded pages, built once here) gives a note filed under an
 * L1 of the playbook's own the template its L1 page describes, instead of the generic one. `l1Kinds`
 * (src/notes noteL1Kinds over the taxonomy) coaches a note filed under an L1 of the playbook's own that
 * follows the rules of one of the five (`rules: Blocked`) as a note of that one.
 */
export function createNoteCoachPort(classifier: ClassifierPort | null, l1Guidance: L1Guidance = {}, l1Kinds: Readonly<Record<string, string>> = {}): NoteCoachPort {
  const classify: AdviceClassify | null = classifier ? (text, options) => classifier.classify(text, { ...ADVICE_CLASSIFY_OPTIONS, ...options }) : null;
  const guidance = { ...(Object.keys(l1Guidance).length > 0 ? { l1Guidance } : {}), ...(Object.keys(l1Kinds).length > 0 ? { l1Kinds } : {}) };
  return {
    builtIn: true,
    ...(guidance.l1Kinds ? { l1Kinds: guidance.l1Kinds } : {}),
    grade: (text, context) => {
      const graded = gradeWithReading(text, { ...context, ...guidance }, classify, context.reading ?? null);
      return { ...graded, findings: graded.findings.map((finding) => ({ ...finding })) };
    },
  };
}

/**
 * What the stored entitlements say about the loaded playbook: one warning per code they use that the
 * taxonomy does not define (with its count, and the defined code spelled closest and the page defining it), and the playbook's
 * code-name problems (a title that disagrees with its `l1--l2.md` file name) against those stored codes.
 * Each warning sits where the code was most likely lost: at the title (or heading) that names the code of
 * the page whose file name stands for it, else of the page that defines the code spelled closest; with
 * neither, at line 1 of `source` (the page set), and the message says why.
 */
export async function checkStoredCodes(db: Db, playbook: Playbook, source: string): Promise<{ problems: Problem[]; lines: string[] }> {
  const missing = await findCodesOutsideTaxonomy(db.kysely, playbook.taxonomy);
  const problems: Problem[] = lintCodeNames(playbook, { knownCodes: missing.map((m) => m.code) });
  const lines: string[] = [];
  const l1Slugs = l1SlugsOf(playbook.pages);
  for (const m of missing) {
    // File names of the set's own L1s count too (paused--budget-freeze.md for a code of a partner's playbook).
    const named = playbook.pages.find((p) => codeIdOfFileName(p.file, l1Slugs) === m.code);
    const near = m.nearest === null ? undefined : playbook.pages.find((p) => p.kind !== 'unknown' && p.l1 !== null && codeIdOf(p.l1, p.l2) === m.nearest);
    const page = named ?? near;
    let hint = '';
    if (m.nearest !== null) {
      // Name the page that defines the close code: this one, another one (the warning sits at the page named for the code), or none found.
      if (near !== undefined && page === near) hint = ` This page defines ${m.nearest}, spelled close to it: is this page's title mistyped?`;
      else if (near !== undefined) hint = ` The page ${near.file} defines ${m.nearest}, spelled close to it: is that page's title mistyped?`;
      else hint = ` This playbook defines ${m.nearest}, spelled close to it: is a page title mistyped?`;
    } else if (page === undefined) {
      hint = ` No page is named for it (\`${m.code.replace('/', '--')}.md\`) nor defines a code spelled close to it, so this warning is about the page set as a whole.`;
    }
    const message = `${m.count} stored entitlement(s) use ${m.code}, which this playbook does not define: they keep the code until changed, but the taxonomy, the classifier and the reports' code lists no longer know it.${hint}`;
    // At the title (or heading) the page's code is read from: where a retitled page got its new code.
    const at = page?.positions?.code;
    problems.push({ severity: 'warning', code: 'PLAYBOOK_CODE_IN_USE_MISSING', message, file: page?.file ?? source, line: at?.line ?? 1, column: at?.column ?? 1 });
    lines.push(`Warning: ${message}`);
  }
  return { problems, lines };
}

/** The code-name checks, which {@link checkStoredCodes} makes against the stored codes instead. */
const CODE_NAME_PROBLEMS = new Set<string>([PROBLEM_CODES.CODE_FILE_MISMATCH, PROBLEM_CODES.CODE_NOT_KNOWN]);

/**
 * The problems `unblock playbook lint` reports for the loaded pages (reading problems and page checks,
 * such as a code with no definition), but for the code-name checks: checkStoredCodes adds those.
 */
async function lintWithoutCodeNames(playbook: Playbook): Promise<Problem[]> {
  return (await lintLoadedPlaybook(playbook)).filter((p) => !CODE_NAME_PROBLEMS.has(p.code));
}

/**
 * The pages with the page checks' problems added to their own (parsing lists only what it found on
 * each page), so the web's code card shows a missing definition beside the code. New page objects: the
 * parsed pages may be shared (the built-in playbook is loaded once per process).
 */
function withPageChecks(playbook: Playbook, linted: readonly Problem[]): PlaybookPage[] {
  const read = new Set(playbook.problems.map(problemKey));
  const added = linted.filter((p) => !read.has(problemKey(p)));
  if (added.length === 0) return playbook.pages;
  return playbook.pages.map((page) => {
    const own = added.filter((p) => p.file === page.file);
    return own.length === 0 ? page : { ...page, problems: [...page.problems, ...own] };
  });
}

/** A problem's identity, to tell the page checks' problems from those found while reading. */
function problemKey(p: Problem): string {
  return `${p.file}:${p.line}:${p.column}:${p.code}:${p.message}`;
}

/**
 * Opens and migrates the configured database, loads playbook, classifier and note coach. `classifier:
 * false` (commands that only read, such as `report`) skips the model: no loading, and no training for a
 * playbook whose model is not cached yet; the note coach then grades without the classifier.
 */
export async function createServices(
  config: Config,
  options: {
    clock?: Clock;
    log?: (message: string) => void;
    classifierWorkers?: number;
    backgroundCheckpoints?: boolean;
    classifier?: boolean;
    /** Called with the taxonomy before the database is opened: throwing refuses the playbook without creating or migrating a database. */
    checkTaxonomy?: (taxonomy: Taxonomy) => void;
  } = {},
): Promise<Services> {
  const log = options.log ?? (() => undefined);
  // The pages first: a missing or unusable playbook folder is refused before any database file exists.
  const { playbook, taxonomy } = await loadTaxonomy(config.playbookDir);
  options.checkTaxonomy?.(taxonomy);
  const linted = await lintWithoutCodeNames(playbook);
  const db = await openDatabase({ url: config.databaseUrl, sqlitePath: config.sqlitePath, backgroundCheckpoints: options.backgroundCheckpoints ?? false });
  try {
    await migrateToLatest(db.kysely, db.engine, db.schema);
    // Pages are loaded leniently: a page with errors keeps what could be read, the others load as usual.
    const errors = linted.filter((p) => p.severity === 'error');
    if (errors.length > 0) {
      const files = new Set(errors.map((p) => p.file)).size;
      const lint = config.playbookDir ? `unblock playbook lint ${config.playbookDir}` : 'unblock playbook lint';
      log(`Warning: the playbook has ${errors.length} error(s) in ${files} page(s); those pages are loaded as far as they could be read (GET /api/playbook and \`${lint}\` list the problems).`);
    }
    const stored = await checkStoredCodes(db, playbook, config.playbookDir ?? 'playbooks');
    for (const line of stored.lines) log(line);
    const problems = [...linted, ...stored.problems];
    // A page set of no codes has nothing to classify into: it is not trained (no "Training..." notice,
    // no model cached), and `serve` then refuses it.
    const ports = options.classifier === false || taxonomy.codes.length === 0 ? null : await import('./classifier-port.js');
    const local = ports ? ports.createClassifierPort(playbook, config.dataDir, log) : null;
    const classifier = ports && local && options.classifierWorkers ? await ports.startClassifierWorkers(local, options.classifierWorkers) : local;
    const noteCoach = createNoteCoachPort(classifier, buildL1Guidance(playbook.pages), noteL1Kinds(taxonomy));
    const playbookPages = withPageChecks(playbook, linted);
    return assembleServices({ db, taxonomy, config, classifier, noteCoach, playbookProblems: problems, playbookPages, ...(options.clock ? { clock: options.clock } : {}) });
  } catch (error) {
    await db.close();
    throw error;
  }
}
