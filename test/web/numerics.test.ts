import { describe, expect, it } from "vitest";
import { naiveBce, stableBce } from "../../web/src/lib/numerics.js";

describe("the numerics panel", () => {
  it("agrees with the closed form log(1 + e^{−z}) (y = 1) and z + log(1 + e^{−z}) (y = 0) at moderate z", () => {
    for (const z of [-5, -2, -0.5, 0, 0.5, 2, 5]) {
      const y1 = Math.log(1 + Math.exp(-z));
      const y0 = z + Math.log(1 + Math.exp(-z));
      for (const [y, truth] of [
        [1, y1],
        [0, y0],
      ] as const) {
        expect(naiveBce(z, y)).toBeCloseTo(truth, 12);
        expect(stableBce(z, y)).toBeCloseTo(truth, 12);
      }
    }
    expect(stableBce(0, 1)).toBe(Math.LN2);
  });

  it("at z = 40, y = 0: the naive loss is Infinity (σ(40) rounds to 1), the stable one 40", () => {
    expect(1 / (1 + Math.exp(-40))).toBe(1); // the rounding that breaks the naive form
    expect(naiveBce(40, 0)).toBe(Infinity);
    // z + log(1 + e^{−40}) = 40 + 4.2e−18, which is 40 in float64
    expect(stableBce(40, 0)).toBe(40);
  });

  it("at z = 40, y = 1: the naive loss is 0, the stable one e^{−40} (log1p(e^{−40}) to within an ulp)", () => {
    expect(naiveBce(40, 1)).toBe(-0);
    expect(stableBce(40, 1)).toBeCloseTo(Math.exp(-40), 30);
    expect(Math.abs(stableBce(40, 1) / Math.exp(-40) - 1)).toBeLessThan(1e-15);
  });

  it("at z = −800, y = 1: σ(z) underflows to 0, so the naive loss is Infinity; the stable one 800", () => {
    expect(naiveBce(-800, 1)).toBe(Infinity);
    expect(stableBce(-800, 1)).toBe(800);
    expect(naiveBce(-800, 0)).toBe(-0); // log(1 − 0) = 0
    expect(stableBce(-800, 0)).toBe(0);
  });
});
