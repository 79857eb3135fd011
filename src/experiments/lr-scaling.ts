/**
 * lr-scaling: when the batch grows from B0 to k·B0, what should the learning rate do?
 *
 * From one base run (moons, B0 = 16, η0 = 0.5) we train the same initial network at B = k·B0
 * with three rules: η0 (unchanged), √k·η0 (keeps the variance of the update η g_B, by the
 * batch-variance theory) and k·η0 (the linear rule, Goyal et al. 2017), for the same number of
 * epochs; for B = 2B0 also for the same number of steps. Each run is watched step by step: the
 * final loss, the loss wiggle (std of successive epoch-loss changes near the end), the early
 * spike (the largest batch loss early on over the starting loss), the update-to-weight ratio
 * η‖∂L/∂W‖/‖W‖ of each layer (≈ 1e-3 is the usual rule of thumb) and B_simple. A last table
 * checks the √k rule's premise directly: Var(η g_B) at fixed parameters, measured and predicted.
 */
import { makeDataset } from "../data/index.js";
import type { Matrix } from "../linalg/index.js";
import { backward, forward, initParams, tanh, type Params } from "../nn/index.js";
import { Rng, streamSeed } from "../rng.js";
import type { Experiment, ExperimentResult, Figure, Table } from "./experiment.js";
import { fixed, sig } from "./format.js";
import {
  batchDeviations,
  estimate,
  flatGrad,
  noiseStats,
  perExampleGradients,
  squaredNorm,
  varianceWithoutReplacement,
  type Estimate,
} from "./gradient-noise.js";
import { monitoredSgd, type SgdRun } from "./sgd-monitor.js";
import { summaryOf } from "./catalogue.js";

export const SETUP = {
  data: "moons",
  samples: 512,
  noise: 0.2,
  hidden: 16,
  B0: 16,
  eta0: 0.5,
  epochs: 50,
  multiples: [1, 2, 4, 8, 16, 32], // B = k·B0 up to N
  wiggleWindow: 10, // epochs at the end over which the wiggle is measured
  spikeEpochs: 5, // the "early" part of training for the spike measure
  matchTolerance: 0.1, // "matches the base": final loss ≤ (1 + this) × the base's
  spikeLimit: 1.5, // an early spike above this × the starting loss counts as a spike
  draws: 1000, // mini-batches per B for the update-variance check
} as const;

export type Rule = "constant" | "sqrt" | "linear";
export const RULES: readonly Rule[] = ["constant", "sqrt", "linear"];

/** η for B = k·B0 under each rule. */
export function scaledRate(rule: Rule, eta0: number, k: number): number {
  return rule === "constant" ? eta0 : rule === "sqrt" ? eta0 * Math.sqrt(k) : eta0 * k;
}

/** The monitors of one run. */
export interface RunSummary {
  readonly k: number;
  readonly rule: Rule;
  readonly B: number;
  readonly eta: number;
  readonly epochs: number;
  readonly run: SgdRun;
  readonly finalLoss: number;
  readonly wiggle: number; // std of L_e − L_{e−1} over the last wiggleWindow epochs
  readonly spike: number; // max batch loss over the first spikeEpochs epochs / L_0
  readonly ratioW1: number; // median η‖∂L/∂W1‖/‖W1‖ over the steps
  readonly ratioW2: number;
  readonly bSimple: number; // at the end
}

/** Var(η g_B) at fixed parameters for one (B, rule). */
export interface UpdateNoiseRow {
  readonly k: number;
  readonly rule: Rule;
  readonly measured: Estimate; // η² E‖g_B − G‖²
  readonly theory: number; // η² tr(Σ)/B · (N − B)/(N − 1)
}

export interface LrScalingMeasurement {
  readonly N: number;
  readonly base: RunSummary;
  readonly equalEpochs: readonly RunSummary[];
  readonly equalSteps: readonly RunSummary[];
  readonly updateNoise: readonly UpdateNoiseRow[];
  /** λ_max of the Hessian at the initial parameters. */
  readonly sharpnessAtInit: number;
}

interface Problem {
  readonly X: Matrix;
  readonly y: Matrix;
  readonly initial: Params;
  readonly shuffleSeed: number;
}

function problem(seed: number): Problem {
  const { X, y } = makeDataset(SETUP.data, {
    samples: SETUP.samples,
    noise: SETUP.noise,
    seed: streamSeed(seed, "data"),
  });
  const initial = initParams({
    inputs: 2,
    hidden: SETUP.hidden,
    init: "xavier",
    seed: streamSeed(seed, "init"),
  });
  return { X, y, initial, shuffleSeed: streamSeed(seed, "shuffle") };
}

/** Trains at B = k·B0 with `rule` for `epochs` epochs and summarises the monitors. */
export function runRule(p: Problem, k: number, rule: Rule, epochs: number): RunSummary {
  const B = k * SETUP.B0;
  const eta = scaledRate(rule, SETUP.eta0, k);
  const run = monitoredSgd(p.initial, p.X, p.y, {
    activation: tanh,
    batchSize: B,
    learningRate: eta,
    epochs,
    seed: p.shuffleSeed,
  });
  const L = run.epochLoss;
  const stepsPerEpoch = Math.ceil(p.X.rows / B);
  const early = run.batchLoss.slice(0, SETUP.spikeEpochs * stepsPerEpoch);
  const changes = L.slice(-SETUP.wiggleWindow - 1).flatMap((v, i, a) =>
    i === 0 ? [] : [v - a[i - 1]!],
  );
  return {
    k,
    rule,
    B,
    eta,
    epochs,
    run,
    finalLoss: L[L.length - 1]!,
    wiggle: changes.length > 1 ? estimate(changes).se * Math.sqrt(changes.length) : NaN,
    spike: Math.max(...early) / L[0]!,
    ratioW1: median(run.ratioW1),
    ratioW2: median(run.ratioW2),
    bSimple: (run.bSimple[run.bSimple.length - 1] as { value: number }).value,
  };
}

function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * η² E‖g_B − G‖² at the initial parameters for every (k, rule), measured over `draws`
 * batches without replacement and predicted as η² tr(Σ)/B · (N − B)/(N − 1).
 */
export function updateNoise(p: Problem, seed: number): UpdateNoiseRow[] {
  const g = perExampleGradients(p.initial, p.X, p.y, tanh);
  const { G, traceSigma } = noiseStats(g);
  const N = g.rows;
  const rng = new Rng(streamSeed(seed, "check"));
  const rows: UpdateNoiseRow[] = [];
  for (const k of SETUP.multiples) {
    const B = k * SETUP.B0;
    const deviation = estimate(batchDeviations(g, G, B, SETUP.draws, rng, false));
    for (const rule of RULES) {
      const eta = scaledRate(rule, SETUP.eta0, k);
      rows.push({
        k,
        rule,
        measured: { mean: eta * eta * deviation.mean, se: eta * eta * deviation.se },
        theory: eta * eta * varianceWithoutReplacement(traceSigma, N, B),
      });
    }
  }
  return rows;
}

/** Parameters of the same shapes as `like`, read from the flat P-vector v (W1, b1, W2, b2). */
function unflatten(like: Params, v: Float64Array): Params {
  let offset = 0;
  const take = (m: Matrix): Matrix => {
    const out = { rows: m.rows, cols: m.cols, data: v.slice(offset, offset + m.data.length) };
    offset += m.data.length;
    return out;
  };
  return { W1: take(like.W1), b1: take(like.b1), W2: take(like.W2), b2: take(like.b2) };
}

/**
 * The sharpness λ_max (largest Hessian eigenvalue of the full-batch loss) by power iteration on
 * Hessian-vector products Hv ≈ (∇L(θ + εv) − ∇L(θ − εv))/(2ε); full-batch GD on a quadratic is
 * stable only for η < 2/λ_max. Returns λ and the eigen-residual ‖Hv − λv‖/|λ| of the last v.
 */
export function sharpness(
  params: Params,
  X: Matrix,
  y: Matrix,
  seed: number,
  iterations = 100,
): { lambda: number; residual: number } {
  const theta = flatGrad({ dW1: params.W1, db1: params.b1, dW2: params.W2, db2: params.b2 });
  const gradAt = (v: Float64Array): Float64Array => {
    const q = unflatten(params, v);
    return flatGrad(backward(q, forward(q, X, tanh), X, y, tanh));
  };
  const eps = 1e-5;
  const hessianTimes = (v: Float64Array): Float64Array => {
    const up = gradAt(theta.map((t, i) => t + eps * v[i]!));
    const down = gradAt(theta.map((t, i) => t - eps * v[i]!));
    return up.map((u, i) => (u - down[i]!) / (2 * eps));
  };
  const rng = new Rng(seed);
  const start = theta.map(() => rng.normal());
  // Power iteration finds the eigenvalue of largest magnitude; if that one is negative, a
  // second pass on H − λ1 I (all eigenvalues ≥ 0) finds the largest one.
  const first = powerIteration(hessianTimes, start, 0, iterations);
  return first.lambda >= 0 ? first : powerIteration(hessianTimes, start, first.lambda, iterations);
}

/** The top eigenpair of v ↦ Hv − shift·v, reported for H: λ and ‖Hv − λv‖/|λ|. */
function powerIteration(
  hessianTimes: (v: Float64Array) => Float64Array,
  start: Float64Array,
  shift: number,
  iterations: number,
): { lambda: number; residual: number } {
  let v = start;
  let lambda = 0;
  let residual = Infinity;
  for (let it = 0; it < iterations; it++) {
    const length = Math.sqrt(squaredNorm(v));
    v = v.map((x) => x / length); // ‖v‖ = 1
    const hv = hessianTimes(v);
    lambda = hv.reduce((s, x, i) => s + x * v[i]!, 0); // Rayleigh quotient vᵀHv
    residual = Math.sqrt(squaredNorm(hv.map((x, i) => x - lambda * v[i]!))) / Math.abs(lambda);
    v = hv.map((x, i) => x - shift * v[i]!);
  }
  return { lambda, residual };
}

/** The raw measurement (the tests check its claims). */
export function measureLrScaling(seed: number): LrScalingMeasurement {
  const p = problem(seed);
  const base = runRule(p, 1, "constant", SETUP.epochs);
  const equalEpochs = SETUP.multiples
    .filter((k) => k > 1)
    .flatMap((k) => RULES.map((rule) => runRule(p, k, rule, SETUP.epochs)));
  const equalSteps = RULES.map((rule) => runRule(p, 2, rule, 2 * SETUP.epochs));
  const sharp = sharpness(p.initial, p.X, p.y, streamSeed(seed, "check"));
  return {
    N: p.X.rows,
    base,
    equalEpochs,
    equalSteps,
    updateNoise: updateNoise(p, seed),
    sharpnessAtInit: sharp.lambda,
  };
}

/** True when a run ended finite with a final loss within the tolerance of the base's (or below). */
export function matchesBase(run: RunSummary, base: RunSummary): boolean {
  return (
    run.run.divergedAt === null && run.finalLoss <= (1 + SETUP.matchTolerance) * base.finalLoss
  );
}

const RULE_LABEL: Record<Rule, string> = {
  constant: "η0",
  sqrt: "√k·η0",
  linear: "k·η0",
};

function outcome(r: RunSummary, base: RunSummary): string {
  if (r.run.divergedAt !== null) return `diverged at step ${r.run.divergedAt}`;
  if (r.finalLoss > r.run.epochLoss[0]!) return "failed (loss above start)";
  return matchesBase(r, base) ? "matches base" : "behind base";
}

function runRow(r: RunSummary, base: RunSummary): string[] {
  return [
    String(r.B),
    r === base ? "base" : RULE_LABEL[r.rule],
    sig(r.eta, 3),
    String(r.run.steps),
    sig(r.finalLoss, 3),
    sig(r.wiggle, 2),
    fixed(r.spike, 2),
    sig(r.ratioW1, 2),
    sig(r.ratioW2, 2),
    sig(r.bSimple, 3),
    outcome(r, base),
  ];
}

const RUN_COLUMNS = [
  "B",
  "rule",
  "η",
  "steps",
  "final loss",
  "wiggle",
  "early spike",
  "update/weight W1",
  "update/weight W2",
  "B_simple (end)",
  "outcome",
];

function equalEpochsTable(m: LrScalingMeasurement): Table {
  return {
    name: "equal-epochs",
    title: `B = k·B0 (B0 = ${SETUP.B0}, η0 = ${SETUP.eta0}), ${SETUP.epochs} epochs each; wiggle = std of epoch-loss changes over the last ${SETUP.wiggleWindow} epochs; early spike = max batch loss in the first ${SETUP.spikeEpochs} epochs / starting loss; update/weight = median η‖∂L/∂W‖/‖W‖`,
    columns: RUN_COLUMNS,
    rows: [m.base, ...m.equalEpochs].map((r) => runRow(r, m.base)),
  };
}

function equalStepsTable(m: LrScalingMeasurement): Table {
  return {
    name: "equal-steps",
    title: `B = 2·B0 for ${2 * SETUP.epochs} epochs: the base's number of steps (${m.base.run.steps})`,
    columns: RUN_COLUMNS,
    rows: [m.base, ...m.equalSteps].map((r) => runRow(r, m.base)),
  };
}

function updateNoiseTable(m: LrScalingMeasurement): Table {
  return {
    name: "update-noise",
    title: `Noise of the update at the initial parameters: E‖η g_B − η G‖² over ${SETUP.draws} batches (without replacement) per B, against η² tr(Σ)/B · (N−B)/(N−1)`,
    columns: ["B", "η0 (measured)", "√k·η0 (measured)", "k·η0 (measured)", "√k·η0 (theory)"],
    rows: SETUP.multiples.map((k) => {
      const row = (rule: Rule): UpdateNoiseRow =>
        m.updateNoise.find((r) => r.k === k && r.rule === rule) as UpdateNoiseRow;
      const cell = (rule: Rule): string => {
        const r = row(rule);
        return r.measured.se === 0 ? "0" : `${sig(r.measured.mean, 3)} ± ${sig(r.measured.se, 2)}`;
      };
      return [
        String(k * SETUP.B0),
        cell("constant"),
        cell("sqrt"),
        cell("linear"),
        sig(row("sqrt").theory, 3),
      ];
    }),
  };
}

function finalLossFigure(m: LrScalingMeasurement): Figure {
  const values = [m.base, ...m.equalEpochs]
    .filter((r) => r.run.divergedAt === null)
    .flatMap((r) =>
      (r === m.base ? RULES : [r.rule]).map((rule) => ({
        B: r.B,
        loss: r.finalLoss,
        rule: RULE_LABEL[rule],
      })),
    );
  return {
    name: "final-loss",
    title: "Training loss after the same number of epochs against B, for the three rules",
    spec: {
      $schema: "https://vega.github.io/schema/vega-lite/v6.json",
      title: `Loss after ${SETUP.epochs} epochs, B = k·${SETUP.B0}, η0 = ${SETUP.eta0}`,
      data: { values },
      mark: { type: "line", point: true },
      encoding: {
        x: {
          field: "B",
          type: "quantitative",
          scale: { type: "log", base: 2 },
          title: "batch size B",
        },
        y: { field: "loss", type: "quantitative", scale: { type: "log" }, title: "training loss" },
        color: {
          field: "rule",
          type: "nominal",
          title: "learning rate",
          sort: Object.values(RULE_LABEL),
        },
      },
    },
  };
}

function linearCurvesFigure(m: LrScalingMeasurement): Figure {
  const runs = [m.base, ...m.equalEpochs.filter((r) => r.rule === "linear")];
  const labelOf = (r: RunSummary): string =>
    r === m.base ? `B = ${r.B}, η = ${sig(r.eta, 3)} (base)` : `B = ${r.B}, η = ${sig(r.eta, 3)}`;
  const valuesOf = (rs: readonly RunSummary[]): { epoch: number; loss: number; B: string }[] =>
    rs.flatMap((r) => r.run.epochLoss.map((loss, epoch) => ({ epoch, loss, B: labelOf(r) })));
  const color = {
    field: "B",
    type: "nominal" as const,
    title: null,
    scale: {
      domain: runs.map(labelOf),
      range: ["black", "#4c78a8", "#f58518", "#54a24b", "#e45756", "#b279a2"],
    },
    legend: { labelLimit: 300 },
  };
  const x = { field: "epoch", type: "quantitative" as const, title: "epoch" };
  const y = {
    field: "loss",
    type: "quantitative" as const,
    scale: { type: "log" as const },
    title: "training loss",
  };
  return {
    name: "linear-curves",
    title: "Training loss per epoch under the linear rule η = k·η0",
    spec: {
      $schema: "https://vega.github.io/schema/vega-lite/v6.json",
      title: "Linear rule: training loss per epoch (base drawn on top, dashed black)",
      layer: [
        {
          data: { values: valuesOf(runs.slice(1)) },
          mark: { type: "line", strokeWidth: 1.5 },
          encoding: { x, y, color },
        },
        {
          // the base last, so the curves that follow it closely do not hide it
          data: { values: valuesOf([m.base]) },
          mark: { type: "line", strokeWidth: 2.5, strokeDash: [6, 3] },
          encoding: { x, y, color },
        },
      ],
    },
  };
}

/** The last epoch whose loss is more than twice the previous epoch's (0 when none is). */
export function lastJumpEpoch(epochLoss: readonly number[]): number {
  let last = 0;
  for (let e = 1; e < epochLoss.length; e++) {
    if (epochLoss[e]! > 2 * epochLoss[e - 1]!) last = e;
  }
  return last;
}

/** The tables, figures and key numbers of a measurement. */
export function report(m: LrScalingMeasurement): ExperimentResult {
  const at = (k: number, rule: Rule, runs = m.equalEpochs): RunSummary =>
    runs.find((r) => r.k === k && r.rule === rule) as RunSummary;
  const linearOk = m.equalEpochs.filter((r) => r.rule === "linear" && matchesBase(r, m.base));
  const largestOk = Math.max(SETUP.B0, ...linearOk.map((r) => r.B));
  const largestClean = Math.max(
    SETUP.B0,
    ...linearOk.filter((r) => r.spike <= SETUP.spikeLimit).map((r) => r.B),
  );
  const firstSpiked = m.equalEpochs.find((r) => r.rule === "linear" && r.spike > SETUP.spikeLimit);
  const firstBroken = m.equalEpochs.find((r) => r.rule === "linear" && !matchesBase(r, m.base));
  const numbers: Record<string, string> = {
    B0: String(SETUP.B0),
    eta0: String(SETUP.eta0),
    epochs: String(SETUP.epochs),
    "base-loss": sig(m.base.finalLoss, 3),
    "base-ratio-w1": sig(m.base.ratioW1, 2),
    "base-ratio-w2": sig(m.base.ratioW2, 2),
    "base-b-simple": sig(m.base.bSimple, 3),
    "base-spike": fixed(m.base.spike, 2),
    "loss-2b0-constant": sig(at(2, "constant").finalLoss, 3),
    "loss-2b0-sqrt": sig(at(2, "sqrt").finalLoss, 3),
    "loss-2b0-linear": sig(at(2, "linear").finalLoss, 3),
    "steps-loss-2b0-constant": sig(at(2, "constant", m.equalSteps).finalLoss, 3),
    "steps-loss-2b0-sqrt": sig(at(2, "sqrt", m.equalSteps).finalLoss, 3),
    "steps-loss-2b0-linear": sig(at(2, "linear", m.equalSteps).finalLoss, 3),
    "largest-linear-ok": String(largestOk),
    "largest-linear-clean": String(largestClean),
    "first-spike-B": firstSpiked ? String(firstSpiked.B) : "none",
    "first-spike-eta": firstSpiked ? sig(firstSpiked.eta, 3) : "none",
    "first-spike": firstSpiked ? fixed(firstSpiked.spike, 1) : "none",
    "spike-limit": String(SETUP.spikeLimit),
    "first-linear-broken": firstBroken ? String(firstBroken.B) : "none",
    "first-linear-broken-eta": firstBroken ? sig(firstBroken.eta, 3) : "none",
    "first-linear-broken-loss": firstBroken ? sig(firstBroken.finalLoss, 3) : "none",
    tolerance: `${Math.round(100 * SETUP.matchTolerance)} %`,
    "sharpness-init": sig(m.sharpnessAtInit, 3),
    "eta-stable-init": sig(2 / m.sharpnessAtInit, 3),
    "wiggle-window": String(SETUP.wiggleWindow),
    "spike-epochs": String(SETUP.spikeEpochs),
    "base-wiggle": sig(m.base.wiggle, 2),
  };
  const clean = m.equalEpochs.find((r) => r.rule === "linear" && r.B === largestClean);
  if (clean) {
    numbers["largest-linear-clean-wiggle"] = sig(clean.wiggle, 2);
    numbers["largest-linear-clean-wiggle-vs-base"] = sig(clean.wiggle / m.base.wiggle, 2);
  }
  if (firstSpiked) {
    numbers["first-spike-loss"] = sig(firstSpiked.finalLoss, 3);
    numbers["first-spike-last-jump-epoch"] = String(lastJumpEpoch(firstSpiked.run.epochLoss));
  }
  // the linear-rule runs that spiked early or failed: their smallest W2 update-to-weight ratio
  const troubled = m.equalEpochs.filter(
    (r) => r.rule === "linear" && (r.spike > SETUP.spikeLimit || !matchesBase(r, m.base)),
  );
  if (troubled.length > 0) {
    const smallest = Math.min(...troubled.map((r) => r.ratioW2));
    numbers["troubled-min-ratio-w2"] = sig(smallest, 2);
    numbers["troubled-min-ratio-w2-vs-base"] = sig(smallest / m.base.ratioW2, 2);
  }
  return {
    tables: [equalEpochsTable(m), equalStepsTable(m), updateNoiseTable(m)],
    figures: [finalLossFigure(m), linearCurvesFigure(m)],
    numbers,
  };
}

export const lrScaling: Experiment = {
  run: ({ seed }) => report(measureLrScaling(seed)),
  name: "lr-scaling",
  summary: summaryOf("lr-scaling"),
};
