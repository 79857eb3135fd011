import { describe, expect, it } from "vitest";
import { logRange, logTicks, niceTicks, tickLabel } from "../../web/src/lib/axes.js";

describe("axis ticks", () => {
  it("are 1, 2 or 5 × 10^k apart, inside the range, about as many as asked", () => {
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0, 37)).toEqual([0, 10, 20, 30]);
    expect(niceTicks(-1.3, 2.2)).toEqual([-1, 0, 1, 2]);
    expect(niceTicks(0.1, 0.13, 3)).toEqual([0.1, 0.11, 0.12, 0.13]);
    for (const [lo, hi] of [
      [0, 1e-9],
      [-5e6, 7e6],
      [3, 3.0000001],
    ] as const) {
      const ticks = niceTicks(lo, hi);
      expect(ticks.length).toBeGreaterThanOrEqual(2);
      expect(ticks.length).toBeLessThanOrEqual(11);
      for (const t of ticks) {
        expect(t).toBeGreaterThanOrEqual(lo - (hi - lo) * 1e-9);
        expect(t).toBeLessThanOrEqual(hi + (hi - lo) * 1e-9);
      }
    }
    expect(niceTicks(2, 2)).toEqual([2]);
    expect(niceTicks(NaN, 1)).toEqual([]);
  });

  it("on a log scale are the powers of ten in range (with 2 and 5 over short spans)", () => {
    expect(logTicks(1e-4, 3)).toEqual([1e-4, 1e-3, 1e-2, 0.1, 1]);
    expect(logTicks(0.03, 0.7)).toEqual([0.05, 0.1, 0.2, 0.5]);
    expect(logTicks(0, 1)).toEqual([]);
  });

  it("on a narrow log range widen to the 1-2-5 values around it (at least two ticks)", () => {
    expect(logRange(0.852939, 0.860819)).toEqual([0.5, 1]);
    expect(logRange(0.0031, 0.0032)).toEqual([0.002, 0.005]);
    expect(logRange(0.01, 3)).toEqual([0.01, 3]);
    for (const [lo, hi] of [
      [0.852939, 0.860819],
      [7e-5, 7.1e-5],
      [1, 1],
    ] as const) {
      const [a, b] = logRange(lo, hi);
      expect(a).toBeLessThanOrEqual(lo);
      expect(b).toBeGreaterThanOrEqual(hi);
      expect(logTicks(a, b).length).toBeGreaterThanOrEqual(2);
    }
  });

  it("are labelled in short text", () => {
    expect(tickLabel(0.2)).toBe("0.2");
    expect(tickLabel(0.30000000000000004)).toBe("0.3");
    expect(tickLabel(1e-4)).toBe("1e-4");
    expect(tickLabel(5e-7)).toBe("5×1e-7");
    expect(tickLabel(-1)).toBe("-1");
  });
});
