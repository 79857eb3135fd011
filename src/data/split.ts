/** Holding out a validation set: a seeded shuffle of the rows, then a cut. */
import { ShapeError, UsageError } from "../errors.js";
import { assertMatrix, describeValue, gatherRows, shapeOf } from "../linalg/index.js";
import { Rng } from "../rng.js";
import type { Dataset } from "./dataset.js";

/**
 * Splits `ds` into training and validation rows after shuffling them with `seed`: the
 * validation set has round(N·validationFraction) rows, the training set the rest, and
 * both must be non-empty. Rows keep their shuffled order. Not stratified: with few rows a
 * class can be missing from one part. Refuses a data set whose X and y are not Matrices
 * (UsageError, ShapeError) or whose y is not N×1 (ShapeError), a fraction outside (0, 1) or
 * leaving an empty part, and a seed that is not a non-negative integer (UsageError).
 */
export function splitDataset(
  ds: Dataset,
  validationFraction: number,
  seed: number,
): {
  /** The N − round(N·validationFraction) training rows. */
  train: Dataset;
  /** The round(N·validationFraction) validation rows. */
  validation: Dataset;
} {
  if (typeof ds !== "object" || ds === null) {
    throw new UsageError(`splitDataset: ds must be a Dataset {X, y, …}, got ${describeValue(ds)}`);
  }
  assertMatrix(ds.X, "X", "splitDataset");
  assertMatrix(ds.y, "y", "splitDataset");
  if (ds.y.rows !== ds.X.rows || ds.y.cols !== 1) {
    throw new ShapeError(
      `splitDataset: y is ${shapeOf(ds.y)} but X is ${shapeOf(ds.X)}: y must be ${ds.X.rows}×1`,
    );
  }
  const { train, validation } = splitIndices(ds.X.rows, validationFraction, seed);
  const part = (indices: Uint32Array): Dataset => ({
    ...ds,
    X: gatherRows(ds.X, indices),
    y: gatherRows(ds.y, indices),
    featureNames: [...ds.featureNames],
  });
  return { validation: part(validation), train: part(train) };
}

/**
 * The rows splitDataset takes for each part, 0-based, in the order it takes them: the rows
 * 0..N−1 shuffled by `seed` (Rng(seed).permutation(N)), the first round(N·validationFraction)
 * of them held out for validation and the rest for training. Refuses what splitDataset
 * refuses (UsageError), and an N that is not a non-negative integer.
 */
export function splitIndices(
  N: number,
  validationFraction: number,
  seed: number,
): {
  /** The N − round(N·validationFraction) training rows. */
  train: Uint32Array;
  /** The round(N·validationFraction) validation rows. */
  validation: Uint32Array;
} {
  if (!(Number.isSafeInteger(N) && N >= 0)) {
    throw new UsageError(`splitIndices: N must be a non-negative integer, got ${describeValue(N)}`);
  }
  assertValidationFraction(validationFraction);
  const validationRows = Math.round(N * validationFraction);
  if (validationRows < 1 || validationRows > N - 1) {
    throw new UsageError(
      `a validation fraction of ${validationFraction} of ${N} rows leaves ${validationRows} validation and ` +
        `${N - validationRows} training rows; both need at least 1`,
    );
  }
  const order = new Rng(seed).permutation(N);
  return { validation: order.subarray(0, validationRows), train: order.subarray(validationRows) };
}

/** Refuses (UsageError) a validation fraction that is not a number in (0, 1). */
export function assertValidationFraction(validationFraction: number): void {
  if (!(Number.isFinite(validationFraction) && validationFraction > 0 && validationFraction < 1)) {
    throw new UsageError(
      `the validation fraction must be a number between 0 and 1 (exclusive), got ${validationFraction}`,
    );
  }
}
