/**
 * `unblock notes`: grade status notes (one from the command line, or a JSONL/CSV file streamed
 * to JSONL) and measure agreement with a graded set.
 */
import { join } from 'node:path';
import { statSync } from 'node:fs';
import { defineCommand } from 'citty';
import { AppError, isAppError } from '../../lib/index.js';
import type { Playbook } from '../../playbook/index.js';
import type { Taxonomy } from '../../taxonomy/index.js';
import { trainingNotice } from '../model-notice.js';
import { checkFlags, emptyNoteMessage } from '../flags.js';
import { readJsonLines, readsAsFile } from '../file-lines.js';
import { readableTwice } from '../line-spool.js';
import { jsonDocument, jsonLine } from '../json-output.js';
import type { InputFile } from '../input-rows.js';
import { openOutput, writeLine } from '../output-file.js';
import { badRowRecord, mergeRow, RenamedFields, resultNames } from '../row-output.js';
import { choosePlaybook, PLAYBOOK_HELP, type PlaybookChoice } from '../playbook-dir.js';
import { findCatalogueWorkload, WORKLOAD_CATALOGUE } from '../../db/workloads.js';
import type { ClassifyFn, GradedNote, NoteAgreement, NoteContext, NoteGrade } from '../../notes/index.js';
import type * as adviceRoutes from '../../app/grade-labels.js';
import type { evaluateGradedNotes } from '../../notes/index.js';

/*
 * The grader, the classifier, the pages and the label rules of the API are loaded when a sub-command
 * runs (`--help` needs none of them). The model store and the playbook reader are imported themselves,
 * not through app/index.js, which also loads the tracker and the database drivers.
 */
type LabelRules = Pick<typeof adviceRoutes, 'resolveGradeLabels'>;

function positionals(args: { _?: unknown }): string[] {
  return Array.isArray(args._) ? args._.map(String) : [];
}

function optionalString(value: unknown, flag: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') throw new AppError('BAD_ARGUMENTS', `${flag} needs a value.`);
  return value;
}

/**
 * The classifier (for the pages of `playbook`, else the built-in one) as a `classify` function for
 * gradeNote, or undefined when it cannot be loaded (no model assets, no playbook): grading then runs
 * without it. Never throws.
 */
async function loadClassify(playbook: { choice: PlaybookChoice; pages: Playbook } | undefined): Promise<ClassifyFn | undefined> {
  try {
    const [{ loadClassifier }, { classify }, { loadPlaybookModel }, { resolveDataDir }] = await Promise.all([
      import('../../app/model-store.js'),
      import('../../classifier/index.js'),
      import('../playbook-model.js'),
      import('../../config/index.js'),
    ]);
    const { model } = playbook ? await loadPlaybookModel(playbook.choice, playbook.pages) : await loadClassifier(undefined, trainingNotice, resolveDataDir());
    const read: ClassifyFn = (text, options) => {
      const c = classify(model, text, { explain: false, top: 1, ...options });
      return { l1: c.l1 ?? '', l2: c.l2, confidence: c.confidence, l1Confidence: c.l1Confidence, abstained: c.abstained || !c.l1 };
    };
    return read;
  } catch (error) {
    if (process.env.UNBLOCK_DEBUG) process.stderr.write(`unblock: classifier unavailable: ${error instanceof Error ? error.message : String(error)}\n`);
    return undefined;
  }
}

/**
 * The pages of `--playbook` (or PLAYBOOK_DIR), read once for both uses: the taxonomy the labels --l1/--l2
 * and each row's l1/l2 are resolved against, and the classifier used here. Pages that do not exist or
 * define no code are an unusable argument (exit 2), as for `classify`. Undefined: the built-in playbook.
 */
async function readPages(choice: PlaybookChoice | undefined): Promise<{ choice: PlaybookChoice; pages: Playbook } | undefined> {
  if (!choice) return undefined;
  const { readUsablePlaybook } = await import('../playbook-model.js');
  return { choice, pages: await readUsablePlaybook(choice) };
}

/**
 * --workload as the catalogue names it, given by slug or name as `report --workload` takes it; one the
 * catalogue lacks is an unusable argument (most often a typo, which would otherwise go into the
 * template as written).
 */
function workloadArg(value: string): string {
  const name = findCatalogueWorkload(value.trim());
  if (name) return name;
  throw new AppError('BAD_ARGUMENTS', `--workload: no workload "${value}". Choose one of: ${WORKLOAD_CATALOGUE.map((w) => w.slug).join(', ')} (slug or name).`);
}

/** The L1/L2 context resolved by the rule of `POST /api/notes/grade`; throws its UNKNOWN_CODE / RULE_VIOLATION. */
function resolveLabels(rules: LabelRules, taxonomy: Taxonomy, l1: string | null | undefined, l2: string | null | undefined): Pick<NoteContext, 'l1' | 'l2'> {
  const resolved = rules.resolveGradeLabels(taxonomy, l1, l2);
  const out: Pick<NoteContext, 'l1' | 'l2'> = {};
  if (resolved.l1 !== undefined) out.l1 = resolved.l1;
  if (resolved.l2 !== undefined) out.l2 = resolved.l2;
  return out;
}

const SEVERITY_MARK = { error: 'x', warning: '!', info: 'i' } as const;

/**
 * Terminal rendering of one grade. `l1Given`: the L1 came from --l1; otherwise the L1 of the template
 * is the grader's reading of the note (its wording, else the classifier), and the heading says so.
 */
export function formatGrade(note: string, g: NoteGrade, classifierUsed: boolean, l1Given = true): string {
  const lines = [`Grade: ${g.grade.toUpperCase()}  (score ${g.score.toFixed(2)})`];
  if (g.findings.length === 0) lines.push('No findings: the note states intent and a concrete reason.');
  for (const f of g.findings) {
    const where = f.span && f.span.end - f.span.start <= 60 ? `  at ${f.span.start}-${f.span.end}: "${note.slice(f.span.start, f.span.end)}"` : '';
    lines.push(`  ${SEVERITY_MARK[f.severity]} ${f.code}  ${f.message}${where}`);
    lines.push(`      fix: ${f.fix}`);
  }
  const reading = classifierUsed ? 'read from the note by its wording or the classifier' : "read from the note's wording";
  const forL1 = g.l1 ? ` for ${g.l1}${l1Given ? '' : ` (${reading}; --l1 sets it)`}` : '';
  lines.push('', `Shape of a great note${forL1}:`, `  ${g.template}`);
  if (!classifierUsed) lines.push('', '(graded without the classifier: a note that reads as another status is caught only from explicit wording)');
  return lines.join('\n');
}

function parseManaged(value: unknown): boolean | undefined | 'bad' {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const v = value.trim().toLowerCase();
    if (['true', 'yes', 'y', '1', 'managed'].includes(v)) return true;
    if (['false', 'no', 'n', '0', 'unmanaged'].includes(v)) return false;
  }
  return 'bad';
}

/** The name of a value of a row in messages: a JSON field, or a CSV column. */
function named(input: InputFile, key: string): string {
  return input.format === 'csv' ? `The "${key}" column` : `"${key}"`;
}

/** The context of a row, or an error message naming the bad field (CSV: column). */
function readRowContext(rules: LabelRules, fields: Record<string, unknown>, defaults: NoteContext, taxonomy: Taxonomy, input: InputFile): { text: string; context: NoteContext } | { error: string; code?: string } {
  const text = fields.text;
  if (typeof text !== 'string') return { error: input.format === 'csv' ? `The row has no cell in the "${input.textColumn}" column.` : 'The row has no "text" (or "note") field (a string).' };
  const context: NoteContext = { ...defaults };
  for (const key of ['l1', 'l2', 'workload'] as const) {
    const v = fields[key];
    if (v === undefined || v === null || v === '') continue;
    if (typeof v !== 'string') return { error: `${named(input, key)} must be a string.` };
    if (key !== 'workload') {
      context[key] = v;
      continue;
    }
    // A row's workload is read as POST /api/notes/grade reads one: the catalogue's name; one it lacks is the row's error (UNKNOWN_CODE).
    const workload = findCatalogueWorkload(v.trim());
    if (workload === undefined) return { error: `${named(input, 'workload')}: no workload "${v}". Give its slug or name, such as exchange-online or "Exchange Online".`, code: 'UNKNOWN_CODE' };
    context.workload = workload;
  }
  try {
    Object.assign(context, resolveLabels(rules, taxonomy, context.l1, context.l2));
  } catch (error) {
    if (!isAppError(error)) throw error;
    return { error: error.message, code: error.code };
  }
  const managed = parseManaged(fields.managed);
  if (managed === 'bad') return { error: `${named(input, 'managed')} must be true or false.` };
  if (managed !== undefined) context.managed = managed;
  let others = fields.otherNotes;
  if (typeof others === 'string' && others.trim() !== '') {
    try {
      others = JSON.parse(others) as unknown;
    } catch {
      return { error: `${named(input, 'otherNotes')} must be a JSON array of {"workload","text"}.` };
    }
  }
  if (others !== undefined && others !== null && others !== '') {
    if (!Array.isArray(others) || !others.every((o) => o && typeof o === 'object' && typeof o.workload === 'string' && typeof o.text === 'string')) {
      return { error: `${named(input, 'otherNotes')} must be an array of {"workload","text"}.` };
    }
    context.otherNotes = others as { workload: string; text: string }[];
  }
  return { text, context };
}

/** The result fields of a `notes grade --input` record: an input field named like one is kept as input_<name> on every row (good or bad). */
const RESULT_NAMES = resultNames(['grade', 'score', 'findings'], ['text']);

/** A finding as `notes grade --json` and `--input` write it, the shape `POST /api/notes/grade` answers with. */
function findingJson(f: NoteGrade['findings'][number]): Record<string, unknown> {
  return { code: f.code, severity: f.severity, message: f.message, span: f.span, fix: f.fix };
}

/** The record of a graded row: `text`, the row's other fields (one named like a result field as input_<name>), the grade. */
function toJsonResult(fields: Record<string, unknown>, text: string, g: NoteGrade, renamed: RenamedFields): Record<string, unknown> {
  const { text: _t, ...rest } = fields;
  const result = { grade: g.grade, score: g.score, findings: g.findings.map(findingJson) };
  return { text, ...mergeRow(rest, result, renamed, RESULT_NAMES) };
}

/** Grades every row of `input` to JSONL (stdout or `output`, replaced only when every row is written). */
async function gradeFile(rules: LabelRules, input: InputFile, output: string | undefined, defaults: NoteContext, taxonomy: Taxonomy): Promise<void> {
  const [{ gradeNote }, { noRowsError, readCsvRows, readJsonlRows }] = await Promise.all([import('../../notes/index.js'), import('../input-rows.js')]);
  const target = openOutput(output);
  const renamed = new RenamedFields();
  const counts = { great: 0, marginal: 0, poor: 0, bad: 0 };
  try {
    for await (const r of input.format === 'csv' ? readCsvRows(input.path) : readJsonlRows(input.path)) {
      const parsed: ReturnType<typeof readRowContext> = r.fields && !r.error ? readRowContext(rules, r.fields, defaults, taxonomy, input) : { error: r.error?.message ?? 'Unreadable row.', code: r.error?.code };
      if ('error' in parsed) {
        counts.bad += 1;
        await writeLine(target.stream, jsonLine(badRowRecord(r.fields, r.row, { code: parsed.code ?? 'VALIDATION_FAILED', message: parsed.error }, renamed, RESULT_NAMES)));
        continue;
      }
      const g = gradeNote(parsed.text, parsed.context);
      counts[g.grade] += 1;
      await writeLine(target.stream, jsonLine(toJsonResult(r.fields!, parsed.text, g, renamed)));
    }
    if (counts.great + counts.marginal + counts.poor + counts.bad === 0) throw noRowsError(input, 'grade');
    await target.commit();
  } catch (error) {
    throw target.abandon(error);
  }
  process.stderr.write(renamed.warning(input.format));
  process.stderr.write(`graded ${counts.great + counts.marginal + counts.poor} note(s): ${counts.great} great, ${counts.marginal} marginal, ${counts.poor} poor${counts.bad ? `; ${counts.bad} bad row(s)` : ''}\n`);
  if (counts.bad > 0) process.exitCode = 1;
}

const grade = defineCommand({
  meta: {
    name: 'grade',
    description: 'Grade a status note (TEXT), or every note of --input FILE (JSONL with "text" (or "note") and optional l1, l2, workload, managed, otherNotes; or CSV with a header and a "text" or "note" column), streamed as JSONL.',
  },
  args: {
    text: { type: 'positional', required: false, description: 'The note to grade (quote it, or pass several words)' },
    json: { type: 'boolean', description: 'Print the result as one JSON document' },
    l1: { type: 'string', description: 'The L1 chosen for the status, e.g. "Blocked"' },
    l2: { type: 'string', description: 'The L2 chosen for the status' },
    workload: { type: 'string', description: 'The workload the note is on, by slug or name, e.g. "Teams" or exchange-online; fills the {workload} of the template' },
    managed: { type: 'boolean', description: 'The account is managed (has an account team)' },
    unmanaged: { type: 'boolean', description: 'The account is unmanaged' },
    playbook: { type: 'string', valueHint: 'dir', description: `${PLAYBOOK_HELP}; --l1/--l2 and each row's l1/l2 name its codes` },
    input: { type: 'string', valueHint: 'file', description: 'A JSONL or CSV file of notes; - reads standard input' },
    output: { type: 'string', valueHint: 'file', description: 'Write the JSONL results to this file instead of stdout (with --input; - is stdout); it is replaced only when every row is written' },
    classifier: { type: 'boolean', default: true, description: 'Use the classifier to spot notes that read as another status', negativeDescription: 'Grade without the classifier' },
  },
  async run({ args, rawArgs }) {
    checkFlags(rawArgs, ['json', 'l1', 'l2', 'workload', 'managed', 'unmanaged', 'playbook', 'input', 'output', 'classifier', 'no-classifier'], 'notes grade');
    if (args.managed && args.unmanaged) throw new AppError('BAD_ARGUMENTS', 'Give --managed or --unmanaged, not both.');
    const input = optionalString(args.input, '--input');
    const output = optionalString(args.output, '--output');
    const words = positionals(args);
    const text = words.join(' ');
    if (input && words.length > 0) throw new AppError('BAD_ARGUMENTS', 'Give a note TEXT or --input FILE, not both.');
    if (!input && words.length === 0) throw new AppError('BAD_ARGUMENTS', 'Give the note to grade, e.g. `unblock notes grade "Customer cannot deploy right now."`, or --input FILE.');
    // As `classify`: an empty note on the command line is refused; an --input row with an empty text is graded (NOTE_EMPTY).
    if (!input && text.trim() === '') throw new AppError('BAD_ARGUMENTS', emptyNoteMessage('notes grade', 'Customer cannot deploy right now.'));
    if (output && !input) throw new AppError('BAD_ARGUMENTS', '--output goes with --input.');
    const file = input ? await (await import('../input-rows.js')).openInputFile(input, output) : undefined;
    const playbook = choosePlaybook(args.playbook);
    const defaults: NoteContext = {};
    const l1 = optionalString(args.l1, '--l1');
    const l2 = optionalString(args.l2, '--l2');
    const given = optionalString(args.workload, '--workload');
    const workload = given === undefined ? undefined : workloadArg(given);
    // The labels are resolved as POST /api/notes/grade resolves them: a label the playbook lacks, or an
    // L2 of another L1, is an unusable argument rather than context the grader would silently ignore.
    const pages = await readPages(playbook);
    const loaded = pages ? pages.pages : await (await import('../../app/playbook-source.js')).loadBuiltinPlaybook();
    const taxonomy = loaded.taxonomy;
    const rules: LabelRules = await import('../../app/grade-labels.js');
    try {
      Object.assign(defaults, resolveLabels(rules, taxonomy, l1, l2));
    } catch (error) {
      if (!isAppError(error)) throw error;
      // One code, the exit status's (as `playbook show` words an unknown code): the message says what is wrong.
      throw new AppError('BAD_ARGUMENTS', `--l1/--l2: ${error.message}`, error.details);
    }
    if (workload) defaults.workload = workload;
    if (args.managed) defaults.managed = true;
    if (args.unmanaged) defaults.managed = false;
    // What the playbook's own L1 pages say a note holds, read once for every note graded here.
    const l1Guidance = (await import('../../app/advice.js')).buildL1Guidance(loaded.pages);
    if (Object.keys(l1Guidance).length > 0) defaults.l1Guidance = l1Guidance;
    // An L1 of the playbook's own that follows the rules of one of the five is coached as that one.
    const l1Kinds = (await import('../../notes/templates.js')).noteL1Kinds(taxonomy);
    if (Object.keys(l1Kinds).length > 0) defaults.l1Kinds = l1Kinds;
    const classify = args.classifier === false ? undefined : await loadClassify(pages);
    if (classify) defaults.classify = classify;
    if (file) {
      await gradeFile(rules, file, output, defaults, taxonomy);
      return;
    }
    const { gradeNote } = await import('../../notes/index.js');
    const g = gradeNote(text, defaults);
    if (args.json) process.stdout.write(jsonDocument({ text, grade: g.grade, score: g.score, findings: g.findings.map(findingJson), template: g.template, templateSource: g.templateSource, l1: g.l1 }));
    else process.stdout.write(`${formatGrade(text, g, Boolean(classify), Boolean(defaults.l1))}\n`);
  },
});

/**
 * Checks the graded set at `path` before anything is loaded, with the messages and exit codes `notes
 * eval` had when it kept every note: one named on the command line (`given`) that is missing, a folder
 * or not a file is an unusable argument (exit 2); the default set missing is a failure of the
 * installation; then every line is read, keeping none, and the first that is not UTF-8 text, not JSON or
 * not a graded note fails (INVALID_JSON, VALIDATION_FAILED), as does a set without a graded note. Returns
 * the path to grade the set from: a pipe's copy (it can be read only once), else `path`.
 */
export function checkGradedSet(path: string, given: boolean, name = path): string {
  const stats = statSync(path, { throwIfNoEntry: false });
  if (given && !stats) throw new AppError('BAD_ARGUMENTS', `No graded set at ${path}: give a JSONL file of graded notes.`);
  if (given && stats?.isDirectory()) throw new AppError('BAD_ARGUMENTS', `${path} is a folder: give a JSONL file of graded notes.`);
  if (given && stats && !readsAsFile(stats)) throw new AppError('BAD_ARGUMENTS', `${path} is not a file: give a JSONL file of graded notes.`);
  if (!stats || !readsAsFile(stats)) throw new AppError('FILE_NOT_FOUND', `Graded set not found: ${path}`);
  const readable = readableTwice(path);
  let notes = 0;
  for (const graded of gradedNotes(readable, name)) if (graded) notes += 1;
  if (notes === 0) throw noGradedNotes(name);
  return readable;
}

/** Agreement over no notes is no figure: a failure, as `eval` of a file with no labelled note is. */
function noGradedNotes(name: string): AppError {
  return new AppError('VALIDATION_FAILED', `No graded notes in ${name}: give JSONL lines with "text", "grade" (great|marginal|poor) and "findings".`);
}

/**
 * The graded notes of the JSONL file `path` (or a pipe, `notes eval <(...)`, as `eval` reads one), one at
 * a time as the lines are read (checked as UTF-8 text as they are), each with the line of the file it is
 * on. A line that is not a graded note stops the reading (INVALID_JSON, VALIDATION_FAILED). Only what the
 * grader and its comparison use is kept of each row.
 */
function* gradedNotes(path: string, name = path): Generator<{ note: GradedNote; line: number }, void, undefined> {
  for (const read of readJsonLines(path, { name })) {
    if (read.invalid) throw new AppError('INVALID_JSON', `${name}:${read.line}: not valid JSON.`);
    const v = read.value as Partial<GradedNote> | null;
    if (v === null || typeof v.text !== 'string' || !['great', 'marginal', 'poor'].includes(String(v.grade)) || !Array.isArray(v.findings)) {
      throw new AppError('VALIDATION_FAILED', `${name}:${read.line}: a graded note needs "text", "grade" (great|marginal|poor) and "findings" (array).`);
    }
    const { text, l1, l2, workload, managed, otherNotes, grade, findings } = v as GradedNote;
    yield { note: { text, l1, l2, workload, managed, otherNotes, grade, findings }, line: read.line };
  }
}

/**
 * The agreement of a graded set built one note at a time from the agreement of each note alone
 * (evaluateGradedNotes of that note): the same figures, codes in the same order, as for the whole set.
 */
class AgreementTally {
  private readonly agreement: NoteAgreement;
  /** `lines[i]`: the line of the file note `i` is on. */
  readonly lines: number[] = [];
  private agree = 0;

  constructor(empty: NoteAgreement) {
    this.agreement = empty;
  }

  add(one: NoteAgreement, line: number): void {
    const a = this.agreement;
    for (const g of Object.keys(one.confusion) as (keyof NoteAgreement['confusion'])[]) {
      for (const h of Object.keys(one.confusion[g]) as (keyof NoteAgreement['confusion'])[]) {
        a.confusion[g][h] += one.confusion[g][h];
        if (g === h) this.agree += one.confusion[g][h];
      }
    }
    for (const [code, c] of Object.entries(one.codes)) {
      const bucket = (a.codes[code] ??= { tp: 0, fp: 0, fn: 0 });
      bucket.tp += c.tp;
      bucket.fp += c.fp;
      bucket.fn += c.fn;
    }
    a.greatWithoutReason += one.greatWithoutReason;
    for (const r of one.results) a.results.push({ ...r, index: a.total });
    a.total += one.total;
    this.lines.push(line);
  }

  result(): NoteAgreement {
    return { ...this.agreement, gradeAgreement: this.agreement.total === 0 ? 0 : this.agree / this.agreement.total };
  }
}

/**
 * The agreement of the graded set at `path` (named `name` in messages), graded one note at a time as its
 * lines are read by `evaluate` (the notes module's evaluateGradedNotes, loaded by the caller), and the
 * line of the file each note is on. A set without a graded note is a failure.
 */
export function gradedSetAgreement(path: string, name: string, evaluate: typeof evaluateGradedNotes, extra: Pick<NoteContext, 'classify'>): { agreement: NoteAgreement; lines: number[] } {
  const tally = new AgreementTally(evaluate([], extra));
  for (const { note, line } of gradedNotes(path, name)) tally.add(evaluate([note], extra), line);
  if (tally.lines.length === 0) throw noGradedNotes(name);
  return { agreement: tally.result(), lines: tally.lines };
}

/** The text report of one graded set; `lineOf[i]`: the line of the file its note `i` is on. */
function formatAgreement(path: string, a: NoteAgreement, lineOf: readonly number[]): string {
  const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
  const lines = [`${path}: ${a.total} notes, grade agreement ${pct(a.gradeAgreement)}; notes without a reason graded great: ${a.greatWithoutReason}`];
  lines.push('  reviewer \\ grader   great marginal  poor');
  for (const g of ['great', 'marginal', 'poor'] as const) {
    const r = a.confusion[g];
    lines.push(`  ${g.padEnd(18)} ${String(r.great).padStart(5)} ${String(r.marginal).padStart(8)} ${String(r.poor).padStart(5)}`);
  }
  lines.push('  finding code               tp  fp  fn');
  for (const [code, c] of Object.entries(a.codes)) {
    if (c.tp + c.fp + c.fn > 0) lines.push(`  ${code.padEnd(26)}${String(c.tp).padStart(3)} ${String(c.fp).padStart(3)} ${String(c.fn).padStart(3)}`);
  }
  const off = a.results.filter((r) => r.expected !== r.actual);
  if (off.length) {
    lines.push('  disagreements:');
    for (const r of off) lines.push(`    line ${lineOf[r.index] ?? r.index + 1}: reviewer ${r.expected}, grader ${r.actual} [${r.actualCodes.join(', ')}] "${r.text.slice(0, 90)}"`);
  }
  return lines.join('\n');
}

const evaluate = defineCommand({
  meta: { name: 'eval', description: 'Agreement of the grader with graded notes (JSONL lines with text, context, grade and findings); default eval/notes/heldout.jsonl.' },
  args: {
    files: { type: 'positional', required: false, description: 'Graded JSONL files, - for standard input (default eval/notes/heldout.jsonl)' },
    json: { type: 'boolean', description: 'Print the agreement as JSON' },
    classifier: { type: 'boolean', default: true, description: 'Use the classifier', negativeDescription: 'Evaluate without the classifier' },
  },
  async run({ args, rawArgs }) {
    checkFlags(rawArgs, ['json', 'classifier', 'no-classifier'], 'notes eval');
    const files = positionals(args);
    // The default set ships with the package: found from its root, not from the working folder.
    const paths = files.length > 0 ? files : [join((await import('../../app/model-store.js')).findPackageRoot(), 'eval', 'notes', 'heldout.jsonl')];
    // `-`: a graded set on standard input (copied to a temporary file first), named so in the report.
    const { readablePath } = await import('../input-rows.js');
    const sources = await Promise.all(paths.map(readablePath));
    // Checked first, one set after the other, keeping no note: a set that is missing or has a line that
    // cannot be read fails before the classifier is loaded (or trained).
    const readable = sources.map(({ path, name }) => ({ path: checkGradedSet(path, files.length > 0, name), name }));
    const { evaluateGradedNotes } = await import('../../notes/index.js');
    const classify = args.classifier === false ? undefined : await loadClassify(undefined);
    const extra = classify ? { classify } : {};
    // Graded as read, one note at a time: only each note's result is kept.
    const reports = readable.map(({ path, name }) => ({ path: name, ...gradedSetAgreement(path, name, evaluateGradedNotes, extra) }));
    if (args.json) {
      // Each result's `line`: the line of the file its note is on (`index` counts the notes, from 0).
      const json = reports.map((r) => ({ path: r.path, ...r.agreement, results: r.agreement.results.map(({ index, ...result }) => ({ index, line: r.lines[index], ...result })) }));
      process.stdout.write(jsonDocument({ classifier: Boolean(classify), reports: json }));
      return;
    }
    process.stdout.write(`${reports.map((r) => formatAgreement(r.path, r.agreement, r.lines)).join('\n\n')}\n(classifier ${classify ? 'used' : 'not used'})\n`);
  },
});

export default defineCommand({
  meta: { name: 'notes', description: 'Grade status notes and say how to make them useful.' },
  subCommands: { grade, eval: evaluate },
});
