/**
 * The claims of docs/_draft-activations.md: the saturation and dead-unit measures match
 * their closed forms, and what the experiment reports (relu-like f reach the target first,
 * σ starts with the smallest gradient and does not saturate, He-initialised relu has no
 * dead unit at this rate), bit-identically for a seed.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import {
  cell,
  DATA_SETS,
  runActivations,
  runAll,
  summarise,
  type Run,
} from "../../src/experiments/activations.js";
import {
  deadUnits,
  maxPreActivation,
  saturatedFraction,
} from "../../src/experiments/hidden-units.js";
import type { ExperimentResult } from "../../src/experiments/experiment.js";
import { fromRows, matrix } from "../../src/linalg/index.js";
import { forward, tanh, type Activation } from "../../src/nn/index.js";
import { sigmoidActivation } from "../../src/nn/activations.js";

/** The cache of a 1→1 network with W1 = 1, b1 = 0 on the rows z: z1 = z exactly. */
function cacheAt(z: number[], f: Activation) {
  const params = {
    W1: fromRows([[1]]),
    b1: fromRows([[0]]),
    W2: fromRows([[1]]),
    b2: fromRows([[0]]),
  };
  return forward(params, matrix(z.length, 1, Float64Array.from(z)), f);
}

describe("saturation: f′(z) < 1 % of f′(0)", () => {
  // tanh′ = sech² z < 0.01 ⇔ cosh z > 10; σ′ = ¼ sech²(z/2) < 0.0025 ⇔ cosh(z/2) > 10.
  const zTanh = Math.acosh(10);
  const zSigmoid = 2 * Math.acosh(10);

  it("tanh saturates exactly beyond |z| = acosh 10 ≈ 2.993", () => {
    expect(zTanh).toBeCloseTo(2.993, 3);
    const z = [zTanh * 0.999, -zTanh * 0.999, zTanh * 1.001, -zTanh * 1.001, 0, 40];
    expect(saturatedFraction(cacheAt(z, tanh), tanh)).toBe(3 / 6);
  });

  it("σ saturates exactly beyond |z| = 2 acosh 10 ≈ 5.986", () => {
    expect(zSigmoid).toBeCloseTo(5.986, 3);
    const z = [zSigmoid * 0.999, -zSigmoid * 0.999, zSigmoid * 1.001, -zSigmoid * 1.001];
    expect(saturatedFraction(cacheAt(z, sigmoidActivation), sigmoidActivation)).toBe(2 / 4);
  });

  it("matches the closed-form count on random pre-activations", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -12, max: 12, noNaN: true }), { minLength: 1, maxLength: 50 }),
        (z) => {
          // keep away from the threshold by a relative 1e-9 so rounding cannot decide
          const zs = z.filter((v) => Math.abs(Math.abs(v) / zTanh - 1) > 1e-9);
          fc.pre(zs.length > 0);
          const expected = zs.filter((v) => Math.abs(v) > zTanh).length / zs.length;
          expect(saturatedFraction(cacheAt(zs, tanh), tanh)).toBeCloseTo(expected, 15);
        },
      ),
      { numRuns: 100, seed: 3 },
    );
  });
});

describe("dead units: max over the rows of z1[:, j] ≤ 0", () => {
  it("deadUnits is the brute-force set {j : z1[n, j] ≤ 0 for every n}", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.constantFrom(-2, -1, -0, 0, 1e-300, 2), { minLength: 48, maxLength: 48 }),
        (N, H, pool) => {
          const z1 = matrix(N, H, Float64Array.from(pool.slice(0, N * H)));
          const brute = [...Array(H).keys()].filter((j) =>
            [...Array(N).keys()].every((n) => (z1.data[n * H + j] as number) <= 0),
          );
          expect(deadUnits(z1)).toEqual(brute);
          expect(maxPreActivation(z1).length).toBe(H);
        },
      ),
      { numRuns: 200, seed: 1 },
    );
  });
});

describe("the activations experiment", () => {
  let runs: Run[];
  let result: ExperimentResult;
  beforeAll(() => {
    runs = runAll(0);
    result = summarise(runs);
  });

  it("relu reaches the target loss on every run, and no later than tanh on each", () => {
    for (const data of DATA_SETS) {
      const reluRuns = cell(runs, data, "relu");
      const tanhRuns = cell(runs, data, "tanh");
      reluRuns.forEach((r, i) => {
        expect(r.epochsToTarget).not.toBeNull();
        const t = tanhRuns[i]!.epochsToTarget;
        if (t !== null) expect(r.epochsToTarget!).toBeLessThanOrEqual(t);
      });
    }
  });

  it("σ reaches the target on fewer runs than tanh, and starts with a smaller ‖∇W1‖", () => {
    const n = result.numbers;
    expect(Number(n["reached-sigmoid"])).toBeLessThan(Number(n["reached-tanh"]));
    expect(Number(n["grad0-ratio-sigmoid-tanh"])).toBeLessThan(1);
  });

  it("σ is slow without saturating: its saturated share stays below 1 %", () => {
    for (const r of runs.filter((r) => r.f === "sigmoid")) expect(r.saturated).toBeLessThan(0.01);
  });

  it("He-initialised relu at this rate ends with no dead unit", () => {
    expect(result.numbers["dead-relu-total"]).toBe("0");
  });

  it("is bit-identical for the same seed and differs for another", () => {
    expect(JSON.stringify(runActivations(0))).toBe(JSON.stringify(result));
    expect(JSON.stringify(runActivations(1).numbers)).not.toBe(JSON.stringify(result.numbers));
  });
});
