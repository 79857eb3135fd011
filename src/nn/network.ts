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
 * The width K of W2 picks the output head (heads.ts); y is N×1 either way.
 */
import { ShapeError } from "../errors.js";
import {
  addRow,
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
import type { Activation } from "./activations.js";
import { outputHeadFor } from "./heads.js";
import { assertParamShapes, type Grads, type Params } from "./params.js";

/** The forward pass's intermediates, kept for the backward pass. */
export interface Cache {
  readonly z1: Matrix; // N×H, hidden pre-activations
  readonly a1: Matrix; // N×H, hidden activations
  readonly z2: Matrix; // N×K, output logits
  readonly p: Matrix; // N×K, probabilities: σ(z2) (K = 1) or softmax(z2) per row (K ≥ 2)
}

/** The forward pass on the N×D batch X. */
export function forward(params: Params, X: Matrix, activation: Activation): Cache {
  const { W1, b1, W2, b2 } = params;
  assertParamShapes(params);
  if (X.cols !== W1.rows) {
    throw new ShapeError(`X is ${shapeOf(X)} but W1 is ${shapeOf(W1)}: X needs ${W1.rows} columns`);
  }
  const z1 = addRow(matmul(X, W1), b1); // N×H, z1 = X W1 + b1
  const a1 = map(z1, activation.f); // N×H, a1 = f(z1)
  const z2 = addRow(matmul(a1, W2), b2); // N×K, z2 = a1 W2 + b2
  const p = outputHeadFor(W2.cols).probabilities(z2); // N×K, p = σ(z2) or softmax(z2)
  return { z1, a1, z2, p };
}

/**
 * The mean loss L of the cached logits against the N×1 labels y: binary cross-entropy for
 * one logit, softmax cross-entropy for K ≥ 2.
 */
export function loss(cache: Cache, y: Matrix): number {
  return outputHeadFor(cache.z2.cols).loss(cache.z2, y);
}

/** Forward pass and loss in one call: L(params; X, y). */
export function lossAt(params: Params, X: Matrix, y: Matrix, activation: Activation): number {
  return loss(forward(params, X, activation), y);
}

/** The gradients of the mean loss L with respect to W1, b1, W2, b2, by the chain rule. */
export function backward(
  params: Params,
  cache: Cache,
  X: Matrix,
  y: Matrix,
  activation: Activation,
): Grads {
  const { z1, a1, z2 } = cache;
  const N = X.rows;
  if (y.rows !== N || y.cols !== 1) {
    throw new ShapeError(`y is ${shapeOf(y)} but X is ${shapeOf(X)}: y must be ${N}×1`);
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
  return { dW1, db1, dW2, db2 };
}

/**
 * Class predictions, N×1, from the N×K probabilities: for one column 1 where p ≥ 0.5
 * (equivalently z2 ≥ 0), else 0; for K ≥ 2 columns the most probable class per row.
 */
export function classify(p: Matrix): Matrix {
  return outputHeadFor(p.cols).classify(p);
}

/** The fraction of rows whose predicted class equals the label. */
export function accuracy(p: Matrix, y: Matrix): number {
  const correct = zipWith(classify(p), y, (c, yn) => (c === yn ? 1 : 0), "accuracy");
  return y.rows === 0 ? 0 : sumAll(correct) / y.rows;
}
