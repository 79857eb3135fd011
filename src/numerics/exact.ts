/**
 * The exact rounding error of a float64 product, from IEEE-754 multiplications and additions
 * alone (no fused multiply-add): Dekker's product (T. J. Dekker, "A floating-point technique
 * for extending the available precision", Numerische Mathematik 18, 1971) with Veltkamp's
 * splitting. Hand-written because JavaScript has no fused multiply-add, the usual way to get
 * the error; the same operations run, in the same order, in every engine and in WebAssembly.
 *
 * Splitting: with C = 2^27 + 1, t = C·a and aHigh = t − (t − a), aLow = a − aHigh, every step
 * is exact and aHigh, aLow have at most 26 significant bits each (aLow may carry the sign the
 * other way), so each of aHigh·bHigh, aHigh·bLow, aLow·bHigh, aLow·bLow is exact, and
 * ((aHigh·bHigh − p) + aHigh·bLow + aLow·bHigh) + aLow·bLow, summed in that order, is
 * exactly a·b − p for p = fl(a·b). Valid while nothing overflows (|a|, |b| < 2^995) and
 * |a·b| ≥ 2^{−969}, so that no partial product (the smallest has its last bit near
 * 2^{−104}|a·b|) loses bits as a subnormal; the callers say why their arguments qualify.
 */

/** 2^27 + 1: Veltkamp's splitting constant for 53-bit significands. */
const SPLITTER = 134217729;

/** The high half of a (26 significant bits at most), by Veltkamp's splitting. */
function highHalf(a: number): number {
  const t = SPLITTER * a;
  return t - (t - a);
}

/**
 * a·b − p exactly, for p = fl(a·b), the product rounded (Dekker); see the module comment for
 * the range where it is exact.
 */
export function productError(a: number, b: number, p: number): number {
  const aHigh = highHalf(a);
  const aLow = a - aHigh;
  const bHigh = highHalf(b);
  const bLow = b - bHigh;
  return aHigh * bHigh - p + aHigh * bLow + aLow * bHigh + aLow * bLow;
}

/** a² − p exactly, for p = fl(a·a): productError(a, a, p) with one splitting. */
export function squareError(a: number, p: number): number {
  const aHigh = highHalf(a);
  const aLow = a - aHigh;
  const cross = aHigh * aLow;
  return aHigh * aHigh - p + cross + cross + aLow * aLow;
}
