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
  gradsAreFinite,
  INIT_NAMES,
  initParams,
  type ActivationName,
  type Grads,
  type InitName,
} from "../nn/index.js";
import { streamSeed } from "../rng.js";
import {
  booleanFlag,
  choiceFlag,
  integerFlag,
  numberFlag,
  optionalFlag,
  stringFlag,
  type Flags,
  type FlagSpecs,
} from "./flags.js";
import { sci } from "./report.js";

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

/** The data the flags choose, every value checked before any file is read. */
export interface DataChoice {
  readonly file?: string;
  readonly dataset?: string;
  readonly label?: string;
  readonly samples?: number;
  readonly noise?: number;
  readonly seed: number;
  readonly standardize: boolean;
  /** The fraction of rows held out (train only). */
  readonly validation?: number;
}

export function dataChoice(flags: Flags): DataChoice {
  const file = stringFlag(flags, "data");
  const dataset = stringFlag(flags, "dataset");
  if (file !== undefined && dataset !== undefined) {
    throw new UsageError("give either --dataset or --data, not both");
  }
  if (file === undefined && dataset === undefined) {
    throw new UsageError("no data: give --dataset NAME or --data FILE.csv");
  }
  for (const toyOnly of ["samples", "noise"]) {
    if (file !== undefined && flags.has(toyOnly)) {
      throw new UsageError(`--${toyOnly} applies to --dataset, not to --data`);
    }
  }
  if (dataset !== undefined && flags.has("label")) {
    throw new UsageError("--label applies to --data, not to --dataset");
  }
  const label = stringFlag(flags, "label");
  const optional = <T>(name: string, read: () => T): T | undefined =>
    optionalFlag(flags, name, read);
  const samples = optional("samples", () => integerFlag(flags, "samples", 0, 2, MAX_SAMPLES));
  const noise = optional("noise", () =>
    numberFlag(
      flags,
      "noise",
      0,
      (x) => x >= 0 && x <= MAX_NOISE,
      `a number from 0 to ${MAX_NOISE}`,
    ),
  );
  const validation = optional("validation", () =>
    numberFlag(flags, "validation", 0, (x) => x > 0 && x < 1, "a fraction between 0 and 1"),
  );
  return {
    ...(file === undefined ? {} : { file }),
    ...(dataset === undefined ? {} : { dataset }),
    ...(label === undefined ? {} : { label }),
    ...(samples === undefined ? {} : { samples }),
    ...(noise === undefined ? {} : { noise }),
    ...(validation === undefined ? {} : { validation }),
    seed: seedFlag(flags),
    standardize: booleanFlag(flags, "standardize"),
  };
}

export function seedFlag(flags: Flags): number {
  return integerFlag(flags, "seed", 0, 0);
}

/** The data set the choice names, and how to name it in messages. */
export function loadData(choice: DataChoice): { data: Dataset; source: string } {
  if (choice.file !== undefined) {
    const options = choice.label === undefined ? {} : { label: choice.label };
    return { data: loadCsv(choice.file, options), source: choice.file };
  }
  const name = choice.dataset as string;
  const data = makeDataset(name, {
    seed: streamSeed(choice.seed, "data"),
    ...(choice.samples === undefined ? {} : { samples: choice.samples }),
    ...(choice.noise === undefined ? {} : { noise: choice.noise }),
  });
  return { data, source: name };
}

/** Splits off the validation rows when the choice asks for them. */
export function splitData(
  choice: DataChoice,
  data: Dataset,
): { train: Dataset; validation?: Dataset } {
  if (choice.validation === undefined) return { train: data };
  return splitDataset(data, choice.validation, streamSeed(choice.seed, "split"));
}

/**
 * The standardisation to apply: a saved model's own (or none); for a fresh model, with
 * --standardize, one fitted on the training rows only (never on held-out rows).
 */
export function standardizerFor(
  choice: DataChoice,
  train: Dataset,
  saved?: Model,
): Standardizer | undefined {
  if (saved) return saved.standardizer;
  return choice.standardize ? fitStandardizer(train.X) : undefined;
}

/**
 * Refuses, before any file is read, the flags that only shape a fresh model when a saved
 * one is given (`flag` names the option that gives it: init-model or model).
 */
export function refuseFreshModelFlags(
  choice: DataChoice,
  network: NetworkChoice,
  modelPath: string | undefined,
  flag: string,
): void {
  if (modelPath === undefined) return;
  const fresh = [
    ["standardize", choice.standardize],
    ["init", network.init !== undefined],
    ["bias-init", network.biasInit !== undefined],
  ] as const;
  for (const [name, given] of fresh) {
    if (given) {
      throw new UsageError(
        `--${name} applies to a fresh model, not to --${flag} ${modelPath} (which keeps its own weights and standardisation)`,
      );
    }
  }
}

/** The data set with its features standardised (unchanged when s is undefined). */
export function standardized(data: Dataset, s: Standardizer | undefined, source: string): Dataset {
  return { ...data, X: standardizedFeatures(data.X, s, source) };
}

/** The N×D features standardised (unchanged when s is undefined); a DataError if that overflows. */
export function standardizedFeatures(
  X: Matrix,
  s: Standardizer | undefined,
  source: string,
): Matrix {
  if (!s) return X;
  const scaled = applyStandardizer(X, s);
  if (!allFinite(scaled)) {
    throw new DataError(
      `standardising ${source} overflows float64: some feature is huge compared with its std (smallest std ${sci(s.std.reduce((a, b) => Math.min(a, b)))})`,
    );
  }
  return scaled;
}

/** The network the flags ask for, every value checked before any file is read. */
export interface NetworkChoice {
  readonly activation?: ActivationName;
  readonly hidden?: number;
  readonly init?: InitName;
  readonly biasInit?: number;
}

export function networkChoice(flags: Flags): NetworkChoice {
  const optional = <T>(name: string, read: () => T): T | undefined =>
    optionalFlag(flags, name, read);
  const activation = optional("activation", () =>
    choiceFlag(flags, "activation", ACTIVATION_NAMES, DEFAULT_ACTIVATION),
  );
  const hidden = optional("hidden", () => integerFlag(flags, "hidden", DEFAULT_HIDDEN, 1, 100_000));
  const init = optional("init", () => choiceFlag(flags, "init", INIT_NAMES, "he"));
  const biasInit = optional("bias-init", () =>
    numberFlag(flags, "bias-init", 0, Number.isFinite, "a finite number"),
  );
  return {
    ...(activation === undefined ? {} : { activation }),
    ...(hidden === undefined ? {} : { hidden }),
    ...(init === undefined ? {} : { init }),
    ...(biasInit === undefined ? {} : { biasInit }),
  };
}

/**
 * The network to start from: the model in `modelPath` (whose activation and size the
 * flags may repeat but not contradict), or fresh parameters drawn from the seed.
 */
export function startingModel(
  network: NetworkChoice,
  D: number,
  modelPath: string | undefined,
  seed: number,
): Model {
  if (modelPath !== undefined) {
    const model = loadModelFor(modelPath, D);
    const H = model.params.W1.cols;
    if (network.activation !== undefined && network.activation !== model.activation) {
      throw new UsageError(
        `--activation ${network.activation} contradicts ${modelPath}, whose activation is ${model.activation}`,
      );
    }
    if (network.hidden !== undefined && network.hidden !== H) {
      throw new UsageError(
        `--hidden ${network.hidden} contradicts ${modelPath}, which has ${H} hidden units`,
      );
    }
    return model;
  }
  const activation = network.activation ?? DEFAULT_ACTIVATION;
  const params = initParams({
    inputs: D,
    hidden: network.hidden ?? DEFAULT_HIDDEN,
    init: network.init ?? defaultInitFor(activation),
    biasInit: network.biasInit ?? 0,
    seed: streamSeed(seed, "init"),
  });
  return { activation, params };
}

/** A model file, checked against the data's width D. */
export function loadModelFor(path: string, D: number): Model {
  const model = loadModel(path);
  const modelD = model.params.W1.rows;
  if (modelD !== D) {
    throw new ModelFileError(`${path} expects ${modelD} features but the data has ${D}`);
  }
  return model;
}

/** Throws a DataError when a gradient overflowed: the weights or the features are too large. */
export function assertFiniteGradients(grads: Grads, modelName: string, dataSource: string): void {
  if (!gradsAreFinite(grads)) {
    throw new DataError(
      `the gradients of ${modelName} overflow on ${dataSource}: its weights or the features are too large for float64`,
    );
  }
}

/**
 * Throws a DataError when the network's logits overflowed on some row: the weights or the
 * features are too large for float64, and the loss and probabilities would be meaningless.
 */
export function assertFiniteOutputs(z2: Matrix, modelName: string, dataSource: string): void {
  const row = z2.data.findIndex((z) => !Number.isFinite(z));
  if (row !== -1) {
    throw new DataError(
      `${modelName} gives the non-finite logit z2 = ${z2.data[row]} on row ${row + 1} of ${dataSource}: ` +
        `its weights or the features are too large for float64`,
    );
  }
}
