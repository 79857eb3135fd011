import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { gradientCheck } from "../../src/check/index.js";
import { UsageError } from "../../src/errors.js";
import { fromRows } from "../../src/linalg/index.js";
import {
  ACTIVATION_NAMES,
  activationByName,
  defaultInitFor,
  initParams,
  type Activation,
  type Params,
} from "../../src/nn/index.js";
import { randomBatch } from "../helpers.js";

describe("gradient check", () => {
  it("passes for every activation with N = 1, H = 1 and both", () => {
    for (const activation of ACTIVATION_NAMES) {
      for (const [N, H] of [
        [1, 1],
        [1, 5],
        [7, 1],
      ] as const) {
        const { X, y } = randomBatch(N, 3, N * 10 + H);
        const params = initParams({
          inputs: 3,
          hidden: H,
          init: defaultInitFor(activation),
          seed: H,
          biasInit: 0.1,
        });
        const report = gradientCheck(params, X, y, activation);
        expect(report.passed, `${activation} N=${N} H=${H}: ${JSON.stringify(report)}`).toBe(true);
      }
    }
  });

  it("passes for every activation on random shapes and seeds", () => {
    const shapes = fc.record({
      N: fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 12 })),
      D: fc.integer({ min: 1, max: 4 }),
      H: fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 6 })),
      seed: fc.nat(1_000_000),
      activation: fc.constantFrom(...ACTIVATION_NAMES),
    });
    fc.assert(
      fc.property(shapes, ({ N, D, H, seed, activation }) => {
        const { X, y } = randomBatch(N, D, seed);
        const params = initParams({
          inputs: D,
          hidden: H,
          init: defaultInitFor(activation),
          seed: seed + 1,
          biasInit: 0.1,
        });
        const report = gradientCheck(params, X, y, activation);
        expect(report.passed, JSON.stringify(report)).toBe(true);
        expect(report.maxRelError).toBeLessThan(1e-7);
        // Only relu-like units have kinks; the others compare every entry.
        if (!activationByName(activation).hasKink) {
          for (const p of Object.values(report.params))
            expect([p.kinks, p.checked]).toEqual([0, p.total]);
        }
      }),
      { seed: 20261124, numRuns: 150 },
    );
  });

  it("fails when the analytic gradient is wrong (a derivative off by 10%)", () => {
    const wrongTanh: Activation = { ...activationByName("tanh"), df: (_z, a) => 1.1 * (1 - a * a) };
    const { X, y } = randomBatch(8, 3, 1);
    const params = initParams({ inputs: 3, hidden: 4, init: "xavier", seed: 2 });
    const report = gradientCheck(params, X, y, wrongTanh);
    expect(report.passed).toBe(false);
    expect(report.params.W1.relError).toBeGreaterThan(1e-3);
    // W2 and b2 do not involve f′: they still agree.
    expect(report.params.W2.relError).toBeLessThan(1e-7);
  });

  it("counts relu kink crossings and keeps them out of the error figures", () => {
    // X row (1, 0) and W1 column 0 = 0, b1 = 0: z1[0, 0] = 0 exactly, so perturbing W1[0][0]
    // or b1[0] by ±ε moves z1[0, 0] across the kink.
    const params: Params = {
      W1: fromRows([
        [0, 0.5],
        [0.3, -0.2],
      ]),
      b1: fromRows([[0, 0.1]]),
      W2: fromRows([[1.5], [-0.7]]),
      b2: fromRows([[0]]),
    };
    const X = fromRows([
      [1, 0],
      [0.5, 2],
    ]);
    const y = fromRows([[1], [0]]);
    const report = gradientCheck(params, X, y, "relu");
    expect(report.params.W1.kinks).toBe(1);
    expect(report.params.b1.kinks).toBe(1);
    expect(report.params.W1.checked).toBe(3);
    expect(report.params.W2.kinks).toBe(0);
    expect(report.passed).toBe(true);
    // tanh has no kink: nothing is excluded.
    expect(gradientCheck(params, X, y, "tanh").params.W1.kinks).toBe(0);
  });

  it("fails, naming the parameter, when every checked entry of a parameter crosses a kink", () => {
    // One relu unit with z1 = ±0.01 on the two rows: b1[0] ± 0.1 flips a row's side, so its
    // only entry is a kink; W1 ± 0.1 moves z1 by ±0.1·x and crosses too.
    const params: Params = {
      W1: fromRows([[0.01]]),
      b1: fromRows([[0]]),
      W2: fromRows([[1]]),
      b2: fromRows([[0]]),
    };
    const X = fromRows([[1], [-1]]);
    const y = fromRows([[1], [0]]);
    const wide = gradientCheck(params, X, y, "relu", { eps: 0.1 });
    expect(wide.params.b1.checked).toBe(0);
    expect(wide.unchecked).toEqual(["W1", "b1"]);
    expect(wide.passed).toBe(false);
    // A step that crosses nothing compares every entry and passes.
    const narrow = gradientCheck(params, X, y, "relu", { eps: 1e-5 });
    expect(narrow.unchecked).toEqual([]);
    expect(narrow.passed).toBe(true);
  });

  it("checks a seeded subset when asked, the same subset for the same seed", () => {
    const { X, y } = randomBatch(10, 20, 4);
    const params = initParams({ inputs: 20, hidden: 30, init: "xavier", seed: 4 });
    const a = gradientCheck(params, X, y, "tanh", { maxEntriesPerParam: 25, seed: 9 });
    const b = gradientCheck(params, X, y, "tanh", { maxEntriesPerParam: 25, seed: 9 });
    expect(a.params.W1.checked).toBe(25);
    expect(a.params.b2.checked).toBe(1);
    expect(a).toEqual(b);
    expect(a.passed).toBe(true);
    // Another seed checks other entries: the worst-entry figure differs.
    const c = gradientCheck(params, X, y, "tanh", { maxEntriesPerParam: 25, seed: 10 });
    expect(c.params.W1.maxEntryRelError).not.toBe(a.params.W1.maxEntryRelError);
  });

  it("relError is 0 when both gradients are 0 (a dead relu unit)", () => {
    const params: Params = {
      W1: fromRows([[-1, 1]]),
      b1: fromRows([[-5, 0.2]]), // unit 0 is dead on x ∈ [0, 1]: z1 = −x − 5 < 0
      W2: fromRows([[0], [1]]), // and W2[0] = 0: nothing flows through unit 0
      b2: fromRows([[0]]),
    };
    const X = fromRows([[0.2], [0.9]]);
    const y = fromRows([[0], [1]]);
    const report = gradientCheck(params, X, y, "relu");
    expect(report.params.W1.maxEntryRelError).toBeLessThan(1e-6);
    expect(report.passed).toBe(true);
  });

  it("the error figure scales with ε as the theory says: truncation at large ε, round-off at tiny ε", () => {
    const { X, y } = randomBatch(16, 3, 6);
    const params = initParams({ inputs: 3, hidden: 5, init: "xavier", seed: 6 });
    const at = (eps: number) => gradientCheck(params, X, y, "tanh", { eps }).maxRelError;
    const best = at(1e-5);
    expect(at(1e-1)).toBeGreaterThan(100 * best); // O(ε²) truncation
    expect(at(1e-12)).toBeGreaterThan(100 * best); // O(ε_mach/ε) round-off
    expect(best).toBeLessThan(1e-8);
  });

  it("refuses nonsense settings", () => {
    const { X, y } = randomBatch(3, 2, 0);
    const params = initParams({ inputs: 2, hidden: 2, init: "he", seed: 0 });
    expect(() => gradientCheck(params, X, y, "tanh", { eps: 0 })).toThrow(UsageError);
    expect(() => gradientCheck(params, X, y, "tanh", { threshold: NaN })).toThrow(/threshold/);
    expect(() => gradientCheck(params, X, y, "tanh", { maxEntriesPerParam: 0 })).toThrow(/entries/);
  });
});
