/**
 * handgrad in a browser: the package entry's names minus the ones that need Node's file
 * system, with no node:* module and no io/ or cli/ file in its module graph, so that a bundler
 * (Vite, webpack, esbuild) or an import map can load it.
 *
 *   z1 = X W1 + b1,  a1 = f(z1),  z2 = a1 W2 + b2,  p = σ(z2),  L = mean BCE(z2, y)
 *   (or, with W2 H×K, P = softmax(z2) and L = mean softmax cross-entropy over K classes)
 *
 * `import … from "handgrad"` loads it wherever the "browser" condition of package.json's
 * "exports" applies (a bundler building for the web), and `"handgrad/browser"` names it
 * anywhere. Left out: loadCsv, loadFeatureCsv, loadModel, saveModel, loadCheckpoint,
 * saveCheckpoint, dataFingerprint, writeFileAtomic (the Node entry, src/index.ts, adds them).
 * The Classifier is the same class in both entries; here its save() and load() throw a
 * UsageError saying to use toJSON() and Classifier.fromJSON() instead. Text in, text out works
 * everywhere: parseLabelledCsv, parseFeatureCsv, parseModel, serializeModel.
 *
 * The names are exported by explicit lists: what a user needs, no internals. The array
 * kernels are also under the `linalg` namespace (`linalg.matmul`, …), so that generic names
 * like `map` or `sub` do not crowd a user's own.
 *
 * @packageDocumentation
 */
import * as linalg from "./linalg/namespace.js";

export {
  bceWithLogits,
  logSumExp,
  softmax,
  softmaxCrossEntropy,
  softmaxMinusOneHot,
  sigmoidMinusLabel,
  logSigmoid,
  sigmoid,
  softplus,
} from "./numerics/index.js";
export { linalg };
export {
  addRow,
  colSums,
  fromRows,
  matmul,
  matmulTransA,
  matmulTransB,
  matrix,
  toRows,
  type Backend,
  type HiddenPhases,
  type Matrix,
  type PhaseActivation,
  type RectifierKernels,
  type TanhKernels,
  type ThreadsOption,
} from "./linalg/index.js";
export {
  accuracy,
  ACTIVATION_NAMES,
  ACTIVATIONS,
  activationByName,
  backward,
  classify,
  defaultInitFor,
  forward,
  INIT_NAMES,
  initParams,
  loss,
  OUTPUT_NAMES,
  outputHeadFor,
  PARAM_NAMES,
  sigmoidHead,
  softmaxHead,
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
export {
  DivergenceError,
  gradientDescentStep,
  train,
  Trainer,
  type BestEpoch,
  type Divergence,
  type EarlyStop,
  type EpochRecord,
  type MomentName,
  type OptimizerName,
  type OptimizerSettings,
  type OptimizerState,
  type ScheduleName,
  type EvaluationSchedule,
  type LabelledData,
  type StepResult,
  type TrainEngine,
  type TrainerOptions,
  type TrainOptions,
  type TrainResult,
  type TrainState,
  type OptimizerOptions,
  type RunRecord,
  type TrainingRecord,
} from "./train/index.js";
export {
  gradientCheck,
  type GradientCheckOptions,
  type GradientCheckReport,
  type ParamCheck,
} from "./check/index.js";
export {
  applyStandardizer,
  fitStandardizer,
  makeDataset,
  parseFeatureCsv,
  parseLabelledCsv,
  splitDataset,
  TOY_NAMES,
  type ColumnRef,
  type CsvReport,
  type Dataset,
  type FeatureCsv,
  type FeatureCsvOptions,
  type FeatureTable,
  type LabelledCsv,
  type LabelledCsvOptions,
  type Standardizer,
  type ToyName,
  type ToyOptions,
} from "./data/index.js";
export {
  parseCheckpoint,
  parseModel,
  serializeCheckpoint,
  serializeModel,
  type Checkpoint,
  type ClassLabel,
  type DataFingerprint,
  type Model,
  type OptionValue,
} from "./formats/index.js";
export {
  Classifier,
  type ClassifierOptions,
  type FitAsyncOptions,
  type FitOptions,
  type Rows,
} from "./model/index.js";
export {
  DataError,
  FileError,
  HandgradError,
  ModelFileError,
  ShapeError,
  UsageError,
} from "./errors.js";
export { Rng, streamSeed, type RngState, type RngStream } from "./rng.js";
