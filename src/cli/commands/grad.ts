/** `handgrad grad`: the loss and the four gradients at a model, to check one's own code against. */
import { DataError } from "../../errors.js";
import { toRows } from "../../linalg/index.js";
import {
  activationByName,
  backward,
  forward,
  gradsAreFinite,
  l2Penalty,
  loss,
} from "../../nn/index.js";
import { DEFAULT_L2 } from "../../train/index.js";
import { numberFlag, type Flags, type FlagSpecs } from "../flags.js";
import { L2_FLAG } from "../optimizer-flags.js";
import { shown, type Output } from "../output.js";
import { DATA_FLAGS, prepareRun } from "../setup.js";

export const GRAD_FLAGS: FlagSpecs = {
  model: { kind: "string", value: "FILE", help: "the model file (required)" },
  ...DATA_FLAGS,
  ...L2_FLAG,
  json: {
    kind: "boolean",
    help: "print JSON on stdout (always on: this command's output is JSON)",
  },
};

export function gradCommand(flags: Flags, output: Output): number {
  const run = prepareRun(flags, {
    modelFlag: "model",
    modelRequired: true,
    options: (flags) => ({ l2: l2Flag(flags) }),
    size: "grad",
  });
  const { model, modelName, source } = run;
  for (const warning of run.warnings) output.log(shown(warning));
  const { l2 } = run.options;
  const { X, y } = run.train;
  const activation = activationByName(model.activation);
  const cache = forward(model.params, X, activation);
  const grads = backward(model.params, cache, X, y, activation, l2); // + λ W on the weights
  if (!gradsAreFinite(grads)) {
    throw new DataError(
      `the gradients of ${modelName} overflow on ${source}: its weights or the features are too large for float64`,
    );
  }
  const { dW1, db1, dW2, db2 } = grads;
  const penalty = l2Penalty(model.params, l2); // (λ/2)(‖W1‖² + ‖W2‖²)
  const penalised = l2 > 0 ? ` (L2 penalty λ = ${l2} included: ${penalty} of the loss)` : "";
  output.log(`loss and gradients of ${shown(modelName)} on ${X.rows} rows${penalised}`);
  output.json({
    loss: loss(cache, y) + penalty,
    ...(l2 > 0 ? { l2, penalty } : {}),
    grads: { W1: toRows(dW1), b1: Array.from(db1.data), W2: toRows(dW2), b2: Array.from(db2.data) },
  });
  return 0;
}

/** --l2 λ ≥ 0 (default: none). */
export function l2Flag(flags: Flags): number {
  return numberFlag(flags, "l2", DEFAULT_L2, (x) => x >= 0, "a number ≥ 0");
}
