/**
 * `handgrad check-grads` (the built CLI): a learner's gradients file against handgrad's, on
 * the worked example. The correct gradients are `handgrad grad`'s own output; the perturbed
 * and mis-shaped ones are edits of it.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { handgrad } from "./run.js";

const WORKED = ["--model", "data/worked-example.json", "--data", "data/worked-example.csv"];
const dir = mkdtempSync(join(tmpdir(), "handgrad-check-grads-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface GradsFile {
  loss?: number;
  grads: Record<string, unknown>;
  [key: string]: unknown;
}

const correct = JSON.parse(handgrad(["grad", ...WORKED]).stdout) as GradsFile;

/** Writes `value` (a gradients file, or any JSON text) and runs check-grads on it. */
function check(name: string, value: unknown, extra: readonly string[] = []) {
  const path = join(dir, name);
  writeFileSync(path, typeof value === "string" ? value : JSON.stringify(value));
  return { path, ...handgrad(["check-grads", ...WORKED, "--grads", path, ...extra]) };
}

/** A deep copy of the correct file, changed by `edit`. */
function edited(edit: (file: GradsFile) => void): GradsFile {
  const copy = structuredClone(correct);
  edit(copy);
  return copy;
}

describe("handgrad check-grads", () => {
  it("passes handgrad grad's own gradients (exit 0), with relError 0 everywhere", () => {
    const run = check("correct.json", correct, ["--json"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/^passed: max relError 0 ≤ threshold 1e-7$/m);
    const report = JSON.parse(run.stdout) as {
      passed: boolean;
      failed: string[];
      loss: { relError: number };
      params: Record<string, { relError: number; total: number }>;
    };
    expect(report.passed).toBe(true);
    expect(report.failed).toEqual([]);
    expect(report.loss.relError).toBe(0);
    expect(report.params["W1"]).toMatchObject({ relError: 0, total: 4 });
  });

  it("fails one entry off by 1e-4 (exit 1), naming the parameter and the entry", () => {
    const off = edited((f) => {
      (f.grads["W1"] as number[][])[1]![0]! += 1e-4;
    });
    const run = check("off.json", off, ["--json"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^FAILED \(threshold 1e-7\): W1 relError [\d.e-]+, worst entry W1\[1\]\[0\]/m,
    );
    const report = JSON.parse(run.stdout) as {
      failed: string[];
      params: Record<string, { relError: number; worstEntry: string; candidate: number }>;
    };
    expect(report.failed).toEqual(["W1"]);
    expect(report.params["W1"]!.worstEntry).toBe("W1[1][0]");
    // ‖δ‖ / (‖g‖ + ‖g + δ‖) with δ = 1e-4 at one entry: of order 1e-4 / (2‖dW1‖).
    expect(report.params["W1"]!.relError).toBeGreaterThan(1e-5);
    expect(report.params["b1"]!.relError).toBe(0);
    // A looser threshold passes it.
    expect(check("off.json", off, ["--threshold", "1e-3"]).code).toBe(0);
  });

  it("fails a wrong loss (exit 1), naming it", () => {
    const run = check(
      "loss.json",
      edited((f) => {
        f.loss = (f.loss as number) * 1.001;
      }),
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^FAILED \(threshold 1e-7\): loss relError/m);
  });

  it("refuses mis-shaped and missing entries (exit 2), naming the path", () => {
    const cases: [string, unknown, RegExp][] = [
      [
        "short-row.json",
        edited((f) => {
          (f.grads["W1"] as number[][])[1] = [1];
        }),
        /"grads\.W1\[1\]" has 1 number, expected 2 \(W1 is D×H = 2×2\)/,
      ],
      [
        "extra-row.json",
        edited((f) => {
          (f.grads["W2"] as number[][]).push([0]);
        }),
        /"grads\.W2" has 3 rows, expected 2 rows of 1 number \(W2 is H×K = 2×1\)/,
      ],
      [
        "missing.json",
        edited((f) => {
          delete f.grads["b2"];
        }),
        /missing key "grads\.b2"/,
      ],
      [
        "text.json",
        edited((f) => {
          (f.grads["b1"] as unknown[])[0] = "0.15";
        }),
        /"grads\.b1\[0\]" must be a finite number, got "0\.15"/,
      ],
      ["flat.json", correct.grads, /unknown key "W1" \(nest the gradients under "grads"/],
      ["not-json.json", "{", /not-json\.json: not valid JSON/],
      [
        "twice.json",
        '{"grads": {"W1": [[0,0],[0,0]], "W1": [[0,0],[0,0]]}}',
        /duplicated key "grads\.W1"/,
      ],
    ];
    for (const [name, value, message] of cases) {
      const run = check(name, value);
      expect(run.code, `${name}: ${run.stderr}`).toBe(2);
      expect(run.stderr, name).toMatch(message);
      expect(run.stderr, name).toContain(name);
      expect(run.stdout).toBe("");
    }
  });

  it("refuses a missing --grads or a file that is not there (exit 2), and leaves the file alone", () => {
    const none = handgrad(["check-grads", ...WORKED]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/give --grads FILE/);
    const absent = handgrad(["check-grads", ...WORKED, "--grads", join(dir, "absent.json")]);
    expect(absent.code).toBe(2);
    expect(absent.stderr).toContain("absent.json");
    const path = check("kept.json", correct).path;
    expect(readFileSync(path, "utf8")).toBe(JSON.stringify(correct));
  });

  it("is listed with its help", () => {
    const help = handgrad(["help", "check-grads"]);
    expect(help.code).toBe(0);
    expect(help.stdout + help.stderr).toMatch(/--grads FILE/);
    expect(help.stdout + help.stderr).toMatch(/--threshold T/);
  });
});
