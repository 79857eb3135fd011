/** Data: toy generators, CSV loading and validation, standardisation, splits. */
export {
  validateDataset,
  type Dataset,
  type FeatureTable,
  type ValidateOptions,
} from "./dataset.js";
export {
  DEFAULT_NOISE,
  DEFAULT_SAMPLES,
  makeDataset,
  MAX_NOISE,
  MAX_SAMPLES,
  TOY_NAMES,
  type ToyName,
  type ToyOptions,
} from "./toy.js";
export {
  loadCsv,
  loadFeatureCsv,
  loadPredictionCsv,
  MAX_CSV_RECORD_BYTES,
  MAX_CSV_VALUES,
  parseFeatureCsv,
  parseLabelledCsv,
  parsePredictionCsv,
  type CsvFileLimits,
  type FeatureCsvOptions,
  type LabelledCsvOptions,
} from "./csv.js";
export { applyStandardizer, fitStandardizer, type Standardizer } from "./standardize.js";
export { splitDataset } from "./split.js";
export {
  makeWorkload,
  TEACHER_UNITS,
  WORKLOAD_NAMES,
  WORKLOADS,
  type Workload,
  type WorkloadName,
  type WorkloadSpec,
} from "./synthetic.js";
