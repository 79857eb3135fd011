import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseLabelledCsv, splitDataset } from "../../src/data/index.js";
import { loadCsv } from "../../src/io/index.js";
import { loadModel } from "../../src/io/index.js";
import { parseModel } from "../../src/formats/index.js";
import { initParams } from "../../src/nn/index.js";
import { streamSeed } from "../../src/rng.js";
import { DivergenceError, train, Trainer } from "../../src/train/index.js";
import { makeDataset } from "../../src/data/toy.js";
import { HISTOGRAM_ROWS, MAX_EPOCHS, Session, suggestClasses } from "../../web/src/lib/session.js";
import { handgrad } from "../cli/run.js";
import { consistent, DEFAULT_SETTINGS, type Settings } from "../../web/src/lib/settings.js";
import { differenceCaveat } from "../../web/src/lib/words.js";

const folder = mkdtempSync(join(tmpdir(), "handgrad-web-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const settings: Settings = { ...DEFAULT_SETTINGS, samples: 200, seed: 4 };

/** Runs `steps` gradient steps in slices of `slice` steps. */
function runSteps(session: Session, steps: number, slice: number): void {
  while (session.steps < steps) {
    const target = Math.min(steps, session.steps + slice);
    if (!session.run(() => session.steps >= target)) return; // the run is complete
  }
}

describe("Session", () => {
  it("training in slices equals one train() call with the CLI's seed streams (bit for bit)", () => {
    const session = new Session(settings);
    runSteps(session, 137, 10);
    const data = makeDataset("moons", { samples: 200, seed: streamSeed(4, "data") });
    const { train: rows, validation } = splitDataset(data, 60 / 200, streamSeed(4, "split"));
    let calls = 0;
    const whole = train(
      initParams({ inputs: 2, hidden: 16, init: "xavier", seed: streamSeed(4, "init") }),
      rows,
      {
        activation: "tanh",
        learningRate: settings.learningRate,
        epochs: MAX_EPOCHS,
        batchSize: settings.batchSize,
        seed: streamSeed(4, "shuffle"),
        validation,
        shouldStop: () => ++calls > 137,
      },
    );
    expect(whole.steps).toBe(137);
    expect(session.params.W1.data).toEqual(whole.params.W1.data);
    expect(session.params.b2.data).toEqual(whole.params.b2.data);
  });

  it("after E epochs holds the model `handgrad train` saves with the same flags (bit for bit)", () => {
    const page = new Session({ ...settings, dataset: "spirals", classes: 3, hidden: 9 });
    const trainRows = page.points().isTest.filter((t) => t === 0).length; // 140
    const epochs = 3;
    runSteps(page, epochs * Math.ceil(trainRows / settings.batchSize), 10);
    const path = join(folder, "cli-model.json");
    const run = handgrad([
      "train",
      ...[
        "--dataset",
        "spirals",
        "--classes",
        "3",
        "--samples",
        "200",
        "--seed",
        "4",
        "--noise",
        "0.1",
      ],
      ...["--validation", "0.3", "--hidden", "9", "--activation", "tanh", "--init", "xavier"],
      ...["--lr", String(settings.learningRate), "--batch-size", String(settings.batchSize)],
      ...["--epochs", String(epochs), "--save", path],
    ]);
    expect(run.code, run.stderr).toBe(0);
    const cli = loadModel(path);
    for (const name of ["W1", "b1", "W2", "b2"] as const) {
      expect(page.params[name].data).toEqual(cli.params[name].data);
    }
  });

  it("step() takes exactly one gradient step; reset() returns to the starting model", () => {
    const session = new Session(settings);
    const start = session.params.W1.data.slice();
    session.step();
    expect(session.steps).toBe(1);
    session.step();
    expect(session.steps).toBe(2);
    expect(session.params.W1.data).not.toEqual(start);
    session.reset();
    expect(session.steps).toBe(0);
    expect(session.params.W1.data).toEqual(start);
  });

  it("the same settings give the same data, split, initialisation and snapshot", () => {
    const [a, b] = [new Session(settings), new Session(settings)];
    runSteps(a, 50, 7);
    runSteps(b, 50, 50);
    expect(a.points()).toEqual(b.points());
    const [sa, sb] = [a.snapshot(false), b.snapshot(false)];
    expect(sa.grid?.probabilities).toEqual(sb.grid?.probabilities);
    expect(sa.history).toEqual(sb.history);
  });

  it("marks as test exactly the rows splitDataset holds out", () => {
    const session = new Session(settings);
    const p = session.points();
    const data = makeDataset("moons", { samples: 200, seed: streamSeed(4, "data") });
    const { validation } = splitDataset(data, 0.3, streamSeed(4, "split"));
    const key = (x1: number, x2: number): string => `${x1},${x2}`;
    const held = new Set<string>();
    for (let i = 0; i < validation.X.rows; i++)
      held.add(key(validation.X.data[2 * i]!, validation.X.data[2 * i + 1]!));
    const marked = new Set<string>();
    for (let i = 0; i < p.y.length; i++)
      if (p.isTest[i]) marked.add(key(p.X[2 * i]!, p.X[2 * i + 1]!));
    expect(marked).toEqual(held);
    expect(marked.size).toBe(60);
  });

  it("learns moons to a test accuracy ≥ 0.95", () => {
    const session = new Session({ ...DEFAULT_SETTINGS });
    runSteps(session, 4000, 500);
    const last = session.snapshot(false).history.at(-1)!;
    expect(last.testAccuracy).toBeGreaterThanOrEqual(0.95);
  });

  it("exports a model file that the CLI's loader reads back to the same parameters", () => {
    const session = new Session({ ...settings, dataset: "blobs", classes: 3 });
    runSteps(session, 20, 20);
    const path = join(folder, "model.json");
    writeFileSync(path, session.modelText());
    const model = loadModel(path);
    expect(model.params.W2.cols).toBe(3);
    expect(model.params.W1.data).toEqual(session.params.W1.data);
    expect(model.standardizer).toBeUndefined();
  });

  it("exports the data as a CSV that parses back to the same rows", () => {
    const session = new Session({ ...settings, dataset: "spirals", classes: 4 });
    const data = parseLabelledCsv(session.dataCsv(), { maxClasses: 4 });
    const p = session.points();
    expect(data.X.data).toEqual(p.X);
    expect(data.y.data).toEqual(p.y);
  });

  it("reports a bad CSV with the CLI's own message (the same parser)", () => {
    const text = "x1,x2,label\n0.5,1,0\n0.25,abc,1\n";
    const path = join(folder, "bad.csv");
    writeFileSync(path, text);
    let cli = "";
    try {
      loadCsv(path);
    } catch (error) {
      cli = (error as Error).message;
    }
    expect(cli).toBe(`${path} line 3, column "x2": "abc" is not a number`);
    const session = new Session(settings);
    expect(() => session.loadCsv(path, text, 2)).toThrow(cli);
  });

  it("trains on higher-dimensional CSV data standardised, without a grid, and exports the standardizer", () => {
    const rows = ["a,b,c,label"];
    for (let i = 0; i < 40; i++) rows.push(`${i},${(i * 7) % 11},${100 + i},${i % 2}`);
    const session = new Session(settings);
    session.loadCsv("four.csv", rows.join("\n"), 2);
    expect(session.points().D).toBe(3);
    runSteps(session, 5, 5);
    expect(session.snapshot(false).grid).toBeUndefined();
    const model = parseModel(session.modelText());
    expect(model.standardizer?.mean.length).toBe(3);
  });

  it("continues training from an imported model; refuses one of another shape with a ModelFileError", () => {
    const a = new Session(settings);
    runSteps(a, 30, 30);
    const b = new Session({ ...settings, hidden: 4 });
    b.loadModel("m.json", a.modelText());
    expect(b.params.W1.data).toEqual(a.params.W1.data);
    b.step();
    expect(b.steps).toBe(1);
    const c = new Session({ ...settings, dataset: "blobs", classes: 3 });
    expect(() => c.loadModel("m.json", a.modelText())).toThrow(
      "m.json has 2 classes, but the data has 3",
    );
    expect(() => c.loadModel("m.json", "{")).toThrow(/^m\.json: not valid JSON/);
  });

  it("stops a diverging run with the library's DivergenceError and goes back to its last good epoch", () => {
    const session = new Session({
      ...DEFAULT_SETTINGS,
      dataset: "blobs",
      classes: 5,
      learningRate: 10,
      activation: "relu",
      init: "he",
      hidden: 128,
      batchSize: 1,
      noise: 1,
    });
    expect(() => runSteps(session, 20_000, 2000)).toThrow(DivergenceError);
    const snapshot = session.snapshot(false);
    const last = snapshot.history.at(-1)!;
    expect(session.steps).toBe(last.epoch * session.points().isTest.filter((t) => !t).length);
    expect(Number.isFinite(last.loss)).toBe(true);
    expect([...session.params.W1.data].every(Number.isFinite)).toBe(true);
  });

  it("names a weight set by hand as a divergence's likely cause, and says what became of it", () => {
    const moons: Settings = { ...DEFAULT_SETTINGS };
    // Set after the first step: going back to the last good state (the start) undoes it.
    const after = new Session(moons);
    after.step();
    const before = after.params.W2.data[0]!;
    after.setWeight("W2", 0, 1e6);
    expect(after.snapshot(false).edits).toEqual([
      { param: "W2", index: 0, value: 1e6, steps: 1, initial: false },
    ]);
    let error: unknown;
    try {
      runSteps(after, 5000, 500);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DivergenceError);
    const start = new Session(moons).params.W2.data[0]!;
    expect(after.params.W2.data[0]).toBe(start);
    expect((error as Error).message).toMatch(
      new RegExp(
        `^training diverged at epoch 1, step \\d+: .*\\. You set W2 h1 → p to 1000000 at step 1: that is the likely cause, not the learning rate\\. ` +
          `It went back to its last good state, step 0, from before that edit: W2 h1 → p is ${start} again\\. Set it again`,
      ),
    );
    expect((error as Error).message).not.toContain("try a lower learning rate");
    expect(after.snapshot(false).edits).toBeUndefined(); // the link's note has nothing to say now
    expect(before).not.toBe(1e6);

    // Set at the start: the start keeps it, through a reset.
    const first = new Session(moons);
    first.setWeight("W2", 0, 1e6);
    first.step();
    first.reset();
    expect(first.snapshot(false).edits).toHaveLength(1);
    expect(first.params.W2.data[0]).toBe(1e6);
    // A reset drops an edit made after the start.
    const later = new Session(moons);
    later.step();
    later.setWeight("b2", 0, 0.5);
    later.reset();
    expect(later.snapshot(false).edits).toBeUndefined();
  });

  it("with adam, an L2 penalty, a cosine schedule, warm-up and clipping equals one train() call (bit for bit)", () => {
    const tuned: Settings = consistent({
      ...settings,
      optimizer: "adam",
      beta1: 0.8,
      l2: 1e-3,
      schedule: "cosine",
      lrMin: 0.01,
      warmup: 30,
      clipNorm: 2,
      epochs: 20,
    });
    const session = new Session(tuned);
    runSteps(session, 137, 10);
    const data = makeDataset("moons", { samples: 200, seed: streamSeed(4, "data") });
    const { train: rows, validation } = splitDataset(data, 60 / 200, streamSeed(4, "split"));
    let calls = 0;
    let learningRate = NaN;
    const options = {
      activation: "tanh",
      learningRate: tuned.learningRate,
      epochs: 20,
      batchSize: tuned.batchSize,
      seed: streamSeed(4, "shuffle"),
      validation,
      optimizer: "adam",
      beta1: 0.8,
      l2: 1e-3,
      schedule: "cosine",
      lrMin: 0.01,
      warmup: 30,
      clipNorm: 2,
    } as const;
    const initial = initParams({
      inputs: 2,
      hidden: 16,
      init: "xavier",
      seed: streamSeed(4, "init"),
    });
    const whole = train(initial, rows, { ...options, shouldStop: () => ++calls > 137 });
    expect(whole.steps).toBe(137);
    for (const name of ["W1", "b1", "W2", "b2"] as const)
      expect(session.params[name].data).toEqual(whole.params[name].data);
    const snapshot = session.snapshot(false);
    expect(snapshot.history).toEqual(
      whole.history.map((r) => ({
        epoch: r.epoch,
        loss: r.loss,
        accuracy: r.accuracy,
        testLoss: r.validationLoss,
        testAccuracy: r.validationAccuracy,
        penalty: r.penalty,
      })),
    );
    expect(snapshot.history.every((h) => h.penalty > 0)).toBe(true);
    expect(snapshot.l2).toBe(1e-3);
    // η of step 137, as the Trainer's own step reports it
    const trainer = new Trainer(initial, rows, {
      ...options,
      onStep: (step) => (learningRate = step.learningRate),
    });
    trainer.run(() => trainer.steps >= 137);
    expect(snapshot.learningRate).toBe(learningRate);
    expect(learningRate).toBeLessThan(tuned.learningRate);
  });

  it("before any step shows epoch 0's loss with the penalty, as the Trainer records it", () => {
    const tuned: Settings = { ...settings, l2: 0.01 };
    const before = new Session(tuned).snapshot(false).history;
    expect(before).toHaveLength(1);
    const session = new Session(tuned);
    session.step();
    const recorded = session.snapshot(false).history[0];
    expect(before[0]).toEqual(recorded);
    expect(before[0]!.penalty).toBeGreaterThan(0);
    expect(new Session(tuned).snapshot(false).learningRate).toBeUndefined();
  });

  it("check() reports a warm-up longer than the run with the library's message", () => {
    const session = new Session({ ...settings, warmup: 1000, epochs: 2 });
    // 140 training rows in batches of 16: 9 steps per epoch
    expect(() => session.check()).toThrow(
      "the warm-up (1000 steps) is longer than the run (18 steps)",
    );
    const fine = new Session({ ...settings, warmup: 18, epochs: 2 });
    expect(() => fine.check()).not.toThrow();
    runSteps(fine, 18, 18);
    expect(fine.complete).toBe(true);
    expect(() => fine.step()).toThrow("the run is complete (2 epochs)");
  });

  it("passes the gradient check on the current model", () => {
    const session = new Session(settings);
    runSteps(session, 40, 40);
    const report = session.gradcheck();
    expect(report.passed).toBe(true);
    expect(report.rows.map((r) => r.name)).toEqual(["W1", "b1", "W2", "b2"]);
    expect(report.rows.every((r) => r.relError <= report.threshold && r.checked > 0)).toBe(true);
  });
});

describe("Session's step figures, histograms and K hint", () => {
  it("report each step's batch loss and place in the epoch, as the Trainer's onStep gives them", () => {
    const session = new Session({ ...settings, samples: 100, batchSize: 16 }); // 70 training rows
    expect(session.snapshot(false).lastStep).toBeUndefined();
    const seen: number[] = [];
    for (let i = 1; i <= 5; i++) {
      session.step();
      const step = session.snapshot(false).lastStep!;
      expect(step.stepInEpoch).toBe(i);
      expect(step.stepsPerEpoch).toBe(5);
      expect(step.epoch).toBe(1);
      expect(step.batchRows).toBe(i < 5 ? 16 : 70 - 64);
      seen.push(step.batchLoss);
    }
    // The same batch losses as a Trainer of the same run reports.
    const twin = new Session({ ...settings, samples: 100, batchSize: 16 });
    const losses: number[] = [];
    for (let i = 0; i < 5; i++) {
      twin.step();
      losses.push(twin.snapshot(false).lastStep!.batchLoss);
    }
    expect(losses).toEqual(seen);
    session.step();
    expect(session.snapshot(false).lastStep).toMatchObject({ epoch: 2, stepInEpoch: 1 });
    session.reset();
    expect(session.snapshot(false).lastStep).toBeUndefined();
  });

  it("count at most HISTOGRAM_ROWS training rows in the histograms", () => {
    for (const samples of [200, 5000]) {
      const h = new Session({ ...settings, samples }).snapshot(false).histograms;
      const rows = Math.min(HISTOGRAM_ROWS, h.trainRows);
      expect(h.rows).toBe(rows);
      expect(h.counts.subarray(0, h.bins).reduce((a, b) => a + b, 0)).toBe(rows);
    }
  });

  it("suggest the K a refused CSV's labels need, and nothing when no K would do", () => {
    const csv = "a,b,label\n0,1,0\n1,0,2\n2,2,1\n";
    expect(suggestClasses("c.csv", csv, 2)).toBe(3);
    expect(suggestClasses("c.csv", csv, 3)).toBeUndefined();
    expect(suggestClasses("c.csv", "a,label\n0,0\n1,0.5\n", 2)).toBeUndefined();
    expect(suggestClasses("c.csv", "a,label\n0,0\n1,9\n", 2)).toBeUndefined(); // above K = 8
  });
});

describe("Session's network-diagram numbers", () => {
  it("inspect: backprop's ∂L/∂θ agrees with the central difference, for every parameter", () => {
    const session = new Session({ ...settings, hidden: 3, l2: 0.01 });
    runSteps(session, 20, 20);
    for (const param of ["W1", "b1", "W2", "b2"] as const) {
      const r = session.inspect(param, 1 % session.params[param].data.length);
      expect(r.value).toBe(session.params[param].data[1 % session.params[param].data.length]);
      expect(Math.abs(r.gradient - r.estimate)).toBeLessThanOrEqual(
        1e-6 * (Math.abs(r.gradient) + Math.abs(r.estimate)) + 1e-12,
      );
      expect(r.steps).toBe(20);
    }
    expect(() => session.inspect("W1", 99)).toThrow(/W1 has no entry 99/);
  });

  it("inspect and walkCheck show no central difference, and say why, at a kink or below float spacing", () => {
    // Unit h1 with b1 = 0 and both weights 0: z1 = 0 on every row, relu's kink.
    const session = new Session({ ...settings, activation: "relu", hidden: 4 });
    session.setWeight("b1", 0, 0);
    session.setWeight("W1", 0, 0);
    session.setWeight("W1", 4, 0); // W1[1][0]
    const atKink = session.inspect("W1", 4);
    expect(atKink.kink).toBe(true);
    expect(atKink.estimate).toBeNaN();
    expect(atKink.gradient).toBe(0); // relu′(0) = 0
    const away = session.inspect("W2", 1);
    expect([away.kink, away.unresolved]).toEqual([false, false]);
    expect(Math.abs(away.gradient - away.estimate)).toBeLessThan(1e-8);
    // 1e300 ± 1e-5 is 1e300: no step to divide by (the library would refuse it).
    session.setWeight("W2", 0, 1e300);
    const huge = session.inspect("W2", 0);
    expect([huge.unresolved, huge.kink, huge.estimate]).toEqual([true, false, NaN]);
    expect(session.walkCheck([0, 1], "W2", 0)).toMatchObject({ unresolved: true, kink: false });
    expect(differenceCaveat(huge, "w", huge.value)).toBe(
      "ε = 0.00001 is below the spacing of float64 numbers at w = 1e+300 (w ± ε rounds to w): central differences cannot estimate the derivative here",
    );
    expect(differenceCaveat(atKink, "w", 0)).toMatch(/^w ± ε crosses the activation's kink at 0/);
    expect(differenceCaveat(away, "w", away.value)).toBeUndefined();
  });

  it("setWeight: training goes on from the set value, as a Trainer resumed from that state", () => {
    const session = new Session({ ...settings, hidden: 3 });
    runSteps(session, 10, 10);
    session.setWeight("W2", 2, 1.5);
    expect(session.params.W2.data[2]).toBe(1.5);
    expect(session.steps).toBe(10);
    session.step();
    expect(session.steps).toBe(11);
    expect(session.params.W2.data[2]).not.toBe(1.5);
    // Before the first step, the starting weights change.
    const fresh = new Session({ ...settings, hidden: 3 });
    fresh.setWeight("b1", 0, -2);
    expect(fresh.params.b1.data[0]).toBe(-2);
    expect(() => fresh.setWeight("b1", 0, NaN)).toThrow(/finite number/);
  });

  it("maps each hidden unit over the plot for 2-D data up to 64 units", () => {
    const units = new Session({ ...settings, hidden: 5 }).snapshot(false).units!;
    expect(units.values).toHaveLength(5 * units.R * units.R);
    for (const v of units.values) expect(Math.abs(v)).toBeLessThanOrEqual(1); // tanh
    expect(new Session({ ...settings, hidden: 65 }).snapshot(false).units).toBeUndefined();
  });
});

describe("Session's model file", () => {
  it("names the features and the classes, as train --save does", () => {
    const model = JSON.parse(new Session(settings).modelText());
    expect(model.features).toEqual(["x1", "x2"]);
    expect(model.classes).toEqual([0, 1]);
    const three = JSON.parse(
      new Session({ ...settings, dataset: "spirals", classes: 3 }).modelText(),
    );
    expect(three.classes).toEqual([0, 1, 2]);
  });
});
