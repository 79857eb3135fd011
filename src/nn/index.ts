export {
  type Activation,
  ACTIVATION_NAMES,
  activationByName,
  type ActivationName,
  ACTIVATIONS,
  resolveActivation,
  tanh,
} from "./activations.js";
export {
  assertParams,
  assertParamShapes,
  cloneParams,
  DEFAULT_ACTIVATION,
  DEFAULT_HIDDEN,
  defaultInitFor,
  type Grads,
  gradsAreFinite,
  INIT_NAMES,
  type InitName,
  type InitOptions,
  initParams,
  PARAM_NAMES,
  type ParamName,
  type Params,
  paramsAreFinite,
} from "./params.js";
export {
  accuracy,
  assertInputs,
  assertLabelledBatch,
  backward,
  type Cache,
  classify,
  forward,
  loss,
  lossAt,
  assertL2,
  l2Penalty,
  weightPenalty,
} from "./network.js";
export {
  assertClassLabels,
  classCount,
  OUTPUT_NAMES,
  type OutputHead,
  outputHeadFor,
  type OutputName,
  sigmoidHead,
  softmaxHead,
} from "./heads.js";
export {
  makeParamBuffers,
  makeWorkspace,
  type ParamBuffers,
  runValues,
  type Workspace,
} from "./workspace.js";
export { forwardInto, backwardInto } from "./fast-network.js";
