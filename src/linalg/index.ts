export {
  allFinite,
  assertAllFinite,
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
export type {
  Backend,
  BoundStep,
  BoundUpdate,
  HiddenPhases,
  PhaseActivation,
  RectifierKernels,
  SigmoidHeadKernel,
  StepBuffers,
  StepKernels,
  StepParams,
  TanhKernels,
  UpdateBuffers,
} from "./backend.js";
export {
  UPDATE_FIRST_MOMENT_NOT_FINITE,
  UPDATE_PARAMS_NOT_FINITE,
  UPDATE_SECOND_MOMENT_NOT_FINITE,
} from "./backend.js";
export { jsBackend } from "./js-backend.js";
export {
  createWasmBackendSync,
  PARALLEL_MIN_FLOPS,
  stepKernelValues,
  ThreadedWasmBackend,
} from "./wasm/index.js";
export { backendThreads, fastestBackend, type ThreadsOption } from "./fastest.js";
