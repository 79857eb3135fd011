/**
 * batch-variance: how far a mini-batch gradient g_B strays from the full-batch gradient G.
 *
 * At fixed parameters (a tanh network after a short SGD run on moons) we form the N per-example
 * gradients g_n (backward on 1-row batches), G = mean g_n and Σ = (1/N) Σ_n (g_n − G)(g_n − G)ᵀ,
 * then draw many seeded mini-batches without replacement for B = 1, 2, 4, …, N and compare the
 * Monte-Carlo E‖g_B − G‖² with the exact finite-population value tr(Σ)/B · (N − B)/(N − 1)
 * (0 at B = N). It also reports the gradient noise scale B_simple = tr(Σ)/‖G‖² along training
 * and its two-batch estimate (McCandlish et al. 2018, Appendix A) against the exact value.
 */
import { makeDataset } from "../data/index.js";
import type { Matrix } from "../linalg/index.js";
import { initParams, lossAt, tanh, type Params } from "../nn/index.js";
import { Rng, streamSeed } from "../rng.js";
import { train } from "../train/index.js";
import type { Experiment, ExperimentResult, Figure, Table } from "./experiment.js";
import { fixed, sig } from "./format.js";
import {
  batchDeviations,
  estimate,
  finitePopulationCorrection,
  noiseStats,
  perExampleGradients,
  ratioEstimate,
  rowMean,
  sampleWithoutReplacement,
  sampleWithReplacement,
  squaredNorm,
  twoBatchEstimate,
  varianceWithoutReplacement,
  type Estimate,
} from "./gradient-noise.js";
import { summaryOf } from "./catalogue.js";

/** The setting: moons, N = 512 (a power of 2, so B = N is on the grid), 2→16→1 tanh network. */
export const SETUP = {
  data: "moons",
  samples: 512,
  noise: 0.2,
  hidden: 16,
  batchSize: 32, // the SGD run that brings the parameters to the measuring point
  learningRate: 0.5,
  measureEpoch: 10, // the variance curve is measured after this many epochs
  checkpoints: [0, 1, 3, 10, 30, 100, 300], // epochs at which B_simple is reported
  draws: 2000, // mini-batches per B
  small: 8, // two-batch estimator sizes
  big: 128,
  pairs: 2000,
} as const;

/** One batch size of the variance curve. */
export interface VarianceRow {
  readonly B: number;
  readonly measured: Estimate; // Monte-Carlo E‖g_B − G‖² and its standard error
  readonly theory: number; // tr(Σ)/B · (N − B)/(N − 1)
  readonly withReplacement: number; // tr(Σ)/B
}

/** B_simple at one checkpoint: exact and from the two-batch estimator. */
export interface NoiseRow {
  readonly epoch: number;
  readonly loss: number;
  readonly gradSq: number;
  readonly traceSigma: number;
  readonly bSimple: number;
  readonly estimated: Estimate; // with-replacement batches
  readonly naive: Estimate; // without-replacement batches, formulas applied as if with replacement
  readonly corrected: Estimate; // without-replacement batches, finite-population corrected
}

export interface BatchVarianceMeasurement {
  readonly N: number;
  readonly P: number;
  readonly traceSigma: number;
  readonly gradSq: number;
  readonly curve: readonly VarianceRow[];
  readonly noise: readonly NoiseRow[];
}

/** The raw measurement (the tests check it against the theory). */
export function measureBatchVariance(seed: number): BatchVarianceMeasurement {
  const { X, y } = makeDataset(SETUP.data, {
    samples: SETUP.samples,
    noise: SETUP.noise,
    seed: streamSeed(seed, "data"),
  });
  const N = X.rows;
  let params: Params = initParams({
    inputs: 2,
    hidden: SETUP.hidden,
    init: "xavier",
    seed: streamSeed(seed, "init"),
  });
  const rng = new Rng(streamSeed(seed, "check")); // every mini-batch draw
  const shuffleSeed = streamSeed(seed, "shuffle");

  let curve: VarianceRow[] = [];
  let measured = { traceSigma: 0, gradSq: 0, P: 0 };
  const noise: NoiseRow[] = [];
  let epoch = 0;
  for (const checkpoint of SETUP.checkpoints) {
    if (checkpoint > epoch) {
      params = train(
        params,
        { X, y },
        {
          activation: tanh,
          learningRate: SETUP.learningRate,
          epochs: checkpoint - epoch,
          batchSize: SETUP.batchSize,
          seed: shuffleSeed + checkpoint,
        },
      ).params;
      epoch = checkpoint;
    }
    const g = perExampleGradients(params, X, y, tanh); // N×P
    const stats = noiseStats(g);
    noise.push({
      epoch,
      loss: lossAt(params, X, y, tanh),
      gradSq: stats.gradSq,
      traceSigma: stats.traceSigma,
      bSimple: stats.bSimple,
      ...twoBatchBSimple(g, rng),
    });
    if (epoch === SETUP.measureEpoch) {
      measured = { traceSigma: stats.traceSigma, gradSq: stats.gradSq, P: g.cols };
      curve = varianceCurve(g, stats.G, stats.traceSigma, rng);
    }
  }
  return { N, ...measured, curve, noise };
}

/** E‖g_B − G‖² by Monte Carlo (without replacement) for B = 1, 2, 4, …, N. */
function varianceCurve(g: Matrix, G: Float64Array, traceSigma: number, rng: Rng): VarianceRow[] {
  const N = g.rows;
  const rows: VarianceRow[] = [];
  for (let B = 1; B <= N; B *= 2) {
    rows.push({
      B,
      measured: estimate(batchDeviations(g, G, B, SETUP.draws, rng, false)),
      theory: varianceWithoutReplacement(traceSigma, N, B),
      withReplacement: traceSigma / B,
    });
  }
  return rows;
}

/**
 * B_simple from `pairs` independent (small, big) batch pairs: mean(S)/mean(‖G‖²), with
 * replacement (the estimator's assumption) and without (naive, then corrected).
 */
function twoBatchBSimple(g: Matrix, rng: Rng): Pick<NoiseRow, "estimated" | "naive" | "corrected"> {
  const N = g.rows;
  const { small, big, pairs } = SETUP;
  const pool = Uint32Array.from({ length: N }, (_, n) => n);
  const sqNorm = (batch: Uint32Array): number => squaredNorm(rowMean(g, batch));
  const withRep: Pair[] = [];
  const withoutRep: Pair[] = [];
  for (let m = 0; m < pairs; m++) {
    const a = sqNorm(sampleWithReplacement(rng, N, small));
    const b = sqNorm(sampleWithReplacement(rng, N, big));
    withRep.push(twoBatchEstimate(small, big, a, b));
    const c = sqNorm(sampleWithoutReplacement(rng, N, small, pool));
    const d = sqNorm(sampleWithoutReplacement(rng, N, big, pool));
    withoutRep.push(twoBatchEstimate(small, big, c, d));
  }
  return {
    estimated: ratio(withRep),
    naive: ratio(withoutRep),
    corrected: ratio(withoutRep.map((p) => finitePopulationCorrection(N, p))),
  };
}

type Pair = { gradSq: number; traceSigma: number };

function ratio(pairs: readonly Pair[]): Estimate {
  return ratioEstimate(
    pairs.map((p) => p.traceSigma),
    pairs.map((p) => p.gradSq),
  );
}

function curveTable(m: BatchVarianceMeasurement): Table {
  return {
    name: "variance",
    title: `E‖g_B − G‖² over ${SETUP.draws} mini-batches (without replacement) per B, N = ${m.N}, after ${SETUP.measureEpoch} epochs`,
    columns: ["B", "measured", "± s.e.", "theory tr(Σ)/B·(N−B)/(N−1)", "(measured − theory)/s.e."],
    rows: m.curve.map((r) => [
      String(r.B),
      sig(r.measured.mean, 4),
      sig(r.measured.se, 2),
      sig(r.theory, 4),
      r.measured.se === 0 ? "exact" : fixed((r.measured.mean - r.theory) / r.measured.se, 2),
    ]),
  };
}

function noiseTable(m: BatchVarianceMeasurement): Table {
  return {
    name: "noise-scale",
    title: `B_simple = tr(Σ)/‖G‖² along SGD training (B = ${SETUP.batchSize}, η = ${SETUP.learningRate}), exact and two-batch estimate (b = ${SETUP.small}, B = ${SETUP.big}, ${SETUP.pairs} pairs)`,
    columns: [
      "epoch",
      "loss",
      "‖G‖²",
      "tr(Σ)",
      "B_simple exact",
      "estimate (with repl.)",
      "naive (without repl.)",
      "corrected (without repl.)",
    ],
    rows: m.noise.map((r) => [
      String(r.epoch),
      sig(r.loss, 3),
      sig(r.gradSq, 3),
      sig(r.traceSigma, 3),
      sig(r.bSimple, 3),
      withSe(r.estimated),
      withSe(r.naive),
      withSe(r.corrected),
    ]),
  };
}

function withSe(e: Estimate): string {
  return `${sig(e.mean, 3)} ± ${sig(e.se, 2)}`;
}

function curveFigure(m: BatchVarianceMeasurement): Figure {
  const plotted = m.curve.filter((r) => r.B < m.N); // the value at B = N is exactly 0: off a log axis
  const values = plotted.flatMap((r) => [
    { B: r.B, variance: r.measured.mean, series: "measured (Monte Carlo)" },
    { B: r.B, variance: r.theory, series: "tr(Σ)/B · (N−B)/(N−1)" },
    { B: r.B, variance: r.withReplacement, series: "tr(Σ)/B (with replacement)" },
  ]);
  const x = {
    field: "B",
    type: "quantitative",
    scale: { type: "log", base: 2 },
    title: "batch size B",
  } as const;
  const yAxis = {
    field: "variance",
    type: "quantitative",
    scale: { type: "log" },
    title: "E‖g_B − G‖²",
  } as const;
  const color = {
    field: "series",
    type: "nominal",
    title: null,
    legend: { orient: "bottom", direction: "vertical", labelLimit: 400 },
  } as const;
  return {
    name: "variance",
    title: "Mini-batch gradient variance against B (log–log)",
    spec: {
      $schema: "https://vega.github.io/schema/vega-lite/v6.json",
      title: `Mini-batch gradient variance, N = ${m.N} (B = N gives exactly 0, not shown)`,
      data: { values },
      layer: [
        {
          transform: [{ filter: "datum.series !== 'measured (Monte Carlo)'" }],
          mark: { type: "line" },
          encoding: {
            x,
            y: yAxis,
            color,
            strokeDash: { field: "series", type: "nominal", legend: null },
          },
        },
        {
          transform: [{ filter: "datum.series === 'measured (Monte Carlo)'" }],
          mark: { type: "point", filled: true, size: 50 },
          encoding: { x, y: yAxis, color },
        },
      ],
    },
  };
}

/** The tables, figures and key numbers of a measurement. */
export function report(m: BatchVarianceMeasurement): ExperimentResult {
  const finite = m.curve.filter((r) => r.measured.se > 0);
  const worstZ = Math.max(
    ...finite.map((r) => Math.abs(r.measured.mean - r.theory) / r.measured.se),
  );
  const atN = m.curve[m.curve.length - 1] as VarianceRow;
  const first = m.noise[0] as NoiseRow;
  const last = m.noise[m.noise.length - 1] as NoiseRow;
  const measuredRow = m.noise.find((r) => r.epoch === SETUP.measureEpoch) as NoiseRow;
  const worstEstimateZ = Math.max(
    ...m.noise.map((r) => Math.abs(r.estimated.mean - r.bSimple) / r.estimated.se),
  );
  return {
    tables: [curveTable(m), noiseTable(m)],
    figures: [curveFigure(m)],
    numbers: {
      N: String(m.N),
      P: String(m.P),
      draws: String(SETUP.draws),
      "measure-epoch": String(SETUP.measureEpoch),
      "trace-sigma": sig(m.traceSigma, 3),
      "grad-sq": sig(m.gradSq, 3),
      "worst-z": fixed(worstZ, 2),
      "variance-at-N": String(atN.measured.mean),
      "b-simple-init": sig(first.bSimple, 3),
      "b-simple-measured": sig(measuredRow.bSimple, 3),
      "b-simple-final": sig(last.bSimple, 3),
      "final-epoch": String(last.epoch),
      "estimate-worst-z": fixed(worstEstimateZ, 2),
      "sgd-batch": String(SETUP.batchSize),
      "sgd-rate": String(SETUP.learningRate),
      "estimator-small": String(SETUP.small),
      "estimator-big": String(SETUP.big),
      "estimator-pairs": String(SETUP.pairs),
      // without replacement, noise E‖g_B − G‖² = tr(Σ)/B·(N − B)/(N − 1) equals ‖G‖² at this B
      "b-equal-final": sig((m.N * last.bSimple) / (m.N - 1 + last.bSimple), 3),
      // the relative bias of the naive ‖G‖² estimate, tr(Σ)/((N − 1)‖G‖²) = B_simple/(N − 1)
      "naive-bias-final": sig(last.bSimple / (m.N - 1), 3),
    },
  };
}

export const batchVariance: Experiment = {
  name: "batch-variance",
  summary: summaryOf("batch-variance"),
  run: ({ seed }) => report(measureBatchVariance(seed)),
};
