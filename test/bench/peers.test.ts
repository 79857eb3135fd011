/**
 * bench/peers.mjs end to end in its quick mode (`--quick`: one process per peer and workload,
 * one steady-state run after the cold one, the JavaScript peers on a few rows, handgrad and NumPy
 * on the whole workloads): the results file it writes has the shape render.mjs reads, a cold and
 * a steady-state figure for every peer measured, NumPy timed on handgrad's work and thread
 * count, and it renders; bench/results.json and the doc are left alone; bad options are
 * refused. Peers that are not installed (`npm ci --prefix bench`) or lack NumPy are listed as
 * skipped, with the reason. Speeds are only checked to be positive: they are measured by the
 * script, never asserted.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WORKLOADS, WORKLOAD_NAMES } from "../../src/bench/workloads.js";
import { engineThreads } from "../../src/train/index.js";
// @ts-expect-error: a plain JavaScript module of bench/, without type declarations
import { renderReport } from "../../bench/render.mjs";

const root = resolve(import.meta.dirname, "../..");
const script = join(root, "bench/peers.mjs");
const PEER_IDS = [
  "handgrad",
  "numpy",
  "brain.js",
  "convnetjs",
  "tfjs-cpu",
  "tfjs-wasm",
  "ml-matrix",
];
const JS_PEERS = PEER_IDS.slice(2);

interface Run {
  peer: string;
  workload: string;
  examples: number;
  epochs: number;
  subset: boolean;
  runs: number;
  seconds: number;
  examplesPerSecond: number;
  steadyRuns?: number;
  steadyExamplesPerSecond?: number;
  steadyMedianExamplesPerSecond?: number;
  finalLoss: number | null;
  threads?: number | boolean;
}

interface Results {
  quick?: boolean;
  repeats: number;
  steadyRepeats: number;
  peers: { id: string }[];
  skipped: { peer: string; reason: string }[];
  runs: Run[];
}

function peers(args: readonly string[]) {
  const r = spawnSync(process.execPath, [script, ...args], {
    cwd: root,
    encoding: "utf8",
    timeout: 600_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The files a quick run must not touch, as they are before it. */
const untouched = ["bench/results.json", "docs/performance.md"].map((file) => ({
  file,
  text: readFileSync(join(root, file), "utf8"),
}));

let work: string;
beforeAll(() => {
  if (!existsSync(join(root, "dist/cli/main.js")))
    throw new Error("run `npm run build` before the bench tests");
  work = mkdtempSync(join(tmpdir(), "handgrad-peers-"));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("bench/peers.mjs --quick", () => {
  it("records a cold and a steady-state figure for every peer and workload, and renders", async () => {
    const out = join(work, "quick.json");
    const r = peers(["--quick", "--out", out]);
    expect(r.code, r.stderr).toBe(0);
    const results = JSON.parse(readFileSync(out, "utf8")) as Results;
    expect(results.quick).toBe(true);
    expect([results.repeats, results.steadyRepeats]).toEqual([1, 1]);

    // Every peer is measured or skipped with its reason; handgrad never skipped.
    const measured = results.peers.map((p) => p.id);
    expect([...measured, ...results.skipped.map((s) => s.peer)].sort()).toEqual(
      [...PEER_IDS].sort(),
    );
    expect(measured).toContain("handgrad");
    for (const skip of results.skipped) {
      expect(skip.reason).toMatch(
        skip.peer === "numpy"
          ? /python3 with NumPy is not available/
          : /is not installed \(npm ci --prefix bench\)/,
      );
    }

    for (const workload of WORKLOAD_NAMES) {
      const spec = WORKLOADS[workload];
      const batch = spec.batch === "full" ? spec.N : spec.batch;
      const threads = engineThreads(spec.N, batch, spec.D, spec.H, 1, "auto");
      for (const id of measured) {
        const run = results.runs.find((x) => x.peer === id && x.workload === workload);
        expect(run, `${id} on ${workload}`).toBeDefined();
        const { examplesPerSecond, steadyExamplesPerSecond, steadyMedianExamplesPerSecond } = run!;
        expect([run!.runs, run!.steadyRuns]).toEqual([1, 1]);
        expect(examplesPerSecond).toBeGreaterThan(0);
        expect(steadyExamplesPerSecond).toBeGreaterThan(0);
        expect(steadyMedianExamplesPerSecond).toBe(steadyExamplesPerSecond); // one run
        expect(examplesPerSecond * run!.seconds).toBeCloseTo(run!.examples * run!.epochs, 6);
        if (JS_PEERS.includes(id)) {
          expect([run!.subset, run!.examples, run!.epochs]).toEqual([true, 300, 1]);
        } else {
          expect([run!.subset, run!.examples, run!.epochs]).toEqual([false, spec.N, spec.epochs]);
          expect(run!.threads).toBe(threads);
        }
      }
      // NumPy starts from handgrad's weights and takes its batches: the same loss, to rounding.
      const numpy = results.runs.find((x) => x.peer === "numpy" && x.workload === workload);
      const own = results.runs.find((x) => x.peer === "handgrad" && x.workload === workload)!;
      if (numpy) expect(Math.abs(numpy.finalLoss! - own.finalLoss!)).toBeLessThan(1e-12);
    }

    const { markdown } = (await renderReport(results)) as { markdown: string };
    expect(markdown).toContain("**A quick smoke run**");
    expect(markdown).toMatch(/\| handgrad +\| float64 +\| +[\d,]+ \| +[\d,]+ \([\d,]+\) \|/);
    expect(markdown).not.toMatch(/\| +fresh process only \|/);
    for (const { file, text } of untouched) {
      expect(readFileSync(join(root, file), "utf8") === text, `${file} was rewritten`).toBe(true);
    }
  }, 600_000);

  for (const [args, message] of [
    [["--quick", "--bogus"], /Unknown option '--bogus'/],
    [
      ["--quick", "--peers", "handgrad,nope"],
      /--peers: unknown peer "nope" \(known: handgrad, numpy, /,
    ],
    [["--peers", "handgrad"], /--peers needs --out or --quick/],
  ] as [string[], RegExp][]) {
    it(`refuses ${args.join(" ")}: exit 2, one line naming the fault`, () => {
      const r = peers(args);
      expect(r.code).toBe(2);
      expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(/^bench\/peers\.mjs: /);
      expect(r.stderr).toMatch(message);
    });
  }
});
