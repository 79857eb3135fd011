/**
 * Standardisation: shift and scale each feature column to mean 0 and standard deviation 1,
 * x' = (x − mean) / std, with mean and std fitted on the training rows only.
 */
import { DataError, ShapeError } from "../errors.js";
import { assertFinite, assertMatrix, matrix, shapeOf, type Matrix } from "../linalg/index.js";

/** Per-column mean and standard deviation, each of length D. */
export interface Standardizer {
  /** Each column's mean, length D. */
  readonly mean: Float64Array;
  /** Each column's population standard deviation, length D: every entry finite and > 0. */
  readonly std: Float64Array;
}

/**
 * The mean and population standard deviation (divide by N) of each column of X (N×D, N ≥ 1).
 * A constant column gets mean = its value and std 1, so it maps to exactly 0 instead of 0/0.
 * Refuses an X that is not a Matrix (UsageError, ShapeError), one without rows, and one with
 * a feature that is NaN or ±Infinity (DataError naming its row and column, from 0).
 */
export function fitStandardizer(X: Matrix): Standardizer {
  assertMatrix(X, "X", "fitStandardizer");
  const { rows: N, cols: D, data } = X;
  if (N < 1)
    throw new DataError(`cannot fit a standardizer to ${shapeOf(X)} features: there are no rows`);
  assertFinite(X, "X", "fitStandardizer");
  const mean = new Float64Array(D);
  const std = new Float64Array(D);
  for (let j = 0; j < D; j++) {
    const first = data[j] as number;
    let sum = 0;
    let constant = true;
    for (let i = 0; i < N; i++) {
      const x = data[i * D + j] as number;
      sum += x / N; // the mean term by term: Σ x could overflow where the mean does not
      if (x !== first) constant = false;
    }
    if (constant) {
      mean[j] = first;
      std[j] = 1;
      continue;
    }
    // Two passes: the mean, corrected by the mean residual (which cancels most of the
    // rounding error of the first sum), then the deviations, scaled by the largest one so
    // that squaring cannot overflow or underflow.
    let m = sum;
    let residual = 0;
    let largest = 0;
    for (let i = 0; i < N; i++) {
      const d = (data[i * D + j] as number) - m;
      residual += d;
      largest = Math.max(largest, Math.abs(d));
    }
    m += residual / N;
    let sumOfSquares = 0;
    for (let i = 0; i < N; i++) {
      const d = ((data[i * D + j] as number) - m) / largest;
      sumOfSquares += d * d;
    }
    mean[j] = m;
    std[j] = largest * Math.sqrt(sumOfSquares / N);
    // Values that differ only in the subnormal range can give std 0: treat as constant.
    if (std[j] === 0) std[j] = 1;
    if (!Number.isFinite(mean[j] as number) || !Number.isFinite(std[j] as number)) {
      throw new DataError(
        `cannot standardize column ${j + 1}: its values are too large for float64 (their spread overflows)`,
      );
    }
  }
  return { mean, std };
}

/**
 * (X − mean) / std column by column: a new N×D matrix; X must be a Matrix (UsageError,
 * ShapeError) with D = s.mean.length columns (ShapeError).
 */
export function applyStandardizer(X: Matrix, s: Standardizer): Matrix {
  assertMatrix(X, "X", "applyStandardizer");
  const { rows: N, cols: D, data } = X;
  if (s.mean.length !== D || s.std.length !== D) {
    throw new ShapeError(
      `the standardizer has ${s.mean.length} means and ${s.std.length} stds but the features are ${shapeOf(X)} (${D} columns)`,
    );
  }
  for (let j = 0; j < D; j++) {
    const sd = s.std[j] as number;
    if (!Number.isFinite(s.mean[j] as number) || !(Number.isFinite(sd) && sd > 0)) {
      throw new DataError(
        `the standardizer of column ${j + 1} has mean ${s.mean[j]} and std ${sd}; std must be finite and > 0`,
      );
    }
  }
  const out = new Float64Array(N * D);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < D; j++) {
      const k = i * D + j;
      out[k] = ((data[k] as number) - (s.mean[j] as number)) / (s.std[j] as number);
    }
  }
  return matrix(N, D, out);
}
