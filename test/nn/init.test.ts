import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/errors.js";
import { initParams, type InitName } from "../../src/nn/index.js";

function stats(values: Float64Array): { mean: number; variance: number; maxAbs: number } {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length;
  return { mean, variance, maxAbs: Math.max(...values.map(Math.abs)) };
}

describe("initParams", () => {
  const D = 200;
  const H = 300;
  // Target variances: he 2/fan_in; xavier 2/(fan_in + fan_out); uniform variants match them.
  const cases: [InitName, number][] = [
    ["he", 2 / D],
    ["he-uniform", 2 / D],
    ["xavier", 2 / (D + H)],
    ["xavier-uniform", 2 / (D + H)],
  ];
  for (const [init, variance] of cases) {
    it(`${init}: W1 has mean 0 and variance ${init.startsWith("he") ? "2/D" : "2/(D+H)"} (60 000 draws, within 3%)`, () => {
      const { W1, b1, b2 } = initParams({ inputs: D, hidden: H, init, seed: 42 });
      const s = stats(W1.data);
      expect(Math.abs(s.mean)).toBeLessThan(4 * Math.sqrt(variance / W1.data.length));
      expect(Math.abs(s.variance / variance - 1)).toBeLessThan(0.03);
      if (init.endsWith("uniform")) expect(s.maxAbs).toBeLessThanOrEqual(Math.sqrt(3 * variance));
      expect([...b1.data, ...b2.data].every((b) => b === 0)).toBe(true);
    });
  }

  it("W2 is scaled by its own fan-in H (he) and fan-in + fan-out H + 1 (xavier)", () => {
    const he = stats(initParams({ inputs: 2, hidden: 20_000, init: "he", seed: 1 }).W2.data);
    expect(Math.abs(he.variance / (2 / 20_000) - 1)).toBeLessThan(0.05);
    const xavier = stats(
      initParams({ inputs: 2, hidden: 20_000, init: "xavier", seed: 1 }).W2.data,
    );
    expect(Math.abs(xavier.variance / (2 / 20_001) - 1)).toBeLessThan(0.05);
  });

  it("sets every bias to biasInit", () => {
    const { b1, b2 } = initParams({ inputs: 3, hidden: 4, init: "he", seed: 0, biasInit: 0.01 });
    expect([...b1.data, ...b2.data]).toEqual([0.01, 0.01, 0.01, 0.01, 0.01]);
  });

  it("is bit-identical for the same seed and different for another", () => {
    const a = initParams({ inputs: 3, hidden: 4, init: "xavier", seed: 7 });
    const b = initParams({ inputs: 3, hidden: 4, init: "xavier", seed: 7 });
    const c = initParams({ inputs: 3, hidden: 4, init: "xavier", seed: 8 });
    expect(Buffer.from(a.W1.data.buffer).equals(Buffer.from(b.W1.data.buffer))).toBe(true);
    expect(Buffer.from(a.W1.data.buffer).equals(Buffer.from(c.W1.data.buffer))).toBe(false);
  });

  it("refuses nonsense sizes and schemes", () => {
    expect(() => initParams({ inputs: 0, hidden: 4, init: "he", seed: 0 })).toThrow(UsageError);
    expect(() => initParams({ inputs: 2, hidden: 1.5, init: "he", seed: 0 })).toThrow(/hidden/);
    expect(() => initParams({ inputs: 2, hidden: 4, init: "magic" as InitName, seed: 0 })).toThrow(
      /unknown init/,
    );
    expect(() => initParams({ inputs: 2, hidden: 4, init: "he", seed: -1 })).toThrow(/seed/);
    expect(() => initParams({ inputs: 2, hidden: 4, init: "he", seed: 0, biasInit: NaN })).toThrow(
      /bias/,
    );
  });
});
