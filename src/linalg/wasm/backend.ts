/**
 * A Backend whose matrix products run in hand-written WebAssembly SIMD128 kernels
 * (kernels.wat, embedded as kernels.generated.ts, so Node and browser bundles load it without
 * fetch or file paths). Results are bit-identical to kernels.ts: same summation order, see the
 * header of kernels.wat. It also has the optional tanh-activation kernels of the Backend
 * interface (biasTanh, tanhDerivativeMask), bit-identical to numerics/tanh.ts.
 *
 * Memory rule. Every buffer is a Float64Array view of one WebAssembly.Memory, bump-allocated
 * at a 16-byte boundary. Growing a WebAssembly.Memory detaches every view of it, so the memory
 * grows only while no buffer is live (after creation or `reset()`): `alloc` grows it then, and
 * `reserve(total)` grows it ahead for a set of buffers to come. An `alloc` that does not fit
 * while buffers are live throws a RangeError naming the capacity to ask for, instead of
 * silently detaching them. The initial capacity (option `capacity`, default 4 Mi values =
 * 32 MiB) costs address space only: the OS commits pages as they are touched. Below the
 * buffers, the first PANEL_BYTES of the memory per thread are the products' scratch (kernels.wat,
 * "wide products": each thread's packed column panel); `capacity` and `used` leave it out.
 *
 * Loading. `createWasmBackendSync` compiles synchronously; `createWasmBackend` compiles
 * asynchronously. The module (products, rectifier and tanh kernels, each kernel written out
 * inline, see kernels.wat) is past the 4 KiB that browsers allow for synchronous compilation
 * on a page's main thread (workers and Node have no limit), so there `createWasmBackendSync`
 * throws and main-thread code must use `createWasmBackend` (`fastestBackend` falls back to
 * the JavaScript backend instead). Both check SIMD support
 * with WebAssembly.validate on the bytes and otherwise return the fallback backend, whose
 * `name` says which path is in use ("wasm-simd" or the fallback's, "js-plain" by default).
 */
import type {
  Backend,
  RectifierKernels,
  SigmoidHeadKernel,
  StepKernels,
  TanhKernels,
} from "../backend.js";
import { kernelsWasmBase64 } from "./kernels.generated.js";
import { PlainBackend } from "./plain-backend.js";
import { wasmRectifiers, type RectifierExports } from "./rectifiers.js";
import { wasmStepKernels, type StepExports } from "./step-kernels.js";
import {
  decodeBase64,
  wasmApi,
  type WasmInstance,
  type WasmMemory,
  type WasmApi,
  type WasmModule,
} from "./webassembly.js";

export interface WasmBackendOptions {
  /** float64 values the memory holds before it has to grow (default 4 Mi). */
  readonly capacity?: number;
  /** The backend to return where WebAssembly SIMD is unavailable (default PlainBackend). */
  readonly fallback?: () => Backend;
}

type Product = (m: number, k: number, n: number, a: number, b: number, c: number) => void;

export interface KernelExports extends RectifierExports, StepExports {
  gemm: Product;
  gemm_ta: Product;
  gemm_tb: Product;
  /** tanh activation (n h z b a) and its backward pass (n h d z db): see kernels.wat. */
  tanh_forward: ElementWise;
  tanh_backward: ElementWise;
  /** The sigmoid head (n z2 b2 y losses dz2 inverseN) → correct rows: see kernels.wat. */
  sigmoid_output: (
    n: number,
    z2: number,
    b2: number,
    y: number,
    losses: number,
    dz2: number,
    inverseN: number,
  ) => number;
  /** This instance's PANEL_BYTES of scratch for packed panels from byte `at` (−1: none). */
  pack_at: (at: number) => void;
}

/** Scratch bytes of one thread's packed column panel (kernels.wat, "wide products"). */
export const PANEL_BYTES = 8192;

type ElementWise = (n: number, h: number, p0: number, p1: number, p2: number) => void;

const PAGE_BYTES = 65536;
/** 2 GiB: keeps every byte offset below 2³¹ (the kernels do unsigned i32 address arithmetic). */
const MAX_PAGES = 32768;
const DEFAULT_CAPACITY = 4 * 1024 * 1024;

let cachedBytes: Uint8Array | undefined;

/** The assembled kernels module. */
export function kernelBytes(): Uint8Array {
  cachedBytes ??= decodeBase64(kernelsWasmBase64);
  return cachedBytes;
}

/** Whether this host can run the kernels (WebAssembly with SIMD128). */
export function wasmSimdSupported(): boolean {
  const api = wasmApi();
  return api !== undefined && api.validate(kernelBytes());
}

function pagesFor(values: number): number {
  return Math.ceil((values * 8) / PAGE_BYTES);
}

function checkCapacity(capacity: number): void {
  if (!Number.isInteger(capacity) || capacity < 0 || pagesFor(capacity) > MAX_PAGES) {
    throw new RangeError(
      `WasmBackend: capacity must be an integer from 0 to ${(MAX_PAGES * PAGE_BYTES) / 8} values, got ${capacity}`,
    );
  }
}

/** A memory for `capacity` float64 values after one thread's panel scratch. */
function memoryFor(capacity: number): WasmMemory {
  checkCapacity(capacity);
  const api = wasmApi();
  if (api === undefined) throw new Error("WasmBackend: this host has no WebAssembly");
  const pages = Math.min(MAX_PAGES, pagesFor(capacity + PANEL_BYTES / 8));
  return new api.Memory({ initial: Math.max(1, pages), maximum: MAX_PAGES });
}

function kernelsOf(instance: WasmInstance): KernelExports {
  return instance.exports as unknown as KernelExports;
}

export class WasmBackend implements Backend {
  readonly name: string = "wasm-simd"; // ThreadedWasmBackend names its thread count
  /** Byte offset of the first buffer: below it, each thread's panel scratch. */
  private readonly base: number;
  /** Byte offset of the next buffer. */
  private top: number;
  /** Buffers handed out since creation or the last reset. */
  private live = 0;
  /** memory.buffer, cached: the products check every view against it. */
  private buffer: ArrayBuffer;
  /** relu and leaky relu's element-wise passes in WebAssembly (rectifiers.ts). */
  readonly rectifiers: RectifierKernels;
  /** tanh's element-wise passes in WebAssembly: this backend's biasTanh, tanhDerivativeMask. */
  readonly tanh: TanhKernels = this;
  /** The fused small-shape step (step-kernels.ts), allocating in this backend's memory. */
  readonly step: StepKernels;
  /** The sigmoid head in WebAssembly: this backend's sigmoidOutput. */
  readonly sigmoidHead: SigmoidHeadKernel = this;

  /**
   * Use createWasmBackend / createWasmBackendSync, which check support first. `stepMaxFlops`:
   * the fused step is bound only for runs whose products are all smaller (ThreadedWasmBackend:
   * the products it splits across threads). `panels`: the threads' panel scratch at the start
   * of the memory (PANEL_BYTES each; this thread's is the first); the memory must hold them
   * (memoryFor).
   */
  constructor(
    private readonly memory: WasmMemory,
    private readonly kernels: KernelExports,
    stepMaxFlops = Infinity,
    panels = 1,
  ) {
    this.base = panels * PANEL_BYTES;
    this.top = this.base;
    kernels.pack_at(0);
    this.buffer = memory.buffer;
    this.rectifiers = wasmRectifiers(kernels, () => this.buffer);
    const stepMemory = {
      alloc: (length: number) => this.alloc(length),
      buffer: () => this.buffer,
      free: () => (this.buffer.byteLength - this.top) / 8,
    };
    this.step = wasmStepKernels(kernels, stepMemory, stepMaxFlops);
  }

  /** float64 values the memory holds now (used plus free). */
  get capacity(): number {
    return (this.memory.buffer.byteLength - this.base) / 8;
  }

  /** float64 values handed out since the last reset, alignment padding included. */
  get used(): number {
    return (this.top - this.base) / 8;
  }

  alloc(length: number): Float64Array {
    if (!Number.isInteger(length) || length < 0) {
      throw new RangeError(
        `WasmBackend.alloc: length must be a non-negative integer, got ${length}`,
      );
    }
    // Round every buffer up to an even number of values: the next one starts 16-byte aligned.
    const end = this.top + 8 * (length + (length % 2));
    if (end > this.buffer.byteLength) this.growTo(end / 8, `alloc(${length})`);
    const view = new Float64Array(this.buffer, this.top, length);
    view.fill(0);
    this.top = end;
    this.live++;
    return view;
  }

  reset(): void {
    this.top = this.base;
    this.live = 0;
  }

  /**
   * Makes room for buffers whose lengths (each rounded up to an even number) add up to
   * `totalLength`, so the allocations that follow never need to grow the memory. Only
   * allowed while no buffer is live (right after creation or reset).
   */
  reserve(totalLength: number): void {
    checkCapacity(totalLength);
    if (this.top + totalLength * 8 > this.memory.buffer.byteLength) {
      this.growTo(this.top / 8 + totalLength, `reserve(${totalLength})`);
    }
  }

  /** Grows the memory to hold `values` float64s from its start (the panel scratch included). */
  private growTo(values: number, what: string): void {
    if (this.live > 0) {
      throw new RangeError(
        `WasmBackend.${what}: needs a capacity of ${values - this.base / 8} float64 values but has ${this.capacity} ` +
          `and growing would detach the ${this.live} buffers already handed out; ` +
          `call reserve() after reset() or create the backend with a larger capacity`,
      );
    }
    checkCapacity(values);
    this.memory.grow(pagesFor(values) - this.memory.buffer.byteLength / PAGE_BYTES);
    this.buffer = this.memory.buffer;
  }

  /** C (m×n) = A (m×k) B (k×n). */
  gemm(m: number, k: number, n: number, A: Float64Array, B: Float64Array, C: Float64Array): void {
    if (this.ready("gemm", m, k, n, A, m * k, B, k * n, C)) {
      this.kernels.gemm(m, k, n, A.byteOffset, B.byteOffset, C.byteOffset);
    }
  }

  /** C (m×n) = Aᵀ B, with A k×m and B k×n. */
  gemmTransA(
    m: number,
    k: number,
    n: number,
    A: Float64Array,
    B: Float64Array,
    C: Float64Array,
  ): void {
    if (this.ready("gemmTransA", m, k, n, A, k * m, B, k * n, C)) {
      this.kernels.gemm_ta(m, k, n, A.byteOffset, B.byteOffset, C.byteOffset);
    }
  }

  /** C (m×n) = A Bᵀ, with A m×k and B n×k. */
  gemmTransB(
    m: number,
    k: number,
    n: number,
    A: Float64Array,
    B: Float64Array,
    C: Float64Array,
  ): void {
    if (this.ready("gemmTransB", m, k, n, A, m * k, B, n * k, C)) {
      this.kernels.gemm_tb(m, k, n, A.byteOffset, B.byteOffset, C.byteOffset);
    }
  }

  // ---- tanh activation kernels (the optional Backend members; see kernels.wat) -----------

  /** z1 ← z1 + 1 b1, a1 = tanh(z1) on rows 0..n−1 (n×H, b1 1×H), as numerics/tanh.ts. */
  biasTanh(n: number, H: number, z1: Float64Array, b1: Float64Array, a1: Float64Array): void {
    this.checkElementWise("biasTanh", n, H, z1, b1, a1);
    this.kernels.tanh_forward(n, H, z1.byteOffset, b1.byteOffset, a1.byteOffset);
  }

  /** δ ← δ ⊙ tanh′(z1) on rows 0..n−1 and db1 = Σ_rows δ (rows in order), as numerics/tanh.ts. */
  tanhDerivativeMask(
    n: number,
    H: number,
    delta: Float64Array,
    z1: Float64Array,
    db1: Float64Array,
  ): void {
    this.checkElementWise("tanhDerivativeMask", n, H, delta, db1, z1);
    this.kernels.tanh_backward(n, H, delta.byteOffset, z1.byteOffset, db1.byteOffset);
  }

  // ---- the sigmoid head (Backend.sigmoidHead; kernels.wat's "sigmoid head") ---------------

  /**
   * nn/fused-heads.ts's sigmoidOutput(n, z2, b2, y, losses, 0, dz2, inverseN), the same bits,
   * on this backend's buffers: z2 += b2, losses, δ2; returns the rows classified correctly.
   */
  sigmoidOutput(
    n: number,
    z2: Float64Array,
    b2: Float64Array,
    y: Float64Array,
    losses: Float64Array,
    dz2: Float64Array,
    inverseN: number,
  ): number {
    const op = "sigmoidOutput";
    checkSize(op, "n", n);
    const views: [string, Float64Array, number][] = [
      ["z2", z2, n],
      ["losses", losses, n],
      ["dz2", dz2, n],
      ["y", y, n],
      ["b2", b2, 1],
    ];
    for (const [name, view, length] of views) this.checkView(op, name, view, length);
    for (let i = 0; i < 3; i++) {
      for (let j = i + 1; j < views.length; j++) {
        const [nameA, a, lengthA] = views[i]!;
        const [nameB, b, lengthB] = views[j]!;
        const [a0, b0] = [a.byteOffset, b.byteOffset];
        if (overlaps(a0, a0 + 8 * lengthA, b0, b0 + 8 * lengthB)) {
          throw new RangeError(`WasmBackend.${op}: ${nameA} overlaps ${nameB}`);
        }
      }
    }
    if (n === 0) return 0;
    return this.kernels.sigmoid_output(n, z2.byteOffset, b2.byteOffset, y.byteOffset, losses.byteOffset, dz2.byteOffset, inverseN); // prettier-ignore
  }

  /** n×H buffers `written` and `read`, a 1×H `row`: all in this memory, long enough, `row` apart from both. */
  private checkElementWise(
    op: string,
    n: number,
    H: number,
    written: Float64Array,
    row: Float64Array,
    read: Float64Array,
  ): void {
    checkSize(op, "n", n);
    checkSize(op, "H", H);
    this.checkView(op, "the n×H buffer", written, n * H);
    this.checkView(op, "the 1×H buffer", row, H);
    this.checkView(op, "the n×H buffer", read, n * H);
    const r0 = row.byteOffset;
    const r1 = r0 + 8 * H;
    for (const m of [written, read]) {
      if (overlaps(r0, r1, m.byteOffset, m.byteOffset + 8 * n * H)) {
        throw new RangeError(`WasmBackend.${op}: the 1×H buffer overlaps an n×H buffer`);
      }
    }
  }

  /**
   * Checks a product's arguments; false when there is nothing left for the kernel to do (an
   * empty C, or k = 0, C zeroed here). Each product then calls its own export from its own
   * call site: one shared call site for the three exports is polymorphic, and V8 then calls
   * WebAssembly through its generic (slow) JS-to-wasm wrapper.
   */
  private ready(
    op: string,
    m: number,
    k: number,
    n: number,
    A: Float64Array,
    aLength: number,
    B: Float64Array,
    bLength: number,
    C: Float64Array,
  ): boolean {
    checkSize(op, "m", m);
    checkSize(op, "k", k);
    checkSize(op, "n", n);
    this.checkView(op, "A", A, aLength);
    this.checkView(op, "B", B, bLength);
    this.checkView(op, "C", C, m * n);
    const c0 = C.byteOffset;
    const c1 = c0 + 8 * m * n;
    if (overlaps(c0, c1, A.byteOffset, A.byteOffset + 8 * aLength)) {
      throw new RangeError(`WasmBackend.${op}: C overlaps A (C must be a separate buffer)`);
    }
    if (overlaps(c0, c1, B.byteOffset, B.byteOffset + 8 * bLength)) {
      throw new RangeError(`WasmBackend.${op}: C overlaps B (C must be a separate buffer)`);
    }
    if (m === 0 || n === 0) return false;
    if (k === 0) {
      C.fill(0, 0, m * n); // an empty sum is +0
      return false;
    }
    return true;
  }

  protected checkView(op: string, name: string, view: Float64Array, length: number): void {
    if (view.buffer !== this.buffer) {
      throw new Error(
        `WasmBackend.${op}: ${name} is not a buffer of this backend's memory ` +
          `(allocate it with this backend's alloc(); a buffer from elsewhere, or from before ` +
          `the memory grew, is refused)`,
      );
    }
    if (view.length < length) {
      throw new RangeError(
        `WasmBackend.${op}: ${name} has ${view.length} values, the shape needs ${length}`,
      );
    }
  }
}

/** Sizes are checked without allocating: the training loop calls the products every step. */
function checkSize(op: string, name: string, size: number): void {
  if (!Number.isInteger(size) || size < 0) {
    throw new RangeError(`WasmBackend.${op}: ${name} must be a non-negative integer, got ${size}`);
  }
}

function overlaps(start1: number, end1: number, start2: number, end2: number): boolean {
  return start1 < end2 && start2 < end1 && start1 < end1 && start2 < end2;
}

const imports = (memory: WasmMemory) => ({ env: { memory } });

/** The kernels compiled once per WebAssembly host (undefined where SIMD128 does not validate). */
const compiled = new WeakMap<WasmApi, WasmModule | undefined>();

/** The host's compiled kernels, compiled synchronously on first use. */
function kernelModule(api: WasmApi): WasmModule | undefined {
  if (!compiled.has(api)) {
    compiled.set(api, api.validate(kernelBytes()) ? new api.Module(kernelBytes()) : undefined);
  }
  return compiled.get(api);
}

/**
 * The WebAssembly backend, compiled synchronously (Node, workers; not a browser's main thread,
 * where the module, over 4 KiB, is refused: see the module comment), or the fallback where
 * SIMD128 is unavailable.
 */
export function createWasmBackendSync(options: WasmBackendOptions = {}): Backend {
  const api = wasmApi();
  const module = api && kernelModule(api);
  if (api === undefined || module === undefined) {
    return (options.fallback ?? (() => new PlainBackend()))();
  }
  const memory = memoryFor(options.capacity ?? DEFAULT_CAPACITY);
  const instance = new api.Instance(module, imports(memory));
  return new WasmBackend(memory, kernelsOf(instance));
}

/** As createWasmBackendSync, compiling asynchronously (any browser thread). */
export async function createWasmBackend(options: WasmBackendOptions = {}): Promise<Backend> {
  const api = wasmApi();
  if (api === undefined || !api.validate(kernelBytes())) {
    return (options.fallback ?? (() => new PlainBackend()))();
  }
  const memory = memoryFor(options.capacity ?? DEFAULT_CAPACITY);
  const module = await api.compile(kernelBytes());
  const instance = await api.instantiate(module, imports(memory));
  return new WasmBackend(memory, kernelsOf(instance));
}
