/**
 * The file formats as text: model files and checkpoints, serialised and parsed strictly (a
 * duplicated key, an unknown one, a value out of range is a ModelFileError naming it). No file
 * access and no node:*, so a browser can use them; io/ reads and writes the files.
 */
export {
  type ClassLabel,
  type Model,
  modelFromJson,
  parseModel,
  serializeModel,
} from "./model-format.js";
export {
  type Checkpoint,
  type DataFingerprint,
  type OptionValue,
  parseCheckpoint,
  serializeCheckpoint,
} from "./checkpoint-format.js";
export { type GradsFile, parseGrads } from "./grads-format.js";
