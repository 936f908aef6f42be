import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { classify, createEmptyVectors, type TrainingPlaybook } from '../classifier/index.js';
import { blockedPage, twoCodePlaybook } from '../../test/two-code-playbook.js';
import { loadModel, readModelFile } from './model-store.js';

const playbook: TrainingPlaybook = twoCodePlaybook('storetest0001');

const dataDir = mkdtempSync(join(tmpdir(), 'unblock-model-store-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('loadModel', () => {
  it('trains a page set without a built-in model once, caches it under its taxonomy version, then reuses it', () => {
    const vectors = createEmptyVectors();
    let trained = 0;
    const first = loadModel(playbook, { dataDir, vectors, onTrain: () => trained++ });
    expect(trained).toBe(1);
    expect(existsSync(join(dataDir, 'cache', 'model-storetest0001.json'))).toBe(true);
    const second = loadModel(playbook, { dataDir, vectors, onTrain: () => trained++ });
    expect(trained).toBe(1);
    const text = 'the proxy drops traffic';
    expect(classify(second, text)).toEqual(classify(first, text));
    expect(classify(second, text).l2).toBe('Network');
  });

  it('trains again when the cached model came from another trainer (older features or lexicon)', () => {
    const vectors = createEmptyVectors();
    let trained = 0;
    loadModel(playbook, { dataDir, vectors, onTrain: () => trained++ });
    const path = join(dataDir, 'cache', 'model-storetest0001.json');
    const stored = JSON.parse(readFileSync(path, 'utf8')) as { trainer?: string };
    writeFileSync(path, JSON.stringify({ ...stored, trainer: 'an-older-trainer' }));
    trained = 0;
    loadModel(playbook, { dataDir, vectors, onTrain: () => trained++ });
    expect(trained).toBe(1);
    expect((JSON.parse(readFileSync(path, 'utf8')) as { trainer?: string }).trainer).toBe(stored.trainer);
  });

  it('writes the cache as ASCII that reads back to the same model, with text outside ASCII kept exactly', () => {
    const vectors = createEmptyVectors();
    const accents: TrainingPlaybook = {
      ...playbook,
      pages: [blockedPage('Network', ['The firewall drops the traffic', 'Proxy blocks the service', 'Bandwidth at branches is too low', 'Old routers must be replaced']),
        blockedPage('People', ['Nobody in IT has the skills', 'IT team has no time — none', 'No budget for more admins in Zürich 🚧', 'IT staff are not trained'])],
      taxonomy: { ...playbook.taxonomy, version: 'storetest0002' },
    };
    const model = loadModel(accents, { dataDir, vectors });
    const path = join(dataDir, 'cache', 'model-storetest0002.json');
    const bytes = readFileSync(path);
    expect(bytes.every((b) => b < 0x80)).toBe(true);
    expect(readModelFile(path)).toEqual(JSON.parse(JSON.stringify(model.data)));
    expect(JSON.stringify(model.data)).toContain('Zürich 🚧');
  });
});
