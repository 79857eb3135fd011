/**
 * docs/performance.md and its figure are rendered from the recorded measurements in
 * bench/results.json (speed cannot be measured again in CI): this test renders them again and
 * fails when either differs (`npm run bench:render` rewrites them; `npm run bench:peers`
 * measures again first). It also renders edited copies of the file: one whose records have cold
 * figures only (as recorded before steady-state runs existed) and one with steady-state figures
 * made up to put each target on a known side of its threshold.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain JavaScript module of bench/, without type declarations
import { renderReport, TARGETS } from "../../bench/render.mjs";

const root = resolve(import.meta.dirname, "../..");
const results = JSON.parse(readFileSync(join(root, "bench/results.json"), "utf8"));

interface RunRecord {
  peer: string;
  workload: string;
  examplesPerSecond: number;
  steadyRuns?: number;
  steadyExamplesPerSecond?: number;
  steadyMedianExamplesPerSecond?: number;
  threads?: number;
}

/** A deep copy of the recorded results whose records are edited by `edit`. */
function edited(edit: (run: RunRecord) => RunRecord, top: object = {}) {
  const copy = structuredClone(results);
  return { ...copy, ...top, runs: (copy.runs as RunRecord[]).map(edit) };
}

/** A record with cold figures only, as bench/results.json was before steady-state runs. */
function coldOnly(run: RunRecord): RunRecord {
  const cold = { ...run };
  delete cold.steadyRuns;
  delete cold.steadyExamplesPerSecond;
  delete cold.steadyMedianExamplesPerSecond;
  return cold;
}

/** The Targets table's row of `workload` whose target cell contains `target`. */
function targetRow(markdown: string, workload: string, target: string): string[] {
  const section = markdown.slice(markdown.indexOf("## Targets"), markdown.indexOf("## What"));
  const row = section
    .split("\n")
    .map((line) => line.split("|").map((cell) => cell.trim()))
    .find((cells) => cells[1] === workload && (cells[2] ?? "").includes(target));
  expect(row, `${workload} ${target}`).toBeDefined();
  return row!;
}

interface Report {
  readonly markdown: string;
  readonly figures: Readonly<Record<string, string>>;
}

describe("docs/performance.md", () => {
  it("is the rendering of bench/results.json, and so is every figure it embeds", async () => {
    const report = (await renderReport(results)) as Report;
    const doc = readFileSync(join(root, "docs/performance.md"), "utf8");
    expect(doc === report.markdown, "docs/performance.md is stale: run npm run bench:render").toBe(
      true,
    );
    for (const [name, svg] of Object.entries(report.figures)) {
      const file = join(root, "docs/figures", name);
      expect(existsSync(file), `${file} is missing: run npm run bench:render`).toBe(true);
      expect(readFileSync(file, "utf8") === svg, `${file} is stale: run npm run bench:render`).toBe(
        true,
      );
      expect(doc).toContain(`](figures/${name})`);
    }
  });

  it("records every workload for handgrad and every peer it lists, with positive speeds", () => {
    for (const workload of ["toy", "tab", "wide"]) {
      for (const peer of results.peers as { id: string }[]) {
        const run = (
          results.runs as { peer: string; workload: string; examplesPerSecond: number }[]
        ).find((r) => r.peer === peer.id && r.workload === workload);
        expect(run, `${peer.id} on ${workload}`).toBeDefined();
        expect(run?.examplesPerSecond).toBeGreaterThan(0);
      }
    }
  });

  it("renders a results file with cold figures only: steady state marked, NumPy targets not measured", async () => {
    const { markdown } = (await renderReport(
      edited(coldOnly, { steadyRepeats: undefined }),
    )) as Report;
    expect(markdown).toMatch(/every peer has a cold figure only \(marked fresh process only\)/);
    // handgrad's row: its cold figure, no steady state, its own cold ratio 1, no steady ratio.
    expect(markdown).toMatch(
      /\| handgrad +\| float64 +\| +[\d,]+ \| +fresh process only \| +`1` \| +— \|/,
    );
    for (const workload of ["toy", "tab", "wide"]) {
      const row = targetRow(markdown, workload, "× NumPy");
      expect(row[3]).toMatch(/^not measured \(cold only: `[\d.]+`×\)$/);
      expect(row[4]).toBe("—");
    }
    // Only the JavaScript targets can be judged, on cold ratios: the tally counts exactly those.
    const judged = ["toy", "tab", "wide"].map((w) => targetRow(markdown, w, "JavaScript peer")[4]);
    const met = judged.filter((m) => m === "yes").length;
    expect(judged.every((m) => m === "yes" || m === "no")).toBe(true);
    const missed = 3 - met > 0 ? `, ${3 - met} missed (why is in the next section)` : "";
    expect(markdown).toContain(`${met} of 6 targets are met in this run${missed}, 3 not measured.`);
  });

  it("judges the NumPy targets on steady-state ratios, at TARGETS' thresholds, and says which peers have a cold figure only", async () => {
    expect(TARGETS).toEqual({ numpy: { toy: 1, tab: 1, wide: 0.25 }, javascript: 10 });
    // handgrad's steady state 4 % above each NumPy threshold, its cold figure far below;
    // brain.js without a steady state; every other peer's steady state equal to its cold one.
    const numpyCold = new Map(
      (results.runs as RunRecord[])
        .filter((r) => r.peer === "numpy")
        .map((r) => [r.workload, r.examplesPerSecond]),
    );
    const made = edited(
      (run) => {
        if (run.peer === "brain.js") return coldOnly(run);
        const threads = run.peer === "handgrad" || run.peer === "numpy" ? { threads: 2 } : {};
        if (run.peer !== "handgrad") {
          const rate = run.examplesPerSecond;
          return {
            ...run,
            ...threads,
            steadyRuns: 5,
            steadyExamplesPerSecond: rate,
            steadyMedianExamplesPerSecond: rate,
          };
        }
        const target = TARGETS.numpy[run.workload as "toy" | "tab" | "wide"];
        const steady = numpyCold.get(run.workload)! * target * 1.04;
        return {
          ...run,
          ...threads,
          examplesPerSecond: numpyCold.get(run.workload)! * target * 0.5,
          steadyRuns: 5,
          steadyExamplesPerSecond: steady,
          steadyMedianExamplesPerSecond: steady * 0.99,
        };
      },
      { steadyRepeats: 5 },
    );
    const { markdown } = (await renderReport(made)) as Report;
    for (const workload of ["toy", "tab", "wide"] as const) {
      const row = targetRow(markdown, workload, "× NumPy");
      expect(row[2]).toContain(`steady state ≥ \`${TARGETS.numpy[workload]}\`× NumPy`);
      expect(row[3]).toBe("`" + Number((TARGETS.numpy[workload] * 1.04).toPrecision(3)) + "`×");
      expect(row[4]).toBe("yes");
      // brain.js has no steady state: handgrad's cold figure is set against its cold figure.
      const js = targetRow(markdown, workload, "every JavaScript peer");
      expect(js[2]).toContain(`≥ ${TARGETS.javascript}× every JavaScript peer`);
    }
    expect(targetRow(markdown, "wide", "× NumPy")[2]).toContain(
      "at equal thread counts (handgrad 2, NumPy 2)",
    );
    expect(markdown).toMatch(
      /A cold figure only \(fresh processes, no steady-state run recorded\): brain\.js\./,
    );
    expect(markdown).toMatch(
      /\| brain\.js +\| [^|]+\| +[\d,]+(?: \([^)]*\))? \| +fresh process only \|/,
    );
  });
});
