/**
 * What several commands share: the flags that choose the data and the network, and turning
 * them into a data set, a standardisation and starting parameters.
 */
import {
  applyStandardizer,
  fitStandardizer,
  loadCsv,
  makeDataset,
  MAX_NOISE,
  MAX_SAMPLES,
  splitDataset,
  type Dataset,
  type Standardizer,
} from "../data/index.js";
import { DataError, ModelFileError, UsageError } from "../errors.js";
import { loadModel, type Model } from "../io/index.js";
import { allFinite, type Matrix } from "../linalg/index.js";
import {
  ACTIVATION_NAMES,
  defaultInitFor,
  INIT_NAMES,
  initParams,
  type ActivationName,
  type Grads,
} from "../nn/index.js";
import { streamSeed } from "../rng.js";
import {
  booleanFlag,
  choiceFlag,
  integerFlag,
  numberFlag,
  stringFlag,
  type Flags,
  type FlagSpecs,
} from "./flags.js";

export const DATA_FLAGS: FlagSpecs = {
  dataset: { kind: "string", help: "toy data set: moons, circles, xor, spirals, blobs" },
  samples: { kind: "string", help: "rows of the toy data set (400)" },
  noise: { kind: "string", help: "noise of the toy data set (its own default)" },
  data: { kind: "string", help: "a CSV file with a header row" },
  label: { kind: "string", help: "the CSV's label column (default: the last column)" },
  standardize: {
    kind: "boolean",
    help: "scale features to mean 0, std 1 (stored in the model file)",
  },
  seed: { kind: "string", help: "seed of every random choice (0)" },
};

export const NETWORK_FLAGS: FlagSpecs = {
  hidden: { kind: "string", help: "hidden units H (16)" },
  activation: { kind: "string", help: `hidden activation: ${ACTIVATION_NAMES.join(", ")} (tanh)` },
  init: { kind: "string", help: `${INIT_NAMES.join(", ")} (he for relu-like, xavier otherwise)` },
  "bias-init": { kind: "string", help: "the value every bias starts at (0)" },
};

export const DEFAULT_HIDDEN = 16;
export const DEFAULT_ACTIVATION: ActivationName = "tanh";

export function seedFlag(flags: Flags): number {
  return integerFlag(flags, "seed", 0, 0);
}

/** The data set named by --dataset or --data (exactly one of them). */
export function loadDataFromFlags(flags: Flags): { data: Dataset; source: string } {
  const file = stringFlag(flags, "data");
  const name = stringFlag(flags, "dataset");
  if (file !== undefined && name !== undefined) {
    throw new UsageError("give either --dataset or --data, not both");
  }
  if (file !== undefined) {
    for (const toyOnly of ["samples", "noise"]) {
      if (flags.has(toyOnly))
        throw new UsageError(`--${toyOnly} applies to --dataset, not to --data`);
    }
    const label = stringFlag(flags, "label");
    return { data: loadCsv(file, label === undefined ? {} : { label }), source: file };
  }
  if (name === undefined) throw new UsageError("no data: give --dataset NAME or --data FILE.csv");
  if (flags.has("label")) throw new UsageError("--label applies to --data, not to --dataset");
  const samples = flags.has("samples")
    ? integerFlag(flags, "samples", 0, 2, MAX_SAMPLES)
    : undefined;
  const noise = flags.has("noise")
    ? numberFlag(
        flags,
        "noise",
        0,
        (x) => x >= 0 && x <= MAX_NOISE,
        `a number from 0 to ${MAX_NOISE}`,
      )
    : undefined;
  const data = makeDataset(name, {
    seed: streamSeed(seedFlag(flags), "data"),
    ...(samples === undefined ? {} : { samples }),
    ...(noise === undefined ? {} : { noise }),
  });
  return { data, source: name };
}

/** Splits off a validation set when --validation FRACTION is given. */
export function splitFromFlags(
  flags: Flags,
  data: Dataset,
): { train: Dataset; validation?: Dataset } {
  if (!flags.has("validation")) return { train: data };
  const fraction = numberFlag(
    flags,
    "validation",
    0,
    (x) => x > 0 && x < 1,
    "a fraction between 0 and 1",
  );
  return splitDataset(data, fraction, streamSeed(seedFlag(flags), "split"));
}

/**
 * The standardisation to apply. A saved model brings its own (or none), and --standardize
 * is refused with it; a fresh model gets one with --standardize, fitted on the training
 * rows only (never on held-out rows).
 */
export function standardizerFor(
  flags: Flags,
  train: Dataset,
  model?: { readonly path: string; readonly model: Model },
): Standardizer | undefined {
  if (model && booleanFlag(flags, "standardize")) {
    throw new UsageError(
      `--standardize applies to a fresh model: ${model.path} is used with its own standardisation (${model.model.standardizer ? "it has one" : "it has none"})`,
    );
  }
  if (model) return model.model.standardizer;
  return booleanFlag(flags, "standardize") ? fitStandardizer(train.X) : undefined;
}

/** Throws a DataError when a gradient overflowed: the weights or the features are too large. */
export function assertFiniteGradients(grads: Grads, modelPath: string, dataSource: string): void {
  const { dW1, db1, dW2, db2 } = grads;
  if (![dW1, db1, dW2, db2].every(allFinite)) {
    throw new DataError(
      `the gradients of ${modelPath} overflow on ${dataSource}: its weights or the features are too large for float64`,
    );
  }
}

/**
 * Throws a DataError when the network's logits overflowed on some row: the weights or the
 * features are too large for float64, and the loss and probabilities would be meaningless.
 */
export function assertFiniteOutputs(z2: Matrix, modelPath: string, dataSource: string): void {
  const row = z2.data.findIndex((z) => !Number.isFinite(z));
  if (row !== -1) {
    throw new DataError(
      `${modelPath} gives the non-finite logit z2 = ${z2.data[row]} on row ${row + 1} of ${dataSource}: ` +
        `its weights or the features are too large for float64`,
    );
  }
}
/** The data set with its features standardised (unchanged when s is undefined). */
export function standardized(data: Dataset, s: Standardizer | undefined): Dataset {
  return { ...data, X: standardizedFeatures(data.X, s) };
}

/** The N×D features standardised (unchanged when s is undefined). */
export function standardizedFeatures(X: Matrix, s: Standardizer | undefined): Matrix {
  return s ? applyStandardizer(X, s) : X;
}

/** A model file loaded from --<flag>, checked against the data's width D. */
export function loadModelFor(path: string, D: number): Model {
  const model = loadModel(path);
  const modelD = model.params.W1.rows;
  if (modelD !== D) {
    throw new ModelFileError(`${path} expects ${modelD} features but the data has ${D}`);
  }
  return model;
}

/**
 * The network to start from: the model in `modelPath` (whose activation and size the
 * flags may repeat but not contradict), or fresh parameters drawn from the seed.
 */
export function startingModel(flags: Flags, D: number, modelPath: string | undefined): Model {
  const activationText = stringFlag(flags, "activation");
  if (modelPath !== undefined) {
    const model = loadModelFor(modelPath, D);
    const H = model.params.W1.cols;
    if (activationText !== undefined && activationText !== model.activation) {
      throw new UsageError(
        `--activation ${activationText} contradicts ${modelPath}, whose activation is ${model.activation}`,
      );
    }
    if (flags.has("hidden") && integerFlag(flags, "hidden", H, 1) !== H) {
      throw new UsageError(
        `--hidden ${stringFlag(flags, "hidden")} contradicts ${modelPath}, which has ${H} hidden units`,
      );
    }
    for (const initOnly of ["init", "bias-init"]) {
      if (flags.has(initOnly))
        throw new UsageError(`--${initOnly} does not apply when starting from ${modelPath}`);
    }
    return model;
  }
  const activation = choiceFlag(flags, "activation", ACTIVATION_NAMES, DEFAULT_ACTIVATION);
  const hidden = integerFlag(flags, "hidden", DEFAULT_HIDDEN, 1, 100_000);
  const init = choiceFlag(flags, "init", INIT_NAMES, defaultInitFor(activation));
  const biasInit = numberFlag(flags, "bias-init", 0, Number.isFinite, "a finite number");
  const params = initParams({
    inputs: D,
    hidden,
    init,
    biasInit,
    seed: streamSeed(seedFlag(flags), "init"),
  });
  return { activation, params };
}
