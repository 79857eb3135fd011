/**
 * Every experiment's name and what it measures, in the order the docs discuss them. This file
 * imports nothing heavy: `handgrad experiment --list` and the check of a name (with "did you
 * mean") read it without loading the experiments, which need vega, vega-lite and decimal.js,
 * optional peers a library user may not have installed. Each experiment takes its summary
 * from here, and index.ts's registry is checked against this list by its test.
 */
import { UsageError } from "../errors.js";
import { didYouMean, quote } from "../suggest.js";

/** An experiment's name and its one-line summary. */
export interface CatalogueEntry {
  readonly name: string;
  readonly summary: string;
}

/** Every experiment, in the order the docs discuss them. */
export const CATALOGUE = [
  {
    name: "stability",
    summary: "naive vs stable sigmoid and loss over logits −1000…1000, against 60-digit truth",
  },
  {
    name: "gradcheck-step",
    summary:
      "relError of the gradient check against the step ε: the truncation/round-off V, and relu's kink crossings",
  },
  {
    name: "init",
    summary:
      "He vs Xavier (normal, uniform) for relu and tanh: variances at init against closed forms, dead units, and training over seeds",
  },
  {
    name: "activations",
    summary:
      "relu, leaky relu, tanh, σ on moons, circles, xor, spirals: epochs to a target loss, accuracy, gradient norms, saturated and dead units",
  },
  {
    name: "dead-relu",
    summary:
      "dying relu units: provoked by a large rate or a negative bias, detected by exact zero gradients, mitigated by a lower rate, leaky relu, init and bias",
  },
  {
    name: "batch-variance",
    summary:
      "How does the variance of a mini-batch gradient fall with B (tr(Σ)/B·(N−B)/(N−1)), and what is the gradient noise scale B_simple?",
  },
  {
    name: "lr-scaling",
    summary:
      "When the batch doubles, keep η, multiply it by √2 or by 2? What to monitor, and where the linear rule breaks.",
  },
  {
    name: "softmax",
    summary:
      "the K-class cross-entropy: naive vs max-shifted vs logSumExp − z_y, and K = 2 vs the binary loss",
  },
  {
    name: "optimizers",
    summary:
      "sgd, momentum, nesterov or adam, each at its own swept rate: how many epochs to a training loss of 0.05, and what accuracy?",
  },
  {
    name: "regularisation",
    summary:
      "An L2 penalty λ on 40 breast-cancer rows and 64 hidden units: how do the training and validation losses, their gap and the weights move with λ?",
  },
  {
    name: "early-stopping",
    summary:
      "Stop when the validation loss has not improved for 50 epochs and restore the best: where does it stop, and what does it save over training to the end?",
  },
  {
    name: "accuracy",
    summary:
      "The Classifier's defaults on breast cancer, iris and wine with a quarter held out: training and held-out accuracy over 10 splits and seeds",
  },
] as const satisfies readonly CatalogueEntry[];

/** The name of an experiment. */
export type ExperimentName = (typeof CATALOGUE)[number]["name"];

/** The summary of the experiment called `name`. */
export function summaryOf(name: ExperimentName): string {
  return CATALOGUE.find((e) => e.name === name)!.summary;
}

/** `name` when it names an experiment, else a UsageError listing them with "did you mean". */
export function checkedExperimentName(name: string): ExperimentName {
  const found = CATALOGUE.find((e) => e.name === name);
  if (found) return found.name;
  const names = CATALOGUE.map((e) => e.name);
  throw new UsageError(
    `unknown experiment ${quote(name)} (${didYouMean(name, names, JSON.stringify)}known: ${names.join(", ")}; see handgrad experiment --list)`,
  );
}
