/**
 * The training loop: epochs of (optionally shuffled) mini-batches, one gradient-descent
 * step per batch. Batch size N (or "full") is plain gradient descent. Records the loss
 * and accuracy over the whole training set (and the validation set) after every epoch,
 * and stops with a DivergenceError as soon as a loss, a gradient or a parameter stops
 * being finite, carrying the parameters of the last epoch whose losses were finite.
 */
import { DataError, HandgradError, UsageError } from "../errors.js";
import { gatherRows, type Matrix } from "../linalg/index.js";
import {
  accuracy,
  activationByName,
  backward,
  forward,
  gradsAreFinite,
  loss,
  paramsAreFinite,
  type Activation,
  type ActivationName,
  type Params,
} from "../nn/index.js";
import { Rng } from "../rng.js";
import { gradientDescentStep } from "./optimizer.js";

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
}

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

/** Trains from `initial` on `data` by mini-batch gradient descent; see TrainOptions. */
export function train(initial: Params, data: LabelledData, options: TrainOptions): TrainResult {
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
  // A full batch is plain gradient descent: shuffling would only reorder the gradient's sum.
  const shuffle = (options.shuffle ?? true) && batchSize < N;
  const rng = new Rng(options.seed ?? 0);

  if (!paramsAreFinite(initial))
    throw new UsageError("the starting parameters contain NaN or ±Infinity");

  let params = initial; // always finite: a step is taken only when its result is
  let lastGood = { params, epoch: 0 }; // the last epoch-end parameters with finite losses
  let steps = 0;
  const history: EpochRecord[] = [];
  const diverged = (epoch: number, what: string): DivergenceError =>
    new DivergenceError(
      `training diverged at epoch ${epoch}, step ${steps} (learning rate ${learningRate}): ${what}; ` +
        `try a lower learning rate`,
      epoch,
      steps,
      learningRate,
      lastGood.params,
      lastGood.epoch,
      history,
    );
  const record = (epoch: number): void => {
    const entry = evaluate(epoch, params, data, activation, options.validation);
    const bad = nonFiniteFigure(entry);
    if (bad && epoch === 0) {
      throw new DataError(
        `the starting model's ${bad} on this data is not finite: the features or the weights ` +
          `are too large for float64 (the logits z2 overflow)`,
      );
    }
    if (bad) throw diverged(epoch, `the ${bad} became non-finite`);
    lastGood = { params, epoch };
    history.push(entry);
    options.onEpoch?.(entry);
  };

  record(0);
  // No learning rate has acted yet: a gradient that overflows here is the data's and the
  // starting model's doing (checked on the full batch, so whatever the shuffling order).
  const atStart = forward(params, data.X, activation);
  if (epochs > 0 && !gradsAreFinite(backward(params, atStart, data.X, data.y, activation))) {
    throw new DataError(
      "the gradient at the starting model overflows on this data: the features or the weights are too large for float64",
    );
  }
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const order = shuffle ? rng.permutation(N) : null;
    for (let start = 0; start < N; start += batchSize) {
      const batch = selectBatch(data, order, start, Math.min(start + batchSize, N));
      const cache = forward(params, batch.X, activation);
      const batchLoss = loss(cache, batch.y);
      const grads = backward(params, cache, batch.X, batch.y, activation);
      const next = gradientDescentStep(params, grads, learningRate);
      steps++;
      if (!Number.isFinite(batchLoss)) throw diverged(epoch, `the loss became ${batchLoss}`);
      if (!gradsAreFinite(grads)) throw diverged(epoch, "a gradient became non-finite");
      if (!paramsAreFinite(next)) throw diverged(epoch, "a parameter became non-finite");
      params = next;
    }
    record(epoch);
  }
  return { params, history, steps };
}

/** The rows start..end−1 of the epoch's order (all of data, uncopied, for an unshuffled full batch). */
function selectBatch(
  data: LabelledData,
  order: Uint32Array | null,
  start: number,
  end: number,
): LabelledData {
  if (order === null && start === 0 && end === data.X.rows) return data;
  const indices = order
    ? order.subarray(start, end)
    : Array.from({ length: end - start }, (_, i) => start + i);
  return { X: gatherRows(data.X, indices), y: gatherRows(data.y, indices) };
}

function resolveBatchSize(batchSize: number | "full", N: number): number {
  if (N < 1) throw new UsageError("the training set is empty");
  if (batchSize === "full") return N;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new UsageError(`batch size must be a positive integer or "full", got ${batchSize}`);
  }
  return Math.min(batchSize, N);
}

/** The name of the first non-finite figure of an epoch record, or undefined. */
function nonFiniteFigure(entry: EpochRecord): string | undefined {
  if (!Number.isFinite(entry.loss)) return "training loss";
  if (entry.validationLoss !== undefined && !Number.isFinite(entry.validationLoss))
    return "validation loss";
  return undefined;
}

function evaluate(
  epoch: number,
  params: Params,
  data: LabelledData,
  activation: Activation,
  validation: LabelledData | undefined,
): EpochRecord {
  const train = forward(params, data.X, activation);
  const entry = { epoch, loss: loss(train, data.y), accuracy: accuracy(train.p, data.y) };
  if (!validation) return entry;
  const held = forward(params, validation.X, activation);
  return {
    ...entry,
    validationLoss: loss(held, validation.y),
    validationAccuracy: accuracy(held.p, validation.y),
  };
}
