/** The backend the training engine uses unless told otherwise. */
import type { Backend } from "./backend.js";
import { jsBackend } from "./js-backend.js";
import {
  availableCores,
  createThreadedWasmBackendSync,
  createWasmBackendSync,
  PARALLEL_MIN_FLOPS,
} from "./wasm/index.js";

/** WebAssembly memory's limit here: 32 768 pages of 64 KiB, in float64 values. */
const WASM_MAX_VALUES = (32768 * 65536) / 8;

/** Threads for the matrix products: a count (1 = the main thread only) or "auto". */
export type ThreadsOption = number | "auto";

/** "auto" uses at most this many threads: the configuration measured (bench/notes.md). */
const AUTO_MAX_THREADS = 2;

/**
 * The threads a run uses: an explicit count as given; "auto" two (the main thread and one
 * helper) where the process has at least two cores and the run's largest product reaches
 * PARALLEL_MIN_FLOPS (smaller products lose more to synchronisation than they gain), else one.
 */
export function resolveThreads(option: ThreadsOption, largestProductFlops: number): number {
  if (option !== "auto") return option;
  const cores = Math.min(availableCores(), AUTO_MAX_THREADS);
  return cores >= 2 && largestProductFlops >= PARALLEL_MIN_FLOPS ? cores : 1;
}

/**
 * The threads fastestBackend(values, threads, largestProductFlops) computes on at most: 1
 * where it falls back to the JavaScript backend (the buffers would not fit WebAssembly).
 */
export function backendThreads(
  values: number,
  threads: ThreadsOption,
  largestProductFlops: number,
): number {
  return values <= WASM_MAX_VALUES ? resolveThreads(threads, largestProductFlops) : 1;
}

/**
 * The fastest Backend for a run whose buffers total `values` float64s (plus 16-byte
 * alignment): WebAssembly SIMD128 with memory sized to hold them all, or the blocked
 * JavaScript backend where SIMD128 is missing, the buffers would not fit or the module cannot
 * be compiled synchronously (a browser page's main thread). All give
 * bit-identical results.
 *
 * With `threads` ≥ 2, the WebAssembly backend on shared memory splits large products across
 * that many threads (wasm/threaded-backend.ts) where helper threads exist (Node); elsewhere
 * (browsers) it is the single-threaded backend. If helpers exist but fail to start, an
 * explicit count throws a clear Error and "auto" falls back to one thread.
 */
export function fastestBackend(
  values: number,
  threads: ThreadsOption = 1,
  largestProductFlops = Infinity,
): Backend {
  if (!(values <= WASM_MAX_VALUES)) return jsBackend;
  const count = resolveThreads(threads, largestProductFlops);
  if (count >= 2) {
    try {
      const threaded = createThreadedWasmBackendSync({ capacity: values, threads: count });
      if (threaded) return threaded;
    } catch (error) {
      if (threads !== "auto") throw error;
    }
  }
  try {
    return createWasmBackendSync({ capacity: values, fallback: () => jsBackend });
  } catch {
    // A browser page's main thread refuses to compile a module over 4 KiB synchronously
    // (wasm/backend.ts); the JavaScript backend gives the same bits there.
    return jsBackend;
  }
}
