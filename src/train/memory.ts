/**
 * How much memory a run needs, from its shape alone, before anything large is allocated: the
 * pure formula behind the command line's size check (cli/memory.ts compares it with the
 * machine). Browser-safe: no fs, no os.
 *
 * Every large buffer is a float64 array (8 bytes a value), so the estimate counts values. It
 * is the sum of the run's largest live set, counted from the code:
 *
 *   runtime     Node, the modules and the WebAssembly kernels (RUNTIME_BYTES, measured),
 *               plus ≈ 8 MB per helper thread (measured: 64 threads, 594 MB)
 *   data        the rows as read, X N×D and y N×1, the validation split's copies of both and
 *               the standardised copies of X (all kept: the commands hold on to each)
 *   parameters  W1 D×H, b1, W2 H×K, b2: the starting ones, the trained ones and the copies
 *               a run keeps and hands out (PARAM_COPIES sets; see there)
 *   optimizer   the update rule's moments, one set of parameters each (momentum and nesterov:
 *               v; adam: m and v), held MOMENT_COPIES times (see there: with θ and with the
 *               last good θ, the copies a state() for a checkpoint or the result hands out,
 *               and the plain engine's new ones during a step); plus, with early stopping,
 *               the best epoch's parameters and the copy a state() hands out
 *   pass        the largest phase, one of
 *     whole-set forward    z1 = X W1 + b1 and a1 = f(z1), N×H each (X W1 itself a third N×H
 *                          until the collector frees it), z2 and p, N×K (3 with X W1's
 *                          partner), and a few N×1 columns (losses, classes)
 *     whole-set backward   the forward's z1, a1 (and z2, p) kept, plus δ2 W2ᵀ, f′(z1) and
 *                          δ1 = (δ2 W2ᵀ) ⊙ f′(z1), N×H each, and δ2 N×K: 6 N×H with X W1
 *     fast workspace       nn/workspace.ts's buffers for batches of B rows (runValues), in a
 *                          WebAssembly memory or JavaScript arrays (the same bytes), plus the
 *                          per-example losses of every training and validation row
 * The forward's X W1 and the other short-lived temporaries are counted as live: the garbage
 * collector frees them only some time later, and the measured peaks include them.
 *
 * `largestArray` is the longest single array (values), for the typed-array limit; the
 * estimate's terms say what to lower (`lower`), so that a refusal can name the flags.
 */
import type { OptimizerName } from "./optimizers.js";
import { engineSizes } from "./steppers/fast.js";

/** What a term grows with: the knob a user turns down to shrink it. */
export type SizeKnob =
  "rows" | "hidden" | "classes" | "features" | "batch" | "threads" | "epochs" | "json";

export interface MemoryTerm {
  /** What the bytes hold, e.g. "the whole-set forward pass". */
  readonly what: string;
  /** Its size as a product, e.g. "100 000 rows × 100 000 hidden units × 3 float64 matrices". */
  readonly size: string;
  readonly bytes: number;
  /** The sizes it grows with, most effective first. */
  readonly lower: readonly SizeKnob[];
}

export interface MemoryEstimate {
  /** The peak resident memory the run is expected to need, in bytes. */
  readonly bytes: number;
  /** The terms summed into `bytes`, largest first. */
  readonly terms: readonly MemoryTerm[];
  /** The longest single float64 array the run allocates (values). */
  readonly largestArray: number;
  /** The longest string the run builds (characters): its JSON output, if large. */
  readonly longestText: number;
  /** The phases that do not overlap (train), of which `terms` holds the largest. */
  readonly passes: readonly MemoryTerm[];
}

/**
 * Characters of one number in the commands' pretty JSON, at most: up to 6 spaces of indent,
 * 24 for the number ("-2.2250738585072014e-308"), a comma and a line feed.
 */
export const JSON_CHARS_PER_NUMBER = 32;

/** The shape of the data a command works on. */
export interface DataShape {
  /** Rows read or generated (N, before any validation split). */
  readonly rows: number;
  /** Features D. */
  readonly features: number;
  /** Output logits K (1 for the sigmoid head, the class count for softmax). */
  readonly outputs: number;
  /** Hidden units H. */
  readonly hidden: number;
  /** The rows held out for validation (0 for none). */
  readonly validationRows?: number;
  /** Whether X is standardised (a copy). */
  readonly standardize?: boolean;
}

/** A training run: the data's shape and the loop's. */
export interface TrainingShape extends DataShape {
  /** Rows per step (resolved: at most the training rows). */
  readonly batchSize: number;
  readonly engine: "fast" | "plain";
  /** Threads computing the products (resolved: 1 = the main thread only). */
  readonly threads: number;
  /** Epochs E: the history keeps E + 1 records (0 when not given). */
  readonly epochs?: number;
  /** Whether the run prints its history as JSON (--json): E + 1 records in one text. */
  readonly json?: boolean;
  /** The update rule (default sgd, which keeps no moments). */
  readonly optimizer?: OptimizerName;
  /** Whether early stopping keeps the best epoch's parameters. */
  readonly earlyStopping?: boolean;
}

/** The moment sets of each update rule: none, the velocity v, or Adam's m and v. */
export const OPTIMIZER_MOMENTS: Readonly<Record<OptimizerName, number>> = {
  sgd: 0,
  momentum: 1,
  nesterov: 1,
  adam: 2,
};

/**
 * One epoch record in memory: a small object of up to five numbers and its array slot, with
 * the headroom the garbage collector keeps (≈ 100 B measured per record; 200 counted).
 */
export const HISTORY_RECORD_BYTES = 200;
/**
 * One epoch record in the pretty --json summary, at most: five keys with their numbers
 * (JSON_CHARS_PER_NUMBER each) and their names, indented.
 */
export const JSON_CHARS_PER_RECORD = 200;

const BYTES_PER_VALUE = 8;
/**
 * Node, handgrad's modules and the WebAssembly kernels: ≈ 58 MB RSS measured on a tiny run,
 * and up to ≈ 35 MB more of heap and allocator slack measured on runs of 0.3 to 2 GB.
 */
export const RUNTIME_BYTES = 96 * 2 ** 20;
/** One helper thread (a Node worker): ≈ 8 MB RSS each, measured with 64 threads. */
export const HELPER_THREAD_BYTES = 10 * 2 ** 20;
/**
 * Parameter sets alive at once outside the fast engine's buffers, at the run's peak (its end,
 * or a checkpoint's state()): the starting ones (the command keeps its model), the three
 * copies the result hands out (state.params, state.lastGoodParams, result.params); on the
 * plain engine also the current and last good ones, and a step's new parameters and
 * gradients (the previous step's awaiting collection: measured, 100 × 784 → 10 000). The
 * fast engine's current, last good and gradient buffers are its workspace's (engineSizes).
 */
const PARAM_COPIES: Readonly<Record<"fast" | "plain", number>> = { fast: 6, plain: 8 };
/**
 * Copies of each moment set alive at once: the fast engine's in-place moments with θ and
 * with the last good θ, and the two copies a state() hands out (optimizer and
 * lastGoodOptimizer); the plain engine's pure update also builds a step's new moments before
 * the old are dropped.
 */
export const MOMENT_COPIES: Readonly<Record<"fast" | "plain", number>> = { fast: 4, plain: 5 };
/** Early stopping's best parameters: the Trainer's, and the copy a state() hands out. */
export const BEST_COPIES = 2;
/**
 * One number of a checkpoint or model file while it is written: its text in UTF-16, the
 * nested arrays it is built from and the UTF-8 bytes written (≈ 56 B measured per number of
 * a checkpoint, 100 × 784 → 10 000 with adam; 64 counted).
 */
export const FILE_TEXT_BYTES_PER_NUMBER = 64;

/** The peak memory of `handgrad train` (and demo) on this shape. */
export function trainingMemory(shape: TrainingShape): MemoryEstimate {
  const { hidden: H, outputs: K, batchSize: B } = shape;
  const N = trainingRows(shape);
  const V = shape.validationRows ?? 0;
  const D = shape.features;
  // cli/commands/train.ts runs the starting model forward over the training rows first
  // (naming a row whose logits overflow), whichever the engine.
  const passes: MemoryTerm[] = [wholeSetForward(N, H, K, "the starting model's forward pass")];
  if (shape.engine === "plain") {
    // The epoch-0 evaluation, then the start-of-run gradient over all N rows; a mini-batch
    // step is the same on B rows plus the batch's gathered copy of X and y.
    passes.push(wholeSetBackward(N, H, K, "the whole-set gradient"));
    if (V > 0) passes.push(wholeSetForward(V, H, K, "the validation forward pass"));
  } else {
    const values = engineSizes(N, B, D, H, K).values + N + V;
    passes.push({
      what: "the fast engine's workspace",
      size: `${count(B)} rows a batch × (${count(D)} features + 3 × ${count(H)} hidden units + 2 × ${count(K)} outputs) and ${count(N + V)} losses`,
      bytes: values * BYTES_PER_VALUE,
      lower: B === N ? ["rows", "hidden"] : ["batch", "hidden"],
    });
  }
  const largestArray = Math.max(N * H, V * H, (N + V) * Math.max(D, K));
  const records = (shape.epochs ?? 0) + 1;
  const history: MemoryTerm = {
    what: "the history",
    size: `${count(records)} epoch records`,
    bytes: records * HISTORY_RECORD_BYTES,
    lower: ["epochs"],
  };
  const text = shape.json
    ? {
        what: "the JSON output",
        size: `${count(records)} epoch records of the --json history`,
        bytes: records * JSON_CHARS_PER_RECORD * 3, // the text in UTF-16, and its UTF-8 copy
        lower: ["epochs", "json"] as SizeKnob[],
      }
    : undefined;
  const state = optimizerState(shape);
  return estimate(
    [
      runtime(shape.threads),
      data(shape),
      parameters(D, H, K, PARAM_COPIES[shape.engine]),
      ...(state ? [state] : []),
      checkpointText(shape),
      largest(passes),
      history,
      ...(text ? [text] : []),
    ],
    largestArray,
    text ? records * JSON_CHARS_PER_RECORD : 0,
    passes,
  );
}

/**
 * The text of a checkpoint, built while the run holds everything else: a run writes one at
 * --checkpoint's schedule and whenever it is interrupted (Ctrl-C), so it is always counted.
 * It holds the parameters and the last good ones, the optimizer's state with each, and the
 * best epoch's parameters; a saved model (one set) is smaller.
 */
function checkpointText(shape: TrainingShape): MemoryTerm {
  const moments = OPTIMIZER_MOMENTS[shape.optimizer ?? "sgd"];
  const sets = 2 + 2 * moments + (shape.earlyStopping ? 1 : 0);
  const { features: D, hidden: H, outputs: K } = shape;
  const values = D * H + H + H * K + K;
  return {
    what: "a checkpoint's text",
    size: `${sets} sets of ${count(values)} parameters as JSON`,
    bytes: sets * values * FILE_TEXT_BYTES_PER_NUMBER,
    lower: ["hidden", "features", "classes"],
  };
}

/**
 * The optimizer's moments (MOMENT_COPIES of each) and early stopping's best parameters
 * (BEST_COPIES); undefined when there are none.
 */
function optimizerState(shape: TrainingShape): MemoryTerm | undefined {
  const moments = OPTIMIZER_MOMENTS[shape.optimizer ?? "sgd"];
  const sets = moments * MOMENT_COPIES[shape.engine] + (shape.earlyStopping ? BEST_COPIES : 0);
  if (sets === 0) return undefined;
  const { features: D, hidden: H, outputs: K } = shape;
  const values = D * H + H + H * K + K;
  const parts = [
    ...(moments > 0 ? [`${shape.optimizer} moments`] : []),
    ...(shape.earlyStopping ? ["the best epoch's parameters"] : []),
  ];
  return {
    what: "the optimizer's state",
    size: `${sets} copies of ${count(values)} parameters (${parts.join(", ")})`,
    bytes: sets * values * BYTES_PER_VALUE,
    lower: ["hidden", "features", "classes"],
  };
}

/**
 * The peak memory of `handgrad gradcheck`: the forward pass the command checks first, then
 * the check's own forward and backward (cache kept) and, per entry, two forward passes at
 * θ ± ε held at once.
 */
export function gradientCheckMemory(shape: DataShape): MemoryEstimate {
  const { rows: N, hidden: H, outputs: K, features: D } = shape;
  const check: MemoryTerm = {
    what: "the gradient check's forward passes",
    size: `${count(N)} rows × (${count(H)} hidden units × 8 + ${count(K)} outputs × 8) float64`,
    bytes: N * (8 * H + 8 * K + 4) * BYTES_PER_VALUE,
    lower: ["rows", "hidden", "classes"],
  };
  return estimate([runtime(1), data(shape), parameters(D, H, K, 4), check], N * Math.max(H, K, D));
}

/**
 * The peak memory of `handgrad grad`: one whole-set forward and backward pass, and the JSON
 * text of the four gradients (with their arrays of numbers: 8 bytes each).
 */
export function gradientMemory(shape: DataShape): MemoryEstimate {
  const { rows: N, hidden: H, outputs: K, features: D } = shape;
  const numbers = D * H + H + H * K + K;
  const text = jsonText(numbers, `${count(numbers)} gradient entries`, ["hidden", "features"]);
  return estimate(
    [
      runtime(1),
      data(shape),
      parameters(D, H, K, 3),
      wholeSetBackward(N, H, K, "the whole-set gradient"),
      text,
    ],
    N * Math.max(H, K, D),
    numbers * JSON_CHARS_PER_NUMBER,
  );
}

/**
 * The peak memory of `handgrad predict`: one whole-set forward pass, and the JSON text of the
 * probabilities and classes of every row (twice over with `csvOut`: the --out file's text).
 */
export function predictionMemory(shape: DataShape, csvOut = false): MemoryEstimate {
  const { rows: N, hidden: H, outputs: K, features: D } = shape;
  const numbers = N * (K + 1);
  const text = jsonText(numbers, `${count(N)} rows × ${count(K + 1)} numbers`, ["rows", "classes"]);
  return estimate(
    [
      runtime(1),
      data(shape),
      parameters(D, H, K, 1),
      wholeSetForward(N, H, K, "the forward pass over every row"),
      csvOut ? { ...text, bytes: 2 * text.bytes } : text,
    ],
    N * Math.max(H, K, D),
    numbers * JSON_CHARS_PER_NUMBER,
  );
}

/**
 * The JSON output of `numbers` numbers: their arrays (8 bytes each) and the text, built once
 * in pieces and once whole (a byte a character), then once more as the bytes written.
 */
function jsonText(numbers: number, size: string, lower: readonly SizeKnob[]): MemoryTerm {
  return {
    what: "the JSON output",
    size,
    bytes: numbers * (8 + 3 * JSON_CHARS_PER_NUMBER),
    lower,
  };
}

/** N − validation rows. */
function trainingRows(shape: DataShape): number {
  return shape.rows - (shape.validationRows ?? 0);
}

function runtime(threads: number): MemoryTerm {
  const helpers = Math.max(0, threads - 1);
  return {
    what: helpers > 0 ? "Node and its helper threads" : "Node",
    size: helpers > 0 ? `${helpers} helper threads` : "the runtime",
    bytes: RUNTIME_BYTES + helpers * HELPER_THREAD_BYTES,
    lower: ["threads"],
  };
}

/**
 * X N×D and y as read (a toy set is generated twice over, then shuffled: 2 copies), the
 * validation split's copies, the standardised X.
 */
function data(shape: DataShape): MemoryTerm {
  const { rows: N, features: D } = shape;
  const copies = 2 + ((shape.validationRows ?? 0) > 0 ? 1 : 0);
  const values = copies * N * (D + 1) + (shape.standardize ? N * D : 0);
  return {
    what: "the data",
    size: `${count(N)} rows × ${count(D + 1)} columns`,
    bytes: values * BYTES_PER_VALUE,
    lower: ["rows", "features"],
  };
}

function parameters(D: number, H: number, K: number, copies: number): MemoryTerm {
  return {
    what: "the parameters",
    size: `${copies} copies of ${count(D * H + H + H * K + K)} parameters`,
    bytes: copies * (D * H + H + H * K + K) * BYTES_PER_VALUE,
    lower: ["hidden", "features", "classes"],
  };
}

/** z1, a1 and X W1 (N×H), z2, p and a1 W2 (N×K), 3 columns (losses, classes, correct). */
function wholeSetForward(N: number, H: number, K: number, what: string): MemoryTerm {
  return {
    what,
    size: `${count(N)} rows × ${count(H)} hidden units × 3 float64 matrices`,
    bytes: N * (3 * H + 3 * K + 3) * BYTES_PER_VALUE,
    lower: ["rows", "hidden", "classes"],
  };
}

/** The forward's 3 N×H and 3 N×K, then δ2 W2ᵀ, f′(z1), δ1 (N×H) and P − Y, δ2 (N×K). */
function wholeSetBackward(N: number, H: number, K: number, what: string): MemoryTerm {
  return {
    what,
    size: `${count(N)} rows × ${count(H)} hidden units × 6 float64 matrices`,
    bytes: N * (6 * H + 5 * K + 3) * BYTES_PER_VALUE,
    lower: ["rows", "hidden", "classes"],
  };
}

function largest(terms: readonly MemoryTerm[]): MemoryTerm {
  return terms.reduce((a, b) => (b.bytes > a.bytes ? b : a));
}

function estimate(
  terms: MemoryTerm[],
  largestArray: number,
  longestText = 0,
  passes: readonly MemoryTerm[] = [],
): MemoryEstimate {
  const sorted = [...terms].sort((a, b) => b.bytes - a.bytes);
  const bytes = terms.reduce((sum, t) => sum + t.bytes, 0);
  return { bytes, terms: sorted, largestArray, longestText, passes };
}

/** 100000 as "100 000" (thin groups of three, as the docs print counts). */
function count(n: number): string {
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, " ");
}
