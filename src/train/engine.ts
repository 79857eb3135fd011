/**
 * The fast training engine: the loop of trainer.ts (same batches in the same seeded order,
 * same checks, same history) run in place on preallocated buffers and a Backend. Buffers are
 * allocated once per run (one workspace for the batch shape); a step allocates nothing.
 *
 * Every value it returns is bit-identical to trainPlain's: each kernel keeps the plain path's
 * operations and order entry by entry (the products p ascending in one accumulator, addRow,
 * f and f′, the head's loss and residual from z2, colSums over rows in order, the loss's
 * compensated mean, θ − η g). The one difference is internal: the start-of-run check that the
 * full-data gradient is finite, for mini-batch runs, first bounds it from the epoch-0
 * evaluation (StartGradientBound: finite for sure when the bound is below 1e300) and only
 * otherwise sums it batch by batch (its value is discarded; only its finiteness is used, which
 * can differ only when partial sums come within rounding of float64's overflow threshold).
 *
 * Full-batch runs reuse the epoch-end evaluation, which is the next step's forward pass (the
 * same parameters on the same rows), instead of computing it twice.
 */
import { DataError } from "../errors.js";
import {
  backendThreads,
  fastestBackend,
  matrix,
  type Backend,
  type Matrix,
  type ThreadsOption,
} from "../linalg/index.js";
import {
  ACTIVATIONS,
  backwardInto,
  forwardInto,
  makeParamBuffers,
  makeWorkspace,
  runValues,
  type ParamBuffers,
  type Params,
  type Workspace,
} from "../nn/index.js";
import { meanLoss } from "../numerics/mean.js";
import { Rng } from "../rng.js";
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

/** Trains like trainPlain, bit for bit, on preallocated buffers; see the module comment. */
export function trainFast(initial: Params, data: LabelledData, options: TrainOptions): TrainResult {
  const settings = trainSettings(initial, data, options);
  const { activation, learningRate, epochs, batchSize, shuffle, seed, divergenceFactor } = settings;
  const { validation } = options;
  const resume = options.resumeFrom;
  const N = data.X.rows;
  const [D, H] = [initial.W1.rows, initial.W1.cols];
  const K = initial.W2.cols;
  const fullBatch = batchSize === N; // never shuffled
  const backend = options.backend ?? engineBackend(N, batchSize, D, H, K, options.threads);
  const rng = resume ? Rng.fromState(resume.rng) : new Rng(seed);
  const ws = makeWorkspace(backend, batchSize, D, H, K);
  const params = makeParamBuffers(backend, D, H, K); // always finite between steps
  const lastGood = makeParamBuffers(backend, D, H, K); // the last epoch-end parameters with finite losses
  copyParams(fromMatrices(resume?.params ?? initial), params);
  copyParams(fromMatrices(resume?.lastGoodParams ?? initial), lastGood);
  const trainLosses = new Float64Array(N);
  const validationLosses = new Float64Array(validation?.X.rows ?? 0);
  let forwardFresh = false; // ws holds the forward pass of `params` on all N rows, in order
  let steps = resume?.steps ?? 0;
  const history: EpochRecord[] = resume ? [...resume.history] : [];
  let best = bestLoss(history);
  // The last recorded epoch, and the steps and the RNG state at its end.
  const recorded = resume
    ? lastRecorded(resume, N, batchSize, seed)
    : { epoch: -1, steps: 0, rng: rng.state() };
  let lastGoodEpoch = recorded.epoch;
  let lastGoodSteps = recorded.steps;
  let lastGoodRng = recorded.rng;
  // The RNG state before this epoch's permutation (the only draw of an epoch).
  let epochRng = resume?.rng ?? rng.state();

  const diverged = (epoch: number, what: string): DivergenceError => {
    const kept = toMatrices(lastGood, D, H, K);
    return new DivergenceError(
      divergenceMessage(epoch, steps, learningRate, what),
      epoch,
      steps,
      learningRate,
      kept,
      lastGoodEpoch,
      history,
      {
        epoch: lastGoodEpoch + 1,
        row: 0,
        steps: lastGoodSteps,
        params: kept,
        rng: lastGoodRng,
        history: history.slice(),
        lastGoodParams: kept,
      },
    );
  };
  /**
   * Loss and accuracy of `params` on a whole set, batch by batch in row order (δ2 scaled by
   * 1/rows, the whole set's count), calling `onBatch(n)` after each batch's forward pass.
   */
  const evaluate = (
    set: LabelledData,
    losses: Float64Array,
    onBatch?: (n: number) => void,
  ): [number, number] => {
    const rows = set.X.rows;
    let correct = 0;
    for (let start = 0; start < rows; start += ws.rows) {
      const n = Math.min(ws.rows, rows - start);
      copyRows(set, null, start, n, ws);
      correct += forwardInto(backend, ws, params, n, activation, losses, start, rows);
      onBatch?.(n);
    }
    return [meanOf(losses, rows), rows === 0 ? 0 : correct / rows];
  };
  const record = (epoch: number, onBatch?: (n: number) => void): void => {
    // Validation first, so that the training set's forward pass is what ws holds after.
    const held = validation ? evaluate(validation, validationLosses) : undefined;
    const [loss, accuracy] = evaluate(data, trainLosses, onBatch);
    forwardFresh = fullBatch;
    const entry: EpochRecord = held
      ? { epoch, loss, accuracy, validationLoss: held[0], validationAccuracy: held[1] }
      : { epoch, loss, accuracy };
    const bad = nonFiniteFigure(entry);
    if (bad && epoch === 0) throw new DataError(startingLossMessage(bad));
    if (bad) throw diverged(epoch, `the ${bad} became non-finite`);
    const exploded = explosion(loss, best, history[0]?.loss ?? loss, divergenceFactor);
    if (exploded) throw diverged(epoch, exploded);
    best = Math.min(best, loss);
    copyParams(params, lastGood);
    lastGoodEpoch = epoch;
    lastGoodSteps = steps;
    lastGoodRng = rng.state();
    history.push(entry);
    options.onEpoch?.(entry);
  };
  // The state at the boundary before rows `row` of `epoch` (see trainPlain).
  const state = (epoch: number, row: number): TrainState => ({
    epoch,
    row,
    steps,
    params: toMatrices(params, D, H, K),
    rng: epochRng,
    history: history.slice(),
    lastGoodParams: toMatrices(lastGood, D, H, K),
  });
  const every = options.checkpointEvery ?? "epoch";
  /** At a step boundary: checkpoint when due; true when the run is to stop here. */
  const pause = (epoch: number, row: number): boolean => {
    const due = every === "epoch" ? row === 0 : steps % every === 0;
    if (options.onCheckpoint && due && steps > 0) options.onCheckpoint(state(epoch, row));
    return options.shouldStop?.() ?? false;
  };
  const stopped = (epoch: number, row: number): TrainResult => ({
    params: toMatrices(params, D, H, K),
    history,
    steps,
    stopped: true,
    state: state(epoch, row),
  });

  if (!resume) {
    // No learning rate has acted yet: a gradient that overflows at the start is the data's and
    // the starting model's doing (checked on all N rows, whatever the shuffling order). A
    // mini-batch run bounds it from the epoch-0 evaluation's forward pass and, only where the
    // bound does not prove it finite, sums it over the batches (see the module comment).
    const startGradient = epochs > 0 && !fullBatch ? makeParamBuffers(backend, D, H, K) : undefined;
    const bound = startGradient && new StartGradientBound();
    record(0, bound && ((n) => bound.see(ws, n)));
    if (epochs > 0) {
      if (fullBatch) backwardInto(backend, ws, params, N, activation); // ws holds the forward pass
      const surelyFinite = bound?.provesFinite(N, K, maxAbsOf(params.W2, H * K, 0), activation);
      if (startGradient && !surelyFinite) {
        evaluate(data, trainLosses, (n) =>
          addGradient(backend, ws, params, n, activation, startGradient),
        );
      }
      if (!surelyFinite && !buffersAreFinite(startGradient ?? ws.grads))
        throw new DataError(STARTING_GRADIENT_MESSAGE);
      if (pause(1, 0)) return stopped(1, 0);
    }
  }
  // A resumed full-batch run recomputes the forward pass the last evaluation left in ws: the
  // same operations on the same parameters and rows, so the same bits.
  let row = resume?.row ?? 0;
  for (let epoch = resume?.epoch ?? 1; epoch <= epochs; epoch++) {
    const order = shuffle ? rng.permutation(N) : null;
    while (row < N) {
      const n = Math.min(batchSize, N - row);
      let losses: Float64Array = trainLosses; // a full batch's per-example losses are the evaluation's
      if (!forwardFresh) {
        copyRows(data, order, row, n, ws);
        forwardInto(backend, ws, params, n, activation, ws.losses, 0, n);
        losses = ws.losses;
      }
      forwardFresh = false;
      const batchLoss = meanOf(losses, n);
      backwardInto(backend, ws, params, n, activation);
      steps++;
      if (!Number.isFinite(batchLoss)) throw diverged(epoch, `the loss became ${batchLoss}`);
      if (!buffersAreFinite(ws.grads)) throw diverged(epoch, "a gradient became non-finite");
      if (!descend(params, ws.grads, learningRate)) {
        throw diverged(epoch, "a parameter became non-finite");
      }
      row += n;
      if (row < N && pause(epoch, row)) return stopped(epoch, row);
    }
    row = 0;
    if (settings.recordsEpoch(epoch)) record(epoch);
    epochRng = rng.state();
    if (epoch < epochs && pause(epoch + 1, 0)) return stopped(epoch + 1, 0);
  }
  const end = Math.max(epochs + 1, resume?.epoch ?? 1);
  return {
    params: toMatrices(params, D, H, K),
    history,
    steps,
    stopped: false,
    state: state(end, 0),
  };
}

/**
 * The Backend trainFast runs on unless given one, for batches of `batchSize` of N rows of a
 * D→H→K network: fastestBackend sized for the workspace, the parameters, the last good ones
 * and, for mini-batches, the start-of-run gradient; for threads, the largest products of a
 * step are X W1 and Xᵀ δ1 (2·batch·D·H flops) or a1 W2.
 */
export function engineBackend(
  N: number,
  batchSize: number,
  D: number,
  H: number,
  K: number,
  threads: ThreadsOption = "auto",
): Backend {
  const { values, flops } = engineSizes(N, batchSize, D, H, K);
  return fastestBackend(values, threads, flops);
}

/** The threads engineBackend's backend computes on at most (1: the main thread only). */
export function engineThreads(
  N: number,
  batchSize: number,
  D: number,
  H: number,
  K: number,
  threads: ThreadsOption = "auto",
): number {
  const { values, flops } = engineSizes(N, batchSize, D, H, K);
  return backendThreads(values, threads, flops);
}

/**
 * The float64 values of the run's buffers (the workspace, the parameters, the last good ones
 * and, for mini-batches, the start-of-run gradient) and the flops of its largest product.
 */
export function engineSizes(
  N: number,
  batchSize: number,
  D: number,
  H: number,
  K: number,
): { values: number; flops: number } {
  return {
    values: runValues(batchSize, D, H, K, batchSize === N ? 2 : 3),
    flops: 2 * batchSize * H * Math.max(D, K),
  };
}

/** total += the gradient of the first n rows of ws (after their forward pass). */
function addGradient(
  backend: Backend,
  ws: Workspace,
  params: ParamBuffers,
  n: number,
  activation: TrainActivation,
  total: ParamBuffers,
): void {
  backwardInto(backend, ws, params, n, activation);
  for (const name of PARAM_KEYS) {
    const sum = total[name];
    const part = ws.grads[name];
    for (let i = 0; i < sum.length; i++) sum[i] = (sum[i] as number) + (part[i] as number);
  }
}

type TrainActivation = Parameters<typeof forwardInto>[4];

/**
 * Bounds on the start-of-run gradient from the epoch-0 evaluation's forward pass, which saves
 * a mini-batch run its backward pass over all N rows when they prove it finite. That gradient
 * sums, over the rows i, the terms
 *   ∂L/∂W2: a1_ij δ2_ik   ∂L/∂b2: δ2_ik   ∂L/∂b1: δ1_ij   ∂L/∂W1: X_id δ1_ij,
 *   with |δ1_ij| = |Σ_k δ2_ik W2_jk · f′(z1_ij)| ≤ K m2 mW mF,
 * so every entry and every partial sum of it (products and sums each rounded once, at most
 * 2N + K + 2 roundings deep) is at most (1 + 2⁻⁵³)^(2N+K+2) ≤ 1.001 (N < 2⁴⁰) times
 *   N m2 (mA + 1) + N K m2 mW mF (1 + mX),
 * m2 = max|δ2| (scaled by 1/N), mA = max|a1|, mX = max|X|, mW = max|W2|, mF ≥ max|f′| (2 for
 * the built-in activations, whose f′ ≤ 1 up to rounding; unbounded for any other). Below
 * 1e300 (and so not NaN or ∞) that proves every entry finite, as the exact sum would find.
 */
class StartGradientBound {
  private a1 = 0;
  private dz2 = 0;
  private X = 0;

  /** Takes in the first n rows of ws after their forward pass. */
  see(ws: Workspace, n: number): void {
    this.a1 = maxAbsOf(ws.a1, n * ws.H, this.a1);
    this.dz2 = maxAbsOf(ws.dz2, n * ws.K, this.dz2);
    this.X = maxAbsOf(ws.X, n * ws.D, this.X);
  }

  provesFinite(N: number, K: number, maxW2: number, activation: TrainActivation): boolean {
    const fPrime = ACTIVATIONS[activation.name] === activation ? 2 : Infinity;
    const bound = N * this.dz2 * (this.a1 + 1) + N * K * this.dz2 * maxW2 * fPrime * (1 + this.X);
    return bound < 1e300;
  }
}

/** max(m, |values_0|, …, |values_{length−1}|); NaN if any is NaN. */
function maxAbsOf(values: Float64Array, length: number, m: number): number {
  for (let i = 0; i < length; i++) m = Math.max(m, Math.abs(values[i] as number));
  return m;
}
const PARAM_KEYS = ["W1", "b1", "W2", "b2"] as const;

/** θ ← θ − η g for the four parameters in place; false if any new entry is not finite. */
function descend(params: ParamBuffers, grads: ParamBuffers, learningRate: number): boolean {
  let check = 0; // stays 0 while every θ is finite (x − x is NaN for ±∞ and NaN)
  for (const name of PARAM_KEYS) {
    const theta = params[name];
    const g = grads[name];
    for (let i = 0; i < theta.length; i++) {
      const next = (theta[i] as number) - learningRate * (g[i] as number);
      theta[i] = next;
      check += next - next;
    }
  }
  return check === 0;
}

/** True when every entry of the four buffers is finite. */
function buffersAreFinite(buffers: ParamBuffers): boolean {
  let check = 0;
  for (const name of PARAM_KEYS) {
    const values = buffers[name];
    for (let i = 0; i < values.length; i++) check += (values[i] as number) - (values[i] as number);
  }
  return check === 0;
}

/**
 * (1/n) Σ_{i<n} losses_i, with the compensated sum of sumAll (Neumaier) and meanLoss's rescaling
 * when the sum overflows: the same value as meanLoss on those n losses.
 */
function meanOf(losses: Float64Array, n: number): number {
  let sum = 0;
  let compensation = 0;
  for (let i = 0; i < n; i++) {
    const x = losses[i] as number;
    const t = sum + x;
    compensation += Math.abs(sum) >= Math.abs(x) ? sum - t + x : x - t + sum;
    sum = t;
  }
  const total = sum + compensation;
  if (Number.isFinite(total)) return total / n;
  return meanLoss(matrix(n, 1, losses.slice(0, n))); // the rare overflow path, as meanLoss
}

/** Copies rows order[start..start+n−1] (or start..start+n−1) of the set into ws.X and ws.y. */
function copyRows(
  set: LabelledData,
  order: Uint32Array | null,
  start: number,
  n: number,
  ws: Workspace,
): void {
  const D = ws.D;
  const X = set.X.data;
  const y = set.y.data;
  const toX = ws.X; // locals: the loop then reads no property per value
  const toY = ws.y;
  for (let r = 0; r < n; r++) {
    const i = order === null ? start + r : (order[start + r] as number);
    const from = i * D;
    const to = r * D;
    for (let d = 0; d < D; d++) toX[to + d] = X[from + d] as number;
    toY[r] = y[i] as number;
  }
}

function fromMatrices(params: Params): ParamBuffers {
  return { W1: params.W1.data, b1: params.b1.data, W2: params.W2.data, b2: params.b2.data };
}

function copyParams(from: ParamBuffers, to: ParamBuffers): void {
  for (const name of PARAM_KEYS) to[name].set(from[name]);
}

/** Independent Matrix copies of the buffers. */
function toMatrices(buffers: ParamBuffers, D: number, H: number, K: number): Params {
  const copy = (values: Float64Array, rows: number, cols: number): Matrix =>
    matrix(rows, cols, values.slice(0, rows * cols));
  return {
    W1: copy(buffers.W1, D, H),
    b1: copy(buffers.b1, 1, H),
    W2: copy(buffers.W2, H, K),
    b2: copy(buffers.b2, 1, K),
  };
}
