/**
 * Worker-thread entry of the classifier pool: prepares the model it is given once, then answers the
 * jobs it is sent. Messages in: {id, text, options, json} (classify) or {id, advise: {note, l1, l2}}
 * (grade and read a note, src/app/advice.ts); out: {id, result}, {id, json} or {id, advice}.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { classify, prepareModel, type ClassifyOptions, type SerializedModel } from '../classifier/index.js';
import type { NoteToAdvise } from '../tracker/index.js';
import { ADVICE_CLASSIFY_OPTIONS, adviseNote, type AdviceClassify } from './advice.js';
import { loadVectors } from './model-store.js';

interface ClassifyJob {
  id: number;
  text: string;
  options: ClassifyOptions;
  /** Answer with the JSON text instead of the object (cheaper to pass back and to send on). */
  json: boolean;
}

interface AdviseJob {
  id: number;
  advise: NoteToAdvise;
}

const { model: data } = workerData as { model: SerializedModel };
const model = prepareModel(data, loadVectors());
const classifyForAdvice: AdviceClassify = (text, options) => classify(model, text, { ...ADVICE_CLASSIFY_OPTIONS, ...options });
classify(model, 'warm up the tokenizer');
adviseNote(classifyForAdvice, { note: 'Warm up the note coach.', l1: 'In Progress', l2: null });
parentPort!.on('message', (job: ClassifyJob | AdviseJob) => {
  if ('advise' in job) {
    parentPort!.postMessage({ id: job.id, advice: adviseNote(classifyForAdvice, job.advise) });
    return;
  }
  const result = classify(model, job.text, job.options);
  parentPort!.postMessage(job.json ? { id: job.id, json: JSON.stringify(result) } : { id: job.id, result });
});
parentPort!.postMessage({ ready: true });
