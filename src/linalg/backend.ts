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
  /**
   * Optional element-wise kernels for the rectifier activations; where absent, the fast path
   * runs its own JavaScript loops (nn/fused-activations.ts), which these must match bit for bit.
   */
  readonly rectifiers?: RectifierKernels;
  /** Optional element-wise kernels for tanh, with the same contract as `rectifiers`. */
  readonly tanh?: TanhKernels;
}

/**
 * The hidden layer's element-wise passes for f(z) = z > 0 ? z : s·z (relu: +0 instead of s·z),
 * on rows 0..n−1 of n×H row-major buffers of the backend, entry by entry in the operations and
 * order of the JavaScript loops of nn/fused-activations.ts (so the same bits, NaN and ±0 too).
 */
export interface RectifierKernels {
  /** z1 ← z1 + 1 b1, a1 = z1 > 0 ? z1 : +0 (relu). */
  biasRelu(n: number, H: number, z1: Float64Array, b1: Float64Array, a1: Float64Array): void;
  /** z1 ← z1 + 1 b1, a1 = z1 > 0 ? z1 : slope·z1 (leaky relu). */
  biasLeakyRelu(
    n: number,
    H: number,
    z1: Float64Array,
    b1: Float64Array,
    a1: Float64Array,
    slope: number,
  ): void;
  /**
   * δ ← δ ⊙ f′(z1) in place with f′(z) = z > 0 ? 1 : slope (relu: slope 0; a multiply, so
   * NaN or ±∞ times 0 is NaN), and db1 (1×H) = Σ_rows δ, rows in order from +0.
   */
  rectifierMask(
    n: number,
    H: number,
    delta: Float64Array,
    z1: Float64Array,
    db1: Float64Array,
    slope: number,
  ): void;
}

/**
 * The tanh activation's element-wise passes, with the bits of the JavaScript loops of
 * nn/fused-activations.ts, i.e. of numerics/tanh.ts's tanh and tanhDerivative.
 */
export interface TanhKernels {
  /** z1 ← z1 + 1 b1 and a1 = tanh(z1) on rows 0..n−1 of the n×H buffers z1, a1 (b1 1×H). */
  biasTanh(n: number, H: number, z1: Float64Array, b1: Float64Array, a1: Float64Array): void;
  /**
   * δ1 = δ ⊙ tanh′(z1) in place on rows 0..n−1 of the n×H buffer `delta`, and db1 (1×H) =
   * Σ_rows δ1, each column summed over rows in order from +0.
   */
  tanhDerivativeMask(
    n: number,
    H: number,
    delta: Float64Array,
    z1: Float64Array,
    db1: Float64Array,
  ): void;
}
