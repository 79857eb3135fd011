import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import type { Backend } from "../../src/linalg/backend.js";
import { matrix } from "../../src/linalg/index.js";
import {
  createWasmBackend,
  createWasmBackendSync,
  PlainBackend,
  wasmSimdSupported,
  WasmBackend,
} from "../../src/linalg/wasm/index.js";
import { PANEL_BYTES } from "../../src/linalg/wasm/backend.js";
import { expectSameBits, type Op, shapes, oracle } from "./same-bits.js";

// kernels.ts is the oracle: both paths add the same products in the same order.

/** Runs op on the backend with copies of a, b in its buffers and returns C. */
function runOn(
  backend: Backend,
  op: Op,
  m: number,
  k: number,
  n: number,
  a: Float64Array,
  b: Float64Array,
): Float64Array {
  backend.reset();
  const A = backend.alloc(a.length);
  const B = backend.alloc(b.length);
  const C = backend.alloc(m * n);
  A.set(a);
  B.set(b);
  C.fill(NaN); // the product must overwrite C, not add to it
  backend[op](m, k, n, A, B, C);
  return C.slice();
}

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
  const expected = oracle(op, matrix(sa[0], sa[1], a), matrix(sb[0], sb[1], b)).data;
  expectSameBits(runOn(backend, op, m, k, n, a, b), expected);
}

/** Entries: mostly ordinary values, with signed zeros, subnormals and huge values mixed in. */
const entry = fc.oneof(
  { weight: 8, arbitrary: fc.double({ min: -100, max: 100, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -0, 5e-324, -2.5e-308, 1e300, -1e300, 1, -1) },
);

function problem(maxM: number, maxK: number, maxN: number) {
  return fc
    .record({
      op: fc.constantFrom<Op>("gemm", "gemmTransA", "gemmTransB"),
      m: fc.integer({ min: 1, max: maxM }),
      k: fc.integer({ min: 1, max: maxK }),
      n: fc.integer({ min: 1, max: maxN }),
    })
    .chain(({ op, m, k, n }) =>
      fc.record({
        op: fc.constant(op),
        m: fc.constant(m),
        k: fc.constant(k),
        n: fc.constant(n),
        a: fc.array(entry, { minLength: m * k, maxLength: m * k }),
        b: fc.array(entry, { minLength: k * n, maxLength: k * n }),
      }),
    );
}

const wasm = createWasmBackendSync();

describe("WebAssembly SIMD backend", () => {
  it("is the SIMD path on Node 20", () => {
    expect(wasmSimdSupported()).toBe(true);
    expect(wasm.name).toBe("wasm-simd");
    expect(wasm).toBeInstanceOf(WasmBackend);
  });

  it("agrees bit for bit with kernels.ts on small shapes (1×1, k = 1, n = 1, edges of the 4×4 tile)", () => {
    fc.assert(
      fc.property(problem(9, 9, 9), ({ op, m, k, n, a, b }) => {
        agrees(wasm, op, m, k, n, Float64Array.from(a), Float64Array.from(b));
      }),
      { seed: 41, numRuns: 400 },
    );
  });

  it("agrees bit for bit on tall, wide and deep shapes (k past the 256-long cache block)", () => {
    fc.assert(
      fc.property(
        fc.record({
          op: fc.constantFrom<Op>("gemm", "gemmTransA", "gemmTransB"),
          m: fc.integer({ min: 1, max: 70 }),
          k: fc.integer({ min: 1, max: 600 }),
          n: fc.integer({ min: 1, max: 70 }),
          seed: fc.integer(),
        }),
        ({ op, m, k, n, seed }) => {
          const random = lcg(seed);
          const a = Float64Array.from({ length: m * k }, random);
          const b = Float64Array.from({ length: k * n }, random);
          agrees(wasm, op, m, k, n, a, b);
        },
      ),
      { seed: 42, numRuns: 60 },
    );
  });

  it.each([
    // tab (batch 64, D = 30, H = 64, K = 1), wide (batch 128, D = 784, H = 256), toy (N = 1000, D = 2, H = 16)
    ["gemm", 64, 30, 64],
    ["gemm", 64, 64, 1],
    ["gemmTransA", 30, 64, 64],
    ["gemmTransA", 64, 64, 1],
    ["gemmTransB", 64, 1, 64],
    ["gemm", 128, 784, 256],
    ["gemmTransA", 784, 128, 256],
    ["gemmTransB", 128, 1, 256],
    ["gemmTransB", 128, 7, 256],
    ["gemm", 1000, 2, 16],
    ["gemmTransA", 2, 1000, 16],
  ] as const)("agrees bit for bit on the workload shape %s %i×%i×%i", (op, m, k, n) => {
    const { a: sa, b: sb } = shapes(op, m, k, n);
    const random = lcg(m * 7919 + k * 31 + n);
    const a = Float64Array.from({ length: sa[0] * sa[1] }, random);
    const b = Float64Array.from({ length: sb[0] * sb[1] }, random);
    agrees(wasm, op, m, k, n, a, b);
  });

  it("starts every sum at +0: (−0)·1 gives +0, as kernels.ts does", () => {
    for (const op of ["gemm", "gemmTransA", "gemmTransB"] as const) {
      const c = runOn(wasm, op, 5, 1, 5, new Float64Array(5).fill(-0), new Float64Array(5).fill(1));
      expect(Array.from(c, (x) => Object.is(x, 0))).toEqual(new Array(25).fill(true));
    }
  });

  it("packed panels (m ≥ 8, k ≥ 128, B's rows contiguous): bit for bit with ±0, ±∞, NaN, subnormals, past the 256-long block", () => {
    // kernels.wat "wide products": the tiles read each 4-column panel of B from a copy.
    const special = fc.oneof(
      { weight: 6, arbitrary: fc.double({ min: -100, max: 100, noNaN: true }) },
      {
        weight: 1,
        arbitrary: fc.constantFrom(0, -0, 5e-324, -5e-324, 1e300, -1e300, Infinity, -Infinity, NaN),
      },
    );
    fc.assert(
      fc.property(
        fc
          .record({
            op: fc.constantFrom<Op>("gemm", "gemmTransA"),
            m: fc.integer({ min: 8, max: 21 }),
            k: fc.constantFrom(128, 129, 255, 256, 257, 530),
            n: fc.integer({ min: 1, max: 13 }),
          })
          .chain((shape) =>
            fc.record({
              shape: fc.constant(shape),
              a: fc.array(special, { minLength: shape.m * shape.k, maxLength: shape.m * shape.k }),
              b: fc.array(special, { minLength: shape.k * shape.n, maxLength: shape.k * shape.n }),
            }),
          ),
        ({ shape: { op, m, k, n }, a, b }) => {
          agrees(wasm, op, m, k, n, Float64Array.from(a), Float64Array.from(b));
        },
      ),
      { seed: 17, numRuns: 60 },
    );
  });

  it("packed panels start every sum at +0 too: Σ (−0)·1 over 130 terms gives +0 on 9 rows", () => {
    const [m, k, n] = [9, 130, 5];
    for (const op of ["gemm", "gemmTransA"] as const) {
      const a = new Float64Array(m * k).fill(-0);
      const c = runOn(wasm, op, m, k, n, a, new Float64Array(k * n).fill(1));
      expect(Array.from(c, (x) => Object.is(x, 0))).toEqual(new Array(m * n).fill(true));
    }
  });

  it("keeps the panel scratch (PANEL_BYTES) below its first buffer, out of capacity and used", () => {
    const backend = createWasmBackendSync({ capacity: 100 }) as WasmBackend;
    expect(backend.alloc(4).byteOffset).toBe(PANEL_BYTES);
    expect(backend.used).toBe(4);
    expect(backend.capacity + PANEL_BYTES / 8).toBe(65536 / 8); // one page in all
  });

  it("k = 0 gives a matrix of +0", () => {
    wasm.reset();
    const C = wasm.alloc(6).fill(NaN);
    wasm.gemm(2, 0, 3, wasm.alloc(0), wasm.alloc(0), C);
    expect(Array.from(C, (x) => Object.is(x, 0))).toEqual(new Array(6).fill(true));
  });

  it("loads asynchronously too", async () => {
    const backend = await createWasmBackend({ capacity: 1000 });
    expect(backend.name).toBe("wasm-simd");
    agrees(
      backend,
      "gemm",
      5,
      3,
      6,
      Float64Array.from({ length: 15 }, lcg(1)),
      Float64Array.from({ length: 18 }, lcg(2)),
    );
  });
});

describe("WasmBackend memory", () => {
  it("hands out zeroed, 16-byte aligned, disjoint buffers, zeroed again after reset", () => {
    const backend = createWasmBackendSync({ capacity: 100 }) as WasmBackend;
    const x = backend.alloc(3).fill(7);
    const y = backend.alloc(5).fill(8);
    expect(x.byteOffset % 16).toBe(0);
    expect(y.byteOffset % 16).toBe(0);
    expect(y.byteOffset).toBeGreaterThanOrEqual(x.byteOffset + 3 * 8);
    expect(Array.from(x)).toEqual([7, 7, 7]);
    backend.reset();
    expect(Array.from(backend.alloc(8))).toEqual(new Array(8).fill(0));
  });

  it("refuses to grow while buffers are live, and leaves them intact", () => {
    // One 64 KiB page: 7168 values after the 8 KiB panel scratch (PANEL_BYTES).
    const backend = createWasmBackendSync({ capacity: 7168 }) as WasmBackend;
    expect(backend.capacity).toBe(7168);
    const x = backend.alloc(4000).fill(1);
    expect(() => backend.alloc(5000)).toThrow(/capacity of 9000 .* would detach the 1 buffers/);
    expect(x.length).toBe(4000);
    expect(x[3999]).toBe(1);
    expect(() => backend.reserve(100_000)).toThrow(RangeError);
    expect(x.length).toBe(4000);
  });

  it("grows when no buffer is live: alloc after reset, or reserve ahead", () => {
    const backend = createWasmBackendSync({ capacity: 8192 }) as WasmBackend;
    backend.alloc(4000);
    backend.reset();
    const big = backend.alloc(20_000);
    expect(big.length).toBe(20_000);
    expect(backend.capacity).toBeGreaterThanOrEqual(20_000);
    backend.reset();
    backend.reserve(100_000);
    const buffers = [backend.alloc(49_999), backend.alloc(50_000)]; // 50 000 + 50 000 values
    expect(backend.capacity).toBeGreaterThanOrEqual(100_000);
    for (const b of buffers) expect(b.buffer).toBe(buffers[0]?.buffer); // none detached
    expect(buffers[0]?.length).toBe(49_999);
  });

  it("refuses a buffer that is not in its memory, from another backend, or from before a growth", () => {
    const backend = createWasmBackendSync({ capacity: 8192 });
    const other = createWasmBackendSync({ capacity: 8192 });
    const A = backend.alloc(4);
    const B = backend.alloc(4);
    const C = backend.alloc(4);
    expect(() => backend.gemm(2, 2, 2, new Float64Array(4), B, C)).toThrow(
      /gemm: A is not a buffer of this backend's memory/,
    );
    expect(() => backend.gemmTransA(2, 2, 2, A, other.alloc(4), C)).toThrow(
      /gemmTransA: B is not a buffer/,
    );
    backend.reset();
    backend.alloc(100_000); // grows: A, B, C are detached
    const D = backend.alloc(4);
    expect(() => backend.gemmTransB(2, 2, 2, D, D, C)).toThrow(/C is not a buffer/);
  });

  it("refuses a buffer too short for the shape, and a C that overlaps A or B", () => {
    const backend = createWasmBackendSync({ capacity: 1000 });
    const all = backend.alloc(40);
    const A = all.subarray(0, 6);
    const B = all.subarray(6, 12);
    const C = all.subarray(12, 16);
    expect(() => backend.gemm(2, 3, 2, A, B, C.subarray(0, 3))).toThrow(
      /C has 3 values, the shape needs 4/,
    );
    expect(() => backend.gemm(2, 3, 2, A, B, all.subarray(4, 8))).toThrow(/C overlaps A/);
    expect(() => backend.gemm(2, 3, 2, A, B, all.subarray(10, 14))).toThrow(/C overlaps B/);
    expect(() => backend.gemm(2, 1.5, 2, A, B, C)).toThrow(/k must be a non-negative integer/);
    backend.gemm(2, 3, 2, A, B, C); // separate buffers: accepted
  });
});

describe("fallback without WebAssembly SIMD", () => {
  /** globalThis seen without the DOM lib, which is where the WebAssembly global is typed. */
  const host = globalThis as { WebAssembly?: object | undefined };
  const saved = host.WebAssembly;
  afterEach(() => {
    host.WebAssembly = saved;
  });

  it("returns the plain JS backend, named so, where WebAssembly is missing", async () => {
    delete host.WebAssembly; // a host without WebAssembly
    expect(wasmSimdSupported()).toBe(false);
    expect(createWasmBackendSync().name).toBe("js-plain");
    expect((await createWasmBackend()).name).toBe("js-plain");
    const custom: Backend = { ...new PlainBackend(), name: "custom" } as Backend;
    expect(createWasmBackendSync({ fallback: () => custom }).name).toBe("custom");
  });

  it("returns the fallback where the module does not validate (no SIMD128)", () => {
    host.WebAssembly = Object.assign(Object.create(saved ?? null) as object, {
      validate: () => false,
    });
    expect(createWasmBackendSync().name).toBe("js-plain");
  });

  it("the plain JS backend agrees bit for bit with kernels.ts", () => {
    const plain = new PlainBackend();
    fc.assert(
      fc.property(problem(7, 7, 7), ({ op, m, k, n, a, b }) => {
        agrees(plain, op, m, k, n, Float64Array.from(a), Float64Array.from(b));
      }),
      { seed: 43, numRuns: 200 },
    );
  });
});

/** A seeded uniform generator on [−1, 1): deterministic test data. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  };
}
