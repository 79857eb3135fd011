// Threads, measured (a measuring script, not a test; speed is never asserted in a unit test).
// Needs `npm run build` first. Three tables, each interleaved in this one process and repeated
// (other processes may share the cores: the best pass is the one they left alone), with the
// 1-minute load average printed beside each:
//
//   crossover  wall time per call of one product, and of a step's two phases, on one thread
//              against two (every call split: minFlopsPerThread 0). As in training, each call
//              comes after a gap long enough for the helper to have gone to sleep, so the
//              time includes waking it. Per case the median of 60 calls, best over the passes.
//              Sets MIN_FLOPS_PER_THREAD in src/linalg/wasm/threaded-backend.ts.
//   training   the crossover in training: examples/s of synthetic runs of growing depth D on
//              one thread against two (every phase split), with the flops per thread.
//   scaling    examples/s training the workloads (as `handgrad bench`, fast engine) on one
//              thread; on 2 threads as before this branch (products split one by one, the
//              element-wise passes on the main thread: option phases: false); and with phases
//              on 2, 3, 4 threads (more threads than this machine's cores show
//              oversubscription). The configurations run in a rotating order within each pass;
//              best of the passes. Also the joins per training step.
//   serial     the fraction of a one-thread training run spent outside the calls that threads
//              split (the serial fraction s), for each design, and the Amdahl bound
//              1 / (s + (1 − s)/p) it implies for p threads.
//
// "others' cores": how many cores other processes kept busy during the best run (from
// /proc/stat, minus this process's CPU time): near 0 means the figure is a quiet machine's.
//   node scripts/bench-threads.mjs [--passes 5] [--only crossover,training,scaling,serial]
//                                  [--workloads wide,tab] [--threads 2,3,4] [--log] [--quiet]
//                                  [--warm] (scaling: an untimed run on each backend first)
// --quiet starts each pass only once other processes leave the cores idle (up to 5 minutes'
// wait); --log prints every run.
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { trainWorkload } from "../dist/cli/commands/bench.js";
import { makeWorkload } from "../dist/bench/workloads.js";
import {
  createThreadedWasmBackendSync,
  createWasmBackendSync,
  MIN_FLOPS_PER_THREAD,
} from "../dist/linalg/wasm/index.js";
import {
  ACTIVATIONS,
  backwardInto,
  forwardInto,
  makeParamBuffers,
  makeWorkspace,
  runValues,
} from "../dist/nn/index.js";

const flag = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : process.argv[at + 1];
};
const PASSES = Number(flag("passes", "5"));
const ONLY = flag("only", "crossover,training,scaling,serial").split(",");
const WORKLOADS = flag("workloads", "wide,tab").split(",");
const THREADS = flag("threads", "2,3,4").split(",").map(Number);
const load = () => loadavg()[0].toFixed(2);
const LOG = process.argv.includes("--log");

/** Busy and total jiffies of all cores so far (/proc/stat; undefined off Linux). */
function cpuTimes() {
  try {
    const fields = readFileSync("/proc/stat", "utf8")
      .split("\n")[0]
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    const idle = fields[3] + fields[4]; // idle, iowait
    const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}

/**
 * Runs `fn` and returns its wall seconds and the cores other processes kept busy meanwhile
 * (all cores' busy time minus this process's CPU time, over the wall time; NaN off Linux).
 */
function measured(fn) {
  const [jiffies, cpu, t] = [cpuTimes(), process.cpuUsage(), performance.now()];
  fn();
  const seconds = (performance.now() - t) / 1000;
  const after = cpuTimes();
  const own = process.cpuUsage(cpu);
  const hz = 100; // USER_HZ, the unit of /proc/stat
  const others =
    jiffies && after
      ? ((after.busy - jiffies.busy) / hz - (own.user + own.system) / 1e6) / seconds
      : NaN;
  return { seconds, others: Math.max(0, others) };
}

function threaded(capacity, threads, options = {}) {
  const backend = createThreadedWasmBackendSync({ capacity, threads, ...options });
  if (!backend) throw new Error("threads are unsupported here");
  return backend;
}

const QUIET = process.argv.includes("--quiet");
const WARM = process.argv.includes("--warm");
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * With --quiet: waits (up to 5 minutes) until other processes keep less than a quarter of a
 * core busy over one second, so that a pass measures a quiet machine; returns that share.
 */
function waitForQuiet() {
  if (!QUIET || cpuTimes() === undefined) return NaN;
  const until = performance.now() + 300_000;
  for (;;) {
    const { others } = measured(() => Atomics.wait(sleeper, 0, 0, 1000));
    if (others < 0.25 || performance.now() > until) return others;
  }
}

// ---- crossover ---------------------------------------------------------------------------

const CALLS = 60;
const GAP_MS = 0.3;

function gap() {
  const end = performance.now() + GAP_MS;
  while (performance.now() < end);
}

/** Median wall seconds of one call of `run`, each after a gap. */
function medianSeconds(run) {
  const times = [];
  for (let i = 0; i < CALLS; i++) {
    gap();
    const t = performance.now();
    run();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[CALLS >> 1] / 1000;
}

function seeded(buffer) {
  let s = 1;
  for (let i = 0; i < buffer.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    buffer[i] = s / 2 ** 31 - 1;
  }
  return buffer;
}

/** Buffers for products up to 784×256 and phases of n×D→H→1 up to 128×784→256. */
function operands(backend) {
  backend.reset();
  const big = 784 * 256;
  const [A, B, C] = [big, big, big].map((length) => seeded(backend.alloc(length)));
  const [n, D, H] = [128, 784, 256];
  const phase = {
    X: seeded(backend.alloc(n * D)),
    W1: seeded(backend.alloc(D * H)),
    b1: seeded(backend.alloc(H)),
    W2: seeded(backend.alloc(H)),
    z1: backend.alloc(n * H),
    a1: backend.alloc(n * H),
    z2: backend.alloc(n),
    dz2: seeded(backend.alloc(n)),
    dz1: backend.alloc(n * H),
    dW1: backend.alloc(D * H),
    db1: backend.alloc(H),
    dW2: backend.alloc(H),
  };
  return { A, B, C, phase };
}

const RELU = { name: "relu", slope: 0 };

/** One forward and one backward phase of an n×D→H→1 relu network (the buffers' first rows). */
function phases(backend, { phase: b }, n, D, H) {
  backend.phases.forward(n, D, H, 1, b.X, b.W1, b.b1, b.W2, b.z1, b.a1, b.z2, RELU);
  backend.phases.backward(
    n,
    D,
    H,
    1,
    b.X,
    b.z1,
    b.a1,
    b.dz2,
    b.W2,
    b.dz1,
    b.dW1,
    b.db1,
    b.dW2,
    RELU,
  );
}

function crossover() {
  // [what, op, m, k, n]: C (m×n) = op(A) op(B) with inner size k; 2mkn flops. "phases":
  // forward then backward of an m×k→n→1 relu network (2mn(k + 1) + 2mn(k + 2) flops).
  const cases = [
    ["tab z1 = X W1", "gemm", 64, 30, 64],
    ["tab dW1 = Xᵀ δ1", "gemmTransA", 30, 64, 64],
    ["tab step", "phases", 64, 30, 64],
    ["wide z1 = X W1", "gemm", 128, 784, 256],
    ["wide dW1 = Xᵀ δ1", "gemmTransA", 784, 128, 256],
    ["wide step", "phases", 128, 784, 256],
  ];
  for (const k of [4, 8, 16, 32, 64, 96, 128, 192]) {
    cases.push(["sweep", "gemm", 128, k, 256]);
    cases.push(["sweep", "phases", 128, k, 256]);
  }
  const capacity = 1 << 21;
  // One thread through the same code (every call one block), against two.
  const one = threaded(capacity, 2, { minFlopsPerThread: Infinity });
  const two = threaded(capacity, 2, { minFlopsPerThread: 0 });
  const buffers = new Map([one, two].map((backend) => [backend, operands(backend)]));
  const call = (backend, [, op, m, k, n]) => {
    const b = buffers.get(backend);
    if (op === "phases") return () => phases(backend, b, m, k, n);
    return () => backend[op](m, k, n, b.A, b.B, b.C);
  };
  const best = cases.map(() => [Infinity, Infinity]);
  const loads = [load()];
  for (let pass = 0; pass < PASSES; pass++) {
    waitForQuiet();
    cases.forEach((c, i) => {
      best[i][0] = Math.min(best[i][0], medianSeconds(call(one, c)));
      best[i][1] = Math.min(best[i][1], medianSeconds(call(two, c)));
    });
    loads.push(load());
  }
  console.log(
    `\ncrossover: one thread against two, best of ${PASSES} passes of median-of-${CALLS} (load ${loads.join(" → ")})`,
  );
  console.log(
    "what               op          m×k×n          MFLOP per thread  1 thread µs  2 threads µs  speed-up",
  );
  cases.forEach(([what, op, m, k, n], i) => {
    const flops = op === "phases" ? 2 * m * n * (k + 2) : 2 * m * k * n; // phases: the backward's
    const [t1, t2] = best[i];
    console.log(
      `${what.padEnd(18)} ${op.padEnd(11)} ${`${m}×${k}×${n}`.padEnd(14)} ${(flops / 2e6).toFixed(3).padStart(16)} ` +
        `${(t1 * 1e6).toFixed(1).padStart(12)} ${(t2 * 1e6).toFixed(1).padStart(13)} ${(t1 / t2).toFixed(2).padStart(9)}`,
    );
  });
}

/**
 * The crossover in training: examples/s of synthetic runs (N = 4096 standard normal rows,
 * relu, H = 256, batch 128, 1 epoch) of growing depth D, one thread against two with every
 * phase split; the flops per thread are those of a step's backward phase, 2·128·256·(D + 2)/2.
 */
function trainingCrossover() {
  const [N, H, batch] = [4096, 256, 128];
  const depths = [2, 4, 8, 16, 32, 64, 128, 256];
  const best = depths.map(() => [0, 0]);
  const loads = [load()];
  for (let pass = 0; pass < PASSES; pass++) {
    waitForQuiet();
    depths.forEach((D, i) => {
      const X = { rows: N, cols: D, data: seeded(new Float64Array(N * D)) };
      const y = { rows: N, cols: 1, data: X.data.slice(0, N).map((v) => (v > 0 ? 1 : 0)) };
      const spec = { N, D, H, activation: "relu", batch, epochs: 1, learningRate: 0.05 };
      const values = runValues(batch, D, H, 1, 3);
      const makers = [
        () => createWasmBackendSync({ capacity: values }),
        () => threaded(values, 2, { minFlopsPerThread: 0 }),
      ];
      for (const j of pass % 2 ? [1, 0] : [0, 1]) {
        const backend = makers[j]();
        const t = performance.now();
        trainWorkload(spec, { X, y }, 0, "fast", backend);
        best[i][j] = Math.max(best[i][j], N / ((performance.now() - t) / 1000));
      }
    });
    loads.push(load());
  }
  console.log(
    `\ncrossover in training: N ${N}, H ${H}, batch ${batch}, relu, best of ${PASSES} (load ${loads.join(" → ")})`,
  );
  console.log(
    "D      MFLOP/thread (backward phase, 2 threads)  1 thread ex/s  2 threads ex/s  speed-up",
  );
  depths.forEach((D, i) => {
    const [r1, r2] = best[i];
    console.log(
      `${String(D).padEnd(6)} ${((2 * batch * H * (D + 2)) / 2e6).toFixed(3).padStart(43)} ` +
        `${Math.round(r1).toString().padStart(14)} ${Math.round(r2).toString().padStart(15)} ${(r2 / r1).toFixed(2).padStart(9)}`,
    );
  });
}

// ---- scaling -----------------------------------------------------------------------------

function workloadRun(name) {
  const { X, y, spec } = makeWorkload(name, 0);
  const rows = spec.batch === "full" ? spec.N : spec.batch;
  const values = runValues(rows, spec.D, spec.H, 1, rows === spec.N ? 2 : 3);
  const steps = spec.epochs * Math.ceil(spec.N / rows);
  return { X, y, spec, values, steps, evaluationBatches: 2 * Math.ceil(spec.N / rows) };
}

/** Joins of one training step (forward, head, backward) on the backend `make()` gives. */
function joinsPerStep(make, { spec }) {
  const backend = make();
  if (backend.joins === undefined) return 0;
  const rows = spec.batch === "full" ? spec.N : spec.batch;
  const ws = makeWorkspace(backend, rows, spec.D, spec.H, 1);
  const params = makeParamBuffers(backend, spec.D, spec.H, 1);
  seeded(ws.X);
  seeded(params.W1);
  const before = backend.joins;
  const activation = ACTIVATIONS[spec.activation];
  forwardInto(backend, ws, params, rows, activation, ws.losses, 0, rows);
  backwardInto(backend, ws, params, rows, activation);
  return backend.joins - before;
}

function scaling(name) {
  const run = workloadRun(name);
  const { spec, values } = run;
  const forced = name === "tab"; // tab's calls are below the rule: split them anyway, to see
  const configs = [
    { label: "1 thread", make: () => createWasmBackendSync({ capacity: values }) },
    {
      label: "2 threads, before (products one by one)",
      make: () =>
        threaded(values, 2, { phases: false, ...(forced ? { minFlopsPerThread: 0 } : {}) }),
    },
    ...THREADS.map((threads) => ({
      label: `${threads} threads, phases${forced ? " (every call split)" : ""}`,
      make: () => threaded(values, threads, forced ? { minFlopsPerThread: 0 } : {}),
    })),
  ];
  const rate = configs.map(() => 0);
  const busy = configs.map(() => NaN); // other processes' cores during the best run
  const joins = configs.map(() => 0);
  const stepJoins = configs.map(({ make }) => joinsPerStep(make, run));
  const loads = [load()];
  for (let pass = 0; pass < PASSES; pass++) {
    const quiet = waitForQuiet();
    if (LOG && QUIET) console.log(`  pass ${pass}: others' cores ${quiet.toFixed(2)} before it`);
    for (let j = 0; j < configs.length; j++) {
      const i = (j + pass) % configs.length; // rotate the order
      const backend = configs[i].make();
      // --warm: one untimed run on this backend first (the steady state of `handgrad bench`,
      // whose backend is made once per process and reused; a fresh backend's helpers
      // instantiate the module again).
      if (WARM) {
        trainWorkload(spec, { X: run.X, y: run.y }, 0, "fast", backend);
        backend.reset(); // as runBench between its runs
      }
      const start = backend.joins ?? 0;
      const { seconds, others } = measured(() =>
        trainWorkload(spec, { X: run.X, y: run.y }, 0, "fast", backend),
      );
      const r = (spec.N * spec.epochs) / seconds;
      if (r > rate[i]) [rate[i], busy[i]] = [r, others];
      joins[i] = (backend.joins ?? 0) - start;
      if (LOG)
        console.log(
          `  pass ${pass} ${configs[i].label}: ${Math.round(r)} ex/s, others' cores ${others.toFixed(2)}`,
        );
    }
    loads.push(load());
  }
  console.log(
    `\n${name}: examples/s, best of ${PASSES} passes (load ${loads.join(" → ")}); ${run.steps} steps, ` +
      `${run.evaluationBatches} evaluation batches (forward only) per run; joins of one training step`,
  );
  console.log(
    "configuration                                   examples/s  × 1 thread  joins/run  joins/step",
  );
  configs.forEach(({ label }, i) => {
    console.log(
      `${label.padEnd(46)} ${Math.round(rate[i]).toString().padStart(11)} ${(rate[i] / rate[0]).toFixed(2).padStart(11)} ` +
        `${joins[i].toString().padStart(10)} ${stepJoins[i].toString().padStart(11)} ${busy[i].toFixed(2).padStart(14)}`,
    );
  });
}

// ---- serial fraction ---------------------------------------------------------------------

/**
 * Seconds of a one-thread run in total and inside the calls threads split: the phases (every
 * call one block: minFlopsPerThread Infinity), or, for the design before, the products of at
 * least two threads' least work (phases: false).
 */
function timedRun(run, design) {
  const { spec, values } = run;
  const backend = threaded(values, 2, {
    minFlopsPerThread: Infinity,
    ...(design === "before" ? { phases: false } : {}),
  });
  let inside = 0;
  const timed = (target, name, splits) => {
    const original = target[name].bind(target);
    target[name] = (...args) => {
      if (!splits(args)) return original(...args);
      const t = performance.now();
      const result = original(...args);
      inside += performance.now() - t;
      return result;
    };
  };
  if (design === "before") {
    for (const op of ["gemm", "gemmTransA", "gemmTransB"]) {
      timed(backend, op, ([m, k, n]) => 2 * m * k * n >= 2 * MIN_FLOPS_PER_THREAD);
    }
  } else {
    timed(backend.phases, "forward", () => true);
    timed(backend.phases, "backward", () => true);
  }
  const t = performance.now();
  trainWorkload(spec, { X: run.X, y: run.y }, 0, "fast", backend);
  return { total: (performance.now() - t) / 1000, inside: inside / 1000 };
}

function serial(name) {
  const run = workloadRun(name);
  const best = { before: null, after: null };
  const loads = [load()];
  for (let pass = 0; pass < PASSES; pass++) {
    waitForQuiet();
    for (const design of pass % 2 ? ["after", "before"] : ["before", "after"]) {
      const r = timedRun(run, design);
      if (!best[design] || r.total < best[design].total) best[design] = r;
    }
    loads.push(load());
  }
  console.log(
    `\n${name}: serial fraction of a one-thread run, best of ${PASSES} (load ${loads.join(" → ")})`,
  );
  console.log(
    "design                                   total s  split calls s  serial s  s       Amdahl 2  8     16",
  );
  for (const [design, label] of [
    ["before", "before (large products split)"],
    ["after", "phases"],
  ]) {
    const { total, inside } = best[design];
    const s = (total - inside) / total;
    const bound = (p) => (1 / (s + (1 - s) / p)).toFixed(2);
    console.log(
      `${label.padEnd(38)} ${total.toFixed(3).padStart(9)} ${inside.toFixed(3).padStart(13)} ${(total - inside).toFixed(3).padStart(9)}  ` +
        `${s.toFixed(3)}  ${bound(2).padStart(7)} ${bound(8).padStart(5)} ${bound(16).padStart(6)}`,
    );
  }
}

if (ONLY.includes("crossover")) crossover();
if (ONLY.includes("training")) trainingCrossover();
if (ONLY.includes("scaling")) for (const name of WORKLOADS) scaling(name);
if (ONLY.includes("serial")) for (const name of WORKLOADS) serial(name);
