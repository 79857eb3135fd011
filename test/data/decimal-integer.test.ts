/**
 * Labels are never rounded values: denotesInteger tells, from the text, whether a number in
 * the data grammar is exactly an integer, and the CSV reader refuses a label that is not.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { denotesInteger, parseDecimal } from "../../src/data/decimal.js";
import { parseLabelledCsv } from "../../src/data/index.js";
import { DataError } from "../../src/errors.js";

describe("denotesInteger", () => {
  it("accepts integers however written, refuses what only rounds to one", () => {
    for (const text of [
      "0",
      "1",
      "-0",
      "+1",
      " 1 ",
      "1.0",
      "1.",
      "10e-1",
      "1e0",
      "0.1e1",
      "100e-2",
      "0e-400",
      "2E+0",
    ])
      expect(denotesInteger(text), text).toBe(true);
    for (const text of [
      "1e-400",
      "0.99999999999999999",
      "1.0000000000000001",
      "0.5",
      "15e-1",
      ".1",
    ])
      expect(denotesInteger(text), text).toBe(false);
  });

  it("agrees with exact arithmetic: k·10^s written with its point moved (fast-check)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 ** 6 }),
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: -8, max: 8 }),
        fc.integer({ min: 1, max: 9 }),
        (k, zeros, shift, tail) => {
          // k followed by `zeros` zeros, then the point moved `shift` places by the exponent.
          const digits = `${k}${"0".repeat(zeros)}`;
          const integer = `${digits}e${shift}`;
          // An integer exactly when moving the point left by -shift drops only zeros.
          const trailingZeros = digits.length - digits.replace(/0+$/, "").length;
          const expected = k === 0 || shift >= 0 || -shift <= trailingZeros;
          expect(denotesInteger(integer), integer).toBe(expected);
          // A non-zero digit far past the point is never an integer, however it rounds.
          const rounded = `${digits}.${"0".repeat(20)}${tail}`;
          expect(denotesInteger(rounded), rounded).toBe(false);
          if (k > 0) expect(Number.isInteger(parseDecimal(rounded))).toBe(true); // the trap it avoids
        },
      ),
      { seed: 7, numRuns: 500 },
    );
  });

  it("a CSV label that only rounds to 0 or 1 is refused, naming the cell", () => {
    for (const label of ["1e-400", "0.99999999999999999"]) {
      const text = `a,y\n1,0\n2,${label}\n`;
      expect(() => parseLabelledCsv(text, { source: "d.csv", maxClasses: 2 })).toThrow(DataError);
      expect(() => parseLabelledCsv(text, { source: "d.csv", maxClasses: 2 })).toThrow(
        `the label "${label}" is not 0 or 1`,
      );
      // Classes found from the labels: refused too, not merged into the class it rounds to.
      expect(() => parseLabelledCsv(text, { source: "d.csv" })).toThrow(
        `d.csv line 3, column "y": the label "${label}" only rounds to the number`,
      );
    }
    expect(() => parseLabelledCsv("a,y\n1,0\n2,10e-1\n", { source: "d.csv" })).not.toThrow();
  });
});
