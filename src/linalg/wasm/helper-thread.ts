/**
 * Helper threads for the threaded WebAssembly backend (threaded-backend.ts): Node worker_threads
 * that run the shared-memory kernels on the same WebAssembly.Memory as the main thread and
 * take one block of rows of a product when told to.
 *
 * Browser-safe by construction: this module imports nothing from Node. It reaches
 * node:worker_threads and node:os through process.getBuiltinModule (Node ≥ 20.16), so a
 * browser bundle sees no Node import and `helperThreadsAvailable()` is false there (as on
 * older Node): the caller then keeps to one thread.
 *
 * Protocol. Each helper has a control block, an Int32Array over its own SharedArrayBuffer:
 *   SEQ  the number of the last job posted (main writes the job's words, then SEQ, then notifies)
 *   DONE the number of the last job finished (the helper writes it, then notifies)
 *   READY 1 once the helper has instantiated the kernels on the memory; FAILED 1 if it could not
 *   OP, M, K, N, A, B, C, LDA  the job: which kernel and its arguments (byte offsets)
 * The seq-cst Atomics.store/load of SEQ and DONE order the plain memory accesses around them:
 * the helper sees the inputs main wrote before SEQ, main sees the rows the helper wrote
 * before DONE. Both sides sleep in Atomics.wait (Node's main thread may block; train() is
 * synchronous) without spinning first: waking a sleeping thread costs tens of µs (about
 * 100 µs on this VM), but a spinning thread takes a core from the other whenever another
 * process shares the machine (measured on wide: a helper spinning 1 ms after each job ran
 * at about half the speed of one that sleeps; see bench/notes.md, "Threads").
 *
 * Lifetime. The helpers are started once per process, on first use, and reused: a new
 * backend attaches them to its memory (the previous backend is detached first and computes
 * alone from then on). They are unref'd, so they never keep the process alive.
 */

/** Indices into a control block. */
const SEQ = 0;
const DONE = 1;
const READY = 2;
const FAILED = 3;
const OP = 4;
const ARGS = 5; // M, K, N, A, B, C, LDA at ARGS..ARGS+6
const CONTROL_WORDS = 16;

/** The kernels a helper can run on its block of rows (OP). */
export const OP_GEMM = 0;
export const OP_GEMM_TA_LD = 1;
export const OP_GEMM_TB = 2;
const OP_QUIT = 3;

/** How long to wait for a helper to start (the first start includes booting a Node worker). */
const START_TIMEOUT_MS = 10_000;

/**
 * The helper's program (plain JavaScript, run with `eval: true` so that no file path has to
 * resolve from src/ under the tests and from dist/ when installed). It waits for {module,
 * memory, control}, instantiates the kernels on the memory, then runs jobs until OP_QUIT, then
 * waits for the next memory.
 */
const HELPER_SOURCE = `
"use strict";
const { parentPort } = require("node:worker_threads");
parentPort.on("message", ({ module, memory, control }) => {
  const ctl = new Int32Array(control);
  let kernels;
  try {
    kernels = new WebAssembly.Instance(module, { env: { memory } }).exports;
  } catch {
    Atomics.store(ctl, ${FAILED}, 1);
  }
  Atomics.store(ctl, ${READY}, 1);
  Atomics.notify(ctl, ${READY});
  if (kernels === undefined) return;
  let seen = 0;
  for (;;) {
    Atomics.wait(ctl, ${SEQ}, seen);
    const job = Atomics.load(ctl, ${SEQ});
    if (job === seen) continue;
    seen = job;
    const op = ctl[${OP}];
    if (op === ${OP_QUIT}) {
      Atomics.store(ctl, ${DONE}, job);
      Atomics.notify(ctl, ${DONE});
      return;
    }
    const [m, k, n, a, b, c, lda] = ctl.subarray(${ARGS}, ${ARGS + 7});
    try {
      if (op === ${OP_GEMM}) kernels.gemm(m, k, n, a, b, c);
      else if (op === ${OP_GEMM_TA_LD}) kernels.gemm_ta_ld(m, k, n, a, b, c, lda);
      else kernels.gemm_tb(m, k, n, a, b, c);
    } catch {
      Atomics.store(ctl, ${FAILED}, 1);
    }
    Atomics.store(ctl, ${DONE}, job);
    Atomics.notify(ctl, ${DONE});
  }
});
`;

/** The parts of node:worker_threads' Worker used here. */
interface NodeWorker {
  postMessage(value: unknown): void;
  unref(): void;
  terminate(): Promise<number>;
  on(event: "error" | "exit", listener: () => void): void;
}

interface NodeHost {
  Worker: new (source: string, options: { eval: true }) => NodeWorker;
  availableParallelism(): number;
}

/** node:worker_threads and node:os, when this is Node ≥ 20.16 with SharedArrayBuffer. */
function nodeHost(): NodeHost | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  if (typeof proc?.getBuiltinModule !== "function") return undefined;
  if (typeof SharedArrayBuffer !== "function") return undefined;
  const threads = proc.getBuiltinModule("node:worker_threads") as
    { Worker?: NodeHost["Worker"]; isMainThread?: boolean } | undefined;
  const os = proc.getBuiltinModule("node:os") as { availableParallelism?: () => number };
  if (threads?.Worker === undefined || typeof os?.availableParallelism !== "function") {
    return undefined;
  }
  return { Worker: threads.Worker, availableParallelism: () => os.availableParallelism!() };
}

/** Whether helper threads can be started here (Node with worker_threads). */
export function helperThreadsAvailable(): boolean {
  return nodeHost() !== undefined;
}

/** Logical cores the process may use (1 where helper threads are unavailable). */
export function availableCores(): number {
  return nodeHost()?.availableParallelism() ?? 1;
}

/** One helper thread attached to one memory: posts jobs and waits for them. */
export class HelperChannel {
  private seq = 0;
  private detached = false;

  constructor(
    private readonly ctl: Int32Array,
    private readonly owner: HelperThread,
  ) {}

  /** False once another backend has taken the helper (then compute alone). */
  get attached(): boolean {
    return !this.detached;
  }

  /** Starts kernel `op` on the helper: rows block (m×n of C), byte offsets a, b, c. */
  post(op: number, m: number, k: number, n: number, a: number, b: number, c: number, lda = 0) {
    const ctl = this.ctl;
    ctl[OP] = op;
    ctl[ARGS] = m;
    ctl[ARGS + 1] = k;
    ctl[ARGS + 2] = n;
    ctl[ARGS + 3] = a;
    ctl[ARGS + 4] = b;
    ctl[ARGS + 5] = c;
    ctl[ARGS + 6] = lda;
    Atomics.store(ctl, SEQ, ++this.seq);
    Atomics.notify(ctl, SEQ, 1);
  }

  /**
   * Blocks until the job posted last is finished; throws a clear Error after `timeoutMs` or if
   * the helper's kernel failed.
   */
  wait(timeoutMs: number): void {
    const ctl = this.ctl;
    // DONE is seq − 1 until the helper finishes ("not-equal" at once if it already has).
    if (Atomics.wait(ctl, DONE, this.seq - 1, timeoutMs) === "timed-out") {
      this.owner.fail();
      throw new Error(
        `handgrad: a helper thread did not finish its rows of a product within ${Math.round(timeoutMs)} ms; ` +
          `run with threads: 1 (--threads 1)`,
      );
    }
    if (Atomics.load(ctl, FAILED) !== 0) {
      this.owner.fail();
      throw new Error(
        "handgrad: a helper thread's kernel failed; run with threads: 1 (--threads 1)",
      );
    }
  }

  /** Sends the helper back to waiting for a new memory (called by the helper on re-attach). */
  quit(): void {
    this.detached = true;
    this.post(OP_QUIT, 0, 0, 0, 0, 0, 0);
    this.wait(START_TIMEOUT_MS);
  }
}

/** One Node worker running HELPER_SOURCE. */
class HelperThread {
  private current: HelperChannel | undefined;
  private broken = false;

  constructor(private readonly worker: NodeWorker) {
    worker.unref();
    worker.on("error", () => this.fail());
    worker.on("exit", () => this.fail());
  }

  get usable(): boolean {
    return !this.broken;
  }

  /** Detaches the helper from its previous memory and attaches it to `memory`. */
  attach(module: object, memory: object): HelperChannel {
    if (this.current?.attached) this.current.quit();
    this.current = undefined;
    const control = new SharedArrayBuffer(CONTROL_WORDS * 4);
    const ctl = new Int32Array(control);
    this.worker.postMessage({ module, memory, control });
    if (Atomics.wait(ctl, READY, 0, START_TIMEOUT_MS) === "timed-out") {
      this.fail();
      throw new Error(
        `handgrad: a helper thread did not start within ${START_TIMEOUT_MS / 1000} s; run with threads: 1 (--threads 1)`,
      );
    }
    if (Atomics.load(ctl, FAILED) !== 0) {
      this.fail();
      throw new Error(
        "handgrad: a helper thread could not instantiate the kernels on shared memory; run with threads: 1 (--threads 1)",
      );
    }
    this.current = new HelperChannel(ctl, this);
    return this.current;
  }

  /** Marks the helper unusable and stops it; the next backend starts a fresh one. */
  fail(): void {
    if (this.broken) return;
    this.broken = true;
    void this.worker.terminate();
  }
}

/** The process's helpers, started on first use and reused. */
const helpers: HelperThread[] = [];

/**
 * `count` helper channels attached to `memory` (a shared WebAssembly.Memory) running `module`
 * (the shared-memory kernels). Throws a clear Error when helper threads are unavailable or
 * do not start.
 */
export function attachHelpers(count: number, module: object, memory: object): HelperChannel[] {
  const host = nodeHost();
  if (host === undefined) {
    throw new Error("handgrad: threads need Node's worker_threads (Node ≥ 20.16)");
  }
  for (let i = helpers.length - 1; i >= 0; i--) {
    if (!(helpers[i] as HelperThread).usable) helpers.splice(i, 1);
  }
  while (helpers.length < count) {
    helpers.push(new HelperThread(new host.Worker(HELPER_SOURCE, { eval: true })));
  }
  return helpers.slice(0, count).map((helper) => helper.attach(module, memory));
}
