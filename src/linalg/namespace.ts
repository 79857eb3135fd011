/**
 * The `linalg` namespace of the package entry: the matrix type, its constructors and the
 * array kernels (`linalg.map`, `linalg.sub`, …), without the backends and argument checks.
 */
export {
  clone,
  columnVector,
  filled,
  fromRows,
  matrix,
  rowVector,
  shapeOf,
  toRows,
  zeros,
  type Matrix,
} from "./matrix.js";
export {
  addRow,
  colSums,
  gatherRows,
  hadamard,
  map,
  mapRows,
  matmul,
  matmulTransA,
  matmulTransB,
  maxAbs,
  norm,
  reduceRows,
  scale,
  sub,
  subScaled,
  sumAll,
  zipWith,
} from "./kernels.js";
