/**
 * early-stopping: watch the validation loss and stop when it has not improved for PATIENCE
 * epochs, keeping the best epoch's parameters (TrainOptions.patience, restoreBest).
 *
 * The setting is regularisation's overfitting one without the penalty (regularisation.ts:
 * 40 breast-cancer rows to train on, the other rows for validation, 64 tanh units, full-batch
 * gradient descent at η = 0.5), so the validation curve is smooth and turns up. Each of SEEDS
 * runs trains twice from the same start: with early stopping, and to the end of the epoch
 * budget without it. Full-batch steps make the two runs identical up to the stop (the tests
 * check it), so the early-stopped run's last-epoch parameters are the full run's at that epoch.
 * Reported per run: the epoch it stopped at, the best epoch, the validation loss and accuracy
 * of the restored (best) parameters, of the last epoch trained, and at the end of the full run.
 *
 * Sizes: an evaluated epoch costs a forward pass over the 529 validation rows, so only the first
 * full run (drawn in the figure) evaluates every epoch; with 5 seeds the experiment takes a few
 * seconds on one core of the 2-core CI machine.
 */
import { forward, initParams, loss, accuracy, type Params } from "../nn/index.js";
import { streamSeed } from "../rng.js";
import type { EarlyStop, EpochRecord } from "../train/index.js";
import type { Experiment, ExperimentResult, Figure, Table } from "./experiment.js";
import { percent, sig } from "./format.js";
import { SETUP as OVERFIT } from "./regularisation.js";
import {
  breastCancerSplit,
  mean,
  replicateSeeds,
  trainOutcome,
  type Split,
} from "./training-runs.js";
import { summaryOf } from "./catalogue.js";

export const SETUP = {
  trainRows: OVERFIT.trainRows,
  hidden: OVERFIT.hidden,
  learningRate: OVERFIT.learningRate,
  epochs: OVERFIT.epochs,
  patience: 50,
  seeds: 5,
} as const;

/** One seed's pair of runs. */
export interface StoppingRun {
  readonly seed: number;
  readonly split: Split;
  /** The early-stopped run. */
  readonly stop: EarlyStop;
  readonly stoppedHistory: readonly EpochRecord[];
  readonly restoredParams: Params;
  /** The validation loss and accuracy of the restored parameters, recomputed. */
  readonly restoredValidationLoss: number;
  readonly restoredValidationAccuracy: number;
  /** The full run (no early stopping): every epoch, or epochs 0 and the last (fullCurve false). */
  readonly fullHistory: readonly EpochRecord[];
}

export interface EarlyStoppingMeasurement {
  readonly runs: readonly StoppingRun[];
}

function validationOf(params: Params, split: Split): { loss: number; accuracy: number } {
  const cache = forward(params, split.validation.X, "tanh");
  return { loss: loss(cache, split.validation.y), accuracy: accuracy(cache.p, split.validation.y) };
}

/**
 * One seed's pair of runs; `fullCurve` false evaluates the full run at its ends only (its
 * history then holds epochs 0 and the last), which saves most of its time.
 */
export function stoppingRun(seed: number, fullCurve = true): StoppingRun {
  const split = breastCancerSplit(SETUP.trainRows, streamSeed(seed, "split"));
  const initial = initParams({
    inputs: split.train.X.cols,
    hidden: SETUP.hidden,
    init: "xavier",
    seed: streamSeed(seed, "init"),
  });
  const options = {
    activation: "tanh",
    learningRate: SETUP.learningRate,
    epochs: SETUP.epochs,
    batchSize: "full",
  } as const;
  const stopped = trainOutcome(initial, split, { ...options, patience: SETUP.patience });
  const full = trainOutcome(initial, split, {
    ...options,
    evaluate: fullCurve ? "every-epoch" : "first-and-last",
  });
  if (stopped.diverged || full.diverged) throw new Error("early-stopping: a run diverged");
  const stop = stopped.result.earlyStop ?? {
    // the budget ran out first: the run's last epoch is where it "stopped"
    reason: "early-stopping",
    epoch: SETUP.epochs,
    bestEpoch: NaN,
    bestValidationLoss: NaN,
    restored: false,
  };
  const restored = validationOf(stopped.result.params, split);
  return {
    seed,
    split,
    stop,
    stoppedHistory: stopped.result.history,
    restoredParams: stopped.result.params,
    restoredValidationLoss: restored.loss,
    restoredValidationAccuracy: restored.accuracy,
    fullHistory: full.result.history,
  };
}

export function measureEarlyStopping(seed: number): EarlyStoppingMeasurement {
  // the figure draws the first run's whole curve; the others need only the full run's end
  return { runs: replicateSeeds(seed, SETUP.seeds).map((s, i) => stoppingRun(s, i === 0)) };
}

/** The validation loss and accuracy at the last epoch of a history. */
function lastOf(history: readonly EpochRecord[]): EpochRecord {
  return history[history.length - 1]!;
}

function runsTable(m: EarlyStoppingMeasurement): Table {
  return {
    name: "runs",
    title: `Breast cancer, ${SETUP.trainRows} training rows, ${SETUP.hidden} tanh units, full-batch gradient descent (η = ${SETUP.learningRate}), patience ${SETUP.patience} epochs, budget ${SETUP.epochs} epochs: validation cross-entropy (accuracy) of the restored best epoch, of the last epoch trained, and at the end of the budget without early stopping`,
    columns: [
      "run",
      "stopped at",
      "best epoch",
      "restored (best)",
      "last epoch trained",
      `trained to ${SETUP.epochs}`,
    ],
    rows: m.runs.map((r, i) => {
      const last = lastOf(r.stoppedHistory);
      const end = lastOf(r.fullHistory);
      const cell = (lossValue: number, acc: number): string =>
        `${sig(lossValue, 3)} (${percent(acc)})`;
      return [
        String(i + 1),
        String(r.stop.epoch),
        String(r.stop.bestEpoch),
        cell(r.restoredValidationLoss, r.restoredValidationAccuracy),
        cell(last.validationLoss!, last.validationAccuracy!),
        cell(end.validationLoss!, end.validationAccuracy!),
      ];
    }),
  };
}

function curveFigure(m: EarlyStoppingMeasurement): Figure {
  const r = m.runs[0]!;
  const values = r.fullHistory.flatMap((h) => [
    { epoch: h.epoch, loss: h.validationLoss!, set: "validation" },
    { epoch: h.epoch, loss: h.loss, set: "training" },
  ]);
  const marks = [
    { epoch: r.stop.bestEpoch, label: `best epoch ${r.stop.bestEpoch} (restored)` },
    { epoch: r.stop.epoch, label: `stopped at ${r.stop.epoch}` },
  ];
  return {
    name: "curve",
    title: "The validation loss of run 1, with the best epoch and the stop marked",
    spec: {
      $schema: "https://vega.github.io/schema/vega-lite/v6.json",
      title: `Run 1: cross-entropy per epoch (trained to ${SETUP.epochs}); patience ${SETUP.patience}`,
      width: 480,
      // A symmetric-log epoch axis: the first hundred epochs, where the run stops, get room
      // beside the rest of the budget.
      resolve: { scale: { x: "shared" } },
      layer: [
        {
          data: { values },
          mark: { type: "line", strokeWidth: 1.5 },
          encoding: {
            x: {
              field: "epoch",
              type: "quantitative",
              title: "epoch (symmetric log scale)",
              scale: { type: "symlog" },
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
        {
          data: { values: marks },
          mark: { type: "rule", strokeDash: [4, 3] },
          encoding: {
            x: { field: "epoch", type: "quantitative" },
            color: { value: "gray" },
          },
        },
        {
          data: { values: marks },
          mark: { type: "text", angle: 270, align: "left", dx: 4, dy: -4, fontSize: 10 },
          encoding: {
            x: { field: "epoch", type: "quantitative" },
            y: { value: 230 },
            text: { field: "label" },
          },
        },
      ],
    },
  };
}

/** The tables, figures and key numbers of a measurement. */
export function report(m: EarlyStoppingMeasurement): ExperimentResult {
  const runs = m.runs;
  const restored = runs.map((r) => r.restoredValidationLoss);
  const lastTrained = runs.map((r) => lastOf(r.stoppedHistory).validationLoss!);
  const end = runs.map((r) => lastOf(r.fullHistory).validationLoss!);
  const stoppedAt = runs.map((r) => r.stop.epoch);
  const first = runs[0]!;
  const numbers: Record<string, string> = {
    patience: String(SETUP.patience),
    epochs: String(SETUP.epochs),
    seeds: String(SETUP.seeds),
    "stopped-early": `${runs.filter((r) => r.stoppedHistory.length - 1 < SETUP.epochs).length}/${runs.length}`,
    "stop-min": String(Math.min(...stoppedAt)),
    "stop-max": String(Math.max(...stoppedAt)),
    "best-min": String(Math.min(...runs.map((r) => r.stop.bestEpoch))),
    "best-max": String(Math.max(...runs.map((r) => r.stop.bestEpoch))),
    "epochs-saved": percent(1 - mean(stoppedAt) / SETUP.epochs, 0),
    "restored-loss": sig(mean(restored), 3),
    "last-trained-loss": sig(mean(lastTrained), 3),
    "end-loss": sig(mean(end), 3),
    "restored-accuracy": percent(mean(runs.map((r) => r.restoredValidationAccuracy))),
    "end-accuracy": percent(mean(runs.map((r) => lastOf(r.fullHistory).validationAccuracy!))),
    "restored-beats-end": `${runs.filter((_, i) => restored[i]! < end[i]!).length}/${runs.length}`,
    "run1-stop": String(first.stop.epoch),
    "run1-best": String(first.stop.bestEpoch),
  };
  return { tables: [runsTable(m)], figures: [curveFigure(m)], numbers };
}

export const earlyStopping: Experiment = {
  run: ({ seed }) => report(measureEarlyStopping(seed)),
  name: "early-stopping",
  summary: summaryOf("early-stopping"),
};
