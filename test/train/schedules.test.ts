/** learningRateAt against the closed forms, and the schedule the Trainer hands each step. */
import { describe, expect, it } from "vitest";
import { initParams } from "../../src/nn/index.js";
import {
  learningRateAt,
  learningRateSchedule,
  Trainer,
  type StepResult,
} from "../../src/train/index.js";
import { randomBatch } from "../helpers.js";

const T = 100; // steps: 10 epochs of 10
const schedule = (options: Parameters<typeof learningRateSchedule>[0]) =>
  learningRateSchedule(options, T, 10);

describe("learningRateAt", () => {
  it("constant without warm-up is η itself at every step", () => {
    const s = schedule({ learningRate: 0.3 });
    for (let t = 1; t <= T; t++) expect(learningRateAt(s, t)).toBe(0.3);
  });

  it("step: η γ^⌊e/E⌋, e the epochs completed before the step", () => {
    const s = schedule({ learningRate: 0.8, schedule: "step", decayRate: 0.5, decayEvery: 3 });
    for (let t = 1; t <= T; t++) {
      const e = Math.floor((t - 1) / 10);
      expect(learningRateAt(s, t), `t = ${t}`).toBeCloseTo(0.8 * 0.5 ** Math.floor(e / 3), 15);
    }
    expect(learningRateAt(s, 30)).toBe(0.8); // the last step of epoch 3 (e = 2)
    expect(learningRateAt(s, 31)).toBe(0.4); // the first of epoch 4 (e = 3)
  });

  it("cosine: η_min + ½(η − η_min)(1 + cos(π (t − 1)/T)), from η down towards η_min", () => {
    const s = schedule({ learningRate: 1, schedule: "cosine", lrMin: 0.1 });
    for (let t = 1; t <= T; t++) {
      const expected = 0.1 + 0.45 * (1 + Math.cos((Math.PI * (t - 1)) / T));
      expect(learningRateAt(s, t), `t = ${t}`).toBeCloseTo(expected, 14);
    }
    expect(learningRateAt(s, 1)).toBe(1);
    expect(learningRateAt(s, T / 2 + 1)).toBeCloseTo(0.55, 14); // halfway: the mean of the ends
    expect(learningRateAt(s, T)).toBeGreaterThan(0.1);
  });

  it("warm-up S: η t / S for t ≤ S (η/S at the first step, η at step S), then the schedule over T − S", () => {
    const s = schedule({ learningRate: 0.6, warmup: 4, schedule: "cosine" });
    expect([1, 2, 3, 4].map((t) => learningRateAt(s, t))).toEqual([
      0.15, 0.3, 0.44999999999999996, 0.6,
    ]);
    expect(learningRateAt(s, 5)).toBe(0.6); // cosine at progress 0
    for (let t = 5; t <= T; t++) {
      const expected = 0.3 * (1 + Math.cos((Math.PI * (t - 5)) / (T - 4)));
      expect(learningRateAt(s, t), `t = ${t}`).toBeCloseTo(expected, 14);
    }
  });
});

describe("the Trainer steps with the schedule's η_t", () => {
  it("onStep sees η_t for t = 1..T, and the run's T is epochs · ⌈N/B⌉", () => {
    const { X, y } = randomBatch(23, 2, 3);
    const start = initParams({ inputs: 2, hidden: 3, init: "xavier", seed: 1 });
    const seen: StepResult[] = [];
    const trainer = new Trainer(
      start,
      { X, y },
      {
        activation: "tanh",
        learningRate: 0.5,
        epochs: 4,
        batchSize: 5,
        schedule: "cosine",
        warmup: 3,
        onStep: (s) => void seen.push(s),
      },
    );
    trainer.run();
    const s = learningRateSchedule(
      { learningRate: 0.5, schedule: "cosine", warmup: 3 },
      4 * Math.ceil(23 / 5),
      5,
    );
    expect(seen).toHaveLength(20);
    seen.forEach((step, i) => expect(step.learningRate).toBe(learningRateAt(s, i + 1)));
  });
});
