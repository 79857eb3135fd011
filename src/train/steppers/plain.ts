/**
 * The plain stepper, the readable path: each step is the derivation's whole-matrix forward
 * pass, backward pass (with the L2 penalty's λ W) and the optimizer's update (optimizers.ts,
 * after the gradient-norm clip when asked) on the batch's rows.
 */
import { gatherRows, type Matrix } from "../../linalg/index.js";
import {
  accuracy,
  backward,
  cloneParams,
  forward,
  gradsAreFinite,
  l2Penalty,
  loss,
  paramsAreFinite,
  type Activation,
  type Grads,
  type Params,
} from "../../nn/index.js";
import {
  initialOptimizerState,
  nonFiniteMoment,
  trainingUpdate,
  type OptimizerSettings,
  type OptimizerState,
} from "../optimizers.js";
import type { EpochRecord, LabelledData } from "../setup.js";
import type { Stepper, StepperSetup, StepReport } from "./stepper.js";

export class PlainStepper implements Stepper {
  private readonly data: LabelledData;
  private readonly validation: LabelledData | undefined;
  private readonly activation: Activation;
  private readonly optimizer: OptimizerSettings;
  private readonly l2: number;
  private readonly clipNorm: number;
  /**
   * The current parameters: never changed in place, and never shared with a caller (copied in
   * when built or set, copied out by params()), so that nothing outside can change a run.
   */
  private current: Params;
  private good: Params;
  /** The optimizer's state with `current`, and with `good` (immutable too). */
  private moments: OptimizerState;
  private goodMoments: OptimizerState;
  /** The gradient of the last step (for a hook that watches the steps, as an experiment's). */
  grads: Grads | undefined;

  constructor(setup: StepperSetup) {
    const { settings, data, validation, params, lastGood } = setup;
    this.data = data;
    this.validation = validation;
    this.activation = settings.activation;
    this.optimizer = settings.optimizer;
    this.l2 = settings.l2;
    this.clipNorm = settings.clipNorm;
    this.current = cloneParams(params);
    this.good = cloneParams(lastGood);
    // A fresh run's zero moments are built once and shared by both (they are never changed in
    // place); a resumed run's are copied, so that changing them afterwards does not change it.
    const fresh =
      setup.optimizer === undefined
        ? initialOptimizerState(this.optimizer.name, params)
        : undefined;
    this.moments = fresh ?? cloneOptimizerState(setup.optimizer!);
    this.goodMoments = fresh ?? cloneOptimizerState(setup.lastGoodOptimizer ?? setup.optimizer!);
  }

  step(order: Uint32Array | null, start: number, end: number, learningRate: number): StepReport {
    const { activation, l2, clipNorm } = this;
    const batch = selectBatch(this.data, order, start, end);
    const cache = forward(this.current, batch.X, activation);
    const batchLoss = withPenalty(loss(cache, batch.y), this.current, l2); // L + (λ/2)(‖W1‖² + ‖W2‖²)
    const grads = backward(this.current, cache, batch.X, batch.y, activation, l2); // g = ∂L/∂θ
    const gradientFinite = gradsAreFinite(grads);
    const c = gradientFinite ? clipNorm : 0; // a non-finite gradient is not clipped (divergence)
    const next = trainingUpdate(this.current, grads, this.moments, learningRate, this.optimizer, c); // ‖g‖ ≤ c, θ ← θ − η·(the rule's direction)
    const stepped = Number.isFinite(batchLoss) && gradientFinite;
    const report = {
      loss: batchLoss,
      gradientFinite,
      overflowed: stepped ? nonFiniteMoment(next.state) : undefined,
      paramsFinite: paramsAreFinite(next.params),
    };
    this.grads = grads;
    this.current = next.params;
    this.moments = next.state;
    return report;
  }

  evaluate(epoch: number): EpochRecord {
    const { activation, data, validation, l2 } = this;
    const train = forward(this.current, data.X, activation);
    const crossEntropy = loss(train, data.y);
    const penalty = l2Penalty(this.current, l2); // (λ/2)(‖W1‖² + ‖W2‖²)
    const entry = {
      epoch,
      ...(l2 === 0 ? { loss: crossEntropy } : { loss: crossEntropy + penalty, penalty }),
      accuracy: accuracyIfFinite(crossEntropy, train.p, data.y),
    };
    if (!validation) return entry;
    const held = forward(this.current, validation.X, activation);
    const validationLoss = loss(held, validation.y);
    return {
      ...entry,
      validationLoss,
      validationAccuracy: accuracyIfFinite(validationLoss, held.p, validation.y),
    };
  }

  startGradientIsFinite(): boolean {
    const { data, activation } = this;
    const atStart = forward(this.current, data.X, activation);
    return gradsAreFinite(backward(this.current, atStart, data.X, data.y, activation));
  }

  params(): Params {
    return cloneParams(this.current);
  }

  keep(): void {
    this.good = this.current;
    this.goodMoments = this.moments;
  }

  kept(): Params {
    return cloneParams(this.good);
  }

  optimizerState(): OptimizerState {
    return cloneOptimizerState(this.moments);
  }

  keptOptimizerState(): OptimizerState {
    return cloneOptimizerState(this.goodMoments);
  }

  setParams(params: Params): void {
    this.current = cloneParams(params);
  }
}

/**
 * The accuracy of p, or NaN when the loss is not finite (then p may hold NaN, which accuracy
 * refuses; the Trainer refuses the record for its loss, as the fast stepper's).
 */
function accuracyIfFinite(crossEntropy: number, p: Matrix, y: Matrix): number {
  return Number.isFinite(crossEntropy) ? accuracy(p, y) : NaN;
}

/** The mean cross-entropy plus the L2 penalty (itself when λ = 0: not even + 0). */
function withPenalty(crossEntropy: number, params: Params, l2: number): number {
  return l2 === 0 ? crossEntropy : crossEntropy + l2Penalty(params, l2);
}

/** The rows start..end−1 of the epoch's order (all of data, uncopied, for an unshuffled full batch). */
function selectBatch(
  data: LabelledData,
  order: Uint32Array | null,
  start: number,
  end: number,
): LabelledData {
  if (order === null && start === 0 && end === data.X.rows) return data;
  const indices = order
    ? order.subarray(start, end)
    : Array.from({ length: end - start }, (_, i) => start + i);
  return { X: gatherRows(data.X, indices), y: gatherRows(data.y, indices) };
}

/** An optimizer state whose moments are copies (the update rules never change them in place). */
function cloneOptimizerState(state: OptimizerState): OptimizerState {
  switch (state.name) {
    case "sgd":
      return { name: state.name };
    case "momentum":
    case "nesterov":
      return { name: state.name, velocity: cloneParams(state.velocity) };
    case "adam":
      return { name: state.name, t: state.t, m: cloneParams(state.m), v: cloneParams(state.v) };
  }
}
