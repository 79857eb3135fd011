/**
 * `handgrad bench --workload toy|tab|wide`: trains one synthetic workload (src/bench/workloads.ts)
 * and reports its speed. Only the training call is timed, not the data generation. By default
 * that call evaluates the loss on the whole training set before the first and after the last
 * epoch only (TrainOptions.evaluate "first-and-last", as the peers of bench/peers.mjs, which
 * do not evaluate per epoch); --evaluate-every-epoch times the per-epoch evaluation too.
 *
 *   examples/s  = N × epochs / training wall time
 *   GFLOP/s     = epochs × flopsPerEpoch / training wall time / 10⁹, counting the matrix
 *                 products only: forward 2NDH + 2NH (X W1, a1 W2), backward 2NDH + 4NH
 *                 (X^T dZ1, a1^T dZ2, dZ2 W2^T). Element-wise work (bias, activation, loss,
 *                 the SGD update) and the library's loss evaluations are not counted.
 *   peak RSS    = process.resourceUsage().maxRSS (KiB on Linux) × 1024, in bytes: the peak of
 *                 the whole process, data generation included.
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
import { booleanFlag, choiceFlag, threadsFlag, type Flags, type FlagSpecs } from "../flags.js";
import type { Output } from "../output.js";
import { seedFlag } from "../setup.js";

export const BENCH_FLAGS: FlagSpecs = {
  workload: {
    kind: "string",
    value: "NAME",
    help: `the workload to train: ${WORKLOAD_NAMES.join(", ")}`,
  },
  seed: { kind: "string", value: "N", help: "seed of the data, the weights and the shuffling (0)" },
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
    help: 'threads for the fast engine\'s large products: N or "auto" (the default: 2 where it pays)',
  },
  json: {
    kind: "boolean",
    help:
      "print {workload, examplesPerSecond, gflops, peakRssBytes, finalLoss, …} on stdout; " +
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
}

/**
 * Generates workload `name` from `seed`, trains it once and measures the training call. The
 * fast engine's backend (WebAssembly SIMD sized for the run, or the JS one, with its helper
 * threads started when `threads` asks for them) is made before the clock starts, and named
 * in the result.
 */
export function runBench(
  name: string,
  seed: number,
  engine: BenchEngine = "fast",
  evaluate: EvaluationSchedule = "first-and-last",
  threads: ThreadsOption = "auto",
): BenchResult {
  const { X, y, spec } = makeWorkload(name, seed);
  const batch = spec.batch === "full" ? spec.N : spec.batch;
  const backend =
    engine === "fast" ? engineBackend(spec.N, batch, spec.D, spec.H, 1, threads) : undefined;
  const start = process.hrtime.bigint();
  const final = trainWorkload(spec, { X, y }, seed, engine, backend, evaluate);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const flops = flopsPerEpoch(spec);
  return {
    workload: name,
    engine: backend ? `${engine} (${backend.name})` : engine,
    evaluate,
    threads: backend instanceof ThreadedWasmBackend ? backend.threads : 1,
    seed,
    N: spec.N,
    epochs: spec.epochs,
    seconds,
    secondsPerEpoch: seconds / spec.epochs,
    examplesPerSecond: (spec.N * spec.epochs) / seconds,
    flopsPerEpoch: flops,
    gflops: (flops * spec.epochs) / seconds / 1e9,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    finalLoss: final.loss,
    finalAccuracy: final.accuracy,
  };
}

export function benchCommand(flags: Flags, output: Output): number {
  if (!flags.has("workload")) {
    throw new UsageError(`--workload is required (one of ${WORKLOAD_NAMES.join(", ")})`);
  }
  const name = choiceFlag(flags, "workload", WORKLOAD_NAMES, "toy"); // given: no default used
  const seed = seedFlag(flags);
  const engine = choiceFlag(flags, "engine", BENCH_ENGINES, "fast");
  const everyEpoch = booleanFlag(flags, "evaluate-every-epoch");
  const r = runBench(
    name,
    seed,
    engine,
    everyEpoch ? "every-epoch" : "first-and-last",
    threadsFlag(flags, MAX_THREADS),
  );
  const timed = everyEpoch
    ? "training and the loss on all rows after every epoch"
    : "training and the loss on all rows before the first and after the last epoch only";
  output.log(
    `bench ${r.workload} (engine ${r.engine}, seed ${r.seed}): ${r.epochs} epochs of ${r.N} examples in ${r.seconds.toFixed(3)} s\n` +
      `  timed       ${timed}\n` +
      `  examples/s  ${Math.round(r.examplesPerSecond)}\n` +
      `  s/epoch     ${r.secondsPerEpoch.toPrecision(4)}\n` +
      `  GFLOP/s     ${r.gflops.toPrecision(4)} (matrix products only: 4NDH + 6NH flops per epoch)\n` +
      `  peak RSS    ${(r.peakRssBytes / 2 ** 20).toFixed(1)} MiB (maxRSS of the process)\n` +
      `  final loss  ${r.finalLoss}`,
  );
  if (booleanFlag(flags, "json")) output.json(r);
  return 0;
}
