/**
 * Softmax networks (W2 H×K, K ≥ 2): shapes, the gradient check at random and trained
 * parameters (and that it catches a wrong gradient), the K = 2 reduction at the network
 * level, and training on the multiclass toy sets.
 */
import { describe, expect, it } from "vitest";
import { gradientCheck } from "../../src/check/index.js";
import { makeDataset } from "../../src/data/index.js";
import { ShapeError, UsageError } from "../../src/errors.js";
import { clone, columnVector, fromRows, matrix, type Matrix } from "../../src/linalg/index.js";
import {
  accuracy,
  activationByName,
  backward,
  classify,
  defaultInitFor,
  forward,
  initParams,
  lossAt,
  outputHeadFor,
  type ActivationName,
  type Params,
} from "../../src/nn/index.js";
import { Rng } from "../../src/rng.js";
import { train } from "../../src/train/index.js";

/** N×D normal features and N×1 labels drawn uniformly from 0..K−1. */
function classBatch(N: number, D: number, K: number, seed: number): { X: Matrix; y: Matrix } {
  const rng = new Rng(seed);
  const X = matrix(
    N,
    D,
    Float64Array.from({ length: N * D }, () => rng.normal()),
  );
  const y = columnVector(Array.from({ length: N }, () => Math.floor(rng.uniform() * K)));
  return { X, y };
}

function softmaxNet(activation: ActivationName, D: number, H: number, K: number, seed: number) {
  return initParams({
    inputs: D,
    hidden: H,
    outputs: K,
    init: defaultInitFor(activation),
    biasInit: 0.1,
    seed,
  });
}

describe("a softmax network", () => {
  it("has W2 H×K and b2 1×K, P N×K with rows summing to 1, and gradients of the parameters' shapes", () => {
    const params = softmaxNet("tanh", 3, 5, 4, 1);
    expect([params.W2.rows, params.W2.cols, params.b2.rows, params.b2.cols]).toEqual([5, 4, 1, 4]);
    const { X, y } = classBatch(6, 3, 4, 2);
    const cache = forward(params, X, activationByName("tanh"));
    expect([cache.z2.rows, cache.z2.cols, cache.p.rows, cache.p.cols]).toEqual([6, 4, 6, 4]);
    for (let n = 0; n < 6; n++) {
      const row = cache.p.data.subarray(4 * n, 4 * n + 4);
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 15);
    }
    const grads = backward(params, cache, X, y, activationByName("tanh"));
    expect([grads.dW2.rows, grads.dW2.cols, grads.db2.cols]).toEqual([5, 4, 4]);
    expect(outputHeadFor(params.W2.cols).name).toBe("softmax");
  });

  it("initParams: outputs 1 is the binary network bit for bit, and outputs must be a positive integer", () => {
    const options = { inputs: 3, hidden: 5, init: "he" as const, seed: 4 };
    const plain = initParams(options);
    const one = initParams({ ...options, outputs: 1 });
    for (const name of ["W1", "b1", "W2", "b2"] as const) {
      expect(Array.from(one[name].data)).toEqual(Array.from(plain[name].data));
    }
    for (const outputs of [0, -1, 2.5, NaN]) {
      expect(() => initParams({ ...options, outputs })).toThrow(UsageError);
    }
  });

  it("classifies by the most probable class (the first of ties) and scores accuracy on N×1 labels", () => {
    const p = fromRows([
      [0.2, 0.5, 0.3],
      [0.6, 0.1, 0.3],
      [0.4, 0.2, 0.4],
    ]);
    expect(Array.from(classify(p).data)).toEqual([1, 0, 0]);
    expect(accuracy(p, columnVector([1, 2, 0]))).toBeCloseTo(2 / 3, 15);
  });

  it("refuses a b2 that does not match the width of W2", () => {
    const params = softmaxNet("tanh", 2, 3, 3, 1);
    const bad: Params = { ...params, b2: matrix(1, 2) };
    expect(() => forward(bad, matrix(1, 2), activationByName("tanh"))).toThrow(ShapeError);
  });

  it("with K = 2 and column 0 of W2, b2 at zero, has the loss and gradient of the sigmoid network", () => {
    const sigmoidNet = initParams({ inputs: 3, hidden: 4, init: "xavier", seed: 3, biasInit: 0.2 });
    const H = 4;
    const W2 = matrix(H, 2);
    for (let h = 0; h < H; h++) W2.data[2 * h + 1] = sigmoidNet.W2.data[h] as number;
    const b2 = fromRows([[0, sigmoidNet.b2.data[0] as number]]);
    const twoClass: Params = { ...sigmoidNet, W2, b2 };
    const { X, y } = classBatch(9, 3, 2, 4);
    const tanh = activationByName("tanh");
    // z2 = (0, d) with d the sigmoid network's logit, so the losses agree bit for bit.
    expect(lossAt(twoClass, X, y, tanh)).toBe(lossAt(sigmoidNet, X, y, tanh));
    const gs = backward(sigmoidNet, forward(sigmoidNet, X, tanh), X, y, tanh);
    const g2 = backward(twoClass, forward(twoClass, X, tanh), X, y, tanh);
    for (let h = 0; h < H; h++) {
      expect(g2.dW2.data[2 * h + 1]).toBe(gs.dW2.data[h]);
      expect(g2.dW2.data[2 * h]).toBe(-(gs.dW2.data[h] as number));
    }
    expect(g2.db2.data[1]).toBe(gs.db2.data[0]);
    // W1 sees δ2 W2ᵀ = δ2_1 W2[:,1] + (−δ2_1)·0: the same as the sigmoid network's.
    Array.from(g2.dW1.data).forEach((g, i) => expect(g).toBeCloseTo(gs.dW1.data[i] as number, 15));
  });
});

describe("the gradient check on softmax networks", () => {
  const cases: [ActivationName, number][] = [
    ["tanh", 3],
    ["tanh", 4],
    ["relu", 3],
    ["relu", 4],
  ];

  it.each(cases)("passes for %s with K = %i at a random init", (activation, K) => {
    const { X, y } = classBatch(20, 3, K, K);
    const params = softmaxNet(activation, 3, 6, K, 10 + K);
    const report = gradientCheck(params, X, y, activation);
    expect(report.passed, JSON.stringify(report.params)).toBe(true);
    expect(report.params.W2.checked).toBe(6 * K);
    expect(report.params.b2.total).toBe(K);
    expect(report.maxRelError).toBeLessThan(1e-7);
  });

  it.each(cases)("passes for %s with K = %i after some training on spirals", (activation, K) => {
    const data = makeDataset("spirals", { samples: 60, classes: K, seed: K });
    const start = softmaxNet(activation, 2, 8, K, K);
    const { params, history } = train(start, data, {
      activation,
      learningRate: 0.5,
      epochs: 30,
      batchSize: 10,
      seed: 1,
    });
    expect(history.at(-1)?.loss).toBeLessThan(history[0]?.loss ?? 0);
    const report = gradientCheck(params, data.X, data.y, activation);
    expect(report.passed, JSON.stringify(report.params)).toBe(true);
  });

  it("fails when one entry of the analytic gradient is wrong by 1 %", () => {
    const { X, y } = classBatch(20, 3, 3, 5);
    const params = softmaxNet("tanh", 3, 6, 3, 6);
    const tanh = activationByName("tanh");
    const grads = backward(params, forward(params, X, tanh), X, y, tanh);
    const dW2 = clone(grads.dW2);
    dW2.data[4] = (dW2.data[4] as number) * 1.01;
    const report = gradientCheck(params, X, y, tanh, { analytic: { ...grads, dW2 } });
    expect(report.passed).toBe(false);
    expect(report.params.W2.relError).toBeGreaterThan(1e-4);
    expect(report.params.W1.relError).toBeLessThan(1e-7); // only W2 is blamed
  });

  it("fails for the classic mistake δ2 = softmax(z2) − onehot(y) without the 1/N", () => {
    const { X, y } = classBatch(20, 3, 3, 7);
    const params = softmaxNet("tanh", 3, 6, 3, 8);
    const tanh = activationByName("tanh");
    const grads = backward(params, forward(params, X, tanh), X, y, tanh);
    const times = (A: Matrix): Matrix =>
      matrix(
        A.rows,
        A.cols,
        A.data.map((a) => 20 * a),
      );
    const wrong = {
      dW1: times(grads.dW1),
      db1: times(grads.db1),
      dW2: times(grads.dW2),
      db2: times(grads.db2),
    };
    const report = gradientCheck(params, X, y, tanh, { analytic: wrong });
    expect(report.passed).toBe(false);
    expect(report.maxRelError).toBeCloseTo(19 / 21, 6); // |20g − g| / (20|g| + |g|)
  });
});

describe("training softmax networks on the multiclass toy sets", () => {
  it("blobs, K = 3: ≥ 93 % train and validation accuracy (the classes overlap: ~96 % is the best possible)", () => {
    const data = makeDataset("blobs", { samples: 400, classes: 3, seed: 1 });
    const fit = { X: data.X, y: data.y };
    const held = makeDataset("blobs", { samples: 200, classes: 3, seed: 2 });
    const { history } = train(softmaxNet("tanh", 2, 16, 3, 1), fit, {
      activation: "tanh",
      learningRate: 0.5,
      epochs: 100,
      batchSize: 32,
      seed: 1,
      validation: { X: held.X, y: held.y },
    });
    const last = history.at(-1);
    expect(last?.accuracy).toBeGreaterThanOrEqual(0.93);
    expect(last?.validationAccuracy).toBeGreaterThanOrEqual(0.93);
  });

  it("spirals, K = 3: ≥ 95 % train accuracy, ≥ 85 % on a held-out draw", () => {
    const data = makeDataset("spirals", { samples: 300, classes: 3, seed: 1 });
    const held = makeDataset("spirals", { samples: 300, classes: 3, seed: 2 });
    const { history } = train(softmaxNet("tanh", 2, 32, 3, 1), data, {
      activation: "tanh",
      learningRate: 1,
      epochs: 1000,
      batchSize: 32,
      seed: 1,
      validation: { X: held.X, y: held.y },
    });
    const last = history.at(-1);
    expect(last?.accuracy).toBeGreaterThanOrEqual(0.95);
    expect(last?.validationAccuracy).toBeGreaterThanOrEqual(0.85);
  });
});
