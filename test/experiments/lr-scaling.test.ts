/**
 * lr-scaling: the monitored SGD loop is the trainer's loop (bit-identical parameters and epoch
 * losses), divergence is reported rather than thrown, and the doc's claims hold: the linear rule
 * keeps the loss of the base up to 8·B0 and breaks beyond (early spike, then failure), the √k
 * rule keeps the variance of the update η g_B at its batch-variance prediction, and at equal
 * steps every rule at 2·B0 reaches the base's loss.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { makeDataset } from "../../src/data/index.js";
import { backward, forward, initParams, paramsAreFinite, tanh } from "../../src/nn/index.js";
import { train } from "../../src/train/index.js";
import {
  lastJumpEpoch,
  lrScaling,
  matchesBase,
  measureLrScaling,
  report,
  RULES,
  scaledRate,
  SETUP,
  sharpness,
  type LrScalingMeasurement,
  type Rule,
  type RunSummary,
} from "../../src/experiments/lr-scaling.js";
import { flatGrad, varianceWithoutReplacement } from "../../src/experiments/gradient-noise.js";
import { matrix } from "../../src/linalg/index.js";
import { Rng } from "../../src/rng.js";
import { monitoredSgd } from "../../src/experiments/sgd-monitor.js";

describe("the monitored SGD loop", () => {
  const { X, y } = makeDataset("moons", { samples: 100, seed: 2 });
  const initial = initParams({ inputs: 2, hidden: 6, init: "xavier", seed: 3 });

  it("takes exactly the trainer's steps: same parameters and epoch losses, bit for bit", () => {
    for (const batchSize of [7, 32, 100]) {
      const options = { activation: tanh, batchSize, learningRate: 0.3, epochs: 6, seed: 11 };
      const ours = monitoredSgd(initial, X, y, options);
      const theirs = train(initial, { X, y }, options);
      expect(ours.params).toEqual(theirs.params);
      expect(ours.epochLoss).toEqual(theirs.history.map((h) => h.loss));
      expect(ours.steps).toBe(theirs.steps);
    }
  });

  it("reports divergence at the step where the parameters stop being finite, without throwing", () => {
    const run = monitoredSgd(initial, X, y, {
      activation: tanh,
      batchSize: 10,
      learningRate: 1e308,
      epochs: 3,
      seed: 1,
    });
    expect(run.divergedAt).not.toBeNull();
    expect(run.steps).toBe((run.divergedAt as number) - 1); // every step before it was finite
    expect(run.steps).toBeLessThan(30);
    expect(paramsAreFinite(run.params)).toBe(true);
    expect(run.epochLoss.every(Number.isFinite)).toBe(true);
  });
});

describe("the sharpness λ_max", () => {
  const { X, y } = makeDataset("moons", { samples: 80, seed: 5 });
  const params = initParams({ inputs: 2, hidden: 4, init: "xavier", seed: 6 });

  it("is an eigenvalue (small residual) and bounds the curvature vᵀHv of random directions", () => {
    const { lambda, residual } = sharpness(params, X, y, 7);
    expect(residual).toBeLessThan(1e-2);
    const rng = new Rng(8);
    const theta = flatGrad({ dW1: params.W1, db1: params.b1, dW2: params.W2, db2: params.b2 });
    const gradAt = (v: Float64Array): Float64Array => {
      const q = {
        W1: matrix(2, 4, v.slice(0, 8)),
        b1: matrix(1, 4, v.slice(8, 12)),
        W2: matrix(4, 1, v.slice(12, 16)),
        b2: matrix(1, 1, v.slice(16, 17)),
      };
      return flatGrad(backward(q, forward(q, X, tanh), X, y, tanh));
    };
    for (let trial = 0; trial < 20; trial++) {
      const u = theta.map(() => rng.normal());
      const length = Math.sqrt(u.reduce((s, x) => s + x * x, 0));
      const v = u.map((x) => x / length);
      const h = 1e-4; // vᵀHv by the second difference of the gradient along v
      const up = gradAt(theta.map((t, i) => t + h * (v[i] as number)));
      const down = gradAt(theta.map((t, i) => t - h * (v[i] as number)));
      const curvature = v.reduce(
        (s, vi, i) => s + (vi * ((up[i] as number) - (down[i] as number))) / (2 * h),
        0,
      );
      expect(curvature).toBeLessThanOrEqual(lambda * (1 + 1e-6));
    }
  });
});

describe("the learning-rate rules", () => {
  it("η0, √k·η0 and k·η0", () => {
    expect(scaledRate("constant", 0.5, 4)).toBe(0.5);
    expect(scaledRate("sqrt", 0.5, 4)).toBe(1);
    expect(scaledRate("linear", 0.5, 4)).toBe(2);
  });
});

describe("the experiment's claims (seed 0)", () => {
  let m: LrScalingMeasurement;
  beforeAll(() => {
    m = measureLrScaling(0);
  });
  const at = (k: number, rule: Rule): RunSummary =>
    m.equalEpochs.find((r) => r.k === k && r.rule === rule) as RunSummary;

  it("no run produces a non-finite value (tanh and the stable BCE saturate instead)", () => {
    for (const r of [...m.equalEpochs, ...m.equalSteps]) expect(r.run.divergedAt).toBeNull();
  });

  it("at equal epochs the linear rule matches the base's loss up to 8·B0, and fails at 32·B0", () => {
    for (const k of [2, 4, 8]) expect(matchesBase(at(k, "linear"), m.base), `k = ${k}`).toBe(true);
    const broken = at(32, "linear");
    expect(broken.finalLoss).toBeGreaterThan(broken.run.epochLoss[0] as number);
  });

  it("the break is announced by an early loss spike: none up to 8·B0, > 10× the start from 16·B0", () => {
    for (const k of [2, 4, 8]) expect(at(k, "linear").spike, `k = ${k}`).toBeLessThan(1.2);
    for (const k of [16, 32]) expect(at(k, "linear").spike, `k = ${k}`).toBeGreaterThan(10);
  });

  it("the stability bound 2/λ_max at init is already below the linear rule's η at 4·B0", () => {
    expect(2 / m.sharpnessAtInit).toBeLessThan(scaledRate("linear", SETUP.eta0, 4));
    expect(matchesBase(at(4, "linear"), m.base)).toBe(true);
  });

  it("the spiking and failing runs have W2 update/weight ratios ≥ 0.1, over 10× the base's", () => {
    for (const k of [16, 32]) {
      expect(at(k, "linear").ratioW2).toBeGreaterThanOrEqual(0.1);
      expect(at(k, "linear").ratioW2).toBeGreaterThan(10 * m.base.ratioW2);
    }
  });

  it("the linear rule wiggles several times more than the base from 8·B0 on", () => {
    for (const k of [8, 16, 32]) expect(at(k, "linear").wiggle).toBeGreaterThan(3 * m.base.wiggle);
  });

  it("the linear rule keeps working at batches well above the base run's final B_simple", () => {
    for (const k of [8, 16]) {
      expect(at(k, "linear").B).toBeGreaterThan(2 * m.base.bSimple);
      expect(matchesBase(at(k, "linear"), m.base), `k = ${k}`).toBe(true);
    }
    // and at 16·B0 it ends below the base, after spikes that last past the first 30 epochs
    expect(at(16, "linear").finalLoss).toBeLessThan(m.base.finalLoss);
    expect(lastJumpEpoch(at(16, "linear").run.epochLoss)).toBeGreaterThan(30);
  });

  it("the quoted monitor keys say what the tables show", () => {
    const n = report(m).numbers;
    expect(Number(n["largest-linear-clean-wiggle-vs-base"])).toBeGreaterThan(5);
    expect(Number(n["troubled-min-ratio-w2"])).toBeGreaterThanOrEqual(0.1);
    expect(Number(n["troubled-min-ratio-w2-vs-base"])).toBeGreaterThan(10);
  });

  it("keeping η (or √k·η) at a larger batch falls behind at equal epochs", () => {
    for (const k of [2, 4, 8, 16]) {
      expect(at(k, "constant").finalLoss).toBeGreaterThan(at(k, "linear").finalLoss);
      expect(at(k, "constant").finalLoss).toBeGreaterThan(at(k, "sqrt").finalLoss);
      expect(matchesBase(at(k, "constant"), m.base)).toBe(false);
    }
  });

  it("the update-to-weight ratio of W2 grows with η at every B", () => {
    for (const k of SETUP.multiples.filter((k) => k > 1)) {
      expect(at(k, "sqrt").ratioW2).toBeGreaterThan(at(k, "constant").ratioW2);
      expect(at(k, "linear").ratioW2).toBeGreaterThan(at(k, "sqrt").ratioW2);
    }
  });

  it("at equal steps, every rule at 2·B0 reaches the base's loss", () => {
    for (const r of m.equalSteps) {
      expect(r.run.steps).toBe(m.base.run.steps);
      expect(r.finalLoss).toBeLessThanOrEqual(m.base.finalLoss);
    }
  });

  it("Var(η g_B) is within 4 s.e. of η² tr(Σ)/B·(N−B)/(N−1) for every B and rule", () => {
    for (const r of m.updateNoise) {
      if (r.measured.se === 0) {
        expect(r.measured.mean).toBe(0); // B = N
        continue;
      }
      expect(Math.abs(r.measured.mean - r.theory), `k = ${r.k}, ${r.rule}`).toBeLessThan(
        4 * r.measured.se,
      );
    }
  });

  it("under the √k rule the update variance is constant up to the factor (N−B)/(N−B0)", () => {
    const N = m.N;
    const sqrt = m.updateNoise.filter((r) => r.rule === "sqrt");
    const base = sqrt[0]?.theory as number;
    for (const r of sqrt) {
      const B = r.k * SETUP.B0;
      expect(r.theory / base).toBeCloseTo(
        (varianceWithoutReplacement(1, N, B) * B) /
          (varianceWithoutReplacement(1, N, SETUP.B0) * SETUP.B0),
        12,
      );
      expect(r.theory / base).toBeCloseTo((N - B) / (N - SETUP.B0), 12);
    }
    // and the other two rules halve and double it per doubling (away from B = N)
    for (const rule of RULES.filter((r) => r !== "sqrt")) {
      const rows = m.updateNoise.filter((r) => r.rule === rule && r.k <= 4);
      for (let i = 1; i < rows.length; i++) {
        const ratio = (rows[i]?.measured.mean as number) / (rows[i - 1]?.measured.mean as number);
        if (rule === "constant") expect(ratio).toBeLessThan(0.6);
        else expect(ratio).toBeGreaterThan(1.7);
      }
    }
  });

  it("is deterministic: the same seed gives identical results, another seed different ones", () => {
    expect(JSON.stringify(lrScaling.run({ seed: 0 }))).toBe(JSON.stringify(report(m)));
    expect(JSON.stringify(lrScaling.run({ seed: 1 }).tables)).not.toBe(
      JSON.stringify(report(m).tables),
    );
  });
});
