/**
 * optimizers: the sweep picks each optimizer's rate by its stated rule on runs that are not
 * the reported ones, "epochs to target" is the first epoch below the target, and the doc's
 * claims hold on seed 0: every optimizer reaches the target on moons, momentum and nesterov
 * get there in fewer epochs than plain sgd there, and on the breast-cancer data they all fit
 * the training rows within the budget.
 */
import { beforeAll, describe, expect, it } from "vitest";
import {
  chooseRate,
  DATA,
  GRID,
  measureOptimizers,
  report,
  runOnce,
  summarise,
  sweepPoint,
  TARGET,
  type Cell,
  type OptimizersMeasurement,
  type Run,
} from "../../src/experiments/optimizers.js";
import { replicateSeeds } from "../../src/experiments/training-runs.js";
import { OPTIMIZER_NAMES, type OptimizerName } from "../../src/train/index.js";

const run = (epochsToTarget: number | null, finalLoss: number): Run => ({
  seed: 0,
  diverged: !Number.isFinite(finalLoss),
  loss: [],
  epochsToTarget,
  finalLoss,
  trainAccuracy: 1,
  validationAccuracy: 1,
});

describe("the rate sweep's rule", () => {
  it("prefers fewer misses, then fewer epochs, then a lower final loss", () => {
    const reliableSlow = sweepPoint(0.1, [run(40, 0.01), run(50, 0.01)]);
    const fastButMisses = sweepPoint(1, [run(5, 0.001), run(null, Infinity)]);
    const reliableFast = sweepPoint(0.3, [run(20, 0.02), run(30, 0.02)]);
    const sameSpeedLower = sweepPoint(0.5, [run(25, 0.001), run(25, 0.001)]);
    expect(chooseRate([reliableSlow, fastButMisses])).toBe(0.1);
    expect(chooseRate([reliableSlow, reliableFast, fastButMisses])).toBe(0.3);
    expect(chooseRate([reliableFast, sameSpeedLower])).toBe(0.5);
    // nobody reaches the target: the lowest final loss wins
    const a = sweepPoint(0.1, [run(null, 0.3)]);
    const b = sweepPoint(0.3, [run(null, 0.2)]);
    expect(chooseRate([a, b])).toBe(0.3);
  });

  it("counts a diverged run as a miss with an infinite final loss", () => {
    const p = sweepPoint(3, [run(null, Infinity), run(4, 0.01)]);
    expect(p.misses).toBe(1);
    expect(p.meanEpochs).toBe(4);
    expect(p.meanFinalLoss).toBe(Infinity);
  });

  it("tunes on seeds that are not the reported ones", () => {
    const tuning = replicateSeeds(0, 2);
    const reported = replicateSeeds(0, 5, 2);
    expect(new Set([...tuning, ...reported]).size).toBe(7);
    expect(replicateSeeds(0, 7).slice(2)).toEqual(reported);
  });
});

describe("a run", () => {
  it("is deterministic, and its epochs to target is the first epoch below the target", () => {
    const moons = DATA.find((d) => d.name === "moons")!;
    const a = runOnce(moons, "momentum", 0.3, 11);
    expect(runOnce(moons, "momentum", 0.3, 11)).toEqual(a);
    const e = a.epochsToTarget as number;
    expect(e).not.toBeNull();
    expect(a.loss[e]).toBeLessThan(TARGET);
    expect(a.loss.slice(0, e).every((l) => l >= TARGET)).toBe(true);
    expect(a.loss).toHaveLength(moons.epochs + 1);
  });
});

describe("the experiment's claims (seed 0)", () => {
  let m: OptimizersMeasurement;
  beforeAll(() => {
    m = measureOptimizers(0);
  }, 120_000);
  const cell = (data: string, optimizer: OptimizerName): Cell =>
    m.cells.find((c) => c.data === data && c.optimizer === optimizer)!;

  it("each cell's rate is the sweep's choice, from its own grid", () => {
    for (const c of m.cells) {
      expect(GRID[c.optimizer]).toContain(c.rate);
      expect(c.sweep.map((p) => p.rate)).toEqual(GRID[c.optimizer]);
      expect(c.rate).toBe(chooseRate(c.sweep));
    }
  });

  it("every optimizer reaches the target on moons in most runs, with ≥ 97 % validation accuracy", () => {
    for (const optimizer of OPTIMIZER_NAMES) {
      const s = summarise(cell("moons", optimizer));
      expect(s.reached, optimizer).toBeGreaterThanOrEqual(4);
      expect(s.validationAccuracy, optimizer).toBeGreaterThanOrEqual(0.97);
    }
  });

  it("on moons momentum and nesterov need fewer epochs than sgd (medians)", () => {
    const sgd = summarise(cell("moons", "sgd")).medianEpochs;
    for (const optimizer of ["momentum", "nesterov"] as const)
      expect(summarise(cell("moons", optimizer)).medianEpochs, optimizer).toBeLessThan(sgd);
  });

  it("on spirals adam reaches the target in every run, and faster than sgd and momentum", () => {
    const adam = summarise(cell("spirals", "adam"));
    expect(adam.reached).toBe(5);
    for (const optimizer of ["sgd", "momentum"] as const)
      expect(adam.medianEpochs).toBeLessThan(summarise(cell("spirals", optimizer)).medianEpochs);
  });

  it("on breast cancer every optimizer fits the training rows (100 %) and reaches the target in every run", () => {
    for (const optimizer of OPTIMIZER_NAMES) {
      const s = summarise(cell("breast-cancer", optimizer));
      expect(s.reached, optimizer).toBe(5);
      expect(s.trainAccuracy, optimizer).toBe(1);
    }
  });

  it("the quoted numbers say what the table shows", () => {
    const n = report(m).numbers;
    expect(n.target).toBe(String(TARGET));
    expect(n["moons-momentum-rate"]).toBe(String(cell("moons", "momentum").rate));
    expect(n["spirals-fastest"]).toBeDefined();
  });
});
