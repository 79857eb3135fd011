/**
 * `handgrad bench`: the flop count, the JSON it prints (cold run, steady-state runs), the
 * runs' identical work, determinism and bad input.
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_REPEAT, flopsPerEpoch } from "../../src/cli/commands/bench.js";
import { makeWorkload } from "../../src/bench/workloads.js";
import { initParams } from "../../src/nn/index.js";
import { streamSeed } from "../../src/rng.js";
import { train } from "../../src/train/index.js";
import { handgrad } from "./run.js";

const root = resolve(import.meta.dirname, "../..");

beforeAll(() => {
  if (!existsSync(join(root, "dist/cli/main.js")))
    throw new Error("run `npm run build` before the CLI tests");
});

describe("flopsPerEpoch", () => {
  it("counts 2mkn per m×k by k×n product of one epoch, for N = 2, D = 3, H = 4 by hand", () => {
    const [N, D, H] = [2, 3, 4];
    // (m, k, n) of each product: forward X W1, a1 W2; backward X^T dZ1, a1^T dZ2, dZ2 W2^T.
    const products: [number, number, number][] = [
      [2, 3, 4], // X W1: N×D by D×H
      [2, 4, 1], // a1 W2: N×H by H×1
      [3, 2, 4], // X^T dZ1: D×N by N×H
      [4, 2, 1], // a1^T dZ2: H×N by N×1
      [2, 1, 4], // dZ2 W2^T: N×1 by 1×H
    ];
    const byHand = products.reduce((sum, [m, k, n]) => sum + 2 * m * k * n, 0);
    expect(byHand).toBe(144);
    expect(flopsPerEpoch({ N, D, H })).toBe(byHand);
  });
});

describe("handgrad bench", () => {
  it("--json prints the documented keys; finalLoss is bit for bit the library's training of the same workload", () => {
    const r = handgrad(["bench", "--workload", "toy", "--json", "--seed", "3"]);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    for (const key of ["workload", "examplesPerSecond", "gflops", "peakRssBytes", "finalLoss"])
      expect(report).toHaveProperty(key);
    expect(report.workload).toBe("toy");
    expect(report.examplesPerSecond).toBeGreaterThan(0);
    expect(report.gflops).toBeGreaterThan(0);
    expect(Number.isInteger(report.peakRssBytes) && report.peakRssBytes > 0).toBe(true);
    // examples/s and GFLOP/s are N × epochs and the flops over the same time.
    expect(report.examplesPerSecond * report.seconds).toBeCloseTo(1000 * 200, 6);
    const flops = 200 * flopsPerEpoch({ N: 1000, D: 2, H: 16 });
    expect(report.flopsPerEpoch).toBe(flops / 200);
    expect(Math.abs((report.gflops * report.seconds * 1e9) / flops - 1)).toBeLessThan(1e-12);

    const { X, y, spec } = makeWorkload("toy", 3);
    const params = initParams({
      inputs: 2,
      hidden: 16,
      init: "xavier",
      seed: streamSeed(3, "init"),
    });
    const result = train(
      params,
      { X, y },
      {
        activation: "tanh",
        learningRate: spec.learningRate,
        epochs: 200,
        batchSize: "full",
        seed: streamSeed(3, "shuffle"),
      },
    );
    const expected = result.history[200]!;
    expect(Object.is(report.finalLoss, expected.loss)).toBe(true); // JSON round-trips a double exactly
    expect(report.finalAccuracy).toBe(expected.accuracy);
    expect(report.finalLoss).toBeLessThan(0.2); // the teacher's labels are learnable

    // Without --repeat: one cold run, then DEFAULT_REPEAT steady-state runs, all on the same work.
    expect(report.repeat).toBe(DEFAULT_REPEAT);
    expect(report.runs.map((run: { phase: string }) => run.phase)).toEqual([
      "cold",
      ...Array<string>(DEFAULT_REPEAT).fill("steady"),
    ]);
    for (const run of report.runs) expect(Object.is(run.finalLoss, expected.loss)).toBe(true);
  }, 60_000);

  it("--repeat R: one cold run then R steady-state runs, each the same work (bit-identical final losses); best and median of the R", () => {
    const R = 3;
    const r = handgrad(["bench", "--workload", "tab", "--repeat", String(R), "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    for (const key of [
      "coldExamplesPerSecond",
      "steadyExamplesPerSecond",
      "steadyMedianExamplesPerSecond",
      "runs",
      "repeat",
    ])
      expect(report).toHaveProperty(key);
    expect(report.repeat).toBe(R);
    const runs = report.runs as {
      phase: string;
      seconds: number;
      examplesPerSecond: number;
      finalLoss: number;
      finalAccuracy: number;
    }[];
    expect(runs).toHaveLength(R + 1);
    expect(runs[0]!.phase).toBe("cold");
    const steady = runs.slice(1);
    expect(steady.filter((run) => run.phase === "steady")).toHaveLength(R);

    // tab shuffles its mini-batches: identical bits mean the same weights, data and batch order.
    for (const run of runs) {
      expect(Object.is(run.finalLoss, report.finalLoss)).toBe(true);
      expect(run.finalAccuracy).toBe(report.finalAccuracy);
      expect(run.examplesPerSecond * run.seconds).toBeCloseTo(20_000 * 3, 6);
    }
    // The legacy keys are the cold run's; steady state is summarised from the R runs after it.
    expect(report.coldExamplesPerSecond).toBe(runs[0]!.examplesPerSecond);
    expect(report.examplesPerSecond).toBe(runs[0]!.examplesPerSecond);
    expect(report.seconds).toBe(runs[0]!.seconds);
    const rates = steady.map((run) => run.examplesPerSecond).sort((a, b) => a - b);
    expect(report.steadyExamplesPerSecond).toBe(rates[R - 1]);
    expect(report.steadyMedianExamplesPerSecond).toBe(rates[(R - 1) / 2]);

    expect(r.stderr).toMatch(/1 cold run then 3 in steady state, in one process/);
    expect(r.stderr).toContain(
      `cold           ${Math.round(report.coldExamplesPerSecond)} examples/s`,
    );
    expect(r.stderr).toContain(
      `steady best    ${Math.round(report.steadyExamplesPerSecond)} examples/s`,
    );
    expect(r.stderr).toContain(
      `steady median  ${Math.round(report.steadyMedianExamplesPerSecond)} examples/s`,
    );
  }, 60_000);

  it("the same seed gives the same final loss, bit for bit; another seed another", () => {
    const a = JSON.parse(handgrad(["bench", "--workload", "toy", "--json"]).stdout);
    const b = JSON.parse(handgrad(["bench", "--workload", "toy", "--json", "--seed", "0"]).stdout);
    const c = JSON.parse(handgrad(["bench", "--workload", "toy", "--json", "--seed", "1"]).stdout);
    expect(Object.is(a.finalLoss, b.finalLoss)).toBe(true);
    expect(a.finalLoss).not.toBe(c.finalLoss);
  }, 60_000);

  it("times training without the per-epoch loss evaluation unless --evaluate-every-epoch, and says which", () => {
    const ends = handgrad(["bench", "--workload", "toy", "--json", "--seed", "2"]);
    const every = handgrad([
      "bench",
      "--workload",
      "toy",
      "--json",
      "--seed",
      "2",
      "--evaluate-every-epoch",
    ]);
    expect(ends.code, ends.stderr).toBe(0);
    expect(every.code, every.stderr).toBe(0);
    expect(ends.stderr).toMatch(
      /timed +training and the loss on all rows before the first and after the last epoch only/,
    );
    expect(every.stderr).toMatch(/timed +training and the loss on all rows after every epoch/);
    const [a, b] = [JSON.parse(ends.stdout), JSON.parse(every.stdout)];
    expect([a.evaluate, b.evaluate]).toEqual(["first-and-last", "every-epoch"]);
    expect(Object.is(a.finalLoss, b.finalLoss)).toBe(true); // the same training, bit for bit
    expect(a.finalAccuracy).toBe(b.finalAccuracy);
  }, 60_000);

  it("--help states what GFLOP/s counts", () => {
    const r = handgrad(["bench", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/matrix products only: forward 2NDH \+ 2NH, backward 2NDH \+ 4NH/);
  });

  for (const [args, message] of [
    [[], /--workload is required \(one of toy, tab, wide\)/],
    [["--workload", "huge"], /--workload must be one of toy, tab, wide, got "huge"/],
    [["--workload", "toy", "--seed", "-1"], /--seed must be an integer/],
    [["--workload", "toy", "--epochs", "3"], /unknown option --epochs/],
    [["--workload"], /option --workload needs a value/],
    [["--workload", "toy", "--repeat", "0"], /--repeat must be an integer from 1 to 1000, got 0/],
    [["--workload", "toy", "--repeat", "-2"], /--repeat must be an integer from 1 to 1000, got -2/],
    [
      ["--workload", "toy", "--repeat", "2.5"],
      /--repeat must be an integer from 1 to 1000, got 2\.5/,
    ],
    [
      ["--workload", "toy", "--repeat", "1001"],
      /--repeat must be an integer from 1 to 1000, got 1001/,
    ],
    [["--workload", "toy", "--repeat", "abc"], /--repeat must be a finite number, got "abc"/],
    [["--workload", "toy", "--repeat"], /option --repeat needs a value/],
  ] as [string[], RegExp][]) {
    it(`bad input ${JSON.stringify(args)}: exit 2, one line naming the fault, nothing on stdout`, () => {
      const r = handgrad(["bench", ...args]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    });
  }
});
