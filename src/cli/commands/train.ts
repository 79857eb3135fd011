/** `handgrad train`: fits the network to a data set and optionally saves the model. */
import { parseDecimal } from "../../data/decimal.js";
import { UsageError } from "../../errors.js";
import { assertWritable, loadModel, saveModel, type Model } from "../../io/index.js";
import { maxAbs, type Matrix } from "../../linalg/index.js";
import { streamSeed } from "../../rng.js";
import {
  DivergenceError,
  train,
  TRAIN_ENGINES,
  type EpochRecord,
  type LabelledData,
  type TrainResult,
} from "../../train/index.js";
import {
  booleanFlag,
  choiceFlag,
  integerFlag,
  numberFlag,
  stringFlag,
  type Flags,
  type FlagSpecs,
} from "../flags.js";
import type { Output } from "../output.js";
import { progressBar } from "../progress.js";
import { sci, trainingOutcomeText } from "../report.js";
import { activationByName, forward, outputHeadFor } from "../../nn/index.js";
import {
  assertFiniteOutputs,
  assertSameClasses,
  DATA_FLAGS,
  dataChoice,
  labelClasses,
  loadData,
  outputsFor,
  NETWORK_FLAGS,
  networkChoice,
  refuseFreshModelFlags,
  splitData,
  standardized,
  standardizerFor,
  startingModel,
} from "../setup.js";

export const DEFAULT_LEARNING_RATE = 0.5;
export const DEFAULT_EPOCHS = 200;
export const DEFAULT_BATCH_SIZE = 32;

export const TRAIN_FLAGS: FlagSpecs = {
  ...DATA_FLAGS,
  validation: { kind: "string", help: "hold out this fraction of the rows for validation" },
  ...NETWORK_FLAGS,
  "init-model": { kind: "string", help: "start from this model file instead of random weights" },
  lr: { kind: "string", help: `learning rate η (${DEFAULT_LEARNING_RATE})` },
  epochs: { kind: "string", help: `passes over the training rows (${DEFAULT_EPOCHS})` },
  "batch-size": {
    kind: "string",
    help: `rows per step, or "full" for gradient descent (${DEFAULT_BATCH_SIZE})`,
  },
  "no-shuffle": { kind: "boolean", help: "keep the row order instead of reshuffling each epoch" },
  engine: {
    kind: "string",
    help: 'training loop: "fast" (in place, the default) or "plain" (readable); bit-identical',
  },
  save: { kind: "string", help: "write the trained model to this file (atomically)" },
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
}

/** Loads data, builds the starting model and trains, as the flags say. Shared with demo. */
export function runTraining(flags: Flags, output: Output): TrainRun {
  // Every option is checked before any work, and --save before a possibly long run.
  const choice = dataChoice(flags);
  const network = networkChoice(flags);
  const learningRate = numberFlag(flags, "lr", DEFAULT_LEARNING_RATE, (x) => x > 0, "a number > 0");
  const epochs = integerFlag(flags, "epochs", DEFAULT_EPOCHS, 0, 10_000_000);
  const batchSize = batchSizeFlag(flags);
  const engine = choiceFlag(flags, "engine", TRAIN_ENGINES, "fast");
  const initModelPath = stringFlag(flags, "init-model");
  refuseFreshModelFlags(choice, network, initModelPath, "init-model");
  const save = stringFlag(flags, "save");
  if (save !== undefined) assertWritable(save);

  const initModel = initModelPath === undefined ? undefined : loadModel(initModelPath);
  if (initModel) assertSameClasses(choice, initModel, initModelPath as string);
  const { data, source } = loadData(choice, labelClasses(choice, network, initModel));
  const split = splitData(choice, data);
  const start = startingModel(network, data.X.cols, initModelPath, choice.seed, {
    outputs: outputsFor(choice, network, data),
    ...(initModel ? { saved: initModel } : {}),
  });
  const saved = initModelPath === undefined ? undefined : start;
  const standardizer = standardizerFor(choice, split.train, saved);
  const trainData = standardized(split.train, standardizer, source);
  const { z2 } = forward(start.params, trainData.X, activationByName(start.activation));
  assertFiniteOutputs(z2, initModelPath ?? "the initial model", source); // names the row
  const validation = split.validation
    ? standardized(split.validation, standardizer, source)
    : undefined;
  const hint =
    initModelPath === undefined && !standardizer ? standardizeHint(trainData.X) : undefined;
  const model = (params: Model["params"]): Model => ({
    activation: start.activation,
    params,
    ...(standardizer ? { standardizer } : {}),
  });

  const progress = output.interactive ? progressBar(epochs) : undefined;
  let result: TrainResult;
  try {
    result = train(start.params, trainData, {
      activation: start.activation,
      learningRate,
      epochs,
      batchSize,
      shuffle: !booleanFlag(flags, "no-shuffle"),
      engine,
      seed: streamSeed(choice.seed, "shuffle"),
      ...(validation ? { validation } : {}),
      ...(progress ? { onEpoch: progress.onEpoch } : {}),
    });
  } catch (error) {
    progress?.done();
    if (error instanceof DivergenceError) {
      if (save !== undefined) {
        saveModel(save, model(error.lastGoodParams));
        const kept =
          error.lastGoodEpoch === 0
            ? "the starting model (no epoch ended with finite losses)"
            : `the model from the end of epoch ${error.lastGoodEpoch} (the last with finite losses)`;
        error.message += `; ${kept} is saved in ${save}`;
      }
      if (hint !== undefined) error.message += `; ${hint}`;
    }
    throw error;
  }
  progress?.done();
  if (save !== undefined) saveModel(save, model(result.params));
  return {
    model: model(result.params),
    result,
    trainData,
    validationRows: validation?.X.rows ?? 0,
    source,
    ...(hint === undefined ? {} : { hint }),
  };
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
    throw new UsageError(`--batch-size must be a positive integer or "full", got "${text}"`);
  }
  return value;
}

export function trainCommand(flags: Flags, output: Output): number {
  const run = runTraining(flags, output);
  const { history, steps } = run.result;
  const first = history[0] as EpochRecord; // epoch 0: before the first step
  const last = history[history.length - 1] as EpochRecord;
  const { W1, W2 } = run.model.params;
  const K = W2.cols;
  const head = outputHeadFor(K);
  const save = stringFlag(flags, "save");
  output.log(
    `trained ${run.model.activation} ${W1.rows}→${W1.cols}→${K}${K > 1 ? ` ${head.name}` : ""} on ${run.source} ` +
      `(${run.trainData.X.rows} training rows${run.validationRows ? `, ${run.validationRows} validation rows` : ""}), ` +
      `${plural(history.length - 1, "epoch")}, ${plural(steps, "step")}: ${trainingOutcomeText(first, last)}` +
      (save !== undefined ? `; saved ${save}` : ""),
  );
  if (run.hint !== undefined) output.log(run.hint);
  if (booleanFlag(flags, "json")) {
    output.json({
      data: {
        source: run.source,
        trainRows: run.trainData.X.rows,
        validationRows: run.validationRows,
        features: W1.rows,
      },
      network: {
        activation: run.model.activation,
        hidden: W1.cols,
        standardize: run.model.standardizer !== undefined,
        ...(K > 1 ? { output: head.name, classes: K } : {}),
      },
      steps,
      final: last,
      history,
      saved: save ?? null,
    });
  }
  return 0;
}

/** "1 epoch", "2 epochs". */
function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
