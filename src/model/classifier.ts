/**
 * The network as a product: a Classifier fits plain rows (`number[][]`, typed-array rows or a
 * Matrix) to labels of any strings or numbers, remembers the feature names, the class labels
 * and the standardisation, and predicts labels, probabilities and accuracy on new rows.
 *
 * It is the lower-level API in one object, not a second implementation: fit(X, y) is
 *
 *   classes  = the distinct labels, sorted (numbers numerically, before strings)
 *   y        = each label's index in classes                        N×1
 *   split    = splitDataset({X, y}, validation, streamSeed(seed, "split"))   (with validation)
 *   s        = fitStandardizer(split.train.X)                       (with standardize, default)
 *   θ0       = initParams({D, hidden, init, seed: streamSeed(seed, "init"), outputs})
 *   result   = new Trainer(θ0, standardised train, {…, seed: streamSeed(seed, "shuffle")}).run()
 *
 * the same steps and seeds as `handgrad train` with the same settings, so a Classifier and
 * the CLI give the same model bit for bit. Two classes use the sigmoid head (class 1, the
 * positive one, is the second in sorted order unless `positive` names it), more the softmax.
 *
 * Browser use: the whole Classifier runs in a browser (model/ imports no io/ and no node:*);
 * fitAsync trains in slices and yields to the event loop between them. save() and load() use
 * the file functions the Node entry hands in (files.ts); in a browser, where nothing does,
 * they throw a UsageError pointing to toJSON() and Classifier.fromJSON().
 */
import {
  applyStandardizer,
  assertClassesLearnable,
  assertValidationFraction,
  classesOf,
  fitStandardizer,
  labelIndices,
  modelColumnsProblem,
  splitDataset,
  type ClassLabel,
  type Dataset,
  type Standardizer,
} from "../data/index.js";
import { DataError, UsageError } from "../errors.js";
import {
  assertMatrix,
  describeValue,
  matrix,
  type Matrix,
  type ThreadsOption,
} from "../linalg/index.js";
import {
  ACTIVATION_NAMES,
  assertInitOptions,
  classify,
  cloneParams,
  DEFAULT_ACTIVATION,
  DEFAULT_HIDDEN,
  defaultInitFor,
  forward,
  initParams,
  type ActivationName,
  type InitName,
  type Params,
} from "../nn/index.js";
import { modelFromJson, parseModel, serializeModel, type Model } from "../formats/index.js";
import { streamSeed } from "../rng.js";
import { assertKnownKeys } from "../suggest.js";
import { modelFiles } from "./files.js";
import {
  DEFAULT_BATCH_SIZE,
  DEFAULT_EPOCHS,
  DEFAULT_LEARNING_RATE,
  DEFAULT_SEED,
  OPTION_NAMES,
  assertPatienceWatches,
  assertTrainOptionValues,
  Trainer,
  trainingRecord,
  type EarlyStop,
  type EpochRecord,
  type LabelledData,
  type OptimizerOptions,
  type TrainEngine,
  type TrainerOptions,
  type TrainResult,
} from "../train/index.js";

/** The rows a Classifier takes: arrays of numbers, typed-array rows, or a Matrix (N×D). */
export type Rows = Matrix | readonly (readonly number[] | ArrayLike<number>)[];

/** A Classifier's settings; each has the CLI's default (`handgrad train --help`). */
export interface ClassifierOptions extends OptimizerOptions {
  /** Hidden units H (default 16). */
  readonly hidden?: number;
  /** The hidden activation f (default "tanh"). */
  readonly activation?: ActivationName;
  /** The weight initialisation (default: he for relu-like activations, xavier otherwise). */
  readonly init?: InitName;
  /** The value every bias starts at (default 0). */
  readonly biasInit?: number;
  /** The learning rate η (default 0.5). */
  readonly learningRate?: number;
  /** Passes over the training rows (default 200); partialFit takes this many more. */
  readonly epochs?: number;
  /** Rows per step, or "full" for gradient descent (default 32). */
  readonly batchSize?: number | "full";
  /** Reshuffle the rows every epoch (default true). */
  readonly shuffle?: boolean;
  /**
   * Standardise each feature to mean 0 and standard deviation 1, fitted on the training rows
   * and applied to every row predicted (default true; the CLI's --standardize).
   */
  readonly standardize?: boolean;
  /** Hold out this fraction of the rows, in (0, 1), for validation and early stopping (default none). */
  readonly validation?: number;
  /** The seed of every random choice: the split, the initial weights, the shuffling (default 0). */
  readonly seed?: number;
  /**
   * With two classes, the label of the positive class (class 1, whose probability the sigmoid
   * gives); default: the second in sorted order.
   */
  readonly positive?: ClassLabel;
  /** The training loop's engine: "fast" (default) or "plain"; bit-identical. */
  readonly engine?: TrainEngine;
  /**
   * Threads for the fast engine, at most (default "auto": at most one per core; none is given
   * under 2 MFLOP of a call, so small networks keep one); refused with engine "plain";
   * bit-identical.
   */
  readonly threads?: ThreadsOption;
}

/** fit's third argument. */
export interface FitOptions {
  /**
   * The D feature names, in column order: each trimmed and non-empty (a CSV header cell, as
   * the CLI reads it), all different (default x1…xD, not recorded in the model file).
   */
  readonly features?: readonly string[];
  /**
   * The name of the label column y came from (loadCsv's `labelName`), recorded in the model
   * file so that the CLI finds that column in a CSV (not one of `features`, and only with
   * them: without names the CLI takes columns by position; default: none).
   */
  readonly label?: string;
}

/** fitAsync's third argument: fit's, with a hook per epoch and an AbortSignal. */
export interface FitAsyncOptions extends FitOptions {
  /** Called after every epoch (epoch 0 is before the first step). */
  readonly onEpoch?: (record: EpochRecord) => void;
  /** Aborting it ends the run at the next slice: fitAsync rejects with its reason, and the Classifier keeps what it had. */
  readonly signal?: AbortSignal;
  /** The length of a slice of training between two yields to the event loop, in ms (default 50). */
  readonly sliceMs?: number;
}

const OPTION_KEYS: readonly (keyof ClassifierOptions)[] = [
  "hidden",
  "activation",
  "init",
  "biasInit",
  "learningRate",
  "epochs",
  "batchSize",
  "shuffle",
  "standardize",
  "validation",
  "seed",
  "positive",
  "engine",
  "threads",
  // The update rule, penalty, schedule and early stopping: the one list of those options.
  ...(Object.keys(OPTION_NAMES) as (keyof OptimizerOptions)[]),
];

/** What a fitted Classifier holds. */
interface Fitted {
  /** Its features only when they were named (fit's `features`, a model file's). */
  readonly model: Model & { readonly classes: readonly ClassLabel[] };
  readonly history: readonly EpochRecord[];
  readonly earlyStop?: EarlyStop;
  /** Fits so far: 1 after fit, + 1 per partialFit (the shuffling stream of the next). */
  readonly fits: number;
}

/** A training run set up by fit or partialFit: the Trainer's arguments and what to keep. */
interface Prepared {
  readonly start: Params;
  readonly data: LabelledData;
  readonly options: TrainerOptions;
  readonly finish: (result: TrainResult) => Fitted;
}

/** The default slice of fitAsync, in ms: short enough for a page to stay responsive. */
const DEFAULT_SLICE_MS = 50;

/**
 * A one-hidden-layer network classifier with scikit-learn's shape: `new Classifier(options)`,
 * `fit(X, y)`, `predict(X)`, `predictProba(X)`, `score(X, y)`; `toJSON()` and `save(path)` give
 * a model file (version 2) that `Classifier.fromJSON` and `Classifier.load` read back.
 */
export class Classifier {
  /** The settings (defaults filled in when fitted). */
  readonly options: ClassifierOptions;
  private fitted: Fitted | undefined;

  constructor(options: ClassifierOptions = {}) {
    if (typeof options !== "object" || options === null || Array.isArray(options))
      throw new UsageError(`Classifier: options must be an object, got ${describeValue(options)}`);
    assertKnownKeys(options, OPTION_KEYS, "Classifier", OPTION_ALIASES);
    const { activation, standardize, positive } = options;
    if (activation !== undefined && !ACTIVATION_NAMES.includes(activation))
      throw new UsageError(
        `Classifier: activation must be one of ${ACTIVATION_NAMES.join(", ")}, got ${describeValue(activation)}`,
      );
    if (standardize !== undefined && typeof standardize !== "boolean")
      throw new UsageError(
        `Classifier: standardize must be true or false, got ${describeValue(standardize)}`,
      );
    if (positive !== undefined) assertLabel(positive, "Classifier: positive", UsageError);
    this.options = { ...options };
    // Each value in range, by the checks fit runs (initParams's, the Trainer's, the split's).
    const settings = this.settings();
    try {
      assertInitOptions(settings);
      // The schedule's settings and early stopping's values among them (not the warm-up's
      // length against the run's, which needs the rows).
      assertTrainOptionValues(trainerSettings(settings));
      if (settings.validation !== undefined) assertValidationFraction(settings.validation);
      assertPatienceWatches(
        settings.patience,
        settings.validation !== undefined,
        ": set validation (the fraction of the rows to hold out)",
      );
      streamSeed(settings.seed, "init"); // refuses a seed that is not an integer in [0, 2^53)
    } catch (error) {
      if (error instanceof UsageError) error.message = `Classifier: ${error.message}`;
      throw error;
    }
  }

  /** Trains from fresh weights on rows X (N×D) and their N labels; returns this. */
  fit(X: Rows, y: ArrayLike<ClassLabel>, options: FitOptions = {}): this {
    const run = this.prepareFit(X, y, options, "fit");
    this.fitted = run.finish(new Trainer(run.start, run.data, run.options).run());
    return this;
  }

  /**
   * fit, in slices of about `sliceMs` with a yield to the event loop between them (a browser
   * page stays responsive); bit-identical to fit. Rejects with the signal's reason when it is
   * aborted, leaving the Classifier as it was.
   */
  async fitAsync(X: Rows, y: ArrayLike<ClassLabel>, options: FitAsyncOptions = {}): Promise<this> {
    assertOptionsObject(options, "fitAsync");
    assertKnownKeys(options, FIT_ASYNC_KEYS, "fitAsync");
    const { onEpoch, signal, sliceMs = DEFAULT_SLICE_MS, ...fitOptions } = options;
    if (onEpoch !== undefined && typeof onEpoch !== "function")
      throw new UsageError(`fitAsync: onEpoch must be a function, got ${describeValue(onEpoch)}`);
    if (!(typeof sliceMs === "number" && sliceMs > 0))
      throw new UsageError(`fitAsync: sliceMs must be a number > 0, got ${describeValue(sliceMs)}`);
    if (
      signal !== undefined &&
      !(
        typeof signal === "object" &&
        signal !== null &&
        typeof (signal as { throwIfAborted?: unknown }).throwIfAborted === "function"
      )
    )
      throw new UsageError(`fitAsync: signal must be an AbortSignal, got ${describeValue(signal)}`);
    signal?.throwIfAborted();
    const run = this.prepareFit(X, y, fitOptions, "fitAsync");
    const trainer = new Trainer(run.start, run.data, {
      ...run.options,
      ...(onEpoch ? { onEpoch } : {}),
    });
    for (;;) {
      const deadline = performance.now() + sliceMs;
      const result = trainer.run(() => performance.now() >= deadline);
      if (!result.stopped) {
        this.fitted = run.finish(result);
        return this;
      }
      await nextTask();
      signal?.throwIfAborted();
    }
  }

  /**
   * Trains `epochs` more epochs (the option) from the current weights on rows X and labels y,
   * with the classes, feature names and standardisation of the first fit (a label it has not
   * seen is refused); on an unfitted Classifier, fit. The optimizer starts afresh (Adam's and
   * momentum's state is not kept), the k-th partialFit shuffles with streamSeed(seed + k),
   * and its epochs continue the history. A third argument is refused (the feature names and
   * the label column are the first fit's).
   */
  partialFit(X: Rows, y: ArrayLike<ClassLabel>): this {
    // A third argument (fit's options) is refused: the names are the first fit's.
    // eslint-disable-next-line prefer-rest-params -- the signature stays (X, y)
    const extra: unknown = arguments.length > 2 ? arguments[2] : undefined;
    if (arguments.length > 2)
      throw new UsageError(
        `partialFit takes X and y only, got a third argument (${describeValue(extra)}): ` +
          "the feature names and the label column are the first fit's",
      );
    const fitted = this.fitted;
    if (fitted === undefined) return this.fit(X, y);
    const op = "partialFit";
    const { model } = fitted;
    const rows = rowsMatrix(X, op);
    assertFeatureCount(rows, model.params.W1.rows, op);
    const labels = labelIndices(labelsOf(y, rows.rows, op), model.classes, op);
    const settings = this.settings();
    const run = this.prepareRun(
      rows,
      labels,
      model.features,
      model.label,
      model.classes,
      settings,
      {
        standardizer: model.standardizer,
        params: model.params,
        fits: fitted.fits,
      },
    );
    const result = new Trainer(run.start, run.data, run.options).run();
    const next = run.finish(result);
    const last = fitted.history.at(-1)?.epoch ?? 0;
    const more = next.history.slice(1).map((r) => Object.freeze({ ...r, epoch: last + r.epoch }));
    this.fitted = { ...next, history: Object.freeze([...fitted.history, ...more]) };
    return this;
  }

  /** The predicted label of each row of X. */
  predict(X: Rows): ClassLabel[] {
    const { model } = this.require("predict");
    const indices = classify(this.probabilities(X, "predict"));
    return Array.from(indices.data, (k) => model.classes[k] as ClassLabel);
  }

  /**
   * The probability of each class for each row of X: N rows of K numbers summing to 1, in the
   * order of `classes` ([p0, p1] with two classes, p1 = σ(z2)).
   */
  predictProba(X: Rows): number[][] {
    const p = this.probabilities(X, "predictProba");
    const rows: number[][] = [];
    for (let i = 0; i < p.rows; i++) {
      if (p.cols === 1) {
        const p1 = p.data[i] as number;
        rows.push([1 - p1, p1]);
      } else rows.push(Array.from(p.data.subarray(i * p.cols, (i + 1) * p.cols)));
    }
    return rows;
  }

  /** The fraction of rows of X whose predicted label is y's (a label not among `classes` is refused). */
  score(X: Rows, y: ArrayLike<ClassLabel>): number {
    const { model } = this.require("score");
    const rows = rowsMatrix(X, "score");
    const truth = labelIndices(labelsOf(y, rows.rows, "score"), model.classes, "score");
    const predicted = classify(this.probabilities(rows, "score"));
    let right = 0;
    for (let i = 0; i < rows.rows; i++) if (predicted.data[i] === truth[i]) right++;
    return right / rows.rows;
  }

  /** The class labels, in class-index order (the columns of predictProba). */
  get classes(): readonly ClassLabel[] {
    return this.require("classes").model.classes;
  }

  /**
   * The feature names, in column order: fit's `features` (or the model file's), else x1…xD;
   * the model file names them only when they were given (see toModel).
   */
  get features(): readonly string[] {
    const { model } = this.require("features");
    return model.features ?? defaultNames(model.params.W1.rows);
  }

  /** The loss and accuracy after every epoch (0: before the first step) of every fit so far. */
  get history(): readonly EpochRecord[] {
    return this.require("history").history;
  }

  /** Why and where early stopping ended the last fit, if it did. */
  get earlyStop(): EarlyStop | undefined {
    return this.require("earlyStop").earlyStop;
  }

  /** A copy of the trained parameters W1, b1, W2, b2 (on standardised features when standardize). */
  get params(): Params {
    return cloneParams(this.require("params").model.params);
  }

  /** The standardisation applied to every row before the network, when standardize. */
  get standardizer(): Standardizer | undefined {
    return this.require("standardizer").model.standardizer;
  }

  /** True once fit (or fromJSON, load) has given it weights. */
  get isFitted(): boolean {
    return this.fitted !== undefined;
  }

  /**
   * The model (what its file holds): activation, parameters, classes, standardisation,
   * training; the features and the label column when they were given (fit's `features` and
   * `label`, or the model file's). Without feature names the file names none, and readers
   * take its columns by position.
   */
  toModel(): Model {
    return this.require("toModel").model;
  }

  /**
   * The model file (version 2) as a JSON object, for JSON.stringify (which writes −0 as 0;
   * save() and toModelText() keep every bit).
   */
  toJSON(): unknown {
    return JSON.parse(this.toModelText());
  }

  /** The text of the model file (version 2), exact to the bit. */
  toModelText(): string {
    return serializeModel(this.toModel());
  }

  /**
   * Writes the model file (version 2) to `path`, atomically. Node only: in a browser it throws
   * a UsageError (use toJSON() or toModelText() there).
   */
  save(path: string): void {
    modelFiles("save").save(path, this.toModel());
  }

  /**
   * A fitted Classifier from a model file's text or parsed object (version 1 or 2; a model
   * without names shows features x1…xD but saves none; without classes, it has 0..K−1). Its settings are those the file's
   * "training" records, so partialFit continues as the model was trained.
   */
  static fromJSON(json: unknown, source = "model"): Classifier {
    const model = typeof json === "string" ? parseModel(json, source) : modelFromJson(json, source);
    return Classifier.fromModel(model);
  }

  /**
   * Reads a model file; see fromJSON. Node only: in a browser it throws a UsageError (pass the
   * file's text to Classifier.fromJSON there).
   */
  static load(path: string): Classifier {
    return Classifier.fromModel(modelFiles("load").load(path));
  }

  /** A fitted Classifier holding `model` (see fromJSON). */
  static fromModel(model: Model): Classifier {
    const { W1, W2 } = model.params;
    const t = model.training;
    const options: ClassifierOptions = {
      hidden: W1.cols,
      activation: model.activation,
      standardize: model.standardizer !== undefined,
      ...(t === undefined ? {} : settingsOfRecord(t)),
    };
    const classifier = new Classifier(options);
    classifier.fitted = {
      model: {
        ...model,
        classes: model.classes ?? Array.from({ length: Math.max(2, W2.cols) }, (_, k) => k),
      },
      history: Object.freeze([]),
      fits: 1,
    };
    return classifier;
  }

  /** The settings with every default filled in. */
  private settings(): Settings {
    const o = this.options;
    const activation = o.activation ?? DEFAULT_ACTIVATION;
    return {
      ...o,
      hidden: o.hidden ?? DEFAULT_HIDDEN,
      activation,
      init: o.init ?? defaultInitFor(activation),
      biasInit: o.biasInit ?? 0,
      learningRate: o.learningRate ?? DEFAULT_LEARNING_RATE,
      epochs: o.epochs ?? DEFAULT_EPOCHS,
      batchSize: o.batchSize ?? DEFAULT_BATCH_SIZE,
      shuffle: o.shuffle ?? true,
      standardize: o.standardize ?? true,
      seed: o.seed ?? DEFAULT_SEED,
    };
  }

  /** fit's steps up to the Trainer: the rows, the classes, the names, then prepareRun. */
  private prepareFit(X: Rows, y: ArrayLike<ClassLabel>, options: FitOptions, op: string): Prepared {
    assertOptionsObject(options, op);
    assertKnownKeys(options, FIT_KEYS, op);
    const rows = rowsMatrix(X, op);
    const settings = this.settings();
    const labels = labelsOf(y, rows.rows, op);
    const classes = classesOf(labels, settings.positive, { op, what: "y" });
    assertClassesLearnable(classes, rows.rows, { op, what: "y" });
    const indices = labelIndices(labels, classes, op);
    const { features, label } = options;
    const namesProblem = modelColumnsProblem(features, label, rows.cols, {
      key: (name, j) => (j === undefined ? name : `${name}[${j}]`),
      count: `X has ${rows.cols} columns`,
      describe: describeValue,
    });
    if (namesProblem !== undefined) throw new UsageError(`${op}: ${namesProblem}`);
    const names = features === undefined ? undefined : [...features];
    return this.prepareRun(rows, indices, names, label, classes, settings, undefined);
  }

  /**
   * The run of fit (`from` undefined: split, standardiser and weights fresh from the seed) or
   * of partialFit (`from`: the fitted standardiser and weights, the next shuffling stream).
   */
  private prepareRun(
    X: Matrix,
    labels: Float64Array,
    features: readonly string[] | undefined,
    label: string | undefined,
    classes: readonly ClassLabel[],
    s: Settings,
    from: { standardizer: Standardizer | undefined; params: Params; fits: number } | undefined,
  ): Prepared {
    const N = X.rows;
    const data: Dataset = {
      X,
      y: matrix(N, 1, labels),
      featureNames: [...(features ?? defaultNames(X.cols))],
      labelName: label ?? "label",
    };
    const split: { train: Dataset; validation?: Dataset } =
      s.validation === undefined
        ? { train: data }
        : splitDataset(data, s.validation, streamSeed(s.seed, "split"));
    const standardizer = from
      ? from.standardizer
      : s.standardize
        ? fitStandardizer(split.train.X)
        : undefined;
    const standardized = (d: Dataset): LabelledData => ({
      X: standardizer ? applyStandardizer(d.X, standardizer) : d.X,
      y: d.y,
    });
    const K = classes.length;
    const start =
      from?.params ??
      initParams({
        inputs: X.cols,
        hidden: s.hidden,
        init: s.init,
        biasInit: s.biasInit,
        seed: streamSeed(s.seed, "init"),
        outputs: K === 2 ? 1 : K,
      });
    const shuffleSeed =
      from === undefined
        ? streamSeed(s.seed, "shuffle")
        : streamSeed(s.seed + from.fits, "shuffle");
    const { validation } = s;
    const options: TrainerOptions = {
      ...trainerSettings(s),
      seed: shuffleSeed,
      ...(split.validation ? { validation: standardized(split.validation) } : {}),
    };
    const training = trainingRecord(s, s.learningRate, {
      epochs: s.epochs,
      batchSize: s.batchSize,
      shuffle: s.shuffle,
      ...(validation === undefined ? {} : { validationFraction: validation }),
      seed: s.seed,
    });
    const fits = (from?.fits ?? 0) + 1;
    return {
      start,
      data: standardized(split.train),
      options,
      finish: (result) => ({
        model: {
          activation: s.activation,
          params: result.params,
          ...(features === undefined ? {} : { features }),
          ...(label === undefined ? {} : { label }),
          classes,
          ...(standardizer ? { standardizer } : {}),
          training,
        },
        history: result.history,
        ...(result.earlyStop ? { earlyStop: result.earlyStop } : {}),
        fits,
      }),
    };
  }

  /** The network's probabilities for rows X (N×1 sigmoid, N×K softmax), standardised as fitted. */
  private probabilities(X: Rows, op: string): Matrix {
    const { model } = this.require(op);
    const rows = rowsMatrix(X, op);
    assertFeatureCount(rows, model.params.W1.rows, op);
    const input = model.standardizer ? applyStandardizer(rows, model.standardizer) : rows;
    return forward(model.params, input, model.activation).p;
  }

  private require(op: string): Fitted {
    if (this.fitted === undefined)
      throw new UsageError(`${op}: this Classifier is not fitted yet; call fit(X, y) first`);
    return this.fitted;
  }
}

/** The keys of fit's options, and of fitAsync's. */
const FIT_KEYS: readonly (keyof FitOptions)[] = ["features", "label"];
const FIT_ASYNC_KEYS: readonly (keyof FitAsyncOptions)[] = [
  ...FIT_KEYS,
  "onEpoch",
  "signal",
  "sliceMs",
];

/** Names a user may type for an option (the CLI's flags), and the option they mean. */
const OPTION_ALIASES: Readonly<Record<string, string>> = {
  lr: "learningRate",
  "learning-rate": "learningRate",
  "batch-size": "batchSize",
  "bias-init": "biasInit",
  "adam-eps": "adamEps",
  "clip-norm": "clipNorm",
  "lr-min": "lrMin",
  validationFraction: "validation",
};

/** The Trainer's options among the settings: all but the network's, the data's and the labels' own. */
function trainerSettings(s: Settings): Omit<TrainerOptions, "seed"> & { seed: number } {
  const { hidden, init, biasInit, standardize, positive, validation, ...rest } = s;
  void [hidden, init, biasInit, standardize, positive, validation];
  return rest;
}

/** The options with their defaults. */
type Settings = ClassifierOptions & {
  readonly hidden: number;
  readonly activation: ActivationName;
  readonly init: InitName;
  readonly biasInit: number;
  readonly learningRate: number;
  readonly epochs: number;
  readonly batchSize: number | "full";
  readonly shuffle: boolean;
  readonly standardize: boolean;
  readonly seed: number;
};

/** The Classifier options a model file's "training" record gives back. */
function settingsOfRecord(t: NonNullable<Model["training"]>): ClassifierOptions {
  const { handgrad, validationFraction, ...rest } = t;
  void handgrad; // the version that trained it: not a setting
  return {
    ...rest,
    ...(validationFraction === undefined ? {} : { validation: validationFraction }),
  };
}

/**
 * Yields to the event loop for one task (a MessageChannel message: no timer clamping, and
 * available in Node and browsers alike), so that input, rendering and timers run.
 */
function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    // Node's MessagePort and the browser's both take onmessage (Node's types omit it).
    (port1 as unknown as { onmessage: (() => void) | null }).onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(null);
  });
}

/** X as a Matrix, checked: N ≥ 1 rows of D ≥ 1 finite numbers each (named errors). */
function rowsMatrix(X: Rows, op: string): Matrix {
  if (!Array.isArray(X)) {
    if (typeof X !== "object" || X === null || ArrayBuffer.isView(X))
      throw new UsageError(
        `${op}: X must be an array of rows (arrays of numbers) or a Matrix, got ${describeValue(X)}`,
      );
    assertMatrix(X, "X", op);
    if (X.rows === 0 || X.cols === 0)
      throw new DataError(`${op}: X has no ${X.rows === 0 ? "rows" : "columns"}`);
    const k = X.data.findIndex((v) => !Number.isFinite(v));
    if (k >= 0)
      throw new DataError(
        `${op}: X row ${Math.floor(k / X.cols)}, column ${k % X.cols} is ${X.data[k]}`,
      );
    return X;
  }
  const N = X.length;
  if (N === 0) throw new DataError(`${op}: X has no rows`);
  const width = (row: unknown): number =>
    Array.isArray(row) || (ArrayBuffer.isView(row) && !(row instanceof DataView))
      ? (row as ArrayLike<number>).length
      : -1;
  const D = width(X[0]);
  if (D < 1)
    throw new DataError(
      D === 0
        ? `${op}: X row 0 is empty`
        : `${op}: X row 0 must be an array of numbers, got ${describeValue(X[0])}`,
    );
  const data = new Float64Array(N * D);
  for (let i = 0; i < N; i++) {
    const row = X[i] as ArrayLike<number>;
    const w = width(row);
    if (w < 0)
      throw new DataError(
        `${op}: X row ${i} must be an array of numbers, got ${describeValue(row)}`,
      );
    if (w !== D)
      throw new DataError(
        `${op}: X row ${i} has ${w} values, but row 0 has ${D} (rows must be equally long)`,
      );
    for (let j = 0; j < D; j++) {
      const v = row[j];
      if (typeof v !== "number" || !Number.isFinite(v))
        throw new DataError(
          `${op}: X row ${i}, column ${j} is ${typeof v === "number" ? v : describeValue(v)}`,
        );
      data[i * D + j] = v;
    }
  }
  return matrix(N, D, data);
}

function assertFeatureCount(X: Matrix, D: number, op: string): void {
  if (X.cols !== D)
    throw new DataError(
      `${op}: X has ${X.cols} columns, but the model was fitted on ${D} features`,
    );
}

/** Refuses an options argument that is not an object (a UsageError, not a TypeError later). */
function assertOptionsObject(options: unknown, op: string): void {
  if (typeof options !== "object" || options === null || Array.isArray(options))
    throw new UsageError(`${op}: options must be an object, got ${describeValue(options)}`);
}

/** Refuses what is no class label, with a DataError (labels in y) or `type` (an option). */
function assertLabel(
  label: unknown,
  what: string,
  type: typeof DataError | typeof UsageError = DataError,
): asserts label is ClassLabel {
  if (!(typeof label === "string" || (typeof label === "number" && Number.isFinite(label))))
    throw new type(`${what} must be a string or a finite number, got ${describeValue(label)}`);
  if (typeof label === "string" && label.trim() === "")
    throw new type(
      `${what} is ${JSON.stringify(label)}, an empty label (a CSV cell could not hold it)`,
    );
}

/** The labels y (N of them), checked. */
function labelsOf(y: ArrayLike<ClassLabel>, N: number, op: string): ArrayLike<ClassLabel> {
  if (!(Array.isArray(y) || (ArrayBuffer.isView(y) && !(y instanceof DataView))))
    throw new UsageError(
      `${op}: y must be an array of labels (strings or numbers), got ${describeValue(y)}`,
    );
  if (y.length !== N) throw new DataError(`${op}: y has ${y.length} labels, but X has ${N} rows`);
  for (let i = 0; i < N; i++) assertLabel(y[i], `${op}: y[${i}]`);
  return y;
}

/** x1…xD: the names of D features never named. */
function defaultNames(D: number): string[] {
  return Array.from({ length: D }, (_, j) => `x${j + 1}`);
}
