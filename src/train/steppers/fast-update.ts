/**
 * The fast stepper's update rules: optimizers.ts's equations in place, entry by entry, on the
 * parameters' flat buffers, with the same operations in the same order as the whole-matrix
 * lines there (so the same bits), and the global-norm clip on the gradient buffers. The
 * moments live in ordinary Float64Arrays (only these loops read them), allocated once, or, with
 * a fused step's update kernels (UpdateKernels: the same rules in WebAssembly, kernels.wat), in
 * the backend's memory, where those kernels update them.
 */
import {
  matrix,
  UPDATE_FIRST_MOMENT_NOT_FINITE,
  UPDATE_PARAMS_NOT_FINITE,
  UPDATE_SECOND_MOMENT_NOT_FINITE,
  type BoundStep,
} from "../../linalg/index.js";
import type { ParamBuffers, Params } from "../../nn/index.js";
import {
  adamCorrections,
  globalNorm,
  type MomentName,
  type OptimizerSettings,
  type OptimizerState,
} from "../optimizers.js";

const PARAM_KEYS = ["W1", "b1", "W2", "b2"] as const;

/** The sizes of a D→H→K network (a Workspace has them). */
interface NetworkSizes {
  readonly D: number;
  readonly H: number;
  readonly K: number;
}

/** The rule's moment buffers: [] (sgd), [v] (momentum, nesterov) or [m, v] (adam). */
type Moments = readonly ParamBuffers[];

/**
 * The update rules as kernels bound to the stepper's parameters, gradients and moments (a fused
 * step's, Backend.step): `moments` are the buffers they update. Plain SGD's alone (no moments;
 * Backend.step.bindUpdate, for runs the fused step does not take) has no momentum or adam.
 */
export type UpdateKernels = Pick<BoundStep, "moments" | "descend"> &
  Partial<Pick<BoundStep, "momentum" | "adam">>;

export class InPlaceUpdate {
  private readonly settings: OptimizerSettings;
  private readonly moments: Moments;
  private readonly goodMoments: Moments;
  private t: number;
  private goodT: number;
  private readonly kernels: UpdateKernels | undefined;
  /**
   * The moment the last update() left non-finite (v before m, as optimizers.ts's
   * nonFiniteMoment), or undefined.
   */
  overflowed: MomentName | undefined;

  /**
   * From the state with the current parameters and the one with the last good ones (copied),
   * or, for a fresh run (undefined), zero moments for a network of `shapes`' sizes. With
   * `kernels` (their moment sets as many as the rule's), the current moments are the kernels'
   * buffers and update() runs the kernels, whose parameters and gradients must then be the
   * ones update() is given.
   */
  constructor(
    settings: OptimizerSettings,
    state: OptimizerState | undefined,
    good: OptimizerState | undefined,
    shapes: Params,
    kernels?: UpdateKernels,
  ) {
    this.settings = settings;
    const sets = OPTIMIZER_MOMENT_SETS[settings.name];
    if (kernels && kernels.moments.length !== sets) {
      throw new Error(`InPlaceUpdate: ${settings.name} needs ${sets} moment sets in its kernels`);
    }
    this.kernels = kernels;
    if (kernels) {
      this.moments = kernels.moments; // zeroed by the backend
      if (state) momentsOf(state).forEach((m, i) => copyInto(fromParams(m), this.moments[i]!));
    } else {
      this.moments = state ? momentsOf(state).map(copyOf) : zeros(sets, shapes);
    }
    this.goodMoments = good ? momentsOf(good).map(copyOf) : zeros(sets, shapes);
    this.t = state?.name === "adam" ? state.t : 0;
    this.goodT = good?.name === "adam" ? good.t : 0;
  }

  /** θ ← the rule's update of θ with gradient g and rate η, in place; false if a new θ is not finite. */
  update(params: ParamBuffers, grads: ParamBuffers, learningRate: number): boolean {
    const { name, momentum: mu } = this.settings;
    const { moments, kernels } = this;
    this.overflowed = undefined;
    let checks: UpdateChecks;
    switch (name) {
      case "sgd":
        return kernels ? kernels.descend(learningRate) : descend(params, grads, learningRate);
      case "momentum":
      case "nesterov": {
        const nesterov = name === "nesterov";
        checks = kernels?.momentum
          ? fromFlags(kernels.momentum(learningRate, mu, nesterov))
          : momentum(params, grads, moments[0]!, learningRate, mu, nesterov);
        if (checks.moment !== 0) this.overflowed = "velocity";
        return checks.params === 0;
      }
      case "adam": {
        this.t++;
        const { beta1, beta2, eps } = this.settings;
        const [c1, c2] = adamCorrections(beta1, beta2, this.t); // 1 − β1ᵗ, 1 − β2ᵗ
        checks = kernels?.adam
          ? fromFlags(kernels.adam(learningRate, beta1, beta2, eps, c1, c2))
          : adam(params, grads, moments[0]!, moments[1]!, learningRate, this.settings, c1, c2);
        if (checks.secondMoment !== 0) this.overflowed = "v";
        else if (checks.moment !== 0) this.overflowed = "m";
        return checks.params === 0;
      }
    }
  }

  /** The state now, as matrices of the parameters' shapes (copies) for a D→H→K network. */
  state(sizes: NetworkSizes): OptimizerState {
    return stateOf(this.settings.name, this.moments, this.t, sizes);
  }

  /** Keeps a copy of the state as the last good one (with the stepper's keep()). */
  keep(): void {
    this.moments.forEach((m, i) => copyInto(m, this.goodMoments[i]!));
    this.goodT = this.t;
  }

  /** The state keep() last kept. */
  kept(sizes: NetworkSizes): OptimizerState {
    return stateOf(this.settings.name, this.goodMoments, this.goodT, sizes);
  }
}

/**
 * g ← (c/‖g‖) g on the four gradient buffers when ‖g‖ > c (optimizers.ts's clipByGlobalNorm:
 * the same norm, the same s · g).
 */
export function clipInPlace(grads: ParamBuffers, c: number): void {
  const norm = globalNorm(PARAM_KEYS.map((name) => grads[name])); // ‖g‖
  if (!(norm > c)) return;
  const s = c / norm;
  for (const name of PARAM_KEYS) {
    const g = grads[name];
    for (let i = 0; i < g.length; i++) g[i] = s * g[i]!; // g ← (c/‖g‖) g
  }
}

/**
 * Sums of x − x over the new parameters and moments: 0 while every one is finite (NaN for
 * ±∞ and NaN). `moment` is the velocity's or Adam's m, `secondMoment` Adam's v.
 */
interface UpdateChecks {
  readonly params: number;
  readonly moment: number;
  readonly secondMoment: number;
}

/** θ ← θ − η g for the four parameters in place; false if any new entry is not finite. */
function descend(params: ParamBuffers, grads: ParamBuffers, eta: number): boolean {
  let check = 0; // stays 0 while every θ is finite (x − x is NaN for ±∞ and NaN)
  for (const name of PARAM_KEYS) {
    const theta = params[name];
    const g = grads[name];
    for (let i = 0; i < theta.length; i++) {
      const next = theta[i]! - eta * g[i]!; // θ ← θ − η g
      theta[i] = next;
      check += next - next;
    }
  }
  return check === 0;
}

/** v ← μ v + g, then θ ← θ − η v (heavy ball) or θ ← θ − η (g + μ v) (nesterov). */
function momentum(
  params: ParamBuffers,
  grads: ParamBuffers,
  velocity: ParamBuffers,
  eta: number,
  mu: number,
  nesterov: boolean,
): UpdateChecks {
  let check = 0;
  let vCheck = 0;
  for (const name of PARAM_KEYS) {
    const [theta, g, v] = [params[name], grads[name], velocity[name]];
    for (let i = 0; i < theta.length; i++) {
      const gi = g[i]!;
      const vi = mu * v[i]! + gi; // v ← μ v + g
      v[i] = vi;
      vCheck += vi - vi;
      const d = nesterov ? gi + mu * vi : vi; // d = g + μ v (nesterov), d = v (heavy ball)
      const next = theta[i]! - eta * d; // θ ← θ − η d
      theta[i] = next;
      check += next - next;
    }
  }
  return { params: check, moment: vCheck, secondMoment: 0 };
}

/**
 * m ← β1 m + (1 − β1) g, v ← β2 v + (1 − β2) g², θ ← θ − η m̂ / (√v̂ + ε), with the bias
 * corrections c1 = 1 − β1ᵗ and c2 = 1 − β2ᵗ of this update.
 */
function adam(
  params: ParamBuffers,
  grads: ParamBuffers,
  m: ParamBuffers,
  v: ParamBuffers,
  eta: number,
  { beta1, beta2, eps }: OptimizerSettings,
  c1: number,
  c2: number,
): UpdateChecks {
  let check = 0;
  let mCheck = 0;
  let vCheck = 0;
  for (const name of PARAM_KEYS) {
    const [theta, g, mp, vp] = [params[name], grads[name], m[name], v[name]];
    for (let i = 0; i < theta.length; i++) {
      const gi = g[i]!;
      const mi = beta1 * mp[i]! + (1 - beta1) * gi; // m ← β1 m + (1 − β1) g
      const vi = beta2 * vp[i]! + (1 - beta2) * gi * gi; // v ← β2 v + (1 − β2) g²
      mp[i] = mi;
      vp[i] = vi;
      mCheck += mi - mi;
      vCheck += vi - vi;
      const next = theta[i]! - eta * (mi / c1 / (Math.sqrt(vi / c2) + eps)); // θ ← θ − η m̂/(√v̂ + ε)
      theta[i] = next;
      check += next - next;
    }
  }
  return { params: check, moment: mCheck, secondMoment: vCheck };
}

/** The checks of UpdateKernels' flags (a non-zero entry: some new value is not finite). */
function fromFlags(flags: number): UpdateChecks {
  return {
    params: flags & UPDATE_PARAMS_NOT_FINITE,
    moment: flags & UPDATE_FIRST_MOMENT_NOT_FINITE,
    secondMoment: flags & UPDATE_SECOND_MOMENT_NOT_FINITE,
  };
}

/** The moment sets of each rule: none, v, or m and v. */
export const OPTIMIZER_MOMENT_SETS: Readonly<Record<OptimizerSettings["name"], number>> = {
  sgd: 0,
  momentum: 1,
  nesterov: 1,
  adam: 2,
};

/** `sets` zero moment sets of the parameters' sizes (fresh Float64Arrays are zeros). */
function zeros(sets: number, shapes: Params): ParamBuffers[] {
  const make = (): ParamBuffers => ({
    W1: new Float64Array(shapes.W1.data.length),
    b1: new Float64Array(shapes.b1.data.length),
    W2: new Float64Array(shapes.W2.data.length),
    b2: new Float64Array(shapes.b2.data.length),
  });
  return Array.from({ length: sets }, make);
}

function momentsOf(state: OptimizerState): Params[] {
  switch (state.name) {
    case "sgd":
      return [];
    case "momentum":
    case "nesterov":
      return [state.velocity];
    case "adam":
      return [state.m, state.v];
  }
}

function fromParams(p: Params): ParamBuffers {
  return { W1: p.W1.data, b1: p.b1.data, W2: p.W2.data, b2: p.b2.data };
}

function copyOf(p: Params): ParamBuffers {
  return {
    W1: p.W1.data.slice(),
    b1: p.b1.data.slice(),
    W2: p.W2.data.slice(),
    b2: p.b2.data.slice(),
  };
}

function copyInto(from: ParamBuffers, to: ParamBuffers): void {
  for (const name of PARAM_KEYS) to[name].set(from[name]);
}

function stateOf(
  name: OptimizerSettings["name"],
  moments: Moments,
  t: number,
  { D, H, K }: NetworkSizes,
): OptimizerState {
  const asParams = (b: ParamBuffers): Params => ({
    W1: matrix(D, H, b.W1.slice()),
    b1: matrix(1, H, b.b1.slice()),
    W2: matrix(H, K, b.W2.slice()),
    b2: matrix(1, K, b.b2.slice()),
  });
  switch (name) {
    case "sgd":
      return { name };
    case "momentum":
    case "nesterov":
      return { name, velocity: asParams(moments[0]!) };
    case "adam":
      return { name, t, m: asParams(moments[0]!), v: asParams(moments[1]!) };
  }
}
