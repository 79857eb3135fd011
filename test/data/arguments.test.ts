/** The data functions' argument checks: standardisation and splits. */
import { describe, it } from "vitest";
import { DataError, ShapeError, UsageError } from "../../src/errors.js";
import {
  applyStandardizer,
  fitStandardizer,
  splitDataset,
  type Dataset,
} from "../../src/data/index.js";
import { columnVector, fromRows, matrix, type Matrix } from "../../src/linalg/index.js";
import { expectThrows } from "../throws.js";

describe("fitStandardizer refuses", () => {
  it("a non-finite feature, by row and column from 0 (not 'the spread overflows')", () => {
    const X = fromRows([
      [1, 2],
      [NaN, 4],
    ]);
    expectThrows(() => fitStandardizer(X), DataError, "fitStandardizer: X row 1, column 0 is NaN");
  });

  it("an X that is not a Matrix", () => {
    expectThrows(
      () => fitStandardizer([[1, 2]] as unknown as Matrix),
      UsageError,
      "fitStandardizer: X must be a Matrix {rows, cols, data}, got an array (fromRows makes one from nested arrays)",
    );
    expectThrows(
      () =>
        applyStandardizer(
          { rows: 1, cols: 2, data: new Float64Array(1) },
          fitStandardizer(matrix(1, 2)),
        ),
      ShapeError,
      "applyStandardizer: X is 1×2 but its data holds 1 values (it needs 2)",
    );
  });
});

describe("splitDataset refuses", () => {
  const ds: Dataset = {
    X: matrix(4, 2),
    y: columnVector([0, 1, 0, 1]),
    featureNames: ["a", "b"],
    labelName: "y",
  };

  it("labels of another length than the rows", () => {
    expectThrows(
      () => splitDataset({ ...ds, y: columnVector([0, 1]) }, 0.5, 0),
      ShapeError,
      "splitDataset: y is 2×1 but X is 4×2: y must be 4×1",
    );
  });

  it("a data set that is not an object of Matrices", () => {
    expectThrows(
      () => splitDataset(null as unknown as Dataset, 0.5, 0),
      UsageError,
      "splitDataset: ds must be a Dataset {X, y, …}, got null",
    );
    expectThrows(
      () => splitDataset({ ...ds, X: [[0]] as unknown as Matrix }, 0.5, 0),
      UsageError,
      "splitDataset: X must be a Matrix {rows, cols, data}, got an array (fromRows makes one from nested arrays)",
    );
  });
});
