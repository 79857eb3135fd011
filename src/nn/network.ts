/**
 * The network, forward and backward, written as whole-matrix operations (see the README,
 * "How the numbers are kept honest", for the chain rule behind each line):
 *
 *   z1 = X W1 + b1      N×H
 *   a1 = f(z1)          N×H
 *   z2 = a1 W2 + b2     N×1
 *   p  = σ(z2)          N×1
 *   L  = (1/N) Σ_n ℓ(z2_n, y_n),   ℓ(z, y) = softplus(z) − y z
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
import { bceWithLogits, sigmoid, sigmoidMinusLabel } from "../numerics/index.js";
import type { Activation } from "./activations.js";
import { assertParamShapes, type Grads, type Params } from "./params.js";

/** The forward pass's intermediates, kept for the backward pass. */
export interface Cache {
  readonly z1: Matrix; // N×H, hidden pre-activations
  readonly a1: Matrix; // N×H, hidden activations
  readonly z2: Matrix; // N×1, output logits
  readonly p: Matrix; // N×1, probabilities σ(z2)
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
  const z2 = addRow(matmul(a1, W2), b2); // N×1, z2 = a1 W2 + b2
  const p = map(z2, sigmoid); // N×1, p = σ(z2)
  return { z1, a1, z2, p };
}

/** The mean binary cross-entropy L of the cached logits against the N×1 labels y. */
export function loss(cache: Cache, y: Matrix): number {
  return bceWithLogits(cache.z2, y);
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
  // N×1, δ2 = ∂L/∂z2 = (p − y)/N, with p − y = σ(z2) − y formed from z2, not from a rounded p
  const dz2 = scale(zipWith(z2, y, sigmoidMinusLabel, "p − y"), 1 / N);
  const dW2 = matmulTransA(a1, dz2); // H×1, ∂L/∂W2 = a1ᵀ δ2
  const db2 = colSums(dz2); // 1×1, ∂L/∂b2 = Σ_n δ2
  const da1 = matmulTransB(dz2, params.W2); // N×H, ∂L/∂a1 = δ2 W2ᵀ
  const fPrime = zipWith(z1, a1, activation.df); // N×H, f′(z1)
  const dz1 = hadamard(da1, fPrime); // N×H, δ1 = ∂L/∂z1 = (δ2 W2ᵀ) ⊙ f′(z1)
  const dW1 = matmulTransA(X, dz1); // D×H, ∂L/∂W1 = Xᵀ δ1
  const db1 = colSums(dz1); // 1×H, ∂L/∂b1 = Σ_n δ1
  return { dW1, db1, dW2, db2 };
}

/** Class predictions: 1 where p ≥ 0.5 (equivalently z2 ≥ 0), else 0; N×1. */
export function classify(p: Matrix): Matrix {
  return map(p, (pn) => (pn >= 0.5 ? 1 : 0));
}

/** The fraction of rows whose predicted class equals the label. */
export function accuracy(p: Matrix, y: Matrix): number {
  const correct = zipWith(classify(p), y, (c, yn) => (c === yn ? 1 : 0), "accuracy");
  return y.rows === 0 ? 0 : sumAll(correct) / y.rows;
}
