/**
 * No output replaces an input, on the command line: every pair of an output flag and an
 * input flag (and of two output flags) on one file, spelled the same, relatively, through a
 * hard link and through a symbolic link. A refused pair exits 2 with one line naming both
 * flags, before any work, and the file keeps its bytes; an allowed pair (a model or a
 * checkpoint continued in place) runs. The matrix is printed with the test's output.
 */
import {
  copyFileSync,
  linkSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCheckpoint, loadModel } from "../../src/io/index.js";
import { runMain } from "./run.js";

let dir: string;
const originals: Record<string, string> = {};
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "handgrad-collisions-"));
  originals.data = join(dir, "data.csv");
  copyFileSync(join(import.meta.dirname, "../../data/breast_cancer.csv"), originals.data);
  originals.model = join(dir, "model.json");
  originals.checkpoint = join(dir, "ck.json");
  const made = await runMain([
    "train",
    "--data",
    originals.data,
    "--standardize",
    "--epochs",
    "1",
    "--save",
    originals.model,
    "--checkpoint",
    originals.checkpoint,
  ]);
  expect(made.code, made.stderr.join("\n")).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * The pairs of the matrix: the flag `a` is given the shared file (a copy of `source`), the
 * flag `b` names it a second time; every other file is separate.
 */
const PAIRS: readonly {
  readonly a: string;
  readonly b: string;
  readonly source: "data" | "model" | "checkpoint";
  readonly allowed: boolean;
  readonly args: (a: string, b: string) => string[];
}[] = [
  {
    a: "--data",
    b: "--save",
    source: "data",
    allowed: false,
    args: (a, b) => ["train", "--data", a, "--standardize", "--epochs", "1", "--save", b],
  },
  {
    a: "--data",
    b: "--checkpoint",
    source: "data",
    allowed: false,
    args: (a, b) => ["train", "--data", a, "--standardize", "--epochs", "1", "--checkpoint", b],
  },
  {
    a: "--init-model",
    b: "--save",
    source: "model",
    allowed: true,
    args: (a, b) => ["train", "--data", data(), "--init-model", a, "--epochs", "1", "--save", b],
  },
  {
    a: "--init-model",
    b: "--checkpoint",
    source: "model",
    allowed: false,
    args: (a, b) => [
      "train",
      "--data",
      data(),
      "--init-model",
      a,
      "--epochs",
      "1",
      "--checkpoint",
      b,
    ],
  },
  {
    a: "--resume",
    b: "--save",
    source: "checkpoint",
    allowed: false,
    args: (a, b) => ["train", "--data", data(), ...RESUMED, "--resume", a, "--save", b],
  },
  {
    a: "--resume",
    b: "--checkpoint",
    source: "checkpoint",
    allowed: true,
    args: (a, b) => ["train", "--data", data(), ...RESUMED, "--resume", a, "--checkpoint", b],
  },
  {
    a: "--save",
    b: "--checkpoint",
    source: "model",
    allowed: false,
    args: (a, b) => ["train", "--data", data(), "--epochs", "1", "--save", a, "--checkpoint", b],
  },
  {
    a: "--data",
    b: "--out",
    source: "data",
    allowed: false,
    args: (a, b) => ["predict", "--model", originals.model as string, "--data", a, "--out", b],
  },
  {
    a: "--model",
    b: "--out",
    source: "model",
    allowed: false,
    args: (a, b) => ["predict", "--model", a, "--data", data(), "--out", b],
  },
];

/** The options of the run that wrote the checkpoint, which a resumed run repeats. */
const RESUMED = ["--standardize", "--epochs", "1"];

const data = (): string => originals.data as string;

/** Ways to name the shared file a second time. */
const SPELLINGS = ["same path", "relative path", "hard link", "symbolic link"] as const;

function spelled(file: string, how: (typeof SPELLINGS)[number], tag: string): string {
  if (how === "same path") return file;
  if (how === "relative path") return relative(process.cwd(), file);
  const other = join(dir, `${tag}-${how.replace(" ", "-")}`);
  if (how === "hard link") linkSync(file, other);
  else symlinkSync(file, other);
  return other;
}

describe("output flags against input flags on one file", () => {
  const matrix: string[] = [];
  afterAll(() => {
    console.log(`collision matrix (flag × flag, ${SPELLINGS.join(" / ")}):\n${matrix.join("\n")}`);
  });

  for (const pair of PAIRS) {
    const command = pair.args("", "")[0];
    it(`${command} ${pair.a} × ${pair.b}: ${pair.allowed ? "allowed (in place)" : "refused, file kept"}`, async () => {
      const outcomes: string[] = [];
      for (const [i, how] of SPELLINGS.entries()) {
        const tag = `${pair.a}${pair.b}${i}`.replace(/-/g, "");
        const file = join(dir, `${tag}.shared`);
        copyFileSync(originals[pair.source] as string, file);
        const before = readFileSync(file);
        const args = pair.args(file, spelled(file, how, tag));
        const r = await runMain(args);
        const context = `${args.join(" ")}\n${r.stderr.join("\n")}`;
        if (pair.allowed) {
          expect(r.code, context).toBe(0);
          // Updated in place, and still a file of its kind.
          if (pair.source === "model") expect(loadModel(file).activation).toBe("tanh");
          else expect(loadCheckpoint(file).state.epoch).toBe(2);
          outcomes.push("ran");
        } else {
          expect(r.code, context).toBe(2);
          expect(r.stderr, context).toHaveLength(1);
          expect(r.stderr[0], context).toContain(pair.a);
          expect(r.stderr[0], context).toContain(pair.b);
          expect(r.stderr[0], context).toMatch(/are the same file|name the same file/);
          expect(readFileSync(file).equals(before), context).toBe(true);
          outcomes.push("refused");
        }
      }
      matrix.push(`${command} ${pair.a} × ${pair.b}: ${outcomes.join(" / ")}`);
      expect(readdirSync(dir).filter((name) => name.endsWith(".lock"))).toEqual([]);
    });
  }
});
