import { Decimal } from "decimal.js";
import { describe, expect, test } from "vitest";
import { D, exactOf, nextDown, nextUp, ulpError, ulpOf } from "./ulp.js";

/** Enough digits to hold 2^−1074 (751 significant digits) exactly. */
const Wide = Decimal.clone({ precision: 1000, minE: -9e15, maxE: 9e15 });

describe("the ulp helper", () => {
  test("exactOf gives every digit of a double (0.1 is not 1/10)", () => {
    expect(exactOf(0.1).toFixed(55)).toBe(
      "0.1000000000000000055511151231257827021181583404541015625",
    );
    expect(exactOf(Number.MIN_VALUE).eq(new Wide(2).pow(-1074))).toBe(true);
    expect(exactOf(Number.MAX_VALUE).eq(new Wide(2).pow(1024).minus(new Wide(2).pow(971)))).toBe(
      true,
    );
    expect(exactOf(-(2 ** 60)).eq(new D(2).pow(60).neg())).toBe(true);
  });

  test("ulpOf follows 2^(⌊log2|x|⌋−52) for normals and 2^−1074 for subnormals and 0", () => {
    expect(ulpOf(new D(1)).eq(exactOf(2 ** -52))).toBe(true);
    expect(ulpOf(new D(-1.5)).eq(exactOf(2 ** -52))).toBe(true);
    expect(ulpOf(exactOf(nextDown(2))).eq(exactOf(2 ** -52))).toBe(true);
    expect(ulpOf(new D(2)).eq(exactOf(2 ** -51))).toBe(true);
    expect(ulpOf(new D(0)).eq(exactOf(2 ** -1074))).toBe(true);
    expect(ulpOf(exactOf(1e-310)).eq(exactOf(2 ** -1074))).toBe(true);
    expect(ulpOf(exactOf(Number.MAX_VALUE)).eq(exactOf(2 ** 971))).toBe(true);
  });

  test("neighbouring doubles are exactly 1 ulp apart", () => {
    for (const x of [1.5, -1.5, 3, 1e-300, 1e-310, Number.MIN_VALUE, 123.456, 1e308]) {
      expect(ulpError(nextUp(x), exactOf(x))).toBe(1);
      expect(ulpError(nextDown(x), exactOf(x))).toBe(1);
    }
    expect(ulpError(0, exactOf(Number.MIN_VALUE))).toBe(1);
    expect(ulpError(nextDown(Number.MAX_VALUE), exactOf(Number.MAX_VALUE))).toBe(1);
  });

  test("the midpoint between neighbours is half an ulp from each; the binade below 1 has half the ulp", () => {
    const mid = exactOf(1.5)
      .plus(exactOf(nextUp(1.5)))
      .div(2);
    expect(ulpError(1.5, mid)).toBe(0.5);
    expect(ulpError(nextUp(1.5), mid)).toBe(0.5);
    expect(ulpError(nextDown(1), new D(1))).toBe(0.5); // measured in ulp(1) = 2^−52
    expect(ulpError(1, exactOf(nextDown(1)))).toBe(1); // measured in ulp(1 − 2^−53) = 2^−53
  });

  test("a non-finite result is infinitely wrong", () => {
    expect(ulpError(Infinity, new D(1))).toBe(Infinity);
    expect(ulpError(NaN, new D(1))).toBe(Infinity);
  });
});
