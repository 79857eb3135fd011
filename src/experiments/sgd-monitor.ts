/**
 * A mini-batch SGD loop that watches every step (the trainer records epochs only): the batch
 * loss, the update-to-weight ratio η‖∂L/∂W‖/‖W‖ of each weight matrix, the training loss
 * after every epoch and B_simple every few epochs. A run that stops being finite ends with "diverged at step k"
 * instead of an exception.
 */
import { gatherRows, norm, type Matrix } from "../linalg/index.js";
import {
  backward,
  forward,
  loss,
  lossAt,
  paramsAreFinite,
  gradsAreFinite,
  type Activation,
  type Params,
} from "../nn/index.js";
import { Rng } from "../rng.js";
import { gradientDescentStep } from "../train/index.js";
import { noiseScale } from "./gradient-noise.js";

export interface SgdRunOptions {
  readonly activation: Activation;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly epochs: number;
  /** Seed of the shuffling order (a fresh permutation of the N rows every epoch when B < N). */
  readonly seed: number;
  /** B_simple is measured every this many epochs (and after the last); default 10. */
  readonly noiseEvery?: number;
}

/** What one run saw. Per-epoch arrays have an entry for epoch 0 (before any step). */
export interface SgdRun {
  readonly batchSize: number;
  readonly learningRate: number;
  readonly steps: number; // steps taken (finite ones)
  /** The step at which a loss, gradient or parameter stopped being finite, if one did. */
  readonly divergedAt: number | null;
  readonly params: Params; // the last finite parameters
  readonly epochLoss: readonly number[]; // training loss on all N rows after each epoch
  readonly bSimple: readonly { epoch: number; value: number }[]; // tr(Σ)/‖G‖² every noiseEvery epochs
  readonly batchLoss: readonly number[]; // loss of each step's batch, before the step
  readonly ratioW1: readonly number[]; // η‖∂L/∂W1‖/‖W1‖ per step
  readonly ratioW2: readonly number[]; // η‖∂L/∂W2‖/‖W2‖ per step
}

/** Trains a copy of `initial` on (X, y) by shuffled mini-batch SGD, recording every step. */
export function monitoredSgd(
  initial: Params,
  X: Matrix,
  y: Matrix,
  options: SgdRunOptions,
): SgdRun {
  const { activation, batchSize: B, learningRate: eta, epochs, seed } = options;
  const N = X.rows;
  const rng = new Rng(seed);
  let params = initial;
  let steps = 0;
  let divergedAt: number | null = null;
  const epochLoss = [lossAt(params, X, y, activation)];
  const noiseEvery = options.noiseEvery ?? 10;
  const bSimple = [{ epoch: 0, value: noiseScale(params, X, y, activation).bSimple }];
  const batchLoss: number[] = [];
  const ratioW1: number[] = [];
  const ratioW2: number[] = [];
  training: for (let epoch = 1; epoch <= epochs; epoch++) {
    // As the trainer: a fresh permutation per epoch, none for a full batch (plain GD).
    const order = B < N ? rng.permutation(N) : Uint32Array.from({ length: N }, (_, n) => n);
    for (let start = 0; start < N; start += B) {
      const rows = order.subarray(start, Math.min(start + B, N));
      const Xb = gatherRows(X, rows); // B×D
      const yb = gatherRows(y, rows); // B×1
      const cache = forward(params, Xb, activation);
      const Lb = loss(cache, yb);
      const grads = backward(params, cache, Xb, yb, activation);
      const next = gradientDescentStep(params, grads, eta); // θ ← θ − η g_B
      if (!Number.isFinite(Lb) || !gradsAreFinite(grads) || !paramsAreFinite(next)) {
        divergedAt = steps + 1;
        break training;
      }
      batchLoss.push(Lb);
      ratioW1.push((eta * norm(grads.dW1)) / norm(params.W1));
      ratioW2.push((eta * norm(grads.dW2)) / norm(params.W2));
      params = next;
      steps++;
    }
    const L = lossAt(params, X, y, activation);
    if (!Number.isFinite(L)) {
      divergedAt = steps;
      break;
    }
    epochLoss.push(L);
    if (epoch % noiseEvery === 0 || epoch === epochs) {
      bSimple.push({ epoch, value: noiseScale(params, X, y, activation).bSimple });
    }
  }
  return {
    batchSize: B,
    learningRate: eta,
    steps,
    divergedAt,
    params,
    epochLoss,
    bSimple,
    batchLoss,
    ratioW1,
    ratioW2,
  };
}
