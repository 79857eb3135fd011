/** `handgrad gradcheck`: analytic gradients against central differences; exit 1 on failure. */
import { DEFAULT_EPS, DEFAULT_THRESHOLD, gradientCheck } from "../../check/index.js";
import { streamSeed } from "../../rng.js";
import {
  booleanFlag,
  integerFlag,
  numberFlag,
  stringFlag,
  type Flags,
  type FlagSpecs,
} from "../flags.js";
import type { Output } from "../output.js";
import { gradientCheckText } from "../report.js";
import { DataError } from "../../errors.js";
import { activationByName, forward } from "../../nn/index.js";
import {
  assertFiniteOutputs,
  DATA_FLAGS,
  dataChoice,
  loadData,
  NETWORK_FLAGS,
  networkChoice,
  standardized,
  standardizerFor,
  startingModel,
} from "../setup.js";

export const GRADCHECK_FLAGS: FlagSpecs = {
  model: {
    kind: "string",
    help: "check at this model's parameters (default: a random init from the flags)",
  },
  ...DATA_FLAGS,
  ...NETWORK_FLAGS,
  eps: { kind: "string", help: `finite-difference step ε (${DEFAULT_EPS})` },
  threshold: { kind: "string", help: `pass when every relError ≤ this (${DEFAULT_THRESHOLD})` },
  entries: {
    kind: "string",
    help: "check this many seeded random entries per parameter (default: all)",
  },
  json: { kind: "boolean", help: "print the report as JSON on stdout" },
};

export function gradcheckCommand(flags: Flags, output: Output): number {
  const choice = dataChoice(flags);
  const network = networkChoice(flags);
  const eps = numberFlag(flags, "eps", DEFAULT_EPS, (x) => x > 0, "a number > 0");
  const threshold = numberFlag(flags, "threshold", DEFAULT_THRESHOLD, (x) => x > 0, "a number > 0");
  const entries = flags.has("entries") ? integerFlag(flags, "entries", 1, 1) : undefined;
  const modelPath = stringFlag(flags, "model");
  const { data, source } = loadData(choice);
  const model = startingModel(network, data.X.cols, modelPath, choice.seed);
  const modelChoice = modelPath === undefined ? undefined : { path: modelPath, model };
  const { X, y } = standardized(data, standardizerFor(choice, data, modelChoice), source);
  const modelName = modelPath ?? "the initial model";
  assertFiniteOutputs(
    forward(model.params, X, activationByName(model.activation)).z2,
    modelName,
    source,
  );
  const report = gradientCheck(model.params, X, y, model.activation, {
    eps,
    threshold,
    seed: streamSeed(choice.seed, "check"),
    ...(entries === undefined ? {} : { maxEntriesPerParam: entries }),
  });
  if (Number.isNaN(report.maxRelError)) {
    throw new DataError(
      `the gradients of ${modelName} overflow on ${source}: its weights or the features are too large for float64`,
    );
  }
  output.log(gradientCheckText(report));
  if (booleanFlag(flags, "json")) {
    const { eps: e, threshold: t, passed, maxRelError, params } = report;
    output.json({ eps: e, threshold: t, passed, maxRelError, params });
  }
  return report.passed ? 0 : 1;
}
