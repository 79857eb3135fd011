/**
 * What the Trainer asks of a way of computing a step. The plain stepper (plain.ts) and the
 * fast one (fast.ts) differ only in how they compute; the epochs, the order of the rows, the
 * records, the checks and the checkpoints are the Trainer's (../trainer.ts).
 */
import type { Params } from "../../nn/index.js";
import type { MomentName, OptimizerState } from "../optimizers.js";
import type { EpochRecord, LabelledData, TrainSettings } from "../setup.js";

/**
 * How a Trainer computes a step: the plain and the fast stepper differ only in this; the rest
 * (epochs, row order, records, checks, checkpoints) is the Trainer's.
 */
export interface Stepper {
  /**
   * One step on the rows order[start..end) (rows start..end without an order): the gradient
   * of the (penalised) batch loss, clipped when the settings say, then the optimizer's update
   * with learning rate η (the schedule's at this step, given by the Trainer).
   */
  step(order: Uint32Array | null, start: number, end: number, learningRate: number): StepReport;
  /** Loss and accuracy of the current parameters on the whole training (and validation) set. */
  evaluate(epoch: number): EpochRecord;
  /**
   * Whether the gradient over all N rows at the current parameters is finite: asked once, by
   * a fresh run with epochs to go, right after evaluate(0).
   */
  startGradientIsFinite(): boolean;
  /** The current parameters, as matrices the caller may keep. */
  params(): Params;
  /** Keeps (a copy of) the current parameters as the last good ones. */
  keep(): void;
  /** The parameters keep() last kept, as matrices the caller may keep. */
  kept(): Params;
  /** The optimizer's state with the current parameters (matrices the caller may keep). */
  optimizerState(): OptimizerState;
  /** The optimizer's state keep() last kept. */
  keptOptimizerState(): OptimizerState;
  /** Replaces the current parameters (early stopping's restore of the best epoch). */
  setParams(params: Params): void;
}

/** What a step leaves for the Trainer's divergence checks (in this order). */
export interface StepReport {
  /** The batch's mean loss at the parameters before the step. */
  readonly loss: number;
  /** Whether every entry of the batch gradient is finite. */
  readonly gradientFinite: boolean;
  /**
   * The moment of the optimizer's new state that is not finite (optimizers.ts's
   * nonFiniteMoment: v before m), or undefined; undefined too where the loss or the gradient
   * was not finite and no step was taken. The Trainer checks it before paramsFinite.
   */
  readonly overflowed: MomentName | undefined;
  /**
   * Whether every new parameter is finite (false too where the loss or the gradient was not
   * and no step was taken). When any of the three is not finite the run is over: the
   * stepper's current parameters are then unspecified (keep() still has the last good ones).
   */
  readonly paramsFinite: boolean;
}

/** What a stepper is built from: the run's checked settings, its data and where it starts. */
export interface StepperSetup {
  readonly settings: TrainSettings;
  readonly data: LabelledData;
  readonly validation: LabelledData | undefined;
  /** The parameters to step from. */
  readonly params: Params;
  /** The last good parameters so far (the starting ones in a fresh run). */
  readonly lastGood: Params;
  /**
   * The optimizer's state with `params`, and with `lastGood` (a resumed run's, which the
   * stepper copies); undefined for a fresh run: the stepper builds the zero moments itself,
   * once.
   */
  readonly optimizer: OptimizerState | undefined;
  readonly lastGoodOptimizer: OptimizerState | undefined;
  /** True when startGradientIsFinite will be asked (a fresh run with epochs to go). */
  readonly checksStartGradient: boolean;
}
