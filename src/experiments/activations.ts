/**
 * Experiment `activations`: which hidden activation f trains this network fastest and
 * best on the four non-linear toy sets? relu, leaky relu, tanh and σ are trained with the
 * same H, learning rate, epochs and full-batch gradient descent, each from its default
 * init (He for relu-like f, Xavier otherwise; `defaultInitFor`), on the same data.
 *
 * Per (data set, f) it reports the epochs to reach a training loss ≤ TARGET_LOSS, the final
 * training and test accuracy, the gradient norm ‖∂L/∂W1‖ at the start and at the end, the
 * share of saturated (row, unit) pairs at the end (f′(z1) < 1 % of f′(0): tanh, σ), and the
 * dead units at the end (max_n z1[n, j] ≤ 0: relu, leaky relu). Why: the slope f′ is the
 * factor every hidden gradient goes through (δ1 = (δ2 W2ᵀ) ⊙ f′(z1)); σ′ ≤ 1/4 and σ's
 * outputs are all positive, relu′ is 1 or exactly 0.
 */
import { accuracy, activationByName, defaultInitFor, forward, initParams } from "../nn/index.js";
import type { ActivationName } from "../nn/index.js";
import { makeDataset, type ToyName } from "../data/index.js";
import { Rng, streamSeed } from "../rng.js";
import type { Experiment, ExperimentResult, Figure, Table } from "./experiment.js";
import { fixed, percent, sig } from "./format.js";
import { descend, saturatedFraction, type Data } from "./hidden-units.js";
import { summaryOf } from "./catalogue.js";

export const DATA_SETS: readonly ToyName[] = ["moons", "circles", "xor", "spirals"];
export const FUNCTIONS: readonly ActivationName[] = ["relu", "leaky-relu", "tanh", "sigmoid"];

/** The shared setting: N training rows, test rows, H units, η, epochs, repeats (seeds). */
export const SETTING = {
  samples: 100,
  testSamples: 200,
  hidden: 16,
  learningRate: 1,
  epochs: 250,
  repeats: 2,
} as const;

/** "Epochs to target" is the first epoch whose full training loss is ≤ this. */
export const TARGET_LOSS = 0.25;

/** One training run of f on a data set from one repeat's seeds. */
export interface Run {
  readonly data: ToyName;
  readonly f: ActivationName;
  readonly loss: number[]; // after 0..epochs steps
  readonly epochsToTarget: number | null;
  readonly trainAccuracy: number;
  readonly testAccuracy: number;
  readonly gradStart: number; // ‖∂L/∂W1‖ at the initial parameters
  readonly gradEnd: number; // ‖∂L/∂W1‖ after the last step
  readonly saturated: number; // share of (row, unit) pairs with f′ < 1 % of f′(0), at the end
  readonly dead: number; // units with max_n z1[n, j] ≤ 0, at the end
}

/** The data and init seeds of each repeat, from the experiment seed. */
function repeatSeeds(seed: number): { data: number; init: number }[] {
  const data = new Rng(streamSeed(seed, "data"));
  const init = new Rng(streamSeed(seed, "init"));
  return Array.from({ length: SETTING.repeats }, () => ({
    data: data.integer(2 ** 31),
    init: init.integer(2 ** 31),
  }));
}

/** Every run: data sets × functions × repeats, in that order. */
export function runAll(seed: number): Run[] {
  const runs: Run[] = [];
  const seeds = repeatSeeds(seed);
  for (const name of DATA_SETS) {
    for (const { data: dataSeed, init } of seeds) {
      const train = makeDataset(name, { samples: SETTING.samples, seed: dataSeed });
      const test = makeDataset(name, { samples: SETTING.testSamples, seed: dataSeed + 1 });
      for (const f of FUNCTIONS) runs.push(runOne(name, f, train, test, init));
    }
  }
  return runs;
}

function runOne(data: ToyName, f: ActivationName, train: Data, test: Data, initSeed: number): Run {
  const activation = activationByName(f);
  const initial = initParams({
    inputs: train.X.cols,
    hidden: SETTING.hidden,
    init: defaultInitFor(f),
    seed: initSeed,
  });
  const t = descend(initial, train, activation, SETTING.learningRate, SETTING.epochs);
  const end = forward(t.params, train.X, activation);
  const reached = t.loss.findIndex((L) => L <= TARGET_LOSS);
  return {
    data,
    f,
    loss: t.loss,
    epochsToTarget: reached < 0 ? null : reached,
    trainAccuracy: accuracy(end.p, train.y),
    testAccuracy: accuracy(forward(t.params, test.X, activation).p, test.y),
    gradStart: t.gradNormW1[0]!,
    gradEnd: t.gradNormW1[t.gradNormW1.length - 1]!,
    saturated: saturatedFraction(end, activation),
    dead: t.dead[t.dead.length - 1]?.length ?? 0,
  };
}

const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
const reluLike = (f: ActivationName): boolean => f === "relu" || f === "leaky-relu";

/** The runs of one (data set, f) cell, one per repeat. */
export function cell(runs: readonly Run[], data: ToyName, f: ActivationName): Run[] {
  return runs.filter((r) => r.data === data && r.f === f);
}

function epochsText(rs: readonly Run[]): string {
  return rs.map((r) => (r.epochsToTarget === null ? "—" : String(r.epochsToTarget))).join(" / ");
}

function table(runs: readonly Run[]): Table {
  const rows: string[][] = [];
  for (const data of DATA_SETS) {
    for (const f of FUNCTIONS) {
      const rs = cell(runs, data, f);
      rows.push([
        data,
        f,
        defaultInitFor(f),
        epochsText(rs),
        percent(mean(rs.map((r) => r.trainAccuracy))),
        percent(mean(rs.map((r) => r.testAccuracy))),
        sig(mean(rs.map((r) => r.gradStart)), 2),
        sig(mean(rs.map((r) => r.gradEnd)), 2),
        reluLike(f) ? "n/a" : percent(mean(rs.map((r) => r.saturated))),
        reluLike(f) ? fixed(mean(rs.map((r) => r.dead)), 1) : "n/a",
      ]);
    }
  }
  return {
    name: "summary",
    title:
      `Full-batch GD, H = ${SETTING.hidden}, η = ${SETTING.learningRate}, ${SETTING.epochs} epochs, ` +
      `N = ${SETTING.samples} (test ${SETTING.testSamples}); ${SETTING.repeats} seeds (epochs per seed, the rest averaged)`,
    columns: [
      "data",
      "f",
      "init",
      `epochs to L ≤ ${TARGET_LOSS}`,
      "train acc",
      "test acc",
      "‖∇W1‖ start",
      "‖∇W1‖ end",
      "saturated (end)",
      `dead units of ${SETTING.hidden} (end)`,
    ],
    rows,
  };
}

/** Training loss against epoch, one panel per data set, one line per f (mean over seeds). */
function lossFigure(runs: readonly Run[]): Figure {
  const values: { data: string; f: string; epoch: number; loss: number }[] = [];
  for (const data of DATA_SETS) {
    for (const f of FUNCTIONS) {
      const rs = cell(runs, data, f);
      for (let epoch = 0; epoch <= SETTING.epochs; epoch += 5) {
        values.push({
          data,
          f,
          epoch,
          loss: Number(mean(rs.map((r) => r.loss[epoch] ?? NaN)).toPrecision(4)),
        });
      }
    }
  }
  return {
    name: "loss",
    title: "Training loss by activation on each data set",
    spec: {
      $schema: "https://vega.github.io/schema/vega-lite/v6.json",
      data: { values },
      facet: { field: "data", type: "nominal", title: null, sort: [...DATA_SETS] },
      columns: 2,
      spec: {
        width: 260,
        height: 170,
        mark: { type: "line" },
        encoding: {
          x: { field: "epoch", type: "quantitative", title: "epoch (full-batch step)" },
          y: {
            field: "loss",
            type: "quantitative",
            scale: { type: "log" },
            title: "training loss (mean BCE)",
          },
          color: {
            field: "f",
            type: "nominal",
            title: "activation",
            scale: { domain: [...FUNCTIONS], range: ["#1f4e9c", "#f58518", "#d62728", "#2ca02c"] },
          },
          // leaky relu's curve lies on relu's: relu wide and solid underneath, leaky relu
          // narrow and dashed on top, so both stay visible
          strokeDash: {
            field: "f",
            type: "nominal",
            title: "activation",
            scale: {
              domain: [...FUNCTIONS],
              range: [
                [1, 0],
                [5, 3],
                [2, 2],
                [8, 3, 2, 3],
              ],
            },
          },
          strokeWidth: {
            field: "f",
            type: "nominal",
            sort: [...FUNCTIONS],
            title: "activation",
            scale: { domain: [...FUNCTIONS], range: [4, 1.8, 2, 2] },
          },
        },
      },
    },
  };
}

function numbers(runs: readonly Run[]): Record<string, string> {
  const out: Record<string, string> = {
    target: String(TARGET_LOSS),
    hidden: String(SETTING.hidden),
    epochs: String(SETTING.epochs),
    rate: String(SETTING.learningRate),
    samples: String(SETTING.samples),
    repeats: String(SETTING.repeats),
  };
  for (const data of DATA_SETS) {
    for (const f of FUNCTIONS) {
      const rs = cell(runs, data, f);
      const key = `${f}-${data}`;
      out[`epochs-${key}`] = epochsText(rs);
      out[`test-${key}`] = percent(mean(rs.map((r) => r.testAccuracy)));
      out[`grad0-${key}`] = sig(mean(rs.map((r) => r.gradStart)), 2);
      if (!reluLike(f)) out[`saturated-${key}`] = percent(mean(rs.map((r) => r.saturated)));
    }
  }
  const of = (f: ActivationName): Run[] => runs.filter((r) => r.f === f);
  out["dead-relu-total"] = String(of("relu").reduce((s, r) => s + r.dead, 0));
  out["runs-per-f"] = String(of("relu").length);
  out["reached-sigmoid"] = String(of("sigmoid").filter((r) => r.epochsToTarget !== null).length);
  out["reached-tanh"] = String(of("tanh").filter((r) => r.epochsToTarget !== null).length);
  out["reached-relu"] = String(of("relu").filter((r) => r.epochsToTarget !== null).length);
  // ‖∇W1‖ at the start: how much smaller σ's is than tanh's (the same Xavier draws).
  out["grad0-ratio-sigmoid-tanh"] = sig(
    mean(of("sigmoid").map((r, i) => r.gradStart / (of("tanh")[i] as Run).gradStart)),
    2,
  );
  out["saturated-tanh-max"] = percent(Math.max(...of("tanh").map((r) => r.saturated)));
  out["saturated-sigmoid-max"] = percent(Math.max(...of("sigmoid").map((r) => r.saturated)));
  return out;
}

/** The tables, figure and key numbers of a set of runs. */
export function summarise(runs: readonly Run[]): ExperimentResult {
  return { tables: [table(runs)], figures: [lossFigure(runs)], numbers: numbers(runs) };
}

export function runActivations(seed: number): ExperimentResult {
  return summarise(runAll(seed));
}

export const activations: Experiment = {
  name: "activations",
  summary: summaryOf("activations"),
  run: ({ seed }) => runActivations(seed),
};
