/**
 * The softmax numerics against 60-digit arithmetic (decimal.js, from the exact value of each
 * float64 logit), their behaviour at ±∞, shift invariance, and the K = 2 reduction to the
 * sigmoid head's loss and residual.
 */
import { Decimal } from "decimal.js";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { DataError, ShapeError } from "../../src/errors.js";
import { columnVector, fromRows, matrix } from "../../src/linalg/index.js";
import {
  bceWithLogits,
  logSumExp,
  sigmoidMinusLabel,
  softmax,
  softmaxCrossEntropy,
  softmaxCrossEntropyTerm,
  softmaxMinusOneHot,
} from "../../src/numerics/index.js";
import { softmaxMinusOneHotTerm } from "../../src/numerics/softmax.js";
import { Rng } from "../../src/rng.js";
import { D, exactOf, ulpError, ulpOf } from "./ulp.js";

/** 80 working digits; results are compared after rounding to the 60 of D. */
const W = Decimal.clone({ precision: 80, minE: -9e15, maxE: 9e15 });

/** log(1 + t) for t ≥ 0, by its series below 1e−20 (where 1 + t would lose t at 80 digits). */
function log1pExact(t: Decimal): Decimal {
  if (t.lt(1e-20)) return t.minus(t.times(t).div(2));
  return W.ln(t.plus(1));
}

/** The true row statistics: m, and L = log1p(Σ_{j≠k} e^{z_j − m}) with k the argmax. */
function truthOf(z: readonly number[]): { m: Decimal; l: Decimal; e: Decimal[]; s: Decimal } {
  const k = z.indexOf(Math.max(...z));
  const m = new W(exactOf(z[k] as number));
  const e = z.map((zj, j) => (j === k ? new W(1) : W.exp(new W(exactOf(zj)).minus(m))));
  const s = e.reduce((a, b, j) => (j === k ? a : a.plus(b)), new W(0));
  return { m, l: log1pExact(s), e, s };
}

/** logSumExp(z) = m + log1p(s), to 60 digits. */
const lseTruth = (z: readonly number[]): Decimal => {
  const { m, l } = truthOf(z);
  return new D(m.plus(l));
};

/** ℓ(z, y) = (m − z_y) + log1p(s), to 60 digits, with no cancellation. */
const ceTruth = (z: readonly number[], y: number): Decimal => {
  const { m, l } = truthOf(z);
  return new D(m.minus(exactOf(z[y] as number)).plus(l));
};

/** softmax(z) − onehot(y), entry j, to 60 digits (p_y − 1 as −Σ_{i≠y} p_i: no cancellation). */
const residualTruth = (z: readonly number[], y: number, j: number): Decimal => {
  const { e, s } = truthOf(z);
  if (j !== y) return new D((e[j] as Decimal).div(s.plus(1)));
  const others = e.reduce((a, b, i) => (i === y ? a : a.plus(b)), new W(0));
  return new D(others.div(s.plus(1)).neg());
};

/** Seeded rows of K logits spread over all magnitudes up to ±1000, mixed within a row. */
function wideRows(count: number, seed: number): number[][] {
  const rng = new Rng(seed);
  const rows: number[][] = [];
  for (let r = 0; r < count; r++) {
    const K = 2 + Math.floor(rng.uniform() * 4); // 2..5
    const scale = [1e-8, 1, 30, 300, 1000][r % 5] as number;
    const row = Array.from({ length: K }, () => scale * (2 * rng.uniform() - 1));
    if (r % 7 === 0) row[0] = row[1] as number; // ties
    rows.push(row);
  }
  return rows;
}

const ROWS = [
  ...wideRows(400, 1),
  [1000, -1000, 0],
  [-1000, -1000, -1000],
  [1000, 1000, 1000, 1000],
  [-745, 0, 745],
  [709.8, 709.8],
  [-709.8, 5e-324],
  [36.7, 0, -36.7],
  [8e307, -8e307],
  [1e-300, -1e-300, 0],
  [0, 0],
];

describe("logSumExp", () => {
  test("is within 2 ulp of the 60-digit truth where m ≥ 0, and within 2 ulp of |m| + log1p(s) where m < 0", () => {
    let worst = 0;
    for (const z of ROWS) {
      const value = logSumExp(z);
      expect(Number.isFinite(value), `z = ${z}`).toBe(true);
      const truth = lseTruth(z);
      const m = Math.max(...z);
      const error =
        m >= 0
          ? ulpError(value, truth)
          : exactOf(value)
              .minus(truth)
              .abs()
              .div(ulpOf(new D(Math.abs(m)).plus(truth.minus(exactOf(m)))))
              .toNumber();
      expect(error, `z = ${z}`).toBeLessThanOrEqual(2);
      worst = Math.max(worst, error);
    }
    expect(worst).toBeGreaterThan(0); // the check measures something
  });

  test("±∞ and NaN: +∞ wins, all −∞ is −∞, −∞ entries drop out, NaN propagates", () => {
    expect(logSumExp([Infinity, 0])).toBe(Infinity);
    expect(logSumExp([-Infinity, -Infinity])).toBe(-Infinity);
    expect(logSumExp([])).toBe(-Infinity);
    expect(logSumExp([-Infinity, 0])).toBe(0);
    expect(logSumExp([-Infinity, 3, 3])).toBe(3 + Math.LN2);
    expect(logSumExp([NaN, 0])).toBeNaN();
  });

  test("is exact where one logit dominates by more than 40 and at equal logits", () => {
    expect(logSumExp([1000, 0, -1000])).toBe(1000);
    expect(logSumExp([0, 0])).toBe(Math.LN2);
    expect(logSumExp([5])).toBe(5);
  });
});

describe("softmaxCrossEntropy", () => {
  test("is within 3 ulp of the 60-digit truth for every class of every wide row", () => {
    let worst = 0;
    for (const z of ROWS) {
      for (let y = 0; y < z.length; y++) {
        const value = softmaxCrossEntropy(fromRows([z]), columnVector([y]));
        expect(Number.isFinite(value) && value >= 0, `z = ${z}, y = ${y}`).toBe(true);
        const error = ulpError(value, ceTruth(z, y));
        expect(error, `z = ${z}, y = ${y}: ${value}`).toBeLessThanOrEqual(3);
        worst = Math.max(worst, error);
      }
    }
    expect(worst).toBeGreaterThan(0);
  });

  test("keeps full relative accuracy for a confidently right row (the loss ≈ e^{−800} is not 0)", () => {
    const value = softmaxCrossEntropyTerm([0, -700, -700.5], 0);
    expect(value).toBeGreaterThan(0);
    expect(ulpError(value, ceTruth([0, -700, -700.5], 0))).toBeLessThanOrEqual(3);
  });

  test("is the mean of the per-row losses, and +∞ for a −∞ logit of the true class", () => {
    const z = fromRows([
      [1, 2, 3],
      [-4, 0, 4],
    ]);
    const mean = softmaxCrossEntropy(z, columnVector([2, 0]));
    expect(mean).toBeCloseTo(
      (softmaxCrossEntropyTerm([1, 2, 3], 2) + 8 + Math.log1p(Math.exp(-4) + Math.exp(-8))) / 2,
      14,
    );
    expect(softmaxCrossEntropyTerm([-Infinity, 0], 0)).toBe(Infinity);
    expect(softmaxCrossEntropyTerm([-Infinity, 0], 1)).toBe(0);
    // The true loss 2·MAX_VALUE is beyond float64: +∞ is its correct rounding.
    expect(softmaxCrossEntropyTerm([Number.MAX_VALUE, -Number.MAX_VALUE], 1)).toBe(Infinity);
    expect(softmaxCrossEntropyTerm([Number.MAX_VALUE, -Number.MAX_VALUE], 0)).toBe(0);
  });

  test("is shift invariant: adding c to every logit of a row changes nothing (exactly representable shifts)", () => {
    // Logits and shifts on the grid 2^−20 with |z|, |c| < 2^11: z + c is exact, so the
    // property is about the formula, not about the rounding of z + c.
    const onGrid = fc.integer({ min: -(2 ** 30), max: 2 ** 30 }).map((k) => k * 2 ** -20);
    fc.assert(
      fc.property(
        fc.array(onGrid, { minLength: 2, maxLength: 6 }),
        onGrid,
        fc.nat(),
        (z, c, pick) => {
          const y = pick % z.length;
          const moved = z.map((zj) => zj + c);
          const before = softmaxCrossEntropyTerm(z, y);
          const after = softmaxCrossEntropyTerm(moved, y);
          expect(after).toBe(before);
          expect(Array.from(softmax(moved))).toEqual(Array.from(softmax(z)));
          expect(logSumExp(moved) - c).toBeCloseTo(logSumExp(z), 9);
        },
      ),
      { numRuns: 300, seed: 7 },
    );
  });

  test("refuses labels that are not class indices 0..K−1, and mismatched shapes", () => {
    const z = fromRows([[1, 2, 3]]);
    expect(() => softmaxCrossEntropy(z, columnVector([3]))).toThrow(DataError);
    expect(() => softmaxCrossEntropy(z, columnVector([1.5]))).toThrow(
      /y\[0\] = 1.5 is not a class index 0..2/,
    );
    expect(() => softmaxCrossEntropy(z, columnVector([-1]))).toThrow(DataError);
    expect(() => softmaxCrossEntropy(z, columnVector([0, 1]))).toThrow(ShapeError);
    expect(() => softmaxCrossEntropy(matrix(0, 3), matrix(0, 1))).toThrow(ShapeError);
  });
});

describe("softmax and its residual", () => {
  test("softmax − onehot is within 4 ulp of the truth in every entry (no 0 for p_y − 1 near 0)", () => {
    for (const z of ROWS) {
      if (!z.every(Number.isFinite)) continue;
      for (let y = 0; y < z.length; y++) {
        const r = softmaxMinusOneHotTerm(z, y);
        r.forEach((rj, j) => {
          expect(
            ulpError(rj, residualTruth(z, y, j)),
            `z = ${z}, y = ${y}, j = ${j}: ${rj}`,
          ).toBeLessThanOrEqual(4);
        });
      }
    }
    // p_0 rounds to 1 here, yet the residual is −(e^{−40} + e^{−41}), not 0.
    expect(softmaxMinusOneHotTerm([40, 0, -1], 0)[0]).toBeLessThan(0);
  });

  test("softmax rows are probabilities: in [0, 1], summing to 1 within K ulp", () => {
    for (const z of ROWS) {
      const p = softmax(z);
      const sum = p.reduce((a, b) => a + b, 0);
      expect(Math.abs(sum - 1)).toBeLessThanOrEqual(z.length * 2 ** -52);
      for (const pj of p) expect(pj >= 0 && pj <= 1).toBe(true);
    }
  });
});

describe("K = 2 reduces to the sigmoid head on d = z1 − z0", () => {
  // On the grid 2^−40 with |z| < 2^11, z1 − z0 is exact, so both sides see the same d.
  const logit = fc.integer({ min: -(2 ** 50), max: 2 ** 50 }).map((k) => k * 2 ** -40);

  test("softmax CE of (z0, z1) equals bceWithLogits(z1 − z0, y), bit for bit", () => {
    fc.assert(
      fc.property(logit, logit, fc.constantFrom(0, 1), (z0, z1, y) => {
        const softmaxLoss = softmaxCrossEntropy(fromRows([[z0, z1]]), columnVector([y]));
        const sigmoidLoss = bceWithLogits(columnVector([z1 - z0]), columnVector([y]));
        expect(softmaxLoss).toBe(sigmoidLoss);
      }),
      { numRuns: 1000, seed: 11 },
    );
  });

  test("its gradient w.r.t. (z0, z1) is (−(σ(d) − y), σ(d) − y), bit for bit", () => {
    fc.assert(
      fc.property(logit, logit, fc.constantFrom(0, 1), (z0, z1, y) => {
        const r = softmaxMinusOneHot(fromRows([[z0, z1]]), columnVector([y]));
        const sigmoidResidual = sigmoidMinusLabel(z1 - z0, y);
        expect(r.data[1]).toBe(sigmoidResidual);
        expect(r.data[0]).toBe(-sigmoidResidual);
      }),
      { numRuns: 1000, seed: 12 },
    );
  });

  test("for any doubles (d rounded) the two agree with each other within a few ulp of the loss's scale", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e3, max: 1e3, noNaN: true }),
        fc.double({ min: -1e3, max: 1e3, noNaN: true }),
        fc.constantFrom(0, 1),
        (z0, z1, y) => {
          const softmaxLoss = softmaxCrossEntropyTerm([z0, z1], y);
          // The softmax side is the more accurate one: it forms z1 − z0 exactly.
          expect(ulpError(softmaxLoss, ceTruth([z0, z1], y))).toBeLessThanOrEqual(3);
        },
      ),
      { numRuns: 300, seed: 13 },
    );
  });
});
