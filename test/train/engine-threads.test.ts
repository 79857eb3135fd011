/** trainFast with its products split across threads: the same bits as trainPlain. */
import { describe, expect, it } from "vitest";
import { makeDataset } from "../../src/data/index.js";
import type { Matrix } from "../../src/linalg/index.js";
import { PARALLEL_MIN_FLOPS } from "../../src/linalg/wasm/threaded-backend.js";
import { createThreadedWasmBackendSync } from "../../src/linalg/wasm/index.js";
import { initParams, runValues } from "../../src/nn/index.js";
import { train, type TrainOptions } from "../../src/train/index.js";
import { bits } from "../helpers.js";
import { trainFast, trainPlain } from "./engines.js";

/** N rows of D features (a seeded two-class blob problem padded with seeded noise columns). */
function wideData(N: number, D: number, classes: 2 | 3, seed: number): { X: Matrix; y: Matrix } {
  const base = makeDataset("blobs", { samples: N, seed, classes });
  const X = new Float64Array(N * D);
  let s = seed >>> 0;
  for (let i = 0; i < N; i++) {
    for (let d = 0; d < D; d++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      X[i * D + d] =
        d < base.X.cols ? (base.X.data[i * base.X.cols + d] as number) : s / 2 ** 32 - 0.5;
    }
  }
  return { X: { rows: N, cols: D, data: X }, y: base.y };
}

describe("trainFast on threads agrees bit for bit with trainPlain", () => {
  for (const [K, batchSize, activation] of [
    [1, 24, "relu"],
    [3, 13, "tanh"],
    [1, "full", "sigmoid"],
  ] as const) {
    it(`every product split (threshold 0): K = ${K}, batch ${batchSize}, ${activation}`, () => {
      const [N, D, H] = [90, 37, 21];
      const data = wideData(N, D, K === 1 ? 2 : 3, 5);
      const start = initParams({ inputs: D, hidden: H, outputs: K, init: "xavier", seed: 2 });
      const rows = batchSize === "full" ? N : batchSize;
      const backend = createThreadedWasmBackendSync({
        capacity: runValues(rows, D, H, K, batchSize === "full" ? 2 : 3),
        threads: 2,
        minFlops: 0,
      });
      if (!backend) throw new Error("threads unsupported here");
      const options: TrainOptions = {
        activation,
        learningRate: 0.2,
        epochs: 3,
        batchSize,
        seed: 4,
      };
      const plain = trainPlain(start, data, options);
      const fast = trainFast(start, data, { ...options, backend });
      expect(backend.splitProducts).toBeGreaterThan(0);
      expect(bits(fast.params)).toBe(bits(plain.params));
      expect(fast.history).toEqual(plain.history);
      expect(bits(fast.params)).not.toBe(bits(start));
    });
  }

  it("train({ threads: 2 }) on products above PARALLEL_MIN_FLOPS, and threads: 1, give trainPlain's bits", () => {
    const [batch, H] = [64, 48];
    const D = Math.ceil(PARALLEL_MIN_FLOPS / (2 * batch * H)) + 3; // X W1 just above the threshold
    const data = wideData(150, D, 2, 9);
    const start = initParams({ inputs: D, hidden: H, init: "he", seed: 1 });
    const options: TrainOptions = {
      activation: "relu",
      learningRate: 0.05,
      epochs: 2,
      batchSize: batch,
      seed: 3,
    };
    const plain = trainPlain(start, data, options);
    for (const threads of [2, 1, "auto"] as const) {
      const run = train(start, data, { ...options, threads });
      expect(bits(run.params), `threads ${threads}`).toBe(bits(plain.params));
      expect(run.history).toEqual(plain.history);
    }
  });

  it("refuses a bad thread count with a clear error", () => {
    const data = wideData(10, 3, 2, 1);
    const start = initParams({ inputs: 3, hidden: 2, init: "xavier", seed: 1 });
    for (const threads of [0, 1.5, -1, 65, Number.NaN]) {
      expect(() =>
        train(start, data, {
          activation: "relu",
          learningRate: 0.1,
          epochs: 1,
          batchSize: 5,
          threads,
        }),
      ).toThrow(/threads must be "auto" or an integer from 1 to 64/);
    }
  });
});
