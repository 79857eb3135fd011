/** The docs-sync rules: quotes are rewritten from results, and any stale quote is reported. */
import { describe, expect, it } from "vitest";
import {
  docDrift,
  embeddedFigures,
  quotedExperiments,
  syncDoc,
  unquotedNumbers,
} from "../../src/experiments/docs.js";
import type { ExperimentResult } from "../../src/experiments/experiment.js";

const result: ExperimentResult = {
  tables: [{ name: "main", title: "t", columns: ["a", "b"], rows: [["1", "x|y"]] }],
  figures: [],
  numbers: { answer: "42", ratio: "0.5" },
};
const results = new Map([["demo", result]]);

const doc = [
  "The answer is <!--n:demo.answer-->41<!--/n--> and the ratio <!--n:demo.ratio-->0.5<!--/n-->.",
  "",
  "<!-- table:demo.main:start -->",
  "",
  "old",
  "",
  "<!-- table:demo.main:end -->",
  "",
  "![a figure](figures/demo-curve.svg)",
].join("\n");

describe("docs sync", () => {
  it("reports every quote that differs from the experiment, and only those", () => {
    const drift = docDrift(doc, results);
    expect(drift).toHaveLength(2);
    expect(drift[0]).toMatch(/demo\.answer: the doc says 41, the experiment 42/);
    expect(drift[1]).toMatch(/table demo\.main/);
  });

  it("rewrites the quotes so that no drift is left, and leaves the prose alone", () => {
    const synced = syncDoc(doc, results);
    expect(docDrift(synced, results)).toEqual([]);
    expect(synced).toContain("The answer is <!--n:demo.answer-->42<!--/n-->");
    expect(synced).toContain("| a | b |\n| --- | --- |\n| 1 | x\\|y |");
    expect(syncDoc(synced, results)).toBe(synced);
  });

  it("reports a quote at the start of a line, where Markdown would end the paragraph", () => {
    const text = "The answer is\n<!--n:demo.answer-->42<!--/n-->.";
    expect(docDrift(text, results)).toEqual([
      "line 2 starts with a quote, which breaks its paragraph: join it to the line above",
    ]);
  });

  it("checks a quote whose key contains a dot (dead-end-bias-0.01), instead of skipping it", () => {
    const dotted = new Map([["demo", { ...result, numbers: { "bias-0.01": "25" } }]]);
    expect(docDrift("a <!--n:demo.bias-0.01-->24<!--/n--> b", dotted)).toEqual([
      "demo.bias-0.01: the doc says 24, the experiment 25",
    ]);
    expect(unquotedNumbers("a <!--n:demo.bias-0.01-->73.5 %<!--/n--> b")).toEqual([]);
  });

  it("accepts a table the formatter has padded", () => {
    const padded = syncDoc(doc, results).replace("| a | b |", "| a   | b     |");
    expect(docDrift(padded, results)).toEqual([]);
  });

  it("names a quoted key or experiment that does not exist", () => {
    expect(() => docDrift("<!--n:demo.missing-->1<!--/n-->", results)).toThrow(
      /no number "missing"/,
    );
    expect(() => docDrift("<!--n:nosuch.x-->1<!--/n-->", results)).toThrow(/"nosuch"/);
  });

  it("finds the experiments quoted and the figures embedded", () => {
    expect([...quotedExperiments(doc)]).toEqual(["demo"]);
    expect(embeddedFigures(doc)).toEqual(["demo-curve.svg"]);
  });
});

describe("hand-typed numbers", () => {
  it("finds decimals and exponents in prose, but not in quotes, code, tables, links, headings, versions or sections", () => {
    const text = [
      "## 3.1 A heading",
      "Measured 36.04 and 3e-16 by hand; quoted <!--n:demo.answer-->42.5<!--/n-->; code `0.01`.",
      "See section 3.6 and version 1.2, [a link](x.md#L3.5) and ![fig](figures/a-1.5.svg).",
      "```",
      "1.25 in a code block",
      "```",
    ].join("\n");
    expect(unquotedNumbers(text)).toEqual(["36.04", "3e-16"]);
  });
});
