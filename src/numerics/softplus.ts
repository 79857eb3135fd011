/**
 * softplus(z) = log(1 + e^z) and its mirror log σ(z) = −softplus(−z): the two logarithms the
 * cross-entropy needs, evaluated without forming e^z or σ(z) where they lose information.
 */
import { exp } from "./exp.js";
import { log1p } from "./log.js";

/**
 * softplus(z) = log(1 + e^z) = max(z, 0) + log1p(e^{−|z|}).
 *
 * The textbook form fails at both ends: e^z overflows for z > 709.78 (so the result would be
 * ∞ instead of ≈ z), and for z < −37 the sum 1 + e^z rounds to 1 (e^z < 2^{−53}), so log gives
 * 0 instead of ≈ e^z. Factoring out e^{max(z,0)} leaves log1p of t = e^{−|z|} ∈ (0, 1]:
 * no overflow, and log1p keeps full relative accuracy for small t (exp and log1p are
 * handgrad's own, exp.ts and log.ts: the same bits in every engine). Both terms are ≥ 0, so
 * the sum does not cancel. The tails need no branch of their own:
 *   z > 33.3:     log1p(e^{−z}) < 2^{−48} = ulp(z)/2 for z ∈ [32, 64), so the sum rounds to z;
 *   z < −745.13:  e^{z} underflows to 0, the correctly rounded value (softplus(z) < e^{z} <
 *                 2^{−1075}, half the smallest subnormal).
 */
export function softplus(z: number): number {
  return Math.max(z, 0) + log1p(exp(-Math.abs(z)));
}

/**
 * log σ(z) = −log(1 + e^{−z}) = −softplus(−z).
 *
 * Never log(sigmoid(z)): for z > 37.43 (e^{−z} < 2^{−54}) σ(z) rounds to 1 and log gives 0 instead of ≈ −e^{−z},
 * and for z < −745.13 σ(z) underflows to 0 and log gives −∞ instead of ≈ z.
 */
export function logSigmoid(z: number): number {
  return -softplus(-z);
}
