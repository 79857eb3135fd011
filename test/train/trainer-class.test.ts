/** The Trainer: one step at a time, in slices, from a saved state, and its hooks. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { makeDataset, splitDataset } from "../../src/data/index.js";
import { fromRows, matrix } from "../../src/linalg/index.js";
import { initParams } from "../../src/nn/index.js";
import {
  DivergenceError,
  train,
  Trainer,
  TRAIN_ENGINES,
  type EpochRecord,
  type TrainerOptions,
  type TrainResult,
  type TrainState,
} from "../../src/train/index.js";
import { bits } from "../helpers.js";

function problem(K: 1 | 3) {
  const data = makeDataset(K === 1 ? "moons" : "blobs", {
    samples: 50,
    seed: 3,
    ...(K === 3 ? { classes: 3 } : {}),
  });
  const { train: rows, validation } = splitDataset(data, 0.2, 3);
  const start = initParams({ inputs: 2, hidden: 5, outputs: K, init: "xavier", seed: 8 });
  return { rows, validation, start };
}

/** The same run, bit for bit: parameters, history, steps and the state to resume from. */
function expectSameRun(actual: TrainResult, expected: TrainResult, what: string): void {
  expect(bits(actual.params), what).toBe(bits(expected.params));
  expect(actual.history, what).toEqual(expected.history);
  expect(actual.steps, what).toBe(expected.steps);
  expect(actual.state.epoch, what).toBe(expected.state.epoch);
  expect(actual.state.rng, what).toEqual(expected.state.rng);
  expect(bits(actual.state.lastGoodParams), what).toBe(bits(expected.state.lastGoodParams));
}

const cases = TRAIN_ENGINES.flatMap((engine) =>
  ([1, 3] as const).flatMap((K) =>
    (["full", 7] as const).map((batchSize) => ({ engine, K, batchSize })),
  ),
);

describe("a Trainer stepped one step at a time equals one run()", () => {
  for (const { engine, K, batchSize } of cases) {
    it(`${engine} stepper, K = ${K}, batch ${batchSize}`, () => {
      const { rows, validation, start } = problem(K);
      const options: TrainerOptions = {
        activation: "tanh",
        learningRate: 0.4,
        epochs: 3,
        batchSize,
        seed: 5,
        validation,
        engine,
      };
      const whole = new Trainer(start, rows, options).run();
      const stepped = new Trainer(start, rows, options);
      const records: EpochRecord[] = [];
      while (!stepped.done) {
        const step = stepped.step();
        expect(step.steps).toBe(stepped.steps);
        if (step.record) records.push(step.record);
      }
      expectSameRun(stepped.run(), whole, "stepped");
      expect(records).toEqual(whole.history.slice(1)); // epoch 0 is recorded before the first step
      expect(() => stepped.step()).toThrow(/the run is complete/);
      // train() is the same loop.
      expectSameRun(train(start, rows, options), whole, "train()");
    });
  }
});

describe("run(until) in slices of any lengths equals one run()", () => {
  for (const engine of TRAIN_ENGINES) {
    it(`${engine} stepper`, () => {
      const { rows, validation, start } = problem(3);
      const options: TrainerOptions = {
        activation: "relu",
        learningRate: 0.3,
        epochs: 3,
        batchSize: 6,
        seed: 2,
        validation,
        engine,
      };
      const whole = new Trainer(start, rows, options).run();
      fc.assert(
        fc.property(fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 30 }), (lengths) => {
          const trainer = new Trainer(start, rows, options);
          let result: TrainResult | undefined;
          for (const length of lengths) {
            // until() is asked at each boundary: stop after `length` of them.
            let asked = 0;
            result = trainer.run(() => ++asked > length);
            if (!result.stopped) break;
            expect(result.state.steps).toBe(trainer.steps);
          }
          if (result === undefined || result.stopped) result = trainer.run();
          expectSameRun(result, whole, `slices ${lengths.join(", ")}`);
        }),
        { numRuns: 25 },
      );
    });
  }
});

describe("state() round trips: a Trainer resumed from it finishes as the uninterrupted run", () => {
  for (const { engine, K, batchSize } of cases) {
    it(`${engine} stepper, K = ${K}, batch ${batchSize}, from every step boundary, on either stepper`, () => {
      const { rows, validation, start } = problem(K);
      const options: TrainerOptions = {
        activation: "leaky-relu",
        learningRate: 0.3,
        epochs: 2,
        batchSize,
        seed: 6,
        validation,
        engine,
      };
      const whole = new Trainer(start, rows, options).run();
      const trainer = new Trainer(start, rows, options);
      for (;;) {
        const state = trainer.state();
        for (const other of TRAIN_ENGINES) {
          const resumed = new Trainer(start, rows, { ...options, engine: other }, state);
          expect(resumed.steps).toBe(state.steps);
          expectSameRun(resumed.run(), whole, `from step ${state.steps} on ${other}`);
        }
        if (trainer.done) break;
        trainer.step();
      }
    });
  }
});

describe("hooks", () => {
  for (const engine of TRAIN_ENGINES) {
    it(`${engine} stepper: onStep per step, onEpoch per recorded epoch, onCheckpoint on schedule`, () => {
      const { rows, start } = problem(1);
      const perEpoch = Math.ceil(rows.X.rows / 4);
      for (const [evaluate, checkpointEvery] of [
        ["every-epoch", "epoch"],
        ["first-and-last", 3],
      ] as const) {
        const seen = { steps: [] as number[], epochs: [] as number[], checkpoints: [] as number[] };
        const trainer = new Trainer(start, rows, {
          activation: "tanh",
          learningRate: 0.3,
          epochs: 3,
          batchSize: 4,
          engine,
          evaluate,
          checkpointEvery,
          onStep: (s) => void seen.steps.push(s.steps),
          onEpoch: (r) => void seen.epochs.push(r.epoch),
          onCheckpoint: (s: TrainState) => void seen.checkpoints.push(s.steps),
        });
        const result = trainer.run();
        expect(seen.steps).toEqual(Array.from({ length: result.steps }, (_, i) => i + 1));
        expect(seen.epochs).toEqual(evaluate === "every-epoch" ? [0, 1, 2, 3] : [0, 3]);
        // Never after the last step: the run's end is the caller's to save.
        const due =
          checkpointEvery === "epoch"
            ? [perEpoch, 2 * perEpoch]
            : Array.from({ length: Math.floor((result.steps - 1) / 3) }, (_, i) => 3 * (i + 1));
        expect(seen.checkpoints).toEqual(due);
      }
    });
  }
});

describe("divergence", () => {
  it("carries the last good state, which resumes into the same divergence; the Trainer stays stopped", () => {
    const X = matrix(4, 1, Float64Array.from([1, -1, 2, -2]));
    const y = fromRows([[1], [0], [0], [1]]);
    const start = initParams({ inputs: 1, hidden: 2, init: "he", seed: 0 });
    const errors = TRAIN_ENGINES.map((engine) => {
      const options: TrainerOptions = {
        activation: "relu",
        learningRate: 1e4,
        epochs: 30,
        batchSize: 1,
        shuffle: false,
        divergenceFactor: 100,
        engine,
      };
      const trainer = new Trainer(start, { X, y }, options);
      let caught: unknown;
      try {
        trainer.run();
      } catch (error) {
        caught = error;
      }
      const e = caught as DivergenceError;
      expect(e).toBeInstanceOf(DivergenceError);
      expect(() => trainer.step()).toThrow(e);
      expect(e.lastGood.epoch).toBe(e.lastGoodEpoch + 1);
      expect(e.lastGood.history.at(-1)?.epoch).toBe(e.lastGoodEpoch);
      const replay = new Trainer(start, { X, y }, { ...options, epochs: e.lastGoodEpoch }).run();
      expect(bits(e.lastGood.params)).toBe(bits(replay.params));
      expect(e.lastGood.steps).toBe(replay.steps);
      expect(() => new Trainer(start, { X, y }, options, e.lastGood).run()).toThrow(e.message);
      return e;
    });
    expect(errors[0]?.message).toBe(errors[1]?.message);
  });
});
