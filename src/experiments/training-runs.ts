/**
 * What the training experiments (optimizers, regularisation, early-stopping) share: the data
 * sets they train on, split into training and validation rows; the seeds of their repeated
 * runs; a run that reports divergence instead of throwing; and summary statistics.
 *
 * The breast-cancer data is the package's data/breast_cancer.csv (569 rows, 30 features, label
 * `malignant`), found from this module's address: src/experiments/ and dist/experiments/ are
 * both two folders below the package root. Its features are standardised with the mean and
 * standard deviation of the training rows only.
 */
import {
  applyStandardizer,
  fitStandardizer,
  makeDataset,
  splitDataset,
  type Dataset,
} from "../data/index.js";
import { loadCsv } from "../io/index.js";
import type { Matrix } from "../linalg/index.js";
import type { Params } from "../nn/index.js";
import { square } from "./elementary.js";
import { exp } from "../numerics/exp.js";
import { log } from "../numerics/log.js";
import { Rng, streamSeed } from "../rng.js";
import { DivergenceError, train, type TrainOptions, type TrainResult } from "../train/index.js";

/** Training and validation rows of one data set, ready to train on. */
export interface Split {
  readonly train: { readonly X: Matrix; readonly y: Matrix };
  readonly validation: { readonly X: Matrix; readonly y: Matrix };
}

/** The path of a file in the package's data/ folder. */
export function packagedDataPath(file: string): string {
  const path = decodeURIComponent(new URL(`../../data/${file}`, import.meta.url).pathname);
  return /^\/[A-Za-z]:\//.test(path) ? path.slice(1) : path; // "/C:/…" on Windows
}

let breastCancerRows: Dataset | undefined;

/** data/breast_cancer.csv, read once. */
export function breastCancer(): Dataset {
  breastCancerRows ??= loadCsv(packagedDataPath("breast_cancer.csv"));
  return breastCancerRows;
}

/**
 * The breast-cancer rows split by `seed` into `trainRows` training rows and the rest for
 * validation, standardised with the training rows' mean and standard deviation.
 */
export function breastCancerSplit(trainRows: number, seed: number): Split {
  const all = breastCancer();
  const N = all.X.rows;
  const { train: t, validation: v } = splitDataset(all, (N - trainRows) / N, seed);
  const standardizer = fitStandardizer(t.X);
  return {
    train: { X: applyStandardizer(t.X, standardizer), y: t.y },
    validation: { X: applyStandardizer(v.X, standardizer), y: v.y },
  };
}

/** A toy set of `samples` rows drawn from `seed`, a fraction of them held out for validation. */
export function toySplit(
  name: "moons" | "spirals",
  samples: number,
  validationFraction: number,
  seed: number,
  noise?: number,
): Split {
  const data = makeDataset(name, { samples, seed: streamSeed(seed, "data"), noise });
  const { train: t, validation: v } = splitDataset(
    data,
    validationFraction,
    streamSeed(seed, "split"),
  );
  return { train: { X: t.X, y: t.y }, validation: { X: v.X, y: v.y } };
}

/** `count` seeds for the repeated runs of an experiment run from `seed` (each a fresh draw). */
export function replicateSeeds(seed: number, count: number, offset = 0): number[] {
  const rng = new Rng(streamSeed(seed, "check"));
  const seeds: number[] = [];
  for (let i = 0; i < offset + count; i++) {
    const s = rng.nextUint32();
    if (i >= offset) seeds.push(s);
  }
  return seeds;
}

/** A run's result, or where it diverged (a loss, gradient or parameter became non-finite). */
export type Outcome =
  | { readonly diverged: false; readonly result: TrainResult }
  | { readonly diverged: true; readonly epoch: number };

/**
 * train() on one thread, validated on the split's held-out rows unless `validate` is false, with
 * a DivergenceError reported as an outcome rather than thrown.
 */
export function trainOutcome(
  initial: Params,
  split: Split,
  options: TrainOptions,
  validate = true,
): Outcome {
  try {
    const validation = validate ? { validation: split.validation } : {};
    return {
      diverged: false,
      result: train(initial, split.train, { threads: 1, ...validation, ...options }),
    };
  } catch (error) {
    if (error instanceof DivergenceError) return { diverged: true, epoch: error.epoch };
    throw error;
  }
}

/** The mean of the values (NaN for none). */
export function mean(values: readonly number[]): number {
  return values.reduce((s, x) => s + x, 0) / values.length;
}

/** The sample standard deviation (divide by n − 1; 0 for a single value). */
export function sampleStd(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const m = mean(values);
  return Math.sqrt(values.reduce((s, x) => s + square(x - m), 0) / (values.length - 1));
}

/** The median of the values (NaN for none). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The geometric mean (for losses spread over decades, as on a log axis), by handgrad's own exp and log. */
export function geometricMean(values: readonly number[]): number {
  return exp(mean(values.map(log)));
}

/** ‖W1‖² + ‖W2‖²: what the L2 penalty charges, λ/2 times it. */
export function weightSquares(params: Params): number {
  let s = 0;
  for (const W of [params.W1, params.W2]) for (const w of W.data) s += w * w;
  return s;
}
