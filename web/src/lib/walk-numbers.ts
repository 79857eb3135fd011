/**
 * The step-through's numbers (issue 15, part 2): every intermediate of one forward and backward
 * pass on a small batch, computed by the library's own `forward` and `backwardSteps` (src/nn),
 * then the update the run's Trainer would take next on those rows, by the train layer's own
 * `trainingUpdate` (src/train: the clip, then sgd, momentum, nesterov or adam from the rule's
 * current state, with the schedule's η_t). Run in the worker (Session.walk); the page shows
 * them (lib/walk.ts, backprop.ts).
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
import {
  adamBiasCorrected,
  adamCorrections,
  globalNorm,
  trainingUpdate,
  type NextUpdate,
} from "../../../src/train/index.js";

import {
  WALK_PARAMS,
  type BaseName,
  type UpdateName,
  type WalkMatrix,
  type WalkNumbers,
  type WalkUpdate,
} from "./walk.js";

const copy = (m: Matrix): WalkMatrix => ({ rows: m.rows, cols: m.cols, data: m.data.slice() });

/**
 * The walk's numbers on the batch (X, y) at `params`: forward (src/nn), the loss (with the L2
 * penalty λ of `next`), backwardSteps (src/nn) and the update `next` describes (the Trainer's
 * nextUpdate: its step t, η_t, rule, state and clip), by trainingUpdate (src/train), the
 * functions `handgrad grad` and the trainer call.
 */
export function walkNumbers(
  params: Params,
  X: Matrix,
  y: Matrix,
  activation: ActivationName,
  next: NextUpdate,
): WalkNumbers {
  const { l2, optimizer, state, learningRate, clipNorm } = next;
  const f = resolveActivation(activation, "walk");
  const cache = forward(params, X, f);
  const steps = backwardSteps(params, cache, X, y, f, l2);
  const L = lossAt(params, X, y, f, l2);
  const fPrime = cache.z1.data.map((z, i) => f.df(z, cache.a1.data[i]!)); // f′(z1), as backward forms it
  const grads = { dW1: steps.dW1, db1: steps.db1, dW2: steps.dW2, db2: steps.db2 };
  const updated = trainingUpdate(params, grads, state, learningRate, optimizer, clipNorm);
  const base = {
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
    W1new: copy(updated.params.W1),
    b1new: copy(updated.params.b1),
    W2new: copy(updated.params.W2),
    b2new: copy(updated.params.b2),
  } satisfies Record<BaseName, WalkMatrix>;
  const rule: Partial<Record<UpdateName, WalkMatrix>> = {};
  const corrected =
    updated.state.name === "adam" ? adamBiasCorrected(updated.state, optimizer) : undefined; // m̂, v̂
  for (const p of WALK_PARAMS) {
    if (clipNorm > 0) rule[`g${p}`] = copy(updated.grads[`d${p}`]);
    if ((state.name === "momentum" || state.name === "nesterov") && "velocity" in updated.state) {
      rule[`vel${p}`] = copy(state.velocity[p]);
      rule[`vel${p}new`] = copy(updated.state.velocity[p]);
    }
    if (state.name === "adam" && updated.state.name === "adam" && corrected) {
      const { mHat, vHat } = corrected;
      rule[`m${p}`] = copy(state.m[p]);
      rule[`v${p}`] = copy(state.v[p]);
      rule[`m${p}new`] = copy(updated.state.m[p]);
      rule[`v${p}new`] = copy(updated.state.v[p]);
      rule[`mhat${p}`] = copy(mHat[p]);
      rule[`vhat${p}`] = copy(vHat[p]);
    }
  }
  const adamStep = state.name === "adam" ? state.t + 1 : 0;
  const update: WalkUpdate = {
    rule: optimizer.name,
    momentum: optimizer.momentum,
    beta1: optimizer.beta1,
    beta2: optimizer.beta2,
    eps: optimizer.eps,
    step: next.step,
    adamStep,
    corrections: adamCorrections(optimizer.beta1, optimizer.beta2, adamStep),
    learningRate,
    clipNorm,
    gradientNorm: globalNorm(WALK_PARAMS.map((p) => grads[`d${p}`].data)),
  };
  return { matrices: { ...base, ...rule }, activation, l2, update };
}
