/**
 * regularisation: the L2 penalty (λ/2)(‖W1‖² + ‖W2‖²) against overfitting.
 *
 * Overfitting needs a network with far more parameters than training rows: the breast-cancer
 * data with only TRAIN_ROWS rows to train on (the other rows are the validation set), 30
 * standardised features and HIDDEN tanh units (about two thousand weights). Each λ of the sweep
 * trains the same SEEDS runs (each seed draws its own training rows, initial weights), with
 * full-batch gradient descent (the default optimizer, so the penalty acts as plain weight decay
 * θ ← (1 − ηλ)θ − η∇L) for EPOCHS epochs. Reported per λ, as means over the runs: the
 * training and validation cross-entropy (the penalty left out, so the two compare), the gap
 * between them, both accuracies, and ‖W1‖² + ‖W2‖².
 *
 * Sizes: 40 rows × 64 units × 1000 full-batch epochs, 6 λ × 5 runs, a few seconds on one
 * core of the 2-core CI machine (the drift test reruns it).
 */
import { initParams, type Params } from "../nn/index.js";
import { streamSeed } from "../rng.js";
import type { Experiment, ExperimentResult, Figure, Table } from "./experiment.js";
import { fixed, percent, sig } from "./format.js";
import {
  breastCancerSplit,
  mean,
  replicateSeeds,
  sampleStd,
  trainOutcome,
  weightSquares,
} from "./training-runs.js";
import { summaryOf } from "./catalogue.js";

export const SETUP = {
  trainRows: 40,
  hidden: 64,
  epochs: 1000,
  learningRate: 0.5,
  seeds: 5,
  lambdas: [0, 1e-4, 1e-3, 1e-2, 1e-1, 1],
} as const;

/** Where one run ended. */
export interface RegularisedRun {
  readonly seed: number;
  readonly lambda: number;
  readonly trainLoss: number; // mean cross-entropy, penalty left out
  readonly validationLoss: number;
  readonly trainAccuracy: number;
  readonly validationAccuracy: number;
  readonly weightSquares: number; // ‖W1‖² + ‖W2‖²
  readonly params: Params;
}

export interface RegularisationMeasurement {
  readonly validationRows: number;
  /** runs[i] are the runs at SETUP.lambdas[i], in seed order. */
  readonly runs: readonly (readonly RegularisedRun[])[];
}

/** One run at λ from `seed`. */
export function regularisedRun(lambda: number, seed: number): RegularisedRun {
  const split = breastCancerSplit(SETUP.trainRows, streamSeed(seed, "split"));
  const initial = initParams({
    inputs: split.train.X.cols,
    hidden: SETUP.hidden,
    init: "xavier",
    seed: streamSeed(seed, "init"),
  });
  const outcome = trainOutcome(initial, split, {
    activation: "tanh",
    learningRate: SETUP.learningRate,
    epochs: SETUP.epochs,
    batchSize: "full",
    l2: lambda,
    evaluate: "first-and-last",
  });
  if (outcome.diverged) throw new Error(`regularisation: λ = ${lambda} diverged`);
  const { params, history } = outcome.result;
  const last = history[history.length - 1]!;
  return {
    seed,
    lambda,
    trainLoss: last.loss - (last.penalty ?? 0),
    validationLoss: last.validationLoss!,
    trainAccuracy: last.accuracy,
    validationAccuracy: last.validationAccuracy!,
    weightSquares: weightSquares(params),
    params,
  };
}

export function measureRegularisation(seed: number): RegularisationMeasurement {
  const seeds = replicateSeeds(seed, SETUP.seeds);
  return {
    validationRows: breastCancerSplit(SETUP.trainRows, 0).validation.X.rows,
    runs: SETUP.lambdas.map((lambda) => seeds.map((s) => regularisedRun(lambda, s))),
  };
}

/** Means over the runs at one λ. */
export interface LambdaSummary {
  readonly lambda: number;
  readonly trainLoss: number;
  readonly validationLoss: number;
  readonly validationLossStd: number;
  readonly gap: number; // validation − training cross-entropy
  readonly trainAccuracy: number;
  readonly validationAccuracy: number;
  readonly validationAccuracyStd: number;
  readonly weightSquares: number;
}

export function summarise(runs: readonly RegularisedRun[]): LambdaSummary {
  const of = (f: (r: RegularisedRun) => number): number[] => runs.map(f);
  return {
    lambda: runs[0]!.lambda,
    trainLoss: mean(of((r) => r.trainLoss)),
    validationLoss: mean(of((r) => r.validationLoss)),
    validationLossStd: sampleStd(of((r) => r.validationLoss)),
    gap: mean(of((r) => r.validationLoss - r.trainLoss)),
    trainAccuracy: mean(of((r) => r.trainAccuracy)),
    validationAccuracy: mean(of((r) => r.validationAccuracy)),
    validationAccuracyStd: sampleStd(of((r) => r.validationAccuracy)),
    weightSquares: mean(of((r) => r.weightSquares)),
  };
}

function lambdaText(lambda: number): string {
  return lambda === 0 ? "0" : sig(lambda);
}

function sweepTable(m: RegularisationMeasurement): Table {
  return {
    name: "sweep",
    title: `Breast cancer, ${SETUP.trainRows} training rows and ${m.validationRows} validation rows, ${SETUP.hidden} tanh units, ${SETUP.epochs} epochs of full-batch gradient descent (η = ${SETUP.learningRate}); means over ${SETUP.seeds} runs (± sd); losses are the cross-entropy without the penalty`,
    columns: [
      "λ",
      "train loss",
      "validation loss",
      "gap",
      "train acc.",
      "validation acc.",
      "‖W1‖² + ‖W2‖²",
    ],
    rows: m.runs.map((runs) => {
      const s = summarise(runs);
      return [
        lambdaText(s.lambda),
        sig(s.trainLoss, 2),
        `${sig(s.validationLoss, 3)} ± ${sig(s.validationLossStd, 1)}`,
        sig(s.gap, 2),
        percent(s.trainAccuracy),
        `${percent(s.validationAccuracy)} ± ${fixed(100 * s.validationAccuracyStd, 1)}`,
        sig(s.weightSquares, 3),
      ];
    }),
  };
}

function lossFigure(m: RegularisationMeasurement): Figure {
  const values = m.runs.flatMap((runs) => {
    const s = summarise(runs);
    return [
      { lambda: lambdaText(s.lambda), set: "training", loss: s.trainLoss },
      { lambda: lambdaText(s.lambda), set: "validation", loss: s.validationLoss },
    ];
  });
  return {
    name: "loss",
    title: "Training and validation cross-entropy against λ",
    spec: {
      $schema: "https://vega.github.io/schema/vega-lite/v6.json",
      title: `Cross-entropy after ${SETUP.epochs} epochs (mean of ${SETUP.seeds} runs), ${SETUP.trainRows} training rows`,
      width: 360,
      data: { values },
      mark: { type: "line", point: true },
      encoding: {
        x: {
          field: "lambda",
          type: "ordinal",
          sort: SETUP.lambdas.map(lambdaText),
          title: "λ (L2 penalty)",
          axis: { labelAngle: 0 },
        },
        y: {
          field: "loss",
          type: "quantitative",
          scale: { type: "log" },
          title: "mean cross-entropy",
        },
        color: { field: "set", type: "nominal", title: null },
      },
    },
  };
}

/** The tables, figures and key numbers of a measurement. */
export function report(m: RegularisationMeasurement): ExperimentResult {
  const summaries = m.runs.map(summarise);
  const none = summaries[0]!;
  const best = summaries.reduce((a, b) => (b.validationLoss < a.validationLoss ? b : a));
  const last = summaries[summaries.length - 1]!;
  const numbers: Record<string, string> = {
    "train-rows": String(SETUP.trainRows),
    "validation-rows": String(m.validationRows),
    hidden: String(SETUP.hidden),
    epochs: String(SETUP.epochs),
    "learning-rate": String(SETUP.learningRate),
    seeds: String(SETUP.seeds),
    "weights-count": String((30 + 1) * SETUP.hidden + (SETUP.hidden + 1) * 1), // W1, b1, W2, b2
    "best-lambda": lambdaText(best.lambda),
    "largest-lambda": lambdaText(last.lambda),
  };
  for (const [label, s] of [
    ["none", none],
    ["best", best],
    ["largest", last],
  ] as const) {
    numbers[`${label}-train-loss`] = sig(s.trainLoss, 2);
    numbers[`${label}-validation-loss`] = sig(s.validationLoss, 3);
    numbers[`${label}-gap`] = sig(s.gap, 2);
    numbers[`${label}-train-accuracy`] = percent(s.trainAccuracy);
    numbers[`${label}-validation-accuracy`] = percent(s.validationAccuracy);
    numbers[`${label}-weight-squares`] = sig(s.weightSquares, 3);
  }
  // paired by seed (the same training rows and initial weights): in how many runs best λ wins
  const bestRuns = m.runs[summaries.indexOf(best)]!;
  const noneRuns = m.runs[0]!;
  numbers["best-lower-validation-loss"] =
    `${bestRuns.filter((r, i) => r.validationLoss < noneRuns[i]!.validationLoss).length}/${SETUP.seeds}`;
  numbers["best-higher-validation-accuracy"] =
    `${bestRuns.filter((r, i) => r.validationAccuracy > noneRuns[i]!.validationAccuracy).length}/${SETUP.seeds}`;
  numbers["best-equal-validation-accuracy"] =
    `${bestRuns.filter((r, i) => r.validationAccuracy === noneRuns[i]!.validationAccuracy).length}/${SETUP.seeds}`;
  return { tables: [sweepTable(m)], figures: [lossFigure(m)], numbers };
}

export const regularisation: Experiment = {
  run: ({ seed }) => report(measureRegularisation(seed)),
  name: "regularisation",
  summary: summaryOf("regularisation"),
};
