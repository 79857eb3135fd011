import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseFeatureCsv, parseLabelledCsv } from "../../src/data/index.js";
import { parseDecimal } from "../../src/data/decimal.js";
import { DataError } from "../../src/errors.js";

const SEED = 20240601;

/** A cell as a careful writer would put it in a CSV: quoted when it holds , " CR LF or edge blanks. */
function csvCell(text: string): string {
  const needsQuotes = /[",\r\n]/.test(text) || text.trim() !== text || text === "";
  return needsQuotes ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A finite double other than −0 (String(−0) is "0", so −0 cannot survive a text round trip). */
const finiteDouble = fc
  .double({ noNaN: true, noDefaultInfinity: true })
  .filter((x) => !Object.is(x, -0));

/** A column name: non-empty, no surrounding white space (names are trimmed when read). */
const columnName = fc
  .string({ minLength: 1, maxLength: 8, unit: "grapheme" })
  .filter((s) => s.trim() === s && s !== "");

describe("round trips", () => {
  it("finite doubles written with String(x) and 0/1 labels parse back bit-identically", () => {
    const table = fc
      .record({ D: fc.integer({ min: 1, max: 5 }), N: fc.integer({ min: 1, max: 8 }) })
      .chain(({ D, N }) =>
        fc.record({
          names: fc.uniqueArray(columnName, { minLength: D + 1, maxLength: D + 1 }),
          X: fc.array(fc.array(finiteDouble, { minLength: D, maxLength: D }), {
            minLength: N,
            maxLength: N,
          }),
          y: fc.array(fc.constantFrom(0, 1), { minLength: N, maxLength: N }),
          lineEnd: fc.constantFrom("\n", "\r\n"),
          bom: fc.boolean(),
          finalLineEnd: fc.boolean(),
        }),
      );
    fc.assert(
      fc.property(table, ({ names, X, y, lineEnd, bom, finalLineEnd }) => {
        const lines = [names.map(csvCell).join(",")];
        X.forEach((row, i) => lines.push([...row.map(String), String(y[i])].join(",")));
        const text = (bom ? "\uFEFF" : "") + lines.join(lineEnd) + (finalLineEnd ? lineEnd : "");
        const ds = parseLabelledCsv(text);
        expect(ds.featureNames).toEqual(names.slice(0, -1));
        expect(ds.labelName).toBe(names[names.length - 1]);
        const expectedX = Float64Array.from(X.flat());
        expect(Buffer.from(ds.X.data.buffer).equals(Buffer.from(expectedX.buffer))).toBe(true);
        expect(Array.from(ds.y.data)).toEqual(y);
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });
});

describe("no input makes the parser throw anything but a DataError", () => {
  /** Characters that reach deep into the tokenizer and the number grammar. */
  const csvCharacter = fc.constantFrom(
    ...'0123456789.,+-eE"\n\r \tabx_\uFEFF',
    "Infinity",
    "NaN",
    "1e999",
    "\u00e9",
    "\ud83d",
    "😀",
  );
  const csvLike = fc.string({ unit: csvCharacter, maxLength: 60 });
  const anyText = fc.oneof(
    csvLike,
    fc.string({ unit: "binary", maxLength: 60 }),
    fc.string({ maxLength: 30 }),
  );
  const header = fc.constantFrom("", "x,y\n", "a,b,label\n", "x\n");
  const options = fc.record(
    {
      label: fc.constantFrom("x", "y", "label", "a", "zz"),
      maxClasses: fc.integer({ min: 2, max: 4 }),
    },
    { requiredKeys: [] },
  );

  it("labelled: either a valid data set or a DataError", () => {
    fc.assert(
      fc.property(header, anyText, options, (head, body, opts) => {
        let ds;
        try {
          ds = parseLabelledCsv(head + body, opts);
        } catch (error) {
          expect(error).toBeInstanceOf(DataError);
          expect((error as Error).message).not.toMatch(/\n/);
          return;
        }
        const K = opts.maxClasses ?? 2;
        expect(ds.X.rows).toBeGreaterThanOrEqual(1);
        expect(ds.y.rows).toBe(ds.X.rows);
        expect(ds.featureNames).toHaveLength(ds.X.cols);
        expect(ds.X.data.every(Number.isFinite)).toBe(true);
        expect(ds.y.data.every((label) => Number.isInteger(label) && label >= 0 && label < K)).toBe(
          true,
        );
      }),
      { seed: SEED, numRuns: 4000 },
    );
  });

  it("features: either a finite table or a DataError", () => {
    fc.assert(
      fc.property(header, anyText, (head, body) => {
        let table;
        try {
          table = parseFeatureCsv(head + body);
        } catch (error) {
          expect(error).toBeInstanceOf(DataError);
          return;
        }
        expect(table.X.rows).toBeGreaterThanOrEqual(1);
        expect(table.featureNames).toHaveLength(table.X.cols);
        expect(table.X.data.every(Number.isFinite)).toBe(true);
      }),
      { seed: SEED, numRuns: 4000 },
    );
  });
});

describe("the decimal grammar", () => {
  /** The grammar as a regular expression: the independent oracle (safe on these short strings). */
  const GRAMMAR = /^[ \t]*[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?[ \t]*$/;

  it("agrees with a regular-expression oracle and with Number() on what it accepts", () => {
    const text = fc.string({ unit: fc.constantFrom(..."0123456789.+-eE \tx"), maxLength: 12 });
    fc.assert(
      fc.property(text, (s) => {
        const value = parseDecimal(s);
        if (GRAMMAR.test(s)) expect(Object.is(value, Number(s.trim()))).toBe(true);
        else expect(value).toBeNaN();
      }),
      { seed: SEED, numRuns: 5000 },
    );
  });

  it("reads back String(x) of every finite double exactly", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        expect(parseDecimal(String(x))).toBe(x === 0 ? 0 : x);
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });
});
