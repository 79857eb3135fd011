/**
 * The plain stepper, the readable path: each step is the derivation's whole-matrix forward
 * pass, backward pass and gradient-descent update on the batch's rows.
 */
import { gatherRows } from "../../linalg/index.js";
import {
  accuracy,
  backward,
  forward,
  gradsAreFinite,
  loss,
  paramsAreFinite,
  type Activation,
  type Grads,
  type Params,
} from "../../nn/index.js";
import { gradientDescentStep } from "../optimizer.js";
import type { EpochRecord, LabelledData } from "../setup.js";
import type { Stepper, StepperSetup, StepReport } from "./stepper.js";

export class PlainStepper implements Stepper {
  private readonly data: LabelledData;
  private readonly validation: LabelledData | undefined;
  private readonly activation: Activation;
  private readonly learningRate: number;
  /** The current parameters: never changed in place, so they may be handed out as they are. */
  private current: Params;
  private good: Params;
  /** The gradient of the last step (for a hook that watches the steps, as an experiment's). */
  grads: Grads | undefined;

  constructor({ settings, data, validation, params, lastGood }: StepperSetup) {
    this.data = data;
    this.validation = validation;
    this.activation = settings.activation;
    this.learningRate = settings.learningRate;
    this.current = params;
    this.good = lastGood;
  }

  step(order: Uint32Array | null, start: number, end: number): StepReport {
    const batch = selectBatch(this.data, order, start, end);
    const cache = forward(this.current, batch.X, this.activation);
    const batchLoss = loss(cache, batch.y);
    const grads = backward(this.current, cache, batch.X, batch.y, this.activation);
    const next = gradientDescentStep(this.current, grads, this.learningRate); // θ ← θ − η g
    const report = {
      loss: batchLoss,
      gradientFinite: gradsAreFinite(grads),
      paramsFinite: paramsAreFinite(next),
    };
    this.grads = grads;
    this.current = next;
    return report;
  }

  evaluate(epoch: number): EpochRecord {
    const { activation, data, validation } = this;
    const train = forward(this.current, data.X, activation);
    const entry = { epoch, loss: loss(train, data.y), accuracy: accuracy(train.p, data.y) };
    if (!validation) return entry;
    const held = forward(this.current, validation.X, activation);
    return {
      ...entry,
      validationLoss: loss(held, validation.y),
      validationAccuracy: accuracy(held.p, validation.y),
    };
  }

  startGradientIsFinite(): boolean {
    const { data, activation } = this;
    const atStart = forward(this.current, data.X, activation);
    return gradsAreFinite(backward(this.current, atStart, data.X, data.y, activation));
  }

  params(): Params {
    return this.current;
  }

  keep(): void {
    this.good = this.current;
  }

  kept(): Params {
    return this.good;
  }
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
