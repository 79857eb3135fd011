/**
 * regularisation: the penalty does what its gradient says (smaller weights, a higher training
 * loss, a smaller train/validation gap, monotonically in λ), the unpenalised network overfits,
 * and the validation loss is U-shaped in λ: best at an interior λ.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { lossAt } from "../../src/nn/index.js";
import {
  measureRegularisation,
  regularisedRun,
  report,
  SETUP,
  summarise,
  type RegularisationMeasurement,
} from "../../src/experiments/regularisation.js";
import { breastCancerSplit } from "../../src/experiments/training-runs.js";
import { streamSeed } from "../../src/rng.js";

describe("a regularised run", () => {
  it("reports the cross-entropy without the penalty, on the split it trained on", () => {
    const r = regularisedRun(0.01, 3);
    const split = breastCancerSplit(SETUP.trainRows, streamSeed(3, "split"));
    expect(split.train.X.rows).toBe(SETUP.trainRows);
    expect(r.trainLoss).toBe(lossAt(r.params, split.train.X, split.train.y, "tanh"));
    expect(r.validationLoss).toBe(lossAt(r.params, split.validation.X, split.validation.y, "tanh"));
  });
});

describe("the experiment's claims (seed 0)", () => {
  let m: RegularisationMeasurement;
  beforeAll(() => {
    m = measureRegularisation(0);
  }, 120_000);

  it("λ > 0 lowers ‖W1‖² + ‖W2‖² monotonically over the sweep, in every run", () => {
    for (let s = 0; s < SETUP.seeds; s++) {
      const norms = m.runs.map((runs) => runs[s]!.weightSquares);
      for (let i = 1; i < norms.length; i++) expect(norms[i]).toBeLessThan(norms[i - 1]!);
    }
  });

  it("the training loss rises and the mean train/validation gap shrinks as λ grows", () => {
    const s = m.runs.map(summarise);
    for (let i = 1; i < s.length; i++) {
      expect(s[i]!.trainLoss).toBeGreaterThan(s[i - 1]!.trainLoss);
      expect(s[i]!.gap).toBeLessThan(s[i - 1]!.gap);
    }
  });

  it("without the penalty the network overfits: training loss near 0, validation loss 100× higher", () => {
    const none = summarise(m.runs[0]!);
    expect(none.trainAccuracy).toBe(1);
    expect(none.trainLoss).toBeLessThan(0.01);
    expect(none.validationLoss).toBeGreaterThan(100 * none.trainLoss);
  });

  it("the validation loss is best at an interior λ: both no penalty and the largest are worse", () => {
    const s = m.runs.map(summarise);
    const best = s.reduce((a, b) => (b.validationLoss < a.validationLoss ? b : a));
    expect(best.lambda).toBeGreaterThan(0);
    expect(best.lambda).toBeLessThan(SETUP.lambdas[SETUP.lambdas.length - 1]!);
    expect(report(m).numbers["best-lower-validation-loss"]).toBe(`${SETUP.seeds}/${SETUP.seeds}`);
  });

  it("the largest λ underfits: its training accuracy falls below 100 %", () => {
    expect(summarise(m.runs[m.runs.length - 1]!).trainAccuracy).toBeLessThan(1);
  });
});
