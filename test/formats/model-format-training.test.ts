/**
 * The model file's optional "training" object (what trained the model, written by
 * `train --save`): round-trips exactly, keeps every older file loading, and is read as
 * strictly as the rest: unknown keys, values out of range and hyper-parameters of another
 * rule or schedule are refused, naming the key.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ModelFileError } from "../../src/errors.js";
import { parseModel, serializeModel, type Model } from "../../src/formats/index.js";
import type { TrainingRecord } from "../../src/train/index.js";
import { initParams } from "../../src/nn/index.js";

const params = initParams({ inputs: 2, hidden: 3, init: "xavier", seed: 4 });
const withTraining = (training: TrainingRecord): Model => ({
  activation: "tanh",
  params,
  training,
});

describe('model file "training"', () => {
  it("is absent unless given: a model without it serialises exactly as before", () => {
    const text = serializeModel({ activation: "tanh", params });
    expect(text).not.toContain("training");
    expect(parseModel(text).training).toBeUndefined();
    expect(text.endsWith("]\n}\n")).toBe(true);
  });

  it("round-trips every rule, schedule and early-stopping combination exactly, after standardize", () => {
    const record = fc.record(
      {
        optimizer: fc.constantFrom("sgd", "momentum", "nesterov", "adam" as const),
        learningRate: fc.double({ min: 1e-300, max: 1e300, noNaN: true }),
        l2: fc.double({ min: 0, max: 10, noNaN: true }),
        schedule: fc.constantFrom("constant", "step", "cosine" as const),
        warmup: fc.integer({ min: 1, max: 1e9 }),
        clipNorm: fc.double({ min: 1e-9, max: 1e9, noNaN: true }),
        patience: fc.integer({ min: 1, max: 1000 }),
      },
      { requiredKeys: ["optimizer", "learningRate"] },
    );
    fc.assert(
      fc.property(
        record,
        fc.boolean(),
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        (r, restore, x) => {
          const training: TrainingRecord = {
            ...r,
            ...(r.optimizer === "momentum" || r.optimizer === "nesterov" ? { momentum: x } : {}),
            ...(r.optimizer === "adam" ? { beta1: x, beta2: 0.999, adamEps: 1e-8 } : {}),
            ...(r.schedule === "step" ? { decayRate: 0.5, decayEvery: 3 } : {}),
            ...(r.schedule === "cosine" ? { lrMin: 0 } : {}),
            ...(r.patience === undefined ? {} : { minDelta: x, restoreBest: restore }),
          };
          const model: Model = {
            ...withTraining(training),
            standardizer: { mean: Float64Array.from([1, -0]), std: Float64Array.from([2, 3]) },
          };
          const text = serializeModel(model);
          const back = parseModel(text);
          expect(back.training).toEqual(training);
          expect(Object.is(back.training?.learningRate, training.learningRate)).toBe(true);
          expect(serializeModel(back)).toBe(text);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("writes its keys on one line in a fixed order, whatever the object's order", () => {
    const a = serializeModel(
      withTraining({ l2: 0, learningRate: 0.5, optimizer: "sgd", schedule: "constant" }),
    );
    const b = serializeModel(
      withTraining({ optimizer: "sgd", schedule: "constant", learningRate: 0.5, l2: 0 }),
    );
    expect(a).toBe(b);
    expect(a).toContain(
      '\n  "training": {"optimizer": "sgd", "learningRate": 0.5, "l2": 0, "schedule": "constant"}\n}\n',
    );
  });

  const sgd = '"training": {"optimizer": "sgd", "learningRate": 0.5}';
  const base = serializeModel(withTraining({ optimizer: "sgd", learningRate: 0.5 }));
  expect(base).toContain(sgd);
  it.each([
    ['"training": []', '"training" must be an object'],
    ['"training": {"learningRate": 0.5}', 'missing key "training.optimizer"'],
    ['"training": {"optimizer": "sgd"}', 'missing key "training.learningRate"'],
    [
      '"training": {"optimizer": "sgd", "learningRate": 0.5, "epoch": 3}',
      'unknown key "training.epoch"',
    ],
    [
      '"training": {"handgrad": "", "optimizer": "sgd", "learningRate": 0.5}',
      '"training.handgrad" must be a non-empty string (the version), got ""',
    ],
    [
      '"training": {"optimizer": "sgd", "learningRate": 0.5, "epochs": -1}',
      '"training.epochs" must be a non-negative integer, got -1',
    ],
    [
      '"training": {"optimizer": "sgd", "learningRate": 0.5, "batchSize": 0}',
      '"training.batchSize" must be a positive integer or "full", got 0',
    ],
    [
      '"training": {"optimizer": "sgd", "learningRate": 0.5, "batchSize": "half"}',
      '"training.batchSize" must be a positive integer or "full", got "half"',
    ],
    [
      '"training": {"optimizer": "sgd", "learningRate": 0.5, "shuffle": true}',
      '"training.shuffle" must be false (absent: shuffled), got true',
    ],
    [
      '"training": {"optimizer": "sgd", "learningRate": 0.5, "validationFraction": 1}',
      '"training.validationFraction" must be a number in (0, 1), got 1',
    ],
    [
      '"training": {"optimizer": "sgd", "learningRate": 0.5, "seed": 1.5}',
      '"training.seed" must be a non-negative integer, got 1.5',
    ],
    [
      '"training": {"optimizer": "sgd", "learningRate": 0.5, "stoppedAfterStep": -3}',
      '"training.stoppedAfterStep" must be a non-negative integer, got -3',
    ],
    [
      '"training": {"optimizer": "rmsprop", "learningRate": 0.5}',
      '"training.optimizer" must be one of sgd, momentum, nesterov, adam, got "rmsprop"',
    ],
    [
      '"training": {"optimizer": "sgd", "learningRate": 0}',
      '"training.learningRate" must be a finite number > 0, got 0',
    ],
    [
      '"training": {"optimizer": "sgd", "learningRate": 0.5, "l2": -1}',
      '"training.l2" must be a finite number ≥ 0, got -1',
    ],
    [
      '"training": {"optimizer": "sgd", "learningRate": 0.5, "momentum": 0.9}',
      '"training.momentum" applies to optimizer momentum or nesterov only',
    ],
    [
      '"training": {"optimizer": "momentum", "learningRate": 0.5, "momentum": 1}',
      '"training.momentum" must be a number in [0, 1), got 1',
    ],
    [
      '"training": {"optimizer": "momentum", "learningRate": 0.5, "beta1": 0.9}',
      '"training.beta1" applies to optimizer adam only',
    ],
    [
      '"training": {"optimizer": "adam", "learningRate": 0.5, "adamEps": 0}',
      '"training.adamEps" must be a finite number > 0, got 0',
    ],
    [
      '"training": {"optimizer": "sgd", "learningRate": 0.5, "decayEvery": 2}',
      '"training.decayEvery" applies to schedule step only',
    ],
    [
      '"training": {"optimizer": "sgd", "learningRate": 0.5, "schedule": "step", "decayEvery": 1.5}',
      '"training.decayEvery" must be a positive integer, got 1.5',
    ],
    [
      '"training": {"optimizer": "sgd", "learningRate": 0.5, "lrMin": 0}',
      '"training.lrMin" applies to schedule cosine only',
    ],
    [
      '"training": {"optimizer": "sgd", "learningRate": 0.5, "warmup": -1}',
      '"training.warmup" must be a non-negative integer, got -1',
    ],
    [
      '"training": {"optimizer": "sgd", "learningRate": 0.5, "restoreBest": true}',
      '"training.restoreBest" applies to patience only',
    ],
    [
      '"training": {"optimizer": "sgd", "learningRate": 0.5, "patience": 2, "restoreBest": 1}',
      '"training.restoreBest" must be true or false, got 1',
    ],
  ])("refuses %s: %s", (replacement, message) => {
    const text = base.replace(sgd, replacement);
    expect(() => parseModel(text, "m.json")).toThrow(ModelFileError);
    expect(() => parseModel(text, "m.json")).toThrow(`m.json: ${message}`);
  });
});
