/**
 * Multinomial logistic regression on sparse + dense features, trained by full-batch
 * Adam from zero weights (deterministic). Supports sample weights and hard negatives
 * (a loss of -log(1 - p(negative class))). Pure.
 */
import type { FeatureVector } from './features.js';

export interface LinearModel {
  classes: number;
  features: number;
  dims: number;
  /** [feature * classes + c] */
  weights: Float64Array;
  /** [dim * classes + c] */
  denseWeights: Float64Array;
  bias: Float64Array;
}

export interface TrainRow {
  x: FeatureVector;
  /** Positive class, or -1 for a row that is only a hard negative. */
  y: number;
  /** Hard-negative class, or -1. */
  negative: number;
  weight: number;
  negativeWeight: number;
}

/**
 * Writes the logits of `x` into `out` (length = classes). Each logit is its bias plus the sparse
 * terms in feature order, then the dense terms in dimension order (zero dimensions skipped). Eight
 * classes at a time (then four, two, one), each summed in a local variable: the same additions in the
 * same order as one class at a time, bit for bit, without a store and a load of `out` per term. Eight
 * at a time reads the note's features half as often as four; with 19 codes it makes four passes
 * (8, 8, 2, 1) instead of seven (4, 4, 4, 4, 1, 1, 1), a third faster.
 */
export function computeLogits(model: LinearModel, x: FeatureVector, out: Float64Array): void {
  const C = model.classes;
  const { weights, denseWeights, bias } = model;
  const { idx, val, dense } = x;
  const n = idx.length;
  const dims = dense.length;
  let c = 0;
  for (; c + 8 <= C; c += 8) {
    let z0 = bias[c] as number;
    let z1 = bias[c + 1] as number;
    let z2 = bias[c + 2] as number;
    let z3 = bias[c + 3] as number;
    let z4 = bias[c + 4] as number;
    let z5 = bias[c + 5] as number;
    let z6 = bias[c + 6] as number;
    let z7 = bias[c + 7] as number;
    for (let i = 0; i < n; i++) {
      const base = (idx[i] as number) * C + c;
      const v = val[i] as number;
      z0 += (weights[base] as number) * v;
      z1 += (weights[base + 1] as number) * v;
      z2 += (weights[base + 2] as number) * v;
      z3 += (weights[base + 3] as number) * v;
      z4 += (weights[base + 4] as number) * v;
      z5 += (weights[base + 5] as number) * v;
      z6 += (weights[base + 6] as number) * v;
      z7 += (weights[base + 7] as number) * v;
    }
    for (let d = 0; d < dims; d++) {
      const v = dense[d] as number;
      if (v === 0) continue;
      const base = d * C + c;
      z0 += (denseWeights[base] as number) * v;
      z1 += (denseWeights[base + 1] as number) * v;
      z2 += (denseWeights[base + 2] as number) * v;
      z3 += (denseWeights[base + 3] as number) * v;
      z4 += (denseWeights[base + 4] as number) * v;
      z5 += (denseWeights[base + 5] as number) * v;
      z6 += (denseWeights[base + 6] as number) * v;
      z7 += (denseWeights[base + 7] as number) * v;
    }
    out[c] = z0;
    out[c + 1] = z1;
    out[c + 2] = z2;
    out[c + 3] = z3;
    out[c + 4] = z4;
    out[c + 5] = z5;
    out[c + 6] = z6;
    out[c + 7] = z7;
  }
  for (; c + 4 <= C; c += 4) {
    let z0 = bias[c] as number;
    let z1 = bias[c + 1] as number;
    let z2 = bias[c + 2] as number;
    let z3 = bias[c + 3] as number;
    for (let i = 0; i < n; i++) {
      const base = (idx[i] as number) * C + c;
      const v = val[i] as number;
      z0 += (weights[base] as number) * v;
      z1 += (weights[base + 1] as number) * v;
      z2 += (weights[base + 2] as number) * v;
      z3 += (weights[base + 3] as number) * v;
    }
    for (let d = 0; d < dims; d++) {
      const v = dense[d] as number;
      if (v === 0) continue;
      const base = d * C + c;
      z0 += (denseWeights[base] as number) * v;
      z1 += (denseWeights[base + 1] as number) * v;
      z2 += (denseWeights[base + 2] as number) * v;
      z3 += (denseWeights[base + 3] as number) * v;
    }
    out[c] = z0;
    out[c + 1] = z1;
    out[c + 2] = z2;
    out[c + 3] = z3;
  }
  for (; c + 2 <= C; c += 2) {
    let z0 = bias[c] as number;
    let z1 = bias[c + 1] as number;
    for (let i = 0; i < n; i++) {
      const base = (idx[i] as number) * C + c;
      const v = val[i] as number;
      z0 += (weights[base] as number) * v;
      z1 += (weights[base + 1] as number) * v;
    }
    for (let d = 0; d < dims; d++) {
      const v = dense[d] as number;
      if (v === 0) continue;
      const base = d * C + c;
      z0 += (denseWeights[base] as number) * v;
      z1 += (denseWeights[base + 1] as number) * v;
    }
    out[c] = z0;
    out[c + 1] = z1;
  }
  for (; c < C; c++) {
    let z = bias[c] as number;
    for (let i = 0; i < n; i++) z += (weights[(idx[i] as number) * C + c] as number) * (val[i] as number);
    for (let d = 0; d < dims; d++) {
      const v = dense[d] as number;
      if (v !== 0) z += (denseWeights[d * C + c] as number) * v;
    }
    out[c] = z;
  }
}

/** In-place softmax of `z` divided by `temperature`. */
export function softmaxInPlace(z: Float64Array, temperature = 1): void {
  let max = -Infinity;
  for (let c = 0; c < z.length; c++) max = Math.max(max, (z[c] as number) / temperature);
  let sum = 0;
  for (let c = 0; c < z.length; c++) {
    const e = Math.exp((z[c] as number) / temperature - max);
    z[c] = e;
    sum += e;
  }
  for (let c = 0; c < z.length; c++) z[c] = (z[c] as number) / sum;
}

/** Trains the model by `iterations` full-batch Adam steps from zero weights. Deterministic for the same rows. */
export function trainLinearModel(
  rows: TrainRow[],
  shape: { classes: number; features: number; dims: number },
  options: { l2: number; iterations: number; learningRate: number },
): LinearModel {
  const { classes: C, features: F, dims: D } = shape;
  const model: LinearModel = { classes: C, features: F, dims: D, weights: new Float64Array(F * C), denseWeights: new Float64Array(D * C), bias: new Float64Array(C) };
  const params = [model.weights, model.denseWeights, model.bias];
  const grads = params.map((p) => new Float64Array(p.length));
  const m1 = params.map((p) => new Float64Array(p.length));
  const m2 = params.map((p) => new Float64Array(p.length));
  const [gW, gD, gB] = grads as [Float64Array, Float64Array, Float64Array];
  let total = 0;
  for (const row of rows) total += (row.y >= 0 ? row.weight : 0) + (row.negative >= 0 ? row.negativeWeight : 0);
  const norm = 1 / Math.max(total, 1e-9);
  const p = new Float64Array(C);
  const g = new Float64Array(C);
  const beta1 = 0.9;
  const beta2 = 0.999;
  for (let step = 1; step <= options.iterations; step++) {
    for (const grad of grads) grad.fill(0);
    for (const row of rows) {
      computeLogits(model, row.x, p);
      softmaxInPlace(p);
      g.fill(0);
      if (row.y >= 0) {
        for (let c = 0; c < C; c++) g[c] = (p[c] as number) * row.weight;
        g[row.y] = (g[row.y] as number) - row.weight;
      }
      if (row.negative >= 0) {
        const pn = Math.min(p[row.negative] as number, 1 - 1e-9);
        const f = (row.negativeWeight * pn) / (1 - pn);
        for (let c = 0; c < C; c++) g[c] = (g[c] as number) - f * (p[c] as number);
        g[row.negative] = (g[row.negative] as number) + f;
      }
      for (let c = 0; c < C; c++) g[c] = (g[c] as number) * norm;
      const { idx, val, dense } = row.x;
      for (let i = 0; i < idx.length; i++) {
        const base = (idx[i] as number) * C;
        const v = val[i] as number;
        for (let c = 0; c < C; c++) gW[base + c] = (gW[base + c] as number) + (g[c] as number) * v;
      }
      for (let d = 0; d < D; d++) {
        const v = dense[d] as number;
        if (v === 0) continue;
        const base = d * C;
        for (let c = 0; c < C; c++) gD[base + c] = (gD[base + c] as number) + (g[c] as number) * v;
      }
      for (let c = 0; c < C; c++) gB[c] = (gB[c] as number) + (g[c] as number);
    }
    const lrT = (options.learningRate * Math.sqrt(1 - beta2 ** step)) / (1 - beta1 ** step);
    for (let k = 0; k < 3; k++) {
      const param = params[k] as Float64Array;
      const grad = grads[k] as Float64Array;
      const a = m1[k] as Float64Array;
      const b = m2[k] as Float64Array;
      const decay = k === 2 ? 0 : options.l2;
      for (let i = 0; i < param.length; i++) {
        const gi = (grad[i] as number) + decay * (param[i] as number);
        if (gi === 0 && a[i] === 0) continue;
        const ai = beta1 * (a[i] as number) + (1 - beta1) * gi;
        const bi = beta2 * (b[i] as number) + (1 - beta2) * gi * gi;
        a[i] = ai;
        b[i] = bi;
        param[i] = (param[i] as number) - (lrT * ai) / (Math.sqrt(bi) + 1e-8);
      }
    }
  }
  return model;
}
