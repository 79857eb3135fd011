/**
 * handgrad's own float64 exponential e^x, written from the math with nothing but IEEE-754
 * additions, multiplications and exact scalings by powers of two (no fused multiply-add).
 *
 * Why not Math.exp: (1) reproducibility — ECMAScript leaves Math.exp (and Math.tanh)
 * "implementation-approximated", so two engines may differ in the last bit and a training
 * run would not give the same bits in every browser and in Node; this function gives the
 * same bits everywhere. (2) speed — the same operations, in the same order, run two at a
 * time in WebAssembly SIMD128 (f64x2, whose add, sub, mul and div are IEEE-exact like
 * JavaScript's), in src/linalg/wasm/kernels.wat; the tests check the bits agree.
 *
 * Method (Cody–Waite range reduction and a polynomial):
 *   k = x/ln 2 rounded to the nearest integer (ties to even)
 *   r = x − k ln 2, with ln 2 = LN2_HI + LN2_LO: hi = x − k·LN2_HI is exact (LN2_HI has 32
 *       significant bits and |k| < 2^11, and x is within a factor 2 of k·LN2_HI), then
 *       r = hi − k·LN2_LO rounded, |r| ≤ ln2/2 (+ a hair), and c₀ = (hi − r) − k·LN2_LO its
 *       rounding error (Fast2Sum).
 *   e^r = 1 + r + c, c = c₀ + r²(1/2! + r/3! + … + r¹²/14!)   (Taylor; the first term left
 *       out, r¹⁵/15! < 10^{−19}, is below 0.002 ulp; summed in Estrin's scheme, see expTail)
 *   e^r is then summed as S + (((1 − S) + r) + c) with S = 1 + r, where (1 − S) + r is the
 *       exact rounding error of S, so only the last addition rounds at the result's scale.
 *   e^x = e^r · 2^k, scaled in two exact steps 2^{k₁}·2^{k₂} (k₁ = ⌊k/2⌋, k₂ = k − k₁, each
 *       a normal power of two): the first product is exact, the second rounds once, which
 *       also gives correctly rounded overflow to ∞ and gradual underflow (subnormal results).
 *
 * Accuracy, measured against 60-digit decimal.js truth (test/numerics/exp-tanh.test.ts, about
 * 9000 points over the whole range: tiny x, the reduced range, subnormal results, near
 * overflow): at most 0.66 ulp for normal results and 0.76 ulp (of 2^{−1074}) for subnormal
 * ones, where the result is rounded a second time; the test asserts ≤ 1 ulp (faithful
 * rounding). Math.exp in Node 20 measured 0.80 ulp on the same kind of points. Special values: e^{±0} = 1, e^{+∞} = +∞,
 * e^{−∞} = +0, e^{NaN} = NaN; e^x = +∞ for x > 709.782712893384 and +0 for
 * x < −745.1332191019412 (the correctly rounded values).
 */

/** log2(e), rounded: only used to choose k, so its rounding does not reach the result. */
export const LOG2E = 1.4426950408889634;
/** ln 2 = LN2_HI + LN2_LO: LN2_HI = ⌊2^32 ln 2⌋ / 2^32 (32 significant bits), LN2_LO the rest, rounded. */
export const LN2_HI = 2977044471 / 2 ** 32;
export const LN2_LO = 1.9082149292705877e-10;
/** 1.5·2^52: (v + SHIFT) − SHIFT rounds v to the nearest integer, ties to even, for |v| < 2^51. */
const SHIFT = 6755399441055744;

/** Above this x, e^x is +∞ (e^710 > Number.MAX_VALUE); the computation gives ∞ at 710 itself. */
export const EXP_OVERFLOW_ARG = 710;
/** Below this x, e^x is +0 (e^{−1100} < 2^{−1075}); the computation gives 0 at −1100 itself. */
export const EXP_UNDERFLOW_ARG = -1100;

/** v rounded to the nearest integer, ties to even, for |v| < 2^51 (two rounded additions). */
export function nearestInteger(v: number): number {
  return v + SHIFT - SHIFT;
}

/**
 * e^r − 1 − r without the first-order term, to be added to the reduction's rounding error:
 * r² q(r), q(r) = Σ_{i=0}^{12} r^i/(i + 2)!, for |r| ≤ 0.35. The coefficients are 1/n!
 * rounded to the nearest double (n! < 2^53 is exact, so each division rounds once). q is
 * summed in Estrin's scheme (pairs, then pairs of pairs with r², r⁴, r⁸) rather than Horner's:
 * the same accuracy here (the terms fall by ≥ 10× each), but a dependency chain of 8 operations
 * instead of 24, which is what limits the speed of the vectorised kernels.
 */
export function expTail(r: number): number {
  const r2 = r * r;
  const r4 = r2 * r2;
  const r8 = r4 * r4;
  const q01 = 1 / 2 + r * (1 / 6);
  const q23 = 1 / 24 + r * (1 / 120);
  const q45 = 1 / 720 + r * (1 / 5040);
  const q67 = 1 / 40320 + r * (1 / 362880);
  const q89 = 1 / 3628800 + r * (1 / 39916800);
  const q1011 = 1 / 479001600 + r * (1 / 6227020800);
  const q03 = q01 + r2 * q23;
  const q47 = q45 + r2 * q67;
  const q811 = q89 + r2 * q1011;
  const q07 = q03 + r4 * q47;
  const q812 = q811 + r4 * (1 / 87178291200); // 1/14!
  return r2 * (q07 + r8 * q812);
}

/** 2^j for the integers j the scaling uses, −800 ≤ j ≤ 600, built by exact doublings and halvings. */
const POW2_MIN = -800;
const POW2 = (() => {
  const table = new Float64Array(600 - POW2_MIN + 1);
  let p = 1;
  for (let j = 0; j <= 600; j++, p *= 2) table[j - POW2_MIN] = p;
  p = 1;
  for (let j = 0; j >= POW2_MIN; j--, p /= 2) table[j - POW2_MIN] = p;
  return table;
})();

/** 2^j exactly, for integer −800 ≤ j ≤ 600. */
export function pow2(j: number): number {
  return POW2[j - POW2_MIN]!;
}

/** m·2^k for integer −1600 < k ≤ 1024, rounded once: (m·2^{k₁})·2^{k₂}, k₁ = ⌊k/2⌋, k₂ = k − k₁. */
export function scaleByPow2(m: number, k: number): number {
  const k1 = k >> 1;
  return m * pow2(k1) * pow2(k - k1);
}

/** e^x (see the module comment: ≤ 1 ulp, measured ≤ 0.76 ulp). */
export function exp(x: number): number {
  if (!(x <= EXP_OVERFLOW_ARG)) return x > 0 ? Infinity : x; // e^x overflows; NaN stays NaN
  if (x < EXP_UNDERFLOW_ARG) return 0;
  const k = nearestInteger(x * LOG2E); // x = k ln2 + r
  const hi = x - k * LN2_HI; // exact
  const lo = k * LN2_LO;
  const r = hi - lo;
  const c = hi - r - lo + expTail(r); // e^r = 1 + r + c
  const S = 1 + r;
  const er = S + (1 - S + r + c); // 1 − S + r is S's exact rounding error
  return scaleByPow2(er, k | 0);
}
