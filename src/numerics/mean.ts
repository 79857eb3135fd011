/** The mean of per-example losses, shared by both output heads' losses. */
import { map, sumAll, type Matrix } from "../linalg/index.js";

/**
 * (1/N) Σ_n ℓ_n over the N×1 per-example losses (N ≥ 1).
 *
 * The terms are ≥ 0, so the compensated sum is accurate to about 2 ulp whatever N is. When
 * the sum overflows (terms near 1.8e308), the terms are scaled by 1/2^k first, 2^k the least
 * power of two ≥ N (found by doubling, exactly: no Math.log2, whose rounding ECMAScript leaves
 * to each engine), which is exact, and the scale is undone after the division: the mean
 * itself is ≤ max ℓ.
 */
export function meanLoss(losses: Matrix): number {
  const N = losses.rows;
  const total = sumAll(losses);
  if (Number.isFinite(total)) return total / N;
  let scale = 1; // 2^k ≥ N
  while (scale < N) scale *= 2;
  const inverse = 1 / scale; // exact
  return (sumAll(map(losses, (l) => l * inverse)) / N) * scale;
}
