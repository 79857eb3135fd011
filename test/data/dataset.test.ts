import { describe, expect, it } from "vitest";
import { validateDataset, type Dataset } from "../../src/data/index.js";
import { DataError, UsageError } from "../../src/errors.js";
import { columnVector, fromRows, matrix } from "../../src/linalg/index.js";

const good: Dataset = {
  X: fromRows([
    [1, 2],
    [3, 4],
    [5, 6],
  ]),
  y: columnVector([0, 1, 0]),
  featureNames: ["a", "b"],
  labelName: "y",
};

describe("validateDataset", () => {
  it("accepts finite features and 0/1 labels", () => {
    expect(() => validateDataset(good)).not.toThrow();
  });

  const cases: [string, Dataset, string][] = [
    ["no rows", { ...good, X: matrix(0, 2), y: matrix(0, 1) }, "f.csv: no data rows"],
    [
      "labels of another length",
      { ...good, y: columnVector([0, 1]) },
      "labels y are 2×1 but features X are 3×2",
    ],
    ["too few names", { ...good, featureNames: ["a"] }, "1 feature names for 2 feature columns"],
    [
      "a NaN feature",
      {
        ...good,
        X: fromRows([
          [1, 2],
          [3, NaN],
          [5, 6],
        ]),
      },
      'row 1, column "b": NaN is not a finite number',
    ],
    [
      "an infinite feature",
      {
        ...good,
        X: fromRows([
          [-Infinity, 2],
          [3, 4],
          [5, 6],
        ]),
      },
      'row 0, column "a": -Infinity',
    ],
    [
      "a label 2",
      { ...good, y: columnVector([0, 2, 1]) },
      'row 1, column "y": label 2 is not 0 or 1',
    ],
    ["a label 0.5", { ...good, y: columnVector([0, 1, 0.5]) }, "label 0.5 is not 0 or 1"],
  ];
  for (const [what, ds, message] of cases) {
    it(`rejects ${what} with a DataError`, () => {
      expect(() => validateDataset(ds, { source: "f.csv" })).toThrow(DataError);
      expect(() => validateDataset(ds, { source: "f.csv" })).toThrow(message);
    });
  }

  it("allows labels 0..K−1 with maxClasses K, and says which when one is out of range", () => {
    const three = { ...good, y: columnVector([0, 2, 1]) };
    expect(() => validateDataset(three, { maxClasses: 3 })).not.toThrow();
    expect(() =>
      validateDataset({ ...good, y: columnVector([0, 3, 1]) }, { maxClasses: 3 }),
    ).toThrow("label 3 is not an integer from 0 to 2");
  });

  it("a maxClasses below 2 is a UsageError", () => {
    expect(() => validateDataset(good, { maxClasses: 1 })).toThrow(UsageError);
  });
});
