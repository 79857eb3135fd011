/**
 * The logistic function σ(z) = 1 / (1 + e^{−z}): the probability of class 1 given the logit z.
 */
import { DataError } from "../errors.js";
import { exp } from "./exp.js";

/**
 * σ(z), written so that the exponential only ever sees a non-positive argument.
 *
 *   z ≥ 0:  σ(z) = 1 / (1 + e^{−z})       e^{−z} ∈ (0, 1]
 *   z < 0:  σ(z) = e^{z} / (1 + e^{z})     the same value; here 1 + e^{−z} overflows
 *                                          for z < −709.78 (e^{709.78} > 2^1024) and
 *                                          1/∞ = 0 would throw away σ's subnormal tail.
 *
 * Each branch is accurate to about 1.5 ulp: e^{∓z} (exp.ts, the same bits in every engine)
 * enters damped by e/(1 + e) ≤ 1/2, then one addition and one division are rounded. For z < −745.13 e^{z} underflows to 0, which
 * is the correctly rounded σ(z) (σ(z) < e^{z} < 2^{−1075}, half the smallest subnormal).
 * The complement is never 1 − σ(z) from a rounded σ: it is σ(−z).
 */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + exp(-z));
  const ez = exp(z);
  return ez / (1 + ez);
}

/**
 * σ(z) − y, the logistic residual ∂ℓ/∂z of the cross-entropy, without forming 1 − σ(z):
 *
 *   σ(z) − y = (1 − y) σ(z) − y σ(−z)      since 1 − σ(z) = σ(−z)
 *
 * For y ∈ {0, 1} one term vanishes and the result is σ(z) or −σ(−z), each to σ's accuracy.
 * The textbook p − y with a rounded p = σ(z) returns exactly 0 once p rounds to 1 (z > 36.7),
 * although the true residual −σ(−z) ≈ −e^{−z} is still far from 0 in floating point.
 * Refuses (DataError) a label outside [0, 1] or NaN; the check costs nothing for 0 and 1.
 */
export function sigmoidMinusLabel(z: number, y: number): number {
  if (y === 0) return sigmoid(z);
  if (y === 1) return -sigmoid(-z);
  if (!(y >= 0 && y <= 1)) {
    throw new DataError(`sigmoidMinusLabel: label y = ${y} is outside [0, 1]`);
  }
  return (1 - y) * sigmoid(z) - y * sigmoid(-z);
}
