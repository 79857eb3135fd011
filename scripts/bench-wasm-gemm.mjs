// GFLOP/s of the WebAssembly SIMD products against the plain kernels.ts products on the
// workloads' shapes (a measuring script, not a test). Needs `npm run build` first.
//   node scripts/bench-wasm-gemm.mjs
import { performance } from "node:perf_hooks";
import {
  createWasmBackendSync,
  matmul,
  matmulTransA,
  matmulTransB,
  matrix,
} from "../dist/linalg/index.js";

// [workload, what, op, m, k, n]: C (m×n) = op(A) op(B) with inner size k.
const cases = [
  ["toy", "z1 = X W1", "gemm", 1000, 2, 16],
  ["toy", "dW1 = Xᵀ δ1", "gemmTransA", 2, 1000, 16],
  ["toy", "δ1 = δ2 W2ᵀ", "gemmTransB", 1000, 1, 16],
  ["tab", "z1 = X W1", "gemm", 64, 30, 64],
  ["tab", "z2 = a1 W2", "gemm", 64, 64, 1],
  ["tab", "dW1 = Xᵀ δ1", "gemmTransA", 30, 64, 64],
  ["tab", "dW2 = a1ᵀ δ2", "gemmTransA", 64, 64, 1],
  ["tab", "δ1 = δ2 W2ᵀ", "gemmTransB", 64, 1, 64],
  ["wide", "z1 = X W1", "gemm", 128, 784, 256],
  ["wide", "z2 = a1 W2", "gemm", 128, 256, 1],
  ["wide", "dW1 = Xᵀ δ1", "gemmTransA", 784, 128, 256],
  ["wide", "dW2 = a1ᵀ δ2", "gemmTransA", 256, 128, 1],
  ["wide", "δ1 = δ2 W2ᵀ", "gemmTransB", 128, 1, 256],
  ["(k>1 Bᵀ)", "A Bᵀ", "gemmTransB", 128, 256, 256],
];

const plain = { gemm: matmul, gemmTransA: matmulTransA, gemmTransB: matmulTransB };

function stored(op, m, k, n) {
  if (op === "gemm")
    return [
      [m, k],
      [k, n],
    ];
  if (op === "gemmTransA")
    return [
      [k, m],
      [k, n],
    ];
  return [
    [m, k],
    [n, k],
  ];
}

/**
 * Best CPU seconds per call over 7 rounds of ≈ 0.1 s. CPU time of this process (user +
 * system), not wall time: on a shared 2-core machine the wall clock also counts the time the
 * process waits for a core.
 */
function cpuSeconds() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}
function secondsPerCall(f) {
  let calls = 1;
  for (;;) {
    const t0 = performance.now();
    for (let r = 0; r < calls; r++) f();
    if (performance.now() - t0 > 25) break;
    calls *= 2;
  }
  calls *= 4;
  let best = Infinity;
  for (let round = 0; round < 7; round++) {
    const t0 = cpuSeconds();
    for (let r = 0; r < calls; r++) f();
    best = Math.min(best, (cpuSeconds() - t0) / calls);
  }
  return best;
}

const backend = createWasmBackendSync();
console.log(`backend: ${backend.name}, node ${process.version}`);
console.log("| workload | product | op | m×k×n | plain GFLOP/s | wasm GFLOP/s | speed-up |");
console.log("| --- | --- | --- | --- | ---: | ---: | ---: |");
let seed = 1;
const random = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 31 - 1;
for (const [workload, what, op, m, k, n] of cases) {
  const [[ar, ac], [br, bc]] = stored(op, m, k, n);
  const A = matrix(ar, ac, Float64Array.from({ length: ar * ac }, random));
  const B = matrix(br, bc, Float64Array.from({ length: br * bc }, random));
  backend.reset();
  const wa = backend.alloc(ar * ac);
  const wb = backend.alloc(br * bc);
  const wc = backend.alloc(m * n);
  wa.set(A.data);
  wb.set(B.data);
  const flops = 2 * m * k * n;
  const tPlain = secondsPerCall(() => plain[op](A, B));
  const tWasm = secondsPerCall(() => backend[op](m, k, n, wa, wb, wc));
  const g = (t) => (flops / t / 1e9).toFixed(2);
  console.log(
    `| ${workload} | ${what} | ${op} | ${m}×${k}×${n} | ${g(tPlain)} | ${g(tWasm)} | ${(tPlain / tWasm).toFixed(1)}× |`,
  );
}
