/** train() on one stepper: the fast one (the default) or the plain one, by name. */
import type { Params } from "../../src/nn/index.js";
import {
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
