/**
 * `npm run bench`: training time, model load time, latency and throughput over 10,000
 * notes on one core, memory; and, in the same run, the same figures and held-out accuracy
 * for NLP.js and natural's Bayes and logistic-regression classifiers trained on the same
 * page examples. Prints what it measured; asserts nothing. `--quick` skips natural's
 * logistic regression, which trains for minutes.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { classify, decodeVectors, evaluate, trainModel, type LabelledNote } from '../src/classifier/index.js';
import { collectTrainingData } from '../src/classifier/examples.js';
import { DEFAULT_OPTIONS } from '../src/classifier/model.js';
import { findPackageRoot, getAssetsDir, loadPlaybook } from '../src/app/index.js';
import { resolveRowLabel } from '../src/cli/commands/eval.js';
import { runNotesBench } from './bench-notes.js';

const NOTES = 10_000;
const require = createRequire(import.meta.url);

interface Peer {
  name: string;
  train(examples: { text: string; code: string }[]): Promise<void>;
  /** Codes, best first. */
  rank(text: string): Promise<string[]>;
}

function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;
const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

function readNotes(dir: string, taxonomy: Parameters<typeof resolveRowLabel>[0]): LabelledNote[] {
  const notes: LabelledNote[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort()) {
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const row = JSON.parse(line) as { text: string; l1?: string; l2?: string | null };
      const resolved = resolveRowLabel(taxonomy, row.l1, row.l2);
      if ('code' in resolved) notes.push({ text: row.text, code: resolved.code });
    }
  }
  return notes;
}

async function timeLatency(run: (text: string) => unknown | Promise<unknown>, texts: string[]): Promise<{ p50: number; p99: number; perSecond: number }> {
  for (let i = 0; i < Math.min(200, texts.length); i++) await run(texts[i] as string);
  const times: number[] = [];
  const start = performance.now();
  for (const text of texts) {
    const t = performance.now();
    await run(text);
    times.push(performance.now() - t);
  }
  const total = performance.now() - start;
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 0.5), p99: percentile(times, 0.99), perSecond: (texts.length / total) * 1000 };
}

function createNlpJsPeer(): Peer {
  const { Nlp } = require('@nlpjs/nlp') as { Nlp: new (settings: object) => { use(p: unknown): void; addDocument(l: string, t: string, i: string): void; train(): Promise<void>; process(l: string, t: string): Promise<{ intent: string; classifications?: { intent: string; score: number }[] }> } };
  const { LangEn } = require('@nlpjs/lang-en-min') as { LangEn: unknown };
  const nlp = new Nlp({ languages: ['en'], autoSave: false, autoLoad: false, modelFileName: '', nlu: { log: false }, threshold: 0 });
  nlp.use(LangEn);
  return {
    name: 'NLP.js (@nlpjs/nlp)',
    async train(examples) {
      for (const e of examples) nlp.addDocument('en', e.text, e.code);
      await nlp.train();
    },
    async rank(text) {
      const r = await nlp.process('en', text);
      return (r.classifications ?? []).filter((c) => c.intent !== 'None').map((c) => c.intent);
    },
  };
}

async function createNaturalPeer(kind: 'bayes' | 'logistic'): Promise<Peer> {
  process.env.DOTENV_CONFIG_QUIET ??= 'true';
  type NaturalClassifier = { addDocument(text: string, label: string): void; train(): void; getClassifications(text: string): { label: string; value: number }[] };
  const natural = require('natural') as { BayesClassifier: new () => NaturalClassifier; LogisticRegressionClassifier: new () => NaturalClassifier };
  const classifier = kind === 'bayes' ? new natural.BayesClassifier() : new natural.LogisticRegressionClassifier();
  return {
    name: kind === 'bayes' ? 'natural BayesClassifier' : 'natural LogisticRegressionClassifier',
    async train(examples) {
      for (const e of examples) classifier.addDocument(e.text, e.code);
      classifier.train();
    },
    async rank(text) {
      return classifier.getClassifications(text).map((c) => c.label);
    },
  };
}

const USAGE = 'usage: node dist/scripts/bench.js [--quick] [--with-notes]   (npm run bench [-- --quick]: with the note coach\'s figures)';

/**
 * The flags, read strictly: an unknown one stops before minutes of training, with the usage; `--help`
 * prints it. `--with-notes` (what `npm run bench` passes) adds the note coach's figures at the end, so
 * `npm run bench -- --quick` reaches this script (npm appends it to the last command of the line).
 */
export function readBenchArgs(argv: string[]): { quick: boolean; withNotes: boolean } | { exit: number; message: string } {
  try {
    const { values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: { quick: { type: 'boolean', default: false }, 'with-notes': { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } },
    });
    return values.help ? { exit: 0, message: USAGE } : { quick: values.quick, withNotes: values['with-notes'] };
  } catch (error) {
    return { exit: 2, message: `bench: ${(error as Error).message}\n${USAGE}` };
  }
}

async function main(): Promise<void> {
  const args = readBenchArgs(process.argv.slice(2));
  if ('exit' in args) {
    (args.exit === 0 ? process.stdout : process.stderr).write(`${args.message}\n`);
    process.exitCode = args.exit;
    return;
  }
  const root = findPackageRoot();
  const playbook = await loadPlaybook();
  const heldout = readNotes(join(root, 'eval', 'heldout'), playbook.taxonomy);
  const dev = readNotes(join(root, 'eval', 'dev'), playbook.taxonomy);
  const pool = [...heldout, ...dev].map((n) => n.text);
  const texts = Array.from({ length: NOTES }, (_, i) => pool[i % pool.length] as string);
  const vectors = decodeVectors(readFileSync(join(getAssetsDir(), 'vectors.bin')));
  const out: string[] = [];
  const say = (line = '') => {
    out.push(line);
    process.stdout.write(`${line}\n`);
  };
  say('Unblock classifier benchmark');
  say(`command: npm run bench   (node ${process.version}, ${process.platform}/${process.arch}, single thread; the machine may be shared)`);
  say(`inputs: built-in playbook (${playbook.pages.length} pages, taxonomy ${playbook.taxonomy.version}); held-out set ${heldout.length} notes; timing set ${NOTES} notes cycled from held-out + dev (${pool.length} distinct)`);
  say();

  const trainStart = performance.now();
  const model = trainModel(playbook, vectors);
  const trainMs = performance.now() - trainStart;
  const load = JSON.parse(execFileSync(process.execPath, [fileURLToPath(new URL('./bench-load.js', import.meta.url))], { encoding: 'utf8' })) as { loadMs: number; firstClassifyMs: number; rss: number };
  const full = await timeLatency((t) => classify(model, t), texts);
  const lean = await timeLatency((t) => classify(model, t, { explain: false }), texts);
  const ours = evaluate(model, heldout);
  const mem = process.memoryUsage();
  say(`Unblock: train ${(trainMs / 1000).toFixed(2)} s (incl. ${model.data.options.folds}-fold CV for calibration); load ${load.loadMs.toFixed(0)} ms (+${load.firstClassifyMs.toFixed(0)} ms first call, tokenizer warm-up); child RSS after load ${mb(load.rss)}`);
  say(`  with explanation: p50 ${full.p50.toFixed(3)} ms, p99 ${full.p99.toFixed(3)} ms, ${full.perSecond.toFixed(0)} notes/s`);
  say(`  without explanation: p50 ${lean.p50.toFixed(3)} ms, p99 ${lean.p99.toFixed(3)} ms, ${lean.perSecond.toFixed(0)} notes/s`);
  say(`  held-out: top-1 ${pct(ours.top1)}, top-3 ${pct(ours.top3)}, ECE ${ours.ece.toFixed(3)}, abstained ${pct(ours.abstentionRate)}, accuracy when answered ${pct(ours.accuracyOnAnswered)}`);
  say(`  memory (this process): RSS ${mb(mem.rss)}, heap used ${mb(mem.heapUsed)}`);
  say();

  const data = collectTrainingData(playbook, DEFAULT_OPTIONS);
  const examples = data.examples.filter((e) => (e.kind === 'valid' || e.kind === 'invalid') && e.code >= 0).map((e) => ({ text: e.text, code: data.codes[e.code]?.id ?? '' }));
  say(`Peers, trained on the same ${examples.length} page example scenarios (valid ones for their page, invalid ones for the code they name):`);
  const rows: { name: string; top1: number; perSecond: number; p50: number }[] = [];
  const { quick } = args;
  if (quick) say('(--quick: natural LogisticRegressionClassifier skipped; it trains for several minutes)');
  const peers = [async () => createNlpJsPeer(), () => createNaturalPeer('bayes'), ...(quick ? [] : [() => createNaturalPeer('logistic')])];
  for (const make of peers) {
    const peer = await make();
    const heapBefore = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    await peer.train(examples);
    const peerTrain = performance.now() - t0;
    let top1 = 0;
    let top3 = 0;
    for (const note of heldout) {
      const ranked = await peer.rank(note.text);
      if (ranked[0] === note.code) top1++;
      if (ranked.slice(0, 3).includes(note.code)) top3++;
    }
    const peerTexts = texts.slice(0, peer.name.includes('Logistic') ? 2000 : NOTES);
    const speed = await timeLatency((t) => peer.rank(t), peerTexts);
    const n = Math.max(heldout.length, 1);
    rows.push({ name: peer.name, top1: top1 / n, perSecond: speed.perSecond, p50: speed.p50 });
    say(`${peer.name}: train ${(peerTrain / 1000).toFixed(2)} s; p50 ${speed.p50.toFixed(3)} ms, p99 ${speed.p99.toFixed(3)} ms, ${speed.perSecond.toFixed(0)} notes/s over ${peerTexts.length} notes; heap +${mb(process.memoryUsage().heapUsed - heapBefore)}`);
    say(`  held-out: top-1 ${pct(top1 / n)}, top-3 ${pct(top3 / n)}`);
  }
  say();
  const best = rows.reduce((a, b) => (b.top1 > a.top1 ? b : a));
  say(`Ratios (Unblock with explanation vs peer):`);
  for (const r of rows) say(`  vs ${r.name}: top-1 ${((ours.top1 - r.top1) * 100).toFixed(1)} points ${ours.top1 >= r.top1 ? 'higher' : 'lower'}; throughput x${(full.perSecond / r.perSecond).toFixed(2)}; p50 latency x${(full.p50 / r.p50).toFixed(2)}`);
  say(`Best peer: ${best.name} (top-1 ${pct(best.top1)}); Unblock is ${((ours.top1 - best.top1) * 100).toFixed(1)} points ahead (target: >= 20).`);
  say(`Targets: held-out top-1 >= 90% (${pct(ours.top1)}), top-3 >= 98% (${pct(ours.top3)}), ECE <= 0.05 (${ours.ece.toFixed(3)}), >= 5000 notes/s (${full.perSecond.toFixed(0)}), load <= 300 ms (${load.loadMs.toFixed(0)} ms).`);
  if (args.withNotes) {
    say();
    await runNotesBench();
  }
}

// Run as a script (not when a test imports readBenchArgs).
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error: unknown) => {
    process.stderr.write(`bench: failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
}
