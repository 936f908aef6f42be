/**
 * The cache of trained models under DATA_DIR/cache keeps only the most recently used ones: every edit
 * of a page makes a new taxonomy version, and so a new file of up to a few MB.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createEmptyVectors } from '../classifier/index.js';
import { twoCodePlaybook } from '../../test/two-code-playbook.js';
import { loadModel, MODEL_CACHE_KEEP, pruneModelCache } from './model-store.js';

const playbookOf = twoCodePlaybook;

const work = mkdtempSync(join(tmpdir(), 'unblock-model-cache-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let folders = 0;
function freshCache(): { dataDir: string; cache: string } {
  const dataDir = join(work, `data-${++folders}`);
  const cache = join(dataDir, 'cache');
  mkdirSync(cache, { recursive: true });
  return { dataDir, cache };
}

/** Writes a stand-in model file last used `minutesAgo` minutes before now. */
function oldFile(path: string, minutesAgo: number): void {
  writeFileSync(path, '{}');
  const when = new Date(Date.now() - minutesAgo * 60_000);
  utimesSync(path, when, when);
}

const models = (cache: string) => readdirSync(cache).filter((f) => /^model-.+\.json$/.test(f)).sort();

describe('the model cache', () => {
  it(`keeps the ${MODEL_CACHE_KEEP} most recently used models when a new one is written`, () => {
    expect(MODEL_CACHE_KEEP).toBe(5);
    const { dataDir, cache } = freshCache();
    for (let i = 1; i <= 7; i++) oldFile(join(cache, `model-old${i}.json`), i * 10);
    loadModel(playbookOf('newest'), { dataDir, vectors: createEmptyVectors() });
    expect(models(cache)).toEqual(['model-newest.json', 'model-old1.json', 'model-old2.json', 'model-old3.json', 'model-old4.json']);
  });

  it('counts a model read from the cache as just used, so that it outlives older ones', () => {
    const { dataDir, cache } = freshCache();
    const vectors = createEmptyVectors();
    loadModel(playbookOf('reused'), { dataDir, vectors });
    const reused = join(cache, 'model-reused.json');
    const longAgo = new Date(Date.now() - 24 * 3600_000);
    utimesSync(reused, longAgo, longAgo);
    for (let i = 1; i <= 4; i++) oldFile(join(cache, `model-mid${i}.json`), i);
    let trained = 0;
    loadModel(playbookOf('reused'), { dataDir, vectors, onTrain: () => trained++ });
    expect(trained).toBe(0);
    expect(statSync(reused).mtimeMs).toBeGreaterThan(Date.now() - 60_000);
    loadModel(playbookOf('fresh'), { dataDir, vectors });
    expect(models(cache)).toEqual(['model-fresh.json', 'model-mid1.json', 'model-mid2.json', 'model-mid3.json', 'model-reused.json']);
  });

  it('never deletes the model being loaded, even when its file looks the oldest', () => {
    const { cache } = freshCache();
    const current = join(cache, 'model-current.json');
    oldFile(current, 10_000);
    for (let i = 1; i <= 6; i++) oldFile(join(cache, `model-other${i}.json`), i);
    pruneModelCache(cache, current);
    expect(models(cache)).toEqual(['model-current.json', 'model-other1.json', 'model-other2.json', 'model-other3.json', 'model-other4.json']);
  });

  it('does not fail when a file cannot be deleted, and keeps going with the others', () => {
    const { dataDir, cache } = freshCache();
    // A folder with a model's name cannot be unlinked (EISDIR or EPERM), whoever runs the test.
    mkdirSync(join(cache, 'model-stuck.json'));
    utimesSync(join(cache, 'model-stuck.json'), new Date(0), new Date(0));
    for (let i = 1; i <= 6; i++) oldFile(join(cache, `model-old${i}.json`), i);
    expect(() => loadModel(playbookOf('latest'), { dataDir, vectors: createEmptyVectors() })).not.toThrow();
    expect(existsSync(join(cache, 'model-stuck.json'))).toBe(true);
    expect(models(cache)).toEqual(['model-latest.json', 'model-old1.json', 'model-old2.json', 'model-old3.json', 'model-old4.json', 'model-stuck.json']);
  });

  it('removes temporary files a stopped write left (over an hour old), not one being written, nor other files', () => {
    const { cache } = freshCache();
    const current = join(cache, 'model-current.json');
    writeFileSync(current, '{}');
    oldFile(join(cache, 'model-abc.json.4242.tmp'), 120);
    oldFile(join(cache, 'model-def.json.4343.tmp'), 1);
    oldFile(join(cache, 'notes.txt'), 10_000);
    const deleted = pruneModelCache(cache, current);
    expect(deleted).toEqual([join(cache, 'model-abc.json.4242.tmp')]);
    expect(readdirSync(cache).sort()).toEqual(['model-current.json', 'model-def.json.4343.tmp', 'notes.txt']);
  });

  it('answers nothing deleted for a cache folder that is not there', () => {
    expect(pruneModelCache(join(work, 'missing', 'cache'), join(work, 'missing', 'cache', 'model-x.json'))).toEqual([]);
  });
});
