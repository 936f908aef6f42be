/**
 * The classifier's ports (src/app/services.ts): the model in this process, and its worker threads.
 * Kept apart from services.ts so that commands that open the tracker without the classifier load none
 * of it: createServices imports this module only when it builds a classifier.
 */
import { classify } from '../classifier/index.js';
import type { Playbook } from '../playbook/index.js';
import { createClassifierPool } from './classifier-pool.js';
import { loadModel } from './model-store.js';
import type { ModelClassifierPort } from './services.js';

/**
 * Builds the classifier port over the playbook's model (the built-in one, a cached one, or trained
 * now). Null, with a logged reason, when the model cannot be had (assets not built yet): the tracker
 * then stores no suggestions.
 */
export function createClassifierPort(playbook: Playbook, dataDir: string, log: (message: string) => void = () => undefined): ModelClassifierPort | null {
  try {
    const model = loadModel(playbook, { dataDir, onTrain: () => log('Training the classifier for this page set (up to a minute; cached under DATA_DIR afterwards)...') });
    return { model, classify: (text, options) => ({ ...classify(model, text, options) }) };
  } catch (error) {
    log(`Classifier unavailable: ${(error as Error).message}`);
    return null;
  }
}

/**
 * The port with `size` worker threads behind `classifyAsync` (the HTTP routes and the tracker's
 * advice use it); `classify` stays on the calling thread. Size 0 returns the port unchanged.
 */
export async function startClassifierWorkers(port: ModelClassifierPort, size: number): Promise<ModelClassifierPort> {
  if (size <= 0) return port;
  const pool = await createClassifierPool(port.model, size);
  return {
    ...port,
    classifyAsync: async (text, options) => ({ ...(await pool.classify(text, options)) }),
    classifyJson: (text, options) => pool.classifyJson(text, options),
    adviseMany: (items, options) => pool.adviseMany(items, options),
    close: () => pool.close(),
  };
}
