/**
 * A background WAL checkpointer for a file-backed SQLite database.
 *
 * SQLite checkpoints on the connection that commits: the commit that pushes the write-ahead log past
 * 1,000 pages copies the log into the database file and syncs it before it returns. After a large
 * write (an import of 50,000 rows writes about 100 MB of log) that costs the request 0.3-1.2 s on
 * this machine, on the thread that serves every other request. Here a worker thread with its own
 * connection watches the log's size and runs PASSIVE checkpoints, which never wait for and never
 * block the writer; the main connection's own automatic checkpoint is raised to a backstop that only
 * fires if the worker falls far behind (or dies).
 *
 * The worker is a few lines of CommonJS run with `eval` (it needs no build step, so it runs the same
 * from the compiled package and from the TypeScript sources under the test runner).
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type SQLite from 'better-sqlite3';

/** Log size (bytes) at which the worker checkpoints: SQLite's own default of 1,000 pages of 4 KiB. */
export const CHECKPOINT_AT_BYTES = 4 * 1024 * 1024;
/** The main connection still checkpoints by itself past this many pages (about 400 MB of log). */
export const BACKSTOP_PAGES = 100_000;
/** How often the worker looks at the log's size (ms). */
const POLL_MS = 200;

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { statSync } = require('node:fs');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 0');
const wal = workerData.path + '-wal';
function tick() {
  let size = 0;
  try { size = statSync(wal).size; } catch { return; }
  if (size < workerData.threshold) return;
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    // Every frame copied: shrink the log to nothing, so that its size means new frames again. With no
    // busy wait this takes the write lock only if it is free, and holds it for a truncate.
    if (r && r.busy === 0 && r.log === r.checkpointed) db.pragma('wal_checkpoint(TRUNCATE)');
  } catch {}
}
const timer = setInterval(tick, workerData.pollMs);
parentPort.on('message', (message) => {
  if (message !== 'close') return;
  clearInterval(timer);
  try { db.close(); } catch {}
  parentPort.close();
});
`;

export interface Checkpointer {
  /** Stops the worker and closes its connection. Idempotent. */
  close(): Promise<void>;
}

/**
 * Starts the background checkpointer for the database at `path`, already open (in WAL mode) as
 * `handle`. Returns null, leaving SQLite's own checkpointing alone, when the worker cannot start.
 */
export function startCheckpointer(handle: SQLite.Database, path: string): Checkpointer | null {
  let worker: Worker;
  try {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, path, threshold: CHECKPOINT_AT_BYTES, pollMs: POLL_MS } });
  } catch {
    return null;
  }
  worker.unref();
  // A worker that fails (it cannot open the file, say) leaves the checkpoints to the main connection.
  worker.on('error', () => handle.open && handle.pragma('wal_autocheckpoint = 1000'));
  handle.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  let closing: Promise<void> | null = null;
  return {
    close() {
      closing ??= (async () => {
        worker.postMessage('close');
        const timeout = setTimeout(() => void worker.terminate(), 2_000);
        await exited;
        clearTimeout(timeout);
      })();
      return closing;
    },
  };
}
