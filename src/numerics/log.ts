/**
 * handgrad's own float64 natural logarithm log(x) and log1p(x) = log(1 + x), written from the
 * math with IEEE-754 additions, multiplications and divisions, exact bit reads of the
 * exponent and no fused multiply-add, for the two reasons of exp.ts: ECMAScript leaves
 * Math.log and Math.log1p "implementation-approximated" (V8 in Node 20 and in Chromium differ
 * in the last bit for some arguments), and the same operations, in the same order, can run two
 * at a time in WebAssembly SIMD128.
 *
 * Method (a reduction to [√2/2, √2) and the series of atanh):
 *   x = 2^k·m with m ∈ [√2/2, √2) read from the bits (a subnormal x is first scaled by 2^54),
 *       f = m − 1 ∈ [−0.293, 0.415), exact (Sterbenz: m and 1 are within a factor 2).
 *   log(1 + f) = 2 atanh s with s = f/(2 + f), |s| ≤ 0.1716, and 2 atanh s = 2s + s·R(s²),
 *       R = Σ_{n=1}^{10} 2s^{2n}/(2n + 1) (the first term left out is below 2^{−60} of the
 *       result). Since 2s = f − f²/2 + s·f²/2 exactly, log(1 + f) = f − f²/2 + s(f²/2 + R):
 *       the large part f − f²/2 is formed with its errors (f² by Dekker's product, exact.ts,
 *       and the subtraction by Fast2Sum) and only the small part s(f²/2 + R), at most 5 % of
 *       the result, carries the rounding of s and of the series.
 *   log x = k·LN2_HI + (f − f²/2) + [the errors + s(f²/2 + R) + k·LN2_LO], where k·LN2_HI is
 *       exact (LN2_HI of exp.ts has 32 significant bits, |k| ≤ 1128 has 11) and its sum with
 *       f − f²/2 is again Fast2Sum: the only rounding at the result's scale is the last
 *       addition.
 *   log1p(x): for x ∈ [√2/2 − 1, √2 − 1) the same with k = 0 and f = x (no 1 + x is formed);
 *       otherwise u = 1 + x rounded, its error c = (1 + x) − u exactly (Fast2Sum), u reduced as
 *       above and c/u added to the small part (log(u + c) = log u + c/u − …, the next term
 *       is below 2^{−106}).
 *
 * Accuracy, measured against 60-digit decimal.js truth (test/numerics/log-trig.test.ts, about
 * 9000 points of each: every binade including subnormal x, near 1, the reduction's borders,
 * x near −1 for log1p, huge x): log at most 0.61 ulp, log1p at most 0.56 ulp, the worst where
 * f is near √2 − 1 and the small part is largest; the test asserts ≤ 1 ulp (faithful
 * rounding). Special values: log(±0) = −∞, log(x < 0) = NaN, log(+∞) = +∞,
 * log(1) = +0, log(NaN) = NaN; log1p(−1) = −∞, log1p(x < −1) = NaN, log1p(+∞) = +∞,
 * log1p(±0) = ±0 and log1p(x) = x for |x| < 2^{−54} (the correctly rounded value).
 */
import { LN2_HI, LN2_LO } from "./exp.js";
import { squareError } from "./exact.js";

/** 2^{−54}: below it, log1p(x) = x(1 − x/2 + …) rounds to x. */
const LOG1P_IDENTITY_BELOW = 5.551115123125783e-17;
/** 2^{−1022}, the smallest normal double; 2^54, the scaling that lifts a subnormal above it. */
const SMALLEST_NORMAL = 2.2250738585072014e-308;
const TWO_54 = 18014398509481984;

/** The reduced range of m and, for log1p, of x itself: [√2/2, √2) and [√2/2 − 1, √2 − 1). */
const SQRT2 = Math.SQRT2;
const SQRT_HALF_MINUS_ONE = Math.SQRT1_2 - 1;
const SQRT2_MINUS_ONE = Math.SQRT2 - 1;
/** 2√2 − 1: for x ∈ [√2 − 1, 2√2 − 1), u = 1 + x ∈ [√2, 2√2) has k = 1 and m = u/2. */
const TWO_SQRT2_MINUS_ONE = 2 * Math.SQRT2 - 1;

/** A double's bits, read through an integer view of the same 8 bytes. */
const scratch = new Float64Array(1);
const words = new Uint32Array(scratch.buffer);
/** The index of the word holding the sign, the exponent and the top 20 significand bits. */
const HIGH_WORD = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/**
 * R(w)/w = Σ_{n=0}^{9} 2w^n/(2n + 3) for w = s² ≤ 0.0295: the atanh series after its first
 * term, each coefficient the exact fraction rounded once, summed in Estrin's scheme (pairs,
 * then w², w⁴, w⁸) like exp.ts's expTail.
 */
function atanhTail(w: number): number {
  const w2 = w * w;
  const w4 = w2 * w2;
  const w8 = w4 * w4;
  const p01 = 2 / 3 + w * (2 / 5);
  const p23 = 2 / 7 + w * (2 / 9);
  const p45 = 2 / 11 + w * (2 / 13);
  const p67 = 2 / 15 + w * (2 / 17);
  const p89 = 2 / 19 + w * (2 / 21);
  const p03 = p01 + w2 * p23;
  const p47 = p45 + w2 * p67;
  return p03 + w4 * p47 + w8 * p89;
}

/**
 * k·ln 2 + log(1 + f) + c for an integer |k| ≤ 1128, f ∈ [√2/2 − 1, √2 − 1) with
 * |f| ≥ 2^{−54} or f = 0, and a correction |c| ≤ 2^{−52} (see the module comment).
 */
function logOfReduced(k: number, f: number, c: number): number {
  const s = f / (2 + f);
  const w = s * s;
  const fSquared = f * f;
  const half = 0.5 * fSquared; // f²/2 rounded (the halving is exact: f² ≥ 2^{−108})
  const halfError = 0.5 * squareError(f, fSquared); // f²/2 − half, exactly
  const high = f - half;
  const highError = f - high - half; // exact: Fast2Sum, |f| ≥ f²/2
  const small = highError - halfError + s * (half + w * atanhTail(w)) + c;
  if (k === 0) return high + small; // the same bits as below, where the sum is then high, exactly
  const multiple = k * LN2_HI; // exact
  const sum = multiple + high;
  const sumError = multiple - sum + high; // exact: Fast2Sum, |k·ln 2| > |high| unless k = 0
  return sum + (sumError + (small + k * LN2_LO));
}

/** x = 2^k·m for a finite x > 0: sets m ∈ [√2/2, √2) in `reduced` and returns k. */
const reduced = { m: 1 };
function exponentOf(x: number): number {
  let k = 0;
  if (x < SMALLEST_NORMAL) {
    x *= TWO_54; // exact
    k = -54;
  }
  scratch[0] = x;
  const high = words[HIGH_WORD]!;
  k += (high >>> 20) - 1023;
  words[HIGH_WORD] = (high & 0x000fffff) | 0x3ff00000; // the same significand, exponent 0
  let m = scratch[0]!; // [1, 2)
  if (m >= SQRT2) {
    m *= 0.5;
    k += 1;
  }
  reduced.m = m;
  return k;
}

/** The natural logarithm of x (see the module comment: ≤ 1 ulp, measured ≤ 0.61 ulp). */
export function log(x: number): number {
  if (!(x > 0)) return x === 0 ? -Infinity : NaN; // ±0; x < 0 and NaN have no real log
  if (x === Infinity) return x;
  const k = exponentOf(x);
  return logOfReduced(k, reduced.m - 1, 0);
}

/** log(1 + x), accurate for tiny x (see the module comment: ≤ 1 ulp, measured ≤ 0.56 ulp). */
export function log1p(x: number): number {
  if (!(x > -1)) return x === -1 ? -Infinity : NaN; // x < −1 and NaN have no real log
  if (x === Infinity) return x;
  if (Math.abs(x) < LOG1P_IDENTITY_BELOW) return x; // ±0 and subnormals included
  let k = 0;
  let f = x; // x ∈ [√2/2 − 1, √2 − 1): k = 0 and f = x, no 1 + x formed
  let c = 0;
  if (!(x >= SQRT_HALF_MINUS_ONE && x < SQRT2_MINUS_ONE)) {
    const u = 1 + x;
    const uError = x > 1 ? x - u + 1 : 1 - u + x; // (1 + x) − u exactly (Fast2Sum)
    c = uError / u;
    if (x >= SQRT2_MINUS_ONE && x < TWO_SQRT2_MINUS_ONE) {
      // k = 1 without reading the bits (the same k and m as exponentOf): softplus's
      // log1p(e^{−|z|}) for |z| < 0.88 lands here
      k = 1;
      f = 0.5 * u - 1;
    } else {
      k = exponentOf(u);
      f = reduced.m - 1;
    }
  }
  return logOfReduced(k, f, c); // one call site: the optimizer inlines it once
}
