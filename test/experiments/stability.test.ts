/** The stability experiment's claims, each against a closed form or 60-digit truth. */
import { describe, expect, it } from "vitest";
import {
  clippedLoss,
  firstDoubleWhere,
  naiveLoss,
  naiveSigmoid,
  SKLEARN_EPS,
  stability,
  thresholds,
} from "../../src/experiments/stability.js";
import { bitsOf, fromBits } from "../../src/experiments/ulp.js";
import { sigmoid, softplus } from "../../src/numerics/index.js";

const previous = (x: number): number => fromBits(bitsOf(x) - 1n);
const t = thresholds();

describe("stability: the float64 thresholds", () => {
  it("e^z overflows exactly above ln(2^1024) ≈ 709.78: finite at the threshold, ∞ at the next double", () => {
    const z = t.expOverflow as number;
    expect(Number.isFinite(Math.exp(z))).toBe(true);
    expect(Math.exp(fromBits(bitsOf(z) + 1n))).toBe(Infinity);
    expect(Math.abs(z - 1024 * Math.LN2)).toBeLessThan(1e-12 * z);
  });

  it("the naive σ first rounds to exactly 1 at 53 ln 2 ≈ 36.74, so naive log(1 − p) = −∞ there", () => {
    const z = t.naiveSigmoidOne as number;
    expect(naiveSigmoid(z)).toBe(1);
    expect(naiveSigmoid(previous(z))).toBeLessThan(1);
    expect(Math.abs(z - 53 * Math.LN2)).toBeLessThan(1e-6);
    expect(naiveLoss(z, 0)).toBe(Infinity);
  });

  it("the stable σ stays positive down to ln(2^−1075) ≈ −745.13, the naive one only to −709.78", () => {
    const stable = t.stableSigmoidZero as number;
    expect(sigmoid(stable)).toBe(0);
    expect(sigmoid(previous(-stable) * -1)).toBeGreaterThan(0);
    expect(Math.abs(stable - -1075 * Math.LN2)).toBeLessThan(1e-3);
    const naive = t.naiveSigmoidZero as number;
    expect(naiveSigmoid(naive)).toBe(0);
    expect(Math.abs(naive - -1024 * Math.LN2)).toBeLessThan(1e-9);
    expect(sigmoid(naive)).toBeGreaterThan(0); // the tail the naive form throws away
  });

  it("bisection finds the first double where a predicate turns true", () => {
    for (const threshold of [1, Math.PI, 1e-300, 123456.789]) {
      const found = firstDoubleWhere(0, 1e6, (x) => x >= threshold);
      expect(found).toBe(threshold);
    }
  });
});

describe("stability: the reference losses at logits 40 and 100", () => {
  it("clipping at ε = 2^−52 caps the loss at 52 ln 2 ≈ 36.04 whatever the logit; ours is softplus(z) ≈ z", () => {
    for (const z of [40, 100, 1000]) {
      expect(clippedLoss(z, 0)).toBeCloseTo(52 * Math.LN2, 12);
      expect(softplus(z)).toBe(z);
      expect(naiveLoss(z, 0)).toBe(Infinity);
    }
    expect(SKLEARN_EPS).toBe(Number.EPSILON);
  });
});

describe("stability: the experiment's report", () => {
  const result = stability.run({ seed: 0 });
  const n = result.numbers;

  it("measures ≈ 1/ln 2 bits lost per unit of logit by the naive 1 − p (within 3 %)", () => {
    expect(Math.abs(Number(n.bitsPerUnitLogit) * Math.LN2 - 1)).toBeLessThan(0.03);
    // and (z + 1/2)/ln 2 bits at z = 10, 20, 30 (the worst case over z ± 1/2, with p's error
    // up to 2^−53 from rounding 1 + e^{−z}), to within 1 bit
    for (const [z, lost] of [
      [10, n.bitsLostAt10],
      [20, n.bitsLostAt20],
      [30, n.bitsLostAt30],
    ] as const) {
      expect(Math.abs(Number(lost) - (z + 0.5) / Math.LN2)).toBeLessThan(1);
    }
  });

  it("σ(−z) and −expm1(log p) keep 1 − p to a few ulp where the naive form loses up to all bits", () => {
    expect(Number(n.worstStableComplement)).toBeLessThan(4 * 2 ** -53);
    const bits = result.tables.find((table) => table.name === "bits");
    for (const row of bits?.rows ?? []) expect(Number(row[3])).toBeLessThan(2);
  });

  it("ours is within 1.5 ulp of the truth and never ±∞ over [−1000, 1000], where the naive loss is ±∞ or NaN at hundreds of logits", () => {
    const ulp = result.tables.find((table) => table.name === "ulp");
    const rows = new Map(ulp?.rows.map((row) => [row[0], row]));
    for (const name of ["σ(z)", "ℓ(z, 0) = softplus(z)", "ℓ(z, 1) = softplus(−z)"]) {
      const row = rows.get(name) as readonly string[];
      expect(Number(row[1]), name).toBeLessThan(1.5);
      expect(row[2], name).toBe("0");
    }
    expect(Number(n.naiveNonFiniteLoss0)).toBeGreaterThan(900);
  });

  it("is deterministic: a second run gives the same tables and numbers", () => {
    const again = stability.run({ seed: 0 });
    expect(again.numbers).toEqual(result.numbers);
    expect(again.tables).toEqual(result.tables);
  });
});

describe("stability: where σ itself reaches 1", () => {
  it("the correctly rounded σ is 1 from 54 ln 2 ≈ 37.43, and handgrad's σ (1/(1 + e^{−z}) for z ≥ 0) already from 53 ln 2", () => {
    expect(Math.abs((t.sigmoidOne as number) - 54 * Math.LN2)).toBeLessThan(1e-6);
    expect(sigmoid(t.naiveSigmoidOne as number)).toBe(1);
    expect(sigmoid(previous(t.naiveSigmoidOne as number))).toBeLessThan(1);
  });
});
