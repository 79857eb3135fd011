/**
 * One playground run, independent of the DOM (the worker drives it; tests run it in Node):
 * the data and its train/test split, the model, the training state, and what the page shows.
 * Training is one library Trainer, stepped or run in slices, which is bit-identical to one
 * uninterrupted run.
 */
import {
  applyStandardizer,
  fitStandardizer,
  makeDataset,
  parseLabelledCsv,
  splitDataset,
  splitIndices,
  type Dataset,
  type Standardizer,
} from "../../../src/data/index.js";
import { centralDifferenceGradients, gradientCheck } from "../../../src/check/gradcheck.js";
import { DataError, ModelFileError } from "../../../src/errors.js";
import { parseModel, serializeModel, type Model } from "../../../src/formats/index.js";
import {
  fastestBackend,
  gatherRows,
  jsBackend,
  matrix,
  type Backend,
} from "../../../src/linalg/index.js";
import {
  accuracy,
  activationByName,
  classCount,
  forward,
  initParams,
  l2Penalty,
  lossAt,
  PARAM_NAMES,
  backward,
  cloneParams,
  type ActivationName,
  type ParamName,
  type Params,
} from "../../../src/nn/index.js";
import { Rng, streamSeed, type RngState } from "../../../src/rng.js";
import {
  DivergenceError,
  Trainer,
  trainingRecord,
  type TrainerOptions,
} from "../../../src/train/index.js";
import { boundsOf, GridEvaluator, gridPoints, GRID, type Bounds } from "./boundary.js";
import { binCounts, hiddenHistograms } from "./histogram.js";
import { pointSample } from "./points.js";
import { MAX_WALK_ROWS } from "./walk.js";
import { walkNumbers } from "./walk-numbers.js";
import { entryName, plural } from "./words.js";
import type {
  GradcheckRow,
  InspectReply,
  HistoryPoint,
  PointsMessage,
  Reply,
  SnapshotMessage,
  StepView,
  WalkCheckReply,
  WalkParams,
  WalkReply,
  WeightEdit,
} from "./protocol.js";
import { LIMITS, MAX_EPOCHS, optimizerOptions, type Settings } from "./settings.js";
// (apart from the errors above, so that this change stays off the lines beside the formats import)
import { UsageError } from "../../../src/errors.js";

/** A run without a length (Epochs blank) never ends on its own: this many epochs is the limit. */
export { MAX_EPOCHS };
/** Histogram bins per hidden unit. */
export const HISTOGRAM_BINS = 20;
/** The gradient check uses at most this many training rows and entries per parameter. */
export const GRADCHECK_ROWS = 64;
export const GRADCHECK_ENTRIES = 40;
/**
 * The histograms count the hidden units' values on at most this many training rows (the first
 * of the seeded split, a random sample): a snapshot's cost stays bounded with 50 000 rows.
 */
export const HISTOGRAM_ROWS = 2000;
/** The network diagram draws each hidden unit's map (a R×R grid over the inputs) up to this H. */
export const DIAGRAM_UNITS = 64;
export const UNIT_GRID = 16;
/** The step of the diagram's central differences (gradcheck's ε, derived there). */
export const INSPECT_EPS = 1e-5;
/** The step-through draws this many training rows. */
export const DRAWN_ROWS = 4;
/**
 * The settings of a model file's "training" that the page also has, in the page's words (the
 * import says which differ from the page's).
 */
const RECORDED_NAMES: Readonly<Record<string, string>> = {
  optimizer: "optimizer",
  learningRate: "η",
  momentum: "μ",
  beta1: "β1",
  beta2: "β2",
  adamEps: "Adam ε",
  l2: "λ",
  schedule: "schedule",
  decayRate: "γ",
  decayEvery: "decay every E epochs",
  lrMin: "η_min",
  warmup: "warm-up steps",
  clipNorm: "gradient clip",
  batchSize: "batch size",
};
/** Stop when the loss exceeds this many times its best (as the CLI's default). */
const DIVERGENCE_FACTOR = 1000;

/** The test fraction of a run, given the rows (both parts keep at least one row). */
function testRows(N: number, fraction: number): number {
  return Math.min(N - 1, Math.max(1, Math.round(N * fraction)));
}

export class Session {
  private settings: Settings;
  private data!: Dataset; // all rows, raw features
  private source = "";
  private train!: Dataset; // standardised when `standardizer` is set
  private test!: Dataset;
  private isTest!: Uint8Array;
  /** The data row of each training row (the split's order, the trainer's row numbers). */
  private trainRows!: Uint32Array;
  /**
   * The generator state an epoch's shuffle was drawn from (captured at the epoch's first step),
   * and that epoch's order once redrawn: what the last batch was.
   */
  private shuffleOf: { epoch: number; rng: RngState; order?: Uint32Array } | undefined;
  private standardizer: Standardizer | undefined;
  private activation: ActivationName = "tanh";
  private initial!: Params;
  /** The run's training loop, made at its first step (or by check()). */
  private trainer: Trainer | undefined;
  /** η of the run's last step (the schedule's), undefined before the first. */
  private lastLearningRate: number | undefined;
  /** The run's last step (undefined before the first). */
  private lastStep: StepView | undefined;
  /** The training rows the histograms count (see HISTOGRAM_ROWS). */
  private histogramX!: Dataset["X"];
  /** The model file the current starting point came from (undefined: the seed's weights). */
  private modelName: string | undefined;
  /** The weights set by hand that are in the run (see WeightEdit), in order. */
  private edits: WeightEdit[] = [];
  /** What that file records of its training (its "training"), if anything. */
  private recorded: Model["training"];
  private bounds: Bounds | undefined;
  private grid: ReturnType<typeof gridPoints> | undefined;
  private classes = 2;
  private evaluator: GridEvaluator | undefined;
  /** jsBackend where WebAssembly cannot compile (train() then must not try); else undefined. */
  private readonly trainBackend: Backend | undefined;
  /** Makes the backend of the grid's forward passes (WebAssembly where SIMD128 validates). */
  private readonly makeBackend: (values: number) => Backend;

  /**
   * `makeBackend(values)` makes the backends of the grid's forward passes (and, when given, of
   * training too); by default the fastest one that works here (see usableBackend).
   */
  constructor(settings: Settings, makeBackend?: (values: number) => Backend) {
    this.settings = settings;
    this.trainBackend = makeBackend ? undefined : usableBackend();
    this.makeBackend =
      makeBackend ??
      (this.trainBackend === jsBackend ? () => jsBackend : (values) => fastestBackend(values));
    this.configure(settings);
  }

  /** New settings: the toy data set they name, a fresh model, training from step 0. */
  configure(settings: Settings): void {
    this.settings = settings;
    const data = makeDataset(settings.dataset, {
      seed: streamSeed(settings.seed, "data"),
      samples: settings.samples,
      noise: settings.noise,
      ...(settings.classes === 2 ? {} : { classes: settings.classes }),
    });
    this.useData(data, settings.dataset, settings.classes, false);
  }

  /**
   * The user's CSV (labels 0..classes−1; the same parser and messages as the CLI): standardised
   * with the training rows' mean and std (stored in the exported model). Throws a DataError.
   */
  loadCsv(name: string, text: string, classes: number): void {
    const data = parseLabelledCsv(text, { source: name, maxClasses: classes });
    this.useData(data, name, classes, true);
  }

  /**
   * A model file to continue training from (the same parser as the CLI); it must take the
   * data's features and have its classes. Throws a ModelFileError.
   */
  loadModel(name: string, text: string): void {
    const model = parseModel(text, name);
    const D = this.data.X.cols;
    if (model.params.W1.rows !== D)
      throw new ModelFileError(
        `${name} takes ${plural(model.params.W1.rows, "feature")}, but the data has ${D}`,
      );
    const K = classCount(model.params.W2.cols);
    if (K !== this.classes)
      throw new ModelFileError(`${name} has ${K} classes, but the data has ${this.classes}`);
    this.activation = model.activation;
    this.standardizer = model.standardizer;
    this.evaluator = undefined;
    this.splitAndScale();
    this.initial = model.params;
    this.edits = [];
    this.modelName = name;
    this.recorded = model.training;
    this.reset();
  }

  /**
   * The settings the imported model's file records (`training`) that differ from those the page
   * trains it with (the page's own: a file is a starting point, and a run's settings are the
   * page's and its link's); undefined when the file records none.
   */
  private recordedDifferences(): PointsMessage["recorded"] {
    const file = this.recorded;
    if (!file) return undefined;
    const page: Record<string, unknown> = {
      ...trainingRecord(optimizerOptions(this.settings), this.settings.learningRate),
      batchSize: this.settings.batchSize,
    };
    const recorded = file as Record<string, unknown>;
    const shown = (value: unknown): string => (value === undefined ? "none" : String(value));
    return Object.entries(RECORDED_NAMES).flatMap(([key, name]) =>
      key in recorded && shown(recorded[key]) !== shown(page[key])
        ? [{ name, file: shown(recorded[key]), page: shown(page[key]) }]
        : [],
    );
  }

  private useData(data: Dataset, source: string, classes: number, standardize: boolean): void {
    this.data = data;
    this.source = source;
    this.classes = classes;
    this.activation = this.settings.activation;
    const N = data.X.rows;
    if (N < 2) throw new DataError(`${source} needs at least 2 rows (one to train, one to test)`);
    this.standardizer = undefined;
    this.splitAndScale();
    if (standardize) {
      this.standardizer = fitStandardizer(this.train.X);
      this.splitAndScale();
    }
    this.bounds = data.X.cols === 2 ? boundsOf(data.X) : undefined;
    this.grid = this.bounds && gridPoints(this.bounds, GRID);
    this.evaluator = undefined;
    this.modelName = undefined;
    this.recorded = undefined;
    this.edits = [];
    this.lastStep = undefined;
    this.initial = initParams({
      inputs: data.X.cols,
      hidden: this.settings.hidden,
      outputs: classes === 2 ? 1 : classes,
      init: this.settings.init,
      seed: streamSeed(this.settings.seed, "init"),
    });
    this.trainer = undefined;
  }

  /** The train/test split (seeded), with the features standardised when a standardizer is set. */
  private splitAndScale(): void {
    const N = this.data.X.rows;
    const fraction = testRows(N, this.settings.testFraction) / N;
    const { train, validation } = splitDataset(
      this.data,
      fraction,
      streamSeed(this.settings.seed, "split"),
    );
    const scale = (d: Dataset): Dataset =>
      this.standardizer ? { ...d, X: applyStandardizer(d.X, this.standardizer) } : d;
    this.train = scale(train);
    this.test = scale(validation);
    this.trainRows = splitIndices(N, fraction, streamSeed(this.settings.seed, "split")).train;
    const sampled = Math.min(HISTOGRAM_ROWS, this.train.X.rows);
    this.histogramX = gatherRows(
      this.train.X,
      Uint32Array.from({ length: sampled }, (_, i) => i),
    );
    // Mark the test rows in the data's own order: the split draws the same permutation.
    this.isTest = testMask(N, validation.X.rows, streamSeed(this.settings.seed, "split"));
  }

  /**
   * The rows the diagram's gradients are computed on: the trainer's last batch (the rows of
   * the last step, in its order), or before the first step the first GRADCHECK_ROWS training
   * rows (the gradient check's).
   */
  private inspectRows(): {
    X: Dataset["X"];
    y: Dataset["y"];
    batch: "last" | "first";
    dataRows: number[];
  } {
    const last = this.lastBatch();
    const n = Math.min(GRADCHECK_ROWS, this.train.X.rows);
    const rows = last ?? Uint32Array.from({ length: n }, (_, i) => i);
    return {
      X: gatherRows(this.train.X, rows),
      y: gatherRows(this.train.y, rows),
      batch: last ? "last" : "first",
      dataRows: Array.from(rows, (i) => this.trainRows[i]!),
    };
  }

  /**
   * The training rows of the last step's batch, in the order the trainer took them; undefined
   * before the first step (and after a reset or a divergence).
   */
  lastBatch(): Uint32Array | undefined {
    const step = this.lastStep;
    if (!step) return undefined;
    const N = this.train.X.rows;
    const batchSize = Math.min(this.settings.batchSize, N);
    const start = (step.stepInEpoch - 1) * batchSize;
    const end = start + step.batchRows;
    if (batchSize === N) return Uint32Array.from({ length: N }, (_, i) => i); // a full batch is never shuffled
    const shuffle = this.shuffleOf;
    if (!shuffle || shuffle.epoch !== step.epoch) return undefined;
    shuffle.order ??= Rng.fromState(shuffle.rng).permutation(N);
    return shuffle.order.slice(start, end);
  }

  /**
   * The training rows of the next step's batch, in the order the trainer will take them (its
   * epoch's order, redrawn from the generator state it is drawn from, as lastBatch does);
   * undefined when the run is complete.
   */
  nextBatch(): Uint32Array | undefined {
    const trainer = this.currentTrainer();
    if (trainer.done) return undefined;
    const { row, rng } = trainer.state(); // the epoch's row, and the state its order is drawn from
    const N = this.train.X.rows;
    const batchSize = Math.min(this.settings.batchSize, N);
    const end = Math.min(row + batchSize, N);
    if (batchSize === N) return Uint32Array.from({ length: N }, (_, i) => i); // a full batch is never shuffled
    return Rng.fromState(rng).permutation(N).slice(row, end);
  }

  /** The data rows (numbered as in the data set, from 0) of the next batch, if any. */
  nextBatchDataRows(): number[] | undefined {
    const rows = this.nextBatch();
    return rows && Array.from(rows, (i) => this.trainRows[i]!);
  }

  /** The data rows (numbered as in the data set, from 0) of the last batch, if any. */
  lastBatchDataRows(): number[] | undefined {
    const rows = this.lastBatch();
    return rows && Array.from(rows, (i) => this.trainRows[i]!);
  }

  /**
   * One parameter entry as the diagram shows it: its value, backprop's ∂L/∂θ and the central
   * difference (L(θ + ε) − L(θ − ε)) / 2ε (the walk's check: gradcheck's ε and kink rule), both
   * of the training loss (with the L2 penalty) on the inspected rows.
   */
  inspect(param: ParamName, index: number): InspectReply {
    const params = this.params;
    const entries = params[param].data;
    if (!(Number.isInteger(index) && index >= 0 && index < entries.length))
      throw new UsageError(`${param} has no entry ${index}`);
    const { X, y, batch, dataRows } = this.inspectRows();
    const activation = activationByName(this.activation);
    const { l2 } = this.settings;
    const grads = backward(params, forward(params, X, activation), X, y, activation, l2);
    return {
      type: "inspect",
      param,
      index,
      value: entries[index]!,
      gradient: grads[`d${param}`].data[index]!,
      ...this.difference(params, X, y, param, index),
      rows: X.rows,
      batch,
      ...(dataRows.length <= 16 ? { dataRows } : {}),
      steps: this.steps,
      trainLoss: lossAt(params, this.train.X, this.train.y, activation, l2),
    };
  }

  /**
   * The central difference of one entry on the rows (X, y), by the library's
   * centralDifferenceGradients (gradcheck's ε and kink rule): NaN, and why, where θ ± ε
   * crosses a kink of the activation, or where ε is below the spacing of float64 numbers at θ
   * (θ ± ε rounds to θ: the library refuses to divide by that step).
   */
  private difference(
    params: Params,
    X: Dataset["X"],
    y: Dataset["y"],
    param: ParamName,
    index: number,
  ): Pick<InspectReply, "estimate" | "kink" | "unresolved" | "eps"> {
    const theta = params[param].data[index]!;
    if (theta + INSPECT_EPS === theta - INSPECT_EPS)
      return { estimate: NaN, kink: false, unresolved: true, eps: INSPECT_EPS };
    const differences = centralDifferenceGradients(params, X, y, this.activation, {
      eps: INSPECT_EPS,
      l2: this.settings.l2,
      entries: { [param]: [index] },
    });
    return {
      estimate: differences.grads[`d${param}`].data[index]!,
      kink: differences.kinks[param].includes(index),
      unresolved: false,
      eps: differences.eps,
    };
  }

  /**
   * Sets one parameter entry; training goes on from there (the same run: its step count,
   * history, optimizer state and shuffling continue). Throws a UsageError for a value that is
   * not a finite number.
   */
  setWeight(param: ParamName, index: number, value: number): void {
    if (!Number.isFinite(value))
      throw new UsageError(`a weight must be a finite number, got ${value}`);
    if (!(Number.isInteger(index) && index >= 0 && index < this.params[param].data.length))
      throw new UsageError(`${param} has no entry ${index}`);
    this.edits.push({ param, index, value, steps: this.steps, initial: !this.trainer });
    if (!this.trainer) {
      const initial = cloneParams(this.initial);
      initial[param].data[index] = value;
      this.initial = initial;
      return;
    }
    const state = this.trainer.state();
    const params = cloneParams(state.params);
    params[param].data[index] = value;
    this.trainer = new Trainer(params, this.train, this.options(), { ...state, params });
  }

  /**
   * The rows `rows` of the data set (numbered from 0, as "Export data" writes them), as the
   * network sees them (standardised when the model is): X B×D and y B×1. Throws a UsageError
   * for no rows, more than MAX_WALK_ROWS, or a row that is not in the data.
   */
  private walkBatch(rows: readonly number[]): { X: Dataset["X"]; y: Dataset["y"] } {
    const N = this.data.X.rows;
    if (rows.length === 0 || rows.length > MAX_WALK_ROWS)
      throw new UsageError(`the step-through takes 1 to ${MAX_WALK_ROWS} rows, got ${rows.length}`);
    for (const r of rows) {
      if (!(Number.isInteger(r) && r >= 0 && r < N))
        throw new UsageError(`there is no row ${r}: the data has rows 0 to ${N - 1}`);
    }
    const indices = Uint32Array.from(rows);
    const raw = gatherRows(this.data.X, indices);
    const X = this.standardizer ? applyStandardizer(raw, this.standardizer) : raw;
    return { X, y: gatherRows(this.data.y, indices) };
  }

  /**
   * Backprop step by step on the data rows `rows` (at most MAX_WALK_ROWS) at the current
   * parameters: every number of forward, backward and the update (lib/walk.ts) that the run's
   * Trainer would take next on these rows (its step, η_t, optimizer state, λ and clip).
   * Training is not moved. "last" takes the last step's batch and "next" the next step's (when
   * it is that small): walking the next batch, then Step, gives the walk's new parameters.
   */
  walk(rows: readonly number[] | "last" | "next" | { readonly draw: number }): WalkReply {
    const chosen =
      rows === "last"
        ? this.lastBatchDataRows()
        : rows === "next"
          ? this.nextBatchDataRows()
          : "draw" in rows
            ? this.drawRows(rows.draw)
            : rows;
    if (!chosen) {
      throw new UsageError(
        rows === "next"
          ? "the run is complete: there is no next batch"
          : "there is no last batch yet: take a step first",
      );
    }
    if ((rows === "last" || rows === "next") && chosen.length > MAX_WALK_ROWS)
      throw new UsageError(
        `the ${rows} batch has ${chosen.length} rows, more than the ${MAX_WALK_ROWS} the step-through shows: ` +
          `choose rows, draw some, or set Batch size to ${MAX_WALK_ROWS} or less`,
      );
    const { X, y } = this.walkBatch(chosen);
    const next = this.currentTrainer().nextUpdate();
    const numbers = walkNumbers(this.params, X, y, this.activation, next);
    return {
      type: "walk",
      rows: [...chosen],
      test: chosen.map((r) => this.isTest[r] === 1),
      lastBatch: rows === "last",
      nextBatch: rows === "next",
      drawn: typeof rows === "object" && "draw" in rows,
      steps: this.steps,
      complete: this.complete,
      standardized: this.standardizer !== undefined,
      ...numbers,
    };
  }

  /**
   * DRAWN_ROWS training rows (their data rows) for draw number `draw` (0, 1, …): a seeded draw,
   * the same for the same seed and draw.
   */
  drawRows(draw: number): number[] {
    const n = this.trainRows.length;
    const order = new Rng(streamSeed(this.settings.seed, "check") + draw).permutation(n);
    return Array.from(order.subarray(0, Math.min(DRAWN_ROWS, n)), (i) => this.trainRows[i]!);
  }

  /**
   * The central difference (L(θ + ε) − L(θ − ε)) / 2ε of one entry on the walk's rows, by the
   * library's centralDifferenceGradients (gradcheck's ε and kink rule); NaN at a kink. At the
   * walk's parameters `at` when given (the run may have moved since the walk), else the run's.
   */
  walkCheck(
    rows: readonly number[],
    param: ParamName,
    index: number,
    at?: WalkParams,
  ): WalkCheckReply {
    const { X, y } = this.walkBatch(rows);
    return {
      type: "walk-check",
      rows: [...rows],
      param,
      index,
      ...this.difference(this.paramsAt(at), X, y, param, index),
      steps: this.steps,
    };
  }

  /** Each hidden unit's a = f(z1) on a UNIT_GRID² grid over the plotted box (2-D data, H ≤ DIAGRAM_UNITS). */
  private unitMaps(params: Params): SnapshotMessage["units"] {
    const H = params.W1.cols;
    if (!this.bounds || H > DIAGRAM_UNITS) return undefined;
    const points = gridPoints(this.bounds, UNIT_GRID);
    const X = this.standardizer ? applyStandardizer(points, this.standardizer) : points;
    const { a1 } = forward(params, X, activationByName(this.activation));
    const n = UNIT_GRID * UNIT_GRID;
    const values = new Float32Array(H * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < H; j++) values[j * n + i] = a1.data[i * H + j]!;
    }
    return { R: UNIT_GRID, values, activation: this.activation };
  }

  /** Back to the starting model of these settings (step 0). */
  reset(): void {
    this.edits = this.edits.filter((edit) => edit.initial); // those made before the first step are the start's
    this.trainer = undefined;
    this.shuffleOf = undefined;
    this.lastLearningRate = undefined;
    this.lastStep = undefined;
  }

  /**
   * Makes the run's Trainer now, so that an option the library refuses with these data (a
   * warm-up longer than the run) is reported before Play; throws its UsageError.
   */
  check(): void {
    this.currentTrainer();
  }

  /** The run's Trainer, made now if this is step 0 (a new one has nothing to reset yet). */
  private currentTrainer(): Trainer {
    return (this.trainer ??= this.newTrainer());
  }

  private newTrainer(): Trainer {
    this.shuffleOf = undefined;
    this.lastLearningRate = undefined;
    this.lastStep = undefined;
    return new Trainer(this.initial, this.train, this.options());
  }

  private options(): TrainerOptions {
    const N = this.train.X.rows;
    const batchSize = Math.min(this.settings.batchSize, N);
    const stepsPerEpoch = Math.ceil(N / batchSize);
    return {
      activation: this.activation,
      learningRate: this.settings.learningRate,
      epochs: this.settings.epochs ?? MAX_EPOCHS,
      batchSize,
      shuffle: true,
      seed: streamSeed(this.settings.seed, "shuffle"),
      validation: this.test,
      divergenceFactor: DIVERGENCE_FACTOR,
      ...optimizerOptions(this.settings),
      onStep: (step) => {
        this.lastLearningRate = step.learningRate;
        const stepInEpoch = Math.ceil(step.row / batchSize);
        this.lastStep = {
          epoch: step.epoch,
          stepInEpoch,
          stepsPerEpoch,
          batchLoss: step.loss,
          batchRows: step.row - (stepInEpoch - 1) * batchSize,
        };
        // The epoch's first step, the epoch going on: the trainer's state holds the generator
        // state its order was drawn from (see lastBatch).
        if (stepInEpoch === 1 && step.row < N && this.trainer)
          this.shuffleOf = { epoch: step.epoch, rng: this.trainer.state().rng };
      },
      ...(this.trainBackend === jsBackend ? { backend: jsBackend } : {}),
    };
  }

  /**
   * Trains until `until()` says so at a step boundary (see Trainer.run); returns false when
   * the run is complete. Throws the library's DivergenceError, after going back to its last
   * good state.
   */
  run(until: () => boolean): boolean {
    return this.training((trainer) => trainer.run(until).stopped);
  }

  /** Exactly one gradient step. */
  step(): void {
    this.training((trainer) => trainer.step());
  }

  /** `train` on this run's Trainer (made at the first call after a reset). */
  private training<T>(train: (trainer: Trainer) => T): T {
    this.trainer ??= this.newTrainer();
    try {
      return train(this.trainer);
    } catch (error) {
      // Keep the last good model (the end of the last epoch with finite losses) to look at.
      if (error instanceof DivergenceError) {
        const { lastGood } = error;
        this.trainer = new Trainer(lastGood.params, this.train, this.options(), lastGood);
        this.lastLearningRate = undefined;
        this.lastStep = undefined;
        const edited = this.editsSince(lastGood.steps);
        // An edit after the last good state is undone by going back to it (and one made at the
        // start stays): either way, a weight set by hand is the likely cause, and the message
        // says which, and what became of it.
        this.edits = this.edits.filter((edit) => !edited.undone.includes(edit));
        if (edited.cause) throw new DivergenceError(this.editedDivergence(error, edited), error);
      }
      throw error;
    }
  }

  get params(): Params {
    return this.trainer?.params() ?? this.initial;
  }

  /**
   * The weights set by hand that a return to the state at step `steps` undoes (set at or after
   * it, once training had begun), and the latest edit the run has gone through since that
   * state (one of those, or one made at the start when the state is the start): the likely
   * cause of a divergence.
   */
  private editsSince(steps: number): { undone: WeightEdit[]; cause: WeightEdit | undefined } {
    const undone = this.edits.filter((edit) => !edit.initial && edit.steps >= steps);
    const cause = undone.at(-1) ?? (steps === 0 ? this.edits.at(-1) : undefined);
    return { undone, cause };
  }

  /** The divergence's message when weights set by hand are the likely cause (see editsSince). */
  private editedDivergence(
    error: DivergenceError,
    edited: { undone: readonly WeightEdit[]; cause: WeightEdit | undefined },
  ): string {
    const shape = { H: this.params.W1.cols, K: this.params.W2.cols };
    const named = (edit: WeightEdit): string => entryName(edit.param, edit.index, shape);
    const cause = edited.cause!;
    const back = error.lastGood.steps;
    const undone =
      edited.undone.length === 0
        ? `It went back to its start, which has the weight you set: set ${named(cause)} to a smaller value before training again.`
        : `It went back to its last good state, step ${back}, from before ${
            edited.undone.length === 1 ? "that edit" : `your ${edited.undone.length} edits`
          }: ${edited.undone.map((edit) => `${named(edit)} is ${this.params[edit.param].data[edit.index]} again`).join(", ")}. ` +
          `Set ${edited.undone.length === 1 ? "it" : "them"} again (to a smaller value) to go on from the network you made.`;
    return (
      `training diverged at epoch ${error.epoch}, step ${error.step}: ${error.what}. ` +
      `You set ${named(cause)} to ${cause.value} at step ${cause.steps}: that is the likely cause, not the learning rate. ${undone}`
    );
  }

  /**
   * `at` as the library's Params (the run's own when undefined); throws a UsageError when its
   * shapes are not this network's (a walk of an earlier network).
   */
  private paramsAt(at: WalkParams | undefined): Params {
    const now = this.params;
    if (!at) return now;
    const made = {} as Record<ParamName, Params[ParamName]>;
    for (const name of PARAM_NAMES) {
      const { rows, cols, data } = at[name];
      if (rows !== now[name].rows || cols !== now[name].cols)
        throw new UsageError(
          `${name} is ${rows}×${cols} here but ${now[name].rows}×${now[name].cols} in the network: walk it again`,
        );
      made[name] = matrix(rows, cols, Float64Array.from(data));
    }
    return made;
  }

  /** The steps taken so far (also while run() is on, from inside `until`). */
  get steps(): number {
    return this.trainer?.steps ?? 0;
  }

  /** η of the last step (the schedule's and warm-up's), undefined before the first step. */
  get learningRate(): number | undefined {
    return this.lastLearningRate;
  }

  /** True when the run has taken all its epochs (Epochs set). */
  get complete(): boolean {
    return this.trainer?.done ?? false;
  }

  /**
   * The model file of the current parameters, or of `at` (the step-through's, which the run
   * may have moved past): the CLI's format, loadable by predict and grad.
   */
  modelText(at?: WalkParams): string {
    const model: Model = {
      activation: this.activation,
      params: this.paramsAt(at),
      // Named as train --save names them: the data's columns, its label column, classes 0..K−1.
      features: [...this.data.featureNames],
      label: this.data.labelName,
      classes: Array.from({ length: Math.max(2, this.classes) }, (_, k) => k),
      ...(this.standardizer ? { standardizer: this.standardizer } : {}),
      // What trained it, as the CLI's train --save records it (the same function).
      training: trainingRecord(optimizerOptions(this.settings), this.settings.learningRate),
    };
    return serializeModel(model);
  }

  /**
   * All rows as CSV (or the data rows `only`, in that order), the features raw and the label
   * last (a file `handgrad train --data` reads).
   */
  dataCsv(only?: readonly number[]): string {
    const { X, y, featureNames, labelName } = this.data;
    const lines = [[...featureNames, labelName].join(",")];
    if (only) this.walkBatch(only); // refuses rows that are not in the data
    for (const i of only ?? Array.from({ length: X.rows }, (_, i) => i)) {
      const row: string[] = [];
      for (let j = 0; j < X.cols; j++) row.push(numberText(X.data[i * X.cols + j]!));
      row.push(String(y.data[i]));
      lines.push(row.join(","));
    }
    return lines.join("\n") + "\n";
  }

  /** "webassembly", or "javascript" where WebAssembly is missing or may not compile. */
  get backendName(): "webassembly" | "javascript" {
    return this.trainBackend === jsBackend ? "javascript" : "webassembly";
  }

  points(): PointsMessage {
    return {
      type: "points",
      backend: this.backendName,
      source: this.source,
      D: this.data.X.cols,
      classes: this.classes,
      X: this.data.X.data.slice(),
      y: this.data.y.data.slice(),
      isTest: this.isTest.slice(),
      drawn: pointSample(this.data.y.data),
      ...(this.bounds ? { bounds: { ...this.bounds } } : {}),
      featureNames: [...this.data.featureNames],
      hidden: this.params.W1.cols,
      activation: this.activation,
      ...(this.modelName === undefined
        ? {}
        : {
            model: this.modelName,
            recorded: this.recordedDifferences() ?? [],
            records: !!this.recorded,
          }),
    };
  }

  /**
   * What the page draws now, with the epoch records from index `historyFrom` on (the page
   * keeps the earlier ones); the arrays are fresh, to be transferred.
   */
  snapshot(running: boolean, historyFrom = 0, seq = 0): SnapshotMessage {
    const params = this.params;
    const activation = activationByName(this.activation);
    const recorded = this.trainer?.history ?? [];
    const history: HistoryPoint[] = recorded.slice(historyFrom).map((r) => ({
      epoch: r.epoch,
      loss: r.loss,
      accuracy: r.accuracy,
      testLoss: r.validationLoss ?? NaN,
      testAccuracy: r.validationAccuracy ?? NaN,
      penalty: r.penalty ?? 0,
    }));
    if (recorded.length === 0 && historyFrom === 0) {
      // Before the first slice: epoch 0's figures, as train() records them (the training loss
      // with the L2 penalty, the test loss without).
      const { l2 } = this.settings;
      const figures = (d: Dataset, penalised: boolean): [number, number] => [
        lossAt(params, d.X, d.y, activation, penalised ? l2 : 0),
        accuracy(forward(params, d.X, activation).p, d.y),
      ];
      const [trainLoss, trainAccuracy] = figures(this.train, true);
      const [testLoss, testAccuracy] = figures(this.test, false);
      history.push({
        epoch: 0,
        loss: trainLoss,
        accuracy: trainAccuracy,
        testLoss,
        testAccuracy,
        penalty: l2Penalty(params, l2),
      });
    }
    const { z1 } = forward(params, this.histogramX, activation);
    const h = hiddenHistograms(z1, activation, HISTOGRAM_BINS);
    const H = params.W1.cols;
    const pre = preActivationHistograms(z1, HISTOGRAM_BINS);
    const counts = new Uint32Array(H * HISTOGRAM_BINS);
    h.units.forEach((u, j) => counts.set(u.counts, j * HISTOGRAM_BINS));
    const snapshot: SnapshotMessage = {
      type: "snapshot",
      seq,
      running,
      historyFrom,
      epoch: Math.max(0, recorded.at(-1)?.epoch ?? 0),
      steps: this.steps,
      complete: this.complete,
      l2: this.settings.l2,
      ...(this.edits.length > 0 ? { edits: this.edits.map((edit) => ({ ...edit })) } : {}),
      ...(this.lastLearningRate === undefined ? {} : { learningRate: this.lastLearningRate }),
      history,
      ...(this.lastStep ? { lastStep: this.lastStep } : {}),
      params: {
        W1: params.W1.data.slice(),
        W2: params.W2.data.slice(),
        b1: params.b1.data.slice(),
        b2: params.b2.data.slice(),
        D: params.W1.rows,
        H,
        K: params.W2.cols,
      },
      histograms: {
        lo: h.lo,
        hi: h.hi,
        bins: HISTOGRAM_BINS,
        counts,
        dead: Uint8Array.from(h.units, (u) => (u.dead ? 1 : 0)),
        saturated: Uint8Array.from(h.units, (u) => (u.saturated ? 1 : 0)),
        rows: this.histogramX.rows,
        trainRows: this.train.X.rows,
        z1: pre,
      },
    };
    const units = this.unitMaps(params);
    if (units) Object.assign(snapshot, { units });
    if (!this.grid) return snapshot;
    if (!this.evaluator?.fits(params)) {
      this.evaluator = new GridEvaluator(
        this.makeBackend,
        this.grid,
        { H, K: params.W2.cols },
        this.standardizer,
      );
    }
    const g = this.evaluator.evaluate(params, activation);
    return { ...snapshot, grid: { R: GRID, rgba: g.rgba, probabilities: g.probabilities } };
  }

  /** The gradient check (src/check) of the current model on the first training rows. */
  gradcheck(): Extract<Reply, { type: "gradcheck" }> {
    const n = Math.min(GRADCHECK_ROWS, this.train.X.rows);
    const rows = Uint32Array.from({ length: n }, (_, i) => i);
    const X = gatherRows(this.train.X, rows);
    const y = gatherRows(this.train.y, rows);
    const report = gradientCheck(this.params, X, y, this.activation, {
      maxEntriesPerParam: GRADCHECK_ENTRIES,
      seed: streamSeed(this.settings.seed, "check"),
    });
    const table: GradcheckRow[] = PARAM_NAMES.map((name) => ({ name, ...report.params[name] }));
    return {
      type: "gradcheck",
      passed: report.passed,
      threshold: report.threshold,
      rows: table,
      examples: n,
    };
  }
}

/**
 * The classes K with which a CSV refused with `classes` would load: its largest label + 1,
 * when the labels are whole numbers up to the page's largest K; else undefined (nothing to
 * suggest). Run only after a refusal, to say which K to choose.
 */
export function suggestClasses(name: string, text: string, classes: number): number | undefined {
  try {
    const { y } = parseLabelledCsv(text, { source: name, maxClasses: LIMITS.classes.max });
    const K = y.data.reduce((m, label) => Math.max(m, label), 0) + 1;
    return K > classes ? K : undefined;
  } catch {
    return undefined;
  }
}

/**
 * jsBackend where fastestBackend falls back to it (no SIMD128, or a Content Security Policy
 * without 'wasm-unsafe-eval' that refuses to compile WebAssembly), else undefined: each run
 * then gets a WebAssembly backend of its own size. Both give the same bits.
 */
function usableBackend(): Backend | undefined {
  return fastestBackend(1024) === jsBackend ? jsBackend : undefined;
}

/**
 * Each hidden unit's histogram of its pre-activation z1 (a column of the N×H z1), over the
 * unit's own range [lo_j, hi_j]: what f is applied to, so where a unit sits on f (relu's flat
 * side, tanh's plateaus) shows.
 */
export function preActivationHistograms(
  z1: Dataset["X"],
  bins: number,
): { lo: Float64Array; hi: Float64Array; counts: Uint32Array } {
  const { rows: N, cols: H } = z1;
  const lo = new Float64Array(H).fill(Infinity);
  const hi = new Float64Array(H).fill(-Infinity);
  const counts = new Uint32Array(H * bins);
  const column = new Float64Array(N);
  for (let j = 0; j < H; j++) {
    for (let n = 0; n < N; n++) {
      const z = z1.data[n * H + j]!;
      column[n] = z;
      lo[j] = Math.min(lo[j]!, z);
      hi[j] = Math.max(hi[j]!, z);
    }
    if (N === 0) [lo[j], hi[j]] = [0, 0];
    counts.set(binCounts(column, lo[j]!, hi[j]!, bins), j * bins);
  }
  return { lo, hi, counts };
}

/** 1 for the rows splitDataset(·, m/N, seed) holds out: the first m of its permutation. */
function testMask(N: number, m: number, seed: number): Uint8Array {
  // splitDataset gathers rows order[0..m) as the validation set; redraw the same order.
  const mask = new Uint8Array(N);
  const order = new Rng(seed).permutation(N);
  for (let i = 0; i < m; i++) mask[order[i]!] = 1;
  return mask;
}

/** The shortest text that reads back to the same float64. */
function numberText(x: number): string {
  return Object.is(x, -0) ? "-0" : String(x);
}
