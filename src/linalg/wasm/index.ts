export {
  createWasmBackend,
  createWasmBackendSync,
  kernelBytes,
  wasmSimdSupported,
  WasmBackend,
  type WasmBackendOptions,
} from "./backend.js";
export { PlainBackend } from "./plain-backend.js";
