/**
 * The fallback Backend where WebAssembly SIMD is missing: ordinary Float64Arrays and the
 * loops of kernels.ts written in place, so its results are bit-identical to the plain path
 * (and to the WebAssembly kernels). The JS engine's tuned backend can replace it through the
 * `fallback` option of createWasmBackend.
 */
import type { Backend } from "../backend.js";

export class PlainBackend implements Backend {
  readonly name = "js-plain";

  alloc(length: number): Float64Array {
    return new Float64Array(length);
  }

  reset(): void {}

  /** C (m×n) = A (m×k) B (k×n): c_ij = Σ_p a_ip b_pj, p ascending, from +0. */
  gemm(m: number, k: number, n: number, A: Float64Array, B: Float64Array, C: Float64Array): void {
    C.fill(0, 0, m * n);
    for (let i = 0; i < m; i++) {
      for (let p = 0; p < k; p++) {
        const aip = A[i * k + p] as number;
        for (let j = 0; j < n; j++)
          C[i * n + j] = (C[i * n + j] as number) + aip * (B[p * n + j] as number);
      }
    }
  }

  /** C (m×n) = Aᵀ B, A k×m, B k×n: c_ij = Σ_p a_pi b_pj. */
  gemmTransA(
    m: number,
    k: number,
    n: number,
    A: Float64Array,
    B: Float64Array,
    C: Float64Array,
  ): void {
    C.fill(0, 0, m * n);
    for (let p = 0; p < k; p++) {
      for (let i = 0; i < m; i++) {
        const api = A[p * m + i] as number;
        for (let j = 0; j < n; j++)
          C[i * n + j] = (C[i * n + j] as number) + api * (B[p * n + j] as number);
      }
    }
  }

  /** C (m×n) = A Bᵀ, A m×k, B n×k: c_ij = Σ_p a_ip b_jp. */
  gemmTransB(
    m: number,
    k: number,
    n: number,
    A: Float64Array,
    B: Float64Array,
    C: Float64Array,
  ): void {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += (A[i * k + p] as number) * (B[j * k + p] as number);
        C[i * n + j] = s;
      }
    }
  }
}
