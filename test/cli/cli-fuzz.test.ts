/**
 * The command line's option parsing, fuzzed in-process through main(args, output): arbitrary
 * argument lists drawn from the real flag names, junk values and a few small files. Whatever
 * the arguments, the exit code is 0, 1, 2 or 3 (never 70, an internal error), exit 2 prints
 * exactly one line on stderr, and stdout is empty or one valid JSON document with no NaN.
 * Seeded (SEED), numRuns in the test names; data sets are tiny so each run is fast.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import type { Output } from "../../src/cli/output.js";
import { runMain } from "./run.js";

const SEED = 20250920;

let folder: string;
let files: Record<string, string>;
let startFolder: string;
beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), "handgrad-cli-fuzz-"));
  // Junk values of --save, --out or --checkpoint are relative paths: keep them in the temp
  // folder, never in the repository (vitest runs each test file in its own process).
  startFolder = process.cwd();
  process.chdir(folder);
  const path = (name: string) => join(folder, name);
  writeFileSync(path("tiny.csv"), "a,b,y\n0,1,0\n1,0,1\n0.5,0.5,1\n-1,2,0\n");
  writeFileSync(path("three.csv"), "a,b,y\n0,1,0\n1,0,1\n0.5,0.5,2\n");
  writeFileSync(path("features.csv"), "a,b\n0,1\n1e308,0\n");
  writeFileSync(path("huge.csv"), "a,b,y\n1e308,-1e308,0\n5e-324,0,1\n");
  writeFileSync(path("bad.csv"), Buffer.from([0x61, 0x2c, 0x79, 0x0a, 0xff, 0x2c, 0x31, 0x0a]));
  writeFileSync(path("empty.csv"), "");
  writeFileSync(path("junk.json"), "{not json");
  files = {
    tiny: path("tiny.csv"),
    three: path("three.csv"),
    features: path("features.csv"),
    huge: path("huge.csv"),
    bad: path("bad.csv"),
    empty: path("empty.csv"),
    junk: path("junk.json"),
    missing: path("missing.csv"),
    folder,
    model: path("model.json"),
    out: path("out.csv"),
  };
  // A valid model file for --model and --init-model (2 features, sigmoid).
  const code = await main(
    [
      "train",
      "--data",
      path("tiny.csv"),
      "--epochs",
      "1",
      "--hidden",
      "2",
      "--save",
      path("model.json"),
    ],
    quietOutput(),
  );
  expect(code).toBe(0);
});
afterAll(() => {
  process.chdir(startFolder);
  rmSync(folder, { recursive: true, force: true });
});

function quietOutput(): Output {
  return { json: () => undefined, log: () => undefined, interactive: false };
}

const FLAGS = [
  "dataset",
  "samples",
  "noise",
  "data",
  "label",
  "classes",
  "standardize",
  "seed",
  "hidden",
  "activation",
  "init",
  "bias-init",
  "output",
  "validation",
  "init-model",
  "lr",
  "epochs",
  "batch-size",
  "no-shuffle",
  "save",
  "json",
  "model",
  "eps",
  "threshold",
  "entries",
  "out",
  "list",
  "figures",
  "help",
  "nonexistent",
];

/** Values that are junk, edge cases, or small valid choices (nothing that makes a run slow). */
const JUNK = [
  "",
  " ",
  "-1",
  "0",
  "1",
  "2",
  "3",
  "0.5",
  "1.0",
  " 1",
  "1e0",
  "true",
  "1e308",
  "-1e308",
  "5e-324",
  "-0",
  "1e999",
  "NaN",
  "Infinity",
  "0x10",
  "1_0",
  "--epochs",
  "full",
  "moons",
  "xor",
  "blobs",
  "spirals",
  "circles",
  "relu",
  "tanh",
  "sigmoid",
  "softmax",
  "he",
  "xavier",
  "y",
  "a",
  "a\nb",
  "\u0000",
  "é😀",
  "x".repeat(300),
];

const FILE_KEYS = [
  "tiny",
  "three",
  "features",
  "huge",
  "bad",
  "empty",
  "junk",
  "missing",
  "folder",
  "model",
  "out",
];

/** A value: junk, or one of the files (an existing data or model file, a missing one, a folder). */
const value = fc.oneof(
  fc.constantFrom(...JUNK),
  fc.constantFrom(...FILE_KEYS).map((key) => files[key] as string),
  fc.string({ maxLength: 6 }),
);

/** One argument or an option with its value, as `--name value` or `--name=value`. */
const argument = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.tuple(fc.constantFrom(...FLAGS), value).map(([f, v]) => [`--${f}`, v]),
  },
  {
    weight: 2,
    arbitrary: fc.tuple(fc.constantFrom(...FLAGS), value).map(([f, v]) => [`--${f}=${v}`]),
  },
  { weight: 2, arbitrary: fc.constantFrom(...FLAGS).map((f) => [`--${f}`]) },
  { weight: 1, arbitrary: value.map((v) => [v]) },
);

/** Keeps every run small: few samples and epochs unless the arguments already say otherwise. */
function bounded(command: string, args: string[]): string[] {
  const has = (flag: string) => args.some((a) => a === `--${flag}` || a.startsWith(`--${flag}=`));
  const extra: string[] = [];
  if (command === "train" || command === "gradcheck" || command === "explain") {
    if (!has("samples") && !has("data")) extra.push("--samples", "20");
    if (!has("epochs") && command === "train") extra.push("--epochs", "2");
    if (!has("hidden")) extra.push("--hidden", "3");
  }
  return [...args, ...extra];
}

const COMMANDS = [
  ...["train", "gradcheck", "grad", "explain", "check-grads", "predict", "experiment"],
  ...["nonsense", ""],
];

describe("the command line, fuzzed", () => {
  it("any arguments: exit 0–3, exit 2 with one stderr line, stdout empty or one JSON document (numRuns 600)", async () => {
    const codes = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...COMMANDS),
        fc.array(argument, { maxLength: 6 }),
        async (command, argumentGroups) => {
          const args = bounded(command, argumentGroups.flat());
          // `experiment NAME` runs a real experiment (seconds): only its option errors and --list.
          if (command === "experiment" && !args.includes("--list")) args.unshift("--no-such-flag");
          const { code, stdout, stderr } = await runMain(
            command === "" ? args : [command, ...args],
          );
          const context = JSON.stringify([command, ...args]) + "\n" + stderr.join("\n");
          expect([0, 1, 2, 3], context).toContain(code);
          codes.set(code, (codes.get(code) ?? 0) + 1);
          if (code === 2) {
            expect(stderr, context).toHaveLength(1);
            expect(stderr[0], context).not.toMatch(/[\r\n]/);
            expect(stderr[0], context).not.toMatch(/\bat .*\.(ts|js):\d+/); // no stack trace
          }
          expect(stdout.length, context).toBeLessThanOrEqual(1);
          for (const document of stdout) expect(() => JSON.parse(document)).not.toThrow();
        },
      ),
      { seed: SEED, numRuns: 600 },
    );
    // The runs reach the commands, not only the option parser.
    expect(codes.get(0) ?? 0).toBeGreaterThan(0);
    expect(codes.get(2) ?? 0).toBeGreaterThan(0);
  });

  it("every flag with every junk value, on train over the tiny CSV: exit 0–3 and one line for exit 2", async () => {
    for (const flag of FLAGS) {
      for (const junk of JUNK) {
        const args = bounded("train", ["--data", files.tiny as string, `--${flag}`, junk]);
        if (flag === "data") args.splice(0, 2);
        const { code, stderr } = await runMain(["train", ...args]);
        const context = JSON.stringify(args) + "\n" + stderr.join("\n");
        expect([0, 1, 2, 3], context).toContain(code);
        if (code === 2) expect(stderr, context).toHaveLength(1);
      }
    }
  });
});
