/**
 * The output layer's element-wise work, one pass per row i of the n×K logits (rows 0..n−1):
 *
 *   z2_i ← z2_i + b2                                   (addRow)
 *   losses[at + i] = ℓ(z2_i, y_i)                      (the head's per-example loss)
 *   δ2_i = (1/N)(P_i − Y_i)                            (scale(residual, 1/N), residual from z2)
 *   correct += [class(P_i) = y_i]                      (classify, then compare)
 *
 * with the arithmetic of heads.ts and numerics/ entry by entry, so every value is
 * bit-identical to the plain path's. The sigmoid head shares one e^{−|z|} between σ(z),
 * σ(−z) and softplus: σ(z) = 1/(1 + e) for z ≥ 0 and e/(1 + e) for z < 0 with e = e^{−|z|},
 * which is exactly the e^{−z} or e^{z} that sigmoid() evaluates.
 *
 * sigmoidOutput is the sigmoid head's one definition: the plain path's head on every backend
 * without kernels, and what the tests compare the WebAssembly head against. On the WebAssembly
 * backend the fast path runs kernels.wat's copy of it (the "sigmoid head" section: in the fused
 * step's one call, or as Backend.sigmoidHead), bit-identical because it is the same float64
 * operations in the same order, two rows per f64x2 (IEEE add, sub, mul, div, max, no fused
 * multiply-add), with handgrad's own exp and log1p (numerics/, written for exactly that), and
 * each branch below taken lane by lane. The softmax head runs here on every backend.
 */
import { exp } from "../numerics/exp.js";
import { log1p } from "../numerics/log.js";
import {
  argmax,
  expShifted,
  softmax,
  softmaxCrossEntropyTerm,
  softmaxMinusOneHotTerm,
} from "../numerics/softmax.js";

/** The sigmoid head (K = 1) on rows 0..n−1; returns how many rows are classified correctly. */
export function sigmoidOutput(
  n: number,
  z2: Float64Array,
  b2: Float64Array,
  y: Float64Array,
  losses: Float64Array,
  at: number,
  dz2: Float64Array,
  inverseN: number,
): number {
  const bias = b2[0]!;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const z = z2[i]! + bias;
    z2[i] = z;
    const yi = y[i]!;
    const e = exp(-Math.abs(z));
    losses[at + i] = Math.max(z, 0) - yi * z + log1p(e); // softplus(z) − y z
    const p = z >= 0 ? 1 / (1 + e) : e / (1 + e); // σ(z)
    const q = z <= 0 ? 1 / (1 + e) : e / (1 + e); // σ(−z) = 1 − σ(z)
    const residual = yi === 0 ? p : yi === 1 ? -q : (1 - yi) * p - yi * q; // σ(z) − y
    dz2[i] = inverseN * residual;
    if ((p >= 0.5 ? 1 : 0) === yi) correct++;
  }
  return correct;
}

/**
 * The softmax head (K ≥ 2) on rows 0..n−1, with `exps` (K) as scratch; returns how many rows
 * are classified correctly. Labels must be class indices 0..K−1 (checked before).
 */
export function softmaxOutput(
  n: number,
  K: number,
  z2: Float64Array,
  b2: Float64Array,
  y: Float64Array,
  losses: Float64Array,
  at: number,
  dz2: Float64Array,
  inverseN: number,
  exps: Float64Array,
): number {
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const row = i * K;
    for (let j = 0; j < K; j++) z2[row + j]! += b2[j]!;
    const yi = y[i]!;
    const k = argmaxAt(z2, row, K);
    if (k === -1 || !Number.isFinite(z2[row + k]!)) {
      correct += nonFiniteRow(z2.subarray(row, row + K), yi, losses, at + i, dz2, row, inverseN);
      continue;
    }
    // e_j = e^{z_j − m} (e_k = 1), s = Σ_{j≠k} e_j, as numerics/softmax.ts shifted()
    const m = z2[row + k]!;
    let s = 0;
    for (let j = 0; j < K; j++) {
      if (j === k) {
        exps[j] = 1;
        continue;
      }
      const ej = expShifted(z2[row + j]!, m);
      exps[j] = ej;
      s += ej;
    }
    losses[at + i] = m - z2[row + yi]! + log1p(s); // (m − z_y) + log1p(s)
    let others = 0; // Σ_{j≠y} e_j
    for (let j = 0; j < K; j++) if (j !== yi) others += exps[j]!;
    let best = 0; // argmax_j P_j, the first of equal ones
    let bestP = -Infinity;
    for (let j = 0; j < K; j++) {
      const p = exps[j]! / (1 + s); // P_j = e_j / (1 + s)
      dz2[row + j] = inverseN * (j === yi ? -others / (1 + s) : p); // P − onehot(y)
      if (p > bestP) {
        best = j;
        bestP = p;
      }
    }
    if (best === yi) correct++;
  }
  return correct;
}

/** The first index of the largest of z[at..at+K−1] (−1 if any is NaN), as argmax(). */
function argmaxAt(z: Float64Array, at: number, K: number): number {
  let k = 0;
  for (let j = 0; j < K; j++) {
    const zj = z[at + j]!;
    if (Number.isNaN(zj)) return -1;
    if (zj > z[at + k]!) k = j;
  }
  return k;
}

/** A row with an infinite or NaN logit: the plain functions (rare; the run is diverging). */
function nonFiniteRow(
  z: Float64Array,
  yi: number,
  losses: Float64Array,
  lossAt: number,
  dz2: Float64Array,
  row: number,
  inverseN: number,
): number {
  losses[lossAt] = softmaxCrossEntropyTerm(z, yi);
  const residual = softmaxMinusOneHotTerm(z, yi);
  for (let j = 0; j < z.length; j++) dz2[row + j] = inverseN * residual[j]!;
  return argmax(softmax(z)) === yi ? 1 : 0;
}
