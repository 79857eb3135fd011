/**
 * Data: toy generators, CSV text parsing and validation, standardisation, splits. Pure and
 * browser-safe: no file access (CSV files are read by io/csv-file.ts), no nn/, no node:*.
 */
export {
  checkMaxClasses,
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
  parseFeatureCsv,
  parseLabelledCsv,
  parsePredictionCsv,
  type CsvReport,
  type FeatureCsv,
  type FeatureCsvOptions,
  type LabelledCsv,
  type LabelledCsvOptions,
  type PredictionCsv,
} from "./csv-text.js";
export {
  assertClassesLearnable,
  classesOf,
  classIndexer,
  compareLabels,
  integerClasses,
  labelIndices,
  labelKey,
  labelList,
  labelOfCell,
  MAX_CLASSES,
  MIN_ROWS_PER_CLASS,
  withPositive,
  type ClassLabel,
  type LabelSource,
} from "./classes.js";
export {
  columnName,
  modelColumnsProblem,
  planColumns,
  type ColumnPlan,
  type ColumnPlanOptions,
  type ColumnNamesStyle,
  type ColumnRef,
} from "./csv-columns.js";
export { delimiterByName, delimiterName, detectDelimiter } from "./csv-delimiter.js";
export { applyStandardizer, fitStandardizer, type Standardizer } from "./standardize.js";
export { assertValidationFraction, splitDataset, splitIndices } from "./split.js";
export { parseDecimal } from "./decimal.js";

// The pieces io/csv-file.ts streams a file through (the same tokenizer and table builder as
// the text parsers above, so a file and its text give the same result and the same errors).
export {
  assertCsvOptions,
  FEATURE_CSV_KEYS,
  featureResult,
  LABELLED_CSV_KEYS,
  labelledResult,
  predictionResult,
  tableBuilder,
  tableOptions,
  type CsvKind,
  type LabelRule,
  type Table,
  type TableOptions,
} from "./csv-text.js";
export { byteSize, csvCell, CSV_DELIMITERS, CsvTokenizer } from "./csv-tokenizer.js";
