/**
 * End-to-end tests of the built command line (`npm run build` first; `npm test` does it):
 * each runs `node bin/handgrad.js …` as a user would and checks exit code, stdout and files.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadCsv } from "../../src/io/index.js";
import { loadModel } from "../../src/io/index.js";
import { toRows } from "../../src/linalg/index.js";
import { activationByName, backward, forward } from "../../src/nn/index.js";
import { handgrad } from "./run.js";

const root = resolve(import.meta.dirname, "../..");
const bin = join(root, "bin/handgrad.js");
const breastCancer = join(root, "data/breast_cancer.csv");

let work: string;
beforeAll(() => {
  if (!existsSync(join(root, "dist/cli/main.js")))
    throw new Error("run `npm run build` before the CLI tests");
  work = mkdtempSync(join(tmpdir(), "handgrad-cli-"));
});

describe("handgrad demo", () => {
  it("trains on moons, reports loss, accuracy and a passing gradient check per parameter", () => {
    const r = handgrad(["demo"], work);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(""); // stdout is for JSON only
    for (const name of ["W1", "b1", "W2", "b2"])
      expect(r.stderr).toMatch(new RegExp(`^${name} `, "m"));
    expect(r.stderr).toMatch(/passed: max relError/);
    const [, train, test] = /accuracy {2}train ([\d.]+)%, test ([\d.]+)%/.exec(r.stderr) ?? [];
    expect(Number(train)).toBeGreaterThanOrEqual(97);
    expect(Number(test)).toBeGreaterThanOrEqual(95);
  });
});

describe("handgrad train", () => {
  it("reaches ≥ 97% train accuracy on moons with tanh, H = 16, and prints the per-epoch history as JSON", () => {
    const r = handgrad(["train", "--dataset", "moons", "--json"], work);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.network).toEqual({ activation: "tanh", hidden: 16, standardize: false });
    expect(summary.history).toHaveLength(201);
    expect(summary.history[0].epoch).toBe(0);
    expect(summary.final.accuracy).toBeGreaterThanOrEqual(0.97);
    expect(summary.final.loss).toBeLessThan(summary.history[0].loss);
  });

  it("learns xor", () => {
    const r = handgrad(["train", "--dataset", "xor", "--json"], work);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).final.accuracy).toBeGreaterThanOrEqual(0.95);
  });

  it("--engine plain and --engine fast (the default) print the same history and save the same model", () => {
    const args = ["train", "--data", breastCancer, "--standardize", "--validation", "0.2"];
    const runs = ["plain", "fast"].map((engine) => {
      const save = join(work, `engine-${engine}.json`);
      const r = handgrad(
        [...args, "--epochs", "5", "--engine", engine, "--json", "--save", save],
        work,
      );
      expect(r.code, r.stderr).toBe(0);
      return {
        stdout: r.stdout.replace(/engine-\w+\.json/, ""),
        model: readFileSync(save, "utf8"),
      };
    });
    expect(runs[1]?.stdout).toBe(runs[0]?.stdout);
    expect(runs[1]?.model).toBe(runs[0]?.model);
    const bad = handgrad(["train", "--dataset", "moons", "--engine", "turbo"], work);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--engine must be one of fast, plain/);
  });

  it("writes bit-identical model files for the same seed, and different ones for another seed", () => {
    const args = ["train", "--dataset", "spirals", "--epochs", "30", "--validation", "0.2"];
    expect(handgrad([...args, "--seed", "5", "--save", "a.json"], work).code).toBe(0);
    expect(handgrad([...args, "--seed", "5", "--save", "b.json"], work).code).toBe(0);
    expect(handgrad([...args, "--seed", "6", "--save", "c.json"], work).code).toBe(0);
    const [a, b, c] = ["a.json", "b.json", "c.json"].map((f) => readFileSync(join(work, f)));
    expect(a?.equals(b as Buffer)).toBe(true);
    expect(a?.equals(c as Buffer)).toBe(false);
  });

  it("works on the breast-cancer data with --standardize, which is stored in the model file", () => {
    const r = handgrad(
      [
        "train",
        "--data",
        breastCancer,
        "--standardize",
        "--validation",
        "0.2",
        "--epochs",
        "50",
        "--save",
        "bc.json",
        "--json",
      ],
      work,
    );
    expect(r.code, r.stderr).toBe(0);
    const { final } = JSON.parse(r.stdout);
    expect(final.accuracy).toBeGreaterThanOrEqual(0.97);
    expect(final.validationAccuracy).toBeGreaterThanOrEqual(0.93);
    const model = loadModel(join(work, "bc.json"));
    expect(model.standardizer?.mean).toHaveLength(30);
    // predict applies the stored standardisation: its accuracy on the file matches training's.
    const p = handgrad(
      ["predict", "--model", "bc.json", "--data", breastCancer, "--out", "pred.csv", "--json"],
      work,
    );
    expect(p.code, p.stderr).toBe(0);
    const prediction = JSON.parse(p.stdout);
    expect(prediction.rows).toBe(569);
    expect(prediction.accuracy).toBeGreaterThanOrEqual(0.95);
    const lines = readFileSync(join(work, "pred.csv"), "utf8").trim().split("\n");
    expect(lines[0]).toBe("probability,class");
    expect(lines).toHaveLength(570);
  });

  it("--init-model continues from a saved model and refuses a contradicting --activation", () => {
    const first = handgrad(
      ["train", "--dataset", "moons", "--epochs", "5", "--save", "start.json", "--json"],
      work,
    );
    expect(first.code, first.stderr).toBe(0);
    const r = handgrad(
      ["train", "--dataset", "moons", "--epochs", "5", "--init-model", "start.json", "--json"],
      work,
    );
    expect(r.code, r.stderr).toBe(0);
    const [before, after] = [JSON.parse(first.stdout), JSON.parse(r.stdout)];
    // It starts where the first run ended, and training goes on lowering the loss.
    expect(after.history[0].loss).toBe(before.final.loss);
    expect(after.final.loss).toBeLessThan(before.final.loss);
    const bad = handgrad(
      ["train", "--dataset", "moons", "--init-model", "start.json", "--activation", "relu"],
      work,
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/contradicts start.json/);
  });
});

describe("messages for people", () => {
  it("suggests --standardize when features are large, and not otherwise", () => {
    const raw = handgrad(["train", "--data", breastCancer, "--epochs", "1"], work);
    expect(raw.stderr).toMatch(/hint: .*--standardize/);
    const scaled = handgrad(
      ["train", "--data", breastCancer, "--epochs", "1", "--standardize"],
      work,
    );
    expect(scaled.stderr).not.toMatch(/hint/);
  });

  it("draws a progress bar when stderr is a terminal, and none when it is not", () => {
    const tty = spawnSync(
      "script",
      ["-qec", `"${process.execPath}" "${bin}" train --dataset moons --epochs 3`, "/dev/null"],
      {
        cwd: work,
        encoding: "utf8",
      },
    );
    if (tty.error)
      return expect.fail(`script(1) from util-linux is needed for this test: ${tty.error.message}`);
    expect(tty.stdout).toMatch(/\[#{30}\] epoch 3\/3 {2}loss \d\.\d{4} {2}acc \d+\.\d%/);
    const piped = handgrad(["train", "--dataset", "moons", "--epochs", "3"], work);
    expect(piped.stderr).not.toMatch(/epoch 3\/3/);
  });
});

describe("handgrad gradcheck and grad", () => {
  it("gradcheck passes at a saved model and exits 1 when the threshold cannot be met", () => {
    expect(
      handgrad(
        [
          "train",
          "--dataset",
          "circles",
          "--activation",
          "relu",
          "--epochs",
          "20",
          "--save",
          "relu.json",
        ],
        work,
      ).code,
    ).toBe(0);
    const r = handgrad(
      ["gradcheck", "--model", "relu.json", "--dataset", "circles", "--json"],
      work,
    );
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(Object.keys(report)).toEqual([
      "eps",
      "threshold",
      "passed",
      "unchecked",
      "maxRelError",
      "params",
    ]);
    expect(report.passed).toBe(true);
    expect(Object.keys(report.params.W1)).toEqual(
      expect.arrayContaining(["relError", "maxEntryRelError", "kinks"]),
    );
    const strict = handgrad(
      ["gradcheck", "--model", "relu.json", "--dataset", "circles", "--threshold", "1e-300"],
      work,
    );
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/FAILED/);
  });

  it("gradcheck passes from a random init for every activation", () => {
    for (const activation of ["relu", "leaky-relu", "tanh", "sigmoid"]) {
      const r = handgrad(
        ["gradcheck", "--dataset", "blobs", "--activation", activation, "--hidden", "5"],
        work,
      );
      expect(r.code, `${activation}: ${r.stderr}`).toBe(0);
    }
  });

  it("grad prints the loss and the gradients, nested like the model file, equal to the library's", () => {
    expect(
      handgrad(
        ["train", "--data", breastCancer, "--standardize", "--epochs", "3", "--save", "g.json"],
        work,
      ).code,
    ).toBe(0);
    const r = handgrad(["grad", "--model", "g.json", "--data", breastCancer, "--json"], work);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.grads.W1).toHaveLength(30);
    expect(out.grads.W1[0]).toHaveLength(16);
    expect(out.grads.b1).toHaveLength(16);
    expect(out.grads.W2[0]).toHaveLength(1);
    expect(out.grads.b2).toHaveLength(1);
    const model = loadModel(join(work, "g.json"));
    const data = loadCsv(breastCancer);
    const s = model.standardizer;
    const X = {
      ...data.X,
      data: data.X.data.map((x, i) => (x - (s?.mean[i % 30] ?? 0)) / (s?.std[i % 30] ?? 1)),
    };
    const activation = activationByName(model.activation);
    const grads = backward(
      model.params,
      forward(model.params, X, activation),
      X,
      data.y,
      activation,
    );
    expect(out.grads).toEqual({
      W1: toRows(grads.dW1),
      b1: Array.from(grads.db1.data),
      W2: toRows(grads.dW2),
      b2: Array.from(grads.db2.data),
    });
  });
});

describe("bad input: one clear line on stderr, exit code 2, nothing written", () => {
  const csv = (name: string, text: string): string => {
    writeFileSync(join(work, name), text);
    return name;
  };
  /** A copy of the saved 2→16→1 model m2.json, edited as text. */
  const model = (name: string, edit: (text: string) => string): string =>
    csv(name, edit(readFileSync(join(work, "m2.json"), "utf8")));
  const cases: [string, () => string[], RegExp][] = [
    ["a missing data file", () => ["train", "--data", "nope.csv"], /nope\.csv/],
    [
      "a bad CSV cell",
      () => ["train", "--data", csv("cell.csv", "x1,x2,y\n1,2,0\n3,abc,1\n")],
      /line 3.*"x2".*"abc"/,
    ],
    [
      "NaN in the data",
      () => ["train", "--data", csv("nan.csv", "x1,y\nNaN,0\n1,1\n")],
      /line 2.*"x1".*NaN/,
    ],
    [
      "Infinity in the data",
      () => ["train", "--data", csv("inf.csv", "x1,y\n1,0\nInfinity,1\n")],
      /line 3.*Infinity/,
    ],
    [
      "a label column of one class",
      () => ["train", "--data", csv("label.csv", "x1,y\n1,M\n2,M\n")],
      /label\.csv: every label in column "y" is "M": a classifier needs at least two classes/,
    ],
    ["an empty data file", () => ["train", "--data", csv("empty.csv", "")], /empty|header/i],
    ["a header only", () => ["train", "--data", csv("header.csv", "x1,y\n")], /no data rows/],
    [
      "a non-positive learning rate",
      () => ["train", "--dataset", "moons", "--lr", "0"],
      /--lr must be a number > 0, got 0/,
    ],
    [
      "a negative learning rate",
      () => ["train", "--dataset", "moons", "--lr", "-1"],
      /--lr must be a number > 0/,
    ],
    [
      "a NaN learning rate",
      () => ["train", "--dataset", "moons", "--lr", "NaN"],
      /--lr must be a finite number, got "NaN"/,
    ],
    [
      "a zero hidden size",
      () => ["train", "--dataset", "moons", "--hidden", "0"],
      /--hidden must be an integer from 1/,
    ],
    [
      "a fractional hidden size",
      () => ["train", "--dataset", "moons", "--hidden", "2.5"],
      /--hidden/,
    ],
    [
      "an unknown activation",
      () => ["train", "--dataset", "moons", "--activation", "gelu"],
      /--activation must be one of relu/,
    ],
    ["an unknown data set", () => ["train", "--dataset", "mnist"], /mnist/],
    [
      "an unknown option",
      () => ["train", "--dataset", "moons", "--learning-rate", "1"],
      /unknown option --learning-rate/,
    ],
    [
      "a missing option value",
      () => ["train", "--dataset", "moons", "--epochs"],
      /--epochs needs a value/,
    ],
    [
      "a bad batch size",
      () => ["train", "--dataset", "moons", "--batch-size", "0"],
      /--batch-size/,
    ],
    [
      "a bad validation fraction",
      () => ["train", "--dataset", "moons", "--validation", "1"],
      /--validation must be a fraction/,
    ],
    ["no data at all", () => ["train"], /--dataset NAME or --data FILE/],
    [
      "a model for other data",
      () => ["predict", "--model", "m2.json", "--data", breastCancer],
      /breast_cancer\.csv has no column "x1", a feature of the model \(and 1 more: "x2"\); the model takes 2 features by name/,
    ],
    [
      "a malformed model file",
      () => ["predict", "--model", csv("bad.json", "{}"), "--data", breastCancer],
      /bad\.json: missing key "format"/,
    ],
    [
      "a model whose width differs (gradcheck)",
      () => ["gradcheck", "--model", "m2.json", "--data", breastCancer],
      /breast_cancer\.csv has no column "x1", a feature of the model/,
    ],
    [
      "an unwritable --save folder",
      () => ["train", "--dataset", "moons", "--save", "nodir/x.json"],
      /cannot write nodir\/x\.json: no such folder nodir/,
    ],
    [
      "--save onto a folder",
      () => ["train", "--dataset", "moons", "--save", "."],
      /cannot write \.: it is a folder/,
    ],
    [
      "an unwritable --out",
      () => [
        "predict",
        "--model",
        "m2.json",
        "--data",
        csv("two.csv", "x1,x2\n1,2\n"),
        "--out",
        "nodir/p.csv",
      ],
      /cannot write nodir\/p\.csv/,
    ],
    [
      "a bad option with large-scale CSV data",
      () => ["train", "--data", breastCancer, "--lr", "0"],
      /--lr must be a number > 0/,
    ],
    [
      "noise that would overflow",
      () => ["train", "--dataset", "moons", "--noise", "1e308"],
      /noise must be a number from 0 to 1000000/,
    ],
    [
      "a batch size of FULL",
      () => ["train", "--dataset", "moons", "--batch-size", "FULL"],
      /--batch-size must be a positive integer or "full", got "FULL"/,
    ],
    [
      "too many samples",
      () => ["train", "--dataset", "moons", "--samples", "20000000"],
      /--samples must be an integer from 2 to 10000000/,
    ],
    [
      "Infinity in a model file",
      () => [
        "predict",
        "--model",
        model("inf.json", (m) => m.replace(/"b2": \[[^\]]*\]/, '"b2": [1e999]')),
        "--data",
        "two.csv",
      ],
      /"b2"\[0\] must be a finite number, got Infinity/,
    ],
    [
      "a model file with a W2 of the wrong shape",
      () => [
        "predict",
        "--model",
        model("w2.json", (m) => m.replace(/"W2": \[[\s\S]*?\]\s*\],/, '"W2": [[1]],')),
        "--data",
        "two.csv",
      ],
      /"W2" must be 16×1/,
    ],
    [
      "a model whose logits overflow",
      () => [
        "predict",
        "--model",
        model("huge.json", (m) =>
          m
            .replace(/"b2": \[[^\]]*\]/, '"b2": [1.7e308]')
            .replace(
              /"W2": \[[\s\S]*?\]\s*\],/,
              `"W2": [${Array(16).fill("[1.7e308]").join(",")}],`,
            ),
        ),
        "--data",
        "two.csv",
      ],
      /gives the non-finite logit z2 = Infinity on row 1 of two\.csv/,
    ],
    [
      "grad without --model",
      () => ["grad", "--data", breastCancer],
      /^handgrad grad: no model: give --model FILE$/m,
    ],
    [
      "grad with a bad label",
      () => ["grad", "--model", "m2.json", "--data", csv("lab.csv", "x1,x2,label\n1,2,M\n")],
      /line 2, column "label": the label "M" is not one of the model's classes \(0, 1\)/,
    ],
    [
      "predict with a bad cell",
      () => ["predict", "--model", "m2.json", "--data", csv("cell2.csv", "x1,x2\n1,oops\n")],
      /line 2, column "x2": "oops" is not a number/,
    ],
    [
      "--standardize with a starting model",
      () => ["train", "--dataset", "moons", "--init-model", "m2.json", "--standardize"],
      /--standardize applies to a fresh model, not to --init-model m2\.json/,
    ],
    [
      "gradcheck --standardize with a model",
      () => ["gradcheck", "--dataset", "moons", "--model", "m2.json", "--standardize"],
      /--standardize applies to a fresh model/,
    ],
    [
      "gradcheck on features that overflow float64",
      () => [
        "gradcheck",
        "--activation",
        "relu", // tanh would saturate to finite values; relu passes the overflow on to z2
        "--data",
        csv("big.csv", "x1,x2,y\n1.7e308,1.7e308,1\n-1.7e308,1.7e308,0\n"),
      ],
      /too large for float64/,
    ],
    ["no command", () => [], /^handgrad: no command given \(commands: demo, train/],
    ["an unknown command", () => ["Train"], /^handgrad: unknown command "Train"/],
    [
      "a newline in an option value",
      () => ["train", "--dataset", "moons", "--lr", "a\nb"],
      /--lr must be a finite number, got "a\\nb"/,
    ],
    [
      "a newline in a file name",
      () => ["train", "--data", "a\nb.csv"],
      /cannot read a\\nb\.csv: no such file/,
    ],
    [
      "a --save path ending in a slash",
      () => ["train", "--dataset", "moons", "--save", "newdir/"],
      /cannot write newdir\/: it names a folder/,
    ],
    [
      "a bad option with a missing data file",
      () => ["train", "--data", "missing.csv", "--validation", "2"],
      /--validation must be a fraction/,
    ],
    [
      "a bad --hidden with a missing data file",
      () => ["gradcheck", "--data", "missing.csv", "--hidden", "0"],
      /--hidden must be an integer from 1/,
    ],
    [
      "a bad --seed with CSV data",
      () => [
        "grad",
        "--model",
        "m2.json",
        "--data",
        csv("two.csv", "x1,x2\n1,2\n"),
        "--seed",
        "banana",
      ],
      /--seed must be a finite number, got "banana"/,
    ],
    [
      "an eps below float64 resolution",
      () => ["gradcheck", "--dataset", "moons", "--eps", "1e-300"],
      /eps 1e-300 is below the resolution of W1\[0\]\[0\] = /,
    ],
    [
      "a model whose std makes standardised features overflow",
      () => [
        "train",
        "--data",
        csv("one.csv", "x,y\n1,1\n-1,0\n"),
        "--init-model",
        csv(
          "tinystd.json",
          '{"format":"handgrad-model","version":1,"activation":"tanh","W1":[[1]],"b1":[0],"W2":[[1]],"b2":[0],"standardize":{"mean":[0],"std":[5e-324]}}',
        ),
      ],
      /standardising one\.csv overflows float64/,
    ],
    [
      "gradcheck where the analytic gradient overflows but every entry is a kink",
      () => [
        "gradcheck",
        "--model",
        csv(
          "hugegrad.json",
          '{"format":"handgrad-model","version":1,"activation":"leaky-relu","W1":[[1e-308]],"b1":[0],"W2":[[100]],"b2":[0]}',
        ),
        "--data",
        csv("hugegrad.csv", "x,y\n0.5,1\n1.7e308,1\n1.6e308,0\n-1.7e308,1\n"),
      ],
      /the loss or its gradient overflows/,
    ],
    ...[0, 1, 2].map((seed): [string, () => string[], RegExp] => [
      `a starting gradient that overflows, whatever the shuffling (seed ${seed})`,
      () => [
        "train",
        "--data",
        "hugegrad.csv",
        "--init-model",
        "hugegrad.json",
        "--lr",
        "1e-9",
        "--epochs",
        "1",
        "--batch-size",
        "1",
        "--seed",
        String(seed),
      ],
      /the gradient at the starting model overflows/,
    ]),
    [
      "--init with a saved model, before reading it",
      () => ["train", "--dataset", "moons", "--init-model", "nope.json", "--init", "he"],
      /--init applies to a fresh model, not to --init-model nope\.json/,
    ],
    [
      "an eps so large the loss overflows",
      () => ["gradcheck", "--dataset", "moons", "--activation", "relu", "--eps", "1e308"],
      /the loss at \w+\[\d+\](\[\d+\])? ± 1e\+308 is not finite: eps is too large/,
    ],
  ];
  beforeAll(() => {
    expect(
      handgrad(["train", "--dataset", "moons", "--epochs", "1", "--save", "m2.json"], work).code,
    ).toBe(0);
  });
  for (const [name, args, message] of cases) {
    it(name, () => {
      const argv = args();
      const before = readdirSync(work).sort();
      // The output flag of the command, when the case does not set it: it must not be written.
      const output =
        { train: ["--save", "never.json"], predict: ["--out", "never.csv"] }[argv[0] as string] ??
        [];
      const r = handgrad([...argv, ...(argv.includes(output[0] as string) ? [] : output)], work);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe("");
      const lines = r.stderr.trim().split("\n");
      expect(lines, r.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(message);
      expect(lines[0]).not.toMatch(/at .*\.js:\d+/); // no stack trace
      expect(readdirSync(work).sort()).toEqual(before);
    });
  }
});

describe("divergence", () => {
  it("stops with exit code 3 naming epoch, step and learning rate, and saves the last good model", () => {
    const r = handgrad(
      [
        "train",
        "--data",
        breastCancer,
        "--activation",
        "relu",
        "--lr",
        "1e200",
        "--save",
        "div.json",
      ],
      work,
    );
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/diverged at epoch 1, step \d+ \(learning rate 1e\+200\)/);
    expect(r.stderr).toMatch(/lower learning rate/);
    // The advice that would have avoided it comes with the error.
    expect(r.stderr).toMatch(/hint: some features reach 4254 in size; --standardize/);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(
      /the starting model \(no epoch ended with finite losses\) is saved in div\.json/,
    );
    const model = loadModel(join(work, "div.json")); // loads: every number finite
    expect(model.params.W1.rows).toBe(30);
    // and it is usable: predict accepts it on the same data.
    expect(handgrad(["predict", "--model", "div.json", "--data", breastCancer], work).code).toBe(0);
  });
});
