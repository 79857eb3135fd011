/** The messages between the page and the training worker (structured-clone data only). */
import type { ParamName } from "../../../src/nn/index.js";
import type { Settings } from "./settings.js";
import type { WalkMatrix, WalkNumbers } from "./walk.js";

/** The four parameters as the step-through shows them (and sends them back to be exported). */
export type WalkParams = Readonly<Record<ParamName, WalkMatrix>>;

/**
 * A command and its sequence number (1, 2, …, in the order the page sends them): a snapshot
 * names the last command handled before it, so the page can tell a snapshot made before its
 * Play from one made after.
 */
export type Numbered<C extends Command = Command> = C & { readonly seq: number };

export type Command =
  | {
      readonly type: "configure";
      readonly settings: Settings;
      /** The user's CSV, kept across settings changes (else the toy data set of the settings). */
      readonly csv?: { readonly name: string; readonly text: string; readonly classes: number };
    }
  | { readonly type: "play" }
  | { readonly type: "pause" }
  | { readonly type: "step" }
  | { readonly type: "reset" }
  | {
      readonly type: "load-csv";
      readonly name: string;
      readonly text: string;
      readonly classes: number;
    }
  | { readonly type: "load-model"; readonly name: string; readonly text: string }
  /**
   * The model file of the run's parameters now, or of `params` (the step-through's: its export
   * is of the model it shows, whatever the run did since).
   */
  | { readonly type: "export-model"; readonly params?: WalkParams }
  /** All rows as CSV, or only the data rows `rows` (the step-through's). */
  | { readonly type: "export-data"; readonly rows?: readonly number[] }
  /** Backprop step by step on these data rows (≤ 8), the last or next batch, or rows drawn (draw n). */
  | {
      readonly type: "walk";
      readonly rows: readonly number[] | "last" | "next" | { readonly draw: number };
    }
  /** The central difference of one gradient entry on the step-through's rows, at its parameters. */
  | {
      readonly type: "walk-check";
      readonly rows: readonly number[];
      readonly param: ParamName;
      readonly index: number;
      readonly params: WalkParams;
    }
  | { readonly type: "gradcheck" }
  /** Steps per second while playing (Infinity: as fast as it goes); the run goes on as it was. */
  | { readonly type: "speed"; readonly stepsPerSecond: number }
  /** One entry's value, ∂L/∂θ and central difference (the network diagram's edge). */
  | { readonly type: "inspect"; readonly param: ParamName; readonly index: number }
  /** Sets one entry; training goes on from it. */
  | {
      readonly type: "set-weight";
      readonly param: ParamName;
      readonly index: number;
      readonly value: number;
    };

/** A parameter entry set by hand (the diagram's "Set w"), at the run's step `steps`. */
export interface WeightEdit {
  readonly param: ParamName;
  readonly index: number;
  readonly value: number;
  readonly steps: number;
  /** Made before the first step: it is the start's (a reset keeps it). */
  readonly initial: boolean;
}

/** An entry of W1, b1, W2 or b2 as the network diagram shows it. */
export interface InspectReply {
  readonly type: "inspect";
  readonly param: ParamName;
  readonly index: number;
  readonly value: number;
  /**
   * Backprop's ∂L/∂θ and the central difference with step `eps`, on `rows` training rows: the
   * last batch. The difference is NaN where θ ± ε crosses a kink of the activation (kink) or ε
   * is below the spacing of float64 numbers at θ (unresolved: θ ± ε rounds to θ).
   */
  readonly gradient: number;
  readonly estimate: number;
  readonly kink: boolean;
  readonly unresolved: boolean;
  readonly eps: number;
  readonly rows: number;
  /** "last": the last step's batch; "first": the first training rows (before any step). */
  readonly batch: "last" | "first";
  /** The data rows (from 0) of those rows, when there are at most 16. */
  readonly dataRows?: readonly number[];
  /** The training loss (with the L2 penalty) on every training row, at these parameters. */
  readonly trainLoss: number;
  /** The run's step when it was computed. */
  readonly steps: number;
}

/** The points to plot: the raw features (N×D, D = 2 to be drawn), labels and the test mark. */
export interface PointsMessage {
  readonly type: "points";
  /** The backend training runs on: WebAssembly SIMD, or JavaScript where that cannot compile. */
  readonly backend: "webassembly" | "javascript";
  readonly source: string;
  readonly D: number;
  readonly classes: number;
  readonly X: Float64Array;
  readonly y: Float64Array;
  /** 1 for a test row, 0 for a training row. */
  readonly isTest: Uint8Array;
  /**
   * The rows the boundary plot draws, in drawing order: all of them, or a seeded sample of
   * POINTS_CAP that keeps each class's share (lib/points.ts).
   */
  readonly drawn: Uint32Array;
  readonly bounds?: { lo1: number; hi1: number; lo2: number; hi2: number };
  readonly featureNames: readonly string[];
  /** The network's shape and activation, for the controls (an imported model sets them). */
  readonly hidden: number;
  readonly activation: string;
  /** The file name of the model these points come with, when a model import sent them. */
  readonly model?: string;
  /** With `model`: whether its file records its training, and where that differs from the page's settings. */
  readonly records?: boolean;
  readonly recorded?: readonly {
    readonly name: string;
    readonly file: string;
    readonly page: string;
  }[];
}

export interface HistoryPoint {
  readonly epoch: number;
  readonly loss: number;
  readonly accuracy: number;
  readonly testLoss: number;
  readonly testAccuracy: number;
  /** The L2 penalty (λ/2)(‖W1‖² + ‖W2‖²) included in `loss` (0 without one). */
  readonly penalty: number;
}

export interface ParamsView {
  /** W1 D×H, b1 H, W2 H×K, b2 K (row-major). */
  readonly W1: Float64Array;
  readonly W2: Float64Array;
  readonly b1: Float64Array;
  readonly b2: Float64Array;
  readonly D: number;
  readonly H: number;
  readonly K: number;
}

export interface HistogramView {
  readonly lo: number;
  readonly hi: number;
  readonly bins: number;
  /** H×bins counts, row-major. */
  readonly counts: Uint32Array;
  readonly dead: Uint8Array;
  readonly saturated: Uint8Array;
  /** The training rows the histograms count (at most HISTOGRAM_ROWS), of `trainRows`. */
  readonly rows: number;
  readonly trainRows: number;
  /** Each unit's histogram of its pre-activation z1, over its own range [lo_j, hi_j]. */
  readonly z1: {
    readonly lo: Float64Array;
    readonly hi: Float64Array;
    /** H×bins counts, row-major. */
    readonly counts: Uint32Array;
  };
}

/** The last gradient step: what moves on every Step. */
export interface StepView {
  /** The epoch it belongs to (1 for the first). */
  readonly epoch: number;
  /** Its place in the epoch: 1..stepsPerEpoch. */
  readonly stepInEpoch: number;
  readonly stepsPerEpoch: number;
  /** The batch's mean loss (with the L2 penalty, if any) at the parameters before the step. */
  readonly batchLoss: number;
  /** Rows in the batch. */
  readonly batchRows: number;
}

export interface SnapshotMessage {
  readonly type: "snapshot";
  /** The last command the worker handled before this snapshot (see Numbered). */
  readonly seq: number;
  readonly running: boolean;
  /** The index of history[0] in the run's records (the page keeps those before it). */
  readonly historyFrom: number;
  /** Epochs completed. */
  readonly epoch: number;
  readonly steps: number;
  /** True when the run has taken all its epochs (a run with a length). */
  readonly complete: boolean;
  /** λ of the L2 penalty in the training loss (0: none). */
  readonly l2: number;
  /** The weights set by hand that are in the run (a link cannot carry them), in order. */
  readonly edits?: readonly WeightEdit[];
  /** η of the last step (schedule and warm-up included); absent before the first step. */
  readonly learningRate?: number;
  readonly history: readonly HistoryPoint[];
  /** The last step, absent before the first (and after a reset). */
  readonly lastStep?: StepView;
  readonly params: ParamsView;
  readonly histograms: HistogramView;
  /** Each hidden unit's a = f(z1) on an R×R grid over the plot (2-D data, H ≤ 64): H×R² values. */
  readonly units?: {
    readonly R: number;
    readonly values: Float32Array;
    /** f, whose range the maps' colour scale fits. */
    readonly activation: string;
  };
  /** R×R RGBA heat map and R²×C probabilities, when the data are 2-D. */
  readonly grid?: {
    readonly R: number;
    readonly rgba: Uint8ClampedArray;
    readonly probabilities: Float32Array;
  };
}

/** Backprop step by step: every number (lib/walk.ts) on the data rows `rows`. */
export interface WalkReply extends WalkNumbers {
  readonly type: "walk";
  /** The data rows (from 0), in the batch's order; which of them are test rows. */
  readonly rows: readonly number[];
  readonly test: readonly boolean[];
  /**
   * True when these are the last step's batch; the next step's (what Step will train on);
   * when they were drawn at random (seeded).
   */
  readonly lastBatch: boolean;
  readonly nextBatch: boolean;
  readonly drawn: boolean;
  /** The run's step at which it was computed, and whether the run is complete. */
  readonly steps: number;
  readonly complete: boolean;
  /** True when X is standardised, (x − mean)/std (the rows of a CSV, or of a model that stores them). */
  readonly standardized: boolean;
}

/** One gradient entry's central difference on the step-through's rows. */
export interface WalkCheckReply {
  readonly type: "walk-check";
  readonly rows: readonly number[];
  readonly param: ParamName;
  readonly index: number;
  /** NaN when θ ± ε crosses a kink (kink), or rounds to θ (unresolved; see InspectReply). */
  readonly estimate: number;
  readonly kink: boolean;
  readonly unresolved: boolean;
  readonly eps: number;
  readonly steps: number;
}

export interface GradcheckRow {
  readonly name: string;
  readonly relError: number;
  readonly maxEntryRelError: number;
  readonly kinks: number;
  readonly checked: number;
  readonly total: number;
}

export type Reply =
  | PointsMessage
  | SnapshotMessage
  | {
      readonly type: "error";
      readonly where: "csv" | "model" | "train" | "gradcheck" | "settings" | "diagram" | "walk";
      readonly message: string;
      /** The classes K with which a refused CSV's labels would be read (a label ≥ K). */
      readonly suggestedClasses?: number;
      /** True when training diverged (the library's DivergenceError). */
      readonly divergence?: boolean;
    }
  | InspectReply
  | WalkReply
  | WalkCheckReply
  | { readonly type: "model-text"; readonly text: string }
  /** The data as CSV; `rows` when only those were asked for. */
  | { readonly type: "data-csv"; readonly text: string; readonly rows?: readonly number[] }
  | {
      readonly type: "gradcheck";
      readonly passed: boolean;
      readonly threshold: number;
      readonly rows: readonly GradcheckRow[];
      readonly examples: number;
    };
