/** `handgrad experiment` end to end: the built CLI, as a user runs it. */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EXPERIMENTS } from "../../src/experiments/index.js";
import { handgrad } from "./run.js";

describe("handgrad experiment", () => {
  it("--list names every experiment with its summary", () => {
    const r = handgrad(["experiment", "--list", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const listed = JSON.parse(r.stdout) as { name: string }[];
    expect(listed.map((e) => e.name)).toEqual(EXPERIMENTS.map((e) => e.name));
    for (const e of EXPERIMENTS) expect(r.stderr).toContain(e.summary);
  });

  it("prints the tables, writes byte-identical SVG figures on every run, and reports them in --json", () => {
    const first = mkdtempSync(join(tmpdir(), "handgrad-exp-"));
    const second = mkdtempSync(join(tmpdir(), "handgrad-exp-"));
    const a = handgrad(["experiment", "stability", "--figures", first, "--json"]);
    const b = handgrad(["experiment", "stability", "--figures", second]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    expect(a.stderr).toMatch(/float64 thresholds/);
    const report = JSON.parse(a.stdout);
    expect(report.numbers.naiveSigmoidOne).toBe("36.74");
    const files = readdirSync(first).sort();
    expect(files).toEqual(["stability-complement.svg", "stability-loss.svg"]);
    for (const file of files) {
      const svg = readFileSync(join(first, file), "utf8");
      expect(svg.startsWith("<svg")).toBe(true);
      expect(svg).toBe(readFileSync(join(second, file), "utf8"));
    }
  });

  it("refuses an unknown experiment, a missing name, a name with --list, and an unwritable folder, with exit 2 and one line", () => {
    const missing = join(tmpdir(), "handgrad-no-such-folder", "deeper");
    for (const args of [
      ["experiment", "nosuch"],
      ["experiment"],
      ["experiment", "stability", "--list"],
      ["experiment", "stability", "--figures", missing],
      ["experiment", "stability", "--seed", "-1"],
    ]) {
      const r = handgrad(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr.trim().split("\n"), args.join(" ")).toHaveLength(1);
      expect(r.stdout).toBe("");
    }
    expect(existsSync(missing)).toBe(false);
  });

  it("names the figures' folder, not a figure the experiment does not draw, when the folder is missing", () => {
    const missing = join(tmpdir(), "handgrad-no-such-folder", "deeper");
    const r = handgrad(["experiment", "accuracy", "--figures", missing]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`cannot write figures to ${missing}: no such folder`);
    expect(r.stderr).not.toMatch(/\.svg/);
  });
});
