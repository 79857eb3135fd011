/**
 * Model files on disk: the format of formats/model-format.ts, read and written (atomically);
 * and gradients files (formats/grads-format.ts), read against a model's shapes.
 */
import { DataError, ModelFileError } from "../errors.js";
import {
  parseGrads,
  parseModel,
  serializeModel,
  type GradsFile,
  type Model,
} from "../formats/index.js";
import type { Params } from "../nn/index.js";
import { readUtf8File } from "./files.js";
import { writeFileAtomic } from "./write.js";

/** Writes the model file atomically (a temporary file renamed over `path`). */
export function saveModel(path: string, model: Model): void {
  writeFileAtomic(path, serializeModel(model));
}

/** Reads and validates a model file; a ModelFileError says what is wrong. */
export function loadModel(path: string): Model {
  return parseModel(readUtf8File(path, ModelFileError), path);
}

/** Reads a gradients file (handgrad grad's JSON) for the network `params`; a DataError says what is wrong. */
export function loadGrads(path: string, params: Params): GradsFile {
  return parseGrads(readUtf8File(path, DataError), path, params);
}
