/** `handgrad grad`: the loss and the four gradients at a model, to check one's own code against. */
import { toRows } from "../../linalg/index.js";
import { activationByName, backward, forward, loss } from "../../nn/index.js";
import { UsageError } from "../../errors.js";
import { stringFlag, type Flags, type FlagSpecs } from "../flags.js";
import { commandCheck } from "../memory.js";
import { shown, type Output } from "../output.js";
import { loadModel } from "../../io/index.js";
import {
  assertFiniteGradients,
  assertFiniteOutputs,
  assertModelFits,
  assertSameClasses,
  DATA_FLAGS,
  dataChoice,
  labelClasses,
  loadData,
  refuseFreshModelFlags,
  standardized,
} from "../setup.js";

export const GRAD_FLAGS: FlagSpecs = {
  model: { kind: "string", value: "FILE", help: "the model file (required)" },
  ...DATA_FLAGS,
  json: {
    kind: "boolean",
    help: "print JSON on stdout (always on: this command's output is JSON)",
  },
};

export function gradCommand(flags: Flags, output: Output): number {
  const modelPath = stringFlag(flags, "model");
  if (modelPath === undefined) throw new UsageError("grad needs --model FILE");
  const choice = dataChoice(flags);
  refuseFreshModelFlags(choice, {}, modelPath, "model");
  const model = loadModel(modelPath);
  assertSameClasses(choice, model, modelPath);
  const { data, source } = loadData(
    choice,
    labelClasses(choice, {}, model),
    commandCheck("grad", choice, {}, model),
  );
  assertModelFits(model, data.X.cols, modelPath);
  const { X, y } = standardized(data, model.standardizer, source);
  const activation = activationByName(model.activation);
  const cache = forward(model.params, X, activation);
  assertFiniteOutputs(cache.z2, modelPath, source);
  const grads = backward(model.params, cache, X, y, activation);
  assertFiniteGradients(grads, modelPath, source);
  const { dW1, db1, dW2, db2 } = grads;
  output.log(`loss and gradients of ${shown(modelPath)} on ${X.rows} rows`);
  output.json({
    loss: loss(cache, y),
    grads: { W1: toRows(dW1), b1: Array.from(db1.data), W2: toRows(dW2), b2: Array.from(db2.data) },
  });
  return 0;
}
