/** The argument checks of the Matrix constructors and kernels: type, shape, data length, finiteness. */
import { describe, expect, it } from "vitest";
import { DataError, ShapeError, UsageError } from "../../src/errors.js";
import {
  addRow,
  assertFinite,
  assertMatrix,
  colSums,
  fromRows,
  matmul,
  matmulTransA,
  matmulTransB,
  matrix,
  toRows,
  type Matrix,
} from "../../src/linalg/index.js";
import { expectThrows } from "../throws.js";

const A = fromRows([
  [1, 2],
  [3, 4],
]);
/** A value that claims to be a Matrix, for the checks that TypeScript would reject. */
const fake = (value: unknown): Matrix => value as Matrix;

describe("matrix and fromRows", () => {
  it("matrix refuses data that is not a Float64Array (UsageError)", () => {
    expectThrows(
      () => matrix(2, 2, fake([1, 2, 3, 4]) as unknown as Float64Array),
      UsageError,
      "matrix: data must be a Float64Array, got an array (use Float64Array.from(values))",
    );
    expectThrows(
      () => matrix(1, 2, new Float32Array(2) as unknown as Float64Array),
      UsageError,
      "matrix: data must be a Float64Array, got a Float32Array (use Float64Array.from(values))",
    );
  });

  it("fromRows refuses anything but an array of arrays (UsageError)", () => {
    expectThrows(
      () => fromRows(fake(A) as unknown as number[][]),
      UsageError,
      "fromRows: rows must be an array of arrays of numbers, got an object",
    );
    expectThrows(
      () => fromRows([1, 2] as unknown as number[][]),
      UsageError,
      "fromRows: rows must be an array of arrays of numbers, got an array",
    );
  });
});

describe("assertMatrix, through the kernels the package exports", () => {
  it("refuses a nested array where a Matrix is expected, pointing to fromRows", () => {
    expectThrows(
      () => matmul(fake([[1, 2]]), A),
      UsageError,
      "matmul: A must be a Matrix {rows, cols, data}, got an array (fromRows makes one from nested arrays)",
    );
  });

  it("refuses null, numbers and missing arguments", () => {
    expectThrows(
      () => matmulTransA(A, fake(null)),
      UsageError,
      "matmulTransA: B must be a Matrix {rows, cols, data}, got null",
    );
    expectThrows(
      () => colSums(fake(3)),
      UsageError,
      "colSums: A must be a Matrix {rows, cols, data}, got a number (3)",
    );
  });

  it("refuses a Matrix-like object whose data is not a Float64Array (UsageError)", () => {
    expectThrows(
      () => matmulTransB(A, fake({ rows: 2, cols: 2, data: [1, 2, 3, 4] })),
      UsageError,
      "matmulTransB: B.data must be a Float64Array, got an array",
    );
  });

  it("refuses a shape that is not two non-negative integers (ShapeError)", () => {
    expectThrows(
      () => addRow(fake({ rows: 1.5, cols: 2, data: new Float64Array(3) }), A),
      ShapeError,
      "addRow: A has shape 1.5×2; rows and cols must be non-negative integers",
    );
    expectThrows(
      () => toRows(fake({ rows: -1, cols: 0, data: new Float64Array(0) })),
      ShapeError,
      "toRows: A has shape -1×0; rows and cols must be non-negative integers",
    );
  });

  it("refuses data whose length is not rows × cols (ShapeError)", () => {
    expectThrows(
      () => addRow(A, fake({ rows: 1, cols: 2, data: new Float64Array(3) })),
      ShapeError,
      "addRow: the row vector is 1×2 but its data holds 3 values (it needs 2)",
    );
  });

  it("accepts every Matrix the constructors make, whatever its realm's Float64Array", () => {
    expect(() => assertMatrix(A, "A", "test")).not.toThrow();
    expect(() => assertMatrix(matrix(0, 3), "A", "test")).not.toThrow();
  });
});

describe("assertFinite", () => {
  it("names the first non-finite entry by row and column, counted from 0", () => {
    const X = fromRows([
      [1, 2],
      [3, 4],
      [5, NaN],
    ]);
    expectThrows(
      () => assertFinite(X, "X", "forward"),
      DataError,
      "forward: X row 2, column 1 is NaN",
    );
    const Y = fromRows([[1, -Infinity, Infinity]]);
    expectThrows(
      () => assertFinite(Y, "X", "train"),
      DataError,
      "train: X row 0, column 1 is -Infinity",
    );
  });

  it("scans an array once: an array that passed is trusted after (the documented trade-off)", () => {
    const X = fromRows([
      [1, 2],
      [3, 4],
    ]);
    assertFinite(X, "X", "train");
    X.data[3] = NaN; // written after the check: not seen again
    expect(() => assertFinite(X, "X", "train")).not.toThrow();
    const fresh = matrix(2, 2, X.data.slice()); // a new array is scanned
    expectThrows(
      () => assertFinite(fresh, "X", "train"),
      DataError,
      "train: X row 1, column 1 is NaN",
    );
  });
});
