/**
 * The benchmark workloads of issue 4: fixed, seeded synthetic data sets with the network and
 * the training settings to run on them.
 *
 *   name  N       D    H    activation  batch  epochs
 *   toy   1 000   2    16   tanh        full   200
 *   tab   20 000  30   64   relu        64     3
 *   wide  10 000  784  256  relu        128    2
 *
 * Features are standard normal, X_nd ~ N(0, 1). Labels come from a random teacher network
 * with TEACHER_HIDDEN tanh units, y_n = [t(x_n) > 0] with
 *   t(x) = tanh(x V1 / √D) v2 / √TEACHER_HIDDEN,   V1 D×T, v2 T×1, entries N(0, 1),
 * so the classes are about balanced and not linearly separable.
 */
import { UsageError } from "../errors.js";
import { matrix } from "../linalg/index.js";
import { Rng } from "../rng.js";
import type { Dataset } from "./dataset.js";

export type WorkloadName = "toy" | "tab" | "wide";
export const WORKLOAD_NAMES: readonly WorkloadName[] = ["toy", "tab", "wide"];

/** What a workload trains: the data's shape, the network and the training settings. */
export interface WorkloadSpec {
  readonly name: WorkloadName;
  readonly samples: number; // N
  readonly features: number; // D
  readonly hidden: number; // H
  readonly activation: "tanh" | "relu";
  readonly batchSize: number | "full";
  readonly epochs: number;
  /** η: a rate at which every workload trains without diverging. */
  readonly learningRate: number;
}

export const WORKLOADS: Readonly<Record<WorkloadName, WorkloadSpec>> = {
  toy: {
    name: "toy",
    samples: 1000,
    features: 2,
    hidden: 16,
    activation: "tanh",
    batchSize: "full",
    epochs: 200,
    learningRate: 0.5,
  },
  tab: {
    name: "tab",
    samples: 20_000,
    features: 30,
    hidden: 64,
    activation: "relu",
    batchSize: 64,
    epochs: 3,
    learningRate: 0.1,
  },
  wide: {
    name: "wide",
    samples: 10_000,
    features: 784,
    hidden: 256,
    activation: "relu",
    batchSize: 128,
    epochs: 2,
    learningRate: 0.05,
  },
};

/** Hidden units T of the teacher network that labels the rows. */
export const TEACHER_HIDDEN = 8;

/** A workload's spec and its data set. */
export interface Workload extends WorkloadSpec {
  readonly data: Dataset;
}

/**
 * The workload called `name`, with its data drawn from `seed` (same seed, bit-identical
 * data). `samples` overrides N (e.g. a smaller quick run).
 */
export function makeWorkload(
  name: string,
  seed = 0,
  overrides: { readonly samples?: number } = {},
): Workload {
  if (!Object.hasOwn(WORKLOADS, name)) {
    throw new UsageError(`unknown workload "${name}" (known: ${WORKLOAD_NAMES.join(", ")})`);
  }
  const spec = WORKLOADS[name as WorkloadName];
  const samples = overrides.samples ?? spec.samples;
  if (!Number.isSafeInteger(samples) || samples < 1) {
    throw new UsageError(`workload samples must be a positive integer, got ${samples}`);
  }
  return { ...spec, samples, data: teacherData(samples, spec.features, seed) };
}

/** N×D standard-normal features labelled by a random tanh teacher (see the module comment). */
export function teacherData(N: number, D: number, seed: number): Dataset {
  const rng = new Rng(seed);
  const T = TEACHER_HIDDEN;
  const V1 = Float64Array.from({ length: D * T }, () => rng.normal() / Math.sqrt(D)); // D×T
  const v2 = Float64Array.from({ length: T }, () => rng.normal() / Math.sqrt(T)); // T×1
  const X = new Float64Array(N * D);
  for (let i = 0; i < X.length; i++) X[i] = rng.normal();
  const y = new Float64Array(N);
  const hidden = new Float64Array(T);
  for (let n = 0; n < N; n++) {
    hidden.fill(0);
    for (let d = 0; d < D; d++) {
      const x = X[n * D + d] as number;
      for (let t = 0; t < T; t++) hidden[t] = (hidden[t] as number) + x * (V1[d * T + t] as number);
    }
    let logit = 0; // t(x_n) = tanh(x_n V1) v2
    for (let t = 0; t < T; t++) logit += Math.tanh(hidden[t] as number) * (v2[t] as number);
    y[n] = logit > 0 ? 1 : 0;
  }
  return {
    X: matrix(N, D, X),
    y: matrix(N, 1, y),
    featureNames: Array.from({ length: D }, (_, d) => `x${d + 1}`),
    labelName: "y",
  };
}
