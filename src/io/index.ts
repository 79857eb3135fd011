/** Files in and out: CSV data files, model files, checkpoints, atomic writes, locks. */
export {
  loadCsv,
  loadFeatureCsv,
  loadPredictionCsv,
  MAX_CSV_RECORD_BYTES,
  MAX_CSV_VALUES,
  type CsvFileLimits,
} from "./csv-file.js";
export { readUtf8File } from "./files.js";
export { assertWritable, FIFO_READER_WAIT_MS, writeFileAtomic, writeTarget } from "./write.js";
export {
  assertNoCollisions,
  type FileKind,
  type FileRole,
  unusedPath,
  writeToUnusedPath,
} from "./paths.js";
export { type FileLock, lockAllForWriting, lockForWriting } from "./lock.js";
export {
  type ClassLabel,
  loadModel,
  type Model,
  parseModel,
  saveModel,
  serializeModel,
} from "./model-file.js";
export {
  type Checkpoint,
  dataFingerprint,
  type DataFingerprint,
  loadCheckpoint,
  type OptionValue,
  parseCheckpoint,
  saveCheckpoint,
  serializeCheckpoint,
} from "./checkpoint-file.js";
