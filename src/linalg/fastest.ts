/** The backend the training engine uses unless told otherwise. */
import type { Backend } from "./backend.js";
import { jsBackend } from "./js-backend.js";
import {
  availableCores,
  createThreadedWasmBackendSync,
  createWasmBackendSync,
  MIN_FLOPS_PER_THREAD,
} from "./wasm/index.js";

/** WebAssembly memory's limit here: 32 768 pages of 64 KiB, in float64 values. */
const WASM_MAX_VALUES = (32768 * 65536) / 8;

/** Threads for the matrix products: a count (1 = the main thread only) or "auto". */
export type ThreadsOption = number | "auto";

/**
 * The threads a run uses: at most the count asked for ("auto": one per core the process may
 * use, os.availableParallelism), and no more than give each thread MIN_FLOPS_PER_THREAD of the
 * run's largest split call (`largestCallFlops`: a step's phase), the least work the threaded
 * backend ever gives a thread. So a run whose calls are too small to gain from a split keeps
 * one thread whatever was asked, and reports one: it would not use the others.
 */
export function resolveThreads(option: ThreadsOption, largestCallFlops: number): number {
  const byWork = Math.floor(largestCallFlops / MIN_FLOPS_PER_THREAD);
  return Math.max(1, Math.min(option === "auto" ? availableCores() : option, byWork));
}

/**
 * The threads fastestBackend(values, threads, largestCallFlops) computes on at most: 1
 * where it falls back to the JavaScript backend (the buffers would not fit WebAssembly).
 */
export function backendThreads(
  values: number,
  threads: ThreadsOption,
  largestCallFlops: number,
): number {
  return values <= WASM_MAX_VALUES ? resolveThreads(threads, largestCallFlops) : 1;
}

/**
 * The fastest Backend for a run whose buffers total `values` float64s (plus 16-byte
 * alignment): WebAssembly SIMD128 with memory sized to hold them all, or the blocked
 * JavaScript backend where SIMD128 is missing, the buffers would not fit or the module cannot
 * be compiled synchronously (a browser page's main thread). All give
 * bit-identical results.
 *
 * With `threads` ≥ 2, the WebAssembly backend on shared memory splits a step's phases and
 * large products across that many threads (wasm/threaded-backend.ts) where helper threads exist (Node); elsewhere
 * (browsers) it is the single-threaded backend. If helpers exist but fail to start, an
 * explicit count throws a clear Error and "auto" falls back to one thread.
 */
export function fastestBackend(
  values: number,
  threads: ThreadsOption = 1,
  largestCallFlops = Infinity,
): Backend {
  if (!(values <= WASM_MAX_VALUES)) return jsBackend;
  const count = resolveThreads(threads, largestCallFlops);
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
