import { describe, expect, it } from "vitest";
import { makeWorkload, WORKLOAD_NAMES, WORKLOADS } from "../../src/bench/workloads.js";
import { UsageError } from "../../src/errors.js";

describe("synthetic workloads", () => {
  it("have the shapes and runs of issue 4's table", () => {
    expect(WORKLOADS.toy).toMatchObject({
      N: 1000,
      D: 2,
      H: 16,
      activation: "tanh",
      batch: "full",
      epochs: 200,
    });
    expect(WORKLOADS.tab).toMatchObject({
      N: 20_000,
      D: 30,
      H: 64,
      activation: "relu",
      batch: 64,
      epochs: 3,
    });
    expect(WORKLOADS.wide).toMatchObject({
      N: 10_000,
      D: 784,
      H: 256,
      activation: "relu",
      batch: 128,
      epochs: 2,
    });
  });

  for (const name of WORKLOAD_NAMES) {
    it(`${name}: N×D features, N×1 labels in {0, 1}, both classes well represented`, () => {
      const { X, y, spec } = makeWorkload(name, 1);
      expect([X.rows, X.cols, y.rows, y.cols]).toEqual([spec.N, spec.D, spec.N, 1]);
      let ones = 0;
      for (const label of y.data) {
        expect(label === 0 || label === 1).toBe(true);
        ones += label;
      }
      // Balanced in expectation (s is odd in X): far from all one class.
      expect(ones / spec.N).toBeGreaterThan(0.2);
      expect(ones / spec.N).toBeLessThan(0.8);
    });
  }

  it("the same seed gives bit-identical data, another seed other data", () => {
    const a = makeWorkload("tab", 7);
    const b = makeWorkload("tab", 7);
    const c = makeWorkload("tab", 8);
    expect(Buffer.from(a.X.data.buffer).equals(Buffer.from(b.X.data.buffer))).toBe(true);
    expect(Buffer.from(a.y.data.buffer).equals(Buffer.from(b.y.data.buffer))).toBe(true);
    expect(Buffer.from(a.X.data.buffer).equals(Buffer.from(c.X.data.buffer))).toBe(false);
  });

  it("the features are standard normal (mean ≈ 0, variance ≈ 1 over 200 000 draws)", () => {
    const { X } = makeWorkload("wide", 3);
    const sample = X.data.subarray(0, 200_000);
    let sum = 0;
    let squares = 0;
    for (const x of sample) {
      sum += x;
      squares += x * x;
    }
    const mean = sum / sample.length;
    // Standard error of the mean ≈ 1/√200000 ≈ 0.0022; of the variance ≈ √2/√200000 ≈ 0.0032.
    expect(Math.abs(mean)).toBeLessThan(0.012);
    expect(Math.abs(squares / sample.length - mean * mean - 1)).toBeLessThan(0.016);
  });

  it("refuses an unknown workload by name", () => {
    expect(() => makeWorkload("huge", 0)).toThrow(UsageError);
    expect(() => makeWorkload("huge", 0)).toThrow(
      /unknown workload "huge" \(known: toy, tab, wide\)/,
    );
  });
});
