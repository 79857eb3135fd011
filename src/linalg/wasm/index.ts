export {
  createWasmBackend,
  createWasmBackendSync,
  kernelBytes,
  wasmSimdSupported,
  WasmBackend,
  type WasmBackendOptions,
} from "./backend.js";
export { PlainBackend } from "./plain-backend.js";
export {
  createThreadedWasmBackendSync,
  MIN_FLOPS_PER_THREAD,
  PARALLEL_MIN_FLOPS,
  ThreadedWasmBackend,
  threadsSupported,
  type ThreadedWasmBackendOptions,
} from "./threaded-backend.js";
export { availableCores } from "./helper-thread.js";
export { stepKernelValues } from "./step-kernels.js";
