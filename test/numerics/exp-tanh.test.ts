/**
 * handgrad's own exp, tanh and tanh′ (src/numerics/exp.ts, tanh.ts) against 60-digit truth
 * computed here from the exact value of each input (decimal.js, 75 working digits), over the
 * whole float64 range, plus the properties the training relies on. The worst errors measured
 * are printed (and quoted in the modules' comments).
 */
import type { Decimal } from "decimal.js";
import fc from "fast-check";
import { afterAll, describe, expect, test } from "vitest";
import { exp } from "../../src/numerics/exp.js";
import { TANH_SERIES_BELOW, tanh, tanhDerivative } from "../../src/numerics/tanh.js";
import { GRID, WorstUlp, randomPoints, seededUniform } from "./points.js";
import { D, exactOf, nextDown, nextUp, ulpError } from "./ulp.js";

/** Working precision: 15 guard digits over the 60 the truth is rounded to. */
const W = D.clone({ precision: 75 });
const to60 = (x: Decimal): Decimal => new D(x).toSignificantDigits(60);

/** The largest double and half an ulp above it: e^x at or beyond that rounds to +∞. */
const OVERFLOW = exactOf(Number.MAX_VALUE).plus(exactOf(2 ** 970));

/** e^x; for x < −1e5 the exact value 0 differs from the truth by < 10^{−43429}. */
function expTruth(x: number): Decimal {
  return x < -1e5 ? new D(0) : to60(W.exp(exactOf(x)));
}

/**
 * tanh z from t = e^{−2|z|}: (1 − t)/(1 + t), which loses at most 8 of the 75 digits to
 * cancellation for |z| ≥ 1e−8; below that the series z − z³/3 + 2z⁵/15 − 17z⁷/315 (the next
 * term is < 10^{−63} relative); above |z| = 1e5 the exact ±1 (off by < 10^{−86000}).
 */
function tanhTruth(z: number): Decimal {
  const s = exactOf(Math.abs(z));
  let m: Decimal;
  if (Math.abs(z) < 1e-8) {
    const s2 = s.times(s);
    m = s.times(
      new W(1)
        .minus(s2.div(3))
        .plus(s2.times(s2).times(2).div(15))
        .minus(s2.pow(3).times(17).div(315)),
    );
  } else if (Math.abs(z) > 1e5) {
    m = new W(1);
  } else {
    const t = W.exp(s.times(-2));
    m = new W(1).minus(t).div(t.plus(1));
  }
  return to60(z < 0 ? m.neg() : m);
}

/** tanh′ z = 4t/(1 + t)², t = e^{−2|z|} (no cancellation anywhere). */
function tanhDerivativeTruth(z: number): Decimal {
  if (Math.abs(z) > 1e5) return new D(0);
  const t = W.exp(exactOf(Math.abs(z)).times(-2));
  return to60(t.times(4).div(t.plus(1).pow(2)));
}

const worst = new WorstUlp();
afterAll(() => console.log(worst.summary()));

/** Stated bounds (the measured worst values are printed by afterAll). */
const EXP_MAX_ULPS = 1;
const TANH_MAX_ULPS = 1.5;
const TANH_DERIVATIVE_MAX_ULPS = 4;

/** Seeded points spread over [lo, hi]. */
function uniformPoints(seed: number, count: number, lo: number, hi: number): number[] {
  const uniform = seededUniform(seed);
  return Array.from({ length: count }, () => lo + (hi - lo) * uniform());
}

/** x and a few of its neighbours (both sides). */
const around = (x: number): number[] => [
  nextDown(nextDown(x)),
  nextDown(x),
  x,
  nextUp(x),
  nextUp(nextUp(x)),
];

const LN_MAX = 709.782712893384; // ≈ ln(Number.MAX_VALUE)
const LN_MIN_SUBNORMAL_HALF = -745.1332191019412; // ≈ ln(2^−1075)

const EXP_POINTS = [
  ...GRID,
  ...randomPoints(31, 3000, 1000),
  ...uniformPoints(32, 3000, -746, 710), // every binade of the result, subnormal ones included
  ...uniformPoints(33, 1000, -0.36, 0.36), // the reduced range itself (k = 0)
  ...uniformPoints(34, 500, -709.1, -708.3), // results at the normal/subnormal border
  ...around(LN_MAX),
  ...around(LN_MIN_SUBNORMAL_HALF),
  ...around(-708.3964185322641), // ≈ ln(2^−1022)
  ...around(Math.LN2 / 2),
  ...around(-Math.LN2 / 2),
];

const TANH_POINTS = [
  ...GRID,
  ...randomPoints(41, 3000, 500),
  ...uniformPoints(42, 3000, -25, 25),
  ...uniformPoints(43, 1500, -0.6, 0.6), // the series, its border and k = −1
  ...uniformPoints(44, 500, 18.5, 19.5), // where tanh reaches 1
  ...around(TANH_SERIES_BELOW),
  ...around(-TANH_SERIES_BELOW),
  ...around(19.06),
  ...around(20),
];

describe("exp", () => {
  test(`is within ${EXP_MAX_ULPS} ulp of 60-digit truth over the whole range (tiny, subnormal results, near overflow)`, () => {
    const failures: string[] = [];
    for (const x of EXP_POINTS) {
      const truth = expTruth(x);
      const result = exp(x);
      if (truth.gte(OVERFLOW)) {
        if (result !== Infinity) failures.push(`exp(${x}) = ${result}, expected ∞`);
        continue;
      }
      const ulps = ulpError(result, truth);
      const subnormal = truth.lt(exactOf(2 ** -1022));
      worst.record(subnormal ? "exp (subnormal results)" : "exp", ulps, `x = ${x}`);
      if (!(ulps <= EXP_MAX_ULPS)) failures.push(`exp(${x}) = ${result}: ${ulps} ulp`);
    }
    expect(failures).toEqual([]);
    expect(worst.get("exp")).toBeGreaterThan(0); // the measurement saw rounding at all
  });

  test("special values, overflow to ∞ and underflow to 0", () => {
    expect(exp(0)).toBe(1);
    expect(exp(-0)).toBe(1);
    expect(exp(Infinity)).toBe(Infinity);
    expect(Object.is(exp(-Infinity), 0)).toBe(true);
    expect(exp(NaN)).toBeNaN();
    expect(exp(LN_MAX)).toBeLessThan(Infinity);
    expect(exp(nextUp(LN_MAX))).toBe(Infinity);
    expect(exp(1000)).toBe(Infinity);
    expect(exp(-746)).toBe(0);
    expect(exp(-1e308)).toBe(0);
    expect(exp(-745)).toBe(5e-324); // the smallest subnormal, 2^−1074
    expect(exp(1)).toBe(2.718281828459045);
  });

  test("is monotone (random pairs over the range, and neighbouring doubles)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -750, max: 712, noNaN: true }),
        fc.double({ min: -750, max: 712, noNaN: true }),
        (a, b) => {
          const [x, y] = a <= b ? [a, b] : [b, a];
          return exp(x) <= exp(y);
        },
      ),
      { seed: 5, numRuns: 3000 },
    );
    fc.assert(
      fc.property(fc.double({ min: -750, max: 712, noNaN: true }), (x) => {
        let previous = exp(x);
        for (let i = 0, v = x; i < 64; i++) {
          v = nextUp(v);
          const next = exp(v);
          if (next < previous) return false;
          previous = next;
        }
        return true;
      }),
      { seed: 6, numRuns: 300 },
    );
  });
});

describe("tanh", () => {
  test(`is within ${TANH_MAX_ULPS} ulp of 60-digit truth over the whole range (tiny and subnormal z, both branches, saturation)`, () => {
    const failures: string[] = [];
    for (const z of TANH_POINTS) {
      const ulps = ulpError(tanh(z), tanhTruth(z));
      worst.record("tanh", ulps, `z = ${z}`);
      if (!(ulps <= TANH_MAX_ULPS)) failures.push(`tanh(${z}) = ${tanh(z)}: ${ulps} ulp`);
    }
    expect(failures).toEqual([]);
    expect(worst.get("tanh")).toBeGreaterThan(0);
  });

  test("special values: tanh(±0) = ±0, tanh(±∞) = ±1, NaN, tanh(z) = z for tiny z, ±1 from 19.07 on", () => {
    expect(Object.is(tanh(0), 0)).toBe(true);
    expect(Object.is(tanh(-0), -0)).toBe(true);
    expect(tanh(Infinity)).toBe(1);
    expect(tanh(-Infinity)).toBe(-1);
    expect(tanh(NaN)).toBeNaN();
    expect(tanh(5e-324)).toBe(5e-324);
    expect(tanh(-1e-300)).toBe(-1e-300);
    expect(tanh(19.1)).toBe(1);
    expect(tanh(-1e308)).toBe(-1);
    expect(tanh(19)).toBeLessThan(1);
  });

  test("is odd (bit for bit), bounded by 1 and monotone (property tests)", () => {
    const anyDouble = fc.double({ noNaN: true });
    const moderate = fc.oneof(
      fc.double({ min: -25, max: 25, noNaN: true }),
      fc.double({ min: -1, max: 1, noNaN: true }),
      anyDouble,
    );
    fc.assert(
      fc.property(anyDouble, (z) => Object.is(tanh(-z), -tanh(z)) && Math.abs(tanh(z)) <= 1),
      { seed: 7, numRuns: 5000 },
    );
    fc.assert(
      fc.property(moderate, moderate, (a, b) => {
        const [x, y] = a <= b ? [a, b] : [b, a];
        return tanh(x) <= tanh(y);
      }),
      { seed: 8, numRuns: 5000 },
    );
    // Neighbouring doubles, where a function that is not correctly rounded could step back.
    fc.assert(
      fc.property(fc.double({ min: -21, max: 21, noNaN: true }), (x) => {
        let previous = tanh(x);
        for (let i = 0, v = x; i < 64; i++) {
          v = nextUp(v);
          const next = tanh(v);
          if (next < previous) return false;
          previous = next;
        }
        return true;
      }),
      { seed: 9, numRuns: 500 },
    );
  });

  test("is continuous across the series/exp border (monotone over 2000 doubles either side)", () => {
    for (const border of [TANH_SERIES_BELOW, -TANH_SERIES_BELOW]) {
      let v = border;
      for (let i = 0; i < 2000; i++) v = nextDown(v);
      let previous = tanh(v);
      for (let i = 0; i < 4000; i++) {
        v = nextUp(v);
        const next = tanh(v);
        expect(next).toBeGreaterThanOrEqual(previous);
        previous = next;
      }
    }
  });
});

describe("tanh′", () => {
  test(`is within ${TANH_DERIVATIVE_MAX_ULPS} ulp of 60-digit truth wherever e^{−2|z|} is normal (|z| ≤ 354), including where 1 − a² cancels`, () => {
    const failures: string[] = [];
    const points = [...TANH_POINTS, ...uniformPoints(45, 2000, -354, 354)].filter(
      (z) => Math.abs(z) <= 354,
    );
    for (const z of points) {
      const ulps = ulpError(tanhDerivative(z), tanhDerivativeTruth(z));
      worst.record("tanhDerivative", ulps, `z = ${z}`);
      if (!(ulps <= TANH_DERIVATIVE_MAX_ULPS)) {
        failures.push(`tanh′(${z}) = ${tanhDerivative(z)}: ${ulps} ulp`);
      }
    }
    expect(failures).toEqual([]);
    // Where 1 − tanh² is 0 in float64 (a rounds to 1), the derivative is still ≈ 4e^{−2|z|}.
    expect(1 - tanh(30) ** 2).toBe(0);
    expect(tanhDerivative(30) / (4 * Math.exp(-60))).toBeCloseTo(1, 14);
  });

  test("is even, in (0, 1], 1 at 0, and 0 once e^{−2|z|} underflows", () => {
    expect(tanhDerivative(0)).toBe(1);
    expect(tanhDerivative(-0)).toBe(1);
    expect(tanhDerivative(Infinity)).toBe(0);
    expect(tanhDerivative(-400)).toBe(0);
    expect(tanhDerivative(NaN)).toBeNaN();
    fc.assert(
      fc.property(fc.double({ min: -370, max: 370, noNaN: true }), (z) => {
        const d = tanhDerivative(z);
        return Object.is(d, tanhDerivative(-z)) && d > 0 && d <= 1;
      }),
      { seed: 10, numRuns: 3000 },
    );
  });
});
