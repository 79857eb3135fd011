/**
 * The array kernels the network needs. These are the only loops over examples in the
 * library; forward and backward are written as calls to them. Every kernel is pure: it
 * returns a new matrix and leaves its arguments unchanged. The products, addRow and colSums
 * (exported by the package entry) refuse an argument that is not a Matrix (assertMatrix:
 * UsageError, or ShapeError when its data does not hold rows × cols values) besides shapes
 * that do not fit (ShapeError).
 */
import { ShapeError } from "../errors.js";
import { assertMatrix, assertSameShape, matrix, shapeOf, type Matrix } from "./matrix.js";

/** C = A B, with A m×k and B k×n; C is m×n. */
export function matmul(A: Matrix, B: Matrix): Matrix {
  assertMatrix(A, "A", "matmul");
  assertMatrix(B, "B", "matmul");
  if (A.cols !== B.rows) {
    throw new ShapeError(`matmul: A is ${shapeOf(A)} but B is ${shapeOf(B)} (inner sizes differ)`);
  }
  const m = A.rows;
  const k = A.cols;
  const n = B.cols;
  const a = A.data;
  const b = B.data;
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const aip = a[i * k + p]!;
      const bRow = p * n;
      const cRow = i * n;
      for (let j = 0; j < n; j++) c[cRow + j]! += aip * b[bRow + j]!;
    }
  }
  return matrix(m, n, c);
}

/** C = Aᵀ B, with A k×m and B k×n; C is m×n (e.g. dW1 = Xᵀ δ1). */
export function matmulTransA(A: Matrix, B: Matrix): Matrix {
  assertMatrix(A, "A", "matmulTransA");
  assertMatrix(B, "B", "matmulTransA");
  if (A.rows !== B.rows) {
    throw new ShapeError(
      `matmulTransA: Aᵀ is ${A.cols}×${A.rows} (A is ${shapeOf(A)}) but B is ${shapeOf(B)}`,
    );
  }
  const k = A.rows;
  const m = A.cols;
  const n = B.cols;
  const a = A.data;
  const b = B.data;
  const c = new Float64Array(m * n);
  for (let p = 0; p < k; p++) {
    for (let i = 0; i < m; i++) {
      const api = a[p * m + i]!;
      const bRow = p * n;
      const cRow = i * n;
      for (let j = 0; j < n; j++) c[cRow + j]! += api * b[bRow + j]!;
    }
  }
  return matrix(m, n, c);
}

/** C = A Bᵀ, with A m×k and B n×k; C is m×n (e.g. δ2 W2ᵀ). */
export function matmulTransB(A: Matrix, B: Matrix): Matrix {
  assertMatrix(A, "A", "matmulTransB");
  assertMatrix(B, "B", "matmulTransB");
  if (A.cols !== B.cols) {
    throw new ShapeError(
      `matmulTransB: A is ${shapeOf(A)} but Bᵀ is ${B.cols}×${B.rows} (B is ${shapeOf(B)})`,
    );
  }
  const m = A.rows;
  const k = A.cols;
  const n = B.rows;
  const a = A.data;
  const b = B.data;
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i * k + p]! * b[j * k + p]!;
      c[i * n + j] = s;
    }
  }
  return matrix(m, n, c);
}

/** A + 1 r: adds the 1×n row vector r to every row of the m×n matrix A (bias broadcast). */
export function addRow(A: Matrix, r: Matrix): Matrix {
  assertMatrix(A, "A", "addRow");
  assertMatrix(r, "the row vector", "addRow");
  if (r.rows !== 1 || r.cols !== A.cols) {
    throw new ShapeError(
      `addRow: A is ${shapeOf(A)} but the row vector is ${shapeOf(r)} (want 1×${A.cols})`,
    );
  }
  const out = new Float64Array(A.data.length);
  const n = A.cols;
  for (let i = 0; i < A.rows; i++) {
    for (let j = 0; j < n; j++) out[i * n + j] = A.data[i * n + j]! + r.data[j]!;
  }
  return matrix(A.rows, n, out);
}

/** 1ᵀ A: the 1×n row of column sums of the m×n matrix A (e.g. db1 = Σ_rows δ1). */
export function colSums(A: Matrix): Matrix {
  assertMatrix(A, "A", "colSums");
  const out = new Float64Array(A.cols);
  for (let i = 0; i < A.rows; i++) {
    for (let j = 0; j < A.cols; j++) out[j]! += A.data[i * A.cols + j]!;
  }
  return matrix(1, A.cols, out);
}

/** f applied to every entry. */
export function map(A: Matrix, f: (x: number) => number): Matrix {
  const out = new Float64Array(A.data.length);
  for (let i = 0; i < out.length; i++) out[i] = f(A.data[i]!);
  return matrix(A.rows, A.cols, out);
}

/**
 * The m×1 column whose entry i is f(row i of A, i): a per-example reduction such as a
 * softmax loss. f receives a read-only view of the row and must not change it.
 */
export function reduceRows(A: Matrix, f: (row: Float64Array, i: number) => number): Matrix {
  const out = new Float64Array(A.rows);
  for (let i = 0; i < A.rows; i++) out[i] = f(A.data.subarray(i * A.cols, (i + 1) * A.cols), i);
  return matrix(A.rows, 1, out);
}

/**
 * The m×n matrix whose row i is f(row i of A, i), n values: a per-example map such as the
 * softmax of a row of logits. f receives a read-only view of the row and must not change it.
 */
export function mapRows(A: Matrix, f: (row: Float64Array, i: number) => ArrayLike<number>): Matrix {
  const n = A.cols;
  const out = new Float64Array(A.data.length);
  for (let i = 0; i < A.rows; i++) {
    const values = f(A.data.subarray(i * n, (i + 1) * n), i);
    if (values.length !== n) {
      throw new ShapeError(`mapRows: row ${i} maps to ${values.length} values, want ${n}`);
    }
    out.set(values, i * n);
  }
  return matrix(A.rows, n, out);
}

/** f applied entry by entry to two matrices of the same shape. */
export function zipWith(
  A: Matrix,
  B: Matrix,
  f: (a: number, b: number) => number,
  op = "zipWith",
): Matrix {
  assertSameShape(A, B, op);
  const out = new Float64Array(A.data.length);
  for (let i = 0; i < out.length; i++) out[i] = f(A.data[i]!, B.data[i]!);
  return matrix(A.rows, A.cols, out);
}

/** A − B, entry by entry. */
export function sub(A: Matrix, B: Matrix): Matrix {
  return zipWith(A, B, (a, b) => a - b, "sub");
}

/** A ⊙ B, the entry-by-entry (Hadamard) product. */
export function hadamard(A: Matrix, B: Matrix): Matrix {
  return zipWith(A, B, (a, b) => a * b, "hadamard");
}

/** s A. */
export function scale(A: Matrix, s: number): Matrix {
  return map(A, (a) => s * a);
}

/** A − s B: the gradient-descent update θ − η g. */
export function subScaled(A: Matrix, s: number, B: Matrix): Matrix {
  return zipWith(A, B, (a, b) => a - s * b, "subScaled");
}

/** The rows of A at the given indices, in that order (a mini-batch). */
export function gatherRows(A: Matrix, indices: ArrayLike<number>): Matrix {
  const n = A.cols;
  const out = new Float64Array(indices.length * n);
  for (let r = 0; r < indices.length; r++) {
    const i = indices[r]!;
    if (!Number.isInteger(i) || i < 0 || i >= A.rows) {
      throw new ShapeError(`gatherRows: index ${i} is outside 0..${A.rows - 1}`);
    }
    out.set(A.data.subarray(i * n, (i + 1) * n), r * n);
  }
  return matrix(indices.length, n, out);
}

/**
 * Σ of all entries with Neumaier's compensated summation: the rounding error of the sum
 * is bounded by about 2 ulp independent of the count, which the exact loss needs.
 */
export function sumAll(A: Matrix): number {
  let sum = 0;
  let compensation = 0;
  for (const x of A.data) {
    const t = sum + x;
    compensation += Math.abs(sum) >= Math.abs(x) ? sum - t + x : x - t + sum;
    sum = t;
  }
  return sum + compensation;
}

/** ‖A‖₂ over all entries (Frobenius norm), scaled by max |a_ij| to avoid overflow and underflow. */
export function norm(A: Matrix): number {
  const largest = maxAbs(A);
  if (largest === 0 || !Number.isFinite(largest)) return largest;
  let s = 0;
  for (const x of A.data) {
    const q = x / largest;
    s += q * q; // not q ** 2: ECMAScript leaves ** to each engine, a product is IEEE-exact
  }
  return largest * Math.sqrt(s);
}

/** max |a_ij| over all entries (0 for an empty matrix; NaN if any entry is NaN). */
export function maxAbs(A: Matrix): number {
  let largest = 0;
  for (const x of A.data) {
    if (Number.isNaN(x)) return NaN;
    largest = Math.max(largest, Math.abs(x));
  }
  return largest;
}
