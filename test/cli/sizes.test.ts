/**
 * Sizes are checked before work: flag values drawn over the whole documented ranges
 * (--samples up to MAX_SAMPLES, --hidden up to 100 000, --classes up to 1000, any batch size,
 * validation fraction, engine, activation, --threads up to 64) never end in exit 70, a stack
 * trace or an out-of-memory kill. A run the estimate refuses exits 2 with one line, before
 * generating its data (it returns at once: nothing large is allocated); a run it accepts is
 * executed when small enough for a test (epochs 0), else only the decision is checked.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  assertFits,
  MAX_FLOAT64_ARRAY_LENGTH,
  predictionCheck,
  processLimits,
  trainingCheck,
  USABLE_FRACTION,
} from "../../src/cli/memory.js";
import { parseFlags } from "../../src/cli/flags.js";
import { dataChoice, networkChoice } from "../../src/cli/setup.js";
import { TRAIN_FLAGS } from "../../src/cli/commands/train.js";
import { MAX_SAMPLES } from "../../src/data/index.js";
import { UsageError } from "../../src/errors.js";
import { trainingMemory } from "../../src/train/index.js";
import { HISTORY_RECORD_BYTES } from "../../src/train/memory.js";
import { runMain } from "./run.js";

/** The CLI's own decision for these train flags: the refusal's message, or undefined. */
function refusal(args: string[], samples: number, classes: number): string | undefined {
  const flags = parseFlags(args, TRAIN_FLAGS, "train");
  const choice = dataChoice(flags);
  const text = (name: string) => flags.get(name) as string | undefined;
  const batch = text("batch-size");
  const threads = text("threads");
  const check = trainingCheck(choice, networkChoice(flags), undefined, {
    batchSize: batch === undefined ? 32 : batch === "full" ? "full" : Number(batch),
    engine: text("engine") === "plain" ? "plain" : "fast",
    threads: threads === undefined || threads === "auto" ? "auto" : Number(threads),
  });
  try {
    check({ rows: samples, features: 2, classes });
    return undefined;
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
}

const limits = processLimits();

describe("sizes are checked before work", () => {
  it("the issue's runs exit 2 with one line saying what is needed and what to lower", async () => {
    for (const samples of ["100000", "20000"]) {
      const args = ["train", "--dataset", "moons", "--samples", samples, "--hidden", "100000"];
      const { code, stderr } = await runMain(args);
      expect(code).toBe(2);
      expect(stderr).toHaveLength(1);
      expect(stderr[0]).toMatch(/^handgrad train: this run needs .* lower --samples or --hidden$/);
    }
  });

  it("Node's largest Float64Array is MAX_FLOAT64_ARRAY_LENGTH: one more is refused by length", () => {
    // Refused before any allocation, so this costs nothing.
    expect(() => new Float64Array(MAX_FLOAT64_ARRAY_LENGTH + 1)).toThrow(
      /Invalid typed array length/,
    );
  });

  it("a refusal names the machine's memory and the flags; a fitting run passes", () => {
    const estimate = trainingMemory({
      rows: 1_000_000,
      features: 2,
      outputs: 1,
      hidden: 1000,
      batchSize: 32,
      engine: "plain",
      threads: 1,
    });
    const small = { ...limits, memorySource: "this machine's", memoryBytes: estimate.bytes }; // 80%: too little
    expect(() => assertFits(estimate, { rows: "--samples", hidden: "--hidden" }, small)).toThrow(
      /needs about 44\.9 GiB \(the whole-set gradient: 1 000 000 rows × 1 000 hidden units × 6 float64 matrices\), more than 80% of this machine.s 44\.9 GiB; lower --samples or --hidden/,
    );
    const large = { ...small, memoryBytes: estimate.bytes / USABLE_FRACTION + 1 };
    expect(() => assertFits(estimate, {}, large)).not.toThrow();
  });

  it("predict refuses output text longer than Node's strings, before reading the rows", () => {
    const model = {
      activation: "tanh" as const,
      params: {
        W1: { rows: 2, cols: 16, data: new Float64Array(32) },
        b1: { rows: 1, cols: 16, data: new Float64Array(16) },
        W2: { rows: 16, cols: 1000, data: new Float64Array(16_000) },
        b2: { rows: 1, cols: 1000, data: new Float64Array(1000) },
      },
    };
    const check = predictionCheck(model, "big.csv", false);
    expect(() => check(100)).not.toThrow();
    expect(() => check(50_000)).toThrow(
      /more than the 536 870 888 Node allows in one string; lower the rows of big.csv/,
    );
  });

  it("train over the documented ranges: exit 2 with one line when refused, else runs (numRuns 150)", async () => {
    const hidden = fc.oneof(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 100_000 }));
    const samples = fc.oneof(
      fc.integer({ min: 2, max: 2000 }),
      fc.integer({ min: 2, max: MAX_SAMPLES }),
    );
    let executed = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(
        samples,
        hidden,
        fc.oneof(fc.constant(2), fc.integer({ min: 2, max: 1000 })),
        fc.oneof(fc.constant("full"), fc.integer({ min: 1, max: MAX_SAMPLES }).map(String)),
        fc.option(fc.double({ min: 0.01, max: 0.99, noNaN: true })),
        fc.constantFrom("fast", "plain"),
        fc.constantFrom("tanh", "relu", "sigmoid", "leaky-relu"),
        fc.oneof(fc.constant("auto"), fc.integer({ min: 1, max: 64 }).map(String)),
        fc.boolean(),
        async (n, h, k, batch, validation, engine, activation, threads, standardize) => {
          const classes = Math.min(k, n);
          const args = [
            ...["--dataset", classes > 2 ? "blobs" : "moons", "--samples", String(n)],
            ...["--hidden", String(h), "--classes", String(classes), "--batch-size", batch],
            ...(validation === null ? [] : ["--validation", String(validation)]),
            ...["--engine", engine, "--activation", activation],
            ...(engine === "fast" ? ["--threads", threads] : []), // plain refuses --threads
            ...(standardize ? ["--standardize"] : []),
            ...["--epochs", "0"],
          ];
          const why = refusal(args, n, classes);
          if (why !== undefined) {
            refused++;
            const { code, stderr } = await runMain(["train", ...args]);
            expect(code).toBe(2);
            expect(stderr).toHaveLength(1);
            expect(stderr[0]).toBe(`handgrad train: ${why}`);
            return;
          }
          // Accepted: small runs are executed (few threads: each helper is a Node worker).
          const small = n * h <= 2_000_000 && n * classes <= 2_000_000 && n <= 200_000;
          if (!small || (threads !== "auto" && Number(threads) > 4)) return;
          executed++;
          const { code, stderr } = await runMain(["train", ...args]);
          expect(stderr.join("\n")).not.toMatch(/internal error|at .*\.ts:\d+/);
          expect([0, 2]).toContain(code); // 2: e.g. a validation split leaving no rows
        },
      ),
      { seed: 20250921, numRuns: 150 },
    );
    expect(refused).toBeGreaterThan(10);
    expect(executed).toBeGreaterThan(10);
  }, 60_000);

  it("gradcheck and grad check their sizes too", async () => {
    const gradcheck = await runMain([
      "gradcheck",
      "--dataset",
      "moons",
      "--samples",
      "10000000",
      "--hidden",
      "100000",
    ]);
    expect(gradcheck.code).toBe(2);
    expect(gradcheck.stderr).toHaveLength(1);
    expect(gradcheck.stderr[0]).toMatch(/needs a float64 array .*; lower --samples or --hidden$/);
  });

  it("the largest thread count runs (63 helper threads)", async () => {
    const args = ["train", "--dataset", "moons", "--samples", "64", "--hidden", "64"];
    const { code } = await runMain([
      ...args,
      "--batch-size",
      "64",
      "--epochs",
      "1",
      "--threads",
      "64",
    ]);
    expect(code).toBe(0);
  }, 30_000);

  it("the history counts: --epochs 10 000 000 with --json would outgrow Node's strings, without it fits", async () => {
    const args = ["train", "--dataset", "moons", "--samples", "2", "--batch-size", "full"];
    const refused = await runMain([...args, "--epochs", "10000000", "--json"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toEqual([
      "handgrad train: this run's output would be a text of up to 2 000 000 200 characters (the JSON output: 10 000 001 epoch records of the --json history), more than the 536 870 888 Node allows in one string; lower --epochs or leave out --json",
    ]);
    const shape = {
      rows: 2,
      features: 2,
      hidden: 16,
      outputs: 1,
      batchSize: 2,
      engine: "fast",
      threads: 1,
    } as const;
    const plain = trainingMemory({ ...shape, epochs: 10_000_000 });
    expect(plain.longestText).toBe(0);
    expect(plain.terms.find((t) => t.what === "the history")?.bytes).toBe(
      10_000_001 * HISTORY_RECORD_BYTES,
    );
    expect(plain.bytes).toBeLessThan(0.8 * 23 * 2 ** 30); // fits a machine like this one
  });
});
