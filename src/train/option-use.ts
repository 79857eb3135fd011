/**
 * Which of the optimizer's options act in a run: each belongs to a rule (momentum, adam), a
 * schedule (step, cosine), early stopping, or every run. The one place that says so, for the
 * library's refusal of an option that would have no effect, the CLI's refusal of its flag,
 * the model file's training record and the playground's controls.
 */
import type { OptimizerName } from "./optimizers.js";
import type { OptimizerOptions } from "./record.js";
import type { ScheduleName } from "./schedules.js";

/** What makes an option act: a rule, a schedule, early stopping, or nothing (always). */
export type OptionGroup = "momentum" | "adam" | "step" | "cosine" | "early-stopping" | "always";

/** The group of each option. */
export const OPTION_GROUP: Readonly<Record<keyof OptimizerOptions, OptionGroup>> = {
  optimizer: "always",
  momentum: "momentum",
  beta1: "adam",
  beta2: "adam",
  adamEps: "adam",
  l2: "always",
  schedule: "always",
  decayRate: "step",
  decayEvery: "step",
  lrMin: "cosine",
  warmup: "always",
  clipNorm: "always",
  patience: "always",
  minDelta: "early-stopping",
  restoreBest: "early-stopping",
};

/** The run an option may act in: its rule, its schedule, and whether early stopping is on. */
export interface OptionContext {
  readonly optimizer: OptimizerName;
  readonly schedule: ScheduleName;
  readonly earlyStopping: boolean;
}

/** Whether the option `name` acts in a run of this rule, schedule and early stopping. */
export function optionActs(name: keyof OptimizerOptions, run: OptionContext): boolean {
  switch (OPTION_GROUP[name]) {
    case "momentum":
      return run.optimizer === "momentum" || run.optimizer === "nesterov";
    case "adam":
      return run.optimizer === "adam";
    case "step":
      return run.schedule === "step";
    case "cosine":
      return run.schedule === "cosine";
    case "early-stopping":
      return run.earlyStopping;
    case "always":
      return true;
  }
}
