/**
 * The step-through's numbers (issue 15, part 2): every intermediate of one forward and backward
 * pass on a small batch, computed by the library's own `forward` and `backwardSteps` (src/nn)
 * and its `gradientDescentStep` (src/train), the functions `handgrad grad` and the trainer call.
 * Run in the worker (Session.walk); the page shows them (lib/walk.ts, backprop.ts).
 */
import type { Matrix } from "../../../src/linalg/index.js";
import {
  backwardSteps,
  forward,
  lossAt,
  resolveActivation,
  type ActivationName,
  type Params,
} from "../../../src/nn/index.js";
import { gradientDescentStep } from "../../../src/train/index.js";

import type { WalkMatrix, WalkName, WalkNumbers } from "./walk.js";

const copy = (m: Matrix): WalkMatrix => ({ rows: m.rows, cols: m.cols, data: m.data.slice() });

/**
 * The walk's numbers on the batch (X, y) at `params`: forward (src/nn), the loss (with the L2
 * penalty λ = l2), backwardSteps (src/nn) and one plain gradient-descent step with η
 * (src/train), the same functions the CLI's `handgrad grad` and the trainer call.
 */
export function walkNumbers(
  params: Params,
  X: Matrix,
  y: Matrix,
  activation: ActivationName,
  l2: number,
  learningRate: number,
): WalkNumbers {
  const f = resolveActivation(activation, "walk");
  const cache = forward(params, X, f);
  const steps = backwardSteps(params, cache, X, y, f, l2);
  const L = lossAt(params, X, y, f, l2);
  const fPrime = cache.z1.data.map((z, i) => f.df(z, cache.a1.data[i]!)); // f′(z1), as backward forms it
  const next = gradientDescentStep(params, steps, learningRate);
  const matrices: Record<WalkName, WalkMatrix> = {
    X: copy(X),
    y: copy(y),
    W1: copy(params.W1),
    b1: copy(params.b1),
    W2: copy(params.W2),
    b2: copy(params.b2),
    z1: copy(cache.z1),
    a1: copy(cache.a1),
    z2: copy(cache.z2),
    p: copy(cache.p),
    L: { rows: 1, cols: 1, data: Float64Array.of(L) },
    dz2: copy(steps.dz2),
    dW2: copy(steps.dW2),
    db2: copy(steps.db2),
    da1: copy(steps.da1),
    fPrime: { rows: cache.z1.rows, cols: cache.z1.cols, data: fPrime },
    dz1: copy(steps.dz1),
    dW1: copy(steps.dW1),
    db1: copy(steps.db1),
    W1new: copy(next.W1),
    b1new: copy(next.b1),
    W2new: copy(next.W2),
    b2new: copy(next.b2),
  };
  return { matrices, activation, l2, learningRate };
}
