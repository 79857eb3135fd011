/**
 * Helper threads for the threaded WebAssembly backend (threaded-backend.ts): Node worker_threads
 * that run the shared-memory kernels on the same WebAssembly.Memory as the main thread and
 * run one job (a short list of kernel calls: a block of rows of a product, or a phase of a
 * training step) when told to.
 *
 * Browser-safe by construction: this module imports nothing from Node. It reaches
 * node:worker_threads and node:os through process.getBuiltinModule (Node ≥ 20.16), so a
 * browser bundle sees no Node import and `helperThreadsAvailable()` is false there (as on
 * older Node): the caller then keeps to one thread.
 *
 * Protocol. Each helper has a control block, its own SharedArrayBuffer: Int32 words
 *   SEQ  the number of the last job posted (main writes the job's calls, then SEQ, then notifies)
 *   DONE the number of the last job finished (the helper writes it, then notifies)
 *   READY 1 once the helper has instantiated the kernels on the memory; FAILED 1 if it could not
 *   COUNT the job's number of calls (−1: quit)
 * then, from byte JOB_BYTE, the calls as float64 words: the kernel's number in KERNEL_CALLS
 * and its arguments (sizes, byte offsets, a slope), CALL_WORDS per call. The seq-cst
 * Atomics.store/load of SEQ and DONE order the plain memory accesses around them: the helper
 * sees the calls and the inputs main wrote before SEQ, main sees what the helper wrote before
 * DONE. Both sides sleep in Atomics.wait (Node's main thread may block; train() is
 * synchronous) without spinning first: waking a sleeping thread costs tens of µs (about
 * 100 µs on this VM), but a spinning thread takes a core from the other whenever another
 * process shares the machine (measured on wide: a helper spinning 1 ms after each job ran
 * at about half the speed of one that sleeps; see bench/notes.md, "Threads").
 *
 * One decoder. The job runner (`runJob`) is generated once from KERNEL_CALLS as source text:
 * the helpers evaluate it in their program, and the main thread builds the same function to
 * run its own block, so a job means the same calls on every thread.
 *
 * Lifetime. The helpers are started once per process, on first use, and reused: a new
 * backend attaches them to its memory (the previous backend is detached first and computes
 * alone from then on). They are unref'd, so they never keep the process alive.
 */

/** Indices of the Int32 words of a control block. */
const SEQ = 0;
const DONE = 1;
const READY = 2;
const FAILED = 3;
const COUNT = 4;
/** Where the calls start (bytes), the float64 words per call and the most calls per job. */
const JOB_BYTE = 64;
const CALL_WORDS = 12;
export const MAX_CALLS = 8;

/**
 * The kernels a job can call (exports of kernels.wat) with their argument counts; a call's
 * kernel number is its index here.
 */
const KERNEL_CALLS = [
  ["gemm", 6], // m k n a b c
  ["gemm_ta_ld", 7], // m k n a b c lda
  ["gemm_tb", 6], // m k n a b c
  ["product_ldc", 11], // m k n a ars aps b bps bjs c ldc
  ["bias_relu", 5], // n h z b a
  ["bias_leaky", 6], // n h z b a slope
  ["tanh_forward", 5], // n h z b a
  ["rect_mask_ld", 7], // n w ld d z db slope
  ["tanh_backward_ld", 6], // n w ld d z db
  ["pack_at", 1], // at: the thread's panel scratch (kernels.wat, "wide products")
] as const;

type KernelName = (typeof KERNEL_CALLS)[number][0];

/** Kernel numbers by name, for Job.call. */
export const KERNEL = Object.fromEntries(KERNEL_CALLS.map(([name], i) => [name, i])) as {
  readonly [name in KernelName]: number;
};

/** The exports a job runs on (each takes numbers). */
export type JobKernels = { readonly [name in KernelName]: (...args: number[]) => void };

/**
 * Source of `function runJob(kernels, job, count)`: runs the first `count` calls of the
 * Float64Array `job` on `kernels`, one call site per kernel (a shared call site would make V8
 * call WebAssembly through its slow generic wrapper).
 */
const RUN_JOB_SOURCE = `function runJob(kernels, job, count) {
  for (let at = 0; at < count * ${CALL_WORDS}; at += ${CALL_WORDS}) {
    switch (job[at]) {
${KERNEL_CALLS.map(
  ([name, arity], op) =>
    `      case ${op}: kernels.${name}(${Array.from({ length: arity }, (_, i) => `job[at + ${i + 1}]`).join(", ")}); break;`,
).join("\n")}
      default: throw new Error("unknown kernel " + job[at]);
    }
  }
}`;

type RunJob = (kernels: JobKernels, job: Float64Array, count: number) => void;
let mainRunJob: RunJob | undefined;

/**
 * runJob for the main thread (the same source the helpers run), built on first use: only a
 * threaded backend (Node) gets here, so a browser page, whose content security policy may
 * forbid building code from text, never does.
 */
function runJob(kernels: JobKernels, job: Float64Array, count: number): void {
  mainRunJob ??= new Function(`return ${RUN_JOB_SOURCE}`)() as RunJob;
  mainRunJob(kernels, job, count);
}

/** The calls of one job, written into a Float64Array (a helper's control block, or main's own). */
export class Job {
  /** Calls written since the last clear(). */
  count = 0;

  constructor(readonly calls: Float64Array) {}

  clear(): void {
    this.count = 0;
  }

  /** Appends a call of kernel `kernel` (a KERNEL number) with up to 11 arguments. */
  call(
    kernel: number,
    a0: number,
    a1: number,
    a2: number,
    a3: number,
    a4: number,
    a5 = 0,
    a6 = 0,
    a7 = 0,
    a8 = 0,
    a9 = 0,
    a10 = 0,
  ): void {
    if (this.count === MAX_CALLS)
      throw new Error(`internal: a job holds at most ${MAX_CALLS} calls`);
    const c = this.calls;
    let at = this.count++ * CALL_WORDS;
    c[at++] = kernel;
    c[at++] = a0;
    c[at++] = a1;
    c[at++] = a2;
    c[at++] = a3;
    c[at++] = a4;
    c[at++] = a5;
    c[at++] = a6;
    c[at++] = a7;
    c[at++] = a8;
    c[at++] = a9;
    c[at] = a10;
  }

  /** Runs the calls here (the main thread's block). */
  run(kernels: JobKernels): void {
    runJob(kernels, this.calls, this.count);
  }
}

/** A Job with room for MAX_CALLS calls, in ordinary memory (the main thread's own block). */
export function localJob(): Job {
  return new Job(new Float64Array(MAX_CALLS * CALL_WORDS));
}

/** How long to wait for a helper to start (the first start includes booting a Node worker). */
const START_TIMEOUT_MS = 10_000;

/**
 * The helper's program (plain JavaScript, run with `eval: true` so that no file path has to
 * resolve from src/ under the tests and from dist/ when installed). It waits for {module,
 * memory, control}, instantiates the kernels on the memory, then runs jobs until told to quit
 * (COUNT −1), then waits for the next memory.
 */
const HELPER_SOURCE = `
"use strict";
const { parentPort } = require("node:worker_threads");
${RUN_JOB_SOURCE}
parentPort.on("message", ({ module, memory, control }) => {
  const ctl = new Int32Array(control, 0, ${JOB_BYTE / 4});
  const job = new Float64Array(control, ${JOB_BYTE});
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
    const seq = Atomics.load(ctl, ${SEQ});
    if (seq === seen) continue;
    seen = seq;
    const count = ctl[${COUNT}];
    if (count < 0) {
      Atomics.store(ctl, ${DONE}, seq);
      Atomics.notify(ctl, ${DONE});
      return;
    }
    try {
      runJob(kernels, job, count);
    } catch {
      Atomics.store(ctl, ${FAILED}, 1);
    }
    Atomics.store(ctl, ${DONE}, seq);
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

/** One helper thread attached to one memory: takes a job, runs it, says when it is done. */
export class HelperChannel {
  private seq = 0;
  private detached = false;
  /** The calls of the next job: write them, then post(). */
  readonly job: Job;

  constructor(
    private readonly ctl: Int32Array,
    calls: Float64Array,
    private readonly owner: HelperThread,
  ) {
    this.job = new Job(calls);
  }

  /** False once another backend has taken the helper (then compute alone). */
  get attached(): boolean {
    return !this.detached;
  }

  /** Starts the job's calls on the helper. */
  post(): void {
    this.publish(this.job.count);
  }

  private publish(count: number): void {
    const ctl = this.ctl;
    ctl[COUNT] = count;
    Atomics.store(ctl, SEQ, ++this.seq);
    Atomics.notify(ctl, SEQ, 1);
  }

  /**
   * Blocks until the job posted last is finished; throws a clear Error after `timeoutMs` or if
   * one of its kernels failed.
   */
  wait(timeoutMs: number): void {
    const ctl = this.ctl;
    // DONE is seq − 1 until the helper finishes. A wake-up alone proves nothing: the helper
    // notifies after storing DONE, so the notify of the previous job can arrive while this
    // thread already waits for the next one (seen with 6 helpers on 2 busy cores). Hence the
    // loop until DONE is this job's number.
    const deadline = performance.now() + timeoutMs;
    let done: number;
    while ((done = Atomics.load(ctl, DONE)) !== this.seq && performance.now() < deadline) {
      Atomics.wait(ctl, DONE, done, Math.max(0, deadline - performance.now()));
    }
    if (done !== this.seq) {
      this.owner.fail();
      throw new Error(
        `handgrad: a helper thread did not finish its share of the work within ${Math.round(timeoutMs)} ms; ` +
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
    this.publish(-1);
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
    const control = new SharedArrayBuffer(JOB_BYTE + MAX_CALLS * CALL_WORDS * 8);
    const ctl = new Int32Array(control, 0, JOB_BYTE / 4);
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
    this.current = new HelperChannel(ctl, new Float64Array(control, JOB_BYTE), this);
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
