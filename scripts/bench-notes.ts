/**
 * Benchmark of the note coach: per-note latency of gradeNote over the graded notes
 * (eval/notes/dev.jsonl + heldout.jsonl) repeated to N notes, without and (when it loads)
 * with the classifier. Run: `npx tsc -p tsconfig.build.json && node dist/scripts/bench-notes.js [N]`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gradeNote, type ClassifyFn, type GradedNote, type NoteContext } from '../src/notes/index.js';

export interface NoteBenchResult {
  label: string;
  notes: number;
  /** Milliseconds per note. */
  p50: number;
  p99: number;
  max: number;
  mean: number;
  /** First-call cost (model loading), milliseconds. */
  warmup: number;
}

function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('package.json not found above the benchmark');
    dir = parent;
  }
  return dir;
}

/** The graded notes of eval/notes, as grading inputs. */
export function readGradedNotes(root = findRoot()): GradedNote[] {
  return ['dev.jsonl', 'heldout.jsonl'].flatMap((f) =>
    readFileSync(join(root, 'eval', 'notes', f), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as GradedNote),
  );
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

/** Grades `count` notes cycling through `notes`, timing each call. */
export function benchNotes(notes: readonly GradedNote[], count = 10_000, classify?: ClassifyFn, label = classify ? 'with classifier' : 'without classifier'): NoteBenchResult {
  const contexts: { text: string; context: NoteContext }[] = notes.map((n) => ({
    text: n.text,
    context: { l1: n.l1, l2: n.l2, workload: n.workload, managed: n.managed, otherNotes: n.otherNotes, ...(classify ? { classify } : {}) },
  }));
  const t0 = performance.now();
  gradeNote(contexts[0]!.text, contexts[0]!.context);
  const warmup = performance.now() - t0;
  const times = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const c = contexts[i % contexts.length]!;
    const start = performance.now();
    gradeNote(c.text, c.context);
    times[i] = performance.now() - start;
  }
  const sorted = Array.from(times).sort((a, b) => a - b);
  const mean = sorted.reduce((s, v) => s + v, 0) / sorted.length;
  return { label, notes: count, p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), max: sorted[sorted.length - 1] ?? 0, mean, warmup };
}

async function loadClassify(): Promise<ClassifyFn | string> {
  try {
    const [{ loadClassifier }, { classify }] = await Promise.all([import('../src/app/index.js'), import('../src/classifier/index.js')]);
    const { model } = await loadClassifier(undefined);
    return (text: string) => {
      const c = classify(model, text, { explain: false, top: 1 });
      return { l1: c.l1 ?? '', l2: c.l2, confidence: c.confidence, l1Confidence: c.l1Confidence, abstained: c.abstained || !c.l1 };
    };
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

function print(r: NoteBenchResult): void {
  const f = (v: number) => v.toFixed(3);
  process.stdout.write(`${r.label.padEnd(20)} ${r.notes} notes  p50 ${f(r.p50)} ms  p99 ${f(r.p99)} ms  max ${f(r.max)} ms  mean ${f(r.mean)} ms  (first call ${r.warmup.toFixed(0)} ms)\n`);
}

/** The note coach's figures over `count` notes, printed (`npm run bench` runs it after the classifier's). */
export async function runNotesBench(count = 10_000): Promise<void> {
  const notes = readGradedNotes();
  const load = loadavg().map((v) => v.toFixed(1)).join(' ');
  process.stdout.write(`bench-notes: ${notes.length} graded notes repeated to ${count}; node ${process.version}; ${cpus().length} cores, load average ${load} (wall-clock times: other work on the machine shows in p99)\n`);
  print(benchNotes(notes, count));
  const classify = await loadClassify();
  if (typeof classify === 'string') process.stdout.write(`with classifier: skipped (${classify})\n`);
  else print(benchNotes(notes, count, classify));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const arg = process.argv[2];
  if (process.argv.length > 3 || (arg !== undefined && !/^[1-9]\d*$/.test(arg))) {
    process.stderr.write(`usage: node dist/scripts/bench-notes.js [N]   (N: how many notes, a whole number; default 10000)\n`);
    process.exitCode = 2;
  } else await runNotesBench(arg === undefined ? undefined : Number(arg));
}
