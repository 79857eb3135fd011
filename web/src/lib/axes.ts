/**
 * Tick positions for the plots' axes (DOM-free): "nice" linear ticks (1, 2 or 5 × 10^k apart)
 * and, for a log scale, the powers of ten in range (with 2 and 5 × 10^k when the range spans
 * less than a decade or two). Labels in the shortest text that names each tick.
 */

/** About `target` ticks on [lo, hi], spaced 1, 2 or 5 × 10^k, each inside the range. */
export function niceTicks(lo: number, hi: number, target = 5): number[] {
  if (!(Number.isFinite(lo) && Number.isFinite(hi)) || !(hi > lo)) {
    return Number.isFinite(lo) ? [lo] : [];
  }
  const raw = (hi - lo) / Math.max(1, target);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * power >= raw) ?? 10) * power;
  const ticks: number[] = [];
  for (let i = Math.ceil(lo / step - 1e-9); i * step <= hi + step * 1e-9; i++) {
    ticks.push(Number((i * step).toPrecision(12)));
  }
  return ticks;
}

/** Ticks for a log10 axis over [lo, hi] (lo > 0): 10^k, and 2·10^k, 5·10^k over short spans. */
export function logTicks(lo: number, hi: number): number[] {
  if (!(lo > 0 && hi >= lo && Number.isFinite(hi))) return [];
  const [a, b] = [Math.floor(Math.log10(lo)), Math.ceil(Math.log10(hi))];
  const mantissas = b - a <= 2 ? [1, 2, 5] : [1];
  const ticks: number[] = [];
  for (let k = a; k <= b; k++) {
    for (const m of mantissas) {
      const t = Number((m * 10 ** k).toPrecision(12));
      if (t >= lo * (1 - 1e-12) && t <= hi * (1 + 1e-12)) ticks.push(t);
    }
  }
  return ticks;
}

/**
 * [lo, hi] (lo > 0) widened to the 1, 2 or 5 × 10^k values around it, so that a log axis has
 * at least two ticks however narrow the data's range.
 */
export function logRange(lo: number, hi: number): [number, number] {
  if (!(lo > 0 && hi >= lo && Number.isFinite(hi))) return [lo, hi];
  if (logTicks(lo, hi).length >= 2) return [lo, hi];
  const steps = (k: number): number[] =>
    [1, 2, 5].map((m) => Number((m * 10 ** k).toPrecision(12)));
  const k = Math.floor(Math.log10(lo));
  const candidates = [...steps(k - 1), ...steps(k), ...steps(k + 1), ...steps(k + 2)];
  const below = candidates.filter((t) => t <= lo).at(-1) ?? lo;
  const above = candidates.find((t) => t >= hi && t > below) ?? hi;
  return [below, above];
}

/** A tick's label: plain for 0.001 ≤ |x| < 10^5, else 1e-4 style. */
export function tickLabel(x: number): string {
  if (x === 0) return "0";
  const magnitude = Math.abs(x);
  if (magnitude >= 1e-3 && magnitude < 1e5) return String(Number(x.toPrecision(6)));
  const [mantissa, exponent] = x.toExponential().split("e");
  const m = Number(Number(mantissa).toPrecision(6));
  return `${m === 1 ? "" : `${m}×`}1e${Number(exponent)}`;
}
