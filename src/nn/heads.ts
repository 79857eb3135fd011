/**
 * The output head: how the K logits z2 of a row become probabilities, a loss and the residual
 * δ2 = ∂ℓ/∂z2 that starts the backward pass. The width K of W2 picks it:
 *
 *   sigmoid (K = 1):  p = σ(z2),        ℓ = softplus(z2) − y z2,        ∂ℓ/∂z2 = σ(z2) − y
 *   softmax (K ≥ 2):  P = softmax(z2),  ℓ = logSumExp(z2) − z2_y,      ∂ℓ/∂z2 = softmax(z2) − onehot(y)
 *
 * Labels y are N×1 either way: 0/1 for sigmoid, class indices 0..K−1 for softmax. With K = 2
 * the softmax head is the sigmoid head of d = z2_1 − z2_0 (with twice the parameters).
 */
import { isClassLabel } from "../data/dataset.js";
import { DataError, UsageError } from "../errors.js";
import { map, reduceRows, zipWith, type Matrix } from "../linalg/index.js";
import {
  argmax,
  bceWithLogits,
  sigmoid,
  sigmoidMinusLabel,
  softmaxCrossEntropy,
  softmaxMinusOneHot,
  softmaxRows,
} from "../numerics/index.js";

/** The names of the output heads. */
export type OutputName = "sigmoid" | "softmax";
/** Every OutputName. */
export const OUTPUT_NAMES: readonly OutputName[] = ["sigmoid", "softmax"];

/**
 * The output layer's choices for K logits: probabilities, loss, residual and classes; the
 * sigmoid head for K = 1, the softmax head for K ≥ 2 (see outputHeadFor).
 */
export interface OutputHead {
  /** Which head this is. */
  readonly name: OutputName;
  /** N×K probabilities from the N×K logits z2: σ(z2) (K = 1) or softmax(z2) row by row. */
  readonly probabilities: (z2: Matrix) => Matrix;
  /** The mean loss L of the N×K logits against the N×1 labels y. */
  readonly loss: (z2: Matrix, y: Matrix) => number;
  /** N×K, P − Y = N ∂L/∂z2, formed from z2 rather than from a rounded P. */
  readonly residual: (z2: Matrix, y: Matrix) => Matrix;
  /** N×1 predicted classes from the N×K probabilities. */
  readonly classify: (p: Matrix) => Matrix;
}

/** One logit per row: the binary head, mean binary cross-entropy from the logit. */
export const sigmoidHead: OutputHead = {
  name: "sigmoid",
  probabilities: (z2) => map(z2, sigmoid), // N×1, p = σ(z2)
  loss: bceWithLogits,
  residual: (z2, y) => zipWith(z2, y, sigmoidMinusLabel, "p − y"), // N×1, σ(z2) − y
  classify: (p) => map(p, (pn) => (pn >= 0.5 ? 1 : 0)), // 1 where p ≥ 0.5 (z2 ≥ 0)
};

/** K ≥ 2 logits per row: the multiclass head, mean softmax cross-entropy from the logits. */
export const softmaxHead: OutputHead = {
  name: "softmax",
  probabilities: softmaxRows, // N×K, P = softmax(z2) per row
  loss: softmaxCrossEntropy,
  residual: softmaxMinusOneHot, // N×K, softmax(z2) − onehot(y)
  classify: (p) => reduceRows(p, argmax), // N×1, the most probable class (the first of ties)
};

/** The head of a network with K output logits (the width of W2): K = 1 sigmoid, K ≥ 2 softmax. */
export function outputHeadFor(K: number): OutputHead {
  if (!Number.isSafeInteger(K) || K < 1) {
    throw new UsageError(`the number of output logits K must be a positive integer, got ${K}`);
  }
  return K === 1 ? sigmoidHead : softmaxHead;
}

/** The classes a network with K output logits tells apart: 2 for the sigmoid head, else K. */
export function classCount(K: number): number {
  return Math.max(2, K);
}

/**
 * Throws a DataError naming the first row (counted from 0) of the labels y (called `name`) that is not a
 * class of the head of K output logits: 0 or 1 for the sigmoid head (K = 1; no soft labels),
 * an integer 0..K−1 for a softmax over K. O(N).
 */
export function assertClassLabels(y: Matrix, K: number, name: string, op: string): void {
  const classes = classCount(K);
  const labels = y.data;
  for (let n = 0; n < labels.length; n++) {
    const label = labels[n]!;
    if (isClassLabel(label, classes)) continue;
    if (K === 1) {
      const hint = Number.isInteger(label) && label >= 2 ? " (use outputs: K for K classes)" : "";
      throw new DataError(
        `${op}: ${name} row ${n} is ${label}, but the sigmoid head takes labels 0 or 1${hint}`,
      );
    }
    throw new DataError(
      `${op}: ${name} row ${n} is ${label}, but a softmax head of ${K} logits takes the integer labels 0 to ${K - 1}`,
    );
  }
}
