/**
 * Runs the classifier on worker threads so the HTTP thread stays free for parsing, auth and
 * serialising while notes are classified on the other cores. Each worker holds its own copy of the
 * model (about 100 MB). A job goes to the worker with the fewest jobs in flight. If a worker fails,
 * its jobs (and later ones, when none is left) are classified on the calling thread instead, so a
 * caller always gets an answer.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { classify, type Classification, type ClassifyOptions, type Model } from '../classifier/index.js';
import { findPackageRoot } from './model-store.js';

export interface ClassifierPool {
  readonly size: number;
  classify(text: string, options?: ClassifyOptions): Promise<Classification>;
  /** The classification as JSON text, serialised on the worker (what an HTTP response needs). */
  classifyJson(text: string, options?: ClassifyOptions): Promise<string>;
  /** Stops the workers; jobs still in flight are answered on the calling thread. Idempotent. */
  close(): Promise<void>;
}

interface Pending {
  text: string;
  options: ClassifyOptions;
  json: boolean;
  resolve: (result: Classification | string) => void;
}

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
  const fallback = (job: Pending) => {
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
        worker.on('message', (message: { ready?: true; id?: number; result?: Classification; json?: string }) => {
          if (message.ready) return ready();
          const job = slot.pending.get(message.id!);
          if (!job) return;
          slot.pending.delete(message.id!);
          if (slot.pending.size === 0) worker.unref();
          job.resolve(job.json ? message.json! : message.result!);
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
  const submit = (text: string, options: ClassifyOptions, json: boolean) =>
    new Promise<Classification | string>((resolve) => {
      const job: Pending = { text, options, json, resolve };
      let best: Slot | undefined;
      for (const slot of slots) if (slot.alive && (!best || slot.pending.size < best.pending.size)) best = slot;
      if (closed || !best) return fallback(job);
      const id = nextId++;
      if (best.pending.size === 0) best.worker.ref();
      best.pending.set(id, job);
      best.worker.postMessage({ id, text, options, json });
    });
  return {
    size,
    classify: (text, options = {}) => submit(text, options, false) as Promise<Classification>,
    classifyJson: (text, options = {}) => submit(text, options, true) as Promise<string>,
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all(slots.map((slot) => slot.worker.terminate()));
    },
  };
}
