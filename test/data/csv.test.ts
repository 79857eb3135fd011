import { describe, expect, it } from "vitest";
import { parseFeatureCsv, parseLabelledCsv } from "../../src/data/index.js";
import { DataError } from "../../src/errors.js";
import { toRows } from "../../src/linalg/index.js";

/** The DataError message `run` throws (fails the test when it throws nothing or another type). */
function dataErrorOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DataError);
    return (error as DataError).message;
  }
  throw new Error("expected a DataError, but nothing was thrown");
}

describe("parsing a labelled CSV", () => {
  it("reads the header names, the features and the last column as the label", () => {
    const ds = parseLabelledCsv("x1,x2,y\n1,2,0\n-3.5,4e2,1\n");
    expect(ds.featureNames).toEqual(["x1", "x2"]);
    expect(ds.labelName).toBe("y");
    expect(toRows(ds.X)).toEqual([
      [1, 2],
      [-3.5, 400],
    ]);
    expect(Array.from(ds.y.data)).toEqual([0, 1]);
  });

  it("takes the label column by its exact header name, anywhere in the row", () => {
    const ds = parseLabelledCsv("a,target,b\n1,1,2\n3,0,4\n", { label: "target" });
    expect(ds.featureNames).toEqual(["a", "b"]);
    expect(ds.labelName).toBe("target");
    expect(toRows(ds.X)).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(Array.from(ds.y.data)).toEqual([1, 0]);
  });

  it("uses the last column when no label is named, even if another column is called 'label'", () => {
    const ds = parseLabelledCsv("label,x\n5,1\n6,0\n");
    expect(ds.labelName).toBe("x");
    expect(ds.featureNames).toEqual(["label"]);
  });

  it("strips a UTF-8 byte-order mark", () => {
    const ds = parseLabelledCsv("\uFEFFx1,y\n1,0\n");
    expect(ds.featureNames).toEqual(["x1"]);
  });

  it("accepts CRLF and lone-CR line ends like LF", () => {
    const expected = parseLabelledCsv("x1,x2,y\n1,2,0\n3,4,1\n");
    for (const text of [
      "x1,x2,y\r\n1,2,0\r\n3,4,1\r\n",
      "x1,x2,y\r1,2,0\r3,4,1",
      "x1,x2,y\r\n1,2,0\n3,4,1",
    ]) {
      const ds = parseLabelledCsv(text);
      expect(toRows(ds.X)).toEqual(toRows(expected.X));
      expect(Array.from(ds.y.data)).toEqual([0, 1]);
    }
  });

  it("reads RFC 4180 quoted cells: commas, doubled quotes and line breaks inside quotes", () => {
    const ds = parseLabelledCsv('"a,b","say ""hi""","multi\nline",y\n"1"," 2 ",3,"0"\n');
    expect(ds.featureNames).toEqual(["a,b", 'say "hi"', "multi\nline"]);
    expect(toRows(ds.X)).toEqual([[1, 2, 3]]);
    expect(Array.from(ds.y.data)).toEqual([0]);
  });

  it("trims spaces and tabs around numbers and names, and spaces around quoted cells", () => {
    const ds = parseLabelledCsv(' x1 ,\tx2\t, y\n 1.5 ,\t-2\t,  1 \n  "3"  ,4,0\n');
    expect(ds.featureNames).toEqual(["x1", "x2"]);
    expect(ds.labelName).toBe("y");
    expect(toRows(ds.X)).toEqual([
      [1.5, -2],
      [3, 4],
    ]);
  });

  it("accepts the whole decimal grammar: signs, leading/trailing dots, exponents", () => {
    const ds = parseFeatureCsv("v\n+1\n-.5\n3.\n007\n6.02E23\n1e-400\n-0.0e+0\n");
    expect(Array.from(ds.X.data)).toEqual([1, -0.5, 3, 7, 6.02e23, 0, -0]);
  });

  it("reads labels written as 1.0, 1e0 and -0 as 1, 1 and 0", () => {
    const ds = parseLabelledCsv("x,y\n1,1.0\n2,1e0\n3,-0\n");
    expect(Array.from(ds.y.data)).toEqual([1, 1, 0]);
    expect(Object.is(ds.y.data[2], 0)).toBe(true);
  });

  it("allows labels 0..K−1 with maxClasses K", () => {
    const ds = parseLabelledCsv("x,y\n1,0\n2,2\n3,1\n", { maxClasses: 3 });
    expect(Array.from(ds.y.data)).toEqual([0, 2, 1]);
    expect(dataErrorOf(() => parseLabelledCsv("x,y\n1,0\n2,3\n", { maxClasses: 3 }))).toBe(
      'line 3, column "y": the label "3" is not an integer from 0 to 2',
    );
  });

  it("ignores blank lines (empty or spaces only) at the end", () => {
    const ds = parseLabelledCsv("x,y\n1,0\n2,1\n\n  \n\r\n\t\n");
    expect(ds.X.rows).toBe(2);
  });

  it("counts the lines of a quoted multi-line cell, so later errors name the right line", () => {
    const message = dataErrorOf(() => parseLabelledCsv('"x\n1","y\n\n"\n1,0\nbad,0\n'));
    expect(message).toBe('line 6, column "x\\n1": "bad" is not a number'); // the header spans lines 1–4
  });
});

describe("parsing a feature CSV (no label)", () => {
  it("makes every column a feature", () => {
    const table = parseFeatureCsv("a,b,c\n1,2,3\n4,5,6\n");
    expect(table.featureNames).toEqual(["a", "b", "c"]);
    expect(toRows(table.X)).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });

  it("allows a single column, and checks its cells as numbers (2 is fine, no label rule)", () => {
    expect(Array.from(parseFeatureCsv("a\n2\n").X.data)).toEqual([2]);
    expect(dataErrorOf(() => parseFeatureCsv("a\n2\nx\n"))).toBe(
      'line 3, column "a": "x" is not a number',
    );
  });
});

describe("every bad input is a DataError naming the line, the column and the text", () => {
  const header = "x1,x2,y\n1,2,0\n";
  const cases: [string, string, string][] = [
    ["a word", `${header}3,abc,1\n`, 'data.csv line 3, column "x2": "abc" is not a number'],
    ["an empty cell", `${header}3,,1\n`, 'data.csv line 3, column "x2": "" is not a number'],
    ["a blank cell", `${header}  ,4,1\n`, 'data.csv line 3, column "x1": "  " is not a number'],
    ["hexadecimal", `${header}0x10,4,1\n`, 'data.csv line 3, column "x1": "0x10" is not a number'],
    [
      "Infinity",
      `${header}Infinity,4,1\n`,
      'data.csv line 3, column "x1": "Infinity" is not a number',
    ],
    [
      "-Infinity",
      `${header}1,-Infinity,1\n`,
      'data.csv line 3, column "x2": "-Infinity" is not a number',
    ],
    ["NaN", `${header}NaN,4,1\n`, 'data.csv line 3, column "x1": "NaN" is not a number'],
    [
      "a decimal comma",
      `${header}"1,5",4,1\n`,
      'data.csv line 3, column "x1": "1,5" is not a number',
    ],
    [
      "a digit separator",
      `${header}1_000,4,1\n`,
      'data.csv line 3, column "x1": "1_000" is not a number',
    ],
    ["two numbers", `${header}1 2,4,1\n`, 'data.csv line 3, column "x1": "1 2" is not a number'],
    ["a bare exponent", `${header}1e,4,1\n`, 'data.csv line 3, column "x1": "1e" is not a number'],
    ["a lone sign", `${header}-,4,1\n`, 'data.csv line 3, column "x1": "-" is not a number'],
    ["a lone dot", `${header}.,4,1\n`, 'data.csv line 3, column "x1": "." is not a number'],
    ["a stray quote", `${header}1",4,1\n`, 'data.csv line 3, column "x1": "1\\"" is not a number'],
    [
      "an overflowing number",
      `${header}1e999,4,1\n`,
      'data.csv line 3, column "x1": "1e999" is not a finite number (it overflows a double)',
    ],
    ["a label 2", `${header}3,4,2\n`, 'data.csv line 3, column "y": the label "2" is not 0 or 1'],
    [
      "a label 0.5",
      `${header}3,4,0.5\n`,
      'data.csv line 3, column "y": the label "0.5" is not 0 or 1',
    ],
    [
      "a label -1",
      `${header}3,4,-1\n`,
      'data.csv line 3, column "y": the label "-1" is not 0 or 1',
    ],
    [
      "a word label",
      `${header}3,4,yes\n`,
      'data.csv line 3, column "y": the label "yes" is not 0 or 1',
    ],
    [
      "an empty label",
      `${header}3,4,\n`,
      'data.csv line 3, column "y": the label "" is not 0 or 1',
    ],
    ["too few cells", `${header}3,4\n`, "data.csv line 3 has 2 cells but the header has 3 columns"],
    [
      "too many cells",
      `${header}3,4,1,\n`,
      "data.csv line 3 has 4 cells but the header has 3 columns",
    ],
    ["one cell", `${header}3\n`, "data.csv line 3 has 1 cell but the header has 3 columns"],
    [
      "a blank line between rows",
      `${header}\n3,4,1\n`,
      "data.csv line 3 is blank; blank lines are allowed only at the end of the file",
    ],
    [
      "an unclosed quote",
      `${header}3,"4,1\n5,6,0\n`,
      'data.csv line 3, column "x2": a quoted cell is never closed (the closing " is missing)',
    ],
    [
      "text after a closing quote",
      `${header}3,"4"5,1\n`,
      'data.csv line 3, column "x2": unexpected text after the closing quote of a quoted cell; write a quote inside a quoted cell as ""',
    ],
    ["an empty file", "", "data.csv is empty: expected a header row"],
    ["a byte-order mark only", "\uFEFF", "data.csv is empty: expected a header row"],
    ["a header only", "x1,y\n", "data.csv has no data rows (only a header)"],
    ["a header and blank lines", "x1,y\n\n\n", "data.csv has no data rows (only a header)"],
    [
      "a blank first line",
      "\nx1,y\n1,0\n",
      "data.csv line 1 is blank: the first line must be the header (the column names)",
    ],
    [
      "an empty header cell",
      "x1,,y\n1,2,0\n",
      "data.csv line 1, column 2 (index 1): the header cell is empty; every column needs a name (an index column, as pandas writes? ignore it: --ignore 1)",
    ],
    [
      "a repeated name",
      "x1,x2,x1,y\n1,2,3,0\n",
      'data.csv line 1: the column name "x1" appears twice (columns 1 and 3, indices 0 and 2)',
    ],
    [
      "a repeated name after trimming",
      "x1, x1 ,y\n1,2,0\n",
      'data.csv line 1: the column name "x1" appears twice (columns 1 and 2, indices 0 and 1)',
    ],
    [
      "a single column",
      "y\n1\n",
      "data.csv has 1 column; a labelled data set needs feature columns and a label column",
    ],
  ];
  for (const [what, text, message] of cases) {
    it(what, () => {
      expect(dataErrorOf(() => parseLabelledCsv(text, { source: "data.csv", maxClasses: 2 }))).toBe(
        message,
      );
    });
  }

  it("an unknown label column lists the columns", () => {
    expect(
      dataErrorOf(() => parseLabelledCsv("a,b,c\n1,2,0\n", { label: "z", source: "d.csv" })),
    ).toBe('d.csv has no column "z"; its columns are "a", "b", "c"');
  });

  it("an unknown label column close to a column's name suggests it (case is ignored)", () => {
    const text = "x1,x2,label\n1,2,0\n";
    expect(dataErrorOf(() => parseLabelledCsv(text, { label: "lable", source: "d.csv" }))).toBe(
      'd.csv has no column "lable" (did you mean "label"?); its columns are "x1", "x2", "label"',
    );
    expect(dataErrorOf(() => parseLabelledCsv(text, { label: "Label", source: "d.csv" }))).toBe(
      'd.csv has no column "Label" (did you mean "label"?); its columns are "x1", "x2", "label"',
    );
  });

  it("without a source the message starts at the line", () => {
    expect(dataErrorOf(() => parseLabelledCsv("x,y\nz,0\n"))).toBe(
      'line 2, column "x": "z" is not a number',
    );
    expect(dataErrorOf(() => parseLabelledCsv(""))).toBe(
      "the data is empty: expected a header row",
    );
  });

  it("a very long cell is cut to 40 characters in the message", () => {
    const long = "a".repeat(35) + "😀".repeat(20); // 55 characters, 75 UTF-16 units
    const message = dataErrorOf(() => parseLabelledCsv(`x,y\n${long},0\n`));
    expect(message).toBe(
      `line 2, column "x": "${"a".repeat(35)}${"😀".repeat(5)}"… (55 characters) is not a number`,
    );
    const huge = "9".repeat(100_000) + "x";
    expect(dataErrorOf(() => parseLabelledCsv(`x,y\n${huge},0\n`)).length).toBeLessThan(120);
  });

  it("control characters and line breaks in a cell are escaped, so the message is one line", () => {
    const message = dataErrorOf(() => parseLabelledCsv('x,y\n"a\nb\tc",0\n'));
    expect(message).toBe('line 2, column "x": "a\\nb\\tc" is not a number');
  });

  it("a long column name is cut as well", () => {
    const name = "n".repeat(60);
    const message = dataErrorOf(() => parseLabelledCsv(`${name},y\nz,0\n`));
    expect(message).toBe(
      `line 2, column "${"n".repeat(40)}"… (60 characters): "z" is not a number`,
    );
  });
});

// Speed is measured by scripts and benchmarks, never asserted here; a quadratic parser would
// still show up as these tests running into vitest's timeout.
describe("large inputs", () => {
  it("parses a 4 MB file (100 000 rows × 10 columns) to the exact numbers", () => {
    const lines = ["f0,f1,f2,f3,f4,f5,f6,f7,f8,label"];
    for (let i = 0; i < 100_000; i++) {
      const row: string[] = [];
      for (let j = 0; j < 9; j++) row.push(String(Math.sin(i * 9 + j) * 1000));
      row.push(String(i % 2));
      lines.push(row.join(","));
    }
    const text = lines.join("\n");
    expect(text.length).toBeGreaterThan(3_000_000);
    const ds = parseLabelledCsv(text);
    expect(ds.X.rows).toBe(100_000);
    expect(ds.X.data[9 * 7 + 3]).toBe(Math.sin(7 * 9 + 3) * 1000);
    expect(ds.X.data[9 * 99_999 + 8]).toBe(Math.sin(99_999 * 9 + 8) * 1000);
  });

  it("pathological cells (a million quotes, a million digits) get a short error or the right value", () => {
    const quotes = `x,y\n"${'""'.repeat(500_000)}",0\n`;
    expect(dataErrorOf(() => parseLabelledCsv(quotes))).toBe(
      `line 2, column "x": ${JSON.stringify('"'.repeat(40))}… (500000 characters) is not a number`,
    );
    const digits = `x,y\n${"1".repeat(1_000_000)}.5e-2000000,0\n`;
    expect(parseLabelledCsv(digits).X.data[0]).toBe(0);
  });
});
