import { describe, expect, it } from "vitest";
import { fromRows, jsBackend, toRows, type Backend } from "../../src/linalg/index.js";
import { backward, forward, initParams, tanh, type Params } from "../../src/nn/index.js";
import { makeDataset } from "../../src/data/index.js";
import { WasmBackend } from "../../src/linalg/wasm/backend.js";
import {
  engineBackend,
  gradientMemory,
  predictionMemory,
  train,
  Trainer,
  trainingMemory,
  type MemoryEstimate,
  type TrainState,
} from "../../src/train/index.js";
import {
  FILE_TEXT_BYTES_PER_NUMBER,
  HELPER_THREAD_BYTES,
  RUNTIME_BYTES,
} from "../../src/train/memory.js";

const MiB = 2 ** 20;

function term(e: MemoryEstimate, what: string): number {
  const found = [...e.terms, ...e.passes].find((t) => t.what === what);
  if (!found) throw new Error(`no term "${what}" in ${e.terms.map((t) => t.what).join(", ")}`);
  return found.bytes;
}

/** jsBackend that records the length of every buffer it hands out. */
function countingBackend(): { backend: Backend; values: () => number } {
  let total = 0;
  const backend: Backend = {
    ...jsBackend,
    name: "js-counting",
    alloc: (length) => {
      total += length;
      return jsBackend.alloc(length);
    },
    gemm: jsBackend.gemm.bind(jsBackend),
    gemmTransA: jsBackend.gemmTransA.bind(jsBackend),
    gemmTransB: jsBackend.gemmTransB.bind(jsBackend),
    reset: () => jsBackend.reset(),
  };
  return { backend, values: () => total };
}

describe("trainingMemory", () => {
  const shape = { rows: 1000, features: 2, outputs: 1, hidden: 10, batchSize: 32, threads: 1 };

  it("is the sum of its terms, largest first", () => {
    for (const engine of ["fast", "plain"] as const) {
      const e = trainingMemory({ ...shape, engine });
      expect(e.bytes).toBe(e.terms.reduce((s, t) => s + t.bytes, 0));
      const sizes = e.terms.map((t) => t.bytes);
      expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    }
  });

  it("counts the plain path's whole-set gradient in closed form: N(6H + 5K + 3) float64", () => {
    const e = trainingMemory({ ...shape, engine: "plain" });
    expect(term(e, "the whole-set gradient")).toBe(8 * 1000 * (6 * 10 + 5 * 1 + 3));
    expect(term(e, "Node")).toBe(RUNTIME_BYTES);
    // X and y as generated and shuffled (2 copies of N×(D+1)).
    expect(term(e, "the data")).toBe(8 * 2 * 1000 * 3);
  });

  it("the fast engine's workspace covers every buffer the engine allocates on its backend", () => {
    const data = makeDataset("moons", { samples: 500, seed: 1 });
    const params = initParams({ inputs: 2, hidden: 12, init: "xavier", seed: 2 });
    for (const batchSize of [32, 500]) {
      const e = trainingMemory({
        rows: 500,
        features: 2,
        outputs: 1,
        hidden: 12,
        batchSize,
        engine: "fast",
        threads: 1,
      });
      const workspace = term(e, "the fast engine's workspace");
      const options = { activation: "tanh", learningRate: 0.1, epochs: 1, batchSize } as const;
      // The default backend (WebAssembly, with the fused step and its copy of the set), its
      // buffers with their alignment padding plus the N per-example losses (a Float64Array).
      const wasm = engineBackend(500, batchSize, 2, 12, 1, 1);
      if (wasm instanceof WasmBackend) {
        train(params, data, { ...options, backend: wasm });
        const allocated = 8 * (wasm.used + 500);
        expect(workspace).toBeGreaterThanOrEqual(allocated);
        expect(workspace - allocated).toBeLessThanOrEqual(8 * 40); // one value of slack a buffer
      }
      // A backend without the fused step allocates less: covered too.
      const { backend, values } = countingBackend();
      train(params, data, { ...options, backend });
      expect(workspace).toBeGreaterThanOrEqual(8 * (values() + 500));
    }
  });

  it("the whole-set gradient covers the plain path's arrays that outlive the pass", () => {
    const N = 300;
    const H = 7;
    const { X, y } = makeDataset("moons", { samples: N, seed: 3 });
    const params = initParams({ inputs: 2, hidden: H, init: "xavier", seed: 4 });
    const cache = forward(params, X, tanh);
    const grads = backward(params, cache, X, y, tanh);
    const kept = [cache.z1, cache.a1, cache.z2, cache.p, grads.dW1, grads.db1, grads.dW2, grads.db2]
      .map((m) => m.data.byteLength)
      .reduce((a, b) => a + b);
    const e = trainingMemory({
      rows: N,
      features: 2,
      outputs: 1,
      hidden: H,
      batchSize: N,
      engine: "plain",
      threads: 1,
    });
    // The pass keeps z1, a1 (N×H) and makes three more N×H (δ2 W2ᵀ, f′(z1), δ1) and X W1.
    expect(term(e, "the whole-set gradient")).toBeGreaterThanOrEqual(kept + 4 * N * H * 8);
  });

  it("the largest array is N×H for a wide network, and helper threads are counted", () => {
    const e = trainingMemory({
      rows: 100_000,
      features: 2,
      outputs: 1,
      hidden: 100_000,
      batchSize: 32,
      engine: "fast",
      threads: 64,
    });
    expect(e.largestArray).toBe(1e10);
    expect(term(e, "Node and its helper threads")).toBe(RUNTIME_BYTES + 63 * HELPER_THREAD_BYTES);
    expect(e.bytes).toBeGreaterThan(100_000 * 100_000 * 3 * 8);
  });

  it("validation rows and standardisation add their copies and passes", () => {
    const base = { ...shape, engine: "plain" as const };
    const split = trainingMemory({ ...base, validationRows: 250, standardize: true });
    // N×(D+1) generated, shuffled and split (3 copies) plus the standardised N×D.
    expect(term(split, "the data")).toBe(8 * (3 * 1000 * 3 + 1000 * 2));
    expect(split.bytes).toBeLessThan(trainingMemory(base).bytes + 1 * MiB);
  });
});

describe("trainingMemory: the optimizer's state", () => {
  const D = 2;
  const H = 9;
  const P = D * H + H + H * 1 + 1; // parameters of a 2→9→1 network
  const base = { rows: 200, features: D, outputs: 1, hidden: H, batchSize: 20, threads: 1 };

  const values = (p: Params): number =>
    p.W1.data.length + p.b1.data.length + p.W2.data.length + p.b2.data.length;

  /** Float64 values of the moments a state hands out (with θ and with the last good θ). */
  function momentValues(state: TrainState): number {
    const sets: Params[] = [];
    for (const s of [state.optimizer, state.lastGoodOptimizer]) {
      if (s?.name === "adam") sets.push(s.m, s.v);
      if (s?.name === "momentum" || s?.name === "nesterov") sets.push(s.velocity);
    }
    return sets.reduce((n, p) => n + values(p), 0);
  }

  it.each(["sgd", "momentum", "nesterov", "adam"] as const)(
    "%s: counts the moments a run really holds (the engine's and the copies a state() hands out) and the best epoch's parameters",
    (optimizer) => {
      const all = makeDataset("moons", { samples: 250, seed: 1 });
      const rows = (from: number, to: number) => ({
        X: fromRows(toRows(all.X).slice(from, to)),
        y: fromRows(toRows(all.y).slice(from, to)),
      });
      const params = initParams({ inputs: D, hidden: H, init: "xavier", seed: 2 });
      for (const engine of ["fast", "plain"] as const) {
        for (const patience of [undefined, 2]) {
          const trainer = new Trainer(params, rows(0, 200), {
            activation: "tanh",
            learningRate: 0.05,
            epochs: 2,
            batchSize: 20,
            optimizer,
            engine,
            validation: rows(200, 250),
            ...(patience === undefined ? {} : { patience }),
          });
          const { state } = trainer.run();
          // What the engine holds itself: the same moments with θ and with the last good θ
          // (their copies are what the state hands out), and, on the plain engine, a step's new
          // ones before the old are dropped: one more of each.
          const handedOut = momentValues(state);
          const stepper = trainer.stepper;
          const held =
            momentValues({
              ...state,
              optimizer: stepper.optimizerState(),
              lastGoodOptimizer: stepper.keptOptimizerState(),
            } as TrainState) + (engine === "plain" ? handedOut / 2 : 0);
          // The best epoch's parameters: the Trainer's, and the copy the state hands out.
          const best = state.best ? 2 * values(state.best.params) : 0;
          const estimate = trainingMemory({
            ...base,
            validationRows: 50,
            engine,
            optimizer,
            earlyStopping: patience !== undefined,
          });
          const counted =
            estimate.terms.find((t) => t.what === "the optimizer's state")?.bytes ?? 0;
          expect(counted).toBe((handedOut + held + best) * 8);
          if (optimizer === "sgd" && patience === undefined) expect(counted).toBe(0);
        }
      }
    },
  );

  it("4× the parameters per moment (momentum, nesterov: v; adam: m, v); 5× on the plain engine", () => {
    const bytes = (
      optimizer: "sgd" | "momentum" | "adam",
      engine: "fast" | "plain",
      earlyStopping = false,
    ) => trainingMemory({ ...base, engine, optimizer, earlyStopping }).bytes;
    // Each moment set: its copies in memory, and two more sets in a checkpoint's text (with θ
    // and with the last good θ); the best epoch: two copies, and one set in the text.
    const text = FILE_TEXT_BYTES_PER_NUMBER;
    expect(bytes("momentum", "fast") - bytes("sgd", "fast")).toBe(4 * P * 8 + 2 * P * text);
    expect(bytes("adam", "fast") - bytes("sgd", "fast")).toBe(8 * P * 8 + 4 * P * text);
    expect(bytes("adam", "plain") - bytes("sgd", "plain")).toBe(10 * P * 8 + 4 * P * text);
    expect(bytes("sgd", "fast", true) - bytes("sgd", "fast")).toBe(2 * P * 8 + P * text);
    expect(bytes("sgd", "fast")).toBe(trainingMemory({ ...base, engine: "fast" }).bytes);
  });
});

describe("the commands' estimates", () => {
  it("predict counts its JSON output and the --out file's text", () => {
    const shape = { rows: 1000, features: 3, outputs: 4, hidden: 8 };
    const plain = predictionMemory(shape);
    const out = predictionMemory(shape, true);
    expect(plain.longestText).toBe(1000 * 5 * 32);
    expect(out.bytes - plain.bytes).toBe(term(plain, "the JSON output"));
  });

  it("grad's text grows with the gradient's entries, not the rows", () => {
    const small = gradientMemory({ rows: 10, features: 30, outputs: 1, hidden: 100 });
    const many = gradientMemory({ rows: 10_000, features: 30, outputs: 1, hidden: 100 });
    expect(small.longestText).toBe((30 * 100 + 100 + 100 + 1) * 32);
    expect(many.longestText).toBe(small.longestText);
  });
});
