/**
 * gradcheck-step: how the gradient check's error depends on the step ε.
 *
 * The central difference g_n = (L(θ + ε) − L(θ − ε)) / 2ε has two errors (see src/check):
 *   truncation ≈ ε² |L‴| / 6        (Taylor), which falls as ε²,
 *   round-off  ≈ ε_mach |L| / ε     (L is rounded, then divided by 2ε), which grows as 1/ε,
 * so relError(ε) on a log–log plot is a V: slope 2 on the right, −1 on the left, lowest
 * near ε_mach^(1/3) ≈ 6e-6. We sweep ε over 1e-1 … 1e-12 (three steps per decade) on one
 * small fixed network at init (moons, H = 12), run gradientCheck at each ε, fit both arms
 * by least squares in log–log, and for relu also count the entries of W1 and b1 whose ±ε
 * evaluations straddle the kink at z = 0 (the check leaves those out; there are more as
 * ε grows).
 */
import { DEFAULT_THRESHOLD, gradientCheck, type GradientCheckReport } from "../check/index.js";
import { makeDataset } from "../data/index.js";
import type { Matrix } from "../linalg/index.js";
import {
  defaultInitFor,
  initParams,
  PARAM_NAMES,
  type ActivationName,
  type ParamName,
  type Params,
} from "../nn/index.js";
import { streamSeed } from "../rng.js";
import type { Experiment, ExperimentResult, Figure, Table } from "./experiment.js";
import { cbrt, log10, tenTo } from "./elementary.js";
import { sig } from "./format.js";
import { leastSquares } from "./fit.js";
import { summaryOf } from "./catalogue.js";

/** Machine epsilon of float64, 2^−52. */
export const EPS_MACH = Number.EPSILON;

/** The step the doc comment of gradcheck.ts predicts to be best: ε_mach^(1/3) ≈ 6.06e-6. */
export const PREDICTED_BEST_EPS = cbrt(EPS_MACH);

/** The minimum of ε² |L‴|/6 + ε_mach |L|/ε when |L| = |L‴|: (3 ε_mach)^(1/3) ≈ 8.7e-6. */
export const CLASSICAL_BEST_EPS = cbrt(3 * EPS_MACH);

/** ε = 10^(−k/3), k = 3 … 36: 1e-1 down to 1e-12, three steps per decade. */
export const EPS_GRID: readonly number[] = Array.from({ length: 34 }, (_, i) =>
  tenTo(-(i + 3) / 3),
);

/** The least-squares fits use these windows: truncation dominates on the right, round-off on the left. */
export const TRUNCATION_WINDOW = [1e-4, 1e-1] as const;
export const ROUNDOFF_WINDOW = [1e-12, 1e-8] as const;

/** The fixed problem: moons, N rows, H hidden units, parameters at init. */
export const SETUP = { data: "moons", samples: 200, hidden: 12 } as const;

export const ACTIVATIONS_SWEPT: readonly ActivationName[] = ["tanh", "relu"];

/** One gradient check at one ε. */
export interface StepPoint {
  readonly eps: number;
  /** max over W1, b1, W2, b2 of relError (kink entries left out). */
  readonly relError: number;
  /** Entries of W1 and b1 whose ±ε evaluations straddle a kink. */
  readonly kinks: number;
  readonly report: GradientCheckReport;
}

/** The data and the parameters at init the sweep checks, all drawn from `seed`. */
export function stepProblem(
  activation: ActivationName,
  seed: number,
): { X: Matrix; y: Matrix; params: Params } {
  const { X, y } = makeDataset(SETUP.data, {
    samples: SETUP.samples,
    seed: streamSeed(seed, "data"),
  });
  const params = initParams({
    inputs: X.cols,
    hidden: SETUP.hidden,
    init: defaultInitFor(activation),
    seed: streamSeed(seed, "init"),
  });
  return { X, y, params };
}

/** gradientCheck at every ε of `grid`. */
export function stepSweep(
  activation: ActivationName,
  seed: number,
  grid: readonly number[] = EPS_GRID,
): StepPoint[] {
  const { X, y, params } = stepProblem(activation, seed);
  return grid.map((eps) => {
    const report = gradientCheck(params, X, y, activation, { eps });
    return {
      eps,
      relError: report.maxRelError,
      kinks: report.params.W1.kinks + report.params.b1.kinks,
      report,
    };
  });
}

/** Least-squares slope and intercept of log10(relError) against log10(ε) over lo ≤ ε ≤ hi. */
export function logLogFit(
  points: readonly StepPoint[],
  [lo, hi]: readonly [number, number],
): { slope: number; intercept: number } {
  const inside = points.filter((p) => p.eps >= lo * (1 - 1e-12) && p.eps <= hi * (1 + 1e-12));
  const xs = inside.map((p) => log10(p.eps));
  const ys = inside.map((p) => log10(p.relError));
  return leastSquares(xs, ys);
}

/**
 * The step where the fitted model e(ε) = A ε² + B / ε is least: ε* = (B / 2A)^(1/3), with
 * A and B from fits of the two arms whose slopes are fixed at 2 and −1 (mean log residual).
 */
export function modelBestEps(points: readonly StepPoint[]): number {
  const meanLog = (window: readonly [number, number], slope: number): number => {
    const inside = points.filter(
      (p) => p.eps >= window[0] * (1 - 1e-12) && p.eps <= window[1] * (1 + 1e-12),
    );
    const sum = inside.reduce((s, p) => s + log10(p.relError) - slope * log10(p.eps), 0);
    return sum / inside.length;
  };
  const A = tenTo(meanLog(TRUNCATION_WINDOW, 2));
  const B = tenTo(meanLog(ROUNDOFF_WINDOW, -1));
  return cbrt(B / (2 * A));
}

/** The smallest and largest ε of the grid at which the check passes (relError ≤ 1e-7). */
export function passWindow(points: readonly StepPoint[]): { from: number; to: number } {
  const passing = points.filter((p) => p.relError <= DEFAULT_THRESHOLD).map((p) => p.eps);
  return { from: Math.min(...passing), to: Math.max(...passing) };
}

/** The point of least relError. */
export function bestPoint(points: readonly StepPoint[]): StepPoint {
  return points.reduce((best, p) => (p.relError < best.relError ? p : best));
}

/** The point at ε (matched to 1e-9 relative). */
export function pointAt(points: readonly StepPoint[], eps: number): StepPoint {
  const found = points.find((p) => Math.abs(p.eps / eps - 1) < 1e-9);
  if (!found) throw new Error(`no sweep point at eps ${eps}`);
  return found;
}

const DECADES = [1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9, 1e-10, 1e-11, 1e-12];
/** The decades k whose kink counts (ε = 1e-k) are key numbers. */
const KINK_DECADES = [1, 2, 3, 4, 5];

function run({ seed }: { seed: number }): ExperimentResult {
  const sweeps = new Map(ACTIVATIONS_SWEPT.map((a) => [a, stepSweep(a, seed)] as const));
  const tanh = sweeps.get("tanh") as StepPoint[];
  const relu = sweeps.get("relu") as StepPoint[];
  const kinkEntries = (() => {
    const { params } = stepProblem("relu", seed);
    return params.W1.data.length + params.b1.data.length;
  })();

  const numbers: Record<string, string> = {
    "predicted-eps": sig(PREDICTED_BEST_EPS),
    // the optimum of ε²|L‴|/6 + ε_mach|L|/ε when |L| = |L‴|: (3 ε_mach)^(1/3)
    "classical-eps": sig(CLASSICAL_BEST_EPS),
    "grid-step": sig(tenTo(1 / 3)),
    threshold: sig(DEFAULT_THRESHOLD),
    "kink-entries": String(kinkEntries),
    samples: String(SETUP.samples),
    hidden: String(SETUP.hidden),
  };
  const summaryRows: string[][] = [];
  for (const [activation, points] of sweeps) {
    const best = bestPoint(points);
    const right = logLogFit(points, TRUNCATION_WINDOW);
    const left = logLogFit(points, ROUNDOFF_WINDOW);
    const model = modelBestEps(points);
    const atDefault = pointAt(points, 1e-5).relError;
    const window = passWindow(points);
    Object.assign(numbers, {
      [`${activation}-best-eps`]: sig(best.eps),
      [`${activation}-best-relerror`]: sig(best.relError, 2),
      [`${activation}-relerror-default`]: sig(atDefault, 2),
      [`${activation}-slope-truncation`]: sig(right.slope),
      [`${activation}-slope-roundoff`]: sig(left.slope),
      [`${activation}-model-eps`]: sig(model, 2),
      [`${activation}-pass-from`]: sig(window.from),
      [`${activation}-pass-to`]: sig(window.to),
    });
    summaryRows.push([
      activation,
      sig(best.eps),
      sig(best.relError, 2),
      sig(atDefault, 2),
      sig(right.slope),
      sig(left.slope),
      sig(model, 2),
      `[${sig(window.from)}, ${sig(window.to)}]`,
    ]);
  }
  for (const name of PARAM_NAMES) numbers[`tanh-best-eps-${name}`] = sig(bestEpsOf(tanh, name));
  // how far the measured best steps are from the classical rule, as a factor ≥ 1
  const factor = (eps: number): number =>
    Math.max(eps, PREDICTED_BEST_EPS) / Math.min(eps, PREDICTED_BEST_EPS);
  numbers["tanh-best-eps-param-factor"] = sig(
    Math.max(...PARAM_NAMES.map((name) => factor(bestEpsOf(tanh, name)))),
    2,
  );
  numbers["tanh-best-over-classical"] = sig(bestPoint(tanh).eps / CLASSICAL_BEST_EPS, 2);
  numbers["tanh-default-margin"] = sig(DEFAULT_THRESHOLD / pointAt(tanh, 1e-5).relError, 2);
  for (const k of KINK_DECADES)
    numbers[`relu-kinks-1e-${k}`] = String(pointAt(relu, tenTo(-k)).kinks);

  const summary: Table = {
    name: "summary",
    title: `Gradient check vs step ε (${SETUP.data}, N = ${SETUP.samples}, H = ${SETUP.hidden}, at init): best ε, relError there and at the default 1e-5, log–log slopes fitted on ε ∈ [1e-4, 1e-1] (truncation) and [1e-12, 1e-8] (round-off), and the minimum of the fitted A ε² + B/ε`,
    columns: [
      "activation",
      "best ε",
      "relError at best",
      "relError at 1e-5",
      "slope (truncation)",
      "slope (round-off)",
      "model ε*",
      "passes (≤ 1e-7) for ε in",
    ],
    rows: summaryRows,
  };
  const sweep: Table = {
    name: "sweep",
    title: `relError (max over W1, b1, W2, b2) at each decade of ε, and relu's kink entries (of ${kinkEntries} in W1 and b1) left out`,
    columns: ["ε", "tanh relError", "relu relError", "relu kinks"],
    rows: DECADES.map((eps) => {
      const r = pointAt(relu, eps);
      return [sig(eps), sig(pointAt(tanh, eps).relError, 2), sig(r.relError, 2), String(r.kinks)];
    }),
  };

  return {
    tables: [summary, sweep],
    figures: [vFigure(sweeps), parameterFigure(tanh), kinkFigure(relu, kinkEntries)],
    numbers,
  };
}

/** log–log relError against ε for both activations, the predicted best ε marked. */
function vFigure(sweeps: ReadonlyMap<ActivationName, readonly StepPoint[]>): Figure {
  const values = [...sweeps].flatMap(([activation, points]) =>
    points.map((p) => ({ activation, eps: p.eps, relError: p.relError })),
  );
  return {
    name: "v-curve",
    title: "relError of the gradient check against the step ε",
    spec: {
      $schema: "https://vega.github.io/schema/vega-lite/v6.json",
      title: "Gradient check: relError against step ε (truncation ∝ ε², round-off ∝ 1/ε)",
      layer: [
        {
          data: { values },
          mark: { type: "line", point: true },
          encoding: {
            x: logAxis("eps", "step ε"),
            y: logAxis("relError", "relError (max over parameters)"),
            color: { field: "activation", type: "nominal" },
          },
        },
        {
          data: { values: [{ eps: PREDICTED_BEST_EPS, label: "ε_mach^(1/3)" }] },
          mark: { type: "rule", strokeDash: [4, 4], color: "gray" },
          encoding: { x: { field: "eps", type: "quantitative" } },
        },
        {
          data: { values: [{ eps: PREDICTED_BEST_EPS, relError: 1e-2, label: "ε_mach^(1/3)" }] },
          mark: { type: "text", align: "left", dx: 4, dy: 6, color: "gray" },
          encoding: {
            x: { field: "eps", type: "quantitative" },
            y: { field: "relError", type: "quantitative" },
            text: { field: "label" },
          },
        },
        {
          data: { values: [{ relError: DEFAULT_THRESHOLD }] },
          mark: { type: "rule", strokeDash: [2, 2], color: "black" },
          encoding: { y: { field: "relError", type: "quantitative" } },
        },
        {
          data: {
            values: [{ eps: 1e-12, relError: DEFAULT_THRESHOLD, label: "pass threshold 1e-7" }],
          },
          mark: { type: "text", align: "left", dx: 2, dy: -6 },
          encoding: {
            x: { field: "eps", type: "quantitative" },
            y: { field: "relError", type: "quantitative" },
            text: { field: "label" },
          },
        },
      ],
    },
  };
}

/** The least-error step of one parameter's relError. */
export function bestEpsOf(points: readonly StepPoint[], name: ParamName): number {
  return points.reduce((best, p) =>
    p.report.params[name].relError < best.report.params[name].relError ? p : best,
  ).eps;
}

/** tanh: relError of each parameter against ε (log–log). */
function parameterFigure(tanh: readonly StepPoint[]): Figure {
  const values = tanh.flatMap((p) =>
    PARAM_NAMES.map((name) => ({
      parameter: name,
      eps: p.eps,
      relError: p.report.params[name].relError,
    })),
  );
  return {
    name: "v-curve-params",
    title: "tanh: relError of each parameter against the step ε",
    spec: {
      $schema: "https://vega.github.io/schema/vega-lite/v6.json",
      title: "tanh: relError of each parameter against step ε",
      data: { values },
      mark: { type: "line", point: { size: 20 } },
      encoding: {
        x: logAxis("eps", "step ε"),
        y: logAxis("relError", "relError"),
        color: { field: "parameter", type: "nominal", sort: [...PARAM_NAMES] },
      },
    },
  };
}

/** relu's kink entries against ε (log x). */
function kinkFigure(relu: readonly StepPoint[], kinkEntries: number): Figure {
  return {
    name: "kinks",
    title: "relu: entries of W1 and b1 whose ±ε evaluation crosses a kink",
    spec: {
      $schema: "https://vega.github.io/schema/vega-lite/v6.json",
      title: `relu: kink-crossing entries of W1 and b1 (of ${kinkEntries}) against ε`,
      data: {
        values: relu.filter((p) => p.eps >= 1e-6).map((p) => ({ eps: p.eps, kinks: p.kinks })),
      },
      mark: { type: "line", point: true },
      encoding: {
        x: logAxis("eps", "step ε"),
        y: {
          field: "kinks",
          type: "quantitative",
          scale: { domain: [0, kinkEntries] },
          axis: { title: "kink entries (left out)" },
        },
      },
    },
  };
}

export const gradcheckStep: Experiment = {
  name: "gradcheck-step",
  summary: summaryOf("gradcheck-step"),
  run,
};

/** A quantitative channel on a log scale with exponent labels (ε and relError span decades). */
function logAxis(field: string, title: string) {
  return {
    field,
    type: "quantitative",
    scale: { type: "log" },
    axis: { format: ".0e", title },
  } as const;
}
