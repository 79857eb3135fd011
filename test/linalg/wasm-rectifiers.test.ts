import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { RectifierKernels } from "../../src/linalg/index.js";
import { createWasmBackendSync, WasmBackend } from "../../src/linalg/wasm/index.js";
import { biasActivation, derivativeMask } from "../../src/nn/fused-activations.js";
import { LEAKY_SLOPE, leakyRelu, relu, type Activation } from "../../src/nn/activations.js";
import { expectSameBits } from "./same-bits.js";

const backend = createWasmBackendSync();
const kernels = backend.rectifiers as RectifierKernels;

/** Doubles with the awkward values over-represented: ±0, ±∞, NaN, subnormals, extremes. */
const special = fc.constantFrom(
  0,
  -0,
  Infinity,
  -Infinity,
  NaN,
  5e-324,
  -5e-324,
  2.2250738585072014e-308,
  -1e-310,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  1,
  -1,
);
const value = fc.oneof(special, fc.double(), fc.double({ min: -4, max: 4, noNaN: true }));
const shape = fc.record({ n: fc.integer({ min: 0, max: 6 }), H: fc.integer({ min: 0, max: 9 }) });
const sample = shape.chain(({ n, H }) =>
  fc.record({
    n: fc.constant(n),
    H: fc.constant(H),
    // one more row than used, so the kernels must leave it alone
    z: fc.array(value, { minLength: (n + 1) * H, maxLength: (n + 1) * H }),
    b: fc.array(value, { minLength: H, maxLength: H }),
    d: fc.array(value, { minLength: (n + 1) * H, maxLength: (n + 1) * H }),
  }),
);

/** The buffers in this backend's memory (an extra value between, so views are not 16-aligned when odd). */
function load(values: number[], offsetByOne: boolean): Float64Array {
  const view = backend.alloc(values.length + (offsetByOne ? 1 : 0));
  const part = offsetByOne ? view.subarray(1) : view;
  part.set(values);
  return part;
}

const RECTIFIERS: readonly Activation[] = [relu, leakyRelu];

describe("WebAssembly rectifier kernels agree bit for bit with the JavaScript loops", () => {
  it("is the WebAssembly backend here (Node 20 has SIMD128)", () => {
    expect(backend).toBeInstanceOf(WasmBackend);
  });

  for (const activation of RECTIFIERS) {
    it(`${activation.name}: z1 ← z1 + 1 b1, a1 = f(z1), on NaN, ±∞, ±0, subnormals, odd H, n = 0, 1`, () => {
      fc.assert(
        fc.property(sample, fc.boolean(), ({ n, H, z, b }, shifted) => {
          backend.reset();
          const z1 = load(z, shifted);
          const b1 = load(b, shifted);
          const a1 = load(
            z.map(() => 7),
            shifted,
          );
          const zJs = Float64Array.from(z);
          const aJs = Float64Array.from(z, () => 7);
          biasActivation(n, H, zJs, Float64Array.from(b), aJs, activation);
          biasActivation(n, H, z1, b1, a1, activation, backend);
          expectSameBits(z1, zJs, "z1");
          expectSameBits(a1, aJs, "a1");
        }),
        { seed: 41, numRuns: 400 },
      );
    });

    it(`${activation.name}: δ1 = da1 ⊙ f′(z1) and db1 = 1ᵀ δ1 in row order, on the same values`, () => {
      fc.assert(
        fc.property(sample, fc.boolean(), ({ n, H, z, d }, shifted) => {
          backend.reset();
          const z1 = load(z, shifted);
          const delta = load(d, shifted);
          const db1 = load(
            d.slice(0, H).map(() => 3),
            shifted,
          );
          const dJs = Float64Array.from(d);
          const dbJs = new Float64Array(H).fill(3);
          const a1 = new Float64Array(z.length); // unused by the rectifiers
          derivativeMask(n, H, dJs, Float64Array.from(z), a1, dbJs, activation);
          derivativeMask(n, H, delta, z1, a1, db1, activation, backend);
          expectSameBits(delta, dJs, "δ1");
          expectSameBits(db1, dbJs, "db1");
        }),
        { seed: 42, numRuns: 400 },
      );
    });
  }

  it("relu: NaN and −0 give +0, and a masked NaN or ∞ gradient stays NaN (0 · ∞), as in JS", () => {
    backend.reset();
    const z1 = load([NaN, -0, -Infinity, 2, Infinity], false);
    const b1 = load([0, 0, 0, 0, 0], false);
    const a1 = load([9, 9, 9, 9, 9], false);
    kernels.biasRelu(1, 5, z1, b1, a1);
    expect(Array.from(a1).map((x) => Object.is(x, 0) || x)).toEqual([
      true,
      true,
      true,
      2,
      Infinity,
    ]);
    const delta = load([Infinity, NaN, 1, -0, 1], false);
    const db1 = load([0, 0, 0, 0, 0], false);
    kernels.rectifierMask(1, 5, delta, z1, db1, 0);
    expect(Array.from(delta)).toEqual([NaN, NaN, 0, -0, 1]);
    expect(LEAKY_SLOPE).toBe(0.01);
  });

  it("refuses buffers outside its memory, too short for the shape, and bad sizes", () => {
    backend.reset();
    const z1 = backend.alloc(6);
    const b1 = backend.alloc(3);
    expect(() => kernels.biasRelu(2, 3, z1, b1, new Float64Array(6))).toThrow(/a1 is not a buffer/);
    expect(() => kernels.biasRelu(3, 3, z1, b1, backend.alloc(9))).toThrow(/z1 has 6 values/);
    expect(() => kernels.rectifierMask(2, -1, z1, z1, b1, 0)).toThrow(/non-negative integers/);
  });
});
