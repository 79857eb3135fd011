/**
 * optimizers: sgd, momentum, nesterov and adam (train/optimizers.ts, default hyper-parameters
 * μ = 0.9, β1 = 0.9, β2 = 0.999, ε = 1e-8) on moons, spirals and the breast-cancer data.
 *
 * The measure is the epochs to a training loss (mean cross-entropy on the whole training set,
 * after each epoch) of TARGET = 0.05: the geometric mean of the probability given to the right
 * class is then e^−0.05 ≈ 0.95, a confident fit, well below ln 2 ≈ 0.69 (a coin flip), and low
 * enough that the easy breast-cancer data does not reach it in an epoch or two, yet every set
 * can reach it within its epoch budget. Also reported: the final training and validation
 * accuracy after the budget.
 *
 * Fair rates: each optimizer gets its own learning rate, chosen by the same sweep over a grid
 * of five rates two decades wide (sgd 0.1…10; momentum and nesterov, whose step is about
 * η/(1 − μ) = 10η, 0.03…3; adam, whose step is about η per weight whatever the gradient's size,
 * 0.01…1) on TUNING_SEEDS runs that are not the ones reported. The rule: fewest tuning runs that
 * miss the target (diverged runs miss it), then fewest mean epochs to it, then the lowest mean
 * final training loss. The rate chosen and whether it sits at the edge of its grid are in the
 * table. Then SEEDS fresh runs (new data draw, split, initial weights and shuffling) at that
 * rate are reported.
 *
 * Sizes keep the whole experiment near 10 s on one core of the 2-core CI machine, which reruns
 * it in the drift test (12 s measured with the machine shared): 300 toy rows (a quarter held out), mini-batches of 32, tanh, Xavier
 * init; 16 hidden units (moons, breast cancer) or 32 (spirals); 100, 300 and 50 epochs.
 */
import { initParams, type Params } from "../nn/index.js";
import { streamSeed } from "../rng.js";
import { OPTIMIZER_NAMES, type OptimizerName } from "../train/index.js";
import type { Experiment, ExperimentResult, Figure, Table } from "./experiment.js";
import { exp } from "../numerics/exp.js";
import { fixed, percent, sig } from "./format.js";
import {
  breastCancerSplit,
  geometricMean,
  mean,
  median,
  replicateSeeds,
  sampleStd,
  toySplit,
  trainOutcome,
  type Split,
} from "./training-runs.js";
import { summaryOf } from "./catalogue.js";

export const TARGET = 0.05;
export const SEEDS = 5;
export const TUNING_SEEDS = 2;
export const BATCH = 32;

export type DataName = "moons" | "spirals" | "breast-cancer";

/** One data set of the comparison: how to draw it, the network and the epoch budget. */
export interface DataSetting {
  readonly name: DataName;
  readonly label: string;
  readonly inputs: number;
  readonly hidden: number;
  readonly epochs: number;
  readonly split: (seed: number) => Split;
}

export const DATA: readonly DataSetting[] = [
  {
    name: "moons",
    label: "moons",
    inputs: 2,
    hidden: 16,
    epochs: 100,
    split: (seed) => toySplit("moons", 300, 0.25, seed),
  },
  {
    name: "spirals",
    label: "spirals",
    inputs: 2,
    hidden: 32,
    epochs: 300,
    split: (seed) => toySplit("spirals", 300, 0.25, seed),
  },
  {
    name: "breast-cancer",
    label: "breast cancer",
    inputs: 30,
    hidden: 16,
    epochs: 50,
    split: (seed) => breastCancerSplit(427, streamSeed(seed, "split")),
  },
];

/** The learning rates each optimizer's sweep tries: five, two decades wide. */
export const GRID: Readonly<Record<OptimizerName, readonly number[]>> = {
  sgd: [0.1, 0.3, 1, 3, 10],
  momentum: [0.03, 0.1, 0.3, 1, 3],
  nesterov: [0.03, 0.1, 0.3, 1, 3],
  adam: [0.01, 0.03, 0.1, 0.3, 1],
};

/** One run: its loss per epoch and where it ended. */
export interface Run {
  readonly seed: number;
  readonly diverged: boolean;
  /** Training loss after epochs 0..E (empty when diverged). */
  readonly loss: readonly number[];
  /** The first epoch whose training loss is below TARGET, or null. */
  readonly epochsToTarget: number | null;
  readonly finalLoss: number;
  readonly trainAccuracy: number;
  readonly validationAccuracy: number;
}

/** The sweep's verdict on one rate: over the tuning runs. */
export interface SweepPoint {
  readonly rate: number;
  readonly misses: number;
  readonly meanEpochs: number; // over the runs that reached the target; Infinity if none did
  readonly meanFinalLoss: number; // Infinity if a run diverged
}

/** One (data set, optimizer) cell of the comparison. */
export interface Cell {
  readonly data: DataName;
  readonly optimizer: OptimizerName;
  readonly sweep: readonly SweepPoint[];
  readonly rate: number;
  readonly runs: readonly Run[];
}

export interface OptimizersMeasurement {
  readonly cells: readonly Cell[];
}

function initialParams(d: DataSetting, seed: number): Params {
  return initParams({
    inputs: d.inputs,
    hidden: d.hidden,
    init: "xavier",
    seed: streamSeed(seed, "init"),
  });
}

/**
 * Trains one run of `d` from `seed` with `optimizer` at `rate`; `validate` false skips the
 * validation rows (the sweep does not look at them), leaving validationAccuracy NaN.
 */
export function runOnce(
  d: DataSetting,
  optimizer: OptimizerName,
  rate: number,
  seed: number,
  validate = true,
): Run {
  const options = {
    activation: "tanh",
    learningRate: rate,
    epochs: d.epochs,
    batchSize: BATCH,
    seed: streamSeed(seed, "shuffle"),
    optimizer,
  } as const;
  const outcome = trainOutcome(initialParams(d, seed), d.split(seed), options, validate);
  if (outcome.diverged) {
    return {
      seed,
      diverged: true,
      loss: [],
      epochsToTarget: null,
      finalLoss: Infinity,
      trainAccuracy: NaN,
      validationAccuracy: NaN,
    };
  }
  const history = outcome.result.history;
  const loss = history.map((h) => h.loss);
  const hit = loss.findIndex((l) => l < TARGET);
  const last = history[history.length - 1]!;
  return {
    seed,
    diverged: false,
    loss,
    epochsToTarget: hit < 0 ? null : hit,
    finalLoss: last.loss,
    trainAccuracy: last.accuracy,
    validationAccuracy: last.validationAccuracy ?? NaN,
  };
}

/** The sweep's score of a rate over its tuning runs. */
export function sweepPoint(rate: number, runs: readonly Run[]): SweepPoint {
  const reached = runs.flatMap((r) => (r.epochsToTarget === null ? [] : [r.epochsToTarget]));
  return {
    rate,
    misses: runs.length - reached.length,
    meanEpochs: reached.length > 0 ? mean(reached) : Infinity,
    meanFinalLoss: mean(runs.map((r) => r.finalLoss)),
  };
}

/** The sweep's choice: fewest misses, then fewest mean epochs, then lowest mean final loss. */
export function chooseRate(sweep: readonly SweepPoint[]): number {
  const better = (a: SweepPoint, b: SweepPoint): boolean =>
    a.misses !== b.misses
      ? a.misses < b.misses
      : a.meanEpochs !== b.meanEpochs
        ? a.meanEpochs < b.meanEpochs
        : a.meanFinalLoss < b.meanFinalLoss;
  return sweep.reduce((best, p) => (better(p, best) ? p : best)).rate;
}

/** The raw measurement (the tests check its claims). */
export function measureOptimizers(seed: number): OptimizersMeasurement {
  const tuning = replicateSeeds(seed, TUNING_SEEDS);
  const reported = replicateSeeds(seed, SEEDS, TUNING_SEEDS);
  const cells: Cell[] = [];
  for (const d of DATA) {
    for (const optimizer of OPTIMIZER_NAMES) {
      const sweep = GRID[optimizer].map((rate) =>
        sweepPoint(
          rate,
          tuning.map((s) => runOnce(d, optimizer, rate, s, false)),
        ),
      );
      const rate = chooseRate(sweep);
      const runs = reported.map((s) => runOnce(d, optimizer, rate, s));
      cells.push({ data: d.name, optimizer, sweep, rate, runs });
    }
  }
  return { cells };
}

/** Summary of a cell's reported runs. */
export interface CellSummary {
  readonly reached: number;
  readonly medianEpochs: number; // over the runs that reached the target (NaN if none)
  readonly minEpochs: number;
  readonly maxEpochs: number;
  readonly finalLoss: number; // geometric mean over the runs that did not diverge
  readonly trainAccuracy: number;
  readonly validationAccuracy: number;
  readonly validationAccuracyStd: number;
  readonly diverged: number;
}

export function summarise(cell: Cell): CellSummary {
  const finite = cell.runs.filter((r) => !r.diverged);
  const epochs = cell.runs.flatMap((r) => (r.epochsToTarget === null ? [] : [r.epochsToTarget]));
  return {
    reached: epochs.length,
    medianEpochs: median(epochs),
    minEpochs: Math.min(...epochs),
    maxEpochs: Math.max(...epochs),
    finalLoss: geometricMean(finite.map((r) => r.finalLoss)),
    trainAccuracy: mean(finite.map((r) => r.trainAccuracy)),
    validationAccuracy: mean(finite.map((r) => r.validationAccuracy)),
    validationAccuracyStd: sampleStd(finite.map((r) => r.validationAccuracy)),
    diverged: cell.runs.length - finite.length,
  };
}

function dataSetting(name: DataName): DataSetting {
  return DATA.find((d) => d.name === name)!;
}

function rateCell(cell: Cell): string {
  const grid = GRID[cell.optimizer];
  const edge = cell.rate === grid[0] || cell.rate === grid[grid.length - 1];
  return edge ? `${sig(cell.rate)} (grid edge)` : sig(cell.rate);
}

function epochsCell(s: CellSummary): string {
  if (s.reached === 0) return "not reached";
  const range = s.minEpochs === s.maxEpochs ? "" : ` (${s.minEpochs}–${s.maxEpochs})`;
  return `${sig(s.medianEpochs)}${range}`;
}

function comparisonTable(m: OptimizersMeasurement): Table {
  return {
    name: "comparison",
    title: `Epochs to a training loss below ${TARGET} (median, range over the runs that reach it) and accuracy after the budget; ${SEEDS} runs per row at the rate the sweep chose`,
    columns: [
      "data",
      "optimizer",
      "η (sweep)",
      "reached",
      "epochs to target",
      "final train loss",
      "train acc.",
      "validation acc. (± sd)",
    ],
    rows: m.cells.map((cell) => {
      const s = summarise(cell);
      const d = dataSetting(cell.data);
      return [
        `${d.label} (${d.epochs} epochs)`,
        cell.optimizer,
        rateCell(cell),
        `${s.reached}/${cell.runs.length}${s.diverged > 0 ? `, ${s.diverged} diverged` : ""}`,
        epochsCell(s),
        sig(s.finalLoss, 2),
        percent(s.trainAccuracy),
        `${percent(s.validationAccuracy)} ± ${fixed(100 * s.validationAccuracyStd, 1)}`,
      ];
    }),
  };
}

function sweepTable(m: OptimizersMeasurement): Table {
  return {
    name: "sweep",
    title: `The learning-rate sweep, on ${TUNING_SEEDS} tuning runs per rate (not the reported ones): misses of the target, mean epochs to it, mean final training loss; * = chosen`,
    columns: ["data", "optimizer", "η", "misses", "mean epochs to target", "mean final loss"],
    rows: m.cells.flatMap((cell) =>
      cell.sweep.map((p) => [
        dataSetting(cell.data).label,
        cell.optimizer,
        p.rate === cell.rate ? `${sig(p.rate)} *` : sig(p.rate),
        String(p.misses),
        Number.isFinite(p.meanEpochs) ? sig(p.meanEpochs) : "–",
        Number.isFinite(p.meanFinalLoss) ? sig(p.meanFinalLoss, 2) : "diverged",
      ]),
    ),
  };
}

function curvesFigure(m: OptimizersMeasurement): Figure {
  const values = m.cells.flatMap((cell) => {
    const runs = cell.runs.filter((r) => !r.diverged);
    if (runs.length === 0) return [];
    const d = dataSetting(cell.data);
    return runs[0]!.loss.map((_, epoch) => ({
      data: d.label,
      epoch,
      loss: geometricMean(runs.map((r) => r.loss[epoch]!)),
      optimizer: cell.optimizer,
    }));
  });
  return {
    name: "curves",
    title: "Training loss per epoch of each optimizer at its chosen rate",
    spec: {
      $schema: "https://vega.github.io/schema/vega-lite/v6.json",
      title: `Training loss (geometric mean of ${SEEDS} runs), each optimizer at its swept rate; dashed: the target ${TARGET}`,
      data: { values },
      facet: {
        column: { field: "data", type: "nominal", title: null, sort: DATA.map((d) => d.label) },
      },
      spec: {
        width: 240,
        height: 220,
        layer: [
          {
            mark: { type: "line", strokeWidth: 1.5 },
            encoding: {
              x: { field: "epoch", type: "quantitative", title: "epoch" },
              y: {
                field: "loss",
                type: "quantitative",
                scale: { type: "log" },
                title: "training loss",
              },
              color: {
                field: "optimizer",
                type: "nominal",
                title: "optimizer",
                sort: [...OPTIMIZER_NAMES],
              },
            },
          },
          {
            mark: { type: "rule", strokeDash: [4, 3], color: "gray" },
            encoding: { y: { datum: TARGET } },
          },
        ],
      },
      resolve: { scale: { x: "independent" } },
    },
  };
}

/** The tables, figures and key numbers of a measurement. */
export function report(m: OptimizersMeasurement): ExperimentResult {
  const numbers: Record<string, string> = {
    target: String(TARGET),
    "target-probability": fixed(exp(-TARGET), 2),
    "coin-flip-loss": fixed(Math.LN2, 2),
    seeds: String(SEEDS),
    "tuning-seeds": String(TUNING_SEEDS),
    batch: String(BATCH),
  };
  for (const d of DATA) {
    numbers[`${d.name}-epochs`] = String(d.epochs);
    const cells = m.cells.filter((c) => c.data === d.name);
    for (const cell of cells) {
      const s = summarise(cell);
      const key = `${d.name}-${cell.optimizer}`;
      numbers[`${key}-rate`] = sig(cell.rate);
      numbers[`${key}-reached`] = `${s.reached}/${cell.runs.length}`;
      numbers[`${key}-epochs`] = s.reached > 0 ? sig(s.medianEpochs) : "not reached";
      numbers[`${key}-validation`] = percent(s.validationAccuracy);
      numbers[`${key}-train`] = percent(s.trainAccuracy);
    }
    // the fastest: most runs reaching, then lowest median epochs
    const ranked = [...cells].sort((a, b) => {
      const sa = summarise(a);
      const sb = summarise(b);
      const epochs = (x: CellSummary): number => (x.reached > 0 ? x.medianEpochs : Infinity);
      return sb.reached - sa.reached || epochs(sa) - epochs(sb);
    });
    // Every rule tied with the first (same runs reaching, same median), named in the list's order.
    const key = (c: (typeof cells)[number]): string => {
      const x = summarise(c);
      return `${x.reached} ${x.reached > 0 ? x.medianEpochs : "-"}`;
    };
    const tied = ranked.filter((c) => key(c) === key(ranked[0]!)).map((c) => c.optimizer);
    numbers[`${d.name}-fastest`] =
      tied.length === 1 ? tied[0]! : `${tied.slice(0, -1).join(", ")} and ${tied.at(-1)!} (tied)`;
    // The spread of the accuracies as the table prints them (percent to one decimal).
    const shown = cells.map((c) => Number(fixed(100 * summarise(c).validationAccuracy, 1)));
    numbers[`${d.name}-validation-spread`] =
      `${fixed(Math.max(...shown) - Math.min(...shown), 1)} points`;
  }
  // the rules that reached the target in every reported run on every data set
  const always = OPTIMIZER_NAMES.filter((o) =>
    m.cells.filter((c) => c.optimizer === o).every((c) => summarise(c).reached === c.runs.length),
  );
  numbers["always-reached"] = always.length > 0 ? always.join(", ") : "none";
  const misses = m.cells.reduce((n, c) => n + c.runs.length - summarise(c).reached, 0);
  numbers["missed-runs"] = String(misses);
  numbers["runs"] = String(m.cells.reduce((n, c) => n + c.runs.length, 0));
  const edges = m.cells.filter((c) => rateCell(c).includes("edge"));
  numbers["grid-edge-cells"] = String(edges.length);
  return {
    tables: [comparisonTable(m), sweepTable(m)],
    figures: [curvesFigure(m)],
    numbers,
  };
}

export const optimizers: Experiment = {
  run: ({ seed }) => report(measureOptimizers(seed)),
  name: "optimizers",
  summary: summaryOf("optimizers"),
};
