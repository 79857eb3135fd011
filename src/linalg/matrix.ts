/**
 * The Float64 matrix type and its constructors: row-major storage, entry (i, j) at
 * data[i * cols + j]. A vector is a matrix with one row (a bias) or one column (y, p).
 */
import { DataError, ShapeError, UsageError } from "../errors.js";

/** A rows×cols matrix of float64, row-major: entry (i, j) is data[i * cols + j]. */
export interface Matrix {
  /** Number of rows. */
  readonly rows: number;
  /** Number of columns. */
  readonly cols: number;
  /** The rows·cols entries, row after row. */
  readonly data: Float64Array;
}

/** "N×D", the way every shape error names a shape. */
export function shapeOf(A: Matrix): string {
  return `${A.rows}×${A.cols}`;
}

/**
 * A rows×cols matrix over `data` (not copied), or zeros when no data is given. Refuses a
 * shape that is not two non-negative integers and data of another length (ShapeError), and
 * data that is not a Float64Array (UsageError: copy a plain array with Float64Array.from).
 */
export function matrix(rows: number, cols: number, data?: Float64Array): Matrix {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
    throw new ShapeError(`invalid shape ${rows}×${cols}`);
  }
  if (data !== undefined && !isFloat64Array(data)) {
    throw new UsageError(
      `matrix: data must be a Float64Array, got ${describeValue(data)} (use Float64Array.from(values))`,
    );
  }
  const values = data ?? new Float64Array(rows * cols);
  if (values.length !== rows * cols) {
    throw new ShapeError(`shape ${rows}×${cols} needs ${rows * cols} values, got ${values.length}`);
  }
  return { rows, cols, data: values };
}

/** A rows×cols matrix of zeros. */
export function zeros(rows: number, cols: number): Matrix {
  return matrix(rows, cols);
}

/** A matrix filled with one value. */
export function filled(rows: number, cols: number, value: number): Matrix {
  return matrix(rows, cols, new Float64Array(rows * cols).fill(value));
}

/**
 * A matrix from nested arrays (all rows the same length). Refuses anything but an array of
 * arrays (UsageError) and rows of different lengths (ShapeError).
 */
export function fromRows(rows: readonly (readonly number[])[]): Matrix {
  if (!Array.isArray(rows) || !rows.every((row) => Array.isArray(row))) {
    throw new UsageError(
      `fromRows: rows must be an array of arrays of numbers, got ${describeValue(rows)}`,
    );
  }
  const cols = rows[0]?.length ?? 0;
  const data = new Float64Array(rows.length * cols);
  rows.forEach((row, i) => {
    if (row.length !== cols) {
      throw new ShapeError(`row ${i} has ${row.length} values, row 0 has ${cols}`);
    }
    data.set(row, i * cols);
  });
  return matrix(rows.length, cols, data);
}

/** A 1×n row vector (a bias). */
export function rowVector(values: ArrayLike<number>): Matrix {
  return matrix(1, values.length, Float64Array.from(values));
}

/** An n×1 column vector (labels, probabilities). */
export function columnVector(values: ArrayLike<number>): Matrix {
  return matrix(values.length, 1, Float64Array.from(values));
}

/** Nested arrays, one per row. Refuses an A that is not a Matrix {rows, cols, data} (UsageError, ShapeError). */
export function toRows(A: Matrix): number[][] {
  assertMatrix(A, "A", "toRows");
  const out: number[][] = [];
  for (let i = 0; i < A.rows; i++) {
    out.push(Array.from(A.data.subarray(i * A.cols, (i + 1) * A.cols)));
  }
  return out;
}

/** An independent copy. */
export function clone(A: Matrix): Matrix {
  return matrix(A.rows, A.cols, A.data.slice());
}

/** True when every entry is a finite number. */
export function allFinite(A: Matrix): boolean {
  for (const v of A.data) if (!Number.isFinite(v)) return false;
  return true;
}

/** Throws a ShapeError naming both shapes unless A and B have the same shape. */
export function assertSameShape(A: Matrix, B: Matrix, op: string): void {
  if (A.rows !== B.rows || A.cols !== B.cols) {
    throw new ShapeError(`${op}: shapes ${shapeOf(A)} and ${shapeOf(B)} differ`);
  }
}

/** True for a Float64Array of any realm (a worker's, an iframe's), unlike instanceof. */
function isFloat64Array(value: unknown): value is Float64Array {
  return (
    ArrayBuffer.isView(value) && Object.prototype.toString.call(value) === "[object Float64Array]"
  );
}

/** What a value is, for messages: "an array", "null", "a number (3)", "a Float32Array", … */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return "an array";
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  if (typeof value === "object") return "an object";
  if (typeof value === "number") return `a number (${value})`;
  if (typeof value === "string") {
    const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    return `the string ${JSON.stringify(shown)}`;
  }
  return `a ${typeof value}`;
}

/**
 * Throws unless A is a Matrix: a UsageError when it is another kind of value or its data is
 * not a Float64Array, a ShapeError when its shape is not two non-negative integers or its data
 * does not hold rows × cols values. `name` is the argument's name and `op` the function's,
 * for the message ("forward: X must be a Matrix …"). O(1).
 */
export function assertMatrix(A: unknown, name: string, op: string): asserts A is Matrix {
  if (typeof A !== "object" || A === null || Array.isArray(A)) {
    const hint = Array.isArray(A) ? " (fromRows makes one from nested arrays)" : "";
    throw new UsageError(
      `${op}: ${name} must be a Matrix {rows, cols, data}, got ${describeValue(A)}${hint}`,
    );
  }
  const { rows, cols, data } = A as Partial<Matrix>;
  if (!isFloat64Array(data)) {
    throw new UsageError(`${op}: ${name}.data must be a Float64Array, got ${describeValue(data)}`);
  }
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows! < 0 || cols! < 0) {
    throw new ShapeError(
      `${op}: ${name} has shape ${String(rows)}×${String(cols)}; rows and cols must be non-negative integers`,
    );
  }
  if (data.length !== rows! * cols!) {
    throw new ShapeError(
      `${op}: ${name} is ${rows}×${cols} but its data holds ${data.length} values (it needs ${rows! * cols!})`,
    );
  }
}

/**
 * The data arrays assertFinite has scanned and found finite. A training run is called again
 * and again on the same arrays (the CLI and the playground train in slices of ~100 ms, each a
 * call of train()), and scanning a 10 000×784 X costs ~9 ms, so each array is scanned once.
 * The trade-off: NaN or ±Infinity written into an array after it passed is not seen by later
 * checks until a loss or a gradient comes out non-finite: the Trainer and gradientCheck then
 * rescan (assertAllFinite) and name the cell rather than report a divergence or an overflow.
 * Weak: an array that is no longer used elsewhere is not kept alive by this set.
 */
const knownFinite = new WeakSet<Float64Array>();

/**
 * Throws a DataError naming the first entry of A that is NaN or ±Infinity, by row and column
 * counted from 0 as in A.data and toRows(A): "train: X row 2, column 1 is NaN". An array
 * that has passed once is not scanned again (see knownFinite). A must be a Matrix.
 */
export function assertFinite(A: Matrix, name: string, op: string): void {
  const data = A.data;
  if (knownFinite.has(data)) return;
  assertAllFinite(A, name, op);
  knownFinite.add(data);
}

/**
 * assertFinite without its memory: scans every entry, every call (for a check that must see
 * the values as they are now, as when a loss has come out non-finite).
 */
export function assertAllFinite(A: Matrix, name: string, op: string): void {
  const data = A.data;
  let check = 0; // stays 0 while every entry is finite (x − x is NaN for ±∞ and NaN)
  for (let k = 0; k < data.length; k++) check += data[k]! - data[k]!;
  if (check !== 0) {
    const k = data.findIndex((v) => !Number.isFinite(v));
    const [row, col] = [Math.floor(k / A.cols), k % A.cols];
    throw new DataError(`${op}: ${name} row ${row}, column ${col} is ${data[k]}`);
  }
}
