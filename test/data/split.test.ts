import { describe, expect, it } from "vitest";
import { makeDataset, splitDataset, splitIndices, type Dataset } from "../../src/data/index.js";
import { UsageError } from "../../src/errors.js";

/** Each row as "x1,x2|label", sorted: the multiset of rows. */
function rowSet(ds: Dataset): string[] {
  return Array.from(
    { length: ds.X.rows },
    (_, i) => `${ds.X.data[2 * i]},${ds.X.data[2 * i + 1]}|${ds.y.data[i]}`,
  ).sort();
}

describe("splitDataset", () => {
  const data = makeDataset("moons", { samples: 101, seed: 1 });

  it("holds out round(N·fraction) rows and keeps the rest for training", () => {
    const { train, validation } = splitDataset(data, 0.2, 5);
    expect(validation.X.rows).toBe(20); // round(20.2)
    expect(train.X.rows).toBe(81);
    expect(splitDataset(data, 0.25, 5).validation.X.rows).toBe(25); // round(25.25)
    expect(splitDataset(data, 0.5, 5).validation.X.rows).toBe(51); // round(50.5)
  });

  it("puts every row (with its own label) in exactly one part", () => {
    const { train, validation } = splitDataset(data, 0.3, 5);
    expect([...rowSet(train), ...rowSet(validation)].sort()).toEqual(rowSet(data));
    expect(train.featureNames).toEqual(data.featureNames);
    expect(validation.labelName).toBe("label");
  });

  it("shuffles with the seed: same seed same split, another seed another", () => {
    const a = splitDataset(data, 0.3, 5);
    const b = splitDataset(data, 0.3, 5);
    const c = splitDataset(data, 0.3, 6);
    expect(Array.from(a.validation.X.data)).toEqual(Array.from(b.validation.X.data));
    expect(rowSet(a.validation)).not.toEqual(rowSet(c.validation));
  });

  it("leaves the data set unchanged", () => {
    const before = Array.from(data.X.data);
    splitDataset(data, 0.3, 5);
    expect(Array.from(data.X.data)).toEqual(before);
  });

  it("a fraction outside (0, 1) is a UsageError naming the value", () => {
    for (const bad of [0, 1, -0.1, 1.5, NaN, Infinity]) {
      expect(() => splitDataset(data, bad, 0)).toThrow(UsageError);
      expect(() => splitDataset(data, bad, 0)).toThrow(`got ${bad}`);
    }
  });

  it("a fraction that leaves a part empty is a UsageError naming both sizes", () => {
    const small = makeDataset("moons", { samples: 3 });
    expect(() => splitDataset(small, 0.1, 0)).toThrow(UsageError);
    expect(() => splitDataset(small, 0.1, 0)).toThrow("leaves 0 validation and 3 training rows");
    expect(() => splitDataset(small, 0.9, 0)).toThrow("leaves 3 validation and 0 training rows");
  });

  it("a bad seed is a UsageError", () => {
    expect(() => splitDataset(data, 0.5, -1)).toThrow(UsageError);
  });
});

describe("splitIndices", () => {
  const data = makeDataset("moons", { samples: 101, seed: 1 });

  it("names the rows splitDataset takes for each part, in its order", () => {
    const { train, validation } = splitIndices(101, 0.3, 5);
    const split = splitDataset(data, 0.3, 5);
    const row = (i: number): number[] => [data.X.data[2 * i]!, data.X.data[2 * i + 1]!];
    expect(Array.from(validation, row).flat()).toEqual(Array.from(split.validation.X.data));
    expect(Array.from(train, row).flat()).toEqual(Array.from(split.train.X.data));
    expect(Array.from(train, (i) => data.y.data[i])).toEqual(Array.from(split.train.y.data));
  });

  it("refuses an N that is not a non-negative integer, and what splitDataset refuses", () => {
    for (const bad of [-1, 2.5, NaN, Infinity]) {
      expect(() => splitIndices(bad, 0.25, 0)).toThrow(UsageError);
    }
    expect(() => splitIndices(1, 0.5, 0)).toThrow("leaves 1 validation and 0 training rows");
    expect(() => splitIndices(10, 1, 0)).toThrow("got 1");
  });
});
