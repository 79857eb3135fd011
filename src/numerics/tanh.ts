/**
 * handgrad's own float64 tanh(z) and its derivative tanh′(z) = 1 − tanh²(z), written from the
 * math with IEEE-754 additions, multiplications, divisions and exact powers of two only (no
 * fused multiply-add), for the same two reasons as exp.ts: the same bits in every engine
 * (Math.tanh is implementation-approximated) and the same operations, two at a time, in the
 * WebAssembly SIMD128 kernels (src/linalg/wasm/kernels.wat), bit for bit.
 *
 * tanh is odd, so it is computed on s = |z| and given z's sign (tanh(−0) = −0):
 *
 *   s < ln2/4 (≈ 0.1733):  the Taylor series tanh s = s + s³(−1/3 + 2/15 s² − 17/315 s⁴ + …),
 *       9 terms after s (through s¹⁹; the next, ≈ 10^{−4}·s²¹, is below 10^{−19} relative).
 *       Evaluated as s + s·(w P(w)), w = s²: the correction is under 1 % of s, so the
 *       result is within about 0.5 ulp.
 *   s ≥ ln2/4:  with y = −2s and exp.ts's reduction y = k ln2 + r (k ≤ −1 here), e^y = 2^k(1 + p)
 *       and p = r + c, so tanh s = (1 − e^y)/(1 + e^y) = (u − 1 − p)/(u + 1 + p) with u = 2^{−k}:
 *       numerator and denominator are ≥ 1 − p ≥ 0.58 and no subtraction cancels (1 − e^y
 *       would, for small s). s is first capped at 20, where tanh s rounds to 1 already
 *       (1 − tanh s < 2e^{−2s} < 2^{−54} for s > 19.07).
 *
 * Accuracy, measured against 60-digit decimal.js truth (test/numerics/exp-tanh.test.ts, about
 * 9000 points over the whole range: tiny and subnormal z, both branches and their border, the
 * saturation region): at most 1.08 ulp; the test asserts ≤ 1.5 ulp. (Math.tanh in Node 20
 * measured 1.9 ulp on similar points.) The division q = N/D rounds once and the correction
 * for N's and D's own rounding errors is added to it, so the error is that rounding, the
 * final addition and the truncation of the series. Also |tanh z| ≤ 1 (q ≤ 1, as N ≤ D before
 * and so after rounding, and where q rounds to 1 the correction, ≈ tanh s − 1 < 0 up to
 * second-order terms, cannot lift it), tanh(±∞) = ±1, tanh(NaN) = NaN; tanh is odd bit for
 * bit, and bounded and monotone on every point tested (property tests, neighbouring doubles).
 */
import { exp, expTail, LN2_HI, LN2_LO, LOG2E, nearestInteger, pow2 } from "./exp.js";

/** Below this |z| the Taylor polynomial is used (ln2/4, where exp.ts's k leaves 0). */
export const TANH_SERIES_BELOW = 0.1733;
/** |z| is capped here: tanh rounds to ±1 from 19.07 on. */
export const TANH_SATURATION = 20;

/**
 * P(w) with tanh s = s + s·w·P(w), w = s²: the Taylor coefficients of tanh after the first,
 * −1/3, 2/15, −17/315, … (from T′ = 1 − T²), each the exact fraction rounded once. Summed
 * in Estrin's scheme (pairs, then w², w⁴, w⁸), a short dependency chain for the kernels.
 */
function tanhSeriesTail(w: number): number {
  const w2 = w * w;
  const w4 = w2 * w2;
  const w8 = w4 * w4;
  const p01 = -1 / 3 + w * (2 / 15); // s³, s⁵
  const p23 = -17 / 315 + w * (62 / 2835);
  const p45 = -1382 / 155925 + w * (21844 / 6081075);
  const p67 = -929569 / 638512875 + w * (6404582 / 10854718875);
  const p03 = p01 + w2 * p23;
  const p47 = p45 + w2 * p67;
  return p03 + w4 * p47 + w8 * (-443861162 / 1856156927625); // … s¹⁹
}

/** tanh(s) for s = |z| ≥ 0 (NaN for NaN), by the two branches of the module comment. */
function tanhOfMagnitude(s: number): number {
  if (s < TANH_SERIES_BELOW) {
    const w = s * s;
    return s + s * (w * tanhSeriesTail(w));
  }
  const y = -2 * Math.min(s, TANH_SATURATION);
  const k = nearestInteger(y * LOG2E); // y = k ln2 + r, k ≤ −1
  const hi = y - k * LN2_HI; // exact
  const lo = k * LN2_LO;
  const r = hi - lo;
  const c = hi - r - lo + expTail(r); // e^r = 1 + r + c
  const p = r + c; // e^r − 1, rounded
  const pErr = r - p + c; // its rounding error (Fast2Sum: |c| < |r|)
  const u = pow2(-k | 0); // 2^{−k}
  const A = u - 1;
  const aErr = u - A - 1; // 0 unless u ≥ 2^54
  const B = u + 1;
  const bErr = u - B + 1; // 0 unless u ≥ 2^53
  const N = A - p;
  const nErr = A - N - p; // exact, as A ≥ 1 > |p|
  const D = B + p;
  const dErr = B - D + p;
  const q = N / D;
  const inverseD = 1 / D; // the correction is tiny: its rounding through 1/D does not matter
  return q + (nErr + aErr - pErr - q * (dErr + bErr + pErr)) * inverseD;
}

/** tanh(z), odd, |tanh z| ≤ 1 (see the module comment for the method and the bound). */
export function tanh(z: number): number {
  const m = tanhOfMagnitude(Math.abs(z));
  return z < 0 ? -m : z > 0 ? m : z; // ±0 and NaN are returned as they are
}

/**
 * tanh′(z) = 1 − tanh²(z) = 4t/(1 + t)² with t = e^{−2|z|} (the same value: 1 − tanh² =
 * sech² = 4/(e^z + e^{−z})²). Keeps full relative accuracy where 1 − a² cancels (|z| large:
 * a rounds to ±1 although tanh′ ≈ 4e^{−2|z|} > 0 until it underflows near |z| = 372.5).
 * Measured within 3.4 ulp of the truth for |z| ≤ 354 (beyond, t is subnormal and the result,
 * below 2^{−1019}, keeps fewer bits). For tiny |z| the roundings can lift the quotient one
 * ulp above 1 (the truth is 1 − z² + …), so it is capped at 1: tanh′ ∈ [0, 1] always.
 */
export function tanhDerivative(z: number): number {
  const t = exp(-2 * Math.abs(z));
  return Math.min((4 * t) / ((1 + t) * (1 + t)), 1);
}
