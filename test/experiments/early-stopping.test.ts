/**
 * early-stopping: the run stops `patience` epochs after its best, the parameters it returns are
 * exactly the best epoch's (their validation loss recomputed is the recorded best, and
 * training the same start for bestEpoch epochs gives the same bits), the early-stopped run is
 * the full run up to the stop, and restoring beats both the last epoch trained and training to
 * the end.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { initParams } from "../../src/nn/index.js";
import {
  measureEarlyStopping,
  report,
  SETUP,
  type EarlyStoppingMeasurement,
} from "../../src/experiments/early-stopping.js";
import { train } from "../../src/train/index.js";
import { streamSeed } from "../../src/rng.js";

describe("the experiment's claims (seed 0)", () => {
  let m: EarlyStoppingMeasurement;
  beforeAll(() => {
    m = measureEarlyStopping(0);
  }, 120_000);

  it("every run stops early, patience epochs after its best epoch", () => {
    for (const r of m.runs) {
      expect(r.stop.restored).toBe(true);
      expect(r.stop.epoch).toBeLessThan(SETUP.epochs);
      expect(r.stop.epoch - r.stop.bestEpoch).toBe(SETUP.patience);
      expect(r.stoppedHistory).toHaveLength(r.stop.epoch + 1);
    }
  });

  it("the restored validation loss is the best recorded one and ≤ the last epoch's", () => {
    for (const r of m.runs) {
      const losses = r.stoppedHistory.map((h) => h.validationLoss!);
      expect(r.restoredValidationLoss).toBe(r.stop.bestValidationLoss);
      expect(r.restoredValidationLoss).toBe(Math.min(...losses));
      expect(r.restoredValidationLoss).toBeLessThanOrEqual(losses[losses.length - 1]!);
    }
  });

  it("the restored parameters are exactly the best epoch's", () => {
    const r = m.runs[1]!;
    const initial = initParams({
      inputs: r.split.train.X.cols,
      hidden: SETUP.hidden,
      init: "xavier",
      seed: streamSeed(r.seed, "init"),
    });
    const toBest = train(initial, r.split.train, {
      activation: "tanh",
      learningRate: SETUP.learningRate,
      epochs: r.stop.bestEpoch,
      batchSize: "full",
      evaluate: "first-and-last",
    });
    expect(toBest.params).toEqual(r.restoredParams);
  });

  it("up to the stop, the early-stopped run is the full run, record for record", () => {
    const r = m.runs[0]!;
    expect(r.fullHistory).toHaveLength(SETUP.epochs + 1);
    expect(r.fullHistory.slice(0, r.stoppedHistory.length)).toEqual(r.stoppedHistory);
  });

  it("restoring beats training to the end in every run, and the last epoch trained on average", () => {
    const n = report(m).numbers;
    expect(n["restored-beats-end"]).toBe(`${SETUP.seeds}/${SETUP.seeds}`);
    expect(Number(n["restored-loss"])).toBeLessThan(Number(n["last-trained-loss"]));
    expect(Number(n["last-trained-loss"])).toBeLessThan(Number(n["end-loss"]));
  });
});
