// Where splitting a product across two threads pays (sets PARALLEL_MIN_FLOPS in
// src/linalg/wasm/threaded-backend.ts). Wall time per call of each WebAssembly product on one
// thread against the same product split by rows of C between the main thread and one helper
// (every product split: minFlops 0). As in training, each call comes after a gap of other
// work long enough for the helper to have gone to sleep, so the time includes waking it.
// Per case: the median of 60 calls; the best median over the passes (other processes may
// share the cores: the best pass is the one they left alone). A measuring script, not a test.
// Needs `npm run build` first.
// With --workloads it also trains each workload (as `handgrad bench`) on one thread and with
// every product split (minFlops 0), best of the passes, in examples/s.
//   node scripts/bench-threads.mjs [--passes 5] [--workloads]
import { performance } from "node:perf_hooks";
import { trainWorkload } from "../dist/cli/commands/bench.js";
import { makeWorkload } from "../dist/bench/workloads.js";
import { createThreadedWasmBackendSync, createWasmBackendSync } from "../dist/linalg/wasm/index.js";
import { runValues } from "../dist/nn/index.js";

const passesAt = process.argv.indexOf("--passes");
const PASSES = passesAt === -1 ? 5 : Number(process.argv[passesAt + 1]);
const CALLS = 60;
const GAP_MS = 0.3; // longer than the helper's spin before it sleeps

// [what, op, m, k, n]: C (m×n) = op(A) op(B) with inner size k; 2mkn flops.
const cases = [
  ["toy z1 = X W1", "gemm", 1000, 2, 16],
  ["tab z1 = X W1", "gemm", 64, 30, 64],
  ["tab dW1 = Xᵀ δ1", "gemmTransA", 30, 64, 64],
  ["wide δ2 W2ᵀ", "gemmTransB", 128, 1, 256],
  ["wide z1 = X W1", "gemm", 128, 784, 256],
  ["wide dW1 = Xᵀ δ1", "gemmTransA", 784, 128, 256],
];
// Batch-shaped products of growing depth: 128×k×256 (gemm, gemmTransB) and k×128×256 for Xᵀ δ.
for (const k of [4, 8, 16, 32, 64, 96, 128]) {
  cases.push(["sweep", "gemm", 128, k, 256]);
  cases.push(["sweep", "gemmTransA", k, 128, 256]);
  cases.push(["sweep", "gemmTransB", 128, k, 256]);
}

const CAPACITY = 1 << 21;
const single = createWasmBackendSync({ capacity: CAPACITY });
const threaded = createThreadedWasmBackendSync({ capacity: CAPACITY, threads: 2, minFlops: 0 });
if (!threaded) throw new Error("threads are unsupported here");

function buffers(backend) {
  backend.reset();
  const A = backend.alloc(784 * 256);
  const B = backend.alloc(784 * 256);
  const C = backend.alloc(784 * 256);
  let s = 1;
  for (const X of [A, B]) {
    for (let i = 0; i < X.length; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      X[i] = s / 2 ** 31 - 1;
    }
  }
  return [A, B, C];
}
const operands = new Map([
  [single, buffers(single)],
  [threaded, buffers(threaded)],
]);

function gap() {
  const end = performance.now() + GAP_MS;
  while (performance.now() < end);
}

/** Median wall seconds of one call, each after a gap. */
function medianSeconds(backend, op, m, k, n) {
  const [A, B, C] = operands.get(backend);
  const times = [];
  for (let i = 0; i < CALLS; i++) {
    gap();
    const t = performance.now();
    backend[op](m, k, n, A, B, C);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[CALLS >> 1] / 1000;
}

const best = cases.map(() => [Infinity, Infinity]);
for (let pass = 0; pass < PASSES; pass++) {
  cases.forEach(([, op, m, k, n], i) => {
    const b = best[i];
    b[0] = Math.min(b[0], medianSeconds(single, op, m, k, n));
    b[1] = Math.min(b[1], medianSeconds(threaded, op, m, k, n));
  });
}
console.log(
  "what                 op          m×k×n           MFLOP   1 thread µs  2 threads µs  speed-up",
);
cases.forEach(([what, op, m, k, n], i) => {
  const [t1, t2] = best[i];
  console.log(
    `${what.padEnd(20)} ${op.padEnd(11)} ${`${m}×${k}×${n}`.padEnd(14)} ${((2 * m * k * n) / 1e6).toFixed(3).padStart(7)} ` +
      `${(t1 * 1e6).toFixed(1).padStart(12)} ${(t2 * 1e6).toFixed(1).padStart(13)} ${(t1 / t2).toFixed(2).padStart(9)}`,
  );
});

if (process.argv.includes("--workloads")) {
  console.log("\nworkload  1 thread ex/s  2 threads, every product split, ex/s  speed-up");
  for (const name of ["toy", "tab", "wide"]) {
    const { X, y, spec } = makeWorkload(name, 0);
    const rows = spec.batch === "full" ? spec.N : spec.batch;
    const values = runValues(rows, spec.D, spec.H, 1, rows === spec.N ? 2 : 3);
    const rate = [0, 0];
    for (let pass = 0; pass < PASSES; pass++) {
      [1, 2].forEach((threads, i) => {
        const backend =
          threads === 1
            ? createWasmBackendSync({ capacity: values })
            : createThreadedWasmBackendSync({ capacity: values, threads, minFlops: 0 });
        const t = performance.now();
        trainWorkload(spec, { X, y }, 0, "fast", backend);
        rate[i] = Math.max(rate[i], (spec.N * spec.epochs) / ((performance.now() - t) / 1000));
      });
    }
    console.log(
      `${name.padEnd(9)} ${Math.round(rate[0]).toString().padStart(14)} ${Math.round(rate[1]).toString().padStart(38)} ${(rate[1] / rate[0]).toFixed(2).padStart(9)}`,
    );
  }
}
