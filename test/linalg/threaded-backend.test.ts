import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fastestBackend, matrix, type Backend } from "../../src/linalg/index.js";
import { resolveThreads } from "../../src/linalg/fastest.js";
import { Worker } from "node:worker_threads";
import {
  attachHelpers,
  availableCores,
  HelperChannel,
} from "../../src/linalg/wasm/helper-thread.js";
import {
  createThreadedWasmBackendSync,
  kernelBytes,
  MIN_FLOPS_PER_THREAD,
  ThreadedWasmBackend,
  threadsSupported,
} from "../../src/linalg/wasm/index.js";
import { PANEL_BYTES } from "../../src/linalg/wasm/backend.js";
import { expectSameBits, type Op, shapes, oracle } from "./same-bits.js";

// kernels.ts is the oracle. Splitting C's rows between threads leaves every entry's sum (one
// accumulator, p ascending) to a single thread, so the results must agree bit for bit.

/** op on the backend (fresh buffers, C poisoned with NaN first) against kernels.ts. */
function agrees(
  backend: Backend,
  op: Op,
  m: number,
  k: number,
  n: number,
  a: Float64Array,
  b: Float64Array,
) {
  const { a: sa, b: sb } = shapes(op, m, k, n);
  backend.reset();
  const A = backend.alloc(a.length);
  const B = backend.alloc(b.length);
  const C = backend.alloc(m * n);
  A.set(a);
  B.set(b);
  C.fill(NaN); // every thread's rows must be overwritten
  backend[op](m, k, n, A, B, C);
  expectSameBits(C.slice(), oracle(op, matrix(sa[0], sa[1], a), matrix(sb[0], sb[1], b)).data);
}

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  };
}

function randomOperands(op: Op, m: number, k: number, n: number, seed: number) {
  const { a: sa, b: sb } = shapes(op, m, k, n);
  const random = lcg(seed);
  return {
    a: Float64Array.from({ length: sa[0] * sa[1] }, random),
    b: Float64Array.from({ length: sb[0] * sb[1] }, random),
  };
}

const entry = fc.oneof(
  { weight: 8, arbitrary: fc.double({ min: -100, max: 100, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -0, 5e-324, -2.5e-308, 1e300, -1e300, 1, -1) },
);

/** A threaded backend that splits every product it can (no least work per thread). */
function splitting(threads: number, capacity = 1 << 20): ThreadedWasmBackend {
  const backend = createThreadedWasmBackendSync({ capacity, threads, minFlopsPerThread: 0 });
  if (!backend) throw new Error("threads unsupported here");
  return backend;
}

describe("threaded WebAssembly backend: products split by rows of C", () => {
  it("is available on Node 20 and names its threads", () => {
    expect(threadsSupported()).toBe(true);
    const backend = splitting(2, 100);
    expect(backend.name).toBe("wasm-simd ×2 threads");
    expect(backend.threads).toBe(2);
  });

  it.each([2, 3])(
    "agrees bit for bit with kernels.ts on odd and small shapes, %i threads (fast-check)",
    (threads) => {
      // One backend at a time holds the helpers: a newer one would detach this one.
      const backend = splitting(threads);
      fc.assert(
        fc.property(
          fc
            .record({
              op: fc.constantFrom<Op>("gemm", "gemmTransA", "gemmTransB"),
              m: fc.integer({ min: 1, max: 37 }),
              k: fc.integer({ min: 1, max: 11 }),
              n: fc.integer({ min: 1, max: 13 }),
            })
            .chain((s) =>
              fc.record({
                s: fc.constant(s),
                a: fc.array(entry, { minLength: s.m * s.k, maxLength: s.m * s.k }),
                b: fc.array(entry, { minLength: s.k * s.n, maxLength: s.k * s.n }),
              }),
            ),
          ({ s, a, b }) => {
            const before = backend.splitProducts;
            agrees(backend, s.op, s.m, s.k, s.n, Float64Array.from(a), Float64Array.from(b));
            // m ≥ 8 gives two threads blocks of at least 4 rows: the product was split.
            expect(backend.splitProducts - before).toBe(s.m >= 8 ? 1 : 0);
          },
        ),
        { seed: 7 + threads, numRuns: 300 },
      );
    },
  );

  it("agrees bit for bit on deep products (k past the kernels' 256-long cache block)", () => {
    const backend = splitting(2);
    fc.assert(
      fc.property(
        fc.record({
          op: fc.constantFrom<Op>("gemm", "gemmTransA", "gemmTransB"),
          m: fc.integer({ min: 8, max: 90 }),
          k: fc.integer({ min: 1, max: 600 }),
          n: fc.integer({ min: 1, max: 40 }),
          seed: fc.integer(),
        }),
        ({ op, m, k, n, seed }) => {
          const { a, b } = randomOperands(op, m, k, n, seed);
          agrees(backend, op, m, k, n, a, b);
        },
      ),
      { seed: 8, numRuns: 40 },
    );
  });

  it("3 threads packing panels at once, each in its own scratch: bit for bit on the wide shapes", () => {
    // Every thread's block has ≥ 8 rows, so each packs its panels (kernels.wat "wide
    // products") at the same time: a shared scratch would mix the threads' panels.
    const backend = splitting(3);
    expect(backend.alloc(2).byteOffset).toBe(3 * PANEL_BYTES); // the three scratches first
    for (const [op, m, k, n] of [
      ["gemm", 128, 784, 256],
      ["gemmTransA", 784, 128, 256],
      ["gemm", 40, 300, 37],
    ] as const) {
      const { a, b } = randomOperands(op, m, k, n, m + k + n);
      agrees(backend, op, m, k, n, a, b);
    }
  });

  it.each([
    ["gemm", 128, 784, 256], // wide: z1 = X W1
    ["gemmTransA", 784, 128, 256], // wide: dW1 = Xᵀ δ1
    ["gemmTransB", 128, 1, 256], // wide: δ2 W2ᵀ
    ["gemmTransA", 30, 64, 64], // tab: dW1 (30 rows: blocks of 16 and 14)
    ["gemm", 1000, 2, 16], // toy
  ] as const)("agrees bit for bit on the workload shape %s %i×%i×%i", (op, m, k, n) => {
    const backend = splitting(2, 1 << 19);
    const { a, b } = randomOperands(op, m, k, n, m + k + n);
    agrees(backend, op, m, k, n, a, b);
    expect(backend.splitProducts).toBe(1);
  });

  it("gives no thread less than MIN_FLOPS_PER_THREAD of a product (2mkn), agreeing on both sides", () => {
    const backend = createThreadedWasmBackendSync({ capacity: 1 << 20, threads: 3 });
    if (!backend) throw new Error("threads unsupported here");
    // m = 64, n = 64: k just below and at two and three threads' worth of work.
    const kFor = (threads: number) => Math.ceil((threads * MIN_FLOPS_PER_THREAD) / (2 * 64 * 64));
    for (const [k, joins] of [
      [kFor(2) - 1, 0],
      [kFor(2), 1],
      [kFor(3) - 1, 1],
      [kFor(3), 1],
    ] as const) {
      for (const op of ["gemm", "gemmTransA", "gemmTransB"] as const) {
        const before = backend.joins;
        const { a, b } = randomOperands(op, 64, k, 64, k);
        agrees(backend, op, 64, k, 64, a, b);
        expect(backend.joins - before, `${op} k = ${k}`).toBe(joins);
      }
    }
  });

  it("keeps WasmBackend's checks: a foreign buffer or an overlap is refused before any thread runs", () => {
    const backend = splitting(2, 1000);
    const A = backend.alloc(64);
    const B = backend.alloc(64);
    expect(() => backend.gemm(8, 8, 8, A, B, new Float64Array(64))).toThrow(
      /not a buffer of this backend/,
    );
    expect(() => backend.gemm(8, 8, 8, A, B, A)).toThrow(/C overlaps A/);
    // …and the backend still works after refusing.
    agrees(
      backend,
      "gemm",
      8,
      8,
      8,
      ...(Object.values(randomOperands("gemm", 8, 8, 8, 1)) as [Float64Array, Float64Array]),
    );
  });

  it("does not grow: its shared memory is sized once, and an alloc beyond it throws", () => {
    const backend = splitting(2, 100);
    expect(() => backend.alloc(1 << 20)).toThrow(RangeError);
  });
});

describe("helper threads are reused across backends", () => {
  it("a new backend takes the helper; the previous one keeps computing, alone, bit for bit", () => {
    const first = splitting(2);
    const second = splitting(2);
    const { a, b } = randomOperands("gemm", 40, 9, 12, 3);
    const before = first.splitProducts;
    agrees(first, "gemm", 40, 9, 12, a, b);
    expect(first.splitProducts).toBe(before); // detached: ran on the main thread
    agrees(second, "gemm", 40, 9, 12, a, b);
    expect(second.splitProducts).toBe(1);
  });

  it("waiting for a job ignores wake-ups until the helper has stored that job's number", async () => {
    // A late notify (the previous job's, sent after DONE was stored) must not end the wait.
    // A stand-in helper notifies DONE five times without changing it, then finishes the job.
    const control = new SharedArrayBuffer(64 + 8 * 12 * 8);
    const ctl = new Int32Array(control, 0, 16);
    const owner = {
      failed: false,
      fail() {
        this.failed = true;
      },
    };
    const channel = new HelperChannel(
      ctl,
      new Float64Array(control, 64),
      owner as unknown as ConstructorParameters<typeof HelperChannel>[2],
    );
    const worker = new Worker(
      `const { workerData } = require("node:worker_threads");
       const ctl = new Int32Array(workerData, 0, 16);
       Atomics.wait(ctl, 0, 0); // the job is posted
       for (let i = 0; i < 5; i++) {
         const until = Date.now() + 20;
         while (Date.now() < until);
         Atomics.notify(ctl, 1); // DONE still 0
       }
       Atomics.store(ctl, 1, 1);
       Atomics.notify(ctl, 1);`,
      { eval: true, workerData: control },
    );
    try {
      channel.post();
      channel.wait(10_000);
      expect(Atomics.load(ctl, 1)).toBe(1);
      expect(owner.failed).toBe(false);
    } finally {
      await worker.terminate();
    }
  });

  it("a helper that cannot instantiate the kernels fails with a clear error", () => {
    // The single-threaded module imports a non-shared memory: instantiation fails in the helper.
    const api = (
      globalThis as unknown as {
        WebAssembly: { Module: new (b: Uint8Array) => object; Memory: new (d: object) => object };
      }
    ).WebAssembly;
    const module = new api.Module(kernelBytes());
    const memory = new api.Memory({ initial: 1, maximum: 1, shared: true });
    expect(() => attachHelpers(1, module, memory)).toThrow(
      /helper thread could not instantiate the kernels/,
    );
    // The broken helper is replaced by a fresh one on the next backend.
    const backend = splitting(2);
    const { a, b } = randomOperands("gemmTransA", 20, 5, 9, 4);
    agrees(backend, "gemmTransA", 20, 5, 9, a, b);
    expect(backend.splitProducts).toBe(1);
  });
});

describe("browser safety", () => {
  it("loading the helper module builds no code from text (a page's CSP may forbid it)", async () => {
    vi.resetModules();
    const original = globalThis.Function;
    let built = 0;
    globalThis.Function = new Proxy(original, {
      construct(target, args) {
        built++;
        return Reflect.construct(target, args);
      },
      apply(target, self, args) {
        built++;
        return Reflect.apply(target, self, args);
      },
    });
    try {
      const fresh = await import("../../src/linalg/wasm/helper-thread.js");
      expect(fresh.KERNEL.gemm).toBe(0);
      expect(built).toBe(0);
      // …and running a job on the main thread builds the runner once.
      fresh.localJob().run({} as Parameters<ReturnType<typeof fresh.localJob>["run"]>[0]);
      expect(built).toBe(1);
    } finally {
      globalThis.Function = original;
      vi.resetModules();
    }
  });
});

describe("choosing the number of threads", () => {
  const proc = process as unknown as { getBuiltinModule?: unknown };
  const getBuiltinModule = proc.getBuiltinModule;
  afterEach(() => {
    proc.getBuiltinModule = getBuiltinModule;
  });

  it('"auto" is one thread per core, a count at most that many, but no more than MIN_FLOPS_PER_THREAD each of the largest call', () => {
    expect(resolveThreads(3, 10)).toBe(1);
    expect(resolveThreads(3, 3 * MIN_FLOPS_PER_THREAD - 1)).toBe(2);
    expect(resolveThreads(3, 3 * MIN_FLOPS_PER_THREAD)).toBe(3);
    expect(resolveThreads(8, 1e15)).toBe(8); // more than the cores, when asked
    expect(resolveThreads("auto", 2 * MIN_FLOPS_PER_THREAD - 1)).toBe(1);
    const cores = availableCores();
    expect(resolveThreads("auto", 1e15)).toBe(cores);
    expect(resolveThreads("auto", 2 * MIN_FLOPS_PER_THREAD)).toBe(Math.min(cores, 2));
    expect(fastestBackend(1000, "auto", 2 * MIN_FLOPS_PER_THREAD).name).toBe(
      cores >= 2 ? "wasm-simd ×2 threads" : "wasm-simd",
    );
    expect(fastestBackend(1000, "auto", 10).name).toBe("wasm-simd");
    expect(fastestBackend(1000, 2).name).toBe("wasm-simd ×2 threads");
  });

  it('"auto" on a 16-core machine: 16 threads for a large call, fewer as the work shrinks', () => {
    const real = getBuiltinModule as (id: string) => unknown;
    proc.getBuiltinModule = (id: string) =>
      id === "node:os" ? { availableParallelism: () => 16 } : real(id);
    expect(availableCores()).toBe(16);
    expect(resolveThreads("auto", 1e15)).toBe(16);
    expect(resolveThreads("auto", 16 * MIN_FLOPS_PER_THREAD)).toBe(16);
    expect(resolveThreads("auto", 16 * MIN_FLOPS_PER_THREAD - 1)).toBe(15);
    expect(resolveThreads("auto", 5.5 * MIN_FLOPS_PER_THREAD)).toBe(5);
    expect(resolveThreads("auto", MIN_FLOPS_PER_THREAD)).toBe(1);
    expect(resolveThreads("auto", 0)).toBe(1);
  });

  it("without worker_threads (a browser, old Node) it falls back to the single-threaded backend", () => {
    proc.getBuiltinModule = undefined;
    expect(threadsSupported()).toBe(false);
    expect(createThreadedWasmBackendSync({ capacity: 100, threads: 2 })).toBeUndefined();
    expect(fastestBackend(1000, 2).name).toBe("wasm-simd");
    expect(fastestBackend(1000, "auto", 1e15).name).toBe("wasm-simd");
  });

  it("refuses a thread count below 2 for the threaded backend", () => {
    expect(() => createThreadedWasmBackendSync({ capacity: 100, threads: 1 })).toThrow(
      /threads must be an integer ≥ 2/,
    );
  });
});
