/**
 * What an init scheme does to the hidden layer before any training: the measured
 * Var(z1), E[a1²], Var(a1), dead and inactive relu units, saturated tanh units, next to
 * their closed forms. For z1 = X W1 with X's entries independent, mean 0, E[x²] = 1, and
 * W1's entries independent with mean 0 and variance Var(w):
 *
 *   Var(z1) = D · Var(w) · E[x²]          He: Var(w) = 2/D → 2;  Xavier: 2/(D+H) → 2D/(D+H)
 *   relu:  E[a1²] = Var(z1)/2,  Var(a1) = Var(z1)·(1/2 − 1/2π)   (half-normal moments)
 *   tanh:  E[a1²] = E[tanh²(√Var(z1) · Z)], Z ~ N(0, 1)          (by quadrature), Var(a1) = E[a1²]
 *          saturated entries (|a1| > 0.99): P(|z1| > atanh 0.99)
 *   relu:  inactive entries (z1 ≤ 0): 1/2; dead units (z1 ≤ 0 on all N rows): 2^−N each
 *
 * and through a stack of equal-width layers the variance follows v_{l+1} = W · Var(w) · E[f(z_l)²].
 */
import { matrix, type Matrix } from "../linalg/index.js";
import {
  activationByName,
  forward,
  initParams,
  type ActivationName,
  type InitName,
} from "../nn/index.js";
import { exp } from "../numerics/exp.js";
import { tanh } from "../numerics/tanh.js";
import { Rng, streamSeed } from "../rng.js";
import { atanh, square } from "./elementary.js";

/** The sizes of the one-hidden-layer measurement: N rows of D standard-normal features, H units. */
export const LAYER = { N: 256, D: 128, H: 512 } as const;

/** The stacked-layer measurement: N rows, every layer `width` wide, `depth` layers. */
export const STACK = { N: 64, width: 256, depth: 6 } as const;

export const INITS: readonly InitName[] = ["he", "he-uniform", "xavier", "xavier-uniform"];
export const INIT_ACTIVATIONS: readonly ActivationName[] = ["relu", "tanh"];

/** A tanh unit counts as saturated when |a1| > this (tanh′ < 0.02). */
export const SATURATED = 0.99;

/** The variance of each weight of a fanIn×fanOut layer under `init`. */
export function weightVariance(init: InitName, fanIn: number, fanOut: number): number {
  return init === "he" || init === "he-uniform" ? 2 / fanIn : 2 / (fanIn + fanOut);
}

/** E[f(z)²] for z ~ N(0, v): v/2 for relu; for tanh by Simpson's rule on ±12 standard deviations. */
export function meanSquareActivation(activation: ActivationName, v: number): number {
  if (activation === "relu") return v / 2;
  if (activation !== "tanh") throw new Error(`no closed form for ${activation}`);
  const n = 4000; // even; the integrand is smooth, so the error is far below 1e-12
  const h = 24 / n;
  let sum = 0;
  for (let k = 0; k <= n; k++) {
    const t = -12 + k * h;
    const weight = k === 0 || k === n ? 1 : k % 2 === 1 ? 4 : 2;
    sum += weight * square(tanh(Math.sqrt(v) * t)) * exp((-t * t) / 2);
  }
  return ((sum * h) / 3) * (1 / Math.sqrt(2 * Math.PI));
}

/** P(|z| > t) for z ~ N(0, v): twice the normal tail beyond t/√v, by Simpson's rule. */
export function twoSidedTail(t: number, v: number): number {
  const from = t / Math.sqrt(v);
  const n = 4000;
  const h = 12 / n; // the density beyond from + 12 is below e^−72
  let sum = 0;
  for (let k = 0; k <= n; k++) {
    const u = from + k * h;
    const weight = k === 0 || k === n ? 1 : k % 2 === 1 ? 4 : 2;
    sum += weight * exp((-u * u) / 2);
  }
  return (2 * ((sum * h) / 3)) / Math.sqrt(2 * Math.PI);
}

/** Var(f(z)) for z ~ N(0, v): relu v(1/2 − 1/2π); tanh is odd, so its mean is 0. */
export function varianceActivation(activation: ActivationName, v: number): number {
  return activation === "relu"
    ? v * (0.5 - 1 / (2 * Math.PI))
    : meanSquareActivation(activation, v);
}

/** An N×D matrix of independent standard-normal entries. */
export function standardNormal(rng: Rng, N: number, D: number): Matrix {
  return matrix(
    N,
    D,
    Float64Array.from({ length: N * D }, () => rng.normal()),
  );
}

/** Mean and population variance of all entries. */
export function moments(A: Matrix): { mean: number; variance: number; meanSquare: number } {
  const n = A.data.length;
  let sum = 0;
  let sumSq = 0;
  for (const v of A.data) {
    sum += v;
    sumSq += v * v;
  }
  const mean = sum / n;
  const meanSquare = sumSq / n;
  return { mean, variance: meanSquare - mean * mean, meanSquare };
}

/** Units j whose pre-activation is ≤ 0 on every row: max_n z1[n][j] ≤ 0 (relu gives them no gradient). */
export function deadUnits(z1: Matrix): number {
  let dead = 0;
  for (let j = 0; j < z1.cols; j++) {
    let alive = false;
    for (let n = 0; n < z1.rows && !alive; n++) alive = z1.data[n * z1.cols + j]! > 0;
    if (!alive) dead++;
  }
  return dead;
}

/** The fraction of entries satisfying `test`. */
export function fractionOf(A: Matrix, test: (v: number) => boolean): number {
  let count = 0;
  for (const v of A.data) if (test(v)) count++;
  return count / A.data.length;
}

export interface LayerStats {
  readonly init: InitName;
  readonly activation: ActivationName;
  readonly varW: number; // measured over W1's D·H entries
  readonly varWClosed: number;
  readonly varZ1: number;
  readonly varZ1Closed: number;
  readonly meanSquareA1: number;
  readonly meanSquareA1Closed: number;
  readonly varA1: number;
  readonly varA1Closed: number;
  readonly deadUnits: number; // of H
  readonly inactive: number; // fraction of entries with z1 ≤ 0 (relu's zero-gradient entries)
  readonly saturated: number; // fraction of entries with |a1| > SATURATED
  readonly saturatedClosed: number; // P(|z1| > atanh(SATURATED))
}

/** The hidden layer at init for every scheme and activation, on N×D standard-normal X. */
export function layerStats(seed: number): LayerStats[] {
  const { N, D, H } = LAYER;
  const X = standardNormal(new Rng(streamSeed(seed, "data")), N, D);
  const stats: LayerStats[] = [];
  for (const init of INITS) {
    // One weight seed for every scheme (the normal ones differ only by scale) and the same
    // W1 for both activations: only f differs.
    const params = initParams({ inputs: D, hidden: H, init, seed: streamSeed(seed, "init") });
    const varWClosed = weightVariance(init, D, H);
    const varZ1Closed = D * varWClosed; // E[x²] = 1
    for (const activation of INIT_ACTIVATIONS) {
      const { z1, a1 } = forward(params, X, activationByName(activation));
      const a = moments(a1);
      stats.push({
        init,
        activation,
        varW: moments(params.W1).variance,
        varWClosed,
        varZ1: moments(z1).variance,
        varZ1Closed,
        meanSquareA1: a.meanSquare,
        meanSquareA1Closed: meanSquareActivation(activation, varZ1Closed),
        varA1: a.variance,
        varA1Closed: varianceActivation(activation, varZ1Closed),
        deadUnits: deadUnits(z1),
        inactive: fractionOf(z1, (z) => z <= 0),
        saturated: fractionOf(a1, (v) => Math.abs(v) > SATURATED),
        saturatedClosed: twoSidedTail(atanh(SATURATED), varZ1Closed),
      });
    }
  }
  return stats;
}

export interface StackStats {
  readonly init: InitName;
  readonly activation: ActivationName;
  /** Var(z_l) for l = 1 … depth, measured and by the recursion. */
  readonly varZ: readonly number[];
  readonly varZClosed: readonly number[];
}

/** Var(z_l) through `depth` equal-width layers (zero biases), each initialised by `init`. */
export function stackStats(seed: number): StackStats[] {
  const { N, width, depth } = STACK;
  const X = standardNormal(new Rng(streamSeed(seed, "data")), N, width);
  const layerSeeds = (() => {
    const rng = new Rng(streamSeed(seed, "init"));
    return Array.from({ length: depth }, () => rng.nextUint32());
  })();
  const stats: StackStats[] = [];
  for (const init of INITS) {
    for (const activation of INIT_ACTIVATIONS) {
      const f = activationByName(activation);
      const varW = weightVariance(init, width, width);
      const varZ: number[] = [];
      const varZClosed: number[] = [];
      let input = X;
      let meanSquareInput = 1; // E[x²]
      for (let l = 0; l < depth; l++) {
        const params = initParams({
          inputs: width,
          hidden: width,
          init,
          seed: layerSeeds[l]!,
        });
        const { z1, a1 } = forward(params, input, f);
        varZ.push(moments(z1).variance);
        const v = width * varW * meanSquareInput; // v_l = fan_in · Var(w) · E[a_{l−1}²]
        varZClosed.push(v);
        meanSquareInput = meanSquareActivation(activation, v);
        input = a1;
      }
      stats.push({ init, activation, varZ, varZClosed });
    }
  }
  return stats;
}
