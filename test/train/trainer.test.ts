import { describe, expect, it } from "vitest";
import { makeDataset } from "../../src/data/index.js";
import { DataError, UsageError } from "../../src/errors.js";
import { fromRows, matrix } from "../../src/linalg/index.js";
import {
  accuracy,
  backward,
  forward,
  initParams,
  loss,
  tanh,
  type Params,
} from "../../src/nn/index.js";
import { relu } from "../../src/nn/activations.js";
import { DivergenceError, gradientDescentStep, train } from "../../src/train/index.js";

const bits = (p: Params) =>
  ["W1", "b1", "W2", "b2"]
    .map((k) => Buffer.from(p[k as keyof Params].data.buffer).toString("hex"))
    .join();

/** The CLI's defaults on a toy set: tanh, H = 16, η = 0.5, 200 epochs of batches of 32. */
function trainWithDefaults(name: string, seed: number) {
  const data = makeDataset(name, { seed });
  const start = initParams({ inputs: 2, hidden: 16, init: "xavier", seed });
  return train(start, data, {
    activation: "tanh",
    learningRate: 0.5,
    epochs: 200,
    batchSize: 32,
    seed,
  });
}

describe("train", () => {
  it("reaches ≥ 97% train accuracy on moons with tanh and H = 16", () => {
    const { history } = trainWithDefaults("moons", 1);
    expect(history.at(-1)?.accuracy).toBeGreaterThanOrEqual(0.97);
  });

  it("learns xor (not linearly separable): ≥ 95% where a linear model manages ~50%", () => {
    const { history } = trainWithDefaults("xor", 2);
    expect(history[0]?.accuracy).toBeLessThan(0.8);
    expect(history.at(-1)?.accuracy).toBeGreaterThanOrEqual(0.95);
  });

  it("full batch is plain gradient descent: one epoch is one step θ − η ∇L", () => {
    const data = makeDataset("circles", { samples: 50, seed: 3 });
    const start = initParams({ inputs: 2, hidden: 4, init: "xavier", seed: 3 });
    const result = train(start, data, {
      activation: tanh,
      learningRate: 0.3,
      epochs: 1,
      batchSize: "full",
    });
    const grads = backward(start, forward(start, data.X, tanh), data.X, data.y, tanh);
    expect(result.steps).toBe(1);
    expect(bits(result.params)).toBe(bits(gradientDescentStep(start, grads, 0.3)));
    // A batch larger than N is the full batch too.
    const big = train(start, data, {
      activation: tanh,
      learningRate: 0.3,
      epochs: 1,
      batchSize: 1000,
      shuffle: false,
    });
    expect(bits(big.params)).toBe(bits(result.params));
  });

  it("takes ⌈N/B⌉ steps an epoch; the same seed gives bit-identical parameters, another seed other ones", () => {
    const data = makeDataset("blobs", { samples: 103, seed: 4 });
    const start = initParams({ inputs: 2, hidden: 5, init: "xavier", seed: 4 });
    const run = (seed: number) =>
      train(start, data, { activation: "tanh", learningRate: 0.1, epochs: 3, batchSize: 10, seed });
    expect(run(7).steps).toBe(33);
    expect(bits(run(7).params)).toBe(bits(run(7).params));
    expect(bits(run(7).params)).not.toBe(bits(run(8).params));
  });

  it("records loss and accuracy per epoch, with validation when given", () => {
    const data = makeDataset("moons", { samples: 60, seed: 5 });
    const validation = makeDataset("moons", { samples: 20, seed: 6 });
    const start = initParams({ inputs: 2, hidden: 4, init: "xavier", seed: 5 });
    const epochs: number[] = [];
    const { history, params } = train(start, data, {
      activation: "tanh",
      learningRate: 0.5,
      epochs: 4,
      batchSize: 16,
      validation,
      onEpoch: (r) => epochs.push(r.epoch),
    });
    expect(epochs).toEqual([0, 1, 2, 3, 4]);
    expect(history.map((r) => r.epoch)).toEqual(epochs);
    // The last record's figures are those of the returned parameters on each set.
    const last = history[4];
    const onValidation = forward(params, validation.X, tanh);
    expect(last?.validationLoss).toBe(loss(onValidation, validation.y));
    expect(last?.validationAccuracy).toBe(accuracy(onValidation.p, validation.y));
    expect(last?.loss).toBe(loss(forward(params, data.X, tanh), data.y));
    expect(history[4]?.loss).toBeLessThan(history[0]?.loss ?? 0);
  });

  it("stops on divergence naming epoch, step and rate, keeping the last good parameters", () => {
    // Huge inputs and rate: relu units pass the growth on until z2 overflows in epoch 1.
    const X = matrix(4, 1, Float64Array.from([1e150, -1e150, 2e150, -2e150]));
    const y = fromRows([[1], [0], [1], [0]]);
    const start: Params = {
      W1: fromRows([[1]]),
      b1: fromRows([[0]]),
      W2: fromRows([[1]]),
      b2: fromRows([[0]]),
    };
    let caught: unknown;
    try {
      train(
        start,
        { X, y },
        { activation: "relu", learningRate: 1e200, epochs: 5, batchSize: 2, shuffle: false },
      );
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DivergenceError);
    const e = caught as DivergenceError;
    expect(e.message).toMatch(/epoch 1, step \d \(learning rate 1e\+200\)/);
    expect(e.exitCode).toBe(3);
    // What is kept is the end of the last epoch whose loss was finite: here the start.
    expect(e.lastGoodEpoch).toBe(0);
    expect(bits(e.lastGood.params)).toBe(bits(start));
    expect(e.lastGood.history).toHaveLength(1);
  });

  it("refuses nonsense hyper-parameters", () => {
    const data = makeDataset("moons", { samples: 10 });
    const start = initParams({ inputs: 2, hidden: 2, init: "he", seed: 0 });
    const base = { activation: "tanh" as const, learningRate: 0.1, epochs: 1, batchSize: 4 };
    expect(() => train(start, data, { ...base, learningRate: 0 })).toThrow(UsageError);
    expect(() => train(start, data, { ...base, learningRate: Infinity })).toThrow(/learning rate/);
    expect(() => train(start, data, { ...base, epochs: -1 })).toThrow(/epochs/);
    expect(() => train(start, data, { ...base, batchSize: 0 })).toThrow(/batch size/);
    expect(() => train(start, { X: matrix(0, 2), y: matrix(0, 1) }, base)).toThrow(/empty/);
  });
});

describe("non-finite figures", () => {
  const y = fromRows([[1], [0]]);
  const huge: Params = {
    W1: fromRows([[1]]),
    b1: fromRows([[0]]),
    W2: fromRows([[1.7e308]]),
    b2: fromRows([[1.7e308]]),
  };

  it("a starting model whose loss overflows on the data is a DataError, not a divergence", () => {
    const X = fromRows([[5], [6]]);
    const run = () =>
      train(huge, { X, y }, { activation: "relu", learningRate: 0.1, epochs: 1, batchSize: 2 });
    expect(run).toThrow(DataError);
    expect(run).toThrow(/starting model's training loss on this data is not finite/);
  });

  it("a starting model whose validation loss overflows is a DataError too", () => {
    const X = fromRows([[-5], [-6]]); // relu units are off on the training rows: z2 = b2 = 0
    const safe: Params = { ...huge, b2: fromRows([[0]]) };
    const validation = { X: fromRows([[5]]), y: fromRows([[0]]) }; // z2 = 5 · 1.7e308 overflows
    const run = () =>
      train(
        safe,
        { X, y },
        { activation: "relu", learningRate: 0.1, epochs: 1, batchSize: 2, validation },
      );
    expect(run).toThrow(DataError); // already at epoch 0: the starting model cannot score the validation rows
    expect(run).toThrow(/validation loss/);
  });

  it("refuses starting parameters with NaN", () => {
    const X = fromRows([[1], [2]]);
    const bad: Params = { ...huge, W2: fromRows([[NaN]]) };
    expect(() =>
      train(bad, { X, y }, { activation: "tanh", learningRate: 0.1, epochs: 1, batchSize: 2 }),
    ).toThrow(/starting parameters contain NaN/);
  });
});

describe("the model kept after a divergence", () => {
  it("is the end of the last good epoch, usable on the data: finite loss on every row", () => {
    // A rate of 1e4 on this xor-like data lets the relu weights compound for 18 epochs
    // before the loss overflows in epoch 19.
    const X = matrix(4, 1, Float64Array.from([1, -1, 2, -2]));
    const y = fromRows([[1], [0], [0], [1]]);
    const start = initParams({ inputs: 1, hidden: 2, init: "he", seed: 0 });
    const options = {
      activation: "relu" as const,
      learningRate: 1e4,
      epochs: 30,
      batchSize: 1,
      shuffle: false,
    };
    let caught: unknown;
    try {
      train(start, { X, y }, options);
    } catch (error) {
      caught = error;
    }
    const e = caught as DivergenceError;
    expect(e).toBeInstanceOf(DivergenceError);
    expect(e.epoch).toBeGreaterThan(1);
    expect(e.lastGoodEpoch).toBe(e.epoch - 1);
    expect(e.lastGood.history).toHaveLength(e.epoch);
    const kept = forward(e.lastGood.params, X, relu);
    expect(Number.isFinite(loss(kept, y))).toBe(true);
    // And it is exactly what training for lastGoodEpoch epochs returns.
    const replay = train(start, { X, y }, { ...options, epochs: e.lastGoodEpoch });
    expect(bits(e.lastGood.params)).toBe(bits(replay.params));
  });
});

describe("an overflowing first gradient", () => {
  it("is bad input (DataError), not a divergence: no learning rate has acted yet", () => {
    // Features near 1e308: the loss is finite, but Xᵀ δ1 overflows.
    const X = fromRows([[1.7e308], [1.6e308], [-1.7e308]]);
    const y = fromRows([[1], [0], [1]]);
    const start: Params = {
      W1: fromRows([[1e-308]]),
      b1: fromRows([[0]]),
      W2: fromRows([[100]]),
      b2: fromRows([[0]]),
    };
    const run = () =>
      train(
        start,
        { X, y },
        { activation: "leaky-relu", learningRate: 1e-9, epochs: 1, batchSize: 3 },
      );
    expect(run).toThrow(DataError);
    expect(run).toThrow(/gradient at the starting model overflows/);
  });
});
