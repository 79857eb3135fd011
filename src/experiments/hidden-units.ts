/**
 * What the hidden units are doing, measured on a whole data set, and a full-batch gradient
 * descent loop that records it after every step (the `activations` and `dead-relu`
 * experiments share both).
 *
 *   dead unit j        max_n z1[n, j] ≤ 0: f′(z1[:, j]) = 0 for relu on every row, so the
 *                      j-th column of δ1 = (δ2 W2ᵀ) ⊙ f′(z1) is 0 and so are dW1[:, j] and db1[j]
 *   saturated pair     f′(z1[n, j]) < SATURATION · f′(0): the unit passes back less than 1 %
 *                      of its largest possible slope (tanh: |z| > acosh 10 ≈ 2.99;
 *                      σ: |z| > 2 acosh 10 ≈ 5.99)
 */
import { norm, type Matrix } from "../linalg/index.js";
import {
  accuracy,
  backward,
  forward,
  loss,
  type Activation,
  type Cache,
  type Grads,
  type Params,
} from "../nn/index.js";
import { gradientDescentStep } from "../train/index.js";

/** A pair (n, j) is saturated when f′(z1[n, j]) < SATURATION · f′(0). */
export const SATURATION = 0.01;

/** Per hidden unit j: max over the rows n of z1[n, j] (z1 N×H → H values). */
export function maxPreActivation(z1: Matrix): Float64Array {
  const max = new Float64Array(z1.cols).fill(-Infinity);
  for (let n = 0; n < z1.rows; n++) {
    for (let j = 0; j < z1.cols; j++) {
      max[j] = Math.max(max[j]!, z1.data[n * z1.cols + j]!);
    }
  }
  return max;
}

/** The units j with max_n z1[n, j] ≤ 0 (dead under relu: zero output and zero slope on every row). */
export function deadUnits(z1: Matrix): number[] {
  const dead: number[] = [];
  maxPreActivation(z1).forEach((m, j) => {
    if (m <= 0) dead.push(j);
  });
  return dead;
}

/** The share of (row, unit) pairs whose slope f′(z1) is below SATURATION · f′(0). */
export function saturatedFraction(cache: Cache, activation: Activation): number {
  const { z1, a1 } = cache;
  const peak = activation.df(0, activation.f(0));
  let count = 0;
  for (let k = 0; k < z1.data.length; k++) {
    if (activation.df(z1.data[k]!, a1.data[k]!) < SATURATION * peak) count++;
  }
  return z1.data.length === 0 ? 0 : count / z1.data.length;
}

/** Labelled rows: X N×D, y N×1. */
export interface Data {
  readonly X: Matrix;
  readonly y: Matrix;
}

/** The state at one epoch of full-batch descent: params after `epoch` steps. */
export interface Snapshot {
  readonly epoch: number;
  readonly params: Params;
  readonly cache: Cache; // forward pass on the whole training set
  readonly loss: number;
  readonly grads: Grads; // the full-batch gradient, the next step's direction
}

export interface Trajectory {
  /** Loss, accuracy, ‖∇W1‖ and dead units after 0, 1, …, epochs steps (fewer if it diverged). */
  readonly loss: number[];
  readonly accuracy: number[];
  readonly gradNormW1: number[];
  readonly dead: number[][];
  readonly params: Params; // the last finite parameters
  /** The epoch whose loss or step was not finite, or null. */
  readonly divergedAt: number | null;
}

/**
 * Full-batch gradient descent θ ← θ − η ∇L(θ) for `epochs` steps, recording after every step
 * (a step is an epoch here). `onEpoch` sees each snapshot. Stops, without throwing, at the
 * first non-finite loss or parameter.
 */
export function descend(
  initial: Params,
  data: Data,
  activation: Activation,
  learningRate: number,
  epochs: number,
  onEpoch?: (snapshot: Snapshot) => void,
): Trajectory {
  const trajectory: Trajectory = {
    loss: [],
    accuracy: [],
    gradNormW1: [],
    dead: [],
    params: initial,
    divergedAt: null,
  };
  let params = initial;
  for (let epoch = 0; epoch <= epochs; epoch++) {
    const cache = forward(params, data.X, activation);
    const L = loss(cache, data.y);
    if (!Number.isFinite(L)) return { ...trajectory, params, divergedAt: epoch };
    const grads = backward(params, cache, data.X, data.y, activation);
    trajectory.loss.push(L);
    trajectory.accuracy.push(accuracy(cache.p, data.y));
    trajectory.gradNormW1.push(norm(grads.dW1));
    trajectory.dead.push(deadUnits(cache.z1));
    onEpoch?.({ epoch, params, cache, loss: L, grads });
    if (epoch === epochs) break;
    params = gradientDescentStep(params, grads, learningRate);
  }
  return { ...trajectory, params };
}
