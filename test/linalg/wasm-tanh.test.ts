/**
 * The WebAssembly SIMD tanh kernels (WasmBackend.biasTanh, tanhDerivativeMask) against the
 * JavaScript loops of nn/fused-activations.ts, i.e. numerics/tanh.ts's tanh and tanhDerivative
 * entry by entry: the same float64 operations in the same order, so the same bits (compared
 * as raw 64-bit patterns, which tells +0 from −0), for odd and even H (the odd column runs
 * in a half-used f64x2) and inputs from every range the two branches and exp's clamps meet.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createWasmBackendSync } from "../../src/linalg/index.js";
import { wasmSimdSupported, WasmBackend } from "../../src/linalg/wasm/backend.js";
import { tanh } from "../../src/nn/activations.js";
import { biasActivation, derivativeMask } from "../../src/nn/fused-activations.js";
import { expectSameBits } from "./same-bits.js";

/** z values: small (series side), moderate, saturated, huge, tiny, subnormal and ±0, ±∞. */
const zValue = fc.oneof(
  fc.double({ min: -0.2, max: 0.2, noNaN: true }),
  fc.double({ min: -25, max: 25, noNaN: true }),
  fc.double({ min: -800, max: 800, noNaN: true }),
  fc.double({ noNaN: true }),
  fc.constantFrom(0, -0, 5e-324, -5e-324, 1e-310, 0.1733, -0.1733, 20, 372.5, Infinity, -Infinity),
);

const shapes = fc.record({ n: fc.integer({ min: 0, max: 9 }), H: fc.integer({ min: 1, max: 19 }) });

describe.runIf(wasmSimdSupported())("WebAssembly tanh kernels", () => {
  const backend = createWasmBackendSync({ capacity: 1 << 16 }) as WasmBackend;

  it("biasTanh gives the bits of the JavaScript loop (z ← z + b, a = tanh z), odd H included", () => {
    fc.assert(
      fc.property(
        shapes.chain(({ n, H }) =>
          fc.record({
            n: fc.constant(n),
            H: fc.constant(H),
            z: fc.array(zValue, { minLength: n * H, maxLength: n * H }),
            b: fc.array(zValue, { minLength: H, maxLength: H }),
          }),
        ),
        ({ n, H, z, b }) => {
          backend.reset();
          const z1 = backend.alloc(n * H);
          const b1 = backend.alloc(H);
          const a1 = backend.alloc(n * H);
          z1.set(z);
          b1.set(b);
          const jsZ = Float64Array.from(z);
          const jsA = new Float64Array(n * H);
          biasActivation(n, H, jsZ, Float64Array.from(b), jsA, tanh); // no backend: the JS loop
          backend.biasTanh(n, H, z1, b1, a1);
          expectSameBits(z1, jsZ, "z1");
          expectSameBits(a1, jsA, "a1");
        },
      ),
      { seed: 21, numRuns: 400 },
    );
  });

  it("tanhDerivativeMask gives the bits of the JavaScript loop (δ ⊙ tanh′(z), column sums in row order)", () => {
    fc.assert(
      fc.property(
        shapes.chain(({ n, H }) =>
          fc.record({
            n: fc.constant(n),
            H: fc.constant(H),
            z: fc.array(zValue, { minLength: n * H, maxLength: n * H }),
            d: fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), {
              minLength: n * H,
              maxLength: n * H,
            }),
          }),
        ),
        ({ n, H, z, d }) => {
          backend.reset();
          const delta = backend.alloc(n * H);
          const z1 = backend.alloc(n * H);
          const db1 = backend.alloc(H);
          delta.set(d);
          z1.set(z);
          db1.fill(7); // stale values must be overwritten, as the JS loop's fill does
          const jsDelta = Float64Array.from(d);
          const jsDb = new Float64Array(H).fill(7);
          const a1 = new Float64Array(n * H); // tanh′ is computed from z, a1 is not read
          derivativeMask(n, H, jsDelta, Float64Array.from(z), a1, jsDb, tanh);
          backend.tanhDerivativeMask(n, H, delta, z1, db1);
          expectSameBits(delta, jsDelta, "delta");
          expectSameBits(db1, jsDb, "db1");
        },
      ),
      { seed: 22, numRuns: 400 },
    );
  });

  it("runs on the toy workload's shape (1000×16) with the same bits, and leaves rows past n alone", () => {
    const n = 1000;
    const H = 16;
    backend.reset();
    const z1 = backend.alloc((n + 1) * H);
    const b1 = backend.alloc(H);
    const a1 = backend.alloc((n + 1) * H);
    for (let i = 0; i < z1.length; i++) z1[i] = Math.sin(i) * 3;
    for (let j = 0; j < H; j++) b1[j] = j / 10 - 0.8;
    const jsZ = Float64Array.from(z1);
    const jsA = new Float64Array(a1.length);
    biasActivation(n, H, jsZ, Float64Array.from(b1), jsA, tanh);
    backend.biasTanh(n, H, z1, b1, a1);
    expectSameBits(z1, jsZ, "z1");
    expectSameBits(a1, jsA, "a1");
    expect(a1[n * H]).toBe(0);
  });

  it("refuses buffers from elsewhere and a 1×H buffer overlapping the matrices", () => {
    backend.reset();
    const z1 = backend.alloc(6);
    const a1 = backend.alloc(6);
    const b1 = backend.alloc(3);
    expect(() => backend.biasTanh(2, 3, new Float64Array(6), b1, a1)).toThrow(/not a buffer/);
    expect(() => backend.biasTanh(2, 3, z1, z1.subarray(0, 3), a1)).toThrow(/overlaps/);
    expect(() => backend.tanhDerivativeMask(3, 3, z1, a1, b1)).toThrow(/values, the shape needs 9/);
    expect(() => backend.biasTanh(-1, 3, z1, b1, a1)).toThrow(/non-negative integer/);
  });
});
