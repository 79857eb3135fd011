import { describe, expect, it } from "vitest";
import { makeWorkload } from "../../src/bench/workloads.js";
import { makeDataset, splitDataset } from "../../src/data/index.js";
import {
  fastestBackend,
  fromRows,
  jsBackend,
  type Backend,
  type TanhKernels,
} from "../../src/linalg/index.js";
import { wasmSimdSupported } from "../../src/linalg/wasm/backend.js";
import { ACTIVATION_NAMES, initParams, runValues, type Params } from "../../src/nn/index.js";
import { DivergenceError, train, type TrainOptions } from "../../src/train/index.js";
import { bits } from "../helpers.js";
import { divergenceOf, trainFast, trainPlain } from "./engines.js";

/** A two-class (K = 1) or three-class (K = 3) problem with a validation split. */
function problem(K: 1 | 3, seed: number) {
  const data = makeDataset(K === 1 ? "moons" : "blobs", {
    samples: 150,
    seed,
    ...(K === 3 ? { classes: 3 } : {}),
  });
  const { train: rows, validation } = splitDataset(data, 0.2, seed);
  return { rows, validation };
}

describe("trainFast agrees bit for bit with trainPlain", () => {
  for (const activation of ACTIVATION_NAMES) {
    for (const K of [1, 3] as const) {
      for (const batchSize of ["full", 16, 7] as const) {
        it(`${activation}, K = ${K}, batch ${batchSize}: parameters, history and steps`, () => {
          const { rows, validation } = problem(K, 3);
          const start = initParams({ inputs: 2, hidden: 6, outputs: K, init: "xavier", seed: 5 });
          const options: TrainOptions = {
            activation,
            learningRate: 0.3,
            epochs: 5,
            batchSize,
            seed: 11,
            validation,
          };
          const plain = trainPlain(start, rows, options);
          const fast = trainFast(start, rows, options);
          expect(bits(fast.params)).toBe(bits(plain.params));
          expect(fast.history).toEqual(plain.history);
          expect(fast.steps).toBe(plain.steps);
          // Training moved the parameters: the agreement is not that of two no-ops.
          expect(bits(fast.params)).not.toBe(bits(start));
        });
      }
    }
  }

  it("on the tab workload's shapes (D = 30, H = 64, relu, batches of 64, unshuffled too)", () => {
    const w = makeWorkload("tab", 2, { samples: 700 });
    const start = initParams({ inputs: 30, hidden: 64, init: "he", seed: 2 });
    for (const shuffle of [true, false]) {
      const options: TrainOptions = {
        activation: "relu",
        learningRate: 0.1,
        epochs: 2,
        batchSize: 64,
        shuffle,
        seed: 3,
      };
      const fast = trainFast(start, w, options);
      expect(bits(fast.params)).toBe(bits(trainPlain(start, w, options).params));
    }
  });

  it("relu and leaky relu in the WebAssembly rectifier kernels: odd H, K = 1 and 3, batch 1", () => {
    const backend = fastestBackend(1 << 16);
    expect(backend.rectifiers).toBeDefined(); // the kernels, not the JavaScript loops, run here
    for (const activation of ["relu", "leaky-relu"] as const) {
      for (const [K, hidden, batchSize] of [
        [1, 7, 5],
        [3, 9, 1],
        [1, 1, "full"],
      ] as const) {
        const { rows, validation } = problem(K, 8);
        const start = initParams({ inputs: 2, hidden, outputs: K, init: "he", seed: 6 });
        const options: TrainOptions = {
          activation,
          learningRate: 0.2,
          epochs: 3,
          batchSize,
          seed: 2,
          validation,
        };
        backend.reset();
        const fast = trainFast(start, rows, { ...options, backend });
        const plain = trainPlain(start, rows, options);
        expect(bits(fast.params)).toBe(bits(plain.params));
        expect(fast.history).toEqual(plain.history);
        expect(bits(fast.params)).not.toBe(bits(start));
      }
    }
  });

  it("with a wide layer (D = 200 > one cache block of p, H = 130 not a multiple of the tile)", () => {
    const w = makeWorkload("wide", 4, { samples: 90 });
    const X = w.X; // 90×784: keep 200 columns
    const D = 200;
    const narrow = new Float64Array(90 * D);
    for (let i = 0; i < 90; i++) narrow.set(X.data.subarray(i * 784, i * 784 + D), i * D);
    const data = { X: { rows: 90, cols: D, data: narrow }, y: w.y };
    const start = initParams({ inputs: D, hidden: 130, init: "he", seed: 4 });
    const options: TrainOptions = {
      activation: "relu",
      learningRate: 0.05,
      epochs: 2,
      batchSize: 32,
      seed: 1,
    };
    expect(bits(trainFast(start, data, options).params)).toBe(
      bits(trainPlain(start, data, options).params),
    );
  });

  it("diverges the same way: same message, epoch, step and last good parameters", () => {
    const { rows } = problem(1, 6);
    const start = initParams({ inputs: 2, hidden: 8, init: "he", seed: 6 });
    const options: TrainOptions = {
      activation: "relu",
      learningRate: 1e155,
      epochs: 5,
      batchSize: 8,
      seed: 2,
    };
    const plain = divergenceOf(() => trainPlain(start, rows, options));
    const fast = divergenceOf(() => trainFast(start, rows, options));
    expect(fast).toBeInstanceOf(DivergenceError);
    expect(fast.message).toBe(plain.message);
    expect([fast.epoch, fast.step, fast.lastGoodEpoch]).toEqual([
      plain.epoch,
      plain.step,
      plain.lastGoodEpoch,
    ]);
    expect(bits(fast.lastGood.params)).toBe(bits(plain.lastGood.params));
    expect(fast.lastGood.history).toEqual(plain.lastGood.history);
  });

  it("train() runs the fast engine by default and the plain one on request, with the same result", () => {
    const { rows } = problem(1, 8);
    const start = initParams({ inputs: 2, hidden: 4, init: "xavier", seed: 8 });
    const options: TrainOptions = {
      activation: "tanh",
      learningRate: 0.5,
      epochs: 3,
      batchSize: 10,
    };
    const calls: string[] = [];
    const counting: Backend = { ...countingBackend(calls) };
    const viaDefault = train(start, rows, { ...options, backend: counting });
    expect(calls.length).toBeGreaterThan(0); // the default went through the backend
    expect(bits(train(start, rows, { ...options, engine: "plain" }).params)).toBe(
      bits(viaDefault.params),
    );
    expect(() => train(start, rows, { ...options, engine: "turbo" as "fast" })).toThrow(
      /unknown engine/,
    );
  });
});

/** jsBackend with every call logged by name. */
function countingBackend(calls: string[]): Backend {
  return {
    name: "counting",
    alloc: (length) => {
      calls.push("alloc");
      return jsBackend.alloc(length);
    },
    reset: () => jsBackend.reset(),
    gemm: (m, k, n, A, B, C) => {
      calls.push("gemm");
      jsBackend.gemm(m, k, n, A, B, C);
    },
    gemmTransA: (m, k, n, A, B, C) => {
      calls.push("gemmTransA");
      jsBackend.gemmTransA(m, k, n, A, B, C);
    },
    gemmTransB: (m, k, n, A, B, C) => {
      calls.push("gemmTransB");
      jsBackend.gemmTransB(m, k, n, A, B, C);
    },
  };
}

describe("the start-of-run gradient check (bounded from the forward pass, summed when not proven finite)", () => {
  // Features of magnitude s, weights chosen so that the loss stays finite: from s = 1e200 the
  // bound proves the gradient finite; around 1e302 it does not and the engine sums it (finite);
  // near 1e308 Xᵀ δ1 overflows. Both engines must decide alike, mini-batch and full batch.
  for (const scale of [1, 1e200, 1e302, 1e306, 1.7e308]) {
    it(`features of magnitude ${scale}: the same error or the same result as trainPlain`, () => {
      const X = fromRows([[scale], [scale / 2], [-scale], [scale / 4]]);
      const y = fromRows([[1], [0], [1], [0]]);
      const start: Params = {
        W1: fromRows([[1e-300, -2e-300]]),
        b1: fromRows([[0, 0]]),
        W2: fromRows([[100], [-50]]),
        b2: fromRows([[0]]),
      };
      for (const batchSize of [2, "full"] as const) {
        const options: TrainOptions = {
          activation: "leaky-relu",
          learningRate: 1e-9,
          epochs: 1,
          batchSize,
          shuffle: false,
        };
        const outcome = (run: () => { params: Params }) => {
          try {
            return bits(run().params);
          } catch (error) {
            return (error as Error).message;
          }
        };
        const plain = outcome(() => trainPlain(start, { X, y }, options));
        expect(
          outcome(() => trainFast(start, { X, y }, options)),
          `batch ${batchSize}`,
        ).toBe(plain);
        if (scale === 1.7e308) expect(plain).toMatch(/gradient at the starting model overflows/);
        if (scale <= 1e306) expect(plain).not.toMatch(/starting model/); // may diverge later
      }
    });
  }
});

describe("the engine allocates its buffers once per run, never per step", () => {
  for (const batchSize of ["full", 9] as const) {
    it(`batch ${batchSize}: the same buffers whatever the number of epochs and steps`, () => {
      const { rows, validation } = problem(3, 9);
      const start = initParams({ inputs: 2, hidden: 5, outputs: 3, init: "xavier", seed: 9 });
      const count = (epochs: number) => {
        const calls: string[] = [];
        const result = trainFast(start, rows, {
          activation: "sigmoid",
          learningRate: 0.2,
          epochs,
          batchSize,
          validation,
          backend: countingBackend(calls),
        });
        return {
          allocs: calls.filter((c) => c === "alloc").length,
          products: calls.length,
          steps: result.steps,
        };
      };
      const short = count(1);
      const long = count(6);
      expect(long.steps).toBeGreaterThan(short.steps);
      expect(long.products).toBeGreaterThan(short.products); // the steps did run on the backend
      expect(long.allocs).toBe(short.allocs);
    });
  }
});

describe("the default backend: WebAssembly SIMD sized for the run", () => {
  it("runValues is exactly what a run allocates (with one value of alignment slack per buffer)", () => {
    for (const [K, batchSize, fullBatch] of [
      [1, "full", true],
      [1, 7, false],
      [3, "full", true],
      [3, 5, false],
    ] as const) {
      const { rows } = problem(K === 1 ? 1 : 3, 11);
      const start = initParams({ inputs: 2, hidden: 6, outputs: K, init: "xavier", seed: 3 });
      let allocated = 0;
      let buffers = 0;
      const measuring: Backend = {
        name: "measuring",
        reset: () => jsBackend.reset(),
        gemm: (...args) => jsBackend.gemm(...args),
        gemmTransA: (...args) => jsBackend.gemmTransA(...args),
        gemmTransB: (...args) => jsBackend.gemmTransB(...args),
        alloc: (length) => {
          allocated += length;
          buffers++;
          return jsBackend.alloc(length);
        },
      };
      trainFast(start, rows, {
        activation: "tanh",
        learningRate: 0.1,
        epochs: 1,
        batchSize,
        backend: measuring,
      });
      const batch = batchSize === "full" ? rows.X.rows : batchSize;
      expect(runValues(batch, 2, 6, K, fullBatch ? 2 : 3)).toBe(allocated + buffers);
    }
  });

  it("trains in a WebAssembly memory of exactly that size, bit-identical to the plain path", () => {
    const { rows, validation } = problem(3, 12);
    const start = initParams({ inputs: 2, hidden: 7, outputs: 3, init: "xavier", seed: 4 });
    const options: TrainOptions = {
      activation: "relu",
      learningRate: 0.3,
      epochs: 4,
      batchSize: 6,
      validation,
    };
    const wasm = fastestBackend(runValues(6, 2, 7, 3, 3));
    expect(wasm.name).toBe(wasmSimdSupported() ? "wasm-simd" : jsBackend.name);
    const fast = trainFast(start, rows, { ...options, backend: wasm });
    const plain = train(start, rows, { ...options, engine: "plain" });
    expect(bits(fast.params)).toBe(bits(plain.params));
    expect(fast.history).toEqual(plain.history);
  });
});

describe("tanh on the WebAssembly backend: its own kernels, bit-identical to trainPlain", () => {
  it.runIf(wasmSimdSupported())(
    "odd and even H, full batch and mini-batches, and the toy workload's shape (H = 16, full batch)",
    () => {
      const cases = [
        { hidden: 7, batchSize: 9 as const, samples: 0 },
        { hidden: 8, batchSize: "full" as const, samples: 0 },
        { hidden: 16, batchSize: "full" as const, samples: 300 },
      ];
      for (const { hidden, batchSize, samples } of cases) {
        const data = samples > 0 ? makeWorkload("toy", 1, { samples }) : problem(1, 13).rows;
        const N = data.X.rows;
        const start = initParams({ inputs: 2, hidden, init: "xavier", seed: 9 });
        const options: TrainOptions = {
          activation: "tanh",
          learningRate: 0.5,
          epochs: 4,
          batchSize,
          seed: 2,
        };
        const batch = batchSize === "full" ? N : batchSize;
        const wasm = fastestBackend(runValues(batch, 2, hidden, 1, batchSize === "full" ? 2 : 3));
        let kernelCalls = 0;
        const tanhKernels = wasm.tanh;
        if (!tanhKernels) throw new Error("the WebAssembly backend has no tanh kernels");
        const counting: Backend = Object.assign(Object.create(wasm) as Backend, {
          tanh: {
            biasTanh: (...args: Parameters<TanhKernels["biasTanh"]>) => {
              kernelCalls++;
              tanhKernels.biasTanh(...args);
            },
            tanhDerivativeMask: (...args: Parameters<TanhKernels["tanhDerivativeMask"]>) =>
              tanhKernels.tanhDerivativeMask(...args),
          },
          step: undefined, // the kernels one by one, not the fused step (test/train/fused-step.test.ts)
        });
        const fast = trainFast(start, data, { ...options, backend: counting });
        const plain = trainPlain(start, data, options);
        expect(kernelCalls).toBeGreaterThan(0); // the WebAssembly kernel did the forward passes
        expect(bits(fast.params)).toBe(bits(plain.params));
        expect(fast.history).toEqual(plain.history);
        expect(bits(fast.params)).not.toBe(bits(start));
      }
    },
  );
});
