/**
 * Data parallelism for the WebAssembly backend: the same kernels on a shared
 * WebAssembly.Memory, with large products split by rows of C between the main thread and
 * helper threads (helper-thread.ts) that run the same module on the same memory.
 *
 *   C = A B   (z1 = X W1, n×H)      rows of C are rows of the batch: each thread takes a
 *   C = A Bᵀ  (δ2 W2ᵀ, n×H)         block of examples (data parallelism)
 *   C = Aᵀ B  (dW1 = Xᵀ δ1, D×H)    rows of C are features, not examples: splitting the
 *                                   batch would split each entry's sum over p, so C's rows
 *                                   are split instead (each thread reads a column block of
 *                                   X, kernel gemm_ta_ld)
 *
 * Bit-identical to kernels.ts, whatever the split: every entry c_ij is computed by exactly one
 * thread, with its one accumulator over p = 0..k−1 in order (kernels.wat's contract); threads
 * only decide which entries each computes, never how.
 *
 * Only products of at least `minFlops` (2mkn) go parallel: below that, waking a helper and
 * waiting for it costs more than half the product saves. PARALLEL_MIN_FLOPS is set from
 * scripts/bench-threads.mjs (bench/notes.md, "Threads").
 *
 * The memory is sized once per run (shared memories need a maximum; maximum = initial, so
 * `alloc` beyond the capacity throws instead of growing). Node only (worker_threads): where
 * helpers cannot start, createThreadedWasmBackendSync returns undefined or throws, and the
 * caller (fastest.ts) uses the single-threaded backend.
 */
import { WasmBackend, type KernelExports } from "./backend.js";
import {
  attachHelpers,
  helperThreadsAvailable,
  OP_GEMM,
  OP_GEMM_TA_LD,
  OP_GEMM_TB,
  type HelperChannel,
} from "./helper-thread.js";
import { sharedKernelsWasmBase64 } from "./kernels-shared.generated.js";
import { decodeBase64, wasmApi, type WasmModule } from "./webassembly.js";

/**
 * Products of fewer flops (2mkn) than this stay on one thread. Measured on the 2-core machine
 * of bench/notes.md with scripts/bench-threads.mjs (the helper asleep before each product, as
 * in training): a split costs about 100 µs of waking and waiting, so it breaks even near
 * 4 MFLOP (≈ 190 µs on one core) and gains about 1.3× at 8 MFLOP and 1.85× at the wide
 * workload's 51 MFLOP; 6 MFLOP keeps every split product on the winning side.
 */
export const PARALLEL_MIN_FLOPS = 6_000_000;

const PAGE_BYTES = 65536;
const MAX_PAGES = 32768;
/** Each thread's block of rows is a multiple of 4, the kernels' tile height. */
const ROW_GRAIN = 4;

export interface ThreadedWasmBackendOptions {
  /** float64 values the memory holds (fixed: a shared memory does not grow here). */
  readonly capacity: number;
  /** Threads computing a large product, the main thread included (≥ 2). */
  readonly threads: number;
  /** Products of fewer flops stay on the main thread (default PARALLEL_MIN_FLOPS). */
  readonly minFlops?: number;
}

/** Every export of the module (products, element-wise kernels) plus the strided gemm_ta. */
interface SharedKernels extends KernelExports {
  gemm_ta_ld: (
    m: number,
    k: number,
    n: number,
    a: number,
    b: number,
    c: number,
    lda: number,
  ) => void;
}

/** WasmBackend whose large products are split across threads; `name` says how many. */
export class ThreadedWasmBackend extends WasmBackend {
  override readonly name: string;

  constructor(
    memory: ConstructorParameters<typeof WasmBackend>[0],
    kernels: ConstructorParameters<typeof WasmBackend>[1],
    readonly threads: number,
    private readonly stats: SplitStats,
    minFlops: number,
  ) {
    super(memory, kernels, minFlops); // the fused step (one thread) only where nothing splits
    this.name = `wasm-simd ×${threads} threads`;
  }

  /** Products split across threads so far (the others ran on the main thread alone). */
  get splitProducts(): number {
    return this.stats.split;
  }
}

interface SplitStats {
  split: number;
}

let sharedModule: WasmModule | null | undefined;

/** The shared-memory kernels, compiled once (null where SIMD or threads do not validate). */
function sharedKernelModule(): WasmModule | null {
  if (sharedModule === undefined) {
    const api = wasmApi();
    const bytes = decodeBase64(sharedKernelsWasmBase64);
    sharedModule = api !== undefined && api.validate(bytes) ? new api.Module(bytes) : null;
  }
  return sharedModule;
}

/** Whether this host can run the threaded backend (Node worker_threads, SIMD, shared memory). */
export function threadsSupported(): boolean {
  return helperThreadsAvailable() && sharedKernelModule() !== null;
}

/**
 * The threaded backend, or undefined where threads are unsupported here (browsers, old Node).
 * Throws a clear Error when helper threads are supported but fail to start.
 */
export function createThreadedWasmBackendSync(
  options: ThreadedWasmBackendOptions,
): ThreadedWasmBackend | undefined {
  const { capacity, threads } = options;
  if (!Number.isInteger(threads) || threads < 2) {
    throw new RangeError(`ThreadedWasmBackend: threads must be an integer ≥ 2, got ${threads}`);
  }
  const pages = Math.max(1, Math.ceil((capacity * 8) / PAGE_BYTES));
  if (!Number.isInteger(capacity) || capacity < 0 || pages > MAX_PAGES) {
    throw new RangeError(
      `ThreadedWasmBackend: capacity must be an integer from 0 to ${(MAX_PAGES * PAGE_BYTES) / 8} values, got ${capacity}`,
    );
  }
  const api = wasmApi();
  const module = sharedKernelModule();
  if (api === undefined || module === null || !helperThreadsAvailable()) return undefined;
  const memory = new api.Memory({ initial: pages, maximum: pages, shared: true });
  const own = new api.Instance(module, { env: { memory } }).exports as unknown as SharedKernels;
  const helpers = attachHelpers(threads - 1, module, memory);
  const stats: SplitStats = { split: 0 };
  const minFlops = options.minFlops ?? PARALLEL_MIN_FLOPS;
  const split = splitProducts(own, helpers, minFlops, stats);
  return new ThreadedWasmBackend(memory, { ...own, ...split }, threads, stats, minFlops);
}

/**
 * gemm, gemm_ta, gemm_tb with WasmBackend's signature (sizes, byte offsets, already checked by
 * WasmBackend), splitting C's m rows into blocks of a multiple of 4 rows: block 0 on this
 * thread, block t on helper t−1. Allocates nothing per call.
 */
function splitProducts(
  own: SharedKernels,
  helpers: HelperChannel[],
  minFlops: number,
  stats: SplitStats,
) {
  /**
   * Rows [r0, r1) of C for kernel `op`, here (helper undefined) or posted to a helper:
   *   gemm, gemm_tb: rows [r0, r1) of A (m×k) → rows [r0, r1) of C
   *   gemm_ta:       columns [r0, r1) of A (k×m, leading dimension m) → rows [r0, r1) of C
   */
  const part = (
    op: number,
    helper: HelperChannel | undefined,
    m: number,
    k: number,
    n: number,
    a: number,
    b: number,
    c: number,
    r0: number,
    r1: number,
  ): void => {
    const rows = r1 - r0;
    const cBlock = c + 8 * r0 * n;
    if (op === OP_GEMM_TA_LD) {
      if (helper) helper.post(op, rows, k, n, a + 8 * r0, b, cBlock, m);
      else own.gemm_ta_ld(rows, k, n, a + 8 * r0, b, cBlock, m);
      return;
    }
    const aBlock = a + 8 * r0 * k;
    if (helper) helper.post(op, rows, k, n, aBlock, b, cBlock);
    else if (op === OP_GEMM) own.gemm(rows, k, n, aBlock, b, cBlock);
    else own.gemm_tb(rows, k, n, aBlock, b, cBlock);
  };
  const product = (
    op: number,
    m: number,
    k: number,
    n: number,
    a: number,
    b: number,
    c: number,
  ): void => {
    const blocks = Math.min(helpers.length + 1, Math.floor(m / ROW_GRAIN));
    if (blocks < 2 || 2 * m * k * n < minFlops || !(helpers[0] as HelperChannel).attached) {
      part(op, undefined, m, k, n, a, b, c, 0, m);
      return;
    }
    stats.split++;
    const rows = Math.ceil(m / blocks / ROW_GRAIN) * ROW_GRAIN;
    let posted = 0;
    for (; posted + 1 < blocks && (posted + 1) * rows < m; posted++) {
      const r0 = (posted + 1) * rows;
      part(op, helpers[posted], m, k, n, a, b, c, r0, Math.min(m, r0 + rows));
    }
    const start = performance.now();
    part(op, undefined, m, k, n, a, b, c, 0, rows);
    // A helper's block is no larger than this thread's: give it far more than our own time.
    const timeout = Math.max(10_000, 50 * (performance.now() - start));
    for (let t = 0; t < posted; t++) (helpers[t] as HelperChannel).wait(timeout);
  };
  return {
    gemm: (m: number, k: number, n: number, a: number, b: number, c: number): void =>
      product(OP_GEMM, m, k, n, a, b, c),
    gemm_ta: (m: number, k: number, n: number, a: number, b: number, c: number): void =>
      product(OP_GEMM_TA_LD, m, k, n, a, b, c),
    gemm_tb: (m: number, k: number, n: number, a: number, b: number, c: number): void =>
      product(OP_GEMM_TB, m, k, n, a, b, c),
  };
}
