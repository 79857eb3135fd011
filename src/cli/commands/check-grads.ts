/**
 * `handgrad check-grads`: a learner's own gradients (a file nested as `handgrad grad` prints
 * them) against backward()'s at the same model and data, parameter by parameter
 * (check/compare.ts: relError and the worst entry); exit 0 when every relError is within
 * --threshold, 1 otherwise, naming what failed.
 */
import { compareGradients, DEFAULT_THRESHOLD, relativeError } from "../../check/index.js";
import { DataError, UsageError } from "../../errors.js";
import { loadGrads } from "../../io/index.js";
import {
  activationByName,
  backward,
  forward,
  gradsAreFinite,
  l2Penalty,
  loss,
  PARAM_NAMES,
  type ParamName,
} from "../../nn/index.js";
import { booleanFlag, numberFlag, pathFlag, type Flags, type FlagSpecs } from "../flags.js";
import { L2_FLAG } from "../optimizer-flags.js";
import { shown, type Output } from "../output.js";
import { sci, table } from "../report.js";
import { DATA_FLAGS, prepareRun } from "../setup.js";
import { l2Flag } from "./grad.js";

export const CHECK_GRADS_FLAGS: FlagSpecs = {
  model: { kind: "string", value: "FILE", help: "the model file (required)" },
  ...DATA_FLAGS,
  grads: {
    kind: "string",
    value: "FILE",
    help: 'your gradients, as handgrad grad prints them: {"loss", "grads": {"W1", "b1", "W2", "b2"}} (required)',
  },
  threshold: {
    kind: "string",
    value: "T",
    help: `pass when every relError ≤ this (${DEFAULT_THRESHOLD})`,
  },
  ...L2_FLAG,
  json: { kind: "boolean", help: "print the comparison as JSON on stdout" },
};

export function checkGradsCommand(flags: Flags, output: Output): number {
  const run = prepareRun(flags, {
    modelFlag: "model",
    modelRequired: true,
    options: (flags) => {
      const grads = pathFlag(flags, "grads");
      if (grads === undefined) {
        throw new UsageError("no gradients to check: give --grads FILE (handgrad grad's JSON)");
      }
      return {
        grads,
        threshold: numberFlag(flags, "threshold", DEFAULT_THRESHOLD, (x) => x > 0, "a number > 0"),
        l2: l2Flag(flags),
      };
    },
    size: "grad",
  });
  const { model, modelName, source, options } = run;
  for (const warning of run.warnings) output.log(warning);
  const { X, y } = run.train;
  const mine = loadGrads(options.grads, model.params); // shapes checked, paths named
  const activation = activationByName(model.activation);
  const cache = forward(model.params, X, activation);
  const ours = backward(model.params, cache, X, y, activation, options.l2); // + λ W on the weights
  if (!gradsAreFinite(ours)) {
    throw new DataError(
      `the gradients of ${modelName} overflow on ${source}: its weights or the features are too large for float64`,
    );
  }
  const ourLoss = loss(cache, y) + l2Penalty(model.params, options.l2);
  const comparison = compareGradients(ours, mine.grads, { threshold: options.threshold });
  const lossCheck =
    mine.loss === undefined
      ? undefined
      : {
          yours: mine.loss,
          ours: ourLoss,
          relError: relativeError(mine.loss - ourLoss, mine.loss, ourLoss),
        };
  const lossFailed = lossCheck !== undefined && !(lossCheck.relError <= options.threshold);
  const failed = [...(lossFailed ? ["loss"] : []), ...comparison.failed];

  const penalised = options.l2 > 0 ? ` (with the L2 penalty, λ = ${options.l2})` : "";
  output.log(
    `your gradients (${shown(options.grads)}) against handgrad's${penalised}:\n` +
      `${shown(modelName)} on ${X.rows} rows of ${shown(source)}`,
  );
  const rows = PARAM_NAMES.map((name) => {
    const c = comparison.params[name];
    return [
      name,
      String(c.total),
      sci(c.relError),
      c.worstEntry,
      digits(c.candidate),
      digits(c.reference),
      sci(c.maxEntryRelError),
    ];
  });
  if (lossCheck) {
    rows.unshift([
      "loss",
      "1",
      sci(lossCheck.relError),
      "loss",
      digits(lossCheck.yours),
      digits(lossCheck.ours),
      sci(lossCheck.relError),
    ]);
  }
  output.log(
    table(["param", "entries", "relError", "worst entry", "yours", "ours", "entry relError"], rows),
  );
  const threshold = sci(options.threshold);
  if (failed.length === 0) {
    output.log(`passed: max relError ${sci(comparison.maxRelError)} ≤ threshold ${threshold}`);
  } else {
    const what = failed.map((name) => {
      if (name === "loss") return `loss relError ${sci(lossCheck!.relError)}`;
      const c = comparison.params[name as ParamName];
      return `${name} relError ${sci(c.relError)}, worst entry ${c.worstEntry}: yours ${digits(c.candidate)}, ours ${digits(c.reference)}`;
    });
    output.log(`FAILED (threshold ${threshold}): ${what.join("; ")}`);
  }
  if (booleanFlag(flags, "json")) {
    const { maxRelError, params } = comparison;
    output.json({
      threshold: options.threshold,
      ...(options.l2 > 0 ? { l2: options.l2 } : {}),
      passed: failed.length === 0,
      failed,
      maxRelError,
      ...(lossCheck ? { loss: lossCheck } : {}),
      params,
    });
  }
  return failed.length === 0 ? 0 : 1;
}

/** A gradient entry to 10 significant digits, enough to see where two disagree. */
function digits(x: number): string {
  return String(Number(x.toPrecision(10)));
}
