/**
 * The training loop: epochs of (optionally shuffled) mini-batches, one gradient-descent
 * step per batch. Batch size N (or "full") is plain gradient descent. Records the loss
 * and accuracy over the whole training set (and the validation set) after every epoch,
 * and stops with a DivergenceError as soon as a loss, a gradient or a parameter stops
 * being finite, carrying the parameters of the last epoch whose losses were finite.
 */
import { DataError } from "../errors.js";
import { gatherRows } from "../linalg/index.js";
import {
  accuracy,
  backward,
  forward,
  gradsAreFinite,
  loss,
  paramsAreFinite,
  type Activation,
  type Params,
} from "../nn/index.js";
import { Rng } from "../rng.js";
import { trainFast } from "./engine.js";
import { gradientDescentStep } from "./optimizer.js";
import {
  DivergenceError,
  divergenceMessage,
  nonFiniteFigure,
  STARTING_GRADIENT_MESSAGE,
  startingLossMessage,
  trainSettings,
  type EpochRecord,
  type LabelledData,
  type TrainOptions,
  type TrainResult,
} from "./setup.js";

export * from "./setup.js";

/**
 * Trains from `initial` on `data` by mini-batch gradient descent; see TrainOptions. Runs the
 * fast engine unless `options.engine` is "plain"; both give bit-identical results.
 */
export function train(initial: Params, data: LabelledData, options: TrainOptions): TrainResult {
  return options.engine === "plain"
    ? trainPlain(initial, data, options)
    : trainFast(initial, data, options);
}

/** The readable path: whole-matrix forward, backward and gradientDescentStep per batch. */
export function trainPlain(
  initial: Params,
  data: LabelledData,
  options: TrainOptions,
): TrainResult {
  const { activation, learningRate, epochs, batchSize, shuffle, seed } = trainSettings(
    initial,
    data,
    options,
  );
  const N = data.X.rows;
  const rng = new Rng(seed);

  let params = initial; // always finite: a step is taken only when its result is
  let lastGood = { params, epoch: 0 }; // the last epoch-end parameters with finite losses
  let steps = 0;
  const history: EpochRecord[] = [];
  const diverged = (epoch: number, what: string): DivergenceError =>
    new DivergenceError(
      divergenceMessage(epoch, steps, learningRate, what),
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
      throw new DataError(startingLossMessage(bad));
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
    throw new DataError(STARTING_GRADIENT_MESSAGE);
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
