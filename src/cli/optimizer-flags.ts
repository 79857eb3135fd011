/**
 * The flags of `handgrad train` that choose the update rule, the L2 penalty, the learning-rate
 * schedule, clipping and early stopping: the library's TrainOptions of the same meaning
 * (`--clip-norm` is `clipNorm`), and what a run records of them, in its checkpoint (compared
 * on --resume) and in its model file ("training").
 *
 * Every value is checked here, on the flags, before any file is read, and refused with one
 * line that names the flag: the library checks again, but its messages name its options
 * (`clipNorm must be …`), which a command-line user never typed. Only the flags given (and the
 * names of the rule and schedule) reach the library; the others take the library's defaults,
 * which the help shows from the library's constants.
 *
 * A flag that the chosen rule, schedule or stopping does not use is refused, not ignored:
 * `--beta1 0.99 --optimizer momentum`, `--decay-every 10` without `--schedule step`,
 * `--min-delta` without `--patience`. Ignoring it would train a model other than the one the
 * command line reads as asking for, and print nothing about it: the user who typed `--beta1`
 * believes Adam's β1 mattered, and a typo in `--optimizer` (or a forgotten one) would go
 * unnoticed. A refusal costs one edit of the command; a silent no-op costs a wrong conclusion
 * drawn from an experiment. The same holds for `--patience` without `--validation`: there is
 * no validation loss to watch.
 */
import type { OptionValue } from "../formats/index.js";
import {
  DEFAULT_ADAM_EPS,
  DEFAULT_BETA1,
  DEFAULT_BETA2,
  DEFAULT_DECAY_RATE,
  DEFAULT_L2,
  DEFAULT_LR_MIN,
  DEFAULT_MIN_DELTA,
  DEFAULT_MOMENTUM,
  DEFAULT_OPTIMIZER,
  DEFAULT_SCHEDULE,
  DEFAULT_WARMUP,
  OPTIMIZER_NAMES,
  SCHEDULE_NAMES,
  OPTION_GROUP,
  OPTION_NAMES,
  optionActs,
  trainingRecord,
  type OptimizerOptions,
  type OptionGroup,
  type TrainingRecord,
} from "../train/index.js";
import { UsageError } from "../errors.js";
import {
  booleanFlag,
  choiceFlag,
  integerFlag,
  numberFlag,
  optionalFlag,
  type Flags,
  type FlagSpecs,
} from "./flags.js";

/** The flag of the L2 penalty, shared by train, grad and gradcheck. */
export const L2_FLAG: FlagSpecs = {
  l2: {
    kind: "string",
    value: "λ",
    help: `L2 penalty: the loss gains (λ/2)(‖W1‖² + ‖W2‖²), biases not penalised (${DEFAULT_L2}: none)`,
  },
};

export const OPTIMIZER_FLAGS: FlagSpecs = {
  optimizer: {
    kind: "string",
    value: "RULE",
    help: `update rule: ${OPTIMIZER_NAMES.join(", ")} (${DEFAULT_OPTIMIZER})`,
  },
  momentum: {
    kind: "string",
    value: "μ",
    help: `momentum μ in [0, 1) of momentum and nesterov (${DEFAULT_MOMENTUM})`,
  },
  beta1: { kind: "string", value: "β1", help: `Adam's β1 in [0, 1) (${DEFAULT_BETA1})` },
  beta2: { kind: "string", value: "β2", help: `Adam's β2 in [0, 1) (${DEFAULT_BETA2})` },
  "adam-eps": {
    kind: "string",
    value: "ε",
    help: `Adam's ε > 0 in θ ← θ − η m̂/(√v̂ + ε) (${DEFAULT_ADAM_EPS})`,
  },
  ...L2_FLAG,
  schedule: {
    kind: "string",
    value: "NAME",
    help: `learning rate over the run: ${SCHEDULE_NAMES.join(", ")} (${DEFAULT_SCHEDULE})`,
  },
  "decay-rate": {
    kind: "string",
    value: "γ",
    help: `--schedule step: multiply η by γ in (0, 1] every --decay-every epochs (${DEFAULT_DECAY_RATE})`,
  },
  "decay-every": {
    kind: "string",
    value: "E",
    help: "--schedule step: epochs between two decays (required)",
  },
  "lr-min": {
    kind: "string",
    value: "η_min",
    help: `--schedule cosine: the rate it ends at, in [0, η] (${DEFAULT_LR_MIN})`,
  },
  warmup: {
    kind: "string",
    value: "S",
    help: `warm-up steps: η·t/S for the first S steps (${DEFAULT_WARMUP}: none)`,
  },
  "clip-norm": {
    kind: "string",
    value: "c",
    help: "rescale each batch gradient to global norm c when it is longer (default: no clipping)",
  },
  patience: {
    kind: "string",
    value: "P",
    help: "early stopping (needs --validation): stop when the validation loss has not improved for P epochs",
  },
  "min-delta": {
    kind: "string",
    value: "d",
    help: `--patience: an improvement must lower the best validation loss by more than d (${DEFAULT_MIN_DELTA})`,
  },
  "no-restore-best": {
    kind: "boolean",
    help: "--patience: keep the last epoch's weights instead of restoring the best epoch's",
  },
};

/** Which flags each rule and schedule uses, and what each value must be. */
const UNIT_INTERVAL = [(x: number): boolean => x >= 0 && x < 1, "a number in [0, 1)"] as const;
const POSITIVE = [(x: number): boolean => x > 0, "a number > 0"] as const;
const NON_NEGATIVE = [(x: number): boolean => x >= 0, "a number ≥ 0"] as const;

/**
 * The options the flags ask for, every value checked against its rule and against the rule,
 * schedule and data it applies to; `learningRate` is η (--lr), which bounds --lr-min, and
 * `validation` whether --validation is given. Refuses (UsageError, naming the flag) a value
 * out of range and a flag that the run would not use (see the header).
 */
export function optimizerOptions(
  flags: Flags,
  learningRate: number,
  validation: boolean,
): OptimizerOptions {
  const optimizer = choiceFlag(flags, "optimizer", OPTIMIZER_NAMES, DEFAULT_OPTIMIZER);
  const schedule = choiceFlag(flags, "schedule", SCHEDULE_NAMES, DEFAULT_SCHEDULE);
  const uses = (flag: string, used: boolean, applies: string): void => {
    if (flags.has(flag) && !used) throw new UsageError(`--${flag} applies to ${applies}`);
  };
  const given = (flag: string, value: string): string =>
    `--${flag} ${value}${flags.has(flag) ? "" : ", the default"}`;
  const rule = given("optimizer", optimizer);
  const scheduled = given("schedule", schedule);
  const applies: Readonly<Record<OptionGroup, string>> = {
    momentum: `--optimizer momentum or nesterov, not to ${rule}`,
    adam: `--optimizer adam, not to ${rule}`,
    step: `--schedule step, not to ${scheduled}`,
    cosine: `--schedule cosine, not to ${scheduled}`,
    "early-stopping": "early stopping: give --patience P (and --validation F)",
    always: "",
  };
  const context = { optimizer, schedule, earlyStopping: flags.has("patience") };
  for (const [option, flag] of Object.entries(OPTION_NAMES) as [keyof OptimizerOptions, string][]) {
    uses(flag, optionActs(option, context), applies[OPTION_GROUP[option]]);
  }
  if (flags.has("patience") && !validation) {
    throw new UsageError(
      "--patience needs --validation F: early stopping watches the validation loss",
    );
  }
  if (schedule === "step" && !flags.has("decay-every")) {
    throw new UsageError("--schedule step needs --decay-every E, the epochs between two decays");
  }
  // + 0 turns −0 into 0: "--l2 -0" is λ = 0, and is recorded (model, checkpoint) as 0.
  const number = (flag: string, [valid, rule]: readonly [(x: number) => boolean, string]) =>
    optionalFlag(flags, flag, () => numberFlag(flags, flag, 0, valid, rule) + 0);
  const integer = (flag: string, min: number) =>
    optionalFlag(flags, flag, () => integerFlag(flags, flag, 0, min));
  const options: { [K in keyof OptimizerOptions]: OptimizerOptions[K] | undefined } = {
    optimizer,
    momentum: number("momentum", UNIT_INTERVAL),
    beta1: number("beta1", UNIT_INTERVAL),
    beta2: number("beta2", UNIT_INTERVAL),
    adamEps: number("adam-eps", POSITIVE),
    l2: number("l2", NON_NEGATIVE),
    schedule,
    decayRate: number("decay-rate", [(x) => x > 0 && x <= 1, "a number in (0, 1]"]),
    decayEvery: integer("decay-every", 1),
    lrMin: number("lr-min", [
      (x) => x >= 0 && x <= learningRate,
      `a number from 0 to the learning rate η = ${learningRate}`,
    ]),
    warmup: integer("warmup", 0),
    clipNorm: number("clip-norm", POSITIVE),
    patience: integer("patience", 1),
    minDelta: number("min-delta", NON_NEGATIVE),
    restoreBest: flags.has("patience") ? !booleanFlag(flags, "no-restore-best") : undefined,
  };
  // Only what was given (exactOptionalPropertyTypes: no key holds undefined).
  return Object.fromEntries(
    Object.entries(options).filter(([, value]) => value !== undefined),
  ) as OptimizerOptions;
}

/**
 * Refuses a warm-up longer than the run (`steps` = epochs × ⌈N/B⌉ steps), known once the data
 * is: the library would refuse it too, naming its option.
 */
export function assertWarmupFits(
  options: OptimizerOptions,
  epochs: number,
  stepsPerEpoch: number,
): void {
  const warmup = options.warmup ?? DEFAULT_WARMUP;
  const steps = epochs * stepsPerEpoch;
  if (warmup > steps) {
    throw new UsageError(
      `--warmup ${warmup} is longer than the run: ${epochs} epochs × ${stepsPerEpoch} steps = ${steps} steps`,
    );
  }
}

/**
 * The record as a checkpoint's options, by flag name: every one of these flags, null where
 * the run does not use it (`--no-restore-best` as a boolean, like `--no-shuffle`). A resumed
 * run must repeat them; --lr is recorded with the other options.
 */
export function recordedOptions(record: TrainingRecord): Record<string, OptionValue> {
  const options: Record<string, OptionValue> = {};
  for (const [key, flag] of Object.entries(OPTION_NAMES)) {
    const value = record[key as keyof TrainingRecord];
    options[flag] = value === undefined ? null : key === "restoreBest" ? !value : value;
  }
  return options;
}

/**
 * The value a checkpoint written before these flags existed (plain SGD, constant η) has for
 * each of them: such a run resumes with none of them, or with their defaults.
 */
export const OPTIONS_BEFORE_OPTIMIZERS: Readonly<Record<string, OptionValue>> = recordedOptions(
  trainingRecord({}, 1),
);
