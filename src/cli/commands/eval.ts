/** `unblock eval`: scores the classifier on labelled notes (JSONL files) and prints the figures. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { defineCommand } from 'citty';
import type { Evaluation, LabelledNote } from '../../classifier/index.js';
import { AppError } from '../../lib/index.js';
import { trainingNotice } from '../model-notice.js';
import { checkExtraWords, checkFlags, flagNames } from '../flags.js';
import { readFileLines, readJsonLines, readsAsFile } from '../file-lines.js';
import { readableTwice } from '../line-spool.js';
import { jsonDocument } from '../json-output.js';
import { choosePlaybook, PLAYBOOK_HELP } from '../playbook-dir.js';
import { resolveLabel, type Taxonomy } from '../../taxonomy/index.js';

export interface Skipped {
  file: string;
  line: number;
  reason: string;
}

/** Reasons that mean the line itself is broken (exit 1), as opposed to a label this playbook lacks. */
const UNREADABLE = new Set(['invalid JSON', 'not a JSON object', 'missing "text"', 'empty "text"']);

/** The code id a labelled row names, or a reason why it names none. */
export function resolveRowLabel(taxonomy: Taxonomy, l1: unknown, l2: unknown): { code: string } | { reason: string } {
  const l1s = typeof l1 === 'string' && l1.trim() ? l1.trim() : null;
  const l2s = typeof l2 === 'string' && l2.trim() ? l2.trim() : null;
  if (!l1s && !l2s) return { reason: 'no l1 or l2 label' };
  const attempts = l2s ? (l1s ? [`${l1s} - ${l2s}`, l2s] : [l2s]) : [l1s as string];
  let last = '';
  for (const label of attempts) {
    const r = resolveLabel(taxonomy, label);
    if (r.ok) {
      if (l1s && r.code.l1 !== l1s) {
        const l1r = resolveLabel(taxonomy, l1s);
        if (!(l1r.ok && l1r.code.l1 === r.code.l1) && r.code.l1.toLowerCase() !== l1s.toLowerCase()) {
          last = `label "${label}" is under ${r.code.l1}, not ${l1s}`;
          continue;
        }
      }
      return { code: r.code.id };
    }
    last = `label "${label}" is ${r.reason}${r.candidates.length ? ` (candidates: ${r.candidates.map((c) => c.id).join(', ')})` : ''}`;
  }
  return { reason: last };
}

/**
 * The labelled files at `path`: a file (or a pipe, `eval <(...)`), or the *.jsonl files of a folder;
 * a path that names none is an unusable argument (exit 2). Of a folder, only its files are read: a
 * subfolder is skipped whatever its name (sub.jsonl too), as its other subfolders are (a folder is not
 * searched through), and so is a link that leads nowhere.
 */
function listFiles(path: string): string[] {
  if (!existsSync(path)) throw new AppError('BAD_ARGUMENTS', `No labelled notes at ${path}: give a JSONL file or a folder of *.jsonl files.`);
  const stats = statSync(path);
  if (stats.isDirectory()) {
    const files = readdirSync(path)
      .filter((f) => f.endsWith('.jsonl'))
      .sort()
      .map((f) => join(path, f))
      .filter((f) => statSync(f, { throwIfNoEntry: false })?.isFile());
    if (files.length === 0) throw new AppError('BAD_ARGUMENTS', `No *.jsonl files in the folder ${path}.`);
    return files;
  }
  if (!readsAsFile(stats)) throw new AppError('BAD_ARGUMENTS', `${path} is neither a file nor a folder: give a JSONL file or a folder of *.jsonl files.`);
  return [path];
}

/** A row of a labelled file read but not yet resolved against a taxonomy: its text and its labels (strings only). */
export interface LabelledRow {
  file: string;
  line: number;
  text: string;
  l1?: string;
  l2?: string;
}

/** A labelled file read at `path` and named `name` (in messages and skipped rows): a pipe's copy is read in its place (line-spool.ts). */
export interface LabelledFile {
  path: string;
  name: string;
}

/**
 * Reads every line of `files`, in order, before a model is loaded (or trained), as `eval` did when it
 * kept every row: a line that is not UTF-8 text fails here, with the message and exit code it had then,
 * not after the notes before it were scored. Nothing of a line is kept; lines that are not labelled
 * rows are skipped later, as before.
 */
export function checkLabelledFiles(files: readonly LabelledFile[]): void {
  for (const { path, name } of files) for (const line of readFileLines(path, { name })) void line;
}

/**
 * Scores `rows` one at a time as they come, with their labels resolved against `taxonomy`: each note is
 * given to `add` before the next row is asked for; rows that are skipped are returned, in order.
 */
export function scoreLabelledRows(rows: Iterable<LabelledRow | Skipped>, taxonomy: Taxonomy, add: (note: LabelledNote) => void): Skipped[] {
  const skipped: Skipped[] = [];
  for (const row of rows) {
    const resolved = resolveLabelledRow(row, taxonomy);
    if ('reason' in resolved) skipped.push(resolved);
    else add(resolved);
  }
  return skipped;
}

/**
 * The labelled rows of JSONL files, one at a time as the lines are read (checked as UTF-8 text as they
 * are), in the order of the files: a line that cannot be used as a row comes as skipped, in its place.
 * Only what the figures need is kept of each row: its text and labels. Needs no taxonomy.
 */
export function* labelledRows(files: readonly (string | LabelledFile)[]): Generator<LabelledRow | Skipped, void, undefined> {
  for (const given of files) {
    const { path: at, name: file } = typeof given === 'string' ? { path: given, name: given } : given;
    for (const read of readJsonLines(at, { name: file })) {
      const { line } = read;
      if (read.invalid) {
        yield { file, line, reason: 'invalid JSON' };
        continue;
      }
      const value = read.value;
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        yield { file, line, reason: 'not a JSON object' };
        continue;
      }
      const row = value as Record<string, unknown>;
      if (typeof row.text !== 'string') {
        yield { file, line, reason: 'missing "text"' };
        continue;
      }
      // An empty note says nothing to score: it would only count as one more abstention.
      if (row.text.trim() === '') {
        yield { file, line, reason: 'empty "text"' };
        continue;
      }
      const labelled: LabelledRow = { file, line, text: row.text };
      if (typeof row.l1 === 'string') labelled.l1 = row.l1;
      if (typeof row.l2 === 'string') labelled.l2 = row.l2;
      yield labelled;
    }
  }
}

/** `row` with its label resolved against `taxonomy`: a note, or skipped when the taxonomy lacks its label. */
export function resolveLabelledRow(row: LabelledRow | Skipped, taxonomy: Taxonomy): LabelledNote | Skipped {
  if ('reason' in row) return row;
  const resolved = resolveRowLabel(taxonomy, row.l1, row.l2);
  return 'reason' in resolved ? { file: row.file, line: row.line, reason: resolved.reason } : { text: row.text, code: resolved.code };
}

/**
 * Reads labelled notes from JSONL files a line at a time, resolving labels; rows that cannot be used are
 * returned as skipped. Only what the figures need is kept of each row: its text and code.
 */
export function readLabelledNotes(files: string[], taxonomy: Taxonomy): { notes: LabelledNote[]; skipped: Skipped[] } {
  const notes: LabelledNote[] = [];
  const skipped: Skipped[] = [];
  for (const row of labelledRows(files)) {
    const resolved = resolveLabelledRow(row, taxonomy);
    if ('reason' in resolved) skipped.push(resolved);
    else notes.push(resolved);
  }
  return { notes, skipped };
}

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

/** Terminal rendering of an evaluation. */
export function formatEvaluation(e: Evaluation, source: string, skipped: Skipped[]): string {
  const lines = [
    `Evaluated ${e.count} notes from ${source}${skipped.length ? ` (${skipped.length} rows skipped)` : ''}`,
    '',
    `  top-1 accuracy          ${pct(e.top1)}`,
    `  top-3 accuracy          ${pct(e.top3)}`,
    `  L1 accuracy             ${pct(e.l1Accuracy)}`,
    `  macro-F1                ${e.macroF1.toFixed(3)}`,
    `  calibration error (ECE) ${e.ece.toFixed(3)}`,
    `  abstention rate         ${pct(e.abstentionRate)}`,
    // A dash when every note abstained: there is no answer to be right or wrong.
    `  accuracy when answered  ${e.count > 0 && e.abstentionRate < 1 ? pct(e.accuracyOnAnswered) : '-'}`,
    '',
    'Per code                                                  support  precision  recall',
  ];
  for (const c of e.perCode) {
    const label = c.l2 ? `${c.l1} / ${c.l2}` : c.l1;
    // A dash where the figure means nothing: precision of a code nothing was answered with, recall of a code no note has.
    const precision = c.predicted > 0 ? pct(c.precision) : '-';
    const recall = c.support > 0 ? pct(c.recall) : '-';
    lines.push(`  ${label.slice(0, 55).padEnd(56)} ${String(c.support).padStart(7)}  ${precision.padStart(9)}  ${recall.padStart(6)}`);
  }
  if (e.confusedPairs.length) {
    lines.push('', 'Most confused (expected -> predicted):');
    for (const p of e.confusedPairs.slice(0, 8)) lines.push(`  ${String(p.count).padStart(3)}  ${p.expected} -> ${p.predicted}`);
  }
  for (const s of skipped.slice(0, 10)) lines.push(`skipped ${s.file}:${s.line}: ${s.reason}`);
  if (skipped.length > 10) lines.push(`... and ${skipped.length - 10} more skipped rows`);
  return lines.join('\n');
}

export default defineCommand({
  meta: { name: 'eval', description: 'Score the classifier on labelled notes: JSONL {"text","l1"?,"l2"} files, or a folder of them (default eval/heldout).' },
  args: {
    path: { type: 'positional', required: false, description: 'A JSONL file, a folder of *.jsonl files, or - for standard input (default the built-in held-out set)' },
    json: { type: 'boolean', description: 'Print the figures as JSON' },
    playbook: { type: 'string', valueHint: 'dir', description: PLAYBOOK_HELP },
  },
  async run({ args, rawArgs, cmd }) {
    checkFlags(rawArgs, flagNames(cmd.args), 'eval');
    // One path: citty would take the first of several and drop the rest without a word.
    checkExtraWords(rawArgs, cmd.args, 'eval', 'It scores one JSONL file or a folder of *.jsonl files: put the files in one folder to score them together.');
    // The model store itself, not app/index.js: that one also loads the tracker and the database drivers.
    const [{ createEvaluator }, { findPackageRoot, loadClassifier }, { resolveDataDir }, { loadPlaybookModel }] = await Promise.all([
      import('../../classifier/index.js'),
      import('../../app/model-store.js'),
      import('../../config/index.js'),
      import('../playbook-model.js'),
    ]);
    // `-`: the notes come on standard input (copied to a temporary file first).
    const { path: read, name: path } = await (await import('../input-rows.js')).readablePath(args.path ?? join(findPackageRoot(), 'eval', 'heldout'));
    const files = listFiles(read);
    const playbook = choosePlaybook(args.playbook);
    // Every line is read first, keeping none: a file that is not UTF-8 text fails before a model is
    // loaded or trained. A pipe is copied to be read twice.
    const sources = files.map((file) => ({ path: readableTwice(file), name: file }));
    checkLabelledFiles(sources);
    // Pages that do not exist or define no code are an unusable argument (exit 2), refused before any training.
    const { model, taxonomy } = playbook ? await loadPlaybookModel(playbook) : await loadClassifier(undefined, trainingNotice, resolveDataDir());
    // Scored as read, one note at a time: of each only its prediction is kept, never its text.
    const evaluator = createEvaluator(model);
    // Lines skipped from standard input are named by it, not by its temporary copy.
    const skipped = scoreLabelledRows(labelledRows(sources), taxonomy, (note) => evaluator.add(note)).map((s) => (s.file === read ? { ...s, file: path } : s));
    const evaluation = evaluator.result();
    if (evaluation.count === 0) throw new AppError('VALIDATION_FAILED', `No usable labelled notes in ${path}${skipped[0] ? ` (first problem: line ${skipped[0].line}: ${skipped[0].reason})` : ''}.`);
    process.stdout.write(args.json ? jsonDocument({ source: path, ...evaluation, skipped }) : `${formatEvaluation(evaluation, path, skipped)}\n`);
    // Rows this playbook has no label for are skipped quietly (a page subset is a normal case); lines
    // that are not JSON or have no text are broken input: the figures are printed, and the exit is 1.
    const broken = skipped.filter((s) => UNREADABLE.has(s.reason)).length;
    if (broken > 0) {
      process.stderr.write(`unblock: ${broken} line(s) could not be read (not JSON, or no "text" or an empty one); the figures leave them out.\n`);
      process.exitCode = 1;
    }
  },
});
