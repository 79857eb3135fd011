/**
 * `softmax`: how the stable binary loss generalises to K classes, measured.
 *
 *   naive      p_j = e^{z_j} / Σ_i e^{z_i},  ℓ = −log p_y
 *   shifted    the same after subtracting m = max_j z_j (no overflow), still ℓ = −log p_y
 *   ours       ℓ = logSumExp(z) − z_y = (m − z_y) + log1p(Σ_{j≠k} e^{z_j − m})
 *
 * On the rows z = s·(1, 0, −1) for growing scale s, with the label on the largest logit
 * (confidently right) and on the smallest (confidently wrong), each against 60-digit truth.
 * Then the K = 2 case against the binary loss on d = z_1 − z_0, and the gradient check of a
 * softmax network, so that the generalisation is shown exact, not only plausible.
 */
import { Decimal } from "decimal.js";
import { gradientCheck } from "../check/index.js";
import { makeDataset } from "../data/index.js";
import { columnVector } from "../linalg/index.js";
import { accuracy, ACTIVATIONS, forward, initParams, PARAM_NAMES } from "../nn/index.js";
import { bceWithLogitsPerExample, softmaxCrossEntropyTerm } from "../numerics/index.js";
import { Rng, streamSeed } from "../rng.js";
import { train } from "../train/index.js";
import type { Experiment, ExperimentOptions, ExperimentResult, Table } from "./experiment.js";
import { tenTo } from "./elementary.js";
import { percent, sig } from "./format.js";
import { firstDoubleWhere } from "./stability.js";
import { D, exactOf, ulpError } from "./ulp.js";
import { summaryOf } from "./catalogue.js";

/** The textbook −log(e^{z_y} / Σ e^{z_i}): e^{z} overflows above 709.78 and ∞/∞ is NaN. */
export function naiveCrossEntropy(z: readonly number[], y: number): number {
  const e = z.map(Math.exp);
  return -Math.log(e[y]! / e.reduce((a, b) => a + b, 0));
}

/** −log p_y with p from the max-shifted exponentials: no overflow, but log of a rounded p_y. */
export function shiftedCrossEntropy(z: readonly number[], y: number): number {
  const m = Math.max(...z);
  const e = z.map((zj) => Math.exp(zj - m));
  return -Math.log(e[y]! / e.reduce((a, b) => a + b, 0));
}

/**
 * ℓ(z, y) at 60 digits: (m − z_y) + ln(1 + t) with t = Σ_{j≠k} e^{z_j − m} from the exact
 * values of the doubles (ln(1 + t) by its series where 1 + t would lose t).
 */
export function crossEntropyTruth(z: readonly number[], y: number): Decimal {
  const exact = z.map(exactOf);
  const k = z.indexOf(Math.max(...z));
  const m = exact[k] as Decimal;
  let t = new D(0);
  exact.forEach((zj, j) => {
    if (j !== k) t = t.plus(D.exp(zj.minus(m)));
  });
  const log1pT = t.lt(1e-30) ? t.minus(t.times(t).div(2)) : D.ln(t.plus(1));
  return m.minus(exact[y] as Decimal).plus(log1pT);
}

/**
 * |computed − truth| / truth; 0 when computed is the correctly rounded truth (0 included, where
 * the truth underflows), 1 (every bit lost) for a non-finite result or a wrong 0.
 */
function relativeError(computed: number, truth: Decimal): number {
  if (computed === truth.toNumber()) return 0;
  if (!Number.isFinite(computed) || computed === 0) return 1;
  return Math.min(1, exactOf(computed).minus(truth).abs().div(truth).toNumber());
}

/** Epochs of mini-batch SGD (batch 32, η = 0.5) for the softmax network. */
const EPOCHS = 300;

const METHODS = [
  ["ours: logSumExp(z) − z_y", softmaxCrossEntropyTerm],
  ["shifted: −log p_y", shiftedCrossEntropy],
  ["naive: −log p_y", naiveCrossEntropy],
] as const;

const LABELS = [
  ["right (y = largest logit)", 0],
  ["wrong (y = smallest logit)", 2],
] as const;

/** The row s·(1, 0, −1). */
const row = (s: number): number[] => [s, 0, -s];

/** The first scale s (a double, found by bisection) at which `f` is no longer finite. */
function firstNonFinite(f: (s: number) => number): string {
  return sig(
    firstDoubleWhere(1, 1e4, (s) => !Number.isFinite(f(s))),
    5,
  );
}

function run(options: ExperimentOptions): ExperimentResult {
  const seed = options.seed;
  // s from 0.1 to 1000, 25 per decade, plus the points the table quotes
  const scales = Array.from({ length: 101 }, (_, i) => tenTo(-1 + i / 25));

  const errorPoints = LABELS.flatMap(([label, y]) =>
    scales.flatMap((s) => {
      const truth = crossEntropyTruth(row(s), y);
      // naive first, so that shifted (and ours) are drawn over it where they coincide
      return [...METHODS].reverse().map(([method, f]) => ({
        s,
        label,
        method,
        error: Math.max(relativeError(f(row(s), y), truth), 1e-18),
      }));
    }),
  );

  const tableScales = [1, 10, 40, 100, 400, 709, 710, 1000];
  const lossTable: Table = {
    name: "loss",
    title: "cross-entropy of the row z = s·(1, 0, −1) (K = 3), against 60-digit truth",
    columns: ["s", "label", "true (60 digits)", "ours", "shifted −log p_y", "naive −log p_y"],
    rows: LABELS.flatMap(([label, y]) =>
      tableScales.map((s) => [
        String(s),
        label.split(" ")[0] as string,
        sig(crossEntropyTruth(row(s), y).toNumber(), 6),
        ...METHODS.map(([, f]) => sig(f(row(s), y), 6)),
      ]),
    ),
  };

  // Worst ulp of ours over the whole grid, both labels.
  let worstUlp = 0;
  for (const s of scales) {
    for (const [, y] of LABELS) {
      worstUlp = Math.max(
        worstUlp,
        ulpError(softmaxCrossEntropyTerm(row(s), y), crossEntropyTruth(row(s), y)),
      );
    }
  }

  // K = 2: softmax cross-entropy of (z0, z1) against the binary loss of d = z1 − z0.
  const rng = new Rng(streamSeed(seed, "data"));
  const pairs = 2000;
  let identical = 0;
  let exactDifference = 0;
  let identicalWhenExact = 0;
  let worstVsBinary = 0;
  let worstVsTruth = 0;
  let worstBinaryVsTruth = 0;
  for (let i = 0; i < pairs; i++) {
    // magnitudes log-uniform over [1e-3, 1e3], random signs and labels
    const draw = (): number => (rng.uniform() < 0.5 ? -1 : 1) * tenTo(rng.uniformIn(-3, 3));
    const z = [draw(), draw()];
    const y = rng.uniform() < 0.5 ? 0 : 1;
    const d = z[1]! - z[0]!;
    const ours = softmaxCrossEntropyTerm(z, y);
    const binary = bceWithLogitsPerExample(columnVector([d]), columnVector([y])).data[0]!;
    // d is exact when the subtraction did not round (checked in exact arithmetic)
    const exact = exactOf(d).eq(exactOf(z[1]!).minus(exactOf(z[0]!)));
    if (ours === binary) identical++;
    if (exact) exactDifference++;
    if (exact && ours === binary) identicalWhenExact++;
    const truth = crossEntropyTruth(z, y);
    worstVsBinary = Math.max(worstVsBinary, ulpError(ours, exactOf(binary)));
    worstVsTruth = Math.max(worstVsTruth, ulpError(ours, truth));
    worstBinaryVsTruth = Math.max(worstBinaryVsTruth, ulpError(binary, truth));
  }
  const reductionTable: Table = {
    name: "k2",
    title: `K = 2: softmax cross-entropy of (z0, z1) vs the binary loss of d = z1 − z0, ${pairs} seeded pairs with |z| in [1e-3, 1e3]`,
    columns: [
      "pairs",
      "bit-identical",
      "d = z1 − z0 exact",
      "bit-identical where d is exact",
      "worst distance (ulp)",
      "softmax vs truth (worst ulp)",
      "binary of rounded d vs truth (worst ulp)",
    ],
    rows: [
      [
        String(pairs),
        String(identical),
        String(exactDifference),
        String(identicalWhenExact),
        sig(worstVsBinary, 3),
        sig(worstVsTruth, 3),
        sig(worstBinaryVsTruth, 3),
      ],
    ],
  };

  // A softmax network: K = 3 spirals, gradient check at init and after training.
  const K = 3;
  const data = makeDataset("spirals", { samples: 300, classes: K, seed: streamSeed(seed, "data") });
  const params = initParams({
    inputs: 2,
    hidden: 32,
    init: "xavier",
    seed: streamSeed(seed, "init"),
    outputs: K,
  });
  const atInit = gradientCheck(params, data.X, data.y, "tanh", { seed: streamSeed(seed, "check") });
  const trained = train(params, data, {
    activation: "tanh",
    learningRate: 0.5,
    epochs: EPOCHS,
    batchSize: 32,
    seed: streamSeed(seed, "shuffle"),
  });
  const atEnd = gradientCheck(trained.params, data.X, data.y, "tanh", {
    seed: streamSeed(seed, "check"),
  });
  const trainAccuracy = accuracy(forward(trained.params, data.X, ACTIVATIONS.tanh).p, data.y);
  const checkTable: Table = {
    name: "gradcheck",
    title:
      "gradient check of a 2 → 32 (tanh) → 3 softmax network on 300 spirals rows (every entry)",
    columns: ["param", "relError at init", `relError after ${EPOCHS} epochs`],
    rows: PARAM_NAMES.map((name) => [
      name,
      sig(atInit.params[name].relError, 3),
      sig(atEnd.params[name].relError, 3),
    ]),
  };

  return {
    tables: [lossTable, reductionTable, checkTable],
    figures: [
      {
        name: "error",
        title: "relative error of the K = 3 cross-entropy against the logit scale",
        spec: {
          title: "Cross-entropy of z = s·(1, 0, −1): relative error against 60-digit truth",
          data: { values: errorPoints },
          facet: { column: { field: "label", type: "nominal", title: null } },
          spec: {
            width: 280,
            height: 220,
            mark: { type: "line", strokeWidth: 2 },
            encoding: {
              x: {
                field: "s",
                type: "quantitative",
                scale: { type: "log" },
                title: "logit scale s",
              },
              y: {
                field: "error",
                type: "quantitative",
                scale: { type: "log" },
                title: "relative error",
              },
              color: {
                field: "method",
                type: "nominal",
                title: "ℓ computed as",
                legend: { labelLimit: 260 },
              },
              strokeDash: {
                field: "method",
                type: "nominal",
                title: "ℓ computed as",
                legend: { labelLimit: 260 },
              },
            },
          },
        },
      },
    ],
    numbers: {
      worstUlp: sig(worstUlp, 3),
      naiveNaNFrom: firstNonFinite((s) => naiveCrossEntropy(row(s), 0)),
      naiveInfiniteFrom: firstNonFinite((s) => naiveCrossEntropy(row(s), 2)),
      shiftedInfiniteFrom: firstNonFinite((s) => shiftedCrossEntropy(row(s), 2)),
      shiftedRightAt40: sig(shiftedCrossEntropy(row(40), 0), 3),
      oursRightAt40: sig(softmaxCrossEntropyTerm(row(40), 0), 3),
      pairs: String(pairs),
      identical: String(identical),
      exactDifference: String(exactDifference),
      identicalWhenExact: String(identicalWhenExact),
      worstBinaryVsTruth: sig(worstBinaryVsTruth, 3),
      worstVsBinary: sig(worstVsBinary, 3),
      worstVsTruth: sig(worstVsTruth, 3),
      checkInit: sig(atInit.maxRelError, 2),
      checkEnd: sig(atEnd.maxRelError, 2),
      trainAccuracy: percent(trainAccuracy),
    },
  };
}

export const softmax: Experiment = {
  name: "softmax",
  summary: summaryOf("softmax"),
  run,
};
