/**
 * Files in and out: CSV data files, model files, checkpoints, atomic writes, locks. The text
 * of model files and checkpoints (serialise, parse) is formats/'s; io/ adds the files.
 */
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
export { loadGrads, loadModel, saveModel } from "./model-file.js";
export { dataFingerprint, loadCheckpoint, saveCheckpoint } from "./checkpoint-file.js";
