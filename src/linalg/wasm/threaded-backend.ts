/**
 * Data parallelism for the WebAssembly backend: the same kernels on a shared
 * WebAssembly.Memory, run by the main thread and by helper threads (helper-thread.ts) that
 * instantiate the same module on the same memory. Work goes out as one job per thread (a few
 * kernel calls on that thread's block) and is joined once, when every block is done.
 *
 * Bit-identical to one thread whatever the thread count: every output entry is computed by
 * exactly one thread, with the operations and order of kernels.wat (each product entry one
 * accumulator over p ascending); threads only decide which entries each computes, never how.
 *
 * What is split, and where the joins are (a training step = the two phases, 2 joins):
 *
 *   forward phase, by batch rows i (one job per thread: three calls)
 *     z1_i = X_i W1 + b1,  a1_i = f(z1_i),  z2_i = a1_i W2
 *     A row of z2 needs only the same row of a1, so nothing inside the phase waits.
 *   ── join. The head then makes δ2 on the main thread (sigmoid: kernels.wat's, through
 *     Backend.sigmoidHead; softmax: fused-heads.ts, JavaScript). This
 *     barrier is forced: the backward phase sums over every row of the batch.
 *   backward phase, by hidden units j, i.e. columns of δ1 (one job per thread: four calls)
 *     ∂W2_j = a1_jᵀ δ2,  da1_j = δ2 W2_jᵀ,  δ1_j = da1_j ⊙ f′(z1_j),  ∂b1_j = 1ᵀ δ1_j,
 *     ∂W1_{·j} = Xᵀ δ1_j
 *     Each sum over the batch (∂b1_j, every entry of ∂W1 and ∂W2) stays one accumulator in
 *     row order on one thread; a split by rows would add per-thread partial sums instead,
 *     another order and other bits.
 *   ── join.
 *   a single product (gemm, gemmTransA, gemmTransB: every other caller), by rows of C: batch
 *     rows for X W1 and δ2 W2ᵀ, feature rows of dW1 = Xᵀ δ1 (each thread a column block of X,
 *     kernel gemm_ta_ld); one join.
 * Left on the main thread: the head and ∂b2 = 1ᵀ δ2 (fused-heads.ts, fast-network.ts), the L2
 * term, the batch copy, the finiteness check and the update (train/steppers/fast*.ts), and the
 * activations without a WebAssembly kernel (sigmoid, custom ones), for which fast-network.ts
 * runs the products one by one, each split as a single product. Runs whose calls are all too
 * small to split (below PARALLEL_MIN_FLOPS) take the fused step (WasmBackend.step, one thread)
 * instead.
 *
 * How many threads a call uses: as many as the backend has, but no thread gets less than
 * `minFlopsPerThread` flops of the call (default MIN_FLOPS_PER_THREAD; products count 2mkn,
 * element-wise work is not counted), and no block is narrower than 4 rows or columns (the
 * kernels' tile).
 *
 * The memory is sized once per run (shared memories need a maximum; maximum = initial, so
 * `alloc` beyond the capacity throws instead of growing). Node only (worker_threads): where
 * helpers cannot start, createThreadedWasmBackendSync returns undefined or throws, and the
 * caller (fastest.ts) uses the single-threaded backend.
 */
import type { HiddenPhases, PhaseActivation } from "../backend.js";
import { PANEL_BYTES, WasmBackend, type KernelExports } from "./backend.js";
import {
  attachHelpers,
  helperThreadsAvailable,
  KERNEL,
  localJob,
  type HelperChannel,
  type Job,
  type JobKernels,
} from "./helper-thread.js";
import { sharedKernelsWasmBase64 } from "./kernels-shared.generated.js";
import { decodeBase64, wasmApi, type WasmModule } from "./webassembly.js";

/**
 * The least work (flops) a thread is given: a call of F flops uses at most F / this threads.
 * Measured on the 2-core machine of bench/notes.md with scripts/bench-threads.mjs on a quiet
 * machine (each call after a gap, so the helper has gone to sleep, as in training; and in
 * training runs of growing depth): two threads break even near 1 MFLOP per thread and gain
 * 1.38× to 1.44× from 2 MFLOP per thread, for single products, for phases and in training
 * alike. 2 MFLOP per thread keeps every split on the winning side. That one thread's share
 * must pay for its wake-up holds for more threads too, but past 2 it is reasoning, not
 * measurement (bench/notes.md, "Threads").
 */
export const MIN_FLOPS_PER_THREAD = 2_000_000;

/** The least flops of a call split across threads: two threads' least work. */
export const PARALLEL_MIN_FLOPS = 2 * MIN_FLOPS_PER_THREAD;

const PAGE_BYTES = 65536;
const MAX_PAGES = 32768;
/** Each block of rows or columns is a multiple of 4 (the kernels' tile) but the last. */
const GRAIN = 4;

export interface ThreadedWasmBackendOptions {
  /** float64 values the memory holds (fixed: a shared memory does not grow here). */
  readonly capacity: number;
  /** Threads computing a large product, the main thread included (≥ 2). */
  readonly threads: number;
  /** No thread gets fewer flops of a call than this (default MIN_FLOPS_PER_THREAD). */
  readonly minFlopsPerThread?: number;
  /**
   * false: no `phases`, so a training step splits its products one by one and runs the
   * element-wise passes on the main thread (the design before phases; kept for measuring).
   */
  readonly phases?: boolean;
}

/** Every export of the module a job can call (products, element-wise kernels). */
type SharedKernels = KernelExports & JobKernels;

/** What the backend has split and joined so far (tests and benchmarks read it). */
interface SplitStats {
  /** Single products split across threads. */
  products: number;
  /** Phases (forward or backward) split across threads. */
  phases: number;
  /** Waits for helpers: one per split product or phase. */
  joins: number;
}

/** WasmBackend whose large products and step phases are split across threads. */
export class ThreadedWasmBackend extends WasmBackend {
  override readonly name: string;
  /** The step's two phases, one join each (undefined with the option phases: false). */
  readonly phases: HiddenPhases | undefined;

  constructor(
    memory: ConstructorParameters<typeof WasmBackend>[0],
    kernels: ConstructorParameters<typeof WasmBackend>[1],
    readonly threads: number,
    private readonly team: Team,
    fusePhases: boolean,
    stepMaxFlops: number,
  ) {
    super(memory, kernels, stepMaxFlops, threads); // the fused step (one thread) only where nothing splits
    this.name = `wasm-simd ×${threads} threads`;
    this.phases = fusePhases
      ? new SplitPhases(team, (op, name, view, length) => {
          this.checkView(op, name, view, length);
          return view.byteOffset;
        })
      : undefined;
  }

  /** Single products split across threads so far (the others ran on the main thread alone). */
  get splitProducts(): number {
    return this.team.stats.products;
  }

  /** Phases split across threads so far. */
  get splitPhases(): number {
    return this.team.stats.phases;
  }

  /** Joins so far: waits for the helpers, one per split product or phase. */
  get joins(): number {
    return this.team.stats.joins;
  }
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
  // Each thread's panel scratch (PANEL_BYTES, kernels.wat "wide products") before the buffers.
  const pages = Math.max(1, Math.ceil((capacity * 8 + threads * PANEL_BYTES) / PAGE_BYTES));
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
  const perThread = options.minFlopsPerThread ?? MIN_FLOPS_PER_THREAD;
  const team = new Team(own, helpers, perThread);
  team.givePanels();
  const split = splitProducts(team);
  // Calls from two threads' least work on are split, so the fused step takes smaller ones only.
  return new ThreadedWasmBackend(
    memory,
    { ...own, ...split },
    threads,
    team,
    options.phases ?? true,
    2 * perThread,
  );
}

/** The main thread and its helpers: one job each, run together, joined once. */
class Team {
  readonly stats: SplitStats = { products: 0, phases: 0, joins: 0 };
  private readonly own: Job = localJob();

  constructor(
    readonly kernels: SharedKernels,
    private readonly helpers: HelperChannel[],
    private readonly minFlopsPerThread: number,
  ) {}

  /**
   * Blocks to cut `extent` rows (or columns) of a call of `flops` into: one per thread, at
   * most one per minFlopsPerThread flops and per GRAIN rows, at least one. Every helper is
   * attached or none (another backend has taken them: then this thread computes alone).
   */
  blocks(flops: number, extent: number): number {
    const threads = (this.helpers[0]?.attached ?? false) ? this.helpers.length + 1 : 1;
    const byWork = Math.floor(flops / this.minFlopsPerThread); // Infinity when the minimum is 0
    return Math.max(1, Math.min(threads, byWork, Math.floor(extent / GRAIN)));
  }

  /**
   * Tells helper t its panel scratch, the PANEL_BYTES from byte t·PANEL_BYTES (this thread's,
   * from 0, WasmBackend sets). Once, right after attaching: not a split, so not in the stats.
   */
  givePanels(): void {
    this.helpers.forEach((helper, i) => {
      helper.job.clear();
      helper.job.call(KERNEL.pack_at, (i + 1) * PANEL_BYTES, 0, 0, 0, 0);
      helper.post();
    });
    for (const helper of this.helpers) helper.wait(10_000);
  }

  /** Thread t's job (0: this thread's), emptied, to be filled before run(). */
  job(t: number): Job {
    const job = t === 0 ? this.own : (this.helpers[t - 1] as HelperChannel).job;
    job.clear();
    return job;
  }

  /** Starts jobs 1..blocks−1 on the helpers, runs job 0 here, then waits for them: one join. */
  run(blocks: number): void {
    for (let t = 1; t < blocks; t++) (this.helpers[t - 1] as HelperChannel).post();
    const start = performance.now();
    this.own.run(this.kernels);
    if (blocks < 2) return;
    // A helper's block is no larger than this thread's: give it far more than our own time.
    const timeout = Math.max(10_000, 50 * (performance.now() - start));
    for (let t = 1; t < blocks; t++) (this.helpers[t - 1] as HelperChannel).wait(timeout);
    this.stats.joins++;
  }
}

/**
 * Where block t of `blocks` starts in `extent` rows or columns cut in units of GRAIN (the
 * first extent mod (blocks·GRAIN) / GRAIN blocks one unit longer, the last block taking the
 * rest); t = blocks gives extent.
 */
function blockStart(t: number, blocks: number, extent: number): number {
  if (t >= blocks) return extent;
  const units = Math.floor(extent / GRAIN);
  const base = Math.floor(units / blocks);
  return GRAIN * (t * base + Math.min(t, units % blocks));
}

/**
 * gemm, gemm_ta, gemm_tb with WasmBackend's signature (sizes ≥ 1, byte offsets, already
 * checked by WasmBackend), split by rows of C. Allocates nothing per call.
 */
function splitProducts(team: Team) {
  const product = (
    kernel: number,
    m: number,
    k: number,
    n: number,
    a: number,
    b: number,
    c: number,
  ): void => {
    const blocks = team.blocks(2 * m * k * n, m);
    for (let t = 0; t < blocks; t++) {
      const r0 = blockStart(t, blocks, m);
      const rows = blockStart(t + 1, blocks, m) - r0;
      const job = team.job(t);
      const cBlock = c + 8 * r0 * n; // rows r0.. of C
      if (kernel === KERNEL.gemm_ta_ld) {
        job.call(kernel, rows, k, n, a + 8 * r0, b, cBlock, m); // columns r0.. of A (k×m)
      } else {
        job.call(kernel, rows, k, n, a + 8 * r0 * k, b, cBlock); // rows r0.. of A (m×k)
      }
    }
    team.run(blocks);
    if (blocks > 1) team.stats.products++;
  };
  return {
    gemm: (m: number, k: number, n: number, a: number, b: number, c: number): void =>
      product(KERNEL.gemm, m, k, n, a, b, c),
    gemm_ta: (m: number, k: number, n: number, a: number, b: number, c: number): void =>
      product(KERNEL.gemm_ta_ld, m, k, n, a, b, c),
    gemm_tb: (m: number, k: number, n: number, a: number, b: number, c: number): void =>
      product(KERNEL.gemm_tb, m, k, n, a, b, c),
  };
}

/** checkView of the backend: throws unless `view` is its memory's, with `length` values; its byteOffset. */
type ViewCheck = (op: string, name: string, view: Float64Array, length: number) => number;

/** The step's phases on a Team (see the header); offsets are bytes, sizes float64 values. */
class SplitPhases implements HiddenPhases {
  /** [start, end) bytes of each buffer of the call being checked (reused: no allocation). */
  private readonly spans = new Float64Array(2 * 14);

  constructor(
    private readonly team: Team,
    private readonly view: ViewCheck,
  ) {}

  forward(
    n: number,
    D: number,
    H: number,
    K: number,
    X: Float64Array,
    W1: Float64Array,
    b1: Float64Array,
    W2: Float64Array,
    z1: Float64Array,
    a1: Float64Array,
    z2: Float64Array,
    activation: PhaseActivation,
  ): boolean {
    const op = "phases.forward";
    if (!sizes(op, n, D, H, K)) return false;
    const x = this.span(op, 0, "X", X, n * D);
    const w1 = this.span(op, 1, "W1", W1, D * H);
    const b = this.span(op, 2, "b1", b1, H);
    const w2 = this.span(op, 3, "W2", W2, H * K);
    const z = this.span(op, 4, "z1", z1, n * H);
    const a = this.span(op, 5, "a1", a1, n * H);
    const z2b = this.span(op, 6, "z2", z2, n * K);
    this.apart(op, 7, 4, FORWARD_NAMES); // z1, a1, z2 are written
    const team = this.team;
    const blocks = team.blocks(2 * n * H * (D + K), n);
    for (let t = 0; t < blocks; t++) {
      const i0 = blockStart(t, blocks, n); // this thread's rows i0..i0+m−1 of the batch
      const m = blockStart(t + 1, blocks, n) - i0;
      const zi = z + 8 * i0 * H; // row i0 of z1
      const ai = a + 8 * i0 * H; // row i0 of a1
      const job = team.job(t);
      job.call(KERNEL.gemm, m, D, H, x + 8 * i0 * D, w1, zi); // m×H, z1_i = X_i W1
      if (activation.name === "relu") {
        job.call(KERNEL.bias_relu, m, H, zi, b, ai); // m×H, z1_i += b1, a1_i = max(z1_i, +0)
      } else if (activation.name === "leaky-relu") {
        job.call(KERNEL.bias_leaky, m, H, zi, b, ai, activation.slope); // a1_i = leaky(z1_i + b1)
      } else {
        job.call(KERNEL.tanh_forward, m, H, zi, b, ai); // m×H, z1_i += b1, a1_i = tanh(z1_i)
      }
      job.call(KERNEL.gemm, m, H, K, ai, w2, z2b + 8 * i0 * K); // m×K, z2_i = a1_i W2
    }
    team.run(blocks);
    if (blocks > 1) team.stats.phases++;
    return true;
  }

  backward(
    n: number,
    D: number,
    H: number,
    K: number,
    X: Float64Array,
    z1: Float64Array,
    a1: Float64Array,
    dz2: Float64Array,
    W2: Float64Array,
    dz1: Float64Array,
    dW1: Float64Array,
    db1: Float64Array,
    dW2: Float64Array,
    activation: PhaseActivation,
  ): boolean {
    const op = "phases.backward";
    if (!sizes(op, n, D, H, K)) return false;
    const x = this.span(op, 0, "X", X, n * D);
    const z = this.span(op, 1, "z1", z1, n * H);
    const a = this.span(op, 2, "a1", a1, n * H);
    const d2 = this.span(op, 3, "dz2", dz2, n * K);
    const w2 = this.span(op, 4, "W2", W2, H * K);
    const d1 = this.span(op, 5, "dz1", dz1, n * H);
    const g1 = this.span(op, 6, "dW1", dW1, D * H);
    const gb1 = this.span(op, 7, "db1", db1, H);
    const g2 = this.span(op, 8, "dW2", dW2, H * K);
    this.apart(op, 9, 5, BACKWARD_NAMES); // dz1, dW1, db1, dW2 are written
    const team = this.team;
    const blocks = team.blocks(2 * n * H * (D + 2 * K), H);
    const row = 8 * H; // bytes per row of z1, a1, δ1 and dW1
    for (let t = 0; t < blocks; t++) {
      const j0 = blockStart(t, blocks, H); // this thread's hidden units j0..j0+w−1
      const w = blockStart(t + 1, blocks, H) - j0;
      const j = 8 * j0; // byte offset of column j0 in a row of z1, a1, δ1, dW1
      const job = team.job(t);
      job.call(KERNEL.gemm_ta_ld, w, n, K, a + j, d2, g2 + j * K, H); // w×K, ∂W2_j = a1_jᵀ δ2
      // n×w, da1_j = δ2 W2_jᵀ (∂L/∂a1, chain rule through z2 = a1 W2), into δ1's columns
      job.call(KERNEL.product_ldc, n, K, w, d2, 8 * K, 8, w2 + j * K, 8, 8 * K, d1 + j, row);
      if (activation.name === "tanh") {
        job.call(KERNEL.tanh_backward_ld, n, w, H, d1 + j, z + j, gb1 + j); // δ1_j = da1_j ⊙ tanh′(z1_j), ∂b1_j = 1ᵀ δ1_j
      } else {
        const slope = activation.name === "relu" ? 0 : activation.slope;
        job.call(KERNEL.rect_mask_ld, n, w, H, d1 + j, z + j, gb1 + j, slope); // δ1_j = da1_j ⊙ f′(z1_j), ∂b1_j = 1ᵀ δ1_j
      }
      job.call(KERNEL.product_ldc, D, n, w, x, 8, 8 * D, d1 + j, row, 8, g1 + j, row); // D×w, ∂W1_{·j} = Xᵀ δ1_j
    }
    team.run(blocks);
    if (blocks > 1) team.stats.phases++;
    return true;
  }

  /** Checks buffer `index` of the call and records its byte span; its byte offset. */
  private span(op: string, index: number, name: string, view: Float64Array, length: number) {
    const offset = this.view(op, name, view, length);
    this.spans[2 * index] = offset;
    this.spans[2 * index + 1] = offset + 8 * length;
    return offset;
  }

  /** Throws unless each of the buffers from `firstWritten` on overlaps none of the `count`. */
  private apart(op: string, count: number, firstWritten: number, names: readonly string[]): void {
    const s = this.spans;
    for (let w = firstWritten; w < count; w++) {
      for (let o = 0; o < count; o++) {
        if (o === w) continue;
        const w0 = s[2 * w]!;
        const w1 = s[2 * w + 1]!;
        const o0 = s[2 * o]!;
        const o1 = s[2 * o + 1]!;
        if (w0 < o1 && o0 < w1 && w0 < w1 && o0 < o1) {
          throw new RangeError(`WasmBackend.${op}: ${names[w]} overlaps ${names[o]}`);
        }
      }
    }
  }
}

const FORWARD_NAMES = ["X", "W1", "b1", "W2", "z1", "a1", "z2"] as const;
const BACKWARD_NAMES = ["X", "z1", "a1", "dz2", "W2", "dz1", "dW1", "db1", "dW2"] as const;

/**
 * Checks a phase's sizes (non-negative integers); false when one is 0 (the kernels need
 * every inner size ≥ 1: the caller's step-by-step path handles empty sums).
 */
function sizes(op: string, n: number, D: number, H: number, K: number): boolean {
  const whole = (size: number) => Number.isInteger(size) && size >= 0;
  if (!(whole(n) && whole(D) && whole(H) && whole(K))) {
    throw new RangeError(
      `WasmBackend.${op}: sizes must be non-negative integers, got n ${n}, D ${D}, H ${H}, K ${K}`,
    );
  }
  return n > 0 && D > 0 && H > 0 && K > 0;
}
