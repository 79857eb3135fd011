/**
 * `handgrad bench --workload toy|tab|wide [--repeat R]`: trains one synthetic workload
 * (src/bench/workloads.ts) R + 1 times in one process and reports its speed, cold and in steady
 * state. Only the training call is timed, not the data generation nor the backend's creation.
 * By default that call evaluates the loss on the whole training set before the first and after
 * the last epoch only (TrainOptions.evaluate "first-and-last", as the peers of bench/peers.mjs,
 * which do not evaluate per epoch); --evaluate-every-epoch times the per-epoch evaluation too.
 *
 *   cold          the first run: V8 compiles the JavaScript and tiers the WebAssembly up while
 *                 it runs, which weighs most on runs of a fraction of a second (toy, tab)
 *   steady state  the R runs after it, the cold one having warmed them up: the best and the
 *                 median examples/s of the R
 *
 * Every run starts from the same seeded weights, data and shuffling on the same backend (its
 * buffers reset), so every run does the same work: their final losses are bit-identical, which
 * runBench checks.
 *
 *   examples/s  = N × epochs / training wall time
 *   GFLOP/s     = epochs × flopsPerEpoch / training wall time / 10⁹, counting the matrix
 *                 products only: forward 2NDH + 2NH (X W1, a1 W2), backward 2NDH + 4NH
 *                 (X^T dZ1, a1^T dZ2, dZ2 W2^T). Element-wise work (bias, activation, loss,
 *                 the SGD update) and the library's loss evaluations are not counted.
 *   peak RSS    = process.resourceUsage().maxRSS (KiB on Linux) × 1024, in bytes: the peak of
 *                 the whole process over all its runs, data generation included.
 */
import { makeWorkload, WORKLOAD_NAMES, type WorkloadSpec } from "../../bench/workloads.js";
import { UsageError } from "../../errors.js";
import { ThreadedWasmBackend, type Backend, type ThreadsOption } from "../../linalg/index.js";
import { defaultInitFor, initParams, type Params } from "../../nn/index.js";
import { streamSeed } from "../../rng.js";
import {
  engineBackend,
  MAX_THREADS,
  train,
  type EvaluationSchedule,
  type LabelledData,
} from "../../train/index.js";
import { median } from "../../experiments/training-runs.js";
import {
  booleanFlag,
  choiceFlag,
  integerFlag,
  threadsFlag,
  type Flags,
  type FlagSpecs,
} from "../flags.js";
import type { Output } from "../output.js";
import { seedFlag } from "../setup.js";

/** Steady-state runs after the cold one when --repeat is not given. */
export const DEFAULT_REPEAT = 5;
/** The most steady-state runs --repeat accepts. */
export const MAX_REPEAT = 1000;

/** The options of `handgrad bench`. */
export const BENCH_FLAGS: FlagSpecs = {
  workload: {
    kind: "string",
    value: "NAME",
    help: `the workload to train: ${WORKLOAD_NAMES.join(", ")}`,
  },
  seed: { kind: "string", value: "N", help: "seed of the data, the weights and the shuffling (0)" },
  repeat: {
    kind: "string",
    value: "R",
    help: `after the timed cold run, R more runs timed as the steady state: their best and median (${DEFAULT_REPEAT}; 1 to ${MAX_REPEAT})`,
  },
  engine: {
    kind: "string",
    value: "fast|plain",
    help: "fast (the default: workspaces, fused kernels, WebAssembly SIMD products) or plain (the readable path)",
  },
  "evaluate-every-epoch": {
    kind: "boolean",
    help: "also time the loss on the whole training set after every epoch (default: before the first and after the last only)",
  },
  threads: {
    kind: "string",
    value: "N|auto",
    help: 'threads for the fast engine: at most N, or "auto" (the default: at most one per core); none gets under 2 MFLOP of a call, so toy and tab keep one',
  },
  json: {
    kind: "boolean",
    help:
      "print {workload, coldExamplesPerSecond, steadyExamplesPerSecond, steadyMedianExamplesPerSecond, runs, gflops, peakRssBytes, finalLoss, …} on stdout; " +
      "GFLOP/s counts the matrix products only: forward 2NDH + 2NH, backward 2NDH + 4NH per epoch",
  },
};

export const BENCH_ENGINES = ["fast", "plain"] as const;
export type BenchEngine = (typeof BENCH_ENGINES)[number];

/**
 * Floating-point operations of one epoch's matrix products (a multiply-add counts 2):
 * forward 2NDH + 2NH, backward 2NDH + 4NH, i.e. 4NDH + 6NH (the output width K is 1).
 */
export function flopsPerEpoch(spec: Pick<WorkloadSpec, "N" | "D" | "H">): number {
  const { N, D, H } = spec;
  return 2 * N * D * H + 2 * N * H + (2 * N * D * H + 4 * N * H);
}

/**
 * Trains `data` as the workload `spec` says, from weights drawn from `seed`, and returns the
 * mean cross-entropy and the accuracy on the whole training set after the last epoch (the
 * same bits whatever `evaluate` says). The one call site of the training engine: switch the
 * engine here.
 */
export function trainWorkload(
  spec: WorkloadSpec,
  data: LabelledData,
  seed: number,
  engine: BenchEngine = "fast",
  backend?: Backend,
  evaluate: EvaluationSchedule = "first-and-last",
): { readonly loss: number; readonly accuracy: number } {
  const result = train(workloadParams(spec, seed), data, {
    activation: spec.activation,
    learningRate: spec.learningRate,
    epochs: spec.epochs,
    batchSize: spec.batch,
    seed: streamSeed(seed, "shuffle"),
    engine,
    evaluate,
    ...(backend ? { backend } : {}),
  });
  const last = result.history[result.history.length - 1];
  if (last === undefined) throw new Error("internal: training returned no history");
  return { loss: last.loss, accuracy: last.accuracy };
}

/** The starting weights of a workload's run: the CLI's default init for its activation. */
export function workloadParams(spec: WorkloadSpec, seed: number): Params {
  return initParams({
    inputs: spec.D,
    hidden: spec.H,
    init: defaultInitFor(spec.activation),
    seed: streamSeed(seed, "init"),
  });
}

/** One timed training run of a benchmark. */
export interface BenchRun {
  /** "cold": the process's first run; "steady": one of the R runs after it. */
  readonly phase: "cold" | "steady";
  readonly seconds: number;
  readonly examplesPerSecond: number;
  /** The same bits in every run of a benchmark (runBench checks). */
  readonly finalLoss: number;
  readonly finalAccuracy: number;
}

/**
 * What `handgrad bench --json` prints. `seconds`, `secondsPerEpoch`, `examplesPerSecond` and
 * `gflops` are the cold run's, as they were before --repeat (so `examplesPerSecond` equals
 * `coldExamplesPerSecond`).
 */
export interface BenchResult {
  readonly workload: string;
  readonly engine: string;
  /** Which loss evaluations the timed call made (TrainOptions.evaluate). */
  readonly evaluate: EvaluationSchedule;
  /** Threads the products ran on (1: the main thread only). */
  readonly threads: number;
  readonly seed: number;
  readonly N: number;
  readonly epochs: number;
  readonly seconds: number;
  readonly secondsPerEpoch: number;
  readonly examplesPerSecond: number;
  readonly flopsPerEpoch: number;
  readonly gflops: number;
  readonly peakRssBytes: number;
  readonly finalLoss: number;
  readonly finalAccuracy: number;
  /** R, the number of steady-state runs. */
  readonly repeat: number;
  readonly coldExamplesPerSecond: number;
  /** The best of the R steady-state runs. */
  readonly steadyExamplesPerSecond: number;
  readonly steadyMedianExamplesPerSecond: number;
  /** Every run in order: the cold one, then the R steady-state ones. */
  readonly runs: readonly BenchRun[];
}

/** How runBench trains: the defaults are `handgrad bench`'s. */
export interface BenchOptions {
  readonly seed?: number;
  readonly engine?: BenchEngine;
  readonly evaluate?: EvaluationSchedule;
  readonly threads?: ThreadsOption;
  /** Steady-state runs after the cold one, R ≥ 1 (DEFAULT_REPEAT). */
  readonly repeat?: number;
}

/**
 * Generates workload `name` from `seed` and trains it 1 + `repeat` times in this process,
 * timing each training call: the first is the cold run, the others the steady state. The fast
 * engine's backend (WebAssembly SIMD sized for the run, or the JS one, with its helper threads
 * started when `threads` asks for them) is made once before the first clock starts, reset
 * before every run and named in the result. Throws if a run's final loss differs from the
 * cold run's in any bit: then the runs did not do the same work.
 */
export function runBench(name: string, options: BenchOptions = {}): BenchResult {
  const {
    seed = 0,
    engine = "fast",
    evaluate = "first-and-last",
    threads = "auto",
    repeat = DEFAULT_REPEAT,
  } = options;
  if (!Number.isInteger(repeat) || repeat < 1) {
    throw new RangeError(`runBench: repeat must be an integer ≥ 1, got ${repeat}`);
  }
  const { X, y, spec } = makeWorkload(name, seed);
  const batch = spec.batch === "full" ? spec.N : spec.batch;
  const backend =
    engine === "fast" ? engineBackend(spec.N, batch, spec.D, spec.H, 1, threads) : undefined;
  const examples = spec.N * spec.epochs;
  const runs: BenchRun[] = [];
  for (let i = 0; i <= repeat; i++) {
    backend?.reset(); // the stepper allocates its buffers afresh on it
    const start = process.hrtime.bigint();
    const final = trainWorkload(spec, { X, y }, seed, engine, backend, evaluate);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const cold = runs[0];
    if (cold !== undefined && !Object.is(final.loss, cold.finalLoss)) {
      throw new Error(
        `internal: bench run ${i} ended with loss ${final.loss}, the cold run with ${cold.finalLoss}: not the same work`,
      );
    }
    runs.push({
      phase: i === 0 ? "cold" : "steady",
      seconds,
      examplesPerSecond: examples / seconds,
      finalLoss: final.loss,
      finalAccuracy: final.accuracy,
    });
  }
  const [cold, ...steady] = runs as [BenchRun, ...BenchRun[]];
  const steadyRates = steady.map((r) => r.examplesPerSecond);
  const flops = flopsPerEpoch(spec);
  return {
    workload: name,
    engine: backend ? `${engine} (${backend.name})` : engine,
    evaluate,
    threads: backend instanceof ThreadedWasmBackend ? backend.threads : 1,
    seed,
    N: spec.N,
    epochs: spec.epochs,
    seconds: cold.seconds,
    secondsPerEpoch: cold.seconds / spec.epochs,
    examplesPerSecond: cold.examplesPerSecond,
    flopsPerEpoch: flops,
    gflops: (flops * spec.epochs) / cold.seconds / 1e9,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    finalLoss: cold.finalLoss,
    finalAccuracy: cold.finalAccuracy,
    repeat,
    coldExamplesPerSecond: cold.examplesPerSecond,
    steadyExamplesPerSecond: Math.max(...steadyRates),
    steadyMedianExamplesPerSecond: median(steadyRates),
    runs,
  };
}

/** `handgrad bench`: reads the flags, runs runBench, prints the report (and the JSON with --json). */
export function benchCommand(flags: Flags, output: Output): number {
  if (!flags.has("workload")) {
    throw new UsageError(`--workload is required (one of ${WORKLOAD_NAMES.join(", ")})`);
  }
  const name = choiceFlag(flags, "workload", WORKLOAD_NAMES, "toy"); // given: no default used
  const seed = seedFlag(flags);
  const engine = choiceFlag(flags, "engine", BENCH_ENGINES, "fast");
  const everyEpoch = booleanFlag(flags, "evaluate-every-epoch");
  const threads = threadsFlag(flags, MAX_THREADS);
  if (engine === "plain" && flags.has("threads"))
    throw new UsageError(
      "--threads applies to --engine fast (the plain engine runs on the main thread only)",
    );
  const repeat = integerFlag(flags, "repeat", DEFAULT_REPEAT, 1, MAX_REPEAT);
  const r = runBench(name, {
    seed,
    engine,
    evaluate: everyEpoch ? "every-epoch" : "first-and-last",
    threads,
    repeat,
  });
  const timed = everyEpoch
    ? "training and the loss on all rows after every epoch"
    : "training and the loss on all rows before the first and after the last epoch only";
  const gflops = (examplesPerSecond: number): string =>
    ((examplesPerSecond / r.N) * r.flopsPerEpoch * 1e-9).toPrecision(4);
  const steadyTimes =
    r.repeat <= 10
      ? `: ${r.runs
          .slice(1)
          .map((run) => run.seconds.toFixed(3))
          .join(", ")} s`
      : "";
  const lines: [string, string][] = [
    ["timed", timed],
    [
      "cold",
      `${Math.round(r.coldExamplesPerSecond)} examples/s (the first run: ${r.seconds.toFixed(3)} s, ${r.secondsPerEpoch.toPrecision(4)} s/epoch)`,
    ],
    ["steady best", `${Math.round(r.steadyExamplesPerSecond)} examples/s`],
    [
      "steady median",
      `${Math.round(r.steadyMedianExamplesPerSecond)} examples/s (of the ${r.repeat === 1 ? "run" : `${r.repeat} runs`} after the cold one${steadyTimes})`,
    ],
    [
      "GFLOP/s",
      `cold ${r.gflops.toPrecision(4)}, steady best ${gflops(r.steadyExamplesPerSecond)} (matrix products only: 4NDH + 6NH flops per epoch)`,
    ],
    ["peak RSS", `${(r.peakRssBytes / 2 ** 20).toFixed(1)} MiB (maxRSS of the process)`],
    ["final loss", `${r.finalLoss} (every run's, bit for bit)`],
  ];
  if (typeof threads === "number" && r.threads < threads) {
    lines.unshift([
      "threads",
      `${r.threads} of the ${threads} asked: no call of this run gives a thread 2 MFLOP, the least a split gives`,
    ]);
  }
  output.log(
    `bench ${r.workload} (engine ${r.engine}, seed ${r.seed}): ${r.epochs} epochs of ${r.N} examples, ` +
      `1 cold run then ${r.repeat} in steady state, in one process\n` +
      lines.map(([label, text]) => `  ${label.padEnd(15)}${text}`).join("\n"),
  );
  if (booleanFlag(flags, "json")) output.json(r);
  return 0;
}
