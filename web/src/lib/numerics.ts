/**
 * The numerics panel: binary cross-entropy at one logit z with label y, two ways.
 *   naive:  −[y log σ(z) + (1 − y) log(1 − σ(z))], σ(z) = 1/(1 + e^{−z}) rounded first;
 *           once σ(z) rounds to 1 (z ≳ 36.7) or to 0 (z ≲ −745), a log of 0 gives Infinity.
 *   stable: the library's bceWithLogits, max(z, 0) − z·y + log(1 + e^{−|z|}), finite everywhere.
 */
import { bceWithLogits } from "../../../src/numerics/index.js";
import { matrix } from "../../../src/linalg/index.js";

/** The textbook formula evaluated as written, in float64. */
export function naiveBce(z: number, y: number): number {
  const p = 1 / (1 + Math.exp(-z));
  // Written as a sum of both terms, as the formula reads (0 · −Infinity would be NaN).
  const positive = y === 0 ? 0 : y * Math.log(p);
  const negative = y === 1 ? 0 : (1 - y) * Math.log(1 - p);
  return -(positive + negative);
}

/** The library's stable loss on one example. */
export function stableBce(z: number, y: number): number {
  return bceWithLogits(matrix(1, 1, Float64Array.of(z)), matrix(1, 1, Float64Array.of(y)));
}
