export {
  allFinite,
  assertFinite,
  assertMatrix,
  assertSameShape,
  clone,
  columnVector,
  describeValue,
  filled,
  fromRows,
  matrix,
  type Matrix,
  rowVector,
  shapeOf,
  toRows,
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
export type { Backend, RectifierKernels, TanhKernels } from "./backend.js";
export { JsBackend, jsBackend } from "./js-backend.js";
export {
  createWasmBackendSync,
  PARALLEL_MIN_FLOPS,
  ThreadedWasmBackend,
  WasmBackend,
  wasmSimdSupported,
} from "./wasm/index.js";
export { backendThreads, fastestBackend, resolveThreads, type ThreadsOption } from "./fastest.js";
