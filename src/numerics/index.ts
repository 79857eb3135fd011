/**
 * Stable scalar functions and the loss: each documents its domain split and is tested
 * against 60-digit arithmetic in test/numerics.
 */
export { sigmoid, sigmoidMinusLabel } from "./sigmoid.js";
export { tanh, tanhDerivative } from "./tanh.js";
export { softplus, logSigmoid } from "./softplus.js";
export { log1mexp } from "./log1mexp.js";
export { bceWithLogits, bceWithLogitsPerExample } from "./bce.js";
export {
  argmax,
  logSumExp,
  softmax,
  softmaxCrossEntropy,
  softmaxCrossEntropyTerm,
  softmaxMinusOneHot,
  softmaxRows,
} from "./softmax.js";
