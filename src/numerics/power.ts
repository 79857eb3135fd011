/**
 * Integer powers b^n by binary powering, for the step schedule's γ^⌊e/E⌋ (train/schedules.ts).
 * Hand-written because `b ** n` and Math.pow are
 * "implementation-approximated" in ECMAScript even for integer n (an engine may round
 * differently from another); a fixed sequence of IEEE-754 multiplications gives the same bits
 * in every engine.
 *
 * Method: the bits of n from the lowest: the running square b, b², b⁴, … (each the square of
 * the last, rounded) multiplies the result wherever n has a 1 bit; at most 2⌊log2 n⌋ + 1
 * multiplications, in an order fixed by n alone. Exact wherever every product is (small
 * integers, powers of two); otherwise a rounding of b^m is raised to the power n/m after it,
 * so the relative error is below about n·2^{−52} (as for a running product of n factors):
 * 10^{−14} for the few tens of decays a step schedule makes.
 */

/** b^n for an integer n ≥ 0 (b^0 = 1), by binary powering (see the module comment). */
export function powInteger(b: number, n: number): number {
  let result = 1;
  let square = b;
  for (let m = n; m > 0; m = Math.floor(m / 2)) {
    if (m % 2 === 1) result *= square;
    if (m > 1) square *= square;
  }
  return result;
}
