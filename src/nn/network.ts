/**
 * The network, forward and backward, written as whole-matrix operations (see the README,
 * "How the numbers are kept honest", for the chain rule behind each line):
 *
 *   z1 = X W1 + b1      N×H
 *   a1 = f(z1)          N×H
 *   z2 = a1 W2 + b2     N×K
 *   p  = σ(z2)          N×1   (K = 1, the sigmoid head)   or   P = softmax(z2)   N×K (K ≥ 2)
 *   L  = (1/N) Σ_n ℓ(z2_n, y_n),   ℓ(z, y) = softplus(z) − y z   or   logSumExp(z) − z_y
 *
 * With an L2 penalty λ ≥ 0 (optional; λ = 0 leaves every number as without it) the loss is
 * L + (λ/2)(‖W1‖² + ‖W2‖²), biases not penalised, and backward adds λ W to each weight's gradient.
 *
 * The width K of W2 picks the output head (heads.ts); y is N×1 either way.
 */
import { DataError, ShapeError, UsageError } from "../errors.js";
import {
  addRow,
  assertAllFinite,
  assertFinite,
  assertMatrix,
  describeValue,
  colSums,
  hadamard,
  map,
  matmul,
  matmulTransA,
  matmulTransB,
  scale,
  shapeOf,
  sumAll,
  zipWith,
  type Matrix,
} from "../linalg/index.js";
import { resolveActivation, type Activation, type ActivationName } from "./activations.js";
import { assertClassLabels, outputHeadFor } from "./heads.js";
import { assertParams, type Grads, type Params } from "./params.js";

/** The forward pass's intermediates, kept for the backward pass. */
export interface Cache {
  /** N×H, the hidden pre-activations X W1 + b1. */
  readonly z1: Matrix;
  /** N×H, the hidden activations f(z1). */
  readonly a1: Matrix;
  /** N×K, the output logits a1 W2 + b2. */
  readonly z2: Matrix;
  /** N×K, the probabilities: σ(z2) (K = 1) or softmax(z2) per row (K ≥ 2). */
  readonly p: Matrix;
}

/**
 * The forward pass on the N×D batch X, with the activation f given as an Activation or by
 * its name ("tanh"). Refuses params that are not four Matrices of a D→H→K network and an X
 * that is not a Matrix with D columns (ShapeError, or UsageError for another kind of value),
 * and an unknown activation (UsageError). Non-finite features are not refused here (they give
 * NaN, as IEEE arithmetic does; train and gradientCheck refuse them by row and column).
 */
export function forward(
  params: Params,
  X: Matrix,
  activationOrName: Activation | ActivationName,
): Cache {
  assertInputs(params, X, "forward");
  const activation = resolveActivation(activationOrName, "forward");
  const { W1, b1, W2, b2 } = params;
  const z1 = addRow(matmul(X, W1), b1); // N×H, z1 = X W1 + b1
  const a1 = map(z1, activation.f); // N×H, a1 = f(z1)
  const z2 = addRow(matmul(a1, W2), b2); // N×K, z2 = a1 W2 + b2
  const p = outputHeadFor(W2.cols).probabilities(z2); // N×K, p = σ(z2) or softmax(z2)
  return { z1, a1, z2, p };
}

/**
 * The mean loss L of the cached logits against the N×1 labels y: binary cross-entropy for
 * one logit, softmax cross-entropy for K ≥ 2. Refuses a cache or y that is not made of
 * Matrices (UsageError), y of another shape than N×1 (ShapeError), and labels the head does
 * not take (DataError): outside [0, 1] for one logit (soft labels are allowed), not a class
 * index 0..K−1 for K.
 */
export function loss(cache: Cache, y: Matrix): number {
  assertCache(cache, "loss", ["z2"]);
  assertMatrix(y, "y", "loss");
  return outputHeadFor(cache.z2.cols).loss(cache.z2, y);
}

/**
 * Forward pass and loss in one call: L(params; X, y), the activation given as an Activation
 * or by its name, plus the L2 penalty (λ/2)(‖W1‖² + ‖W2‖²) when l2 = λ > 0. Refuses what
 * forward and loss refuse.
 */
export function lossAt(
  params: Params,
  X: Matrix,
  y: Matrix,
  activation: Activation | ActivationName,
  l2 = 0,
): number {
  const L = loss(forward(params, X, activation), y);
  return l2 === 0 ? L : L + l2Penalty(params, l2); // L + (λ/2)(‖W1‖² + ‖W2‖²)
}

/**
 * The L2 penalty (λ/2)(‖W1‖² + ‖W2‖²) on the weights (biases are not penalised), each sum of
 * squares over the entries in row-major order (the fast path sums the same way); 0 for λ = 0.
 */
export function l2Penalty(params: Pick<Params, "W1" | "W2">, l2: number): number {
  if (l2 === 0) return 0;
  return weightPenalty(params.W1.data, params.W2.data, l2);
}

/** (λ/2)(Σ W1² + Σ W2²) over the two weight buffers, entries in order: l2Penalty's arithmetic. */
export function weightPenalty(W1: ArrayLike<number>, W2: ArrayLike<number>, l2: number): number {
  let squares = 0; // ‖W1‖² + ‖W2‖²
  for (let i = 0; i < W1.length; i++) squares += W1[i]! * W1[i]!;
  for (let i = 0; i < W2.length; i++) squares += W2[i]! * W2[i]!;
  return (l2 / 2) * squares; // (λ/2)(‖W1‖² + ‖W2‖²)
}

/**
 * The gradients of the mean loss L with respect to W1, b1, W2, b2, by the chain rule, the
 * activation given as an Activation or by its name; with `l2` = λ > 0 (optional, default 0),
 * of the penalised loss L + (λ/2)(‖W1‖² + ‖W2‖²), whose weight gradients gain λ W. Refuses
 * what forward refuses, a cache that is not forward's on these params and X (ShapeError), y of
 * another shape than N×1 (ShapeError), labels the head does not take (DataError, see loss),
 * and an l2 that is not a finite number ≥ 0 (UsageError).
 */
export function backward(
  params: Params,
  cache: Cache,
  X: Matrix,
  y: Matrix,
  activationOrName: Activation | ActivationName,
  l2 = 0,
): Grads {
  const { dW1, db1, dW2, db2 } = backwardSteps(params, cache, X, y, activationOrName, l2);
  return { dW1, db1, dW2, db2 };
}

/**
 * The backward pass's intermediates as well as the four gradients: what backward computes,
 * step by step, in the derivation's order (docs/derivation.md §3; `handgrad explain` prints
 * them).
 */
export interface BackwardSteps {
  /** N×K, δ2 = ∂L/∂z2 = (P − Y)/N. */
  readonly dz2: Matrix;
  /** H×K, ∂L/∂W2 = a1ᵀ δ2 (+ λ W2 with the L2 penalty). */
  readonly dW2: Matrix;
  /** 1×K, ∂L/∂b2 = Σ_n δ2. */
  readonly db2: Matrix;
  /** N×H, ∂L/∂a1 = δ2 W2ᵀ. */
  readonly da1: Matrix;
  /** N×H, δ1 = ∂L/∂z1 = (δ2 W2ᵀ) ⊙ f′(z1). */
  readonly dz1: Matrix;
  /** D×H, ∂L/∂W1 = Xᵀ δ1 (+ λ W1 with the L2 penalty). */
  readonly dW1: Matrix;
  /** 1×H, ∂L/∂b1 = Σ_n δ1. */
  readonly db1: Matrix;
}

/**
 * backward's arithmetic, returning every intermediate (δ2, ∂L/∂a1, δ1) beside the gradients;
 * the same arguments, refusals and bits as backward, which returns the gradients of this.
 */
export function backwardSteps(
  params: Params,
  cache: Cache,
  X: Matrix,
  y: Matrix,
  activationOrName: Activation | ActivationName,
  l2 = 0,
): BackwardSteps {
  assertInputs(params, X, "backward");
  assertCache(cache, "backward", ["z1", "a1", "z2"]);
  assertMatrix(y, "y", "backward");
  const activation = resolveActivation(activationOrName, "backward");
  assertL2(l2, "backward");
  const { z1, a1, z2 } = cache;
  const N = X.rows;
  if (y.rows !== N || y.cols !== 1) {
    throw new ShapeError(`y is ${shapeOf(y)} but X is ${shapeOf(X)}: y must be ${N}×1`);
  }
  const [H, K] = [params.W1.cols, params.W2.cols];
  const fits = (A: Matrix, cols: number): boolean => A.rows === N && A.cols === cols;
  if (!fits(z1, H) || !fits(a1, H) || !fits(z2, K)) {
    throw new ShapeError(
      `backward: the cache holds z1 ${shapeOf(z1)}, a1 ${shapeOf(a1)} and z2 ${shapeOf(z2)}, ` +
        `but X is ${shapeOf(X)} and W1, W2 are ${shapeOf(params.W1)}, ${shapeOf(params.W2)}: ` +
        `pass the cache of forward(params, X)`,
    );
  }
  // N×K, δ2 = ∂L/∂z2 = (P − Y)/N, formed from z2, not from a rounded P:
  //   sigmoid (K = 1): (σ(z2) − y)/N;   softmax (K ≥ 2): (softmax(z2) − onehot(y))/N
  const dz2 = scale(outputHeadFor(z2.cols).residual(z2, y), 1 / N);
  const dW2 = matmulTransA(a1, dz2); // H×K, ∂L/∂W2 = a1ᵀ δ2
  const db2 = colSums(dz2); // 1×K, ∂L/∂b2 = Σ_n δ2
  const da1 = matmulTransB(dz2, params.W2); // N×H, ∂L/∂a1 = δ2 W2ᵀ
  const fPrime = zipWith(z1, a1, activation.df); // N×H, f′(z1)
  const dz1 = hadamard(da1, fPrime); // N×H, δ1 = ∂L/∂z1 = (δ2 W2ᵀ) ⊙ f′(z1)
  const dW1 = matmulTransA(X, dz1); // D×H, ∂L/∂W1 = Xᵀ δ1
  const db1 = colSums(dz1); // 1×H, ∂L/∂b1 = Σ_n δ1
  const steps = { dz2, da1, dz1 };
  if (l2 === 0) return { ...steps, dW1, db1, dW2, db2 }; // no penalty (not even + 0 λ W, which turns −0 into +0)
  const dW1Penalised = zipWith(dW1, params.W1, (g, w) => g + l2 * w); // D×H, + ∂/∂W1 (λ/2)‖W1‖² = λ W1
  const dW2Penalised = zipWith(dW2, params.W2, (g, w) => g + l2 * w); // H×K, + ∂/∂W2 (λ/2)‖W2‖² = λ W2
  return { ...steps, dW1: dW1Penalised, db1, dW2: dW2Penalised, db2 }; // biases are not penalised
}

/**
 * A UsageError unless the L2 coefficient λ is a finite number ≥ 0; its message starts with
 * `op` when given (the caller's own prefix otherwise).
 */
export function assertL2(l2: number, op?: string): void {
  if (typeof l2 === "number" && Number.isFinite(l2) && l2 >= 0) return;
  const got = typeof l2 === "number" ? String(l2) : describeValue(l2);
  const prefix = op === undefined ? "" : `${op}: `;
  throw new UsageError(`${prefix}the L2 penalty λ must be a finite number ≥ 0, got ${got}`);
}

/**
 * Class predictions, N×1, from the N×K probabilities: for one column 1 where p ≥ 0.5
 * (equivalently z2 ≥ 0), else 0; for K ≥ 2 columns the most probable class per row.
 * Refuses a p that is not a Matrix (UsageError, ShapeError) or has no column (UsageError),
 * and a probability that is NaN or ±Infinity (DataError naming its row and column, from 0):
 * it has no class, and counting it as one would hide a broken model.
 */
export function classify(p: Matrix): Matrix {
  assertMatrix(p, "p", "classify");
  assertProbabilitiesFinite(p, "classify");
  return outputHeadFor(p.cols).classify(p);
}

/**
 * The fraction of rows whose predicted class equals the label. Refuses p or y that are not
 * Matrices (UsageError, ShapeError), y of another shape than N×1 (ShapeError), labels
 * that are not classes of p's head (DataError): 0 or 1 for one column, 0..K−1 for K, and a
 * probability that is NaN or ±Infinity (DataError naming its row, as classify).
 */
export function accuracy(p: Matrix, y: Matrix): number {
  assertMatrix(p, "p", "accuracy");
  assertMatrix(y, "y", "accuracy");
  assertProbabilitiesFinite(p, "accuracy");
  if (y.rows !== p.rows || y.cols !== 1) {
    throw new ShapeError(
      `accuracy: y is ${shapeOf(y)} but p is ${shapeOf(p)}: y must be ${p.rows}×1`,
    );
  }
  assertClassLabels(y, p.cols, "y", "accuracy");
  const correct = zipWith(classify(p), y, (c, yn) => (c === yn ? 1 : 0), "accuracy");
  return y.rows === 0 ? 0 : sumAll(correct) / y.rows;
}

/**
 * Throws unless params are four Matrices of a D→H→K network and X is a Matrix with D
 * columns (ShapeError; UsageError for another kind of value). O(1): the entries are not read.
 */
export function assertInputs(params: Params, X: Matrix, op: string, name = "X"): void {
  assertParams(params, op);
  assertMatrix(X, name, op);
  const { W1 } = params;
  if (X.cols !== W1.rows) {
    throw new ShapeError(
      `${name} is ${shapeOf(X)} but W1 is ${shapeOf(W1)}: ${name} needs ${W1.rows} columns`,
    );
  }
}

/**
 * Throws unless (X, y) is a labelled batch the network `params` can train on: what
 * assertInputs checks, y a Matrix of shape N×1 (ShapeError), every feature finite (DataError
 * naming its row and column, from 0), and every label a class of the head (DataError naming
 * its row; see assertClassLabels: 0 or 1 for the sigmoid head, 0..K−1 for a softmax over K).
 * O(N·D) on the first call for an X, O(N) after (see assertFinite).
 */
export function assertLabelledBatch(
  params: Params,
  X: Matrix,
  y: Matrix,
  op: string,
  set = "",
): void {
  assertInputs(params, X, op, `${set}X`);
  assertMatrix(y, `${set}y`, op);
  if (y.rows !== X.rows || y.cols !== 1) {
    throw new ShapeError(
      `${set}y is ${shapeOf(y)} but ${set}X is ${shapeOf(X)}: ${set}y must be ${X.rows}×1`,
    );
  }
  assertFinite(X, `${set}X`, op);
  assertClassLabels(y, params.W2.cols, `${set}y`, op);
}

/**
 * A DataError naming the first probability that is NaN or ±Infinity (what forward gives for
 * NaN features or weights, or logits that overflow), by row and column.
 */
function assertProbabilitiesFinite(p: Matrix, op: string): void {
  try {
    assertAllFinite(p, "p", op);
  } catch (error) {
    if (!(error instanceof DataError)) throw error;
    throw new DataError(
      `${error.message}: a probability that is not a number has no class (are the features or the weights NaN or too large?)`,
    );
  }
}

/** Throws unless `cache` is an object whose `names` are Matrices (UsageError, ShapeError). */
function assertCache(cache: Cache, op: string, names: readonly (keyof Cache)[]): void {
  if (typeof cache !== "object" || cache === null) {
    throw new UsageError(
      `${op}: the cache must be forward's result {z1, a1, z2, p}, got ${describeValue(cache)}`,
    );
  }
  for (const name of names) assertMatrix(cache[name], `cache.${name}`, op);
}
