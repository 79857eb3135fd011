import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadCsv } from "../../src/io/index.js";
import { DataError } from "../../src/errors.js";

const path = (file: string): string =>
  fileURLToPath(new URL(`../../data/${file}`, import.meta.url));

/** How many rows have each label 0..K−1. */
function classCounts(y: Float64Array, K: number): number[] {
  const counts = new Array<number>(K).fill(0);
  for (const label of y) counts[label]! += 1;
  return counts;
}

describe("the iris and wine data sets (data/iris.csv, data/wine.csv)", () => {
  it("iris: 150 rows of 4 features, label 'species' with 50 rows of each of 3 classes", () => {
    const ds = loadCsv(path("iris.csv"), { maxClasses: 3 });
    expect([ds.X.rows, ds.X.cols]).toEqual([150, 4]);
    expect(ds.labelName).toBe("species");
    expect(ds.featureNames).toEqual([
      "sepal_length_cm",
      "sepal_width_cm",
      "petal_length_cm",
      "petal_width_cm",
    ]);
    expect(classCounts(ds.y.data, 3)).toEqual([50, 50, 50]);
    expect(Array.from(ds.X.data.subarray(0, 4))).toEqual([5.1, 3.5, 1.4, 0.2]); // Fisher's first flower
  });

  it("wine: 178 rows of 13 features, label 'cultivar' with 59, 71 and 48 rows", () => {
    const ds = loadCsv(path("wine.csv"), { maxClasses: 3 });
    expect([ds.X.rows, ds.X.cols]).toEqual([178, 13]);
    expect(ds.labelName).toBe("cultivar");
    expect(ds.featureNames[0]).toBe("alcohol");
    expect(ds.featureNames[12]).toBe("proline");
    expect(classCounts(ds.y.data, 3)).toEqual([59, 71, 48]);
    expect(ds.X.data[0]).toBe(14.23);
    expect(ds.X.data[12]).toBe(1065);
  });

  it("their labels 0..2 are read as three classes by default, and refused as binary", () => {
    for (const file of ["iris.csv", "wine.csv"]) {
      const byDefault = loadCsv(path(file));
      expect(byDefault.classes).toEqual([0, 1, 2]);
      expect(byDefault.y.data).toEqual(loadCsv(path(file), { maxClasses: 3 }).y.data);
      expect(() => loadCsv(path(file), { maxClasses: 2 })).toThrow(DataError);
    }
  });
});
