/**
 * The update rules, written like network.ts: one line per equation. Each takes the parameters
 * θ, the batch gradient g = ∂L/∂θ (for each of W1, b1, W2, b2) and the rule's state, and
 * returns new parameters and a new state; pure, so the previous ones stay available if a step
 * diverges. The fast stepper (steppers/fast-update.ts) does the same arithmetic in place, entry
 * by entry, with the same operations in the same order: the same bits.
 *
 *   sgd        θ ← θ − η g
 *   momentum   v ← μ v + g,   θ ← θ − η v                     heavy ball, PyTorch's convention
 *   nesterov   v ← μ v + g,   θ ← θ − η (g + μ v)             PyTorch's nesterov=True
 *   adam       m ← β1 m + (1 − β1) g,   v ← β2 v + (1 − β2) g²,
 *              m̂ = m / (1 − β1ᵗ),   v̂ = v / (1 − β2ᵗ),   θ ← θ − η m̂ / (√v̂ + ε)
 *                                                             Kingma & Ba 2015, Algorithm 1
 *
 * with v₀ = m₀ = 0 and t the number of updates so far, this one included. The learning rate η
 * is the schedule's at this step (schedules.ts). `clipByGlobalNorm` rescales the gradient
 * first when asked (g ← (c/‖g‖) g when ‖g‖ > c, the norm over all four gradients at once).
 */
import { ShapeError, UsageError } from "../errors.js";
import {
  assertMatrix,
  describeValue,
  filled,
  map,
  scale,
  shapeOf,
  subScaled,
  zipWith,
  type Matrix,
} from "../linalg/index.js";
import { assertParams, PARAM_NAMES, type Grads, type ParamName, type Params } from "../nn/index.js";
import { expm1 } from "../numerics/expm1.js";
import { log } from "../numerics/log.js";

/** The update rules: plain gradient descent, heavy-ball momentum, Nesterov momentum, Adam. */
export type OptimizerName = "sgd" | "momentum" | "nesterov" | "adam";
export const OPTIMIZER_NAMES: readonly OptimizerName[] = ["sgd", "momentum", "nesterov", "adam"];

/** The defaults of the hyper-parameters (PyTorch's and the Adam paper's). */
export const DEFAULT_OPTIMIZER: OptimizerName = "sgd";
export const DEFAULT_MOMENTUM = 0.9;
export const DEFAULT_BETA1 = 0.9;
export const DEFAULT_BETA2 = 0.999;
export const DEFAULT_ADAM_EPS = 1e-8;

/** An update rule and its hyper-parameters, checked (see optimizerSettings). */
export interface OptimizerSettings {
  /** The update rule. */
  readonly name: OptimizerName;
  /** μ ∈ [0, 1) (momentum, nesterov). */
  readonly momentum: number;
  /** β1 ∈ [0, 1) (adam). */
  readonly beta1: number;
  /** β2 ∈ [0, 1) (adam). */
  readonly beta2: number;
  /** ε > 0 (adam). */
  readonly eps: number;
}

/**
 * The state an update rule carries from step to step, one matrix per parameter (the shapes of
 * W1, b1, W2, b2, under their names): none for sgd, the velocity v for momentum and nesterov,
 * the moment estimates m, v and the update count t for adam.
 */
export type OptimizerState =
  | {
      /** Plain gradient descent keeps no state besides θ. */
      readonly name: "sgd";
    }
  | {
      /** Momentum or Nesterov momentum. */
      readonly name: "momentum" | "nesterov";
      /** The velocity v, one matrix per parameter (v₀ = 0). */
      readonly velocity: Params;
    }
  | {
      /** Adam. */
      readonly name: "adam";
      /** The steps taken, for the bias corrections 1 − β1ᵗ and 1 − β2ᵗ. */
      readonly t: number;
      /** The first moment m, one matrix per parameter. */
      readonly m: Params;
      /** The second moment v (of g²), one matrix per parameter. */
      readonly v: Params;
    };

/**
 * A moment of an update rule's state: the velocity v (momentum, nesterov), or Adam's first
 * moment m and second moment v.
 */
export type MomentName = "velocity" | "m" | "v";

/**
 * The moment of `state` holding a NaN or ±Infinity, or undefined when all are finite. Adam's v
 * is named before m: it overflows first (g² exceeds float64 from |g| > 1.3e154, m only near
 * |g| ~ 1.8e308). Such a state is divergence: an infinite v makes every later update 0 (m/∞)
 * while θ stays finite, so nothing else would say the run had stopped learning.
 */
export function nonFiniteMoment(state: OptimizerState): MomentName | undefined {
  switch (state.name) {
    case "sgd":
      return undefined;
    case "momentum":
    case "nesterov":
      return allFinite(state.velocity) ? undefined : "velocity";
    case "adam":
      return !allFinite(state.v) ? "v" : !allFinite(state.m) ? "m" : undefined;
  }
}

/** What overflowed, for the divergence message: "adam's second moment v overflowed (…)". */
export function momentOverflowText(optimizer: OptimizerName, moment: MomentName): string {
  switch (moment) {
    case "velocity":
      return `${optimizer}'s velocity v overflowed (μ v + g exceeds float64)`;
    case "m":
      return `${optimizer}'s first moment m overflowed (β1 m + (1 − β1) g exceeds float64)`;
    case "v":
      return `${optimizer}'s second moment v overflowed (the gradient's square exceeds float64)`;
  }
}

/** True when every entry of the four matrices is finite (x − x is NaN for ±∞ and NaN). */
function allFinite(p: Params): boolean {
  let check = 0;
  for (const name of PARAM_NAMES) {
    const values = p[name].data;
    for (let i = 0; i < values.length; i++) check += values[i]! - values[i]!;
  }
  return check === 0;
}

/** The hyper-parameters the options ask for, after their checks (one line each when refused). */
export function optimizerSettings(options: {
  readonly optimizer?: OptimizerName;
  readonly momentum?: number;
  readonly beta1?: number;
  readonly beta2?: number;
  readonly adamEps?: number;
}): OptimizerSettings {
  const name = options.optimizer ?? DEFAULT_OPTIMIZER;
  if (!OPTIMIZER_NAMES.includes(name)) {
    throw new UsageError(
      `unknown optimizer "${String(name)}" (known: ${OPTIMIZER_NAMES.join(", ")})`,
    );
  }
  const momentum = options.momentum ?? DEFAULT_MOMENTUM;
  const beta1 = options.beta1 ?? DEFAULT_BETA1;
  const beta2 = options.beta2 ?? DEFAULT_BETA2;
  const eps = options.adamEps ?? DEFAULT_ADAM_EPS;
  // μ ≥ 1 would let the velocity grow without bound (v_t = Σ μ^k g_{t−k}); μ < 0 flips its sign.
  assertInUnitInterval(momentum, "momentum μ");
  assertInUnitInterval(beta1, "beta1");
  assertInUnitInterval(beta2, "beta2");
  if (!(typeof eps === "number" && Number.isFinite(eps) && eps > 0)) {
    throw new UsageError(`adamEps must be a finite number > 0, got ${String(eps)}`);
  }
  return { name, momentum, beta1, beta2, eps };
}

/** A UsageError unless 0 ≤ value < 1. */
function assertInUnitInterval(value: number, what: string): void {
  if (!(typeof value === "number" && value >= 0 && value < 1)) {
    throw new UsageError(`${what} must be a number in [0, 1), got ${String(value)}`);
  }
}

/** The state before the first update: zero moments of the parameters' shapes (v₀ = m₀ = 0). */
export function initialOptimizerState(name: OptimizerName, params: Params): OptimizerState {
  switch (name) {
    case "sgd":
      return { name };
    case "momentum":
    case "nesterov":
      return { name, velocity: zerosLike(params) };
    case "adam":
      return { name, t: 0, m: zerosLike(params), v: zerosLike(params) };
  }
}

/**
 * One update of `params` by the rule of `settings` with learning rate η and batch gradient
 * `grads`, from `state` (the rule's own; initialOptimizerState for the first step).
 */
export function optimizerStep(
  params: Params,
  grads: Grads,
  state: OptimizerState,
  learningRate: number,
  settings: OptimizerSettings,
): { readonly params: Params; readonly state: OptimizerState } {
  switch (state.name) {
    case "sgd":
      return { params: sgdStep(params, grads, learningRate), state };
    case "momentum":
    case "nesterov": {
      const nesterov = state.name === "nesterov";
      return momentumStep(params, grads, state.velocity, learningRate, settings.momentum, nesterov);
    }
    case "adam":
      return adamStep(params, grads, state, learningRate, settings);
  }
}

/** Gradient descent: θ ← θ − η g. */
function sgdStep(params: Params, grads: Grads, eta: number): Params {
  return eachParam((name) => subScaled(params[name], eta, grads[`d${name}`])); // θ ← θ − η g
}

/**
 * One step of gradient descent with learning rate η, for a user's own loop: new parameters
 * θ − η ∂L/∂θ. Refuses params that are not four Matrices of a network, gradients that are not
 * Matrices of the parameters' shapes (ShapeError; UsageError for another kind of value) and a
 * learning rate that is not a finite number (UsageError).
 */
export function gradientDescentStep(params: Params, grads: Grads, learningRate: number): Params {
  assertParams(params, "gradientDescentStep");
  if (typeof grads !== "object" || grads === null) {
    throw new UsageError(
      `gradientDescentStep: grads must be an object {dW1, db1, dW2, db2}, got ${describeValue(grads)}`,
    );
  }
  for (const name of PARAM_NAMES) {
    const g = grads[`d${name}`];
    assertMatrix(g, `grads.d${name}`, "gradientDescentStep");
    if (g.rows !== params[name].rows || g.cols !== params[name].cols) {
      throw new ShapeError(
        `gradientDescentStep: d${name} is ${shapeOf(g)} but ${name} is ${shapeOf(params[name])}`,
      );
    }
  }
  if (typeof learningRate !== "number" || !Number.isFinite(learningRate)) {
    throw new UsageError(
      `gradientDescentStep: the learning rate must be a finite number, got ${describeValue(learningRate)}`,
    );
  }
  return sgdStep(params, grads, learningRate);
}

/**
 * Heavy-ball momentum (PyTorch's form: η multiplies v, not g): v ← μ v + g, θ ← θ − η v; with
 * `nesterov`, the step looks ahead along the new velocity: θ ← θ − η (g + μ v).
 */
function momentumStep(
  params: Params,
  grads: Grads,
  velocity: Params,
  eta: number,
  mu: number,
  nesterov: boolean,
): { params: Params; state: OptimizerState } {
  const v = eachParam((name) => zipWith(velocity[name], grads[`d${name}`], (v, g) => mu * v + g)); // v ← μ v + g
  const direction = nesterov
    ? eachParam((name) => zipWith(grads[`d${name}`], v[name], (g, v) => g + mu * v)) // d = g + μ v
    : v; // d = v
  const next = eachParam((name) => subScaled(params[name], eta, direction[name])); // θ ← θ − η d
  return { params: next, state: { name: nesterov ? "nesterov" : "momentum", velocity: v } };
}

/** Adam: bias-corrected moment estimates, θ ← θ − η m̂ / (√v̂ + ε). */
function adamStep(
  params: Params,
  grads: Grads,
  state: { readonly t: number; readonly m: Params; readonly v: Params },
  eta: number,
  { beta1, beta2, eps }: OptimizerSettings,
): { params: Params; state: OptimizerState } {
  const t = state.t + 1; // this update's number, from 1
  const towardG = (m: number, g: number): number => beta1 * m + (1 - beta1) * g;
  const towardG2 = (v: number, g: number): number => beta2 * v + (1 - beta2) * g * g;
  const m = eachParam((n) => zipWith(state.m[n], grads[`d${n}`], towardG)); // m ← β1 m + (1 − β1) g
  const v = eachParam((n) => zipWith(state.v[n], grads[`d${n}`], towardG2)); // v ← β2 v + (1 − β2) g²
  const { mHat, vHat } = adamBiasCorrected({ t, m, v }, { beta1, beta2 }); // m̂ = m/(1 − β1ᵗ), v̂ = v/(1 − β2ᵗ)
  const ratio = (mh: number, vh: number): number => mh / (Math.sqrt(vh) + eps);
  const direction = eachParam((n) => zipWith(mHat[n], vHat[n], ratio)); // m̂ / (√v̂ + ε)
  const next = eachParam((n) => subScaled(params[n], eta, direction[n])); // θ ← θ − η m̂ / (√v̂ + ε)
  return { params: next, state: { name: "adam", t, m, v } };
}

/**
 * Adam's bias-corrected moments of update t, m̂ = m / (1 − β1ᵗ) and v̂ = v / (1 − β2ᵗ), from
 * the moments m, v after that update (adamStep divides by them; the playground shows them).
 */
export function adamBiasCorrected(
  moments: { readonly t: number; readonly m: Params; readonly v: Params },
  { beta1, beta2 }: Pick<OptimizerSettings, "beta1" | "beta2">,
): { readonly mHat: Params; readonly vHat: Params } {
  const [c1, c2] = adamCorrections(beta1, beta2, moments.t); // 1 − β1ᵗ, 1 − β2ᵗ
  return {
    mHat: eachParam((n) => map(moments.m[n], (m) => m / c1)), // m̂ = m / (1 − β1ᵗ)
    vHat: eachParam((n) => map(moments.v[n], (v) => v / c2)), // v̂ = v / (1 − β2ᵗ)
  };
}

/**
 * One training update as the plain stepper takes it (the fast stepper does the same in place):
 * the gradient clipped to global norm c first when c > 0 (clipByGlobalNorm), then the rule's
 * step (optimizerStep). Also returns the gradient the rule was given (the clipped one).
 */
export function trainingUpdate(
  params: Params,
  grads: Grads,
  state: OptimizerState,
  learningRate: number,
  settings: OptimizerSettings,
  clipNorm: number,
): { readonly params: Params; readonly state: OptimizerState; readonly grads: Grads } {
  const g = clipNorm > 0 ? clipByGlobalNorm(grads, clipNorm) : grads; // ‖g‖ ≤ c
  return { ...optimizerStep(params, g, state, learningRate, settings), grads: g }; // θ ← θ − η·(the rule's direction)
}

/**
 * Adam's bias corrections 1 − β1ᵗ and 1 − β2ᵗ at update t (both paths call this), each as
 * 1 − βᵗ = −expm1(t log β): handgrad's own log and expm1 (numerics/), so every engine gives the
 * same bits (`β ** t` is left to each engine by ECMAScript, even for integer t), and no power
 * near 1 is rounded before the subtraction (1 − 0.999ᵗ would lose three digits to it in the
 * first steps). Within a few ulp: the rounding of t log β changes 1 − βᵗ by a relative
 * |y|e^y/(1 − e^y)·2^{−52} ≤ 2^{−52} (y = t log β < 0), and log and expm1 add under 1.2 ulp.
 * β = 0 gives log β = −∞ and the correction 1.
 */
export function adamCorrections(beta1: number, beta2: number, t: number): [number, number] {
  return [-expm1(t * log(beta1)), -expm1(t * log(beta2))];
}

/**
 * The gradient rescaled to global norm c when its norm is above c: g ← (c/‖g‖) g with
 * ‖g‖ = √(Σ g²) over every entry of dW1, db1, dW2, db2 (Pascanu et al. 2013). Unchanged
 * (the same object) when ‖g‖ ≤ c.
 */
export function clipByGlobalNorm(grads: Grads, c: number): Grads {
  const norm = globalNorm(PARAM_NAMES.map((name) => grads[`d${name}`].data)); // ‖g‖
  if (!(norm > c)) return grads;
  const s = c / norm; // c/‖g‖ < 1
  return {
    dW1: scale(grads.dW1, s), // g ← (c/‖g‖) g
    db1: scale(grads.db1, s),
    dW2: scale(grads.dW2, s),
    db2: scale(grads.db2, s),
  };
}

/**
 * √(Σ x²) over every entry of the arrays, in order, scaled by max |x| so that squares neither
 * overflow nor underflow (as linalg's norm): largest · √(Σ (x/largest)²). NaN if any x is NaN.
 */
export function globalNorm(parts: readonly ArrayLike<number>[]): number {
  let largest = 0;
  for (const part of parts) {
    for (let i = 0; i < part.length; i++) {
      const x = part[i]!;
      if (Number.isNaN(x)) return NaN;
      largest = Math.max(largest, Math.abs(x));
    }
  }
  if (largest === 0 || !Number.isFinite(largest)) return largest;
  let s = 0;
  for (const part of parts) {
    for (let i = 0; i < part.length; i++) {
      const r = part[i]! / largest;
      s += r * r;
    }
  }
  return largest * Math.sqrt(s);
}

/** The four parameters built by `make`, one per name. */
function eachParam(make: (name: ParamName) => Matrix): Params {
  return { W1: make("W1"), b1: make("b1"), W2: make("W2"), b2: make("b2") };
}

/** Zero matrices of the parameters' shapes. */
function zerosLike(params: Params): Params {
  return eachParam((name) => filled(params[name].rows, params[name].cols, 0));
}
