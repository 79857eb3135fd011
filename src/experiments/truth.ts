/**
 * The oracle: σ, softplus and log1mexp at 60 significant digits (decimal.js), from the exact
 * value of each float64 input.
 *
 * Three rules keep the oracle itself right (truth.test.ts checks it against a second, naive
 * evaluation at 200 digits):
 *  - It works at 75 digits and rounds each result to 60, so the 1e−75 absolute error of
 *    forming 1 + t (or e^x − 1) costs at most 1e−60 relative once |t| ≥ 1e−15.
 *  - Below 1e−15, log1p(t) and expm1(x) use four terms of their series instead (the first
 *    omitted term is < 1e−60 relative), since 1 + t would lose t.
 *  - For |z| > 1e5 decimal.js is not asked for e^{−|z|} (e^{−1e308} is beyond any exponent
 *    range); the oracle uses the exact asymptotic forms σ = 1 or 0, softplus = |z| or 0. They
 *    differ from the truth by less than e^{−1e5} < 10^{−43429} absolutely, which is below
 *    10^{−43000} ulps even of a subnormal, so no measured ulp error changes.
 *
 * One blind spot, covered by exact tests instead: where the truth lies within 10^{−60} below a
 * power of two (σ(z) just below 1 for z > 138, just below 1/2 for −10^{−60} < z < 0), the
 * 60-digit value rounds to the power of two and the ulp is taken from the binade above, so an
 * error there would read half its true size. identities.test.ts asserts σ = 1 and σ = 1/2
 * exactly at those points.
 */
import { Decimal } from "decimal.js";
import { D, exactOf } from "./ulp.js";

/** The working precision: 15 guard digits over the 60 the results are rounded to. */
const W = Decimal.clone({ precision: 75, minE: -9e15, maxE: 9e15 });

/** A working value rounded to the 60-digit truth. */
const to60 = (x: Decimal): Decimal => new D(x).toSignificantDigits(60);

/** Beyond this |z| the asymptotic forms are used (see above). */
const ASYMPTOTIC_FROM = 1e5;

/** log(1 + t) for t > −1, accurate for tiny t. */
function log1pExact(t: Decimal): Decimal {
  if (t.isZero()) return t;
  if (t.abs().lt(1e-15)) {
    // t − t²/2 + t³/3 − t⁴/4
    const t2 = t.times(t);
    return t.minus(t2.div(2)).plus(t2.times(t).div(3)).minus(t2.times(t2).div(4));
  }
  return W.ln(t.plus(1));
}

/** e^x − 1, accurate for tiny x. */
function expm1Exact(x: Decimal): Decimal {
  if (x.abs().lt(1e-15)) {
    // x + x²/2 + x³/6 + x⁴/24
    const x2 = x.times(x);
    return x.plus(x2.div(2)).plus(x2.times(x).div(6)).plus(x2.times(x2).div(24));
  }
  return W.exp(x).minus(1);
}

/** The true values of everything the loss is made of, at one logit z. */
export interface LogitTruth {
  /** σ(z). */
  readonly sigmoid: Decimal;
  /** softplus(z) = log(1 + e^z) = ℓ(z, 0). */
  readonly softplus: Decimal;
  /** softplus(−z) = −log σ(z) = ℓ(z, 1). */
  readonly softplusOfNegative: Decimal;
}

const cache = new Map<number, LogitTruth>();

/**
 * Truth at z from one exponential t = e^{−|z|}:
 *   z ≥ 0:  σ = 1/(1 + t),  softplus(z) = z + log1p(t),  softplus(−z) = log1p(t)
 *   z < 0:  σ = t/(1 + t),  softplus(z) = log1p(t),      softplus(−z) = −z + log1p(t)
 */
export function truthAt(z: number): LogitTruth {
  const cached = cache.get(z);
  if (cached !== undefined) return cached;
  const a = new W(exactOf(Math.abs(z)));
  const t = Math.abs(z) > ASYMPTOTIC_FROM ? new W(0) : W.exp(a.neg());
  const l = log1pExact(t);
  const [sigmoid, softplus, softplusOfNegative] =
    z >= 0 ? [new W(1).div(t.plus(1)), a.plus(l), l] : [t.div(t.plus(1)), l, a.plus(l)];
  const truth = {
    sigmoid: to60(sigmoid),
    softplus: to60(softplus),
    softplusOfNegative: to60(softplusOfNegative),
  };
  cache.set(z, truth);
  return truth;
}

/**
 * log(1 − e^x) for x < 0 (x = 0 gives −∞ and is tested on its own):
 *   x > −1:  ln(−expm1(x))    1 − e^x would cancel
 *   x ≤ −1:  log1p(−e^x)      ln of a value near 1 would lose e^x at 60 digits
 */
export function log1mexpTruth(x: number): Decimal {
  if (!(x < 0)) throw new RangeError(`log1mexpTruth: need x < 0, got ${x}`);
  const e = new W(exactOf(x));
  if (x > -1) return to60(W.ln(expm1Exact(e).neg()));
  if (x < -ASYMPTOTIC_FROM) return new D(0); // |truth| < e^{−1e5}: as above
  return to60(log1pExact(W.exp(e).neg()));
}
