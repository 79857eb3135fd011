/**
 * The kernel interface the fast training path runs on. The readable kernels in kernels.ts
 * (pure, allocating) stay the teaching path and the test oracle; a Backend does the same
 * arithmetic in place, on row-major Float64Array buffers it allocates itself (a WebAssembly
 * backend's buffers live in its linear memory, so no copy crosses the boundary).
 *
 * Summation order contract: every product entry is Σ_p a·b accumulated for p = 0, 1, …, k−1
 * with one accumulator and no fused multiply-add, exactly as kernels.ts does. A backend that
 * keeps it gives bit-identical results to the plain path; one that does not must say so and
 * state its tolerance.
 */
export interface Backend {
  /** "js", "wasm-simd", … (reported by the benchmark). */
  readonly name: string;
  /**
   * A zeroed buffer of `length` float64 values that stays valid until `reset()`; the
   * training loop allocates all of them once per batch shape, never per step.
   */
  alloc(length: number): Float64Array;
  /** Forgets every buffer handed out (their memory may be reused). */
  reset(): void;
  /** C (m×n) = A (m×k) B (k×n). */
  gemm(m: number, k: number, n: number, A: Float64Array, B: Float64Array, C: Float64Array): void;
  /** C (m×n) = Aᵀ B, with A k×m and B k×n (e.g. dW1 = Xᵀ δ1). */
  gemmTransA(
    m: number,
    k: number,
    n: number,
    A: Float64Array,
    B: Float64Array,
    C: Float64Array,
  ): void;
  /** C (m×n) = A Bᵀ, with A m×k and B n×k (e.g. δ2 W2ᵀ). */
  gemmTransB(
    m: number,
    k: number,
    n: number,
    A: Float64Array,
    B: Float64Array,
    C: Float64Array,
  ): void;
}
