/**
 * handgrad: a one-hidden-layer network for classification (two classes or K ≥ 2), every gradient by hand.
 *
 *   z1 = X W1 + b1,  a1 = f(z1),  z2 = a1 W2 + b2,  p = σ(z2),  L = mean BCE(z2, y)
 *   (or, with W2 H×K, P = softmax(z2) and L = mean softmax cross-entropy over K classes)
 *
 * The package entry for Node (`import` and `require`): every name of the browser entry
 * (src/browser.ts, which a bundler building for the web loads instead), plus the ones that
 * need Node's file system: CSV, model and checkpoint files, atomic writes. Loading it also
 * gives every Classifier its file access, so that save(path) and Classifier.load(path) work
 * (see model/files.ts for why it is handed in here rather than imported by model/).
 *
 * In a browser (package.json's "browser" condition, or `"handgrad/browser"` anywhere) the
 * package has the same names minus dataFingerprint, loadCheckpoint, loadCsv, loadFeatureCsv,
 * loadModel, saveCheckpoint, saveModel and writeFileAtomic, and the Classifier's save() and
 * load() throw a UsageError: use toJSON() and Classifier.fromJSON() there.
 *
 * The names are exported by explicit lists: what a user needs, no internals. The array
 * kernels are also under the `linalg` namespace (`linalg.matmul`, …), so that generic names
 * like `map` or `sub` do not crowd a user's own.
 *
 * @packageDocumentation
 */
import { loadModel, saveModel } from "./io/index.js";
import { useModelFiles } from "./model/index.js";

useModelFiles({ save: saveModel, load: loadModel });

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
  linalg,
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
  gradientCheck,
  type GradientCheckOptions,
  type GradientCheckReport,
  type ParamCheck,
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
  type LabelledCsv,
  type FeatureTable,
  type LabelledCsvOptions,
  type Standardizer,
  type ToyName,
  type ToyOptions,
  parseCheckpoint,
  parseModel,
  serializeCheckpoint,
  serializeModel,
  type Checkpoint,
  type ClassLabel,
  type DataFingerprint,
  type Model,
  type OptionValue,
  Classifier,
  type ClassifierOptions,
  type FitAsyncOptions,
  type FitOptions,
  type Rows,
  DataError,
  FileError,
  HandgradError,
  ModelFileError,
  ShapeError,
  UsageError,
  Rng,
  streamSeed,
  type RngState,
  type RngStream,
} from "./browser.js";
// Node only: files (the browser entry leaves these out).
export {
  dataFingerprint,
  loadCheckpoint,
  loadCsv,
  loadFeatureCsv,
  loadModel,
  saveCheckpoint,
  saveModel,
  writeFileAtomic,
  type CsvFileLimits,
} from "./io/index.js";
