/**
 * What both training paths share: the options, the per-epoch record, the result, the
 * divergence error, and the checks every option passes before any work.
 */
import { HandgradError, UsageError } from "../errors.js";
import type { Backend, Matrix } from "../linalg/index.js";
import {
  activationByName,
  paramsAreFinite,
  type Activation,
  type ActivationName,
  type Params,
} from "../nn/index.js";

/** A labelled batch: X N×D, y N×1. */
export interface LabelledData {
  readonly X: Matrix;
  readonly y: Matrix;
}

export interface TrainOptions {
  readonly activation: Activation | ActivationName;
  /** η > 0. */
  readonly learningRate: number;
  /** Passes over the training set (0 only evaluates). */
  readonly epochs: number;
  /** Rows per step, or "full" for full-batch gradient descent. Larger than N means N. */
  readonly batchSize: number | "full";
  /** Shuffle the rows every epoch (default true; a full batch is never shuffled). */
  readonly shuffle?: boolean;
  /** Seed of the shuffling order. */
  readonly seed?: number;
  /** Held-out rows evaluated after every epoch. */
  readonly validation?: LabelledData;
  /** Called after every epoch (epoch 0 is before the first step). */
  readonly onEpoch?: (record: EpochRecord) => void;
  /**
   * "fast" (the default): the allocation-free engine (engine.ts) on a Backend, bit-identical
   * to "plain", the readable whole-matrix path (forward, backward, gradientDescentStep).
   */
  readonly engine?: TrainEngine;
  /** The Backend the fast engine runs its matrix products on (default: jsBackend). */
  readonly backend?: Backend;
}

export type TrainEngine = "fast" | "plain";
export const TRAIN_ENGINES: readonly TrainEngine[] = ["fast", "plain"];

/** Loss and accuracy after an epoch, on the whole training set (and validation set). */
export interface EpochRecord {
  readonly epoch: number;
  readonly loss: number;
  readonly accuracy: number;
  readonly validationLoss?: number;
  readonly validationAccuracy?: number;
}

export interface TrainResult {
  readonly params: Params;
  readonly history: EpochRecord[];
  /** Gradient steps taken. */
  readonly steps: number;
}

/** Training stopped because a loss or a parameter became NaN or ±Infinity. */
export class DivergenceError extends HandgradError {
  override readonly exitCode = 3;
  override name = "DivergenceError";
  constructor(
    message: string,
    readonly epoch: number,
    readonly step: number,
    readonly learningRate: number,
    /**
     * The parameters at the end of epoch `lastGoodEpoch`, the last epoch whose training (and
     * validation) loss was finite: finite themselves and usable on the data, unlike the
     * parameters just before the failing step, whose logits may already overflow.
     */
    readonly lastGoodParams: Params,
    readonly lastGoodEpoch: number,
    readonly history: EpochRecord[],
  ) {
    super(message);
  }
}

/** The options after their checks: what a training loop runs on. */
export interface TrainSettings {
  readonly activation: Activation;
  readonly learningRate: number;
  readonly epochs: number;
  /** Rows per step, 1..N. */
  readonly batchSize: number;
  /** Reshuffle every epoch (never for a full batch). */
  readonly shuffle: boolean;
  readonly seed: number;
}

/** Checks the options and the starting parameters (UsageError), before any work. */
export function trainSettings(
  initial: Params,
  data: LabelledData,
  options: TrainOptions,
): TrainSettings {
  const activation =
    typeof options.activation === "string"
      ? activationByName(options.activation)
      : options.activation;
  const { learningRate, epochs } = options;
  const N = data.X.rows;
  const batchSize = resolveBatchSize(options.batchSize, N);
  if (!(Number.isFinite(learningRate) && learningRate > 0)) {
    throw new UsageError(`learning rate must be a finite number > 0, got ${learningRate}`);
  }
  if (!Number.isInteger(epochs) || epochs < 0) {
    throw new UsageError(`epochs must be a non-negative integer, got ${epochs}`);
  }
  if (options.engine !== undefined && !TRAIN_ENGINES.includes(options.engine)) {
    throw new UsageError(
      `unknown engine "${String(options.engine)}" (known: ${TRAIN_ENGINES.join(", ")})`,
    );
  }
  if (!paramsAreFinite(initial))
    throw new UsageError("the starting parameters contain NaN or ±Infinity");
  return {
    activation,
    learningRate,
    epochs,
    batchSize,
    // A full batch is plain gradient descent: shuffling would only reorder the gradient's sum.
    shuffle: (options.shuffle ?? true) && batchSize < N,
    seed: options.seed ?? 0,
  };
}

/** The DivergenceError message for a failure at `epoch` after `steps` steps. */
export function divergenceMessage(
  epoch: number,
  steps: number,
  learningRate: number,
  what: string,
): string {
  return (
    `training diverged at epoch ${epoch}, step ${steps} (learning rate ${learningRate}): ${what}; ` +
    `try a lower learning rate`
  );
}

/** "the starting model's … on this data is not finite" (a DataError message). */
export function startingLossMessage(bad: string): string {
  return (
    `the starting model's ${bad} on this data is not finite: the features or the weights ` +
    `are too large for float64 (the logits z2 overflow)`
  );
}

export const STARTING_GRADIENT_MESSAGE =
  "the gradient at the starting model overflows on this data: the features or the weights are too large for float64";

function resolveBatchSize(batchSize: number | "full", N: number): number {
  if (N < 1) throw new UsageError("the training set is empty");
  if (batchSize === "full") return N;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new UsageError(`batch size must be a positive integer or "full", got ${batchSize}`);
  }
  return Math.min(batchSize, N);
}

export /** The name of the first non-finite figure of an epoch record, or undefined. */
function nonFiniteFigure(entry: EpochRecord): string | undefined {
  if (!Number.isFinite(entry.loss)) return "training loss";
  if (entry.validationLoss !== undefined && !Number.isFinite(entry.validationLoss))
    return "validation loss";
  return undefined;
}
