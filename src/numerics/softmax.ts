/**
 * The softmax head's numerics, for a row z of K logits and a class index y ∈ {0, …, K−1}:
 *
 *   softmax(z)_j = e^{z_j} / Σ_i e^{z_i}
 *   logSumExp(z) = log Σ_i e^{z_i}
 *   ℓ(z, y)      = −log softmax(z)_y = logSumExp(z) − z_y
 *   ∂ℓ/∂z        = softmax(z) − onehot(y)
 *
 * Every one is evaluated after subtracting the row max m = z_k (k the first argmax):
 *
 *   e_j = e^{z_j − m} ∈ [0, 1] (e_k = 1),   s = Σ_{j≠k} e_j ∈ [0, K − 1]
 *   logSumExp(z) = m + log1p(s),   softmax(z)_j = e_j / (1 + s),   ℓ(z, y) = (m − z_y) + log1p(s)
 *
 * No e^{z} overflows (e^{z_j} for z_j > 709.78 would be ∞, and ∞/∞ is NaN), no sum of
 * probabilities near 1 is rounded and then logged (log1p keeps s ≪ 2^{−53}), and nothing
 * cancels: the two parts of ℓ are both ≥ 0.
 *
 * Each shift z_j − m is formed exactly, as hi + lo (TwoSum), and e^{z_j − m} = e^{hi}(1 + lo)
 * (|lo| ≤ ulp(hi)/2 < 2^{−42} while e^{hi} is normal, so e^{lo} − (1 + lo) < 2^{−84}): with
 * wide logits the rounding of hi alone would cost e_j up to |z_j − m|·2^{−53} relative
 * error, about 360 ulp at z_j − m = −700.
 *
 * e^x and log1p are handgrad's own (exp.ts, log.ts), so every engine gives the same bits.
 */
import { DataError, ShapeError } from "../errors.js";
import { assertMatrix, mapRows, reduceRows, shapeOf, type Matrix } from "../linalg/index.js";
import { exp } from "./exp.js";
import { log1p } from "./log.js";
import { meanLoss } from "./mean.js";

/** The index of the largest entry of z, the first of equal ones (−1 for an empty z or any NaN). */
export function argmax(z: ArrayLike<number>): number {
  let k = z.length > 0 ? 0 : -1;
  for (let j = 0; j < z.length; j++) {
    const zj = z[j]!;
    if (Number.isNaN(zj)) return -1;
    if (zj > z[k]!) k = j;
  }
  return k;
}

/**
 * e^{z − m} for z ≤ m, m finite, with z − m = hi + lo exactly (Knuth's TwoSum of z and −m):
 * e^{hi + lo} = e^{hi}(1 + lo) to within 2^{−84} relative. Below −746 (z = −∞ included, and
 * z − m overflowing) e^{hi} underflows to 0, the correctly rounded value, and is returned
 * before lo is formed.
 */
export function expShifted(z: number, m: number): number {
  const hi = z - m;
  if (hi < -746) return 0;
  const bb = hi - z;
  const lo = z - (hi - bb) + (-m - bb);
  const e = exp(hi);
  return e + e * lo;
}

/** The row's shifted exponentials e_j = e^{z_j − m} (e_k = 1 at the argmax k), for a finite max. */
interface Shifted {
  readonly m: number; // max_j z_j
  readonly k: number; // the first argmax
  readonly e: Float64Array; // K, e_j ∈ [0, 1]
  readonly s: number; // Σ_{j≠k} e_j ∈ [0, K − 1]
}

function shifted(z: ArrayLike<number>, k: number): Shifted {
  const m = z[k]!;
  const e = new Float64Array(z.length);
  let s = 0;
  for (let j = 0; j < z.length; j++) {
    if (j === k) {
      e[j] = 1;
      continue;
    }
    const ej = expShifted(z[j]!, m);
    e[j] = ej;
    s += ej; // K terms ≥ 0: relative error ≤ (K − 1)·2^{−53}
  }
  return { m, k, e, s };
}

/**
 * logSumExp(z) = log Σ_j e^{z_j} = m + log1p(s), for a row of K ≥ 1 logits.
 *
 * Domain split on the max m:
 *   m finite:  m + log1p(s), s ∈ [0, K − 1]. Where m ≥ 0 both parts are ≥ 0 and the result
 *              is accurate to a few ulp; where m < 0 the sum can cancel (z = (−ln 2, −ln 2)
 *              gives ≈ 0), and the error is a few ulp of |m| + log1p(s) instead: the inputs'
 *              own condition number.
 *   m = +∞:    +∞ (some e^{z_j} is infinite; z_j − m would be ∞ − ∞).
 *   m = −∞:    −∞ (every e^{z_j} is 0: log 0). An empty row is −∞ too; any NaN gives NaN.
 */
export function logSumExp(z: ArrayLike<number>): number {
  const k = argmax(z);
  if (z.length === 0) return -Infinity;
  if (k === -1) return NaN;
  const m = z[k]!;
  if (!Number.isFinite(m)) return m;
  return m + log1p(shifted(z, k).s);
}

/**
 * softmax(z)_j = e_j / (1 + s), for a row of K ≥ 1 finite logits: each entry to a few ulp, in
 * [0, 1], and the largest never below 1/K. (A row with ±∞ or NaN gives NaN entries.)
 */
export function softmax(z: ArrayLike<number>): Float64Array {
  const k = argmax(z);
  if (k === -1 || !Number.isFinite(z[k]!)) return new Float64Array(z.length).fill(NaN);
  const { e, s } = shifted(z, k);
  return e.map((ej) => ej / (1 + s));
}

/**
 * ℓ(z, y) = logSumExp(z) − z_y = (m − z_y) + log1p(s), the cross-entropy of one row of K
 * logits against the class index y.
 *
 *   m finite:    (m − z_y) + log1p(s). Both parts are ≥ 0, so there is no cancellation and
 *                ℓ is accurate to a few ulp (K + 2 roundings at most, each damped). When y
 *                is the argmax, ℓ = log1p(s) ≈ s keeps full relative accuracy however small.
 *                z_y = −∞ (or m − z_y overflowing) gives +∞, the true value's limit.
 *   otherwise:   logSumExp(z) − z_y: +∞ − z_y = +∞ unless z_y = +∞ too (NaN: ∞ − ∞).
 */
export function softmaxCrossEntropyTerm(z: ArrayLike<number>, y: number): number {
  const k = argmax(z);
  if (k === -1 || !Number.isFinite(z[k]!)) return logSumExp(z) - z[y]!;
  const { m, s } = shifted(z, k);
  return m - z[y]! + log1p(s);
}

/**
 * softmax(z) − onehot(y), the residual ∂ℓ/∂z, without forming p_y − 1 from a rounded p_y:
 *
 *   j ≠ y:  e_j / (1 + s)
 *   j = y:  −(Σ_{i≠y} e_i) / (1 + s)        since 1 − p_y = Σ_{i≠y} p_i
 *
 * The sum of the other classes' e_i has only terms ≥ 0, so every entry is accurate to a few
 * ulp. The textbook p_y − 1 returns exactly 0 once p_y rounds to 1 (every other logit below
 * z_y − 36.7) although the true residual ≈ −Σ_{i≠y} e^{z_i − z_y} is not. For K = 2 this is
 * the sigmoid residual σ(d) − y of d = z_1 − z_0, in column 1, and its negative in column 0.
 * Finite logits only (NaN entries otherwise).
 */
export function softmaxMinusOneHotTerm(z: ArrayLike<number>, y: number): Float64Array {
  const k = argmax(z);
  if (k === -1 || !Number.isFinite(z[k]!)) return new Float64Array(z.length).fill(NaN);
  const { e, s } = shifted(z, k);
  let others = 0; // Σ_{i≠y} e_i
  for (let i = 0; i < e.length; i++) if (i !== y) others += e[i]!;
  const r = e.map((ej) => ej / (1 + s));
  r[y] = -others / (1 + s);
  return r;
}

/**
 * Throws unless z2 and y are Matrices (UsageError, ShapeError), z2 is N×K (N, K ≥ 1) and y
 * N×1 (ShapeError), of class indices 0..K−1 (DataError).
 */
function assertBatch(z2: Matrix, y: Matrix, op: string): void {
  assertMatrix(z2, "z2", op);
  assertMatrix(y, "y", op);
  if (y.cols !== 1 || y.rows !== z2.rows) {
    throw new ShapeError(
      `${op}: logits z2 are ${shapeOf(z2)} and labels y are ${shapeOf(y)}; y must be ${z2.rows}×1`,
    );
  }
  if (z2.rows === 0 || z2.cols === 0) {
    throw new ShapeError(`${op}: the batch is empty (z2 is ${shapeOf(z2)})`);
  }
  const K = z2.cols;
  y.data.forEach((yn, n) => {
    if (!(Number.isInteger(yn) && yn >= 0 && yn < K)) {
      throw new DataError(`${op}: label y[${n}] = ${yn} is not a class index 0..${K - 1}`);
    }
  });
}

/** The N×1 logSumExp of every row of the N×K logits. */
export function logSumExpRows(z2: Matrix): Matrix {
  return reduceRows(z2, logSumExp);
}

/** The N×K softmax of every row of the N×K logits. */
export function softmaxRows(z2: Matrix): Matrix {
  return mapRows(z2, softmax);
}

/**
 * The N×1 per-example losses ℓ(z2_n, y_n) of N×K logits against N×1 class indices. Refuses
 * z2 and y that are not Matrices of shapes N×K and N×1 (ShapeError; UsageError for another
 * kind of value) and labels that are not class indices 0..K−1 (DataError).
 */
export function softmaxCrossEntropyPerExample(z2: Matrix, y: Matrix): Matrix {
  assertBatch(z2, y, "softmaxCrossEntropyPerExample");
  return reduceRows(z2, (zn, n) => softmaxCrossEntropyTerm(zn, y.data[n]!));
}

/**
 * L = (1/N) Σ_n (logSumExp(z2_n) − z2_{n,y_n}), the mean softmax cross-entropy of N×K logits
 * against N×1 class indices: a few ulp, with the compensated mean of bceWithLogits. Refuses
 * what softmaxCrossEntropyPerExample refuses.
 */
export function softmaxCrossEntropy(z2: Matrix, y: Matrix): number {
  assertBatch(z2, y, "softmaxCrossEntropy");
  return meanLoss(softmaxCrossEntropyPerExample(z2, y)); // N×1 losses
}

/**
 * The N×K residuals softmax(z2_n) − onehot(y_n), row by row (see softmaxMinusOneHotTerm).
 * Refuses what softmaxCrossEntropyPerExample refuses.
 */
export function softmaxMinusOneHot(z2: Matrix, y: Matrix): Matrix {
  assertBatch(z2, y, "softmaxMinusOneHot");
  return mapRows(z2, (zn, n) => softmaxMinusOneHotTerm(zn, y.data[n]!));
}
