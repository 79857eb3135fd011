/**
 * Real-world CSVs: delimiters (detected and given), ignored columns (by name and index, pandas'
 * unnamed index), the label by name or index, string, numeric and mixed labels becoming
 * classes, `positive`, a header that looks like data, and features found by name (reordered,
 * missing, extra). Each case is checked on text and on the same bytes streamed from a file.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  detectDelimiter,
  delimiterByName,
  parseFeatureCsv,
  parseLabelledCsv,
  parsePredictionCsv,
  type LabelledCsv,
  type LabelledCsvOptions,
} from "../../src/data/index.js";
import { DataError, UsageError } from "../../src/errors.js";
import { loadCsv, loadPredictionCsv } from "../../src/io/index.js";

const folder = mkdtempSync(join(tmpdir(), "handgrad-csv-columns-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
let files = 0;

/** parseLabelledCsv on the text, checked equal (data, classes, warnings) to loadCsv on its file. */
function both(text: string, options: LabelledCsvOptions = {}): LabelledCsv {
  const path = join(folder, `c${files++}.csv`);
  writeFileSync(path, text);
  const whole = parseLabelledCsv(text, { ...options, source: path });
  const streamed = loadCsv(path, { ...options, chunkBytes: 5 });
  expect(streamed).toEqual(whole);
  return whole;
}

/** The DataError message of `run`, with the file name cut out. */
function errorOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DataError);
    return (error as Error).message;
  }
  throw new Error("expected a DataError");
}

describe("delimiters", () => {
  const rows = [
    ["a", "b", "y"],
    ["1", "2", "0"],
    ["3", "4.5", "1"],
  ];
  for (const [name, d] of [
    ["comma", ","],
    ["semicolon", ";"],
    ["tab", "\t"],
    ["pipe", "|"],
  ] as const) {
    it(`${name}: detected, and given by its character or its name, read the same`, () => {
      const text = rows.map((r) => r.join(d)).join("\n") + "\n";
      const detected = both(text);
      expect(detected.delimiter).toBe(d);
      expect(detected.featureNames).toEqual(["a", "b"]);
      expect(Array.from(detected.X.data)).toEqual([1, 2, 3, 4.5]);
      expect(Array.from(detected.y.data)).toEqual([0, 1]);
      expect(both(text, { delimiter: d })).toEqual(detected);
      expect(both(text, { delimiter: name })).toEqual(detected);
    });
  }

  it("a quoted cell holding another delimiter does not count for it", () => {
    // Split by ";" the quoted cells would be followed by text: only "," fits.
    const text = 'id,x,y\n"a;b",1,B\n"c;d",2,M\n"e;f",3,B\n';
    expect(detectDelimiter(text, true)).toBe(",");
    const ds = both(text, { ignore: ["id"] });
    expect(Array.from(ds.X.data)).toEqual([1, 2, 3]);
    // And a ";" file whose quoted cells hold commas.
    const semi = 'x;name;y\n1;"Smith, J";0\n2;"Doe, A";1\n';
    expect(both(semi, { ignore: ["name"] }).delimiter).toBe(";");
  });

  it("none fits: a comma; more than one fits: refused, naming them and --delimiter", () => {
    expect(detectDelimiter("a\n1\n", true)).toBe(",");
    expect(errorOf(() => parseLabelledCsv("a,b;c\n1,2;3\n", { source: "d.csv" }))).toBe(
      'd.csv: cannot tell the delimiter: "," (comma) and ";" (semicolon) each split the header and the first rows evenly; give it (--delimiter comma or --delimiter semicolon)',
    );
    // Given, the same text reads.
    const given = parseFeatureCsv("a,b;c\n1,2;3\n", { delimiter: ";", ignore: ["a,b"] });
    expect(given.featureNames).toEqual(["c"]);
    expect(Array.from(given.X.data)).toEqual([3]);
  });

  it("a semicolon file with decimal commas is not mistaken for a comma file", () => {
    // "," splits the header into 1 cell and the rows into 2: only ";" fits, and the decimal
    // comma is then refused as a number, naming the cell.
    const text = "a;b;y\n1,5;2;0\n";
    expect(detectDelimiter(text, true)).toBe(";");
    expect(errorOf(() => parseLabelledCsv(text, { source: "d.csv" }))).toBe(
      'd.csv line 2, column "a": "1,5" is not a number',
    );
  });

  it("a delimiter name that is none of them is a UsageError listing them", () => {
    expect(() => delimiterByName("space")).toThrow(UsageError);
    expect(() => delimiterByName("space")).toThrow(
      'the delimiter must be one of "," (comma), ";" (semicolon), tab, "|" (pipe), got "space"',
    );
    expect(delimiterByName("\\t")).toBe("\t");
    expect(delimiterByName("TAB")).toBe("\t");
  });
});

describe("columns: ignored, the label by name or index", () => {
  it("--ignore by name or index drops an id column, which may hold anything", () => {
    const text = "id,x,y\nP-1,1,0\nP-2,2,1\n";
    expect(errorOf(() => parseLabelledCsv(text, { source: "d.csv" }))).toBe(
      'd.csv line 2, column "id": "P-1" is not a number',
    );
    const byName = both(text, { ignore: ["id"] });
    expect(byName.featureNames).toEqual(["x"]);
    expect(both(text, { ignore: [0] })).toEqual(byName);
    expect(both(text, { ignore: ["0"] })).toEqual(byName);
  });

  it("pandas' unnamed index column: refused suggesting --ignore 0, read when ignored", () => {
    const text = ",x1,x2,y\n0,1,2,0\n1,3,4,1\n";
    expect(errorOf(() => parseLabelledCsv(text, { source: "p.csv" }))).toBe(
      "p.csv line 1, column 1 (index 0): the header cell is empty; every column needs a name (an index column, as pandas writes? ignore it: --ignore 0)",
    );
    const ds = both(text, { ignore: [0] });
    expect(ds.featureNames).toEqual(["x1", "x2"]);
    expect(Array.from(ds.X.data)).toEqual([1, 2, 3, 4]);
  });

  it("an ignored name or index that is not a column is refused", () => {
    expect(errorOf(() => parseLabelledCsv("a,y\n1,0\n", { ignore: ["ib"], source: "d.csv" }))).toBe(
      'd.csv has no column "ib"; its columns are "a", "y"',
    );
    expect(errorOf(() => parseLabelledCsv("a,y\n1,0\n", { ignore: [5], source: "d.csv" }))).toBe(
      "d.csv has 2 columns, numbered 0 to 1: --ignore 5 is none of them",
    );
  });

  it("--label by 0-based index, and by name; the label cannot also be ignored", () => {
    const text = "y,a,b\n1,2,3\n0,4,5\n";
    const byIndex = both(text, { label: 0 });
    expect(byIndex.labelName).toBe("y");
    expect(byIndex.featureNames).toEqual(["a", "b"]);
    expect(Array.from(byIndex.y.data)).toEqual([1, 0]);
    expect(both(text, { label: "0" })).toEqual(byIndex);
    expect(both(text, { label: "y" })).toEqual(byIndex);
    expect(errorOf(() => parseLabelledCsv(text, { label: 0, ignore: ["y"] }))).toBe(
      'the data: the label column "y" is also ignored; drop it from --ignore',
    );
  });

  it("a header of numbers only gets a warning (no header row?), and is still read as names", () => {
    const ds = both("1,2,0\n3,4,1\n5,6,0\n");
    expect(ds.featureNames).toEqual(["1", "2"]);
    expect(ds.warnings).toHaveLength(1);
    expect(ds.warnings[0]).toMatch(
      /^warning: .*c\d+\.csv line 1 \(the header\) holds only numbers in its feature columns: if the file has no header row/,
    );
    expect(both("a,b,y\n3,4,1\n5,6,0\n").warnings).toEqual([]);
  });
});

describe("labels become classes", () => {
  it("string labels: two are binary, the positive the second in sorted order", () => {
    const ds = both("x,diagnosis\n1,M\n2,B\n3,M\n");
    expect(ds.classes).toEqual(["B", "M"]);
    expect(Array.from(ds.y.data)).toEqual([1, 0, 1]);
    const flipped = both("x,diagnosis\n1,M\n2,B\n3,M\n", { positive: "B" });
    expect(flipped.classes).toEqual(["M", "B"]);
    expect(Array.from(flipped.y.data)).toEqual([0, 1, 0]);
  });

  it("more string labels: K classes sorted, no maxClasses needed", () => {
    const ds = both(
      "x,species\n1,virginica\n2,setosa\n3,versicolor\n4,setosa\n5,virginica\n6,versicolor\n",
    );
    expect(ds.classes).toEqual(["setosa", "versicolor", "virginica"]);
    expect(Array.from(ds.y.data)).toEqual([2, 0, 1, 0, 2, 1]);
  });

  it('numbers in any spelling are one class ("1", "1.0", "1e0"); 0/1 stay classes 0 and 1', () => {
    const ds = both("x,y\n1,1\n2,1.0\n3,1e0\n4, 0\n");
    expect(ds.classes).toEqual([0, 1]);
    expect(Array.from(ds.y.data)).toEqual([1, 1, 1, 0]);
    // Only one of 0 and 1 present: still the classes 0 and 1 (as before labels became classes).
    expect(both("x,y\n1,1\n2,1\n").classes).toEqual([0, 1]);
    // Other numbers: sorted numerically.
    const ds2 = both("x,grade\n1,10\n2,2\n3,2.5\n4,10\n5,2\n6,2.5\n");
    expect(ds2.classes).toEqual([2, 2.5, 10]);
    expect(Array.from(ds2.y.data)).toEqual([2, 0, 1, 2, 0, 1]);
  });

  it("mixed numbers and strings: numbers first", () => {
    const ds = both("x,y\n1,b\n2,1\n3,a\n4,1.0\n5,a\n6,b\n");
    expect(ds.classes).toEqual([1, "a", "b"]);
    expect(Array.from(ds.y.data)).toEqual([2, 0, 1, 0, 1, 2]);
    expect(ds.warnings[0]).toMatch(
      /column "y" mixes numbers and text \("a", "b"\): each is a class of its own, 3 in all/,
    );
  });

  it("maxClasses keeps integer labels 0..K−1 with every class, even an absent one", () => {
    const ds = both("x,y\n1,0\n2,2\n", { maxClasses: 4 });
    expect(ds.classes).toEqual([0, 1, 2, 3]);
    expect(errorOf(() => parseLabelledCsv("x,y\n1,B\n", { maxClasses: 2, source: "d.csv" }))).toBe(
      'd.csv line 2, column "y": the label "B" is not 0 or 1',
    );
  });

  it("one class, an empty label, positive that is not a label, or a continuous target are refused", () => {
    expect(errorOf(() => parseLabelledCsv("x,y\n1,M\n2,M\n", { source: "d.csv" }))).toBe(
      'd.csv: every label in column "y" is "M": a classifier needs at least two classes',
    );
    expect(errorOf(() => parseLabelledCsv("x,y\n1,M\n2,\n", { source: "d.csv" }))).toBe(
      'd.csv line 3, column "y": the label "" is empty: every row needs a label',
    );
    expect(
      errorOf(() => parseLabelledCsv("x,y\n1,M\n2,B\n", { positive: "X", source: "d.csv" })),
    ).toBe('d.csv: positive "X" is not a label in column "y" ("B", "M")');
    expect(() =>
      parseLabelledCsv("x,y\n1,a\n2,b\n3,c\n4,a\n5,b\n6,c\n", { positive: "a" }),
    ).toThrow(UsageError);
    const continuous = ["x,price", ...Array.from({ length: 30 }, (_, i) => `${i},${i * 1.25}`)];
    expect(errorOf(() => parseLabelledCsv(continuous.join("\n"), { source: "d.csv" }))).toMatch(
      /^d\.csv: column "price" has 30 different labels in 30 rows \(0, 1\.25, 2\.5, …\): it looks like a continuous target/,
    );
  });
});

describe("features by name (a model's)", () => {
  const features = ["a", "b", "c"];
  const original = "a,b,c,y\n1,2,3,B\n4,5,6,M\n";
  const reordered = "y,c,a,b\nB,3,1,2\nM,6,4,5\n";

  it("any column order gives the same rows; the label is found (the model's label column, or --label)", () => {
    const expected = both(original, { features, classes: ["B", "M"], modelLabel: "y" });
    expect(both(reordered, { features, classes: ["B", "M"], modelLabel: "y" })).toEqual({
      ...expected,
      delimiter: ",",
    });
    const ds = both(reordered, { features, classes: ["B", "M"], label: "y" });
    expect(Array.from(ds.X.data)).toEqual(Array.from(expected.X.data));
    expect(Array.from(ds.y.data)).toEqual([0, 1]);
    expect(ds.featureNames).toEqual(features);
  });

  it("a missing feature is refused naming it, with a near name when there is one", () => {
    const names = ["radius", "texture", "area"];
    const text = "radius,txture,y\n1,2,0\n";
    expect(errorOf(() => parseLabelledCsv(text, { features: names, source: "d.csv" }))).toBe(
      'd.csv has no column "texture" (did you mean "txture"?), a feature of the model (and 1 more: "area"); the model takes 3 features by name',
    );
  });

  it("extra columns are not read and are listed in one warning", () => {
    const text = "id,c,note,a,b,y\nX,3,hello,1,2,B\nY,6,bye,4,5,M\n";
    const ds = both(text, { features, classes: ["B", "M"], modelLabel: "y" });
    expect(Array.from(ds.X.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(ds.warnings).toHaveLength(1);
    expect(ds.warnings[0]).toMatch(/: 2 columns the model does not use, not read: "id", "note"$/);
  });

  it("predict: the label column is optional; labels outside the model's classes are not used", () => {
    const noLabel = parsePredictionCsv("c,b,a\n3,2,1\n", 3, { features });
    expect(Array.from(noLabel.X.data)).toEqual([1, 2, 3]);
    expect(noLabel.y).toBeUndefined();
    expect(noLabel.warnings).toEqual([]); // every column a feature: nothing to say
    expect(parsePredictionCsv("c,b,a,y\n3,2,1,0\n", 3, { features }).warnings).toContain(
      "note: no accuracy: the model file does not record its label column (handgrad does not guess one); give --label COL to score against a column",
    );
    const strings = parsePredictionCsv(reordered, 3, { features, classes: ["B", "M"], label: "y" });
    expect(Array.from(strings.y?.data ?? [])).toEqual([0, 1]);
    // A model of classes 0 and 1 on a file of B/M labels: rows predicted, labels not used.
    const path = join(folder, "p.csv");
    writeFileSync(path, original);
    const loaded = loadPredictionCsv(path, 3, { features, classes: [0, 1], modelLabel: "y" });
    expect(loaded.y).toBeUndefined();
    expect(loaded.warnings).toEqual([
      `note: ${path} line 2, column "y": the label "B" is not one of the model's classes (0, 1); the labels are not used`,
    ]);
  });

  it("a feature table reads every column not ignored", () => {
    expect(parseFeatureCsv(";x;y\n0;1;2\n", { ignore: [0] }).featureNames).toEqual(["x", "y"]);
  });
});

describe("a model's label column (its file's \"label\"), never a guess", () => {
  const features = ["a", "b"];
  const classes = [0, 1];

  it("the column named modelLabel is the label, in any position; a trailing extra column is not", () => {
    const ds = both("y,b,a,smoker\n1,2,1,0\n0,-2,-1,1\n", { features, classes, modelLabel: "y" });
    expect(ds.labelName).toBe("y");
    expect(Array.from(ds.y.data)).toEqual([1, 0]);
    expect(ds.warnings).toEqual([
      expect.stringMatching(/1 column the model does not use, not read: "smoker"$/),
    ]);
    const p = parsePredictionCsv("a,b,y,smoker\n1,2,1,0\n", 2, {
      features,
      classes,
      modelLabel: "y",
    });
    expect(p.labelName).toBe("y");
    expect(Array.from(p.y?.data ?? [])).toEqual([1]);
  });

  it("without the model's label column: predict has none (a note says why); a labelled read is refused", () => {
    const text = "a,b,smoker\n1,2,0\n-1,-2,1\n";
    const p = parsePredictionCsv(text, 2, { features, classes, modelLabel: "y", source: "d.csv" });
    expect(p.y).toBeUndefined();
    expect(p.labelName).toBeUndefined();
    expect(p.warnings).toContain(
      'note: no accuracy: d.csv has no column "y", the model\'s label column; give --label COL to score against a column',
    );
    expect(
      errorOf(() =>
        parseLabelledCsv(text, { features, classes, modelLabel: "y", source: "d.csv" }),
      ),
    ).toBe(
      'd.csv: no label column: d.csv has no column "y", the model\'s label column; give --label COL',
    );
    expect(errorOf(() => parseLabelledCsv(text, { features, classes, source: "d.csv" }))).toBe(
      "d.csv: no label column: the model file does not record its label column (handgrad does not guess one); give --label COL",
    );
    // --label still picks any column.
    expect(both(text, { features, classes, label: "smoker" }).labelName).toBe("smoker");
  });

  it("a missing feature is named before a missing label; an ignored feature says so", () => {
    expect(
      errorOf(() =>
        parseLabelledCsv("id,b\nP0,2\n", { features, classes, modelLabel: "y", source: "d.csv" }),
      ),
    ).toBe('d.csv has no column "a", a feature of the model; the model takes 2 features by name');
    expect(
      errorOf(() =>
        parsePredictionCsv("a,b,y\n1,2,1\n", 2, {
          features,
          classes,
          ignore: ["a"],
          source: "d.csv",
        }),
      ),
    ).toBe(
      'd.csv: the column "a" is ignored (--ignore), but the model needs it: it is one of the model\'s features',
    );
  });

  it("columns not read need no name: an unnamed or repeated extra column is just extra", () => {
    const p = parsePredictionCsv(",a,b,note,note\n0,1,2,x,y\n", 2, { features, classes });
    expect(Array.from(p.X.data)).toEqual([1, 2]);
    expect(p.warnings.at(-1)).toMatch(
      /3 columns the model does not use, not read: column 1 \(index 0, unnamed\), "note", "note"$/,
    );
    // A repeated feature name is ambiguous: refused.
    expect(errorOf(() => parsePredictionCsv("a,a,b\n1,2,3\n", 2, { features, classes }))).toMatch(
      /the column name "a" appears twice \(columns 1 and 2, indices 0 and 1\)/,
    );
  });
});

describe("column references: #N is an index, digits a name first (with a note)", () => {
  const pandas = ",0,1,2\n0,1,2,1\n1,3,4,0\n2,5,6,1\n";

  it("pandas' header ,0,1,2: the empty-header error suggests '#0'; #0 ignores the index column", () => {
    expect(errorOf(() => parseLabelledCsv(pandas, { source: "p.csv" }))).toBe(
      "p.csv line 1, column 1 (index 0): the header cell is empty; every column needs a name (an index column, as pandas writes? ignore it: --ignore '#0')",
    );
    const ds = both(pandas, { ignore: ["#0"] });
    expect(ds.featureNames).toEqual(["0", "1"]);
    expect(ds.labelName).toBe("2");
    // "0" is the column named 0 (index 1), with a note; the empty column stays and is refused.
    expect(errorOf(() => parseLabelledCsv(pandas, { ignore: ["0"], source: "p.csv" }))).toBe(
      "p.csv line 1, column 1 (index 0): the header cell is empty; every column needs a name (an index column, as pandas writes? ignore it: --ignore '#0'); " +
        '--ignore 0 is the column named "0" (index 1); for index 0 write #0',
    );
  });

  it("digits that name another column than their index get a note; #N out of range is refused", () => {
    const ds = both("x,0,y\n5,1,0\n6,2,1\n", { label: "0" });
    expect(ds.labelName).toBe("0");
    expect(ds.warnings).toContain(
      'note: --label 0 is the column named "0" (index 1); for index 0 write #0',
    );
    expect(both("x,0,y\n5,1,0\n6,2,1\n", { label: "#0" }).labelName).toBe("x");
    expect(both("0,x,y\n5,1,0\n6,2,1\n", { label: "0" }).warnings).toEqual([]);
    expect(errorOf(() => parseLabelledCsv("a,y\n1,0\n", { ignore: ["#7"], source: "d.csv" }))).toBe(
      "d.csv has 2 columns, numbered 0 to 1: --ignore #7 is none of them",
    );
  });

  it("headerless files: a warning when every feature name is a number, ids and string labels aside", () => {
    const wdbc = "842302,M,17.99,10.38\n842517,M,20.57,17.77\n84300903,B,11.42,20.38\n";
    const ds = both(wdbc, { ignore: [0], label: 1 });
    expect(ds.featureNames).toEqual(["17.99", "10.38"]);
    expect(ds.warnings[0]).toMatch(/\(the header\) holds only numbers in its feature columns/);
    // A repeated numeric name hints at the missing header.
    expect(errorOf(() => parseLabelledCsv("0,0,1\n1,0,0\n0,1,1\n", { source: "nh.csv" }))).toBe(
      'nh.csv line 1: the column name "0" appears twice (columns 1 and 2, indices 0 and 1); if the file has no header row, add one (handgrad needs column names)',
    );
  });
});

describe("labels that may not be what was meant", () => {
  it("−0 and 0 cells are one class (the label 0)", () => {
    const ds = both("x,y\n1,-0\n2,0\n3,2\n4,2\n5,3\n6,3\n");
    expect(ds.classes).toEqual([0, 2, 3]);
    expect(Object.is(ds.classes[0], 0)).toBe(true);
    expect(Array.from(ds.y.data)).toEqual([0, 0, 1, 1, 2, 2]);
  });

  it("a string column of one value per row is an id or free text; a few rows per class is refused", () => {
    const names = ["ann", "bob", "cat", "dan", "eve", "fay", "gus", "hal", "ida", "jon"];
    const text = ["x,name", ...names.map((n, i) => `${i},${n}`)].join("\n");
    expect(errorOf(() => parseLabelledCsv(text, { source: "d.csv" }))).toBe(
      'd.csv: column "name" has 10 different labels in 10 rows ("ann", "bob", "cat", …): it looks like an id or free text, not classes; ' +
        "--ignore it, or name the label column with --label; a class needs rows to learn from (at least 2 a class on average)",
    );
    // Three classes in five rows: refused; in six: read.
    expect(() => parseLabelledCsv("x,y\n1,a\n2,b\n3,c\n4,a\n5,b\n")).toThrow(DataError);
    expect(both("x,y\n1,a\n2,b\n3,c\n4,a\n5,b\n6,c\n").classes).toEqual(["a", "b", "c"]);
  });

  it("the labels 0, 1, 2 in five rows: all listed (no …), and --classes 3 suggested", () => {
    expect(
      errorOf(() => parseLabelledCsv("x,y\n1,0\n2,1\n3,2\n4,0\n5,1\n", { source: "d.csv" })),
    ).toBe(
      'd.csv: column "y" has 3 different labels in 5 rows (0, 1, 2): it looks like a continuous target (a number to predict), not classes; ' +
        "if these are 3 classes, say so with --classes 3; a class needs rows to learn from (at least 2 a class on average)",
    );
    // Not 0..K−1: no --classes to suggest.
    expect(
      errorOf(() => parseLabelledCsv("x,y\n1,1\n2,2\n3,3\n4,1\n5,2\n", { source: "d.csv" })),
    ).toBe(
      'd.csv: column "y" has 3 different labels in 5 rows (1, 2, 3): it looks like a continuous target (a number to predict), not classes; ' +
        "a class needs rows to learn from (at least 2 a class on average)",
    );
  });

  it("case variants refused as an id or free text are named", () => {
    const text = "x,y\n1,Yes\n2,yes\n3,YES\n4,No\n5,no\n6,Yes\n";
    expect(errorOf(() => parseLabelledCsv(text, { source: "d.csv" }))).toBe(
      'd.csv: column "y" has 5 different labels in 6 rows ("No", "YES", "Yes", …): it looks like an id or free text, not classes ' +
        '(labels that differ only in case: "No", "no"; "YES", "Yes", "yes"; write each label one way if they mean the same); ' +
        "--ignore it, or name the label column with --label; a class needs rows to learn from (at least 2 a class on average)",
    );
  });

  it("warns when numbers mix with text (NA) or labels differ only in case", () => {
    const na = both("x,y\n1,0\n2,1\n3,NA\n4,0\n5,1\n6,NA\n");
    expect(na.classes).toEqual([0, 1, "NA"]);
    expect(na.warnings).toEqual([
      expect.stringMatching(
        /: column "y" mixes numbers and text \("NA"\): each is a class of its own, 3 in all; if the text marks missing values, remove those rows$/,
      ),
    ]);
    const yes = both("x,y\n1,Yes\n2,yes\n3,No\n4,no\n5,Yes\n6,no\n7,No\n8,yes\n");
    expect(yes.classes).toHaveLength(4);
    expect(yes.warnings).toEqual([
      expect.stringMatching(
        /: column "y" has labels that differ only in case \("No", "no"; "Yes", "yes"\): each is a class of its own/,
      ),
    ]);
    expect(both("x,y\n1,B\n2,M\n").warnings).toEqual([]);
  });
});

describe("reader options are checked (F9)", () => {
  it("an unknown key is refused with a did-you-mean, by the text and the file readers", () => {
    expect(() => parseLabelledCsv("a,y\n1,0\n", { lable: "y" } as never)).toThrow(
      'parseLabelledCsv: unknown option "lable" (did you mean "label"?',
    );
    expect(() => parseFeatureCsv("a\n1\n", { ignor: ["a"] } as never)).toThrow(UsageError);
    const path = join(folder, "opts.csv");
    writeFileSync(path, "a,y\n1,0\n2,1\n");
    expect(() => loadCsv(path, { feature: ["a"] } as never)).toThrow(
      'loadCsv: unknown option "feature" (did you mean "features"?',
    );
    expect(() => loadCsv(path, { source: "x" } as never)).toThrow(
      'loadCsv: unknown option "source"',
    );
    expect(loadCsv(path, { chunkBytes: 3 }).classes).toEqual([0, 1]);
  });
});
