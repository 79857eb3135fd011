/** train() on one stepper: the fast one (the default) or the plain one, by name. */
import type { Params } from "../../src/nn/index.js";
import {
  DivergenceError,
  train,
  type LabelledData,
  type TrainOptions,
  type TrainResult,
} from "../../src/train/index.js";

export function trainFast(start: Params, data: LabelledData, options: TrainOptions): TrainResult {
  return train(start, data, { ...options, engine: "fast" });
}

export function trainPlain(start: Params, data: LabelledData, options: TrainOptions): TrainResult {
  return train(start, data, { ...options, engine: "plain" });
}

/** The DivergenceError a run throws; fails the test if it throws another error or none. */
export function divergenceOf(run: () => unknown): DivergenceError {
  try {
    run();
  } catch (error) {
    if (error instanceof DivergenceError) return error;
    throw error;
  }
  throw new Error("the run did not diverge");
}
