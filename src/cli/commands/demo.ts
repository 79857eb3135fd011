/**
 * `handgrad demo`: the main job, no arguments needed. Trains a 2→16→1 tanh network on two
 * moons with a held-out test split, then checks its gradients at the trained parameters.
 */
import { gradientCheck } from "../../check/index.js";
import { streamSeed } from "../../rng.js";
import type { EpochRecord } from "../../train/index.js";
import { booleanFlag, parseFlags, type Flags, type FlagSpecs } from "../flags.js";
import type { Output } from "../output.js";
import { gradientCheckText, percent, sci } from "../report.js";
import { seedFlag } from "../setup.js";
import { runTraining, TRAIN_FLAGS } from "./train.js";

export const DEMO_FLAGS: FlagSpecs = {
  seed: { kind: "string", value: "N", help: "seed of every random choice (0)" },
  json: {
    kind: "boolean",
    help: "print the training history and gradient check as JSON on stdout",
  },
};

/** The demo's settings, as the equivalent `handgrad train` flags. */
export const DEMO_TRAIN_ARGS = [
  "--dataset",
  "moons",
  "--validation",
  "0.25",
  "--hidden",
  "16",
  "--activation",
  "tanh",
];

export async function demoCommand(flags: Flags, output: Output): Promise<number> {
  const seed = seedFlag(flags);
  const trainArgs = [...DEMO_TRAIN_ARGS, "--seed", String(seed)];
  output.log(`handgrad demo, the same as: handgrad train ${trainArgs.join(" ")}`);
  const run = await runTraining(parseFlags(trainArgs, TRAIN_FLAGS, "demo"), output);
  const { history, steps } = run.result;
  const first = history[0] as EpochRecord;
  const last = history[history.length - 1] as EpochRecord;
  const { X, y } = run.trainData;
  const check = gradientCheck(run.model.params, X, y, run.model.activation, {
    seed: streamSeed(seed, "check"),
  });
  const { W1 } = run.model.params;
  output.log(
    [
      ``,
      `network   ${W1.rows} → ${W1.cols} (${run.model.activation}) → 1 (sigmoid), mean binary cross-entropy`,
      `data      two moons: ${X.rows} training rows, ${run.validationRows} test rows`,
      `training  ${last.epoch} epochs of mini-batch SGD, ${steps} steps`,
      `loss      ${sci(first.loss)} at the start → ${sci(last.loss)} at the end (training rows)`,
      `accuracy  train ${percent(last.accuracy)}, test ${percent(last.validationAccuracy ?? NaN)}`,
      ``,
      `gradient check at the trained parameters (central differences over the ${X.rows} training rows):`,
      gradientCheckText(check),
    ].join("\n"),
  );
  if (booleanFlag(flags, "json")) output.json({ history, gradientCheck: check });
  return check.passed ? 0 : 1;
}
