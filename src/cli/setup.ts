/**
 * What several commands share: the flags that choose the data and the network, and turning
 * them into a data set, a standardisation and starting parameters.
 */
import {
  applyStandardizer,
  DEFAULT_SAMPLES,
  fitStandardizer,
  makeDataset,
  MAX_NOISE,
  MAX_SAMPLES,
  splitDataset,
  type Dataset,
  type Standardizer,
} from "../data/index.js";
import { DataError, ModelFileError, UsageError } from "../errors.js";
import { loadCsv, loadModel, type FileKind, type FileRole, type Model } from "../io/index.js";
import { allFinite, type Matrix } from "../linalg/index.js";
import {
  ACTIVATION_NAMES,
  classCount,
  defaultInitFor,
  gradsAreFinite,
  INIT_NAMES,
  initParams,
  OUTPUT_NAMES,
  outputHeadFor,
  type ActivationName,
  type Grads,
  type InitName,
  type OutputName,
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
import type { SizeCheck } from "./memory.js";
import { sci } from "./report.js";

export const DATA_FLAGS: FlagSpecs = {
  dataset: {
    kind: "string",
    value: "NAME",
    help: "toy data set: moons, circles, xor, spirals, blobs",
  },
  samples: { kind: "string", value: "N", help: "rows of the toy data set (400)" },
  noise: { kind: "string", value: "S", help: "noise of the toy data set (its own default)" },
  data: { kind: "string", value: "FILE.csv", help: "a CSV file with a header row" },
  label: {
    kind: "string",
    value: "COL",
    help: "the CSV's label column (default: the last column)",
  },
  classes: {
    kind: "string",
    value: "K",
    help: `classes K, labels 0..K−1 (2; spirals and blobs, or a CSV; K ≥ 3 means a softmax output)`,
  },
  standardize: {
    kind: "boolean",
    help: "scale features to mean 0, std 1 (stored in the model file)",
  },
  seed: { kind: "string", value: "N", help: "seed of every random choice (0)" },
};

export const NETWORK_FLAGS: FlagSpecs = {
  hidden: { kind: "string", value: "H", help: "hidden units H (16)" },
  activation: {
    kind: "string",
    value: "NAME",
    help: `hidden activation: ${ACTIVATION_NAMES.join(", ")} (tanh)`,
  },
  init: {
    kind: "string",
    value: "NAME",
    help: `${INIT_NAMES.join(", ")} (he for relu-like, xavier otherwise)`,
  },
  "bias-init": { kind: "string", value: "B", help: "the value every bias starts at (0)" },
  output: {
    kind: "string",
    value: "sigmoid|softmax",
    help: "output head: sigmoid (binary) or softmax (K classes) (softmax when --classes ≥ 3)",
  },
};

/** The most classes --classes accepts. */
export const MAX_CLASSES = 1000;

export const DEFAULT_HIDDEN = 16;
export const DEFAULT_ACTIVATION: ActivationName = "tanh";

/** The role of the file a flag names, for assertNoCollisions; none when the flag is absent. */
export function fileRole(
  direction: FileRole["direction"],
  flag: string,
  path: string | undefined,
  kind: FileKind,
): FileRole[] {
  return path === undefined ? [] : [{ direction, flag, path, kind }];
}

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
  /** --classes K: the labels are 0..K−1. */
  readonly classes?: number;
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
  const classes = optional("classes", () => classesFlag(flags));
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
    ...(classes === undefined ? {} : { classes }),
    seed: seedFlag(flags),
    standardize: booleanFlag(flags, "standardize"),
  };
}

export function seedFlag(flags: Flags): number {
  return integerFlag(flags, "seed", 0, 0);
}

function classesFlag(flags: Flags): number {
  return integerFlag(flags, "classes", 2, 2, MAX_CLASSES);
}

/**
 * The classes the labels may name: a saved model's own (2 for sigmoid, K for softmax), else
 * --classes K, else "any" for a fresh softmax model without --classes (a CSV's labels then
 * set K = max label + 1), else 2 (binary 0/1).
 */
export function labelClasses(
  choice: DataChoice,
  network: NetworkChoice,
  saved?: Model,
): number | "any" {
  if (saved) return classCount(saved.params.W2.cols);
  if (choice.classes !== undefined) return choice.classes;
  return network.output === "softmax" ? "any" : 2;
}

/**
 * The data set the choice names (labels 0..classes−1), and how to name it in messages. With
 * `check`, its size is checked first (cli/memory.ts): a toy set's before it is generated, a
 * CSV file's once its rows are counted, before they are read (and again once its labels are
 * known when the classes were not).
 */
export function loadData(
  choice: DataChoice,
  classes: number | "any" = 2,
  check?: SizeCheck,
): { data: Dataset; source: string } {
  const knownClasses = classes === "any" ? 2 : classes;
  if (choice.file !== undefined) {
    const options = {
      maxClasses: classes === "any" ? MAX_CLASSES : classes,
      ...(choice.label === undefined ? {} : { label: choice.label }),
      ...(check === undefined
        ? {}
        : {
            onCensus: (rows: number, columns: number) =>
              check({ rows, features: Math.max(0, columns - 1), classes: knownClasses }),
          }),
    };
    try {
      const data = loadCsv(choice.file, options);
      if (check && classes === "any") {
        check({ rows: data.X.rows, features: data.X.cols, classes: maxLabel(data.y) + 1 });
      }
      return { data, source: choice.file };
    } catch (error) {
      if (error instanceof DataError && classes === 2 && / label /.test(error.message)) {
        error.message += " (labels 0..K−1 of K classes need --classes K or --output softmax)";
      }
      throw error;
    }
  }
  const name = choice.dataset as string;
  check?.({ rows: choice.samples ?? DEFAULT_SAMPLES, features: 2, classes: knownClasses });
  const data = makeDataset(name, {
    seed: streamSeed(choice.seed, "data"),
    ...(choice.samples === undefined ? {} : { samples: choice.samples }),
    ...(choice.noise === undefined ? {} : { noise: choice.noise }),
    ...(classes === "any" || classes === 2 ? {} : { classes }),
  });
  return { data, source: name };
}

/**
 * The output logits K of a fresh model: the softmax head over --classes K (or, for a CSV
 * without --classes, over max label + 1 classes) when --output softmax or K ≥ 3; else 1,
 * the sigmoid head.
 */
export function outputsFor(choice: DataChoice, network: NetworkChoice, data: Dataset): number {
  const K = choice.classes ?? Math.max(2, maxLabel(data.y) + 1);
  return network.output === "softmax" || K > 2 ? K : 1;
}

function maxLabel(y: Matrix): number {
  return y.data.reduce((a, b) => Math.max(a, b), 0);
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
  readonly output?: OutputName;
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
  const output = optional("output", () => choiceFlag(flags, "output", OUTPUT_NAMES, "sigmoid"));
  const classes = optional("classes", () => classesFlag(flags));
  if (output === "sigmoid" && classes !== undefined && classes > 2) {
    throw new UsageError(
      `--output sigmoid is binary (classes 0 and 1); --classes ${classes} needs --output softmax`,
    );
  }
  return {
    ...(output === undefined ? {} : { output }),
    ...(activation === undefined ? {} : { activation }),
    ...(hidden === undefined ? {} : { hidden }),
    ...(init === undefined ? {} : { init }),
    ...(biasInit === undefined ? {} : { biasInit }),
  };
}

/**
 * The network to start from: the model in `modelPath` (whose activation, size and output head
 * the flags may repeat but not contradict; `saved` when it was read already), or fresh
 * parameters drawn from the seed, with `outputs` logits (1: sigmoid, K ≥ 2: softmax).
 */
export function startingModel(
  network: NetworkChoice,
  D: number,
  modelPath: string | undefined,
  seed: number,
  fresh: { readonly outputs?: number; readonly saved?: Model } = {},
): Model {
  if (modelPath !== undefined) {
    const model = fresh.saved ?? loadModel(modelPath);
    assertModelFits(model, D, modelPath);
    assertSameNetwork(network, model, modelPath);
    return model;
  }
  const activation = network.activation ?? DEFAULT_ACTIVATION;
  const params = initParams({
    inputs: D,
    hidden: network.hidden ?? DEFAULT_HIDDEN,
    init: network.init ?? defaultInitFor(activation),
    biasInit: network.biasInit ?? 0,
    seed: streamSeed(seed, "init"),
    ...(fresh.outputs === undefined ? {} : { outputs: fresh.outputs }),
  });
  return { activation, params };
}

/** Throws a UsageError when a network flag contradicts the saved model. */
function assertSameNetwork(network: NetworkChoice, model: Model, modelPath: string): void {
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
  const head = outputHeadFor(model.params.W2.cols).name;
  if (network.output !== undefined && network.output !== head) {
    throw new UsageError(
      `--output ${network.output} contradicts ${modelPath}, whose output is ${head}`,
    );
  }
}

/**
 * Throws a UsageError when --classes contradicts the saved model's classes (2 for a sigmoid
 * model, K for a softmax model over K).
 */
export function assertSameClasses(choice: DataChoice, model: Model, modelPath: string): void {
  const K = classCount(model.params.W2.cols);
  if (choice.classes !== undefined && choice.classes !== K) {
    throw new UsageError(
      `--classes ${choice.classes} contradicts ${modelPath}, which has ${K} classes`,
    );
  }
}

/** Throws a ModelFileError unless the model takes D features. */
export function assertModelFits(model: Model, D: number, path: string): void {
  const modelD = model.params.W1.rows;
  if (modelD !== D) {
    throw new ModelFileError(`${path} expects ${modelD} features but the data has ${D}`);
  }
}

/** A model file, checked against the data's width D. */
export function loadModelFor(path: string, D: number): Model {
  const model = loadModel(path);
  assertModelFits(model, D, path);
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
  const index = z2.data.findIndex((z) => !Number.isFinite(z));
  if (index !== -1) {
    const row = Math.floor(index / z2.cols);
    throw new DataError(
      `${modelName} gives the non-finite logit z2 = ${z2.data[index]} on row ${row + 1} of ${dataSource}: ` +
        `its weights or the features are too large for float64`,
    );
  }
}
