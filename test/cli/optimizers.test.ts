/**
 * train's optimizer, L2, schedule and early-stopping flags; grad and gradcheck --l2 (in-process,
 * through main()). The truth is the library called directly with only the options a flag sets
 * (so its defaults are the CLI's), closed forms for the penalty, and reruns for the restored
 * epoch.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { makeDataset, splitDataset, type Dataset } from "../../src/data/index.js";
import { loadModel } from "../../src/io/index.js";
import { fromRows, type Matrix } from "../../src/linalg/index.js";
import { initParams } from "../../src/nn/index.js";
import { streamSeed } from "../../src/rng.js";
import {
  DEFAULT_ADAM_EPS,
  DEFAULT_BETA1,
  DEFAULT_BETA2,
  DEFAULT_DECAY_RATE,
  DEFAULT_L2,
  DEFAULT_LR_MIN,
  DEFAULT_MIN_DELTA,
  DEFAULT_MOMENTUM,
  DEFAULT_WARMUP,
  optimizerSettings,
  train,
  type TrainOptions,
} from "../../src/train/index.js";
import { progressBar } from "../../src/cli/progress.js";
import { HANDGRAD_VERSION } from "../../src/version.js";
import { runMain } from "./run.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "handgrad-optimizers-"));
});

/** A fresh path in the test's folder. */
let files = 0;
const path = (name: string): string => join(dir, `${files++}-${name}`);

/** What `handgrad train --dataset moons --epochs E --seed 0 [--validation F]` trains on, rebuilt from the library. */
function moonsRun(validation?: number) {
  const data = makeDataset("moons", { seed: streamSeed(0, "data") });
  const split: { train: Dataset; validation?: Dataset } =
    validation === undefined
      ? { train: data }
      : splitDataset(data, validation, streamSeed(0, "split"));
  const params = initParams({ inputs: 2, hidden: 16, init: "xavier", seed: streamSeed(0, "init") });
  return { split, params };
}

/** The library's result for the same run, given only `options` beyond the run's shape. */
function libraryParams(
  epochs: number,
  lr: number,
  options: Partial<TrainOptions>,
  validation?: number,
) {
  const { split, params } = moonsRun(validation);
  return train(params, split.train, {
    activation: "tanh",
    learningRate: lr,
    epochs,
    batchSize: 32,
    seed: streamSeed(0, "shuffle"),
    ...(split.validation ? { validation: split.validation } : {}),
    ...options,
  });
}

async function trainJson(args: string[]) {
  const r = await runMain(["train", "--dataset", "moons", ...args, "--json"]);
  expect(r.code, r.stderr.join("\n")).toBe(0);
  return { summary: JSON.parse(r.stdout[0] ?? ""), line: r.stderr[0] ?? "" };
}

function same(a: Matrix, b: Matrix): void {
  expect(Array.from(a.data)).toEqual(Array.from(b.data));
}

describe("train: the CLI's defaults are the library's", () => {
  it.each([
    ["sgd", [], {}],
    ["momentum", ["--optimizer", "momentum", "--lr", "0.1"], { optimizer: "momentum" }],
    ["nesterov", ["--optimizer", "nesterov", "--lr", "0.1"], { optimizer: "nesterov" }],
    ["adam", ["--optimizer", "adam", "--lr", "0.01"], { optimizer: "adam" }],
    ["step", ["--schedule", "step", "--decay-every", "2"], { schedule: "step", decayEvery: 2 }],
    ["cosine", ["--schedule", "cosine"], { schedule: "cosine" }],
  ] as const)(
    "%s with no hyper-parameter flag saves the model the library trains with only its defaults",
    async (_, flags, options) => {
      const save = path("m.json");
      const given: readonly string[] = flags;
      const lr = given.includes("--lr") ? Number(given[given.indexOf("--lr") + 1]) : 0.5;
      await trainJson(["--epochs", "4", ...flags, "--save", save]);
      const expected = libraryParams(4, lr, options as Partial<TrainOptions>).params;
      const saved = loadModel(save).params;
      for (const name of ["W1", "b1", "W2", "b2"] as const) same(saved[name], expected[name]);
    },
  );

  it("records --l2 -0 as 0 and shows a small ε in exponent form", async () => {
    const save = path("minus-zero.json");
    const r = await runMain([
      "train",
      "--dataset",
      "moons",
      "--epochs",
      "2",
      "--l2",
      "-0",
      "--optimizer",
      "adam",
      "--adam-eps",
      "1e-6",
      "--lr",
      "0.01",
      "--save",
      save,
    ]);
    expect(r.code, r.stderr.join("\n")).toBe(0);
    expect(r.stderr.join("\n")).toMatch(/ε 1e-6[,)]/);
    const training = loadModel(save).training!;
    expect(Object.is(training.l2, 0)).toBe(true);
    expect(readFileSync(save, "utf8")).not.toMatch(/"l2": ?-0/);
  });

  it("early stopping that keeps the starting model says so and what to try", async () => {
    // A rate far too high: no epoch beats epoch 0 on the validation rows.
    const args = ["train", "--dataset", "moons", "--validation", "0.3", "--patience", "2"];
    const r = await runMain([...args, "--lr", "30", "--epochs", "100", "--divergence-factor", "0"]);
    expect(r.code, r.stderr.join("\n")).toBe(0);
    expect(r.stderr.join("\n")).toMatch(/restored epoch 0\b/);
    expect(r.stderr).toContain(
      "hint: no epoch improved on the starting model's validation loss, so the model saved is the starting one; try a lower --lr, or a larger --patience",
    );
    // A run whose best epoch is later gets no such hint.
    const fine = await runMain([...args, "--lr", "0.3", "--epochs", "20"]);
    expect(fine.stderr.join("\n")).not.toMatch(/starting model's validation loss/);
  });

  it("early stopping's defaults (min-delta, restore-best) are the library's", async () => {
    const save = path("m.json");
    const args = ["--epochs", "60", "--validation", "0.3", "--lr", "2", "--patience", "3"];
    const { summary } = await trainJson([...args, "--save", save]);
    const expected = libraryParams(60, 2, { patience: 3 }, 0.3);
    expect(summary.earlyStop).toEqual(expected.earlyStop ?? null);
    same(loadModel(save).params.W1, expected.params.W1);
  });

  it("the recorded hyper-parameters and the --help defaults are the library's constants", async () => {
    const adam = (await trainJson(["--epochs", "1", "--optimizer", "adam"])).summary.training;
    const settings = optimizerSettings({ optimizer: "adam" });
    expect([adam.beta1, adam.beta2, adam.adamEps]).toEqual([
      settings.beta1,
      settings.beta2,
      settings.eps,
    ]);
    const momentum = (await trainJson(["--epochs", "1", "--optimizer", "momentum"])).summary
      .training;
    expect(momentum.momentum).toBe(optimizerSettings({ optimizer: "momentum" }).momentum);
    const help = (await runMain(["train", "--help"])).stderr;
    const shown = (flag: string): string =>
      /\(([^()]*?)(: none)?\)$/.exec(help.find((l) => l.startsWith(`  --${flag} `)) ?? "")?.[1] ??
      "";
    expect(shown("momentum")).toBe(String(DEFAULT_MOMENTUM));
    expect(shown("beta1")).toBe(String(DEFAULT_BETA1));
    expect(shown("beta2")).toBe(String(DEFAULT_BETA2));
    expect(shown("adam-eps")).toBe(String(DEFAULT_ADAM_EPS));
    expect(shown("l2")).toBe(String(DEFAULT_L2));
    expect(shown("decay-rate")).toBe(String(DEFAULT_DECAY_RATE));
    expect(shown("lr-min")).toBe(String(DEFAULT_LR_MIN));
    expect(shown("warmup")).toBe(String(DEFAULT_WARMUP));
    expect(shown("min-delta")).toBe(String(DEFAULT_MIN_DELTA));
    expect(shown("optimizer")).toBe("sgd");
    expect(shown("schedule")).toBe("constant");
  });
});

describe("train: bad values and flags the run would not use", () => {
  const base = ["train", "--dataset", "moons", "--epochs", "3"];
  it.each([
    [["--l2", "-0.1"], "--l2 must be a number ≥ 0, got -0.1"],
    [
      ["--optimizer", "momentum", "--momentum", "-0.5"],
      "--momentum must be a number in [0, 1), got -0.5",
    ],
    [
      ["--optimizer", "nesterov", "--momentum", "1"],
      "--momentum must be a number in [0, 1), got 1",
    ],
    [["--optimizer", "adam", "--beta1", "1"], "--beta1 must be a number in [0, 1), got 1"],
    [["--optimizer", "adam", "--beta2", "-1e-9"], "--beta2 must be a number in [0, 1), got -1e-9"],
    [["--optimizer", "adam", "--adam-eps", "0"], "--adam-eps must be a number > 0, got 0"],
    [["--optimizer", "adam", "--adam-eps", "-1"], "--adam-eps must be a number > 0, got -1"],
    [
      ["--optimizer", "rmsprop"],
      '--optimizer must be one of sgd, momentum, nesterov, adam, got "rmsprop"',
    ],
    [["--schedule", "linear"], '--schedule must be one of constant, step, cosine, got "linear"'],
    [
      ["--patience", "5"],
      "--patience needs --validation F: early stopping watches the validation loss",
    ],
    [
      ["--validation", "0.2", "--patience", "0"],
      "--patience must be an integer from 1 to 2^53 − 1, got 0",
    ],
    [
      ["--validation", "0.2", "--min-delta", "0.01"],
      "--min-delta applies to early stopping: give --patience P (and --validation F)",
    ],
    [
      ["--no-restore-best"],
      "--no-restore-best applies to early stopping: give --patience P (and --validation F)",
    ],
    [
      ["--validation", "0.2", "--patience", "2", "--min-delta", "-1"],
      "--min-delta must be a number ≥ 0, got -1",
    ],
    [["--warmup", "40"], "--warmup 40 is longer than the run: 3 epochs × 13 steps = 39 steps"],
    [["--warmup", "2.5"], "--warmup must be an integer from 0 to 2^53 − 1, got 2.5"],
    [
      ["--decay-every", "2"],
      "--decay-every applies to --schedule step, not to --schedule constant, the default",
    ],
    [
      ["--schedule", "cosine", "--decay-rate", "0.5"],
      "--decay-rate applies to --schedule step, not to --schedule cosine",
    ],
    [
      ["--schedule", "step"],
      "--schedule step needs --decay-every E, the epochs between two decays",
    ],
    [
      ["--schedule", "step", "--decay-every", "1", "--decay-rate", "0"],
      "--decay-rate must be a number in (0, 1], got 0",
    ],
    [
      ["--schedule", "step", "--decay-every", "1", "--decay-rate", "1.5"],
      "--decay-rate must be a number in (0, 1], got 1.5",
    ],
    [
      ["--lr-min", "0.1"],
      "--lr-min applies to --schedule cosine, not to --schedule constant, the default",
    ],
    [
      ["--schedule", "cosine", "--lr-min", "0.6"],
      "--lr-min must be a number from 0 to the learning rate η = 0.5, got 0.6",
    ],
    [["--clip-norm", "0"], "--clip-norm must be a number > 0, got 0"],
    [
      ["--beta1", "0.9"],
      "--beta1 applies to --optimizer adam, not to --optimizer sgd, the default",
    ],
    [
      ["--optimizer", "momentum", "--adam-eps", "1e-8"],
      "--adam-eps applies to --optimizer adam, not to --optimizer momentum",
    ],
    [
      ["--optimizer", "adam", "--momentum", "0.9"],
      "--momentum applies to --optimizer momentum or nesterov, not to --optimizer adam",
    ],
  ])("%j: exit 2, one line naming the flag, nothing written", async (args, message) => {
    const save = path("never.json");
    const r = await runMain([...base, ...args, "--save", save]);
    expect(r.code).toBe(2);
    expect(r.stderr).toEqual([`handgrad train: ${message}`]);
    expect(r.stdout).toEqual([]);
    expect(existsSync(save)).toBe(false);
  });
});

describe("train: what the run says and saves", () => {
  it("the summary names the rule and its hyper-parameters; with --l2 the loss includes the penalty", async () => {
    const args = ["--epochs", "5", "--optimizer", "adam", "--lr", "0.01", "--l2", "0.001"];
    const { summary, line } = await trainJson([
      ...args,
      "--schedule",
      "cosine",
      "--warmup",
      "10",
      "--clip-norm",
      "1",
    ]);
    expect(line).toMatch(
      /, 65 steps of adam \(η 0\.01, β1 0\.9, β2 0\.999, ε 1e-8, cosine schedule to 0, warm-up 10 steps, clip-norm 1, L2 λ 0\.001\): loss /,
    );
    // The penalty printed is (λ/2)(‖W1‖² + ‖W2‖²) of the final model, and the loss includes it.
    const { final } = summary;
    expect(line).toContain(`(including the L2 penalty ${Number(final.penalty.toPrecision(4))})`);
    expect(summary.training).toEqual({
      optimizer: "adam",
      learningRate: 0.01,
      beta1: 0.9,
      beta2: 0.999,
      adamEps: 1e-8,
      l2: 0.001,
      schedule: "cosine",
      lrMin: 0,
      warmup: 10,
      clipNorm: 1,
      // The run's own settings (model file version 2), as the Classifier records them.
      handgrad: HANDGRAD_VERSION,
      epochs: 5,
      batchSize: 32,
      seed: 0,
    });
    const sgd = await trainJson(["--epochs", "1"]);
    expect(sgd.line).toMatch(/, 13 steps of sgd \(η 0\.5\): loss [\d.]+ → [\d.]+, train/);
    expect(sgd.summary.final.penalty).toBeUndefined();
  });

  it("the model file records the rule, only the hyper-parameters it uses, λ, the schedule and early stopping", async () => {
    const cases: [string[], object][] = [
      [[], { optimizer: "sgd", learningRate: 0.5, l2: 0, schedule: "constant" }],
      [
        [
          "--optimizer",
          "nesterov",
          "--momentum",
          "0.8",
          "--lr",
          "0.1",
          "--schedule",
          "step",
          "--decay-every",
          "2",
        ],
        {
          optimizer: "nesterov",
          learningRate: 0.1,
          momentum: 0.8,
          l2: 0,
          schedule: "step",
          decayRate: 0.1,
          decayEvery: 2,
        },
      ],
      [
        [
          "--validation",
          "0.25",
          "--patience",
          "50",
          "--min-delta",
          "0.001",
          "--no-restore-best",
          "--l2",
          "0.01",
        ],
        {
          optimizer: "sgd",
          learningRate: 0.5,
          l2: 0.01,
          schedule: "constant",
          patience: 50,
          minDelta: 0.001,
          restoreBest: false,
        },
      ],
    ];
    for (const [flags, training] of cases) {
      const save = path("m.json");
      await trainJson(["--epochs", "3", ...flags, "--save", save]);
      const run = {
        handgrad: HANDGRAD_VERSION,
        epochs: 3,
        batchSize: 32,
        ...(flags.includes("--validation") ? { validationFraction: 0.25 } : {}),
        seed: 0,
      };
      expect(loadModel(save).training).toEqual({ ...training, ...run });
      // One line, keys in a fixed order: the same run writes the same bytes.
      const text = readFileSync(save, "utf8");
      expect(text).toMatch(
        /\n {2}"training": \{"handgrad": "[^"]+", "optimizer": "[a-z]+", "learningRate": [\d.]+, .*, "seed": 0\}\n\}\n$/,
      );
    }
  });

  it("a model trained from --init-model records this run's training, not the starting model's", async () => {
    const first = path("first.json");
    await trainJson(["--epochs", "1", "--optimizer", "adam", "--lr", "0.01", "--save", first]);
    const second = path("second.json");
    await trainJson(["--epochs", "1", "--init-model", first, "--save", second]);
    expect(loadModel(second).training?.optimizer).toBe("sgd");
  });

  it("early stopping: the summary says why and where; the restored model is exactly the best epoch's", async () => {
    const base = [
      "--validation",
      "0.3",
      "--lr",
      "2",
      "--optimizer",
      "momentum",
      "--momentum",
      "0.5",
    ];
    const save = path("early.json");
    const { summary, line } = await trainJson([
      ...base,
      "--epochs",
      "300",
      "--patience",
      "5",
      "--save",
      save,
    ]);
    const history: { epoch: number; validationLoss: number }[] = summary.history;
    // Independent truth: the best epoch is the first minimum of the validation losses, and the
    // run ends exactly 5 epochs after it.
    const best = history.reduce((a, b) => (b.validationLoss < a.validationLoss ? b : a));
    const E = history.length - 1;
    expect(E).toBeLessThan(300);
    expect(E - best.epoch).toBe(5);
    expect(summary.earlyStop).toEqual({
      reason: "early-stopping",
      epoch: E,
      bestEpoch: best.epoch,
      bestValidationLoss: best.validationLoss,
      restored: true,
    });
    expect(summary.final).toEqual(history[best.epoch]);
    expect(line).toContain(
      `; stopped early at epoch ${E}: validation loss did not improve for 5 epochs; restored epoch ${best.epoch} (validation loss ${Number(best.validationLoss.toPrecision(4))})`,
    );
    // The same run cut at the best epoch, without early stopping, ends on the same weights.
    const cut = path("cut.json");
    await trainJson([...base, "--epochs", String(best.epoch), "--save", cut]);
    const [restored, atBest] = [loadModel(save).params, loadModel(cut).params];
    for (const name of ["W1", "b1", "W2", "b2"] as const) same(restored[name], atBest[name]);

    // --no-restore-best keeps the last epoch's weights: those of the run cut at epoch E.
    const last = path("last.json");
    const kept = await trainJson([
      ...base,
      "--epochs",
      "300",
      "--patience",
      "5",
      "--no-restore-best",
      "--save",
      last,
    ]);
    expect(kept.summary.earlyStop.restored).toBe(false);
    expect(kept.line).toContain(
      `kept epoch ${E}'s weights (--no-restore-best; best: epoch ${best.epoch}`,
    );
    const cutLast = path("cut-last.json");
    await trainJson([...base, "--epochs", String(E), "--save", cutLast]);
    same(loadModel(last).params.W1, loadModel(cutLast).params.W1);
  });

  it("the README quotes the early-stopping line its command prints", async () => {
    const readme = readFileSync(join(import.meta.dirname, "../../README.md"), "utf8").replace(
      /\s+/g,
      " ",
    );
    const command =
      /`handgrad train (--dataset moons [^`]*--patience [^`]*)` ends with `([^`]*)`/.exec(readme);
    expect(command).not.toBeNull();
    const r = await runMain(["train", ...command![1]!.split(" ")]);
    expect(r.code).toBe(0);
    expect(r.stderr[0]).toContain(`; ${command![2]}`);
  });

  it("the progress line shows the learning rate when it changes over the run", () => {
    let text = "";
    const stream = { write: (s: string) => ((text += s), true) };
    const bar = progressBar(10, stream, () => 0.0125);
    bar.onEpoch({ epoch: 10, loss: 0.5, accuracy: 0.75 });
    expect(text).toMatch(/epoch 10\/10 {2}loss 0\.5000 {2}acc 75\.0% {2}lr 0\.0125/);
    text = "";
    progressBar(10, stream).onEpoch({ epoch: 10, loss: 0.5, accuracy: 0.75 });
    expect(text).not.toMatch(/lr/);
  });
});

describe("grad and gradcheck --l2", () => {
  const csv = (): string => {
    const file = path("d.csv");
    writeFileSync(file, "x1,x2,y\n0.5,-1,1\n-0.25,2,0\n1.5,0.75,1\n");
    return file;
  };

  it("grad --l2 λ: the loss gains (λ/2)(‖W1‖² + ‖W2‖²) and the weight gradients λ W; biases unchanged", async () => {
    const data = csv();
    const model = path("m.json");
    await runMain(["train", "--data", data, "--epochs", "2", "--hidden", "3", "--save", model]);
    const plain = await runMain(["grad", "--model", model, "--data", data]);
    const lambda = 0.3;
    const penalised = await runMain([
      "grad",
      "--model",
      model,
      "--data",
      data,
      "--l2",
      String(lambda),
    ]);
    expect(penalised.code, penalised.stderr.join("\n")).toBe(0);
    expect(penalised.stderr[0]).toMatch(/\(L2 penalty λ = 0\.3 included: [\d.e-]+ of the loss\)$/);
    const [a, b] = [JSON.parse(plain.stdout[0]!), JSON.parse(penalised.stdout[0]!)];
    const { W1, W2 } = loadModel(model).params;
    let squares = 0;
    for (const w of [...W1.data, ...W2.data]) squares += w * w;
    expect(b.penalty).toBeCloseTo((lambda / 2) * squares, 15);
    expect(b.loss).toBe(a.loss + b.penalty);
    expect(b.l2).toBe(lambda);
    const plus = (g: number[][], W: Matrix): number[][] => {
      const rows = W.rows;
      const w = fromRows(g);
      return Array.from({ length: rows }, (_, i) =>
        Array.from(
          { length: W.cols },
          (_, j) => w.data[i * W.cols + j]! + lambda * W.data[i * W.cols + j]!,
        ),
      );
    };
    expect(b.grads.W1).toEqual(plus(a.grads.W1, W1));
    expect(b.grads.W2).toEqual(plus(a.grads.W2, W2));
    expect(b.grads.b1).toEqual(a.grads.b1);
    expect(b.grads.b2).toEqual(a.grads.b2);
    // Without --l2 the output is as before: no "l2", no "penalty".
    expect(Object.keys(a)).toEqual(["loss", "grads"]);
  });

  it.each([
    ["tanh", "moons", []],
    ["relu", "moons", []],
    ["sigmoid", "xor", []],
    ["leaky-relu", "blobs", ["--classes", "3"]],
  ])(
    "gradcheck --l2 passes with %s on %s (the penalised gradient)",
    async (activation, dataset, extra) => {
      const r = await runMain([
        "gradcheck",
        "--dataset",
        dataset,
        "--samples",
        "40",
        "--hidden",
        "5",
        "--activation",
        activation,
        ...extra,
        "--l2",
        "0.5",
        "--json",
      ]);
      expect(r.code, r.stderr.join("\n")).toBe(0);
      expect(r.stderr[0]).toBe(
        "the gradient of the loss plus the L2 penalty (λ/2)(‖W1‖² + ‖W2‖²), λ = 0.5:",
      );
      const report = JSON.parse(r.stdout[0]!);
      expect(report.l2).toBe(0.5);
      expect(report.passed).toBe(true);
    },
  );

  it("--l2 must be a number ≥ 0 (grad and gradcheck)", async () => {
    for (const command of ["grad", "gradcheck"]) {
      const r = await runMain([
        command,
        "--dataset",
        "moons",
        "--model",
        "nope.json",
        "--l2",
        "-1",
      ]);
      expect(r.code).toBe(2);
      expect(r.stderr).toEqual([`handgrad ${command}: --l2 must be a number ≥ 0, got -1`]);
    }
  });
});

describe("train: divergence of the optimizer's state and its advice", () => {
  it("adam's overflowing second moment is divergence: exit 3, the last good model and checkpoint written (both engines)", async () => {
    const data = path("huge.csv");
    writeFileSync(data, "a,b,y\n1e160,2e160,1\n-1e160,3e159,0\n2e159,-1e160,1\n-3e159,-2e160,0\n");
    const saved: string[] = [];
    for (const engine of ["fast", "plain"]) {
      const [save, checkpoint] = [path("hz.json"), path("hz.ck.json")];
      const r = await runMain([
        "train",
        "--data",
        data,
        "--activation",
        "relu",
        "--hidden",
        "3",
        "--epochs",
        "5",
        "--optimizer",
        "adam",
        "--lr",
        "0.01",
        "--engine",
        engine,
        "--save",
        save,
        "--checkpoint",
        checkpoint,
      ]);
      expect(r.code).toBe(3);
      expect(r.stderr[0]).toContain(
        "training diverged at epoch 1, step 1 (learning rate 0.01): adam's second moment v overflowed (the gradient's square exceeds float64)",
      );
      expect(r.stderr[0]).toContain("clip it with --clip-norm C");
      expect(r.stderr[0]).toContain(
        `the starting model (no epoch ended with finite losses) is saved in ${save}`,
      );
      expect(existsSync(checkpoint)).toBe(true);
      saved.push(readFileSync(save, "utf8"));
    }
    expect(saved[0]).toBe(saved[1]);
  });

  it("names the step's η under warm-up beside --lr, and the L2 penalty when η·λ is past the limit", async () => {
    const data = path("l2.csv");
    writeFileSync(data, "a,y\n1,1\n-1,0\n2,1\n-2,0\n");
    const r = await runMain([
      "train",
      "--data",
      data,
      "--hidden",
      "2",
      "--epochs",
      "20",
      "--batch-size",
      "full",
      "--lr",
      "1000",
      "--warmup",
      "4",
      "--l2",
      "1e7",
    ]);
    expect(r.code).toBe(3);
    expect(r.stderr[0]).toMatch(
      /\(learning rate (250|500|750) at this step; --lr 1000\): .*; η·λ = [\d.e]+ > 2: the L2 penalty alone makes the weights grow; lower --l2 or --lr/,
    );
  });
});
