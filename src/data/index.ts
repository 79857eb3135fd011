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
  type FeatureCsvOptions,
  type LabelledCsvOptions,
} from "./csv-text.js";
export { applyStandardizer, fitStandardizer, type Standardizer } from "./standardize.js";
export { splitDataset, splitIndices } from "./split.js";
export { parseDecimal } from "./decimal.js";

// The pieces io/csv-file.ts streams a file through (the same tokenizer and table builder as
// the text parsers above, so a file and its text give the same result and the same errors).
export {
  assertPredictionWidth,
  labelColumnOf,
  labelledDataset,
  tableBuilder,
  type LabelColumnChooser,
  type Table,
} from "./csv-text.js";
export { byteSize, CsvTokenizer } from "./csv-tokenizer.js";
