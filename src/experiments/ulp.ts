/**
 * Arbitrary-precision truth for float64 results: the exact decimal value of a double, the ulp
 * of an exact value, and the distance of a double from an exact value in those ulps.
 */
import { Decimal } from "decimal.js";

/** 60 significant digits and an exponent range wide enough for e^{−100000}. */
export const D = Decimal.clone({ precision: 60, minE: -9e15, maxE: 9e15 });

const bitsView = new DataView(new ArrayBuffer(8));

/** The IEEE-754 bit pattern of x as a 64-bit integer. */
export function bitsOf(x: number): bigint {
  bitsView.setFloat64(0, x);
  return bitsView.getBigUint64(0);
}

/** The double with the given bit pattern. */
export function fromBits(bits: bigint): number {
  bitsView.setBigUint64(0, bits);
  return bitsView.getFloat64(0);
}

/** The next double above x (finite, not NaN). */
export function nextUp(x: number): number {
  if (x === 0) return Number.MIN_VALUE;
  return fromBits(x > 0 ? bitsOf(x) + 1n : bitsOf(x) - 1n);
}

/** The next double below x (finite, not NaN). */
export function nextDown(x: number): number {
  return -nextUp(-x);
}

/**
 * The exact value of the finite double x as a Decimal, with all its digits (up to 767): a
 * double is m·2^e with integer m, and for e < 0, m·2^e = m·5^{−e}·10^{e}. (new Decimal(x)
 * would read the shortest decimal that rounds to x, which is not x itself.)
 */
export function exactOf(x: number): Decimal {
  if (!Number.isFinite(x)) throw new RangeError(`exactOf: ${x} is not finite`);
  const bits = bitsOf(x);
  const negative = bits >> 63n === 1n;
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  const m = biased === 0 ? fraction : fraction | (1n << 52n);
  const e = biased === 0 ? -1074 : biased - 1075;
  const digits = e >= 0 ? `${m << BigInt(e)}` : `${m * 5n ** BigInt(-e)}e${e}`;
  return new D(negative ? `-${digits}` : digits);
}

/**
 * The ulp of an exact value v: 2^{−1074} when |v| < 2^{−1022} (subnormal range, including 0),
 * else 2^{⌊log2|v|⌋ − 52}, capped at the ulp of the largest binade.
 */
export function ulpOf(v: Decimal): Decimal {
  const a = v.abs();
  if (a.lt(exactOf(2 ** -1022))) return exactOf(2 ** -1074);
  // A double guess of ⌊log2|v|⌋, then corrected against exact powers of two (the guess can
  // be off by one when |v| rounds across a power of two).
  let e = Math.min(1023, Math.floor(Math.log2(a.toNumber())));
  while (e > -1022 && exactOf(2 ** e).gt(a)) e--;
  while (e < 1023 && exactOf(2 ** (e + 1)).lte(a)) e++;
  return exactOf(2 ** (e - 52));
}

/** |result − exact| in ulps of the exact value; ∞ for a non-finite result. */
export function ulpError(result: number, exact: Decimal): number {
  if (!Number.isFinite(result)) return Infinity;
  return exactOf(result).minus(exact).abs().div(ulpOf(exact)).toNumber();
}
