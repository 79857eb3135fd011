/**
 * `handgrad explain`: a worked example. On the first few rows of the data it prints every
 * intermediate of one training step in the derivation's order (docs/derivation.md), each with
 * its equation and shape: the forward pass and the loss (§1–2), the backward pass (§3), one
 * plain gradient-descent update (§7), and the central difference of every gradient entry (§5).
 *
 * Nothing is computed here: the numbers are forward()'s cache, backwardSteps()'s
 * intermediates, gradientDescentStep()'s parameters and centralDifferenceGradients()'s
 * differences, printed (rounded to 6 significant digits on stderr, every digit with --json).
 */
import {
  centralDifferenceGradients,
  DEFAULT_EPS,
  entryName,
  gradientCheck,
  relativeError,
} from "../../check/index.js";
import { labelList, type ClassLabel } from "../../data/index.js";
import { DataError } from "../../errors.js";
import { gatherRows, toRows, type Matrix } from "../../linalg/index.js";
import {
  activationByName,
  backwardSteps,
  forward,
  gradsAreFinite,
  loss,
  outputHeadFor,
  PARAM_NAMES,
  type BackwardSteps,
  type Cache,
  type ParamName,
  type Params,
} from "../../nn/index.js";
import { streamSeed } from "../../rng.js";
import { DEFAULT_LEARNING_RATE, gradientDescentStep } from "../../train/index.js";
import { booleanFlag, integerFlag, numberFlag, type Flags, type FlagSpecs } from "../flags.js";
import { shown, type Output } from "../output.js";
import { gradientCheckText, sci } from "../report.js";
import { DATA_FLAGS, NETWORK_FLAGS, prepareRun } from "../setup.js";

/** The rows of the batch by default: enough to see the sums over n, few enough to read. */
export const DEFAULT_EXPLAIN_ROWS = 4;

export const EXPLAIN_FLAGS: FlagSpecs = {
  model: {
    kind: "string",
    value: "FILE",
    help: "explain this model (default: a random init from the flags)",
  },
  ...DATA_FLAGS,
  ...NETWORK_FLAGS,
  rows: {
    kind: "string",
    value: "N",
    help: `the batch: the data's first N rows (${DEFAULT_EXPLAIN_ROWS})`,
  },
  lr: {
    kind: "string",
    value: "η",
    help: `learning rate η of the update (the model file's, else ${DEFAULT_LEARNING_RATE})`,
  },
  json: { kind: "boolean", help: "print every number on stdout as JSON (full precision)" },
};

/** Rows and columns of a matrix shown on stderr (--json has them all). */
const SHOWN_ROWS = 6;
const SHOWN_COLS = 4;
/** Gradient entries per parameter shown in the check's table. */
const SHOWN_ENTRIES = 6;

export function explainCommand(flags: Flags, output: Output): number {
  const run = prepareRun(flags, {
    modelFlag: "model",
    options: (flags) => ({
      rows: integerFlag(flags, "rows", DEFAULT_EXPLAIN_ROWS, 1),
      lr: flags.has("lr")
        ? numberFlag(flags, "lr", DEFAULT_LEARNING_RATE, (x) => x > 0, "a number > 0")
        : undefined,
    }),
    size: "gradcheck",
  });
  const { model, modelName, source, options, choice } = run;
  for (const warning of run.warnings) output.log(warning);
  const N = Math.min(options.rows, run.train.X.rows);
  const first = Uint32Array.from({ length: N }, (_, n) => n);
  const X = gatherRows(run.train.X, first); // N×D, the batch
  const y = gatherRows(run.train.y, first); // N×1
  const { params } = model;
  const activation = activationByName(model.activation);
  const head = outputHeadFor(params.W2.cols);

  const cache = forward(params, X, activation); // z1, a1, z2, p
  const L = loss(cache, y);
  const steps = backwardSteps(params, cache, X, y, activation); // dz2 … db1
  if (!gradsAreFinite(steps)) {
    throw new DataError(
      `the gradients of ${modelName} overflow on ${source}: its weights or the features are too large for float64`,
    );
  }
  const recorded = model.training?.learningRate;
  const eta = options.lr ?? recorded ?? DEFAULT_LEARNING_RATE;
  const etaSource =
    options.lr !== undefined ? "--lr" : recorded !== undefined ? "the model file's" : "default";
  const updated = gradientDescentStep(params, steps, eta); // θ − η ∂L/∂θ
  const lossAfter = loss(forward(updated, X, activation), y);
  const numeric = centralDifferenceGradients(params, X, y, activation, { eps: DEFAULT_EPS });
  const report = gradientCheck(params, X, y, activation, {
    eps: DEFAULT_EPS,
    seed: streamSeed(choice.seed, "check"),
  });

  const rows = run.train.X.rows;
  const what = {
    ...{ modelName, source, N, rows, eta, etaSource },
    activation: model.activation,
    classes: classesNote(model.classes),
  };
  output.log(
    explainText(what, { X, y, params, cache, L, steps, updated, lossAfter, numeric, report }),
  );
  if (booleanFlag(flags, "json")) {
    output.json({
      network: {
        inputs: params.W1.rows,
        hidden: params.W1.cols,
        outputs: params.W2.cols,
        activation: model.activation,
        output: head.name,
      },
      batch: { rows: N, X: toRows(X), y: Array.from(y.data) },
      params: paramsJson(params),
      forward: {
        z1: toRows(cache.z1),
        a1: toRows(cache.a1),
        z2: toRows(cache.z2),
        p: toRows(cache.p),
        loss: L,
      },
      backward: {
        dz2: toRows(steps.dz2),
        dW2: toRows(steps.dW2),
        db2: Array.from(steps.db2.data),
        da1: toRows(steps.da1),
        dz1: toRows(steps.dz1),
        dW1: toRows(steps.dW1),
        db1: Array.from(steps.db1.data),
      },
      update: { learningRate: eta, ...paramsJson(updated), loss: lossAfter },
      check: {
        eps: report.eps,
        threshold: report.threshold,
        passed: report.passed,
        maxRelError: report.maxRelError,
        // null where θ ± ε crossed a kink (no difference quotient means anything there)
        numeric: Object.fromEntries(
          PARAM_NAMES.map((name) => [`d${name}`, nullForNaN(numeric.grads[`d${name}`], name)]),
        ),
        params: report.params,
      },
    });
  }
  return report.passed ? 0 : 1;
}

/** The numbers explainText prints. */
interface Explained {
  readonly X: Matrix;
  readonly y: Matrix;
  readonly params: Params;
  readonly cache: Cache;
  readonly L: number;
  readonly steps: BackwardSteps;
  readonly updated: Params;
  readonly lossAfter: number;
  readonly numeric: ReturnType<typeof centralDifferenceGradients>;
  readonly report: ReturnType<typeof gradientCheck>;
}

/** The worked example as text for stderr: every step with its equation and shape. */
function explainText(
  what: {
    modelName: string;
    source: string;
    N: number;
    rows: number;
    eta: number;
    etaSource: string;
    /** The hidden activation's name, as the equations write it ("relu", "tanh"). */
    activation: string;
    /** What the labels are: "labels", or the class indices and their labels. */
    classes: string;
  },
  e: Explained,
): string {
  const { X, y, params, cache, steps, updated, numeric, report } = e;
  const [D, H, K] = [params.W1.rows, params.W1.cols, params.W2.cols];
  const { activation } = what;
  const softmax = K > 1;
  const dims: Record<string, number> = { N: what.N, D, H, K, 1: 1 };
  const block = (equation: string, shape: string, m: Matrix, note = ""): string =>
    matrixBlock(equation, shape, dims, m, note);
  const lines: string[] = [];
  const headName = softmax ? `${K} (softmax)` : "1 (sigmoid)";
  const rowsText = what.N === 1 ? "the first row" : `the first ${what.N} rows`;
  const ofAll = what.N < what.rows ? ` of ${what.rows} (--rows N)` : "";
  lines.push(
    `worked example: ${shown(what.modelName)} on ${shown(what.source)}`,
    `network ${D} → ${H} (${activation}) → ${headName}; the batch: ${rowsText}${ofAll}`,
    "numbers rounded to 6 significant digits (--json prints every digit)",
    "",
    "batch and parameters",
    block("X", "N×D", X, "the rows, one example per row"),
    block("y", "N×1", y, what.classes),
    block("W1", "D×H", params.W1),
    block("b1", "1×H", params.b1),
    block("W2", `H×${softmax ? "K" : "1"}`, params.W2),
    block("b2", `1×${softmax ? "K" : "1"}`, params.b2),
    "",
    "forward (docs/derivation.md §1–2)",
    block("z1 = X W1 + b1", "N×H", cache.z1, "b1 added to every row"),
    block(`a1 = ${activation}(z1)`, "N×H", cache.a1, "entry by entry"),
    block("z2 = a1 W2 + b2", softmax ? "N×K" : "N×1", cache.z2, "the logits"),
    block(
      softmax ? "P = softmax(z2)" : "p = σ(z2)",
      softmax ? "N×K" : "N×1",
      cache.p,
      softmax ? "row by row" : "σ(z) = 1/(1 + e^−z)",
    ),
    softmax
      ? `L = (1/N) Σ_n [logSumExp(z2_n) − z2_{n,y_n}] = ${number(e.L)}`
      : `L = (1/N) Σ_n [softplus(z2_n) − y_n z2_n] = ${number(e.L)}`,
    "",
    "backward (§3)",
    block(
      softmax ? "dz2 = (P − onehot(y))/N" : "dz2 = (p − y)/N",
      softmax ? "N×K" : "N×1",
      steps.dz2,
      "δ2 = ∂L/∂z2",
    ),
    block("dW2 = a1ᵀ dz2", softmax ? "H×K" : "H×1", steps.dW2),
    block("db2 = Σ_n dz2", softmax ? "1×K" : "1×1", steps.db2, "column sums"),
    block("da1 = dz2 W2ᵀ", "N×H", steps.da1, "∂L/∂a1"),
    block(`dz1 = da1 ⊙ ${activation}′(z1)`, "N×H", steps.dz1, "δ1 = ∂L/∂z1"),
    block("dW1 = Xᵀ dz1", "D×H", steps.dW1),
    block("db1 = Σ_n dz1", "1×H", steps.db1, "column sums"),
    "",
    "update (§7): one step of plain gradient descent, θ ← θ − η ∂L/∂θ,",
    `η = ${number(what.eta)} (${what.etaSource})`,
    ...PARAM_NAMES.map((name) =>
      block(`${name} ← ${name} − η d${name}`, PARAM_SHAPES[name](softmax), updated[name]),
    ),
    `L after the step, on the same rows = ${number(e.lossAfter)} (before: ${number(e.L)})`,
    "",
    `check (§5): central differences (L(θ + ε) − L(θ − ε)) / 2ε, ε = ${sci(numeric.eps)}`,
    checkTable(steps, numeric),
    gradientCheckText(report).split("\n").at(-1) ?? "",
  );
  return lines.join("\n");
}

/** The note beside y: "labels", or the class each index stands for when the data named them. */
function classesNote(classes: readonly ClassLabel[] | undefined): string {
  const plain = classes === undefined || classes.every((label, k) => label === k);
  if (plain) return "labels";
  const named = classes.slice(0, 4).map((label, k) => `${k} = ${labelList([label])}`);
  return `class indices: ${named.join(", ")}${classes.length > 4 ? ", …" : ""}`;
}

/** The shape of each parameter, in the derivation's letters. */
const PARAM_SHAPES: Record<ParamName, (softmax: boolean) => string> = {
  W1: () => "D×H",
  b1: () => "1×H",
  W2: (softmax) => (softmax ? "H×K" : "H×1"),
  b2: (softmax) => (softmax ? "1×K" : "1×1"),
};

/** One entry per gradient: ours, the central difference, their relative error (kinks said). */
function checkTable(steps: BackwardSteps, numeric: Explained["numeric"]): string {
  const rows: (string[] | string)[] = []; // a table row, or a line of its own
  for (const name of PARAM_NAMES) {
    const ours = steps[`d${name}`];
    const theirs = numeric.grads[`d${name}`];
    const shown = Math.min(ours.data.length, SHOWN_ENTRIES);
    for (let i = 0; i < shown; i++) {
      const [a, b] = [ours.data[i] as number, theirs.data[i] as number];
      const kink = numeric.kinks[name].includes(i);
      rows.push([
        `d${entryName(name, i, ours.cols)}`,
        number(a),
        kink ? "(kink)" : number(b),
        kink ? "not compared" : sci(relativeError(a - b, a, b)),
      ]);
    }
    const more = ours.data.length - shown;
    if (more > 0) rows.push(`… ${more} more of d${name} (--json: all)`);
  }
  const header = ["entry", "backward", "central difference", "relError"];
  const cells = rows.filter((row) => typeof row !== "string");
  const widths = header.map((h, j) => Math.max(h.length, ...cells.map((r) => r[j]!.length)));
  const line = (row: readonly string[] | string): string =>
    typeof row === "string"
      ? row
      : row
          .map((c, j) => (j === 0 ? c.padEnd(widths[j]!) : c.padStart(widths[j]!)))
          .join("  ")
          .trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}

/**
 * An equation, its shape in letters and numbers ("N×H = 2×2") and a note, then the matrix's
 * rows (at most SHOWN_ROWS × SHOWN_COLS, the rest said), right-aligned in columns.
 */
function matrixBlock(
  equation: string,
  shape: string,
  dims: Record<string, number>,
  m: Matrix,
  note: string,
): string {
  const [r, c] = shape.split("×") as [string, string];
  const sized = `${shape} = ${dims[r] ?? r}×${dims[c] ?? c}`;
  const head =
    `${equation.padEnd(28)} ${sized.padEnd(12)}${note === "" ? "" : ` ${note}`}`.trimEnd();
  const rows = Math.min(m.rows, SHOWN_ROWS);
  const cols = Math.min(m.cols, SHOWN_COLS);
  const cells = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => number(m.data[i * m.cols + j] as number)),
  );
  const width = Math.max(...cells.flat().map((cell) => cell.length));
  const more = m.cols > cols ? `  … ${plural(m.cols - cols, "more column")}` : "";
  const body = cells.map((row) => `    ${row.map((x) => x.padStart(width)).join("  ")}${more}`);
  if (m.rows > rows) body.push(`    … ${plural(m.rows - rows, "more row")}`);
  return [head, ...body].join("\n");
}

/** "1 more row", "2 more rows". */
function plural(count: number, what: string): string {
  return `${count} ${what}${count === 1 ? "" : "s"}`;
}

/** x to 6 significant digits in its shortest form ("0.622459", "-0.5", "1.5e-7"); −0 as 0. */
function number(x: number): string {
  return String(Number(x.toPrecision(6)) + 0);
}

/** A parameter set as the model file nests it: weights as rows, biases as lists. */
function paramsJson(p: Params): Record<ParamName, number[] | number[][]> {
  return {
    W1: toRows(p.W1),
    b1: Array.from(p.b1.data),
    W2: toRows(p.W2),
    b2: Array.from(p.b2.data),
  };
}

/** A gradient as the model file nests its parameter (rows, or a list for a bias), NaN as null. */
function nullForNaN(m: Matrix, name: ParamName): (number | null)[] | (number | null)[][] {
  const value = (x: number): number | null => (Number.isNaN(x) ? null : x);
  const rows = toRows(m).map((row) => row.map(value));
  return name.startsWith("b") ? (rows[0] ?? []) : rows;
}
