/**
 * examples/exercises: the reference solutions compute gradients that `handgrad check-grads`
 * passes (the built CLI, `npm run build` first), on the worked example and on a standardised
 * breast-cancer model; the skeletons stop at their first TODO. The TypeScript files are run
 * as Node ≥ 22.18 runs them, with their types stripped (here by TypeScript's transpiler, so
 * that Node 20 runs them too); the NumPy solution only where the first python3 on PATH has
 * NumPy (the test's title says when it was skipped).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");
const bin = join(root, "bin/handgrad.js");
const out = mkdtempSync(join(tmpdir(), "handgrad-exercises-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const WORKED = { model: "data/worked-example.json", data: "data/worked-example.csv" };
const trained = { model: join(out, "bc.json"), data: "data/breast_cancer.csv" };

function run(command: string, args: readonly string[]) {
  const r = spawnSync(command, args, { cwd: root, encoding: "utf8", timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, error: r.error };
}

/** The .ts file with its types stripped, written as an ES module; its path. */
function stripped(file: string): string {
  const { outputText } = ts.transpileModule(readFileSync(join(root, file), "utf8"), {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  });
  const path = join(out, file.replace(/\W/g, "_") + ".mjs");
  writeFileSync(path, outputText);
  return path;
}

/** Runs a program `[command, ...args] MODEL DATA`, saves its stdout, and check-grads it. */
function checkGrads(program: readonly string[], at: { model: string; data: string }) {
  const mine = run(program[0]!, [...program.slice(1), at.model, at.data]);
  expect(mine.code, mine.stderr).toBe(0);
  const grads = join(out, "mine.json");
  writeFileSync(grads, mine.stdout);
  return run(process.execPath, [
    ...[bin, "check-grads", "--model", at.model, "--data", at.data, "--grads", grads],
  ]);
}

beforeAll(() => {
  const train = run(process.execPath, [
    ...[bin, "train", "--data", trained.data, "--standardize", "--epochs", "2"],
    ...["--save", trained.model],
  ]);
  expect(train.code, train.stderr).toBe(0);
});

describe("the TypeScript exercise", () => {
  it("the reference solution passes check-grads on the worked example and a trained model", () => {
    const program = [process.execPath, stripped("examples/exercises/solutions/backprop.ts")];
    for (const at of [WORKED, trained]) {
      const check = checkGrads(program, at);
      expect(check.code, check.stderr).toBe(0);
      expect(check.stderr).toMatch(/^passed: max relError/m);
    }
  });

  it("the skeleton stops at its first TODO", () => {
    const skeleton = stripped("examples/exercises/backprop.ts");
    const r = run(process.execPath, [skeleton, WORKED.model, WORKED.data]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("TODO: forward");
  });
});

const python = run("python3", ["-c", "import numpy"]);
const hasNumpy = python.code === 0;
const skipped = hasNumpy ? "" : " (skipped: the first python3 on PATH has no NumPy)";

describe("the NumPy exercise", () => {
  it.skipIf(!hasNumpy)(
    `the reference solution passes check-grads on the worked example and a trained model${skipped}`,
    () => {
      for (const at of [WORKED, trained]) {
        const check = checkGrads(["python3", "examples/exercises/solutions/backprop.py"], at);
        expect(check.code, check.stderr).toBe(0);
      }
    },
  );

  it.skipIf(!hasNumpy)(`the skeleton stops at its first TODO${skipped}`, () => {
    const r = run("python3", ["examples/exercises/backprop.py", WORKED.model, WORKED.data]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("NotImplementedError: forward");
  });

  if (!hasNumpy) {
    it("says why the NumPy tests were skipped", () => {
      console.log(
        "examples/exercises: NumPy tests skipped: the first python3 on PATH has no NumPy",
      );
    });
  }
});
