/**
 * The claims of docs/_draft-dead-relu.md: a relu unit with max_n z1[n, j] ≤ 0 has exactly
 * zero gradient (analytic and central difference), so gradient descent on the same data
 * never moves it again (full batch or mini-batch); leaky relu gives the same unit the
 * closed-form gradient 0.01 · Xᵀ δ2 W2[j]; and what the experiment reports about the
 * provocations and mitigations.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import {
  centralDifference,
  dataOf,
  runDeadRelu,
  SCENARIOS,
  startOf,
  unitParams,
} from "../../src/experiments/dead-relu.js";
import { deadUnits, descend } from "../../src/experiments/hidden-units.js";
import type { ExperimentResult } from "../../src/experiments/experiment.js";
import { matrix, type Matrix } from "../../src/linalg/index.js";
import { backward, forward, initParams, type Params } from "../../src/nn/index.js";
import { LEAKY_SLOPE, leakyRelu, relu, sigmoidActivation } from "../../src/nn/activations.js";
import { sigmoidMinusLabel } from "../../src/numerics/index.js";
import { train } from "../../src/train/index.js";
import { randomBatch } from "../helpers.js";

/** Random parameters with unit `j` pushed below 0 on every row of X (margin below 0). */
function withDeadUnit(seed: number, X: Matrix, H: number, j: number, margin: number): Params {
  const p = initParams({ inputs: X.cols, hidden: H, init: "he", seed });
  const z1 = forward(p, X, relu).z1;
  let max = -Infinity;
  for (let n = 0; n < X.rows; n++) max = Math.max(max, z1.data[n * H + j] as number);
  const b1 = Float64Array.from(p.b1.data);
  b1[j] = (b1[j] as number) - max - margin; // now max_n z1[n, j] = −margin
  return { ...p, b1: matrix(1, H, b1) };
}

describe("a dead relu unit has exactly zero gradient", () => {
  it("analytic dW1[:, j] and db1[j] are exactly 0, and so is every central difference", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e6 }),
        fc.integer({ min: 0, max: 5 }),
        fc.double({ min: 1e-3, max: 3, noNaN: true }),
        (seed, j, margin) => {
          const { X, y } = randomBatch(40, 3, seed + 1);
          const p = withDeadUnit(seed, X, 6, j, margin);
          expect(deadUnits(forward(p, X, relu).z1)).toContain(j);
          const g = backward(p, forward(p, X, relu), X, y, relu);
          for (let i = 0; i < 3; i++) {
            expect(Object.is(g.dW1.data[i * 6 + j], 0)).toBe(true);
            expect(centralDifference(p, { X, y }, "relu", "W1", i * 6 + j)).toBe(0);
          }
          expect(Object.is(g.db1.data[j], 0)).toBe(true);
          expect(centralDifference(p, { X, y }, "relu", "b1", j)).toBe(0);
        },
      ),
      { numRuns: 40, seed: 7 },
    );
  });

  it("leaky relu gives the same unit the closed form dW1[:, j] = 0.01 Xᵀ δ2 W2[j], db1[j] = 0.01 Σ δ2 W2[j]", () => {
    const { X, y } = randomBatch(50, 2, 3);
    const j = 2;
    const p = withDeadUnit(11, X, 5, j, 0.5);
    const cache = forward(p, X, leakyRelu);
    const g = backward(p, cache, X, y, leakyRelu);
    const w2j = p.W2.data[j] as number;
    let [e0, e1, e2] = [0, 0, 0]; // dW1[0, j], dW1[1, j], db1[j]
    for (let n = 0; n < 50; n++) {
      const delta2 = sigmoidMinusLabel(cache.z2.data[n] as number, y.data[n] as number) / 50;
      const s = LEAKY_SLOPE * delta2 * w2j; // δ1[n, j] = δ2[n] W2[j] · 0.01
      e0 += s * (X.data[2 * n] as number);
      e1 += s * (X.data[2 * n + 1] as number);
      e2 += s;
    }
    const expected = [e0, e1, e2];
    const got = unitParams({ ...p, W1: g.dW1, b1: g.db1 }, j);
    for (let k = 0; k < 3; k++) {
      expect(got[k]).not.toBe(0);
      expect(Math.abs((got[k] as number) - (expected[k] as number))).toBeLessThan(
        1e-12 * Math.abs(expected[k] as number) + 1e-18,
      );
    }
  });

  it("a σ unit never has an exactly zero gradient there: the dead set is a relu property", () => {
    const { X, y } = randomBatch(30, 2, 5);
    const p = withDeadUnit(2, X, 4, 1, 1);
    const g = backward(p, forward(p, X, sigmoidActivation), X, y, sigmoidActivation);
    expect(g.db1.data[1]).not.toBe(0);
  });
});

describe("a dead relu unit never revives on the same data", () => {
  const { train: data, initSeed } = dataOf(0);
  const shifted = SCENARIOS.find((s) => s.key === "negative-bias");
  const start = startOf(shifted!, initSeed);
  const dead = deadUnits(forward(start, data.X, relu).z1);

  it("the negative bias shift starts with dead units", () => {
    expect(dead.length).toBeGreaterThan(0);
  });

  it("full-batch GD leaves their W1 column and b1 entry bit-identical, step after step", () => {
    const t = descend(start, data, relu, 1, 60);
    for (const j of dead) expect(unitParams(t.params, j)).toEqual(unitParams(start, j));
    for (const set of t.dead) for (const j of dead) expect(set).toContain(j);
    // the live units did move
    const live = [...Array(start.W1.cols).keys()].filter((j) => !dead.includes(j));
    expect(live.some((j) => unitParams(t.params, j)[0] !== unitParams(start, j)[0])).toBe(true);
  });

  it("shuffled mini-batch SGD does too: a batch is a subset of the rows it is dead on", () => {
    const result = train(start, data, {
      activation: "relu",
      learningRate: 0.5,
      epochs: 20,
      batchSize: 16,
      seed: 5,
    });
    for (const j of dead) expect(unitParams(result.params, j)).toEqual(unitParams(start, j));
  });

  it("leaky relu moves the same units at once", () => {
    const t = descend(start, data, leakyRelu, 1, 1);
    for (const j of dead) expect(unitParams(t.params, j)).not.toEqual(unitParams(start, j));
  });
});

describe("the dead-relu experiment", () => {
  let result: ExperimentResult;
  let n: Readonly<Record<string, string>>;
  beforeAll(() => {
    result = runDeadRelu(0);
    n = result.numbers;
  });
  const count = (key: string): number => Number(n[key]);

  it("both provocations leave dead units; the reference run has none", () => {
    expect(count("dead-end-reference")).toBe(0);
    expect(count("dead-end-large-rate")).toBeGreaterThan(count("hidden") / 4);
    expect(count("dead-start-negative-bias")).toBeGreaterThan(0);
    expect(count("dead-end-negative-bias")).toBeGreaterThanOrEqual(
      count("dead-start-negative-bias"),
    );
  });

  it("no relu unit revives or moves while dead; leaky relu units do both", () => {
    expect(n["relu-revived-total"]).toBe("0");
    expect(n["relu-moved-total"]).toBe("0");
    expect(count("moved-leaky-negative-bias")).toBeGreaterThan(0);
    expect(count("revived-leaky-negative-bias")).toBeGreaterThan(0);
    expect(Number(n["leaky-inactive-grad-min"])).toBeGreaterThan(0);
  });

  it("detection: the dead units' gradients are exactly 0 analytically and numerically, the live ones agree", () => {
    expect(n["detect-dead"]).toBe(n["dead-end-large-rate"]);
    expect(n["detect-analytic-max"]).toBe("0");
    expect(n["detect-numeric-max"]).toBe("0");
    expect(Number(n["detect-live-relerror"])).toBeLessThan(1e-7);
  });

  it("a lower rate keeps every unit alive and fits better than the large rate", () => {
    expect(count("dead-end-rate-4")).toBe(0);
    expect(parseFloat(n["test-rate-4"]!)).toBeGreaterThan(parseFloat(n["test-large-rate"]!));
  });

  it("is bit-identical for the same seed and differs for another", () => {
    expect(JSON.stringify(runDeadRelu(0))).toBe(JSON.stringify(result));
    expect(JSON.stringify(runDeadRelu(1).numbers)).not.toBe(JSON.stringify(n));
  });
});
