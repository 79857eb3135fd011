/**
 * The issue-13 options keep the Trainer's promises: the plain and fast steppers agree bit for
 * bit for every optimizer, schedule, L2 and clip setting; a run stopped after any step and
 * resumed (on either stepper, through a checkpoint file too) is bit-identical to the
 * uninterrupted one; the divergence guard's last good state resumes; early stopping restores
 * exactly the best epoch's parameters.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { makeDataset, splitDataset } from "../../src/data/index.js";
import { parseCheckpoint, serializeCheckpoint } from "../../src/formats/index.js";
import { ACTIVATION_NAMES, initParams } from "../../src/nn/index.js";
import {
  DivergenceError,
  OPTIMIZER_NAMES,
  train,
  TRAIN_ENGINES,
  type OptimizerState,
  type TrainOptions,
  type TrainResult,
} from "../../src/train/index.js";
import { bits } from "../helpers.js";
import { trainFast, trainPlain } from "./engines.js";

function problem(K: 1 | 3, samples = 60, seed = 3) {
  const data = makeDataset(K === 1 ? "moons" : "blobs", {
    samples,
    seed,
    ...(K === 3 ? { classes: 3 } : {}),
  });
  const { train: rows, validation } = splitDataset(data, 0.25, seed);
  const start = initParams({ inputs: 2, hidden: 5, outputs: K, init: "xavier", seed: 7 });
  return { rows, validation, start };
}

/** The raw bits of an optimizer state's moments (and t). */
function stateBits(state: OptimizerState | undefined): string {
  if (state === undefined || state.name === "sgd") return "sgd";
  if (state.name === "adam") return `adam ${state.t} ${bits(state.m)} ${bits(state.v)}`;
  return `${state.name} ${bits(state.velocity)}`;
}

function expectSameRun(actual: TrainResult, expected: TrainResult, what: string): void {
  expect(bits(actual.params), what).toBe(bits(expected.params));
  expect(actual.history, what).toEqual(expected.history);
  expect(actual.steps, what).toBe(expected.steps);
  expect(stateBits(actual.state.optimizer), what).toBe(stateBits(expected.state.optimizer));
  expect(actual.earlyStop, what).toEqual(expected.earlyStop);
}

/** The settings each optimizer is crossed with: schedules, warm-up, L2 and the clip. */
const EXTRAS: readonly [string, Partial<TrainOptions>][] = [
  ["defaults", {}],
  ["l2 0.01", { l2: 0.01 }],
  ["step schedule, γ 0.5 every epoch", { schedule: "step", decayRate: 0.5, decayEvery: 1 }],
  ["cosine to 0.01, warm-up 3", { schedule: "cosine", lrMin: 0.01, warmup: 3 }],
  ["clip 0.05 (active), l2 0.1", { clipNorm: 0.05, l2: 0.1 }],
  ["everything", { l2: 0.003, schedule: "cosine", warmup: 3, clipNorm: 0.5 }],
];

describe("the fast stepper agrees bit for bit with the plain one for every optimizer and setting", () => {
  for (const optimizer of OPTIMIZER_NAMES) {
    for (const [name, extra] of EXTRAS) {
      it(`${optimizer}, ${name}: K = 1 and 3, full batch and 7, validation`, () => {
        for (const K of [1, 3] as const) {
          for (const batchSize of ["full", 7] as const) {
            const { rows, validation, start } = problem(K);
            const options: TrainOptions = {
              activation: "tanh",
              learningRate: optimizer === "adam" ? 0.02 : 0.3,
              epochs: 4,
              batchSize,
              seed: 11,
              validation,
              optimizer,
              ...extra,
            };
            const plain = trainPlain(start, rows, options);
            const fast = trainFast(start, rows, options);
            const what = `K = ${K}, batch ${batchSize}`;
            expectSameRun(fast, plain, what);
            expect(bits(fast.params), what).not.toBe(bits(start));
            if (options.l2) expect(plain.history[1]?.penalty, what).toBeGreaterThan(0);
          }
        }
      });
    }
  }

  it("every activation with adam + l2 + clip, and nesterov with the step schedule", () => {
    for (const activation of ACTIVATION_NAMES) {
      for (const extra of [
        { optimizer: "adam", l2: 0.02, clipNorm: 0.3 },
        { optimizer: "nesterov", schedule: "step", decayEvery: 2, momentum: 0.8 },
      ] as const) {
        const { rows, validation, start } = problem(1);
        const options: TrainOptions = {
          activation,
          learningRate: 0.05,
          epochs: 4,
          batchSize: 9,
          seed: 2,
          validation,
          ...extra,
        };
        expectSameRun(
          trainFast(start, rows, options),
          trainPlain(start, rows, options),
          activation,
        );
      }
    }
  });
});

describe("neutral settings change nothing, bit for bit", () => {
  const { rows, start } = problem(1, 40);
  const base: TrainOptions = { activation: "tanh", learningRate: 0.3, epochs: 2, batchSize: 5 };
  it("l2 = 0, schedule constant, warm-up 0 and optimizer sgd given explicitly ≡ the defaults", () => {
    const plainDefault = train(start, rows, base);
    for (const engine of TRAIN_ENGINES) {
      const explicit = train(start, rows, {
        ...base,
        engine,
        l2: 0,
        schedule: "constant",
        warmup: 0,
        optimizer: "sgd",
      });
      expectSameRun(explicit, plainDefault, engine);
      expect(explicit.history[1]).not.toHaveProperty("penalty");
    }
  });

  it("momentum and nesterov with μ = 0 ≡ sgd (property over rates, batches and seeds)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.constantFrom(...TRAIN_ENGINES),
        (learningRate, batchSize, seed, engine) => {
          const options = { ...base, learningRate, batchSize, seed, engine };
          const sgd = train(start, rows, options);
          for (const optimizer of ["momentum", "nesterov"] as const) {
            const zero = train(start, rows, { ...options, optimizer, momentum: 0 });
            expect(bits(zero.params)).toBe(bits(sgd.params));
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it("a clip bound above every gradient norm ≡ no clip", () => {
    for (const engine of TRAIN_ENGINES) {
      const clipped = train(start, rows, { ...base, engine, clipNorm: 1e6 });
      expect(bits(clipped.params)).toBe(bits(train(start, rows, base).params));
    }
  });
});

/** Stops the run after exactly `k` steps (k = 0: before the first). */
function stopAfter(k: number): { shouldStop: () => boolean } {
  let calls = 0;
  return { shouldStop: () => calls++ === k };
}

describe("a run stopped after any step k and resumed is bit-identical, per optimizer", () => {
  const settings: readonly [string, Partial<TrainOptions>][] = [
    ["constant", {}],
    ["cosine + warm-up 4 + l2 + clip", { schedule: "cosine", warmup: 4, l2: 0.01, clipNorm: 0.2 }],
    ["step schedule", { schedule: "step", decayRate: 0.5, decayEvery: 1 }],
  ];
  for (const optimizer of OPTIMIZER_NAMES) {
    for (const engine of TRAIN_ENGINES) {
      for (const [name, extra] of settings) {
        it(`${optimizer}, ${engine} engine, ${name}; resumed on both engines`, () => {
          const { rows, validation, start } = problem(1, 32);
          const options: TrainOptions = {
            activation: "tanh",
            learningRate: optimizer === "adam" ? 0.03 : 0.3,
            epochs: 3,
            batchSize: 7,
            seed: 9,
            validation,
            engine,
            optimizer,
            ...extra,
          };
          const whole = train(start, rows, options);
          for (let k = 0; k <= whole.steps; k++) {
            const first = train(start, rows, { ...options, ...stopAfter(k) });
            expect(first.state.steps).toBe(k);
            if (optimizer === "adam" && k > 0) {
              expect(first.state.optimizer).toMatchObject({ name: "adam", t: k });
            }
            for (const other of TRAIN_ENGINES) {
              const rest = train(first.state.params, rows, {
                ...options,
                engine: other,
                resumeFrom: first.state,
              });
              expectSameRun(rest, whole, `k = ${k}, resumed on ${other}`);
            }
          }
        });
      }
    }
  }

  it("through a checkpoint file (v2) for every optimizer, mid-epoch, with early stopping on", () => {
    for (const optimizer of OPTIMIZER_NAMES) {
      const { rows, validation, start } = problem(1, 32);
      const options: TrainOptions = {
        activation: "tanh",
        learningRate: optimizer === "adam" ? 0.03 : 0.3,
        epochs: 3,
        batchSize: 7,
        seed: 9,
        validation,
        optimizer,
        patience: 5,
      };
      const whole = train(start, rows, options);
      const first = train(start, rows, { ...options, ...stopAfter(6) });
      const text = serializeCheckpoint({
        options: { lr: options.learningRate },
        data: { source: "moons", trainRows: 24, validationRows: 8, sha256: "0".repeat(64) },
        model: { activation: "tanh", params: first.state.params },
        state: first.state,
      });
      const back = parseCheckpoint(text).state;
      expect(serializeCheckpoint({ ...parseCheckpoint(text) })).toBe(text);
      expect(stateBits(back.optimizer)).toBe(stateBits(first.state.optimizer));
      expect(stateBits(back.lastGoodOptimizer)).toBe(stateBits(first.state.lastGoodOptimizer));
      expect(back.best?.epoch).toBe(first.state.best?.epoch);
      const rest = train(back.params, rows, { ...options, resumeFrom: back });
      expectSameRun(rest, whole, optimizer);
    }
  });

  it("refuses a state of another optimizer, or adam's t out of step", () => {
    const { rows, start } = problem(1, 32);
    const options: TrainOptions = {
      activation: "tanh",
      learningRate: 0.03,
      epochs: 2,
      batchSize: 7,
      optimizer: "adam",
    };
    const { state } = train(start, rows, { ...options, ...stopAfter(3) });
    expect(() =>
      train(start, rows, { ...options, optimizer: "momentum", resumeFrom: state }),
    ).toThrow(/cannot resume: the optimizer state is adam's, but this run uses momentum/);
    const { optimizer } = state;
    if (optimizer?.name !== "adam") throw new Error("expected adam's state");
    expect(() =>
      train(start, rows, {
        ...options,
        resumeFrom: { ...state, optimizer: { ...optimizer, t: 2 } },
      }),
    ).toThrow(/adam's update count t = 2 does not match the 3 steps/);
    const noState = { ...state };
    delete (noState as { optimizer?: unknown }).optimizer;
    expect(() => train(start, rows, { ...options, resumeFrom: noState })).toThrow(
      /the optimizer state is sgd's, but this run uses adam/,
    );
  });
});

describe("divergence with an optimizer", () => {
  it("the DivergenceError's last good state carries the optimizer state and resumes as a replay", () => {
    const { rows, start } = problem(1, 40);
    const options: TrainOptions = {
      activation: "relu",
      learningRate: 40,
      epochs: 60,
      batchSize: 4,
      seed: 1,
      optimizer: "momentum",
      momentum: 0.99,
      divergenceFactor: 3,
    };
    for (const engine of TRAIN_ENGINES) {
      let caught: unknown;
      try {
        train(start, rows, { ...options, engine });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(DivergenceError);
      const e = caught as DivergenceError;
      const replay = train(start, rows, { ...options, engine, epochs: e.lastGoodEpoch });
      expect(bits(e.lastGood.params)).toBe(bits(replay.params));
      expect(stateBits(e.lastGood.optimizer)).toBe(stateBits(replay.state.optimizer));
      expect(e.lastGood.history).toEqual(replay.history);
    }
  });
});

describe("early stopping", () => {
  /** A small, noisy training set and a wide network: the validation loss turns up. */
  function overfitting() {
    const data = makeDataset("moons", { samples: 60, seed: 4, noise: 0.35 });
    const { train: rows, validation } = splitDataset(data, 0.5, 4);
    const start = initParams({ inputs: 2, hidden: 40, init: "xavier", seed: 1 });
    const options: TrainOptions = {
      activation: "tanh",
      learningRate: 0.05,
      epochs: 400,
      batchSize: 5,
      seed: 3,
      validation,
      optimizer: "adam",
      patience: 10,
    };
    return { rows, start, options };
  }

  for (const engine of TRAIN_ENGINES) {
    it(`${engine}: restores exactly the best epoch's weights (a run stopped at that epoch)`, () => {
      const { rows, start, options } = overfitting();
      const result = train(start, rows, { ...options, engine });
      const stop = result.earlyStop;
      expect(stop).toBeDefined();
      if (!stop) return;
      expect(stop.reason).toBe("early-stopping");
      expect(stop.bestEpoch).toBeGreaterThan(0);
      expect(stop.epoch).toBeLessThan(options.epochs);
      expect(stop.restored).toBe(true);
      expect(result.history).toHaveLength(stop.epoch + 1);
      const losses = result.history.map((r) => r.validationLoss!);
      expect(stop.bestValidationLoss).toBe(Math.min(...losses));
      expect(losses[stop.bestEpoch]).toBe(stop.bestValidationLoss);
      const { patience, ...withoutPatience } = options;
      expect(stop.epoch).toBe(stop.bestEpoch + patience!);
      const atBest = train(start, rows, { ...withoutPatience, engine, epochs: stop.bestEpoch });
      expect(bits(result.params)).toBe(bits(atBest.params));
      // restoreBest: false keeps the last epoch's: a run stopped there.
      const last = train(start, rows, { ...options, engine, restoreBest: false });
      expect(last.earlyStop).toEqual({ ...stop, restored: false });
      const atLast = train(start, rows, { ...withoutPatience, engine, epochs: stop.epoch });
      expect(bits(last.params)).toBe(bits(atLast.params));
    });
  }

  it("minDelta larger than any improvement: the best stays epoch 0 and the start is restored", () => {
    const { rows, start, options } = overfitting();
    const result = train(start, rows, { ...options, patience: 3, minDelta: 100 });
    expect(result.earlyStop).toMatchObject({ bestEpoch: 0, epoch: 3, restored: true });
    expect(bits(result.params)).toBe(bits(start));
  });

  it("a run stopped before early stopping triggers resumes to the same stop, on both engines", () => {
    const { rows, start, options } = overfitting();
    const whole = train(start, rows, options);
    const stop = whole.earlyStop!;
    const perEpoch = Math.ceil(rows.X.rows / 5);
    for (const k of [
      1,
      stop.bestEpoch * perEpoch + 2,
      (stop.epoch - 1) * perEpoch,
      stop.epoch * perEpoch,
    ]) {
      const first = train(start, rows, { ...options, ...stopAfter(k) });
      for (const engine of TRAIN_ENGINES) {
        const rest = train(first.state.params, rows, {
          ...options,
          engine,
          resumeFrom: first.state,
        });
        expectSameRun(rest, whole, `k = ${k}, ${engine}`);
      }
    }
    // The state of a run that early stopping ended resumes as complete: no more steps.
    const again = train(whole.params, rows, { ...options, resumeFrom: whole.state });
    expectSameRun(again, whole, "resumed after the stop");
  });

  it("refuses patience without validation data, or without every epoch evaluated, and bad values", () => {
    const { rows, start, options } = overfitting();
    const noValidation = { ...options };
    delete (noValidation as { validation?: unknown }).validation;
    expect(() => train(start, rows, noValidation)).toThrow(
      /^early stopping \(patience\) needs validation data to watch$/,
    );
    expect(() => train(start, rows, { ...options, evaluate: "first-and-last" })).toThrow(
      /needs the validation loss of every epoch/,
    );
    expect(() => train(start, rows, { ...options, patience: 0 })).toThrow(
      /^patience must be a positive integer/,
    );
    expect(() => train(start, rows, { ...options, minDelta: -1 })).toThrow(
      /^minDelta must be a finite number ≥ 0/,
    );
  });
});
