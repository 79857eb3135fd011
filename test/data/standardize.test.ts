import { describe, expect, it } from "vitest";
import { applyStandardizer, fitStandardizer } from "../../src/data/index.js";
import { DataError, ShapeError } from "../../src/errors.js";
import { fromRows, matrix, toRows, type Matrix } from "../../src/linalg/index.js";
import { Rng } from "../../src/rng.js";

/** Column j of A. */
function column(A: Matrix, j: number): number[] {
  return Array.from({ length: A.rows }, (_, i) => A.data[i * A.cols + j]!);
}

describe("fitStandardizer", () => {
  it("matches the closed form: [1, 2, 3, 4] has mean 2.5 and population std √1.25", () => {
    const s = fitStandardizer(fromRows([[1], [2], [3], [4]]));
    expect(s.mean[0]).toBe(2.5);
    expect(s.std[0]).toBe(Math.sqrt(1.25));
  });

  it("is exact for a large offset: 1e9 + [1, 2, 3] has std √(2/3)", () => {
    const s = fitStandardizer(fromRows([[1e9 + 1], [1e9 + 2], [1e9 + 3]]));
    expect(s.mean[0]).toBe(1e9 + 2);
    expect(s.std[0]).toBe(Math.sqrt(2 / 3));
  });

  it("does not overflow for huge values: [1e300, −1e300] has std 1e300", () => {
    const s = fitStandardizer(fromRows([[1e300], [-1e300]]));
    expect(s.mean[0]).toBe(0);
    expect(s.std[0]).toBe(1e300);
  });

  it("gives a constant column (even 0.1, whose naive mean is inexact) its value as mean and std 1", () => {
    const X = matrix(
      7,
      2,
      Float64Array.from({ length: 14 }, (_, k) => (k % 2 === 0 ? 0.1 : k)),
    );
    const s = fitStandardizer(X);
    expect(s.mean[0]).toBe(0.1);
    expect(s.std[0]).toBe(1);
    expect(column(applyStandardizer(X, s), 0)).toEqual(new Array(7).fill(0));
  });

  it("treats a single row as constant in every column", () => {
    const s = fitStandardizer(fromRows([[3, -4]]));
    expect(Array.from(s.mean)).toEqual([3, -4]);
    expect(Array.from(s.std)).toEqual([1, 1]);
  });

  it("refuses zero rows", () => {
    expect(() => fitStandardizer(matrix(0, 3))).toThrow(DataError);
  });
});

describe("applyStandardizer", () => {
  it("makes every column mean 0 and population std 1 (to 1e-12), whatever its scale", () => {
    const rng = new Rng(7);
    const scales = [1e-6, 1, 1e3, 1e8];
    const X = matrix(
      500,
      4,
      Float64Array.from(
        { length: 2000 },
        (_, k) => 5 * scales[k % 4]! + scales[k % 4]! * rng.normal(),
      ),
    );
    const Z = applyStandardizer(X, fitStandardizer(X));
    for (let j = 0; j < 4; j++) {
      const values = column(Z, j);
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
      expect(Math.abs(mean)).toBeLessThan(1e-12);
      expect(Math.abs(variance - 1)).toBeLessThan(1e-12);
    }
  });

  it("applies another set's mean and std: (x − mean) / std", () => {
    const s = { mean: Float64Array.of(1, -2), std: Float64Array.of(2, 0.5) };
    expect(
      toRows(
        applyStandardizer(
          fromRows([
            [3, -1],
            [1, -2],
          ]),
          s,
        ),
      ),
    ).toEqual([
      [1, 2],
      [0, 0],
    ]);
  });

  it("leaves its input unchanged", () => {
    const X = fromRows([
      [1, 2],
      [3, 5],
    ]);
    const before = Array.from(X.data);
    applyStandardizer(X, fitStandardizer(X));
    expect(Array.from(X.data)).toEqual(before);
  });

  it("a width mismatch is a ShapeError naming both sizes", () => {
    const s = fitStandardizer(
      fromRows([
        [1, 2, 3],
        [4, 5, 6],
      ]),
    );
    const run = (): unknown =>
      applyStandardizer(
        fromRows([
          [1, 2],
          [3, 4],
        ]),
        s,
      );
    expect(run).toThrow(ShapeError);
    expect(run).toThrow(
      "the standardizer has 3 means and 3 stds but the features are 2×2 (2 columns)",
    );
  });

  it("a std of 0, a negative or a NaN one is a DataError", () => {
    const X = fromRows([[1, 2]]);
    for (const bad of [0, -1, NaN, Infinity]) {
      const run = (): unknown =>
        applyStandardizer(X, { mean: Float64Array.of(0, 0), std: Float64Array.of(1, bad) });
      expect(run).toThrow(DataError);
      expect(run).toThrow(`column 2 has mean 0 and std ${bad}`);
    }
  });
});

describe("fitStandardizer at the edges of float64", () => {
  it("fits columns whose sum overflows although their mean does not", () => {
    const s = fitStandardizer(fromRows([[1.7e308], [1.5e308]]));
    expect(s.mean[0]).toBeCloseTo(1.6e308, -296);
    expect(s.std[0]).toBeCloseTo(0.1e308, -296);
  });

  it("gives std 1, never 0, to a column whose spread underflows", () => {
    const column = Array.from({ length: 100 }, (_, i) => [i === 0 ? 5e-324 : 0]);
    const s = fitStandardizer(fromRows(column));
    expect(s.std[0]).toBeGreaterThan(0);
    expect(
      toRows(applyStandardizer(fromRows(column), s))
        .flat()
        .every(Number.isFinite),
    ).toBe(true);
  });
});
