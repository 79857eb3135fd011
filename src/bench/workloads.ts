/**
 * The seeded synthetic workloads of the performance benchmark (`handgrad bench`,
 * `npm run bench:peers`). Features are standard normal, X ~ N(0, 1) entry by entry (N×D);
 * labels come from a fixed random teacher network with T tanh units, so the task is
 * learnable by the student of the workload:
 *
 *   s = tanh(X U / √D) v     U: D×T, v: T×1, both N(0, 1) entry by entry
 *   y = 1 when s > 0, else 0  N×1
 *
 * X is symmetric about 0 and s is odd in X, so the classes are balanced in expectation.
 *
 * An app-level module (it names nn's activations, so it cannot live in data/): `handgrad
 * bench` imports it, and the root bench/ scripts read it from dist/bench/workloads.js.
 */
import { UsageError } from "../errors.js";
import { matrix, type Matrix } from "../linalg/index.js";
import type { ActivationName } from "../nn/index.js";
import { tanh } from "../numerics/index.js";
import { Rng, streamSeed } from "../rng.js";

export type WorkloadName = "toy" | "tab" | "wide";

/** A workload: the data's shape and the training run on it (issue 4's table). */
export interface WorkloadSpec {
  readonly N: number;
  readonly D: number;
  /** Hidden units of the trained network. */
  readonly H: number;
  readonly activation: ActivationName;
  /** Rows per step, or "full" (batch gradient descent). */
  readonly batch: number | "full";
  readonly epochs: number;
  /** η of plain SGD (not in the table; fixed here so every peer uses the same). */
  readonly learningRate: number;
}

export const WORKLOADS: Readonly<Record<WorkloadName, WorkloadSpec>> = {
  toy: { N: 1000, D: 2, H: 16, activation: "tanh", batch: "full", epochs: 200, learningRate: 0.5 },
  tab: { N: 20_000, D: 30, H: 64, activation: "relu", batch: 64, epochs: 3, learningRate: 0.1 },
  wide: {
    N: 10_000,
    D: 784,
    H: 256,
    activation: "relu",
    batch: 128,
    epochs: 2,
    learningRate: 0.05,
  },
};

export const WORKLOAD_NAMES = Object.keys(WORKLOADS) as WorkloadName[];

/** Hidden units T of the teacher that labels the data. */
export const TEACHER_UNITS = 4;

export interface Workload {
  readonly X: Matrix; // N×D
  readonly y: Matrix; // N×1, labels 0/1
  readonly spec: WorkloadSpec;
}

/**
 * The data of workload `name` drawn from `seed` (same seed → bit-identical data); `samples`
 * draws only the first rows (the same rows as the full workload's, for quick tests).
 */
export function makeWorkload(
  name: string,
  seed: number,
  options: { readonly samples?: number } = {},
): Workload {
  if (!Object.hasOwn(WORKLOADS, name)) {
    throw new UsageError(`unknown workload "${name}" (known: ${WORKLOAD_NAMES.join(", ")})`);
  }
  const spec = WORKLOADS[name as WorkloadName];
  const { D } = spec;
  const N = Math.min(options.samples ?? spec.N, spec.N);
  const rng = new Rng(streamSeed(seed, "data"));
  const T = TEACHER_UNITS;
  const U = Float64Array.from({ length: D * T }, () => rng.normal()); // D×T
  const v = Float64Array.from({ length: T }, () => rng.normal()); // T×1
  const X = new Float64Array(N * D);
  for (let i = 0; i < X.length; i++) X[i] = rng.normal();
  const y = new Float64Array(N);
  const scale = 1 / Math.sqrt(D);
  for (let n = 0; n < N; n++) {
    let s = 0;
    for (let t = 0; t < T; t++) {
      let u = 0; // (X U)_{n t}
      for (let d = 0; d < D; d++) u += (X[n * D + d] as number) * (U[d * T + t] as number);
      s += tanh(u * scale) * (v[t] as number); // handgrad's own tanh: the same labels in every engine
    }
    y[n] = s > 0 ? 1 : 0;
  }
  return { X: matrix(N, D, X), y: matrix(N, 1, y), spec };
}
