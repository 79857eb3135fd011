/** Model files on disk: the format of model-format.ts, read and written (atomically). */
import { ModelFileError } from "../errors.js";
import { readUtf8File } from "./files.js";
import { writeFileAtomic } from "./write.js";
import { parseModel, serializeModel, type Model } from "./model-format.js";

export { type ClassLabel, parseModel, serializeModel, type Model } from "./model-format.js";

/** Writes the model file atomically (a temporary file renamed over `path`). */
export function saveModel(path: string, model: Model): void {
  writeFileAtomic(path, serializeModel(model));
}

/** Reads and validates a model file; a ModelFileError says what is wrong. */
export function loadModel(path: string): Model {
  return parseModel(readUtf8File(path, ModelFileError), path);
}
