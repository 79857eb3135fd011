/** The mean of per-example losses, shared by both output heads' losses. */
import { map, sumAll, type Matrix } from "../linalg/index.js";

/**
 * (1/N) Σ_n ℓ_n over the N×1 per-example losses (N ≥ 1).
 *
 * The terms are ≥ 0, so the compensated sum is accurate to about 2 ulp whatever N is. When
 * the sum overflows (terms near 1.8e308), the terms are scaled by 2^{−⌈log2 N⌉} first, which
 * is exact, and the scale is undone after the division: the mean itself is ≤ max ℓ.
 */
export function meanLoss(losses: Matrix): number {
  const N = losses.rows;
  const total = sumAll(losses);
  if (Number.isFinite(total)) return total / N;
  const k = Math.ceil(Math.log2(N));
  return (sumAll(map(losses, (l) => l * 2 ** -k)) / N) * 2 ** k;
}
