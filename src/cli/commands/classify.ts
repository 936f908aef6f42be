/** `unblock classify`: one note from the command line, or a JSONL/CSV file of notes streamed to JSONL. */
import { createWriteStream, readFileSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { defineCommand } from 'citty';
import cliProgress from 'cli-progress';
import { classify, type Classification, type Model } from '../../classifier/index.js';
import { loadClassifier, loadClassifierModel } from '../../app/index.js';
import { AppError, formatPercent, isAppError } from '../../lib/index.js';
import { resolveDataDir } from '../../config/index.js';
import { trainingNotice } from '../model-notice.js';
import { checkFlags, flagNames } from '../flags.js';
import { checkInputFile, readCsvRows, readJsonlRows } from '../input-rows.js';

function parseTop(value: unknown): number {
  if (value === undefined || value === '') return 3;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 50) throw new AppError('BAD_ARGUMENTS', `--top must be a whole number from 1 to 50, not "${String(value)}".`);
  return n;
}

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
  if (e.terms.length) lines.push('', `Words that weighed most: ${e.terms.map((t) => `${t.term} (${t.weight.toFixed(2)})`).join(', ')}`);
  if (e.nearestExamples.length) {
    lines.push('Nearest playbook examples:');
    for (const n of e.nearestExamples) lines.push(`  ${n.similarity.toFixed(2)}  "${n.text}" -> ${n.l2 ?? n.l1}${n.kind === 'invalid' ? ` (invalid example on ${n.file})` : ''}`);
  }
  if (e.invalidMatch) lines.push(`Matches an invalid example of ${e.invalidMatch.file}, which the playbook assigns to ${name(e.invalidMatch.pointsTo.l1, e.invalidMatch.pointsTo.l2)}: "${e.invalidMatch.text}"`);
  if (e.definitionSentence) lines.push(`Definition: ${e.definitionSentence}`);
  return lines.join('\n');
}

function countRows(path: string): number {
  const text = readFileSync(path, 'utf8');
  let n = 0;
  for (const line of text.split('\n')) if (line.trim() !== '') n++;
  return path.toLowerCase().endsWith('.csv') ? Math.max(0, n - 1) : n;
}

/**
 * Classifies every row of `input` to JSONL (stdout or `output`), in input order. Bad rows are written
 * as errors and counted; returns the number of bad rows after all good ones are written.
 */
async function classifyFile(model: Model, input: string, output: string | undefined, top: number): Promise<number> {
  checkInputFile(input);
  const isCsv = input.toLowerCase().endsWith('.csv');
  if (isCsv) {
    const header = readFileSync(input, 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
    if (!header.split(',').some((h) => h.trim().replace(/^"|"$/g, '') === 'text')) {
      throw new AppError('CSV_INVALID', `${input} has no "text" column; its header is: ${header.slice(0, 200)}`);
    }
  }
  const out: Writable = output ? createWriteStream(output) : process.stdout;
  const bar = process.stderr.isTTY ? new cliProgress.SingleBar({ stream: process.stderr, format: 'classify [{bar}] {value}/{total} notes' }, cliProgress.Presets.shades_classic) : undefined;
  bar?.start(countRows(input), 0);
  const write = (line: string) => (out.write(`${line}\n`) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r())));
  let bad = 0;
  let good = 0;
  for await (const { row, fields, error } of isCsv ? readCsvRows(input) : readJsonlRows(input)) {
    bar?.increment();
    if (error || !fields) {
      bad++;
      await write(JSON.stringify({ row, error: error ?? { code: 'VALIDATION_FAILED', message: 'Unreadable row.' } }));
      continue;
    }
    const text = fields.text;
    if (typeof text !== 'string') {
      bad++;
      await write(JSON.stringify({ ...fields, row, error: { code: 'VALIDATION_FAILED', message: 'The row has no "text" field (a string).' } }));
      continue;
    }
    good++;
    const result = classify(model, text, { top });
    await write(JSON.stringify({ ...fields, ...result, text }));
  }
  bar?.stop();
  if (output) await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  process.stderr.write(`classified ${good} note(s)${bad ? `; ${bad} bad row(s)` : ''}\n`);
  return bad;
}

/**
 * The built-in model, or one for the pages at `playbook`. A `--playbook` that does not exist, or that
 * holds no page defining a code, is an unusable argument (exit 2), as for `unblock playbook`.
 */
async function loadModelFor(playbook: string | undefined): Promise<Model> {
  if (playbook === undefined) return loadClassifierModel(undefined, trainingNotice, resolveDataDir());
  if (playbook.trim() === '') throw new AppError('BAD_ARGUMENTS', '--playbook needs a folder (or file) of playbook pages.');
  try {
    const { model, taxonomy } = await loadClassifier(playbook, trainingNotice, resolveDataDir());
    if (taxonomy.codes.length === 0) throw new AppError('BAD_ARGUMENTS', `--playbook ${playbook} defines no code: it holds no playbook page (*.md) with a title "L1 - L2" or an L1 name. Check it with \`unblock playbook lint ${playbook}\`.`);
    return model;
  } catch (error) {
    if (isAppError(error) && error.code === 'FILE_NOT_FOUND') throw new AppError('BAD_ARGUMENTS', `--playbook: ${error.message}`, error.details);
    throw error;
  }
}

export default defineCommand({
  meta: { name: 'classify', description: 'Classify a status note into L1/L2 with confidence, explanation and questions.' },
  args: {
    text: { type: 'positional', required: false, description: 'The note to classify (quote it, or pass several words).' },
    json: { type: 'boolean', description: 'Print the result as JSON.' },
    top: { type: 'string', description: 'How many candidates to show (default 3).' },
    playbook: { type: 'string', description: 'Folder of playbook pages to use instead of the built-in playbook.' },
    input: { type: 'string', description: 'JSONL (with a "text" field) or CSV (with a "text" column) file of notes.' },
    output: { type: 'string', description: 'Write JSONL results here instead of stdout (with --input).' },
  },
  async run({ args, rawArgs, cmd }) {
    checkFlags(rawArgs, flagNames(cmd.args), 'classify');
    if (args.input === '') throw new AppError('BAD_ARGUMENTS', '--input needs a file: a JSONL file with a "text" field, or a CSV file with a "text" column.');
    if (args.output === '') throw new AppError('BAD_ARGUMENTS', '--output needs a file to write the JSONL results to.');
    const top = parseTop(args.top);
    const text = args._.join(' ');
    if (!args.input && text.trim() === '' && args._.length === 0) {
      throw new AppError('BAD_ARGUMENTS', 'Give the note to classify, e.g. `unblock classify "IT has no one to run it"`, or --input FILE.');
    }
    if (args.input && args._.length > 0) throw new AppError('BAD_ARGUMENTS', 'Give either a note or --input FILE, not both.');
    if (args.output && !args.input) throw new AppError('BAD_ARGUMENTS', '--output only works with --input FILE.');
    const model = await loadModelFor(args.playbook);
    if (args.input) {
      // Exit 1 (like `notes grade`) when any row failed, after every good row is written.
      if ((await classifyFile(model, args.input, args.output, top)) > 0) process.exitCode = 1;
      return;
    }
    const result = classify(model, text, { top });
    process.stdout.write(args.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatClassification(result)}\n`);
  },
});
