/**
 * A Trainer against hostile callers: hooks that throw, values handed in and out that the
 * caller changes afterwards, data changed after its check, and options of the wrong kind or
 * without effect. Every case either gives the bits of an undisturbed run or a clear error.
 */
import { describe, expect, it } from "vitest";
import { gradientCheck } from "../../src/check/index.js";
import { makeDataset, splitDataset } from "../../src/data/index.js";
import { DataError, UsageError } from "../../src/errors.js";
import { initParams } from "../../src/nn/index.js";
import {
  train,
  Trainer,
  TRAIN_ENGINES,
  type TrainerOptions,
  type TrainOptions,
  type TrainResult,
  type TrainState,
} from "../../src/train/index.js";
import { bits } from "../helpers.js";
import { expectThrows } from "../throws.js";

const start = () => initParams({ inputs: 2, hidden: 4, init: "xavier", seed: 1 });
const moons = () => makeDataset("moons", { samples: 100, seed: 1 });

function expectSameRun(actual: TrainResult, expected: TrainResult, what: string): void {
  expect(bits(actual.params), what).toBe(bits(expected.params));
  expect(actual.history, what).toEqual(expected.history);
  expect(actual.steps, what).toBe(expected.steps);
  expect(actual.state.rng, what).toEqual(expected.state.rng);
  expect(bits(actual.state.lastGoodParams), what).toBe(bits(expected.state.lastGoodParams));
  expect(actual.earlyStop, what).toEqual(expected.earlyStop);
}

describe("a hook that throws leaves a Trainer that continues bit for bit", () => {
  const { train: rows, validation } = splitDataset(moons(), 0.2, 2); // 80 rows: 4 steps an epoch
  const settings = [
    { optimizer: "sgd", checkpointEvery: "epoch" },
    { optimizer: "adam", checkpointEvery: 3, validation, patience: 2 },
  ] as const;
  const hooks = ["onStep", "onEpoch", "onCheckpoint"] as const;
  for (const engine of TRAIN_ENGINES) {
    for (const setting of settings) {
      for (const hook of hooks) {
        it(`${engine} engine, ${setting.optimizer}, ${hook} throwing at calls 1, 4, 5 and 8`, () => {
          const base: TrainerOptions = {
            activation: "tanh",
            learningRate: 0.3,
            epochs: 4,
            batchSize: 20,
            seed: 3,
            engine,
            ...setting,
          };
          const reference = new Trainer(start(), rows, { ...base, [hook]: () => {} }).run();
          for (const useStep of [false, true]) {
            let calls = 0;
            const boom = new Error("hook boom");
            const throwing = () => {
              calls++;
              if ([1, 4, 5, 8].includes(calls)) throw boom;
            };
            const trainer = new Trainer(start(), rows, { ...base, [hook]: throwing });
            let throws = 0;
            for (;;) {
              try {
                if (useStep) while (!trainer.done) trainer.step();
                break;
              } catch (error) {
                expect(error).toBe(boom);
              }
              throws++;
              // The state after the throw is a step boundary: it resumes to the same bits.
              const state = trainer.state();
              const resumed = new Trainer(start(), rows, base, state).run();
              expectSameRun(resumed, reference, `resumed after throw ${throws}`);
            }
            if (!useStep) {
              for (;;) {
                try {
                  trainer.run();
                  break;
                } catch (error) {
                  expect(error).toBe(boom);
                  throws++;
                  const resumed = new Trainer(start(), rows, base, trainer.state()).run();
                  expectSameRun(resumed, reference, `resumed after throw ${throws}`);
                }
              }
            }
            expect(throws, "the hook threw").toBeGreaterThan(0);
            expectSameRun(trainer.run(), reference, `continued (${useStep ? "step" : "run"})`);
          }
        });
      }
    }
  }

  it("onEpoch throwing at epoch 0 records epoch 0 once", () => {
    let first = true;
    const trainer = new Trainer(start(), moons(), {
      activation: "tanh",
      learningRate: 0.3,
      epochs: 3,
      batchSize: 20,
      onEpoch: () => {
        if (first) {
          first = false;
          throw new Error("epoch 0");
        }
      },
    });
    expect(() => trainer.state()).toThrow("epoch 0");
    expect(trainer.state().history.map((r) => r.epoch)).toEqual([0]);
    expect(trainer.run().history.map((r) => r.epoch)).toEqual([0, 1, 2, 3]);
  });
});

describe("a Trainer refuses train()'s options", () => {
  const options: TrainOptions = { activation: "tanh", learningRate: 0.3, epochs: 3, batchSize: 20 };
  it("resumeFrom, naming the constructor's 4th argument; shouldStop, naming run(until)", () => {
    const half = train(start(), moons(), { ...options, shouldStop: () => true });
    expect(half.stopped).toBe(true);
    expectThrows(
      () => new Trainer(start(), moons(), { ...options, resumeFrom: half.state } as TrainerOptions),
      UsageError,
      /options\.resumeFrom is train\(\)'s; pass the state .* constructor's 4th argument/,
    );
    expectThrows(
      () => new Trainer(start(), moons(), { ...options, shouldStop: () => true } as TrainerOptions),
      UsageError,
      /options\.shouldStop is train\(\)'s; pass the stop condition to run: trainer\.run\(until\)/,
    );
    // train() still takes both
    expect(train(start(), moons(), { ...options, resumeFrom: half.state }).steps).toBe(15);
  });
});

describe("what goes in and out of a Trainer is not shared with it", () => {
  const { train: rows, validation } = splitDataset(moons(), 0.2, 2);
  const base = {
    activation: "tanh",
    learningRate: 0.3,
    epochs: 4,
    batchSize: 20,
    seed: 3,
    optimizer: "adam",
    validation,
    patience: 3,
  } as const;
  for (const engine of TRAIN_ENGINES) {
    it(`${engine} engine: changing params, states, records and the starting model afterwards changes nothing`, () => {
      const options: TrainerOptions = { ...base, engine };
      const reference = new Trainer(start(), rows, options).run();
      const initial = start();
      const trainer = new Trainer(initial, rows, options);
      initial.W1.data[0]! += 100;
      trainer.step();
      trainer.params().W1.data[0]! += 100;
      const state = trainer.state();
      state.params.W1.data[0]! += 100;
      state.lastGoodParams.W2.data[0]! += 100;
      (state.rng.words as unknown as number[])[0] = 12345;
      if (state.optimizer?.name === "adam") state.optimizer.m.W1.data[0] = 7;
      state.best!.params.b2.data[0]! += 100;
      expect(Object.isFrozen(state.history)).toBe(true);
      expect(Object.isFrozen(state.history[0])).toBe(true);
      expect(() => (trainer.history as unknown[]).push({ epoch: 99 })).toThrow(TypeError);
      const later = trainer.state();
      expect(later.rng.words[0]).not.toBe(12345);
      const resumed = new Trainer(start(), rows, options, later);
      (later.rng.words as unknown as number[])[1] = 1; // after the constructor: no effect
      later.params.W1.data[1]! += 100;
      const result = trainer.run();
      expectSameRun(result, reference, "continued");
      expectSameRun(resumed.run(), reference, "resumed");
      result.params.W1.data[0]! += 100; // the result's parameters are its own
      expect(bits(result.state.params)).toBe(bits(reference.params));
    });
  }
});

describe("data changed after its first check is named, not reported as an overflow", () => {
  const options: TrainOptions = { activation: "tanh", learningRate: 0.3, epochs: 3, batchSize: 20 };
  for (const engine of TRAIN_ENGINES) {
    it(`${engine} engine: NaN written into X after a run, and during one`, () => {
      const data = moons();
      train(start(), data, { ...options, engine });
      data.X.data[101] = NaN;
      expectThrows(
        () => train(start(), data, { ...options, engine }),
        DataError,
        "train: X row 50, column 1 is NaN",
      );
      data.X.data[101] = 0.5;
      const trainer = new Trainer(start(), data, { ...options, engine });
      trainer.step();
      data.X.data[7] = Infinity;
      expectThrows(() => trainer.run(), DataError, "train: X row 3, column 1 is Infinity");
      expectThrows(() => trainer.step(), DataError, "train: X row 3, column 1 is Infinity");
    });
  }

  it("gradientCheck names the cell too", () => {
    const data = moons();
    gradientCheck(start(), data.X, data.y, "tanh");
    data.X.data[101] = NaN;
    expectThrows(
      () => gradientCheck(start(), data.X, data.y, "tanh"),
      DataError,
      "gradientCheck: X row 50, column 1 is NaN",
    );
  });
});

describe("options of the wrong kind, or without effect, are refused before any work", () => {
  const base: TrainOptions = { activation: "tanh", learningRate: 0.3, epochs: 3, batchSize: 20 };
  const refused: [string, Record<string, unknown>, string | RegExp][] = [
    ["onStep: 5", { onStep: 5 }, "onStep must be a function, got a number (5)"],
    ["onEpoch: 'x'", { onEpoch: "x" }, 'onEpoch must be a function, got the string "x"'],
    ["onCheckpoint: 1", { onCheckpoint: 1 }, "onCheckpoint must be a function, got a number (1)"],
    ["shouldStop: true", { shouldStop: true }, "shouldStop must be a function, got a boolean"],
    [
      "backend: {}",
      { backend: {} },
      "backend is not a Backend: it has no name (a string), alloc, reset, gemm, gemmTransA, gemmTransB",
    ],
    [
      'batchSize: "20"',
      { batchSize: "20" },
      'batch size must be a positive integer or "full", got the string "20"',
    ],
    [
      'learningRate: "0.3"',
      { learningRate: "0.3" },
      'learning rate must be a finite number > 0, got the string "0.3"',
    ],
    ['seed: "7"', { seed: "7" }, 'seed must be a number, got the string "7"'],
    ['shuffle: "no"', { shuffle: "no" }, 'shuffle must be true or false, got the string "no"'],
    ["shuffle: 0", { shuffle: 0 }, "shuffle must be true or false, got a number (0)"],
    [
      "minDelta without patience",
      { minDelta: 0.1 },
      "minDelta has no effect without patience (early stopping is off): leave it out",
    ],
    [
      "restoreBest without patience",
      { restoreBest: false },
      "restoreBest has no effect without patience (early stopping is off): leave it out",
    ],
    [
      "momentum with sgd",
      { momentum: 0.5 },
      'momentum has no effect with optimizer "sgd" (momentum and nesterov use it): leave it out',
    ],
    [
      "beta1 with momentum",
      { optimizer: "momentum", beta1: 0.5 },
      'beta1 has no effect with optimizer "momentum" (adam uses it): leave it out',
    ],
    [
      "decayRate with the constant schedule",
      { decayRate: 0.5 },
      'decayRate has no effect with schedule "constant" (the "step" schedule uses it): leave it out',
    ],
    [
      "lrMin with the step schedule",
      { schedule: "step", decayEvery: 1, lrMin: 0.1 },
      'lrMin has no effect with schedule "step" (the "cosine" schedule uses it): leave it out',
    ],
    [
      "a backend with the plain engine",
      {
        engine: "plain",
        backend: { name: "x", alloc() {}, reset() {}, gemm() {}, gemmTransA() {}, gemmTransB() {} },
      },
      'backend has no effect with engine "plain", which computes without one: leave it out',
    ],
    [
      "threads with the plain engine",
      { engine: "plain", threads: 2 },
      'threads has no effect with engine "plain", which runs on the main thread only: leave it out',
    ],
  ];
  for (const [what, extra, message] of refused) {
    it(what, () => {
      expectThrows(
        () => train(start(), moons(), { ...base, ...extra } as unknown as TrainOptions),
        UsageError,
        message,
      );
    });
  }
});

describe("a malformed state to resume from is refused, naming the field", () => {
  const options: TrainOptions = { activation: "tanh", learningRate: 0.3, epochs: 3, batchSize: 20 };
  const trainer = new Trainer(start(), moons(), options);
  trainer.step();
  trainer.step();
  const state = trainer.state();
  const cases: [string, unknown, string][] = [
    [
      "lastGoodParams: undefined",
      { ...state, lastGoodParams: undefined },
      "cannot resume: lastGoodParams must be the parameters {W1, b1, W2, b2}, got undefined",
    ],
    [
      "params: null",
      { ...state, params: null },
      "cannot resume: params must be the parameters {W1, b1, W2, b2}, got null",
    ],
    [
      "history: undefined",
      { ...state, history: undefined },
      "cannot resume: history must be an array of epoch records, got undefined",
    ],
    [
      "rng: undefined",
      { ...state, rng: undefined },
      "cannot resume: rng must be the generator state {words, spareNormal}, got undefined",
    ],
    [
      "an all-zero generator state",
      { ...state, rng: { words: [0, 0, 0, 0], spareNormal: null } },
      "cannot resume: rng.words are all 0, the one state xoshiro128** cannot leave (not a saved state)",
    ],
    [
      "a history with a NaN loss",
      { ...state, history: [{ ...state.history[0], loss: NaN }] },
      "cannot resume: history[0] (epoch 0): the loss is NaN, not a finite number",
    ],
    [
      "a string",
      "state",
      'cannot resume: the state must be an object (a TrainState), got the string "state"',
    ],
  ];
  for (const [what, bad, message] of cases) {
    it(what, () => {
      expectThrows(
        () => new Trainer(start(), moons(), options, bad as TrainState),
        UsageError,
        message,
      );
    });
  }
});

describe("checkpoints", () => {
  it("are taken at the boundaries checkpointEvery names before the run's end (the result has its state)", () => {
    const options: TrainOptions = {
      activation: "tanh",
      learningRate: 0.3,
      epochs: 3,
      batchSize: 20,
    };
    const epochs: string[] = [];
    train(start(), moons(), {
      ...options,
      onCheckpoint: (s) => epochs.push(`${s.epoch}/${s.row}`),
    });
    expect(epochs).toEqual(["2/0", "3/0"]);
    const steps: number[] = [];
    const result = train(start(), moons(), {
      ...options,
      checkpointEvery: 5,
      onCheckpoint: (s) => steps.push(s.steps),
    });
    expect(steps).toEqual([5, 10]);
    expect(result.state.steps).toBe(15);
  });
});
