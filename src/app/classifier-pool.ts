/**
 * Runs the classifier on worker threads so the HTTP thread stays free for parsing, auth and
 * serialising while notes are classified on the other cores. Each worker holds its own copy of the
 * model (about 100 MB). A job goes to the worker with the fewest jobs in flight. If a worker fails,
 * its jobs (and later ones, when none is left) are classified on the calling thread instead, so a
 * caller always gets an answer. The workers also advise on notes (grade and reading, src/app/advice.ts).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { classify, type Classification, type ClassifyOptions, type Model } from '../classifier/index.js';
import type { NoteAdvice, NoteToAdvise } from '../tracker/index.js';
import { ADVICE_CLASSIFY_OPTIONS, adviseNote, type AdviceClassify } from './advice.js';
import { findPackageRoot } from './model-store.js';

export interface ClassifierPool {
  readonly size: number;
  classify(text: string, options?: ClassifyOptions): Promise<Classification>;
  /** The classification as JSON text, serialised on the worker (what an HTTP response needs). */
  classifyJson(text: string, options?: ClassifyOptions): Promise<string>;
  /**
   * Advice on each note (src/app/advice.ts), in input order. Each worker holds two jobs at a time; with
   * `callingThread`, this thread advises on notes too between the workers' answers (an import, which
   * holds the thread anyway, gets about one more core's worth), else it only hands jobs out.
   */
  adviseMany(items: readonly NoteToAdvise[], options?: { callingThread?: boolean }): Promise<NoteAdvice[]>;
  /** Stops the workers; jobs still in flight are answered on the calling thread. Idempotent. */
  close(): Promise<void>;
}

type Pending =
  | { text: string; options: ClassifyOptions; json: boolean; resolve: (result: Classification | string) => void }
  | { advise: NoteToAdvise; resolve: (advice: NoteAdvice) => void };

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
  alive: boolean;
}

/** The compiled worker script: beside this module in dist/, or dist/src/app when running from sources (tests). */
function workerScript(): URL {
  const here = new URL('./classifier-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  return new URL(`file://${join(findPackageRoot(), 'dist', 'src', 'app', 'classifier-worker.js')}`);
}

/**
 * Starts `size` workers over `model`'s data and resolves once every one has loaded it. Workers read
 * the built-in word vectors (dist/assets/vectors.bin), the ones every served model is built with.
 */
export async function createClassifierPool(model: Model, size: number): Promise<ClassifierPool> {
  const script = workerScript();
  let nextId = 1;
  let closed = false;
  const slots: Slot[] = [];
  const classifyForAdvice: AdviceClassify = (text, options) => classify(model, text, { ...ADVICE_CLASSIFY_OPTIONS, ...options });
  const fallback = (job: Pending) => {
    if ('advise' in job) return job.resolve(adviseNote(classifyForAdvice, job.advise));
    const result = classify(model, job.text, job.options);
    job.resolve(job.json ? JSON.stringify(result) : result);
  };
  const retire = (slot: Slot) => {
    if (!slot.alive) return;
    slot.alive = false;
    for (const job of slot.pending.values()) fallback(job);
    slot.pending.clear();
  };
  await Promise.all(
    Array.from({ length: size }, () => {
      const worker = new Worker(script, { workerData: { model: model.data } });
      // Idle workers never keep the process alive (ref'd only while they hold jobs); close() stops them.
      worker.unref();
      const slot: Slot = { worker, pending: new Map(), alive: true };
      slots.push(slot);
      return new Promise<void>((ready) => {
        worker.on('message', (message: { ready?: true; id?: number; result?: Classification; json?: string; advice?: NoteAdvice }) => {
          if (message.ready) return ready();
          const job = slot.pending.get(message.id!);
          if (!job) return;
          slot.pending.delete(message.id!);
          if (slot.pending.size === 0) worker.unref();
          if ('advise' in job) job.resolve(message.advice!);
          else job.resolve(job.json ? message.json! : message.result!);
        });
        worker.on('error', () => {
          retire(slot);
          ready();
        });
        worker.on('exit', () => {
          retire(slot);
          ready();
        });
      });
    }),
  );
  /** Sends `job` to the live worker with the fewest jobs in flight; the calling thread answers when none is left. */
  const dispatch = (job: Pending) => {
    let best: Slot | undefined;
    for (const slot of slots) if (slot.alive && (!best || slot.pending.size < best.pending.size)) best = slot;
    if (closed || !best) return fallback(job);
    const id = nextId++;
    if (best.pending.size === 0) best.worker.ref();
    best.pending.set(id, job);
    best.worker.postMessage('advise' in job ? { id, advise: job.advise } : { id, text: job.text, options: job.options, json: job.json });
  };
  const submit = (text: string, options: ClassifyOptions, json: boolean) => new Promise<Classification | string>((resolve) => dispatch({ text, options, json, resolve }));
  const adviseMany = async (items: readonly NoteToAdvise[], options: { callingThread?: boolean } = {}) => {
    const results: NoteAdvice[] = new Array<NoteAdvice>(items.length);
    let next = 0;
    // Two jobs per worker in flight, so a worker never waits for this thread to hand it the next one.
    const lane = async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await new Promise<NoteAdvice>((resolve) => dispatch({ advise: items[i]!, resolve }));
      }
    };
    const lanes = slots.filter((slot) => slot.alive).flatMap(() => [lane(), lane()]);
    if (options.callingThread || lanes.length === 0) {
      lanes.push(
        (async () => {
          while (next < items.length) {
            const i = next++;
            results[i] = adviseNote(classifyForAdvice, items[i]!);
            // Let the workers' answers in, so their lanes hand them the next notes.
            await new Promise((resume) => setImmediate(resume));
          }
        })(),
      );
    }
    await Promise.all(lanes);
    return results;
  };
  return {
    size,
    classify: (text, options = {}) => submit(text, options, false) as Promise<Classification>,
    classifyJson: (text, options = {}) => submit(text, options, true) as Promise<string>,
    adviseMany,
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all(slots.map((slot) => slot.worker.terminate()));
    },
  };
}
