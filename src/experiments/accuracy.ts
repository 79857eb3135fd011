/**
 * accuracy: what `new Classifier({ seed })` — every other setting its default, the CLI's
 * (tanh, H = 16, η = 0.5, 200 epochs, batch 32, standardised features, no early stopping) —
 * reaches on the three real data sets of data/ with a quarter of the rows held out.
 *
 * The split. Run k (k = 0..RUNS−1 from the experiment's seed s) uses seed s + k for both the
 * split and the Classifier. The held-out rows are those `handgrad train --validation 0.25
 * --seed s+k` and `new Classifier({ seed: s+k, validation: 0.25 })` hold out:
 * splitIndices(N, 1/4, streamSeed(s + k, "split")), i.e. the rows 0..N−1 shuffled by that
 * stream, the first round(N/4) held out, the rest (in shuffled order) to train on. The
 * Classifier is fitted on the training rows without `validation`, which gives the same model
 * bit for bit as the CLI run (same rows, same order, same init and shuffling streams; the test
 * checks it against the Classifier's own split). Not stratified, as the CLI's is not.
 *
 * scikit-learn's MLPClassifier is run on the very same rows by bench/sklearn_accuracy.py,
 * which reads them from bench/accuracy/splits.json (written by `npm run bench:accuracy` from
 * accuracySplits(0); a test checks the file against it).
 *
 * Reported per data set: training and held-out accuracy (mean, min and max over the runs), the
 * final training loss and the epochs run. Sizes: 3 × RUNS fits of at most 427 rows, 200
 * epochs each; about a second in all on one core of the 2-core CI machine.
 */
import { Classifier } from "../model/index.js";
import { splitIndices, type Dataset } from "../data/index.js";
import { loadCsv } from "../io/index.js";
import { gatherRows, type Matrix } from "../linalg/index.js";
import { streamSeed } from "../rng.js";
import { summaryOf } from "./catalogue.js";
import type { Experiment, ExperimentResult, Table } from "./experiment.js";
import { percent, sig } from "./format.js";
import { mean, packagedDataPath } from "./training-runs.js";

/** The data sets measured: the files of data/, their label's number of classes. */
export const ACCURACY_DATASETS = [
  { name: "breast-cancer", title: "breast cancer", file: "breast_cancer.csv", classes: 2 },
  { name: "iris", title: "iris", file: "iris.csv", classes: 3 },
  { name: "wine", title: "wine", file: "wine.csv", classes: 3 },
] as const;

/** The name of a measured data set. */
export type AccuracyDatasetName = (typeof ACCURACY_DATASETS)[number]["name"];

/** The fraction of rows held out, and the number of runs (split and seed) per data set. */
export const SETUP = { heldOut: 0.25, runs: 10 } as const;

const loaded = new Map<string, Dataset>();

/** data/FILE with labels 0..classes−1, read once. */
export function accuracyData(name: AccuracyDatasetName): Dataset {
  const spec = ACCURACY_DATASETS.find((d) => d.name === name)!;
  let data = loaded.get(name);
  if (data === undefined) {
    data = loadCsv(packagedDataPath(spec.file), { maxClasses: spec.classes });
    loaded.set(name, data);
  }
  return data;
}

/** The seeds of the runs of an experiment run from `seed`: seed, seed + 1, …. */
export function runSeeds(seed: number): number[] {
  return Array.from({ length: SETUP.runs }, (_, k) => seed + k);
}

/** The rows (0-based, in the order used) of one run's training and held-out parts. */
export interface RowSplit {
  readonly train: Uint32Array;
  readonly heldOut: Uint32Array;
}

/** The split of run `seed` of N rows: the rows `--validation 0.25 --seed seed` holds out. */
export function accuracySplit(N: number, seed: number): RowSplit {
  const { train, validation } = splitIndices(N, SETUP.heldOut, streamSeed(seed, "split"));
  return { train, heldOut: validation };
}

/** One run: a default Classifier fitted on one split of one data set. */
export interface AccuracyRun {
  readonly dataset: AccuracyDatasetName;
  readonly seed: number;
  readonly split: RowSplit;
  readonly trainAccuracy: number;
  readonly heldOutAccuracy: number;
  /** The mean cross-entropy on the training rows after the last epoch. */
  readonly finalLoss: number;
  /** The epochs the fit ran. */
  readonly epochs: number;
}

/** Fits `new Classifier({ seed })` on run `seed`'s training rows of `dataset` and scores it. */
export function accuracyRun(dataset: AccuracyDatasetName, seed: number): AccuracyRun {
  const data = accuracyData(dataset);
  const split = accuracySplit(data.X.rows, seed);
  const part = (rows: Uint32Array): { X: Matrix; y: number[] } => ({
    X: gatherRows(data.X, rows),
    y: Array.from(rows, (i) => data.y.data[i] as number),
  });
  const train = part(split.train);
  const heldOut = part(split.heldOut);
  const clf = new Classifier({ seed }).fit(train.X, train.y, { features: data.featureNames });
  const last = clf.history.at(-1)!;
  return {
    dataset,
    seed,
    split,
    trainAccuracy: clf.score(train.X, train.y),
    heldOutAccuracy: clf.score(heldOut.X, heldOut.y),
    finalLoss: last.loss,
    epochs: last.epoch,
  };
}

/** Every run of every data set, from `seed`. */
export interface AccuracyMeasurement {
  readonly seeds: readonly number[];
  readonly runs: readonly AccuracyRun[];
}

/** Runs every data set on every seed of runSeeds(seed). */
export function measureAccuracy(seed: number): AccuracyMeasurement {
  const seeds = runSeeds(seed);
  return {
    seeds,
    runs: ACCURACY_DATASETS.flatMap((d) => seeds.map((s) => accuracyRun(d.name, s))),
  };
}

/**
 * The splits of every data set for the runs from `seed`, as plain JSON for another program
 * (bench/sklearn_accuracy.py): for each data set its file under data/, its row count and, per
 * run, the seed and the 0-based rows to train on and to hold out, in the order used.
 */
export function accuracySplits(seed: number): {
  heldOut: number;
  datasets: {
    name: AccuracyDatasetName;
    file: string;
    rows: number;
    runs: { seed: number; train: number[]; heldOut: number[] }[];
  }[];
} {
  return {
    heldOut: SETUP.heldOut,
    datasets: ACCURACY_DATASETS.map((d) => {
      const N = accuracyData(d.name).X.rows;
      return {
        name: d.name,
        file: `data/${d.file}`,
        rows: N,
        runs: runSeeds(seed).map((s) => {
          const split = accuracySplit(N, s);
          return { seed: s, train: Array.from(split.train), heldOut: Array.from(split.heldOut) };
        }),
      };
    }),
  };
}

/** "mean (min–max)" of accuracies, as percentages. */
function spread(values: readonly number[]): string {
  return `${percent(mean(values))} (${percent(Math.min(...values)).replace(" %", "")}–${percent(Math.max(...values))})`;
}

function runsOf(m: AccuracyMeasurement, dataset: AccuracyDatasetName): AccuracyRun[] {
  return m.runs.filter((r) => r.dataset === dataset);
}

function summaryTable(m: AccuracyMeasurement): Table {
  return {
    name: "summary",
    title: `new Classifier({ seed }) with its defaults, ${m.seeds.length} runs (seeds ${m.seeds[0]}–${m.seeds.at(-1)}, each its own split and initial weights), a quarter of the rows held out: accuracy as mean (min–max) over the runs`,
    columns: [
      "data set",
      "rows: train + held out",
      "features",
      "classes",
      "train accuracy",
      "held-out accuracy",
      "final training loss (mean)",
      "epochs",
    ],
    rows: ACCURACY_DATASETS.map((d) => {
      const runs = runsOf(m, d.name);
      const first = runs[0]!;
      const epochs = [...new Set(runs.map((r) => r.epochs))].join(", ");
      return [
        d.title,
        `${first.split.train.length} + ${first.split.heldOut.length}`,
        String(accuracyData(d.name).X.cols),
        String(d.classes),
        spread(runs.map((r) => r.trainAccuracy)),
        spread(runs.map((r) => r.heldOutAccuracy)),
        sig(mean(runs.map((r) => r.finalLoss)), 3),
        epochs,
      ];
    }),
  };
}

function runsTable(m: AccuracyMeasurement): Table {
  return {
    name: "runs",
    title: "Each run: training / held-out accuracy",
    columns: ["seed", ...ACCURACY_DATASETS.map((d) => d.title)],
    rows: m.seeds.map((seed) => [
      String(seed),
      ...ACCURACY_DATASETS.map((d) => {
        const r = runsOf(m, d.name).find((x) => x.seed === seed)!;
        return `${percent(r.trainAccuracy)} / ${percent(r.heldOutAccuracy)}`;
      }),
    ]),
  };
}

/** The tables and key numbers of a measurement. */
export function report(m: AccuracyMeasurement): ExperimentResult {
  const numbers: Record<string, string> = {
    runs: String(m.seeds.length),
    "seed-first": String(m.seeds[0]),
    "seed-last": String(m.seeds.at(-1)),
  };
  for (const d of ACCURACY_DATASETS) {
    const runs = runsOf(m, d.name);
    const heldOut = runs.map((r) => r.heldOutAccuracy);
    const train = runs.map((r) => r.trainAccuracy);
    numbers[`${d.name}-held-out-rows`] = String(runs[0]!.split.heldOut.length);
    numbers[`${d.name}-held-out-mean`] = percent(mean(heldOut));
    numbers[`${d.name}-held-out-min`] = percent(Math.min(...heldOut));
    numbers[`${d.name}-held-out-max`] = percent(Math.max(...heldOut));
    numbers[`${d.name}-train-mean`] = percent(mean(train));
    numbers[`${d.name}-train-min`] = percent(Math.min(...train));
  }
  return { tables: [summaryTable(m), runsTable(m)], figures: [], numbers };
}

/** The experiment `handgrad experiment accuracy`. */
export const accuracy: Experiment = {
  run: ({ seed }) => report(measureAccuracy(seed)),
  name: "accuracy",
  summary: summaryOf("accuracy"),
};
