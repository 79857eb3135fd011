/**
 * Hostile CSV input with an independent oracle: valid files built from known numbers must
 * load to exactly those numbers (in any of the accepted spellings), and each mutation of a
 * valid file must load to what the mutation predicts or fail with the DataError it predicts,
 * on one line. Parsed whole and loaded from a file in 7-byte chunks. Seeded (SEED), numRuns
 * in the test names.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseLabelledCsv, parsePredictionCsv, type Dataset } from "../../src/data/index.js";
import { DataError } from "../../src/errors.js";
import { loadCsv } from "../../src/io/index.js";

const SEED = 20250919;
/** The digits of the long line one mutation writes (the 1 MB line is in test/io/csv-file.test.ts). */
const LONG_LINE_DIGITS = 100_000;

let folder: string;
let fileCount = 0;
beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), "handgrad-csv-fuzz-"));
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** Parses `text` whole and from a file in 7-byte chunks: both must agree; returns the data set or the message. */
function loadBothWays(text: string, options: { label?: string } = {}): Dataset | string {
  const path = join(folder, `f${fileCount++}.csv`);
  writeFileSync(path, text);
  const run = (load: () => Dataset): Dataset | string => {
    try {
      return load();
    } catch (error) {
      expect(error).toBeInstanceOf(DataError);
      const message = (error as Error).message;
      expect(message).not.toMatch(/[\r\n]/);
      return message.replace(`${path} line`, "line").replace(path, "the data");
    }
  };
  const whole = run(() => parseLabelledCsv(text, { maxClasses: 2, ...options, source: path }));
  const streamed = run(() => loadCsv(path, { maxClasses: 2, ...options, chunkBytes: 7 }));
  if (typeof whole === "string" || typeof streamed === "string") expect(streamed).toEqual(whole);
  else {
    expect(bits(streamed.X.data)).toBe(bits(whole.X.data));
    expect(Array.from(streamed.y.data)).toEqual(Array.from(whole.y.data));
  }
  return whole;
}

const bits = (a: ArrayLike<number>) => Buffer.from(Float64Array.from(a).buffer).toString("hex");

/** Doubles at the edges of float64: the largest, the smallest subnormal, the normal/subnormal border, −0. */
const extremeDouble = fc.constantFrom(
  1e308,
  -1e308,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  5e-324,
  -5e-324,
  2.2250738585072014e-308,
  2.225073858507201e-308,
  1e-310,
  -0,
  0,
  0.1,
  123456789012345680000,
);
const anyDouble = fc.oneof(extremeDouble, fc.double({ noNaN: true, noDefaultInfinity: true }));

/** x in exponent form, keeping the sign of −0 (which toExponential drops). */
const exponential = (x: number) => (Object.is(x, -0) ? "-0e+0" : x.toExponential());

/** Spellings of x that must read back as exactly x. */
const spelling = fc.constantFrom(
  (x: number) => (Object.is(x, -0) ? "-0" : String(x)),
  (x: number) => exponential(x),
  (x: number) => exponential(x).toUpperCase(),
  (x: number) => (x >= 0 && !Object.is(x, -0) ? `+${exponential(x)}` : exponential(x)),
  (x: number) => ` \t${Object.is(x, -0) ? "-0" : String(x)} `,
  (x: number) => `"${exponential(x)}"`,
  (x: number) => ` "${Object.is(x, -0) ? "-0.0" : x.toPrecision(17)}" `,
);

interface Table {
  readonly names: string[];
  readonly X: number[][];
  readonly y: number[];
}

const table: fc.Arbitrary<Table> = fc
  .record({ D: fc.integer({ min: 1, max: 4 }), N: fc.integer({ min: 1, max: 6 }) })
  .chain(({ D, N }) =>
    fc.record({
      names: fc.uniqueArray(
        fc.constantFrom("x", "y2", "a,b", 'q"t', "multi\nline", "é", "label", "1", "z z"),
        { minLength: D + 1, maxLength: D + 1 },
      ),
      X: fc.array(fc.array(anyDouble, { minLength: D, maxLength: D }), {
        minLength: N,
        maxLength: N,
      }),
      y: fc.array(fc.constantFrom(0, 1), { minLength: N, maxLength: N }),
    }),
  );

/** A header cell: quoted when it must be. */
const nameCell = (name: string) =>
  /[",\r\n]/.test(name) ? `"${name.replaceAll('"', '""')}"` : name;

/** The CSV lines of a table, numbers written by `write`. */
function csvLines(t: Table, write: (x: number) => string): string[][] {
  return [t.names.map(nameCell), ...t.X.map((row, i) => [...row.map(write), String(t.y[i])])];
}

const lineEnd = fc.constantFrom("\n", "\r\n", "\r");

describe("valid CSV files, fuzzed", () => {
  it("round-trip every number exactly, 1e308, 5e-324, subnormals and −0 included, in any accepted spelling, with BOM and LF/CRLF/CR (numRuns 1500)", () => {
    fc.assert(
      fc.property(
        table,
        spelling,
        lineEnd,
        fc.boolean(),
        fc.boolean(),
        (t, write, end, bom, finalEnd) => {
          const text =
            (bom ? "\uFEFF" : "") +
            csvLines(t, write)
              .map((cells) => cells.join(","))
              .join(end) +
            (finalEnd ? end : "");
          const ds = loadBothWays(text);
          if (typeof ds === "string") throw new Error(`a valid file was refused: ${ds}`);
          expect(ds.featureNames).toEqual(t.names.slice(0, -1));
          expect(ds.labelName).toBe(t.names[t.names.length - 1]);
          expect(bits(ds.X.data)).toBe(bits(t.X.flat()));
          expect(Array.from(ds.y.data)).toEqual(t.y);
        },
      ),
      { seed: SEED, numRuns: 1500 },
    );
  });
});

/** A mutation of a valid file and the outcome it predicts: a message, or labels. */
interface Mutation {
  readonly lines: string[][];
  readonly options?: { label?: string };
  /** The DataError message expected (after the file name), or a check of the data set. */
  readonly expected: string | RegExp | ((ds: Dataset) => void);
}

/** Mutates `lines` at data row `row`, whose first line in the file is lineOf(row). */
type Mutate = (
  t: Table,
  lines: string[][],
  row: number,
  lineOf: (row: number) => number,
) => Mutation | undefined;

/** A label spelling and what it means: its value, or undefined when it must be refused. */
const LABEL_SPELLINGS: readonly [string, number | undefined][] = [
  ["1.0", 1],
  [" 1", 1],
  ["1e0", 1],
  ["+1", 1],
  ["-0", 0],
  ["0.0e5", 0],
  ['"1"', 1],
  ["true", undefined],
  ["2", undefined],
  ["-1", undefined],
  ["0.5", undefined],
  ["0x1", undefined],
  ["", undefined],
  ["NaN", undefined],
  ["1e999", undefined],
];

const BAD_FEATURES = [
  "NaN",
  "Infinity",
  "-Infinity",
  "1e999",
  "-1e400",
  "0x10",
  "1_000",
  "abc",
  "",
  " ",
  "1.2.3",
  "e5",
  "--1",
];

const commonMutations: fc.Arbitrary<Mutate> = fc.oneof(
  fc.constantFrom<Mutate>(
    // Ragged rows: one cell short or one cell more.
    (t, lines, i, lineOf) => {
      const row = lines[i + 1] as string[];
      row.pop();
      return {
        lines,
        expected: `line ${lineOf(i)} has ${row.length} ${row.length === 1 ? "cell" : "cells"} but the header has ${t.names.length} columns`,
      };
    },
    (t, lines, i, lineOf) => {
      (lines[i + 1] as string[]).push("0");
      return {
        lines,
        expected: `line ${lineOf(i)} has ${t.names.length + 1} cells but the header has ${t.names.length} columns`,
      };
    },
    // A duplicate column name.
    (t, lines) => {
      (lines[0] as string[])[1 % t.names.length] = lines[0]?.[0] as string;
      if (t.names.length < 2) return undefined;
      return {
        lines,
        expected: new RegExp(
          `the column name ".*" appears twice \\(columns 1 and 2, indices 0 and 1\\)(; if the file has no header row, add one.*)?$`,
        ),
      };
    },
    // An empty column name.
    (_t, lines) => {
      (lines[0] as string[])[0] = "  ";
      return {
        lines,
        expected:
          /line 1, column 1 \(index 0\): the header cell is empty; every column needs a name \(an index column, as pandas writes\? ignore it: --ignore (0|'#0')\)$/,
      };
    },
    // A --label that is not a column.
    (_t, lines) => ({
      lines,
      options: { label: "no such column" },
      expected: /has no column "no such column"; its columns are /,
    }),
    // Header only; empty file; a blank line inside; blank lines at the end.
    (_t, lines) => ({
      lines: lines.slice(0, 1),
      expected: "the data has no data rows (only a header)",
    }),
    () => ({ lines: [], expected: "the data is empty: expected a header row" }),
    (_t, lines, i, lineOf) => {
      if (i + 2 >= lines.length) return undefined;
      lines.splice(i + 2, 0, []);
      return {
        lines,
        expected: `line ${lineOf(i) + 1} is blank; blank lines are allowed only at the end of the file`,
      };
    },
    (t, lines) => ({
      lines: [...lines, [], [" \t"], []],
      expected: (ds) => expect(ds.X.rows).toBe(t.X.length),
    }),
    // A quoted cell never closed.
    (_t, lines, i, lineOf) => {
      (lines[i + 1] as string[])[0] = `"${lines[i + 1]?.[0] ?? ""}`;
      return {
        lines,
        expected: new RegExp(
          `^line ${lineOf(i)}, column ".*": a quoted cell is never closed \\(the closing " is missing\\)$`,
        ),
      };
    },
    // Text after a closing quote.
    (_t, lines, i, lineOf) => {
      (lines[i + 1] as string[])[0] = `"1"x`;
      return {
        lines,
        expected: new RegExp(
          `^line ${lineOf(i)}, column ".*": unexpected text after the closing quote of a quoted cell`,
        ),
      };
    },
  ),
  // A label in some spelling.
  fc.constantFrom(...LABEL_SPELLINGS).map(([spelled, value]): Mutate => (_t, lines, i, lineOf) => {
    const row = lines[i + 1] as string[];
    row[row.length - 1] = spelled;
    if (value === undefined) {
      return {
        lines,
        expected: new RegExp(`line ${lineOf(i)}, column ".*": the label .* is not 0 or 1$`),
      };
    }
    return { lines, expected: (ds) => expect(Object.is(ds.y.data[i], value)).toBe(true) };
  }),
  // A feature that is not a finite number.
  fc.constantFrom(...BAD_FEATURES).map((bad): Mutate => (_t, lines, i, lineOf) => {
    (lines[i + 1] as string[])[0] = bad;
    return {
      lines,
      expected: new RegExp(
        `line ${lineOf(i)}, column ".*": .* is not (a number|a finite number \\(it overflows a double\\))$`,
      ),
    };
  }),
);

/** A very long line of digits: a valid number, read exactly (rare: it is slow in 7-byte chunks). */
const longLine = fc.constant<Mutate>((_t, lines, i) => {
  const digits = `0.${"3".repeat(LONG_LINE_DIGITS)}`;
  (lines[i + 1] as string[])[0] = digits;
  return { lines, expected: (ds) => expect(ds.X.data[i * ds.X.cols]).toBe(Number(digits)) };
});

const mutations = fc.oneof(
  { weight: 50, arbitrary: commonMutations },
  { weight: 1, arbitrary: longLine },
);

describe("mutated CSV files, fuzzed against the outcome each mutation predicts", () => {
  it("ragged rows, duplicate/empty/missing columns, header only, empty, blank lines, quotes, label spellings, bad numbers, a 100 kB line (numRuns 1500)", () => {
    fc.assert(
      fc.property(table, mutations, fc.nat(), lineEnd, (t, mutate, pick, end) => {
        const lines = csvLines(t, String).map((cells) => [...cells]);
        const headerLines = 1 + t.names.filter((name) => name.includes("\n")).length;
        const mutation = mutate(t, lines, pick % t.X.length, (row) => headerLines + row + 1);
        fc.pre(mutation !== undefined);
        const { expected, options } = mutation as Mutation;
        const mutated = (mutation as Mutation).lines;
        const text =
          mutated.length === 0 ? "" : mutated.map((cells) => cells.join(",")).join(end) + end;
        const result = loadBothWays(text, options);
        if (typeof expected === "function") {
          if (typeof result === "string") throw new Error(`refused: ${result}`);
          expected(result);
          expect(result.X.data.every(Number.isFinite)).toBe(true);
        } else if (typeof expected === "string") {
          expect(result).toBe(expected);
        } else {
          expect(result).toMatch(expected);
        }
      }),
      { seed: SEED, numRuns: 1500 },
    );
  });
});

describe("CSV regressions found by fuzzing", () => {
  it("predict's CSV parser names the file in an error in the header's quoting", () => {
    expect(() => parsePredictionCsv('"a,b\n1,2\n', 2, { source: "p.csv" })).toThrow(
      'p.csv line 1, cell 1: a quoted cell is never closed (the closing " is missing)',
    );
  });

  it("a file whose structure fails before an invalid UTF-8 byte further on is refused for the byte, streamed or whole", () => {
    const path = join(folder, "late-bad-byte.csv");
    writeFileSync(path, Buffer.concat([Buffer.from("\r\n1,0\n"), Buffer.from([0x80])]));
    expect(() => loadCsv(path, { chunkBytes: 1 })).toThrow(
      `${path} is not UTF-8 text (line 3 has an invalid byte); save the file as UTF-8`,
    );
  });

  it("a byte-order mark before a quoted header cell holding a line break does not hide the quote from the streamed reader", () => {
    const path = join(folder, "bom-quoted.csv");
    writeFileSync(path, '\uFEFF"multi\nline",x\n0,1\n');
    const ds = loadCsv(path, { chunkBytes: 1 });
    expect(ds.featureNames).toEqual(["multi\nline"]);
    expect(Array.from(ds.y.data)).toEqual([1]);
    writeFileSync(path, '\uFEFF\uFEFF"a,b",y\n0,1\n'); // two marks: the parser drops both
    expect(loadCsv(path, { chunkBytes: 2 }).featureNames).toEqual(["a,b"]);
  });

  it("a truncated UTF-8 sequence followed by a whole character is refused, naming its line", () => {
    const path = join(folder, "truncated.csv");
    writeFileSync(path, Buffer.from([0x78, 0x0a, 0xe2, 0x82, 0xef, 0xbb, 0xbf]));
    expect(() => loadCsv(path, { chunkBytes: 1 })).toThrow(
      `${path} is not UTF-8 text (line 2 has an invalid byte); save the file as UTF-8`,
    );
  });
});
