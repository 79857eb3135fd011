/**
 * The boundary plot's points (web/src/lib/points.ts): at most POINTS_CAP rows, each class's
 * share kept within 1/cap whatever the order of the file (sorted by class, or interleaved so
 * that an even stride would see one class only), no row twice, the same rows for the same data.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { pointSample, POINTS_CAP } from "../../web/src/lib/points.js";

/** Each class's count among `rows` of `labels`. */
function counts(labels: ArrayLike<number>, rows: Iterable<number>, classes: number): number[] {
  const out = new Array<number>(classes).fill(0);
  for (const i of rows) out[labels[i]!]!++;
  return out;
}

describe("pointSample", () => {
  it("keeps each class's share of a file sorted by class", () => {
    const labels = Float64Array.from({ length: 50_000 }, (_, i) =>
      i < 30_000 ? 0 : i < 45_000 ? 1 : 2,
    );
    const rows = pointSample(labels);
    expect(rows).toHaveLength(POINTS_CAP);
    expect(new Set(rows).size).toBe(POINTS_CAP);
    expect(counts(labels, rows, 3)).toEqual([1500, 750, 250]);
    // Spread over each class's rows, not bunched (a uniform pick of 1500 of 30 000 rows has a
    // mean index of 15 000 ± about 225).
    const zeros = [...rows].filter((i) => i < 30_000);
    const mean = zeros.reduce((a, b) => a + b, 0) / zeros.length;
    expect(Math.abs(mean - 15_000)).toBeLessThan(1500);
  });

  it("keeps both classes of an interleaved file, where an even stride sees one", () => {
    const labels = Float64Array.from({ length: 50_000 }, (_, i) => i % 2);
    const stride = Array.from({ length: POINTS_CAP }, (_, i) =>
      Math.floor((i * 50_000) / POINTS_CAP),
    );
    expect(counts(labels, stride, 2)).toEqual([2500, 0]); // the old sample: class 0 only
    expect(counts(labels, pointSample(labels), 2)).toEqual([1250, 1250]);
  });

  it("draws every row, in a random order, when there are at most cap", () => {
    const labels = Float64Array.from({ length: 400 }, (_, i) => i % 3);
    const rows = pointSample(labels);
    expect([...rows].sort((a, b) => a - b)).toEqual(Array.from({ length: 400 }, (_, i) => i));
    expect([...rows]).not.toEqual(Array.from({ length: 400 }, (_, i) => i));
    expect(pointSample(labels)).toEqual(rows); // seeded
  });

  it("gives every class n_k with |n_k/cap − N_k/N| < 1/cap, distinct rows (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 7 }), { minLength: 1, maxLength: 3000 }),
        fc.integer({ min: 1, max: 500 }),
        fc.nat(),
        (labelList, cap, seed) => {
          const labels = Float64Array.from(labelList);
          const N = labels.length;
          const rows = pointSample(labels, cap, seed);
          const n = Math.min(N, cap);
          expect(rows).toHaveLength(n);
          expect(new Set(rows).size).toBe(n);
          for (const r of rows) expect(r).toBeLessThan(N);
          const drawn = counts(labels, rows, 8);
          const all = counts(labels, labels.keys(), 8);
          for (let k = 0; k < 8; k++)
            expect(Math.abs(drawn[k]! / n - all[k]! / N)).toBeLessThan(1 / n);
        },
      ),
      { numRuns: 200 },
    );
  });
});
