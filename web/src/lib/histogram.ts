/**
 * Per-unit activation histograms of the hidden layer, with dead and saturated units marked.
 *   dead:      f′(z) = 0 on every row (a relu unit never active: z ≤ 0 everywhere), so no
 *              gradient reaches its incoming weights;
 *   saturated: not dead, and f′(z) < SATURATION × f′'s peak on at least SATURATED_SHARE of
 *              the rows (a tanh or σ unit pinned near its asymptotes learns ~100× slower).
 */
import type { Activation } from "../../../src/nn/index.js";
import type { Matrix } from "../../../src/linalg/index.js";

export const SATURATION = 0.01;
export const SATURATED_SHARE = 0.9;

export interface UnitHistogram {
  /** Counts of a = f(z) in `bins` equal bins over [lo, hi] (the last bin includes hi). */
  readonly counts: Uint32Array;
  readonly dead: boolean;
  readonly saturated: boolean;
}

export interface HiddenHistograms {
  readonly lo: number;
  readonly hi: number;
  readonly units: UnitHistogram[];
}

/**
 * Counts of `values` in `bins` equal bins over [lo, hi]: bin ⌊(v − lo)/(hi − lo)·bins⌋,
 * values below lo in the first bin and from hi up in the last.
 */
export function binCounts(
  values: ArrayLike<number>,
  lo: number,
  hi: number,
  bins: number,
): Uint32Array {
  const counts = new Uint32Array(bins);
  const width = hi - lo;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const b = width > 0 ? Math.floor(((v - lo) / width) * bins) : 0;
    counts[Math.min(bins - 1, Math.max(0, b))]! += 1;
  }
  return counts;
}

/** The largest f′ of the activation: at z = 0 (tanh, σ) or on the positive side (relu-like). */
export function derivativePeak(f: Activation): number {
  return Math.max(f.df(0, f.f(0)), f.df(1, f.f(1)));
}

/**
 * The histograms of the N×H pre-activations z1 through f: one per unit, over a shared range
 * (the min and max of a over all units), with the dead and saturated flags.
 */
export function hiddenHistograms(z1: Matrix, f: Activation, bins: number): HiddenHistograms {
  const { rows: N, cols: H } = z1;
  const a = new Float64Array(N * H); // N×H, a = f(z1)
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < N * H; i++) {
    const v = f.f(z1.data[i]!);
    a[i] = v;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(lo < hi)) [lo, hi] = [lo - 0.5, lo + 0.5];
  const threshold = SATURATION * derivativePeak(f);
  const units: UnitHistogram[] = [];
  const column = new Float64Array(N);
  for (let j = 0; j < H; j++) {
    let zeroSlope = 0;
    let flat = 0;
    for (let i = 0; i < N; i++) {
      const v = a[i * H + j]!;
      column[i] = v;
      const slope = f.df(z1.data[i * H + j]!, v);
      if (slope === 0) zeroSlope++;
      if (slope < threshold) flat++;
    }
    const dead = N > 0 && zeroSlope === N;
    units.push({
      counts: binCounts(column, lo, hi, bins),
      dead,
      saturated: !dead && N > 0 && flat >= SATURATED_SHARE * N,
    });
  }
  return { lo, hi, units };
}
