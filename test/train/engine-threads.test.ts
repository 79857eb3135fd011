/** trainFast with its products split across threads: the same bits as trainPlain. */
import { describe, expect, it } from "vitest";
import { makeDataset } from "../../src/data/index.js";
import type { Matrix } from "../../src/linalg/index.js";
import { MIN_FLOPS_PER_THREAD } from "../../src/linalg/wasm/threaded-backend.js";
import { createThreadedWasmBackendSync } from "../../src/linalg/wasm/index.js";
import { initParams, runValues, type Params } from "../../src/nn/index.js";
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
        minFlopsPerThread: 0,
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
      expect(backend.joins).toBeGreaterThan(0);
      expect(bits(fast.params)).toBe(bits(plain.params));
      expect(fast.history).toEqual(plain.history);
      expect(bits(fast.params)).not.toBe(bits(start));
    });
  }

  it("train({ threads: 2 }) on phases of two threads' least work, and threads: 1, give trainPlain's bits", () => {
    const [batch, H] = [64, 48];
    const D = Math.ceil((2 * MIN_FLOPS_PER_THREAD) / (2 * batch * H)) + 3; // X W1 just above it
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

/** Throws naming the first entry of the four parameters where Object.is(actual, expected) fails. */
function expectSameEntries(actual: Params, expected: Params, what: string): void {
  for (const name of ["W1", "b1", "W2", "b2"] as const) {
    const [a, e] = [actual[name].data, expected[name].data];
    expect(a.length, `${what} ${name}`).toBe(e.length);
    for (let i = 0; i < e.length; i++) {
      if (!Object.is(a[i], e[i])) {
        throw new Error(`${what}: ${name}[${i}] is ${a[i]}, the plain path's ${e[i]}`);
      }
    }
  }
}

describe("1 to 8 threads give the plain path's final weights, entry by entry (Object.is)", () => {
  // H = 39: up to 9 blocks of hidden units, the last of odd width (the masks' scalar column);
  // batches of 37 rows: up to 9 blocks of rows, the last of 5. Full batches of 300 rows run
  // the backward's sums over the batch past the kernels' 256-long cache block.
  const cases = [
    { activation: "relu", K: 1, batchSize: 37 },
    { activation: "leaky-relu", K: 3, batchSize: 37 },
    { activation: "tanh", K: 1, batchSize: "full" },
    { activation: "tanh", K: 3, batchSize: 37, l2: 0.01 },
    { activation: "relu", K: 3, batchSize: "full" },
    { activation: "sigmoid", K: 1, batchSize: 37 }, // no phases: products split one by one
  ] as const;
  for (const c of cases) {
    const label = `${c.activation}, ${c.K === 1 ? "sigmoid" : "softmax"} head, batch ${c.batchSize}`;
    it(label, () => {
      const [N, D, H] = [c.batchSize === "full" ? 300 : 111, 13, 39];
      const data = wideData(N, D, c.K === 1 ? 2 : 3, 11);
      const start = initParams({ inputs: D, hidden: H, outputs: c.K, init: "he", seed: 6 });
      const options: TrainOptions = {
        activation: c.activation,
        learningRate: 0.1,
        epochs: 2,
        batchSize: c.batchSize,
        seed: 8,
        ...("l2" in c ? { l2: c.l2 } : {}),
      };
      const plain = trainPlain(start, data, options);
      expect(bits(plain.params)).not.toBe(bits(start));
      expectSameEntries(
        trainFast(start, data, { ...options, threads: 1 }).params,
        plain.params,
        "1 thread",
      );
      const rows = c.batchSize === "full" ? N : c.batchSize;
      for (let threads = 2; threads <= 8; threads++) {
        const backend = createThreadedWasmBackendSync({
          capacity: runValues(rows, D, H, c.K, c.batchSize === "full" ? 2 : 3),
          threads,
          minFlopsPerThread: 0, // split everything, however small
        });
        if (!backend) throw new Error("threads unsupported here");
        const fast = trainFast(start, data, { ...options, backend });
        expectSameEntries(fast.params, plain.params, `${threads} threads`);
        expect(fast.history).toEqual(plain.history);
        if (c.activation === "sigmoid") {
          expect(backend.splitPhases).toBe(0);
          expect(backend.splitProducts).toBeGreaterThan(0);
        } else {
          expect(backend.splitPhases).toBeGreaterThan(0);
          expect(backend.splitProducts).toBe(0);
        }
      }
    });
  }
});
