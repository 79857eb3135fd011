import { describe, expect, it } from "vitest";
import { ShapeError } from "../../src/errors.js";
import { fromRows, toRows } from "../../src/linalg/index.js";
import {
  ACTIVATIONS,
  backward,
  forward,
  initParams,
  lossAt,
  tanh,
  type Params,
} from "../../src/nn/index.js";
import { randomBatch } from "../helpers.js";

describe("forward", () => {
  it("gives every intermediate its shape: z1, a1 N×H; z2, p N×1", () => {
    const { X } = randomBatch(7, 3, 1);
    const params = initParams({ inputs: 3, hidden: 5, init: "xavier", seed: 1 });
    const cache = forward(params, X, tanh);
    expect([cache.z1.rows, cache.z1.cols, cache.a1.rows, cache.a1.cols]).toEqual([7, 5, 7, 5]);
    expect([cache.z2.rows, cache.z2.cols, cache.p.rows, cache.p.cols]).toEqual([7, 1, 7, 1]);
  });

  it("broadcasts b1 to every row: with W1 = 0, every row of z1 is b1", () => {
    const params: Params = {
      W1: fromRows([
        [0, 0],
        [0, 0],
      ]),
      b1: fromRows([[0.5, -2]]),
      W2: fromRows([[1], [1]]),
      b2: fromRows([[0.25]]),
    };
    const X = fromRows([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const cache = forward(params, X, tanh);
    expect(toRows(cache.z1)).toEqual([
      [0.5, -2],
      [0.5, -2],
      [0.5, -2],
    ]);
    const z2 = Math.tanh(0.5) + Math.tanh(-2) + 0.25;
    expect(toRows(cache.z2)).toEqual([[z2], [z2], [z2]]);
  });

  it("matches the equations worked by hand for a 1→1→1 network", () => {
    const params: Params = {
      W1: fromRows([[2]]),
      b1: fromRows([[-1]]),
      W2: fromRows([[3]]),
      b2: fromRows([[0.5]]),
    };
    const X = fromRows([[0.75]]);
    const y = fromRows([[1]]);
    const cache = forward(params, X, tanh);
    const z1 = 2 * 0.75 - 1;
    const a1 = Math.tanh(z1);
    const z2 = 3 * a1 + 0.5;
    const p = 1 / (1 + Math.exp(-z2));
    expect(cache.z2.data[0]).toBeCloseTo(z2, 15);
    expect(cache.p.data[0]).toBeCloseTo(p, 15);
    // Closed-form chain rule for N = 1: δ2 = p − y, δ1 = δ2 W2 (1 − a1²).
    const grads = backward(params, cache, X, y, tanh);
    const dz2 = p - 1;
    const dz1 = dz2 * 3 * (1 - a1 * a1);
    expect(grads.db2.data[0]).toBeCloseTo(dz2, 15);
    expect(grads.dW2.data[0]).toBeCloseTo(a1 * dz2, 15);
    expect(grads.db1.data[0]).toBeCloseTo(dz1, 15);
    expect(grads.dW1.data[0]).toBeCloseTo(0.75 * dz1, 15);
  });

  it("refuses data whose width is not D, naming both shapes", () => {
    const params = initParams({ inputs: 3, hidden: 4, init: "he", seed: 0 });
    const { X } = randomBatch(5, 2, 0);
    expect(() => forward(params, X, tanh)).toThrow(ShapeError);
    expect(() => forward(params, X, tanh)).toThrow(/5×2.*3×4/);
    const good = randomBatch(5, 3, 0).X;
    expect(() =>
      backward(params, forward(params, good, tanh), good, fromRows([[1]]), tanh),
    ).toThrow(/1×1.*5×3/);
  });
});

describe("the loss is the mean, not the sum", () => {
  it("duplicating every row leaves the loss and the gradients unchanged", () => {
    for (const activation of Object.values(ACTIVATIONS)) {
      const { X, y } = randomBatch(6, 3, 11);
      const params = initParams({ inputs: 3, hidden: 4, init: "xavier", seed: 5 });
      const doubled = (A: typeof X) => fromRows([...toRows(A), ...toRows(A)]);
      const L1 = lossAt(params, X, y, activation);
      const L2 = lossAt(params, doubled(X), doubled(y), activation);
      expect(L2).toBeCloseTo(L1, 14);
      const g1 = backward(params, forward(params, X, activation), X, y, activation);
      const g2 = backward(
        params,
        forward(params, doubled(X), activation),
        doubled(X),
        doubled(y),
        activation,
      );
      for (const k of ["dW1", "db1", "dW2", "db2"] as const) {
        g1[k].data.forEach((v, i) => expect(g2[k].data[i]).toBeCloseTo(v, 14));
      }
    }
  });
});
