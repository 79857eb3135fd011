import { describe, expect, it } from "vitest";
import { fromRows } from "../../src/linalg/index.js";
import { activationByName } from "../../src/nn/index.js";
import { binCounts, derivativePeak, hiddenHistograms } from "../../web/src/lib/histogram.js";

describe("binCounts", () => {
  it("puts each value in bin ⌊(v − lo)/(hi − lo)·bins⌋, out-of-range values in the end bins", () => {
    // bins of width 0.25 over [0, 1]: 0 → 0, 0.1 → 0, 0.25 → 1, 0.5 → 2, 0.99 → 3, 1 → 3 (hi is in
    // the last bin), −3 → 0, 7 → 3
    expect([...binCounts([0, 0.1, 0.25, 0.5, 0.99, 1, -3, 7], 0, 1, 4)]).toEqual([3, 1, 1, 3]);
  });

  it("counts every value once", () => {
    const values = Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 3);
    const counts = binCounts(values, -1, 1, 7);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(1000);
  });
});

describe("hiddenHistograms: dead and saturated units", () => {
  it("relu: a unit with z ≤ 0 on every row is dead; one active row keeps it alive", () => {
    // columns: unit 0 never active (z = 0 counts as inactive: relu′(0) = 0), unit 1 active on one row,
    // unit 2 always active
    const z1 = fromRows([
      [-1, -2, 1],
      [0, -1, 2],
      [-3, 0.5, 3],
    ]);
    const h = hiddenHistograms(z1, activationByName("relu"), 4);
    expect(h.units.map((u) => u.dead)).toEqual([true, false, false]);
    expect(h.units.map((u) => u.saturated)).toEqual([false, false, false]);
    // a = relu(z): range [0, 3], bins of 0.75; unit 1: a = 0, 0, 0.5 → all in bin 0
    expect([h.lo, h.hi]).toEqual([0, 3]);
    expect([...h.units[1]!.counts]).toEqual([3, 0, 0, 0]);
    // unit 2: a = 1, 2, 3 → bins 1, 2, 3
    expect([...h.units[2]!.counts]).toEqual([0, 1, 1, 1]);
  });

  it("tanh: saturated when tanh′(z) < 1% of its peak (|z| > 3.0) on at least 90% of the rows", () => {
    // tanh′(5) = 1 − tanh²(5) = 1.8e−4 < 0.01; tanh′(2) = 0.071 ≥ 0.01
    const col = (far: number): number[] => [
      ...Array.from({ length: far }, (_, i) => (i % 2 ? 5 : -5)),
      ...Array.from({ length: 10 - far }, () => 0.1),
    ];
    const [a, b, c] = [col(9), col(8), col(10)];
    const z1 = fromRows(a.map((_, i) => [a[i]!, b[i]!, c[i]!, 2]));
    const h = hiddenHistograms(z1, activationByName("tanh"), 5);
    expect(h.units.map((u) => u.saturated)).toEqual([true, false, true, false]);
    expect(h.units.every((u) => !u.dead)).toBe(true);
  });

  it("sigmoid: its peak is σ′(0) = 1/4, so z = 7 (σ′ = 9.1e−4 < 2.5e−3) saturates and z = 5 (6.6e−3) does not", () => {
    const f = activationByName("sigmoid");
    expect(derivativePeak(f)).toBe(0.25);
    const z1 = fromRows(Array.from({ length: 10 }, () => [7, 5]));
    const h = hiddenHistograms(z1, f, 3);
    expect(h.units.map((u) => u.saturated)).toEqual([true, false]);
  });

  it("leaky relu is never dead, and its slope of 1% on the negative side is not saturation", () => {
    const z1 = fromRows(Array.from({ length: 10 }, () => [-4, 3]));
    const h = hiddenHistograms(z1, activationByName("leaky-relu"), 3);
    expect(h.units.map((u) => u.dead || u.saturated)).toEqual([false, false]);
  });
});
