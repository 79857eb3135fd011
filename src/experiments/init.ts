/**
 * init: He vs Xavier (normal and uniform) for relu and tanh. Three measurements:
 *   1. the hidden layer at init on wide standard-normal input (init-stats.ts): Var(z1),
 *      E[a1²], Var(a1) against their closed forms; dead relu units (max_n z1[n][j] ≤ 0),
 *      inactive relu entries (z1 ≤ 0, ≈ 1/2), saturated tanh entries (|a1| > 0.99);
 *   2. Var(z_l) through a stack of equal-width layers against the recursion
 *      v_{l+1} = fan_in · Var(w) · E[f(z_l)²], which shows what each scheme keeps constant;
 *   3. training on standardised circles with every scheme × activation over several weight
 *      seeds (the same seeds for every scheme): loss curves, final loss, epochs to a target.
 */
import { applyStandardizer, fitStandardizer, makeDataset } from "../data/index.js";
import {
  activationByName,
  forward,
  initParams,
  type ActivationName,
  type InitName,
} from "../nn/index.js";
import { Rng, streamSeed } from "../rng.js";
import { train } from "../train/index.js";
import type { Experiment, ExperimentResult, Figure, Table } from "./experiment.js";
import { fixed, percent, sig } from "./format.js";
import {
  deadUnits,
  INIT_ACTIVATIONS,
  INITS,
  layerStats,
  LAYER,
  meanSquareActivation,
  stackStats,
  STACK,
} from "./init-stats.js";
import { summaryOf } from "./catalogue.js";

/** The training runs: standardised circles, N rows, H hidden units, full-batch gradient descent. */
export const TRAINING = {
  data: "circles",
  samples: 160,
  hidden: 16,
  learningRate: 1,
  epochs: 120,
  seeds: 5,
  targetLoss: 0.3,
} as const;

export interface TrainingRuns {
  readonly init: InitName;
  readonly activation: ActivationName;
  /** losses[s][e]: the training loss of seed s after epoch e (e = 0 is at init). */
  readonly losses: readonly (readonly number[])[];
  /** Dead relu units at init, per seed (0 for tanh). */
  readonly deadAtInit: readonly number[];
}

/** The weight seeds of the training runs, drawn from the experiment's seed. */
export function trainingSeeds(seed: number): number[] {
  const rng = new Rng(streamSeed(seed, "init"));
  return Array.from({ length: TRAINING.seeds }, () => rng.nextUint32());
}

/** Every scheme × activation trained from each of the weight seeds on the same data. */
export function trainingRuns(seed: number): TrainingRuns[] {
  const raw = makeDataset(TRAINING.data, {
    samples: TRAINING.samples,
    seed: streamSeed(seed, "data"),
  });
  const data = { X: applyStandardizer(raw.X, fitStandardizer(raw.X)), y: raw.y };
  const seeds = trainingSeeds(seed);
  const runs: TrainingRuns[] = [];
  for (const activation of INIT_ACTIVATIONS) {
    for (const init of INITS) {
      const losses: number[][] = [];
      const deadAtInit: number[] = [];
      for (const weightSeed of seeds) {
        const initial = initParams({
          inputs: data.X.cols,
          hidden: TRAINING.hidden,
          init,
          seed: weightSeed,
        });
        const z1 = forward(initial, data.X, activationByName(activation)).z1;
        deadAtInit.push(activation === "relu" ? deadUnits(z1) : 0);
        const { history } = train(initial, data, {
          activation,
          learningRate: TRAINING.learningRate,
          epochs: TRAINING.epochs,
          batchSize: "full",
        });
        losses.push(history.map((h) => h.loss));
      }
      runs.push({ init, activation, losses, deadAtInit });
    }
  }
  return runs;
}

/** The median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The first epoch whose loss is ≤ target, or undefined. */
export function epochsTo(losses: readonly number[], target: number): number | undefined {
  const e = losses.findIndex((l) => l <= target);
  return e < 0 ? undefined : e;
}

function run({ seed }: { seed: number }): ExperimentResult {
  const layer = layerStats(seed);
  const stack = stackStats(seed);
  const runs = trainingRuns(seed);
  const numbers: Record<string, string> = {
    "layer-N": String(LAYER.N),
    "layer-D": String(LAYER.D),
    "layer-H": String(LAYER.H),
    "xavier-var-z1-closed": sig((2 * LAYER.D) / (LAYER.D + LAYER.H)),
    "train-hidden": String(TRAINING.hidden),
    // The training data are standardised, D = 2: Var(z1) = 2 · Var(w) = 2 · 2/(2 + H) for Xavier.
    "train-var-z1-xavier": sig((2 * 2) / (2 + TRAINING.hidden)),
    "train-samples": String(TRAINING.samples),
    "train-rate": String(TRAINING.learningRate),
    "train-epochs": String(TRAINING.epochs),
    "train-seeds": String(TRAINING.seeds),
    "train-target": String(TRAINING.targetLoss),
    "stack-width": String(STACK.width),
    "stack-N": String(STACK.N),
    "stack-depth": String(STACK.depth),
  };

  const withClosed = (measured: number, closed: number): string =>
    `${sig(measured)} (${sig(closed)})`;
  const layerTable: Table = {
    name: "layer",
    title: `The hidden layer at init: N = ${LAYER.N} rows of D = ${LAYER.D} standard-normal features, H = ${LAYER.H} units, zero bias; measured (closed form)`,
    columns: [
      "init",
      "f",
      "Var(w)",
      "Var(z1)",
      "E[a1²]",
      "Var(a1)",
      "dead units",
      "entries z1 ≤ 0",
      "entries |a1| > 0.99",
    ],
    rows: layer.map((s) => [
      s.init,
      s.activation,
      withClosed(s.varW, s.varWClosed),
      withClosed(s.varZ1, s.varZ1Closed),
      withClosed(s.meanSquareA1, s.meanSquareA1Closed),
      withClosed(s.varA1, s.varA1Closed),
      s.activation === "relu" ? `${s.deadUnits} of ${LAYER.H}` : "—",
      s.activation === "relu" ? percent(s.inactive) : "—",
      s.activation === "tanh" ? `${percent(s.saturated)} (${percent(s.saturatedClosed)})` : "—",
    ]),
  };
  // the largest relative gap between a measured moment and its closed form, over the table
  const gap = (measured: number, closed: number): number => Math.abs(measured / closed - 1);
  numbers["layer-worst-gap"] = percent(
    Math.max(
      ...layer.flatMap((s) => [
        gap(s.varW, s.varWClosed),
        gap(s.varZ1, s.varZ1Closed),
        gap(s.meanSquareA1, s.meanSquareA1Closed),
        gap(s.varA1, s.varA1Closed),
      ]),
    ),
  );
  for (const s of layer) {
    const key = `${s.init}-${s.activation}`;
    numbers[`var-z1-${s.init}`] = sig(s.varZ1);
    numbers[`mean-a1-sq-${key}`] = sig(s.meanSquareA1);
    if (s.activation === "relu") {
      numbers[`dead-${s.init}`] = String(s.deadUnits);
      numbers[`inactive-${s.init}`] = percent(s.inactive);
    } else numbers[`saturated-${s.init}`] = percent(s.saturated);
  }

  const stackTable: Table = {
    name: "stack",
    title: `Var(z_l) through ${STACK.depth} stacked layers of width ${STACK.width} (N = ${STACK.N} standard-normal rows, zero biases): measured (recursion v_{l+1} = fan_in · Var(w) · E[f(z_l)²])`,
    columns: ["init", "f", ...Array.from({ length: STACK.depth }, (_, l) => `layer ${l + 1}`)],
    rows: stack.map((s) => [
      s.init,
      s.activation,
      ...s.varZ.map((v, l) => withClosed(v, s.varZClosed[l]!)),
    ]),
  };
  for (const s of stack) {
    numbers[`stack-last-${s.init}-${s.activation}`] = sig(s.varZ[s.varZ.length - 1]!);
  }
  // the fixed point v* = 2 E[tanh²(√v* Z)] that He's recursion for tanh approaches with depth
  let fixedPoint = 2;
  for (let i = 0; i < 200; i++) fixedPoint = 2 * meanSquareActivation("tanh", fixedPoint);
  numbers["stack-fixed-point-he-tanh"] = sig(fixedPoint);
  // the largest relative gap between a measured Var(z_l) and the recursion, per activation
  for (const activation of ["relu", "tanh"] as const) {
    numbers[`stack-worst-gap-${activation}`] = percent(
      Math.max(
        ...stack
          .filter((s) => s.activation === activation)
          .flatMap((s) => s.varZ.map((v, l) => gap(v, s.varZClosed[l]!))),
      ),
      0,
    );
  }

  const target = TRAINING.targetLoss;
  const trainingTable: Table = {
    name: "training",
    title: `Training on standardised ${TRAINING.data} (N = ${TRAINING.samples}, H = ${TRAINING.hidden}, full-batch GD, η = ${TRAINING.learningRate}, ${TRAINING.epochs} epochs) from ${TRAINING.seeds} weight seeds: median [min, max] over seeds`,
    columns: [
      "f",
      "init",
      `loss at epoch ${TRAINING.epochs / 4}`,
      `final loss`,
      `epochs to loss ≤ ${target}`,
      "dead relu units at init",
    ],
    rows: runs.map((r) => {
      const at = (e: number): number[] => r.losses.map((l) => l[e]!);
      const reached = r.losses.map((l) => epochsTo(l, target)).filter((e) => e !== undefined);
      const spread = (xs: number[], format: (x: number) => string): string =>
        `${format(median(xs))} [${format(Math.min(...xs))}, ${format(Math.max(...xs))}]`;
      const f3 = (x: number): string => fixed(x, 3);
      const epochs =
        reached.length === r.losses.length
          ? spread(reached, (x) => String(x))
          : `${reached.length} of ${r.losses.length} seeds`;
      return [
        r.activation,
        r.init,
        spread(at(TRAINING.epochs / 4), f3),
        spread(at(TRAINING.epochs), f3),
        epochs,
        String(r.deadAtInit.reduce((a, b) => a + b, 0)),
      ];
    }),
  };
  for (const r of runs) {
    const key = `${r.init}-${r.activation}`;
    numbers[`final-loss-${key}`] = fixed(median(r.losses.map((l) => l[TRAINING.epochs]!)), 3);
    const reached = r.losses.map((l) => epochsTo(l, target));
    const all = reached.filter((e) => e !== undefined);
    numbers[`epochs-to-target-${key}`] =
      all.length === reached.length ? String(median(all)) : "not reached";
  }

  return {
    tables: [layerTable, stackTable, trainingTable],
    figures: [stackFigure(stack), lossFigure(runs)],
    numbers,
  };
}

/** Var(z_l) against depth (log y), one line per scheme, one panel per activation. */
function stackFigure(stack: ReturnType<typeof stackStats>): Figure {
  const values = stack.flatMap((s) =>
    s.varZ.map((v, l) => ({
      init: s.init,
      f: s.activation,
      layer: l + 1,
      variance: v,
      closed: s.varZClosed[l],
    })),
  );
  return {
    name: "stack",
    title: "Var(z_l) through stacked layers, measured (lines) and by the recursion (dashed)",
    spec: {
      $schema: "https://vega.github.io/schema/vega-lite/v6.json",
      title: `Var(z_l) through ${STACK.depth} layers of width ${STACK.width}: measured (solid), recursion (dashed)`,
      data: { values },
      facet: { column: { field: "f", type: "nominal", title: null } },
      spec: {
        width: 240,
        height: 220,
        layer: [
          {
            mark: { type: "line", point: true },
            encoding: {
              x: { field: "layer", type: "ordinal", title: "layer l" },
              y: {
                field: "variance",
                type: "quantitative",
                scale: { type: "log" },
                title: "Var(z_l)",
              },
              color: { field: "init", type: "nominal" },
            },
          },
          {
            mark: { type: "line", strokeDash: [4, 3], opacity: 0.6 },
            encoding: {
              x: { field: "layer", type: "ordinal" },
              y: { field: "closed", type: "quantitative", scale: { type: "log" } },
              color: { field: "init", type: "nominal" },
            },
          },
        ],
      },
    },
  };
}

/** Training loss against epoch: the median over seeds (line) and the min–max band. */
function lossFigure(runs: readonly TrainingRuns[]): Figure {
  const values = runs.flatMap((r) =>
    Array.from({ length: TRAINING.epochs + 1 }, (_, e) => {
      const at = r.losses.map((l) => l[e]!);
      return {
        f: r.activation,
        init: r.init,
        scheme: r.init.startsWith("he") ? "he" : "xavier",
        distribution: r.init.endsWith("uniform") ? "uniform" : "normal",
        epoch: e,
        median: Number(median(at).toPrecision(4)),
        lo: Number(Math.min(...at).toPrecision(4)),
        hi: Number(Math.max(...at).toPrecision(4)),
      };
    }),
  );
  const y = { type: "log" as const, domain: [0.03, 1], clamp: true };
  return {
    name: "loss",
    title: "Training loss against epoch: median over seeds and min–max band",
    spec: {
      $schema: "https://vega.github.io/schema/vega-lite/v6.json",
      title: `Training loss on ${TRAINING.data} over ${TRAINING.seeds} weight seeds (median, min–max band)`,
      data: { values },
      facet: { column: { field: "f", type: "nominal", title: null } },
      spec: {
        width: 260,
        height: 220,
        layer: [
          {
            mark: { type: "area", opacity: 0.12 },
            encoding: {
              x: { field: "epoch", type: "quantitative" },
              y: { field: "lo", type: "quantitative", scale: y, title: "training loss" },
              y2: { field: "hi" },
              color: { field: "scheme", type: "nominal", title: "scheme", legend: null },
              detail: { field: "init", type: "nominal" },
            },
          },
          {
            mark: { type: "line" },
            encoding: {
              x: { field: "epoch", type: "quantitative", title: "epoch" },
              y: { field: "median", type: "quantitative", scale: y },
              color: { field: "scheme", type: "nominal", title: "scheme" },
              strokeDash: { field: "distribution", type: "nominal", title: "weights" },
            },
          },
        ],
      },
    },
  };
}

export const init: Experiment = {
  name: "init",
  summary: summaryOf("init"),
  run,
};
