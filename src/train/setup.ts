/**
 * The words of a training run (trainer.ts): the options, the per-epoch record, the state
 * to resume from, the result, the divergence error, and the checks every option passes
 * before any work.
 */
import { HandgradError, UsageError } from "../errors.js";
import {
  assertMatrix,
  describeValue,
  type Backend,
  type Matrix,
  type ThreadsOption,
} from "../linalg/index.js";
import type { RngState } from "../rng.js";
import {
  assertL2,
  assertLabelledBatch,
  assertParams,
  paramsAreFinite,
  resolveActivation,
  type Activation,
  type ActivationName,
  type Params,
} from "../nn/index.js";
import {
  OPTIMIZER_NAMES,
  optimizerSettings,
  type OptimizerName,
  type MomentName,
  type OptimizerSettings,
  type OptimizerState,
} from "./optimizers.js";
import { learningRateSchedule, type LearningRateSchedule, type ScheduleName } from "./schedules.js";
import { OPTION_GROUP, optionActs, type OptionGroup } from "./option-use.js";

/** A labelled batch: X N×D, y N×1. */
export interface LabelledData {
  /** The features, N×D. */
  readonly X: Matrix;
  /** The labels, N×1: 0 or 1 for the sigmoid head, 0..K−1 for a softmax over K. */
  readonly y: Matrix;
}

/** train()'s options: the hyper-parameters, the data to validate on, hooks and the engine. */
export interface TrainOptions {
  /** The hidden layer's activation f, as an object or by its name. */
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
  /** Held-out rows evaluated with the training set (see `evaluate`). */
  readonly validation?: LabelledData;
  /**
   * When the loss and accuracy on the whole training (and validation) set are computed and
   * recorded: "every-epoch" (the default) or "first-and-last", epoch 0 (before the first step)
   * and the last epoch only, which saves a forward pass over every set per epoch. Per-step
   * checks stay (a batch loss, a gradient or a parameter that is not finite stops the run);
   * what is lost between the ends is the epoch records, onEpoch, the explosion check of
   * divergenceFactor, and a newer last good model: a DivergenceError then carries epoch 0's.
   */
  readonly evaluate?: EvaluationSchedule;
  /** Called after every recorded epoch (epoch 0 is before the first step). */
  readonly onEpoch?: (record: EpochRecord) => void;
  /**
   * "fast" (the default): the allocation-free stepper (steppers/fast.ts) on a Backend,
   * bit-identical to "plain", the readable whole-matrix path (forward, backward,
   * gradientDescentStep).
   */
  readonly engine?: TrainEngine;
  /**
   * The Backend the fast engine runs its matrix products on (default: the fastest this
   * platform offers for the run's sizes, WebAssembly SIMD where it loads, with `threads`).
   * Refused with engine "plain", which computes without one.
   */
  readonly backend?: Backend;
  /**
   * Threads for the fast engine (refused with `backend`, which brings its own, and with the
   * plain engine): at most a count, or "auto" (the default): at most one per core the process
   * may use (os.availableParallelism). Either way no more than give each thread 2 MFLOP of a
   * step's phase (MIN_FLOPS_PER_THREAD), so runs too small to gain keep one. Node only;
   * browsers use one. Results are bit-identical whatever the count.
   */
  readonly threads?: ThreadsOption;
  /**
   * train() only: continue a run from this state (a step boundary of a run with the same data
   * and options). A Trainer takes it as its constructor's last argument.
   */
  readonly resumeFrom?: TrainState;
  /**
   * Call onCheckpoint after every this many steps, or "epoch" (the default): after every
   * epoch; in both cases not at the run's end, whose state is the result's `state`.
   */
  readonly checkpointEvery?: number | "epoch";
  /**
   * Receives the state to resume from, at the step boundaries checkpointEvery names before the
   * run's end (after onStep and onEpoch).
   */
  readonly onCheckpoint?: (state: TrainState) => void;
  /**
   * train() only: asked at every step boundary (after the step and, at an epoch's end, its
   * record; and once before the first step of a fresh run): true ends the run there, with
   * `stopped` and the state to resume from. A Trainer's run(until) takes it as `until`.
   */
  readonly shouldStop?: () => boolean;
  /**
   * F > 1: stop with a DivergenceError when an epoch's training loss exceeds both F × the best
   * (lowest) epoch loss so far and the starting loss (epoch 0). Undefined or 0: off.
   */
  readonly divergenceFactor?: number;
  /**
   * The update rule (optimizers.ts): "sgd" (the default, θ ← θ − η g), "momentum"
   * (v ← μ v + g, θ ← θ − η v), "nesterov" (θ ← θ − η (g + μ v)) or "adam".
   */
  readonly optimizer?: OptimizerName;
  /** μ ∈ [0, 1) of momentum and nesterov (default 0.9; refused with the other optimizers). */
  readonly momentum?: number;
  /** Adam's β1 ∈ [0, 1), the decay of the first moment m (default 0.9; adam only). */
  readonly beta1?: number;
  /** Adam's β2 ∈ [0, 1), the decay of the second moment v (default 0.999; adam only). */
  readonly beta2?: number;
  /** Adam's ε > 0 in θ ← θ − η m̂/(√v̂ + ε) (default 1e-8; adam only). */
  readonly adamEps?: number;
  /**
   * λ ≥ 0 of the L2 penalty (default 0, none): the loss minimised and reported (EpochRecord's
   * `loss`, a step's loss) is mean cross-entropy + (λ/2)(‖W1‖² + ‖W2‖²); biases are not
   * penalised. The validation loss stays the mean cross-entropy of the held-out rows.
   */
  readonly l2?: number;
  /**
   * How η changes with the step (schedules.ts): "constant" (the default), "step"
   * (η·γ^⌊e/E⌋, e the epochs completed, with decayRate γ, default 0.1, and decayEvery E
   * epochs, required) or "cosine" (from η towards lrMin, default 0, over the run's steps after
   * the warm-up; the step after the last would reach lrMin).
   */
  readonly schedule?: ScheduleName;
  /** γ ∈ (0, 1] of the "step" schedule: η is multiplied by γ every decayEvery epochs (default 0.1; "step" only). */
  readonly decayRate?: number;
  /** E ≥ 1 of the "step" schedule: the epochs between two decays (required by "step"). */
  readonly decayEvery?: number;
  /** The learning rate the "cosine" schedule ends at, in [0, η] (default 0; "cosine" only). */
  readonly lrMin?: number;
  /** S warm-up steps: η·t/S for the first S steps (default 0, none); at most the run's steps. */
  readonly warmup?: number;
  /**
   * c > 0: rescale the batch gradient to global norm c when its norm (over all four
   * gradients, the L2 term included) is above c. Undefined: no clipping.
   */
  readonly clipNorm?: number;
  /**
   * Early stopping (needs `validation`, evaluated every epoch): stop when the validation loss
   * has not improved on its best by more than minDelta (default 0) for this many epochs, and
   * restore the best epoch's parameters unless restoreBest is false. Undefined: off.
   */
  readonly patience?: number;
  /**
   * d ≥ 0: the validation loss must fall below best − d to count as an improvement (default 0;
   * with patience only).
   */
  readonly minDelta?: number;
  /**
   * Whether early stopping returns the best epoch's parameters (default true) or the last ones
   * (with patience only).
   */
  readonly restoreBest?: boolean;
}

/**
 * Everything a run needs to continue from a step boundary, bit for bit. Plain SGD keeps no
 * optimiser state besides θ and η. Invariants: `history` holds the records of the epochs
 * before `epoch` that the run's `evaluate` schedule records (every one by default, so the last
 * is epoch − 1); the last of them is the epoch whose end-of-epoch parameters are
 * `lastGoodParams` (= `params` when row = 0 and that epoch is epoch − 1);
 * steps = (epoch − 1)·⌈N/B⌉ + row/B.
 */
export interface TrainState {
  /** The epoch in progress, or about to start when row = 0 (epochs + 1 when the run is complete). */
  readonly epoch: number;
  /** Rows of this epoch's order already stepped over: the next batch starts there. */
  readonly row: number;
  /** Gradient steps taken so far. */
  readonly steps: number;
  /** The current parameters. */
  readonly params: Params;
  /** The shuffling generator's state before this epoch's permutation is drawn. */
  readonly rng: RngState;
  /** The records of epochs 0..epoch − 1 (those the `evaluate` schedule records). */
  readonly history: readonly EpochRecord[];
  /** The parameters at the end of the last recorded epoch. */
  readonly lastGoodParams: Params;
  /** The optimizer's state with `params` (absent: plain SGD's, which has none). */
  readonly optimizer?: OptimizerState;
  /** The optimizer's state with `lastGoodParams` (absent: plain SGD's). */
  readonly lastGoodOptimizer?: OptimizerState;
  /** Early stopping's best epoch so far (absent without patience). */
  readonly best?: BestEpoch;
}

/** The epoch of lowest validation loss so far (improving by more than minDelta), for early stopping. */
export interface BestEpoch {
  /** The epoch (0: the starting parameters). */
  readonly epoch: number;
  /** Its mean cross-entropy on the validation rows. */
  readonly validationLoss: number;
  /** The parameters at that epoch's end. */
  readonly params: Params;
}

/** Why and where early stopping ended a run. */
export interface EarlyStop {
  /** What ended the run: the validation loss stopped improving for `patience` epochs. */
  readonly reason: "early-stopping";
  /** The last epoch trained. */
  readonly epoch: number;
  /** The epoch of the best validation loss (0: the starting model). */
  readonly bestEpoch: number;
  /** The validation loss at bestEpoch. */
  readonly bestValidationLoss: number;
  /** True when the result's parameters are the best epoch's (restoreBest), false: the last epoch's. */
  readonly restored: boolean;
}

/**
 * The defaults of a run of `handgrad train` and of a Classifier (η, epochs, rows per step,
 * the seed): one place, that both import.
 */
export const DEFAULT_LEARNING_RATE = 0.5;
export const DEFAULT_EPOCHS = 200;
export const DEFAULT_BATCH_SIZE = 32;
export const DEFAULT_SEED = 0;

/** The defaults of λ (no penalty) and of early stopping's minDelta and restoreBest. */
export const DEFAULT_L2 = 0;
export const DEFAULT_MIN_DELTA = 0;
export const DEFAULT_RESTORE_BEST = true;

/** When a run evaluates the whole sets and records an epoch (see TrainOptions.evaluate). */
export type EvaluationSchedule = "every-epoch" | "first-and-last";
export const EVALUATION_SCHEDULES: readonly EvaluationSchedule[] = [
  "every-epoch",
  "first-and-last",
];

/** How a run computes its steps (see TrainOptions.engine). */
export type TrainEngine = "fast" | "plain";
export const TRAIN_ENGINES: readonly TrainEngine[] = ["fast", "plain"];
/** The most threads a run may ask for (TrainOptions.threads). */
export const MAX_THREADS = 64;

/** Loss and accuracy after an epoch, on the whole training set (and validation set). */
export interface EpochRecord {
  /** The epoch just ended (0: the starting parameters, before the first step). */
  readonly epoch: number;
  /** The training loss: mean cross-entropy, plus the L2 penalty when l2 > 0. */
  readonly loss: number;
  /** The fraction of training rows classified correctly, in [0, 1]. */
  readonly accuracy: number;
  /** The mean loss on the validation set, when there is one. */
  readonly validationLoss?: number;
  /** The fraction of validation rows classified correctly, when there is a validation set. */
  readonly validationAccuracy?: number;
  /** The L2 penalty (λ/2)(‖W1‖² + ‖W2‖²) included in `loss` (only when l2 > 0). */
  readonly penalty?: number;
}

/** What a run returns: its final parameters, its history and the state to resume from. */
export interface TrainResult {
  /** The parameters at the end of the run. */
  readonly params: Params;
  /** The records of the epochs the `evaluate` schedule recorded (frozen). */
  readonly history: readonly EpochRecord[];
  /** Gradient steps taken. */
  readonly steps: number;
  /** True when shouldStop ended the run before its last epoch. */
  readonly stopped: boolean;
  /** Set when early stopping ended the run: why, where, and which parameters were kept. */
  readonly earlyStop?: EarlyStop;
  /** Where the run ended: the state to resume from (complete when its epoch > epochs). */
  readonly state: TrainState;
}

/** Where a run diverged, and the last good state it keeps. */
export interface Divergence {
  /** The epoch in progress when a loss, a gradient or a parameter stopped being finite. */
  readonly epoch: number;
  /** Gradient steps taken then (the failing one included). */
  readonly step: number;
  /**
   * η of the failing step: the schedule's and warm-up's at that step (StepResult.learningRate),
   * which a smaller one may not diverge at. The run's base rate is baseLearningRate.
   */
  readonly learningRate: number;
  /** The run's base learning rate (TrainOptions.learningRate); learningRate when not given. */
  readonly baseLearningRate?: number;
  /** What stopped being finite, e.g. "the loss became NaN" (the message's middle part). */
  readonly what?: string;
  /** λ of the run's L2 penalty (0 when not given). */
  readonly l2?: number;
  /** The run's update rule, which divergenceAdvice's limit on η·λ depends on. */
  readonly optimizer?: OptimizerSettings | undefined;
  /** The optimizer's moment that overflowed, when that was the failure. */
  readonly overflowed?: MomentName | undefined;
  /**
   * The run's state at the end of the last recorded epoch whose training (and validation)
   * loss was finite (epoch lastGood.epoch − 1): a checkpoint of the last good model. Its
   * parameters are finite and usable on the data, unlike those just before the failing step,
   * whose logits may already overflow; its history is the run's records up to there.
   */
  readonly lastGood: TrainState;
}

/**
 * Training stopped because a loss, a gradient, a parameter or the optimizer's state became
 * NaN or ±Infinity (or the loss exploded). Its fields are the facts divergenceMessage writes
 * the message from (a front end rewrites it in its own words from them).
 */
export class DivergenceError extends HandgradError implements Divergence {
  override readonly exitCode = 3;
  /** "DivergenceError": the name that String(error) and stack traces show. */
  override name = "DivergenceError";
  readonly epoch: number;
  readonly step: number;
  /** η of the failing step (see Divergence.learningRate). */
  readonly learningRate: number;
  readonly baseLearningRate: number;
  readonly what: string;
  readonly l2: number;
  readonly optimizer: OptimizerSettings | undefined;
  readonly overflowed: MomentName | undefined;
  readonly lastGood: TrainState;
  constructor(message: string, divergence: Divergence) {
    super(message);
    const { epoch, step, learningRate, lastGood } = divergence;
    this.epoch = epoch;
    this.step = step;
    this.learningRate = learningRate;
    this.baseLearningRate = divergence.baseLearningRate ?? learningRate;
    this.what = divergence.what ?? "";
    this.l2 = divergence.l2 ?? 0;
    this.optimizer = divergence.optimizer;
    this.overflowed = divergence.overflowed;
    this.lastGood = lastGood;
  }

  /** The last epoch whose losses were finite (0: the starting model). */
  get lastGoodEpoch(): number {
    return this.lastGood.epoch - 1;
  }
}

/** The options after their checks: what a training loop runs on. */
export interface TrainSettings {
  /** The hidden layer's activation f. */
  readonly activation: Activation;
  /** η > 0. */
  readonly learningRate: number;
  /** Passes over the training set. */
  readonly epochs: number;
  /** Rows per step, 1..N. */
  readonly batchSize: number;
  /** Reshuffle every epoch (never for a full batch). */
  readonly shuffle: boolean;
  /** Seed of the shuffling order. */
  readonly seed: number;
  /** F > 1, or 0 for off. */
  readonly divergenceFactor: number;
  /** True for the epochs whose end the run evaluates and records (0 and `epochs` always). */
  readonly recordsEpoch: (epoch: number) => boolean;
  /** The update rule and its hyper-parameters. */
  readonly optimizer: OptimizerSettings;
  /** λ of the L2 penalty (0: none). */
  readonly l2: number;
  /** η at each step (learningRateAt). */
  readonly schedule: LearningRateSchedule;
  /** The gradient-norm bound c, or 0 for no clipping. */
  readonly clipNorm: number;
  /** Early stopping, or undefined when off. */
  readonly earlyStopping: EarlyStoppingSettings | undefined;
}

export interface EarlyStoppingSettings {
  readonly patience: number;
  readonly minDelta: number;
  readonly restoreBest: boolean;
}

/**
 * Checks the arguments of a Trainer (both steppers), once, before any work, and resolves the
 * activation's name; `resumeFrom` must be a step boundary of this run (see TrainState).
 * Refuses, besides each option out of range (UsageError):
 * - starting parameters that are not four Matrices of a D→H→K network (ShapeError; UsageError
 *   for another kind of value) or hold NaN or ±Infinity (UsageError);
 * - data (and a validation set) whose X is not an N×D Matrix or whose y is not N×1
 *   (ShapeError), with a feature that is NaN or ±Infinity (DataError: "train: X row 2,
 *   column 1 is NaN", counted from 0), or a label the head does not take (DataError: 0 or 1
 *   for the sigmoid head, an integer 0..K−1 for a softmax over K logits).
 * The features of an array are scanned on the first call only (see assertFinite), so that
 * training in slices (the CLI, the playground) does not pay for it on every slice.
 */
export function trainSettings(
  initial: Params,
  data: LabelledData,
  options: TrainOptions,
  resumeFrom?: TrainState,
): TrainSettings {
  if (typeof options !== "object" || options === null) {
    throw new UsageError(`train: options must be an object, got ${describeValue(options)}`);
  }
  if (typeof data !== "object" || data === null) {
    throw new UsageError(`train: data must be an object {X, y}, got ${describeValue(data)}`);
  }
  const activation = resolveActivation(options.activation, "train");
  assertParams(initial, "train");
  assertMatrix(data.X, "X", "train");
  assertTrainOptionValues(options, "train");
  const { learningRate, epochs } = options;
  const N = data.X.rows;
  const batchSize = resolveBatchSize(options.batchSize, N);
  if (!paramsAreFinite(initial))
    throw new UsageError("the starting parameters contain NaN or ±Infinity");
  const divergenceFactor = options.divergenceFactor ?? 0;
  const evaluate = options.evaluate ?? "every-epoch";
  const recordsEpoch = (epoch: number): boolean =>
    evaluate === "every-epoch" || epoch === 0 || epoch === epochs;
  assertLabelledBatch(initial, data.X, data.y, "train");
  const { validation } = options;
  if (validation !== undefined) {
    if (typeof validation !== "object" || validation === null) {
      throw new UsageError(
        `train: validation must be an object {X, y}, got ${describeValue(validation)}`,
      );
    }
    assertLabelledBatch(initial, validation.X, validation.y, "train", "validation ");
  }
  const optimizer = optimizerSettings(options);
  const l2 = options.l2 ?? DEFAULT_L2;
  const stepsPerEpoch = Math.ceil(N / batchSize);
  const schedule = learningRateSchedule(options, epochs * stepsPerEpoch, stepsPerEpoch);
  const clipNorm = options.clipNorm ?? 0;
  const earlyStopping = earlyStoppingSettings(options, evaluate);
  if (resumeFrom !== undefined) {
    assertStateFields(resumeFrom);
    assertResumable(resumeFrom, initial, N, batchSize, epochs, recordsEpoch);
    assertResumableExtras(resumeFrom, initial, optimizer.name, earlyStopping);
  }
  return {
    activation,
    learningRate,
    epochs,
    batchSize,
    // A full batch is plain gradient descent: shuffling would only reorder the gradient's sum.
    shuffle: (options.shuffle ?? true) && batchSize < N,
    seed: options.seed ?? 0,
    divergenceFactor,
    recordsEpoch,
    optimizer,
    l2,
    schedule,
    clipNorm,
    earlyStopping,
  };
}

/**
 * Refuses (UsageError) every option of `options` whose value is out of range on its own,
 * before any data is seen: the kinds of values, η, the epochs, the batch size's form, the
 * engine, threads, backend, divergence factor, checkpointEvery, the evaluation schedule, the
 * update rule's hyper-parameters, λ, clipNorm, the schedule's settings (learningRateSchedule's
 * checks but the warm-up's length against the run's), early stopping's values (not whether
 * there is validation data: assertPatienceWatches), and options given where they have no
 * effect. trainSettings starts with it (`op` "train" prefixes the L2 penalty's message, as
 * train's own checks of it do); the Classifier's constructor calls it on its settings, so a
 * bad value is refused when it is given, by the same checks as at fit.
 */
export function assertTrainOptionValues(options: TrainOptions, op?: string): void {
  assertOptionKinds(options);
  const { learningRate, epochs } = options;
  if (!(typeof learningRate === "number" && Number.isFinite(learningRate) && learningRate > 0)) {
    throw new UsageError(`learning rate must be a finite number > 0, got ${shown(learningRate)}`);
  }
  if (!(typeof epochs === "number" && Number.isInteger(epochs) && epochs >= 0)) {
    throw new UsageError(`epochs must be a non-negative integer, got ${shown(epochs)}`);
  }
  resolveBatchSize(options.batchSize, Infinity); // its form; the rows are not known yet
  if (options.engine !== undefined && !TRAIN_ENGINES.includes(options.engine)) {
    throw new UsageError(
      `unknown engine "${String(options.engine)}" (known: ${TRAIN_ENGINES.join(", ")})`,
    );
  }
  const threads = options.threads ?? "auto";
  if (
    threads !== "auto" &&
    !(Number.isInteger(threads) && threads >= 1 && threads <= MAX_THREADS)
  ) {
    throw new UsageError(
      `threads must be "auto" or an integer from 1 to ${MAX_THREADS}, got ${shown(threads)}`,
    );
  }
  assertBackend(options.backend);
  const divergenceFactor = options.divergenceFactor ?? 0;
  if (!(divergenceFactor === 0 || divergenceFactor > 1)) {
    throw new UsageError(
      `the divergence factor must be 0 (off) or > 1, got ${shown(divergenceFactor)}`,
    );
  }
  const every = options.checkpointEvery ?? "epoch";
  if (every !== "epoch" && !(Number.isSafeInteger(every) && every >= 1)) {
    throw new UsageError(
      `checkpointEvery must be a positive integer or "epoch", got ${shown(every)}`,
    );
  }
  const evaluate = options.evaluate ?? "every-epoch";
  if (!EVALUATION_SCHEDULES.includes(evaluate)) {
    throw new UsageError(
      `unknown evaluation schedule "${String(evaluate)}" (known: ${EVALUATION_SCHEDULES.join(", ")})`,
    );
  }
  optimizerSettings(options);
  assertL2(options.l2 ?? DEFAULT_L2, op);
  if (
    options.clipNorm !== undefined &&
    !(Number.isFinite(options.clipNorm) && options.clipNorm > 0)
  ) {
    throw new UsageError(`clipNorm must be a finite number > 0, got ${String(options.clipNorm)}`);
  }
  learningRateSchedule(options, Infinity, 1); // the run's length is not known yet
  earlyStoppingValues(options, evaluate);
  assertEffective(options);
}

/**
 * Refuses early stopping (a patience) without validation data to watch: `how` says how to
 * give it (the Classifier: "; set validation"). trainSettings and the Classifier both ask it.
 */
export function assertPatienceWatches(
  patience: number | undefined,
  hasValidation: boolean,
  how = "",
): void {
  if (patience !== undefined && !hasValidation)
    throw new UsageError(`early stopping (patience) needs validation data to watch${how}`);
}

/** Early stopping's settings, or undefined without patience; refuses patience without validation. */
function earlyStoppingSettings(
  options: TrainOptions,
  evaluate: EvaluationSchedule,
): EarlyStoppingSettings | undefined {
  const settings = earlyStoppingValues(options, evaluate);
  if (settings === undefined) return undefined;
  // Checked after the values, as before: a bad patience is named before a missing validation.
  assertPatienceWatches(settings.patience, options.validation !== undefined);
  return settings;
}

/** Early stopping's values on their own (patience, minDelta, restoreBest, the evaluation), or undefined without patience. */
function earlyStoppingValues(
  options: TrainOptions,
  evaluate: EvaluationSchedule,
): EarlyStoppingSettings | undefined {
  const { patience } = options;
  const { minDelta = DEFAULT_MIN_DELTA, restoreBest = DEFAULT_RESTORE_BEST } = options;
  if (patience === undefined) return undefined;
  if (!(Number.isSafeInteger(patience) && patience >= 1)) {
    throw new UsageError(`patience must be a positive integer (epochs), got ${String(patience)}`);
  }
  if (evaluate !== "every-epoch") {
    throw new UsageError(
      'early stopping (patience) needs the validation loss of every epoch (evaluate "every-epoch")',
    );
  }
  if (!(typeof minDelta === "number" && Number.isFinite(minDelta) && minDelta >= 0)) {
    throw new UsageError(`minDelta must be a finite number ≥ 0, got ${String(minDelta)}`);
  }
  if (typeof restoreBest !== "boolean") {
    throw new UsageError(`restoreBest must be true or false, got ${describeValue(restoreBest)}`);
  }
  return { patience, minDelta, restoreBest };
}

/**
 * A UsageError unless the state's optimizer state is the run's rule's, with moments of the
 * parameters' shapes, finite, and (adam) t = the state's steps; and unless it carries the best
 * epoch exactly when early stopping is on.
 */
function assertResumableExtras(
  state: TrainState,
  initial: Params,
  optimizer: OptimizerName,
  earlyStopping: EarlyStoppingSettings | undefined,
): void {
  const fail = (what: string): never => {
    throw new UsageError(`cannot resume: ${what}`);
  };
  for (const [which, s, steps] of [
    ["", state.optimizer, state.steps],
    ["last good ", state.lastGoodOptimizer, undefined],
  ] as const) {
    const name = s?.name ?? "sgd";
    if (!OPTIMIZER_NAMES.includes(name) || name !== optimizer)
      fail(`the ${which}optimizer state is ${String(name)}'s, but this run uses ${optimizer}`);
    if (optimizer !== "sgd" && s === undefined) fail(`the ${which}${optimizer} state is missing`);
    const moments: Params[] =
      s?.name === "adam"
        ? [s.m, s.v]
        : s?.name === "momentum" || s?.name === "nesterov"
          ? [s.velocity]
          : [];
    for (const m of moments) {
      assertSameShapes(m, initial, fail, `the ${which}optimizer state`);
      if (!paramsAreFinite(m)) fail(`the ${which}optimizer state contains NaN or ±Infinity`);
    }
    if (
      s?.name === "adam" &&
      !(Number.isSafeInteger(s.t) && s.t >= 0 && (steps === undefined || s.t === steps))
    )
      fail(`adam's update count t = ${s.t} does not match the ${steps ?? "last good"} steps`);
  }
  if (state.best !== undefined && (typeof state.best !== "object" || state.best === null))
    fail(
      `best must be the best epoch {epoch, validationLoss, params}, got ${describeValue(state.best)}`,
    );
  if (earlyStopping && state.best === undefined)
    fail("the state has no best epoch for early stopping");
  if (!earlyStopping && state.best !== undefined)
    fail("the state has a best epoch but patience is off");
  if (state.best) {
    const { epoch, validationLoss, params } = state.best;
    if (!(Number.isSafeInteger(epoch) && epoch >= 0 && epoch < state.epoch))
      fail(`the best epoch ${epoch} is not in 0..${state.epoch - 1}`);
    if (!Number.isFinite(validationLoss)) fail("the best validation loss is not finite");
    assertSameShapes(params, initial, fail, "the best parameters");
    if (!paramsAreFinite(params)) fail("the best parameters contain NaN or ±Infinity");
  }
}

function assertSameShapes(
  p: Params,
  initial: Params,
  fail: (what: string) => never,
  what: string,
): void {
  for (const name of ["W1", "b1", "W2", "b2"] as const) {
    if (p[name]?.rows !== initial[name].rows || p[name]?.cols !== initial[name].cols)
      fail(`${name} of ${what} does not have the starting model's shape`);
  }
}

/** A UsageError unless `state` is a step boundary of this run (see TrainState's invariants). */
function assertResumable(
  state: TrainState,
  initial: Params,
  N: number,
  batchSize: number,
  epochs: number,
  recordsEpoch: (epoch: number) => boolean,
): void {
  const fail = (what: string): never => {
    throw new UsageError(`cannot resume: ${what}`);
  };
  const { epoch, row, steps, history } = state;
  const perEpoch = Math.ceil(N / batchSize);
  if (!Number.isSafeInteger(epoch) || epoch < 1 || epoch > epochs + 1)
    fail(`epoch ${epoch} is not in 1..${epochs + 1}`);
  if (!Number.isSafeInteger(row) || row < 0 || row >= N || row % batchSize !== 0)
    fail(`row ${row} is not a batch start in 0..${N - 1} (batches of ${batchSize})`);
  if (epoch > epochs && row !== 0) fail(`row ${row} is past the last epoch`);
  if (steps !== (epoch - 1) * perEpoch + row / batchSize)
    fail(`step ${steps} does not match epoch ${epoch}, row ${row} (${perEpoch} steps per epoch)`);
  const recorded: number[] = [];
  for (let e = 0; e < epoch; e++) if (recordsEpoch(e)) recorded.push(e);
  if (history.length !== recorded.length || history.some((r, i) => r.epoch !== recorded[i])) {
    fail(
      recorded.length === epoch
        ? `the history must hold epochs 0..${epoch - 1}`
        : `the history must hold epochs ${recorded.join(", ")} (evaluated first and last only)`,
    );
  }
  for (const p of [state.params, state.lastGoodParams]) {
    for (const name of ["W1", "b1", "W2", "b2"] as const) {
      if (p[name].rows !== initial[name].rows || p[name].cols !== initial[name].cols)
        fail(`${name} does not have the starting model's shape`);
    }
    if (!paramsAreFinite(p)) fail("the parameters contain NaN or ±Infinity");
  }
}

function resolveBatchSize(batchSize: number | "full", N: number): number {
  if (N < 1) throw new UsageError("the training set is empty");
  if (batchSize === "full") return N;
  if (!(typeof batchSize === "number" && Number.isInteger(batchSize) && batchSize >= 1)) {
    throw new UsageError(
      `batch size must be a positive integer or "full", got ${shown(batchSize)}`,
    );
  }
  return Math.min(batchSize, N);
}

/** A value as a message shows it: a number as it prints, anything else by describeValue. */
function shown(value: unknown): string {
  return typeof value === "number" ? String(value) : describeValue(value);
}

/** The options that take a number (their ranges are checked where they are used). */
const NUMBER_OPTIONS = [
  "seed",
  "momentum",
  "beta1",
  "beta2",
  "adamEps",
  "l2",
  "decayRate",
  "decayEvery",
  "lrMin",
  "warmup",
  "clipNorm",
  "patience",
  "minDelta",
  "divergenceFactor",
] as const;
/** The options that take a boolean. */
const BOOLEAN_OPTIONS = ["shuffle", "restoreBest"] as const;
/** The hooks (onStep is a Trainer's; train() checks its shouldStop, which a Trainer refuses). */
const HOOK_OPTIONS = ["onStep", "onEpoch", "onCheckpoint"] as const;

/**
 * A UsageError naming the option whose value is of the wrong kind (a number option given a
 * string, a flag given "no", a hook that is not a function), before any work: such a value
 * would otherwise fail mid-run, or pass a check by JavaScript's coercions.
 */
function assertOptionKinds(options: TrainOptions): void {
  const given = options as unknown as Readonly<Record<string, unknown>>;
  for (const name of NUMBER_OPTIONS) {
    const value = given[name];
    if (value !== undefined && typeof value !== "number")
      throw new UsageError(`${name} must be a number, got ${describeValue(value)}`);
  }
  for (const name of BOOLEAN_OPTIONS) {
    const value = given[name];
    if (value !== undefined && typeof value !== "boolean")
      throw new UsageError(`${name} must be true or false, got ${describeValue(value)}`);
  }
  for (const name of HOOK_OPTIONS) {
    const value = given[name];
    if (value !== undefined && typeof value !== "function")
      throw new UsageError(`${name} must be a function, got ${describeValue(value)}`);
  }
}

/** What a Backend must have (the optional element-wise kernels aside). */
const BACKEND_METHODS = ["alloc", "reset", "gemm", "gemmTransA", "gemmTransB"] as const;

/** A UsageError unless `backend` is undefined or has a Backend's name and methods. */
function assertBackend(backend: Backend | undefined): void {
  if (backend === undefined) return;
  if (typeof backend !== "object" || backend === null)
    throw new UsageError(`backend must be a Backend object, got ${describeValue(backend)}`);
  const given = backend as unknown as Readonly<Record<string, unknown>>;
  const missing: string[] = typeof given.name === "string" ? [] : ["name (a string)"];
  for (const name of BACKEND_METHODS) if (typeof given[name] !== "function") missing.push(name);
  if (missing.length > 0)
    throw new UsageError(`backend is not a Backend: it has no ${missing.join(", ")}`);
}

/**
 * A UsageError for an option given where it has no effect, naming why: a hyper-parameter of
 * another optimizer or schedule, early stopping's settings without patience, a backend for
 * the plain engine, threads beside a backend. A run is never other than its options say.
 */
function assertEffective(options: TrainOptions): void {
  const refuse = (name: string, why: string): never => {
    throw new UsageError(`${name} has no effect ${why}: leave it out`);
  };
  const optimizer = options.optimizer ?? "sgd";
  const schedule = options.schedule ?? "constant";
  const why: Readonly<Record<OptionGroup, string>> = {
    momentum: `with optimizer "${optimizer}" (momentum and nesterov use it)`,
    adam: `with optimizer "${optimizer}" (adam uses it)`,
    step: `with schedule "${schedule}" (the "step" schedule uses it)`,
    cosine: `with schedule "${schedule}" (the "cosine" schedule uses it)`,
    "early-stopping": "without patience (early stopping is off)",
    always: "",
  };
  const context = { optimizer, schedule, earlyStopping: options.patience !== undefined };
  for (const name of Object.keys(OPTION_GROUP) as (keyof typeof OPTION_GROUP)[]) {
    if (options[name] !== undefined && !optionActs(name, context))
      refuse(name, why[OPTION_GROUP[name]]);
  }
  if (options.backend !== undefined && options.engine === "plain")
    refuse("backend", 'with engine "plain", which computes without one');
  if (options.threads !== undefined && options.backend !== undefined)
    refuse("threads", "with backend, which brings its own");
  if (options.threads !== undefined && options.engine === "plain")
    refuse("threads", 'with engine "plain", which runs on the main thread only');
}

/**
 * A UsageError naming the field of a state to resume from that is missing or of the wrong
 * kind (before the checks of its values): the parameters, the generator state (four 32-bit
 * words, not all 0: xoshiro's one forbidden state) and the history's records (finite losses,
 * accuracies in [0, 1]).
 */
function assertStateFields(state: TrainState): void {
  const fail = (what: string): never => {
    throw new UsageError(`cannot resume: ${what}`);
  };
  if (typeof state !== "object" || state === null)
    fail(`the state must be an object (a TrainState), got ${describeValue(state)}`);
  for (const field of ["params", "lastGoodParams"] as const) {
    const p: unknown = state[field];
    if (typeof p !== "object" || p === null)
      fail(`${field} must be the parameters {W1, b1, W2, b2}, got ${describeValue(p)}`);
    for (const name of ["W1", "b1", "W2", "b2"] as const)
      assertMatrix((p as Params)[name], `${field}.${name}`, "cannot resume");
  }
  assertRngState(state.rng, fail);
  const { history } = state;
  if (!Array.isArray(history))
    fail(`history must be an array of epoch records, got ${describeValue(history)}`);
  history.forEach((record: EpochRecord, i) => {
    if (typeof record !== "object" || record === null)
      fail(`history[${i}] must be an epoch record, got ${describeValue(record)}`);
    const finite = (value: unknown): boolean => typeof value === "number" && Number.isFinite(value);
    const fraction = (value: unknown): boolean =>
      typeof value === "number" && 0 <= value && value <= 1;
    const { loss, accuracy, validationLoss, validationAccuracy } = record;
    const where = `history[${i}] (epoch ${shown(record.epoch)})`;
    if (!finite(loss)) fail(`${where}: the loss is ${shown(loss)}, not a finite number`);
    if (!fraction(accuracy)) fail(`${where}: the accuracy is ${shown(accuracy)}, not in [0, 1]`);
    if (validationLoss !== undefined && !finite(validationLoss))
      fail(`${where}: the validation loss is ${shown(validationLoss)}, not a finite number`);
    if (validationAccuracy !== undefined && !fraction(validationAccuracy))
      fail(`${where}: the validation accuracy is ${shown(validationAccuracy)}, not in [0, 1]`);
  });
}

/** A UsageError (through `fail`) unless `rng` is a generator state xoshiro128** can continue from. */
function assertRngState(rng: RngState, fail: (what: string) => never): void {
  if (typeof rng !== "object" || rng === null)
    fail(`rng must be the generator state {words, spareNormal}, got ${describeValue(rng)}`);
  const { words, spareNormal } = rng;
  const isWord = (w: unknown): boolean =>
    typeof w === "number" && Number.isInteger(w) && w >= 0 && w < 2 ** 32;
  if (!Array.isArray(words) || words.length !== 4 || !words.every(isWord))
    fail("rng.words must be four integers from 0 to 2^32 − 1");
  if (words.every((w) => w === 0))
    fail("rng.words are all 0, the one state xoshiro128** cannot leave (not a saved state)");
  if (!(spareNormal === null || (typeof spareNormal === "number" && Number.isFinite(spareNormal))))
    fail(`rng.spareNormal must be null or a finite number, got ${shown(spareNormal)}`);
}
