/**
 * Shared by the backend tests: bit-for-bit comparison against an oracle, and the three
 * products with their stored shapes and their readable kernels.ts versions.
 */
import { expect } from "vitest";
import { matmul, matmulTransA, matmulTransB, type Matrix } from "../../src/linalg/index.js";

/**
 * actual and expected agree as raw 64-bit patterns (+0 told from −0); a NaN is only required
 * to stay NaN (its payload is not part of the contract: x86 and V8 differ in it).
 */
export function expectSameBits(actual: Float64Array, expected: Float64Array, what = "entry"): void {
  expect(actual.length, what).toBe(expected.length);
  const a = new BigUint64Array(Float64Array.from(actual).buffer);
  const e = new BigUint64Array(Float64Array.from(expected).buffer);
  for (let i = 0; i < expected.length; i++) {
    if (Number.isNaN(expected[i])) expect(actual[i], `${what}[${i}]`).toBeNaN();
    else if (a[i] !== e[i]) {
      throw new Error(
        `${what}[${i}]: got ${actual[i]} (0x${a[i]?.toString(16)}), want ${expected[i]} (0x${e[i]?.toString(16)})`,
      );
    }
  }
}

export type Op = "gemm" | "gemmTransA" | "gemmTransB";

/** Stored shapes of A and B for C (m×n) = op(A) op(B). */
export function shapes(op: Op, m: number, k: number, n: number) {
  if (op === "gemm") return { a: [m, k], b: [k, n] } as const;
  if (op === "gemmTransA") return { a: [k, m], b: [k, n] } as const;
  return { a: [m, k], b: [n, k] } as const;
}

/** The readable product of kernels.ts for op. */
export function oracle(op: Op, A: Matrix, B: Matrix): Matrix {
  if (op === "gemm") return matmul(A, B);
  if (op === "gemmTransA") return matmulTransA(A, B);
  return matmulTransB(A, B);
}
