/**
 * `unblock classify`: one note from the command line, or a JSONL/CSV file of notes streamed to JSONL.
 * The classifier, the model and the file readers are loaded when the command runs (`--help` needs none).
 */
import { defineCommand } from 'citty';
import type { Classification, Model } from '../../classifier/index.js';
import { AppError, formatPercent } from '../../lib/index.js';
import { trainingNotice } from '../model-notice.js';
import { checkFlags, emptyNoteMessage, flagNames } from '../flags.js';
import { jsonDocument, jsonLine } from '../json-output.js';
import type { InputFile } from '../input-rows.js';
import { openOutput, writeLine } from '../output-file.js';
import { badRowRecord, mergeRow, RenamedFields, resultNames } from '../row-output.js';
import { choosePlaybook, PLAYBOOK_HELP, type PlaybookChoice } from '../playbook-dir.js';

/** The most candidates `POST /api/classify` gives (its `top` is capped there): the CLI keeps to the API's contract. */
export const MAX_TOP = 20;

function parseTop(value: unknown): number {
  if (value === undefined) return 3;
  // `--top` at the end of the line (or `--top=`) is a value left out, refused as every command refuses one.
  if (typeof value === 'boolean' || String(value).trim() === '') throw new AppError('BAD_ARGUMENTS', `--top needs a value: a whole number from 1 to ${MAX_TOP}.`);
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_TOP) {
    throw new AppError('BAD_ARGUMENTS', `--top must be a whole number from 1 to ${MAX_TOP} (the most POST /api/classify gives), not "${String(value)}".`);
  }
  return n;
}

/** Every field of a classification (the compiler checks the list is whole), as each --input record has them. */
const CLASSIFICATION_FIELDS: Record<keyof Classification, true> = {
  text: true,
  l1: true,
  l2: true,
  code: true,
  confidence: true,
  l1Confidence: true,
  alternatives: true,
  abstained: true,
  reason: true,
  questions: true,
  explanation: true,
  warnings: true,
};

/** The names of a `classify --input` record: an input field named like one is kept as input_<name> on every row; `text` is restated. */
const RESULT_NAMES = resultNames(Object.keys(CLASSIFICATION_FIELDS), ['text']);

const name = (l1: string | null, l2: string | null) => (l2 ? `${l1} / ${l2}` : (l1 ?? '-'));

/** Terminal rendering of one classification. */
export function formatClassification(r: Classification): string {
  const lines: string[] = [];
  if (r.code) lines.push(`${r.abstained ? 'Best guess (not sure)' : 'Status'}: ${name(r.l1, r.l2)}   confidence ${formatPercent(r.confidence)} (L1 ${formatPercent(r.l1Confidence)})`);
  else lines.push('No answer.');
  if (r.reason) lines.push(`${r.abstained ? 'Abstained' : 'Note'}: ${r.reason}`);
  for (const w of r.warnings) lines.push(`Warning: ${w}`);
  if (r.alternatives.length) {
    lines.push('', 'Next candidates:');
    for (const a of r.alternatives) lines.push(`  ${formatPercent(a.confidence).padStart(4)}  ${name(a.l1, a.l2)}`);
  }
  if (r.questions.length) {
    lines.push('', 'Ask the customer:');
    r.questions.forEach((q, i) => lines.push(`  ${i + 1}. ${q.text}  [${q.l2 ?? q.l1}]`));
  }
  const e = r.explanation;
  // A weight that rounds to 0.00 said nothing: such a word is left out rather than shown as weighing "0.00".
  const weighed = e.terms.filter((t) => Math.abs(t.weight) >= 0.005);
  if (weighed.length) lines.push('', `Words that weighed most: ${weighed.map((t) => `${t.term} (${t.weight.toFixed(2)})`).join(', ')}`);
  if (e.nearestExamples.length) {
    lines.push('Nearest playbook examples:');
    for (const n of e.nearestExamples) lines.push(`  ${n.similarity.toFixed(2)}  "${n.text}" -> ${n.l2 ?? n.l1}${n.kind === 'invalid' ? ` (invalid example on ${n.file})` : ''}`);
  }
  if (e.invalidMatch) lines.push(`Matches an invalid example of ${e.invalidMatch.file}, which the playbook assigns to ${name(e.invalidMatch.pointsTo.l1, e.invalidMatch.pointsTo.l2)}: "${e.invalidMatch.text}"`);
  if (e.definitionSentence) lines.push(`Definition: ${e.definitionSentence}`);
  return lines.join('\n');
}

/**
 * Classifies every row of `input` to JSONL (stdout or `output`), in input order. Bad rows are written
 * as errors and counted; returns the number of bad rows after all good ones are written. An `output`
 * file is replaced only when every row has been written.
 */
async function classifyFile(model: Model, input: InputFile, output: string | undefined, top: number): Promise<number> {
  const [{ classify }, { noRowsError, readCsvRows, readJsonlRows }] = await Promise.all([import('../../classifier/index.js'), import('../input-rows.js')]);
  const target = openOutput(output);
  const renamed = new RenamedFields();
  // The progress bar (and its library) only where someone watches it: by the bytes of the file read.
  const progress = await (await import('../progress.js')).startInputProgress(input.path, 'classify');
  let complete = false;
  const missingText = input.format === 'csv' ? `The row has no cell in the "${input.textColumn}" column.` : 'The row has no "text" (or "note") field (a string).';
  let bad = 0;
  let good = 0;
  try {
    for await (const { row, fields, error, bytes } of input.format === 'csv' ? readCsvRows(input.path) : readJsonlRows(input.path)) {
      progress?.row(bytes);
      const text = fields?.text;
      if (error || !fields || typeof text !== 'string') {
        bad++;
        await writeLine(target.stream, jsonLine(badRowRecord(fields, row, error ?? { code: 'VALIDATION_FAILED', message: missingText }, renamed, RESULT_NAMES)));
        continue;
      }
      good++;
      const result = classify(model, text, { top });
      await writeLine(target.stream, jsonLine(mergeRow(fields, { ...result, text }, renamed, RESULT_NAMES)));
    }
    if (good + bad === 0) throw noRowsError(input, 'classify');
    complete = true;
    await target.commit();
  } catch (error) {
    throw target.abandon(error);
  } finally {
    progress?.stop(complete);
  }
  process.stderr.write(renamed.warning(input.format));
  process.stderr.write(`classified ${good} note(s)${bad ? `; ${bad} bad row(s)` : ''}\n`);
  return bad;
}

/**
 * The built-in model, or one for the pages of `--playbook` (or PLAYBOOK_DIR). Pages that do not
 * exist, or that hold no page defining a code, are an unusable argument (exit 2), as for `unblock
 * playbook`, and are refused before any training.
 */
async function loadModelFor(playbook: PlaybookChoice | undefined): Promise<Model> {
  if (playbook === undefined) {
    // The model store itself, not app/index.js: that one also loads the tracker and the database drivers.
    const [{ loadClassifierModel }, { resolveDataDir }] = await Promise.all([import('../../app/model-store.js'), import('../../config/index.js')]);
    return loadClassifierModel(undefined, trainingNotice, resolveDataDir());
  }
  const { loadPlaybookModel } = await import('../playbook-model.js');
  return (await loadPlaybookModel(playbook)).model;
}

export default defineCommand({
  meta: { name: 'classify', description: 'Classify a status note into L1/L2 with confidence, explanation and questions.' },
  args: {
    text: { type: 'positional', required: false, description: 'The note to classify (quote it, or pass several words)' },
    json: { type: 'boolean', description: 'Print the result as JSON' },
    top: { type: 'string', valueHint: 'n', description: `How many candidates to show (default 3, at most ${MAX_TOP})` },
    playbook: { type: 'string', valueHint: 'dir', description: PLAYBOOK_HELP },
    input: { type: 'string', valueHint: 'file', description: 'JSONL (with a "text" or "note" field) or CSV (with a "text" or "note" column) file of notes (- reads standard input); input fields named like result fields come back as input_<name>' },
    output: { type: 'string', valueHint: 'file', description: 'Write JSONL results to this file instead of stdout (with --input; - is stdout); it is replaced only when every row is written' },
  },
  async run({ args, rawArgs, cmd }) {
    checkFlags(rawArgs, flagNames(cmd.args), 'classify');
    if (args.input === '') throw new AppError('BAD_ARGUMENTS', '--input needs a file: a JSONL file with a "text" field, or a CSV file with a "text" column.');
    if (args.output === '') throw new AppError('BAD_ARGUMENTS', '--output needs a file to write the JSONL results to.');
    const top = parseTop(args.top);
    const text = args._.join(' ');
    if (!args.input && args._.length === 0) {
      throw new AppError('BAD_ARGUMENTS', 'Give the note to classify, e.g. `unblock classify "IT has no one to run it"`, or --input FILE.');
    }
    if (args.input && args._.length > 0) throw new AppError('BAD_ARGUMENTS', 'Give either a note or --input FILE, not both.');
    // An empty note on the command line is a slip (an unset shell variable, say), refused as `notes grade`
    // refuses one; an --input row with an empty text is answered with an abstention, as the API answers it.
    if (!args.input && text.trim() === '') throw new AppError('BAD_ARGUMENTS', emptyNoteMessage('classify', 'IT has no one to run it'));
    if (args.output && !args.input) throw new AppError('BAD_ARGUMENTS', '--output only works with --input FILE.');
    const playbook = choosePlaybook(args.playbook);
    const input = args.input ? await (await import('../input-rows.js')).openInputFile(args.input, args.output) : undefined;
    const model = await loadModelFor(playbook);
    if (input) {
      // Exit 1 (like `notes grade`) when any row failed, after every good row is written.
      if ((await classifyFile(model, input, args.output, top)) > 0) process.exitCode = 1;
      return;
    }
    const { classify } = await import('../../classifier/index.js');
    const result = classify(model, text, { top });
    process.stdout.write(args.json ? jsonDocument(result) : `${formatClassification(result)}\n`);
  },
});
