/**
 * handgrad's own sinpi(x) = sin(πx) and cospi(x) = cos(πx) in float64, from IEEE-754
 * additions, multiplications and exact roundings to integers only (no fused multiply-add),
 * for the reasons of exp.ts: Math.sin and Math.cos are "implementation-approximated" in
 * ECMAScript (V8 in Node 20 and in Chromium differ in the last bit for some arguments), and
 * these operations give the same bits in every engine. Taking the angle in half-turns is what
 * makes the reduction exact: the random angles of Box–Muller (rng.ts), the toy data sets and
 * the cosine schedule are fractions of π to begin with, and π·x would round before Math.sin
 * ever saw it.
 *
 * Method (an exact reduction to an octant, then Taylor polynomials):
 *   a = |x| < 2^53 (beyond, x is an even integer): b = a − 2⌊a/2⌋ ∈ [0, 2), j = b rounded to
 *       the nearest half (j = round(2b) ∈ 0..4, ties to even) and r = b − j/2 ∈ [−1/4, 1/4].
 *       Every step is exact: a/2 rounds only below 2^{−1021}, where ⌊a/2⌋ = 0 all the same, and
 *       b, j/2 and r lie on the grid of a's last bit.
 *   sin(π(j/2 + r)) is ±sin(πr) or ±cos(πr) by j's quarter turn, and sinpi is odd, cospi even.
 *   sin(πr) = πr + r³ S(r²),  S(w) = Σ_{n=1}^{9} (−1)^n π^{2n+1} w^{n−1}/(2n + 1)!
 *   cos(πr) = 1 − (π²/2) r² + r⁴ C(r²),  C(w) = Σ_{n=2}^{9} (−1)^n π^{2n} w^{n−2}/(2n)!
 *       (the first terms left out are below 2^{−71} of the result for |r| ≤ 1/4). The
 *       coefficients are the exact values rounded once (test/numerics/log-trig.test.ts checks
 *       each against 80-digit π).
 *   The leading terms, the only ones at the result's scale, are formed exactly: πr as
 *       PI_HI·r with its Dekker error (exact.ts) plus PI_LO·r, where PI_HI + PI_LO = π to
 *       2^{−106}; and 1 − (π²/2) r² with r² and the product by π²/2 = C2_HI + C2_LO carrying
 *       their errors, then Fast2Sum. So the last addition is the only rounding at the result's
 *       scale; the rest (r³S ≤ 11 %, r⁴C ≤ 2.3 % of the result) adds a few tenths of an ulp at
 *       most.
 *   |x| < 2^{−900}: sin(πx) = πx (the cube is 2^{−1800} smaller), formed at x·2^{600} so that
 *       Dekker's error term is exact, then scaled back (a second rounding only for a
 *       subnormal result).
 *
 * Accuracy, measured against 60-digit decimal.js truth (test/numerics/log-trig.test.ts, about
 * 9000 points of each: tiny and subnormal x, every octant and its borders, large x up to
 * 2^53): sinpi at most 0.70 ulp (0.64 ulp of 2^{−1074} for subnormal results), cospi at most
 * 0.66 ulp, the worst where sin(πr) is taken near |r| = 1/4 and its cubic term is largest;
 * the test asserts ≤ 1 ulp (faithful rounding). Special values: sinpi(±0) = ±0, sinpi(n) = +0 for integer n > 0 and −0 for
 * n < 0; cospi(n + 1/2) = +0 and cospi(n) = ±1 for every integer n, sinpi(n + 1/2) = ±1;
 * ±∞ and NaN give NaN.
 */
import { nearestInteger } from "./exp.js";
import { productError, squareError } from "./exact.js";

/** π = PI_HI + PI_LO: PI_HI = Math.PI, PI_LO = π − PI_HI rounded (|π − PI_HI − PI_LO| < 2^{−106}·π). */
const PI_HI = Math.PI;
const PI_LO = 1.2246467991473532e-16;
/** π²/2 = C2_HI + C2_LO, each rounded once. */
const C2_HI = 4.934802200544679;
const C2_LO = 3.1326477543698557e-16;

/** 2^53: from there on every double is an even integer. */
const TWO_53 = 9007199254740992;
/** Below 2^{−900}, sinpi(x) = πx, formed at x·2^{600}. */
const TINY = 2 ** -900;
const TWO_600 = 2 ** 600;
const TWO_MINUS_600 = 2 ** -600;

/** (−1)^n π^{2n+1}/(2n + 1)! for n = 1..9, rounded once. */
const S3 = -5.16771278004997;
const S5 = 2.5501640398773455;
const S7 = -0.5992645293207921;
const S9 = 0.08214588661112823;
const S11 = -0.0073704309457143504;
const S13 = 0.00046630280576761255;
const S15 = -0.000021915353447830217;
const S17 = 7.952054001475513e-7;
const S19 = -2.2948428997269873e-8;

/** (−1)^n π^{2n}/(2n)! for n = 2..9, rounded once. */
const C4 = 4.0587121264167685;
const C6 = -1.3352627688545895;
const C8 = 0.2353306303588932;
const C10 = -0.02580689139001406;
const C12 = 0.0019295743094039231;
const C14 = -0.0001046381049248457;
const C16 = 0.000004303069587032947;
const C18 = -1.3878952462213771e-7;

/** Every coefficient, for the test that checks them against 80-digit truth. */
export const SINPI_COEFFICIENTS = { PI_LO, C2_HI, C2_LO, S3, S5, S7, S9, S11, S13, S15, S17, S19 };
/** See SINPI_COEFFICIENTS. */
export const COSPI_COEFFICIENTS = { C4, C6, C8, C10, C12, C14, C16, C18 };

/** S(w) of the module comment, in Estrin's scheme (pairs, then w², w⁴, w⁸). */
function sinTail(w: number): number {
  const w2 = w * w;
  const w4 = w2 * w2;
  const w8 = w4 * w4;
  const q01 = S3 + w * S5;
  const q23 = S7 + w * S9;
  const q45 = S11 + w * S13;
  const q67 = S15 + w * S17;
  const q03 = q01 + w2 * q23;
  const q47 = q45 + w2 * q67;
  return q03 + w4 * q47 + w8 * S19;
}

/** C(w) of the module comment, in Estrin's scheme (pairs, then w², w⁴). */
function cosTail(w: number): number {
  const w2 = w * w;
  const w4 = w2 * w2;
  const q01 = C4 + w * C6;
  const q23 = C8 + w * C10;
  const q45 = C12 + w * C14;
  const q67 = C16 + w * C18;
  const q03 = q01 + w2 * q23;
  const q47 = q45 + w2 * q67;
  return q03 + w4 * q47;
}

/** sin(πr) for 2^{−900} ≤ |r| ≤ 1/4 or r = 0. */
function sinOfPiTimes(r: number): number {
  const high = PI_HI * r;
  const low = productError(PI_HI, r, high) + PI_LO * r; // πr − high, to 2^{−106} relative
  const w = r * r;
  return high + (low + r * w * sinTail(w));
}

/** cos(πr) for |r| ≤ 1/4. */
function cosOfPiTimes(r: number): number {
  const w = r * r;
  const wError = squareError(r, w); // r² − w, exactly (garbage below 2^{−969}, then irrelevant)
  const high = C2_HI * w;
  const low = productError(C2_HI, w, high) + (C2_HI * wError + C2_LO * w); // (π²/2)r² − high
  const one = 1 - high;
  const oneError = 1 - one - high; // exact: Fast2Sum, high ≤ 0.31
  return one + (oneError - low + w * w * cosTail(w));
}

/**
 * The exact reduction of the module comment for 2^{−900} ≤ a < 2^53: returns j ∈ 0..4 and
 * leaves r = b − j/2 ∈ [−1/4, 1/4] in `octant.r`.
 */
const octant = { r: 0 };
function reduce(a: number): number {
  const b = a - 2 * Math.floor(a * 0.5); // a mod 2, exact
  const j = nearestInteger(2 * b); // 0..4
  octant.r = b - 0.5 * j; // exact
  return j;
}

/** sin(πx) (see the module comment: ≤ 1 ulp, measured ≤ 0.70 ulp). */
export function sinpi(x: number): number {
  if (x === 0) return x; // ±0
  const a = Math.abs(x);
  if (!(a < TWO_53)) return a === Infinity || a !== a ? NaN : x > 0 ? 0 : -0; // even integers
  if (a < TINY) {
    const scaled = x * TWO_600; // exact
    const high = PI_HI * scaled;
    const low = productError(PI_HI, scaled, high) + PI_LO * scaled;
    return (high + low) * TWO_MINUS_600;
  }
  const j = reduce(a);
  let s = j & 1 ? cosOfPiTimes(octant.r) : sinOfPiTimes(octant.r); // j = 1, 3: ±cos
  if (j & 2) s = -s; // j = 2, 3: half a turn on
  if (s === 0) s = 0; // sin(nπ) = +0 for n > 0 (and −0 for n < 0 below)
  return x < 0 ? -s : s;
}

/** cos(πx) (see the module comment: ≤ 1 ulp, measured ≤ 0.66 ulp). */
export function cospi(x: number): number {
  const a = Math.abs(x);
  if (!(a < TWO_53)) return a === Infinity || a !== a ? NaN : 1; // even integers
  const j = reduce(a);
  let c = j & 1 ? sinOfPiTimes(octant.r) : cosOfPiTimes(octant.r); // j = 1, 3: ∓sin
  if ((j + 1) & 2) c = -c; // j = 1, 2: cos(π/2 + θ) = −sin θ, cos(π + θ) = −cos θ
  if (c === 0) c = 0; // cos((n + 1/2)π) = +0
  return c;
}
