/** `handgrad grad`: the loss and the four gradients at a model, to check one's own code against. */
import { DataError } from "../../errors.js";
import { toRows } from "../../linalg/index.js";
import { activationByName, backward, forward, gradsAreFinite, loss } from "../../nn/index.js";
import type { Flags, FlagSpecs } from "../flags.js";
import { shown, type Output } from "../output.js";
import { DATA_FLAGS, prepareRun } from "../setup.js";

export const GRAD_FLAGS: FlagSpecs = {
  model: { kind: "string", value: "FILE", help: "the model file (required)" },
  ...DATA_FLAGS,
  json: {
    kind: "boolean",
    help: "print JSON on stdout (always on: this command's output is JSON)",
  },
};

export function gradCommand(flags: Flags, output: Output): number {
  const run = prepareRun("grad", flags, {
    modelFlag: "model",
    modelRequired: true,
    options: () => ({}),
    size: "grad",
  });
  const { model, modelName, source } = run;
  const { X, y } = run.train;
  const activation = activationByName(model.activation);
  const cache = forward(model.params, X, activation);
  const grads = backward(model.params, cache, X, y, activation);
  if (!gradsAreFinite(grads)) {
    throw new DataError(
      `the gradients of ${modelName} overflow on ${source}: its weights or the features are too large for float64`,
    );
  }
  const { dW1, db1, dW2, db2 } = grads;
  output.log(`loss and gradients of ${shown(modelName)} on ${X.rows} rows`);
  output.json({
    loss: loss(cache, y),
    grads: { W1: toRows(dW1), b1: Array.from(db1.data), W2: toRows(dW2), b2: Array.from(db2.data) },
  });
  return 0;
}
