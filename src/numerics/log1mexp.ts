/**
 * log1mexp(x) = log(1 − e^x) for x ≤ 0: the log of a complement probability given the log of
 * the probability (e.g. log(1 − p) from log p).
 */
import { exp } from "./exp.js";
import { expm1 } from "./expm1.js";
import { log, log1p } from "./log.js";

/**
 * log(1 − e^x) for x ≤ 0, with Mächler's split at x = −ln 2 (M. Mächler, "Accurately
 * Computing log(1 − exp(−|a|)), Assessed by the Rmpfr package", CRAN vignette, 2012):
 *
 *   −ln 2 < x ≤ 0:  log(−expm1(x))   e^x > 1/2, so 1 − e^x cancels; expm1 returns it to
 *                                     full relative accuracy, and log of a value < 1/2 has
 *                                     |result| > ln 2, so log does not amplify its error.
 *   x ≤ −ln 2:      log1p(−exp(x))   e^x ≤ 1/2 is accurate, and log1p of an argument in
 *                                     [−1/2, 0) is well conditioned (at most ≈ 1.44); here
 *                                     log(−expm1(x)) would take the log of a value near 1 and
 *                                     return 0 instead of ≈ −e^x once e^x < 2^{−53}.
 *
 * Mächler shows ln 2 is where the two forms' error bounds cross. log1mexp(0) = −∞ (log 0),
 * x < −745.13 gives −0 (e^x underflows; the exact value is above −2^{−1075}), and x > 0 gives
 * NaN (1 − e^x < 0 has no real log). exp, expm1, log and log1p are handgrad's own (exp.ts,
 * expm1.ts, log.ts): the same bits in every engine.
 */
export function log1mexp(x: number): number {
  return x > -Math.LN2 ? log(-expm1(x)) : log1p(-exp(x));
}
