/**
 * accuracy: the split of each run is a partition of the rows with a quarter held out, drawn
 * from the seed alone, and it is the split `--validation 0.25` (the CLI and the Classifier's
 * `validation` option) takes; the accuracies reported are the fraction of rows a default
 * Classifier gets right, counted here from its predictions.
 */
import { describe, expect, it } from "vitest";
import {
  ACCURACY_DATASETS,
  accuracyData,
  accuracyRun,
  accuracySplit,
  accuracySplits,
  runSeeds,
  SETUP,
} from "../../src/experiments/accuracy.js";
import { Classifier } from "../../src/model/index.js";
import { gatherRows } from "../../src/linalg/index.js";

/** N/4 rounded half up, written out: 569/4 = 142.25, 150/4 = 37.5, 178/4 = 44.5. */
const HELD_OUT = { "breast-cancer": 142, iris: 38, wine: 45 } as const;
const ROWS = { "breast-cancer": 569, iris: 150, wine: 178 } as const;

describe("the accuracy experiment's splits", () => {
  it("each run's split puts every row in exactly one part, a quarter of them held out", () => {
    for (const d of ACCURACY_DATASETS) {
      const N = accuracyData(d.name).X.rows;
      expect(N).toBe(ROWS[d.name]);
      for (const seed of runSeeds(0)) {
        const { train, heldOut } = accuracySplit(N, seed);
        expect(heldOut.length).toBe(HELD_OUT[d.name]);
        expect(train.length).toBe(N - HELD_OUT[d.name]);
        const seen = new Uint8Array(N);
        for (const i of [...train, ...heldOut]) seen[i]! += 1;
        expect(seen.every((count) => count === 1)).toBe(true);
      }
    }
  });

  it("is drawn from the seed alone: the same seed gives the same rows, another seed others", () => {
    const a = accuracySplit(150, 4);
    expect(Array.from(accuracySplit(150, 4).heldOut)).toEqual(Array.from(a.heldOut));
    expect(Array.from(accuracySplit(150, 4).train)).toEqual(Array.from(a.train));
    const held = (seed: number): string =>
      [...accuracySplit(150, seed).heldOut].sort((x, y) => x - y).join(",");
    expect(new Set(runSeeds(0).map(held)).size).toBe(SETUP.runs);
  });

  it("accuracySplits lists the same rows, as plain numbers, for every data set and run", () => {
    const splits = accuracySplits(0);
    expect(splits.heldOut).toBe(0.25);
    expect(splits.datasets.map((d) => [d.name, d.file, d.rows])).toEqual([
      ["breast-cancer", "data/breast_cancer.csv", 569],
      ["iris", "data/iris.csv", 150],
      ["wine", "data/wine.csv", 178],
    ]);
    const wine = splits.datasets[2]!.runs[7]!;
    expect(wine.seed).toBe(7);
    expect(wine.heldOut).toEqual(Array.from(accuracySplit(178, 7).heldOut));
    expect(wine.train).toEqual(Array.from(accuracySplit(178, 7).train));
  });
});

describe("a run", () => {
  it("is the run of new Classifier({ seed, validation: 0.25 }) on all the rows, bit for bit", () => {
    for (const [dataset, seed] of [
      ["iris", 3],
      ["wine", 0],
    ] as const) {
      const data = accuracyData(dataset);
      const run = accuracyRun(dataset, seed);
      const clf = new Classifier({ seed, validation: 0.25 }).fit(data.X, Array.from(data.y.data));
      const last = clf.history.at(-1)!;
      expect(run.heldOutAccuracy).toBe(last.validationAccuracy);
      expect(run.trainAccuracy).toBe(last.accuracy);
      expect(run.finalLoss).toBe(last.loss);
      expect(run.epochs).toBe(200);
    }
  });

  it("reports the fraction of held-out and training rows whose predicted label is the truth", () => {
    const seed = 7; // iris's worst held-out run in the docs
    const data = accuracyData("iris");
    const run = accuracyRun("iris", seed);
    const labels = (rows: Uint32Array): number[] => Array.from(rows, (i) => data.y.data[i]!);
    const clf = new Classifier({ seed }).fit(
      gatherRows(data.X, run.split.train),
      labels(run.split.train),
    );
    const right = (rows: Uint32Array): number => {
      const predicted = clf.predict(gatherRows(data.X, rows));
      const truth = labels(rows);
      return predicted.filter((label, i) => label === truth[i]).length;
    };
    expect(run.heldOutAccuracy).toBe(right(run.split.heldOut) / 38);
    expect(run.trainAccuracy).toBe(right(run.split.train) / 112);
    expect(run.heldOutAccuracy).toBeGreaterThan(0.5); // far above chance (1/3), whatever the split
  });
});
