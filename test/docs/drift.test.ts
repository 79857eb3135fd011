/**
 * docs/ quotes the experiments' numbers, tables and figures; these tests rerun every
 * experiment from its default seed and fail when a quote no longer matches (`npm run docs`
 * regenerates them all).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { docDrift, EXPERIMENTS, figureFileName, renderSvg } from "../../src/experiments/index.js";
import type { ExperimentResult } from "../../src/experiments/experiment.js";
import { embeddedFigures, quotedExperiments, unquotedNumbers } from "../../src/experiments/docs.js";

const docs = resolve(import.meta.dirname, "../../docs");
const docFiles = existsSync(docs) ? readdirSync(docs).filter((f) => f.endsWith(".md")) : [];
const results = new Map<string, ExperimentResult>();

beforeAll(() => {
  for (const experiment of EXPERIMENTS) results.set(experiment.name, experiment.run({ seed: 0 }));
}, 600_000);

describe("docs/ and the experiments agree", () => {
  for (const file of docFiles) {
    it(`every number and table docs/${file} quotes is what the experiments print now`, () => {
      const drift = docDrift(readFileSync(join(docs, file), "utf8"), results);
      expect(drift, `run npm run docs to regenerate:\n${drift.join("\n")}`).toEqual([]);
    });

    it(`docs/${file} types no measured number by hand: each is a quote of an experiment`, () => {
      expect(unquotedNumbers(readFileSync(join(docs, file), "utf8"))).toEqual([]);
    });

    it(`every figure docs/${file} embeds exists`, () => {
      for (const figure of embeddedFigures(readFileSync(join(docs, file), "utf8"))) {
        expect(existsSync(join(docs, "figures", figure)), `docs/figures/${figure}`).toBe(true);
      }
    });
  }

  it("every number README.md quotes is what the experiments print now", () => {
    const readme = readFileSync(resolve(docs, "../README.md"), "utf8");
    expect([...quotedExperiments(readme)]).toContain("softmax"); // it does quote some
    const drift = docDrift(readme, results);
    expect(drift, `run npm run docs to regenerate:\n${drift.join("\n")}`).toEqual([]);
  });

  it("every figure in docs/figures is the current rendering of an experiment's figure", async () => {
    for (const experiment of EXPERIMENTS) {
      for (const figure of (results.get(experiment.name) as ExperimentResult).figures) {
        const file = join(docs, "figures", figureFileName(experiment.name, figure));
        expect(existsSync(file), `${file} is missing: run npm run docs`).toBe(true);
        expect(
          readFileSync(file, "utf8") === (await renderSvg(figure.spec)),
          `${file} is stale: run npm run docs`,
        ).toBe(true);
      }
    }
  });

  it("every experiment is quoted by some doc", () => {
    const quoted = new Set(
      docFiles.flatMap((f) => [...quotedExperiments(readFileSync(join(docs, f), "utf8"))]),
    );
    for (const experiment of EXPERIMENTS)
      expect(quoted, experiment.name).toContain(experiment.name);
  });
});
