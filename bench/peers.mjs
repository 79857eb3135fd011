// `npm run bench:peers`: trains the three workloads with handgrad and every peer, each run in
// its own process (its own JIT warm-up and peak memory), one after the other, best of up to
// three runs;
// writes the measurements to bench/results.json and renders docs/performance.md and its
// figure from them (render.mjs). Needs `npm run build` and `npm ci --prefix bench` first.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { format } from "prettier";
import { exportForNumpy } from "./workloads.mjs";
import { writeReport } from "./render.mjs";
import { WORKLOAD_NAMES } from "../dist/bench/workloads.js";

const here = import.meta.dirname;
const root = resolve(here, "..");
const SEED = 0;
const REPEATS = 3;
const BUDGET_SECONDS = 15;
const dataDir = join(here, ".data");
mkdirSync(dataDir, { recursive: true });

const packageVersion = (dir) => JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).version;
const peerVersion = (name) => packageVersion(join(here, "node_modules", name));

/**
 * The peers. `subset` cuts a workload to its first `examples` rows and `epochs` passes where a
 * full run would take minutes: a peer that trains one example at a time runs at the same
 * examples/s on any number of rows, so the rate is measured on the subset.
 */
const PEERS = [
  {
    id: "handgrad",
    label: "handgrad",
    version: packageVersion(root),
    precision: "float64",
    notes:
      "`handgrad bench`: the library's `train`, mini-batch SGD; evaluates the loss on the whole training set before the first and after the last epoch only (timed)",
    command: (w) => [
      process.execPath,
      [join(root, "bin/handgrad.js"), "bench", "--workload", w, "--json", "--seed", String(SEED)],
    ],
  },
  {
    id: "numpy",
    label: "NumPy + OpenBLAS",
    version: null, // filled from the run
    precision: "float64",
    notes:
      "bench/numpy_mlp.py: the same loop written by us; same data, same starting weights and same batches as handgrad",
    command: (w) => {
      const spec = exportForNumpy(w, SEED, join(dataDir, `${w}.f64`));
      return [
        "python3",
        [
          join(here, "numpy_mlp.py"),
          join(dataDir, `${w}.f64`),
          JSON.stringify({ ...spec, name: w }),
        ],
      ];
    },
  },
  {
    id: "brain.js",
    label: "brain.js",
    version: peerVersion("brain.js"),
    precision: "float32 storage, float64 arithmetic",
    notes:
      "one example at a time, no shuffling, squared error, its activation on the output layer too, momentum `0.1` (it refuses 0)",
    subset: { wide: { examples: 2000, epochs: 1 } },
    command: (w, cut) => [
      process.execPath,
      [join(here, "peers/brain.mjs"), w, String(SEED), ...cut],
    ],
  },
  {
    id: "convnetjs",
    label: "ConvNetJS",
    version: peerVersion("convnetjs"),
    precision: "float64",
    notes:
      "Trainer sgd with the batch size (gradients summed one example at a time), momentum 0, no decay; 2-way softmax output",
    subset: { wide: { examples: 2000, epochs: 1 } },
    command: (w, cut) => [
      process.execPath,
      [join(here, "peers/convnet.mjs"), w, String(SEED), ...cut],
    ],
  },
  {
    id: "tfjs-cpu",
    label: "TensorFlow.js cpu",
    version: peerVersion("@tensorflow/tfjs"),
    precision: "float32",
    notes: "model.fit, sgd, binaryCrossentropy on the probability; plain JavaScript kernels",
    command: (w, cut) => [
      process.execPath,
      [join(here, "peers/tfjs.mjs"), w, String(SEED), ...cut],
      { TFJS_BACKEND: "cpu" },
    ],
  },
  {
    id: "tfjs-wasm",
    label: "TensorFlow.js wasm",
    version: peerVersion("@tensorflow/tfjs-backend-wasm"),
    precision: "float32",
    notes: "as cpu, with its WebAssembly kernels",
    command: (w, cut) => [
      process.execPath,
      [join(here, "peers/tfjs.mjs"), w, String(SEED), ...cut],
      { TFJS_BACKEND: "wasm" },
    ],
  },
  {
    id: "ml-matrix",
    label: "ml-matrix (products only)",
    version: peerVersion("ml-matrix"),
    precision: "float64",
    notes:
      "only the five matrix products of every training step (`mmul`), no training: examples/s-equivalent, an upper bound for a trainer built on it",
    command: (w, cut) => [
      process.execPath,
      [join(here, "peers/mlmatrix.mjs"), w, String(SEED), ...cut],
    ],
  },
];

/** Runs one peer once on one workload (in a process of its own) and returns its report. */
function measure(peer, workload, cut) {
  const [command, args, env = {}] = peer.command(workload, cut);
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

function hasNumpy() {
  const r = spawnSync("python3", ["-c", "import numpy"], { encoding: "utf8" });
  return r.status === 0;
}

const numpy = hasNumpy();
const runs = [];
const skipped = [];
if (!numpy)
  skipped.push({ peer: "numpy", reason: "python3 with NumPy is not available on this machine" });
const loadBefore = loadavg()[0];
const started = performance.now();
for (const workload of WORKLOAD_NAMES) {
  for (const peer of PEERS) {
    if (peer.id === "numpy" && !numpy) continue;
    const subset = peer.subset?.[workload];
    const cut = subset ? [String(subset.examples), String(subset.epochs)] : [];
    const t0 = performance.now();
    const tries = [];
    // Best of up to REPEATS runs, stopping once BUDGET_SECONDS of training is spent: the
    // fastest run is the one least slowed by whatever else the machine was doing.
    while (
      tries.length < REPEATS &&
      tries.reduce((sum, m) => sum + m.seconds, 0) < BUDGET_SECONDS
    ) {
      tries.push(measure(peer, workload, cut));
    }
    const m = tries.reduce((a, b) => (b.examplesPerSecond > a.examplesPerSecond ? b : a));
    runs.push({
      peer: peer.id,
      workload,
      examples: m.examples ?? m.N,
      epochs: m.epochs,
      subset: subset !== undefined,
      runs: tries.length,
      seconds: m.seconds,
      examplesPerSecond: m.examplesPerSecond,
      finalLoss: m.finalLoss ?? null,
      accuracy: m.accuracy ?? m.finalAccuracy ?? null,
      peakRssBytes: m.peakRssBytes,
      ...(m.gflops !== undefined ? { gflops: m.gflops, engine: m.engine } : {}),
      ...(m.simd !== undefined ? { simd: m.simd, threads: m.threads } : {}),
    });
    console.log(
      `${workload.padEnd(5)} ${peer.id.padEnd(10)} ${Math.round(m.examplesPerSecond).toString().padStart(9)} examples/s` +
        ` (best of ${tries.length}: ${tries.map((t) => t.seconds.toFixed(2)).join(", ")} s training; ${((performance.now() - t0) / 1000).toFixed(1)} s in all)`,
    );
  }
}

const results = {
  date: new Date().toISOString().slice(0, 10),
  seed: SEED,
  repeats: REPEATS,
  budgetSeconds: BUDGET_SECONDS,
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
    ...(numpy ? { python: PEERS.find((p) => p.id === "numpy").python } : {}),
  },
  peers: PEERS.filter((p) => p.id !== "numpy" || numpy).map(
    ({ id, label, version, precision, notes, subset }) => ({
      id,
      label,
      version,
      precision,
      notes,
      ...(subset ? { subset } : {}),
    }),
  ),
  skipped,
  runs,
};
const resultsFile = join(here, "results.json");
writeFileSync(resultsFile, await format(JSON.stringify(results), { filepath: resultsFile }));
console.log(`bench/results.json written (${((performance.now() - started) / 1000).toFixed(0)} s)`);
await writeReport(results);
console.log("docs/performance.md and docs/figures/performance-*.svg written");
