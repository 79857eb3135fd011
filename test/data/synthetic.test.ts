import { describe, expect, it } from "vitest";
import { makeWorkload, validateDataset, WORKLOAD_NAMES, WORKLOADS } from "../../src/data/index.js";
import { UsageError } from "../../src/errors.js";

describe("makeWorkload", () => {
  it("gives the issue's shapes, valid binary data, and about balanced classes", () => {
    for (const name of WORKLOAD_NAMES) {
      const w = makeWorkload(name, 1, { samples: 2000 });
      expect(w.data.X.rows).toBe(2000);
      expect(w.data.X.cols).toBe(WORKLOADS[name].features);
      validateDataset(w.data);
      const ones = w.data.y.data.reduce((a, b) => a + b, 0);
      expect(ones / 2000).toBeGreaterThan(0.2);
      expect(ones / 2000).toBeLessThan(0.8);
    }
    expect(makeWorkload("tab").data.X.rows).toBe(20_000);
  });

  it("is bit-identical for one seed and differs for another", () => {
    const a = makeWorkload("toy", 5).data;
    const b = makeWorkload("toy", 5).data;
    const c = makeWorkload("toy", 6).data;
    expect(Buffer.from(a.X.data.buffer).equals(Buffer.from(b.X.data.buffer))).toBe(true);
    expect(Buffer.from(a.y.data.buffer).equals(Buffer.from(b.y.data.buffer))).toBe(true);
    expect(Buffer.from(a.X.data.buffer).equals(Buffer.from(c.X.data.buffer))).toBe(false);
  });

  it("refuses an unknown name and a bad sample count", () => {
    expect(() => makeWorkload("huge")).toThrow(UsageError);
    expect(() => makeWorkload("toy", 0, { samples: 0 })).toThrow(/positive integer/);
  });
});
