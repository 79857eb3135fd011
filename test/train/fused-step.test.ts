/**
 * The fused small-shape step (Backend.step: kernels.wat's "step" section, bound once per run by
 * the fast stepper) gives the plain path's bits: final parameters, history, steps and optimizer
 * state, for toy- and tab-like shapes, relu, leaky relu and tanh (tanh′ stored by the forward
 * pass), the sigmoid head (in WebAssembly, with the forward and backward passes: one call per
 * step) and the softmax head, sgd, momentum and Adam (updated by the fused step's
 * kernels, the moments in the backend's memory), L2 and the clip, shuffled, unshuffled and full batches. The backend's step kernels are
 * wrapped to count their calls, so that each agreement is the fused step's.
 */
import { describe, expect, it } from "vitest";
import { makeWorkload } from "../../src/bench/workloads.js";
import { makeDataset } from "../../src/data/index.js";
import { matrix, type Backend, type BoundStep, type StepKernels } from "../../src/linalg/index.js";
import { wasmSimdSupported } from "../../src/linalg/wasm/backend.js";
import { initParams, type ActivationName, type Params } from "../../src/nn/index.js";
import {
  engineBackend,
  type LabelledData,
  type OptimizerState,
  type TrainOptions,
  type TrainResult,
} from "../../src/train/index.js";
import { bits } from "../helpers.js";
import { divergenceOf, trainFast, trainPlain } from "./engines.js";

interface Calls {
  bind: number;
  forward: number;
  backward: number;
  update: number;
  /** Calls with the sigmoid head in WebAssembly (forwardSigmoid, stepSigmoid: K = 1). */
  head: number;
  /** forward() calls, whose output layer then runs in JavaScript (K ≥ 2). */
  headless: number;
}

/** The run's default backend (engineBackend, one thread), its fused step counting its calls. */
function countingBackend(data: LabelledData, batch: number, H: number, K: number) {
  const wasm = engineBackend(data.X.rows, batch, data.X.cols, H, K, 1);
  const step = wasm.step;
  if (!step) throw new Error("the WebAssembly backend has no fused step");
  const calls: Calls = { bind: 0, forward: 0, backward: 0, update: 0, head: 0, headless: 0 };
  const counting: StepKernels = {
    bind(run) {
      const bound = step.bind(run);
      if (!bound) return undefined;
      calls.bind++;
      const { forwardSigmoid, stepSigmoid } = bound;
      return {
        forward: (...args: Parameters<BoundStep["forward"]>) => {
          calls.forward++;
          calls.headless++;
          bound.forward(...args);
        },
        ...(forwardSigmoid && {
          forwardSigmoid: (n: number, inverseN: number) => {
            calls.forward++;
            calls.head++;
            return forwardSigmoid(n, inverseN);
          },
        }),
        ...(stepSigmoid && {
          stepSigmoid: (n: number, inverseN: number, l2: number) => {
            calls.forward++;
            calls.backward++;
            calls.head++;
            return stepSigmoid(n, inverseN, l2);
          },
        }),
        backward: (...args: Parameters<BoundStep["backward"]>) => {
          calls.backward++;
          return bound.backward(...args);
        },
        moments: bound.moments,
        descend: (...args: Parameters<BoundStep["descend"]>) => {
          calls.update++;
          return bound.descend(...args);
        },
        momentum: (...args: Parameters<BoundStep["momentum"]>) => {
          calls.update++;
          return bound.momentum(...args);
        },
        adam: (...args: Parameters<BoundStep["adam"]>) => {
          calls.update++;
          return bound.adam(...args);
        },
      };
    },
  };
  // On the backend itself (not a wrapper inheriting from it): bind allocates through it.
  Object.defineProperty(wasm, "step", { value: counting });
  return { backend: wasm as Backend, calls };
}

function stateBits(state: OptimizerState | undefined): string {
  if (state === undefined || state.name === "sgd") return "sgd";
  if (state.name === "adam") return `adam ${state.t} ${bits(state.m)} ${bits(state.v)}`;
  return `${state.name} ${bits(state.velocity)}`;
}

function expectSameRun(fast: TrainResult, plain: TrainResult, start: Params, what: string) {
  expect(bits(fast.params), what).toBe(bits(plain.params));
  expect(fast.history, what).toEqual(plain.history);
  expect(fast.steps, what).toBe(plain.steps);
  expect(stateBits(fast.state.optimizer), what).toBe(stateBits(plain.state.optimizer));
  expect(bits(fast.params), what).not.toBe(bits(start)); // training moved them
}

/**
 * Trains `data` on both engines (the fast one on the counting backend) and expects the same
 * run, with the fused step doing every training-set pass: a forward per step and per
 * evaluation batch, a backward per step, and the optimizer's update per step.
 */
function expectFusedAgrees(
  data: LabelledData,
  H: number,
  K: number,
  options: TrainOptions,
  what: string,
): Calls {
  const N = data.X.rows;
  const batch =
    options.batchSize === "full" || options.batchSize === undefined ? N : options.batchSize;
  const start = initParams({ inputs: data.X.cols, hidden: H, outputs: K, init: "xavier", seed: 4 });
  const { backend, calls } = countingBackend(data, batch, H, K);
  const fast = trainFast(start, data, { ...options, backend });
  const plain = trainPlain(start, data, options);
  expectSameRun(fast, plain, start, what);
  expect(calls.bind, what).toBe(1);
  expect(calls.backward, what).toBeGreaterThanOrEqual(fast.steps);
  expect(calls.forward, what).toBeGreaterThanOrEqual(batch === N ? 1 : fast.steps);
  expect(calls.update, what).toBe(fast.steps);
  if (K === 1) {
    // the sigmoid head in WebAssembly: every step's, and every evaluation's
    expect(calls.headless, what).toBe(0);
    expect(calls.head, what).toBeGreaterThanOrEqual(fast.steps);
  }
  return calls;
}

const toy = (samples: number): LabelledData => makeWorkload("toy", 1, { samples });
const tab = (samples: number): LabelledData => makeWorkload("tab", 2, { samples });
const blobs = (samples: number): LabelledData =>
  makeDataset("blobs", { samples, seed: 5, classes: 3 });
const FUSED: readonly ActivationName[] = ["relu", "leaky-relu", "tanh"];

describe.runIf(wasmSimdSupported())(
  "the fused small-shape step agrees bit for bit with the plain path",
  () => {
    for (const activation of FUSED) {
      it(`${activation}: the toy shape (D = 2, H = 16, full batch) and the tab shape (D = 30, H = 64, batches of 64, shuffled and in order)`, () => {
        expectFusedAgrees(
          toy(300),
          16,
          1,
          { activation, learningRate: 0.5, epochs: 5, batchSize: "full" },
          "toy",
        );
        for (const shuffle of [true, false]) {
          const options = {
            activation,
            learningRate: 0.1,
            epochs: 2,
            batchSize: 64,
            shuffle,
            seed: 3,
          } as const;
          expectFusedAgrees(tab(300), 64, 1, options, `tab, shuffle ${shuffle}`);
        }
      });

      it(`${activation}: the softmax head (K = 3), odd H and batch sizes, a batch of 1, a validation set`, () => {
        const validation = blobs(40);
        for (const [H, batchSize] of [
          [7, 9],
          [1, 5],
          [9, 1],
          [6, "full"],
        ] as const) {
          const options: TrainOptions = {
            activation,
            learningRate: 0.2,
            epochs: 3,
            batchSize,
            seed: 7,
            validation,
          };
          expectFusedAgrees(blobs(60), H, 3, options, `H = ${H}, batch ${batchSize}`);
        }
      });

      it(`${activation}: momentum, nesterov and Adam, L2 and the clip`, () => {
        for (const extra of [
          { optimizer: "momentum", momentum: 0.9, l2: 0.01 },
          { optimizer: "adam", l2: 0.02, clipNorm: 0.3 },
          { optimizer: "sgd", l2: 0.05, clipNorm: 0.1 },
          { optimizer: "nesterov", schedule: "step", decayEvery: 1 },
        ] as const) {
          const options: TrainOptions = {
            activation,
            learningRate: 0.05,
            epochs: 2,
            batchSize: 37,
            seed: 2,
            ...extra,
          };
          expectFusedAgrees(tab(200), 10, 1, options, `tab, ${extra.optimizer}`);
          expectFusedAgrees(
            blobs(80),
            8,
            3,
            { ...options, batchSize: "full" },
            `blobs, ${extra.optimizer}`,
          );
        }
      });
    }

    it("tanh with saturated units (|z1| > 20, where the forward pass computes tanh′ apart) and units at 0", () => {
      const data = toy(120);
      const X = Float64Array.from(data.X.data, (x, i) => (i % 7 === 0 ? 0 : x * 60));
      const scaled = { X: matrix(data.X.rows, data.X.cols, X), y: data.y };
      for (const batchSize of ["full", 16] as const) {
        const options: TrainOptions = {
          activation: "tanh",
          learningRate: 0.05,
          epochs: 3,
          batchSize,
          seed: 1,
        };
        expectFusedAgrees(scaled, 16, 1, options, `batch ${batchSize}`);
      }
    });

    it("a run that diverges stops at the same step with the same last good state", () => {
      const data = tab(200);
      const start = initParams({ inputs: 30, hidden: 12, init: "he", seed: 1 });
      const options: TrainOptions = {
        activation: "relu",
        learningRate: 1e150,
        epochs: 3,
        batchSize: 20,
        seed: 1,
      };
      const { backend, calls } = countingBackend(data, 20, 12, 1);
      const fast = divergenceOf(() => trainFast(start, data, { ...options, backend }));
      const plain = divergenceOf(() => trainPlain(start, data, options));
      expect(calls.backward).toBeGreaterThan(0);
      expect(fast.message).toBe(plain.message);
      expect([fast.epoch, fast.step]).toEqual([plain.epoch, plain.step]);
      expect(bits(fast.lastGood.params)).toBe(bits(plain.lastGood.params));
    });

    it("sigmoid hidden units have no fused kernel: the fast path runs its kernels one by one", () => {
      const data = tab(100);
      const start = initParams({ inputs: 30, hidden: 8, init: "xavier", seed: 2 });
      const options: TrainOptions = {
        activation: "sigmoid",
        learningRate: 0.3,
        epochs: 2,
        batchSize: 16,
        seed: 4,
      };
      const { backend, calls } = countingBackend(data, 16, 8, 1);
      const fast = trainFast(start, data, { ...options, backend });
      expect(calls).toEqual({ bind: 0, forward: 0, backward: 0, update: 0, head: 0, headless: 0 });
      expect(bits(fast.params)).toBe(bits(trainPlain(start, data, options).params));
    });
  },
);
