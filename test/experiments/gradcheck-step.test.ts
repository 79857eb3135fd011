/**
 * The claims docs/_draft-gradcheck-step.md makes, checked against theory: the error of the
 * central difference is a V in log–log (slope 2 from truncation, −1 from round-off) with its
 * lowest point near ε_mach^(1/3); and relu's kink count is exactly the number of W1, b1
 * entries for which some z1 lies within ε·|x| (or ε) of 0.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_THRESHOLD } from "../../src/check/index.js";
import {
  bestEpsOf,
  bestPoint,
  EPS_GRID,
  gradcheckStep,
  logLogFit,
  modelBestEps,
  passWindow,
  pointAt,
  PREDICTED_BEST_EPS,
  ROUNDOFF_WINDOW,
  stepProblem,
  stepSweep,
  TRUNCATION_WINDOW,
  type StepPoint,
} from "../../src/experiments/gradcheck-step.js";
import { forward, PARAM_NAMES } from "../../src/nn/index.js";
import { relu } from "../../src/nn/activations.js";

const SEEDS = [0, 1, 2];
const sweeps = new Map<string, StepPoint[]>();
function sweep(activation: "tanh" | "relu", seed: number): StepPoint[] {
  const key = `${activation}/${seed}`;
  if (!sweeps.has(key)) sweeps.set(key, stepSweep(activation, seed));
  return sweeps.get(key) as StepPoint[];
}

/** The entries of W1 and b1 that straddle a kink at ε: some |z1[n][j]| < ε|x_ni| (or < ε for b1). */
function kinksByTheory(seed: number, eps: number): number {
  const { X, params } = stepProblem("relu", seed);
  const { z1 } = forward(params, X, relu);
  const [N, D, H] = [X.rows, X.cols, z1.cols];
  let count = 0;
  for (let j = 0; j < H; j++) {
    const z = (n: number): number => Math.abs(z1.data[n * H + j] as number);
    for (let i = 0; i < D; i++) {
      let crosses = false;
      for (let n = 0; n < N && !crosses; n++)
        crosses = z(n) < eps * Math.abs(X.data[n * D + i] as number);
      if (crosses) count++;
    }
    let crosses = false;
    for (let n = 0; n < N && !crosses; n++) crosses = z(n) < eps;
    if (crosses) count++;
  }
  return count;
}

describe("gradcheck-step: the truncation/round-off V", () => {
  for (const activation of ["tanh", "relu"] as const) {
    for (const seed of SEEDS) {
      it(`${activation}, seed ${seed}: slope 2 ± 0.1 on [1e-4, 1e-1] and −1 ± 0.15 on [1e-12, 1e-8]`, () => {
        const points = sweep(activation, seed);
        expect(Math.abs(logLogFit(points, TRUNCATION_WINDOW).slope - 2)).toBeLessThan(0.1);
        expect(Math.abs(logLogFit(points, ROUNDOFF_WINDOW).slope + 1)).toBeLessThan(0.15);
      });

      it(`${activation}, seed ${seed}: the best ε is within 10× of ε_mach^(1/3) and 3× of the fitted model's`, () => {
        const points = sweep(activation, seed);
        const best = bestPoint(points).eps;
        expect(Math.abs(Math.log10(best / PREDICTED_BEST_EPS))).toBeLessThan(1);
        expect(Math.abs(Math.log10(best / modelBestEps(points)))).toBeLessThan(Math.log10(3));
      });

      it(`${activation}, seed ${seed}: the check passes on a window of ≥ 3 decades of ε that contains 1e-5`, () => {
        const { from, to } = passWindow(sweep(activation, seed));
        expect(from).toBeLessThan(1e-5);
        expect(to).toBeGreaterThan(1e-5);
        expect(Math.log10(to / from)).toBeGreaterThanOrEqual(3);
        // …and outside it the same correct gradient fails: at 1e-1 and at 1e-12.
        expect(pointAt(sweep(activation, seed), 0.1).relError).toBeGreaterThan(DEFAULT_THRESHOLD);
        expect(EPS_GRID.at(-1) as number).toBeLessThan(from);
      });

      it(`${activation}, seed ${seed}: at the default ε = 1e-5 the error is ≥ 100× below the pass threshold`, () => {
        expect(pointAt(sweep(activation, seed), 1e-5).relError).toBeLessThan(
          DEFAULT_THRESHOLD / 100,
        );
      });
    }
  }

  for (const seed of SEEDS) {
    it(`tanh, seed ${seed}: every parameter's own best ε is within 10× of ε_mach^(1/3)`, () => {
      for (const name of PARAM_NAMES) {
        const best = bestEpsOf(sweep("tanh", seed), name);
        expect(Math.abs(Math.log10(best / PREDICTED_BEST_EPS)), name).toBeLessThan(1);
      }
    });
  }

  it("tanh, seed 0 (the doc's run): the correct gradient fails the check at ε = 1e-3 and at 1e-9", () => {
    expect(pointAt(sweep("tanh", 0), 1e-3).relError).toBeGreaterThan(DEFAULT_THRESHOLD);
    expect(pointAt(sweep("tanh", 0), 1e-9).relError).toBeGreaterThan(DEFAULT_THRESHOLD);
  });

  it("the grid runs from 1e-1 to 1e-12, three steps per decade", () => {
    expect(EPS_GRID[0]).toBe(0.1);
    expect(EPS_GRID.at(-1)).toBeCloseTo(1e-12, 25);
    expect(EPS_GRID).toHaveLength(34);
  });
});

describe("gradcheck-step: relu's kinks", () => {
  for (const seed of SEEDS) {
    it(`seed ${seed}: the check's kink count is the number of entries with some |z1| < ε|x|, and it grows with ε`, () => {
      const points = sweep("relu", seed);
      for (const p of points) expect(p.kinks, `eps ${p.eps}`).toBe(kinksByTheory(seed, p.eps));
      // EPS_GRID is decreasing: the kink count never increases along it.
      for (let k = 1; k < points.length; k++) {
        expect((points[k] as StepPoint).kinks).toBeLessThanOrEqual(
          (points[k - 1] as StepPoint).kinks,
        );
      }
      expect(pointAt(points, 0.1).kinks).toBeGreaterThan(pointAt(points, 1e-3).kinks);
      expect(pointAt(points, 1e-6).kinks).toBe(0);
    });
  }

  it("tanh has no kinks at any ε", () => {
    expect(sweep("tanh", 0).every((p) => p.kinks === 0)).toBe(true);
  });
});

describe("gradcheck-step: determinism", () => {
  it("the same seed gives identical results, another seed different ones", () => {
    const a = gradcheckStep.run({ seed: 0 });
    const b = gradcheckStep.run({ seed: 0 });
    const c = gradcheckStep.run({ seed: 1 });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(JSON.stringify(c.tables)).not.toBe(JSON.stringify(a.tables));
  });
});
