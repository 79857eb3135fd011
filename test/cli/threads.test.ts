/** `--threads N|auto` on train and bench: same bits whatever the count, clear errors, clean exit. */
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { handgrad } from "./run.js";

const root = resolve(import.meta.dirname, "../..");
const breastCancer = join(root, "data/breast_cancer.csv");

let work: string;
beforeAll(() => {
  if (!existsSync(join(root, "dist/cli/main.js")))
    throw new Error("run `npm run build` before the CLI tests");
  work = mkdtempSync(join(tmpdir(), "handgrad-threads-"));
});

describe("--threads", () => {
  it("train: 2, 1 and auto print the same history and save the same model (and the process exits)", () => {
    const args = ["train", "--data", breastCancer, "--standardize", "--hidden", "40"];
    const runs = ["2", "1", "auto"].map((threads) => {
      const save = join(work, `threads-${threads}.json`);
      const r = handgrad(
        [
          ...args,
          "--epochs",
          "3",
          "--batch-size",
          "32",
          "--threads",
          threads,
          "--json",
          "--save",
          save,
        ],
        work,
      );
      expect(r.code, r.stderr).toBe(0);
      return {
        stdout: r.stdout.replace(/threads-\w+\.json/, ""),
        model: readFileSync(save, "utf8"),
      };
    });
    expect(runs[0]).toEqual(runs[1]);
    expect(runs[2]).toEqual(runs[1]);
  });

  it("bench: --threads 2 on wide names its two threads and ends with --threads 1's loss; on toy it says the run keeps one", () => {
    const [two, one] = ["2", "1"].map((threads) => {
      const r = handgrad([
        "bench",
        "--workload",
        "wide",
        "--threads",
        threads,
        "--repeat",
        "1",
        "--json",
      ]);
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout);
    });
    expect(two.threads).toBe(2);
    expect(two.engine).toBe("fast (wasm-simd ×2 threads)");
    expect(one.threads).toBe(1);
    expect(one.engine).toBe("fast (wasm-simd)");
    expect(Object.is(two.finalLoss, one.finalLoss)).toBe(true);
    // toy's calls are far below two threads' least work: asking for 4 starts none and says so.
    const toy = handgrad([
      "bench",
      "--workload",
      "toy",
      "--threads",
      "4",
      "--repeat",
      "1",
      "--json",
    ]);
    expect(toy.code, toy.stderr).toBe(0);
    expect(JSON.parse(toy.stdout).threads).toBe(1);
    expect(JSON.parse(toy.stdout).engine).toBe("fast (wasm-simd)");
    expect(toy.stderr).toMatch(
      /threads +1 of the 4 asked: no call of this run gives a thread 2 MFLOP/,
    );
  }, 120_000);

  for (const command of [
    ["train", "--dataset", "moons"],
    ["bench", "--workload", "toy"],
  ]) {
    it(`${command[0]} --engine plain --threads 2: exit 2, the flag named, nothing run`, () => {
      const r = handgrad([...command, "--engine", "plain", "--threads", "2"], work);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(/--threads applies to --engine fast/);
    });
  }

  for (const command of [
    ["train", "--dataset", "moons"],
    ["bench", "--workload", "toy"],
  ]) {
    for (const value of ["0", "two", "1.5", "65"]) {
      it(`${command[0]} --threads ${value}: exit 2, one line naming the flag`, () => {
        const r = handgrad([...command, "--threads", value], work);
        expect(r.code).toBe(2);
        expect(r.stdout).toBe("");
        expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
        expect(r.stderr).toMatch(/--threads must be "auto" or an integer from 1 to 64/);
      });
    }
  }
});
