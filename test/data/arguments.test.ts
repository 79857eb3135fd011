/** The data functions' argument checks: standardisation and splits. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DataError, ShapeError, UsageError } from "../../src/errors.js";
import {
  applyStandardizer,
  fitStandardizer,
  parseFeatureCsv,
  parseLabelledCsv,
  parsePredictionCsv,
  splitDataset,
  type Dataset,
} from "../../src/data/index.js";
import { loadCsv, loadFeatureCsv, loadPredictionCsv } from "../../src/io/index.js";
import { columnVector, fromRows, matrix, type Matrix } from "../../src/linalg/index.js";
import { expectThrows } from "../throws.js";

describe("fitStandardizer refuses", () => {
  it("a non-finite feature, by row and column from 0 (not 'the spread overflows')", () => {
    const X = fromRows([
      [1, 2],
      [NaN, 4],
    ]);
    expectThrows(() => fitStandardizer(X), DataError, "fitStandardizer: X row 1, column 0 is NaN");
  });

  it("an X that is not a Matrix", () => {
    expectThrows(
      () => fitStandardizer([[1, 2]] as unknown as Matrix),
      UsageError,
      "fitStandardizer: X must be a Matrix {rows, cols, data}, got an array (fromRows makes one from nested arrays)",
    );
    expectThrows(
      () =>
        applyStandardizer(
          { rows: 1, cols: 2, data: new Float64Array(1) },
          fitStandardizer(matrix(1, 2)),
        ),
      ShapeError,
      "applyStandardizer: X is 1×2 but its data holds 1 values (it needs 2)",
    );
  });
});

describe("splitDataset refuses", () => {
  const ds: Dataset = {
    X: matrix(4, 2),
    y: columnVector([0, 1, 0, 1]),
    featureNames: ["a", "b"],
    labelName: "y",
  };

  it("labels of another length than the rows", () => {
    expectThrows(
      () => splitDataset({ ...ds, y: columnVector([0, 1]) }, 0.5, 0),
      ShapeError,
      "splitDataset: y is 2×1 but X is 4×2: y must be 4×1",
    );
  });

  it("a data set that is not an object of Matrices", () => {
    expectThrows(
      () => splitDataset(null as unknown as Dataset, 0.5, 0),
      UsageError,
      "splitDataset: ds must be a Dataset {X, y, …}, got null",
    );
    expectThrows(
      () => splitDataset({ ...ds, X: [[0]] as unknown as Matrix }, 0.5, 0),
      UsageError,
      "splitDataset: X must be a Matrix {rows, cols, data}, got an array (fromRows makes one from nested arrays)",
    );
  });
});

describe("the CSV readers check their options' types (one check: assertCsvOptions)", () => {
  const text = "#,a,b,y\n1,0.5,1,0\n2,1.5,2,1\n3,2.5,3,0\n4,3.5,4,1\n";
  const dir = mkdtempSync(join(tmpdir(), "handgrad-csv-options-"));
  const path = join(dir, "data.csv");
  writeFileSync(path, text);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const bad: readonly [string, unknown, string][] = [
    [
      "ignore",
      "#0",
      'ignore must be an array of column names (strings) and 0-based indices (numbers), got the string "#0"',
    ],
    [
      "ignore",
      [true],
      "ignore must be an array of column names (strings) and 0-based indices (numbers), got an array",
    ],
    [
      "label",
      true,
      "label must be a column name (a string) or a 0-based index (a number), got a boolean",
    ],
    [
      "delimiter",
      44,
      'delimiter must be a string (",", ";", "\\t", "|" or its name), got a number (44)',
    ],
    ["features", "a", 'features must be an array of column names (strings), got the string "a"'],
    ["features", [1], "features must be an array of column names (strings), got an array"],
  ];
  it.each(bad)("%s: %j is refused, naming it", (key, value, message) => {
    const options = { [key]: value } as never;
    for (const [op, run] of [
      ["parseLabelledCsv", () => parseLabelledCsv(text, options)],
      ["parsePredictionCsv", () => parsePredictionCsv(text, 2, options)],
      ["loadCsv", () => loadCsv(path, options)],
      ["loadPredictionCsv", () => loadPredictionCsv(path, 2, options)],
    ] as const)
      expectThrows(run, UsageError, `${op}: ${message}`);
    if (key === "ignore" || key === "delimiter") {
      expectThrows(() => parseFeatureCsv(text, options), UsageError, `parseFeatureCsv: ${message}`);
      expectThrows(() => loadFeatureCsv(path, options), UsageError, `loadFeatureCsv: ${message}`);
    }
  });

  it("a non-object options argument is a UsageError, not a TypeError", () => {
    for (const value of [null, "ab", 3, ["a"]]) {
      const got =
        value === null
          ? "null"
          : Array.isArray(value)
            ? "an array"
            : typeof value === "string"
              ? 'the string "ab"'
              : "a number (3)";
      expectThrows(
        () => parseLabelledCsv(text, value as never),
        UsageError,
        `parseLabelledCsv: options must be an object, got ${got}`,
      );
      expectThrows(
        () => loadFeatureCsv(path, value as never),
        UsageError,
        `loadFeatureCsv: options must be an object, got ${got}`,
      );
    }
  });

  it('ignore: ["#0"] is the column #0, as before', () => {
    const data = parseLabelledCsv(text, { ignore: ["#0"] });
    expect(data.featureNames).toEqual(["a", "b"]);
  });
});
