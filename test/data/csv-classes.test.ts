/** CSV labels 0..K−1 for K classes. */
import { describe, expect, it } from "vitest";
import { parseLabelledCsv, parsePredictionCsv } from "../../src/data/index.js";
import { DataError } from "../../src/errors.js";

const text = "x1,x2,class\n0,1,0\n1,0,2\n2,2,1\n3,1,2.0\n";

describe("CSV labels with K classes", () => {
  it("accepts integers 0..K−1 (written in the number grammar) given maxClasses K", () => {
    const ds = parseLabelledCsv(text, { maxClasses: 3 });
    expect(Array.from(ds.y.data)).toEqual([0, 2, 1, 2]);
    expect(ds.labelName).toBe("class");
  });

  it("refuses a label ≥ K, a negative or a fractional label, naming line, column and range", () => {
    const run = () => parseLabelledCsv(text, { maxClasses: 2, source: "c.csv" });
    expect(run).toThrow(DataError);
    expect(run).toThrow(/c.csv line 3, column "class": the label "2" is not 0 or 1/);
    const bad = (label: string) => () =>
      parseLabelledCsv(`a,y\n1,${label}\n`, { maxClasses: 4, source: "c.csv" });
    expect(bad("4")).toThrow(/line 2, column "y": the label "4" is not an integer from 0 to 3/);
    expect(bad("-1")).toThrow(/the label "-1" is not an integer from 0 to 3/);
    expect(bad("1.5")).toThrow(/the label "1.5" is not an integer from 0 to 3/);
  });

  it("lets predict read labels of K classes", () => {
    const { y } = parsePredictionCsv(text, 2, { maxClasses: 3 });
    expect(Array.from(y?.data ?? [])).toEqual([0, 2, 1, 2]);
    // Predict needs no labels: labels outside the classes are not used, and a warning says so.
    const binary = parsePredictionCsv(text, 2, { source: "c.csv" });
    expect(binary.y).toBeUndefined();
    expect(binary.warnings).toEqual([
      'note: c.csv line 3, column "class": the label "2" is not 0 or 1; the labels are not used',
    ]);
  });
});
