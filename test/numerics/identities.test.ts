/**
 * Identities and exact values: the complement symmetry, the points where the 60-digit oracle
 * cannot see the binade (σ exactly 1 and exactly 1/2), and the special inputs.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { log1mexp, logSigmoid, sigmoid, softplus } from "../../src/numerics/index.js";
import { nextDown, nextUp } from "./ulp.js";

const SEED = 20240611;

describe("sigmoid", () => {
  test("σ(z) + σ(−z) is 1 within 1 ulp for z in [−40, 40]", () => {
    fc.assert(
      fc.property(fc.double({ min: -40, max: 40, noNaN: true }), (z) => {
        expect(Math.abs(sigmoid(z) + sigmoid(-z) - 1)).toBeLessThanOrEqual(2 ** -52);
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });

  test("σ(z) is exactly 1 once 1 − σ(z) = σ(−z) < 2^−54 (z ≥ 37.43), and below 1 before", () => {
    for (const z of [37.43, 37.5, 40, 100, 138, 1e4, 1e308, Number.MAX_VALUE]) {
      expect(sigmoid(z)).toBe(1);
    }
    expect(sigmoid(36.7)).toBeLessThan(1);
  });

  test("σ(z) is exactly 1/2 for |z| ≤ 2^−54, and moves off 1/2 beyond", () => {
    for (const z of [0, -0, Number.MIN_VALUE, -Number.MIN_VALUE, 1e-300, -1e-300, 2 ** -54]) {
      expect(sigmoid(z)).toBe(0.5);
    }
    expect(sigmoid(-(2 ** -54))).toBe(0.5);
    expect(sigmoid(2 ** -50)).toBe(0.5 + 2 ** -52); // σ(z) = 1/2 + z/4 + O(z³)
    expect(sigmoid(-(2 ** -50))).toBe(0.5 - 2 ** -52);
  });

  test("σ is 0 and 1 at ∓∞ and NaN at NaN", () => {
    expect(sigmoid(-Infinity)).toBe(0);
    expect(sigmoid(Infinity)).toBe(1);
    expect(sigmoid(NaN)).toBeNaN();
  });

  test("σ keeps its subnormal tail: σ(−740) is e^−740, not 0", () => {
    expect(sigmoid(-740)).toBe(Math.exp(-740));
    expect(sigmoid(-740)).toBeGreaterThan(0);
    expect(sigmoid(-746)).toBe(0);
  });
});

describe("softplus and logSigmoid", () => {
  test("softplus(z) is z itself for z ≥ 33.3, and e^z in the far negative tail", () => {
    for (const z of [33.3, 40, 709.8, 710, 1e308, Number.MAX_VALUE]) expect(softplus(z)).toBe(z);
    expect(softplus(-40)).toBe(Math.exp(-40));
    expect(softplus(-746)).toBe(0);
  });

  test("logSigmoid(z) is z for z ≤ −33.3 and finite for every finite z", () => {
    for (const z of [-33.3, -710, -1e308, -Number.MAX_VALUE]) expect(logSigmoid(z)).toBe(z);
    expect(logSigmoid(-Number.MAX_VALUE)).toBe(-Number.MAX_VALUE);
    expect(logSigmoid(40)).toBe(-Math.exp(-40));
  });

  test("softplus(z) − softplus(−z) = z to rounding (fast-check, seeded)", () => {
    fc.assert(
      fc.property(fc.double({ min: -700, max: 700, noNaN: true }), (z) => {
        const difference = softplus(z) - softplus(-z);
        expect(Math.abs(difference - z)).toBeLessThanOrEqual(
          4 * 2 ** -52 * Math.max(1, Math.abs(z)),
        );
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });
});

describe("log1mexp", () => {
  test("log1mexp(0) is −∞, log1mexp(x > 0) is NaN, and the far tail is −0", () => {
    expect(log1mexp(0)).toBe(-Infinity);
    expect(log1mexp(-0)).toBe(-Infinity);
    expect(log1mexp(1e-300)).toBeNaN();
    expect(log1mexp(1)).toBeNaN();
    expect(log1mexp(-800)).toBe(-0);
    expect(log1mexp(-Infinity)).toBe(-0);
  });

  test("log1mexp is continuous across the −ln 2 split", () => {
    const below = log1mexp(nextDown(-Math.LN2));
    const at = log1mexp(-Math.LN2);
    const above = log1mexp(nextUp(-Math.LN2));
    expect(Math.abs(at - below)).toBeLessThan(1e-15);
    expect(Math.abs(above - at)).toBeLessThan(1e-15);
    expect(at).toBeCloseTo(-Math.LN2, 15); // log(1 − 1/2) = −ln 2
  });

  test("log1mexp(log p) is log(1 − p) for p = 1/4 (exact in binary)", () => {
    expect(log1mexp(Math.log(0.25))).toBeCloseTo(Math.log(0.75), 15);
  });
});
