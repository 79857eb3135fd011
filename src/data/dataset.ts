/**
 * The labelled data set every loader and generator returns, and the one check that any
 * data set must pass before it reaches the network.
 */
import { DataError, UsageError } from "../errors.js";
import { shapeOf, type Matrix } from "../linalg/index.js";

/** N labelled rows: features X and class labels y, with the names of their columns. */
export interface Dataset {
  /** The features, N×D. */
  readonly X: Matrix;
  /** The labels, N×1: integers 0..K−1 (K = 2 for the binary network). */
  readonly y: Matrix;
  /** D names, in column order. */
  readonly featureNames: string[];
  /** The name of the label column. */
  readonly labelName: string;
}

/** N unlabelled rows (the input of `predict`). */
export interface FeatureTable {
  /** The features, N×D. */
  readonly X: Matrix;
  /** D names, in column order. */
  readonly featureNames: string[];
}

/** The number of classes a label may name when none is given: binary 0/1. */
export const DEFAULT_MAX_CLASSES = 2;

export interface ValidateOptions {
  /** Labels must be integers 0..maxClasses−1 (default 2: labels 0 and 1). */
  readonly maxClasses?: number | undefined;
  /** Where the data came from (a file name), to start every message with. */
  readonly source?: string | undefined;
}

/**
 * Throws a DataError unless `ds` has N ≥ 1 rows, matching shapes and names, only finite
 * features, and labels that are integers 0..maxClasses−1. Rows are reported 0-based.
 */
export function validateDataset(ds: Dataset, options: ValidateOptions = {}): void {
  const maxClasses = checkMaxClasses(options.maxClasses);
  const where = options.source === undefined ? "" : `${options.source}: `;
  const { X, y } = ds;
  if (X.rows < 1) throw new DataError(`${where}no data rows`);
  if (y.rows !== X.rows || y.cols !== 1) {
    throw new DataError(
      `${where}labels y are ${shapeOf(y)} but features X are ${shapeOf(X)}; y must be ${X.rows}×1`,
    );
  }
  if (ds.featureNames.length !== X.cols) {
    throw new DataError(
      `${where}${ds.featureNames.length} feature names for ${X.cols} feature columns`,
    );
  }
  for (let k = 0; k < X.data.length; k++) {
    const value = X.data[k] as number;
    if (!Number.isFinite(value)) {
      const row = Math.floor(k / X.cols);
      const name = ds.featureNames[k % X.cols] ?? "";
      throw new DataError(
        `${where}row ${row}, column ${JSON.stringify(name)}: ${value} is not a finite number`,
      );
    }
  }
  for (let i = 0; i < y.rows; i++) {
    const label = y.data[i] as number;
    if (!isClassLabel(label, maxClasses)) {
      throw new DataError(
        `${where}row ${i}, column ${JSON.stringify(ds.labelName)}: label ${label} is not ${classList(maxClasses)}`,
      );
    }
  }
}

/** maxClasses itself, after checking it is an integer ≥ 2 (2 when undefined). */
export function checkMaxClasses(maxClasses: number | undefined): number {
  const K = maxClasses ?? DEFAULT_MAX_CLASSES;
  if (!Number.isSafeInteger(K) || K < 2) {
    throw new UsageError(`maxClasses must be an integer ≥ 2, got ${K}`);
  }
  return K;
}

/** True when `label` is one of the integers 0..K−1. */
export function isClassLabel(label: number, K: number): boolean {
  return Number.isInteger(label) && label >= 0 && label < K;
}

/** "0 or 1" for binary labels, "an integer from 0 to K−1" otherwise (for messages). */
export function classList(K: number): string {
  return K === 2 ? "0 or 1" : `an integer from 0 to ${K - 1}`;
}
