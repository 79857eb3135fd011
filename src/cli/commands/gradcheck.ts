/** `handgrad gradcheck`: analytic gradients against central differences; exit 1 on failure. */
import { DEFAULT_EPS, DEFAULT_THRESHOLD, gradientCheck } from "../../check/index.js";
import { streamSeed } from "../../rng.js";
import {
  booleanFlag,
  integerFlag,
  numberFlag,
  optionalFlag,
  stringFlag,
  type Flags,
  type FlagSpecs,
} from "../flags.js";
import { commandCheck } from "../memory.js";
import type { Output } from "../output.js";
import { gradientCheckText } from "../report.js";
import { activationByName, forward } from "../../nn/index.js";
import { loadModel } from "../../io/index.js";
import {
  assertFiniteOutputs,
  assertSameClasses,
  DATA_FLAGS,
  dataChoice,
  labelClasses,
  loadData,
  outputsFor,
  NETWORK_FLAGS,
  networkChoice,
  refuseFreshModelFlags,
  standardized,
  standardizerFor,
  startingModel,
} from "../setup.js";

export const GRADCHECK_FLAGS: FlagSpecs = {
  model: {
    kind: "string",
    value: "FILE",
    help: "check at this model's parameters (default: a random init from the flags)",
  },
  ...DATA_FLAGS,
  ...NETWORK_FLAGS,
  eps: { kind: "string", value: "ε", help: `finite-difference step ε (${DEFAULT_EPS})` },
  threshold: {
    kind: "string",
    value: "T",
    help: `pass when every relError ≤ this (${DEFAULT_THRESHOLD})`,
  },
  entries: {
    kind: "string",
    value: "N",
    help: "check this many seeded random entries per parameter (default: all)",
  },
  json: { kind: "boolean", help: "print the report as JSON on stdout" },
};

export function gradcheckCommand(flags: Flags, output: Output): number {
  const choice = dataChoice(flags);
  const network = networkChoice(flags);
  const eps = numberFlag(flags, "eps", DEFAULT_EPS, (x) => x > 0, "a number > 0");
  const threshold = numberFlag(flags, "threshold", DEFAULT_THRESHOLD, (x) => x > 0, "a number > 0");
  const entries = optionalFlag(flags, "entries", () => integerFlag(flags, "entries", 1, 1));
  const modelPath = stringFlag(flags, "model");
  refuseFreshModelFlags(choice, network, modelPath, "model");

  const savedModel = modelPath === undefined ? undefined : loadModel(modelPath);
  if (savedModel) assertSameClasses(choice, savedModel, modelPath as string);
  const { data, source } = loadData(
    choice,
    labelClasses(choice, network, savedModel),
    commandCheck("gradcheck", choice, network, savedModel),
  );
  const model = startingModel(network, data.X.cols, modelPath, choice.seed, {
    outputs: outputsFor(choice, network, data),
    ...(savedModel ? { saved: savedModel } : {}),
  });
  const saved = modelPath === undefined ? undefined : model;
  const { X, y } = standardized(data, standardizerFor(choice, data, saved), source);
  const modelName = modelPath ?? "the initial model";
  const { z2 } = forward(model.params, X, activationByName(model.activation));
  assertFiniteOutputs(z2, modelName, source); // names the row; gradientCheck checks the rest
  const report = gradientCheck(model.params, X, y, model.activation, {
    eps,
    threshold,
    seed: streamSeed(choice.seed, "check"),
    ...(entries === undefined ? {} : { maxEntriesPerParam: entries }),
  });
  output.log(gradientCheckText(report));
  if (booleanFlag(flags, "json")) {
    const { eps: e, threshold: t, passed, unchecked, maxRelError, params } = report;
    output.json({ eps: e, threshold: t, passed, unchecked, maxRelError, params });
  }
  return report.passed ? 0 : 1;
}
