/**
 * compareGradients and entryErrors: relError and the worst entry of two gradient sets, against
 * closed forms computed by hand, and centralDifferenceGradients against backward().
 */
import { describe, expect, it } from "vitest";
import {
  centralDifferenceGradients,
  compareGradients,
  entryErrors,
  entryName,
} from "../../src/check/index.js";
import { ShapeError, UsageError } from "../../src/errors.js";
import { fromRows, matrix } from "../../src/linalg/index.js";
import { backward, forward, initParams, type Grads } from "../../src/nn/index.js";
import { randomBatch } from "../helpers.js";

/** Gradients of a 2→2→1 network: W1 2×2, b1 1×2, W2 2×1, b2 1×1. */
function grads(W1: number[][], b1: number[], W2: number[][], b2: number[]): Grads {
  return { dW1: fromRows(W1), db1: fromRows([b1]), dW2: fromRows(W2), db2: fromRows([b2]) };
}

const reference = grads(
  [
    [3, 0],
    [0, -4],
  ],
  [1, 0],
  [[2], [0]],
  [0],
);

describe("compareGradients", () => {
  it("passes identical gradients with relError 0", () => {
    const c = compareGradients(reference, reference);
    expect(c.passed).toBe(true);
    expect(c.failed).toEqual([]);
    expect(c.maxRelError).toBe(0);
    expect(c.params.b2).toMatchObject({ relError: 0, maxEntryRelError: 0, total: 1 });
  });

  it("finds the one entry off and its relative error, in closed form", () => {
    // W1[1][1] = −4 → −4 + δ: ‖a − b‖ = δ, ‖a‖ = 5, ‖b‖ = √(9 + (4 − δ)²).
    const delta = 1e-4;
    const candidate = grads(
      [
        [3, 0],
        [0, -4 + delta],
      ],
      [1, 0],
      [[2], [0]],
      [0],
    );
    const c = compareGradients(reference, candidate);
    expect(c.passed).toBe(false);
    expect(c.failed).toEqual(["W1"]);
    const expected = delta / (5 + Math.sqrt(9 + (4 - delta) ** 2));
    expect(c.params.W1.relError).toBeCloseTo(expected, 15);
    expect(c.params.W1.worstEntry).toBe("W1[1][1]");
    expect(c.params.W1.reference).toBe(-4);
    expect(c.params.W1.candidate).toBe(-4 + delta);
    expect(c.params.W1.maxEntryRelError).toBeCloseTo(delta / (8 - delta), 15);
    expect(c.maxRelError).toBe(c.params.W1.relError);
    // A threshold above the error passes it.
    expect(compareGradients(reference, candidate, { threshold: 1e-4 }).passed).toBe(true);
  });

  it("treats a sign error as the largest error there is (relError 1)", () => {
    const flipped = grads(
      [
        [-3, 0],
        [0, 4],
      ],
      [1, 0],
      [[2], [0]],
      [0],
    );
    const c = compareGradients(reference, flipped);
    expect(c.params.W1.relError).toBe(1);
    expect(c.failed).toEqual(["W1"]);
  });

  it("refuses gradients of other shapes, non-finite entries and a bad threshold", () => {
    const wide = { ...reference, dW2: fromRows([[2, 0]]) };
    expect(() => compareGradients(reference, wide)).toThrow(ShapeError);
    expect(() => compareGradients(reference, wide)).toThrow(
      /candidate dW2 is 1×2 but the reference is 2×1/,
    );
    const nan = { ...reference, db1: fromRows([[1, NaN]]) };
    expect(() => compareGradients(reference, nan)).toThrow(/candidate gradient b1\[1\] is NaN/);
    expect(() => compareGradients(reference, reference, { threshold: 0 })).toThrow(UsageError);
    expect(() => compareGradients(reference, null as unknown as Grads)).toThrow(UsageError);
  });
});

describe("entryErrors and entryName", () => {
  it("gives 0 for two zero lists and −1 as the worst of none", () => {
    expect(entryErrors([0, 0], [0, 0])).toEqual({ relError: 0, maxEntryRelError: 0, worst: 0 });
    expect(entryErrors([], [])).toEqual({ relError: 0, maxEntryRelError: 0, worst: -1 });
  });

  it("names entries by row and column, biases by index", () => {
    expect(entryName("W1", 5, 4)).toBe("W1[1][1]");
    expect(entryName("b2", 2, 3)).toBe("b2[2]");
  });
});

describe("centralDifferenceGradients", () => {
  it("gives every entry's central difference, close to backward()'s gradient", () => {
    const { X, y } = randomBatch(5, 3, 7);
    const params = initParams({ inputs: 3, hidden: 4, init: "xavier", seed: 3, biasInit: 0.1 });
    const numeric = centralDifferenceGradients(params, X, y, "tanh");
    const analytic = backward(params, forward(params, X, "tanh"), X, y, "tanh");
    expect(numeric.eps).toBe(1e-5);
    expect(numeric.grads.dW1.rows).toBe(3);
    expect(numeric.grads.dW1.cols).toBe(4);
    expect(numeric.kinks).toEqual({ W1: [], b1: [], W2: [], b2: [] });
    expect(compareGradients(analytic, numeric.grads).passed).toBe(true);
  });

  it("differences only the entries asked for, the same bits as all of them", () => {
    const { X, y } = randomBatch(4, 2, 5);
    const params = initParams({ inputs: 2, hidden: 3, init: "xavier", seed: 9, biasInit: 0.1 });
    const all = centralDifferenceGradients(params, X, y, "tanh", { l2: 0.01 });
    const some = centralDifferenceGradients(params, X, y, "tanh", {
      l2: 0.01,
      entries: { W1: [4], b2: [0] },
    });
    expect(some.grads.dW1.data[4]).toBe(all.grads.dW1.data[4]);
    expect(some.grads.db2.data[0]).toBe(all.grads.db2.data[0]);
    expect(some.grads.dW1.data[0]).toBeNaN();
    expect([...some.grads.dW2.data].every(Number.isNaN)).toBe(true);
    expect(() =>
      centralDifferenceGradients(params, X, y, "tanh", { entries: { b1: [3] } }),
    ).toThrow("b1 has no entry 3");
  });

  it("marks the entries whose ±ε crosses relu's kink, as NaN", () => {
    // One input, one hidden unit with z1 = x w + b = 1·1e-6 + 0: ε = 1e-5 crosses 0.
    const params = {
      W1: fromRows([[1e-6]]),
      b1: fromRows([[0]]),
      W2: fromRows([[1]]),
      b2: fromRows([[0]]),
    };
    const X = fromRows([[1]]);
    const y = matrix(1, 1, Float64Array.of(1));
    const numeric = centralDifferenceGradients(params, X, y, "relu");
    expect(numeric.kinks.W1).toEqual([0]);
    expect(numeric.kinks.b1).toEqual([0]);
    expect(numeric.grads.dW1.data[0]).toBeNaN();
    expect(Number.isFinite(numeric.grads.dW2.data[0])).toBe(true);
  });
});
