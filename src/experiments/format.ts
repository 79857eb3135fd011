/** Number formats shared by the experiments' tables and key numbers. */

/** x to `digits` significant digits, shortest form; exponent form below 1e-3 or from 1e6. */
export function sig(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  const rounded = Number(x.toPrecision(digits));
  const magnitude = Math.abs(rounded);
  return magnitude < 1e-3 || magnitude >= 1e6
    ? rounded.toExponential().replace("e+", "e")
    : String(rounded);
}

/** x with exactly `decimals` digits after the point. */
export function fixed(x: number, decimals = 2): string {
  return x.toFixed(decimals);
}

/** A fraction as a percentage with one decimal: 0.9875 → "98.8 %". */
export function percent(x: number, decimals = 1): string {
  return `${(100 * x).toFixed(decimals)} %`;
}
