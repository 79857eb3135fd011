/**
 * The experiments behind every claim in docs/: `handgrad experiment --list` prints this
 * registry. Each module measures one thing and returns tables, figures and key numbers.
 */
import { accuracy } from "./accuracy.js";
import { activations } from "./activations.js";
import { batchVariance } from "./batch-variance.js";
import { checkedExperimentName } from "./catalogue.js";
import { deadRelu } from "./dead-relu.js";
import { earlyStopping } from "./early-stopping.js";
import type { Experiment } from "./experiment.js";
import { gradcheckStep } from "./gradcheck-step.js";
import { init } from "./init.js";
import { lrScaling } from "./lr-scaling.js";
import { optimizers } from "./optimizers.js";
import { regularisation } from "./regularisation.js";
import { softmax } from "./softmax.js";
import { stability } from "./stability.js";

export { figureFileName, renderSvg } from "./figure.js";
export { tableText } from "./table.js";

/** Every experiment, in the order the docs discuss them. */
export const EXPERIMENTS: readonly Experiment[] = [
  stability,
  gradcheckStep,
  init,
  activations,
  deadRelu,
  batchVariance,
  lrScaling,
  softmax,
  optimizers,
  regularisation,
  earlyStopping,
  accuracy,
];

/** The experiment called `name`, or a UsageError listing the known ones (catalogue.ts). */
export function experimentByName(name: string): Experiment {
  const checked = checkedExperimentName(name);
  return EXPERIMENTS.find((e) => e.name === checked)!;
}
export { docDrift, syncDoc } from "./docs.js";
