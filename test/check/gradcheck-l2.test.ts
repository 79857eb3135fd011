/**
 * The L2 penalty's gradient by finite differences: gradientCheck with l2 (its loss includes
 * (λ/2)(‖W1‖² + ‖W2‖²)) passes for every activation and both heads; a backward that forgets
 * the penalty fails it; λ = 0 leaves every number of backward and lossAt bit-identical.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { gradientCheck } from "../../src/check/index.js";
import { clone, matrix } from "../../src/linalg/index.js";
import {
  ACTIVATION_NAMES,
  backward,
  defaultInitFor,
  forward,
  initParams,
  l2Penalty,
  lossAt,
  type Grads,
} from "../../src/nn/index.js";
import { bits, randomBatch } from "../helpers.js";

/** The gradients as one params-shaped object, for bits(). */
const asParams = (g: Grads) => ({ W1: g.dW1, b1: g.db1, W2: g.dW2, b2: g.db2 });

describe("gradientCheck with an L2 penalty", () => {
  it("passes a correct gradient however large the penalty is beside the cross-entropy", () => {
    // Large weights (biasInit and a wide init) make P = (λ/2)(‖W1‖² + ‖W2‖²) hundreds of times
    // the cross-entropy: differencing L + P whole would round the bias gradients away.
    const { X, y } = randomBatch(40, 2, 5);
    const params = initParams({ inputs: 2, hidden: 32, init: "he", seed: 4, biasInit: 0.5 });
    for (const l2 of [3, 10, 1000, 1e6]) {
      const cache = forward(params, X, "tanh");
      const penalty = l2Penalty(params, l2);
      expect(penalty / lossAt(params, X, y, "tanh")).toBeGreaterThan(10);
      expect(cache.p.rows).toBe(40);
      const report = gradientCheck(params, X, y, "tanh", { l2 });
      expect(report.passed, `λ = ${l2}: ${JSON.stringify(report.params)}`).toBe(true);
      expect(report.params.b1.relError).toBeLessThan(1e-8);
      // …and still fails a gradient that is off by a little in one weight's penalty term.
      const grads = backward(params, cache, X, y, "tanh", l2);
      const dW2 = clone(grads.dW2);
      dW2.data[0] = dW2.data[0]! * (1 + 1e-4);
      const off = { ...grads, dW2 };
      expect(gradientCheck(params, X, y, "tanh", { l2, analytic: off }).passed).toBe(false);
    }
  });

  for (const activation of ACTIVATION_NAMES) {
    for (const K of [1, 3]) {
      it(`${activation}, ${K === 1 ? "sigmoid" : "softmax"} head, λ ∈ {1e-3, 0.1, 2}`, () => {
        const { X, y: binary } = randomBatch(9, 3, 4 + K);
        const y =
          K === 1
            ? binary
            : matrix(
                9,
                1,
                Float64Array.from({ length: 9 }, (_, i) => i % K),
              );
        const params = initParams({
          inputs: 3,
          hidden: 4,
          outputs: K,
          init: defaultInitFor(activation),
          seed: 2,
          biasInit: 0.1,
        });
        for (const l2 of [1e-3, 0.1, 2]) {
          const report = gradientCheck(params, X, y, activation, { l2 });
          expect(report.passed, `λ = ${l2}: ${JSON.stringify(report.params)}`).toBe(true);
        }
        // A gradient without the penalty's λ W fails the penalised check.
        const cache = forward(params, X, activation);
        const unpenalised = backward(params, cache, X, y, activation);
        const wrong = gradientCheck(params, X, y, activation, { l2: 0.1, analytic: unpenalised });
        expect(wrong.passed).toBe(false);
        expect(wrong.params.b1.relError).toBeLessThan(1e-7); // biases are not penalised
        expect(wrong.params.b2.relError).toBeLessThan(1e-7);
      });
    }
  }
});

describe("λ = 0 is no penalty, bit for bit", () => {
  it("backward(…, 0) and lossAt(…, 0) equal the calls without λ; the penalty is (λ/2)(‖W1‖² + ‖W2‖²)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 0, max: 1e6 }), (N, seed) => {
        const { X, y } = randomBatch(N, 2, seed);
        const params = initParams({ inputs: 2, hidden: 3, init: "xavier", seed });
        const cache = forward(params, X, "tanh");
        const plain = backward(params, cache, X, y, "tanh");
        expect(bits(asParams(backward(params, cache, X, y, "tanh", 0)))).toBe(
          bits(asParams(plain)),
        );
        expect(Object.is(lossAt(params, X, y, "tanh", 0), lossAt(params, X, y, "tanh"))).toBe(true);
        const squares = [...params.W1.data, ...params.W2.data].reduce((s, w) => s + w * w, 0);
        expect(l2Penalty(params, 0.3)).toBeCloseTo(0.15 * squares, 14);
        expect(lossAt(params, X, y, "tanh", 0.3)).toBe(
          lossAt(params, X, y, "tanh") + l2Penalty(params, 0.3),
        );
      }),
      { numRuns: 50 },
    );
  });

  it("refuses a negative or non-finite λ", () => {
    const { X, y } = randomBatch(3, 2, 1);
    const params = initParams({ inputs: 2, hidden: 3, init: "xavier", seed: 1 });
    expect(() => gradientCheck(params, X, y, "tanh", { l2: -0.5 })).toThrow(
      /^gradientCheck: the L2 penalty λ must be a finite number ≥ 0, got -0.5$/,
    );
    const cache = forward(params, X, "tanh");
    expect(() => backward(params, cache, X, y, "tanh", NaN)).toThrow(/got NaN/);
  });
});
