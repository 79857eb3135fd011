/** The backend the training engine uses unless told otherwise. */
import type { Backend } from "./backend.js";
import { jsBackend } from "./js-backend.js";
import { createWasmBackendSync } from "./wasm/index.js";

/** WebAssembly memory's limit here: 32 768 pages of 64 KiB, in float64 values. */
const WASM_MAX_VALUES = (32768 * 65536) / 8;

/**
 * The fastest Backend for a run whose buffers total `values` float64s (plus 16-byte
 * alignment): WebAssembly SIMD128 with memory sized to hold them all, or the blocked
 * JavaScript backend where SIMD128 is missing or the buffers would not fit. Both give
 * bit-identical results.
 */
export function fastestBackend(values: number): Backend {
  if (!(values <= WASM_MAX_VALUES)) return jsBackend;
  return createWasmBackendSync({ capacity: values, fallback: () => jsBackend });
}
