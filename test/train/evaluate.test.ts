import { describe, expect, it } from "vitest";
import { makeDataset, splitDataset } from "../../src/data/index.js";
import { fromRows, matrix } from "../../src/linalg/index.js";
import { initParams } from "../../src/nn/index.js";
import {
  DivergenceError,
  train,
  TRAIN_ENGINES,
  type EpochRecord,
  type TrainOptions,
} from "../../src/train/index.js";
import { bits } from "../helpers.js";

function problem(K: 1 | 3) {
  const data = makeDataset(K === 1 ? "moons" : "blobs", {
    samples: 60,
    seed: 4,
    ...(K === 3 ? { classes: 3 } : {}),
  });
  const { train: rows, validation } = splitDataset(data, 0.25, 4);
  const start = initParams({ inputs: 2, hidden: 5, outputs: K, init: "he", seed: 3 });
  return { rows, validation, start };
}

/** Stops the run after exactly `k` steps. */
function stopAfter(k: number): { shouldStop: () => boolean } {
  let calls = 0;
  return { shouldStop: () => calls++ === k };
}

describe('evaluate: "first-and-last" records epoch 0 and the last epoch only', () => {
  for (const activation of ["relu", "leaky-relu", "tanh"] as const) {
    for (const K of [1, 3] as const) {
      for (const batchSize of ["full", 7] as const) {
        it(`${activation}, K = ${K}, batch ${batchSize}: same steps as every-epoch, both engines bit for bit`, () => {
          const { rows, validation, start } = problem(K);
          const options: TrainOptions = {
            activation,
            learningRate: 0.3,
            epochs: 4,
            batchSize,
            seed: 5,
            validation,
          };
          const everyEpoch = train(start, rows, { ...options, engine: "plain" });
          for (const engine of TRAIN_ENGINES) {
            const seen: EpochRecord[] = [];
            const ends = train(start, rows, {
              ...options,
              engine,
              evaluate: "first-and-last",
              onEpoch: (r) => void seen.push(r),
            });
            // The evaluations never change the trajectory: the same parameters, bit for bit.
            expect(bits(ends.params), engine).toBe(bits(everyEpoch.params));
            expect(ends.steps).toBe(everyEpoch.steps);
            const firstAndLast = [everyEpoch.history[0], everyEpoch.history[4]];
            expect(ends.history).toEqual(firstAndLast);
            expect(seen).toEqual(firstAndLast);
            expect(bits(ends.state.lastGoodParams)).toBe(bits(ends.params));
          }
        });
      }
    }
  }

  it("epochs 0 and 1: the same as every-epoch; epochs 0: epoch 0 only", () => {
    const { rows, start } = problem(1);
    for (const epochs of [0, 1]) {
      const options: TrainOptions = { activation: "relu", learningRate: 0.3, epochs, batchSize: 9 };
      const every = train(start, rows, options);
      const ends = train(start, rows, { ...options, evaluate: "first-and-last" });
      expect(ends.history).toEqual(every.history);
      expect(bits(ends.params)).toBe(bits(every.params));
    }
  });

  it("a run stopped after any step k resumes bit for bit, on either engine", () => {
    const { rows, validation, start } = problem(3);
    const options: TrainOptions = {
      activation: "relu",
      learningRate: 0.3,
      epochs: 3,
      batchSize: 11,
      seed: 2,
      validation,
      evaluate: "first-and-last",
    };
    const whole = train(start, rows, options);
    for (let k = 0; k <= whole.steps; k++) {
      for (const engine of TRAIN_ENGINES) {
        const first = train(start, rows, { ...options, engine, ...stopAfter(k) });
        for (const other of TRAIN_ENGINES) {
          const rest = train(first.state.params, rows, {
            ...options,
            engine: other,
            resumeFrom: first.state,
          });
          expect(bits(rest.params), `k = ${k}, ${engine} → ${other}`).toBe(bits(whole.params));
          expect(rest.history).toEqual(whole.history);
        }
      }
    }
  });

  it("refuses to resume a state whose history does not match the schedule, either way", () => {
    const { rows, start } = problem(1);
    const options: TrainOptions = {
      activation: "relu",
      learningRate: 0.3,
      epochs: 4,
      batchSize: 9,
    };
    const perEpoch = Math.ceil(rows.X.rows / 9);
    const ends = train(start, rows, {
      ...options,
      evaluate: "first-and-last",
      ...stopAfter(2 * perEpoch + 1),
    });
    expect(ends.state.history.map((r) => r.epoch)).toEqual([0]);
    expect(() => train(start, rows, { ...options, resumeFrom: ends.state })).toThrow(
      /cannot resume: the history must hold epochs 0..2/,
    );
    const every = train(start, rows, { ...options, ...stopAfter(2 * perEpoch + 1) });
    expect(() =>
      train(start, rows, { ...options, evaluate: "first-and-last", resumeFrom: every.state }),
    ).toThrow(/cannot resume: the history must hold epochs 0 \(evaluated first and last only\)/);
  });

  it("a divergence keeps epoch 0's model and a state that resumes from there, on both engines", () => {
    const X = matrix(4, 1, Float64Array.from([1, -1, 2, -2]));
    const y = fromRows([[1], [0], [0], [1]]);
    const start = initParams({ inputs: 1, hidden: 2, init: "he", seed: 0 });
    const options: TrainOptions = {
      activation: "relu",
      learningRate: 1e4,
      epochs: 30,
      batchSize: 1,
      shuffle: false,
      evaluate: "first-and-last",
    };
    const errors = TRAIN_ENGINES.map((engine) => {
      try {
        train(start, { X, y }, { ...options, engine });
      } catch (error) {
        return error as DivergenceError;
      }
      throw new Error("expected a divergence");
    });
    for (const e of errors) {
      expect(e).toBeInstanceOf(DivergenceError);
      expect(e.message).toMatch(/became/); // a per-step check: no explosion check between the ends
      expect(e.lastGoodEpoch).toBe(0);
      expect(bits(e.lastGood.params)).toBe(bits(start));
      expect(e.lastGood.epoch).toBe(1);
      expect(e.lastGood.steps).toBe(0);
      expect(e.lastGood.history.map((r) => r.epoch)).toEqual([0]);
      // The kept state resumes into the same run (and so the same divergence).
      expect(() => train(start, { X, y }, { ...options, resumeFrom: e.lastGood })).toThrow(
        e.message,
      );
    }
    expect(errors[0]?.message).toBe(errors[1]?.message);
    // The same step fails as when every epoch is evaluated (the per-step checks are kept).
    expect(() => train(start, { X, y }, { ...options, evaluate: "every-epoch" })).toThrow(
      errors[0]?.message,
    );
  });

  it("refuses an unknown schedule", () => {
    const { rows, start } = problem(1);
    expect(() =>
      train(start, rows, {
        activation: "relu",
        learningRate: 0.3,
        epochs: 1,
        batchSize: 4,
        evaluate: "never" as "every-epoch",
      }),
    ).toThrow(/unknown evaluation schedule "never"/);
  });
});
