/**
 * The CLI's messages, through main() in-process: one error line per fault that says what is
 * wrong without the error's class name, "did you mean" for a typo in a command, an option, a
 * data set, an experiment or a --label column, and value placeholders in --help.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { DataError, FileError, ModelFileError, ShapeError, UsageError } from "../../src/errors.js";
import { runMain } from "./run.js";

// `handgrad demo` throws what a test puts here (the real demo when it is undefined).
const demoThrows = vi.hoisted(() => ({ error: undefined as unknown }));
vi.mock("../../src/cli/commands/demo.js", async (original) => {
  const real = await original<typeof import("../../src/cli/commands/demo.js")>();
  return {
    ...real,
    demoCommand: (...args: Parameters<typeof real.demoCommand>) => {
      if (demoThrows.error !== undefined) throw demoThrows.error;
      return real.demoCommand(...args);
    },
  };
});

let folder = "";
beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), "handgrad-messages-"));
  writeFileSync(join(folder, "ok.csv"), "x1,x2,label\n0.1,0.2,0\n0.3,0.4,1\n0.5,0.6,0\n");
  writeFileSync(join(folder, "bad.csv"), "x1,x2,label\n0.1,0.2,0\n0.3,abc,1\n");
  writeFileSync(join(folder, "m.json"), '{"nope": 1}\n');
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const CLASS_NAME = /\b(Handgrad|Usage|Data|File|ModelFile|Shape|Divergence)Error\b/;

describe("an error line says what is wrong, without the class name", () => {
  it.each([
    [
      "a usage fault",
      () => ["train", "--dataset", "moons", "--hidden", "0"],
      2,
      /^handgrad train: --hidden must be /,
    ],
    [
      "a data fault",
      () => ["train", "--data", join(folder, "bad.csv")],
      2,
      /^handgrad train: .*bad\.csv line 3, column "x2": "abc" is not a number$/,
    ],
    [
      "a file fault",
      () => ["train", "--data", join(folder, "no-such-folder", "x.csv")],
      2,
      /^handgrad train: cannot read .*x\.csv: no such file/,
    ],
    [
      "a model file fault",
      () => ["predict", "--model", join(folder, "m.json"), "--data", join(folder, "ok.csv")],
      2,
      /^handgrad predict: .*m\.json: unknown key "nope"$/,
    ],
    [
      "a divergence",
      () => [
        "train",
        "--dataset",
        "moons",
        "--samples",
        "40",
        "--activation",
        "relu",
        "--lr",
        "1e200",
        "--epochs",
        "2",
      ],
      3,
      /^handgrad train: training diverged at epoch 1, /,
    ],
  ])("%s", async (_, args, exitCode, line) => {
    const r = await runMain(args());
    expect(r.code, r.stderr.join("\n")).toBe(exitCode);
    expect(r.stderr).toHaveLength(1);
    expect(r.stderr[0]).toMatch(line);
    expect(r.stderr[0]).not.toMatch(CLASS_NAME);
  });

  describe("thrown by a command (demo, mocked)", () => {
    afterAll(() => {
      demoThrows.error = undefined;
    });

    it.each([
      ["UsageError", new UsageError("the usage is wrong")],
      ["DataError", new DataError("the data is wrong")],
      ["FileError", new FileError("the file is wrong")],
      ["ModelFileError", new ModelFileError("the model file is wrong")],
    ])("a %s: its message, exit 2", async (_, error) => {
      demoThrows.error = error;
      const r = await runMain(["demo"]);
      expect(r.code).toBe(2);
      expect(r.stderr).toEqual([`handgrad demo: ${error.message}`]);
    });

    it("a ShapeError (a bug in the CLI): its message, the request to report it, exit 70", async () => {
      demoThrows.error = new ShapeError("matmul: 2×3 times 4×1");
      const r = await runMain(["demo"]);
      expect(r.code).toBe(70);
      expect(r.stderr).toEqual(["handgrad demo: matmul: 2×3 times 4×1 (a bug: please report it)"]);
    });

    it("any other error: an internal error with its stack trace, exit 70", async () => {
      demoThrows.error = new TypeError("x is undefined");
      const r = await runMain(["demo"]);
      expect(r.code).toBe(70);
      expect(r.stderr[0]).toBe("handgrad demo: internal error (please report it):");
      expect(r.stderr[1]).toBe("TypeError: x is undefined");
      expect(r.stderr.slice(2).join("\n")).toMatch(/^ +at /m);
    });
  });
});

describe("a missing input is named once, without repeating the command", () => {
  it.each([
    [["grad", "--dataset", "moons"], "handgrad grad: no model: give --model FILE"],
    [["predict"], "handgrad predict: no model: give --model FILE"],
    [["predict", "--model", "m.json"], "handgrad predict: no data: give --data FILE.csv"],
    [["train"], "handgrad train: no data: give --dataset NAME or --data FILE.csv"],
  ])("%j", async (args, message) => {
    const r = await runMain(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toEqual([message]);
  });
});

describe("a long value is echoed cut to 40 characters and its length", () => {
  const long = "x".repeat(100_000);
  const cut = `"${"x".repeat(40)}"… (100000 characters)`;
  it.each([
    ["a command", [long], `handgrad: unknown command ${cut} (commands: `],
    ["help COMMAND", ["help", long], `handgrad: unknown command ${cut} (commands: `],
    ["--version's argument", ["--version", long], `unexpected argument ${cut} for --version`],
    ["an argument", ["train", long], `handgrad train: unexpected argument ${cut} for "train"`],
    [
      "an option",
      ["train", `--${long}`],
      `unknown option --${"x".repeat(40)}… (100000 characters) for "train"`,
    ],
    ["--dataset", ["train", "--dataset", long], `handgrad train: unknown data set ${cut};`],
    ["--dataset=", ["train", `--dataset=${long}`], `handgrad train: unknown data set ${cut};`],
    ["--seed", ["train", "--dataset", "moons", "--seed", long], `finite number, got ${cut}`],
    [
      "--hidden 0.000…",
      ["train", "--dataset", "moons", "--hidden", `0.${"0".repeat(99_998)}`],
      `got 0.${"0".repeat(38)}… (100000 characters)`,
    ],
    ["--activation", ["train", "--dataset", "moons", "--activation", long], `got ${cut}`],
    ["--engine", ["train", "--dataset", "moons", "--engine", long], `got ${cut}`],
    ["--optimizer", ["train", "--dataset", "moons", "--optimizer", long], `got ${cut}`],
    ["--threads", ["train", "--dataset", "moons", "--threads", long], `got ${cut}`],
    ["--batch-size", ["train", "--dataset", "moons", "--batch-size", long], `got ${cut}`],
    ["--workload", ["bench", "--workload", long], `got ${cut}`],
    ["--data", ["train", "--data", long], `--data is too long to be a file's path`],
    ["--save", ["train", "--dataset", "moons", "--save", long], `--save is too long`],
    ["--init-model", ["train", "--dataset", "moons", "--init-model", long], `is too long`],
    ["--model", ["grad", "--dataset", "moons", "--model", long], `--model is too long`],
    ["--out", ["predict", "--model", "m.json", "--data", "d.csv", "--out", long], `--out is`],
  ])("%s", async (_, args, expected) => {
    const r = await runMain(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toEqual([]);
    expect(r.stderr).toHaveLength(1);
    expect(r.stderr[0]).toContain(expected);
    expect(r.stderr[0]!.length).toBeLessThan(250);
  });
});

describe("a fault in the options, in the project's words (parseArgs reads them)", () => {
  it.each([
    [["--json=1"], "option --json takes no value"],
    [["--epochs", "--save", "m.json"], "option --epochs needs a value"],
    [["--json", "--json"], "option --json is given more than once"],
    [["-abc"], 'unexpected argument "-abc" for "train" (see handgrad train --help)'],
    [["stray"], 'unexpected argument "stray" for "train" (see handgrad train --help)'],
    [["--", "--json"], 'unknown option -- for "train" (see handgrad train --help)'],
  ])("%j", async (args, message) => {
    const r = await runMain(["train", ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toEqual([`handgrad train: ${message}`]);
  });

  it("a value may start with one dash: the flag judges it (strict parseArgs would refuse it)", async () => {
    const r = await runMain(["train", "--dataset", "moons", "--seed", "-1"]);
    expect(r.stderr).toEqual([
      "handgrad train: --seed must be an integer from 0 to 2^53 − 1, got -1",
    ]);
  });
});

describe("did you mean", () => {
  it("a command", async () => {
    const r = await runMain(["tarin"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toEqual([
      'handgrad: unknown command "tarin" (did you mean train? commands: demo, train, gradcheck, grad, explain, check-grads, predict, experiment, bench, playground; see handgrad --help)',
    ]);
    expect((await runMain(["help", "gradchek"])).stderr[0]).toMatch(/\(did you mean gradcheck\? /);
    expect((await runMain(["zzz"])).stderr[0]).toMatch(
      /^handgrad: unknown command "zzz" \(commands: /,
    );
  });

  it("an option", async () => {
    const r = await runMain(["train", "--epoch", "3"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toEqual([
      'handgrad train: unknown option --epoch for "train" (did you mean --epochs? see handgrad train --help)',
    ]);
    expect((await runMain(["gradcheck", "--hiden=4"])).stderr[0]).toMatch(
      /did you mean --hidden\?/,
    );
    expect((await runMain(["predict", "--lable", "y"])).stderr[0]).toMatch(
      /did you mean --label\?/,
    );
    expect((await runMain(["train", "--learning-rate", "1"])).stderr).toEqual([
      'handgrad train: unknown option --learning-rate for "train" (see handgrad train --help)',
    ]);
  });

  it("a data set", async () => {
    const r = await runMain(["train", "--dataset", "moon"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toEqual([
      'handgrad train: unknown data set "moon" (did you mean "moons"?); the known data sets are moons, circles, xor, spirals, blobs',
    ]);
    expect((await runMain(["train", "--dataset", "mnist"])).stderr[0]).toBe(
      'handgrad train: unknown data set "mnist"; the known data sets are moons, circles, xor, spirals, blobs',
    );
  });

  it("an experiment", async () => {
    const r = await runMain(["experiment", "stabilty"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toHaveLength(1);
    expect(r.stderr[0]).toMatch(
      /^handgrad experiment: unknown experiment "stabilty" \(did you mean "stability"\? known: stability, /,
    );
    expect((await runMain(["experiment", "mnist"])).stderr[0]).toMatch(
      /unknown experiment "mnist" \(known: /,
    );
  });

  it.each([
    [["train", "--activation", "TANH"], "--activation", "tanh"],
    [["train", "--engine", "Fast"], "--engine", "fast"],
    [["bench", "--engine", "PLAIN", "--workload", "toy"], "--engine", "plain"],
    [["bench", "--workload", "tob"], "--workload", "toy"],
    [["train", "--optimizer", "Adam"], "--optimizer", "adam"],
    [["train", "--schedule", "cosin"], "--schedule", "cosine"],
    [["train", "--init", "He"], "--init", "he"],
    [["train", "--init", "XAVIER-UNIFORM"], "--init", "xavier-uniform"],
    [["train", "--output", "Softmax"], "--output", "softmax"],
  ])("a value of a flag with a fixed set of values: %j", async (args, flag, meant) => {
    const [command, , typed] = args as [string, string, string];
    const r = await runMain(command === "train" ? [...args, "--dataset", "moons"] : args);
    expect(r.code).toBe(2);
    expect(r.stderr).toHaveLength(1);
    expect(r.stderr[0]).toMatch(
      new RegExp(
        `^handgrad ${command}: ${flag} must be one of [^"]*, got "${typed}" \\(did you mean ${meant}\\?\\)$`,
      ),
    );
  });

  it("no suggestion for a value far from every choice", async () => {
    const r = await runMain(["train", "--dataset", "moons", "--optimizer", "rmsprop"]);
    expect(r.stderr).toEqual([
      'handgrad train: --optimizer must be one of sgd, momentum, nesterov, adam, got "rmsprop"',
    ]);
  });

  it("a --label column", async () => {
    const data = join(folder, "ok.csv");
    const r = await runMain(["train", "--data", data, "--label", "lable"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toEqual([
      `handgrad train: ${data} has no column "lable" (did you mean "label"?); its columns are "x1", "x2", "label"`,
    ]);
    expect((await runMain(["train", "--data", data, "--label", "y"])).stderr[0]).toMatch(
      /has no column "y"; its columns are/,
    );
  });
});

describe("--help shows a placeholder for each value", () => {
  it("train: --hidden H, --data FILE.csv, --save FILE, --lr η; booleans have none; aligned", async () => {
    const r = await runMain(["train", "--help"]);
    expect(r.code).toBe(0);
    const options = r.stderr.slice(r.stderr.indexOf("options:") + 1);
    expect(options).toContainEqual(expect.stringMatching(/^ {2}--hidden H {2,}hidden units H/));
    expect(options).toContainEqual(expect.stringMatching(/^ {2}--data FILE\.csv {2,}a CSV file/));
    expect(options).toContainEqual(expect.stringMatching(/^ {2}--save FILE {2,}write the/));
    expect(options).toContainEqual(expect.stringMatching(/^ {2}--lr η {2,}learning rate/));
    expect(options).toContainEqual(expect.stringMatching(/^ {2}--standardize {2,}scale/));
    expect(options).toContainEqual(expect.stringMatching(/^ {2}--json {2,}print/));
    // Every help text starts in the same column (counted in code points: "η" is one).
    const columns = new Set(
      options.map((line) =>
        Array.from(line).findIndex(
          (c, i, all) => i > 2 && c !== " " && all[i - 1] === " " && all[i - 2] === " ",
        ),
      ),
    );
    expect(columns.size).toBe(1);
  });

  it("every command's options: a valued flag has an upper-case or choice placeholder", async () => {
    for (const command of [
      "demo",
      "train",
      "gradcheck",
      "grad",
      "predict",
      "experiment",
      "bench",
      "playground",
    ]) {
      const r = await runMain([command, "--help"]);
      const options = r.stderr.slice(r.stderr.indexOf("options:") + 1);
      expect(options.length, command).toBeGreaterThan(0);
      for (const line of options)
        expect(line, command).toMatch(/^ {2}--[a-z][a-z0-9-]*( \S+)? {4,}\S/);
    }
  });
});
