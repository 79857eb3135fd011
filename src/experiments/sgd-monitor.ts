/**
 * A mini-batch SGD run that watches every step (the trainer records epochs only): the batch
 * loss, the update-to-weight ratio η‖∂L/∂W‖/‖W‖ of each weight matrix, the training loss
 * after every epoch and B_simple every few epochs. A run that stops being finite ends with
 * "diverged at step k" instead of an exception.
 */
import { norm, type Matrix } from "../linalg/index.js";
import type { Activation, Params } from "../nn/index.js";
import { DivergenceError, Trainer, type PlainStepper } from "../train/index.js";
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

/**
 * Trains a copy of `initial` on (X, y) by shuffled mini-batch SGD, recording every step: the
 * library's Trainer on the plain stepper, watched through its onStep and onEpoch hooks.
 */
export function monitoredSgd(
  initial: Params,
  X: Matrix,
  y: Matrix,
  options: SgdRunOptions,
): SgdRun {
  const { activation, batchSize, learningRate: eta, epochs, seed } = options;
  const noiseEvery = options.noiseEvery ?? 10;
  let params = initial; // the parameters after the last finite step
  let divergedAt: number | null = null;
  const epochLoss: number[] = [];
  const bSimple: { epoch: number; value: number }[] = [];
  const batchLoss: number[] = [];
  const ratioW1: number[] = [];
  const ratioW2: number[] = [];
  // As train(): a fresh permutation per epoch, none for a full batch (plain GD).
  const trainer = new Trainer(
    initial,
    { X, y },
    {
      activation,
      batchSize,
      learningRate: eta,
      epochs,
      seed,
      engine: "plain",
      onStep: ({ loss }) => {
        const { grads } = stepper;
        if (!grads) return;
        batchLoss.push(loss);
        ratioW1.push((eta * norm(grads.dW1)) / norm(params.W1));
        ratioW2.push((eta * norm(grads.dW2)) / norm(params.W2));
        params = stepper.params();
      },
      onEpoch: ({ epoch, loss }) => {
        epochLoss.push(loss);
        if (epoch % noiseEvery === 0 || epoch === epochs) {
          bSimple.push({ epoch, value: noiseScale(params, X, y, activation).bSimple });
        }
      },
    },
  );
  const stepper = trainer.stepper as PlainStepper;
  try {
    trainer.run();
  } catch (error) {
    if (!(error instanceof DivergenceError)) throw error;
    divergedAt = error.step; // the failing step, or the steps before a non-finite epoch loss
  }
  return {
    batchSize,
    learningRate: eta,
    steps: batchLoss.length,
    divergedAt,
    params,
    epochLoss,
    bSimple,
    batchLoss,
    ratioW1,
    ratioW2,
  };
}
