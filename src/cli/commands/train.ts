/** `handgrad train`: fits the network to a data set and optionally saves the model. */
import { parseDecimal } from "../../data/decimal.js";
import { integerClasses, labelList, type ClassLabel } from "../../data/index.js";
import { DataError, FileError, UsageError } from "../../errors.js";
import {
  assertWritable,
  dataFingerprint,
  saveCheckpoint,
  saveModel,
  unusedPath,
  writeTarget,
  writeToUnusedPath,
} from "../../io/index.js";
import { type Checkpoint, type Model, type OptionValue } from "../../formats/index.js";
import { maxAbs, type Matrix } from "../../linalg/index.js";
import { classCount, outputHeadFor } from "../../nn/index.js";
import { streamSeed } from "../../rng.js";
import { quote } from "../../suggest.js";
import {
  DEFAULT_BATCH_SIZE,
  DEFAULT_EPOCHS,
  DEFAULT_LEARNING_RATE,
  DEFAULT_OPTIMIZER,
  divergenceMessage,
  DivergenceError,
  MAX_THREADS,
  Trainer,
  TRAIN_ENGINES,
  trainingRecord,
  type DivergenceWords,
  type EpochRecord,
  type EarlyStop,
  type LabelledData,
  type OptimizerOptions,
  type TrainingRecord,
  type TrainerOptions,
  type TrainResult,
  type TrainState,
} from "../../train/index.js";
import {
  booleanFlag,
  choiceFlag,
  integerFlag,
  numberFlag,
  stringFlag,
  threadsFlag,
  type Flags,
  type FlagSpecs,
} from "../flags.js";
import type { TrainingLoop } from "../memory.js";
import {
  assertWarmupFits,
  OPTIMIZER_FLAGS,
  OPTIONS_BEFORE_OPTIMIZERS,
  optimizerOptions,
  recordedOptions,
} from "../optimizer-flags.js";
import { shellWord, shown, type Output } from "../output.js";
import { progressBar } from "../progress.js";
import { percent, readableNumber, sci, trainingOutcomeText } from "../report.js";
import { DATA_FLAGS, NETWORK_FLAGS, prepareRun, type PreparedRun } from "../setup.js";

/** Stop when an epoch's loss exceeds this many times its best value (and the starting loss). */
export const DEFAULT_DIVERGENCE_FACTOR = 1000;
/** Where an interrupted run without --checkpoint saves its state (in the working folder). */
export const DEFAULT_CHECKPOINT = "handgrad-checkpoint.json";
/** Training runs in slices of about this many milliseconds, so that signals are handled between them. */
const SLICE_MS = 100;

export const TRAIN_FLAGS: FlagSpecs = {
  ...DATA_FLAGS,
  validation: {
    kind: "string",
    value: "FRACTION",
    help: "hold out this fraction of the rows for validation",
  },
  ...NETWORK_FLAGS,
  "init-model": {
    kind: "string",
    value: "FILE",
    help: "start from this model file instead of random weights",
  },
  lr: { kind: "string", value: "η", help: `learning rate η (${DEFAULT_LEARNING_RATE})` },
  epochs: { kind: "string", value: "N", help: `passes over the training rows (${DEFAULT_EPOCHS})` },
  "batch-size": {
    kind: "string",
    value: "N|full",
    help: `rows per step, or "full" for gradient descent (${DEFAULT_BATCH_SIZE})`,
  },
  "no-shuffle": { kind: "boolean", help: "keep the row order instead of reshuffling each epoch" },
  ...OPTIMIZER_FLAGS,
  engine: {
    kind: "string",
    value: "fast|plain",
    help: 'training loop: "fast" (in place, the default) or "plain" (readable); bit-identical',
  },
  threads: {
    kind: "string",
    value: "N|auto",
    help: 'threads for the fast engine: at most N, or "auto" (at most one per core); none gets under 2 MFLOP of a call, so small runs keep one; bit-identical',
  },
  save: {
    kind: "string",
    value: "FILE",
    help: "write the trained model to this file (atomically)",
  },
  checkpoint: {
    kind: "string",
    value: "FILE",
    help: "keep the run's state in this file (atomically), to continue with --resume",
  },
  "checkpoint-every": {
    kind: "string",
    value: "STEPS",
    help: "write the checkpoint every this many steps (default: after every epoch)",
  },
  resume: {
    kind: "string",
    value: "FILE",
    help: "continue the run in this checkpoint (same data and options): bit-identical",
  },
  "divergence-factor": {
    kind: "string",
    value: "FACTOR",
    help: `stop when the loss exceeds this many times its best (${DEFAULT_DIVERGENCE_FACTOR}; 0: off)`,
  },
  json: { kind: "boolean", help: "print a JSON summary with the per-epoch history on stdout" },
};

export interface TrainRun {
  readonly model: Model;
  readonly result: TrainResult;
  /** The (standardised) training rows. */
  readonly trainData: LabelledData;
  readonly validationRows: number;
  readonly source: string;
  /** Advice for the person training, printed after the run (never before an error). */
  readonly hint?: string;
  /** Set when a signal stopped the run: its exit code and what was written. */
  readonly interrupted?: { readonly exitCode: number; readonly lines: readonly string[] };
}

/** The exit code of a run interrupted by a signal: 128 + its number. */
const SIGNAL_EXIT: Readonly<Record<string, number>> = { SIGINT: 130, SIGTERM: 143 };

/** The options of `handgrad train` beyond the data and network flags, every value checked. */
interface TrainFlags extends TrainingLoop {
  readonly learningRate: number;
  readonly epochs: number;
  readonly divergenceFactor: number;
  readonly checkpointEvery: number | "epoch";
  readonly shuffle: boolean;
  readonly json: boolean;
  /** The update rule, L2, schedule and early stopping flags given (optimizer-flags.ts). */
  readonly optimizerOptions: OptimizerOptions;
}

function trainFlags(flags: Flags): TrainFlags {
  const learningRate = numberFlag(flags, "lr", DEFAULT_LEARNING_RATE, (x) => x > 0, "a number > 0");
  const epochs = integerFlag(flags, "epochs", DEFAULT_EPOCHS, 0, 10_000_000);
  const batchSize = batchSizeFlag(flags);
  const engine = choiceFlag(flags, "engine", TRAIN_ENGINES, "fast");
  const threads = threadsFlag(flags, MAX_THREADS);
  if (engine === "plain" && flags.has("threads"))
    throw new UsageError(
      "--threads applies to --engine fast (the plain engine runs on the main thread only)",
    );
  const divergenceFactor = numberFlag(
    flags,
    "divergence-factor",
    DEFAULT_DIVERGENCE_FACTOR,
    (x) => x === 0 || x > 1,
    "0 (off) or a number > 1",
  );
  const checkpointEvery = flags.has("checkpoint-every")
    ? integerFlag(flags, "checkpoint-every", 1, 1)
    : "epoch";
  if (flags.has("checkpoint-every") && !flags.has("checkpoint"))
    throw new UsageError("--checkpoint-every needs --checkpoint FILE");
  const shuffle = !booleanFlag(flags, "no-shuffle");
  const json = booleanFlag(flags, "json");
  const optimizer = optimizerOptions(flags, learningRate, flags.has("validation"));
  return {
    learningRate,
    epochs,
    batchSize,
    engine,
    threads,
    divergenceFactor,
    checkpointEvery,
    shuffle,
    json,
    optimizerOptions: optimizer,
    optimizer: optimizer.optimizer ?? DEFAULT_OPTIMIZER,
    earlyStopping: optimizer.patience !== undefined,
  };
}

/**
 * Loads data, builds the starting model (or reads the --resume checkpoint) and trains, as the
 * flags say. Shared with demo. With `interruptible`, SIGINT and SIGTERM stop the run at the
 * next step boundary, which is checkpointed (see runSlices).
 */
export async function runTraining(
  flags: Flags,
  output: Output,
  interruptible = false,
): Promise<TrainRun> {
  // From here on a signal never kills the process outright: the first stops the run at its
  // next step boundary (while loading, once the first slice of training is done), a second
  // ends it at once with one line saying what is on disk; the locks go with the process.
  const signals = interruptible ? watchSignals(output) : undefined;
  let run: PreparedRun<TrainFlags> | undefined;
  try {
    run = prepareRun(flags, {
      modelFlag: "init-model",
      options: trainFlags,
      size: (options) => options,
    });
    return await trainPrepared(run, flags, output, signals);
  } finally {
    run?.release();
    signals?.dispose();
  }
}

/** Trains the prepared run; what is written on divergence, on a signal and at the end. */
async function trainPrepared(
  run: PreparedRun<TrainFlags>,
  flags: Flags,
  output: Output,
  signals: SignalWatch | undefined,
): Promise<TrainRun> {
  const { choice, source, validation, checkpoint } = run;
  const { learningRate, epochs, batchSize, shuffle, engine, threads } = run.options;
  const { divergenceFactor, checkpointEvery, optimizerOptions: optimizer } = run.options;
  const { save, checkpoint: checkpointPath, resume: resumePath } = run.files;
  const trainData = run.train;
  for (const warning of run.warnings) output.log(shown(warning));
  // Where a signal's checkpoint goes without --checkpoint: beside a --save file (not a
  // device or stream), else in the working folder; never over an existing file.
  const signalBase =
    save !== undefined && writeTarget(save).kind === "replace"
      ? `${save}.checkpoint.json`
      : DEFAULT_CHECKPOINT;
  if (signals && checkpointPath === undefined) {
    const unwritable = signalCheckpointProblem(unusedPath(signalBase, resumePath));
    if (unwritable !== undefined) output.log(unwritable);
  }
  const hint =
    run.modelFile === undefined && !run.model.standardizer
      ? standardizeHint(trainData.X)
      : undefined;
  const N = trainData.X.rows;
  assertWarmupFits(
    optimizer,
    epochs,
    Math.ceil(N / (batchSize === "full" ? N : Math.min(batchSize, N))),
  );
  // What trained the model: its file records it (not the --init-model's own record), with
  // the run's settings, as the Classifier records them (the same settings, the same file).
  const training = trainingRecord(optimizer, learningRate, {
    epochs,
    batchSize,
    shuffle,
    ...(choice.validation === undefined ? {} : { validationFraction: choice.validation }),
    seed: choice.seed,
  });
  const { activation, standardizer, features, label, classes } = run.model;
  // Every model written (--save, checkpoints) names its features, label column and classes.
  const bare = (params: Model["params"]): Model => ({
    activation,
    params,
    ...(features ? { features } : {}),
    ...(label === undefined ? {} : { label }),
    ...(classes ? { classes } : {}),
    ...(standardizer ? { standardizer } : {}),
  });
  const model = (params: Model["params"]): Model => ({ ...bare(params), training });

  // What a checkpoint records and a resumed run must repeat (the CSV's path may change; its
  // rows may not: they are in the fingerprint).
  const runOptions: Record<string, OptionValue> = {
    dataset: choice.dataset ?? null,
    samples: choice.samples ?? null,
    noise: choice.noise ?? null,
    data: choice.file ?? null,
    label: choice.label ?? null,
    delimiter: choice.delimiter ?? null,
    ignore: choice.ignore?.join(",") ?? null,
    positive: choice.positive ?? null,
    classes: choice.classes ?? null,
    validation: choice.validation ?? null,
    standardize: choice.standardize,
    seed: choice.seed,
    lr: learningRate,
    epochs,
    "batch-size": batchSize,
    "no-shuffle": !shuffle,
    ...recordedOptions(training),
  };
  const fingerprint = dataFingerprint(source, trainData, validation);
  if (checkpoint) assertResumable(checkpoint, resumePath as string, runOptions, fingerprint);
  const checkpointOf = (state: TrainState): Checkpoint => ({
    options: runOptions,
    data: fingerprint,
    model: bare(state.params),
    state,
  });

  // The progress line shows η when it changes over the run (the rate of the last step).
  let rate: number | undefined;
  const rateChanges = training.schedule !== "constant" || training.warmup !== undefined;
  const progress = output.interactive
    ? progressBar(epochs, process.stderr, rateChanges ? () => rate : undefined)
    : undefined;
  const options: TrainerOptions = {
    ...optimizer,
    activation: run.model.activation,
    learningRate,
    epochs,
    batchSize,
    shuffle,
    engine,
    ...(engine === "fast" ? { threads } : {}),
    seed: streamSeed(choice.seed, "shuffle"),
    divergenceFactor,
    checkpointEvery,
    ...(validation ? { validation } : {}),
    ...(progress ? { onEpoch: progress.onEpoch } : {}),
    ...(progress && rateChanges ? { onStep: (step) => void (rate = step.learningRate) } : {}),
    ...(checkpointPath === undefined
      ? {}
      : {
          onCheckpoint: (state) => {
            saveCheckpoint(checkpointPath, checkpointOf(state));
            lastCheckpoint = state;
          },
        }),
  };
  /** The state last written to --checkpoint during the run. */
  let lastCheckpoint: TrainState | undefined;
  // What a second signal, which ends the process at once, leaves on disk.
  const secondSignalLine = (name: string): string => {
    const kept =
      checkpointPath !== undefined && lastCheckpoint !== undefined
        ? `${shown(checkpointPath)} keeps the run as of step ${lastCheckpoint.steps} (${
            lastCheckpoint.row === 0
              ? `the end of epoch ${lastCheckpoint.epoch - 1}`
              : `in epoch ${lastCheckpoint.epoch}`
          })`
        : "no checkpoint of this run was written";
    const notSaved = save === undefined ? "" : `; the model was not saved to ${shown(save)}`;
    return `handgrad train: second ${name}: stopped at once, without saving; ${kept}${notSaved}`;
  };
  if (signals) signals.secondLine = secondSignalLine;
  let result: TrainResult;
  let signal: string | undefined;
  try {
    ({ result, signal } = await runSlices(
      run.model.params,
      trainData,
      options,
      checkpoint?.state,
      signals,
    ));
  } catch (error) {
    progress?.done();
    if (error instanceof DivergenceError) {
      error.message = divergenceMessage(error, CLI_WORDS);
      if (save !== undefined) {
        saveModel(save, model(error.lastGood.params));
        const kept =
          error.lastGoodEpoch === 0
            ? "the starting model (no epoch ended with finite losses)"
            : `the model from the end of epoch ${error.lastGoodEpoch} (the last with finite losses)`;
        error.message += `; ${kept} is saved in ${save}`;
      }
      if (checkpointPath !== undefined) {
        saveCheckpoint(checkpointPath, checkpointOf(error.lastGood));
        error.message += `; its checkpoint is in ${checkpointPath}`;
      }
      if (hint !== undefined) error.message += `; ${hint}`;
    }
    throw error;
  }
  progress?.done();
  // Where the run's state went: --checkpoint, a free name on a signal, or (when that
  // cannot be written: the warning at the start said so) nowhere, with the reason.
  let checkpointed: { path: string } | { problem: string } | undefined;
  if (signal !== undefined || checkpointPath !== undefined) {
    const writeCheckpoint = (path: string): void =>
      saveCheckpoint(path, checkpointOf(result.state));
    if (checkpointPath !== undefined) {
      writeCheckpoint(checkpointPath);
      checkpointed = { path: checkpointPath };
    } else {
      try {
        checkpointed = { path: writeToUnusedPath(signalBase, resumePath, writeCheckpoint) };
      } catch (error) {
        if (!(error instanceof FileError)) throw error;
        checkpointed = { problem: error.message };
      }
    }
  }
  // A model saved by a signal records the step it stopped after: the record then still says
  // how to reproduce its weights.
  if (save !== undefined) {
    const saved = model(result.params);
    saveModel(
      save,
      signal === undefined
        ? saved
        : { ...saved, training: { ...training, stoppedAfterStep: result.steps } },
    );
  }
  const modelSaved = save === undefined ? "" : ` and the model so far in ${shown(save)}`;
  const interrupted =
    signal === undefined
      ? undefined
      : {
          exitCode: SIGNAL_EXIT[signal] ?? 130,
          lines:
            checkpointed !== undefined && "path" in checkpointed
              ? [
                  `handgrad train: ${signal} received: stopped in epoch ${result.state.epoch} of ${epochs}, after step ${result.steps}; ` +
                    `the checkpoint is in ${shown(checkpointed.path)}${modelSaved}`,
                  `resume with: handgrad train ${resumeArgs(flags, checkpointed.path)}`,
                ]
              : [
                  `handgrad train: ${signal} received: stopped in epoch ${result.state.epoch} of ${epochs}, after step ${result.steps}; ` +
                    `no checkpoint was written (${shown(checkpointed?.problem ?? "")})` +
                    (save === undefined ? "" : `; the model so far is in ${shown(save)}`),
                ],
        };
  return {
    model: model(result.params),
    result,
    trainData,
    validationRows: validation?.X.rows ?? 0,
    source,
    ...(hint === undefined ? {} : { hint }),
    ...(interrupted ? { interrupted } : {}),
  };
}

/** The divergence message's words on the command line: its flags, and a tenth of --lr to try. */
const CLI_WORDS: DivergenceWords = {
  learningRate: "--lr",
  l2: "--l2",
  base: (rate: number) => `--lr ${readableNumber(rate)}`,
  clipNorm: "--clip-norm C",
  example: (rate: number) => `--lr ${readableNumber(rate / 10)}`,
};

/** The signals a run watches for (see watchSignals). */
interface SignalWatch {
  /** The first SIGINT or SIGTERM received, if any. */
  readonly received: () => string | undefined;
  /** The line a second signal prints before the process exits (what is on disk). */
  secondLine: (name: string) => string;
  dispose(): void;
}

/**
 * Handles SIGINT and SIGTERM from now until dispose(): the first is only recorded (the run
 * stops at its next step boundary, see runSlices); a second prints `secondLine` and exits at
 * once (the locks are released on exit). Without a handler, Node would die at the first.
 */
function watchSignals(output: Output): SignalWatch {
  let received: string | undefined;
  const watch: SignalWatch = {
    received: () => received,
    secondLine: (name) =>
      `handgrad train: second ${name}: stopped at once, before training began; nothing was written`,
    dispose: () => {
      for (const name of ["SIGINT", "SIGTERM"] as const) process.off(name, onSignal);
    },
  };
  const onSignal = (name: NodeJS.Signals): void => {
    if (received !== undefined) {
      output.log(watch.secondLine(name));
      process.exit(SIGNAL_EXIT[name] ?? 130);
    }
    received = name;
  };
  for (const name of ["SIGINT", "SIGTERM"] as const) process.on(name, onSignal);
  return watch;
}

/**
 * Trains with one Trainer in slices of about SLICE_MS (bit-identical to one run), yielding
 * to the event loop in between so that a signal's handler can run. Once `signals` has
 * received one, the run ends at that step boundary (`signal` names it). Every file is
 * written by an atomic rename, so a process that exits between writes leaves each one whole
 * (old or new).
 */
async function runSlices(
  initial: Model["params"],
  data: LabelledData,
  options: TrainerOptions,
  from: TrainState | undefined,
  signals: SignalWatch | undefined,
): Promise<{ result: TrainResult; signal?: string }> {
  const trainer = new Trainer(from?.params ?? initial, data, options, from);
  for (;;) {
    const deadline = performance.now() + SLICE_MS;
    // advance, not run: a slice's end builds no result (copies of the parameters and moments).
    if (trainer.advance(() => performance.now() >= deadline))
      return { result: trainer.result(false) };
    await new Promise((resolve) => setImmediate(resolve)); // pending signals are handled here
    const signal = signals?.received();
    if (signal !== undefined) return { result: trainer.result(true), signal };
  }
}

/** Refuses a checkpoint of another run: other options (named) or other data. */
function assertResumable(
  checkpoint: Checkpoint,
  path: string,
  options: Readonly<Record<string, OptionValue>>,
  data: ReturnType<typeof dataFingerprint>,
): void {
  const flagText = (name: string, value: OptionValue | undefined): string =>
    value === undefined || value === null || value === false
      ? `no --${name}`
      : value === true
        ? `--${name}`
        : `--${name} ${value}`;
  // A checkpoint written before the optimizer flags has none of them: plain SGD's values.
  const recorded = { ...OPTIONS_BEFORE_OPTIMIZERS, ...checkpoint.options };
  for (const name of new Set([...Object.keys(options), ...Object.keys(recorded)])) {
    if (name === "data") continue; // the CSV may have moved: its rows are compared below
    const [ours, theirs] = [options[name] ?? null, recorded[name] ?? null];
    if (ours !== theirs) {
      throw new UsageError(
        `cannot resume from ${path}: this run has ${flagText(name, ours)} but the checkpoint's has ${flagText(name, theirs)}; resume with the options of the interrupted run`,
      );
    }
  }
  const theirs = checkpoint.data;
  if (data.sha256 !== theirs.sha256) {
    throw new DataError(
      `cannot resume from ${path}: the data differs from the checkpoint's (${data.source}: ${data.trainRows} training and ${data.validationRows} validation rows, sha256 ${data.sha256.slice(0, 12)}…; ` +
        `checkpoint: ${theirs.source}: ${theirs.trainRows} and ${theirs.validationRows} rows, sha256 ${theirs.sha256.slice(0, 12)}…)`,
    );
  }
}

/** The flags of this run, without the fresh-model ones, with --resume FILE: quoted for a shell. */
function resumeArgs(flags: Flags, checkpoint: string): string {
  const skip = new Set(["resume", "init-model", "init", "bias-init"]);
  const words: string[] = [];
  for (const [name, value] of flags) {
    if (skip.has(name)) continue;
    words.push(`--${name}`);
    if (value !== true) words.push(value);
  }
  words.push("--resume", checkpoint);
  return words.map(shellWord).join(" ");
}

/**
 * A warning when an interrupted run could not write its checkpoint at `path` (say, a
 * read-only working folder), found before training starts; undefined when it could. The run
 * still goes on: it writes nothing else.
 */
function signalCheckpointProblem(path: string): string | undefined {
  try {
    assertWritable(path);
    return undefined;
  } catch (error) {
    if (!(error instanceof FileError)) throw error;
    return (
      `handgrad train: warning: ${shown(error.message)}, so an interrupted run would lose its ` +
      `progress; give --checkpoint FILE in a writable folder to keep it`
    );
  }
}

/** Advice to use --standardize when the features are large enough to saturate tanh and sigmoid units. */
function standardizeHint(X: Matrix): string | undefined {
  const largest = maxAbs(X);
  if (largest <= STANDARDIZE_HINT_SCALE) return undefined;
  return `hint: some features reach ${sci(largest)} in size; --standardize usually trains much better on such data`;
}

/** Inputs above this put tanh and sigmoid units far into saturation at initialisation. */
const STANDARDIZE_HINT_SCALE = 10;

function batchSizeFlag(flags: Flags): number | "full" {
  const text = stringFlag(flags, "batch-size");
  if (text === undefined) return DEFAULT_BATCH_SIZE;
  if (text === "full") return "full";
  const value = parseDecimal(text);
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new UsageError(`--batch-size must be a positive integer or "full", got ${quote(text)}`);
  }
  return value;
}

export async function trainCommand(flags: Flags, output: Output): Promise<number> {
  const run = await runTraining(flags, output, true);
  if (run.interrupted) {
    for (const line of run.interrupted.lines) output.log(line);
    return run.interrupted.exitCode;
  }
  const { history, steps, earlyStop } = run.result;
  const first = history[0] as EpochRecord; // epoch 0: before the first step
  const last = history[history.length - 1] as EpochRecord;
  // The record of the model returned: the best epoch's when early stopping restored it.
  const final =
    earlyStop?.restored === true
      ? (history.find((r) => r.epoch === earlyStop.bestEpoch) ?? last)
      : last;
  const training = run.model.training as TrainingRecord;
  const { W1, W2 } = run.model.params;
  const K = W2.cols;
  const head = outputHeadFor(K);
  const save = stringFlag(flags, "save");
  const classes = run.model.classes ?? integerClasses(classCount(K));
  output.log(
    `trained ${run.model.activation} ${W1.rows}→${W1.cols}→${K}${K > 1 ? ` ${head.name}` : ""} on ${shown(run.source)} ` +
      `(${plural(run.trainData.X.rows, "training row")}${run.validationRows ? `, ${plural(run.validationRows, "validation row")}` : ""}), ` +
      `${plural(history.length - 1, "epoch")}, ${plural(steps, "step")} of ${optimizerText(training)}: ${trainingOutcomeText(first, final)}` +
      (earlyStop ? `; ${earlyStopText(earlyStop, training)}` : "") +
      `; ${classesText(classes)}` +
      (save !== undefined ? `; saved ${shown(save)}` : ""),
  );
  if (run.hint !== undefined) output.log(run.hint);
  if (earlyStop?.bestEpoch === 0) {
    output.log(
      `hint: no epoch improved on the starting model's validation loss, so the ${earlyStop.restored ? "model saved is the starting one" : "best model was the starting one"}; try a lower --lr, or a larger --patience`,
    );
  }
  const stalled = noProgressHint(first, final, run.trainData.y, K, !run.model.standardizer);
  if (stalled !== undefined) output.log(stalled);
  if (booleanFlag(flags, "json")) {
    output.json({
      data: {
        source: run.source,
        trainRows: run.trainData.X.rows,
        validationRows: run.validationRows,
        features: W1.rows,
        // The labels of the classes in class-index order (the columns of the probabilities),
        // and with two the positive one (the class whose probability the sigmoid gives).
        classes,
        ...(classes.length === 2 ? { positive: classes[1] } : {}),
      },
      network: {
        activation: run.model.activation,
        hidden: W1.cols,
        standardize: run.model.standardizer !== undefined,
        ...(K > 1 ? { output: head.name, classes: K } : {}),
      },
      training,
      steps,
      earlyStop: earlyStop ?? null,
      final,
      history,
      saved: save ?? null,
    });
  }
  return 0;
}

/**
 * Advice when a run that took steps ends no better than it started (its training loss did not
 * fall) or no better than chance (its accuracy is at most the share of the commonest class,
 * which always answering that class achieves); undefined otherwise.
 */
function noProgressHint(
  first: EpochRecord,
  last: EpochRecord,
  y: Matrix,
  K: number,
  couldStandardize: boolean,
): string | undefined {
  if (last.epoch === 0) return undefined;
  const counts = new Map<number, number>();
  for (const label of y.data) counts.set(label, (counts.get(label) ?? 0) + 1);
  if (counts.size === 1) {
    return `hint: every training label is ${y.data[0]}: with one class there is nothing to learn; check --label and the data`;
  }
  const chance = Math.max(...counts.values()) / y.rows;
  const problems: string[] = [];
  if (!(last.loss < first.loss)) {
    problems.push(`the training loss did not fall (${sci(first.loss)} → ${sci(last.loss)})`);
  }
  if (last.accuracy <= chance) {
    problems.push(
      `train accuracy ${percent(last.accuracy)} is no better than always answering the commonest of the ${Math.max(K, 2)} classes (${percent(chance)})`,
    );
  }
  if (problems.length === 0) return undefined;
  const standardize = couldStandardize ? ", or --standardize" : "";
  return `hint: ${problems.join(" and ")}; try another --lr (lower if the loss rose, higher if it barely moved), more --epochs${standardize}`;
}

/**
 * The update rule and what shaped it: "sgd (η 0.5)", "adam (η 0.01, β1 0.9, β2 0.999, ε 1e-8,
 * cosine schedule to 0, warm-up 100 steps, clip-norm 1, L2 λ 0.001)".
 */
export function optimizerText(t: TrainingRecord): string {
  const parts = [`η ${t.learningRate}`];
  if (t.momentum !== undefined) parts.push(`μ ${t.momentum}`);
  if (t.optimizer === "adam")
    parts.push(`β1 ${t.beta1}`, `β2 ${t.beta2}`, `ε ${t.adamEps!.toExponential()}`);
  if (t.schedule === "step") {
    parts.push(`η × ${t.decayRate} every ${plural(t.decayEvery ?? 0, "epoch")}`);
  }
  if (t.schedule === "cosine") parts.push(`cosine schedule to ${t.lrMin}`);
  if (t.warmup !== undefined) parts.push(`warm-up ${plural(t.warmup, "step")}`);
  if (t.clipNorm !== undefined) parts.push(`clip-norm ${t.clipNorm}`);
  if (t.l2 !== undefined && t.l2 > 0) parts.push(`L2 λ ${t.l2}`);
  return `${t.optimizer} (${parts.join(", ")})`;
}

/**
 * Why and where early stopping ended the run: "stopped early at epoch 57: validation loss did
 * not improve for 20 epochs; restored epoch 37 (validation loss 0.0412)".
 */
export function earlyStopText(stop: EarlyStop, training: TrainingRecord): string {
  const why = `stopped early at epoch ${stop.epoch}: validation loss did not improve for ${plural(training.patience ?? stop.epoch - stop.bestEpoch, "epoch")}`;
  const best = `epoch ${stop.bestEpoch} (validation loss ${sci(stop.bestValidationLoss)})`;
  return stop.restored
    ? `${why}; restored ${best}`
    : `${why}; kept epoch ${stop.epoch}'s weights (--no-restore-best; best: ${best})`;
}

/** The classes for the summary: `classes "B", "M" (positive "M")`, `3 classes 0, 1, 2`. */
function classesText(classes: readonly ClassLabel[]): string {
  const list = labelList(classes.slice(0, 10)) + (classes.length > 10 ? ", …" : "");
  return classes.length === 2
    ? `classes ${shown(list)} (positive ${shown(JSON.stringify(classes[1]))})`
    : `${classes.length} classes ${shown(list)}`;
}

/** "1 epoch", "2 epochs". */
function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
