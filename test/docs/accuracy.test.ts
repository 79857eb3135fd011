/**
 * docs/accuracy.md sets handgrad's accuracy experiment (checked by drift.test.ts) beside
 * scikit-learn's recorded results (bench/accuracy/sklearn.json, which CI cannot measure: it has
 * no scikit-learn). These tests check that the recording belongs to the experiment: its rows
 * are the experiment's splits (bench/accuracy/splits.json is accuracySplits(0), and the results
 * name that file's hash), it has every run, its accuracies are counts of those rows, and the
 * doc's scikit-learn section is the rendering of the file (`npm run bench:accuracy` measures and
 * renders; `node bench/accuracy.mjs --render` renders only).
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { join, resolve } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { accuracyRun, accuracySplits } from "../../src/experiments/accuracy.js";
// @ts-expect-error: a plain JavaScript module of bench/, without type declarations
import { renderAccuracyDoc, splitsText } from "../../bench/accuracy-render.mjs";

const root = resolve(import.meta.dirname, "../..");
const splitsFile = readFileSync(join(root, "bench/accuracy/splits.json"), "utf8");
const splits = JSON.parse(splitsFile) as ReturnType<typeof accuracySplits>;

interface SklearnRun {
  readonly dataset: string;
  readonly seed: number;
  readonly trainAccuracy: number;
  readonly heldOutAccuracy: number;
  readonly epochs: number;
  readonly warnings: readonly string[];
}
const results = JSON.parse(readFileSync(join(root, "bench/accuracy/sklearn.json"), "utf8")) as {
  readonly splits: { readonly file: string; readonly sha256: string };
  readonly versions: Readonly<Record<string, string>>;
  readonly date: string;
  readonly command: string;
  readonly runs: readonly SklearnRun[];
};

describe("scikit-learn's recorded accuracies (bench/accuracy/)", () => {
  it("splits.json holds the accuracy experiment's splits, as accuracy.mjs writes them", () => {
    expect(
      splitsFile === (splitsText(accuracySplits(0)) as string),
      "bench/accuracy/splits.json is stale: run npm run bench:accuracy",
    ).toBe(true);
  });

  it("sklearn.json was measured on that file, and says with what and when", () => {
    expect(results.splits.file).toBe("bench/accuracy/splits.json");
    expect(results.splits.sha256).toBe(createHash("sha256").update(splitsFile).digest("hex"));
    expect(Object.keys(results.versions).sort()).toEqual(["numpy", "python", "scipy", "sklearn"]);
    expect(results.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(results.command).toBe("npm run bench:accuracy");
  });

  it("has one run per data set and split, whose accuracies count rows of that split", () => {
    const expected = splits.datasets.flatMap((d) => d.runs.map((r) => `${d.name} ${r.seed}`));
    expect(results.runs.map((r) => `${r.dataset} ${r.seed}`)).toEqual(expected);
    for (const run of results.runs) {
      const split = splits.datasets
        .find((d) => d.name === run.dataset)!
        .runs.find((r) => r.seed === run.seed)!;
      for (const [accuracy, rows] of [
        [run.trainAccuracy, split.train.length],
        [run.heldOutAccuracy, split.heldOut.length],
      ] as const) {
        const right = accuracy * rows;
        expect(Math.abs(right - Math.round(right)), `${run.dataset} ${run.seed}`).toBeLessThan(
          1e-9,
        );
        expect(accuracy).toBeGreaterThan(0.5);
        expect(accuracy).toBeLessThanOrEqual(1);
      }
      expect(run.epochs).toBeGreaterThan(0);
      expect(run.epochs).toBeLessThanOrEqual(200); // max_iter
    }
  });

  it("docs/accuracy.md's scikit-learn section is the rendering of sklearn.json", async () => {
    const doc = readFileSync(join(root, "docs/accuracy.md"), "utf8");
    const rendered = (await renderAccuracyDoc(doc, results, splits)) as string;
    expect(
      doc === rendered,
      "docs/accuracy.md is stale: run node bench/accuracy.mjs --render",
    ).toBe(true);
    expect(doc).toContain(`scikit-learn \`${results.versions.sklearn}\``);
  });
});

describe("docs/accuracy.md's handgrad pipeline", () => {
  it("is five lines that run and print run 0's iris accuracies: training rows, then held out", async () => {
    const doc = readFileSync(join(root, "docs/accuracy.md"), "utf8");
    const block = /^```ts\n([\s\S]*?)^```$/m.exec(doc)?.[1] as string;
    const code = block.split("\n").filter((l) => l !== "" && !l.startsWith("import"));
    expect(code).toHaveLength(5);
    const dir = join(root, ".vitest-tmp", "accuracy-doc");
    mkdirSync(dir, { recursive: true });
    const file = join(dir, "pipeline.ts");
    writeFileSync(file, block.replaceAll('"handgrad"', '"../../src/index.js"'));
    const printed: unknown[][] = [];
    const log = vi.spyOn(console, "log").mockImplementation((...args) => void printed.push(args));
    try {
      await import(pathToFileURL(file).href);
    } finally {
      log.mockRestore();
      rmSync(dir, { recursive: true, force: true });
    }
    const run = accuracyRun("iris", 0);
    expect(printed).toEqual([[run.trainAccuracy, run.heldOutAccuracy]]);
  });
});
