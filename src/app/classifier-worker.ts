/**
 * Worker-thread entry of the classifier pool: prepares the model it is given once, then classifies
 * the notes it is sent. Messages in: {id, text, options, json}; out: {id, result} or {id, json}.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { classify, prepareModel, type ClassifyOptions, type SerializedModel } from '../classifier/index.js';
import { loadVectors } from './model-store.js';

interface Job {
  id: number;
  text: string;
  options: ClassifyOptions;
  /** Answer with the JSON text instead of the object (cheaper to pass back and to send on). */
  json: boolean;
}

const { model: data } = workerData as { model: SerializedModel };
const model = prepareModel(data, loadVectors());
classify(model, 'warm up the tokenizer');
parentPort!.on('message', (job: Job) => {
  const result = classify(model, job.text, job.options);
  parentPort!.postMessage(job.json ? { id: job.id, json: JSON.stringify(result) } : { id: job.id, result });
});
parentPort!.postMessage({ ready: true });
