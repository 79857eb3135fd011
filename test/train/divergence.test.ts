/**
 * Divergence beyond non-finite parameters: an optimizer state that overflows (Adam's v when
 * g² exceeds float64) ends the run as a non-finite parameter does, on both engines, bit for
 * bit; the message names η of the failing step, and the advice names the L2 penalty when it
 * alone makes the weights grow.
 */
import { describe, expect, it } from "vitest";
import { filled, fromRows, matrix } from "../../src/linalg/index.js";
import { makeParamBuffers, type Params } from "../../src/nn/index.js";
import { jsBackend } from "../../src/linalg/index.js";
import {
  divergenceAdvice,
  divergenceMessage,
  initialOptimizerState,
  nonFiniteMoment,
  optimizerSettings,
  optimizerStep,
  penaltyLimit,
  train,
  type TrainOptions,
} from "../../src/train/index.js";
import { InPlaceUpdate } from "../../src/train/steppers/fast-update.js";
import { divergenceOf } from "./engines.js";

const ENGINES = ["fast", "plain"] as const;

function bits(p: Params): string {
  return JSON.stringify(
    (["W1", "b1", "W2", "b2"] as const).map((n) =>
      Array.from(new Uint32Array(Float64Array.from(p[n].data).buffer)),
    ),
  );
}

function diverge(start: Params, data: Parameters<typeof train>[1], options: TrainOptions) {
  return divergenceOf(() => train(start, data, options));
}

/** The review's repro: features of 1e160, so that |g| > 1.3e154 and g² = ∞ at step 1. */
const HUGE = {
  X: fromRows([
    [1e160, 2e160],
    [-1e160, 3e159],
    [2e159, -1e160],
    [-3e159, -2e160],
  ]),
  y: fromRows([[1], [0], [1], [0]]),
};
const HUGE_START: Params = {
  W1: fromRows([
    [0.5, -0.25, 0.125],
    [0.25, 0.5, -0.5],
  ]),
  b1: fromRows([[0, 0, 0]]),
  W2: fromRows([[0.5], [-0.5], [0.25]]),
  b2: fromRows([[0]]),
};

describe("an optimizer state that overflows is divergence", () => {
  it("adam's v = ∞ (θ still finite) ends the run with the last good state, the same on both engines", () => {
    const errors = ENGINES.map((engine) =>
      diverge(HUGE_START, HUGE, {
        activation: "relu",
        learningRate: 0.01,
        epochs: 5,
        batchSize: 4,
        optimizer: "adam",
        engine,
      }),
    );
    for (const e of errors) {
      expect(e.message).toContain(
        "adam's second moment v overflowed (the gradient's square exceeds float64)",
      );
      expect(e.message).toMatch(/^training diverged at epoch 1, step 1 \(learning rate 0\.01\)/);
      expect(e.message).toContain("a lower learning rate does not help");
      expect(e.overflowed).toBe("v");
      expect(e.exitCode).toBe(3);
      expect(e.lastGoodEpoch).toBe(0);
      expect(bits(e.lastGood.params)).toBe(bits(HUGE_START));
      const kept = e.lastGood.optimizer;
      expect(kept?.name).toBe("adam");
      if (kept?.name === "adam") {
        expect(kept.t).toBe(0);
        expect(nonFiniteMoment(kept)).toBeUndefined();
      }
    }
    expect(errors[0]!.message).toBe(errors[1]!.message);
    expect(bits(errors[0]!.lastGood.params)).toBe(bits(errors[1]!.lastGood.params));
  });

  it("the plain update and the in-place one name the same moment: velocity, adam's v before m", () => {
    const params: Params = {
      W1: filled(1, 2, 0),
      b1: filled(1, 2, 0),
      W2: filled(2, 1, 0),
      b2: filled(1, 1, 0),
    };
    const huge = (x: number) => ({
      dW1: filled(1, 2, x),
      db1: filled(1, 2, 0),
      dW2: filled(2, 1, 0),
      db2: filled(1, 1, 0),
    });
    // momentum: v = g, then 0.9 g + g > 1.8e308 = ∞; adam: g² = ∞ at once (v), m stays finite.
    for (const [name, g, steps, moment] of [
      ["momentum", 1e308, 2, "velocity"],
      ["nesterov", 1e308, 2, "velocity"],
      ["adam", 1e200, 1, "v"],
      ["adam", 1e100, 3, undefined],
    ] as const) {
      const settings = optimizerSettings({ optimizer: name });
      let state = initialOptimizerState(name, params);
      let plain = params;
      const update = new InPlaceUpdate(settings, state, state, params);
      const buffers = makeParamBuffers(jsBackend, 1, 2, 1);
      const grads = makeParamBuffers(jsBackend, 1, 2, 1);
      grads.W1.fill(g);
      for (let t = 0; t < steps; t++) {
        ({ params: plain, state } = optimizerStep(plain, huge(g), state, 0.1, settings));
        update.update(buffers, grads, 0.1);
      }
      expect(nonFiniteMoment(state)).toBe(moment);
      expect(update.overflowed).toBe(moment);
    }
  });
});

describe("the divergence message", () => {
  // relu units pass the growth on until z2 overflows; with a warm-up η_t < η.
  const X = matrix(4, 1, Float64Array.from([1e150, -1e150, 2e150, -2e150]));
  const y = fromRows([[1], [0], [1], [0]]);
  const start: Params = {
    W1: fromRows([[1]]),
    b1: fromRows([[0]]),
    W2: fromRows([[1]]),
    b2: fromRows([[0]]),
  };

  it("names η of the failing step (warm-up), with the base rate beside it", () => {
    for (const engine of ENGINES) {
      const e = diverge(
        start,
        { X, y },
        {
          activation: "relu",
          learningRate: 1e200,
          warmup: 4,
          epochs: 5,
          batchSize: 2,
          shuffle: false,
          engine,
        },
      );
      // η_t = η t / 4 at step t ≤ 4.
      expect(e.learningRate).toBe((1e200 * e.step) / 4);
      expect(e.baseLearningRate).toBe(1e200);
      expect(e.message).toContain(
        `(learning rate ${(1e200 * e.step) / 4} at this step; base rate 1e+200)`,
      );
    }
  });

  it("says so when η·λ exceeds the rule's limit: the penalty alone makes the weights grow", () => {
    const data = {
      X: fromRows([[1], [-1], [2], [-2]]),
      y: fromRows([[1], [0], [1], [0]]),
    };
    for (const engine of ENGINES) {
      const e = diverge(start, data, {
        activation: "tanh",
        learningRate: 1e5,
        l2: 5e4, // η·λ = 5e9: θ ← (1 − 5e9) θ
        epochs: 50,
        batchSize: 4,
        engine,
      });
      expect(e.message).toContain(
        "η·λ = 5e9 > 2: the L2 penalty alone makes the weights grow; lower the L2 penalty λ or the learning rate",
      );
    }
  });

  it("the limit follows the rule (sgd 2, momentum 2(1 + μ), nesterov 2(1 + μ)/(1 + 2μ), none for adam)", () => {
    const at = (name: "sgd" | "momentum" | "nesterov" | "adam") =>
      penaltyLimit(optimizerSettings({ optimizer: name, momentum: 0.5 }))?.value;
    expect([at("sgd"), at("momentum"), at("nesterov"), at("adam")]).toEqual([2, 3, 1.5, undefined]);
    const facts = (name: "sgd" | "momentum" | "adam", learningRate: number) => ({
      learningRate,
      baseLearningRate: 1,
      l2: 1,
      optimizer: optimizerSettings({ optimizer: name, momentum: 0.5 }),
    });
    expect(divergenceAdvice(facts("sgd", 2.5))).toContain("η·λ = 2.5 > 2");
    expect(divergenceAdvice(facts("momentum", 2.5))).toBe("try a lower learning rate");
    expect(divergenceAdvice(facts("momentum", 3.5))).toContain("η·λ = 3.5 > 2(1 + μ) = 3");
    expect(divergenceAdvice(facts("adam", 1e9))).toBe("try a lower learning rate");
    // The command line's words: its flags, and a tenth of the base rate to try.
    const words = {
      learningRate: "--lr",
      l2: "--l2",
      clipNorm: "--clip-norm C",
      base: (r: number) => `--lr ${r}`,
      example: (r: number) => `--lr ${r / 10}`,
    };
    expect(divergenceAdvice(facts("sgd", 2.5), words)).toContain("lower --l2 or --lr");
    expect(divergenceAdvice(facts("sgd", 0.5), words)).toBe(
      "try a lower learning rate (e.g. --lr 0.1)",
    );
    expect(
      divergenceMessage(
        { ...facts("sgd", 0.25), epoch: 2, step: 7, what: "the loss became NaN" },
        words,
      ),
    ).toBe(
      "training diverged at epoch 2, step 7 (learning rate 0.25 at this step; --lr 1): the loss became NaN; try a lower learning rate (e.g. --lr 0.1)",
    );
  });
});
