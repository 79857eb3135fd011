/**
 * The fallback Backend where WebAssembly SIMD is missing: ordinary Float64Arrays and the
 * kernels of kernels.ts themselves (their result copied into C), so its results are the
 * plain path's by construction (and bit-identical to the WebAssembly kernels). It allocates
 * per product: it is the simple fallback, not a fast path. The JS engine's tuned backend can replace it through the
 * `fallback` option of createWasmBackend.
 */
import type { Backend } from "../backend.js";
import { matmul, matmulTransA, matmulTransB } from "../kernels.js";
import { matrix } from "../matrix.js";

export class PlainBackend implements Backend {
  readonly name = "js-plain";

  alloc(length: number): Float64Array {
    return new Float64Array(length);
  }

  reset(): void {}

  /** C (m×n) = A (m×k) B (k×n), by kernels.ts's matmul. */
  gemm(m: number, k: number, n: number, A: Float64Array, B: Float64Array, C: Float64Array): void {
    C.set(matmul(view(m, k, A), view(k, n, B)).data);
  }

  /** C (m×n) = Aᵀ B, A k×m, B k×n, by kernels.ts's matmulTransA. */
  gemmTransA(
    m: number,
    k: number,
    n: number,
    A: Float64Array,
    B: Float64Array,
    C: Float64Array,
  ): void {
    C.set(matmulTransA(view(k, m, A), view(k, n, B)).data);
  }

  /** C (m×n) = A Bᵀ, A m×k, B n×k, by kernels.ts's matmulTransB. */
  gemmTransB(
    m: number,
    k: number,
    n: number,
    A: Float64Array,
    B: Float64Array,
    C: Float64Array,
  ): void {
    C.set(matmulTransB(view(m, k, A), view(n, k, B)).data);
  }
}

/** The first rows×cols values of a buffer as a Matrix (no copy). */
function view(rows: number, cols: number, data: Float64Array) {
  return matrix(rows, cols, data.subarray(0, rows * cols));
}
