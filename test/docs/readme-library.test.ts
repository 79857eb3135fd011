/**
 * The README's Library section is code a user copies: its TypeScript blocks, joined in order
 * (a later block uses the names of an earlier one), must type-check under the project's strict
 * settings against the package entry, and run to the end against the built package.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");
const readme = readFileSync(join(root, "README.md"), "utf8");
const library = /^## Library\n([\s\S]*?)^## /m.exec(readme)?.[1] ?? "";
const blocks = [...library.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1] as string);
/** The blocks as one module, importing `entry` instead of "handgrad". */
const program = (entry: string): string => blocks.join("\n").replaceAll('"handgrad"', `"${entry}"`);

// Inside the repository, so that TypeScript resolves the entry as the tests' own imports do.
const checkDir = join(root, ".vitest-tmp", "readme-library");
const runDir = mkdtempSync(join(tmpdir(), "handgrad-readme-"));
afterAll(() => {
  rmSync(checkDir, { recursive: true, force: true });
  rmSync(runDir, { recursive: true, force: true });
});

describe("README: the Library section's code", () => {
  it("has the blocks a user copies: a Classifier in five lines, train in one call, and a Trainer stepped and resumed", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(3);
    const first = (blocks[0] as string)
      .split("\n")
      .filter((l) => l !== "" && !l.startsWith("import"));
    expect(first).toHaveLength(5);
    expect(blocks[0]).toMatch(
      /new Classifier\([\s\S]*\.fit\([\s\S]*\.predict\([\s\S]*\.score\([\s\S]*\.save\(/,
    );
    expect(blocks.join("\n")).toMatch(/new Trainer\([\s\S]*\.state\(\)/);
  });

  it("type-checks under strict settings against src/index.ts", () => {
    mkdirSync(checkDir, { recursive: true });
    const file = join(checkDir, "library.ts");
    writeFileSync(file, program("../../src/index.js"));
    const config = ts.getParsedCommandLineOfConfigFile(
      join(root, "tsconfig.json"),
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: () => {},
      },
    );
    // Strict, but a snippet may leave a name unused (`history`, `report`): it shows what is there.
    const options = { ...config?.options, noEmit: true, noUnusedLocals: false };
    const compiled = ts.createProgram([file], options);
    const problems = ts
      .getPreEmitDiagnostics(compiled)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    expect(problems).toEqual([]);
  }, 60_000);

  it("runs to the end against the built package (dist/), in an empty folder", () => {
    const entry = pathToFileURL(join(root, "dist/index.js")).href;
    const js = ts.transpileModule(program(entry), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    }).outputText;
    writeFileSync(join(runDir, "library.mjs"), js);
    // The first block reads the shipped breast-cancer data, as from a clone of the repository.
    mkdirSync(join(runDir, "data"));
    copyFileSync(join(root, "data/breast_cancer.csv"), join(runDir, "data/breast_cancer.csv"));
    const run = spawnSync(process.execPath, ["library.mjs"], { cwd: runDir, encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    // The Classifier block prints three predictions and a held-out accuracy and saves its
    // model (with the feature names); the next saves a model; the last logs each epoch of a
    // 50-epoch run.
    const [predicted, score] = run.stdout.split("\n")[0]!.split(/(?<=\]) /);
    expect(predicted).toMatch(/^\[ [01], [01], [01] \]$/);
    expect(Number(score)).toBeGreaterThan(0.9);
    expect(readFileSync(join(runDir, "breast-cancer.json"), "utf8")).toMatch(
      /"features": \["mean_radius", /,
    );
    expect(readFileSync(join(runDir, "moons.json"), "utf8")).toMatch(/"activation": "tanh"/);
    expect(run.stdout.trim().split("\n").at(-1)).toMatch(/^50 \d/);
  }, 60_000);
});
