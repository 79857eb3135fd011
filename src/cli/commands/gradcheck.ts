/** `handgrad gradcheck`: analytic gradients against central differences; exit 1 on failure. */
import { DEFAULT_EPS, DEFAULT_THRESHOLD, gradientCheck } from "../../check/index.js";
import { streamSeed } from "../../rng.js";
import {
  booleanFlag,
  integerFlag,
  numberFlag,
  optionalFlag,
  type Flags,
  type FlagSpecs,
} from "../flags.js";
import { L2_FLAG } from "../optimizer-flags.js";
import { shown, type Output } from "../output.js";
import { gradientCheckText } from "../report.js";
import { DATA_FLAGS, NETWORK_FLAGS, prepareRun } from "../setup.js";
import { l2Flag } from "./grad.js";

export const GRADCHECK_FLAGS: FlagSpecs = {
  model: {
    kind: "string",
    value: "FILE",
    help: "check at this model's parameters (default: a random init from the flags)",
  },
  ...DATA_FLAGS,
  ...NETWORK_FLAGS,
  ...L2_FLAG,
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
  const run = prepareRun(flags, {
    modelFlag: "model",
    options: (flags) => ({
      eps: numberFlag(flags, "eps", DEFAULT_EPS, (x) => x > 0, "a number > 0"),
      threshold: numberFlag(flags, "threshold", DEFAULT_THRESHOLD, (x) => x > 0, "a number > 0"),
      l2: l2Flag(flags),
      entries: optionalFlag(flags, "entries", () => integerFlag(flags, "entries", 1, 1)),
    }),
    size: "gradcheck",
  });
  const { model, options, choice } = run;
  for (const warning of run.warnings) output.log(shown(warning));
  const { X, y } = run.train;
  const report = gradientCheck(model.params, X, y, model.activation, {
    eps: options.eps,
    threshold: options.threshold,
    l2: options.l2,
    seed: streamSeed(choice.seed, "check"),
    ...(options.entries === undefined ? {} : { maxEntriesPerParam: options.entries }),
  });
  if (options.l2 > 0) {
    output.log(
      `the gradient of the loss plus the L2 penalty (λ/2)(‖W1‖² + ‖W2‖²), λ = ${options.l2}:`,
    );
  }
  output.log(gradientCheckText(report));
  if (booleanFlag(flags, "json")) {
    const { eps, threshold, passed, unchecked, maxRelError, params } = report;
    const l2 = options.l2 > 0 ? { l2: options.l2 } : {};
    output.json({ eps, threshold, ...l2, passed, unchecked, maxRelError, params });
  }
  return report.passed ? 0 : 1;
}
