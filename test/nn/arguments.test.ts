/**
 * The argument checks of the network's functions: activations by name, params and caches
 * of the wrong kind or shape, labels a head does not take.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DataError, ShapeError, UsageError } from "../../src/errors.js";
import { columnVector, fromRows, matrix, type Matrix } from "../../src/linalg/index.js";
import {
  ACTIVATION_NAMES,
  accuracy,
  activationByName,
  backward,
  classify,
  forward,
  initParams,
  loss,
  lossAt,
  type Activation,
  type ActivationName,
  type Cache,
  type Params,
} from "../../src/nn/index.js";
import { bits, randomBatch } from "../helpers.js";
import { expectThrows } from "../throws.js";

const params = initParams({ inputs: 3, hidden: 4, init: "xavier", seed: 1 });
const { X, y } = randomBatch(6, 3, 2);
const matrixBits = (A: Matrix): string => Buffer.from(A.data.buffer).toString("hex");
const cacheBits = (c: Cache): string => [c.z1, c.a1, c.z2, c.p].map(matrixBits).join();

describe("an activation given by its name", () => {
  it("forward(params, X, name) equals forward with activationByName(name), bit for bit", () => {
    for (const name of ACTIVATION_NAMES) {
      expect(cacheBits(forward(params, X, name))).toBe(
        cacheBits(forward(params, X, activationByName(name))),
      );
    }
  });

  it("backward and lossAt take names too, with the same bits", () => {
    for (const name of ACTIVATION_NAMES) {
      const f = activationByName(name);
      const cache = forward(params, X, f);
      const byName = backward(params, cache, X, y, name);
      const byObject = backward(params, cache, X, y, f);
      const asParams = (g: typeof byName): Params => ({
        W1: g.dW1,
        b1: g.db1,
        W2: g.dW2,
        b2: g.db2,
      });
      expect(bits(asParams(byName))).toBe(bits(asParams(byObject)));
      expect(Object.is(lossAt(params, X, y, name), lossAt(params, X, y, f))).toBe(true);
    }
  });

  it("an unknown name is a UsageError listing the known ones", () => {
    const gelu = "gelu" as ActivationName;
    for (const run of [
      () => forward(params, X, gelu),
      () => backward(params, forward(params, X, "tanh"), X, y, gelu),
      () => lossAt(params, X, y, gelu),
    ]) {
      expectThrows(
        run,
        UsageError,
        'unknown activation "gelu" (known: relu, leaky-relu, tanh, sigmoid)',
      );
    }
  });

  it("a value that is neither a name nor an Activation is a UsageError", () => {
    expectThrows(
      () => forward(params, X, 42 as unknown as Activation),
      UsageError,
      "forward: activation must be one of relu, leaky-relu, tanh, sigmoid or an Activation {name, f, df, hasKink}, got a number (42)",
    );
    expectThrows(
      () => forward(params, X, { name: "tanh" } as Activation),
      UsageError,
      /^forward: activation must be one of .* got an object$/,
    );
  });
});

describe("forward refuses", () => {
  it("params that are not an object of four Matrices", () => {
    expectThrows(
      () => forward(null as unknown as Params, X, "tanh"),
      UsageError,
      "forward: params must be an object {W1, b1, W2, b2} of Matrices, got null",
    );
    expectThrows(
      () => forward({ ...params, W1: [[1]] as unknown as Matrix }, X, "tanh"),
      UsageError,
      "forward: params.W1 must be a Matrix {rows, cols, data}, got an array (fromRows makes one from nested arrays)",
    );
  });

  it("params whose data do not hold their shape", () => {
    const b2 = { rows: 1, cols: 1, data: new Float64Array(2) };
    expectThrows(
      () => forward({ ...params, b2 }, X, "tanh"),
      ShapeError,
      "forward: params.b2 is 1×1 but its data holds 2 values (it needs 1)",
    );
  });

  it("an X that is a nested array, or has the wrong width", () => {
    expectThrows(
      () => forward(params, [[1, 2, 3]] as unknown as Matrix, "tanh"),
      UsageError,
      "forward: X must be a Matrix {rows, cols, data}, got an array (fromRows makes one from nested arrays)",
    );
    expectThrows(
      () => forward(params, matrix(2, 5), "tanh"),
      ShapeError,
      "X is 2×5 but W1 is 3×4: X needs 3 columns",
    );
  });

  it("but not non-finite features: NaN in, NaN out (train and gradientCheck refuse them)", () => {
    const bad = fromRows([[NaN, 0, 0]]);
    expect(Number.isNaN(forward(params, bad, "tanh").p.data[0])).toBe(true);
  });
});

describe("backward refuses", () => {
  it("a cache that is not forward's on these params and X", () => {
    const other = forward(params, matrix(2, 3), "tanh");
    expectThrows(
      () => backward(params, other, X, y, "tanh"),
      ShapeError,
      "backward: the cache holds z1 2×4, a1 2×4 and z2 2×1, but X is 6×3 and W1, W2 are 3×4, 4×1: pass the cache of forward(params, X)",
    );
    expectThrows(
      () => backward(params, undefined as unknown as Cache, X, y, "tanh"),
      UsageError,
      "backward: the cache must be forward's result {z1, a1, z2, p}, got undefined",
    );
  });

  it("an X of the wrong width, and y of the wrong shape", () => {
    const cache = forward(params, X, "tanh");
    expectThrows(
      () => backward(params, cache, matrix(6, 2), y, "tanh"),
      ShapeError,
      "X is 6×2 but W1 is 3×4: X needs 3 columns",
    );
    expectThrows(
      () => backward(params, cache, X, matrix(6, 2), "tanh"),
      ShapeError,
      "y is 6×2 but X is 6×3: y must be 6×1",
    );
  });

  it("a label of the sigmoid head outside [0, 1]", () => {
    const cache = forward(params, X, "tanh");
    const y2 = columnVector([0, 1, 2, 0, 1, 0]);
    expectThrows(
      () => backward(params, cache, X, y2, "tanh"),
      DataError,
      "sigmoidMinusLabel: label y = 2 is outside [0, 1]",
    );
  });
});

describe("loss, accuracy and classify refuse", () => {
  const cache = forward(params, X, "tanh");

  it("loss: labels of one logit outside [0, 1] (soft labels allowed)", () => {
    expectThrows(
      () => loss(cache, columnVector([0, 1, 0, -1, 1, 0])),
      DataError,
      "bceWithLogits: label y[3] = -1 is outside [0, 1] (labels are 0 or 1, or soft labels between)",
    );
    expect(Number.isFinite(loss(cache, columnVector([0.5, 1, 0, 0.25, 1, 0])))).toBe(true);
  });

  it("loss: a y that is not a Matrix", () => {
    expectThrows(
      () => loss(cache, [0, 1] as unknown as Matrix),
      UsageError,
      "loss: y must be a Matrix {rows, cols, data}, got an array (fromRows makes one from nested arrays)",
    );
  });

  it("accuracy: labels that are not classes of the head, and a y of the wrong shape", () => {
    expectThrows(
      () => accuracy(cache.p, columnVector([0, 1, 0, 0.5, 1, 0])),
      DataError,
      "accuracy: y row 3 is 0.5, but the sigmoid head takes labels 0 or 1",
    );
    const P = fromRows([
      [0.2, 0.8, 0],
      [0.9, 0.1, 0],
    ]);
    expectThrows(
      () => accuracy(P, columnVector([1, 3])),
      DataError,
      "accuracy: y row 1 is 3, but a softmax head of 3 logits takes the integer labels 0 to 2",
    );
    expectThrows(
      () => accuracy(P, columnVector([1, 0, 1])),
      ShapeError,
      "accuracy: y is 3×1 but p is 2×3: y must be 2×1",
    );
  });

  it("classify: a p that is not a Matrix", () => {
    expectThrows(
      () => classify({ rows: 1, cols: 1 } as Matrix),
      UsageError,
      "classify: p.data must be a Float64Array, got undefined",
    );
  });

  it("accuracy accepts any 0/1 labels (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(0, 1), { minLength: 6, maxLength: 6 }), (labels) => {
        const a = accuracy(cache.p, columnVector(labels));
        return a >= 0 && a <= 1;
      }),
    );
  });
});

describe("initParams refuses", () => {
  it("options that are not an object", () => {
    expectThrows(
      () => initParams(undefined as unknown as Parameters<typeof initParams>[0]),
      UsageError,
      "initParams: options must be an object {inputs, hidden, init, seed}, got undefined",
    );
  });
});
