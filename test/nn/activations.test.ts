import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/errors.js";
import { ACTIVATIONS, activationByName } from "../../src/nn/index.js";
import { leakyRelu, relu } from "../../src/nn/activations.js";
import { Rng } from "../../src/rng.js";

describe("activations", () => {
  it("each derivative f′ agrees with a central difference of f away from 0", () => {
    const rng = new Rng(3);
    for (const act of Object.values(ACTIVATIONS)) {
      for (let i = 0; i < 500; i++) {
        const z = rng.uniformIn(-6, 6);
        if (Math.abs(z) < 1e-3) continue;
        const h = 1e-6;
        const numeric = (act.f(z + h) - act.f(z - h)) / (2 * h);
        expect(act.df(z, act.f(z))).toBeCloseTo(numeric, 8);
      }
    }
  });

  it("relu′(0) = 0 and leaky-relu′(0) = 0.01 (the documented conventions)", () => {
    expect(relu.df(0, 0)).toBe(0);
    expect(leakyRelu.df(0, 0)).toBe(0.01);
    expect(relu.f(-3)).toBe(0);
    expect(leakyRelu.f(-3)).toBeCloseTo(-0.03, 15);
  });

  it("tanh′ = 1 − a² and σ′ = a(1 − a), keeping their size where 1 − a cancels", () => {
    const rng = new Rng(5);
    for (let i = 0; i < 1000; i++) {
      const z = rng.uniformIn(-3, 3);
      const t = Math.tanh(z);
      const s = 1 / (1 + Math.exp(-z));
      expect(ACTIVATIONS.tanh.df(z, t)).toBeCloseTo(1 - t * t, 14);
      expect(ACTIVATIONS.sigmoid.df(z, s)).toBeCloseTo(s * (1 - s), 14);
    }
    // Saturated units: a rounds to 1, so 1 − a² and a(1 − a) are exactly 0; the true
    // derivatives are 4e^{−2z}(1 + O(e^{−2z})) and e^{−z}/(1 + e^{−z})².
    for (const z of [20, 40, 300]) {
      expect(1 - Math.tanh(z) ** 2).toBe(0);
      expect(ACTIVATIONS.tanh.df(z, 1) / (4 * Math.exp(-2 * z))).toBeCloseTo(1, 12);
      expect(ACTIVATIONS.tanh.df(-z, -1) / (4 * Math.exp(-2 * z))).toBeCloseTo(1, 12);
      const e = Math.exp(-z);
      expect(ACTIVATIONS.sigmoid.df(z, 1 / (1 + e)) / (e / (1 + e) ** 2)).toBeCloseTo(1, 12);
    }
  });

  it("the sigmoid activation saturates without overflow", () => {
    expect(ACTIVATIONS.sigmoid.f(-1000)).toBe(0);
    expect(ACTIVATIONS.sigmoid.f(1000)).toBe(1);
  });

  it("an unknown name is a UsageError listing the known ones", () => {
    expect(() => activationByName("gelu")).toThrow(UsageError);
    expect(() => activationByName("gelu")).toThrow(/relu, leaky-relu, tanh, sigmoid/);
    expect(() => activationByName("toString")).toThrow(UsageError);
  });
});
