/**
 * The inputs every accuracy test runs over: a grid of the thresholds where a naive formula
 * breaks, and seeded random points spread over all magnitudes.
 */

/** The magnitudes on the grid; each is used with both signs. */
const GRID_MAGNITUDES = [
  0,
  Number.MIN_VALUE, // 2^−1074
  1e-320, // subnormal
  2 ** -1022, // smallest normal
  1e-300,
  1e-30,
  2 ** -54,
  1e-10,
  1e-3,
  0.5,
  Math.LN2,
  1,
  2,
  17,
  18,
  33.3, // softplus(z) rounds to z above ≈ 33.27
  36.7,
  37.5, // σ(z) rounds to 1 above ≈ 37.43
  40,
  100,
  708.39, // e^{−z} becomes subnormal below ≈ −708.40
  709.78,
  709.8, // e^{z} overflows above ≈ 709.78
  710,
  745.1,
  745.2, // e^{z} underflows to 0 below ≈ −745.13
  746,
  800,
  1e4,
  1e5,
  1.5e5,
  1e300,
  1e308,
  Number.MAX_VALUE,
];

/** Every grid value with both signs (0 once). */
export const GRID: readonly number[] = [
  ...new Set(GRID_MAGNITUDES.flatMap((m) => [m, -m]).map((z) => (Object.is(z, -0) ? 0 : z))),
];

/**
 * A seeded uniform generator on [0, 1): a Weyl counter passed through a 32-bit mixing
 * function, two draws per 53-bit double.
 */
export function seededUniform(seed: number): () => number {
  let counter = seed >>> 0;
  const next32 = (): number => {
    counter = (counter + 0x9e3779b9) >>> 0;
    let x = counter;
    x = Math.imul(x ^ (x >>> 16), 0x21f0aaad);
    x = Math.imul(x ^ (x >>> 15), 0x735a2d97);
    return (x ^ (x >>> 15)) >>> 0;
  };
  return () => ((next32() >>> 5) * 2 ** 26 + (next32() >>> 6)) / 2 ** 53;
}

/**
 * `logCount` points sign × 10^u with u uniform in (−320, 308), and `linearCount` points uniform
 * in [−800, 800].
 */
export function randomPoints(seed: number, logCount: number, linearCount: number): number[] {
  const uniform = seededUniform(seed);
  const points: number[] = [];
  for (let i = 0; i < logCount; i++) {
    const sign = uniform() < 0.5 ? -1 : 1;
    points.push(sign * 10 ** (-320 + 628 * uniform()));
  }
  for (let i = 0; i < linearCount; i++) points.push(-800 + 1600 * uniform());
  return points;
}

/** The worst ulp error seen per function, and where. */
export class WorstUlp {
  private readonly worst = new Map<string, { ulps: number; at: string }>();

  record(name: string, ulps: number, at: string): void {
    const current = this.worst.get(name);
    if (current === undefined || ulps > current.ulps) this.worst.set(name, { ulps, at });
  }

  get(name: string): number {
    return this.worst.get(name)?.ulps ?? 0;
  }

  /** "worst ulp error: sigmoid 0.73 (z = …), …" */
  summary(): string {
    const parts = [...this.worst].map(([name, w]) => `${name} ${w.ulps.toFixed(2)} (${w.at})`);
    return `worst ulp error: ${parts.join(", ")}`;
  }
}
