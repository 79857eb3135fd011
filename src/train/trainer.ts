/**
 * The training loop: epochs of (optionally shuffled) mini-batches, one gradient-descent step
 * per batch. Batch size N (or "full") is plain gradient descent. Records the loss and
 * accuracy over the whole training set (and the validation set) after every epoch (or, with
 * evaluate: "first-and-last", before the first and after the last only), and stops with a
 * DivergenceError as soon as a loss, a gradient or a parameter stops being finite, carrying
 * the state at the end of the last epoch whose losses were finite.
 *
 * A Trainer is that loop as an object that alone owns the epoch, the row, the step count, the
 * history, the last good state, the shuffling generator, the checkpoint schedule, the
 * learning-rate schedule (η_t = learningRateAt(schedule, t), handed to every step), early
 * stopping (the best epoch by validation loss, restored when patience runs out) and the
 * checks; a stepper computes the steps (steppers/plain.ts: whole-matrix forward, backward
 * and update; steppers/fast.ts: in place on a Backend; bit-identical). Epoch e steps through
 * the rows in the order rng.permutation(N), drawn before its first step, in batches of B; a
 * Trainer resumed from a TrainState redraws that order from the saved generator state and
 * continues at its row, so that it takes exactly the steps of an uninterrupted run.
 */
import { DataError, UsageError } from "../errors.js";
import { assertAllFinite, describeValue } from "../linalg/index.js";
import { assertClassLabels, cloneParams, type Params } from "../nn/index.js";
import { Rng, type RngState } from "../rng.js";
import { divergenceMessage } from "./divergence.js";
import {
  momentOverflowText,
  type MomentName,
  type OptimizerSettings,
  type OptimizerState,
} from "./optimizers.js";
import { learningRateAt } from "./schedules.js";
import {
  DivergenceError,
  trainSettings,
  type BestEpoch,
  type EarlyStop,
  type EpochRecord,
  type LabelledData,
  type TrainOptions,
  type TrainResult,
  type TrainSettings,
  type TrainState,
} from "./setup.js";
import { FastStepper } from "./steppers/fast.js";
import { PlainStepper } from "./steppers/plain.js";
import type { Stepper } from "./steppers/stepper.js";

/** A Trainer's options: train()'s, without shouldStop and resumeFrom, with a hook per step. */
export interface TrainerOptions extends Omit<TrainOptions, "shouldStop" | "resumeFrom"> {
  /**
   * Called after every step whose loss, gradient and new parameters are finite (and, when it
   * ends an epoch, after that epoch's record, before onEpoch). As every hook, it is called
   * once the Trainer has moved to the step boundary after the step: a hook that throws ends
   * the step() or run() call with its error, and the Trainer continues from that boundary.
   */
  readonly onStep?: (step: StepResult) => void;
}

/** What the next step will update with (Trainer.nextUpdate). */
export interface NextUpdate {
  /** The step's number t (from 1). */
  readonly step: number;
  /** η_t, the schedule's rate at step t. */
  readonly learningRate: number;
  /** The update rule and its hyper-parameters. */
  readonly optimizer: OptimizerSettings;
  /** The rule's state before the step (a copy). */
  readonly state: OptimizerState;
  /** λ of the L2 penalty (0: none), in the gradient the rule is given. */
  readonly l2: number;
  /** The gradient's largest global norm c (0: no clipping). */
  readonly clipNorm: number;
}

/** One step, as step() returns it and onStep receives it. */
export interface StepResult {
  /** The epoch the step belongs to. */
  readonly epoch: number;
  /** The rows of that epoch's order stepped over, this step's included (N: the epoch ended). */
  readonly row: number;
  /** Gradient steps taken so far, this one included. */
  readonly steps: number;
  /** The batch's mean loss (plus the L2 penalty) at the parameters before the step. */
  readonly loss: number;
  /** η of this step, from the schedule. */
  readonly learningRate: number;
  /** The epoch's record, when the step ended an epoch that the schedule records (step() only). */
  readonly record?: EpochRecord;
}

/**
 * Trains from `initial` on `data` by mini-batch gradient descent; see TrainOptions. One call
 * over a Trainer: resumes from `options.resumeFrom` and stops where `options.shouldStop`
 * says (see Trainer.run). Runs the fast stepper unless `options.engine` is "plain"; both give
 * bit-identical results, and refuse the same arguments before any work: labels other than 0
 * and 1 on the sigmoid head (0..K−1 for a softmax over K), NaN or ±Infinity in X (DataError
 * naming the row and column, from 0), data, parameters, options and a state to resume from
 * of the wrong kind, shape or range, and options that have no effect with the others
 * (UsageError naming why).
 */
export function train(initial: Params, data: LabelledData, options: TrainOptions): TrainResult {
  if (typeof options !== "object" || options === null) {
    return new Trainer(initial, data, options).run(); // refused, with the message of the checks
  }
  const { resumeFrom, shouldStop, ...trainerOptions } = options;
  if (shouldStop !== undefined && typeof shouldStop !== "function")
    throw new UsageError(`shouldStop must be a function, got ${describeValue(shouldStop)}`);
  return new Trainer(initial, data, trainerOptions, resumeFrom).run(shouldStop);
}

/**
 * The training loop as an object: one step() at a time, run() to the end (or until a
 * condition), state() to checkpoint, and a constructor that resumes from a TrainState. Same
 * checks and results as train(), which is one run() of a Trainer.
 */
export class Trainer {
  /** @internal The run's options after their checks (for the CLI and the experiments). */
  readonly settings: TrainSettings;
  private readonly options: TrainerOptions;
  private readonly data: LabelledData;
  /** @internal What computes the steps (a PlainStepper when options.engine is "plain"). */
  readonly stepper: Stepper;
  private readonly rng: Rng;
  private readonly N: number;
  /** The epoch in progress (about to start when row = 0); epochs + 1 when the run is complete. */
  private epoch: number;
  /** Rows of this epoch's order already stepped over. */
  private row: number;
  private stepCount: number;
  /** The records so far, each frozen (shared with the states and results handed out). */
  private readonly records: EpochRecord[];
  /** A frozen copy of `records`, made when asked for after a change (undefined: stale). */
  private snapshot: readonly EpochRecord[] | undefined;
  private best: number;
  /** The last recorded epoch (finite losses), with the steps and generator state at its end. */
  private lastGood: { epoch: number; steps: number; rng: RngState };
  /** The generator's state before this epoch's permutation (the only draw of an epoch). */
  private epochRng: RngState;
  /** This epoch's order of the rows (null: unshuffled), once drawn. */
  private order: Uint32Array | null | undefined;
  /** False until epoch 0 is recorded (a fresh run does it before its first step). */
  private started: boolean;
  /** What ended the run (a divergence, an overflowing starting gradient): rethrown by step(). */
  private failure: Error | undefined;
  /** Early stopping's best epoch so far (undefined without patience, or before epoch 0). */
  private bestEpoch: BestEpoch | undefined;
  /** Set when early stopping ended the run. */
  private earlyStop: EarlyStop | undefined;
  /** η of the last step taken (the base rate before the first): a divergence names it. */
  private stepRate: number;

  /**
   * A run from `initial`, or resumed from `from` (a step boundary of a run with the same data
   * and options; its parameters then replace `initial`, which must have their shapes). Checks
   * every argument here, once (what train() refuses; and options.resumeFrom and
   * options.shouldStop, which are train()'s: a Trainer takes the state as this 4th argument
   * and the stop condition as run(until)), and builds the stepper (the fast one's backend and
   * buffers) once. Keeps copies of what it is given: changing `initial` or `from` afterwards
   * does not change the run.
   */
  constructor(initial: Params, data: LabelledData, options: TrainerOptions, from?: TrainState) {
    this.settings = trainSettings(initial, data, options, from);
    assertTrainerOnly(options);
    this.options = { ...options };
    this.data = data;
    this.N = data.X.rows;
    const { seed, batchSize, epochs } = this.settings;
    const fromRng = from && copyRngState(from.rng);
    this.rng = fromRng ? Rng.fromState(fromRng) : new Rng(seed);
    this.epoch = from?.epoch ?? 1;
    this.row = from?.row ?? 0;
    this.stepCount = from?.steps ?? 0;
    this.records = from ? from.history.map((r) => Object.freeze({ ...r })) : [];
    this.best = bestLoss(this.records);
    this.lastGood = from
      ? lastRecorded(from, this.N, batchSize, seed)
      : { epoch: -1, steps: 0, rng: this.rng.state() };
    this.epochRng = fromRng ?? this.rng.state();
    this.started = from !== undefined;
    this.bestEpoch = from?.best && { ...from.best, params: cloneParams(from.best.params) };
    this.earlyStop = from ? this.patienceRanOut(this.records[this.records.length - 1]) : undefined;
    this.stepRate = this.settings.learningRate;
    const setup = {
      settings: this.settings,
      data,
      validation: options.validation,
      params: from?.params ?? initial,
      lastGood: from?.lastGoodParams ?? initial,
      // A fresh run's zero moments are the stepper's to build, once (not here and again there).
      optimizer: from?.optimizer,
      lastGoodOptimizer: from?.lastGoodOptimizer,
      checksStartGradient: !from && epochs > 0,
    };
    this.stepper =
      options.engine === "plain"
        ? new PlainStepper(setup)
        : new FastStepper(setup, options.backend, options.threads);
  }

  /** Gradient steps taken so far. */
  get steps(): number {
    return this.stepCount;
  }

  /** The records of the epochs so far (those the `evaluate` schedule records; frozen). */
  get history(): readonly EpochRecord[] {
    return this.historySnapshot();
  }

  /** The records so far as a frozen array, made again only after a record is added. */
  private historySnapshot(): readonly EpochRecord[] {
    this.snapshot ??= Object.freeze(this.records.slice());
    return this.snapshot;
  }

  /** True when the last epoch has ended, or early stopping ended the run. */
  get done(): boolean {
    return this.started && (this.epoch > this.settings.epochs || this.earlyStop !== undefined);
  }

  /** The current parameters (copies the caller may keep and change). */
  params(): Params {
    return this.stepper.params();
  }

  /**
   * The state at the current step boundary, to resume from (complete when its epoch > epochs).
   * A fresh Trainer records epoch 0 first, as its first step would. Its matrices and generator
   * state are copies, and its history frozen: changing them does not change the run.
   */
  state(): TrainState {
    this.begin();
    return {
      epoch: this.epoch,
      row: this.row,
      steps: this.stepCount,
      params: this.stepper.params(),
      rng: copyRngState(this.epochRng),
      history: this.historySnapshot(),
      lastGoodParams: this.stepper.kept(),
      ...this.extras(this.stepper.optimizerState(), this.stepper.keptOptimizerState()),
    };
  }

  /** The optimizer states (absent for sgd, which has none) and the best epoch (absent when off). */
  private extras(
    optimizer: OptimizerState,
    lastGoodOptimizer: OptimizerState,
  ): Pick<TrainState, "optimizer" | "lastGoodOptimizer" | "best"> {
    const best = this.bestEpoch;
    return {
      ...(optimizer.name === "sgd" ? {} : { optimizer, lastGoodOptimizer }),
      ...(best ? { best: { ...best, params: cloneParams(best.params) } } : {}),
    };
  }

  /**
   * @internal What the next step() updates with (for the playground's step-through): its
   * number t, η_t from the schedule, the update rule's settings and state now (copies), λ and
   * the clip norm c (0: none). Changes nothing.
   */
  nextUpdate(): NextUpdate {
    const { optimizer, l2, clipNorm, schedule } = this.settings;
    const step = this.stepCount + 1;
    return {
      step,
      learningRate: learningRateAt(schedule, step), // η_t, as step() asks for it
      optimizer,
      state: this.stepper.optimizerState(),
      l2,
      clipNorm,
    };
  }

  /**
   * One gradient step (a fresh Trainer records epoch 0 and checks the starting gradient
   * first), then, when it ends an epoch, that epoch's record, then the hooks: onStep, onEpoch
   * (when the step ended a recorded epoch) and onCheckpoint (when one is due). Throws a
   * DivergenceError when a loss, a gradient or a parameter stops being finite (a DataError
   * naming the cell when the data holds NaN or ±Infinity by then), a UsageError when the run
   * is complete, and what a hook throws (the step taken: the Trainer is at the boundary after
   * it).
   */
  step(): StepResult {
    this.begin();
    if (this.failure) throw this.failure;
    const { epochs, batchSize, shuffle } = this.settings;
    if (this.earlyStop) {
      const { epoch, bestEpoch } = this.earlyStop;
      throw new UsageError(
        `train: early stopping ended the run after epoch ${epoch} (best epoch ${bestEpoch})`,
      );
    }
    if (this.done) throw new UsageError(`train: the run is complete (${epochs} epochs)`);
    const { epoch, N } = this;
    if (this.order === undefined) this.order = shuffle ? this.rng.permutation(N) : null;
    const end = Math.min(this.row + batchSize, N);
    const learningRate = learningRateAt(this.settings.schedule, this.stepCount + 1); // η_t
    const report = this.stepper.step(this.order, this.row, end, learningRate);
    const { loss, gradientFinite, overflowed, paramsFinite } = report;
    this.stepCount++;
    this.stepRate = learningRate;
    if (!Number.isFinite(loss)) throw this.diverged(`the loss became ${loss}`);
    if (!gradientFinite) throw this.diverged("a gradient became non-finite");
    // A non-finite moment is divergence even where θ stays finite (Adam's v = ∞ makes every
    // later update 0): checked before θ, so that the message names where the overflow began.
    if (overflowed !== undefined) {
      throw this.diverged(momentOverflowText(this.settings.optimizer.name, overflowed), overflowed);
    }
    if (!paramsFinite) throw this.diverged("a parameter became non-finite");
    this.row = end;
    const done: StepResult = { epoch, row: end, steps: this.stepCount, loss, learningRate };
    let record: EpochRecord | undefined;
    if (end === N) {
      record = this.settings.recordsEpoch(epoch) ? this.record(epoch) : undefined;
      this.epochRng = this.rng.state();
      this.epoch++;
      this.row = 0;
      this.order = undefined;
    }
    // Every counter is at the step boundary after this step: a hook that throws leaves a
    // Trainer to continue from here (and a state() to resume from).
    const { onStep, onEpoch } = this.options;
    onStep?.(done);
    if (record) onEpoch?.(record);
    if (!this.done) this.boundary();
    return record ? { ...done, record } : done;
  }

  /**
   * Steps until the run is complete, or until `until()` is true at a step boundary: it is
   * asked at every boundary the call reaches (a fresh Trainer's first, before the first step,
   * is reached by recording epoch 0), never after the last step. `stopped` is true when
   * `until` ended the call; `state` is where to resume.
   */
  run(until?: () => boolean): TrainResult {
    return this.result(!this.advance(until, "run"));
  }

  /**
   * @internal Steps as run(until) does, without building its result (the copies of the
   * parameters and moments that state() makes): true when the run is complete, false when
   * `until` stopped it. For a caller that runs in slices and needs the result only at the end.
   */
  advance(until?: () => boolean, caller = "advance"): boolean {
    if (until !== undefined && typeof until !== "function") {
      throw new UsageError(
        `${caller}: the stop condition until must be a function, got ${describeValue(until)}`,
      );
    }
    if (!this.started) {
      this.begin();
      if (!this.done && until?.()) return false;
    }
    while (!this.done) {
      this.step();
      if (!this.done && until?.()) return false;
    }
    return true;
  }

  /**
   * @internal The result at the current step boundary (run's): `stopped` says whether a stop
   * condition ended the call. For a caller of advance().
   */
  result(stopped: boolean): TrainResult {
    const state = this.state();
    return {
      params: cloneParams(state.params),
      history: state.history, // frozen, so shared with the state
      steps: this.steps,
      stopped,
      state,
      ...(this.earlyStop ? { earlyStop: this.earlyStop } : {}),
    };
  }

  /**
   * A fresh run's start: epoch 0's record and, with epochs to go, the check of the gradient
   * at the starting model. No learning rate has acted yet: a gradient that overflows here is
   * the data's and the starting model's doing (checked on all N rows, whatever the order).
   */
  private begin(): void {
    if (this.started) return;
    const entry = this.record(0);
    this.started = true;
    if (this.settings.epochs > 0 && !this.stepper.startGradientIsFinite()) {
      this.failure = this.dataFault() ?? new DataError(STARTING_GRADIENT_MESSAGE);
    }
    this.options.onEpoch?.(entry); // after the bookkeeping: a hook that throws leaves it done
    if (this.failure) throw this.failure;
  }

  /**
   * The DataError naming a NaN or ±Infinity in the features (or a label the head does not
   * take), or undefined: asked when a loss or a gradient comes out non-finite, with a fresh
   * scan, since the data may have changed since the constructor's check (see assertFinite).
   * The error ends the run.
   */
  private dataFault(): DataError | undefined {
    const K = this.stepper.params().W2.cols;
    const validation = this.options.validation;
    try {
      for (const [set, name] of [
        [this.data, ""],
        ...(validation ? [[validation, "validation "] as const] : []),
      ] as const) {
        assertAllFinite(set.X, `${name}X`, "train");
        assertClassLabels(set.y, K, `${name}y`, "train");
      }
    } catch (error) {
      if (!(error instanceof DataError)) throw error;
      this.failure = error;
      return error;
    }
    return undefined;
  }

  /**
   * Evaluates and records `epoch` (0 before the first step; else the epoch just ended), and
   * watches the validation loss; the caller calls onEpoch.
   */
  private record(epoch: number): EpochRecord {
    const entry = Object.freeze(this.stepper.evaluate(epoch));
    const bad = nonFiniteFigure(entry);
    if (bad && epoch === 0) throw this.dataFault() ?? new DataError(startingLossMessage(bad));
    if (bad) throw this.diverged(`the ${bad} became non-finite`);
    const start = this.records[0]?.loss ?? entry.loss;
    const exploded = explosion(entry.loss, this.best, start, this.settings.divergenceFactor);
    if (exploded) throw this.diverged(exploded);
    this.best = Math.min(this.best, entry.loss);
    this.stepper.keep();
    this.lastGood = { epoch, steps: this.stepCount, rng: this.rng.state() };
    this.records.push(entry);
    this.snapshot = undefined;
    if (this.settings.earlyStopping) this.watchValidation(entry);
    return entry;
  }

  /**
   * Early stopping, after each epoch's record: a validation loss below the best by more than
   * minDelta makes this epoch the best (its parameters kept); otherwise, once `patience`
   * epochs have passed since the best, the run ends, with the best epoch's parameters
   * restored unless restoreBest is false.
   */
  private watchValidation(entry: EpochRecord): void {
    const loss = entry.validationLoss!; // checked: early stopping needs validation data
    const { minDelta } = this.settings.earlyStopping!;
    const best = this.bestEpoch;
    if (best === undefined || loss < best.validationLoss - minDelta) {
      this.bestEpoch = { epoch: entry.epoch, validationLoss: loss, params: this.stepper.params() };
      return;
    }
    this.earlyStop = this.patienceRanOut(entry);
    if (this.earlyStop?.restored) this.stepper.setParams(best.params);
  }

  /** The early stop when `patience` epochs have passed since the best by `last`, else undefined. */
  private patienceRanOut(last: EpochRecord | undefined): EarlyStop | undefined {
    const { earlyStopping } = this.settings;
    const best = this.bestEpoch;
    if (!earlyStopping || !best || !last || last.epoch - best.epoch < earlyStopping.patience)
      return undefined;
    return {
      reason: "early-stopping",
      epoch: last.epoch,
      bestEpoch: best.epoch,
      bestValidationLoss: best.validationLoss,
      restored: earlyStopping.restoreBest,
    };
  }

  /** At a step boundary before the last: the checkpoint, when due. */
  private boundary(): void {
    const every = this.options.checkpointEvery ?? "epoch";
    const due = every === "epoch" ? this.row === 0 : this.stepCount % every === 0;
    if (this.options.onCheckpoint && due) this.options.onCheckpoint(this.state());
  }

  /**
   * The DivergenceError for a failure now, carrying the last good state (or the DataError of
   * dataFault, when the data holds NaN or ±Infinity by now); ends the run.
   */
  private diverged(what: string, overflowed?: MomentName): DivergenceError | DataError {
    const fault = this.dataFault();
    if (fault) return fault;
    const { epoch, stepCount: step, lastGood } = this;
    const { l2, optimizer } = this.settings;
    const kept = this.stepper.kept();
    const facts = {
      epoch,
      step,
      learningRate: this.stepRate, // η_t of the failing step (of the epoch's last, for a record)
      baseLearningRate: this.settings.learningRate,
      what,
      l2,
      optimizer,
      overflowed,
    };
    const error = new DivergenceError(divergenceMessage(facts), {
      ...facts,
      lastGood: {
        epoch: lastGood.epoch + 1,
        row: 0,
        steps: lastGood.steps,
        params: kept,
        rng: copyRngState(lastGood.rng),
        history: this.historySnapshot(),
        lastGoodParams: cloneParams(kept),
        ...this.extras(this.stepper.keptOptimizerState(), this.stepper.keptOptimizerState()),
      },
    });
    this.failure = error;
    return error;
  }
}

/** A copy of a generator state (whose words array a caller could change). */
function copyRngState(state: RngState): RngState {
  const [a, b, c, d] = state.words;
  return { words: [a, b, c, d], spareNormal: state.spareNormal };
}

/**
 * A UsageError for train()'s options given to a Trainer, where they would be ignored: the
 * state to resume from is the constructor's 4th argument, the stop condition run's `until`.
 */
function assertTrainerOnly(options: TrainerOptions): void {
  const given = options as Partial<Pick<TrainOptions, "resumeFrom" | "shouldStop">>;
  if (given.resumeFrom !== undefined) {
    throw new UsageError(
      "new Trainer: options.resumeFrom is train()'s; pass the state to resume from as the constructor's 4th argument: new Trainer(initial, data, options, state)",
    );
  }
  if (given.shouldStop !== undefined) {
    throw new UsageError(
      "new Trainer: options.shouldStop is train()'s; pass the stop condition to run: trainer.run(until)",
    );
  }
}

/**
 * The epoch, step count and shuffling-generator state at the end of the last recorded epoch
 * of a resumable state (where its lastGoodParams were taken). That epoch is epoch − 1, whose
 * generator state the state carries, or (when the schedule skipped epochs) epoch 0, before
 * any draw: the generator as seeded.
 */
function lastRecorded(
  state: TrainState,
  N: number,
  batchSize: number,
  seed: number,
): { readonly epoch: number; readonly steps: number; readonly rng: RngState } {
  const epoch = state.history[state.history.length - 1]?.epoch ?? 0;
  return {
    epoch,
    steps: epoch * Math.ceil(N / batchSize),
    rng: epoch === state.epoch - 1 ? copyRngState(state.rng) : new Rng(seed).state(),
  };
}

/**
 * The message for an epoch loss that exploded, or undefined: a loss above F × `best`, the
 * lowest epoch loss so far, and above `start`, the starting loss (so that a spike after the
 * loss has reached ~0 does not count). F = 0: never.
 */
function explosion(loss: number, best: number, start: number, factor: number): string | undefined {
  if (factor === 0 || !(loss > factor * best && loss > start)) return undefined;
  return `the training loss ${loss} exceeds ${factor} × its best value ${best} (and the starting loss)`;
}

/** The lowest loss of the records. */
function bestLoss(history: readonly EpochRecord[]): number {
  let best = Infinity;
  for (const r of history) best = Math.min(best, r.loss);
  return best;
}
/** "the starting model's … on this data is not finite" (a DataError message). */
function startingLossMessage(bad: string): string {
  return (
    `the starting model's ${bad} on this data is not finite: the features or the weights ` +
    `are too large for float64 (the logits z2 overflow)`
  );
}

const STARTING_GRADIENT_MESSAGE =
  "the gradient at the starting model overflows on this data: the features or the weights are too large for float64";

/** The name of the first non-finite figure of an epoch record, or undefined. */
function nonFiniteFigure(entry: EpochRecord): string | undefined {
  if (!Number.isFinite(entry.loss)) return "training loss";
  if (entry.validationLoss !== undefined && !Number.isFinite(entry.validationLoss))
    return "validation loss";
  return undefined;
}
