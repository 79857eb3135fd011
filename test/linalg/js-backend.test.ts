import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsBackend, matmul, matmulTransA, matmulTransB, matrix } from "../../src/linalg/index.js";
import { Rng } from "../../src/rng.js";

/** m·n·k Gaussian entries, with some exact zeros and −0 (whose sign the sums must keep). */
function entries(length: number, rng: Rng): Float64Array {
  return Float64Array.from({ length }, () => {
    const u = rng.uniform();
    return u < 0.05 ? 0 : u < 0.1 ? -0 : rng.normal() * 10 ** Math.round(4 * rng.uniform() - 2);
  });
}

const sameBits = (a: Float64Array, b: Float64Array): boolean =>
  a.length === b.length && a.every((x, i) => Object.is(x, b[i]));

/** Sizes from 1 to 9 (edge tiles, the width-1 shapes) and from 120 to 300 (several cache blocks). */
const size = fc.oneof(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 120, max: 300 }));
const shapes = fc.record({ m: size, k: size, n: size, seed: fc.nat(1000) });

describe("JsBackend products are bit-identical to the plain kernels", () => {
  it("gemm: C = A B", () => {
    fc.assert(
      fc.property(shapes, ({ m, k, n, seed }) => {
        const rng = new Rng(seed);
        const A = entries(m * k, rng);
        const B = entries(k * n, rng);
        const C = new Float64Array(m * n).fill(NaN); // overwritten, never read
        jsBackend.gemm(m, k, n, A, B, C);
        return sameBits(C, matmul(matrix(m, k, A), matrix(k, n, B)).data);
      }),
      { numRuns: 60 },
    );
  });

  it("gemmTransA: C = Aᵀ B", () => {
    fc.assert(
      fc.property(shapes, ({ m, k, n, seed }) => {
        const rng = new Rng(seed);
        const A = entries(k * m, rng);
        const B = entries(k * n, rng);
        const C = new Float64Array(m * n).fill(NaN);
        jsBackend.gemmTransA(m, k, n, A, B, C);
        return sameBits(C, matmulTransA(matrix(k, m, A), matrix(k, n, B)).data);
      }),
      { numRuns: 60 },
    );
  });

  it("gemmTransB: C = A Bᵀ", () => {
    fc.assert(
      fc.property(shapes, ({ m, k, n, seed }) => {
        const rng = new Rng(seed);
        const A = entries(m * k, rng);
        const B = entries(n * k, rng);
        const C = new Float64Array(m * n).fill(NaN);
        jsBackend.gemmTransB(m, k, n, A, B, C);
        return sameBits(C, matmulTransB(matrix(m, k, A), matrix(n, k, B)).data);
      }),
      { numRuns: 60 },
    );
  });

  it("the network's shapes, 1×1, and a sum whose order shows (1e16 + 1 − 1e16)", () => {
    const cases: [number, number, number][] = [
      [1, 1, 1],
      [128, 784, 256],
      [784, 128, 256],
      [1000, 2, 16],
      [64, 64, 1],
      [64, 1, 64],
    ];
    const rng = new Rng(7);
    for (const [m, k, n] of cases) {
      const A = entries(m * k, rng);
      const B = entries(k * n, rng);
      const C = new Float64Array(m * n);
      jsBackend.gemm(m, k, n, A, B, C);
      expect(sameBits(C, matmul(matrix(m, k, A), matrix(k, n, B)).data)).toBe(true);
    }
    // Σ_p in order over 300 terms (three blocks of p): 1e16 + 1 rounds to 1e16, then − 1e16 gives 0;
    // any other order of these three terms would give 1 or 2.
    const k = 300;
    const A = new Float64Array(k).fill(0);
    const B = new Float64Array(k).fill(1);
    A[0] = 1e16;
    A[150] = 1;
    A[299] = -1e16;
    const C = new Float64Array(1);
    jsBackend.gemm(1, k, 1, A, B, C);
    expect(C[0]).toBe(0);
    const wide = new Float64Array(4 * 5);
    const A4 = new Float64Array(4 * k);
    const B5 = new Float64Array(k * 5).fill(1);
    for (let i = 0; i < 4; i++) A4.set(A, i * k);
    jsBackend.gemm(4, k, 5, A4, B5, wide);
    expect(Array.from(wide)).toEqual(new Array(20).fill(0));
  });
});
