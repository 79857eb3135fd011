/**
 * batch-variance: the finite-population variance formula (checked by exhaustive enumeration),
 * the per-example gradients (against finite differences and the full-batch backward), and the
 * experiment's claims: Monte Carlo within a few standard errors of the theory at every B,
 * exactly 0 at B = N, the two-batch estimator of B_simple unbiased with replacement and biased
 * by the predicted amount without.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { makeDataset } from "../../src/data/index.js";
import { matrix, type Matrix } from "../../src/linalg/index.js";
import { backward, forward, initParams, lossAt, tanh, type Params } from "../../src/nn/index.js";
import { Rng } from "../../src/rng.js";
import {
  batchVariance,
  measureBatchVariance,
  report,
  type BatchVarianceMeasurement,
} from "../../src/experiments/batch-variance.js";
import {
  finitePopulationCorrection,
  flatGrad,
  noiseScale,
  noiseStats,
  perExampleGradients,
  rowMean,
  squaredDistance,
  twoBatchEstimate,
  varianceWithoutReplacement,
} from "../../src/experiments/gradient-noise.js";

/** Every B-subset of 0..N−1. */
function subsets(N: number, B: number): number[][] {
  if (B === 0) return [[]];
  if (N < B) return [];
  return [...subsets(N - 1, B), ...subsets(N - 1, B - 1).map((s) => [...s, N - 1])];
}

function randomRows(N: number, P: number, seed: number): Matrix {
  const rng = new Rng(seed);
  return matrix(
    N,
    P,
    Float64Array.from({ length: N * P }, () => rng.normal() + 0.3),
  );
}

describe("the finite-population formula, by enumeration", () => {
  it("E‖g_B − G‖² over all B-subsets is tr(Σ)/B·(N−B)/(N−1) with Σ's 1/N convention", () => {
    const N = 9;
    const g = randomRows(N, 3, 7);
    const { G, traceSigma } = noiseStats(g);
    for (let B = 1; B <= N; B++) {
      const all = subsets(N, B);
      const exact = all.reduce((s, idx) => s + squaredDistance(rowMean(g, idx), G), 0) / all.length;
      expect(exact).toBeCloseTo(varianceWithoutReplacement(traceSigma, N, B), 12);
    }
  });

  it("with replacement, E‖g_B − G‖² over all N^B ordered draws is tr(Σ)/B", () => {
    const N = 6;
    const g = randomRows(N, 2, 8);
    const { G, traceSigma } = noiseStats(g);
    for (const B of [1, 2, 3]) {
      let sum = 0;
      for (let code = 0; code < N ** B; code++) {
        const idx = Array.from({ length: B }, (_, i) => Math.floor(code / N ** i) % N);
        sum += squaredDistance(rowMean(g, idx), G);
      }
      expect(sum / N ** B).toBeCloseTo(traceSigma / B, 12);
    }
  });
});

describe("per-example gradients", () => {
  const { X, y } = makeDataset("moons", { samples: 40, seed: 3, noise: 0.2 });
  const params: Params = initParams({ inputs: 2, hidden: 5, init: "xavier", seed: 4 });

  it("each row is the gradient of that example's loss (central differences)", () => {
    const g = perExampleGradients(params, X, y, tanh);
    const n = 17;
    const xn = matrix(1, 2, X.data.slice(2 * n, 2 * n + 2));
    const yn = matrix(1, 1, y.data.slice(n, n + 1));
    const h = 1e-6;
    const flat = flatGrad({ dW1: params.W1, db1: params.b1, dW2: params.W2, db2: params.b2 });
    const unflatten = (v: Float64Array): Params => ({
      W1: matrix(2, 5, v.slice(0, 10)),
      b1: matrix(1, 5, v.slice(10, 15)),
      W2: matrix(5, 1, v.slice(15, 20)),
      b2: matrix(1, 1, v.slice(20, 21)),
    });
    for (let j = 0; j < flat.length; j++) {
      const up = flat.slice();
      const down = flat.slice();
      up[j] = (up[j] as number) + h;
      down[j] = (down[j] as number) - h;
      const fd =
        (lossAt(unflatten(up), xn, yn, tanh) - lossAt(unflatten(down), xn, yn, tanh)) / (2 * h);
      expect(g.data[n * g.cols + j] as number).toBeCloseTo(fd, 7);
    }
  });

  it("their mean is the full-batch gradient and the analytic noise scale agrees", () => {
    const g = perExampleGradients(params, X, y, tanh);
    const stats = noiseStats(g);
    const full = flatGrad(backward(params, forward(params, X, tanh), X, y, tanh));
    for (let j = 0; j < full.length; j++)
      expect(stats.G[j] as number).toBeCloseTo(full[j] as number, 14);
    const analytic = noiseScale(params, X, y, tanh);
    expect(analytic.gradSq / stats.gradSq).toBeCloseTo(1, 12);
    expect(analytic.traceSigma / stats.traceSigma).toBeCloseTo(1, 10);
  });
});

describe("the two-batch estimator (McCandlish et al. 2018, Appendix A)", () => {
  // The estimator takes differences of nearly equal norms: rounding of the inputs (≈ ε × their
  // size) is amplified by at most B/(B − b) ≤ B and 1/(1/b − 1/B) ≤ b B.
  const roundoff = (size: number, b: number, B: number): number => 1e-14 * size * b * B;
  const positive = fc.double({ min: 1e-6, max: 1e3, noNaN: true });
  const sizes = fc
    .tuple(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 1, max: 200 }))
    .filter(([a, b]) => a !== b)
    .map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const);

  it("returns ‖G‖² and tr(Σ) exactly from the with-replacement expectations", () => {
    fc.assert(
      fc.property(positive, positive, sizes, (gradSq, traceSigma, [b, B]) => {
        const e = twoBatchEstimate(b, B, gradSq + traceSigma / b, gradSq + traceSigma / B);
        const tol = roundoff(gradSq + traceSigma, b, B);
        expect(Math.abs(e.gradSq - gradSq)).toBeLessThan(tol);
        expect(Math.abs(e.traceSigma - traceSigma)).toBeLessThan(tol);
      }),
    );
  });

  it("the finite-population correction undoes the without-replacement bias", () => {
    fc.assert(
      fc.property(
        positive,
        positive,
        sizes,
        fc.integer({ min: 0, max: 500 }),
        (gradSq, traceSigma, [b, B], extra) => {
          const N = B + 1 + extra;
          const expected = (s: number): number =>
            gradSq + varianceWithoutReplacement(traceSigma, N, s);
          const naive = twoBatchEstimate(b, B, expected(b), expected(B));
          const tol = roundoff(gradSq + traceSigma, b, B);
          expect(Math.abs(naive.traceSigma - (traceSigma * N) / (N - 1))).toBeLessThan(tol);
          const fixedUp = finitePopulationCorrection(N, naive);
          expect(Math.abs(fixedUp.gradSq - gradSq)).toBeLessThan(tol);
          expect(Math.abs(fixedUp.traceSigma - traceSigma)).toBeLessThan(tol);
        },
      ),
    );
  });
});

describe("the experiment's claims (seed 0)", () => {
  let m: BatchVarianceMeasurement;
  beforeAll(() => {
    m = measureBatchVariance(0);
  });

  it("the measured variance is within 4 standard errors of the theory for every B < N", () => {
    for (const r of m.curve.filter((r) => r.B < m.N)) {
      expect(Math.abs(r.measured.mean - r.theory), `B = ${r.B}`).toBeLessThan(4 * r.measured.se);
    }
  });

  it("at B = N every draw is the full batch: the variance is exactly 0", () => {
    const atN = m.curve.find((r) => r.B === m.N);
    expect(atN?.measured.mean).toBe(0);
    expect(atN?.measured.se).toBe(0);
    expect(atN?.theory).toBe(0);
  });

  it("the with-replacement and corrected estimates of B_simple are within 4 s.e. of the exact value", () => {
    for (const r of m.noise) {
      expect(Math.abs(r.estimated.mean - r.bSimple), `epoch ${r.epoch}`).toBeLessThan(
        4 * r.estimated.se,
      );
      expect(Math.abs(r.corrected.mean - r.bSimple), `epoch ${r.epoch}`).toBeLessThan(
        4 * r.corrected.se,
      );
    }
  });

  it("the naive estimate on without-replacement batches is near its predicted biased value", () => {
    for (const r of m.noise) {
      const biased = (r.traceSigma * m.N) / (m.N - 1) / (r.gradSq - r.traceSigma / (m.N - 1));
      expect(Math.abs(r.naive.mean - biased), `epoch ${r.epoch}`).toBeLessThan(4 * r.naive.se);
    }
  });

  it("B_simple grows by more than 10× from initialisation to the end of training", () => {
    const first = m.noise[0];
    const last = m.noise[m.noise.length - 1];
    expect((last?.bSimple ?? 0) / (first?.bSimple ?? Infinity)).toBeGreaterThan(10);
  });

  it("is deterministic: the same seed gives identical results, another seed different ones", () => {
    expect(JSON.stringify(batchVariance.run({ seed: 0 }))).toBe(JSON.stringify(report(m)));
    expect(JSON.stringify(batchVariance.run({ seed: 1 }).tables)).not.toBe(
      JSON.stringify(report(m).tables),
    );
  });
});
