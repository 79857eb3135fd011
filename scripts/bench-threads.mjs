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
//   node scripts/bench-threads.mjs [--passes 5] [--only crossover,scaling,serial]
//                                  [--workloads wide,tab] [--threads 2,3,4]
import { loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { trainWorkload } from "../dist/cli/commands/bench.js";
import { makeWorkload } from "../dist/bench/workloads.js";
import {
  createThreadedWasmBackendSync,
  createWasmBackendSync,
  MIN_FLOPS_PER_THREAD,
} from "../dist/linalg/wasm/index.js";
import { runValues } from "../dist/nn/index.js";

const flag = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : process.argv[at + 1];
};
const PASSES = Number(flag("passes", "5"));
const ONLY = flag("only", "crossover,scaling,serial").split(",");
const WORKLOADS = flag("workloads", "wide,tab").split(",");
const THREADS = flag("threads", "2,3,4").split(",").map(Number);
const load = () => loadavg()[0].toFixed(2);

function threaded(capacity, threads, options = {}) {
  const backend = createThreadedWasmBackendSync({ capacity, threads, ...options });
  if (!backend) throw new Error("threads are unsupported here");
  return backend;
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
    "what               op          m×k×n          MFLOP/thread(2)  1 thread µs  2 threads µs  speed-up",
  );
  cases.forEach(([what, op, m, k, n], i) => {
    const flops = op === "phases" ? 2 * m * n * (2 * k + 3) : 2 * m * k * n;
    const [t1, t2] = best[i];
    console.log(
      `${what.padEnd(18)} ${op.padEnd(11)} ${`${m}×${k}×${n}`.padEnd(14)} ${(flops / 2e6).toFixed(3).padStart(15)} ` +
        `${(t1 * 1e6).toFixed(1).padStart(12)} ${(t2 * 1e6).toFixed(1).padStart(13)} ${(t1 / t2).toFixed(2).padStart(9)}`,
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
  const joins = configs.map(() => 0);
  const loads = [load()];
  for (let pass = 0; pass < PASSES; pass++) {
    for (let j = 0; j < configs.length; j++) {
      const i = (j + pass) % configs.length; // rotate the order
      const backend = configs[i].make();
      const start = backend.joins ?? 0;
      const t = performance.now();
      trainWorkload(spec, { X: run.X, y: run.y }, 0, "fast", backend);
      rate[i] = Math.max(rate[i], (spec.N * spec.epochs) / ((performance.now() - t) / 1000));
      joins[i] = (backend.joins ?? 0) - start;
    }
    loads.push(load());
  }
  console.log(
    `\n${name}: examples/s, best of ${PASSES} passes (load ${loads.join(" → ")}); ${run.steps} steps, ` +
      `${run.evaluationBatches} evaluation batches (forward only) per run`,
  );
  console.log(
    "configuration                                   examples/s  × 1 thread  joins/run  joins/step",
  );
  configs.forEach(({ label }, i) => {
    console.log(
      `${label.padEnd(46)} ${Math.round(rate[i]).toString().padStart(11)} ${(rate[i] / rate[0]).toFixed(2).padStart(11)} ` +
        `${joins[i].toString().padStart(10)} ${(joins[i] / run.steps).toFixed(2).padStart(11)}`,
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
if (ONLY.includes("scaling")) for (const name of WORKLOADS) scaling(name);
if (ONLY.includes("serial")) for (const name of WORKLOADS) serial(name);
