/**
 * What trained a model, as its file records it (formats/model-format.ts writes and checks the
 * "training" key): the update rule and η with the hyper-parameters the rule uses, λ, the
 * schedule with its own parameters, and the warm-up, clipping and early stopping when on.
 * One function builds it from TrainOptions, for every app that saves a model (the CLI's
 * train --save, the playground's export), so that a model says the same about the same run.
 */
import { HANDGRAD_VERSION } from "../version.js";
import { optionActs } from "./option-use.js";
import { optimizerSettings, type OptimizerName } from "./optimizers.js";
import {
  DEFAULT_DECAY_RATE,
  DEFAULT_LR_MIN,
  DEFAULT_SCHEDULE,
  DEFAULT_WARMUP,
  type ScheduleName,
} from "./schedules.js";
import { DEFAULT_L2, DEFAULT_MIN_DELTA, DEFAULT_RESTORE_BEST, type TrainOptions } from "./setup.js";

/**
 * The options of the update rule, the penalty, the schedule and early stopping: what a model
 * records of its training beside η, and what the CLI's flags and the playground's link set.
 */
export type OptimizerOptions = Pick<
  TrainOptions,
  | "optimizer"
  | "momentum"
  | "beta1"
  | "beta2"
  | "adamEps"
  | "l2"
  | "schedule"
  | "decayRate"
  | "decayEvery"
  | "lrMin"
  | "warmup"
  | "clipNorm"
  | "patience"
  | "minDelta"
  | "restoreBest"
>;

/**
 * What trained a model: the update rule, η and the rule's hyper-parameters, the L2 penalty,
 * the learning-rate schedule and its parameters, and the warm-up, gradient clipping and early
 * stopping when they were on; each under its TrainOptions name, with its meaning there.
 */
export type TrainingRecord = OptimizerOptions &
  Partial<RunRecord> & {
    /** The update rule. */
    readonly optimizer: OptimizerName;
    /** The base learning rate η. */
    readonly learningRate: number;
  };

/**
 * The rest of what trained a model (model file version 2), beside the update rule: the
 * handgrad that ran it, the epochs, the batch size, the shuffling, the validation fraction
 * and the seed. Nothing that two identical runs would differ in (no time, no machine, no
 * engine or thread count: both give bit-identical results).
 */
export interface RunRecord {
  /** The version of the handgrad that trained the model (package.json's). */
  readonly handgrad: string;
  /** The passes over the training rows asked for (early stopping may have ended sooner). */
  readonly epochs: number;
  /** Rows per step, or "full" for full-batch gradient descent. */
  readonly batchSize: number | "full";
  /** False when the rows were not reshuffled every epoch (absent: they were). */
  readonly shuffle?: boolean;
  /** The fraction of the rows held out for validation (absent: none). */
  readonly validationFraction?: number;
  /** The seed of every random choice (the split, the initial weights, the shuffling). */
  readonly seed: number;
  /**
   * The steps taken, when a signal stopped the run before its last epoch (absent: it ran to
   * its end or to early stopping): the same settings stopped after this step give the weights.
   */
  readonly stoppedAfterStep?: number;
}

/**
 * The name of each of these options outside the library, in kebab case: the CLI's flag
 * (`--adam-eps`) and the playground link's key (`adam-eps=…`). `--no-restore-best` is the
 * flag that turns restoreBest off.
 */
export const OPTION_NAMES: Readonly<Record<keyof OptimizerOptions, string>> = {
  optimizer: "optimizer",
  momentum: "momentum",
  beta1: "beta1",
  beta2: "beta2",
  adamEps: "adam-eps",
  l2: "l2",
  schedule: "schedule",
  decayRate: "decay-rate",
  decayEvery: "decay-every",
  lrMin: "lr-min",
  warmup: "warmup",
  clipNorm: "clip-norm",
  patience: "patience",
  minDelta: "min-delta",
  restoreBest: "no-restore-best",
};

/**
 * What trained the model, for its file and the --json summary: the rule and η with the
 * hyper-parameters the rule uses (the library's defaults where no flag was given), λ, the
 * schedule with its own parameters, and the warm-up, clipping and early stopping when on;
 * given `run`, also this handgrad's version, the epochs, batch size, shuffling, validation
 * fraction and seed (see RunRecord).
 */
export function trainingRecord(
  options: OptimizerOptions,
  learningRate: number,
  run?: Omit<RunRecord, "handgrad">,
): TrainingRecord {
  const { name, momentum, beta1, beta2, eps } = optimizerSettings(options);
  const schedule: ScheduleName = options.schedule ?? DEFAULT_SCHEDULE;
  const warmup = options.warmup ?? DEFAULT_WARMUP;
  const context = { optimizer: name, schedule, earlyStopping: options.patience !== undefined };
  const acts = (option: keyof OptimizerOptions): boolean => optionActs(option, context);
  return {
    ...(run === undefined ? {} : { handgrad: HANDGRAD_VERSION }),
    optimizer: name,
    learningRate,
    ...(acts("momentum") ? { momentum } : {}),
    ...(acts("beta1") ? { beta1, beta2, adamEps: eps } : {}),
    l2: options.l2 ?? DEFAULT_L2,
    schedule,
    ...(acts("decayRate")
      ? { decayRate: options.decayRate ?? DEFAULT_DECAY_RATE, decayEvery: options.decayEvery! }
      : {}),
    ...(acts("lrMin") ? { lrMin: options.lrMin ?? DEFAULT_LR_MIN } : {}),
    ...(warmup > 0 ? { warmup } : {}),
    ...(options.clipNorm === undefined ? {} : { clipNorm: options.clipNorm }),
    ...(acts("minDelta")
      ? {
          patience: options.patience,
          minDelta: options.minDelta ?? DEFAULT_MIN_DELTA,
          restoreBest: options.restoreBest ?? DEFAULT_RESTORE_BEST,
        }
      : {}),
    ...(run === undefined
      ? {}
      : {
          epochs: run.epochs,
          batchSize: run.batchSize,
          ...(run.shuffle === false ? { shuffle: false } : {}),
          ...(run.validationFraction === undefined
            ? {}
            : { validationFraction: run.validationFraction }),
          seed: run.seed,
          ...(run.stoppedAfterStep === undefined ? {} : { stoppedAfterStep: run.stoppedAfterStep }),
        }),
  };
}
