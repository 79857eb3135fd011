/**
 * The training loop: epochs of (optionally shuffled) mini-batches, one gradient-descent
 * step per batch. Batch size N (or "full") is plain gradient descent. Records the loss
 * and accuracy over the whole training set (and the validation set) after every epoch (or,
 * with evaluate: "first-and-last", before the first and after the last only),
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
  bestLoss,
  DivergenceError,
  divergenceMessage,
  explosion,
  lastRecorded,
  nonFiniteFigure,
  STARTING_GRADIENT_MESSAGE,
  startingLossMessage,
  trainSettings,
  type EpochRecord,
  type LabelledData,
  type TrainOptions,
  type TrainResult,
  type TrainState,
} from "./setup.js";

export * from "./setup.js";

/**
 * Trains from `initial` on `data` by mini-batch gradient descent; see TrainOptions. Runs the
 * fast engine unless `options.engine` is "plain"; both give bit-identical results, and refuse
 * the same arguments before any work (see trainSettings): labels other than 0 and 1 on the
 * sigmoid head (0..K−1 for a softmax over K), NaN or ±Infinity in X (DataError naming the
 * row and column, from 0), data, parameters and options of the wrong kind, shape or range.
 */
export function train(initial: Params, data: LabelledData, options: TrainOptions): TrainResult {
  return options?.engine === "plain" // options are checked by trainSettings, in either engine
    ? trainPlain(initial, data, options)
    : trainFast(initial, data, options);
}

/**
 * The readable path: whole-matrix forward, backward and gradientDescentStep per batch. Epoch e
 * steps through the rows in the order rng.permutation(N) (drawn at the epoch's start) in
 * batches of B; a run resumed from a TrainState redraws that order from the saved RNG state
 * and continues at its row, so that it takes exactly the steps of an uninterrupted run.
 */
export function trainPlain(
  initial: Params,
  data: LabelledData,
  options: TrainOptions,
): TrainResult {
  const settings = trainSettings(initial, data, options);
  const { activation, learningRate, epochs, batchSize, shuffle, seed, divergenceFactor } = settings;
  const N = data.X.rows;
  const resume = options.resumeFrom;
  const rng = resume ? Rng.fromState(resume.rng) : new Rng(seed);

  let params = resume?.params ?? initial; // always finite: a step is taken only when its result is
  let steps = resume?.steps ?? 0;
  const history: EpochRecord[] = resume ? [...resume.history] : [];
  let best = bestLoss(history);
  // The last recorded epoch-end parameters (finite losses), with the steps and RNG state there.
  let lastGood = {
    params: resume?.lastGoodParams ?? params,
    ...(resume
      ? lastRecorded(resume, N, batchSize, seed)
      : { epoch: -1, steps: 0, rng: rng.state() }),
  };
  // The RNG state before this epoch's permutation (the only draw of an epoch).
  let epochRng = resume?.rng ?? rng.state();
  const diverged = (epoch: number, what: string): DivergenceError =>
    new DivergenceError(
      divergenceMessage(epoch, steps, learningRate, what),
      epoch,
      steps,
      learningRate,
      lastGood.params,
      lastGood.epoch,
      history,
      {
        epoch: lastGood.epoch + 1,
        row: 0,
        steps: lastGood.steps,
        params: lastGood.params,
        rng: lastGood.rng,
        history: history.slice(),
        lastGoodParams: lastGood.params,
      },
    );
  const record = (epoch: number): void => {
    const entry = evaluate(epoch, params, data, activation, options.validation);
    const bad = nonFiniteFigure(entry);
    if (bad && epoch === 0) {
      throw new DataError(startingLossMessage(bad));
    }
    if (bad) throw diverged(epoch, `the ${bad} became non-finite`);
    const exploded = explosion(entry.loss, best, history[0]?.loss ?? entry.loss, divergenceFactor);
    if (exploded) throw diverged(epoch, exploded);
    best = Math.min(best, entry.loss);
    lastGood = { params, epoch, steps, rng: rng.state() };
    history.push(entry);
    options.onEpoch?.(entry);
  };
  // The state at the boundary before rows `row` of `epoch`.
  const state = (epoch: number, row: number): TrainState => ({
    epoch,
    row,
    steps,
    params,
    rng: epochRng,
    history: history.slice(),
    lastGoodParams: lastGood.params,
  });
  const every = options.checkpointEvery ?? "epoch";
  /** At a step boundary: checkpoint when due; true when the run is to stop here. */
  const pause = (epoch: number, row: number): boolean => {
    const due = every === "epoch" ? row === 0 : steps % every === 0;
    if (options.onCheckpoint && due && steps > 0) options.onCheckpoint(state(epoch, row));
    return options.shouldStop?.() ?? false;
  };
  const stopped = (epoch: number, row: number): TrainResult => ({
    params,
    history,
    steps,
    stopped: true,
    state: state(epoch, row),
  });

  if (!resume) {
    record(0);
    // No learning rate has acted yet: a gradient that overflows here is the data's and the
    // starting model's doing (checked on the full batch, so whatever the shuffling order).
    const atStart = forward(params, data.X, activation);
    if (epochs > 0 && !gradsAreFinite(backward(params, atStart, data.X, data.y, activation))) {
      throw new DataError(STARTING_GRADIENT_MESSAGE);
    }
    if (epochs > 0 && pause(1, 0)) return stopped(1, 0);
  }
  let row = resume?.row ?? 0;
  for (let epoch = resume?.epoch ?? 1; epoch <= epochs; epoch++) {
    const order = shuffle ? rng.permutation(N) : null;
    while (row < N) {
      const end = Math.min(row + batchSize, N);
      const batch = selectBatch(data, order, row, end);
      const cache = forward(params, batch.X, activation);
      const batchLoss = loss(cache, batch.y);
      const grads = backward(params, cache, batch.X, batch.y, activation);
      const next = gradientDescentStep(params, grads, learningRate);
      steps++;
      if (!Number.isFinite(batchLoss)) throw diverged(epoch, `the loss became ${batchLoss}`);
      if (!gradsAreFinite(grads)) throw diverged(epoch, "a gradient became non-finite");
      if (!paramsAreFinite(next)) throw diverged(epoch, "a parameter became non-finite");
      params = next;
      row = end;
      if (row < N && pause(epoch, row)) return stopped(epoch, row);
    }
    row = 0;
    if (settings.recordsEpoch(epoch)) record(epoch);
    epochRng = rng.state();
    if (epoch < epochs && pause(epoch + 1, 0)) return stopped(epoch + 1, 0);
  }
  const end = Math.max(epochs + 1, resume?.epoch ?? 1);
  return { params, history, steps, stopped: false, state: state(end, 0) };
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
