/**
 * handgrad's own log, log1p, expm1, sinpi and cospi (src/numerics/log.ts, expm1.ts, sinpi.ts)
 * against 60-digit truth computed here by decimal.js from the exact value of each input, over
 * the whole float64 range, plus special values and the symmetries the callers rely on; and
 * the integer power of power.ts against exact rational arithmetic. The worst errors measured
 * are printed (and quoted in the modules' comments).
 */
import type { Decimal } from "decimal.js";
import fc from "fast-check";
import { afterAll, describe, expect, test } from "vitest";
import { expm1 } from "../../src/numerics/expm1.js";
import { log, log1p } from "../../src/numerics/log.js";
import { powInteger } from "../../src/numerics/power.js";
import { COSPI_COEFFICIENTS, SINPI_COEFFICIENTS, cospi, sinpi } from "../../src/numerics/sinpi.js";
import { GRID, WorstUlp, randomPoints, seededUniform } from "./points.js";
import { D, exactOf, nextDown, nextUp, ulpError } from "./ulp.js";

/** Working precision for log, log1p and expm1: 15 guard digits over the 60 of the truth. */
const W = D.clone({ precision: 75 });
/**
 * For sinpi and cospi (slow: a test takes half a minute): 110 digits, so that π·x keeps 90 digits after the integer part of
 * x < 2^53 (16 digits) is taken off by sin's own reduction, and a result as small as
 * π·ulp(x) near an integer still has 60 correct digits.
 */
const T = D.clone({ precision: 110 });
const PI = T.acos(-1);
const to60 = (x: Decimal): Decimal => new D(x).toSignificantDigits(60);

/** log x for finite x > 0. */
const logTruth = (x: number): Decimal => to60(W.ln(exactOf(x)));

/** log(1 + x) for x > −1: the series below 1e−15 (first omitted term < 1e−60 relative). */
function log1pTruth(x: number): Decimal {
  const t = new W(exactOf(x));
  if (t.abs().lt(1e-15)) {
    const t2 = t.times(t);
    return to60(t.minus(t2.div(2)).plus(t2.times(t).div(3)).minus(t2.times(t2).div(4)));
  }
  return to60(W.ln(t.plus(1)));
}

/** e^x − 1: the series below 1e−15; −1 below −1e5 (off by < e^{−1e5}). */
function expm1Truth(x: number): Decimal {
  const t = new W(exactOf(x));
  if (t.abs().lt(1e-15)) {
    const t2 = t.times(t);
    return to60(t.plus(t2.div(2)).plus(t2.times(t).div(6)).plus(t2.times(t2).div(24)));
  }
  if (x < -1e5) return new D(-1);
  return to60(W.exp(t).minus(1));
}

/**
 * sin(πx) and cos(πx) straight from decimal.js at 110 digits (no reduction of ours), except
 * where they are exactly 0 (sin at whole turns, cos at half turns), which decimal.js's π
 * cannot hit.
 */
const sinpiTruth = (x: number): Decimal =>
  Number.isInteger(x) ? new D(0) : to60(T.sin(PI.times(exactOf(x))));
const cospiTruth = (x: number): Decimal =>
  Number.isInteger(2 * x) && !Number.isInteger(x) ? new D(0) : to60(T.cos(PI.times(exactOf(x))));

const worst = new WorstUlp();
afterAll(() => console.log(worst.summary()));

/** The stated bound: faithful rounding (the measured worst values are printed by afterAll). */
const MAX_ULPS = 1;

/** Seeded points spread over [lo, hi]. */
function uniformPoints(seed: number, count: number, lo: number, hi: number): number[] {
  const uniform = seededUniform(seed);
  return Array.from({ length: count }, () => lo + (hi - lo) * uniform());
}

/** Seeded points 10^u, u uniform in [lo, hi]. */
function logPoints(seed: number, count: number, lo: number, hi: number): number[] {
  const uniform = seededUniform(seed);
  return Array.from({ length: count }, () => 10 ** (lo + (hi - lo) * uniform()));
}

/** x and its neighbours, `n` on each side. */
function around(x: number, n = 2): number[] {
  const points = [x];
  for (let i = 0, up = x, down = x; i < n; i++) {
    up = nextUp(up);
    down = nextDown(down);
    points.push(up, down);
  }
  return points;
}

/**
 * Measures f against truth at every point, records the worst error under `name` (subnormal
 * results apart) and returns the points more than MAX_ULPS off.
 */
function measure(
  name: string,
  points: readonly number[],
  f: (x: number) => number,
  truth: (x: number) => Decimal,
): string[] {
  const failures: string[] = [];
  for (const x of points) {
    const exact = truth(x);
    const result = f(x);
    const ulps = ulpError(result, exact);
    const subnormal = exact.abs().lt(exactOf(2 ** -1022)) && !exact.isZero();
    worst.record(subnormal ? `${name} (subnormal results)` : name, ulps, `x = ${x}`);
    if (!(ulps <= MAX_ULPS)) failures.push(`${name}(${x}) = ${result}: ${ulps} ulp`);
  }
  return failures;
}

const positives = (xs: readonly number[]): number[] => xs.filter((x) => x > 0);
const finite = (xs: readonly number[]): number[] => xs.filter(Number.isFinite);

const LOG_POINTS = finite([
  ...positives(GRID).filter(Number.isFinite),
  ...positives(randomPoints(51, 4000, 0)),
  ...uniformPoints(52, 3000, 0.5, 2), // around 1: both sides of the reduction, k = −1, 0, 1
  ...uniformPoints(53, 1000, 1 - 1e-6, 1 + 1e-6),
  ...uniformPoints(54, 1000, 0, 1e6),
  ...logPoints(55, 1000, -323.5, -307.6), // subnormal x
  ...[1, Math.SQRT2, Math.SQRT1_2, 2, 0.5, 3, 10].flatMap((x) => around(x, 4)),
  ...around(Number.MAX_VALUE),
  ...[5e-324, 1e-323, 2 ** -1022].flatMap((x) => around(x)),
]).filter((x) => x > 0);

const LOG1P_POINTS = finite([
  ...GRID.filter((x) => x > -1 && Number.isFinite(x)),
  ...randomPoints(61, 3000, 0).filter((x) => x > -1),
  ...uniformPoints(62, 3000, -0.3, 0.42), // k = 0, f = x
  ...uniformPoints(63, 1000, -1, -0.29), // u = 1 + x exact or not, k < 0
  ...uniformPoints(64, 1000, 0.41, 10),
  ...logPoints(65, 1000, -17, 0).map((d) => -1 + d), // near −1
  ...logPoints(66, 500, -20, -15).flatMap((d) => [d, -d]), // where 1 + x rounds
  ...[Math.SQRT1_2 - 1, Math.SQRT2 - 1, 2 ** -54, -(2 ** -54), 1, -0.5, 2 ** 53].flatMap((x) =>
    around(x, 4),
  ),
  ...around(Number.MAX_VALUE),
  ...around(-1 + 2 ** -53, 1),
]).filter((x) => x > -1);

const EXPM1_POINTS = finite([
  ...GRID.filter((x) => Math.abs(x) <= 709),
  ...randomPoints(71, 2000, 0).filter((x) => x <= 709),
  ...uniformPoints(72, 3000, -0.4, 0.4), // k = 0 and its border
  ...uniformPoints(73, 2000, -40, 40), // every k from −57 to 57
  ...uniformPoints(74, 1000, 40, 709.78),
  ...logPoints(75, 500, -20, -1).flatMap((d) => [d, -d]),
  ...[0.5, 1, 1.5, 2, 52.5, 53.5, 54.5, -1.5, -53.4, -52.5].flatMap((h) => around(h * Math.LN2, 3)),
  ...[-37, -37.5, 2 ** -54, -(2 ** -54), 709.78].flatMap((x) => around(x, 3)),
]);

/** Points for sinpi and cospi. */
const TRIG_POINTS = finite([
  ...uniformPoints(81, 4000, -2, 2), // every octant
  ...uniformPoints(82, 1000, -1000, 1000),
  ...logPoints(83, 2000, -320, 15.9).flatMap((x) => [x, -x]), // tiny to 2^53
  ...logPoints(84, 300, -323.6, -300),
  ...[-1, -0.75, -0.5, -0.25, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2, 3, 1e6 + 0.5].flatMap((q) =>
    around(q, 3),
  ),
  ...[1 / 6, 1 / 3, 0.125, 0.375, 2 ** -900, 2 ** 52 - 0.5, 2 ** 51 + 0.25, 2 ** 53].flatMap((q) =>
    around(q, 2),
  ),
  ...[5e-324, 1e-310].flatMap((x) => [x, -x]),
]);

describe("log and log1p", () => {
  test(`log is within ${MAX_ULPS} ulp of 60-digit truth (subnormal x, near 1, huge)`, () => {
    expect(measure("log", LOG_POINTS, log, logTruth)).toEqual([]);
    expect(worst.get("log")).toBeGreaterThan(0.25); // the measurement saw rounding at all
  });

  test(`log1p is within ${MAX_ULPS} ulp of 60-digit truth (tiny, near −1, the reduction's borders, huge)`, () => {
    expect(measure("log1p", LOG1P_POINTS, log1p, log1pTruth)).toEqual([]);
    expect(worst.get("log1p")).toBeGreaterThan(0.25);
  });

  test("special values", () => {
    expect(log(0)).toBe(-Infinity);
    expect(log(-0)).toBe(-Infinity);
    expect(log(-1)).toBeNaN();
    expect(log(-Infinity)).toBeNaN();
    expect(log(NaN)).toBeNaN();
    expect(log(Infinity)).toBe(Infinity);
    expect(Object.is(log(1), 0)).toBe(true);
    expect(log(2)).toBe(Math.LN2); // both correctly rounded
    expect(log(10)).toBe(Math.LN10);
    expect(log(5e-324)).toBe(-744.4400719213812);
    expect(log1p(-1)).toBe(-Infinity);
    expect(log1p(-1.5)).toBeNaN();
    expect(log1p(NaN)).toBeNaN();
    expect(log1p(Infinity)).toBe(Infinity);
    expect(Object.is(log1p(0), 0)).toBe(true);
    expect(Object.is(log1p(-0), -0)).toBe(true);
    expect(log1p(5e-324)).toBe(5e-324);
    expect(log1p(-1e-300)).toBe(-1e-300);
    expect(log1p(1)).toBe(Math.LN2);
  });

  test("are monotone (random pairs, and runs of neighbouring doubles)", () => {
    for (const [f, min] of [
      [log, 0],
      [log1p, -1],
    ] as const) {
      fc.assert(
        fc.property(fc.double({ min, noNaN: true }), fc.double({ min, noNaN: true }), (a, b) => {
          const [x, y] = a <= b ? [a, b] : [b, a];
          return f(x) <= f(y);
        }),
        { seed: 11, numRuns: 3000 },
      );
      fc.assert(
        fc.property(fc.double({ min: Math.max(min, -0.9), max: 4, noNaN: true }), (x) => {
          let previous = f(x);
          for (let i = 0, v = x; i < 64; i++) {
            v = nextUp(v);
            const next = f(v);
            if (next < previous) return false;
            previous = next;
          }
          return true;
        }),
        { seed: 12, numRuns: 300 },
      );
    }
  });
});

describe("expm1", () => {
  test(`is within ${MAX_ULPS} ulp of 60-digit truth (tiny, k = 0, every k to −54, near overflow)`, () => {
    expect(measure("expm1", EXPM1_POINTS, expm1, expm1Truth)).toEqual([]);
    expect(worst.get("expm1")).toBeGreaterThan(0.25);
  });

  test("special values and the overflow threshold", () => {
    expect(Object.is(expm1(0), 0)).toBe(true);
    expect(Object.is(expm1(-0), -0)).toBe(true);
    expect(expm1(5e-324)).toBe(5e-324);
    expect(expm1(Infinity)).toBe(Infinity);
    expect(expm1(-Infinity)).toBe(-1);
    expect(expm1(-800)).toBe(-1);
    expect(expm1(NaN)).toBeNaN();
    expect(expm1(709.78)).toBeLessThan(Infinity);
    expect(expm1(709.79)).toBe(Infinity);
    expect(expm1(Math.LN2)).toBe(1);
  });

  test("is monotone over runs of neighbouring doubles (the k borders included)", () => {
    fc.assert(
      fc.property(fc.double({ min: -45, max: 60, noNaN: true }), (x) => {
        let previous = expm1(x);
        for (let i = 0, v = x; i < 64; i++) {
          v = nextUp(v);
          const next = expm1(v);
          if (next < previous) return false;
          previous = next;
        }
        return true;
      }),
      { seed: 13, numRuns: 500 },
    );
  });
});

describe("sinpi and cospi", () => {
  test(`sinpi is within ${MAX_ULPS} ulp of 60-digit truth (tiny and subnormal, every octant and its borders, up to 2^53)`, () => {
    expect(measure("sinpi", TRIG_POINTS, sinpi, sinpiTruth)).toEqual([]);
    expect(worst.get("sinpi")).toBeGreaterThan(0.25);
  }, 180_000);

  test(`cospi is within ${MAX_ULPS} ulp of 60-digit truth (the same points)`, () => {
    expect(measure("cospi", TRIG_POINTS, cospi, cospiTruth)).toEqual([]);
    expect(worst.get("cospi")).toBeGreaterThan(0.25);
  }, 180_000);

  test("every coefficient is its exact value rounded once (80-digit π)", () => {
    const P = D.clone({ precision: 80 });
    const pi = P.acos(-1);
    const factorial = (n: number): Decimal => {
      let f = new P(1);
      for (let i = 2; i <= n; i++) f = f.times(i);
      return f;
    };
    const c2 = pi.pow(2).div(2);
    const expected: Record<string, Decimal> = {
      PI_LO: pi.minus(exactOf(Math.PI)),
      C2_HI: c2,
      C2_LO: c2.minus(exactOf(SINPI_COEFFICIENTS.C2_HI)),
    };
    for (let n = 3; n <= 19; n += 2) {
      expected[`S${n}`] = pi
        .pow(n)
        .div(factorial(n))
        .times((n - 1) % 4 === 0 ? 1 : -1);
    }
    for (let n = 4; n <= 18; n += 2) {
      expected[`C${n}`] = pi
        .pow(n)
        .div(factorial(n))
        .times(n % 4 === 0 ? 1 : -1);
    }
    const constants: Record<string, number> = { ...SINPI_COEFFICIENTS, ...COSPI_COEFFICIENTS };
    expect(Object.keys(constants).sort()).toEqual(Object.keys(expected).sort());
    for (const [name, value] of Object.entries(constants)) {
      expect(ulpError(value, expected[name]!), name).toBeLessThanOrEqual(0.5);
    }
  });

  test("special values: exact zeros at whole and half turns, ±1 at quarter turns, NaN for ±∞", () => {
    for (const n of [1, 2, 3, 10, 12345, 2 ** 52, 2 ** 53, 1e300]) {
      expect(Object.is(sinpi(n), 0), `sinpi(${n})`).toBe(true);
      expect(Object.is(sinpi(-n), -0), `sinpi(${-n})`).toBe(true);
      expect(cospi(n), `cospi(${n})`).toBe(n % 2 === 0 || n >= 2 ** 53 ? 1 : -1);
      if (n < 2 ** 52) {
        expect(Object.is(cospi(n + 0.5), 0), `cospi(${n + 0.5})`).toBe(true);
        expect(Object.is(cospi(-n - 0.5), 0), `cospi(${-n - 0.5})`).toBe(true);
        expect(sinpi(n + 0.5)).toBe(n % 2 === 0 ? 1 : -1);
      }
    }
    expect(Object.is(sinpi(0), 0)).toBe(true);
    expect(Object.is(sinpi(-0), -0)).toBe(true);
    expect(cospi(0)).toBe(1);
    expect(cospi(-0)).toBe(1);
    expect(Object.is(cospi(0.5), 0)).toBe(true);
    expect(sinpi(0.5)).toBe(1);
    expect(sinpi(-0.5)).toBe(-1);
    expect(sinpi(5e-324)).toBe(1.5e-323); // π·2^{−1074} rounds to 3·2^{−1074}
    for (const f of [sinpi, cospi]) {
      expect(f(Infinity)).toBeNaN();
      expect(f(-Infinity)).toBeNaN();
      expect(f(NaN)).toBeNaN();
    }
  });

  test("sinpi is odd and cospi even, bit for bit; both within [−1, 1]; sin² + cos² ≈ 1", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.double({ min: -4, max: 4, noNaN: true }), fc.double({ noNaN: true })),
        (x) => {
          const [s, c] = [sinpi(x), cospi(x)];
          if (!Number.isFinite(x)) return Number.isNaN(s) && Number.isNaN(c);
          return (
            Object.is(sinpi(-x), -s) &&
            Object.is(cospi(-x), c) &&
            Math.abs(s) <= 1 &&
            Math.abs(c) <= 1 &&
            Math.abs(s * s + c * c - 1) <= 4e-16
          );
        },
      ),
      { seed: 14, numRuns: 5000 },
    );
  });

  test("the shifts sinpi(x + 1/2) = cospi(x) and cospi(x + 1) = −cospi(x) hold bit for bit where x + 1/2 and x + 1 are exact (off the octant ties)", () => {
    const xs = uniformPoints(85, 2000, -3, 3)
      .map((x) => Math.round(x * 2 ** 20) / 2 ** 20)
      .filter((x) => !Number.isInteger(4 * x)); // at x = k/4 the tie rounds to another octant
    for (const x of xs) {
      expect(sinpi(x + 0.5) === cospi(x), `x = ${x}`).toBe(true);
      expect(cospi(x + 1) === -cospi(x), `x = ${x}`).toBe(true);
    }
  });
});

describe("powInteger", () => {
  test("is exact where b^n is (small integers, powers of two), and within n·2^{−52} relative otherwise", () => {
    expect(powInteger(3, 0)).toBe(1);
    expect(powInteger(0, 0)).toBe(1);
    expect(powInteger(0, 5)).toBe(0);
    expect(powInteger(3, 33)).toBe(5559060566555523); // < 2^53: every product exact
    expect(powInteger(0.5, 1074)).toBe(5e-324);
    expect(powInteger(2, 1023)).toBe(2 ** 1023);
    expect(powInteger(2, 1024)).toBe(Infinity);
    expect(powInteger(-1.5, 3)).toBe(-3.375);
    const uniform = seededUniform(91);
    for (let i = 0; i < 300; i++) {
      // rates near 1 raised to large n (an Adam β over a long run), any rate to small n
      const b = i < 150 ? 0.5 + 0.5 * uniform() : 1 - 1e-3 * uniform();
      const n = Math.floor(uniform() * (i < 150 ? 100 : 1e5));
      const exact = exactOf(b).pow(n);
      const result = powInteger(b, n);
      const relative = exactOf(result).minus(exact).abs().div(exact).toNumber();
      expect(relative, `${b}^${n}`).toBeLessThanOrEqual(Math.max(n, 1) * 2 ** -52);
    }
  });
});
