/** Temperature scaling and expected calibration error. Pure. */
import { softmaxInPlace } from './logreg.js';

function computeNll(logits: Float64Array[], labels: number[], temperature: number): number {
  let nll = 0;
  const p = new Float64Array(logits[0]?.length ?? 0);
  logits.forEach((z, i) => {
    p.set(z);
    softmaxInPlace(p, temperature);
    nll -= Math.log(Math.max(p[labels[i] as number] as number, 1e-12));
  });
  return nll / Math.max(logits.length, 1);
}

/** The temperature (0.05..20) minimising the negative log-likelihood of `labels`; 1 when there is nothing to fit. */
export function fitTemperature(logits: Float64Array[], labels: number[]): number {
  if (logits.length === 0) return 1;
  let best = 1;
  let bestNll = Infinity;
  for (let e = -3; e <= 3; e += 0.05) {
    const t = Math.exp(e);
    const nll = computeNll(logits, labels, t);
    if (nll < bestNll) {
      bestNll = nll;
      best = t;
    }
  }
  let lo = best * Math.exp(-0.05);
  let hi = best * Math.exp(0.05);
  for (let i = 0; i < 30; i++) {
    const a = lo + (hi - lo) / 3;
    const b = hi - (hi - lo) / 3;
    if (computeNll(logits, labels, a) < computeNll(logits, labels, b)) hi = b;
    else lo = a;
  }
  return Math.min(20, Math.max(0.05, (lo + hi) / 2));
}

/** Expected calibration error over `bins` equal-width confidence bins; 0 for no predictions. */
export function computeEce(predictions: { confidence: number; correct: boolean }[], bins = 10): number {
  if (predictions.length === 0) return 0;
  const count = new Array<number>(bins).fill(0);
  const conf = new Array<number>(bins).fill(0);
  const acc = new Array<number>(bins).fill(0);
  for (const { confidence, correct } of predictions) {
    const b = Math.min(bins - 1, Math.floor(confidence * bins));
    count[b] = (count[b] ?? 0) + 1;
    conf[b] = (conf[b] ?? 0) + confidence;
    acc[b] = (acc[b] ?? 0) + (correct ? 1 : 0);
  }
  let ece = 0;
  for (let b = 0; b < bins; b++) {
    const n = count[b] ?? 0;
    if (n > 0) ece += (n / predictions.length) * Math.abs((acc[b] ?? 0) / n - (conf[b] ?? 0) / n);
  }
  return ece;
}
