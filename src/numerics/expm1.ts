/**
 * handgrad's own float64 expm1(x) = e^x − 1, accurate where e^x is near 1, from IEEE-754
 * additions, multiplications and exact powers of two only (no fused multiply-add), for the
 * reasons of exp.ts: Math.expm1 is "implementation-approximated" in ECMAScript, and these
 * operations give the same bits in every engine. Its one caller is log1mexp.ts.
 *
 * Method (exp.ts's reduction, then the −1 folded in before anything rounds):
 *   x = k ln 2 + r as in exp.ts: r = hi − k·LN2_LO with its rounding error r₀ (Fast2Sum),
 *       |r| ≤ ln2/2 (+ a hair); k = 0 for |x| ≤ 0.3466, where r = x exactly.
 *   e^x − 1 = 2^k·(T + r + r²/2 + r₀e^r + r³ Q(r)),  T = 1 − 2^{−k},
 *       Q(r) = Σ_{n=3}^{15} r^{n−3}/n! (the first term left out, r¹⁶/16!, is below 2^{−68}).
 *   T is exact for −53 ≤ k ≤ 53 (for k ≥ 54, T = 1 and the −2^{−k} joins the small terms); r²
 *   is formed with its exact error (Dekker's product, exact.ts), and the large terms T + r
 *   and (T + r) + r²/2 are summed by Fast2Sum (|T| ≥ 1/2 > |r| for k ≠ 0, T = 0 for k = 0,
 *   and |T + r| ≥ 0.15 > r²/2), so the only rounding at the result's scale is the last
 *   addition; the scaling by 2^k is exact (the result is a normal double).
 *   x < −37 (k ≤ −54): e^x − 1 is computed as exp(x) − 1, one rounding (e^x < 2^{−53.3}, so
 *   exp's own error is far below the result's ulp).
 *
 * Accuracy, measured against 60-digit decimal.js truth (test/numerics/log-trig.test.ts, about
 * 9000 points: tiny x, the k = 0 range and its border, every k down to −54, near overflow):
 * at most 0.54 ulp; the test asserts ≤ 1 ulp (faithful rounding). Special values:
 * expm1(±0) = ±0 and expm1(x) = x for |x| < 2^{−54}, expm1(+∞) = +∞, expm1(−∞) = −1,
 * expm1(NaN) = NaN, +∞ beyond exp.ts's overflow threshold 709.78.
 */
import {
  EXP_OVERFLOW_ARG,
  LN2_HI,
  LN2_LO,
  LOG2E,
  exp,
  nearestInteger,
  pow2,
  scaleByPow2,
} from "./exp.js";
import { squareError } from "./exact.js";

/** 2^{−54}: below it, e^x − 1 = x(1 + x/2 + …) rounds to x. */
const EXPM1_IDENTITY_BELOW = 5.551115123125783e-17;
/** Below this x, k ≤ −54 and 1 − 2^{−k} is no longer a double: e^x − 1 is exp(x) − 1. */
const EXPM1_FROM_EXP_BELOW = -37;

/**
 * Q(r) = Σ_{n=3}^{15} r^{n−3}/n! for |r| ≤ 0.35, the coefficients 1/n! rounded once, summed in
 * Estrin's scheme (pairs, then r², r⁴, r⁸) as exp.ts's expTail.
 */
function cubicTail(r: number): number {
  const r2 = r * r;
  const r4 = r2 * r2;
  const r8 = r4 * r4;
  const q01 = 1 / 6 + r * (1 / 24);
  const q23 = 1 / 120 + r * (1 / 720);
  const q45 = 1 / 5040 + r * (1 / 40320);
  const q67 = 1 / 362880 + r * (1 / 3628800);
  const q89 = 1 / 39916800 + r * (1 / 479001600);
  const q1011 = 1 / 6227020800 + r * (1 / 87178291200);
  const q03 = q01 + r2 * q23;
  const q47 = q45 + r2 * q67;
  const q811 = q89 + r2 * q1011;
  const q07 = q03 + r4 * q47;
  const q812 = q811 + r4 * (1 / 1307674368000); // 1/15!
  return q07 + r8 * q812;
}

/** e^x − 1 (see the module comment: ≤ 1 ulp, measured ≤ 0.54 ulp). */
export function expm1(x: number): number {
  if (!(x <= EXP_OVERFLOW_ARG)) return x > 0 ? Infinity : x; // overflows; NaN stays NaN
  if (x < EXPM1_FROM_EXP_BELOW) return exp(x) - 1; // −∞ gives −1
  if (Math.abs(x) < EXPM1_IDENTITY_BELOW) return x; // ±0 included
  const k = nearestInteger(x * LOG2E); // x = k ln2 + r, −53 ≤ k ≤ 1024
  const hi = x - k * LN2_HI; // exact
  const lo = k * LN2_LO;
  const r = hi - lo;
  const rError = hi - r - lo; // (hi − lo) − r, exact
  const rSquared = r * r;
  const half = 0.5 * rSquared; // r²/2 rounded (the halving is exact)
  // r's error enters through the slope e^r = 1 + r + r²/2 + …: 1 + r + r²/2 keeps it to 0.01 ulp.
  const small =
    rError * (1 + r + half) + 0.5 * squareError(r, rSquared) + r * rSquared * cubicTail(r);
  const T = k <= 53 ? 1 - pow2(-k) : 1; // 1 − 2^{−k}, exact
  const beyond = k <= 53 || k >= 800 ? 0 : pow2(-k); // the 2^{−k} T leaves out (54 ≤ k; < 2^{−800} is nothing)
  const first = T + r;
  const firstError = T - first + r; // exact: Fast2Sum (|T| ≥ |r| or T = 0)
  const second = first + half;
  const secondError = first - second + half; // exact: Fast2Sum (|T + r| ≥ r²/2)
  return scaleByPow2(second + (firstError + secondError + small - beyond), k | 0);
}
