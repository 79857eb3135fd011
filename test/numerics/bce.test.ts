/** The loss's shape checks, its finiteness everywhere, and its exact tails. */
import { describe, expect, test } from "vitest";
import { ShapeError } from "../../src/errors.js";
import { columnVector, matrix } from "../../src/linalg/index.js";
import { bceWithLogits, bceWithLogitsPerExample } from "../../src/numerics/index.js";
import { GRID } from "./points.js";

const loss = (z: number, y: number): number => bceWithLogits(columnVector([z]), columnVector([y]));

describe("bceWithLogits", () => {
  test("is 1000 exactly for z = −1000, y = 1 (and for z = 1000, y = 0), and 0 when confidently right", () => {
    expect(loss(-1000, 1)).toBe(1000);
    expect(loss(1000, 0)).toBe(1000);
    expect(loss(1000, 1)).toBe(0);
    expect(loss(-1000, 0)).toBe(0);
  });

  test("is ln 2 at z = 0 for either label", () => {
    expect(loss(0, 0)).toBe(Math.LN2);
    expect(loss(0, 1)).toBe(Math.LN2);
  });

  test("is finite and ≥ 0 (never ∞ or NaN) at every grid logit with y = 0 and y = 1", () => {
    for (const z of GRID) {
      for (const y of [0, 1]) {
        const value = loss(z, y);
        expect(Number.isFinite(value), `z = ${z}, y = ${y}`).toBe(true);
        expect(value).toBeGreaterThanOrEqual(0);
      }
    }
  });

  test("the mean stays finite when the sum of the losses overflows float64", () => {
    const N = 1000;
    const z = columnVector(new Float64Array(N).fill(Number.MAX_VALUE));
    const y = columnVector(new Float64Array(N)); // all 0: every loss is MAX_VALUE
    expect(bceWithLogits(z, y)).toBe(Number.MAX_VALUE);
  });

  test("is the mean of the per-example losses", () => {
    const z = columnVector([-3, 0.5, 2, 40]);
    const y = columnVector([1, 0, 1, 0]);
    const perExample = bceWithLogitsPerExample(z, y);
    expect(perExample.rows).toBe(4);
    expect(perExample.cols).toBe(1);
    const mean = Array.from(perExample.data).reduce((a, b) => a + b, 0) / 4;
    expect(bceWithLogits(z, y)).toBeCloseTo(mean, 14);
  });

  test("throws a ShapeError naming both shapes when z2 and y differ", () => {
    const z = columnVector([1, 2, 3]);
    const y = columnVector([0, 1]);
    expect(() => bceWithLogits(z, y)).toThrow(ShapeError);
    expect(() => bceWithLogits(z, y)).toThrow(/3×1.*2×1/);
    expect(() => bceWithLogitsPerExample(z, y)).toThrow(/3×1.*2×1/);
  });

  test("throws a ShapeError for batches that are not N×1", () => {
    const z = matrix(2, 2, new Float64Array([1, 2, 3, 4]));
    expect(() => bceWithLogits(z, z)).toThrow(/2×2.*N×1/);
  });

  test("throws a ShapeError for an empty batch", () => {
    const empty = matrix(0, 1);
    expect(() => bceWithLogits(empty, empty)).toThrow(ShapeError);
    expect(() => bceWithLogits(empty, empty)).toThrow(/empty/);
  });
});
