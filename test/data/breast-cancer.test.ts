import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadCsv, loadFeatureCsv } from "../../src/io/index.js";

const path = fileURLToPath(new URL("../../data/breast_cancer.csv", import.meta.url));

describe("the breast cancer data set (data/breast_cancer.csv)", () => {
  it("has 569 rows of 30 features and the label column 'malignant' with 212 ones", () => {
    const ds = loadCsv(path);
    expect([ds.X.rows, ds.X.cols, ds.y.rows, ds.y.cols]).toEqual([569, 30, 569, 1]);
    expect(ds.labelName).toBe("malignant");
    expect(ds.featureNames).toHaveLength(30);
    expect(ds.featureNames[0]).toBe("mean_radius");
    expect(ds.featureNames[29]).toBe("worst_fractal_dimension");
    expect(ds.y.data.reduce((sum, label) => sum + label, 0)).toBe(212);
    expect(ds.X.data[0]).toBe(17.99); // the first cell of the file
    expect(ds.X.data[1]).toBe(10.38);
  });

  it("gives the same data when the label column is named", () => {
    const byName = loadCsv(path, { label: "malignant" });
    expect(Array.from(byName.y.data)).toEqual(Array.from(loadCsv(path).y.data));
  });

  it("reads as 31 feature columns without a label", () => {
    const table = loadFeatureCsv(path);
    expect([table.X.rows, table.X.cols]).toEqual([569, 31]);
  });
});
