import { describe, expect, it } from "vitest";
import { makeDataset, splitDataset } from "../../src/data/index.js";
import { fromRows, matrix } from "../../src/linalg/index.js";
import { initParams } from "../../src/nn/index.js";
import {
  DivergenceError,
  train,
  TRAIN_ENGINES,
  type TrainOptions,
  type TrainResult,
  type TrainState,
} from "../../src/train/index.js";
import { bits } from "../helpers.js";

/** Stops the run after exactly `k` steps (k = 0: before the first). */
function stopAfter(k: number): { shouldStop: () => boolean; calls: () => number } {
  let calls = 0;
  return { shouldStop: () => calls++ === k, calls: () => calls };
}

function problem(K: 1 | 3) {
  const data = makeDataset(K === 1 ? "moons" : "blobs", {
    samples: 40,
    seed: 2,
    ...(K === 3 ? { classes: 3 } : {}),
  });
  const { train: rows, validation } = splitDataset(data, 0.25, 2);
  const start = initParams({ inputs: 2, hidden: 4, outputs: K, init: "xavier", seed: 7 });
  return { rows, validation, start };
}

describe("a run stopped after any step k and resumed is bit-identical to the uninterrupted run", () => {
  for (const engine of TRAIN_ENGINES) {
    for (const K of [1, 3] as const) {
      for (const batchSize of ["full", 7] as const) {
        it(`${engine} engine, ${K === 1 ? "sigmoid" : "softmax"} head, batch ${batchSize}`, () => {
          const { rows, validation, start } = problem(K);
          const options: TrainOptions = {
            activation: "tanh",
            learningRate: 0.4,
            epochs: 3,
            batchSize,
            seed: 9,
            validation,
            engine,
          };
          const whole = train(start, rows, options);
          expect(whole.stopped).toBe(false);
          expect(whole.state.epoch).toBe(4);
          // Every step boundary, 0..steps (at `steps` the run is complete).
          for (let k = 0; k <= whole.steps; k++) {
            const first = train(start, rows, { ...options, ...stopAfter(k) });
            expect(first.stopped).toBe(k < whole.steps);
            expect(first.state.steps).toBe(k);
            // Resume on the other engine too: both take the same steps.
            for (const other of TRAIN_ENGINES) {
              const rest = train(first.state.params, rows, {
                ...options,
                engine: other,
                resumeFrom: first.state,
              });
              expect(bits(rest.params), `k = ${k}, resumed on ${other}`).toBe(bits(whole.params));
              expect(rest.history).toEqual(whole.history);
              expect(rest.steps).toBe(whole.steps);
              expect(rest.stopped).toBe(false);
            }
          }
        });
      }
    }
  }

  it("survives being stopped after every single step, unshuffled and shuffled, relu, batch 3", () => {
    const { rows, start } = problem(1);
    for (const shuffle of [true, false]) {
      const options: TrainOptions = {
        activation: "relu",
        learningRate: 0.2,
        epochs: 2,
        batchSize: 3,
        shuffle,
        seed: 4,
      };
      const whole = train(start, rows, options);
      let result: TrainResult = train(start, rows, { ...options, shouldStop: () => true });
      let pieces = 1;
      while (result.stopped) {
        result = train(start, rows, {
          ...options,
          resumeFrom: result.state,
          shouldStop: () => true,
        });
        pieces++;
      }
      expect(pieces).toBe(whole.steps + 1);
      expect(bits(result.params)).toBe(bits(whole.params));
      expect(result.history).toEqual(whole.history);
    }
  });
});

describe("checkpoints", () => {
  it("onCheckpoint receives the state every k steps; resuming from any of them finishes identically", () => {
    const { rows, start } = problem(1);
    const options: TrainOptions = {
      activation: "tanh",
      learningRate: 0.3,
      epochs: 2,
      batchSize: 4,
    };
    const states: TrainState[] = [];
    const whole = train(start, rows, {
      ...options,
      checkpointEvery: 2,
      onCheckpoint: (s) => void states.push(s),
    });
    expect(states.map((s) => s.steps)).toEqual(
      Array.from({ length: Math.floor((whole.steps - 1) / 2) }, (_, i) => 2 * (i + 1)),
    );
    for (const state of states) {
      const rest = train(start, rows, { ...options, resumeFrom: state, engine: "plain" });
      expect(bits(rest.params)).toBe(bits(whole.params));
    }
  });

  it('"epoch" (the default) checkpoints at the end of every epoch but the last', () => {
    const { rows, start } = problem(1);
    const epochs: number[] = [];
    train(start, rows, {
      activation: "tanh",
      learningRate: 0.3,
      epochs: 3,
      batchSize: 4,
      onCheckpoint: (s) => void epochs.push(s.epoch * 1000 + s.row),
    });
    expect(epochs).toEqual([2000, 3000]);
  });

  it("refuses a state that is not a step boundary of the run", () => {
    const { rows, start } = problem(1);
    const options: TrainOptions = {
      activation: "tanh",
      learningRate: 0.3,
      epochs: 2,
      batchSize: 4,
    };
    const { state } = train(start, rows, { ...options, ...stopAfter(3) });
    const bad = (change: Partial<TrainState>, message: RegExp) =>
      expect(() => train(start, rows, { ...options, resumeFrom: { ...state, ...change } })).toThrow(
        message,
      );
    bad({ row: 5 }, /row 5 is not a batch start/);
    bad({ steps: 4 }, /step 4 does not match/);
    bad({ epoch: 4 }, /epoch 4 is not in 1..3/);
    bad({ history: state.history.slice(1) }, /history/);
    expect(() => train(start, rows, { ...options, batchSize: 5, resumeFrom: state })).toThrow(
      /cannot resume/,
    );
  });
});

describe("divergence", () => {
  it("an exploding (finite) loss stops the run when it exceeds F × its best; the kept state resumes", () => {
    // xor-like data at a rate of 1e4: the relu weights compound epoch after epoch.
    const X = matrix(4, 1, Float64Array.from([1, -1, 2, -2]));
    const y = fromRows([[1], [0], [0], [1]]);
    const start = initParams({ inputs: 1, hidden: 2, init: "he", seed: 0 });
    const options: TrainOptions = {
      activation: "relu",
      learningRate: 1e4,
      epochs: 30,
      batchSize: 1,
      shuffle: false,
      divergenceFactor: 100,
    };
    for (const engine of TRAIN_ENGINES) {
      let caught: unknown;
      try {
        train(start, { X, y }, { ...options, engine });
      } catch (error) {
        caught = error;
      }
      const e = caught as DivergenceError;
      expect(e).toBeInstanceOf(DivergenceError);
      expect(e.message).toMatch(/exceeds 100 × its best value/);
      expect(e.message).toMatch(/try a lower learning rate/);
      const last = e.lastGood.history[e.lastGood.history.length - 1];
      const best = Math.min(...e.lastGood.history.map((r) => r.loss));
      expect(Number.isFinite(last?.loss)).toBe(true);
      expect(e.lastGood.epoch).toBe(e.lastGoodEpoch + 1);
      // The kept state is exactly the run stopped at that epoch's end.
      const replay = train(start, { X, y }, { ...options, engine, epochs: e.lastGoodEpoch });
      expect(bits(e.lastGood.params)).toBe(bits(replay.params));
      expect(e.lastGood.steps).toBe(replay.steps);
      expect(e.lastGood.history).toEqual(replay.history);
      expect(best).toBeLessThan(Infinity);
    }
    // Off, the same run goes on until a loss is no longer finite.
    expect(() => train(start, { X, y }, { ...options, divergenceFactor: 0 })).toThrow(
      /non-finite|became/,
    );
  });

  it("refuses a factor in (0, 1]", () => {
    const { rows, start } = problem(1);
    expect(() =>
      train(start, rows, {
        activation: "tanh",
        learningRate: 0.3,
        epochs: 1,
        batchSize: 4,
        divergenceFactor: 1,
      }),
    ).toThrow(/divergence factor/);
  });
});
