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

  // ---- optional element-wise kernels for the tanh activation (nn/fused-activations.ts uses
  // them when present and otherwise runs its own loops; a backend that has them must give
  // the bits of those loops, i.e. of numerics/tanh.ts's tanh and tanhDerivative) ----------
  /** z1 ← z1 + 1 b1 and a1 = tanh(z1) on rows 0..n−1 of the n×H buffers z1, a1 (b1 1×H). */
  biasTanh?(n: number, H: number, z1: Float64Array, b1: Float64Array, a1: Float64Array): void;
  /**
   * δ1 = δ ⊙ tanh′(z1) in place on rows 0..n−1 of the n×H buffer `delta`, and db1 (1×H) =
   * Σ_rows δ1, each column summed over rows in order from +0.
   */
  tanhDerivativeMask?(
    n: number,
    H: number,
    delta: Float64Array,
    z1: Float64Array,
    db1: Float64Array,
  ): void;
}
