/**
 * Every function against 60-digit truth: within 4 ulp of the exact value, measured in ulps
 * of the exact value (2^−1074 in the subnormal range), on the threshold grid and on 5000
 * seeded random points.
 */
import type { Decimal } from "decimal.js";
import { afterAll, describe, expect, test } from "vitest";
import { columnVector } from "../../src/linalg/index.js";
import {
  bceWithLogits,
  log1mexp,
  logSigmoid,
  sigmoid,
  sigmoidMinusLabel,
  softplus,
} from "../../src/numerics/index.js";
import { GRID, WorstUlp, randomPoints, seededUniform } from "./points.js";
import { log1mexpTruth, truthAt } from "./truth.js";
import { D, exactOf, ulpError } from "./ulp.js";

const MAX_ULPS = 4;
const RANDOM = randomPoints(20240611, 3000, 2000);
const POINTS = [...GRID, ...RANDOM];

const worst = new WorstUlp();
afterAll(() => console.log(worst.summary()));

interface Failure {
  input: string;
  result: number;
  exact: string;
  ulps: number;
}

/**
 * Measures f(x) against truth(x) at every point, records the worst error under `name`, and
 * returns the points where the result is non-finite or more than MAX_ULPS off.
 */
function measure(
  name: string,
  points: readonly number[],
  f: (x: number) => number,
  truth: (x: number) => Decimal,
  label: (x: number) => string = (x) => `z = ${x}`,
): Failure[] {
  const failures: Failure[] = [];
  for (const x of points) {
    const result = f(x);
    const exact = truth(x);
    const ulps = ulpError(result, exact);
    worst.record(name, ulps, label(x));
    if (!(ulps <= MAX_ULPS)) {
      failures.push({
        input: label(x),
        result,
        exact: exact.toSignificantDigits(20).toString(),
        ulps,
      });
    }
  }
  return failures;
}

const WHERE = `within ${MAX_ULPS} ulp of 60-digit truth on the ${GRID.length}-point grid and ${RANDOM.length} random points`;

describe("every finite float64 input", () => {
  test(`sigmoid is ${WHERE}`, () => {
    expect(measure("sigmoid", POINTS, sigmoid, (z) => truthAt(z).sigmoid)).toEqual([]);
  });

  test(`logSigmoid is ${WHERE}`, () => {
    const truth = (z: number): Decimal => truthAt(z).softplusOfNegative.neg();
    expect(measure("logSigmoid", POINTS, logSigmoid, truth)).toEqual([]);
  });

  test(`softplus is ${WHERE}`, () => {
    expect(measure("softplus", POINTS, softplus, (z) => truthAt(z).softplus)).toEqual([]);
  });

  test(`bceWithLogits of one example, y = 0 and y = 1, is ${WHERE}`, () => {
    for (const y of [0, 1]) {
      const loss = (z: number): number => bceWithLogits(columnVector([z]), columnVector([y]));
      const truth = (z: number): Decimal =>
        y === 0 ? truthAt(z).softplus : truthAt(z).softplusOfNegative;
      const label = (z: number): string => `z = ${z}, y = ${y}`;
      expect(measure("bceWithLogits", POINTS, loss, truth, label)).toEqual([]);
    }
  });

  test(`sigmoidMinusLabel (σ(z) − y, the gradient ∂ℓ/∂z), y = 0 and y = 1, is ${WHERE}`, () => {
    for (const y of [0, 1]) {
      const truth = (z: number): Decimal =>
        y === 0 ? truthAt(z).sigmoid : truthAt(-z).sigmoid.neg(); // σ(z) − 1 = −σ(−z)
      const label = (z: number): string => `z = ${z}, y = ${y}`;
      const residual = (z: number): number => sigmoidMinusLabel(z, y);
      expect(measure("sigmoidMinusLabel", POINTS, residual, truth, label)).toEqual([]);
    }
  });

  test("sigmoidMinusLabel keeps the residual of a confident right answer that p − y rounds to 0", () => {
    expect(sigmoid(40) - 1).toBe(0);
    expect(sigmoidMinusLabel(40, 1)).toBeCloseTo(-Math.exp(-40), 30);
    expect(sigmoidMinusLabel(40, 1) / -Math.exp(-40)).toBeCloseTo(1, 12);
  });

  test(`log1mexp at −|z| for the same points and around −ln 2 is within ${MAX_ULPS} ulp of 60-digit truth`, () => {
    const negatives = [
      ...new Set([...POINTS.map((z) => -Math.abs(z)), -Math.LN2, -0.69, -0.7].filter((x) => x < 0)),
    ];
    expect(measure("log1mexp", negatives, log1mexp, log1mexpTruth, (x) => `x = ${x}`)).toEqual([]);
  });
});

describe("the mean loss", () => {
  test(`bceWithLogits of random batches (N up to 1000, logits from every magnitude, random 0/1 labels) is within ${MAX_ULPS} ulp of the 60-digit mean`, () => {
    const uniform = seededUniform(7);
    const failures: Failure[] = [];
    for (let batch = 0; batch < 24; batch++) {
      const N = batch === 0 ? 1000 : batch === 1 ? 1 : 1 + Math.floor(1000 * uniform());
      // Batches 2 and 3 draw only huge logits so the sum overflows float64 (the mean does not).
      const pool =
        batch === 2 || batch === 3 ? [1e308, -1e308, Number.MAX_VALUE, -1.7e308] : POINTS;
      const z = Array.from(
        { length: N },
        () => pool[Math.floor(pool.length * uniform())] as number,
      );
      const y = z.map((zn) => (batch === 2 ? (zn > 0 ? 0 : 1) : uniform() < 0.5 ? 0 : 1));
      let sum = new D(0);
      z.forEach((zn, n) => {
        const t = truthAt(zn);
        sum = sum.plus(y[n] === 0 ? t.softplus : t.softplusOfNegative);
      });
      const exact = sum.div(N);
      const result = bceWithLogits(columnVector(z), columnVector(y));
      const ulps = ulpError(result, exact);
      worst.record("bceWithLogits mean", ulps, `batch ${batch}, N = ${N}`);
      if (!(ulps <= MAX_ULPS)) {
        failures.push({ input: `batch ${batch}, N = ${N}`, result, exact: exact.toString(), ulps });
      }
    }
    expect(failures).toEqual([]);
  });
});

test("soft labels follow the general formula ℓ = softplus(z) − y z (y = 1/4, 1/2, 3/4, on the grid)", () => {
  for (const y of [0.25, 0.5, 0.75]) {
    const loss = (z: number): number => bceWithLogits(columnVector([z]), columnVector([y]));
    // softplus(z) − y z = max(z, 0) − y z + log1p(e^{−|z|}), all terms ≥ 0 at 60 digits.
    const truth = (z: number): Decimal => {
      const exactZ = exactOf(z);
      const positivePart = z > 0 ? exactZ : new D(0);
      const softplusTail = z >= 0 ? truthAt(z).softplusOfNegative : truthAt(z).softplus;
      return positivePart.minus(exactZ.times(y)).plus(softplusTail);
    };
    const label = (z: number): string => `z = ${z}, y = ${y}`;
    expect(measure("bceWithLogits soft labels", GRID, loss, truth, label)).toEqual([]);
  }
});
