/**
 * What the commands that load data and a model share (train, and demo through it; grad;
 * gradcheck): the flags that choose the data and the network, and prepareRun, which turns
 * them into a ready run in the one right order:
 *
 *   1. flags     --model when required; the data flags, the network flags, then the
 *                command's own options; the flags that shape a fresh model refused
 *                beside a saved one (--model, --init-model, --resume). No file is touched.
 *   2. files     no output replaces an input or another output; every output writable;
 *                the outputs (--save, --checkpoint) locked for this process.
 *   3. model     --resume's checkpoint and the model file read; --classes checked against it.
 *   4. data      its size checked (cli/memory.ts) before the rows are made or read; the
 *                rows loaded, split (--validation), the starting model built or checked to
 *                fit them, standardised (the model's own, or fitted on the training rows).
 *   5. outputs   the starting model's logits on the training rows checked to be finite
 *                (naming the row), so that no command starts on an overflow.
 *
 * A fault stops the run at the first step that finds it, with the message that step gives.
 */
import {
  applyStandardizer,
  DEFAULT_SAMPLES,
  delimiterByName,
  fitStandardizer,
  integerClasses,
  labelList,
  labelOfCell,
  makeDataset,
  MAX_CLASSES,
  MAX_NOISE,
  MAX_SAMPLES,
  splitDataset,
  type ClassLabel,
  type Dataset,
  type Standardizer,
} from "../data/index.js";
import { DataError, ModelFileError, UsageError } from "../errors.js";
import {
  assertNoCollisions,
  assertWritable,
  loadCheckpoint,
  loadCsv,
  loadModel,
  lockAllForWriting,
  type FileKind,
  type FileRole,
} from "../io/index.js";
import { type Checkpoint, type Model } from "../formats/index.js";
import { allFinite, type Matrix } from "../linalg/index.js";
import {
  ACTIVATION_NAMES,
  activationByName,
  classCount,
  defaultInitFor,
  DEFAULT_ACTIVATION,
  DEFAULT_HIDDEN,
  forward,
  INIT_NAMES,
  initParams,
  OUTPUT_NAMES,
  outputHeadFor,
  type ActivationName,
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
  pathFlag,
  stringFlag,
  type Flags,
  type FlagSpecs,
} from "./flags.js";
import { commandCheck, trainingCheck, type SizeCheck, type TrainingLoop } from "./memory.js";
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
    help: "the CSV's label column, by name or 0-based index; #N is always index N (default: the last column; with a saved model, the model's label column)",
  },
  delimiter: {
    kind: "string",
    value: "D",
    help: "the CSV's cell delimiter: , ; | or tab, or comma, semicolon, pipe (default: detected)",
  },
  ignore: {
    kind: "string",
    value: "COL,…",
    help: "CSV columns not read, by name or 0-based index; #N is always index N, digits a column's name first (ids; pandas' unnamed index: --ignore '#0')",
  },
  positive: {
    kind: "string",
    value: "LABEL",
    help: "with two classes found from the labels, the positive one (default: the second in sorted order)",
  },
  classes: {
    kind: "string",
    value: "K",
    help: `integer labels 0..K−1, all K classes (spirals and blobs; a CSV's classes are otherwise its labels; K ≥ 3 means a softmax output)`,
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

/** The network a fresh model gets without --hidden and --activation: the library's. */
export { DEFAULT_HIDDEN };

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
  /** --label: a name, or a 0-based index in digits. */
  readonly label?: string;
  /** --delimiter, as a character. */
  readonly delimiter?: string;
  /** --ignore's columns (names or 0-based indices in digits). */
  readonly ignore?: readonly string[];
  /** --positive's label (a number when it is one in the CSV grammar). */
  readonly positive?: ClassLabel;
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
  const file = pathFlag(flags, "data");
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
  for (const csvOnly of ["label", "delimiter", "ignore", "positive"]) {
    if (dataset !== undefined && flags.has(csvOnly)) {
      throw new UsageError(`--${csvOnly} applies to --data, not to --dataset`);
    }
  }
  const label = stringFlag(flags, "label");
  const { delimiter, ignore } = csvFlags(flags);
  const positive = optionalFlag(flags, "positive", () => positiveFlag(flags));
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
    ...(delimiter === undefined ? {} : { delimiter }),
    ...(ignore === undefined ? {} : { ignore }),
    ...(positive === undefined ? {} : { positive }),
    ...(samples === undefined ? {} : { samples }),
    ...(noise === undefined ? {} : { noise }),
    ...(validation === undefined ? {} : { validation }),
    ...(classes === undefined ? {} : { classes }),
    seed: seedFlag(flags),
    standardize: booleanFlag(flags, "standardize"),
  };
}

/** --delimiter (by character or name) and --ignore (a comma-separated list), checked. */
export function csvFlags(flags: Flags): { delimiter?: string; ignore?: string[] } {
  const delimiterText = stringFlag(flags, "delimiter");
  const ignoreText = stringFlag(flags, "ignore");
  const delimiter =
    delimiterText === undefined ? undefined : delimiterByName(delimiterText, "--delimiter");
  const ignore = ignoreText?.split(",").map((c) => c.trim());
  if (ignore?.some((c) => c === "")) {
    throw new UsageError(
      `--ignore takes column names or 0-based indices separated by commas, got ${JSON.stringify(ignoreText)}`,
    );
  }
  return {
    ...(delimiter === undefined ? {} : { delimiter }),
    ...(ignore === undefined ? {} : { ignore }),
  };
}

/** --positive's label: a number when it is one in the CSV grammar (as a label cell), else the text. */
function positiveFlag(flags: Flags): ClassLabel {
  const text = stringFlag(flags, "positive") ?? "";
  const label = labelOfCell(text);
  if (typeof label === "object")
    throw new UsageError(`--positive ${JSON.stringify(text)} ${label.fault}`);
  return label;
}

export function seedFlag(flags: Flags): number {
  return integerFlag(flags, "seed", 0, 0);
}

function classesFlag(flags: Flags): number {
  return integerFlag(flags, "classes", 2, 2, MAX_CLASSES);
}

/** What a command asks of prepareRun beyond the shared data and network flags. */
export interface RunNeeds<Own> {
  /** The flag of the model to start from: --model (grad, gradcheck) or --init-model (train). */
  readonly modelFlag: "model" | "init-model";
  /** The command cannot run without it (grad). */
  readonly modelRequired?: boolean;
  /** The command's own options, read after the data and network flags, before any file. */
  readonly options: (flags: Flags) => Own;
  /** What the size check estimates: one gradient, the gradient check, or training (its loop). */
  readonly size: "grad" | "gradcheck" | ((own: Own) => TrainingLoop);
}

/** A run ready to hand to the library: checked flags, locked outputs, data and model. */
export interface PreparedRun<Own> {
  /** The data flags, checked. */
  readonly choice: DataChoice;
  /** The command's own options (RunNeeds.options). */
  readonly options: Own;
  /** The files the flags name: the outputs are locked until release(). */
  readonly files: {
    readonly save?: string;
    readonly checkpoint?: string;
    readonly resume?: string;
  };
  /** How messages name the data: the CSV file or the toy set. */
  readonly source: string;
  /** The training rows (every row without --validation), standardised as `model` says. */
  readonly train: Dataset;
  /** The rows held out by --validation, standardised the same way. */
  readonly validation?: Dataset;
  /**
   * The model to start from, with the standardisation its inputs get: the model file's or
   * the checkpoint's (its own), or fresh parameters from the seed (with --standardize, one
   * fitted on the training rows).
   */
  readonly model: Model;
  /** The file the model came from (--model, --init-model or --resume); none when fresh. */
  readonly modelFile?: string;
  /** How messages name the model: its file, or "the initial model". */
  readonly modelName: string;
  /** --resume's checkpoint: the state to continue. */
  readonly checkpoint?: Checkpoint;
  /** Lines for the user about the data (a header of numbers, columns not read), for stderr. */
  readonly warnings: readonly string[];
  /** Releases the outputs' locks (the run holds them from before its first read). */
  release(): void;
}

/** prepareRun's steps, in order (see the header); the first fault found wins. */
export function prepareRun<Own>(flags: Flags, needs: RunNeeds<Own>): PreparedRun<Own> {
  const modelFile = pathFlag(flags, needs.modelFlag);
  if (needs.modelRequired && modelFile === undefined) {
    throw new UsageError(`no model: give --${needs.modelFlag} FILE`);
  }
  const choice = dataChoice(flags);
  const network = networkChoice(flags);
  const options = needs.options(flags);
  const files = {
    ...optionalPath("save", pathFlag(flags, "save")),
    ...optionalPath("checkpoint", pathFlag(flags, "checkpoint")),
    ...optionalPath("resume", pathFlag(flags, "resume")),
  };
  refuseFreshModelFlags(flags, files.resume, modelFile, needs.modelFlag);
  if (
    choice.positive !== undefined &&
    (modelFile ?? files.resume ?? choice.classes) !== undefined
  ) {
    throw new UsageError(
      `--positive applies to the classes found from a CSV's labels, not to ${choice.classes !== undefined ? "--classes K" : "a saved model's classes"}`,
    );
  }

  // No output may replace an input or another output; each must be writable before any work.
  assertNoCollisions([
    ...fileRole("input", "--data", choice.file, "data"),
    ...fileRole("input", `--${needs.modelFlag}`, modelFile, "model"),
    ...fileRole("input", "--resume", files.resume, "checkpoint"),
    ...fileRole("output", "--save", files.save, "model"),
    ...fileRole("output", "--checkpoint", files.checkpoint, "checkpoint"),
  ]);
  const outputs = [files.save, files.checkpoint].filter((path) => path !== undefined);
  for (const path of outputs) assertWritable(path);
  const locks = lockAllForWriting(outputs);
  const release = (): void => {
    for (const lock of locks) lock.release();
  };
  try {
    const checkpoint = files.resume === undefined ? undefined : loadCheckpoint(files.resume);
    // A checkpoint's model is a saved model: its classes, size and standardisation hold.
    const saved = modelFile === undefined ? checkpoint?.model : loadModel(modelFile);
    const savedFile = modelFile ?? files.resume;
    if (saved) assertSameClasses(choice, saved, savedFile as string);
    const size =
      typeof needs.size === "function"
        ? trainingCheck(choice, network, saved, needs.size(options))
        : commandCheck(needs.size, choice, network, saved);
    const loaded = loadData(choice, classRule(choice, saved), saved, size);
    const { data, source } = loaded;
    const split: { train: Dataset; validation?: Dataset } =
      choice.validation === undefined
        ? { train: data }
        : splitDataset(data, choice.validation, streamSeed(choice.seed, "split"));
    const start = saved
      ? checkedModel(saved, network, data.X.cols, savedFile as string)
      : freshModel(network, data.X.cols, choice.seed, outputsFor(network, loaded.classes, source));
    const standardizer = saved
      ? saved.standardizer
      : choice.standardize
        ? fitStandardizer(split.train.X)
        : undefined;
    // The names and labels a saved model file gets: the model's own, else the data's; the
    // label column is the one this run trained on.
    const model: Model = {
      ...start,
      features: saved?.features ?? data.featureNames,
      label: data.labelName,
      classes: saved?.classes ?? loaded.classes,
      ...(standardizer ? { standardizer } : {}),
    };
    const train = standardized(split.train, standardizer, source);
    const modelName = savedFile ?? "the initial model";
    const { z2 } = forward(model.params, train.X, activationByName(model.activation));
    assertFiniteOutputs(z2, modelName, source); // names the row
    const validation = split.validation && standardized(split.validation, standardizer, source);
    return {
      choice,
      options,
      files,
      source,
      train,
      ...(validation ? { validation } : {}),
      model,
      ...optionalPath("modelFile", savedFile),
      modelName,
      ...(checkpoint ? { checkpoint } : {}),
      warnings: loaded.warnings,
      release,
    };
  } catch (error) {
    release();
    throw error;
  }
}

/** `{ [key]: path }`, or nothing when the path is absent (for exactOptionalPropertyTypes). */
function optionalPath<K extends string>(key: K, path: string | undefined): { [P in K]?: string } {
  return (path === undefined ? {} : { [key]: path }) as { [P in K]?: string };
}

/**
 * How the labels become classes: a saved model's own classes (by label; a model file without
 * them: the integers 0..K−1 of its head), --classes K's integers 0..K−1, else found from the
 * CSV's labels (loadCsv's rule: 0/1 stay 0 and 1, other labels sorted, --positive).
 */
function classRule(
  choice: DataChoice,
  saved: Model | undefined,
): { classes?: readonly ClassLabel[]; maxClasses?: number } {
  if (saved) {
    return saved.classes
      ? { classes: saved.classes }
      : { maxClasses: classCount(saved.params.W2.cols) };
  }
  return choice.classes === undefined ? {} : { maxClasses: choice.classes };
}

/** The data the choice names, its classes, how to name it in messages, and its warnings. */
interface LoadedData {
  readonly data: Dataset;
  readonly classes: readonly ClassLabel[];
  readonly source: string;
  readonly warnings: readonly string[];
}

/**
 * The data set the choice names (labels as class indices), with the columns a saved model
 * names (its features, and its label column unless --label) found by name. Its size is checked first (cli/memory.ts): a toy set's
 * before it is generated, a CSV file's once its rows are counted, before they are read (and
 * again once its classes are known when there are more than the estimate assumed).
 */
function loadData(
  choice: DataChoice,
  rule: { classes?: readonly ClassLabel[]; maxClasses?: number },
  saved: Model | undefined,
  check: SizeCheck,
): LoadedData {
  const features = saved?.features;
  const knownClasses = rule.classes?.length ?? rule.maxClasses ?? 2;
  if (choice.file !== undefined) {
    const data = loadCsv(choice.file, {
      ...rule,
      ...(features === undefined ? {} : { features }),
      ...(saved?.label === undefined ? {} : { modelLabel: saved.label }),
      ...(choice.label === undefined ? {} : { label: choice.label }),
      ...(choice.delimiter === undefined ? {} : { delimiter: choice.delimiter }),
      ...(choice.ignore === undefined ? {} : { ignore: choice.ignore }),
      ...(choice.positive === undefined ? {} : { positive: choice.positive }),
      onCensus: (rows: number, columns: number) =>
        check({ rows, features: Math.max(0, columns - 1), classes: knownClasses }),
    });
    if (data.classes.length > knownClasses) {
      check({ rows: data.X.rows, features: data.X.cols, classes: data.classes.length });
    }
    return { data, classes: data.classes, source: choice.file, warnings: data.warnings };
  }
  const name = choice.dataset as string;
  check({ rows: choice.samples ?? DEFAULT_SAMPLES, features: 2, classes: knownClasses });
  const data = makeDataset(name, {
    seed: streamSeed(choice.seed, "data"),
    ...(choice.samples === undefined ? {} : { samples: choice.samples }),
    ...(choice.noise === undefined ? {} : { noise: choice.noise }),
    ...(knownClasses === 2 ? {} : { classes: knownClasses }),
  });
  return {
    data,
    classes: rule.classes ?? integerClasses(knownClasses),
    source: name,
    warnings: [],
  };
}

/**
 * The output logits of a fresh model: the softmax head over the K classes when --output
 * softmax or K ≥ 3; else 1, the sigmoid head (refused for K ≥ 3 with --output sigmoid).
 */
function outputsFor(
  network: NetworkChoice,
  classes: readonly ClassLabel[],
  source: string,
): number {
  const K = classes.length;
  if (network.output === "sigmoid" && K > 2) {
    throw new UsageError(
      `--output sigmoid is binary, but ${source} has ${K} classes (${labelList(classes.slice(0, 5))}${K > 5 ? ", …" : ""}); use --output softmax`,
    );
  }
  return network.output === "softmax" || K > 2 ? K : 1;
}

/**
 * Refuses, before any file is read, the flags that only shape a fresh model when the run
 * continues a checkpoint (--resume) or starts from a saved model (`flag`: model or
 * init-model).
 */
function refuseFreshModelFlags(
  flags: Flags,
  resumePath: string | undefined,
  modelPath: string | undefined,
  flag: string,
): void {
  if (resumePath !== undefined) {
    for (const fresh of ["init-model", "init", "bias-init"]) {
      if (flags.has(fresh))
        throw new UsageError(
          `--${fresh} shapes a fresh model; --resume ${resumePath} continues the checkpoint's`,
        );
    }
  }
  if (modelPath === undefined) return;
  for (const name of ["standardize", "init", "bias-init"]) {
    if (flags.has(name)) {
      throw new UsageError(
        `--${name} applies to a fresh model, not to --${flag} ${modelPath} (which keeps its own weights and standardisation)`,
      );
    }
  }
}

/** The data set with its features standardised (unchanged when s is undefined). */
function standardized(data: Dataset, s: Standardizer | undefined, source: string): Dataset {
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

/** Fresh parameters drawn from the seed, with `outputs` logits (1: sigmoid, K ≥ 2: softmax). */
function freshModel(network: NetworkChoice, D: number, seed: number, outputs: number): Model {
  const activation = network.activation ?? DEFAULT_ACTIVATION;
  const params = initParams({
    inputs: D,
    hidden: network.hidden ?? DEFAULT_HIDDEN,
    init: network.init ?? defaultInitFor(activation),
    biasInit: network.biasInit ?? 0,
    seed: streamSeed(seed, "init"),
    outputs,
  });
  return { activation, params };
}

/**
 * A saved model that takes the data's D features and whose activation, size and output head
 * the flags may repeat but not contradict.
 */
function checkedModel(model: Model, network: NetworkChoice, D: number, path: string): Model {
  const modelD = model.params.W1.rows;
  if (modelD !== D) {
    throw new ModelFileError(`${path} expects ${modelD} features but the data has ${D}`);
  }
  const H = model.params.W1.cols;
  if (network.activation !== undefined && network.activation !== model.activation) {
    throw new UsageError(
      `--activation ${network.activation} contradicts ${path}, whose activation is ${model.activation}`,
    );
  }
  if (network.hidden !== undefined && network.hidden !== H) {
    throw new UsageError(
      `--hidden ${network.hidden} contradicts ${path}, which has ${H} hidden units`,
    );
  }
  const head = outputHeadFor(model.params.W2.cols).name;
  if (network.output !== undefined && network.output !== head) {
    throw new UsageError(`--output ${network.output} contradicts ${path}, whose output is ${head}`);
  }
  return model;
}

/**
 * Throws a UsageError when --classes contradicts the saved model's classes (2 for a sigmoid
 * model, K for a softmax model over K), or when the model's classes are not the labels
 * 0..K−1 that --classes K means.
 */
function assertSameClasses(choice: DataChoice, model: Model, modelPath: string): void {
  const K = classCount(model.params.W2.cols);
  if (choice.classes !== undefined && choice.classes !== K) {
    throw new UsageError(
      `--classes ${choice.classes} contradicts ${modelPath}, which has ${K} classes`,
    );
  }
  // --classes K means the labels 0..K−1, with a saved model as without one.
  if (choice.classes !== undefined && model.classes?.some((c, k) => c !== k)) {
    throw new UsageError(
      `--classes ${choice.classes} means the integer labels 0..${choice.classes - 1}, but ${modelPath}'s classes are ${labelList(model.classes)}; leave --classes out`,
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
