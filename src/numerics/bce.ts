/**
 * Binary cross-entropy computed from the logits z2 rather than from p = σ(z2):
 *
 *   ℓ(z, y) = −y log σ(z) − (1 − y) log(1 − σ(z))
 *           = y softplus(−z) + (1 − y) softplus(z)      log σ(z) = −softplus(−z), 1 − σ(z) = σ(−z)
 *           = softplus(z) − y z                         softplus(−z) = softplus(z) − z
 *           = max(z, 0) − y z + log1p(e^{−|z|})
 *
 * No log(p) or 1 − p of a rounded p is ever formed: p rounds to 1 for z > 37.43 and to 0 for
 * z < −745.13, where log(1 − p) and log p would be −∞.
 */
import { DataError, ShapeError } from "../errors.js";
import { assertMatrix, shapeOf, zipWith, type Matrix } from "../linalg/index.js";
import { exp } from "./exp.js";
import { log1p } from "./log.js";
import { meanLoss } from "./mean.js";

/** ℓ(z, y) = max(z, 0) − y z + log1p(e^{−|z|}) for one logit z and label y. */
function bceTerm(z: number, y: number): number {
  // For y ∈ [0, 1] both parts are ≥ 0 (no cancellation), and for y ∈ {0, 1} the first part,
  // max(z, 0) or max(−z, 0), is exact.
  return Math.max(z, 0) - y * z + log1p(exp(-Math.abs(z)));
}

/**
 * Throws unless z2 and y are Matrices (UsageError, ShapeError), both N×1 with N ≥ 1
 * (ShapeError), and every label is in [0, 1] (DataError): 0 or 1, or a soft label between.
 */
function assertBatch(z2: Matrix, y: Matrix, op: string): void {
  assertMatrix(z2, "z2", op);
  assertMatrix(y, "y", op);
  if (z2.rows !== y.rows || z2.cols !== y.cols || z2.cols !== 1) {
    throw new ShapeError(
      `${op}: logits z2 are ${shapeOf(z2)} and labels y are ${shapeOf(y)}; both must be N×1`,
    );
  }
  if (z2.rows === 0) {
    throw new ShapeError(`${op}: the batch is empty (z2 is 0×1); the loss needs N ≥ 1 examples`);
  }
  const labels = y.data;
  for (let n = 0; n < labels.length; n++) {
    const yn = labels[n]!;
    if (!(yn >= 0 && yn <= 1)) {
      throw new DataError(
        `${op}: label y[${n}] = ${yn} is outside [0, 1] (labels are 0 or 1, or soft labels between)`,
      );
    }
  }
}

/**
 * The N×1 per-example losses ℓ(z2_n, y_n). Refuses z2 and y that are not both N×1 Matrices
 * with N ≥ 1 (ShapeError; UsageError for another kind of value) and labels outside [0, 1]
 * (DataError; soft labels between 0 and 1 are allowed).
 */
export function bceWithLogitsPerExample(z2: Matrix, y: Matrix): Matrix {
  assertBatch(z2, y, "bceWithLogitsPerExample");
  return zipWith(z2, y, bceTerm, "bceWithLogitsPerExample");
}

/**
 * L = (1/N) Σ_n ℓ(z2_n, y_n), the mean binary cross-entropy of N×1 logits against N×1 labels,
 * accurate to about 2 ulp whatever N is and finite while every ℓ is (see meanLoss). Refuses
 * what bceWithLogitsPerExample refuses.
 */
export function bceWithLogits(z2: Matrix, y: Matrix): number {
  assertBatch(z2, y, "bceWithLogits");
  return meanLoss(bceWithLogitsPerExample(z2, y)); // N×1 losses
}
