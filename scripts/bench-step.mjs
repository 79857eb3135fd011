// Steady-state training speed of the small workloads (issue 17): examples/s of `train()` on
// toy and tab, in one warm process, each run after a warm-up, best of the rounds. With
// --baseline DIR it also loads another build's dist/ (e.g. a copy of the commit before a
// change) and interleaves the two, round by round, so that both see the same machine load.
// With --numpy it runs bench/numpy_mlp.py on the same data (best of the rounds; NumPy times its
// training loop and its two whole-set losses, as handgrad, after a warm-up run). Rates are given by wall time and by
// the process's CPU time. A measuring script, not a test;
// needs `npm run build` first. Prints the 1-minute load average before and after.
// With --unfused (instead of --baseline) it compares this build with itself without the fused
// step (Backend.step removed: the products and passes one call each, the update in JavaScript).
// With --sweep it trains batch shapes B×D→H (relu, K = 1, 4 epochs of 2048 rows) on this build
// with and without the fused step (Backend.step), interleaved, and prints µs per step of each:
// the measurement behind the fused step's threshold (usesStepKernels in steppers/fast.ts).
//   node scripts/bench-step.mjs [--rounds 7] [--workloads toy,tab] [--baseline DIR] [--numpy]
//                               [--epochs N] (the workload's epochs times N per timed run)
//                               [--optimizer momentum|nesterov|adam] (instead of sgd)
//                               [--activation relu|tanh|…] (instead of the workload's: what
//                               the hidden layer's function costs, e.g. toy with relu)
//                               [--threads N] (the engine backend's threads, default 1; the
//                               workloads with large steps, wide: --workloads wide --threads 2)
// Each line gives the best and the median of the rounds (wall time).
//   node scripts/bench-step.mjs --unfused [--rounds 7] [--workloads toy,tab] [--optimizer …]
//   node scripts/bench-step.mjs --sweep [--rounds 7]
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";

const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const at = argv.indexOf(name);
  return at === -1 ? fallback : argv[at + 1];
};
const ROUNDS = Number(option("--rounds", "7"));
const WORKLOADS = option("--workloads", "toy,tab").split(",");
const EPOCH_FACTOR = Number(option("--epochs", "1"));
const baselineDir = option("--baseline", undefined);
const OPTIMIZER = option("--optimizer", undefined); // sgd (the workloads') unless given
const THREADS = Number(option("--threads", "1"));
const ACTIVATION = option("--activation", undefined); // the workload's unless given
const here = resolve(import.meta.dirname, "..");

/** One build's entry points. */
async function build(dist, label) {
  const load = (path) => import(pathToFileURL(join(dist, path)).href);
  const [{ workloadParams }, { train, engineBackend }, { makeWorkload }, { streamSeed }] =
    await Promise.all([
      load("cli/commands/bench.js"),
      load("train/index.js"),
      load("bench/workloads.js"),
      load("rng.js"),
    ]);
  return { label, workloadParams, train, engineBackend, makeWorkload, streamSeed };
}

const builds = [await build(join(here, "dist"), "this build")];
if (baselineDir) builds.unshift(await build(resolve(baselineDir), "baseline"));
else if (argv.includes("--unfused")) {
  builds.unshift({ ...builds[0], label: "this build, kernels one by one", unfused: true });
}

/**
 * Wall seconds and CPU seconds (this process, user + system: less disturbed by other processes
 * taking the cores) of one training run of the workload on `b`, and its final loss.
 */
function runOnce(b, name) {
  const { X, y, spec: base } = b.makeWorkload(name, 0);
  const spec = {
    ...base,
    epochs: base.epochs * EPOCH_FACTOR,
    ...(ACTIVATION ? { activation: ACTIVATION } : {}),
  };
  const batch = spec.batch === "full" ? spec.N : spec.batch;
  // As the bench command's run (trainWorkload), the backend made before the clock starts.
  const momentSets = { momentum: 1, nesterov: 1, adam: 2 }[OPTIMIZER] ?? 0;
  const backend = b.engineBackend(spec.N, batch, spec.D, spec.H, 1, THREADS, momentSets);
  if (b.unfused) Object.defineProperty(backend, "step", { value: undefined });
  const options = {
    backend,
    activation: spec.activation,
    learningRate: OPTIMIZER === "adam" ? spec.learningRate / 10 : spec.learningRate,
    epochs: spec.epochs,
    batchSize: batch,
    seed: b.streamSeed(0, "shuffle"),
    evaluate: "first-and-last",
    ...(OPTIMIZER ? { optimizer: OPTIMIZER } : {}),
  };
  const start0 = b.workloadParams(spec, 0);
  const cpu = process.cpuUsage();
  const start = performance.now();
  const result = b.train(start0, { X, y }, options);
  const seconds = (performance.now() - start) / 1000;
  const { user, system } = process.cpuUsage(cpu);
  const loss = result.history[result.history.length - 1].loss;
  return { seconds, cpuSeconds: (user + system) / 1e6, loss, spec };
}

async function numpyRun(name) {
  const { exportForNumpy } = await import(pathToFileURL(join(here, "bench/workloads.mjs")).href);
  const dir = mkdtempSync(join(tmpdir(), "bench-step-"));
  try {
    const file = join(dir, `${name}.f64`);
    const spec = exportForNumpy(name, 0, file);
    let best = Infinity;
    for (let r = 0; r < ROUNDS; r++) {
      const out = spawnSync(
        "python3",
        [join(here, "bench/numpy_mlp.py"), file, JSON.stringify({ ...spec, name })],
        { encoding: "utf8" },
      );
      if (out.status !== 0) throw new Error(out.stderr);
      best = Math.min(best, JSON.parse(out.stdout).seconds);
    }
    return (spec.N * spec.epochs) / best;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** µs of CPU time per step of 4 epochs of batches of B on 2048 rows, fused or not. */
async function sweep() {
  const dist = join(here, "dist");
  const load = (path) => import(pathToFileURL(join(dist, path)).href);
  const [{ engineBackend, train }, { matrix }, { initParams }, { Rng }] = await Promise.all([
    load("train/index.js"),
    load("linalg/index.js"),
    load("nn/index.js"),
    load("rng.js"),
  ]);
  const N = 2048;
  const epochs = 4;
  const run = (B, D, H, fused, X, y, start) => {
    const backend = engineBackend(N, B, D, H, 1, 1);
    if (!fused) Object.defineProperty(backend, "step", { value: undefined });
    const options = { activation: "relu", learningRate: 0.01, epochs, batchSize: B, seed: 1 };
    const cpu = process.cpuUsage();
    train(start, { X, y }, { ...options, evaluate: "first-and-last", backend });
    const { user, system } = process.cpuUsage(cpu);
    return (user + system) / ((epochs * N) / B);
  };
  console.log("| B | D | H | 2·B·D·H flops | µs/step one by one | µs/step fused | speed-up |");
  console.log("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const [B, D, H] of [
    [64, 2, 16],
    [64, 30, 64],
    [128, 30, 64],
    [64, 100, 128],
    [128, 100, 128],
    [128, 300, 128],
    [128, 300, 256],
    [128, 784, 128],
    [256, 784, 256],
  ]) {
    // prettier-ignore
    const rng = new Rng(B * 7 + D * 13 + H);
    const X = matrix(
      N,
      D,
      Float64Array.from({ length: N * D }, () => rng.normal()),
    );
    const y = matrix(
      N,
      1,
      Float64Array.from({ length: N }, () => (rng.uniform() < 0.5 ? 0 : 1)),
    );
    const start = initParams({ inputs: D, hidden: H, init: "he", seed: 1 });
    const best = [Infinity, Infinity];
    for (let r = -1; r < ROUNDS; r++) {
      for (const fused of [false, true]) {
        const us = run(B, D, H, fused, X, y, start);
        if (r >= 0) best[+fused] = Math.min(best[+fused], us); // round −1 warms up
      }
    }
    const [plain, fused] = best;
    const ratio = (plain / fused).toFixed(3);
    console.log(
      `| ${B} | ${D} | ${H} | ${2 * B * D * H} | ${plain.toFixed(1)} | ${fused.toFixed(1)} | ${ratio} |`,
    );
  }
}

const loadText = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(" ");
console.log(`load average before: ${loadText()}`);
if (argv.includes("--sweep")) {
  await sweep();
  console.log(`load average after: ${loadText()}`);
  process.exit(0);
}
for (const name of WORKLOADS) {
  const best = builds.map(() => Infinity);
  const bestCpu = builds.map(() => Infinity);
  const all = builds.map(() => []);
  let losses = [];
  for (const b of builds) runOnce(b, name); // warm-up: JIT and WebAssembly tier-up
  for (let r = 0; r < ROUNDS; r++) {
    builds.forEach((b, i) => {
      const { seconds, cpuSeconds, loss } = runOnce(b, name);
      best[i] = Math.min(best[i], seconds);
      all[i].push(seconds);
      bestCpu[i] = Math.min(bestCpu[i], cpuSeconds);
      losses[i] = loss;
    });
  }
  const { spec } = runOnce(builds[0], name);
  const rates = best.map((s) => (spec.N * spec.epochs) / s);
  const cpuRates = bestCpu.map((s) => (spec.N * spec.epochs) / s);
  const medians = all.map((list) => {
    const sorted = [...list].sort((a, b) => a - b);
    return (spec.N * spec.epochs) / sorted[sorted.length >> 1];
  });
  const line = builds
    .map(
      (b, i) =>
        `${b.label} ${Math.round(rates[i])} (median ${Math.round(medians[i])}; CPU time: ${Math.round(cpuRates[i])})`,
    )
    .join(", ");
  const same = losses.every((l) => Object.is(l, losses[0]));
  let extra = "";
  if (builds.length === 2) {
    extra += `, ×${(rates[1] / rates[0]).toFixed(3)} (median ×${(medians[1] / medians[0]).toFixed(3)}, CPU time ×${(cpuRates[1] / cpuRates[0]).toFixed(3)})`;
  }
  if (argv.includes("--numpy") && EPOCH_FACTOR === 1) {
    const numpy = await numpyRun(name);
    extra += `; NumPy ${Math.round(numpy)}, this build ÷ NumPy ${(rates.at(-1) / numpy).toFixed(3)}`;
  }
  console.log(
    `${name}${THREADS > 1 ? ` (${THREADS} threads)` : ""}: examples/s (best of ${ROUNDS}) ${line}${extra}; final losses ${same ? "identical" : "DIFFER"}`,
  );
  losses = [];
}
console.log(`load average after: ${loadText()}`);
