/** The built package as a user installs it: its entry point and its declared types. */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));

describe("package entry", () => {
  const required = [
    "sigmoid",
    "logSigmoid",
    "softplus",
    "bceWithLogits",
    "initParams",
    "forward",
    "backward",
    "gradientCheck",
    "train",
    "makeDataset",
    "loadCsv",
    "saveModel",
    "loadModel",
  ];

  it("exports the public API as functions, with type declarations and doc comments", async () => {
    const entry = join(root, pkg.exports["."].import);
    const api = await import(pathToFileURL(entry).href);
    for (const name of required) expect(typeof api[name], name).toBe("function");
    expect(api.isFinite).toBeUndefined(); // no generic names shadowing globals
    expect(existsSync(join(root, pkg.exports["."].types))).toBe(true);
    const declarations = readFileSync(join(root, "dist/check/gradcheck.d.ts"), "utf8");
    expect(declarations).toMatch(/\/\*\*[\s\S]*?\*\/\s*export declare function gradientCheck/);
  });

  it("declares the handgrad bin", () => {
    expect(pkg.bin.handgrad).toBe("./bin/handgrad.js");
    expect(existsSync(join(root, pkg.bin.handgrad))).toBe(true);
  });
});
