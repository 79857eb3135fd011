/**
 * The gradient check: compares backward()'s analytic gradient with central differences
 *
 *   g_n = (L(θ + ε) − L(θ − ε)) / 2ε
 *
 * for every entry of W1, b1, W2, b2 (or a seeded random subset of each). Per parameter it
 * reports relError = ‖g_a − g_n‖ / (‖g_a‖ + ‖g_n‖) (0 when both are 0) and the worst
 * single-entry relative error.
 *
 * Why ε = 1e-5: the central difference is off by the truncation error ≈ ε²|L‴|/6 plus the
 * round-off error ≈ ε_mach|L|/ε (L itself is rounded to about ε_mach|L| and the difference
 * is divided by 2ε). The sum is smallest near ε = ε_mach^(1/3) ≈ 6e-6, where both terms are
 * about ε_mach^(2/3) ≈ 4e-11 relative when L and L‴ are of order 1. `handgrad experiment
 * gradcheck-step` measures the V on a real network (docs/discussion.md): at ε = 1e-5 the error
 * sits a few hundred times below the 1e-7 threshold, and a correct gradient only fails for ε
 * outside roughly 1e-8 … 1e-4.
 *
 * With an L2 penalty λ (options.l2) the loss checked is the penalised one,
 * L + (λ/2)(‖W1‖² + ‖W2‖²), on both sides: backward(…, λ) against differences of that sum.
 * The two terms are differenced apart and then added: the penalty's change from moving one
 * weight θ is (λ/2)((θ + ε)² − (θ − ε)²), none for a bias. Differencing the whole sums instead
 * would round the cross-entropy's change against the penalty's size (ε_mach·P/ε), and a
 * correct gradient would fail the check once λ makes P large.
 *
 * Kinks: relu and leaky relu are not differentiable at 0. If θ ± ε puts some hidden
 * pre-activation z1 on different sides of 0, the difference quotient straddles the kink
 * and disagrees with either one-sided derivative. Such entries are counted as kinks and
 * left out of the error figures, never silently.
 */
import { DataError, ShapeError, UsageError } from "../errors.js";
import {
  assertAllFinite,
  assertFinite,
  assertMatrix,
  assertSameShape,
  clone,
  matrix,
  sumAll,
  zipWith,
  type Matrix,
} from "../linalg/index.js";
import {
  assertInputs,
  assertL2,
  backward,
  forward,
  gradsAreFinite,
  l2Penalty,
  loss,
  PARAM_NAMES,
  paramsAreFinite,
  resolveActivation,
  type Activation,
  type ActivationName,
  type Grads,
  type ParamName,
  type Params,
} from "../nn/index.js";
import { Rng } from "../rng.js";
import { DEFAULT_THRESHOLD, entryErrors, entryName } from "./compare.js";

/** gradientCheck's options: the step, the pass threshold and which entries to check. */
export interface GradientCheckOptions {
  /** The finite-difference step ε (default 1e-5). */
  readonly eps?: number;
  /** Pass when every parameter's relError ≤ threshold (default 1e-7). */
  readonly threshold?: number;
  /** Check at most this many seeded random entries per parameter (default: all). */
  readonly maxEntriesPerParam?: number;
  /** Seed of the random subset. */
  readonly seed?: number;
  /**
   * The analytic gradients to check (default: backward()'s at params): lets another
   * implementation's gradients, or a deliberately wrong one, be checked against the same
   * central differences.
   */
  readonly analytic?: Grads;
  /** λ ≥ 0 of the L2 penalty (default 0): check the gradient of L + (λ/2)(‖W1‖² + ‖W2‖²). */
  readonly l2?: number;
}

/** The check of one parameter (W1, b1, W2 or b2): its errors and what was compared. */
export interface ParamCheck {
  /** ‖g_a − g_n‖ / (‖g_a‖ + ‖g_n‖) over the checked entries that crossed no kink. */
  readonly relError: number;
  /** max over those entries of |g_a − g_n| / (|g_a| + |g_n|). */
  readonly maxEntryRelError: number;
  /** Entries whose ±ε evaluations put a hidden pre-activation on different sides of 0. */
  readonly kinks: number;
  /** Entries compared (kinks excluded). */
  readonly checked: number;
  /** Entries in the parameter. */
  readonly total: number;
}

/** What gradientCheck found: per parameter, and whether the whole check passed. */
export interface GradientCheckReport {
  /** The finite-difference step ε used. */
  readonly eps: number;
  /** The relative error at or below which a parameter passes. */
  readonly threshold: number;
  /**
   * maxRelError ≤ threshold, and every parameter had at least one entry compared: a
   * parameter whose checked entries all crossed a kink proves nothing, so it fails the check.
   */
  readonly passed: boolean;
  /** Parameters with entries to check of which none was compared (all crossed a kink). */
  readonly unchecked: ParamName[];
  /** The largest relError over the four parameters. */
  readonly maxRelError: number;
  /** Each parameter's check, by name. */
  readonly params: Record<ParamName, ParamCheck>;
}

/** The finite-difference step ε by default (see the header for why). */
export const DEFAULT_EPS = 1e-5;
export { DEFAULT_THRESHOLD };

/**
 * Checks backward() against central differences of the mean loss on (X, y), the activation
 * given as an Activation or by its name. Refuses, before any work: params that are not four
 * Matrices of a D→H→K network, X not N×D or y not N×1 (ShapeError; UsageError for another
 * kind of value); an unknown activation, parameters with NaN or ±Infinity, and options out of
 * range (UsageError); a feature that is NaN or ±Infinity (DataError naming its row and column,
 * from 0, as train does) and labels the loss does not take (DataError: outside [0, 1] for one
 * logit, soft labels allowed; not a class index 0..K−1 for K).
 */
export function gradientCheck(
  params: Params,
  X: Matrix,
  y: Matrix,
  activationOrName: Activation | ActivationName,
  options: GradientCheckOptions = {},
): GradientCheckReport {
  const { problem, threshold } = checkedProblem(params, X, y, activationOrName, options);
  const { activation, eps, l2 } = problem;
  const limit = options.maxEntriesPerParam;
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1)) {
    throw new UsageError(`the number of entries to check must be a positive integer, got ${limit}`);
  }
  const rng = new Rng(options.seed ?? 0);

  const cache = forward(params, X, activation);
  const L = loss(cache, y) + l2Penalty(params, l2); // refuses labels the head does not take, naming the row
  const grads = options.analytic ?? backward(params, cache, X, y, activation, l2);
  if (!Number.isFinite(L) || !gradsAreFinite(grads)) {
    // X passed assertFinite once, perhaps before a NaN was written into it: name that first.
    assertAllFinite(X, "X", "gradientCheck");
    throw new DataError(
      "the loss or its gradient overflows at these parameters on this data: the weights or the features are too large for float64",
    );
  }
  const analytic: Record<ParamName, Matrix> = {
    W1: grads.dW1,
    b1: grads.db1,
    W2: grads.dW2,
    b2: grads.db2,
  };

  for (const name of PARAM_NAMES) assertSameShape(analytic[name], params[name], `d${name}`);

  const results = {} as Record<ParamName, ParamCheck>;
  for (const name of PARAM_NAMES) {
    const total = params[name].data.length;
    const entries =
      limit !== undefined && limit < total ? sampleEntries(rng, total, limit) : range(total);
    results[name] = compare(analytic[name], centralDifferences(problem, name, entries));
  }
  const maxRelError = Math.max(...PARAM_NAMES.map((name) => results[name].relError));
  const unchecked = PARAM_NAMES.filter((name) => results[name].checked === 0);
  const passed = maxRelError <= threshold && unchecked.length === 0;
  return { eps, threshold, passed, unchecked, maxRelError, params: results };
}

/**
 * The problem gradientCheck and centralDifferenceGradients difference, checked: what
 * gradientCheck's doc comment lists as refused, but the entries option.
 */
function checkedProblem(
  params: Params,
  X: Matrix,
  y: Matrix,
  activationOrName: Activation | ActivationName,
  options: { readonly eps?: number; readonly threshold?: number; readonly l2?: number },
): { problem: Problem; threshold: number } {
  const activation = resolveActivation(activationOrName, "gradientCheck");
  assertInputs(params, X, "gradientCheck");
  assertMatrix(y, "y", "gradientCheck");
  if (y.rows !== X.rows || y.cols !== 1) {
    throw new ShapeError(
      `gradientCheck: y is ${y.rows}×${y.cols} but X is ${X.rows}×${X.cols}: y must be ${X.rows}×1`,
    );
  }
  if (!paramsAreFinite(params)) {
    throw new UsageError("gradientCheck: the parameters contain NaN or ±Infinity");
  }
  assertFinite(X, "X", "gradientCheck");
  const eps = options.eps ?? DEFAULT_EPS;
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  if (!(Number.isFinite(eps) && eps > 0))
    throw new UsageError(`eps must be a finite number > 0, got ${eps}`);
  if (!(Number.isFinite(threshold) && threshold > 0)) {
    throw new UsageError(`threshold must be a finite number > 0, got ${threshold}`);
  }
  const l2 = options.l2 ?? 0;
  assertL2(l2, "gradientCheck");
  return { problem: { params, X, y, activation, eps, l2 }, threshold };
}

/** Every entry's central difference (centralDifferenceGradients' result). */
export interface CentralDifferences {
  /** The step ε used. */
  readonly eps: number;
  /**
   * g_n = (L(θ + ε) − L(θ − ε)) / 2ε for every entry, in the parameters' shapes (dW1 like W1,
   * …); NaN where θ ± ε put a hidden pre-activation on both sides of a kink.
   */
  readonly grads: Grads;
  /** Per parameter, the entries (row-major indices) whose ±ε evaluations crossed a kink. */
  readonly kinks: Record<ParamName, number[]>;
}

/**
 * The central difference of the mean loss (+ the L2 penalty with `options.l2`) for every
 * entry of W1, b1, W2, b2, with gradientCheck's step (ε = `options.eps`, default 1e-5) and
 * kink rule; the numbers gradientCheck compares, one per entry (`handgrad explain` prints
 * them). With `options.entries`, only the listed entries (row-major indices) of the parameters
 * it names are differenced, the others left NaN (the playground checks one entry at a time).
 * Refuses what gradientCheck refuses, and an entry that is not an index of its parameter.
 */
export function centralDifferenceGradients(
  params: Params,
  X: Matrix,
  y: Matrix,
  activationOrName: Activation | ActivationName,
  options: {
    readonly eps?: number;
    readonly l2?: number;
    readonly entries?: Partial<Record<ParamName, readonly number[]>>;
  } = {},
): CentralDifferences {
  const { problem } = checkedProblem(params, X, y, activationOrName, options);
  loss(forward(params, X, problem.activation), y); // refuses labels the head does not take, naming the row
  const shaped = {} as Record<ParamName, Matrix>;
  const kinks = {} as Record<ParamName, number[]>;
  for (const name of PARAM_NAMES) {
    const { rows, cols } = params[name];
    const only = options.entries && (options.entries[name] ?? []);
    for (const e of only ?? []) {
      if (!(Number.isInteger(e) && e >= 0 && e < rows * cols))
        throw new UsageError(`${name} has no entry ${e} (it has ${rows * cols})`);
    }
    const differences = centralDifferences(problem, name, only ?? range(rows * cols));
    const numeric = only ? new Float64Array(rows * cols).fill(NaN) : differences.numeric;
    if (only) only.forEach((index, e) => (numeric[index] = differences.numeric[e]!));
    shaped[name] = matrix(rows, cols, numeric); // every entry, in row-major order
    kinks[name] = Array.from(differences.entries).filter((_, e) => differences.kink[e] === 1);
  }
  const grads = { dW1: shaped.W1, db1: shaped.b1, dW2: shaped.W2, db2: shaped.b2 };
  return { eps: problem.eps, grads, kinks };
}

/** The loss L(θ; X, y) (+ the L2 penalty with λ = l2) whose gradient is checked, and the step ε. */
interface Problem {
  readonly params: Params;
  readonly X: Matrix;
  readonly y: Matrix;
  readonly activation: Activation;
  readonly eps: number;
  readonly l2: number;
}

/** Central differences of some entries of one parameter, and which of them crossed a kink. */
interface Differences {
  readonly entries: ArrayLike<number>;
  readonly numeric: Float64Array; // per entry; NaN for kinks
  readonly kink: Uint8Array; // per entry: 1 when θ ± ε straddles a kink
  readonly total: number;
}

/** g_n = (L(θ + ε) − L(θ − ε)) / 2ε for the given entries of parameter `name`. */
function centralDifferences(
  problem: Problem,
  name: ParamName,
  entries: ArrayLike<number>,
): Differences {
  const { params, X, y, activation, eps, l2 } = problem;
  const perturbed = clone(params[name]);
  const trial: Params = { ...params, [name]: perturbed };
  // Only W1 and b1 move z1, so only they can cross a kink.
  const watchKinks = activation.hasKink && (name === "W1" || name === "b1");
  // The L2 penalty weighs W1 and W2, not the biases.
  const penalised = l2 > 0 && (name === "W1" || name === "W2");
  const numeric = new Float64Array(entries.length).fill(NaN);
  const kink = new Uint8Array(entries.length);
  for (let e = 0; e < entries.length; e++) {
    const index = entries[e] as number;
    const original = perturbed.data[index] as number;
    const plus = original + eps;
    const minus = original - eps;
    if (plus === minus) {
      throw new UsageError(
        `eps ${eps} is below the resolution of ${entryName(name, index, perturbed.cols)} = ${original}: θ ± ε rounds to θ; use a larger eps`,
      );
    }
    perturbed.data[index] = plus;
    const cachePlus = forward(trial, X, activation);
    perturbed.data[index] = minus;
    const cacheMinus = forward(trial, X, activation);
    perturbed.data[index] = original;
    if (watchKinks && crossesKink(cachePlus.z1, cacheMinus.z1)) {
      kink[e] = 1;
      continue;
    }
    const lossPlus = loss(cachePlus, y); // cross-entropy at θ + ε
    const lossMinus = loss(cacheMinus, y); // cross-entropy at θ − ε
    if (!Number.isFinite(lossPlus) || !Number.isFinite(lossMinus)) {
      throw new DataError(
        `the loss at ${entryName(name, index, perturbed.cols)} ± ${eps} is not finite: eps is too large for these weights and features`,
      );
    }
    // The penalty's change: only this entry's term moves, and only for a weight.
    const penaltyChange = penalised ? (l2 / 2) * (plus - minus) * (plus + minus) : 0; // (λ/2)((θ+ε)² − (θ−ε)²)
    // Divide by the step actually taken: (θ + ε) − (θ − ε) is 2ε only up to the rounding of θ ± ε.
    numeric[e] = (lossPlus - lossMinus + penaltyChange) / (plus - minus);
  }
  return { entries, numeric, kink, total: params[name].data.length };
}

/** relError and the worst entry over the entries that crossed no kink. */
function compare(analytic: Matrix, differences: Differences): ParamCheck {
  const { entries, numeric, kink } = differences;
  const exact: number[] = [];
  const approximate: number[] = [];
  for (let e = 0; e < entries.length; e++) {
    if (kink[e]) continue;
    exact.push(analytic.data[entries[e] as number] as number);
    approximate.push(numeric[e] as number);
  }
  const { relError, maxEntryRelError } = entryErrors(exact, approximate);
  return {
    relError,
    maxEntryRelError,
    kinks: entries.length - exact.length,
    checked: exact.length,
    total: differences.total,
  };
}

/** True when some hidden pre-activation is > 0 in one evaluation and ≤ 0 in the other. */
function crossesKink(z1Plus: Matrix, z1Minus: Matrix): boolean {
  const sideChanged = zipWith(z1Plus, z1Minus, (plus, minus) => (plus > 0 !== minus > 0 ? 1 : 0));
  return sumAll(sideChanged) > 0;
}

function range(n: number): Uint32Array {
  return Uint32Array.from({ length: n }, (_, i) => i);
}

/** `count` distinct entries of 0..total−1, chosen by the seeded RNG, in ascending order. */
function sampleEntries(rng: Rng, total: number, count: number): Uint32Array {
  return rng.permutation(total).subarray(0, count).sort();
}
