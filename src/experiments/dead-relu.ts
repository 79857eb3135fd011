/**
 * Experiment `dead-relu`: a relu unit that outputs 0 for every example. Unit j is dead on a
 * data set when max_n z1[n, j] ≤ 0: then relu′(z1[n, j]) = 0 on every row, the j-th column
 * of δ1 = (δ2 W2ᵀ) ⊙ f′(z1) is 0, and so are dW1[:, j] = Xᵀ δ1[:, j] and db1[j]. Gradient
 * descent on the same data then never moves W1[:, j] or b1[j] again: the unit stays dead.
 *
 * It provokes dead units two ways (a learning rate large enough that one step throws units
 * into the all-negative region; b1 shifted negative so units start dead), checks the
 * detection (exact zero analytic gradient, and a central difference that is exactly 0 too),
 * counts them over training, and compares mitigations: a lower rate, leaky relu (slope 0.01
 * for z < 0, so the gradient is small but not 0), He init against a too-large init, and a
 * small positive initial bias. All runs: spirals, full-batch gradient descent.
 */
import { lossAt, forward, accuracy, activationByName, backward, initParams } from "../nn/index.js";
import type { ActivationName, Params } from "../nn/index.js";
import { map, scale, type Matrix } from "../linalg/index.js";
import { makeDataset } from "../data/index.js";
import { Rng, streamSeed } from "../rng.js";
import type { Experiment, ExperimentResult, Figure, Table } from "./experiment.js";
import { square } from "./elementary.js";
import { percent, sig } from "./format.js";
import { deadUnits, descend, type Data, type Trajectory } from "./hidden-units.js";
import { summaryOf } from "./catalogue.js";

export const SETTING = {
  data: "spirals",
  samples: 100,
  testSamples: 200,
  hidden: 32,
  epochs: 400,
} as const;

/** One way to start and train the network. */
export interface Scenario {
  readonly key: string;
  readonly label: string;
  readonly f: ActivationName;
  /** W1 and W2 are He draws times this (1: He init). */
  readonly weightScale: number;
  /** Every bias starts here (initParams' biasInit)... */
  readonly biasInit: number;
  /** ...and b1 is then shifted by this. */
  readonly biasShift: number;
  readonly rate: number;
}

const base = { f: "relu", weightScale: 1, biasInit: 0, biasShift: 0 } as const;

/** The provocations first, then the mitigations. */
export const SCENARIOS: readonly Scenario[] = [
  { ...base, key: "reference", label: "reference (η = 1)", rate: 1 },
  { ...base, key: "large-rate", label: "large rate (η = 8)", rate: 8 },
  { ...base, key: "negative-bias", label: "b1 shifted by −1.5", rate: 1, biasShift: -1.5 },
  { ...base, key: "rate-4", label: "lower rate (η = 4), He init", rate: 4 },
  { ...base, key: "leaky-large-rate", label: "leaky relu, η = 8", f: "leaky-relu", rate: 8 },
  {
    ...base,
    key: "leaky-negative-bias",
    label: "leaky relu, b1 shifted by −1.5",
    f: "leaky-relu",
    rate: 1,
    biasShift: -1.5,
  },
  { ...base, key: "bias-0.01", label: "bias init 0.01, η = 8", rate: 8, biasInit: 0.01 },
  { ...base, key: "bias-0.1", label: "bias init 0.1, η = 8", rate: 8, biasInit: 0.1 },
  { ...base, key: "large-init", label: "He init × 3 (std), η = 4", rate: 4, weightScale: 3 },
];

/** What happened to the hidden units in one run. */
export interface Outcome {
  readonly scenario: Scenario;
  readonly trajectory: Trajectory;
  readonly deadAtStart: number;
  readonly deadAtEnd: number;
  readonly mostDead: number;
  /** Units dead at some epoch and alive at a later one. */
  readonly revived: number;
  /** Units whose W1 column or b1 entry changed at some step while they were dead. */
  readonly movedWhileDead: number;
  readonly trainAccuracy: number;
  readonly testAccuracy: number;
}

/** The starting parameters of a scenario (He draws from `initSeed`, then scaled and shifted). */
export function startOf(scenario: Scenario, initSeed: number): Params {
  const he = initParams({
    inputs: 2,
    hidden: SETTING.hidden,
    init: "he",
    seed: initSeed,
    biasInit: scenario.biasInit,
  });
  return {
    ...he,
    W1: scale(he.W1, scenario.weightScale), // D×H
    W2: scale(he.W2, scenario.weightScale), // H×1
    b1: map(he.b1, (b) => b + scenario.biasShift), // 1×H
  };
}

/** The incoming parameters of unit j: W1[:, j] and b1[j]. */
export function unitParams(params: Params, j: number): number[] {
  const { W1, b1 } = params;
  const column = Array.from({ length: W1.rows }, (_, i) => W1.data[i * W1.cols + j]!);
  return [...column, b1.data[j]!];
}

/** Trains one scenario, watching every unit's death, revival and parameters while dead. */
export function runScenario(
  scenario: Scenario,
  train: Data,
  test: Data,
  initSeed: number,
): Outcome {
  const activation = activationByName(scenario.f);
  const H = SETTING.hidden;
  const frozenAt: (number[] | null)[] = Array.from({ length: H }, () => null); // params when it died
  const wasDead = new Array<boolean>(H).fill(false);
  const revived = new Set<number>();
  const moved = new Set<number>();
  const trajectory = descend(
    startOf(scenario, initSeed),
    train,
    activation,
    scenario.rate,
    SETTING.epochs,
    ({ params, cache }) => {
      const dead = new Set(deadUnits(cache.z1));
      for (let j = 0; j < H; j++) {
        const now = unitParams(params, j);
        const frozen = frozenAt[j];
        // Dead at the previous epoch: the step just taken used its zero gradient (relu).
        if (wasDead[j] && frozen && now.some((v, i) => !Object.is(v, frozen[i]))) moved.add(j);
        if (wasDead[j] && !dead.has(j)) revived.add(j);
        wasDead[j] = dead.has(j);
        frozenAt[j] = dead.has(j) ? now : null;
      }
    },
  );
  const counts = trajectory.dead.map((d) => d.length);
  const end = trajectory.params;
  return {
    scenario,
    trajectory,
    deadAtStart: counts[0] ?? 0,
    deadAtEnd: counts[counts.length - 1] ?? 0,
    mostDead: Math.max(...counts),
    revived: revived.size,
    movedWhileDead: moved.size,
    trainAccuracy: accuracy(forward(end, train.X, activation).p, train.y),
    testAccuracy: accuracy(forward(end, test.X, activation).p, test.y),
  };
}

/** The data of a seed: a training and a test draw of the spirals. */
export function dataOf(seed: number): { train: Data; test: Data; initSeed: number } {
  const dataSeed = new Rng(streamSeed(seed, "data")).integer(2 ** 31);
  return {
    train: makeDataset(SETTING.data, { samples: SETTING.samples, seed: dataSeed }),
    test: makeDataset(SETTING.data, { samples: SETTING.testSamples, seed: dataSeed + 1 }),
    initSeed: new Rng(streamSeed(seed, "init")).integer(2 ** 31),
  };
}

/**
 * (L(θ + ε e_k) − L(θ − ε e_k)) / 2ε for entry k of W1 or b1: the central difference the
 * gradient check uses, for single entries.
 */
export function centralDifference(
  params: Params,
  data: Data,
  f: ActivationName,
  name: "W1" | "b1",
  k: number,
  eps = 1e-5,
): number {
  const activation = activationByName(f);
  const at = (delta: number): number => {
    const data1 = Float64Array.from(params[name].data);
    data1[k] = data1[k]! + delta;
    const moved: Matrix = { rows: params[name].rows, cols: params[name].cols, data: data1 };
    return lossAt({ ...params, [name]: moved }, data.X, data.y, activation);
  };
  return (at(eps) - at(-eps)) / (2 * eps);
}

/** The analytic and numeric gradients of the dead units' and of the live units' parameters. */
export interface Detection {
  readonly dead: number[];
  readonly deadAnalyticMax: number; // max |dW1[:, j]|, |db1[j]| over dead j
  readonly deadNumericMax: number; // the same for the central differences
  readonly liveRelError: number; // ‖g_a − g_n‖ / (‖g_a‖ + ‖g_n‖) over the live units' entries
}

export function detect(params: Params, data: Data, f: ActivationName): Detection {
  const activation = activationByName(f);
  const cache = forward(params, data.X, activation);
  const grads = backward(params, cache, data.X, data.y, activation);
  const dead = deadUnits(cache.z1);
  const H = params.W1.cols;
  let deadAnalyticMax = 0;
  let deadNumericMax = 0;
  let diff2 = 0;
  let a2 = 0;
  let n2 = 0;
  for (let j = 0; j < H; j++) {
    const entries: ["W1" | "b1", number][] = [
      ...Array.from({ length: params.W1.rows }, (_, i): ["W1", number] => ["W1", i * H + j]),
      ["b1", j],
    ];
    for (const [name, k] of entries) {
      const analytic = (name === "W1" ? grads.dW1 : grads.db1).data[k]!;
      const numeric = centralDifference(params, data, f, name, k);
      if (dead.includes(j)) {
        deadAnalyticMax = Math.max(deadAnalyticMax, Math.abs(analytic));
        deadNumericMax = Math.max(deadNumericMax, Math.abs(numeric));
      } else {
        diff2 += square(analytic - numeric);
        a2 += square(analytic);
        n2 += square(numeric);
      }
    }
  }
  const denominator = Math.sqrt(a2) + Math.sqrt(n2);
  return {
    dead,
    deadAnalyticMax,
    deadNumericMax,
    liveRelError: denominator === 0 ? 0 : Math.sqrt(diff2) / denominator,
  };
}

/** min and max over the units with max_n z1 ≤ 0 of ‖(dW1[:, j], db1[j])‖ at the parameters. */
export function inactiveGradientRange(
  params: Params,
  data: Data,
  f: ActivationName,
): { min: number; max: number } {
  const activation = activationByName(f);
  const cache = forward(params, data.X, activation);
  const grads = backward(params, cache, data.X, data.y, activation);
  const norms = deadUnits(cache.z1).map((j) =>
    Math.sqrt(
      unitParams({ ...params, W1: grads.dW1, b1: grads.db1 }, j).reduce((s, g) => s + square(g), 0),
    ),
  );
  return { min: Math.min(...norms), max: Math.max(...norms) };
}

function table(outcomes: readonly Outcome[]): Table {
  return {
    name: "scenarios",
    title:
      `${SETTING.data}, N = ${SETTING.samples} (test ${SETTING.testSamples}), H = ${SETTING.hidden}, ` +
      `full-batch GD, ${SETTING.epochs} epochs; dead = max over the training rows of z1[:, j] ≤ 0`,
    columns: [
      "scenario",
      "f",
      "b1 at start",
      "η",
      "dead at start",
      "dead at end",
      "most dead",
      "revived",
      "moved while dead",
      "train acc",
      "test acc",
    ],
    rows: outcomes.map((o) => [
      o.scenario.label,
      o.scenario.f,
      sig(o.scenario.biasInit + o.scenario.biasShift),
      sig(o.scenario.rate),
      String(o.deadAtStart),
      String(o.deadAtEnd),
      String(o.mostDead),
      String(o.revived),
      String(o.movedWhileDead),
      percent(o.trainAccuracy),
      percent(o.testAccuracy),
    ]),
  };
}

/** Dead units against epoch, one line per scenario. */
function deadFigure(outcomes: readonly Outcome[]): Figure {
  const values: { scenario: string; epoch: number; dead: number }[] = [];
  for (const o of outcomes) {
    const counts = o.trajectory.dead;
    for (let epoch = 0; epoch < counts.length; epoch += epoch < 40 ? 1 : 8) {
      values.push({ scenario: o.scenario.label, epoch, dead: counts[epoch]?.length ?? 0 });
    }
  }
  const legend = {
    field: "scenario",
    title: "scenario",
    sort: outcomes.map((o) => o.scenario.label),
    legend: { labelLimit: 320 },
  };
  return {
    name: "dead",
    title: "Dead hidden units during training",
    spec: {
      $schema: "https://vega.github.io/schema/vega-lite/v6.json",
      data: { values },
      width: 420,
      height: 260,
      mark: { type: "line", strokeWidth: 1.5, interpolate: "step-after" },
      encoding: {
        x: { field: "epoch", type: "quantitative", title: "epoch (full-batch step)" },
        y: {
          field: "dead",
          type: "quantitative",
          title: `dead units (of ${SETTING.hidden})`,
          scale: { domain: [0, SETTING.hidden] },
        },
        color: {
          ...legend,
          type: "nominal",
          // nine clearly different hues; the scenarios that keep 0 dead units share y = 0
          scale: {
            range: [
              "#000000",
              "#e6194b",
              "#3cb44b",
              "#4363d8",
              "#f58231",
              "#911eb4",
              "#42d4f4",
              "#f032e6",
              "#9a6324",
            ],
          },
        },
      },
    },
  };
}

export function runDeadRelu(seed: number): ExperimentResult {
  const { train, test, initSeed } = dataOf(seed);
  const outcomes = SCENARIOS.map((s) => runScenario(s, train, test, initSeed));
  const by = (key: string): Outcome => outcomes.find((o) => o.scenario.key === key) as Outcome;
  const numbers: Record<string, string> = {
    hidden: String(SETTING.hidden),
    epochs: String(SETTING.epochs),
    samples: String(SETTING.samples),
  };
  for (const o of outcomes) {
    const k = o.scenario.key;
    numbers[`dead-start-${k}`] = String(o.deadAtStart);
    numbers[`dead-end-${k}`] = String(o.deadAtEnd);
    numbers[`revived-${k}`] = String(o.revived);
    numbers[`moved-${k}`] = String(o.movedWhileDead);
    numbers[`test-${k}`] = percent(o.testAccuracy);
    numbers[`train-${k}`] = percent(o.trainAccuracy);
  }
  const reluOutcomes = outcomes.filter((o) => o.scenario.f === "relu");
  numbers["relu-revived-total"] = String(reluOutcomes.reduce((s, o) => s + o.revived, 0));
  numbers["relu-moved-total"] = String(reluOutcomes.reduce((s, o) => s + o.movedWhileDead, 0));

  // Detection at the end of the large-rate run: exact zeros, analytic and numeric.
  const large = detect(by("large-rate").trajectory.params, train, "relu");
  numbers["detect-dead"] = String(large.dead.length);
  numbers["detect-analytic-max"] = sig(large.deadAnalyticMax);
  numbers["detect-numeric-max"] = sig(large.deadNumericMax);
  numbers["detect-live-relerror"] = sig(large.liveRelError, 2);

  // Leaky relu's inactive units at the shifted start: small but non-zero gradients.
  const shifted = startOf(by("leaky-negative-bias").scenario, initSeed);
  const leaky = inactiveGradientRange(shifted, train, "leaky-relu");
  numbers["leaky-inactive-grad-min"] = sig(leaky.min, 2);
  numbers["leaky-inactive-grad-max"] = sig(leaky.max, 2);

  return { tables: [table(outcomes)], figures: [deadFigure(outcomes)], numbers };
}

export const deadRelu: Experiment = {
  name: "dead-relu",
  summary: summaryOf("dead-relu"),
  run: ({ seed }) => runDeadRelu(seed),
};
