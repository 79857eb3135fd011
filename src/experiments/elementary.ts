/**
 * The elementary functions the experiments' figures need beyond handgrad's own exp and log
 * (numerics/): log2, log10, 10^x, the cube root, atanh and the square. Written on those rather than taken
 * from Math.log2, Math.log10, Math.cbrt, Math.atanh and `**`, which ECMAScript leaves "implementation-approximated":
 * the figures in docs/ then come out the same in every engine and every Node version. log2,
 * log10, cbrt and tenTo of a fraction are a few ulp from the truth (log and exp are within one, then
 * one division or product rounds, atanh a few more); the experiments print three significant
 * digits at most.
 */
import { exp } from "../numerics/exp.js";
import { log, log1p } from "../numerics/log.js";
import { powInteger } from "../numerics/power.js";

/** log2(x) = log(x)/ln 2 for x > 0. */
export function log2(x: number): number {
  return log(x) / Math.LN2;
}

/** log10(x) = log(x)/ln 10 for x > 0. */
export function log10(x: number): number {
  return log(x) / Math.LN10;
}

/**
 * 10^x: exact for an integer x with |x| ≤ 22 (10^k is a double and 10^{−k} = 1/10^k rounds
 * once), e^{x ln 10} otherwise.
 */
export function tenTo(x: number): number {
  if (Number.isInteger(x) && Math.abs(x) <= 22) {
    const power = powInteger(10, Math.abs(x)); // exact: 10^22 = 2^22·5^22, 5^22 < 2^53
    return x < 0 ? 1 / power : power;
  }
  return exp(x * Math.LN10);
}

/** The cube root of x > 0, e^{(log x)/3}. */
export function cbrt(x: number): number {
  return exp(log(x) / 3);
}

/** atanh(x) = ½ log1p(2x/(1 − x)) for |x| < 1 (no cancellation in 1 + x for small x). */
export function atanh(x: number): number {
  return 0.5 * log1p((2 * x) / (1 - x));
}

/** x², as the product x·x (IEEE-exact rounding; `x ** 2` is left to each engine). */
export function square(x: number): number {
  return x * x;
}
