/**
 * The Classifier is the lower-level API in one object: its weights equal a pipeline built by
 * hand (standardise → initParams → Trainer with the same seeds) bit for bit, predictProba is
 * forward's p, fitAsync is fit, and its model file round-trips; its arguments are checked.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  applyStandardizer,
  fitStandardizer,
  makeDataset,
  splitDataset,
} from "../../src/data/index.js";
import { DataError, UsageError } from "../../src/errors.js";
import { loadCsv } from "../../src/io/index.js";
import { parseModel, serializeModel } from "../../src/formats/index.js";
import { fromRows, toRows, type Matrix } from "../../src/linalg/index.js";
// From the Node entry, which hands the Classifier its file access (save, load); the browser
// entry's Classifier, without it, is tested in test/browser.test.ts.
import { Classifier } from "../../src/index.js";
import { defaultInitFor, forward, initParams, type Params } from "../../src/nn/index.js";
import { streamSeed } from "../../src/rng.js";
import { train } from "../../src/train/index.js";
import { expectThrows } from "../throws.js";

const bits = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString("hex");
const sameParams = (a: Params, b: Params) => {
  for (const name of ["W1", "b1", "W2", "b2"] as const)
    expect(bits(a[name].data)).toBe(bits(b[name].data));
};

const work = mkdtempSync(join(tmpdir(), "handgrad-classifier-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const moons = makeDataset("moons", { samples: 120, seed: 3 });
const X = toRows(moons.X);
const y01 = Array.from(moons.y.data);
const words = y01.map((k) => (k === 1 ? "yes" : "no"));
const settings = { hidden: 5, epochs: 15, learningRate: 0.3, batchSize: 16, seed: 11 } as const;

/** The pipeline by hand, as the lower-level API's user writes it. */
function byHand(validation?: number): Params {
  const data = { ...moons };
  const split =
    validation === undefined
      ? { train: data }
      : splitDataset(data, validation, streamSeed(11, "split"));
  const s = fitStandardizer(split.train.X);
  const start = initParams({
    inputs: 2,
    hidden: 5,
    init: defaultInitFor("tanh"),
    seed: streamSeed(11, "init"),
  });
  const std = (d: { X: Matrix; y: Matrix }) => ({ X: applyStandardizer(d.X, s), y: d.y });
  return train(start, std(split.train), {
    activation: "tanh",
    learningRate: 0.3,
    epochs: 15,
    batchSize: 16,
    seed: streamSeed(11, "shuffle"),
    ...("validation" in split ? { validation: std(split.validation) } : {}),
  }).params;
}

describe("Classifier", () => {
  it("equals the hand-built pipeline (standardise → initParams → train, same seeds) bit for bit", () => {
    sameParams(new Classifier(settings).fit(X, y01).params, byHand());
    sameParams(new Classifier({ ...settings, validation: 0.25 }).fit(X, y01).params, byHand(0.25));
  });

  it("takes number[][], typed-array rows and a Matrix alike, and string labels like their indices", () => {
    const a = new Classifier(settings).fit(X, y01).params;
    sameParams(
      new Classifier(settings).fit(
        X.map((r) => Float64Array.from(r)),
        words,
      ).params,
      a,
    );
    sameParams(new Classifier(settings).fit(fromRows(X), y01).params, a);
  });

  it("predictProba is forward's p on the standardised rows ([1 − p, p] for two classes), rows summing to 1", () => {
    const clf = new Classifier(settings).fit(X, words);
    const { p } = forward(clf.params, applyStandardizer(fromRows(X), clf.standardizer!), "tanh");
    const proba = clf.predictProba(X);
    proba.forEach((row, i) => {
      expect(row[1]).toBe(p.data[i]);
      expect(row[0]).toBe(1 - (p.data[i] as number));
      expect(row[0]! + row[1]!).toBeCloseTo(1, 15);
    });
    expect(clf.predict(X)).toEqual(proba.map((r) => (r[1]! >= 0.5 ? "yes" : "no")));
  });

  it("softmax for three classes: rows of forward's P, labels back as given, score = accuracy", () => {
    const spirals = makeDataset("spirals", { samples: 90, classes: 3, seed: 1 });
    const names = ["rock", "paper", "scissors"];
    const labels = Array.from(spirals.y.data, (k) => names[k]!);
    const clf = new Classifier({ ...settings, epochs: 30 }).fit(toRows(spirals.X), labels);
    expect(clf.classes).toEqual(["paper", "rock", "scissors"]); // sorted
    const { p } = forward(clf.params, applyStandardizer(spirals.X, clf.standardizer!), "tanh");
    const proba = clf.predictProba(toRows(spirals.X));
    expect(proba.flat()).toEqual(Array.from(p.data));
    for (const row of proba)
      expect(Math.abs(row.reduce((s, v) => s + v, 0) - 1)).toBeLessThan(1e-15);
    const predicted = clf.predict(toRows(spirals.X));
    const right = predicted.filter((l, i) => l === labels[i]).length;
    expect(clf.score(toRows(spirals.X), labels)).toBe(right / labels.length);
  });

  it("sorts classes (numbers numerically) and takes the positive class as asked", () => {
    const labels = y01.map((k) => (k === 1 ? 10 : 9));
    expect(new Classifier(settings).fit(X, labels).classes).toEqual([9, 10]);
    const flipped = new Classifier({ ...settings, positive: 9 }).fit(X, labels);
    expect(flipped.classes).toEqual([10, 9]);
    expect(new Classifier({ ...settings, positive: "yes" }).fit(X, words).classes).toEqual([
      "no",
      "yes",
    ]);
  });

  it("fitAsync equals fit bit for bit, calling onEpoch per epoch; an aborted signal rejects and keeps the Classifier as it was", async () => {
    const epochs: number[] = [];
    const clf = await new Classifier(settings).fitAsync(X, words, {
      onEpoch: (r) => epochs.push(r.epoch),
      sliceMs: 0.01,
    });
    sameParams(clf.params, new Classifier(settings).fit(X, words).params);
    expect(epochs).toEqual(Array.from({ length: 16 }, (_, e) => e));
    const controller = new AbortController();
    const fresh = new Classifier({ ...settings, epochs: 100_000 });
    const run = fresh.fitAsync(X, words, { signal: controller.signal, sliceMs: 1 });
    setTimeout(() => controller.abort(new Error("stop")), 20);
    await expect(run).rejects.toThrow("stop");
    expect(fresh.isFitted).toBe(false);
    expect(() => fresh.predict(X)).toThrow(/not fitted yet/);
  });

  it("partialFit continues from the weights: the same as train from them with its shuffling stream", () => {
    const clf = new Classifier(settings).fit(X, words);
    const before = clf.params;
    clf.partialFit(X, words);
    const std = { X: applyStandardizer(moons.X, clf.standardizer!), y: moons.y };
    const expected = train(before, std, {
      activation: "tanh",
      learningRate: 0.3,
      epochs: 15,
      batchSize: 16,
      seed: streamSeed(12, "shuffle"),
    }).params;
    sameParams(clf.params, expected);
    expect(clf.history.map((r) => r.epoch)).toEqual(Array.from({ length: 31 }, (_, e) => e));
    expect(() => clf.partialFit(X, y01)).toThrow(
      /y\[0\] is [01], not one of the model's classes \("no", "yes"\)/,
    );
  });

  it("round-trips through toJSON/fromJSON, its text and save/load: same model file, same predictions", () => {
    const clf = new Classifier({ ...settings, validation: 0.25 }).fit(X, words, {
      features: ["a", "b"],
    });
    const text = clf.toModelText();
    const model = parseModel(text);
    expect(model.features).toEqual(["a", "b"]);
    expect(model.classes).toEqual(["no", "yes"]);
    expect(model.training).toMatchObject({
      epochs: 15,
      batchSize: 16,
      seed: 11,
      validationFraction: 0.25,
    });
    for (const back of [
      Classifier.fromJSON(text),
      Classifier.fromJSON(JSON.parse(JSON.stringify(clf))),
      (clf.save(join(work, "m.json")), Classifier.load(join(work, "m.json"))),
    ]) {
      expect(back.predictProba(X)).toEqual(clf.predictProba(X));
      expect(back.predict(X)).toEqual(clf.predict(X));
      expect(back.features).toEqual(["a", "b"]);
    }
    expect(readFileSync(join(work, "m.json"), "utf8")).toBe(text);
    expect(Classifier.fromJSON(text).toModelText()).toBe(text);
    // The settings come back from the record: partialFit continues as both would.
    const a = Classifier.fromJSON(text).partialFit(X, words).params;
    sameParams(a, clf.partialFit(X, words).params);
  });

  it("loads a version 1 model: features x1…xD and classes 0..K−1", () => {
    const params = initParams({ inputs: 2, hidden: 3, init: "xavier", seed: 2 });
    const v1 = serializeModel({ activation: "tanh", params })
      .replace('"version": 2', '"version": 1')
      .replace('\n  "output": "sigmoid",', "");
    const clf = Classifier.fromJSON(v1, "old.json");
    expect(clf.features).toEqual(["x1", "x2"]);
    expect(clf.classes).toEqual([0, 1]);
    const { p } = forward(params, moons.X, "tanh");
    expect(clf.predictProba(X).map((r) => r[1])).toEqual(Array.from(p.data));
    // It worked by position: its file names no features (nor does a fit without them).
    expect(clf.toModel().features).toBeUndefined();
    expect(clf.toModelText()).not.toContain('"features"');
    const unnamed = new Classifier({ ...settings, epochs: 1 }).fit(X, words);
    expect(unnamed.features).toEqual(["x1", "x2"]);
    expect(unnamed.toModelText()).not.toContain('"features"');
    expect(Classifier.fromJSON(unnamed.toModelText()).toModel().features).toBeUndefined();
  });

  it("fits the breast-cancer data: accuracy well above chance on held-out rows", () => {
    const data = loadCsv("data/breast_cancer.csv");
    const rows = toRows(data.X);
    const labels = Array.from(data.y.data, (k) => (k === 1 ? "B" : "M"));
    const clf = new Classifier({ epochs: 30 }).fit(rows.slice(0, 400), labels.slice(0, 400), {
      features: data.featureNames,
    });
    expect(clf.features).toEqual(data.featureNames);
    expect(clf.score(rows.slice(400), labels.slice(400))).toBeGreaterThan(0.9);
  });

  it.each([
    [
      "ragged rows",
      () => new Classifier().fit([[1, 2], [3]], [0, 1]),
      DataError,
      "fit: X row 1 has 1 values, but row 0 has 2",
    ],
    [
      "NaN",
      () =>
        new Classifier().fit(
          [
            [1, NaN],
            [3, 4],
          ],
          [0, 1],
        ),
      DataError,
      "fit: X row 0, column 1 is NaN",
    ],
    ["no rows", () => new Classifier().fit([], []), DataError, "fit: X has no rows"],
    [
      "label count ≠ rows",
      () => new Classifier().fit([[1], [2], [3]], [0, 1]),
      DataError,
      "fit: y has 2 labels, but X has 3 rows",
    ],
    [
      "one class",
      () => new Classifier().fit([[1], [2]], ["a", "a"]),
      DataError,
      'fit: every label in y is "a": a classifier needs at least two classes',
    ],
    [
      "a label that is not a string or number",
      () => new Classifier().fit([[1], [2]], [0, null as unknown as number]),
      DataError,
      "fit: y[1] must be a string or a finite number, got null",
    ],
    [
      '1 and "1"',
      () => new Classifier().fit([[1], [2]], [1, "1"]),
      DataError,
      "a number and a string with the same text",
    ],
    [
      "an unknown option",
      () => new Classifier({ lr: 0.1 } as never),
      UsageError,
      'Classifier: unknown option "lr"',
    ],
    [
      "predict before fit",
      () => new Classifier().predict([[1]]),
      UsageError,
      "predict: this Classifier is not fitted yet; call fit(X, y) first",
    ],
    [
      "a positive class not in y",
      () => new Classifier({ positive: "z" }).fit([[1], [2]], ["a", "b"]),
      DataError,
      'fit: positive "z" is not a label in y ("a", "b")',
    ],
  ])("refuses %s, naming it", (_, run, type, message) => {
    expect(run).toThrow(type);
    expect(run).toThrow(message);
  });

  it("refuses predict with the wrong feature count and score with an unknown label", () => {
    const clf = new Classifier({ ...settings, epochs: 1 }).fit(X, words);
    expect(() => clf.predict([[1, 2, 3]])).toThrow(
      "predict: X has 3 columns, but the model was fitted on 2 features",
    );
    expect(() =>
      clf.score(
        X,
        words.map(() => "maybe"),
      ),
    ).toThrow('score: y[0] is "maybe", not one of the model\'s classes ("no", "yes")');
  });
});

describe("Classifier labels and names (fixes of issue 14's review)", () => {
  const rows = [[1], [2], [3], [4], [5], [6]];

  it("−0 and 0 are one class, as in a CSV cell (classes [0, 1], the sigmoid head)", () => {
    const clf = new Classifier({ epochs: 1 }).fit(rows, [-0, 0, 0, 1, 1, 1]);
    expect(clf.classes).toEqual([0, 1]);
    expect(Object.is(clf.classes[0], 0)).toBe(true);
    expect(clf.params.W2.cols).toBe(1);
    expect(clf.score(rows, [0, -0, 0, 1, 1, 1])).toBe(clf.score(rows, [0, 0, 0, 1, 1, 1]));
  });

  it("fit's label option is recorded in the model file; refused when empty or a feature", () => {
    const clf = new Classifier({ epochs: 1 }).fit(rows, [0, 0, 0, 1, 1, 1], {
      features: ["a"],
      label: "y",
    });
    expect(clf.toModel().label).toBe("y");
    expect(clf.toModelText()).toContain('"label": "y"');
    expect(
      Classifier.fromJSON(clf.toModelText()).partialFit(rows, [0, 0, 0, 1, 1, 1]).toModel().label,
    ).toBe("y");
    expect(() => new Classifier().fit(rows, ["a", "b", " ", "a", "b", "a"])).toThrow(
      'fit: y[2] is " ", an empty label',
    );
    expect(() => new Classifier().fit(rows, [0, 1, 0, 1, 0, 1], { label: "" })).toThrow(
      "fit: label must be a column name",
    );
    expect(() =>
      new Classifier().fit(rows, [0, 1, 0, 1, 0, 1], { features: ["a"], label: "a" }),
    ).toThrow('fit: label "a" is also features[0]: a column is a feature or the label');
  });

  it("refuses label without features (the CLI would read the label column as a feature)", async () => {
    const y = [0, 0, 0, 1, 1, 1];
    const message =
      'fit: label needs features: without feature names the columns are taken by position, and the label column "y" would be read as a feature';
    expect(() => new Classifier({ epochs: 1 }).fit(rows, y, { label: "y" })).toThrow(UsageError);
    expect(() => new Classifier({ epochs: 1 }).fit(rows, y, { label: "y" })).toThrow(message);
    await expect(new Classifier({ epochs: 1 }).fitAsync(rows, y, { label: "y" })).rejects.toThrow(
      message.replace("fit:", "fitAsync:"),
    );
  });

  it.each([[" a"], ["a "], [""]])(
    "refuses the feature name %j, which no trimmed CSV header cell could match",
    (name) => {
      expect(() =>
        new Classifier({ epochs: 1 }).fit(
          [
            [1, 2],
            [3, 4],
          ],
          [0, 1],
          { features: ["x", name] },
        ),
      ).toThrow(
        `fit: features[1] must be a column name (a non-empty string without spaces around it), got the string ${JSON.stringify(name)}`,
      );
    },
  );
});

describe("Classifier fit refuses labels that are no classes, as the CSV readers do (one check)", () => {
  const rows = [[1], [2], [3], [4], [5]];
  it("a continuous target: more than two classes with fewer than two rows a class", () => {
    expect(() => new Classifier({ epochs: 1 }).fit(rows, [0, 1, 2, 0, 1])).toThrow(DataError);
    expect(() => new Classifier({ epochs: 1 }).fit(rows, [0.5, 1.5, 2.5, 3.5, 4.5])).toThrow(
      "fit: y has 5 different labels in 5 rows (0.5, 1.5, 2.5, …): it looks like a continuous target (a number to predict), not classes; " +
        "a class needs rows to learn from (at least 2 a class on average)",
    );
  });
  it("an id or free text, naming case variants; fitAsync alike", async () => {
    await expect(
      new Classifier({ epochs: 1 }).fitAsync(rows, ["Yes", "yes", "YES", "No", "no"]),
    ).rejects.toThrow(
      'fitAsync: y has 5 different labels in 5 rows ("No", "YES", "Yes", …): it looks like an id or free text, not classes ' +
        '(labels that differ only in case: "No", "no"; "YES", "Yes", "yes"; write each label one way if they mean the same); ' +
        "a class needs rows to learn from (at least 2 a class on average)",
    );
  });
  it("two classes, or three in six rows, are read", () => {
    expect(new Classifier({ epochs: 1 }).fit(rows, ["a", "b", "a", "b", "a"]).classes).toEqual([
      "a",
      "b",
    ]);
    const six = [...rows, [6]];
    expect(new Classifier({ epochs: 1 }).fit(six, [0, 1, 2, 0, 1, 2]).classes).toEqual([0, 1, 2]);
  });
});

describe("Classifier options are checked when given (F9)", () => {
  it.each([
    [
      () => new Classifier({ lr: 0.1 } as never),
      'Classifier: unknown option "lr" (did you mean "learningRate"?',
    ],
    [
      () => new Classifier({ hiden: 3 } as never),
      'Classifier: unknown option "hiden" (did you mean "hidden"?',
    ],
    [
      () => new Classifier({ hidden: 0 }),
      "Classifier: hidden size must be a positive integer, got 0",
    ],
    [
      () => new Classifier({ learningRate: -1 }),
      "Classifier: learning rate must be a finite number > 0, got -1",
    ],
    [
      () => new Classifier({ epochs: 1.5 }),
      "Classifier: epochs must be a non-negative integer, got 1.5",
    ],
    [
      () => new Classifier({ batchSize: 0 }),
      'Classifier: batch size must be a positive integer or "full", got 0',
    ],
    [
      () => new Classifier({ validation: 1 }),
      "Classifier: the validation fraction must be a number between 0 and 1",
    ],
    [() => new Classifier({ seed: -1 }), "Classifier: seed must be a non-negative integer, got -1"],
    [() => new Classifier({ biasInit: Infinity }), "Classifier: bias init must be a finite number"],
    [() => new Classifier({ momentum: 0.5 }), "Classifier: momentum has no effect"],
  ])("refuses a bad option at construction (%#)", (run, message) => {
    expect(run).toThrow(UsageError);
    expect(run).toThrow(message);
  });

  // The checks fit runs that need no data, at construction, by the Trainer's own validators;
  // each message whole (one prefix).
  it.each([
    [{ l2: -1 }, "Classifier: the L2 penalty λ must be a finite number ≥ 0, got -1"],
    [{ warmup: -1 }, "Classifier: warmup must be a non-negative integer (steps), got -1"],
    [{ warmup: 1.5 }, "Classifier: warmup must be a non-negative integer (steps), got 1.5"],
    [
      { schedule: "step", decayEvery: 2, decayRate: 0 },
      "Classifier: decayRate γ must be a number in (0, 1], got 0",
    ],
    [
      { schedule: "step", decayEvery: 2, decayRate: 1.5 },
      "Classifier: decayRate γ must be a number in (0, 1], got 1.5",
    ],
    [
      { schedule: "step", decayEvery: 0 },
      "Classifier: decayEvery must be a positive integer (epochs), got 0",
    ],
    [
      { schedule: "step" },
      'Classifier: schedule "step" needs decayEvery, the epochs between decays',
    ],
    [
      { schedule: "cosine", learningRate: 0.1, lrMin: 0.2 },
      "Classifier: lrMin must be a number in [0, 0.1] (the learning rate), got 0.2",
    ],
    [
      { patience: 0, validation: 0.2 },
      "Classifier: patience must be a positive integer (epochs), got 0",
    ],
    [
      { patience: 2.5, validation: 0.2 },
      "Classifier: patience must be a positive integer (epochs), got 2.5",
    ],
    [
      { patience: 3 },
      "Classifier: early stopping (patience) needs validation data to watch: set validation (the fraction of the rows to hold out)",
    ],
    [{ positive: {} }, "Classifier: positive must be a string or a finite number, got an object"],
  ] as const)("refuses %j at construction", (options, message) => {
    const run = () => new Classifier(options as never);
    expectThrows(run, UsageError, message);
  });

  it("accepts the schedules and early stopping it can run", () => {
    expect(() => new Classifier({ schedule: "step", decayEvery: 3, decayRate: 0.5 })).not.toThrow();
    expect(() => new Classifier({ schedule: "cosine", warmup: 5, lrMin: 0 })).not.toThrow();
    expect(() => new Classifier({ patience: 3, validation: 0.25 })).not.toThrow();
  });

  it("fitAsync refuses a signal that is not an AbortSignal, and options that are not an object", async () => {
    const rows = [[1], [2], [3], [4]];
    const y = [0, 1, 0, 1];
    const clf = new Classifier({ epochs: 1 });
    await expect(clf.fitAsync(rows, y, { signal: 3 } as never)).rejects.toThrow(
      new UsageError("fitAsync: signal must be an AbortSignal, got a number (3)"),
    );
    await expect(clf.fitAsync(rows, y, null as never)).rejects.toThrow(
      new UsageError("fitAsync: options must be an object, got null"),
    );
    await expect(clf.fitAsync(rows, y, { signal: new AbortController().signal })).resolves.toBe(
      clf,
    );
  });

  it("partialFit refuses a third argument (the names are the first fit's)", () => {
    const rows = [[1], [2], [3], [4]];
    const y = [0, 1, 0, 1];
    const clf = new Classifier({ epochs: 1 }).fit(rows, y, { features: ["a"] });
    expectThrows(
      () =>
        (clf.partialFit as (...args: unknown[]) => unknown).call(clf, rows, y, { features: ["b"] }),
      UsageError,
      "partialFit takes X and y only, got a third argument (an object): the feature names and the label column are the first fit's",
    );
  });

  it("fit and fitAsync refuse unknown keys, with a did-you-mean", async () => {
    const rows = [[1], [2], [3], [4]];
    const y = [0, 1, 0, 1];
    expect(() => new Classifier().fit(rows, y, { feature: ["a"] } as never)).toThrow(
      'fit: unknown option "feature" (did you mean "features"? known: features, label)',
    );
    await expect(
      new Classifier().fitAsync(rows, y, { onepoch: () => undefined } as never),
    ).rejects.toThrow('fitAsync: unknown option "onepoch" (did you mean "onEpoch"?');
  });
});
