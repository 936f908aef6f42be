/**
 * Where the classifier's assets live: the trimmed word vectors and the built-in
 * model under dist/assets (written by `npm run build`), and models trained for
 * other page sets cached under `<dataDir>/cache/model-<taxonomy version>.json`. Every edit of a page
 * makes a new taxonomy version, so the cache keeps only the most recently used models (see
 * {@link MODEL_CACHE_KEEP}).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { isAscii } from 'node:buffer';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeVectors, prepareModel, trainModel, TRAINER_VERSION, type Model, type SerializedModel, type TrainingPlaybook, type WordVectors } from '../classifier/index.js';
import { AppError } from '../lib/index.js';
import { BUILTIN_PLAYBOOK_DIR, loadPlaybook } from './playbook-source.js';

/** The package root: the nearest folder above this module holding package.json. */
export function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new AppError('INTERNAL', 'Cannot find the Unblock package folder.');
    dir = parent;
  }
  return dir;
}

/** Folder of the build-time assets (dist/assets under the package root). */
export function getAssetsDir(): string {
  return join(findPackageRoot(), 'dist', 'assets');
}

let cachedVectors: WordVectors | undefined;

/** Reads dist/assets/vectors.bin (once per process). Throws FILE_NOT_FOUND when the build has not run. */
export function loadVectors(path = join(getAssetsDir(), 'vectors.bin')): WordVectors {
  if (cachedVectors && path === join(getAssetsDir(), 'vectors.bin')) return cachedVectors;
  if (!existsSync(path)) throw new AppError('FILE_NOT_FOUND', `Word vectors not found at ${path}; run \`npm run build\` first.`);
  const vectors = decodeVectors(readFileSync(path));
  if (path === join(getAssetsDir(), 'vectors.bin')) cachedVectors = vectors;
  return vectors;
}

/** A model as the JSON text written to disk: ASCII only (other characters as JSON \\u escapes), so {@link readModelFile} reads it fast. */
export function modelFileText(model: Model): string {
  return JSON.stringify(model.data).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Reads a serialised model; undefined when it is missing, unreadable or from another trainer. A model
 * file is ASCII (base64 weights, JSON escapes): read as Latin-1 it decodes several times faster than as
 * UTF-8 (about 10 ms against 55-110 ms for the built-in 6.5 MB file here), and the check keeps any
 * other file exact.
 */
export function readModelFile(path: string): SerializedModel | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const bytes = readFileSync(path);
    const data = JSON.parse(bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8')) as SerializedModel;
    // A model from another trainer (older features or lexicon) is not used: it is trained again.
    return data.format === 'unblock-model/1' && data.trainer === TRAINER_VERSION ? data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * How many trained models `<dataDir>/cache` keeps: the most recently used ones. A model is 10 KB to
 * about 7 MB (the built-in playbook's 19 codes make 6.5 MB), so five cost at most some 35 MB, and they
 * cover going back and forth between a few versions of a page set (an edit and its undo, two branches,
 * `serve` and `classify` on different folders under one DATA_DIR) without training again, which takes
 * up to a minute each time.
 */
export const MODEL_CACHE_KEEP = 5;

/** A temporary file of a cache write older than this was left by a process that stopped mid-write (a write takes seconds). */
const STALE_TMP_MS = 60 * 60 * 1000;

const MODEL_FILE = /^model-[\w-]+\.json$/;
const TMP_FILE = /^model-[\w-]+\.json\.\d+\.tmp$/;

/** Marks a cached model as just used (its modification time is the cache's "last used"); a failure only makes it look older. */
function markUsed(path: string): void {
  try {
    const now = new Date();
    utimesSync(path, now, now);
  } catch {
    // A read-only cache keeps its order; pruning then may drop this model a little early.
  }
}

/**
 * Deletes the cached models of `cacheDir` beyond the `keep` most recently used, and temporary files
 * that a stopped write left; never `current` (the model being loaded), and never throws: a file that
 * cannot be deleted stays. Returns the paths deleted.
 */
export function pruneModelCache(cacheDir: string, current: string, keep = MODEL_CACHE_KEEP, now = Date.now()): string[] {
  let names: string[];
  try {
    names = readdirSync(cacheDir);
  } catch {
    return [];
  }
  const models: { path: string; used: number }[] = [];
  const stale: string[] = [];
  for (const name of names) {
    const path = join(cacheDir, name);
    try {
      if (MODEL_FILE.test(name) && path !== current) models.push({ path, used: statSync(path).mtimeMs });
      else if (TMP_FILE.test(name) && now - statSync(path).mtimeMs > STALE_TMP_MS) stale.push(path);
    } catch {
      // Gone already (another process pruned it): nothing to do.
    }
  }
  // `current` is one of the `keep`; the others are the most recently used.
  models.sort((a, b) => b.used - a.used || (a.path < b.path ? -1 : 1));
  const doomed = [...models.slice(Math.max(0, keep - 1)).map((m) => m.path), ...stale];
  return doomed.filter((path) => {
    try {
      unlinkSync(path);
      return true;
    } catch {
      return false;
    }
  });
}

export interface LoadModelOptions {
  /** Folder holding `cache/`; default `./data`. */
  dataDir?: string;
  vectors?: WordVectors;
  /** Called when the model has to be trained (e.g. to tell the user to wait: about half a minute for the built-in playbook on one core). */
  onTrain?: () => void;
  /** How many models the cache keeps (default {@link MODEL_CACHE_KEEP}). */
  cacheKeep?: number;
}

/**
 * The model for `playbook`: the built-in one when its taxonomy version matches,
 * else a cached one, else trained now and cached (a cache write failure is ignored). Writing a new
 * model prunes the cache to the {@link MODEL_CACHE_KEEP} most recently used.
 */
export function loadModel(playbook: TrainingPlaybook, options: LoadModelOptions = {}): Model {
  const vectors = options.vectors ?? loadVectors();
  const version = playbook.taxonomy.version;
  const builtIn = readModelFile(join(getAssetsDir(), 'model.json'));
  if (builtIn?.taxonomyVersion === version) return prepareModel(builtIn, vectors);
  const cachePath = join(options.dataDir ?? 'data', 'cache', `model-${version}.json`);
  const cached = readModelFile(cachePath);
  if (cached?.taxonomyVersion === version) {
    markUsed(cachePath);
    return prepareModel(cached, vectors);
  }
  options.onTrain?.();
  const model = trainModel(playbook, vectors);
  try {
    mkdirSync(dirname(cachePath), { recursive: true });
    const tmp = `${cachePath}.${process.pid}.tmp`;
    writeFileSync(tmp, modelFileText(model));
    renameSync(tmp, cachePath);
  } catch {
    // A read-only data folder only costs retraining next time.
    return model;
  }
  pruneModelCache(dirname(cachePath), cachePath, options.cacheKeep);
  return model;
}

/**
 * The model and taxonomy for the built-in playbook, or for the page folder `playbookDir`; a model
 * trained here is cached under `dataDir` (the configured DATA_DIR; default `./data`).
 */
export async function loadClassifier(playbookDir: string | undefined, onTrain?: () => void, dataDir?: string): Promise<{ model: Model; taxonomy: TrainingPlaybook['taxonomy'] }> {
  const playbook = await loadPlaybook(playbookDir);
  return { model: loadModel(playbook, { onTrain, ...(dataDir === undefined ? {} : { dataDir }) }), taxonomy: playbook.taxonomy };
}

/**
 * The built-in model without parsing the playbook, when dist/assets/model.json is newer than
 * every built-in page; undefined otherwise (then use {@link loadClassifier}).
 */
export function findFreshBuiltinModel(vectors?: WordVectors): Model | undefined {
  const path = join(getAssetsDir(), 'model.json');
  if (!existsSync(path)) return undefined;
  try {
    const builtAt = statSync(path).mtimeMs;
    const pages = readdirSync(BUILTIN_PLAYBOOK_DIR).filter((f) => /\.(md|markdown|txt)$/i.test(f));
    if (pages.some((f) => statSync(join(BUILTIN_PLAYBOOK_DIR, f)).mtimeMs > builtAt)) return undefined;
  } catch {
    return undefined;
  }
  const data = readModelFile(path);
  return data ? prepareModel(data, vectors ?? loadVectors()) : undefined;
}

/** The model for the page folder `playbookDir`, or the built-in one (fast path when its assets are fresh). */
export async function loadClassifierModel(playbookDir: string | undefined, onTrain?: () => void, dataDir?: string): Promise<Model> {
  if (!playbookDir) {
    const fresh = findFreshBuiltinModel();
    if (fresh) return fresh;
  }
  return (await loadClassifier(playbookDir, onTrain, dataDir)).model;
}
