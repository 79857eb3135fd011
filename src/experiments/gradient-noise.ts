/**
 * Gradient noise of mini-batch SGD, from per-example gradients (shared by the batch-variance
 * and lr-scaling experiments).
 *
 * Notation (P parameters, the gradient flattened as W1, b1, W2, b2 in row-major order):
 *   g_n = ∇θ ℓ(x_n, y_n)                 per-example gradient, P-vector
 *   G   = (1/N) Σ_n g_n                   full-batch gradient (what `backward` returns on all N rows)
 *   Σ   = (1/N) Σ_n (g_n − G)(g_n − G)ᵀ   population covariance of the N per-example gradients
 *   g_B = (1/B) Σ_{n∈batch} g_n           mini-batch gradient
 *
 * For B rows drawn without replacement, E‖g_B − G‖² = tr(Σ)/B · (N − B)/(N − 1) exactly
 * (the finite-population correction; with Σ's 1/N convention, which the formula needs), and
 * tr(Σ)/B with replacement. The simple noise scale is B_simple = tr(Σ)/‖G‖² (McCandlish et al. 2018).
 */
import { gatherRows, type Matrix } from "../linalg/index.js";
import { backward, forward, type Activation, type Grads, type Params } from "../nn/index.js";
import { sigmoidMinusLabel } from "../numerics/index.js";
import { square } from "./elementary.js";
import type { Rng } from "../rng.js";

/** The gradient as one P-vector: dW1, db1, dW2, db2, each row-major. */
export function flatGrad(grads: Grads): Float64Array {
  const parts = [grads.dW1, grads.db1, grads.dW2, grads.db2];
  const out = new Float64Array(parts.reduce((n, m) => n + m.data.length, 0));
  let offset = 0;
  for (const m of parts) {
    out.set(m.data, offset);
    offset += m.data.length;
  }
  return out;
}

/** The N per-example gradients as the rows of an N×P matrix: `backward` on each 1-row batch. */
export function perExampleGradients(
  params: Params,
  X: Matrix,
  y: Matrix,
  activation: Activation,
): Matrix {
  const rows: Float64Array[] = [];
  for (let n = 0; n < X.rows; n++) {
    const xn = gatherRows(X, [n]); // 1×D
    const yn = gatherRows(y, [n]); // 1×1
    rows.push(flatGrad(backward(params, forward(params, xn, activation), xn, yn, activation)));
  }
  const P = rows[0]?.length ?? 0;
  const data = new Float64Array(X.rows * P);
  rows.forEach((row, n) => data.set(row, n * P));
  return { rows: X.rows, cols: P, data };
}

/** The mean of the rows at `indices` (summed in the order given), a P-vector. */
export function rowMean(g: Matrix, indices: ArrayLike<number>): Float64Array {
  const P = g.cols;
  const out = new Float64Array(P);
  for (let r = 0; r < indices.length; r++) {
    const base = indices[r]! * P;
    for (let j = 0; j < P; j++) out[j] = out[j]! + g.data[base + j]!;
  }
  for (let j = 0; j < P; j++) out[j] = out[j]! / indices.length;
  return out;
}

/** ‖a − b‖² for two P-vectors. */
export function squaredDistance(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += square(a[j]! - b[j]!);
  return s;
}

/** ‖a‖² for a P-vector. */
export function squaredNorm(a: Float64Array): number {
  let s = 0;
  for (const v of a) s += v * v;
  return s;
}

/** The full-batch gradient G, tr(Σ) (1/N convention), ‖G‖² and B_simple = tr(Σ)/‖G‖². */
export interface NoiseStats {
  readonly N: number;
  readonly gradSq: number;
  readonly traceSigma: number;
  readonly bSimple: number;
}

/** G = the mean of all N rows (in index order) and the noise statistics of the N×P rows g. */
export function noiseStats(g: Matrix): NoiseStats & { readonly G: Float64Array } {
  const N = g.rows;
  const all = Uint32Array.from({ length: N }, (_, n) => n);
  const G = rowMean(g, all);
  let spread = 0; // Σ_n ‖g_n − G‖²
  for (let n = 0; n < N; n++)
    spread += squaredDistance(g.data.subarray(n * g.cols, (n + 1) * g.cols), G);
  const traceSigma = spread / N;
  const gradSq = squaredNorm(G);
  return { N, G, gradSq, traceSigma, bSimple: traceSigma / gradSq };
}

/**
 * The same statistics without forming the N×P matrix, from the analytic per-example form:
 * with r_n = p_n − y_n and δ1_n = r_n W2ᵀ ⊙ f′(z1_n) (1×H), the per-example gradient is
 * dW1 = x_nᵀ δ1_n, db1 = δ1_n, dW2 = r_n a1_nᵀ, db2 = r_n, so
 *   ‖g_n‖² = (‖x_n‖² + 1) ‖δ1_n‖² + r_n² (‖a1_n‖² + 1)   (outer products: ‖u vᵀ‖ = ‖u‖ ‖v‖)
 * and tr(Σ) = (1/N) Σ_n ‖g_n‖² − ‖G‖², with G from `backward` on the full batch.
 */
export function noiseScale(
  params: Params,
  X: Matrix,
  y: Matrix,
  activation: Activation,
): NoiseStats {
  const cache = forward(params, X, activation);
  const { z1, a1, z2 } = cache;
  const N = X.rows;
  const D = X.cols;
  const H = a1.cols;
  let meanSq = 0; // (1/N) Σ_n ‖g_n‖²
  for (let n = 0; n < N; n++) {
    const r = sigmoidMinusLabel(z2.data[n]!, y.data[n]!);
    let xSq = 1; // ‖x_n‖² + 1
    for (let d = 0; d < D; d++) xSq += square(X.data[n * D + d]!);
    let deltaSq = 0; // ‖δ1_n‖²
    let aSq = 1; // ‖a1_n‖² + 1
    for (let h = 0; h < H; h++) {
      const z = z1.data[n * H + h]!;
      const a = a1.data[n * H + h]!;
      deltaSq += square(r * params.W2.data[h]! * activation.df(z, a));
      aSq += a * a;
    }
    meanSq += (xSq * deltaSq + r * r * aSq) / N;
  }
  const gradSq = squaredNorm(flatGrad(backward(params, cache, X, y, activation)));
  const traceSigma = Math.max(meanSq - gradSq, 0);
  return { N, gradSq, traceSigma, bSimple: traceSigma / gradSq };
}

/** Finite-population theory: E‖g_B − G‖² = tr(Σ)/B · (N − B)/(N − 1), B drawn without replacement. */
export function varianceWithoutReplacement(traceSigma: number, N: number, B: number): number {
  return N === 1 ? 0 : ((traceSigma / B) * (N - B)) / (N - 1);
}

/** B distinct row indices, uniformly at random, sorted (so a batch of all N sums in index order). */
export function sampleWithoutReplacement(
  rng: Rng,
  N: number,
  B: number,
  pool: Uint32Array,
): Uint32Array {
  // Partial Fisher–Yates on a reusable permutation `pool` of 0..N−1: its first B entries.
  for (let i = 0; i < B; i++) {
    const j = i + rng.integer(N - i);
    const t = pool[i]!;
    pool[i] = pool[j]!;
    pool[j] = t;
  }
  return pool.slice(0, B).sort();
}

/** B row indices drawn independently and uniformly (with replacement). */
export function sampleWithReplacement(rng: Rng, N: number, B: number): Uint32Array {
  return Uint32Array.from({ length: B }, () => rng.integer(N));
}

/** A Monte-Carlo mean and its standard error. */
export interface Estimate {
  readonly mean: number;
  readonly se: number;
}

/** The mean and standard error of `values`. */
export function estimate(values: readonly number[]): Estimate {
  const M = values.length;
  const mean = values.reduce((s, v) => s + v, 0) / M;
  const variance = values.reduce((s, v) => s + square(v - mean), 0) / (M - 1);
  return { mean, se: Math.sqrt(variance / M) };
}

/**
 * The ratio of means mean(a)/mean(b) of paired samples, with its delta-method standard error
 * s.e.² ≈ (var ā + R² var b̄ − 2R cov(ā, b̄))/b̄² (R = ā/b̄).
 */
export function ratioEstimate(a: readonly number[], b: readonly number[]): Estimate {
  const M = a.length;
  const meanA = a.reduce((s, v) => s + v, 0) / M;
  const meanB = b.reduce((s, v) => s + v, 0) / M;
  const R = meanA / meanB;
  let spread = 0; // Σ (a_m − R b_m)², the residual of the linearised ratio
  for (let m = 0; m < M; m++) spread += square(a[m]! - R * b[m]!);
  return { mean: R, se: Math.sqrt(spread / (M - 1) / M) / Math.abs(meanB) };
}

/** ‖g_B − G‖² over `draws` mini-batches of B rows, drawn without or with replacement. */
export function batchDeviations(
  g: Matrix,
  G: Float64Array,
  B: number,
  draws: number,
  rng: Rng,
  replacement: boolean,
): number[] {
  const N = g.rows;
  const pool = Uint32Array.from({ length: N }, (_, n) => n);
  const out: number[] = [];
  for (let m = 0; m < draws; m++) {
    const batch = replacement
      ? sampleWithReplacement(rng, N, B)
      : sampleWithoutReplacement(rng, N, B, pool);
    out.push(squaredDistance(rowMean(g, batch), G));
  }
  return out;
}

/**
 * McCandlish et al. (2018), Appendix A: from the squared norms of two mini-batch gradients of
 * sizes b < B, drawn independently with replacement, where E‖g_b‖² = ‖G‖² + tr(Σ)/b,
 *   ‖G‖² ≈ (B‖g_B‖² − b‖g_b‖²)/(B − b),   S = tr(Σ) ≈ (‖g_b‖² − ‖g_B‖²)/(1/b − 1/B),
 * each unbiased; B_simple is estimated as mean(S)/mean(‖G‖²) over many pairs.
 */
export function twoBatchEstimate(
  small: number,
  big: number,
  smallSq: number,
  bigSq: number,
): { gradSq: number; traceSigma: number } {
  return {
    gradSq: (big * bigSq - small * smallSq) / (big - small),
    traceSigma: (smallSq - bigSq) / (1 / small - 1 / big),
  };
}

/**
 * The same estimate from batches drawn without replacement from N rows. There
 * E‖g_b‖² = ‖G‖² + tr(Σ)/b · (N − b)/(N − 1), so the formulas above return, in expectation,
 * S' = tr(Σ) N/(N − 1) and ‖G‖²' = ‖G‖² − tr(Σ)/(N − 1); inverting this removes the bias:
 * tr(Σ) = S' (N − 1)/N, ‖G‖² = ‖G‖²' + S'/N.
 */
export function finitePopulationCorrection(
  N: number,
  naive: { gradSq: number; traceSigma: number },
): { gradSq: number; traceSigma: number } {
  return {
    gradSq: naive.gradSq + naive.traceSigma / N,
    traceSigma: (naive.traceSigma * (N - 1)) / N,
  };
}
