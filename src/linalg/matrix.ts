/**
 * The Float64 matrix type and its constructors: row-major storage, entry (i, j) at
 * data[i * cols + j]. A vector is a matrix with one row (a bias) or one column (y, p).
 */
import { ShapeError } from "../errors.js";

export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

/** "N×D", the way every shape error names a shape. */
export function shapeOf(A: Matrix): string {
  return `${A.rows}×${A.cols}`;
}

/** A rows×cols matrix over `data` (not copied), or zeros when no data is given. */
export function matrix(rows: number, cols: number, data?: Float64Array): Matrix {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
    throw new ShapeError(`invalid shape ${rows}×${cols}`);
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

/** A matrix from nested arrays (all rows the same length). */
export function fromRows(rows: readonly (readonly number[])[]): Matrix {
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

/** Nested arrays, one per row. */
export function toRows(A: Matrix): number[][] {
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
