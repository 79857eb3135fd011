/**
 * handgrad: a one-hidden-layer network for binary classification, every gradient by hand.
 *
 *   z1 = X W1 + b1,  a1 = f(z1),  z2 = a1 W2 + b2,  p = σ(z2),  L = mean BCE(z2, y)
 *   (or, with W2 H×K, P = softmax(z2) and L = mean softmax cross-entropy over K classes)
 *
 * The entry point exports the network's API by name. The array kernels are also under the
 * `linalg` namespace (`linalg.matmul`, …), so that generic names like `map` or `sub` do not
 * crowd a user's own.
 */
export {
  argmax,
  bceWithLogits,
  logSumExp,
  softmax,
  softmaxCrossEntropy,
  softmaxCrossEntropyPerExample,
  softmaxMinusOneHot,
  sigmoidMinusLabel,
  bceWithLogitsPerExample,
  log1mexp,
  logSigmoid,
  sigmoid,
  softplus,
} from "./numerics/index.js";
export * as linalg from "./linalg/index.js";
export {
  addRow,
  colSums,
  columnVector,
  fromRows,
  matmul,
  matmulTransA,
  matmulTransB,
  matrix,
  rowVector,
  toRows,
  type Matrix,
} from "./linalg/index.js";
export {
  accuracy,
  ACTIVATION_NAMES,
  ACTIVATIONS,
  activationByName,
  backward,
  classCount,
  classify,
  defaultInitFor,
  forward,
  INIT_NAMES,
  initParams,
  LEAKY_SLOPE,
  loss,
  lossAt,
  OUTPUT_NAMES,
  outputHeadFor,
  sigmoidHead,
  softmaxHead,
  PARAM_NAMES,
  paramsAreFinite,
  type Activation,
  type ActivationName,
  type Cache,
  type Grads,
  type InitName,
  type InitOptions,
  type OutputHead,
  type OutputName,
  type ParamName,
  type Params,
} from "./nn/index.js";
export * from "./train/index.js";
export * from "./check/index.js";
export * from "./data/index.js";
export {
  loadCheckpoint,
  loadModel,
  MODEL_FORMAT,
  MODEL_VERSION,
  parseModel,
  saveModel,
  serializeModel,
  writeFileAtomic,
  CHECKPOINT_FORMAT,
  CHECKPOINT_VERSION,
  dataFingerprint,
  parseCheckpoint,
  saveCheckpoint,
  serializeCheckpoint,
  type Checkpoint,
  type DataFingerprint,
  type Model,
} from "./io/index.js";
export * from "./errors.js";
export { Rng, streamSeed, type RngState, type RngStream } from "./rng.js";
