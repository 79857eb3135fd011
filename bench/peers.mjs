// `npm run bench:peers`: trains the three workloads with handgrad and every peer, one after the
// other, and records two figures per peer and workload:
//   cold          the first training run of a fresh process (JIT compilation, WebAssembly
//                 tier-up, first-touch memory, BLAS start-up included): the best of up to
//                 PROCESSES processes;
//   steady state  up to REPEAT further runs in each of those processes, each from the same
//                 start (the first run warmed them up): the best and the median of them all.
// A peer whose report has no steady-state run has a cold figure only, and the doc says so.
// Writes the measurements to bench/results.json and renders docs/performance.md and its figure
// from them (render.mjs). Needs `npm run build` and `npm ci --prefix bench` first.
//
//   node bench/peers.mjs [--peers ID,…] [--out FILE]   the measurement (minutes of CPU)
//   node bench/peers.mjs --quick [--peers ID,…] [--out FILE]
//       a smoke run: one process per peer and workload, one steady-state run after the cold
//       one, the JavaScript peers on QUICK_CUT; handgrad and NumPy on the whole workloads
//       (seconds each). Peers not installed are skipped and listed. Writes FILE (default
//       bench/.data/quick-results.json), never bench/results.json nor the doc.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { format } from "prettier";
import { exportForNumpy } from "./workloads.mjs";
import { writeReport } from "./render.mjs";
import { WORKLOADS, WORKLOAD_NAMES } from "../dist/bench/workloads.js";
import { median } from "../dist/experiments/training-runs.js";
import { engineThreads } from "../dist/train/index.js";

const here = import.meta.dirname;
const root = resolve(here, "..");
const SEED = 0;
/** Fresh processes per peer and workload, each giving one cold run: the best counts. */
const PROCESSES = 3;
/** Steady-state runs each process makes after its cold one. */
const REPEAT = 5;
/**
 * Seconds of training per peer and workload after which no further process or steady-state
 * run starts (a process always makes its cold run and one steady-state run).
 */
const BUDGET_SECONDS = 15;
/** --quick: the JavaScript peers' cut of every workload (rows, epochs). */
const QUICK_CUT = { examples: 300, epochs: 1 };
const dataDir = join(here, ".data");

function usageError(message) {
  process.stderr.write(`bench/peers.mjs: ${message}\n`);
  process.exit(2);
}

let options;
try {
  ({ values: options } = parseArgs({
    options: {
      quick: { type: "boolean", default: false },
      peers: { type: "string" },
      out: { type: "string" },
    },
    strict: true,
  }));
} catch (error) {
  usageError(`${error.message} (options: --quick, --peers ID,…, --out FILE)`);
}

const packageVersion = (dir) => JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).version;
const peerDir = (name) => join(here, "node_modules", name);

/**
 * The peers. `package`: the npm package a JavaScript peer needs (bench/package.json). `subset`
 * cuts a workload to its first `examples` rows and `epochs` passes where a full run would take
 * minutes: a peer that trains one example at a time runs at the same examples/s on any number
 * of rows, so the rate is measured on the subset. `command(workload, run)` gives the process
 * to spawn for one workload, `run` holding `cut` (rows, epochs or none), `repeat`, `budget` and
 * `threads` (handgrad's thread count on the workload).
 */
const PEERS = [
  {
    id: "handgrad",
    label: "handgrad",
    version: () => packageVersion(root),
    precision: "float64",
    notes:
      "`handgrad bench`: the library's `train`, mini-batch SGD; evaluates the loss on the whole training set before the first and after the last epoch only (timed)",
    command: (w, { repeat }) => [
      process.execPath,
      [
        join(root, "bin/handgrad.js"),
        "bench",
        "--workload",
        w,
        "--json",
        "--seed",
        String(SEED),
        "--repeat",
        String(repeat),
      ],
    ],
  },
  {
    id: "numpy",
    label: "NumPy + OpenBLAS",
    version: null, // filled from the run
    precision: "float64",
    notes:
      "bench/numpy_mlp.py: the same loop written by us; same data, same starting weights and same batches as handgrad, and like handgrad it times the loss on all rows before the first and after the last epoch; OpenBLAS on as many threads as handgrad's products (`OPENBLAS_NUM_THREADS`)",
    command: (w, { repeat, budget, threads }) => {
      const spec = exportForNumpy(w, SEED, join(dataDir, `${w}.f64`));
      return [
        "python3",
        [
          join(here, "numpy_mlp.py"),
          join(dataDir, `${w}.f64`),
          JSON.stringify({ ...spec, name: w, repeat, budget, threads }),
        ],
      ];
    },
  },
  {
    id: "brain.js",
    label: "brain.js",
    package: "brain.js",
    precision: "float32 storage, float64 arithmetic",
    notes:
      "one example at a time, no shuffling, squared error, its activation on the output layer too, momentum `0.1` (it refuses 0)",
    subset: { wide: { examples: 1000, epochs: 2 } }, // all epochs: evaluations weigh as in handgrad
    command: (w, run) => [process.execPath, [join(here, "peers/brain.mjs"), ...peerFlags(w, run)]],
  },
  {
    id: "convnetjs",
    label: "ConvNetJS",
    package: "convnetjs",
    precision: "float64",
    notes:
      "Trainer sgd with the batch size (gradients summed one example at a time), momentum 0, no decay; 2-way softmax output",
    subset: { wide: { examples: 1000, epochs: 2 } }, // all epochs: evaluations weigh as in handgrad
    command: (w, run) => [
      process.execPath,
      [join(here, "peers/convnet.mjs"), ...peerFlags(w, run)],
    ],
  },
  {
    id: "tfjs-cpu",
    label: "TensorFlow.js cpu",
    package: "@tensorflow/tfjs",
    precision: "float32",
    notes: "model.fit, sgd, binaryCrossentropy on the probability; plain JavaScript kernels",
    command: (w, run) => [
      process.execPath,
      [join(here, "peers/tfjs.mjs"), ...peerFlags(w, run)],
      { TFJS_BACKEND: "cpu" },
    ],
  },
  {
    id: "tfjs-wasm",
    label: "TensorFlow.js wasm",
    package: "@tensorflow/tfjs-backend-wasm",
    precision: "float32",
    notes: "as cpu, with its WebAssembly kernels",
    command: (w, run) => [
      process.execPath,
      [join(here, "peers/tfjs.mjs"), ...peerFlags(w, run)],
      { TFJS_BACKEND: "wasm" },
    ],
  },
  {
    id: "ml-matrix",
    label: "ml-matrix (products only)",
    package: "ml-matrix",
    precision: "float64",
    notes:
      "only the five matrix products of every training step (`mmul`), no training: examples/s-equivalent, an upper bound for a trainer built on it",
    command: (w, run) => [
      process.execPath,
      [join(here, "peers/mlmatrix.mjs"), ...peerFlags(w, run)],
    ],
  },
];

/** The command line of a peer script (bench/workloads.mjs peerArgs). */
function peerFlags(workload, { cut, repeat, budget }) {
  return [
    ...["--workload", workload, "--seed", String(SEED), "--repeat", String(repeat)],
    ...["--budget", String(budget)],
    ...(cut ? ["--examples", String(cut.examples), "--epochs", String(cut.epochs)] : []),
  ];
}

/** Runs one peer once on one workload (in a process of its own) and returns its report. */
function measure(peer, workload, run) {
  const [command, args, env = {}] = peer.command(workload, run);
  const r = spawnSync(command, args, {
    encoding: "utf8",
    maxBuffer: 1 << 24,
    env: { ...process.env, ...env },
  });
  if (r.status !== 0) {
    throw new Error(`${peer.id} on ${workload} failed (exit ${r.status}):\n${r.stderr}`);
  }
  // handgrad prints one pretty JSON document, the peers one JSON line (after any chatter).
  const out = r.stdout.trim();
  const m = JSON.parse(peer.id === "handgrad" ? out : out.split("\n").at(-1));
  if (peer.id === "numpy") peer.version = m.numpy;
  if (peer.id === "numpy") peer.python = m.python;
  return m;
}

/**
 * The processes' reports of one peer on one workload as one record: the cold figure of the
 * process with the fastest cold run (its loss, accuracy and memory too), and the steady state
 * over every process's steady-state runs (none: no steady fields).
 */
function combine(peer, workload, subset, reports) {
  const best = reports.reduce((a, b) => (b.examplesPerSecond > a.examplesPerSecond ? b : a));
  const steady = reports
    .flatMap((m) => m.runs ?? [])
    .filter((run) => run.phase === "steady")
    .map((run) => run.examplesPerSecond);
  return {
    peer: peer.id,
    workload,
    examples: best.examples ?? best.N,
    epochs: best.epochs,
    subset: subset !== undefined,
    runs: reports.length,
    seconds: best.seconds,
    examplesPerSecond: best.examplesPerSecond,
    ...(steady.length > 0
      ? {
          steadyRuns: steady.length,
          steadyExamplesPerSecond: Math.max(...steady),
          steadyMedianExamplesPerSecond: median(steady),
        }
      : {}),
    finalLoss: best.finalLoss ?? null,
    accuracy: best.accuracy ?? best.finalAccuracy ?? null,
    peakRssBytes: best.peakRssBytes,
    ...(best.gflops !== undefined ? { gflops: best.gflops, engine: best.engine } : {}),
    ...(peer.id === "handgrad" || peer.id === "numpy" ? { threads: best.threads } : {}),
    ...(best.simd !== undefined ? { simd: best.simd, threads: best.threads } : {}),
  };
}

function hasNumpy() {
  const r = spawnSync("python3", ["-c", "import numpy"], { encoding: "utf8" });
  return r.status === 0;
}

/** The peers --peers names (all when absent); an unknown id is a usage error. */
function chosenPeers() {
  if (options.peers === undefined) return PEERS;
  const ids = options.peers.split(",").map((id) => id.trim());
  for (const id of ids) {
    if (!PEERS.some((p) => p.id === id)) {
      usageError(`--peers: unknown peer "${id}" (known: ${PEERS.map((p) => p.id).join(", ")})`);
    }
  }
  return PEERS.filter((p) => ids.includes(p.id));
}

const quick = options.quick;
if (!quick && options.peers !== undefined && options.out === undefined) {
  usageError("--peers needs --out or --quick (bench/results.json records every peer)");
}
const resultsFile = resolve(
  options.out ?? (quick ? join(dataDir, "quick-results.json") : join(here, "results.json")),
);
const plan = {
  processes: quick ? 1 : PROCESSES,
  repeat: quick ? 1 : REPEAT,
  budgetSeconds: quick ? 0 : BUDGET_SECONDS,
};
mkdirSync(dataDir, { recursive: true });

const peers = [];
const skipped = [];
for (const peer of chosenPeers()) {
  if (peer.id === "numpy" && !hasNumpy()) {
    skipped.push({ peer: peer.id, reason: "python3 with NumPy is not available on this machine" });
  } else if (peer.package !== undefined && !existsSync(peerDir(peer.package))) {
    if (!quick) usageError(`${peer.package} is not installed: run npm ci --prefix bench`);
    skipped.push({
      peer: peer.id,
      reason: `${peer.package} is not installed (npm ci --prefix bench)`,
    });
  } else {
    peers.push(peer);
  }
}

const runs = [];
const loadBefore = loadavg()[0];
const started = performance.now();
for (const workload of WORKLOAD_NAMES) {
  const spec = WORKLOADS[workload];
  const batch = spec.batch === "full" ? spec.N : spec.batch;
  const threads = engineThreads(spec.N, batch, spec.D, spec.H, 1, "auto");
  for (const peer of peers) {
    const subset = peer.package !== undefined && quick ? QUICK_CUT : peer.subset?.[workload];
    const t0 = performance.now();
    const reports = [];
    let spent = 0;
    // Fresh processes while the budget lasts: the fastest cold run is the one least slowed by
    // whatever else the machine was doing.
    while (
      reports.length < plan.processes &&
      (reports.length === 0 || spent < plan.budgetSeconds)
    ) {
      const budget = Math.max(plan.budgetSeconds - spent, 0);
      const m = measure(peer, workload, { cut: subset, repeat: plan.repeat, budget, threads });
      spent += (m.runs ?? [m]).reduce((sum, run) => sum + run.seconds, 0);
      reports.push(m);
    }
    const record = combine(peer, workload, subset, reports);
    runs.push(record);
    const steady =
      record.steadyRuns === undefined
        ? "no steady state"
        : `steady ${Math.round(record.steadyExamplesPerSecond)} best, ${Math.round(record.steadyMedianExamplesPerSecond)} median of ${record.steadyRuns}`;
    console.log(
      `${workload.padEnd(5)} ${peer.id.padEnd(10)} cold ${Math.round(record.examplesPerSecond).toString().padStart(9)} examples/s (best of ${reports.length}), ${steady}` +
        ` (${spent.toFixed(2)} s training; ${((performance.now() - t0) / 1000).toFixed(1)} s in all)` +
        (subset ? `, on the first ${subset.examples} rows, ${subset.epochs} epoch(s)` : ""),
    );
  }
}

const results = {
  date: new Date().toISOString().slice(0, 10),
  ...(quick ? { quick: true } : {}),
  seed: SEED,
  repeats: plan.processes,
  steadyRepeats: plan.repeat,
  budgetSeconds: plan.budgetSeconds,
  machine: {
    cpu: cpus()[0]?.model ?? "unknown",
    cores: cpus().length,
    memoryBytes: totalmem(),
    platform: `${process.platform} ${process.arch}`,
    loadAverageBefore: Math.round(loadBefore * 100) / 100,
    loadAverageAfter: Math.round(loadavg()[0] * 100) / 100,
  },
  versions: {
    node: process.versions.node,
    ...(peers.some((p) => p.id === "numpy")
      ? { python: PEERS.find((p) => p.id === "numpy").python }
      : {}),
  },
  peers: peers.map(({ id, label, version, package: name, precision, notes, subset }) => ({
    id,
    label,
    version:
      typeof version === "function" ? version() : name ? packageVersion(peerDir(name)) : version,
    precision,
    notes,
    ...(subset && !quick ? { subset } : {}),
    ...(quick && name
      ? { subset: Object.fromEntries(WORKLOAD_NAMES.map((w) => [w, QUICK_CUT])) }
      : {}),
  })),
  skipped,
  runs,
};
writeFileSync(resultsFile, await format(JSON.stringify(results), { filepath: resultsFile }));
console.log(`${resultsFile} written (${((performance.now() - started) / 1000).toFixed(0)} s)`);
if (!quick && options.out === undefined) {
  await writeReport(results);
  console.log("docs/performance.md and docs/figures/performance-*.svg written");
}
