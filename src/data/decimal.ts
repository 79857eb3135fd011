/**
 * The strict decimal number grammar of data cells, checked character by character (linear
 * time, no regular expressions):
 *
 *   number   = sign? mantissa exponent?        after trimming spaces and tabs
 *   mantissa = digits ("." digits?)? | "." digits
 *   exponent = ("e" | "E") sign? digits
 *
 * So "1", "-2.5", "+.5", "3.", "6.02e23" are numbers; "", "abc", "0x10", "1_000", "1,5",
 * "Infinity" and "NaN" are not. Every String(x) of a finite double matches the grammar.
 */

const PLUS = 43;
const MINUS = 45;
const DOT = 46;
const ZERO = 48;
const NINE = 57;
const LOWER_E = 101;
const UPPER_E = 69;
const SPACE = 32;
const TAB = 9;

/**
 * The value of `text` as a decimal number: NaN when the text does not match the grammar,
 * ±Infinity when it matches but overflows a double (e.g. "1e999"), else the correctly
 * rounded double (by Number(), which parses exactly this grammar and more).
 */
export function parseDecimal(text: string): number {
  let start = 0;
  let end = text.length;
  while (start < end && isBlank(text.charCodeAt(start))) start++;
  while (end > start && isBlank(text.charCodeAt(end - 1))) end--;

  let p = start;
  const c0 = text.charCodeAt(p);
  if (c0 === PLUS || c0 === MINUS) p++;
  const intStart = p;
  while (p < end && isDigit(text.charCodeAt(p))) p++;
  let mantissaDigits = p - intStart;
  if (p < end && text.charCodeAt(p) === DOT) {
    p++;
    const fractionStart = p;
    while (p < end && isDigit(text.charCodeAt(p))) p++;
    mantissaDigits += p - fractionStart;
  }
  if (mantissaDigits === 0) return NaN;
  if (p < end) {
    const e = text.charCodeAt(p);
    if (e !== LOWER_E && e !== UPPER_E) return NaN;
    p++;
    const s = text.charCodeAt(p);
    if (s === PLUS || s === MINUS) p++;
    const exponentStart = p;
    while (p < end && isDigit(text.charCodeAt(p))) p++;
    if (p === exponentStart || p < end) return NaN;
  }
  return Number(text.slice(start, end));
}

/**
 * True when `text`, a number in the grammar above, denotes an integer exactly: no non-zero
 * digit stands after the decimal point once the exponent has moved it ("1.0", "10e-1" and
 * "1e0" do; "1e-400" and "0.99999999999999999", which round to the doubles 0 and 1, do not).
 * Labels are read through it, so that a class is never a rounded value.
 */
export function denotesInteger(text: string): boolean {
  const trimmed = text.trim();
  const e = Math.max(trimmed.indexOf("e"), trimmed.indexOf("E"));
  const mantissa = (e === -1 ? trimmed : trimmed.slice(0, e)).replace(/^[+-]/, "");
  const exponent = e === -1 ? 0 : Number(trimmed.slice(e + 1));
  const dot = mantissa.indexOf(".");
  const digits = mantissa.replace(".", "");
  // The decimal point sits after this many digits of `digits` once the exponent is applied.
  const point = (dot === -1 ? mantissa.length : dot) + exponent;
  for (let i = Math.max(point, 0); i < digits.length; i++) {
    if (digits.charCodeAt(i) !== ZERO) return false;
  }
  return true;
}

function isDigit(c: number): boolean {
  return c >= ZERO && c <= NINE;
}

function isBlank(c: number): boolean {
  return c === SPACE || c === TAB;
}
