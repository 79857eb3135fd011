/**
 * Plain SGD's update and the gradients' finiteness check in the backend's kernels, for runs the
 * fused step does not take (Backend.step.bindUpdate: kernels.wat's sgd_update and all_finite,
 * bound once by the fast stepper). The truth is the plain path (runs, bit for bit) and, for the
 * kernels alone, the readable loops they replace (θ − η g entry by entry; every entry finite).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { makeWorkload } from "../../src/bench/workloads.js";
import type { Backend, BoundUpdate, StepKernels } from "../../src/linalg/index.js";
import { wasmSimdSupported } from "../../src/linalg/wasm/backend.js";
import { initParams } from "../../src/nn/index.js";
import { engineBackend, type LabelledData, type TrainOptions } from "../../src/train/index.js";
import { bits } from "../helpers.js";
import { divergenceOf, trainFast, trainPlain } from "./engines.js";

// 2·300·16·784 flops per product: past the fused step's threshold (usesStepKernels).
const [N, D, H] = [300, 784, 16];
const data = (): LabelledData => makeWorkload("wide", 3, { samples: N });

/** The run's default backend with `threads`, its bound update counting its calls. */
function countingBackend(batch: number, threads: number) {
  const backend = engineBackend(N, batch, D, H, 1, threads);
  const step = backend.step;
  if (!step?.bindUpdate) throw new Error("the WebAssembly backend has no bound update");
  const calls = { bind: 0, descend: 0, check: 0 };
  const counting: StepKernels = {
    bind: (run) => step.bind(run),
    bindUpdate(run) {
      const bound = step.bindUpdate!(run);
      if (!bound) return undefined;
      calls.bind++;
      return {
        descend: (rate: number) => (calls.descend++, bound.descend(rate)),
        gradientsFinite: () => (calls.check++, bound.gradientsFinite()),
      } satisfies BoundUpdate;
    },
  };
  Object.defineProperty(backend, "step", { value: counting });
  return { backend: backend as Backend, calls };
}

describe.runIf(wasmSimdSupported())("SGD's update and check in kernels, large runs", () => {
  for (const threads of [1, 2]) {
    it(`${threads} thread(s): a run gives the plain path's bits, every step through the kernels`, () => {
      const start = initParams({ inputs: D, hidden: H, init: "he", seed: 2 });
      const options: TrainOptions = {
        activation: "relu",
        learningRate: 0.05,
        epochs: 2,
        batchSize: "full",
        seed: 1,
      };
      const { backend, calls } = countingBackend(N, threads);
      const fast = trainFast(start, data(), { ...options, backend });
      const plain = trainPlain(start, data(), options);
      expect(bits(fast.params)).toBe(bits(plain.params));
      expect(fast.history).toEqual(plain.history);
      expect(bits(fast.params)).not.toBe(bits(start));
      expect(calls.bind).toBe(1);
      expect(calls.descend).toBe(fast.steps);
      expect(calls.check).toBeGreaterThanOrEqual(fast.steps);
    });

    it(`${threads} thread(s): a diverging run stops at the plain path's step with its last good state`, () => {
      const start = initParams({ inputs: D, hidden: H, init: "he", seed: 1 });
      const options: TrainOptions = {
        activation: "relu",
        learningRate: 1e150,
        epochs: 3,
        batchSize: "full",
        seed: 1,
      };
      const { backend, calls } = countingBackend(N, threads);
      const fast = divergenceOf(() => trainFast(start, data(), { ...options, backend }));
      const plain = divergenceOf(() => trainPlain(start, data(), options));
      expect(calls.check).toBeGreaterThan(0);
      expect(fast.message).toBe(plain.message);
      expect([fast.epoch, fast.step]).toEqual([plain.epoch, plain.step]);
      expect(bits(fast.lastGood.params)).toBe(bits(plain.lastGood.params));
    });
  }

  it("the kernels alone: θ − η g bit for bit, and the checks, with ±0, ±∞, NaN and overflow", () => {
    const backend = engineBackend(N, N, D, H, 1, 1);
    const [d, h, k] = [5, 3, 2];
    const lengths = [d * h, h, h * k, k];
    const alloc = () => {
      const [W1, b1, W2, b2] = lengths.map((length) => backend.alloc(length));
      return { W1: W1!, b1: b1!, W2: W2!, b2: b2! };
    };
    const params = alloc();
    const grads = alloc();
    const bound = backend.step!.bindUpdate!({ D: d, H: h, K: k, params, grads })!;
    const value = fc.oneof(
      { weight: 6, arbitrary: fc.double({ min: -1e3, max: 1e3, noNaN: true }) },
      { weight: 1, arbitrary: fc.constantFrom(0, -0, 1e308, -1e308, Infinity, -Infinity, NaN) },
    );
    const total = lengths.reduce((a, b) => a + b);
    fc.assert(
      fc.property(
        fc.array(value, { minLength: total, maxLength: total }),
        fc.array(value, { minLength: total, maxLength: total }),
        fc.constantFrom(0.1, 2, 1e10),
        (thetas, gs, eta) => {
          const names = ["W1", "b1", "W2", "b2"] as const;
          let at = 0;
          for (const name of names) {
            params[name].set(thetas.slice(at, at + params[name].length));
            grads[name].set(gs.slice(at, at + grads[name].length));
            at += params[name].length;
          }
          expect(bound.gradientsFinite()).toBe(gs.every(Number.isFinite));
          const expected = thetas.map((t, i) => t - eta * gs[i]!);
          const finite = bound.descend(eta);
          const actual = names.flatMap((name) => Array.from(params[name]));
          expect(actual).toEqual(expected); // Object.is per entry: −0 is not +0, NaN is NaN
          expect(finite).toBe(expected.every(Number.isFinite));
        },
      ),
      { seed: 3, numRuns: 200 },
    );
  });
});
