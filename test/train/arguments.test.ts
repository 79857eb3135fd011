/**
 * train checks its arguments once, before any work, with the same errors in both engines:
 * labels the head does not take, non-finite features by row and column, data and options of
 * the wrong kind or shape.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DataError, ShapeError, UsageError } from "../../src/errors.js";
import { columnVector, fromRows, matrix, type Matrix } from "../../src/linalg/index.js";
import { initParams, type Params } from "../../src/nn/index.js";
import {
  gradientDescentStep,
  train,
  type LabelledData,
  type TrainEngine,
  type TrainOptions,
} from "../../src/train/index.js";
import { randomBatch } from "../helpers.js";
import { expectThrows } from "../throws.js";

const ENGINES: readonly TrainEngine[] = ["fast", "plain"];
const start = initParams({ inputs: 2, hidden: 3, init: "xavier", seed: 0 });
const softmaxStart = initParams({ inputs: 2, hidden: 3, outputs: 3, init: "xavier", seed: 0 });
const X = fromRows([
  [0.5, 1],
  [-1, 2],
  [0, 0],
  [3, -1],
]);
const options: TrainOptions = { activation: "tanh", learningRate: 0.1, epochs: 1, batchSize: 2 };
/** Runs train on each engine and asserts it throws `type` with exactly `message`. */
function refusedByBoth(
  params: Params,
  data: LabelledData,
  type: abstract new (...args: never[]) => Error,
  message: string,
  extra: Partial<TrainOptions> = {},
): void {
  for (const engine of ENGINES) {
    expectThrows(() => train(params, data, { ...options, ...extra, engine }), type, message);
  }
}

describe("train refuses labels its head does not take", () => {
  it("the sigmoid head: a label 2, pointing to outputs: K", () => {
    refusedByBoth(
      start,
      { X, y: columnVector([0, 1, 2, 1]) },
      DataError,
      "train: y row 2 is 2, but the sigmoid head takes labels 0 or 1 (use outputs: K for K classes)",
    );
  });

  it("the sigmoid head: a label −1, and a soft label 0.5", () => {
    refusedByBoth(
      start,
      { X, y: columnVector([-1, 1, 0, 1]) },
      DataError,
      "train: y row 0 is -1, but the sigmoid head takes labels 0 or 1",
    );
    refusedByBoth(
      start,
      { X, y: columnVector([0, 1, 0, 0.5]) },
      DataError,
      "train: y row 3 is 0.5, but the sigmoid head takes labels 0 or 1",
    );
  });

  it("the softmax head: a label K", () => {
    refusedByBoth(
      softmaxStart,
      { X, y: columnVector([0, 1, 3, 2]) },
      DataError,
      "train: y row 2 is 3, but a softmax head of 3 logits takes the integer labels 0 to 2",
    );
  });

  it("the validation set's labels too", () => {
    const validation = { X: fromRows([[1, 1]]), y: columnVector([NaN]) };
    refusedByBoth(
      start,
      { X, y: columnVector([0, 1, 0, 1]) },
      DataError,
      "train: validation y row 0 is NaN, but the sigmoid head takes labels 0 or 1",
      { validation },
    );
  });

  it("any label outside {0, 1} on the sigmoid head (property, both engines)", () => {
    const notBinary = fc.double().filter((v) => v !== 0 && v !== 1);
    fc.assert(
      fc.property(notBinary, fc.integer({ min: 0, max: 3 }), (label, row) => {
        const labels = [0, 1, 0, 1];
        labels[row] = label;
        for (const engine of ENGINES) {
          expect(() =>
            train(start, { X, y: columnVector(labels) }, { ...options, engine }),
          ).toThrow(
            new RegExp(`^train: y row ${row} is .*, but the sigmoid head takes labels 0 or 1`),
          );
        }
      }),
      { numRuns: 50 },
    );
  });
});

describe("train refuses non-finite features, by row and column from 0", () => {
  it("NaN in X (not reported as an overflow of the logits)", () => {
    const bad = fromRows([
      [0.5, 1],
      [-1, 2],
      [0, NaN],
      [3, -1],
    ]);
    refusedByBoth(
      start,
      { X: bad, y: columnVector([0, 1, 0, 1]) },
      DataError,
      "train: X row 2, column 1 is NaN",
    );
  });

  it("Infinity in the validation X", () => {
    const validation = { X: fromRows([[Infinity, 0]]), y: columnVector([1]) };
    refusedByBoth(
      start,
      { X, y: columnVector([0, 1, 0, 1]) },
      DataError,
      "train: validation X row 0, column 0 is Infinity",
      { validation },
    );
  });

  it("any non-finite entry anywhere (property)", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(NaN, Infinity, -Infinity),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 1 }),
        (value, row, col) => {
          const data = X.data.slice();
          data[row * 2 + col] = value;
          const message = `train: X row ${row}, column ${col} is ${value}`;
          expectThrows(
            () => train(start, { X: matrix(4, 2, data), y: columnVector([0, 1, 0, 1]) }, options),
            DataError,
            message,
          );
        },
      ),
      { numRuns: 30 },
    );
  });
});

describe("train refuses data and options of the wrong kind or shape", () => {
  const y = columnVector([0, 1, 0, 1]);

  it("X as nested arrays", () => {
    refusedByBoth(
      start,
      { X: [[1, 2]] as unknown as Matrix, y },
      UsageError,
      "train: X must be a Matrix {rows, cols, data}, got an array (fromRows makes one from nested arrays)",
    );
  });

  it("data that is not an object, options that are not an object", () => {
    expectThrows(
      () => train(start, undefined as unknown as LabelledData, options),
      UsageError,
      "train: data must be an object {X, y}, got undefined",
    );
    expectThrows(
      () => train(start, { X, y }, null as unknown as TrainOptions),
      UsageError,
      "train: options must be an object, got null",
    );
  });

  it("an X of the wrong width, a y of the wrong shape", () => {
    refusedByBoth(
      start,
      { X: matrix(4, 3), y },
      ShapeError,
      "X is 4×3 but W1 is 2×3: X needs 2 columns",
    );
    refusedByBoth(
      start,
      { X, y: matrix(3, 1) },
      ShapeError,
      "y is 3×1 but X is 4×2: y must be 4×1",
    );
    const validation = { X, y: matrix(4, 2) };
    refusedByBoth(
      start,
      { X, y },
      ShapeError,
      "validation y is 4×2 but validation X is 4×2: validation y must be 4×1",
      { validation },
    );
  });

  it("starting parameters of the wrong kind", () => {
    refusedByBoth(
      { ...start, b1: { rows: 1, cols: 3, data: new Float64Array(2) } },
      { X, y },
      ShapeError,
      "train: params.b1 is 1×3 but its data holds 2 values (it needs 3)",
    );
  });

  it("an unknown activation name", () => {
    refusedByBoth(
      start,
      { X, y },
      UsageError,
      'unknown activation "swish" (known: relu, leaky-relu, tanh, sigmoid)',
      { activation: "swish" as "tanh" },
    );
  });

  it("trains as before on good data, called again on the same arrays (checked once)", () => {
    const data = randomBatch(20, 2, 3);
    const first = train(start, data, options);
    const again = train(start, data, options);
    expect(Array.from(again.params.W1.data)).toEqual(Array.from(first.params.W1.data));
  });
});

describe("gradientDescentStep refuses", () => {
  const grads = { dW1: start.W1, db1: start.b1, dW2: start.W2, db2: start.b2 };

  it("gradients of other shapes than the parameters", () => {
    expectThrows(
      () => gradientDescentStep(start, { ...grads, dW2: matrix(1, 3) }, 0.1),
      ShapeError,
      "gradientDescentStep: dW2 is 1×3 but W2 is 3×1",
    );
  });

  it("gradients that are not Matrices, and a learning rate that is not a finite number", () => {
    expectThrows(
      () => gradientDescentStep(start, { ...grads, db1: [0, 0, 0] as unknown as Matrix }, 0.1),
      UsageError,
      "gradientDescentStep: grads.db1 must be a Matrix {rows, cols, data}, got an array (fromRows makes one from nested arrays)",
    );
    expectThrows(
      () => gradientDescentStep(start, grads, NaN),
      UsageError,
      "gradientDescentStep: the learning rate must be a finite number, got a number (NaN)",
    );
    expectThrows(
      () => gradientDescentStep(start, grads, "0.1" as unknown as number),
      UsageError,
      'gradientDescentStep: the learning rate must be a finite number, got the string "0.1"',
    );
  });
});
